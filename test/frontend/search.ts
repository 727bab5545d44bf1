// Catalog search (frontend/src/client/catalog.ts searchCatalog and filterProducts): every word of the query must
// match somewhere (product name, store name, category, loaded metadata), simple inflections meet, and official
// stores rank first.
import { expect } from "chai";
import { filterProducts, type SearchHit, searchCatalog, stem } from "../../frontend/src/client/catalog.ts";
import type { Product, Store } from "../../frontend/src/client/protocol.ts";

function store(id: bigint, name: string, official = false): Store {
  return {
    id,
    owner: "0x0000000000000000000000000000000000000001",
    payout: "0x0000000000000000000000000000000000000001",
    currency: "0x0000000000000000000000000000000000000000",
    closed: false,
    official,
    termsVersion: 1,
    terms: {} as Store["terms"],
    shippingKey: "0x",
    balance: 0n,
    productCount: 0n,
    name,
    metadataCid: `store-${id}`,
    officialEvidence: "",
  };
}

function product(id: bigint, storeId: bigint, name: string, category = 0): Product {
  return {
    id,
    storeId,
    category,
    active: true,
    digital: false,
    maxPerBuyer: 0,
    ratingCount: 0,
    ratingSum: 0n,
    lastReviewBlock: 0,
    name,
    metadataCid: `product-${id}`,
    variants: [{ index: 0, label: "M", price: 1n, stock: 5, sold: 0, active: true, lastOrderBlock: 0 }],
  };
}

const OWLS = store(1n, "The Midnight Owls", true);
const FAKE = store(2n, "The Midnight 0wls Official");
const PRESS = store(3n, "Paper Press");
const STORES = [FAKE, OWLS, PRESS];
const PRODUCTS = [
  product(1n, 1n, "Owl Moon Tee"),
  product(2n, 1n, "Night Flight Hoodie"),
  product(3n, 1n, "Midnight on Vinyl", 1),
  product(4n, 2n, "Owl Moon Tee"),
  product(5n, 3n, "Gig Poster", 2),
  product(6n, 3n, "Crew T-Shirt"),
];

const names = (hits: SearchHit[]) =>
  hits.map((h) => (h.kind === "store" ? `store ${h.store.id}` : `product ${h.product.id}`));

describe("catalog search", () => {
  it("matches each word of the query anywhere in the name, in any order", () => {
    expect(names(searchCatalog("owl tee", STORES, PRODUCTS))).to.deep.equal(["product 1", "product 4"]);
    expect(names(searchCatalog("tee owl", STORES, PRODUCTS))).to.deep.equal(["product 1", "product 4"]);
  });

  it("needs every word to match somewhere", () => {
    expect(searchCatalog("owl hoodie", STORES, PRODUCTS).map((h) => h.kind)).to.deep.equal(["product"]);
    expect(searchCatalog("owl kettle", STORES, PRODUCTS)).to.deep.equal([]);
  });

  it("tolerates plurals and simple inflections", () => {
    expect(names(searchCatalog("hoody", STORES, PRODUCTS))).to.deep.equal(["product 2"]);
    expect(names(searchCatalog("hoodies", STORES, PRODUCTS))).to.deep.equal(["product 2"]);
    expect(names(searchCatalog("shirts", STORES, PRODUCTS))).to.deep.equal(["product 6"]);
    expect(names(searchCatalog("shirt", STORES, PRODUCTS))).to.deep.equal(["product 6"]);
    expect(names(searchCatalog("tshirt", STORES, PRODUCTS))).to.deep.equal(["product 6"]);
    expect(names(searchCatalog("posters", STORES, PRODUCTS))).to.include("product 5");
    expect(stem("boxes")).to.equal(stem("box"));
    expect(stem("hoodie")).to.equal(stem("hoody"));
    expect(stem("dress")).to.equal("dress");
  });

  it("matches store names and categories for products", () => {
    // "vinyl" is in a name; "music" is only the category of product 3.
    expect(names(searchCatalog("owls music", STORES, PRODUCTS))).to.deep.equal(["product 3"]);
    // "paper" is only in the store name: the store and each of its products.
    expect(names(searchCatalog("paper poster", STORES, PRODUCTS))).to.deep.equal(["product 5"]);
  });

  it("matches metadata text that is already loaded", () => {
    const text = {
      product: (p: Product) => (p.id === 2n ? "Heavyweight organic cotton, embroidered owl" : ""),
      store: (s: Store) => (s.id === 3n ? "Screen printers from Leeds" : ""),
    };
    expect(names(searchCatalog("organic cotton", STORES, PRODUCTS, text))).to.deep.equal(["product 2"]);
    expect(names(searchCatalog("organic cotton", STORES, PRODUCTS))).to.deep.equal([]);
    expect(names(searchCatalog("leeds printers", STORES, PRODUCTS, text))).to.deep.equal(["store 3"]);
  });

  it("ranks the official store and its products before a look-alike", () => {
    const hits = names(searchCatalog("midnight owls", STORES, PRODUCTS));
    expect(hits[0]).to.equal("store 1");
    expect(hits.indexOf("store 2")).to.be.greaterThan(hits.lastIndexOf("product 3"));
    expect(names(searchCatalog("owl tee", STORES, PRODUCTS))[0]).to.equal("product 1");
  });

  it("answers nothing for a query of only punctuation", () => {
    expect(searchCatalog(" -- ", STORES, PRODUCTS)).to.deep.equal([]);
  });

  it("filters a store's products by every word too", () => {
    const mine = PRODUCTS.filter((p) => p.storeId === 1n);
    expect(filterProducts(mine, { query: "tees owl" }).map((p) => p.id)).to.deep.equal([1n]);
    expect(filterProducts(mine, { query: "hoody" }).map((p) => p.id)).to.deep.equal([2n]);
    expect(filterProducts(mine, { query: "owl vinyl" })).to.deep.equal([]);
  });
});
