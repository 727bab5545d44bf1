// The counterparty moves first: for each fan action (buy, checkout, cancel, dispute, confirm, review, withdraw) and
// each store, staff, arbiter or admin action that can be mined before it in the same block, the fan either succeeds
// or keeps a working exit. Both transactions go into one block (automine off), the counterparty's first: it pays the
// higher priority fee, and the test checks the receipts' order. The argument, party by party, is in
// docs/SECURITY.md ("Counterparty moves first").
import { expect } from "chai";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import type { BlocklistToken, RevertingReceiver } from "../../types/ethers-contracts/index.ts";
import { NO_CODE } from "../contracts/support/drops.ts";
import {
  BUYER_KEY,
  buyEth,
  disputeOrder,
  expectConserved,
  type Fx,
  fee,
  fixtureTerms,
  load,
  type Order,
  openStore,
  packLine,
  placed,
  priceOf,
  refundUnit,
  SHIPPING,
  Status,
  ship,
  ZERO,
} from "../contracts/support/helpers.ts";

const GWEI = 1_000_000_000n;
/** The counterparty pays the higher tip so the block orders it first; both carry a fixed gas limit (no estimate). */
const FIRST = { gasLimit: 1_000_000, maxPriorityFeePerGas: 50n * GWEI, maxFeePerGas: 500n * GWEI };
const SECOND = { gasLimit: 1_000_000, maxPriorityFeePerGas: 1n * GWEI, maxFeePerGas: 500n * GWEI };

