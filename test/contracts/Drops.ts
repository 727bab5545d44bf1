// The drop toolkit as a spec (docs/DROPS.md): timed drops and presales, pre-orders, shipping zones, discount and
// presale codes, ticket check-in, including the races where a change or a second use is mined first.
import { expect } from "chai";
import { TypedDataEncoder } from "ethers";
import { CODE_TYPES, type Code, codeDomain, NO_CODE, options, sameBlock, signCode } from "./support/drops.ts";
import {
  BUYER_KEY,
  buyEth,
  deliverDigital,
  type Fx,
  listProduct,
  load,
  packLine,
  pinNextTimestamp,
  placed,
  placedInfo,
  placedWords,
  priceOf,
  productInput,
  SHIPPING,
  Status,
  ship,
  termsVersionOf,
  variant,
  ZERO,
} from "./support/helpers.ts";

const DAY = 86_400n;
const ZONES: { rate: bigint; freeFrom: bigint }[] = [
  { rate: 5_000_000_000_000_000n, freeFrom: 0n }, // zone 1: 0.005 ETH, never free
  { rate: 12_000_000_000_000_000n, freeFrom: 50_000_000_000_000_000n }, // zone 2: 0.012 ETH, free from 0.05 ETH
];

async function now(fx: Fx): Promise<bigint> {
  const block = await fx.ethers.provider.getBlock("latest");
  if (block === null) throw new Error("no block");
  return BigInt(block.timestamp);
}

