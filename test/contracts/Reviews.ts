import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { NO_CODE } from "./support/drops.ts";
import {
  BUYER_KEY,
  buyEth,
  deliverDigital,
  disputeOrder,
  type Fx,
  fixtureTerms,
  listProduct,
  load,
  placedAll,
  priceOf,
  productInput,
  SHIPPING,
  Status,
  ship,
  variant,
} from "./support/helpers.ts";

describe("Reviews", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  async function completedShirt(buyer = fx.buyer) {
    const { orderId, order } = await buyEth(fx, buyer, fx.shirtId);
    const sent = await ship(fx, orderId, order);
    await (await fx.merchstand.connect(buyer).complete(orderId, sent)).wait();
    return { orderId, order: sent };
  }

  /** A completed cart order of one unit of `first`, then one of `second` (variant 0 of each, from the ETH store). */
  async function completedCart(first: bigint, second: bigint) {
    const { merchstand, buyer, ethStoreId } = fx;
    const lines = [];
    for (const productId of [first, second]) {
      lines.push({ productId, variant: 0, quantity: 1, maxUnitPrice: await priceOf(fx, productId) });
    }
    const value = lines.reduce((sum, l) => sum + l.maxUnitPrice, 0n);
    const tx = merchstand
      .connect(buyer)
      .checkout(
        [{ storeId: ethStoreId, termsVersion: 1, lines, shipping: SHIPPING, zone: 0, maxShipping: 0n, code: NO_CODE }],
        { value },
      );
    const receipt = await (await tx).wait();
    if (receipt === null) throw new Error("no receipt");
    const [placed] = await placedAll(merchstand, receipt);
    if (placed === undefined) throw new Error("no order");
    const sent = await ship(fx, placed.orderId, placed.order);
    await (await merchstand.connect(buyer).complete(placed.orderId, sent)).wait();
    return { orderId: placed.orderId, order: sent };
  }

  describe("review", () => {
    it("lets the buyer of a completed order rate a product and keeps the count and sum", async () => {
      const { merchstand, buyer, shirtId } = fx;
      const { orderId, order } = await completedShirt();
      await expect(merchstand.connect(buyer).review(orderId, order, shirtId, 4, "Great print, runs small."))
        .to.emit(merchstand, "ReviewPosted")
        .withArgs(shirtId, orderId, buyer.address, 4, 0, [0, 0, 0], "Great print, runs small.");
      const p = await merchstand.getProduct(shirtId);
      expect(p.ratingCount).to.equal(1);
      expect(p.ratingSum).to.equal(4);
      expect(await merchstand.isReviewed(orderId, order, shirtId)).to.equal(true);

      const second = await completedShirt(fx.buyer2);
      await merchstand.connect(fx.buyer2).review(second.orderId, second.order, shirtId, 1, "");
      const q = await merchstand.getProduct(shirtId);
      expect(q.ratingCount).to.equal(2);
      expect(q.ratingSum).to.equal(5);
    });

    it("accepts a digital order once delivered and confirmed, not before", async () => {
      const { merchstand, buyer, ebookId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
      await expect(merchstand.connect(buyer).review(orderId, order, ebookId, 5, "bafyreview"))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
      const delivered = await deliverDigital(fx, { orderId, order });
      await expect(merchstand.connect(buyer).review(orderId, delivered, ebookId, 5, "bafyreview"))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Shipped);
      await (await merchstand.connect(buyer).complete(orderId, delivered)).wait();
      await expect(merchstand.connect(buyer).review(orderId, delivered, ebookId, 5, "bafyreview")).to.emit(
        merchstand,
        "ReviewPosted",
      );
    });

    it("accepts a ticket as soon as it is delivered", async () => {
      const { merchstand, seller, buyer, ethStoreId } = fx;
      const ticketId = await listProduct(fx, seller, ethStoreId, productInput({ category: 3, digital: true }), [
        variant("GA", 10n ** 16n, 100),
      ]);
      const { orderId, order } = await buyEth(fx, buyer, ticketId, { shipping: BUYER_KEY });
      await expect(merchstand.connect(buyer).review(orderId, order, ticketId, 5, "see you there"))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
      const delivered = await deliverDigital(fx, { orderId, order });
      await expect(merchstand.connect(buyer).review(orderId, delivered, ticketId, 5, "great gig"))
        .to.emit(merchstand, "ReviewPosted")
        .withArgs(ticketId, orderId, buyer.address, 5, 0, [0, 0, 0], "great gig");
    });

    it("accepts a Resolved order", async () => {
      const { merchstand, buyer, arbiter, shirtId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      const sent = await ship(fx, orderId, order);
      const d = await disputeOrder(fx, orderId, sent);
      await merchstand.connect(arbiter).resolveDispute(orderId, d, d.amount / 2n);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Resolved);
      await expect(merchstand.connect(buyer).review(orderId, d, shirtId, 2, "half refunded")).to.emit(
        merchstand,
        "ReviewPosted",
      );
    });

    it("allows one review per product of a cart order", async () => {
      const { merchstand, seller, buyer, shirtId, ethStoreId } = fx;
      const ebookId = await listProduct(fx, seller, ethStoreId, productInput({ name: "Cap" }), [
        variant("One size", 10n ** 16n, 5),
      ]);
      const { orderId, order } = await completedCart(shirtId, ebookId);
      await merchstand.connect(buyer).review(orderId, order, shirtId, 5, "");
      await merchstand.connect(buyer).review(orderId, order, ebookId, 3, "");
      expect(await merchstand.isReviewed(orderId, order, shirtId)).to.equal(true);
      expect(await merchstand.isReviewed(orderId, order, ebookId)).to.equal(true);
    });

    // Each product's flags sit in the order's state at its first line: they must work on their own, whichever is
    // reviewed or answered first.
    it("keeps the review flags of each product of a cart order apart", async () => {
      const { merchstand, seller, buyer, shirtId, ethStoreId } = fx;
      const capId = await listProduct(fx, seller, ethStoreId, productInput({ name: "Cap" }), [
        variant("One size", 10n ** 16n, 5),
      ]);
      const { orderId, order: sent } = await completedCart(capId, shirtId);
      // The second product first: the first product's flags stay clear.
      await merchstand.connect(buyer).review(orderId, sent, shirtId, 4, "");
      expect(await merchstand.isReviewed(orderId, sent, shirtId)).to.equal(true);
      expect(await merchstand.isReviewed(orderId, sent, capId)).to.equal(false);
      await expect(merchstand.connect(seller).replyToReview(orderId, sent, capId, "thanks"))
        .to.be.revertedWithCustomError(merchstand, "CannotReply")
        .withArgs(orderId, capId);
      await merchstand.connect(seller).replyToReview(orderId, sent, shirtId, "thanks");
      expect(await merchstand.isReviewed(orderId, sent, shirtId)).to.equal(true);
      expect(await merchstand.isReviewed(orderId, sent, capId)).to.equal(false);
      await merchstand.connect(buyer).review(orderId, sent, capId, 5, "");
      expect(await merchstand.isReviewed(orderId, sent, capId)).to.equal(true);
      await expect(merchstand.connect(buyer).review(orderId, sent, capId, 5, ""))
        .to.be.revertedWithCustomError(merchstand, "AlreadyReviewed")
        .withArgs(orderId, capId);
      await expect(merchstand.connect(buyer).review(orderId, sent, shirtId, 5, ""))
        .to.be.revertedWithCustomError(merchstand, "AlreadyReviewed")
        .withArgs(orderId, shirtId);
      await merchstand.connect(seller).replyToReview(orderId, sent, capId, "thanks");
      expect(await merchstand.isReviewed(orderId, sent, capId)).to.equal(true);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Completed);
    });

    // A ticket's review and reply land in its order's slot while the order is still open: they must leave the Order
    // the buyer holds valid, and the order's later changes must keep them.
    it("keeps a ticket's review and reply through the order's later changes", async () => {
      const { merchstand, seller, buyer, arbiter, ethStoreId } = fx;
      const ticketId = await listProduct(fx, seller, ethStoreId, productInput({ category: 3, digital: true }), [
        variant("GA", 10n ** 16n, 100),
      ]);
      const { orderId, order } = await buyEth(fx, buyer, ticketId, { shipping: BUYER_KEY });
      const delivered = await deliverDigital(fx, { orderId, order });
      await merchstand.connect(buyer).review(orderId, delivered, ticketId, 5, "great gig");
      await merchstand.connect(seller).replyToReview(orderId, delivered, ticketId, "see you next tour");
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Shipped);
      // The struct held from before the review still matches: the dispute goes through.
      const disputed = await disputeOrder(fx, orderId, delivered);
      expect(await merchstand.isReviewed(orderId, disputed, ticketId)).to.equal(true);
      await merchstand.connect(arbiter).resolveDispute(orderId, disputed, 0n);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Resolved);
      expect(await merchstand.isReviewed(orderId, disputed, ticketId)).to.equal(true);
      await expect(merchstand.connect(buyer).review(orderId, disputed, ticketId, 1, "again"))
        .to.be.revertedWithCustomError(merchstand, "AlreadyReviewed")
        .withArgs(orderId, ticketId);
      // A second reply is an edit: the latest one shows (client/orders.ts reviewsOf), and the order is untouched.
      const before = await merchstand.orderStatus(orderId);
      await expect(merchstand.connect(seller).replyToReview(orderId, disputed, ticketId, "again"))
        .to.emit(merchstand, "ReviewReplied")
        .withArgs(ticketId, orderId, anyValue, anyValue, "again");
      expect(await merchstand.orderStatus(orderId)).to.equal(before);
    });

    it("works while paused", async () => {
      const { merchstand, admin, buyer, shirtId } = fx;
      const { orderId, order } = await completedShirt();
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(buyer).review(orderId, order, shirtId, 5, "")).to.emit(
        merchstand,
        "ReviewPosted",
      );
    });

    describe("when the order is not Completed or Resolved", () => {
      it("reverts with InvalidOrderStatus for Paid, Shipped, Disputed, Refunded and Cancelled orders", async () => {
        const { merchstand, buyer, seller, shirtId } = fx;
        const p = await buyEth(fx, buyer, shirtId);
        await expect(merchstand.connect(buyer).review(p.orderId, p.order, shirtId, 5, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(p.orderId, Status.Paid);
        const sent = await ship(fx, p.orderId, p.order);
        await expect(merchstand.connect(buyer).review(p.orderId, sent, shirtId, 5, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(p.orderId, Status.Shipped);
        const d = await disputeOrder(fx, p.orderId, sent);
        await expect(merchstand.connect(buyer).review(p.orderId, d, shirtId, 5, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(p.orderId, Status.Disputed);

        const r = await buyEth(fx, buyer, shirtId);
        await merchstand.connect(seller).refund(r.orderId, r.order, r.order.amount);
        await expect(merchstand.connect(buyer).review(r.orderId, r.order, shirtId, 5, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(r.orderId, Status.Refunded);

        const c = await buyEth(fx, buyer, shirtId);
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        await merchstand.connect(buyer).cancel(c.orderId, c.order);
        await expect(merchstand.connect(buyer).review(c.orderId, c.order, shirtId, 5, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
          .withArgs(c.orderId, Status.Cancelled);
      });
    });

    describe("when the caller is not the buyer", () => {
      it("reverts with NotBuyer", async () => {
        const { merchstand, other, seller, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        for (const who of [other, seller]) {
          await expect(merchstand.connect(who).review(orderId, order, shirtId, 5, "fake"))
            .to.be.revertedWithCustomError(merchstand, "NotBuyer")
            .withArgs(orderId, who.address);
        }
      });
    });

    describe("when the order passed is forged", () => {
      it("reverts with OrderMismatch (a stranger cannot claim someone else's order)", async () => {
        const { merchstand, other, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        await expect(merchstand.connect(other).review(orderId, { ...order, buyer: other.address }, shirtId, 5, "fake"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(orderId);
      });
    });

    describe("when the buyer already reviewed the product for this order", () => {
      it("reverts with AlreadyReviewed", async () => {
        const { merchstand, buyer, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        await merchstand.connect(buyer).review(orderId, order, shirtId, 5, "");
        await expect(merchstand.connect(buyer).review(orderId, order, shirtId, 1, "changed my mind"))
          .to.be.revertedWithCustomError(merchstand, "AlreadyReviewed")
          .withArgs(orderId, shirtId);
        const p = await merchstand.getProduct(shirtId);
        expect(p.ratingCount).to.equal(1);
        expect(p.ratingSum).to.equal(5);
      });
    });

    describe("when the product is not part of the order", () => {
      it("reverts with ProductNotInOrder", async () => {
        const { merchstand, buyer, ebookId } = fx;
        const { orderId, order } = await completedShirt();
        await expect(merchstand.connect(buyer).review(orderId, order, ebookId, 5, ""))
          .to.be.revertedWithCustomError(merchstand, "ProductNotInOrder")
          .withArgs(orderId, ebookId);
      });
    });

    describe("when the rating is not 1..5", () => {
      it("reverts with InvalidRating", async () => {
        const { merchstand, buyer, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        for (const rating of [0, 6, 255]) {
          await expect(merchstand.connect(buyer).review(orderId, order, shirtId, rating, ""))
            .to.be.revertedWithCustomError(merchstand, "InvalidRating")
            .withArgs(rating);
        }
        await expect(merchstand.connect(buyer).review(orderId, order, shirtId, 1, "")).to.emit(
          merchstand,
          "ReviewPosted",
        );
      });
    });

    describe("when the text is over 280 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, buyer, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        await expect(merchstand.connect(buyer).review(orderId, order, shirtId, 3, "x".repeat(281)))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(281, 280);
        await expect(merchstand.connect(buyer).review(orderId, order, shirtId, 3, "x".repeat(280))).to.emit(
          merchstand,
          "ReviewPosted",
        );
      });
    });
  });

  describe("replyToReview", () => {
    it("lets staff reply, and reply again (an edit: the latest shows), three replies an order, with ReviewReplied", async () => {
      const { merchstand, buyer, manager, seller, shirtId } = fx;
      const { orderId, order } = await completedShirt();
      const posted = await (
        await merchstand.connect(buyer).review(orderId, order, shirtId, 2, "faded after one wash")
      ).wait();
      // The reply is a step of the product's review history: it points back to the review's block.
      await expect(merchstand.connect(manager).replyToReview(orderId, order, shirtId, "Sorry! Write to us for a swap."))
        .to.emit(merchstand, "ReviewReplied")
        .withArgs(shirtId, orderId, posted?.blockNumber, [0, 0, 0], "Sorry! Write to us for a swap.");
      expect(await merchstand.isReviewed(orderId, order, shirtId)).to.equal(true);
      // The edit is a new step of the history, pointing back at the first reply's block.
      const firstReply = await fx.ethers.provider.getBlockNumber();
      await expect(
        merchstand.connect(seller).replyToReview(orderId, order, shirtId, "Swapped: thanks for the patience."),
      )
        .to.emit(merchstand, "ReviewReplied")
        .withArgs(shirtId, orderId, firstReply, anyValue, "Swapped: thanks for the patience.");
      // The count sits beside the status, outside the hash: the buyer's Order still works.
      await expect(merchstand.connect(buyer).review(orderId, order, shirtId, 5, ""))
        .to.be.revertedWithCustomError(merchstand, "AlreadyReviewed")
        .withArgs(orderId, shirtId);
      await expect(merchstand.connect(seller).replyToReview(orderId, order, shirtId, "third")).to.emit(
        merchstand,
        "ReviewReplied",
      );
      // A fourth is refused: replies add to the review history only what verified reviews paid for.
      await expect(merchstand.connect(manager).replyToReview(orderId, order, shirtId, "fourth"))
        .to.be.revertedWithCustomError(merchstand, "CannotReply")
        .withArgs(orderId, shirtId);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Completed);
    });

    describe("when there is no review to reply to", () => {
      it("reverts with CannotReply", async () => {
        const { merchstand, seller, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        await expect(merchstand.connect(seller).replyToReview(orderId, order, shirtId, "thanks"))
          .to.be.revertedWithCustomError(merchstand, "CannotReply")
          .withArgs(orderId, shirtId);
      });
    });

    describe("when the caller is not staff of the product's store", () => {
      it("reverts with NotStoreStaff", async () => {
        const { merchstand, buyer, other, shirtId, ethStoreId } = fx;
        const { orderId, order } = await completedShirt();
        await merchstand.connect(buyer).review(orderId, order, shirtId, 5, "");
        await expect(merchstand.connect(other).replyToReview(orderId, order, shirtId, "hi"))
          .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
          .withArgs(ethStoreId, other.address);
      });
    });

    describe("when the product is not in the order", () => {
      it("reverts with ProductNotInOrder", async () => {
        const { merchstand, buyer, seller, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        await merchstand.connect(buyer).review(orderId, order, shirtId, 5, "");
        await expect(merchstand.connect(seller).replyToReview(orderId, order, 999, "hi"))
          .to.be.revertedWithCustomError(merchstand, "ProductNotInOrder")
          .withArgs(orderId, 999);
      });
    });

    describe("when the order given is not the order's", () => {
      it("reverts with OrderMismatch", async () => {
        const { merchstand, buyer, seller, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        await merchstand.connect(buyer).review(orderId, order, shirtId, 5, "");
        await expect(merchstand.connect(seller).replyToReview(orderId, { ...order, amount: 1n }, shirtId, "hi"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(orderId);
      });
    });

    describe("when the text is empty or over 280 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, buyer, seller, shirtId } = fx;
        const { orderId, order } = await completedShirt();
        await merchstand.connect(buyer).review(orderId, order, shirtId, 5, "");
        await expect(merchstand.connect(seller).replyToReview(orderId, order, shirtId, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, 280);
        await expect(merchstand.connect(seller).replyToReview(orderId, order, shirtId, "y".repeat(281)))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(281, 280);
      });
    });

    it("works while paused", async () => {
      const { merchstand, admin, buyer, seller, shirtId } = fx;
      const { orderId, order } = await completedShirt();
      await merchstand.connect(buyer).review(orderId, order, shirtId, 5, "");
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(seller).replyToReview(orderId, order, shirtId, "thank you")).to.emit(
        merchstand,
        "ReviewReplied",
      );
    });
  });
});
