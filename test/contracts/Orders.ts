import { expect } from "chai";
import { AbiCoder, keccak256 } from "ethers";
import {
  BUYER_KEY,
  buyEth,
  buyUsd,
  disputeOrder,
  expectConserved,
  type Fx,
  fee,
  fixtureTerms,
  load,
  type Order,
  pinNextTimestamp,
  refundUnit,
  Status,
  ship,
  stockOf,
  ZERO,
} from "./support/helpers.ts";

describe("Orders", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  const paid = (quantity = 1n) => buyEth(fx, fx.buyer, fx.shirtId, { quantity });
  async function shipped(quantity = 1n) {
    const { orderId, order } = await paid(quantity);
    return { orderId, order: await ship(fx, orderId, order) };
  }
  async function disputed(quantity = 1n) {
    const { orderId, order } = await shipped(quantity);
    return { orderId, order: await disputeOrder(fx, orderId, order) };
  }
  const setNext = (t: bigint) => fx.networkHelpers.time.setNextBlockTimestamp(t);

  describe("markShipped", () => {
    it("moves a paid order to Shipped and emits OrderShipped with the tracking reference", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const { orderId, order } = await paid();
      const t = await pinNextTimestamp(fx);
      await expect(merchstand.connect(seller).markShipped(orderId, order, "UPS 1Z999AA10123456784"))
        .to.emit(merchstand, "OrderShipped")
        .withArgs(orderId, ethStoreId, t, "UPS 1Z999AA10123456784");
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Shipped);
      // The order now carries shippedAt: the stale copy no longer matches, the updated one does.
      await expect(merchstand.connect(fx.buyer).complete(orderId, order))
        .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
        .withArgs(orderId);
      await expect(merchstand.connect(fx.buyer).complete(orderId, { ...order, shippedAt: t })).to.emit(
        merchstand,
        "OrderCompleted",
      );
    });

    it("lets a manager ship", async () => {
      const { merchstand, manager } = fx;
      const { orderId, order } = await paid();
      await ship(fx, orderId, order, manager);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Shipped);
    });

    describe("when the caller is not store staff", () => {
      it("reverts with NotStoreStaff", async () => {
        const { merchstand, buyer, ethStoreId } = fx;
        const { orderId, order } = await paid();
        await expect(merchstand.connect(buyer).markShipped(orderId, order, "x"))
          .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
          .withArgs(ethStoreId, buyer.address);
      });
    });

    describe("when the order passed does not match the commitment", () => {
      it("reverts with OrderMismatch for a forged field, another order's data or an unknown id", async () => {
        const { merchstand, seller } = fx;
        const a = await paid();
        const b = await paid();
        await expect(
          merchstand.connect(seller).markShipped(a.orderId, { ...a.order, amount: a.order.amount + 1n }, "x"),
        )
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(a.orderId);
        await expect(merchstand.connect(seller).markShipped(a.orderId, { ...a.order, buyer: seller.address }, "x"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(a.orderId);
        // Same content, but placedAt differs between the two orders, so each commitment is unique.
        await expect(merchstand.connect(seller).markShipped(b.orderId, a.order, "x"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(b.orderId);
        await expect(merchstand.connect(seller).markShipped(999, a.order, "x"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(999);
      });
    });

    describe("when the order is not Paid", () => {
      it("reverts with InvalidOrderStatus (already shipped, or a digital order already delivered)", async () => {
        const { merchstand, seller, buyer, ebookId } = fx;
        const { orderId, order } = await shipped();
        await expect(merchstand.connect(seller).markShipped(orderId, order, "x"))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Shipped);
        const digital = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
        await (await merchstand.connect(seller).deliver([digital.orderId], [digital.order], ["0x01"])).wait();
        const delivered = { ...digital.order, shippedAt: await fx.networkHelpers.time.latest().then(BigInt) };
        await expect(merchstand.connect(seller).markShipped(digital.orderId, delivered, "x"))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(digital.orderId, Status.Shipped);
      });
    });

    describe("when the tracking reference is empty or over 128 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, seller } = fx;
        const { orderId, order } = await paid();
        await expect(merchstand.connect(seller).markShipped(orderId, order, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, 128);
        await expect(merchstand.connect(seller).markShipped(orderId, order, "t".repeat(129)))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(129, 128);
        await expect(merchstand.connect(seller).markShipped(orderId, order, "t".repeat(128))).to.emit(
          merchstand,
          "OrderShipped",
        );
      });
    });

    it("still works while paused and after the store closed", async () => {
      const { merchstand, admin, seller, ethStoreId } = fx;
      const { orderId, order } = await paid();
      await merchstand.connect(seller).closeStore(ethStoreId);
      await merchstand.connect(admin).pause();
      await ship(fx, orderId, order);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Shipped);
    });
  });

  describe("complete", () => {
    it("lets the buyer confirm at once: the store is credited the amount less the fee", async () => {
      const { merchstand, buyer, feeRecipient, ethStoreId } = fx;
      const { orderId, order } = await shipped(2n);
      const f = fee(order.amount, order.feeBps);
      expect(f).to.be.greaterThan(0n);
      const before = (await merchstand.getStore(ethStoreId)).balance;
      const tx = merchstand.connect(buyer).complete(orderId, order);
      await expect(tx)
        .to.emit(merchstand, "OrderCompleted")
        .withArgs(orderId, ethStoreId, order.amount - f, f);
      // The fee is owed by the store without a Credited log: OrderCompleted's `fee` announces it (see IMerchstand).
      await expect(tx).not.to.emit(merchstand, "Credited");
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Completed);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(before + order.amount - f);
      expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(f);
      expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(0);
      await expectConserved(fx, ZERO);
    });

    describe("when someone other than the buyer completes", () => {
      it("reverts with TooEarly until the delivery window has passed, then succeeds", async () => {
        const { merchstand, other, ethStoreId } = fx;
        const { orderId, order } = await shipped();
        const { deliveryWindow } = await fixtureTerms(fx);
        const opensAt = order.shippedAt + deliveryWindow;
        await setNext(opensAt - 1n);
        await expect(merchstand.connect(other).complete(orderId, order))
          .to.be.revertedWithCustomError(merchstand, "TooEarly")
          .withArgs(orderId, opensAt);
        await setNext(opensAt);
        await expect(merchstand.connect(other).complete(orderId, order))
          .to.emit(merchstand, "OrderCompleted")
          .withArgs(
            orderId,
            ethStoreId,
            order.amount - fee(order.amount, order.feeBps),
            fee(order.amount, order.feeBps),
          );
      });
    });

    describe("when the order was not shipped", () => {
      it("reverts with InvalidOrderStatus, even for the buyer", async () => {
        const { merchstand, buyer } = fx;
        const { orderId, order } = await paid();
        await expect(merchstand.connect(buyer).complete(orderId, order))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Paid);
      });
    });

    describe("when the order already completed", () => {
      it("reverts with InvalidOrderStatus", async () => {
        const { merchstand, buyer } = fx;
        const { orderId, order } = await shipped();
        await merchstand.connect(buyer).complete(orderId, order);
        await expect(merchstand.connect(buyer).complete(orderId, order))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Completed);
      });
    });

    it("works while paused", async () => {
      const { merchstand, admin, buyer } = fx;
      const { orderId, order } = await shipped();
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(buyer).complete(orderId, order)).to.emit(merchstand, "OrderCompleted");
    });

    it("credits no fee when the order was placed at a zero fee", async () => {
      const { merchstand, admin, buyer, feeRecipient, ethStoreId } = fx;
      await merchstand.connect(admin).setFee(0);
      const { orderId, order } = await shipped();
      await expect(merchstand.connect(buyer).complete(orderId, order))
        .to.emit(merchstand, "OrderCompleted")
        .withArgs(orderId, ethStoreId, order.amount, 0);
      expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(0);
      expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(0);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(order.amount);
    });
  });

  describe("refund", () => {
    describe("in full", () => {
      it("ends a paid order, pays the buyer back and returns the stock", async () => {
        const { merchstand, seller, buyer, shirtId, ethStoreId, ethers } = fx;
        const stock = await stockOf(fx, shirtId);
        const { orderId, order } = await paid(3n);
        expect(await stockOf(fx, shirtId)).to.equal(stock - 3n);
        const tx = merchstand.connect(seller).refund(orderId, order, order.amount);
        await expect(tx).to.emit(merchstand, "OrderRefunded").withArgs(orderId, ethStoreId, order.amount);
        await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [order.amount, -order.amount]);
        await expect(tx).not.to.emit(merchstand, "Credited");
        expect(await merchstand.orderStatus(orderId)).to.equal(Status.Refunded);
        expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0);
        expect(await stockOf(fx, shirtId)).to.equal(stock);
        await expectConserved(fx, ZERO);
      });

      it("ends a shipped order too (a manager may refund)", async () => {
        const { merchstand, manager, ethStoreId } = fx;
        const { orderId, order } = await shipped();
        await expect(merchstand.connect(manager).refund(orderId, order, order.amount))
          .to.emit(merchstand, "OrderRefunded")
          .withArgs(orderId, ethStoreId, order.amount);
        expect(await merchstand.orderStatus(orderId)).to.equal(Status.Refunded);
      });
    });

    describe("in part", () => {
      it("leaves the order open with less in escrow and does not return stock", async () => {
        const { merchstand, seller, buyer, shirtId, ethStoreId, ethers } = fx;
        const { orderId, order } = await paid(2n);
        const stock = await stockOf(fx, shirtId);
        const part = order.amount / 4n;
        const tx = merchstand.connect(seller).refund(orderId, order, part);
        await expect(tx)
          .to.emit(merchstand, "OrderPartiallyRefunded")
          .withArgs(orderId, ethStoreId, part, order.amount - part);
        await expect(tx).to.changeEtherBalance(ethers, buyer, part);
        expect(await merchstand.orderStatus(orderId)).to.equal(Status.Paid);
        expect(await stockOf(fx, shirtId)).to.equal(stock);
        await expectConserved(fx, ZERO);

        // The order struct is unchanged (the refund is kept beside it), so the copy the buyer holds still works;
        // a copy with a lowered amount is someone else's idea of the order.
        expect((await merchstand.refundedUnits(orderId)) * refundUnit(order.amount)).to.equal(part);
        const lowered: Order = { ...order, amount: order.amount - part };
        await expect(merchstand.connect(seller).markShipped(orderId, lowered, "x"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(orderId);
        const sent = await ship(fx, orderId, order);
        // Completion releases only what is left, with the fee on that.
        const left = order.amount - part;
        const f = fee(left, order.feeBps);
        await expect(merchstand.connect(buyer).complete(orderId, sent))
          .to.emit(merchstand, "OrderCompleted")
          .withArgs(orderId, ethStoreId, left - f, f);
        await expectConserved(fx, ZERO);
      });

      it("twice, then the rest in full, ends the order and returns the stock", async () => {
        const { merchstand, seller, shirtId, ethStoreId, ethers } = fx;
        const stock = await stockOf(fx, shirtId);
        const { orderId, order } = await paid(2n);
        const before = await ethers.provider.getBalance(fx.buyer.address);
        // Partial refunds are rounded up to the order's refund unit: 1 wei asked pays one unit, 2 wei another.
        const unit = refundUnit(order.amount);
        await expect(merchstand.connect(seller).refund(orderId, order, 1n))
          .to.emit(merchstand, "OrderPartiallyRefunded")
          .withArgs(orderId, ethStoreId, unit, order.amount - unit);
        await merchstand.connect(seller).refund(orderId, order, unit + 1n);
        expect(await merchstand.refundedUnits(orderId)).to.equal(3n);
        const left = order.amount - 3n * unit;
        await expect(merchstand.connect(seller).refund(orderId, order, left + 1n))
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(orderId, left + 1n, left);
        // Within a unit of the escrow, a partial refund would empty it when rounded: refused, not made a full one.
        await expect(merchstand.connect(seller).refund(orderId, order, left - 1n))
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(orderId, left - 1n, left);
        await expect(merchstand.connect(seller).refund(orderId, order, left))
          .to.emit(merchstand, "OrderRefunded")
          .withArgs(orderId, ethStoreId, left);
        expect(await merchstand.orderStatus(orderId)).to.equal(Status.Refunded);
        expect(await stockOf(fx, shirtId)).to.equal(stock);
        expect((await ethers.provider.getBalance(fx.buyer.address)) - before).to.equal(order.amount);
      });
    });

    describe("when the amount is zero or more than is escrowed", () => {
      it("reverts with InvalidAmount", async () => {
        const { merchstand, seller } = fx;
        const { orderId, order } = await paid();
        await expect(merchstand.connect(seller).refund(orderId, order, 0))
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(orderId, 0, order.amount);
        await expect(merchstand.connect(seller).refund(orderId, order, order.amount + 1n))
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(orderId, order.amount + 1n, order.amount);
      });
    });

    describe("when the caller is not store staff (the buyer included)", () => {
      it("reverts with NotStoreStaff", async () => {
        const { merchstand, buyer, ethStoreId } = fx;
        const { orderId, order } = await paid();
        await expect(merchstand.connect(buyer).refund(orderId, order, order.amount))
          .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
          .withArgs(ethStoreId, buyer.address);
      });
    });

    describe("when the order is Completed or Cancelled", () => {
      it("reverts with InvalidOrderStatus", async () => {
        const { merchstand, seller, buyer } = fx;
        const c = await shipped();
        await merchstand.connect(buyer).complete(c.orderId, c.order);
        await expect(merchstand.connect(seller).refund(c.orderId, c.order, 1))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(c.orderId, Status.Completed);
        const x = await paid();
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        await (await merchstand.connect(buyer).cancel(x.orderId, x.order)).wait();
        await expect(merchstand.connect(seller).refund(x.orderId, x.order, 1))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(x.orderId, Status.Cancelled);
      });
    });

    describe("when the order is Disputed", () => {
      it("refunds only the whole escrow (the store concedes): a part reverts with InvalidAmount", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        const d = await disputed();
        await expect(merchstand.connect(seller).refund(d.orderId, d.order, 1))
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(d.orderId, 1, d.order.amount);
        await expect(merchstand.connect(seller).refund(d.orderId, d.order, d.order.amount))
          .to.emit(merchstand, "OrderRefunded")
          .withArgs(d.orderId, ethStoreId, d.order.amount);
        expect(await merchstand.orderStatus(d.orderId)).to.equal(Status.Refunded);
      });
    });

    it("works while paused", async () => {
      const { merchstand, admin, seller } = fx;
      const { orderId, order } = await paid();
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(seller).refund(orderId, order, order.amount)).to.emit(
        merchstand,
        "OrderRefunded",
      );
    });

    it("returns stock saturating at the uint32 maximum, so a restock can never block a refund", async () => {
      const { merchstand, seller, shirtId } = fx;
      const { orderId, order } = await paid(2n);
      const max = 2n ** 32n - 1n;
      await merchstand.connect(seller).setVariantStock(shirtId, 0, max);
      await expect(merchstand.connect(seller).refund(orderId, order, order.amount)).to.emit(
        merchstand,
        "OrderRefunded",
      );
      expect(await stockOf(fx, shirtId)).to.equal(max);
    });

    it("in an ERC-20 pays the buyer in that token", async () => {
      const { merchstand, seller, buyer, usd, ethers } = fx;
      const { orderId, order } = await buyUsd(fx, buyer);
      await expect(merchstand.connect(seller).refund(orderId, order, order.amount)).to.changeTokenBalance(
        ethers,
        usd,
        buyer,
        order.amount,
      );
      expect(await merchstand.credits(buyer.address, await usd.getAddress())).to.equal(0);
      expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0);
      await expectConserved(fx, await usd.getAddress());
    });
  });

  describe("cancel", () => {
    describe("before the ship window has passed", () => {
      it("reverts with TooEarly", async () => {
        const { merchstand, buyer } = fx;
        const { orderId, order } = await paid();
        const { shipWindow } = await fixtureTerms(fx);
        await setNext(order.placedAt + shipWindow - 1n);
        await expect(merchstand.connect(buyer).cancel(orderId, order))
          .to.be.revertedWithCustomError(merchstand, "TooEarly")
          .withArgs(orderId, order.placedAt + shipWindow);
      });
    });

    describe("once the ship window has passed unshipped", () => {
      it("pays the buyer back directly and returns the stock", async () => {
        const { merchstand, buyer, shirtId, ethStoreId, ethers } = fx;
        const stock = await stockOf(fx, shirtId);
        const { orderId, order } = await paid(2n);
        const { shipWindow } = await fixtureTerms(fx);
        await setNext(order.placedAt + shipWindow);
        const tx = merchstand.connect(buyer).cancel(orderId, order);
        await expect(tx).to.emit(merchstand, "OrderCancelled").withArgs(orderId, ethStoreId, order.amount);
        await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [order.amount, -order.amount]);
        expect(await merchstand.orderStatus(orderId)).to.equal(Status.Cancelled);
        expect(await stockOf(fx, shirtId)).to.equal(stock);
        await expectConserved(fx, ZERO);
      });

      it("cannot be blocked by staff setting stock to the uint32 maximum", async () => {
        const { merchstand, seller, buyer, shirtId } = fx;
        const { orderId, order } = await paid();
        const max = 2n ** 32n - 1n;
        await merchstand.connect(seller).setVariantStock(shirtId, 0, max);
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        await expect(merchstand.connect(buyer).cancel(orderId, order)).to.emit(merchstand, "OrderCancelled");
        expect(await stockOf(fx, shirtId)).to.equal(max);
      });

      it("pays an ERC-20 order back in the token", async () => {
        const { merchstand, buyer, usd, ethers } = fx;
        const { orderId, order } = await buyUsd(fx, buyer, 2n);
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        await expect(merchstand.connect(buyer).cancel(orderId, order)).to.changeTokenBalances(
          ethers,
          usd,
          [buyer, merchstand],
          [order.amount, -order.amount],
        );
        await expectConserved(fx, await usd.getAddress());
      });

      it("works while paused", async () => {
        const { merchstand, admin, buyer } = fx;
        const { orderId, order } = await paid();
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        await merchstand.connect(admin).pause();
        await expect(merchstand.connect(buyer).cancel(orderId, order)).to.emit(merchstand, "OrderCancelled");
      });
    });

    describe("when the caller is not the buyer", () => {
      it("reverts with NotBuyer", async () => {
        const { merchstand, other, seller } = fx;
        const { orderId, order } = await paid();
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        for (const who of [other, seller]) {
          await expect(merchstand.connect(who).cancel(orderId, order))
            .to.be.revertedWithCustomError(merchstand, "NotBuyer")
            .withArgs(orderId, who.address);
        }
      });
    });

    describe("when the order was shipped (before the ship window ended)", () => {
      it("reverts with InvalidOrderStatus", async () => {
        const { merchstand, buyer } = fx;
        const { orderId, order } = await paid();
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow - 100n);
        const sent = await ship(fx, orderId, order);
        await fx.networkHelpers.time.increase(200n);
        await expect(merchstand.connect(buyer).cancel(orderId, sent))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Shipped);
      });
    });
  });

  describe("dispute", () => {
    it("freezes a shipped order within the delivery window and emits OrderDisputed", async () => {
      const { merchstand, buyer, ethStoreId } = fx;
      const { orderId, order } = await shipped();
      const { deliveryWindow } = await fixtureTerms(fx);
      const t = order.shippedAt + deliveryWindow - 1n;
      await setNext(t);
      await expect(merchstand.connect(buyer).dispute(orderId, order, "box arrived empty"))
        .to.emit(merchstand, "OrderDisputed")
        .withArgs(orderId, ethStoreId, t, "box arrived empty");
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Disputed);
    });

    describe("once the delivery window has passed", () => {
      it("reverts with TooLate", async () => {
        const { merchstand, buyer } = fx;
        const { orderId, order } = await shipped();
        const closesAt = order.shippedAt + (await fixtureTerms(fx)).deliveryWindow;
        await setNext(closesAt);
        await expect(merchstand.connect(buyer).dispute(orderId, order, "late"))
          .to.be.revertedWithCustomError(merchstand, "TooLate")
          .withArgs(orderId, closesAt);
      });
    });

    describe("when the order is not shipped", () => {
      it("reverts with InvalidOrderStatus", async () => {
        const { merchstand, buyer } = fx;
        const { orderId, order } = await paid();
        await expect(merchstand.connect(buyer).dispute(orderId, order, "x"))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Paid);
      });
    });

    describe("when the caller is not the buyer", () => {
      it("reverts with NotBuyer", async () => {
        const { merchstand, other } = fx;
        const { orderId, order } = await shipped();
        await expect(merchstand.connect(other).dispute(orderId, order, "x"))
          .to.be.revertedWithCustomError(merchstand, "NotBuyer")
          .withArgs(orderId, other.address);
      });
    });

    describe("when the reason is over 280 bytes", () => {
      it("reverts with InvalidLength (an empty reason is allowed)", async () => {
        const { merchstand, buyer } = fx;
        const { orderId, order } = await shipped();
        await expect(merchstand.connect(buyer).dispute(orderId, order, "r".repeat(281)))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(281, 280);
        await expect(merchstand.connect(buyer).dispute(orderId, order, "")).to.emit(merchstand, "OrderDisputed");
      });
    });

    it("blocks completion, shipping and a second dispute", async () => {
      const { merchstand, buyer, other, seller } = fx;
      const { orderId, order } = await disputed();
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).deliveryWindow);
      for (const call of [
        () => merchstand.connect(buyer).complete(orderId, order),
        () => merchstand.connect(other).complete(orderId, order),
        () => merchstand.connect(seller).markShipped(orderId, order, "x"),
        () => merchstand.connect(buyer).dispute(orderId, order, "again"),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Disputed);
      }
    });

    it("works while paused", async () => {
      const { merchstand, admin, buyer } = fx;
      const { orderId, order } = await shipped();
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(buyer).dispute(orderId, order, "x")).to.emit(merchstand, "OrderDisputed");
    });
  });

  describe("resolveDispute", () => {
    it("splits the escrow: the buyer's share paid to the buyer, the rest to the store less the fee", async () => {
      const { merchstand, arbiter, buyer, feeRecipient, ethStoreId, ethers } = fx;
      const { orderId, order } = await disputed(2n);
      const toBuyer = order.amount / 3n;
      const rest = order.amount - toBuyer;
      const f = fee(rest, order.feeBps);
      const before = (await merchstand.getStore(ethStoreId)).balance;
      const tx = merchstand.connect(arbiter).resolveDispute(orderId, order, toBuyer);
      await expect(tx)
        .to.emit(merchstand, "DisputeResolved")
        .withArgs(orderId, ethStoreId, toBuyer, rest - f, f, true);
      await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [toBuyer, -toBuyer]);
      await expect(tx).not.to.emit(merchstand, "Credited");
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Resolved);
      expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0);
      expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(f);
      expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(0);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(before + rest - f);
      await expectConserved(fx, ZERO);
    });

    it("all to the buyer takes no fee; nothing to the buyer pays no buyer", async () => {
      const { merchstand, arbiter, buyer, ethStoreId, ethers } = fx;
      const a = await disputed();
      const all = merchstand.connect(arbiter).resolveDispute(a.orderId, a.order, a.order.amount);
      await expect(all)
        .to.emit(merchstand, "DisputeResolved")
        .withArgs(a.orderId, ethStoreId, a.order.amount, 0, 0, true);
      await expect(all).to.changeEtherBalance(ethers, buyer, a.order.amount);
      expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(0);
      const b = await disputed();
      const f = fee(b.order.amount, b.order.feeBps);
      const tx = merchstand.connect(arbiter).resolveDispute(b.orderId, b.order, 0);
      await expect(tx)
        .to.emit(merchstand, "DisputeResolved")
        .withArgs(b.orderId, ethStoreId, 0, b.order.amount - f, f, true);
      // Neither the buyer (nothing to pay) nor the fee recipient (fees are announced by DisputeResolved) gets a
      // Credited log.
      await expect(tx).not.to.emit(merchstand, "Credited");
      await expect(tx).to.changeEtherBalance(ethers, buyer, 0);
      expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(f);
      await expectConserved(fx, ZERO);
    });

    describe("when the caller is not the order's arbiter", () => {
      it("reverts with NotArbiter (the seller, the buyer, the admin)", async () => {
        const { merchstand, seller, buyer, admin } = fx;
        const { orderId, order } = await disputed();
        for (const who of [seller, buyer, admin]) {
          await expect(merchstand.connect(who).resolveDispute(orderId, order, 0))
            .to.be.revertedWithCustomError(merchstand, "NotArbiter")
            .withArgs(orderId, who.address);
        }
      });
    });

    describe("when the buyer's share is more than is escrowed", () => {
      it("reverts with InvalidAmount", async () => {
        const { merchstand, arbiter } = fx;
        const { orderId, order } = await disputed();
        await expect(merchstand.connect(arbiter).resolveDispute(orderId, order, order.amount + 1n))
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(orderId, order.amount + 1n, order.amount);
      });
    });

    describe("when the order is not disputed", () => {
      it("reverts with InvalidOrderStatus", async () => {
        const { merchstand, arbiter } = fx;
        const { orderId, order } = await shipped();
        await expect(merchstand.connect(arbiter).resolveDispute(orderId, order, 0))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Shipped);
      });
    });

    it("lets the arbiter rule late while nobody has settled the dispute by default", async () => {
      const { merchstand, arbiter } = fx;
      const { orderId, order } = await disputed();
      await fx.networkHelpers.time.increase(await merchstand.ARBITER_WINDOW());
      await expect(merchstand.connect(arbiter).resolveDispute(orderId, order, 1)).to.emit(
        merchstand,
        "DisputeResolved",
      );
      await expect(merchstand.resolveExpiredDispute(orderId, order))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Resolved);
    });

    it("works while paused", async () => {
      const { merchstand, admin, arbiter } = fx;
      const { orderId, order } = await disputed();
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(arbiter).resolveDispute(orderId, order, 0)).to.emit(
        merchstand,
        "DisputeResolved",
      );
    });
  });

  describe("resolveExpiredDispute", () => {
    describe("before ARBITER_WINDOW has passed", () => {
      it("reverts with TooEarly", async () => {
        const { merchstand, other } = fx;
        const { orderId, order } = await disputed();
        const opensAt = order.disputedAt + BigInt(await merchstand.ARBITER_WINDOW());
        await setNext(opensAt - 1n);
        await expect(merchstand.connect(other).resolveExpiredDispute(orderId, order))
          .to.be.revertedWithCustomError(merchstand, "TooEarly")
          .withArgs(orderId, opensAt);
      });
    });

    describe("once ARBITER_WINDOW has passed", () => {
      it("lets anyone give everything back to the buyer, with no fee", async () => {
        const { merchstand, other, buyer, ethStoreId, ethers } = fx;
        const { orderId, order } = await disputed();
        const opensAt = order.disputedAt + BigInt(await merchstand.ARBITER_WINDOW());
        await setNext(opensAt);
        const tx = merchstand.connect(other).resolveExpiredDispute(orderId, order);
        await expect(tx)
          .to.emit(merchstand, "DisputeResolved")
          .withArgs(orderId, ethStoreId, order.amount, 0, 0, false);
        await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [order.amount, -order.amount]);
        expect(await merchstand.orderStatus(orderId)).to.equal(Status.Resolved);
        expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0);
        await expectConserved(fx, ZERO);
      });

      it("works while paused", async () => {
        const { merchstand, admin, other } = fx;
        const { orderId, order } = await disputed();
        await fx.networkHelpers.time.increase(await merchstand.ARBITER_WINDOW());
        await merchstand.connect(admin).pause();
        await expect(merchstand.connect(other).resolveExpiredDispute(orderId, order)).to.emit(
          merchstand,
          "DisputeResolved",
        );
      });
    });

    describe("when the order is not disputed", () => {
      it("reverts with InvalidOrderStatus", async () => {
        const { merchstand } = fx;
        const { orderId, order } = await shipped();
        await fx.networkHelpers.time.increase(await merchstand.ARBITER_WINDOW());
        await expect(merchstand.resolveExpiredDispute(orderId, order))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(orderId, Status.Shipped);
      });
    });
  });

  describe("terms in force when the order was placed", () => {
    it("keep deciding the arbiter and the windows after the store changes its terms", async () => {
      const { merchstand, seller, buyer, arbiter, other, ethStoreId } = fx;
      const v1 = await fixtureTerms(fx);
      const old = await paid();
      const v2 = { arbiter: other.address, shipWindow: v1.shipWindow * 2n, deliveryWindow: v1.deliveryWindow * 2n };
      await merchstand.connect(seller).setStoreTerms(ethStoreId, v2);
      const fresh = await paid();
      expect(old.order.termsVersion).to.equal(1);
      expect(fresh.order.termsVersion).to.equal(2);

      // The old order's ship window is still v1's.
      await setNext(old.order.placedAt + v1.shipWindow);
      await expect(merchstand.connect(buyer).cancel(old.orderId, old.order)).to.emit(merchstand, "OrderCancelled");
      await expect(merchstand.connect(buyer).cancel(fresh.orderId, fresh.order))
        .to.be.revertedWithCustomError(merchstand, "TooEarly")
        .withArgs(fresh.orderId, fresh.order.placedAt + v2.shipWindow);

      // Disputes go to the arbiter of the order's own terms.
      const a = await shipped();
      await merchstand.connect(seller).setStoreTerms(ethStoreId, { ...v2, arbiter: arbiter.address });
      const d = { orderId: a.orderId, order: await disputeOrder(fx, a.orderId, a.order) };
      expect(d.order.termsVersion).to.equal(2);
      await expect(merchstand.connect(arbiter).resolveDispute(d.orderId, d.order, 0))
        .to.be.revertedWithCustomError(merchstand, "NotArbiter")
        .withArgs(d.orderId, arbiter.address);
      await expect(merchstand.connect(other).resolveDispute(d.orderId, d.order, 0)).to.emit(
        merchstand,
        "DisputeResolved",
      );
    });

    it("keep the price charged when the store changes it", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      const { orderId, order } = await shipped();
      const charged = order.lines[0]?.unitPrice ?? 0n;
      await merchstand.connect(seller).setVariantPrice(shirtId, 0, charged * 10n);
      await expect(merchstand.connect(buyer).complete(orderId, order))
        .to.emit(merchstand, "OrderCompleted")
        .withArgs(orderId, order.storeId, charged - fee(charged, order.feeBps), fee(charged, order.feeBps));
    });
  });

  describe("hashOrder", () => {
    it("is keccak256 of the ABI-encoded order with the low 48 bits (the order's state) cleared", async () => {
      const { merchstand } = fx;
      const { order } = await paid(2n);
      const param = merchstand.interface.getFunction("hashOrder").inputs[0];
      if (param === undefined) throw new Error("no input");
      const local = BigInt(keccak256(AbiCoder.defaultAbiCoder().encode([param], [order]))) & ~((1n << 48n) - 1n);
      expect(BigInt(await merchstand.hashOrder(order))).to.equal(local);
      expect(BigInt(await merchstand.hashOrder({ ...order, amount: order.amount - 1n }))).to.not.equal(local);
    });
  });

  describe("orderStatus", () => {
    it("is None for an id that was never used", async () => {
      const { merchstand } = fx;
      expect(await merchstand.orderStatus(12345)).to.equal(Status.None);
    });
  });
});