describe("Security: the counterparty moves first", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  /** Mines `first` and `second` in one block, `first` ahead, and returns both receipts (failed ones included). */
  async function sameBlock(
    first: (o: typeof FIRST) => Promise<ContractTransactionResponse>,
    second: (o: typeof SECOND) => Promise<ContractTransactionResponse>,
  ): Promise<{ a: TransactionReceipt; b: TransactionReceipt }> {
    const { provider } = fx.ethers;
    await provider.send("evm_setAutomine", [false]);
    let ha: string;
    let hb: string;
    try {
      ha = (await first(FIRST)).hash;
      hb = (await second(SECOND)).hash;
      await provider.send("evm_mine", []);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const a = await provider.getTransactionReceipt(ha);
    const b = await provider.getTransactionReceipt(hb);
    if (a === null || b === null) throw new Error("a transaction was not mined");
    expect(b.blockNumber, "both in one block").to.equal(a.blockNumber);
    expect(a.index, "the counterparty's transaction ran first").to.be.lessThan(b.index);
    return { a, b };
  }

  const shipWindow = async () => (await fixtureTerms(fx)).shipWindow;

  describe("when the store changes its terms in front of a purchase", () => {
    it("reverts the fan's buy with TermsChanged naming both versions, and takes nothing", async () => {
      const { merchstand, seller, buyer, ethStoreId, shirtId, arbiter } = fx;
      const price = await priceOf(fx, shirtId);
      const worse = { arbiter: seller.address, shipWindow: 60n * 86_400n, deliveryWindow: 90n * 86_400n };
      const stock = (await merchstand.getProduct(shirtId)).variants[0]?.stock;
      const { a, b } = await sameBlock(
        (o) => merchstand.connect(seller).setStoreTerms(ethStoreId, worse, o),
        (o) => merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price, 1), SHIPPING, { value: price, ...o }),
      );
      expect(a.status).to.equal(1);
      expect(b.status, "the fan's buy reverted").to.equal(0);
      await expect(
        merchstand.connect(buyer).buy_oT9la.staticCall(packLine(shirtId, 0, 1, price, 1), SHIPPING, { value: price }),
      )
        .to.be.revertedWithCustomError(merchstand, "TermsChanged")
        .withArgs(ethStoreId, 1, 2);
      expect((await merchstand.getProduct(shirtId)).variants[0]?.stock).to.equal(stock);
      expect(await fx.ethers.provider.getBalance(await merchstand.getAddress())).to.equal(0n);
      // The fan, shown the new terms (the store is now its own arbiter), can decide again.
      expect((await merchstand.storeTerms(ethStoreId, 2)).arbiter).to.not.equal(arbiter.address);
    });

    it("reverts the fan's checkout with TermsChanged, all or nothing", async () => {
      const { merchstand, seller, buyer, ethStoreId, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      const terms = await fixtureTerms(fx);
      const cart = [
        {
          storeId: ethStoreId,
          termsVersion: 1,
          lines: [{ productId: shirtId, variant: 1, quantity: 1, maxUnitPrice: price }],
          shipping: SHIPPING,
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
      ];
      const { b } = await sameBlock(
        (o) => merchstand.connect(seller).setStoreTerms(ethStoreId, { ...terms, shipWindow: terms.shipWindow * 2n }, o),
        (o) => merchstand.connect(buyer).checkout(cart, { value: price, ...o }),
      );
      expect(b.status).to.equal(0);
      await expect(merchstand.connect(buyer).checkout.staticCall(cart, { value: price }))
        .to.be.revertedWithCustomError(merchstand, "TermsChanged")
        .withArgs(ethStoreId, 1, 2);
    });
  });

  describe("when staff mark an order shipped in front of the fan's cancel", () => {
    it("refuses the late shipment with TooLate at the ship deadline, and the cancel pays the fan back", async () => {
      const { merchstand, seller, buyer, shirtId, ethers } = fx;
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      const deadline = order.placedAt + (await shipWindow());
      await fx.networkHelpers.time.increaseTo(deadline);
      const before = await ethers.provider.getBalance(buyer.address);
      const { a, b } = await sameBlock(
        (o) => merchstand.connect(seller).markShipped(orderId, order, "DHL late", o),
        (o) => merchstand.connect(buyer).cancel(orderId, order, o),
      );
      expect(a.status, "the late shipment was refused").to.equal(0);
      expect(b.status, "the cancel went through").to.equal(1);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Cancelled);
      const gas = b.gasUsed * b.gasPrice;
      expect(await ethers.provider.getBalance(buyer.address)).to.equal(before + order.amount - gas);
      await expect(merchstand.connect(seller).markShipped.staticCall(orderId, order, "DHL late"))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Cancelled);
    });

    it("refuses markShipped with TooLate carrying the deadline once the cancel is open", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      const deadline = order.placedAt + (await shipWindow());
      await fx.networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(merchstand.connect(seller).markShipped(orderId, order, "DHL"))
        .to.be.revertedWithCustomError(merchstand, "TooLate")
        .withArgs(orderId, deadline);
    });

    it("refuses a late delivery of a digital order the same way (skipped in a batch)", async () => {
      const { merchstand, seller, buyer, ebookId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
      await fx.networkHelpers.time.increaseTo(order.placedAt + (await shipWindow()));
      const { a, b } = await sameBlock(
        (o) => merchstand.connect(seller).deliver([orderId], [order], ["0x01aa"], o),
        (o) => merchstand.connect(buyer).cancel(orderId, order, o),
      );
      expect(a.status).to.equal(1);
      expect(b.status).to.equal(1);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Cancelled);
    });
  });

  describe("when staff refund a little in front of the fan", () => {
    it("keeps the fan's cancel valid: the order struct is unchanged and the rest is paid back", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      await fx.networkHelpers.time.increase(await shipWindow());
      const { a, b } = await sameBlock(
        (o) => merchstand.connect(seller).refund(orderId, order, 1n, o),
        (o) => merchstand.connect(buyer).cancel(orderId, order, o),
      );
      expect([a.status, b.status]).to.deep.equal([1, 1]);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Cancelled);
      // 1 wei asked is one refund unit paid (IMerchstand `refund` rounds up), counted beside the commitment.
      const unit = refundUnit(order.amount);
      expect(await merchstand.refundedUnits(orderId)).to.equal(1n);
      const cancelled = b.logs.map((l) => merchstand.interface.parseLog(l)).find((e) => e?.name === "OrderCancelled");
      expect(cancelled?.args.amount, "the cancel pays back the rest").to.equal(order.amount - unit);
      expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0n);
      await expectConserved(fx, ZERO);
    });

    it("keeps the fan's dispute valid, with the delivery window unchanged", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      const bought = await buyEth(fx, buyer, shirtId);
      const shipped = await ship(fx, bought.orderId, bought.order);
      const { a, b } = await sameBlock(
        (o) => merchstand.connect(seller).refund(bought.orderId, shipped, 1n, o),
        (o) => merchstand.connect(buyer).dispute(bought.orderId, shipped, "never arrived", o),
      );
      expect([a.status, b.status]).to.deep.equal([1, 1]);
      expect(await merchstand.orderStatus(bought.orderId)).to.equal(Status.Disputed);
      expect(await merchstand.refundedUnits(bought.orderId)).to.equal(1n);
    });

    it("keeps the fan's confirmation valid: the store is paid what is left, less the fee", async () => {
      const { merchstand, seller, buyer, shirtId, ethStoreId } = fx;
      const bought = await buyEth(fx, buyer, shirtId);
      const shipped = await ship(fx, bought.orderId, bought.order);
      const before = (await merchstand.getStore(ethStoreId)).balance;
      const { b } = await sameBlock(
        (o) => merchstand.connect(seller).refund(bought.orderId, shipped, 1000n, o),
        (o) => merchstand.connect(buyer).complete(bought.orderId, shipped, o),
      );
      expect(b.status).to.equal(1);
      const left = shipped.amount - refundUnit(shipped.amount);
      expect((await merchstand.getStore(ethStoreId)).balance - before).to.equal(left - fee(left, shipped.feeBps));
    });
  });

  describe("when staff refund in full in front of the fan's dispute", () => {
    it("reverts the dispute, but the fan has already been paid the whole escrow", async () => {
      const { merchstand, seller, buyer, shirtId, ethers } = fx;
      const bought = await buyEth(fx, buyer, shirtId);
      const shipped = await ship(fx, bought.orderId, bought.order);
      const escrow = await ethers.provider.getBalance(await merchstand.getAddress());
      const { a, b } = await sameBlock(
        (o) => merchstand.connect(seller).refund(bought.orderId, shipped, shipped.amount, o),
        (o) => merchstand.connect(buyer).dispute(bought.orderId, shipped, "torn", o),
      );
      expect(b.status).to.equal(0);
      await expect(merchstand.connect(buyer).dispute.staticCall(bought.orderId, shipped, "torn"))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(bought.orderId, Status.Refunded);
      const names = a.logs.map((l) => merchstand.interface.parseLog(l)?.name);
      expect(names).to.include("OrderRefunded");
      expect(names, "paid, not credited").to.not.include("Credited");
      expect(await ethers.provider.getBalance(await merchstand.getAddress())).to.equal(escrow - shipped.amount);
      expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0n);
    });
  });

  describe("when the store concedes a dispute", () => {
    it("refunds the whole escrow to the fan and ends the order Refunded", async () => {
      const { merchstand, seller, buyer, shirtId, ethStoreId, ethers } = fx;
      const bought = await buyEth(fx, buyer, shirtId);
      const disputed = await disputeOrder(fx, bought.orderId, await ship(fx, bought.orderId, bought.order));
      await expect(merchstand.connect(seller).refund(bought.orderId, disputed, disputed.amount - 1n))
        .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
        .withArgs(bought.orderId, disputed.amount - 1n, disputed.amount);
      const conceded = merchstand.connect(seller).refund(bought.orderId, disputed, disputed.amount);
      await expect(conceded).to.emit(merchstand, "OrderRefunded").withArgs(bought.orderId, ethStoreId, disputed.amount);
      await expect(conceded).to.changeEtherBalance(ethers, buyer, disputed.amount);
      expect(await merchstand.orderStatus(bought.orderId)).to.equal(Status.Refunded);
    });
  });

  describe("when an admin moves first", () => {
    it("lets the fan cancel, dispute, confirm and withdraw through a pause", async () => {
      const { merchstand, admin, seller, buyer, shirtId, other, ethers } = fx;
      // A buyer contract that refuses ETH holds its refund as a credit, to withdraw during the pause.
      const receiver = (await ethers.deployContract("RevertingReceiver")) as unknown as RevertingReceiver;
      const target = await merchstand.getAddress();
      const price = await priceOf(fx, shirtId);
      const buy = merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(shirtId, 0, 1, price), SHIPPING]);
      const w = await placed(merchstand, receiver.execute(target, price, buy, { value: price }));
      await (await merchstand.connect(seller).refund(w.orderId, w.order, 1n)).wait();
      const unit = refundUnit(w.order.amount);
      expect(await merchstand.credits(await receiver.getAddress(), ZERO)).to.equal(unit);
      const x = await buyEth(fx, buyer, shirtId);
      const y = await buyEth(fx, buyer, shirtId, { variant: 1 });
      const z = await buyEth(fx, buyer, shirtId, { variant: 2 });
      const yShipped = await ship(fx, y.orderId, y.order);
      const zShipped = await ship(fx, z.orderId, z.order);
      await (await merchstand.connect(seller).refund(z.orderId, zShipped, 1n)).wait();
      await fx.networkHelpers.time.increase(await shipWindow());
      const { b } = await sameBlock(
        (o) => merchstand.connect(admin).pause(o),
        (o) => merchstand.connect(buyer).cancel(x.orderId, x.order, o),
      );
      expect(b.status).to.equal(1);
      await expect(merchstand.connect(buyer).dispute(y.orderId, yShipped, "late")).to.emit(merchstand, "OrderDisputed");
      await expect(merchstand.connect(buyer).complete(z.orderId, zShipped)).to.emit(merchstand, "OrderCompleted");
      const withdraw = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      await expect(receiver.execute(target, 0, withdraw)).to.changeEtherBalance(ethers, other, unit);
    });

    it("lets the fan's buy through a fee change: the fan pays the price, the fee comes out of the store's share", async () => {
      const { merchstand, admin, buyer, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      const { b } = await sameBlock(
        (o) => merchstand.connect(admin).setFee(1000, o),
        (o) => merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), SHIPPING, { value: price, ...o }),
      );
      expect(b.status).to.equal(1);
      const placedLog = b.logs.map((l) => merchstand.interface.parseLog(l)).find((e) => e?.name === "OrderPlaced");
      const info = BigInt(placedLog?.args.info ?? 0n);
      expect((info >> 32n) & 0xffffn, "the order carries the new fee").to.equal(1000n);
      expect(await fx.ethers.provider.getBalance(await merchstand.getAddress()), "the fan paid the price").to.equal(
        price,
      );
    });

    it("lets the fan cancel and be paid in a token the admin just de-listed", async () => {
      const { merchstand, admin, buyer, usd, mugId } = fx;
      const price = await priceOf(fx, mugId);
      await (await usd.connect(buyer).approve(await merchstand.getAddress(), price)).wait();
      const { orderId, order } = await placed(
        merchstand,
        merchstand.connect(buyer).buy_oT9la(packLine(mugId, 0, 1, price), SHIPPING),
      );
      await fx.networkHelpers.time.increase(await shipWindow());
      const token = await usd.getAddress();
      const before = await usd.balanceOf(buyer.address);
      const { b } = await sameBlock(
        (o) => merchstand.connect(admin).setCurrencyAllowed(token, false, o),
        (o) => merchstand.connect(buyer).cancel(orderId, order, o),
      );
      expect(b.status).to.equal(1);
      expect((await usd.balanceOf(buyer.address)) - before).to.equal(order.amount);
      expect(await merchstand.credits(buyer.address, token)).to.equal(0n);
    });
  });

  describe("when the fan cannot receive the payment", () => {
    it("credits a buyer the token blocklisted after paying, who withdraws to another address", async () => {
      const { merchstand, admin, seller, buyer, other, ethers } = fx;
      const token = (await ethers.deployContract("BlocklistToken")) as unknown as BlocklistToken;
      const tokenAddress = await token.getAddress();
      await (await merchstand.connect(admin).setCurrencyAllowed(tokenAddress, true)).wait();
      const storeId = await openStore(fx, seller, { currency: tokenAddress, name: "Blocklist Store" });
      await (
        await merchstand
          .connect(seller)
          .listProduct(storeId, { name: "Tee", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
            { label: "M", price: 20_000_000n, stock: 5 },
          ])
      ).wait();
      const productId = (await merchstand.getProducts(0, 0))[1];
      await (await token.mint(buyer.address, 20_000_000n)).wait();
      await (await token.connect(buyer).approve(await merchstand.getAddress(), 20_000_000n)).wait();
      const { orderId, order } = await placed(
        merchstand,
        merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 20_000_000n), SHIPPING),
      );
      await (await token.connect(admin).setBlocklisted(buyer.address, true)).wait();
      await fx.networkHelpers.time.increase(await shipWindow());

      await expect(merchstand.connect(buyer).cancel(orderId, order))
        .to.emit(merchstand, "OrderCancelled")
        .withArgs(orderId, storeId, order.amount)
        .and.to.emit(merchstand, "Credited")
        .withArgs(buyer.address, tokenAddress, order.amount);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Cancelled);
      await (await merchstand.connect(buyer).withdraw(tokenAddress, other.address)).wait();
      expect(await token.balanceOf(other.address)).to.equal(order.amount);
      await expectConserved(fx, tokenAddress);
    });

    it("credits a refund and a ruling to a buyer the token blocklisted after paying", async () => {
      const { merchstand, admin, seller, buyer, arbiter, other, ethers } = fx;
      const token = (await ethers.deployContract("BlocklistToken")) as unknown as BlocklistToken;
      const tokenAddress = await token.getAddress();
      await (await merchstand.connect(admin).setCurrencyAllowed(tokenAddress, true)).wait();
      const storeId = await openStore(fx, seller, {
        currency: tokenAddress,
        name: "Blocklist Store",
        terms: { ...(await fixtureTerms(fx)), arbiter: arbiter.address },
      });
      await (
        await merchstand
          .connect(seller)
          .listProduct(storeId, { name: "Tee", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
            { label: "M", price: 20_000_000n, stock: 5 },
          ])
      ).wait();
      const productId = (await merchstand.getProducts(0, 0))[1];
      await (await token.mint(buyer.address, 40_000_000n)).wait();
      await (await token.connect(buyer).approve(await merchstand.getAddress(), 40_000_000n)).wait();
      const buy = () =>
        placed(merchstand, merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 20_000_000n), SHIPPING));
      const refunded = await buy();
      const ruled = await buy();
      const disputed = await disputeOrder(fx, ruled.orderId, await ship(fx, ruled.orderId, ruled.order));
      await (await token.connect(admin).setBlocklisted(buyer.address, true)).wait();

      // Neither the store's refund nor the arbiter's ruling depends on the token accepting the buyer.
      await expect(merchstand.connect(seller).refund(refunded.orderId, refunded.order, 5_000_000n))
        .to.emit(merchstand, "Credited")
        .withArgs(buyer.address, tokenAddress, 5_000_000n);
      await expect(merchstand.connect(arbiter).resolveDispute(ruled.orderId, disputed, 8_000_000n))
        .to.emit(merchstand, "Credited")
        .withArgs(buyer.address, tokenAddress, 8_000_000n);
      await (await merchstand.connect(buyer).withdraw(tokenAddress, other.address)).wait();
      expect(await token.balanceOf(other.address)).to.equal(13_000_000n);
      await expectConserved(fx, tokenAddress);
    });

    it("credits a buyer contract that rejects ETH, which withdraws to an address that takes it", async () => {
      const { merchstand, shirtId, other, ethers } = fx;
      const receiver = (await ethers.deployContract("RevertingReceiver")) as unknown as RevertingReceiver;
      const receiverAddress = await receiver.getAddress();
      const target = await merchstand.getAddress();
      const price = await priceOf(fx, shirtId);
      const buy = merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(shirtId, 0, 1, price), SHIPPING]);
      const { orderId, order } = await placed(merchstand, receiver.execute(target, price, buy, { value: price }));
      await fx.networkHelpers.time.increase(await shipWindow());
      const cancel = merchstand.interface.encodeFunctionData("cancel", [orderId, order]);
      await expect(receiver.execute(target, 0, cancel))
        .to.emit(merchstand, "Credited")
        .withArgs(receiverAddress, ZERO, order.amount);
      const withdraw = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      await expect(receiver.execute(target, 0, withdraw)).to.changeEtherBalance(ethers, other, order.amount);
      await expectConserved(fx, ZERO, [receiverAddress]);
    });

    /** A buyer contract (RevertingReceiver or GasBurner) places a shirt order; returns it shipped and disputed. */
    async function puppetDisputes(name: "RevertingReceiver" | "GasBurner") {
      const { merchstand, shirtId, ethers } = fx;
      const puppet = (await ethers.deployContract(name)) as unknown as RevertingReceiver;
      const target = await merchstand.getAddress();
      const price = await priceOf(fx, shirtId);
      const buy = merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(shirtId, 0, 1, price), SHIPPING]);
      const { orderId, order } = await placed(merchstand, puppet.execute(target, price, buy, { value: price }));
      const shipped = await ship(fx, orderId, order);
      const dispute = merchstand.interface.encodeFunctionData("dispute", [orderId, shipped, "torn"]);
      const receipt = await (await puppet.execute(target, 0, dispute)).wait();
      const log = receipt?.logs.map((l) => merchstand.interface.parseLog(l)).find((e) => e?.name === "OrderDisputed");
      return {
        puppet,
        address: await puppet.getAddress(),
        orderId,
        order,
        disputed: { ...shipped, disputedAt: BigInt(log?.args.disputedAt) },
      };
    }

    it("credits a refund and a ruling a buyer contract refuses, and the store's and arbiter's calls go through", async () => {
      const { merchstand, seller, arbiter, other, ethers } = fx;
      const { puppet, address, orderId, disputed } = await puppetDisputes("RevertingReceiver");
      const half = disputed.amount / 2n;
      await expect(merchstand.connect(arbiter).resolveDispute(orderId, disputed, half))
        .to.emit(merchstand, "Credited")
        .withArgs(address, ZERO, half);
      const second = await puppetDisputes("RevertingReceiver");
      await expect(merchstand.connect(seller).refund(second.orderId, second.disputed, second.disputed.amount))
        .to.emit(merchstand, "Credited")
        .withArgs(second.address, ZERO, second.disputed.amount);
      const withdraw = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      await expect(puppet.execute(await merchstand.getAddress(), 0, withdraw)).to.changeEtherBalance(
        ethers,
        other,
        half,
      );
      await expectConserved(fx, ZERO, [address, second.address]);
    });

    it("caps what a gas-burning buyer can burn of the arbiter's or anyone's gas; its share is credited", async () => {
      const { merchstand, arbiter, other } = fx;
      const a = await puppetDisputes("GasBurner");
      const ruled = await (
        await merchstand
          .connect(arbiter)
          .resolveDispute(a.orderId, a.disputed, a.disputed.amount, { gasLimit: 10_000_000 })
      ).wait();
      // The push may burn its 10,000 allowance; the rest is the ruling and the fallback credit in a new slot.
      expect(ruled?.gasUsed).to.be.below(100_000n);
      expect(await merchstand.credits(a.address, ZERO)).to.equal(a.disputed.amount);
      const b = await puppetDisputes("GasBurner");
      await fx.networkHelpers.time.increase(Number(await merchstand.ARBITER_WINDOW()));
      const expired = await (
        await merchstand.connect(other).resolveExpiredDispute(b.orderId, b.disputed, { gasLimit: 10_000_000 })
      ).wait();
      expect(expired?.gasUsed).to.be.below(100_000n);
      expect(await merchstand.credits(b.address, ZERO)).to.equal(b.disputed.amount);
      await expectConserved(fx, ZERO, [a.address, b.address]);
    });
  });

  describe("when the fan reviews or confirms after a store or admin move in the same block", () => {
    it("posts the review through a pause, and confirms through a change of terms", async () => {
      const { merchstand, admin, seller, buyer, shirtId, ethStoreId } = fx;
      const a = await buyEth(fx, buyer, shirtId);
      const aShipped = await ship(fx, a.orderId, a.order);
      await (await merchstand.connect(buyer).complete(a.orderId, aShipped)).wait();
      const { b: reviewed } = await sameBlock(
        (o) => merchstand.connect(admin).pause(o),
        (o) => merchstand.connect(buyer).review(a.orderId, aShipped, shirtId, 4, "fits", o),
      );
      expect(reviewed.status).to.equal(1);
      expect(await merchstand.isReviewed(a.orderId, aShipped, shirtId)).to.equal(true);
      await (await merchstand.connect(admin).unpause()).wait();

      const c = await buyEth(fx, buyer, shirtId, { variant: 1 });
      const cShipped = await ship(fx, c.orderId, c.order);
      const terms = await fixtureTerms(fx);
      const { b: confirmed } = await sameBlock(
        (o) => merchstand.connect(seller).setStoreTerms(ethStoreId, { ...terms, arbiter: seller.address }, o),
        (o) => merchstand.connect(buyer).complete(c.orderId, cShipped, o),
      );
      expect(confirmed.status).to.equal(1);
      expect(await merchstand.orderStatus(c.orderId)).to.equal(Status.Completed);
    });
  });

  describe("when the fan reviews", () => {
    it("needs the store to have kept the admin's minimum; a refunded order cannot review", async () => {
      const { merchstand, admin, seller, buyer, shirtId } = fx;
      const bought = await buyEth(fx, buyer, shirtId);
      const shipped = await ship(fx, bought.orderId, bought.order);
      await expect(merchstand.connect(admin).setMinReviewValue(ZERO, shipped.amount))
        .to.emit(merchstand, "MinReviewValueSet")
        .withArgs(ZERO, shipped.amount);
      expect(await merchstand.minReviewValue(ZERO)).to.equal(shipped.amount);
      await expect(merchstand.connect(seller).setMinReviewValue(ZERO, 0))
        .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
        .withArgs(seller.address, await merchstand.CURRENCY_ROLE());
      await (await merchstand.connect(seller).refund(bought.orderId, shipped, 1n)).wait();
      await (await merchstand.connect(buyer).complete(bought.orderId, shipped)).wait();
      await expect(merchstand.connect(buyer).review(bought.orderId, shipped, shirtId, 5, "ok"))
        .to.be.revertedWithCustomError(merchstand, "ReviewValueTooLow")
        .withArgs(bought.orderId, shipped.amount - refundUnit(shipped.amount), shipped.amount);

      const full = await buyEth(fx, buyer, shirtId);
      await (await merchstand.connect(seller).refund(full.orderId, full.order, full.order.amount)).wait();
      await expect(merchstand.connect(buyer).review(full.orderId, full.order, shirtId, 5, "ok"))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(full.orderId, Status.Refunded);
    });
  });

  describe("per-buyer limits", () => {
    it("frees refunded and cancelled units, so a fan refunded for the wrong size can buy again", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      await (await merchstand.connect(seller).setProductLimit(shirtId, 1)).wait();
      const first = await buyEth(fx, buyer, shirtId);
      await expect(buyEth(fx, buyer, shirtId, { variant: 1 })).to.be.revertedWithCustomError(
        merchstand,
        "PerBuyerLimitExceeded",
      );
      await (await merchstand.connect(seller).refund(first.orderId, first.order, first.order.amount)).wait();
      expect(await merchstand.boughtBy(shirtId, buyer.address)).to.equal(0n);
      const second = await buyEth(fx, buyer, shirtId, { variant: 1 });
      await fx.networkHelpers.time.increase(await shipWindow());
      await (await merchstand.connect(buyer).cancel(second.orderId, second.order)).wait();
      expect(await merchstand.boughtBy(shirtId, buyer.address)).to.equal(0n);
      const third: { order: Order } = await buyEth(fx, buyer, shirtId, { variant: 2 });
      expect(third.order.lines[0]?.variant).to.equal(2n);
    });
  });
});
