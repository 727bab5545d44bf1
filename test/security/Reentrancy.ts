// Re-entrancy from every place Merchstand hands control to someone else: the ETH it sends on cancel, withdraw and
// withdrawStoreBalance, and the ERC-20 transfer/transferFrom hooks of a hostile token. From each, the attacker tries
// EVERY state-changing function of the ABI (enumerated from the ABI itself, so a function added later is covered
// without editing this file). Each attempt must be refused by the shared guard, the outer payment must happen
// exactly once, and the money must still add up.
//
// buy_oT9la holds no lock of its own for ETH (it calls no one) and takes the lock only around an ERC-20 pull; it
// refuses to run while the lock is held. The last block checks both halves of that with a buy as the re-entry.
import { expect } from "chai";
import { type FunctionFragment, Interface } from "ethers";
import type { MaliciousToken, ReentrantReceiver } from "../../types/ethers-contracts/index.ts";
import { NO_CODE } from "../contracts/support/drops.ts";
import {
  BUYER_KEY,
  buyDigitalAndConfirm,
  buyEth,
  deliverAndConfirm,
  expectConserved,
  type Fx,
  fixtureTerms,
  listProduct,
  load,
  type Order,
  openStore,
  packLine,
  placed,
  priceOf,
  productInput,
  SHIPPING,
  Status,
  variant,
  ZERO,
} from "../contracts/support/helpers.ts";
import { zeroOf } from "./support/abi.ts";

/** AccessControl's own role functions carry no guard: they move no money and need the admin role anyway. */
const UNGUARDED = new Set(["grantRole", "revokeRole", "renounceRole"]);

/** One well-formed call of every function that can change state, by name. */
function everyStateChangingCall(fx: Fx): { name: string; data: string }[] {
  const calls: { name: string; data: string }[] = [];
  // The untyped Interface: the generated one only takes literal function names.
  const abi = new Interface(fx.merchstand.interface.fragments);
  abi.forEachFunction((f: FunctionFragment) => {
    if (f.stateMutability === "view" || f.stateMutability === "pure" || UNGUARDED.has(f.name)) return;
    calls.push({ name: f.name, data: abi.encodeFunctionData(f, f.inputs.map(zeroOf)) });
  });
  return calls;
}

