// Griefing: inputs sized to hurt (every length cap at its limit and one byte past it, far past it, oversized carts
// and shipping blobs, the largest legal objects), dust orders, and a store or platform that shuts everything it can
// while orders are open. Nothing here may cost anyone but the griefer, or trap an escrow.
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import hre from "hardhat";
import { NO_CODE } from "../contracts/support/drops.ts";
import {
  buyEth,
  CID,
  disputeOrder,
  expectConserved,
  type Fx,
  fixtureTerms,
  listProduct,
  load,
  openStore,
  packLine,
  placedAll,
  productInput,
  SHIPPING,
  Status,
  ship,
  shippingBlob,
  storeInput,
  variant,
  ZERO,
} from "../contracts/support/helpers.ts";

/** Coverage instrumentation inflates gas, so gas bounds are only checked on uninstrumented runs. */
const MEASURING_GAS = !hre.globalOptions.coverage;

/** A string of exactly `bytes` UTF-8 bytes, mostly two-byte characters: the caps count bytes, not characters. */
function text(bytes: number): string {
  return "é".repeat(Math.floor(bytes / 2)) + "a".repeat(bytes % 2);
}

type Cap = {
  what: string;
  max: () => Promise<bigint>;
  /** 1 when the field may not be empty. */
  min: number;
  /** Sets up what the call needs, then sends it with a string of `bytes` bytes. */
  send: (bytes: number) => Promise<ContractTransactionResponse>;
};

