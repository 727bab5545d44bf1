// The counterparty moves first, for the drop toolkit (docs/SECURITY.md, "The drop toolkit's rules"): a zone, code,
// drop or door action of the store mined in the same block right in front of a fan's buy, checkout or dispute. The
// fan's transaction either goes through or reverts with nothing taken (the fan pays only its gas), and the fan's
// exits stay open. Both transactions go into one block, the store's first (support/drops.ts sameBlock). The races
// test/contracts/Drops.ts already runs (a rate or price rise, an opening moved, a code used twice, a ticket on two
// devices, a ship date moved in front of a one-line buy) are not repeated here.
import { expect } from "chai";
import type { ContractTransactionReceipt } from "ethers";
import { type Code, NO_CODE, options, sameBlock, signCode } from "../contracts/support/drops.ts";
import {
  BUYER_KEY,
  buyEth,
  deliverDigital,
  disputeOrder,
  type Fx,
  listProduct,
  load,
  packLine,
  priceOf,
  productInput,
  refundUnit,
  SHIPPING,
  Status,
  termsVersionOf,
  variant,
  ZERO,
} from "../contracts/support/helpers.ts";
import { deliveredTicket } from "./support/tickets.ts";

const DAY = 86_400n;

describe("Security: the store moves first, drop toolkit", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  /** The fan's failed transaction cost it its gas and nothing else. */
  async function expectNothingTaken(receipt: ContractTransactionReceipt, before: bigint): Promise<void> {
    expect(receipt.status, "the fan's transaction reverted").to.equal(0);
    const after = await fx.ethers.provider.getBalance(fx.buyer.address);
    expect(before - after, "only gas was paid").to.equal(receipt.gasUsed * receipt.gasPrice);
  }

  /** buyWith of one shirt (size S) naming `zone` with `maxShipping`, paying `value`. */
  async function buyShirt(
    o: object,
    {
      zone = 0,
      maxShipping = 0n,
      code = NO_CODE,
      value,
    }: { zone?: number; maxShipping?: bigint; code?: typeof NO_CODE; value: bigint },
  ) {
    const price = await priceOf(fx, fx.shirtId);
    const terms = await termsVersionOf(fx, fx.shirtId);
    return fx.merchstand
      .connect(fx.buyer)
      .buyWith(packLine(fx.shirtId, 0, 1, price, terms), options(zone, maxShipping), code, SHIPPING, { value, ...o });
  }

  describe("shipping zones", () => {
    it("free shipping withdrawn in front (threshold removed): the buy sent for free reverts ShippingAboveMax", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const rate = 5_000_000_000_000_000n;
      await merchstand.connect(seller).setShippingZones(ethStoreId, [{ rate, freeFrom: price }]);
      const before = await fx.ethers.provider.getBalance(fx.buyer.address);
      // The checkout sends maxShipping = the shipping it showed: 0 for an order over the threshold.
      const { a, b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setShippingZones(ethStoreId, [{ rate, freeFrom: 0n }], o),
        (o) => buyShirt(o, { zone: 1, maxShipping: 0n, value: price }),
      );
      expect(a.status).to.equal(1);
      await expectNothingTaken(b, before);
      await expect(buyShirt({}, { zone: 1, maxShipping: 0n, value: price }))
        .to.be.revertedWithCustomError(merchstand, "ShippingAboveMax")
        .withArgs(ethStoreId, 1, rate, 0n);
    });

    it("zones removed in front: the buy naming a zone reverts InvalidZone", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const rate = 5_000_000_000_000_000n;
      await merchstand.connect(seller).setShippingZones(ethStoreId, [{ rate, freeFrom: 0n }]);
      const before = await fx.ethers.provider.getBalance(fx.buyer.address);
      const { b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setShippingZones(ethStoreId, [], o),
        (o) => buyShirt(o, { zone: 1, maxShipping: rate, value: price + rate }),
      );
      await expectNothingTaken(b, before);
      await expect(buyShirt({}, { zone: 1, maxShipping: rate, value: price + rate }))
        .to.be.revertedWithCustomError(merchstand, "InvalidZone")
        .withArgs(ethStoreId, 1, 0);
    });
  });

  describe("codes", () => {
    const code = async (over: Partial<Code> = {}): Promise<Code> => ({
      storeId: fx.ethStoreId,
      id: 3,
      kind: 0,
      value: 2_000n,
      expiresAt: BigInt(await fx.networkHelpers.time.latest()) + DAY,
      maxUses: 5,
      buyer: ZERO,
      productId: 0n,
      ...over,
    });

    it("a code revoked in front: the buy reverts CodeIsRevoked and pays nothing", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, seller, await code());
      const before = await fx.ethers.provider.getBalance(fx.buyer.address);
      const { b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).revokeCode(ethStoreId, 3, o),
        (o) => buyShirt(o, { code: signed, value: price - price / 5n }),
      );
      await expectNothingTaken(b, before);
      expect((await merchstand.codeState(ethStoreId, 3)).uses).to.equal(0n);
    });

    it("the manager who signed it removed in front: the buy reverts InvalidCodeSignature", async () => {
      const { merchstand, seller, manager, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, manager, await code());
      const before = await fx.ethers.provider.getBalance(fx.buyer.address);
      const { b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setStoreManager(ethStoreId, manager.address, false, o),
        (o) => buyShirt(o, { code: signed, value: price - price / 5n }),
      );
      await expectNothingTaken(b, before);
      await expect(buyShirt({}, { code: signed, value: price - price / 5n }))
        .to.be.revertedWithCustomError(merchstand, "InvalidCodeSignature")
        .withArgs(ethStoreId, 3, manager.address);
    });
  });

  describe("drops", () => {
    it("the sale closed early in front: the buy reverts DropClosed", async () => {
      const { merchstand, seller, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      const t = BigInt(await fx.networkHelpers.time.latest());
      await merchstand
        .connect(seller)
        .setDrop(shirtId, { presaleAt: 0n, opensAt: t - DAY, closesAt: t + DAY, shipsFrom: 0n });
      const before = await fx.ethers.provider.getBalance(fx.buyer.address);
      const { b } = await sameBlock(
        fx,
        (o) =>
          merchstand
            .connect(seller)
            .setDrop(shirtId, { presaleAt: 0n, opensAt: t - DAY, closesAt: t - 1n, shipsFrom: 0n }, o),
        (o) => buyShirt(o, { value: price }),
      );
      await expectNothingTaken(b, before);
      await expect(buyShirt({}, { value: price })).to.be.revertedWithCustomError(merchstand, "DropClosed");
    });

    it("a ship date set in front of a cart checkout (through the module): TermsChanged, nothing paid", async () => {
      const { merchstand, seller, ethStoreId, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      const terms = await termsVersionOf(fx, shirtId);
      const cart = [
        {
          storeId: ethStoreId,
          termsVersion: terms,
          lines: [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: price }],
          shipping: SHIPPING,
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
      ];
      const shipsFrom = BigInt(await fx.networkHelpers.time.latest()) + 200n * DAY;
      const before = await fx.ethers.provider.getBalance(fx.buyer.address);
      const { b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setDrop(shirtId, { presaleAt: 0n, opensAt: 0n, closesAt: 0n, shipsFrom }, o),
        (o) => merchstand.connect(fx.buyer).checkout(cart, { value: price, ...o }),
      );
      await expectNothingTaken(b, before);
      await expect(merchstand.connect(fx.buyer).checkout(cart, { value: price }))
        .to.be.revertedWithCustomError(merchstand, "TermsChanged")
        .withArgs(ethStoreId, terms, terms + 1n);
    });
  });

  describe("the door", () => {
    it("a check-in in front of the fan's dispute: the dispute still goes through (the arbiter sees isCheckedIn)", async () => {
      const { merchstand, seller, buyer } = fx;
      const { orderId, order } = await deliveredTicket(fx);
      const { a, b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).checkIn(orderId, order, o),
        (o) => merchstand.connect(buyer).dispute(orderId, order, "the show was cancelled", o),
      );
      expect(a.status).to.equal(1);
      expect(b.status, "the fan's dispute").to.equal(1);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Disputed);
      expect(await merchstand.isCheckedIn(orderId)).to.equal(true);
    });

    it("the fan's dispute in front of a check-in: the door refuses the ticket (InvalidOrderStatus)", async () => {
      const { merchstand, seller } = fx;
      const { orderId, order } = await deliveredTicket(fx);
      const disputed = await disputeOrder(fx, orderId, order);
      await expect(merchstand.connect(seller).checkIn(orderId, disputed))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Disputed);
    });

    // With the currency's review minimum at 0 (the default), a ruling of everything to the fan must still mark the
    // order (resolveDispute marks it when the store keeps nothing), so the door refuses a ticket whose whole price
    // went back to its buyer.
    it("refuses a ticket whose dispute the arbiter ruled wholly to the fan", async () => {
      const { merchstand, seller, arbiter } = fx;
      const { orderId, order } = await deliveredTicket(fx);
      const disputed = await disputeOrder(fx, orderId, order);
      await merchstand.connect(arbiter).resolveDispute(orderId, disputed, disputed.amount);
      await expect(merchstand.connect(seller).checkIn(orderId, disputed)).to.be.revertedWithCustomError(
        merchstand,
        "InvalidOrderStatus",
      );
    });

    // A ruling records what the store kept in the order's refund units (the buyer's total, rounded up). The door lets
    // the ticket in whenever the store kept something (a partial ruling is the arbiter's call); the review compares
    // the store's share with the currency's minimum when it is posted.
    it("lets a ruled ticket in when the store kept something; its buyer reviews only above the minimum", async () => {
      const { merchstand, seller, arbiter, admin } = fx;
      const kept = await deliveredTicket(fx);
      const split = await deliveredTicket(fx);
      const amount = kept.order.amount;
      const unit = refundUnit(amount);
      await (await merchstand.connect(admin).setMinReviewValue(ZERO, amount / 2n)).wait();
      // One order leaves the store the minimum plus a unit, the other a wei less than the minimum.
      const a = await disputeOrder(fx, kept.orderId, kept.order);
      await (await merchstand.connect(arbiter).resolveDispute(kept.orderId, a, amount / 2n - unit)).wait();
      const b = await disputeOrder(fx, split.orderId, split.order);
      await (await merchstand.connect(arbiter).resolveDispute(split.orderId, b, amount / 2n + 1n)).wait();
      expect(await merchstand.refundedUnits(kept.orderId)).to.equal((amount / 2n - unit + unit - 1n) / unit);
      expect(await merchstand.refundedUnits(split.orderId)).to.equal((amount / 2n + 1n + unit - 1n) / unit);

      await expect(merchstand.connect(seller).checkIn(kept.orderId, a)).to.emit(merchstand, "TicketCheckedIn");
      await expect(merchstand.connect(seller).checkIn(split.orderId, b)).to.emit(merchstand, "TicketCheckedIn");
      const ticketId = kept.order.lines[0]!.productId;
      await expect(merchstand.connect(fx.buyer).review(kept.orderId, a, ticketId, 4, "")).to.emit(
        merchstand,
        "ReviewPosted",
      );
      // What the store kept, rounded down to the unit: never more than it really kept.
      const recorded = amount - (await merchstand.refundedUnits(split.orderId)) * unit;
      expect(recorded <= amount / 2n - 1n).to.equal(true);
      await expect(merchstand.connect(fx.buyer).review(split.orderId, b, split.order.lines[0]!.productId, 1, ""))
        .to.be.revertedWithCustomError(merchstand, "ReviewValueTooLow")
        .withArgs(split.orderId, recorded, amount / 2n);

      // The minimum is read when the review is posted: lowered by the admin, the same review goes through.
      await (await merchstand.connect(admin).setMinReviewValue(ZERO, 0n)).wait();
      await expect(
        merchstand.connect(fx.buyer).review(split.orderId, b, split.order.lines[0]!.productId, 1, ""),
      ).to.emit(merchstand, "ReviewPosted");
    });

    // A share that reads as nothing once the buyer's total is rounded up to the unit cannot be written as a count: the ruling flags it as nothing kept, so neither a review nor the door takes it for more.
    it("flags a ruling that leaves the store less than a unit's worth", async () => {
      const { merchstand, seller, arbiter, buyer, ethStoreId } = fx;
      // 0.001 ETH + 7 wei: unit 10^9 wei, remainder 7 wei.
      const price = 1_000_000_000_000_007n;
      const ticketId = await listProduct(fx, seller, ethStoreId, productInput({ category: 3, digital: true }), [
        variant("GA", price, 10),
      ]);
      const bought = await buyEth(fx, buyer, ticketId, { shipping: BUYER_KEY });
      const disputed = await disputeOrder(fx, bought.orderId, await deliverDigital(fx, bought));
      await (await merchstand.connect(arbiter).resolveDispute(bought.orderId, disputed, price - 3n)).wait();
      expect(await merchstand.refundedUnits(bought.orderId), "the count is left as it was").to.equal(0n);
      await expect(merchstand.connect(seller).checkIn(bought.orderId, disputed))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(bought.orderId, Status.Resolved);
      await expect(merchstand.connect(buyer).review(bought.orderId, disputed, ticketId, 5, ""))
        .to.be.revertedWithCustomError(merchstand, "ReviewValueTooLow")
        .withArgs(bought.orderId, 0n, 0n);
    });
  });
});