describe("Security: re-entrancy", () => {
  let fx: Fx;
  let guard: string;
  beforeEach(async () => {
    fx = await load();
    const selector = fx.merchstand.interface.getError("ReentrancyGuardReentrantCall")?.selector;
    if (selector === undefined) throw new Error("the contract has no ReentrancyGuardReentrantCall error");
    guard = selector;
  });

  async function attacker(): Promise<{ receiver: ReentrantReceiver; address: string; target: string }> {
    const target = await fx.merchstand.getAddress();
    const receiver = (await fx.ethers.deployContract("ReentrantReceiver", [target])) as unknown as ReentrantReceiver;
    return { receiver, address: await receiver.getAddress(), target };
  }

  /** The attacker contract buys one shirt as a buyer would. */
  async function attackerBuys(receiver: ReentrantReceiver, target: string): Promise<{ orderId: bigint; order: Order }> {
    const price = await priceOf(fx, fx.shirtId);
    const data = fx.merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(fx.shirtId, 0, 1, price), SHIPPING]);
    const { orderId, order } = await placed(fx.merchstand, receiver.execute(target, price, data, { value: price }));
    return { orderId, order };
  }

  it("enumerates a meaningful set of state-changing functions", () => {
    const names = everyStateChangingCall(fx).map((c) => c.name);
    for (const must of ["buy_oT9la", "checkout", "cancel", "refund", "complete", "withdraw", "withdrawStoreBalance"]) {
      expect(names).to.include(must);
    }
    expect(names.length).to.be.greaterThan(30);
  });

  describe("from the ETH of a withdrawal of credits", () => {
    it("refuses every state-changing function and pays the credits exactly once", async () => {
      const { merchstand, seller, ethers } = fx;
      const { receiver, address, target } = await attacker();
      const withdraw = merchstand.interface.encodeFunctionData("withdraw", [ZERO, address]);
      for (const call of everyStateChangingCall(fx)) {
        // Fresh credits each round: a refunded order of the attacker's own, whose push the attacker makes fail (it
        // re-enters and reverts), so the refund is credited.
        const { orderId, order } = await attackerBuys(receiver, target);
        await (await receiver.armCall(call.data, true)).wait();
        await expect(merchstand.connect(seller).refund(orderId, order, order.amount))
          .to.emit(merchstand, "Credited")
          .withArgs(address, ZERO, order.amount);
        await (await receiver.armCall(call.data, false)).wait();
        await expect(receiver.execute(target, 0, withdraw), call.name).to.changeEtherBalances(
          ethers,
          [address, target],
          [order.amount, -order.amount],
        );
        expect(await receiver.lastRevertData(), call.name).to.equal(guard);
      }
      const attempts = BigInt(everyStateChangingCall(fx).length);
      expect(await receiver.reentryFailed()).to.equal(attempts);
      expect(await receiver.reentrySucceeded()).to.equal(0n);
      expect(await receiver.receivedCount()).to.equal(attempts);
      expect(await merchstand.credits(address, ZERO)).to.equal(0n);
      await expectConserved(fx, ZERO, [address]);
    });
  });

  describe("from the ETH of a cancel", () => {
    it("refuses every state-changing function and refunds each order exactly once", async () => {
      const { merchstand, ethers } = fx;
      const { receiver, address, target } = await attacker();
      const calls = everyStateChangingCall(fx);
      // The shirt has 3 × 10 units; restock so every round can place its own order before the window passes.
      await (await merchstand.connect(fx.seller).setVariantStock(fx.shirtId, 0, calls.length + 5)).wait();
      const orders = [];
      for (let i = 0; i < calls.length; i++) orders.push(await attackerBuys(receiver, target));
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
      for (const [i, call] of calls.entries()) {
        const { orderId, order } = orders[i] as { orderId: bigint; order: Order };
        await (await receiver.armCall(call.data, false)).wait();
        const cancel = merchstand.interface.encodeFunctionData("cancel", [orderId, order]);
        await expect(receiver.execute(target, 0, cancel), call.name).to.changeEtherBalances(
          ethers,
          [address, target],
          [order.amount, -order.amount],
        );
        expect(await receiver.lastRevertData(), call.name).to.equal(guard);
        expect(await merchstand.orderStatus(orderId)).to.equal(Status.Cancelled);
      }
      expect(await receiver.reentrySucceeded()).to.equal(0n);
      await expectConserved(fx, ZERO, [address]);
    });
  });

  describe("from the ETH of a store payout", () => {
    it("refuses every state-changing function and pays the balance exactly once", async () => {
      const { merchstand, seller, buyer2, ethStoreId, ethers } = fx;
      const { receiver, address, target } = await attacker();
      await (await merchstand.connect(seller).setStorePayout(ethStoreId, address)).wait();
      for (const call of everyStateChangingCall(fx)) {
        // A delivered and confirmed digital sale credits the store.
        await (await buyDigitalAndConfirm(fx, buyer2, fx.ebookId)).wait();
        const balance = (await merchstand.getStore(ethStoreId)).balance;
        await (await receiver.armCall(call.data, false)).wait();
        await expect(merchstand.withdrawStoreBalance(ethStoreId), call.name).to.changeEtherBalances(
          ethers,
          [address, target],
          [balance, -balance],
        );
        expect(await receiver.lastRevertData(), call.name).to.equal(guard);
      }
      expect(await receiver.reentrySucceeded()).to.equal(0n);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(0n);
      await expectConserved(fx, ZERO, [address]);
    });
  });

  // Mode values of MaliciousToken.Mode.
  const REENTER_ON_TRANSFER = 1;
  const REENTER_ON_TRANSFER_FROM = 2;

  /** A hostile allow-listed token, a store selling a digital product in it, and a buyer with balance and allowance. */
  async function hostileTokenStore() {
    const { merchstand, admin, seller, buyer } = fx;
    const token = (await fx.ethers.deployContract("MaliciousToken")) as unknown as MaliciousToken;
    const tokenAddress = await token.getAddress();
    await (await merchstand.connect(admin).setCurrencyAllowed(tokenAddress, true)).wait();
    const storeId = await openStore(fx, seller, { currency: tokenAddress, payout: seller.address });
    const productId = await listProduct(fx, seller, storeId, productInput({ digital: true, category: 5 }), [
      variant("PDF", 1_000n, 10_000),
    ]);
    await (await token.mint(buyer.address, 10n ** 12n)).wait();
    await (await token.connect(buyer).approve(await merchstand.getAddress(), 10n ** 12n)).wait();
    return { token, tokenAddress, storeId, productId };
  }

  describe("from the hooks of an allow-listed token that turns hostile", () => {
    it("refuses every state-changing function from inside a purchase's transferFrom", async () => {
      const { merchstand, buyer } = fx;
      const { token, tokenAddress, productId } = await hostileTokenStore();
      const target = await merchstand.getAddress();
      for (const call of everyStateChangingCall(fx)) {
        await (await token.armReentry(REENTER_ON_TRANSFER_FROM, target, call.data, false)).wait();
        await expect(
          merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1_000n), BUYER_KEY),
          call.name,
        ).to.emit(merchstand, "OrderPlaced");
        expect(await token.lastRevertData(), call.name).to.equal(guard);
      }
      expect(await token.reentrySucceeded()).to.equal(0n);
      await expectConserved(fx, tokenAddress);
    });

    it("refuses every state-changing function from inside a payout's transfer", async () => {
      const { merchstand, buyer, seller } = fx;
      const { token, tokenAddress, storeId, productId } = await hostileTokenStore();
      const target = await merchstand.getAddress();
      for (const call of everyStateChangingCall(fx)) {
        await deliverAndConfirm(
          fx,
          buyer,
          await placed(merchstand, merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1_000n), BUYER_KEY)),
        );
        const balance = (await merchstand.getStore(storeId)).balance;
        await (await token.armReentry(REENTER_ON_TRANSFER, target, call.data, false)).wait();
        const before = await token.balanceOf(seller.address);
        await (await merchstand.withdrawStoreBalance(storeId)).wait();
        expect((await token.balanceOf(seller.address)) - before, call.name).to.equal(balance);
        expect(await token.lastRevertData(), call.name).to.equal(guard);
      }
      expect(await token.reentrySucceeded()).to.equal(0n);
      await expectConserved(fx, tokenAddress);
    });
  });

  describe("buy_oT9la, which takes the lock only around a token pull", () => {
    it("refuses a buy re-entered from the token pull of a buy; a bubbled refusal reverts the whole purchase", async () => {
      const { merchstand, buyer } = fx;
      const { token, tokenAddress, storeId, productId } = await hostileTokenStore();
      const target = await merchstand.getAddress();
      const line = packLine(productId, 0, 1, 1_000n);
      const again = merchstand.interface.encodeFunctionData("buy_oT9la", [line, BUYER_KEY]);
      const before = (await merchstand.getProduct(productId)).variants[0];
      const paid = await token.balanceOf(buyer.address);
      const held = await token.balanceOf(target);

      // Bubbled: the purchase itself fails with the guard's error, and nothing of it remains.
      await (await token.armReentry(REENTER_ON_TRANSFER_FROM, target, again, true)).wait();
      await expect(merchstand.connect(buyer).buy_oT9la(line, BUYER_KEY)).to.be.revertedWithCustomError(
        merchstand,
        "ReentrancyGuardReentrantCall",
      );
      const after = (await merchstand.getProduct(productId)).variants[0];
      expect(after?.stock).to.equal(before?.stock);
      expect(after?.sold).to.equal(before?.sold);
      expect(await token.balanceOf(buyer.address)).to.equal(paid);
      expect(await token.balanceOf(target)).to.equal(held);
      expect((await merchstand.getStore(storeId)).balance).to.equal(0n);

      // Swallowed: the outer purchase goes through once, the inner one is refused by the guard.
      await (await token.armReentry(REENTER_ON_TRANSFER_FROM, target, again, false)).wait();
      const { orderId } = await placed(merchstand, merchstand.connect(buyer).buy_oT9la(line, BUYER_KEY));
      expect(orderId).to.equal(productId << 40n);
      expect(await token.reentryFailed()).to.equal(1n);
      expect(await token.reentrySucceeded()).to.equal(0n);
      expect(await token.lastRevertData()).to.equal(guard);
      expect((await merchstand.getProduct(productId)).variants[0]?.sold).to.equal(1n);
      expect(await token.balanceOf(target)).to.equal(held + 1_000n);
      await expectConserved(fx, tokenAddress);
    });

    it("refuses a cart checkout and a cancel re-entered from the token pull of a buy", async () => {
      const { merchstand, buyer, ethStoreId, ebookId } = fx;
      const { token, tokenAddress, productId } = await hostileTokenStore();
      const target = await merchstand.getAddress();
      const ebook = await priceOf(fx, ebookId);
      const victim = await buyEth(fx, fx.buyer2, fx.shirtId);
      const reentries = [
        merchstand.interface.encodeFunctionData("checkout", [
          [
            {
              storeId: ethStoreId,
              termsVersion: 1,
              lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
              shipping: BUYER_KEY,
              zone: 0,
              maxShipping: 0n,
              code: NO_CODE,
            },
          ],
        ]),
        merchstand.interface.encodeFunctionData("cancel", [victim.orderId, victim.order]),
        merchstand.interface.encodeFunctionData("withdraw", [tokenAddress, buyer.address]),
      ];
      for (const [i, data] of reentries.entries()) {
        await (await token.armReentry(REENTER_ON_TRANSFER_FROM, target, data, false)).wait();
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1_000n), BUYER_KEY)).to.emit(
          merchstand,
          "OrderPlaced",
        );
        expect(await token.reentryFailed()).to.equal(BigInt(i + 1));
        expect(await token.lastRevertData()).to.equal(guard);
      }
      expect(await token.reentrySucceeded()).to.equal(0n);
      expect(await merchstand.orderStatus(victim.orderId)).to.equal(Status.Paid);
      await expectConserved(fx, tokenAddress);
      await expectConserved(fx, ZERO);
    });

    it("refuses a buy from a buyer contract's receive() during cancel's ETH refund, which would succeed outside", async () => {
      const { merchstand, usd, mugId } = fx;
      const { receiver, address, target } = await attacker();
      // The attacker holds mUSD and has approved the mug's price: the re-entered purchase needs no ETH, so only the
      // lock can stop it.
      const mug = await priceOf(fx, mugId);
      const usdAddress = await usd.getAddress();
      await (await usd.mint(address, mug * 2n)).wait();
      const approve = usd.interface.encodeFunctionData("approve", [target, mug * 2n]);
      await (await receiver.execute(usdAddress, 0, approve)).wait();
      const buyMug = merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(mugId, 0, 1, mug), SHIPPING]);

      const bubbled = await attackerBuys(receiver, target);
      const swallowed = await attackerBuys(receiver, target);
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
      const mugBefore = (await merchstand.getProduct(mugId)).variants[0];

      // Bubbled: the refused purchase makes receive() revert, so the push fails and the cancel credits the
      // attacker instead: it only turned its own refund into a credit.
      await (await receiver.armCall(buyMug, true)).wait();
      const cancelBubbled = merchstand.interface.encodeFunctionData("cancel", [bubbled.orderId, bubbled.order]);
      await expect(receiver.execute(target, 0, cancelBubbled))
        .to.emit(merchstand, "Credited")
        .withArgs(address, ZERO, bubbled.order.amount);
      expect(await merchstand.orderStatus(bubbled.orderId)).to.equal(Status.Cancelled);

      // Swallowed: the refund is paid once, the purchase inside it is refused.
      await (await receiver.armCall(buyMug, false)).wait();
      const cancelSwallowed = merchstand.interface.encodeFunctionData("cancel", [swallowed.orderId, swallowed.order]);
      await expect(receiver.execute(target, 0, cancelSwallowed)).to.changeEtherBalances(
        fx.ethers,
        [address, target],
        [swallowed.order.amount, -swallowed.order.amount],
      );
      expect(await merchstand.orderStatus(swallowed.orderId)).to.equal(Status.Cancelled);
      expect(await receiver.reentryFailed()).to.equal(1n);
      expect(await receiver.reentrySucceeded()).to.equal(0n);
      expect(await receiver.lastRevertData()).to.equal(guard);
      const mugAfter = (await merchstand.getProduct(mugId)).variants[0];
      expect(mugAfter?.stock).to.equal(mugBefore?.stock);
      expect(mugAfter?.sold).to.equal(mugBefore?.sold);
      expect(await usd.balanceOf(address)).to.equal(mug * 2n);

      // The very same call, made outside any guarded call, buys the mug: only the lock refused it above.
      const { orderId } = await placed(merchstand, receiver.execute(target, 0, buyMug));
      expect(orderId).to.equal((mugId << 40n) | BigInt(mugBefore?.sold ?? 0n));
      expect(await usd.balanceOf(address)).to.equal(mug);
      // And the bubbled order's credit is withdrawn once the attacker stops re-entering.
      const withdraw = merchstand.interface.encodeFunctionData("withdraw", [ZERO, address]);
      await expect(receiver.execute(target, 0, withdraw)).to.changeEtherBalances(
        fx.ethers,
        [address, target],
        [bubbled.order.amount, -bubbled.order.amount],
      );
      await expectConserved(fx, ZERO, [address]);
      await expectConserved(fx, usdAddress, [address]);
    });
  });
});
