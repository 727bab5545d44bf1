import { expect } from "chai";
import {
  BUYER_KEY,
  buyEth,
  type Fx,
  listProduct,
  load,
  openStore,
  productInput,
  Status,
  ship,
  variant,
  ZERO,
} from "./support/helpers.ts";

describe("Views", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  const ids = (page: readonly { id: bigint }[]) => page.map((p) => p.id);

  describe("getStores", () => {
    it("pages stores by id from offset+1 and reports the total", async () => {
      const { merchstand, other, buyer2 } = fx;
      const [, before] = await merchstand.getStores(0, 0);
      const a = await openStore(fx, other, { name: "A" });
      const b = await openStore(fx, buyer2, { name: "B" });
      const c = await openStore(fx, other, { name: "C" });
      const total = before + 3n;

      const [all, t] = await merchstand.getStores(0, 100);
      expect(t).to.equal(total);
      expect(ids(all)).to.deep.equal(Array.from({ length: Number(total) }, (_, i) => BigInt(i + 1)));
      const [middle] = await merchstand.getStores(Number(before), 2);
      expect(ids(middle)).to.deep.equal([a, b]);
      expect(middle.map((s) => s.name)).to.deep.equal(["A", "B"]);
      const [tail] = await merchstand.getStores(Number(before) + 2, 2);
      expect(ids(tail)).to.deep.equal([c]);
    });

    it("returns an empty page past the end, for a zero limit, and for a huge offset", async () => {
      const { merchstand } = fx;
      const [, total] = await merchstand.getStores(0, 0);
      for (const [offset, limit] of [
        [total, 10n],
        [0n, 0n],
        [2n ** 256n - 1n, 10n],
      ] as const) {
        const [page, t] = await merchstand.getStores(offset, limit);
        expect(page.length).to.equal(0);
        expect(t).to.equal(total);
      }
      const [huge] = await merchstand.getStores(0, 2n ** 256n - 1n);
      expect(huge.length).to.equal(Number(total));
    });
  });

  describe("getStore", () => {
    it("reverts with StoreNotFound for id 0 and past the last store", async () => {
      const { merchstand } = fx;
      const [, total] = await merchstand.getStores(0, 0);
      for (const id of [0n, total + 1n]) {
        await expect(merchstand.getStore(id)).to.be.revertedWithCustomError(merchstand, "StoreNotFound").withArgs(id);
      }
    });

    it("shows the balance a store can withdraw and follows its terms version", async () => {
      const { merchstand, buyer, ethStoreId, seller, other } = fx;
      const { orderId, order } = await buyEth(fx, buyer, fx.shirtId);
      await merchstand.connect(buyer).complete(orderId, await ship(fx, orderId, order));
      const s = await merchstand.getStore(ethStoreId);
      expect(s.balance).to.equal(order.amount - (order.amount * order.feeBps) / 10_000n);
      const terms = { arbiter: other.address, shipWindow: s.terms.shipWindow, deliveryWindow: s.terms.deliveryWindow };
      await merchstand.connect(seller).setStoreTerms(ethStoreId, terms);
      const t = await merchstand.getStore(ethStoreId);
      expect(t.termsVersion).to.equal(2);
      expect(t.terms.arbiter).to.equal(other.address);
    });
  });

  describe("getProducts", () => {
    it("pages all stores' products by id, with their variants, in one call", async () => {
      const { merchstand, seller, usdStoreId, ethStoreId, shirtId } = fx;
      const [, before] = await merchstand.getProducts(0, 0);
      const x = await listProduct(fx, seller, usdStoreId, productInput({ name: "X" }), [variant("One", 5n, 1)]);
      const y = await listProduct(fx, seller, ethStoreId, productInput({ name: "Y" }), [
        variant("S", 1n, 1),
        variant("M", 2n, 2),
      ]);
      const [page, total] = await merchstand.getProducts(0, 100);
      expect(total).to.equal(before + 2n);
      expect(ids(page)).to.deep.equal(Array.from({ length: Number(total) }, (_, i) => BigInt(i + 1)));
      const [two] = await merchstand.getProducts(Number(before), 5);
      expect(ids(two)).to.deep.equal([x, y]);
      expect(two[1]?.variants.map((v) => [v.label, v.price, v.stock])).to.deep.equal([
        ["S", 1n, 1n],
        ["M", 2n, 2n],
      ]);
      const shirt = page.find((p) => p.id === BigInt(shirtId));
      expect(shirt?.variants.length).to.equal(3);
      const [none, t] = await merchstand.getProducts(total, 5);
      expect(none.length).to.equal(0);
      expect(t).to.equal(total);
    });
  });

  describe("getStoreProducts", () => {
    it("pages one store's products in listing order, with that store's count", async () => {
      const { merchstand, seller, ethStoreId, usdStoreId, shirtId, ebookId, mugId } = fx;
      const x = await listProduct(fx, seller, usdStoreId, productInput({ name: "X" }), [variant("One", 5n, 1)]);
      const y = await listProduct(fx, seller, ethStoreId, productInput({ name: "Y" }), [variant("One", 5n, 1)]);
      const [eth, ethTotal] = await merchstand.getStoreProducts(ethStoreId, 0, 10);
      expect(ethTotal).to.equal(3);
      expect(ids(eth)).to.deep.equal([BigInt(shirtId), BigInt(ebookId), y]);
      const [usd, usdTotal] = await merchstand.getStoreProducts(usdStoreId, 0, 10);
      expect(usdTotal).to.equal(2);
      expect(ids(usd)).to.deep.equal([BigInt(mugId), x]);
      const [second] = await merchstand.getStoreProducts(ethStoreId, 1, 1);
      expect(ids(second)).to.deep.equal([BigInt(ebookId)]);
      const [past] = await merchstand.getStoreProducts(ethStoreId, 3, 1);
      expect(past.length).to.equal(0);
      expect((await merchstand.getStore(ethStoreId)).productCount).to.equal(3);
    });

    it("is empty for a new store and reverts with StoreNotFound for an unknown one", async () => {
      const { merchstand, other } = fx;
      const storeId = await openStore(fx, other);
      const [page, total] = await merchstand.getStoreProducts(storeId, 0, 10);
      expect(page.length).to.equal(0);
      expect(total).to.equal(0);
      for (const id of [0, 999]) {
        await expect(merchstand.getStoreProducts(id, 0, 10))
          .to.be.revertedWithCustomError(merchstand, "StoreNotFound")
          .withArgs(id);
      }
    });
  });

  describe("getProduct", () => {
    it("reverts with ProductNotFound for id 0 and past the last product", async () => {
      const { merchstand } = fx;
      const [, total] = await merchstand.getProducts(0, 0);
      for (const id of [0n, total + 1n]) {
        await expect(merchstand.getProduct(id))
          .to.be.revertedWithCustomError(merchstand, "ProductNotFound")
          .withArgs(id);
      }
    });

    it("shows stock, units sold and the flags buyers depend on", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      const before = (await merchstand.getProduct(shirtId)).variants[2];
      await buyEth(fx, buyer, shirtId, { variant: 2, quantity: 3n });
      await merchstand.connect(seller).setVariantActive(shirtId, 1, false);
      await merchstand.connect(seller).setProductLimit(shirtId, 9);
      const p = await merchstand.getProduct(shirtId);
      expect(p.variants[2]?.stock).to.equal((before?.stock ?? 0n) - 3n);
      expect(p.variants[2]?.sold).to.equal((before?.sold ?? 0n) + 3n);
      expect(p.variants[1]?.active).to.equal(false);
      expect(p.variants[0]?.active).to.equal(true);
      expect(p.maxPerBuyer).to.equal(9);
      expect(p.active).to.equal(true);
      expect(p.digital).to.equal(false);
      expect((await merchstand.getProduct(fx.ebookId)).digital).to.equal(true);
    });
  });

  describe("small views", () => {
    it("storeTerms of an unknown version is empty", async () => {
      const { merchstand, ethStoreId } = fx;
      const t = await merchstand.storeTerms(ethStoreId, 99);
      expect(t.arbiter).to.equal(ZERO);
      expect(t.shipWindow).to.equal(0);
    });

    it("isStoreStaff is false for everyone in a store that does not exist", async () => {
      const { merchstand, seller } = fx;
      expect(await merchstand.isStoreStaff(999, seller.address)).to.equal(false);
      expect(await merchstand.isStoreStaff(999, ZERO)).to.equal(false);
    });

    it("credits and boughtBy start at zero, and isReviewed at false for an order's products", async () => {
      const { merchstand, buyer, shirtId } = fx;
      expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0);
      expect(await merchstand.boughtBy(shirtId, buyer.address)).to.equal(0);
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      expect(await merchstand.isReviewed(orderId, order, shirtId)).to.equal(false);
    });

    it("isReviewed checks the order it is given", async () => {
      const { merchstand, buyer, shirtId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      await expect(merchstand.isReviewed(orderId + 1n, order, shirtId))
        .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
        .withArgs(orderId + 1n);
      await expect(merchstand.isReviewed(orderId, order, shirtId + 1n))
        .to.be.revertedWithCustomError(merchstand, "ProductNotInOrder")
        .withArgs(orderId, shirtId + 1n);
    });

    it("orderStatus finds every order placed under the id its variant's sold count gives it", async () => {
      const { merchstand, buyer, shirtId, ebookId } = fx;
      const sold = async (productId: bigint) =>
        BigInt((await merchstand.getProduct(productId)).variants[0]?.sold ?? 0n);
      // There is no order counter: the next order of a variant is productId << 40 | variant << 32 | units sold.
      await buyEth(fx, buyer, shirtId, { quantity: 2n });
      const shirtSold = await sold(shirtId);
      const ebookSold = await sold(ebookId);
      const nextShirt = (shirtId << 40n) | shirtSold;
      const nextEbook = (ebookId << 40n) | ebookSold;
      expect(await merchstand.orderStatus(nextShirt)).to.equal(Status.None);
      expect(await merchstand.orderStatus(nextEbook)).to.equal(Status.None);
      const a = await buyEth(fx, buyer, shirtId);
      const b = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
      expect([a.orderId, b.orderId]).to.deep.equal([nextShirt, nextEbook]);
      expect(await merchstand.orderStatus(nextShirt)).to.equal(Status.Paid);
      expect(await merchstand.orderStatus(nextEbook)).to.equal(Status.Paid);
      expect(await sold(shirtId)).to.equal(shirtSold + 1n);
      expect(await sold(ebookId)).to.equal(ebookSold + 1n);
    });
  });
});
