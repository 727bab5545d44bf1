// Hostile ERC-20s. The allow-list is the first wall (CURRENCY_ROLE decides which tokens stores may sell in); these
// tests also assume the wall fails — a token allow-listed by mistake, or an allow-listed proxy token whose
// implementation turns hostile after orders exist — and check that no one can be paid twice, paid for nothing, or
// have a payment blocked in another currency.
import { expect } from "chai";
import type { FeeOnTransferToken, MaliciousToken } from "../../types/ethers-contracts/index.ts";
import { NO_CODE } from "../contracts/support/drops.ts";
import {
  BUYER_KEY,
  buyEth,
  buyUsd,
  deliverAndConfirm,
  expectConserved,
  type Fx,
  listProduct,
  load,
  openStore,
  packLine,
  placed,
  productInput,
  SHIPPING,
  Status,
  ship,
  variant,
  ZERO,
} from "../contracts/support/helpers.ts";

// MaliciousToken.Mode
const HONEST = 0;
const REENTER_ON_TRANSFER = 1;
const FALSE_ON_TRANSFER = 3;
const FALSE_ON_TRANSFER_FROM = 4;
const REVERT_ON_TRANSFER = 5;

const PRICE = 1_000n;

describe("Security: malicious ERC-20s", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  /** A MaliciousToken (honest for now), allow-listed, with a store selling a physical item and a digital one. */
  async function tokenStore() {
    const { merchstand, admin, seller, buyer, buyer2 } = fx;
    const token = (await fx.ethers.deployContract("MaliciousToken")) as unknown as MaliciousToken;
    const address = await token.getAddress();
    await (await merchstand.connect(admin).setCurrencyAllowed(address, true)).wait();
    const storeId = await openStore(fx, seller, { currency: address, payout: seller.address });
    const physicalId = await listProduct(fx, seller, storeId, productInput(), [variant("M", PRICE, 100)]);
    const digitalId = await listProduct(fx, seller, storeId, productInput({ digital: true, category: 5 }), [
      variant("PDF", PRICE, 100),
    ]);
    for (const b of [buyer, buyer2]) {
      await (await token.mint(b.address, 10n ** 9n)).wait();
      await (await token.connect(b).approve(await merchstand.getAddress(), 10n ** 9n)).wait();
    }
    return { token, address, storeId, physicalId, digitalId };
  }

  describe("a token that is not on the allow-list", () => {
    it("cannot back a store, so it never touches escrow", async () => {
      const { merchstand, other } = fx;
      const token = await fx.ethers.deployContract("MaliciousToken");
      const address = await token.getAddress();
      const input = {
        name: "Scam Store",
        metadataCid: "",
        payout: other.address,
        currency: address,
        shippingKey: `0x${"11".repeat(32)}`,
        terms: { arbiter: other.address, shipWindow: 7n * 86_400n, deliveryWindow: 14n * 86_400n },
      };
      await expect(merchstand.connect(other).openStore(input))
        .to.be.revertedWithCustomError(merchstand, "CurrencyNotAllowed")
        .withArgs(address);
    });
  });

  describe("a fee-on-transfer token allow-listed by mistake", () => {
    it("can never place an order, alone or in a cart, so escrow can never be short", async () => {
      const { merchstand, admin, seller, buyer } = fx;
      const fot = (await fx.ethers.deployContract("FeeOnTransferToken")) as unknown as FeeOnTransferToken;
      const address = await fot.getAddress();
      await (await merchstand.connect(admin).setCurrencyAllowed(address, true)).wait();
      const storeId = await openStore(fx, seller, { currency: address });
      const productId = await listProduct(fx, seller, storeId, productInput(), [variant("M", 10_000n, 10)]);
      await (await fot.mint(buyer.address, 10n ** 9n)).wait();
      await (await fot.connect(buyer).approve(await merchstand.getAddress(), 10n ** 9n)).wait();

      // 1% of 10,000 burnt on the way in.
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 2, 10_000n), SHIPPING))
        .to.be.revertedWithCustomError(merchstand, "FeeOnTransferToken")
        .withArgs(address, 20_000n, 19_800n);
      const cart = [
        {
          storeId,
          termsVersion: 1,
          lines: [{ productId, variant: 0, quantity: 3, maxUnitPrice: 10_000n }],
          shipping: SHIPPING,
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
      ];
      await expect(merchstand.connect(buyer).checkout(cart))
        .to.be.revertedWithCustomError(merchstand, "FeeOnTransferToken")
        .withArgs(address, 30_000n, 29_700n);

      const v = (await merchstand.getProduct(productId)).variants[0];
      expect(v?.stock).to.equal(10n);
      expect(v?.sold).to.equal(0n);
      expect(await fot.balanceOf(await merchstand.getAddress())).to.equal(0n);
      // Neither attempt left an order under the id the product's first order gets (productId << 40).
      expect(await merchstand.orderStatus(productId << 40n)).to.equal(Status.None);
    });
  });

  describe("a token whose transferFrom returns false", () => {
    it("cannot buy anything without paying", async () => {
      const { merchstand, buyer } = fx;
      const { token, address, physicalId, digitalId } = await tokenStore();
      await (await token.setMode(FALSE_ON_TRANSFER_FROM)).wait();
      for (const [productId, shipping] of [
        [physicalId, SHIPPING],
        [digitalId, BUYER_KEY],
      ] as const) {
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, PRICE), shipping))
          .to.be.revertedWithCustomError(merchstand, "SafeERC20FailedOperation")
          .withArgs(address);
        const v = (await merchstand.getProduct(productId)).variants[0];
        expect(v?.stock).to.equal(100n);
        expect(v?.sold).to.equal(0n);
        expect(await merchstand.orderStatus(productId << 40n)).to.equal(Status.None);
      }
      await expectConserved(fx, address);
    });
  });

  describe("a token whose transfer fails after orders exist", () => {
    for (const [label, mode, error] of [
      ["returns false", FALSE_ON_TRANSFER, "SafeERC20FailedOperation"],
      ["reverts (a blocklist or a paused token)", REVERT_ON_TRANSFER, "TransferBlocked"],
    ] as const) {
      it(`${label}: strands only that token's payouts, which go through in full once it recovers`, async () => {
        const { merchstand, seller, buyer, buyer2 } = fx;
        const { token, address, storeId, physicalId, digitalId } = await tokenStore();
        // Token money in every state: a store balance, buyer credits, an open order.
        await deliverAndConfirm(
          fx,
          buyer,
          await placed(merchstand, merchstand.connect(buyer).buy_oT9la(packLine(digitalId, 0, 3, PRICE), BUYER_KEY)),
        );
        const refunded = await placed(
          merchstand,
          merchstand.connect(buyer2).buy_oT9la(packLine(physicalId, 0, 2, PRICE), SHIPPING),
        );
        const open = await placed(
          merchstand,
          merchstand.connect(buyer).buy_oT9la(packLine(physicalId, 0, 1, PRICE), SHIPPING),
        );
        // And ETH and mUSD business in the same contract.
        const ethOrder = await buyEth(fx, buyer2, fx.shirtId);
        const usdOrder = await buyUsd(fx, buyer2);

        await (await token.setMode(mode)).wait();
        // The refund and the store's withdrawal cannot push the token: both are credited instead.
        await expect(merchstand.connect(seller).refund(refunded.orderId, refunded.order, refunded.order.amount))
          .to.emit(merchstand, "Credited")
          .withArgs(buyer2.address, address, refunded.order.amount);
        const storeBalance = (await merchstand.getStore(storeId)).balance;
        await expect(merchstand.withdrawStoreBalance(storeId))
          .to.emit(merchstand, "Credited")
          .withArgs(seller.address, address, storeBalance);
        const errorSource = mode === REVERT_ON_TRANSFER ? token : merchstand;
        await expect(merchstand.connect(buyer2).withdraw(address, buyer2.address)).to.be.revertedWithCustomError(
          errorSource,
          error,
        );
        await expect(merchstand.connect(seller).withdraw(address, seller.address)).to.be.revertedWithCustomError(
          errorSource,
          error,
        );
        expect(await merchstand.credits(seller.address, address)).to.equal(storeBalance);
        expect(await merchstand.credits(buyer2.address, address)).to.equal(refunded.order.amount);

        // Escrow in the token keeps moving where no token transfer is needed.
        const shipped = await ship(fx, open.orderId, open.order);
        await expect(merchstand.connect(buyer).complete(open.orderId, shipped)).to.emit(merchstand, "OrderCompleted");

        // Other currencies are untouched.
        await expect(
          merchstand.connect(fx.seller).refund(ethOrder.orderId, ethOrder.order, ethOrder.order.amount),
        ).to.changeEtherBalance(fx.ethers, buyer2, ethOrder.order.amount);
        const usdShipped = await ship(fx, usdOrder.orderId, usdOrder.order);
        await (await merchstand.connect(buyer2).complete(usdOrder.orderId, usdShipped)).wait();
        await expect(merchstand.withdrawStoreBalance(fx.usdStoreId)).to.emit(merchstand, "StoreWithdrawal");

        // Nothing was lost: once the token behaves, everyone is paid in full.
        await (await token.setMode(HONEST)).wait();
        const total = (await merchstand.getStore(storeId)).balance;
        await expect(merchstand.withdrawStoreBalance(storeId)).to.changeTokenBalance(fx.ethers, token, seller, total);
        await expect(merchstand.connect(seller).withdraw(address, seller.address)).to.changeTokenBalance(
          fx.ethers,
          token,
          seller,
          storeBalance,
        );
        await expect(merchstand.connect(buyer2).withdraw(address, buyer2.address)).to.changeTokenBalance(
          fx.ethers,
          token,
          buyer2,
          refunded.order.amount,
        );
        await expectConserved(fx, address);
        await expectConserved(fx, ZERO);
        await expectConserved(fx, await fx.usd.getAddress());
      });
    }

    it("never blocks the buyer's cancel (credited while the token fails) nor the store's refund", async () => {
      const { merchstand, seller, buyer } = fx;
      const { token, address, physicalId } = await tokenStore();
      const a = await placed(
        merchstand,
        merchstand.connect(buyer).buy_oT9la(packLine(physicalId, 0, 1, PRICE), SHIPPING),
      );
      const b = await placed(
        merchstand,
        merchstand.connect(buyer).buy_oT9la(packLine(physicalId, 0, 1, PRICE), SHIPPING),
      );
      await fx.networkHelpers.time.increase(7n * 86_400n);
      await (await token.setMode(REVERT_ON_TRANSFER)).wait();
      await expect(merchstand.connect(buyer).cancel(a.orderId, a.order))
        .to.emit(merchstand, "Credited")
        .withArgs(buyer.address, address, PRICE);
      expect(await merchstand.orderStatus(a.orderId)).to.equal(Status.Cancelled);
      await expect(merchstand.connect(seller).refund(b.orderId, b.order, b.order.amount)).to.emit(
        merchstand,
        "OrderRefunded",
      );
      await (await token.setMode(HONEST)).wait();
      await expect(merchstand.connect(buyer).withdraw(address, buyer.address)).to.changeTokenBalance(
        fx.ethers,
        token,
        buyer,
        PRICE * 2n,
      );
      await expectConserved(fx, address);
    });
  });

  describe("a token whose transfer hook re-enters", () => {
    it("cannot make a store payout pay twice", async () => {
      const { merchstand, seller, buyer } = fx;
      const { token, address, storeId, digitalId } = await tokenStore();
      await deliverAndConfirm(
        fx,
        buyer,
        await placed(merchstand, merchstand.connect(buyer).buy_oT9la(packLine(digitalId, 0, 5, PRICE), BUYER_KEY)),
      );
      const balance = (await merchstand.getStore(storeId)).balance;
      const again = merchstand.interface.encodeFunctionData("withdrawStoreBalance", [storeId]);
      await (await token.armReentry(REENTER_ON_TRANSFER, await merchstand.getAddress(), again, false)).wait();
      await expect(merchstand.withdrawStoreBalance(storeId)).to.changeTokenBalance(fx.ethers, token, seller, balance);
      expect(await token.reentrySucceeded()).to.equal(0n);
      expect(await token.reentryFailed()).to.equal(1n);
      expect((await merchstand.getStore(storeId)).balance).to.equal(0n);
      await expectConserved(fx, address);
    });
  });

  describe("a token taken off the allow-list", () => {
    it("stops new business in it while every open order still runs to its end", async () => {
      const { merchstand, admin, seller, buyer, buyer2, mugId } = fx;
      const usd = await fx.usd.getAddress();
      const toComplete = await buyUsd(fx, buyer);
      const toCancel = await buyUsd(fx, buyer2);
      const toRefund = await buyUsd(fx, buyer2);
      await (await merchstand.connect(admin).setCurrencyAllowed(usd, false)).wait();

      await expect(merchstand.connect(buyer).buy_oT9la(packLine(mugId, 0, 1, toComplete.order.amount), SHIPPING))
        .to.be.revertedWithCustomError(merchstand, "CurrencyNotAllowed")
        .withArgs(usd);
      const shipped = await ship(fx, toComplete.orderId, toComplete.order);
      await expect(merchstand.connect(buyer).complete(toComplete.orderId, shipped)).to.emit(
        merchstand,
        "OrderCompleted",
      );
      await expect(merchstand.connect(seller).refund(toRefund.orderId, toRefund.order, 1n)).to.emit(
        merchstand,
        "OrderPartiallyRefunded",
      );
      await fx.networkHelpers.time.increase(7n * 86_400n);
      await expect(merchstand.connect(buyer2).cancel(toCancel.orderId, toCancel.order)).to.emit(
        merchstand,
        "OrderCancelled",
      );
      await expect(merchstand.withdrawStoreBalance(fx.usdStoreId)).to.emit(merchstand, "StoreWithdrawal");
      // The refund and the cancel were paid straight to the buyer, in the de-listed token.
      expect(await merchstand.credits(buyer2.address, usd)).to.equal(0n);
      await expectConserved(fx, usd);
    });
  });
});
