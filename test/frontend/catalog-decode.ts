// The paged catalog views as the client decodes them (chain.ts decodePage: struct by struct, in linear time) against
// what the contract holds: a seeded catalog over several pages, with non-ASCII names and labels, several variant
// counts, stock changed by purchases, sold counters, disabled variants and products, and ratings from reviews.
// Checked three ways: against the inputs that built the catalog, against the contract's own one-item views read
// through ethers' Contract (ethers' whole-answer decoder), and against `decodeFunctionResult` on the same answers.
import { expect } from "chai";
import { concat, dataSlice, type Result, toBeHex, zeroPadValue } from "ethers";
import {
  loadAllProducts,
  loadAllStores,
  loadCatalogPage,
  loadStoreProducts,
} from "../../frontend/src/client/catalog.ts";
import { Chain, decodePage, decodePageStructs, pageStruct } from "../../frontend/src/client/chain.ts";
import { merchstand as iface, outputOf } from "../../frontend/src/client/contract.ts";
import { loadOrder } from "../../frontend/src/client/orders.ts";
import { packLine, toProduct, toStore } from "../../frontend/src/client/protocol.ts";
import { sealShipping } from "../../frontend/src/client/shipping-crypto.ts";
import { ADDRESS, deployCatalog, ethers, networkHelpers, providerFetch, STORE_KEY } from "./support/fixture.ts";

const STORE_NAMES = ["Sigur Rós — Merch", "東京事変 公式ストア", "Motörhead 🤘 Shop"];
const PRODUCT_NAMES = [
  "Tour Tee — Ærøskøbing",
  "東京ドーム ポスター",
  "Café 🎸 Hoodie",
  "Ελληνικό LP",
  "Zürich Pin",
  "Привет Tote",
  "नमस्ते Cassette",
  "مرحبا Beanie",
];
const LABELS = [["S", "M", "L", "XL"], ["Größe 38"], ["黒 / M", "白 / L"], ["🎸", "🥁", "🎹"]];
const ADDED = 23; // + the fixture's 2 = 25 products: three pages of 10.
const PAGE = 10;

type ModelVariant = {
  label: string;
  price: bigint;
  stock: number;
  sold: number;
  active: boolean;
  lastOrderBlock: number;
};
type ModelProduct = {
  id: bigint;
  storeId: bigint;
  name: string;
  metadataCid: string;
  category: number;
  maxPerBuyer: number;
  digital: boolean;
  active: boolean;
  ratingCount: number;
  ratingSum: bigint;
  lastReviewBlock: number;
  variants: ModelVariant[];
};