describe("Drops", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  const drop = (d: Partial<{ presaleAt: bigint; opensAt: bigint; closesAt: bigint; shipsFrom: bigint }>) => ({
    presaleAt: 0n,
    opensAt: 0n,
    closesAt: 0n,
    shipsFrom: 0n,
    ...d,
  });

  /** A plain buy of the shirt (size S) under the current terms, not sent. */
  const buyShirt = async (who = fx.buyer, o: object = {}) => {
    const price = await priceOf(fx, fx.shirtId);
    const terms = await termsVersionOf(fx, fx.shirtId);
    return fx.merchstand
      .connect(who)
      .buy_oT9la(packLine(fx.shirtId, 0, 1, price, terms), SHIPPING, { value: price, ...o });
  };

  describe("setDrop", () => {
    it("is for staff only", async () => {
      const { merchstand, other, shirtId, ethStoreId } = fx;
      await expect(merchstand.connect(other).setDrop(shirtId, drop({ opensAt: 1n })))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
    });

    it("stores the drop, emits DropSet, and a manager may set it", async () => {
      const { merchstand, manager, shirtId } = fx;
      const t = await now(fx);
      const d = drop({ opensAt: t + DAY, closesAt: t + 2n * DAY });
      await expect(merchstand.connect(manager).setDrop(shirtId, d))
        .to.emit(merchstand, "DropSet")
        .withArgs(shirtId, [0n, d.opensAt, d.closesAt, 0n]);
      const stored = await merchstand.getDrop(shirtId);
      expect([stored.presaleAt, stored.opensAt, stored.closesAt, stored.shipsFrom]).to.deep.equal([
        0n,
        d.opensAt,
        d.closesAt,
        0n,
      ]);
    });

    for (const [what, d] of [
      ["a presale without an opening", { presaleAt: 10n }],
      ["a presale not before the opening", { presaleAt: 20n, opensAt: 20n }],
      ["a closing not after the opening", { opensAt: 20n, closesAt: 20n }],
    ] as const) {
      it(`refuses ${what} with InvalidDrop`, async () => {
        const { merchstand, seller, shirtId } = fx;
        const full = drop(d);
        await expect(merchstand.connect(seller).setDrop(shirtId, full))
          .to.be.revertedWithCustomError(merchstand, "InvalidDrop")
          .withArgs(shirtId, full.presaleAt, full.opensAt, full.closesAt, full.shipsFrom);
      });
    }

    it("refuses a ship date more than MAX_PREORDER_DELAY ahead", async () => {
      const { merchstand, seller, shirtId } = fx;
      const t = await pinNextTimestamp(fx);
      const max = await merchstand.MAX_PREORDER_DELAY();
      await expect(merchstand.connect(seller).setDrop(shirtId, drop({ shipsFrom: t + max + 1n })))
        .to.be.revertedWithCustomError(merchstand, "InvalidDrop")
        .withArgs(shirtId, 0n, 0n, 0n, t + max + 1n);
    });
  });

  describe("a timed drop", () => {
    it("refuses a buy before it opens with DropNotOpen carrying the times and now", async () => {
      const { merchstand, seller, shirtId } = fx;
      const t = await now(fx);
      const d = drop({ opensAt: t + 3_600n, closesAt: t + DAY });
      await merchstand.connect(seller).setDrop(shirtId, d);
      const at = await pinNextTimestamp(fx);
      await expect(buyShirt())
        .to.be.revertedWithCustomError(merchstand, "DropNotOpen")
        .withArgs(shirtId, d.opensAt, d.closesAt, at);
    });

    it("sells from the second it opens, and refuses from the second it closes with DropClosed", async () => {
      const { merchstand, seller, shirtId, networkHelpers } = fx;
      const t = await now(fx);
      const d = drop({ opensAt: t + 3_600n, closesAt: t + 7_200n });
      await merchstand.connect(seller).setDrop(shirtId, d);
      await networkHelpers.time.setNextBlockTimestamp(d.opensAt);
      await expect(buyShirt()).to.emit(merchstand, "OrderPlaced");
      await networkHelpers.time.setNextBlockTimestamp(d.closesAt);
      await expect(buyShirt())
        .to.be.revertedWithCustomError(merchstand, "DropClosed")
        .withArgs(shirtId, d.opensAt, d.closesAt, d.closesAt);
    });

    it("sells again with no limits once the drop is cleared (the flag goes with it)", async () => {
      const { merchstand, seller, shirtId } = fx;
      const t = await now(fx);
      await merchstand.connect(seller).setDrop(shirtId, drop({ opensAt: t + DAY }));
      await expect(buyShirt()).to.be.revertedWithCustomError(merchstand, "DropNotOpen");
      await merchstand.connect(seller).setDrop(shirtId, drop({}));
      await expect(buyShirt()).to.emit(merchstand, "OrderPlaced");
    });

    it("applies to a variant added after the drop was set", async () => {
      const { merchstand, seller, shirtId } = fx;
      const t = await now(fx);
      await merchstand.connect(seller).setDrop(shirtId, drop({ opensAt: t + DAY }));
      await merchstand.connect(seller).addVariant(shirtId, variant("XL", 1000n, 5));
      const terms = await termsVersionOf(fx, shirtId);
      await expect(
        merchstand.connect(fx.buyer).buy_oT9la(packLine(shirtId, 3, 1, 1000n, terms), SHIPPING, { value: 1000n }),
      ).to.be.revertedWithCustomError(merchstand, "DropNotOpen");
    });

    it("holds when staff move the opening in front of a fan's buy: the buy reverts, nothing is taken", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      const t = await now(fx);
      const balance = await fx.ethers.provider.getBalance(await merchstand.getAddress());
      const { a, b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setDrop(shirtId, drop({ opensAt: t + DAY }), o),
        async (o) => buyShirt(buyer, o),
      );
      expect(a.status).to.equal(1);
      expect(b.status, "the fan's buy reverted").to.equal(0);
      expect(await fx.ethers.provider.getBalance(await merchstand.getAddress())).to.equal(balance);
      await expect(buyShirt()).to.be.revertedWithCustomError(merchstand, "DropNotOpen");
    });
  });

  describe("a pre-order", () => {
    async function preorder() {
      const { merchstand, seller, buyer, shirtId } = fx;
      const t = await now(fx);
      const shipsFrom = t + 30n * DAY;
      await merchstand.connect(seller).setDrop(shirtId, drop({ shipsFrom }));
      const bought = await buyEth(fx, buyer, shirtId);
      const { shipWindow } = await merchstand.storeTerms(fx.ethStoreId, bought.order.termsVersion);
      return { ...bought, shipsFrom, deadline: shipsFrom + BigInt(shipWindow) };
    }

    it("carries its ship date in the order (OrderPlaced info bits 96..135)", async () => {
      const { order, shipsFrom } = await preorder();
      expect(order.shipsFrom).to.equal(shipsFrom);
    });

    it("gives the fan the cancel right only from shipsFrom + the ship window", async () => {
      const { merchstand, buyer, networkHelpers } = fx;
      const { orderId, order, deadline } = await preorder();
      // Past placedAt + shipWindow, but before the pre-order's deadline: too early.
      await networkHelpers.time.increase(8n * DAY);
      await expect(merchstand.connect(buyer).cancel(orderId, order))
        .to.be.revertedWithCustomError(merchstand, "TooEarly")
        .withArgs(orderId, deadline);
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(merchstand.connect(buyer).cancel(orderId, order)).to.emit(merchstand, "OrderCancelled");
    });

    it("lets staff ship until shipsFrom + the ship window, and not after", async () => {
      const { merchstand, seller, networkHelpers } = fx;
      const { orderId, order, deadline } = await preorder();
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(merchstand.connect(seller).markShipped(orderId, order, "DHL 1"))
        .to.be.revertedWithCustomError(merchstand, "TooLate")
        .withArgs(orderId, deadline);
    });

    it("does not carry a ship date that has passed", async () => {
      const { merchstand, seller, buyer, shirtId, networkHelpers } = fx;
      const t = await now(fx);
      await merchstand.connect(seller).setDrop(shirtId, drop({ shipsFrom: t + DAY }));
      await networkHelpers.time.increase(2n * DAY);
      const { order } = await buyEth(fx, buyer, shirtId);
      expect(order.shipsFrom).to.equal(0n);
    });

    it("starts a new terms version when the ship date moves, so a buy in flight reverts TermsChanged", async () => {
      const { merchstand, seller, buyer, shirtId, ethStoreId } = fx;
      const t = await now(fx);
      const before = await termsVersionOf(fx, shirtId);
      const price = await priceOf(fx, shirtId);
      const { a, b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setDrop(shirtId, drop({ shipsFrom: t + 300n * DAY }), o),
        (o) =>
          merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price, before), SHIPPING, { value: price, ...o }),
      );
      expect(a.status).to.equal(1);
      expect(b.status, "the fan's buy reverted").to.equal(0);
      await expect(
        merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price, before), SHIPPING, { value: price }),
      )
        .to.be.revertedWithCustomError(merchstand, "TermsChanged")
        .withArgs(ethStoreId, before, before + 1n);
      // The new version has the same arbiter and windows.
      const [oldTerms, newTerms] = await Promise.all([
        merchstand.storeTerms(ethStoreId, before),
        merchstand.storeTerms(ethStoreId, before + 1n),
      ]);
      expect([...newTerms]).to.deep.equal([...oldTerms]);
    });
  });

  describe("shipping zones", () => {
    const setZones = () => fx.merchstand.connect(fx.seller).setShippingZones(fx.ethStoreId, ZONES);
    /** buyWith of the shirt (size S) in `zone`, paying `value`. */
    const buyIn = async (zone: number, maxShipping: bigint, value: bigint, who = fx.buyer, o: object = {}) => {
      const price = await priceOf(fx, fx.shirtId);
      const terms = await termsVersionOf(fx, fx.shirtId);
      return fx.merchstand
        .connect(who)
        .buyWith(packLine(fx.shirtId, 0, 1, price, terms), options(zone, maxShipping), NO_CODE, SHIPPING, {
          value,
          ...o,
        });
    };

    it("are set by staff, at most MAX_ZONES, and read back", async () => {
      const { merchstand, seller, other, ethStoreId } = fx;
      await expect(merchstand.connect(other).setShippingZones(ethStoreId, ZONES))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
      const nine = Array.from({ length: 9 }, () => ({ rate: 1n, freeFrom: 0n }));
      await expect(merchstand.connect(seller).setShippingZones(ethStoreId, nine))
        .to.be.revertedWithCustomError(merchstand, "TooManyZones")
        .withArgs(9n, 8n);
      await expect(setZones()).to.emit(merchstand, "ShippingZonesSet");
      const read = await merchstand.shippingZones(ethStoreId);
      expect(read.map((z) => [z.rate, z.freeFrom])).to.deep.equal(ZONES.map((z) => [z.rate, z.freeFrom]));
    });

    it("charge the zone's rate once per order, in the escrow and in the order", async () => {
      const { merchstand, shirtId } = fx;
      await setZones();
      const price = await priceOf(fx, shirtId);
      const rate = ZONES[1]?.rate ?? 0n;
      const { order } = await placed(merchstand, buyIn(2, rate, price + rate));
      expect(order.zone).to.equal(2n);
      expect(order.shipping).to.equal(rate);
      expect(order.amount).to.equal(price + rate);
      expect(await merchstand.hashOrder(order)).to.not.equal(`0x${"0".repeat(64)}`);
    });

    it("make the plain buy refuse a physical order (InvalidZone with zone 0)", async () => {
      const { merchstand, ethStoreId } = fx;
      await setZones();
      await expect(buyShirt()).to.be.revertedWithCustomError(merchstand, "InvalidZone").withArgs(ethStoreId, 0, 2);
    });

    it("refuse a zone the store does not have, and a zone on a digital order", async () => {
      const { merchstand, buyer, ethStoreId, ebookId } = fx;
      await setZones();
      await expect(buyIn(3, 10n ** 18n, 10n ** 18n))
        .to.be.revertedWithCustomError(merchstand, "InvalidZone")
        .withArgs(ethStoreId, 3, 2);
      const price = await priceOf(fx, ebookId);
      const terms = await termsVersionOf(fx, ebookId);
      await expect(
        merchstand
          .connect(buyer)
          .buyWith(packLine(ebookId, 0, 1, price, terms), options(1, 10n ** 18n), NO_CODE, BUYER_KEY, {
            value: price,
          }),
      )
        .to.be.revertedWithCustomError(merchstand, "InvalidZone")
        .withArgs(ethStoreId, 1, 0);
    });

    it("ship free from the zone's threshold", async () => {
      const { merchstand, buyer, shirtId } = fx;
      await setZones();
      const price = await priceOf(fx, shirtId);
      const terms = await termsVersionOf(fx, shirtId);
      const quantity = (ZONES[1]?.freeFrom ?? 0n) / price + 1n;
      const { order } = await placed(
        merchstand,
        merchstand
          .connect(buyer)
          .buyWith(packLine(shirtId, 0, quantity, price, terms), options(2, 0n), NO_CODE, SHIPPING, {
            value: price * quantity,
          }),
      );
      expect(order.shipping).to.equal(0n);
      expect(order.zone).to.equal(2n);
    });

    it("hold the fan's maximum when the rate rises in front of the buy: ShippingAboveMax", async () => {
      const { merchstand, seller, buyer, ethStoreId, shirtId } = fx;
      await setZones();
      const price = await priceOf(fx, shirtId);
      const rate = ZONES[0]?.rate ?? 0n;
      const higher = [{ rate: rate * 3n, freeFrom: 0n }];
      const { a, b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setShippingZones(ethStoreId, higher, o),
        (o) => buyIn(1, rate, price + rate, buyer, o),
      );
      expect(a.status).to.equal(1);
      expect(b.status).to.equal(0);
      await expect(buyIn(1, rate, price + rate))
        .to.be.revertedWithCustomError(merchstand, "ShippingAboveMax")
        .withArgs(ethStoreId, 1, rate * 3n, rate);
    });

    it("hold the fan's maximum when the price rises in front of the buy: PriceAboveMax", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      await setZones();
      const price = await priceOf(fx, shirtId);
      const rate = ZONES[0]?.rate ?? 0n;
      const { b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).setVariantPrice(shirtId, 0, price * 2n, o),
        (o) => buyIn(1, rate, price + rate, buyer, o),
      );
      expect(b.status).to.equal(0);
      const terms = await termsVersionOf(fx, shirtId);
      await expect(
        merchstand
          .connect(buyer)
          .buyWith(packLine(shirtId, 0, 1, price, terms), options(1, rate), NO_CODE, SHIPPING, { value: price + rate }),
      )
        .to.be.revertedWithCustomError(merchstand, "PriceAboveMax")
        .withArgs(shirtId, 0, price * 2n, price);
    });

    it("go into a cart order: zone and maxShipping per order, and a full refund returns the shipping too", async () => {
      const { merchstand, seller, buyer, shirtId, ethStoreId } = fx;
      await setZones();
      const price = await priceOf(fx, shirtId);
      const rate = ZONES[0]?.rate ?? 0n;
      const terms = await termsVersionOf(fx, shirtId);
      const cart = [
        {
          storeId: ethStoreId,
          termsVersion: terms,
          lines: [
            { productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: price },
            { productId: shirtId, variant: 1, quantity: 2, maxUnitPrice: price },
          ],
          shipping: SHIPPING,
          zone: 1,
          maxShipping: rate,
          code: NO_CODE,
        },
      ];
      const { orderId, order } = await placed(
        merchstand,
        merchstand.connect(buyer).checkout(cart, { value: price * 3n + rate }),
      );
      expect(order.shipping, "once per order, not per line").to.equal(rate);
      expect(order.amount).to.equal(price * 3n + rate);
      await expect(merchstand.connect(seller).refund(orderId, order, order.amount))
        .to.emit(merchstand, "OrderRefunded")
        .withArgs(orderId, ethStoreId, price * 3n + rate);
    });

    describe("through buyShipped_eaaaa (no code words in the calldata)", () => {
      const buyShipped_eaaaa = async (
        zone: number,
        maxShipping: bigint,
        value: bigint,
        who = fx.buyer,
        o: object = {},
      ) => {
        const price = await priceOf(fx, fx.shirtId);
        const terms = await termsVersionOf(fx, fx.shirtId);
        return fx.merchstand
          .connect(who)
          .buyShipped_eaaaa(packLine(fx.shirtId, 0, 1, price, terms), options(zone, maxShipping), SHIPPING, {
            value,
            ...o,
          });
      };

      it("places the same order as buyWith without a code: zone, rate, amount, no code word", async () => {
        const { merchstand, shirtId } = fx;
        await setZones();
        const price = await priceOf(fx, shirtId);
        const rate = ZONES[1]?.rate ?? 0n;
        const viaShipped = await placed(merchstand, buyShipped_eaaaa(2, rate, price + rate));
        const viaWith = await placed(merchstand, buyIn(2, rate, price + rate));
        for (const { order } of [viaShipped, viaWith]) {
          expect([order.zone, order.shipping, order.discount, order.amount]).to.deep.equal([
            2n,
            rate,
            0n,
            price + rate,
          ]);
        }
        expect(placedWords(merchstand, viaShipped.receipt)[0]).to.have.length(1);
        expect(placedInfo(merchstand, viaShipped.receipt) >> 232n).to.equal(0n);
      });

      it("holds the fan's maximum when the rate rises in front of the buy: ShippingAboveMax", async () => {
        const { merchstand, seller, buyer, ethStoreId, shirtId } = fx;
        await setZones();
        const price = await priceOf(fx, shirtId);
        const rate = ZONES[0]?.rate ?? 0n;
        const { a, b } = await sameBlock(
          fx,
          (o) => merchstand.connect(seller).setShippingZones(ethStoreId, [{ rate: rate * 3n, freeFrom: 0n }], o),
          (o) => buyShipped_eaaaa(1, rate, price + rate, buyer, o),
        );
        expect([a.status, b.status]).to.deep.equal([1, 0]);
        await expect(buyShipped_eaaaa(1, rate, price + rate))
          .to.be.revertedWithCustomError(merchstand, "ShippingAboveMax")
          .withArgs(ethStoreId, 1, rate * 3n, rate);
      });

      it("refuses a zone the store does not have, options bits from 104, and a wrong payment", async () => {
        const { merchstand, ethStoreId, shirtId } = fx;
        await setZones();
        const price = await priceOf(fx, shirtId);
        const rate = ZONES[0]?.rate ?? 0n;
        await expect(buyShipped_eaaaa(3, rate, price + rate))
          .to.be.revertedWithCustomError(merchstand, "InvalidZone")
          .withArgs(ethStoreId, 3, 2);
        const bad = options(1, rate) | (1n << 104n);
        const terms = await termsVersionOf(fx, shirtId);
        await expect(
          merchstand
            .connect(fx.buyer)
            .buyShipped_eaaaa(packLine(shirtId, 0, 1, price, terms), bad, SHIPPING, { value: price + rate }),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidLine")
          .withArgs(bad);
        await expect(buyShipped_eaaaa(1, rate, price))
          .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
          .withArgs(price + rate, price);
      });

      it("is refused while paused", async () => {
        const { merchstand, admin, shirtId } = fx;
        await setZones();
        const price = await priceOf(fx, shirtId);
        const rate = ZONES[0]?.rate ?? 0n;
        await merchstand.connect(admin).pause();
        await expect(buyShipped_eaaaa(1, rate, price + rate)).to.be.revertedWithCustomError(
          merchstand,
          "EnforcedPause",
        );
      });
    });

    it("leave a zone-less store's orders as they were (zone 0, no shipping)", async () => {
      const { order, receipt } = await buyEth(fx, fx.buyer, fx.shirtId);
      expect([order.zone, order.shipping, order.discount, order.shipsFrom]).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(placedInfo(fx.merchstand, receipt) >> 232n, "no code: info bit 232 clear").to.equal(0n);
    });
  });

  describe("codes", () => {
    const code = async (over: Partial<Code> = {}): Promise<Code> => ({
      storeId: fx.ethStoreId,
      id: 1,
      kind: 0,
      value: 2_000n, // 20%
      expiresAt: (await now(fx)) + DAY,
      maxUses: 10,
      buyer: ZERO,
      productId: 0n,
      ...over,
    });
    /** buyWith of one shirt (size S) with `signed`, paying `value`. */
    const buyCoded = async (signed: typeof NO_CODE, value: bigint, who = fx.buyer, o: object = {}) => {
      const price = await priceOf(fx, fx.shirtId);
      const terms = await termsVersionOf(fx, fx.shirtId);
      return fx.merchstand
        .connect(who)
        .buyWith(packLine(fx.shirtId, 0, 1, price, terms), 0n, signed, SHIPPING, { value, ...o });
    };

    it("hashes as EIP-712 typed data: hashCode is the digest a wallet signs", async () => {
      const c = await code();
      expect(await fx.merchstand.hashCode(c)).to.equal(TypedDataEncoder.hash(await codeDomain(fx), CODE_TYPES, c));
    });

    it("takes a percentage off, counts the use and carries the code word after the lines of OrderPlaced", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, seller, await code({ id: 7 }));
      const discount = (price * 2_000n) / 10_000n;
      const { order, receipt } = await placed(merchstand, buyCoded(signed, price - discount));
      expect(order.discount).to.equal(discount);
      expect(placedInfo(merchstand, receipt) >> 232n, "OrderPlaced info bit 232: a code was used").to.equal(1n);
      // One line word, then the code word `discount | codeId << 224`; no second log.
      const [words] = placedWords(merchstand, receipt);
      expect(words).to.have.length(2);
      expect(words?.[1]).to.equal(discount | (7n << 224n));
      expect(receipt.logs, "OrderPlaced only").to.have.length(1);
      const [uses, revoked] = await merchstand.codeState(ethStoreId, 7);
      expect([uses, revoked]).to.deep.equal([1n, false]);
    });

    it("rebuilds to the committed Order: staff can refund the order rebuilt from the log", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, seller, await code());
      const discount = (price * 2_000n) / 10_000n;
      const { orderId, order } = await placed(merchstand, buyCoded(signed, price - discount));
      await expect(merchstand.connect(seller).refund(orderId, order, order.amount))
        .to.emit(merchstand, "OrderRefunded")
        .withArgs(orderId, ethStoreId, price - discount);
      expect(order.amount).to.equal(price - discount);
      const [uses, revoked] = await merchstand.codeState(ethStoreId, 1);
      expect([uses, revoked]).to.deep.equal([1n, false]);
    });

    it("leaves the buyer's own exit working: a code order rebuilt from OrderPlaced is cancelled after the ship window", async () => {
      const { merchstand, seller, buyer, ethStoreId, networkHelpers } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, seller, await code());
      const discount = (price * 2_000n) / 10_000n;
      const { orderId, order } = await placed(merchstand, buyCoded(signed, price - discount));
      await networkHelpers.time.increase(8n * DAY);
      await expect(merchstand.connect(buyer).cancel(orderId, order))
        .to.emit(merchstand, "OrderCancelled")
        .withArgs(orderId, ethStoreId, price - discount);
    });

    it("takes an amount off, never more than the goods", async () => {
      const { merchstand, seller } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, seller, await code({ kind: 1, value: price * 5n }));
      const { order } = await placed(merchstand, buyCoded(signed, 0n));
      expect(order.discount).to.equal(price);
      expect(order.amount).to.equal(0n);
    });

    it("accepts a manager's code, and refuses it once the manager is removed", async () => {
      const { merchstand, seller, manager, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, manager, await code());
      const discount = (price * 2_000n) / 10_000n;
      const { order } = await placed(merchstand, buyCoded(signed, price - discount));
      expect(order.discount).to.equal(discount);
      await merchstand.connect(seller).setStoreManager(ethStoreId, manager.address, false);
      await expect(buyCoded(signed, price - discount))
        .to.be.revertedWithCustomError(merchstand, "InvalidCodeSignature")
        .withArgs(ethStoreId, 1, manager.address);
    });

    it("refuses a code signed by someone who is not staff", async () => {
      const { merchstand, other, ethStoreId } = fx;
      const signed = await signCode(fx, other, await code());
      await expect(buyCoded(signed, 0n))
        .to.be.revertedWithCustomError(merchstand, "InvalidCodeSignature")
        .withArgs(ethStoreId, 1, other.address);
    });

    it("refuses a code signed for another store", async () => {
      const { merchstand, seller, ethStoreId, usdStoreId } = fx;
      const signed = await signCode(fx, seller, await code({ storeId: usdStoreId }));
      await expect(buyCoded(signed, 0n)).to.be.revertedWithCustomError(merchstand, "InvalidCodeSignature");
      expect((await merchstand.codeState(ethStoreId, 1))[0]).to.equal(0n);
    });

    it("refuses an expired code with CodeExpired", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const c = await code();
      const signed = await signCode(fx, seller, c);
      await fx.networkHelpers.time.setNextBlockTimestamp(c.expiresAt);
      await expect(buyCoded(signed, 0n))
        .to.be.revertedWithCustomError(merchstand, "CodeExpired")
        .withArgs(ethStoreId, 1, c.expiresAt, c.expiresAt);
    });

    it("refuses flag bits it does not know with InvalidCode, and a percentage above 100%", async () => {
      const { merchstand, seller } = fx;
      const signed = await signCode(fx, seller, await code());
      const bad = { ...signed, code: signed.code | (4n << 32n) };
      await expect(buyCoded(bad, 0n)).to.be.revertedWithCustomError(merchstand, "InvalidCode").withArgs(bad.code);
      const over = await signCode(fx, seller, await code({ value: 10_001n }));
      await expect(buyCoded(over, 0n)).to.be.revertedWithCustomError(merchstand, "InvalidCode");
    });

    it("refuses a second use beyond a cap of 1 mined in the same block", async () => {
      const { merchstand, seller, buyer, buyer2, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, seller, await code({ maxUses: 1 }));
      const pay = price - (price * 2_000n) / 10_000n;
      const { a, b } = await sameBlock(
        fx,
        (o) => buyCoded(signed, pay, buyer, o),
        (o) => buyCoded(signed, pay, buyer2, o),
      );
      expect(a.status, "the first use").to.equal(1);
      expect(b.status, "the second use in the same block").to.equal(0);
      await expect(buyCoded(signed, pay, buyer2))
        .to.be.revertedWithCustomError(merchstand, "CodeUsedUp")
        .withArgs(ethStoreId, 1, 1, 1);
    });

    it("binds a presale code to its buyer: a copy from the mempool is useless to another address", async () => {
      const { merchstand, seller, buyer, buyer2, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const signed = await signCode(fx, seller, await code({ buyer: buyer.address, maxUses: 1 }));
      const pay = price - (price * 2_000n) / 10_000n;
      // The copier pays a higher tip to run first, with the fan's exact code.
      const { a, b } = await sameBlock(
        fx,
        (o) => buyCoded(signed, pay, buyer2, o),
        (o) => buyCoded(signed, pay, buyer, o),
      );
      expect(a.status, "the copy").to.equal(0);
      expect(b.status, "the fan").to.equal(1);
      await expect(buyCoded(signed, pay, buyer2)).to.be.revertedWithCustomError(merchstand, "InvalidCodeSignature");
      expect((await merchstand.codeState(ethStoreId, 1))[0]).to.equal(1n);
    });

    it("is refused after staff revoke it (CodeIsRevoked); revoking is for staff only", async () => {
      const { merchstand, seller, other, ethStoreId } = fx;
      const signed = await signCode(fx, seller, await code());
      await expect(merchstand.connect(other).revokeCode(ethStoreId, 1)).to.be.revertedWithCustomError(
        merchstand,
        "NotStoreStaff",
      );
      await expect(merchstand.connect(seller).revokeCode(ethStoreId, 1))
        .to.emit(merchstand, "CodeRevoked")
        .withArgs(ethStoreId, 1);
      await expect(buyCoded(signed, 0n))
        .to.be.revertedWithCustomError(merchstand, "CodeIsRevoked")
        .withArgs(ethStoreId, 1);
      expect((await merchstand.codeState(ethStoreId, 1))[1]).to.equal(true);
      // Its neighbours in the same counter word are untouched.
      expect((await merchstand.codeState(ethStoreId, 2))[1]).to.equal(false);
    });

    it("bound to a product, refuses an order without it (CodeNotForProduct)", async () => {
      const { merchstand, seller, ethStoreId, ebookId } = fx;
      const signed = await signCode(fx, seller, await code({ productId: ebookId }));
      await expect(buyCoded(signed, 0n))
        .to.be.revertedWithCustomError(merchstand, "CodeNotForProduct")
        .withArgs(ethStoreId, 1, ebookId);
    });

    it("opens a presale only with a code bound to the product", async () => {
      const { merchstand, seller, shirtId } = fx;
      const t = await now(fx);
      const d = drop({ presaleAt: t, opensAt: t + DAY });
      await merchstand.connect(seller).setDrop(shirtId, d);
      const price = await priceOf(fx, shirtId);
      const presale = await signCode(fx, seller, await code({ value: 0n, productId: shirtId }));
      const anyProduct = await signCode(fx, seller, await code({ id: 2, value: 0n }));
      await expect(buyShirt()).to.be.revertedWithCustomError(merchstand, "DropNotOpen");
      await expect(buyCoded(anyProduct, price)).to.be.revertedWithCustomError(merchstand, "DropNotOpen");
      const { receipt } = await placed(merchstand, buyCoded(presale, price));
      expect(placedInfo(merchstand, receipt) >> 232n, "the presale code was used").to.equal(1n);
    });

    it("takes a product-bound discount off that product's lines only, in a cart", async () => {
      const { merchstand, seller, buyer, shirtId, ethStoreId, ebookId } = fx;
      await merchstand
        .connect(seller)
        .listProduct(ethStoreId, productInput({ name: "Poster" }), [variant("A2", 10_000_000_000_000_000n, 5)]);
      const posterId = ebookId + 2n;
      const shirt = await priceOf(fx, shirtId);
      const poster = await priceOf(fx, posterId);
      const signed = await signCode(fx, seller, await code({ productId: posterId, value: 5_000n }));
      const terms = await termsVersionOf(fx, shirtId);
      const cart = [
        {
          storeId: ethStoreId,
          termsVersion: terms,
          lines: [
            { productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt },
            { productId: posterId, variant: 0, quantity: 1, maxUnitPrice: poster },
          ],
          shipping: SHIPPING,
          zone: 0,
          maxShipping: 0n,
          code: signed,
        },
      ];
      const { orderId, order, receipt } = await placed(
        merchstand,
        merchstand.connect(buyer).checkout(cart, { value: shirt + poster / 2n }),
      );
      expect(order.discount).to.equal(poster / 2n);
      // Two line words, then the code word; the lines rebuilt from the log are the two lines, not three.
      const [words] = placedWords(merchstand, receipt);
      expect(words).to.have.length(3);
      expect(words?.[2]).to.equal((poster / 2n) | (1n << 224n));
      expect(order.lines.map((l) => l.productId)).to.deep.equal([shirtId, posterId]);
      // The Order rebuilt from the log is the committed one.
      await expect(merchstand.connect(seller).refund(orderId, order, 1n)).to.emit(merchstand, "OrderPartiallyRefunded");
    });

    it("costs its first use less once staff prepared its counter word (prepareCodes)", async () => {
      const { merchstand, seller, buyer, ethStoreId } = fx;
      const price = await priceOf(fx, fx.shirtId);
      const pay = price - (price * 2_000n) / 10_000n;
      const cold = await placed(merchstand, buyCoded(await signCode(fx, seller, await code({ id: 1 })), pay));
      await expect(merchstand.connect(seller).prepareCodes(ethStoreId, 8, 8))
        .to.emit(merchstand, "CodesPrepared")
        .withArgs(ethStoreId, 8, 8);
      const warm = await placed(merchstand, buyCoded(await signCode(fx, seller, await code({ id: 9 })), pay, buyer));
      expect(cold.receipt.gasUsed - warm.receipt.gasUsed).to.be.greaterThan(15_000n);
      await expect(merchstand.connect(seller).prepareCodes(ethStoreId, 0, 2000))
        .to.be.revertedWithCustomError(merchstand, "TooManyCodes")
        .withArgs(2000, await merchstand.MAX_PREPARED_CODES());
    });
  });

  describe("tickets", () => {
    async function ticketOrder() {
      const { merchstand, seller, buyer, ethStoreId } = fx;
      const ticketId = await listProduct(
        fx,
        seller,
        ethStoreId,
        productInput({ name: "Show, Leeds", category: 3, digital: true }),
        [variant("GA", 1_000_000_000_000_000n, 100)],
      );
      const bought = await buyEth(fx, buyer, ticketId, { shipping: BUYER_KEY });
      return { ...bought, ticketId, merchstand };
    }

    it("checks in a delivered ticket once, with TicketCheckedIn", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const { orderId, order } = await ticketOrder();
      const delivered = await deliverDigital(fx, { orderId, order });
      expect(await merchstand.isCheckedIn(orderId)).to.equal(false);
      const at = await pinNextTimestamp(fx);
      await expect(merchstand.connect(seller).checkIn(orderId, delivered))
        .to.emit(merchstand, "TicketCheckedIn")
        .withArgs(orderId, ethStoreId, seller.address, at);
      expect(await merchstand.isCheckedIn(orderId)).to.equal(true);
      await expect(merchstand.connect(seller).checkIn(orderId, delivered))
        .to.be.revertedWithCustomError(merchstand, "AlreadyCheckedIn")
        .withArgs(orderId);
      // The time is kept only in the log, which any door device finds by the order's id (its first indexed topic).
      const logs = await merchstand.queryFilter(merchstand.filters.TicketCheckedIn(orderId));
      expect(logs.map((l) => l.args.checkedInAt)).to.deep.equal([at]);
    });

    it("keeps the check-in beside the order's status: the buyer's Order stays valid, and completing and reviewing keep it", async () => {
      const { merchstand, seller, buyer } = fx;
      const { orderId, order, ticketId } = await ticketOrder();
      const delivered = await deliverDigital(fx, { orderId, order });
      const before = await merchstand.hashOrder(delivered);
      await merchstand.connect(seller).checkIn(orderId, delivered);
      // The flag sits in the state bits, not the hash bits: the same Order is accepted by the next operations.
      expect(await merchstand.hashOrder(delivered)).to.equal(before);
      expect(await merchstand.isReviewed(orderId, delivered, ticketId)).to.equal(false);
      await merchstand.connect(buyer).complete(orderId, delivered);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Completed);
      await merchstand.connect(buyer).review(orderId, delivered, ticketId, 5, "Great show, quick door.");
      expect(await merchstand.isReviewed(orderId, delivered, ticketId)).to.equal(true);
      expect(await merchstand.isCheckedIn(orderId)).to.equal(true);
      await expect(merchstand.connect(seller).checkIn(orderId, delivered))
        .to.be.revertedWithCustomError(merchstand, "AlreadyCheckedIn")
        .withArgs(orderId);
    });

    it("checks in a ticket that was reviewed first: the review flags and the check-in flag are apart", async () => {
      const { merchstand, seller, buyer } = fx;
      const { orderId, order, ticketId } = await ticketOrder();
      const delivered = await deliverDigital(fx, { orderId, order });
      await merchstand.connect(buyer).complete(orderId, delivered);
      await merchstand.connect(buyer).review(orderId, delivered, ticketId, 4, "Reviewed before the door.");
      expect(await merchstand.isCheckedIn(orderId)).to.equal(false);
      await expect(merchstand.connect(seller).checkIn(orderId, delivered)).to.emit(merchstand, "TicketCheckedIn");
      expect(await merchstand.isCheckedIn(orderId)).to.equal(true);
      expect(await merchstand.isReviewed(orderId, delivered, ticketId)).to.equal(true);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Completed);
    });

    it("admits a ticket scanned on two door devices in one block once: the second is refused, the log says when", async () => {
      const { merchstand, seller, manager } = fx;
      const { orderId, order } = await ticketOrder();
      const delivered = await deliverDigital(fx, { orderId, order });
      const { a, b } = await sameBlock(
        fx,
        (o) => merchstand.connect(seller).checkIn(orderId, delivered, o),
        (o) => merchstand.connect(manager).checkIn(orderId, delivered, o),
      );
      expect(a.status).to.equal(1);
      expect(b.status).to.equal(0);
      const block = await fx.ethers.provider.getBlock(a.blockNumber);
      await expect(merchstand.connect(manager).checkIn(orderId, delivered))
        .to.be.revertedWithCustomError(merchstand, "AlreadyCheckedIn")
        .withArgs(orderId);
      const logs = await merchstand.queryFilter(merchstand.filters.TicketCheckedIn(orderId));
      expect(logs.map((l) => [l.args.staff, l.args.checkedInAt])).to.deep.equal([
        [seller.address, BigInt(block?.timestamp ?? 0)],
      ]);
    });

    it("refuses a ticket not yet delivered, or refunded", async () => {
      const { merchstand, seller } = fx;
      const { orderId, order } = await ticketOrder();
      await expect(merchstand.connect(seller).checkIn(orderId, order))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
      const delivered = await deliverDigital(fx, { orderId, order });
      await merchstand.connect(seller).refund(orderId, delivered, delivered.amount);
      await expect(merchstand.connect(seller).checkIn(orderId, delivered))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Refunded);
    });

    it("refuses a disputed ticket", async () => {
      const { merchstand, seller, buyer } = fx;
      const { orderId, order } = await ticketOrder();
      const delivered = await deliverDigital(fx, { orderId, order });
      await merchstand.connect(buyer).dispute(orderId, delivered, "no ticket in the payload");
      const disputed = { ...delivered, disputedAt: await now(fx) };
      await expect(merchstand.connect(seller).checkIn(orderId, disputed))
        .to.be.revertedWithCustomError(merchstand, "InvalidOrderStatus")
        .withArgs(orderId, Status.Disputed);
    });

    it("refuses an order that is not a ticket (NotATicket), a stranger, and a forged order", async () => {
      const { merchstand, seller, other, buyer, shirtId, ethStoreId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      const shipped = await ship(fx, orderId, order);
      await expect(merchstand.connect(seller).checkIn(orderId, shipped))
        .to.be.revertedWithCustomError(merchstand, "NotATicket")
        .withArgs(orderId, shirtId);
      const t = await ticketOrder();
      const delivered = await deliverDigital(fx, { orderId: t.orderId, order: t.order });
      await expect(merchstand.connect(other).checkIn(t.orderId, delivered))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
      await expect(merchstand.connect(seller).checkIn(t.orderId, { ...delivered, amount: 1n }))
        .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
        .withArgs(t.orderId);
    });
  });
});