describe("Security: griefing", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  /** `shirtId`: a physical ETH product with enough stock for every row's orders. */
  function caps(shirtId: bigint): Cap[] {
    const { merchstand: m, seller, buyer, verifier, ethStoreId } = fx;
    const NAME = () => m.MAX_NAME_BYTES();
    const CIDS = () => m.MAX_CID_BYTES();
    const TEXT = () => m.MAX_TEXT_BYTES();
    const EVIDENCE = () => m.MAX_EVIDENCE_BYTES();
    const shipped = async () => {
      const o = await buyEth(fx, buyer, shirtId);
      return { ...o, order: await ship(fx, o.orderId, o.order) };
    };
    const completed = async () => {
      const o = await shipped();
      await (await m.connect(buyer).complete(o.orderId, o.order)).wait();
      return o;
    };
    return [
      {
        what: "store name",
        max: NAME,
        min: 1,
        send: async (n) => m.connect(fx.other).openStore(await storeInput(fx, { name: text(n) })),
      },
      {
        what: "store metadata CID",
        max: CIDS,
        min: 0,
        send: async (n) => m.connect(fx.other).openStore(await storeInput(fx, { metadataCid: text(n) })),
      },
      {
        what: "store profile name",
        max: NAME,
        min: 1,
        send: (n) => m.connect(seller).setStoreProfile(ethStoreId, text(n), CID),
      },
      {
        what: "store profile CID",
        max: CIDS,
        min: 0,
        send: (n) => m.connect(seller).setStoreProfile(ethStoreId, "N", text(n)),
      },
      {
        what: "product name",
        max: NAME,
        min: 1,
        send: (n) => m.connect(seller).listProduct(ethStoreId, productInput({ name: text(n) }), [variant("M", 1n, 1)]),
      },
      {
        what: "product metadata CID",
        max: CIDS,
        min: 0,
        send: (n) =>
          m.connect(seller).listProduct(ethStoreId, productInput({ metadataCid: text(n) }), [variant("M", 1n, 1)]),
      },
      {
        what: "variant label",
        max: () => m.MAX_LABEL_BYTES(),
        min: 1,
        send: (n) => m.connect(seller).listProduct(ethStoreId, productInput(), [variant(text(n), 1n, 1)]),
      },
      {
        what: "updated product name",
        max: NAME,
        min: 1,
        send: (n) => m.connect(seller).updateProduct(shirtId, text(n), CID, 0),
      },
      {
        what: "updated product CID",
        max: CIDS,
        min: 0,
        send: (n) => m.connect(seller).updateProduct(shirtId, "N", text(n), 0),
      },
      {
        what: "added variant label",
        max: () => m.MAX_LABEL_BYTES(),
        min: 1,
        send: async (n) => {
          const id = await listProduct(fx, seller, ethStoreId, productInput(), [variant("M", 1n, 1)]);
          return m.connect(seller).addVariant(id, variant(text(n), 1n, 1));
        },
      },
      {
        what: "tracking reference",
        max: () => m.MAX_TRACKING_BYTES(),
        min: 1,
        send: async (n) => {
          const o = await buyEth(fx, buyer, shirtId);
          return m.connect(seller).markShipped(o.orderId, o.order, text(n));
        },
      },
      {
        what: "dispute reason",
        max: TEXT,
        min: 0,
        send: async (n) => {
          const o = await shipped();
          return m.connect(buyer).dispute(o.orderId, o.order, text(n));
        },
      },
      {
        what: "review text",
        max: TEXT,
        min: 0,
        send: async (n) => {
          const o = await completed();
          return m.connect(buyer).review(o.orderId, o.order, shirtId, 5, text(n));
        },
      },
      {
        what: "review reply",
        max: TEXT,
        min: 1,
        send: async (n) => {
          const o = await completed();
          await (await m.connect(buyer).review(o.orderId, o.order, shirtId, 4, "ok")).wait();
          return m.connect(seller).replyToReview(o.orderId, o.order, shirtId, text(n));
        },
      },
      {
        what: "verification evidence",
        max: EVIDENCE,
        min: 1,
        send: (n) => m.connect(seller).requestVerification(ethStoreId, text(n)),
      },
      {
        what: "official evidence",
        max: EVIDENCE,
        min: 1,
        send: (n) => m.connect(verifier).attestOfficial(ethStoreId, text(n)),
      },
      {
        what: "revocation reason",
        max: TEXT,
        min: 1,
        send: async (n) => {
          await (await m.connect(verifier).attestOfficial(ethStoreId, "https://band.example/store")).wait();
          return m.connect(verifier).revokeOfficial(ethStoreId, text(n));
        },
      },
    ];
  }

  describe("every length cap", () => {
    it("accepts exactly the cap, refuses one byte more (and empty where required) with InvalidLength", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const stocked = await listProduct(fx, seller, ethStoreId, productInput(), [variant("M", 10n ** 15n, 1_000)]);
      const rows = caps(stocked);
      expect(rows.length).to.equal(17);
      for (const row of rows) {
        const max = Number(await row.max());
        const atCap = await (await row.send(max)).wait();
        expect(atCap?.status, `${row.what} at ${max} bytes`).to.equal(1);
        await expect(row.send(max + 1), `${row.what} at ${max + 1} bytes`)
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(max + 1, max);
        // Far past the cap: refused the same way, at the griefer's expense only.
        await expect(row.send(10_000), `${row.what} at 10 kB`)
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(10_000, max);
        if (row.min === 1) {
          await expect(row.send(0), `${row.what} empty`)
            .to.be.revertedWithCustomError(merchstand, "InvalidLength")
            .withArgs(0, max);
        }
      }
    });
  });

  describe("shipping blobs", () => {
    it("accepts the 512-byte cap and refuses 513 bytes and 100 kB with InvalidShippingBlob", async () => {
      const { merchstand, buyer, shirtId, ethStoreId } = fx;
      const max = await merchstand.MAX_SHIPPING_BYTES();
      const price = (await merchstand.getProduct(shirtId)).variants[0]?.price ?? 0n;
      await expect(
        merchstand
          .connect(buyer)
          .buy_oT9la(packLine(shirtId, 0, 1, price), shippingBlob(Number(max)), { value: price }),
      ).to.emit(merchstand, "OrderPlaced");
      for (const length of [Number(max) + 1, 100_000]) {
        await expect(
          merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), shippingBlob(length), { value: price }),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, length, max);
      }
    });
  });

  describe("carts and variant lists", () => {
    it("accepts a cart of exactly MAX_CART_LINES lines and refuses one more with CartTooLarge", async () => {
      const { merchstand, buyer, seller, ethStoreId } = fx;
      const max = Number(await merchstand.MAX_CART_LINES());
      const perProduct = Number(await merchstand.MAX_VARIANTS());
      // Every line a different variant (a cold storage slot each): the most expensive legal cart.
      const slots: { productId: bigint; variant: number }[] = [];
      while (slots.length < max + 1) {
        const variants = Array.from({ length: perProduct }, (_, i) => variant(`V${i}`, 1n, 1_000));
        const productId = await listProduct(fx, seller, ethStoreId, productInput(), variants);
        for (let i = 0; i < perProduct; i++) slots.push({ productId, variant: i });
      }
      const cart = (lines: number) => [
        {
          storeId: ethStoreId,
          termsVersion: 1,
          lines: slots.slice(0, lines).map((s) => ({ ...s, quantity: 1, maxUnitPrice: 1n })),
          shipping: shippingBlob(512),
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
      ];
      const tx = await merchstand.connect(buyer).checkout(cart(max), { value: BigInt(max) });
      const receipt = await tx.wait();
      if (receipt === null) throw new Error("no receipt");
      // The worst legal cart is still an ordinary transaction (about 235,000 gas when written).
      if (MEASURING_GAS) expect(receipt.gasUsed).to.be.lessThan(400_000n);
      await expect(merchstand.connect(buyer).checkout(cart(max + 1), { value: BigInt(max + 1) }))
        .to.be.revertedWithCustomError(merchstand, "CartTooLarge")
        .withArgs(max + 1, max);
      // Spread over many store orders, the line count is still the whole cart's.
      const perLine = slots.slice(0, max + 1).map((s) => ({
        storeId: ethStoreId,
        termsVersion: 1,
        lines: [{ ...s, quantity: 1, maxUnitPrice: 1n }],
        shipping: shippingBlob(512),
        zone: 0,
        maxShipping: 0n,
        code: NO_CODE,
      }));
      await expect(merchstand.connect(buyer).checkout(perLine, { value: BigInt(max + 1) }))
        .to.be.revertedWithCustomError(merchstand, "CartTooLarge")
        .withArgs(max + 1, max);
    });

    it("accepts MAX_VARIANTS variants, refuses one more on listing and on addVariant", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const max = Number(await merchstand.MAX_VARIANTS());
      const variants = (n: number) => Array.from({ length: n }, (_, i) => variant(`V${i}`, 1n, 1));
      const id = await listProduct(fx, seller, ethStoreId, productInput(), variants(max));
      await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput(), variants(max + 1)))
        .to.be.revertedWithCustomError(merchstand, "InvalidVariantCount")
        .withArgs(max + 1, max);
      await expect(merchstand.connect(seller).addVariant(id, variant("extra", 1n, 1)))
        .to.be.revertedWithCustomError(merchstand, "InvalidVariantCount")
        .withArgs(max + 1, max);
    });

    it("serves the dapp's pages of the largest legal products in one eth_call each", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      // The dapp's page sizes (frontend/src/client/catalog.ts): 24 on the catalog page, 100 for bulk loads.
      const CATALOG_PAGE = 24n;
      const BULK_PAGE = 100n;
      const [maxName, maxCid, maxLabel, maxVariants] = await Promise.all([
        merchstand.MAX_NAME_BYTES(),
        merchstand.MAX_CID_BYTES(),
        merchstand.MAX_LABEL_BYTES(),
        merchstand.MAX_VARIANTS(),
      ]);
      const big = productInput({ name: text(Number(maxName)), metadataCid: text(Number(maxCid)) });
      const variants = Array.from({ length: Number(maxVariants) }, () => variant(text(Number(maxLabel)), 1n, 1));
      for (let i = 0n; i < CATALOG_PAGE; i++) {
        await (await merchstand.connect(seller).listProduct(ethStoreId, big, variants)).wait();
      }
      const [, total] = await merchstand.getProducts(0, 0);
      const [page] = await merchstand.getProducts(total - CATALOG_PAGE, CATALOG_PAGE);
      expect(page.length).to.equal(Number(CATALOG_PAGE));
      expect(page.every((p) => p.variants.length === Number(maxVariants))).to.equal(true);
      // Public RPCs commonly cap eth_call at 50M gas. A page costs a fixed part plus the same for each product
      // (about 4.4M for these 24 when written), so two pages give the per-product cost for a bulk page.
      if (!MEASURING_GAS) return;
      const full = await merchstand.getProducts.estimateGas(total - CATALOG_PAGE, CATALOG_PAGE);
      const half = await merchstand.getProducts.estimateGas(total - CATALOG_PAGE, CATALOG_PAGE / 2n);
      const perProduct = (full - half) / (CATALOG_PAGE / 2n);
      expect(full).to.be.lessThan(10_000_000n);
      expect(full + perProduct * (BULK_PAGE - CATALOG_PAGE)).to.be.lessThan(50_000_000n);
    });
  });

  describe("dust", () => {
    it("1-wei orders round the fee down to zero, can't be split, and block nothing", async () => {
      const { merchstand, seller, buyer, buyer2, feeRecipient, ethStoreId } = fx;
      const dustId = await listProduct(fx, seller, ethStoreId, productInput(), [variant("Dust", 1n, 1_000)]);
      const orders = [];
      for (let i = 0; i < 40; i++) orders.push(await buyEth(fx, i % 2 === 0 ? buyer : buyer2, dustId));
      // A 1-wei escrow is all-or-nothing: a partial refund has nothing to leave behind.
      const first = orders[0] as (typeof orders)[number];
      await expect(merchstand.connect(seller).refund(first.orderId, first.order, 0n))
        .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
        .withArgs(first.orderId, 0n, 1n);
      for (const o of orders.slice(0, 20)) {
        const sent = await ship(fx, o.orderId, o.order);
        await (
          await merchstand.connect(o.order.buyer === buyer.address ? buyer : buyer2).complete(o.orderId, sent)
        ).wait();
      }
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(20n);
      expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(0n);
      // Real business next to the dust is untouched.
      const real = await buyEth(fx, buyer, fx.shirtId);
      const realShipped = await ship(fx, real.orderId, real.order);
      await expect(merchstand.connect(buyer).complete(real.orderId, realShipped)).to.emit(merchstand, "OrderCompleted");
      await expect(merchstand.withdrawStoreBalance(ethStoreId)).to.emit(merchstand, "StoreWithdrawal");
      await expectConserved(fx, ZERO);
    });

    it("a dust cart of many stores still places one order per store, each under its own id", async () => {
      const { merchstand, seller, other, buyer } = fx;
      const stores = [];
      for (let i = 0; i < 4; i++) {
        const storeId = await openStore(fx, i % 2 === 0 ? seller : other, { payout: other.address });
        const productId = await listProduct(fx, i % 2 === 0 ? seller : other, storeId, productInput(), [
          variant("Dust", 1n, 10),
        ]);
        stores.push({ storeId, productId });
      }
      const cart = stores.map(({ storeId, productId }) => ({
        storeId,
        termsVersion: 1,
        lines: [{ productId, variant: 0, quantity: 5, maxUnitPrice: 1n }],
        shipping: SHIPPING,
        zone: 0,
        maxShipping: 0n,
        code: NO_CODE,
      }));
      // Each order's id is its first line's productId << 40 | variant << 32 | units sold before: all fresh here.
      const ids = stores.map(({ productId }) => productId << 40n);
      expect(Array.from(await merchstand.connect(buyer).checkout.staticCall(cart, { value: 20n }))).to.deep.equal(ids);
      const receipt = await (await merchstand.connect(buyer).checkout(cart, { value: 20n })).wait();
      if (receipt === null) throw new Error("no receipt");
      const placedOrders = await placedAll(merchstand, receipt);
      expect(placedOrders.map((p) => p.orderId)).to.deep.equal(ids);
      expect(placedOrders.map((p) => p.order.storeId)).to.deep.equal(stores.map((s) => s.storeId));
      expect(placedOrders.every((p) => p.order.amount === 5n)).to.equal(true);
      for (const id of ids) expect(await merchstand.orderStatus(id)).to.equal(Status.Paid);
      await expectConserved(fx, ZERO);
    });
  });

  describe("a store or platform that shuts everything it can", () => {
    it("never traps an open order: every escrow still reaches its end", async () => {
      const { merchstand, admin, seller, buyer, buyer2, arbiter, other, shirtId, ethStoreId } = fx;
      const terms = await fixtureTerms(fx);
      const paid = await buyEth(fx, buyer, shirtId);
      const refundable = await buyEth(fx, buyer2, shirtId);
      const toComplete = await buyEth(fx, buyer2, shirtId);
      const shippedOrder = await ship(fx, toComplete.orderId, toComplete.order);
      const toDispute = await buyEth(fx, buyer, shirtId);
      const disputed = await disputeOrder(fx, toDispute.orderId, await ship(fx, toDispute.orderId, toDispute.order));
      const toRule = await buyEth(fx, buyer2, shirtId);
      const ruled = await disputeOrder(fx, toRule.orderId, await ship(fx, toRule.orderId, toRule.order), buyer2);

      // Everything that can be switched off is switched off.
      await (await merchstand.connect(seller).setVariantActive(shirtId, 0, false)).wait();
      await (await merchstand.connect(seller).setProductActive(shirtId, false)).wait();
      await (await merchstand.connect(seller).setVariantStock(shirtId, 0, 0)).wait();
      await (await merchstand.connect(seller).setStoreTerms(ethStoreId, { ...terms, arbiter: other.address })).wait();
      await (await merchstand.connect(seller).closeStore(ethStoreId)).wait();
      await (await merchstand.connect(admin).pause()).wait();

      await expect(
        merchstand.connect(seller).refund(refundable.orderId, refundable.order, refundable.order.amount),
      ).to.emit(merchstand, "OrderRefunded");
      // The arbiter fixed at purchase still rules, not the one the store switched to.
      await expect(merchstand.connect(other).resolveDispute(toRule.orderId, ruled, 0n))
        .to.be.revertedWithCustomError(merchstand, "NotArbiter")
        .withArgs(toRule.orderId, other.address);
      await expect(merchstand.connect(arbiter).resolveDispute(toRule.orderId, ruled, ruled.amount / 2n)).to.emit(
        merchstand,
        "DisputeResolved",
      );
      await fx.networkHelpers.time.increase(
        Math.max(Number(terms.shipWindow), Number(terms.deliveryWindow), Number(await merchstand.ARBITER_WINDOW())),
      );
      await expect(merchstand.connect(buyer).cancel(paid.orderId, paid.order)).to.emit(merchstand, "OrderCancelled");
      await expect(merchstand.connect(other).complete(toComplete.orderId, shippedOrder)).to.emit(
        merchstand,
        "OrderCompleted",
      );
      await expect(merchstand.connect(other).resolveExpiredDispute(toDispute.orderId, disputed)).to.emit(
        merchstand,
        "DisputeResolved",
      );
      for (const id of [paid.orderId, refundable.orderId, toComplete.orderId, toDispute.orderId, toRule.orderId]) {
        expect([Status.Cancelled, Status.Refunded, Status.Completed, Status.Resolved]).to.include(
          await merchstand.orderStatus(id),
        );
      }
      // Stock came back on the cancel and the full refund even though the variant is switched off.
      expect((await merchstand.getProduct(shirtId)).variants[0]?.stock).to.equal(2n);
      await expect(merchstand.withdrawStoreBalance(ethStoreId)).to.emit(merchstand, "StoreWithdrawal");
      // The buyer's refund and ruling shares were paid straight to the buyer: nothing waits as a credit.
      expect(await merchstand.credits(buyer2.address, ZERO)).to.equal(0n);
      await expectConserved(fx, ZERO);
    });
  });
});