/** The fixture's catalog plus three stores and 23 products, bought, reviewed and edited; and a model of it all. */
async function seededCatalog() {
  const f = await deployCatalog();
  const signers = await ethers.getSigners();
  const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
  const terms = { arbiter: f.admin.address, shipWindow: 7 * 86400, deliveryWindow: 14 * 86400 };
  const key = ethers.hexlify(STORE_KEY.publicKey);
  // Store 1 is the fixture seller's; stores 4..6 are opened here by accounts 4..6.
  const owners = new Map([[1n, f.seller]]);
  for (const [i, name] of STORE_NAMES.entries()) {
    const owner = signers[4 + i]!;
    await f.merchstand.connect(owner).openStore({
      name,
      metadataCid: `bafkreistore${i}`,
      payout: owner.address,
      currency: ethers.ZeroAddress,
      shippingKey: key,
      terms,
    });
    owners.set(BigInt(4 + i), owner);
  }

  // The fixture's two products, as deployCatalog lists them.
  const model: ModelProduct[] = [];
  for (const p of [1n, 2n]) model.push(toProduct(outputOf("getProduct", await f.merchstand.getProduct(p))));
  for (let i = 0; i < ADDED; i++) {
    const storeId = [1n, 4n, 5n, 6n][i % 4]!;
    const product = {
      name: `${PRODUCT_NAMES[i % PRODUCT_NAMES.length]} No. ${i + 1}`,
      metadataCid: i % 2 === 0 ? "" : `bafkreiproduct${i}`,
      category: i % 7,
      maxPerBuyer: i % 3 === 0 ? 0 : i,
      digital: i % 5 === 4,
    };
    const variants = LABELS[i % LABELS.length]!.map((label, v) => ({
      label,
      price: 1_000n * BigInt(i + 1) + BigInt(v),
      stock: 3 + ((i * 7 + v) % 11),
    }));
    await f.merchstand.connect(owners.get(storeId)!).listProduct(storeId, product, variants);
    model.push({
      id: BigInt(model.length + 1),
      storeId,
      ...product,
      active: true,
      ratingCount: 0,
      ratingSum: 0n,
      lastReviewBlock: 0,
      variants: variants.map((v) => ({ ...v, sold: 0, active: true, lastOrderBlock: 0 })),
    });
  }
  const byId = (id: bigint) => model[Number(id) - 1]!;
  const ownerOf = (id: bigint) => owners.get(byId(id).storeId)!;

  // Edits: a variant switched off, a product switched off, a variant sold out by its seller, a new price.
  await f.merchstand.connect(ownerOf(7n)).setVariantActive(7n, 1, false);
  byId(7n).variants[1]!.active = false;
  await f.merchstand.connect(ownerOf(9n)).setProductActive(9n, false);
  byId(9n).active = false;
  await f.merchstand.connect(ownerOf(10n)).setVariantStock(10n, 0, 0);
  byId(10n).variants[0]!.stock = 0;
  await f.merchstand.connect(ownerOf(11n)).setVariantPrice(11n, 0, 123_456_789n);
  byId(11n).variants[0]!.price = 123_456_789n;

  // Purchases (stock down, sold up) and reviews (ratings), through the real order flow.
  const sealed = ethers.hexlify(sealShipping(ADDRESS, STORE_KEY.publicKey));
  const buy = async (productId: bigint, variant: number, quantity: number, rating?: number) => {
    const v = byId(productId).variants[variant]!;
    // productId << 40 | variant << 32 | the variant's sold counter before the order (IMerchstand's NatSpec).
    const orderId = (productId << 40n) | (BigInt(variant) << 32n) | BigInt(v.sold);
    const line = packLine({ productId, variant, quantity, maxUnitPrice: v.price }, 1);
    const bought = await (
      await f.merchstand.connect(f.buyer).buy_oT9la(line, sealed, { value: v.price * BigInt(quantity) })
    ).wait();
    v.stock -= quantity;
    v.sold += quantity;
    v.lastOrderBlock = bought!.blockNumber;
    if (rating === undefined) return;
    const placed = await loadOrder(chain, orderId, f.deploymentBlock);
    await f.merchstand.connect(ownerOf(productId)).markShipped(orderId, placed!.order as never, "DHL 123");
    const shipped = await loadOrder(chain, orderId, f.deploymentBlock);
    await f.merchstand.connect(f.buyer).complete(orderId, shipped!.order as never);
    const reviewed = await (
      await f.merchstand.connect(f.buyer).review(orderId, shipped!.order as never, productId, rating, "Très bien 👍")
    ).wait();
    byId(productId).lastReviewBlock = reviewed!.blockNumber;
    byId(productId).ratingCount += 1;
    byId(productId).ratingSum += BigInt(rating);
  };
  await buy(3n, 1, 2, 5); // product 3: i = 0, store 1, no limit
  await buy(3n, 1, 1, 2);
  await buy(6n, 2, 3, 3); // i = 3, store 6
  await buy(14n, 0, 1); // i = 12, store 1: sold, not reviewed

  return { ...f, chain, model, byId, owners };
}

/** The model as the client's Product type (variants carry their index). */
function expected(model: ModelProduct[]) {
  return model.map((p) => ({ ...p, variants: p.variants.map((v, index) => ({ index, ...v })) }));
}

describe("catalog decoding: paged views against what the contract holds", () => {
  async function setup() {
    const s = await networkHelpers.loadFixture(seededCatalog);
    const fetch = providerFetch();
    return { ...s, fetch, chain: Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: s.address }, fetch) };
  }

  it("loads every product over three pages with names, variants, stock, sold and ratings as listed and bought", async () => {
    const { chain, fetch, model, byId } = await setup();
    const all = await loadAllProducts(chain, PAGE);
    expect(fetch.count).to.equal(3);
    expect(all).to.deep.equal(expected(model));
    // Spot checks that the model itself holds what the scenario did.
    expect(byId(3n).name).to.equal("Tour Tee — Ærøskøbing No. 1");
    expect(all[2]?.variants.map((v) => [v.label, v.stock, v.sold])).to.deep.equal([
      ["S", 3, 0],
      ["M", 1, 3],
      ["L", 5, 0],
      ["XL", 6, 0],
    ]);
    expect([all[2]?.ratingCount, all[2]?.ratingSum]).to.deep.equal([2, 7n]);
    expect(all[5]?.variants.map((v) => v.label)).to.deep.equal(["🎸", "🥁", "🎹"]);
    expect(all[13]?.variants[0]?.sold).to.equal(1);
    expect(all[6]?.variants[1]?.active).to.equal(false);
    expect(all[8]?.active).to.equal(false);
  });

  it("loads each catalog page in one request, equal to the contract's one-product view", async () => {
    const { chain, fetch, merchstand, model } = await setup();
    const seen: bigint[] = [];
    for (let page = 0; page < 3; page++) {
      fetch.count = 0;
      const loaded = await loadCatalogPage(chain, page, PAGE);
      expect(fetch.count).to.equal(1);
      expect([loaded.total, loaded.pages]).to.deep.equal([25, 3]);
      expect(loaded.products.length).to.equal(page < 2 ? PAGE : 5);
      for (const product of loaded.products) {
        // ethers' Contract decodes getProduct with its own whole-answer decoder: an independent reading.
        expect(product).to.deep.equal(toProduct(outputOf("getProduct", await merchstand.getProduct(product.id))));
        seen.push(product.id);
      }
    }
    expect(seen).to.deep.equal(model.map((p) => p.id));
  });

  it("loads one store's products over several pages in listing order", async () => {
    const { chain, model } = await setup();
    for (const storeId of [1n, 4n, 6n]) {
      const own = await loadStoreProducts(chain, storeId, 3);
      expect(own).to.deep.equal(expected(model.filter((p) => p.storeId === storeId)));
      expect(own.length).to.be.greaterThan(3);
    }
  });

  it("loads every store over two pages, equal to the contract's one-store view", async () => {
    const { chain, fetch, merchstand, model } = await setup();
    const stores = await loadAllStores(chain, 4);
    expect(fetch.count).to.equal(2);
    expect(stores.map((s) => s.name)).to.deep.equal([
      "The Band",
      "The Band Mugs",
      "THE BAND — 0fficial",
      ...STORE_NAMES,
    ]);
    expect(stores.map((s) => s.productCount)).to.deep.equal(
      stores.map((s) => BigInt(model.filter((p) => p.storeId === s.id).length)),
    );
    expect(stores.map((s) => s.official)).to.deep.equal([true, false, false, false, false, false]);
    expect(stores[0]?.officialEvidence).to.equal("https://theband.example/merch");
    // Completed orders credited store 1 and store 6.
    expect(stores[0]!.balance > 0n && stores[5]!.balance > 0n).to.equal(true);
    for (const store of stores) {
      expect(store).to.deep.equal(toStore(outputOf("getStore", await merchstand.getStore(store.id))));
    }
  });

  it("decodes each paged view's answer exactly as ethers' decodeFunctionResult does", async () => {
    const { chain } = await setup();
    const calls: [string, () => Promise<string>][] = [
      ["getProducts", () => chain.callRaw("getProducts", [0n, 100n])],
      ["getProducts", () => chain.callRaw("getProducts", [7n, 10n])],
      ["getProducts", () => chain.callRaw("getProducts", [25n, 10n])],
      ["getStoreProducts", () => chain.callRaw("getStoreProducts", [4n, 0n, 100n])],
      ["getStores", () => chain.callRaw("getStores", [0n, 100n])],
    ];
    for (const [fn, call] of calls) {
      const raw = await call();
      const reference = iface.decodeFunctionResult(fn, raw);
      // The fast path itself, not its fallback: it must read the canonical encoding the node returns.
      const fast = decodePageStructs(pageStruct(iface, fn), raw);
      expect(fast.total).to.equal(Number(reference[1]));
      expect(fast.items.map((r) => r.toObject(true))).to.deep.equal(
        Array.from(reference[0] as Result, (r: Result) => r.toObject(true)),
      );
      expect(fast.items.length).to.equal((reference[0] as Result).length);
    }
  });

  it("answers as ethers does for encodings it cannot slice, and raises ethers' own error for junk", async () => {
    const { chain } = await setup();
    // Structs re-encoded by hand into a page: shared (both offsets point at one struct) and out of order (the first
    // item's struct written after the second's). Both are valid ABI that ethers decodes; the client must agree.
    const one = (id: bigint) => chain.callRaw("getProduct", [id]).then((raw) => dataSlice(raw, 32));
    const [a, b] = [await one(3n), await one(6n)];
    const word = (n: number | bigint) => zeroPadValue(toBeHex(n), 32);
    const page = (offsets: number[], ...structs: string[]) =>
      concat([word(64), word(25), word(offsets.length), ...offsets.map(word), ...structs]);
    const shared = page([64, 64], a);
    const reversed = page([64 + (b.length - 2) / 2, 64], b, a);
    for (const data of [shared, reversed]) {
      const reference = iface.decodeFunctionResult("getProducts", data);
      const decoded = decodePage(iface, "getProducts", data);
      const product = (r: Result) => toProduct(outputOf("getProduct", r));
      expect(decoded.items.map(product)).to.deep.equal(Array.from(reference[0] as Result, product));
      expect(decoded.total).to.equal(25);
    }
    expect(decodePage(iface, "getProducts", shared).items.map((p) => outputOf("getProduct", p).id)).to.deep.equal([
      3n,
      3n,
    ]);
    expect(decodePage(iface, "getProducts", reversed).items.map((p) => outputOf("getProduct", p).id)).to.deep.equal([
      3n,
      6n,
    ]);

    const truncated = dataSlice(await chain.callRaw("getProducts", [0n, 5n]), 0, 18 * 32);
    for (const junk of ["0x", truncated, `${truncated}00`]) {
      const reference = (() => {
        try {
          iface.decodeFunctionResult("getProducts", junk);
        } catch (error) {
          return (error as Error).message;
        }
        return "decoded";
      })();
      expect(reference).to.not.equal("decoded");
      expect(() => decodePage(iface, "getProducts", junk)).to.throw(reference);
    }
    expect(() => decodePage(iface, "getProduct", a)).to.throw("does not answer (struct[] page, uint256 total)");
  });
});
