// The checkout draft (client/checkout-draft.ts): typed details round-trip through the tab's storage, per chain and
// contract; hostile or corrupt stored values are dropped; clear() forgets them. And the Buy now list
// (client/cart.ts Cart with a name) never touches the cart.
import { expect } from "chai";
import { Cart, type CartLine } from "../../frontend/src/client/cart.ts";
import { CheckoutDraft, SealedAddressCopies } from "../../frontend/src/client/checkout-draft.ts";

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("checkout draft (client/checkout-draft.ts)", () => {
  it("keeps typed fields per chain and contract, and forgets them on clear", () => {
    const storage = new MemoryStorage();
    const draft = new CheckoutDraft(storage, 31337, CONTRACT);
    draft.save({ name: "Ada", city: "Leeds", line2: "", country: "GB" });
    expect(new CheckoutDraft(storage, 31337, CONTRACT.toLowerCase()).load()).to.deep.equal({
      name: "Ada",
      city: "Leeds",
      country: "GB",
    });
    expect(new CheckoutDraft(storage, 1, CONTRACT).load()).to.deep.equal({});
    draft.clear();
    expect(draft.load()).to.deep.equal({});
    expect(storage.items.size).to.equal(0);
  });

  it("drops unknown keys, non-strings and corrupt JSON, and cuts overlong values", () => {
    const storage = new MemoryStorage();
    const draft = new CheckoutDraft(storage, 31337, CONTRACT);
    const key = `merchstand.checkout-draft.v1.31337.${CONTRACT.toLowerCase()}`;
    storage.setItem(key, JSON.stringify({ name: 42, city: "x".repeat(500), __proto__: "a", evil: "<img>" }));
    expect(draft.load()).to.deep.equal({ city: "x".repeat(120) });
    storage.setItem(key, "{not json");
    expect(draft.load()).to.deep.equal({});
    storage.setItem(key, "null");
    expect(draft.load()).to.deep.equal({});
  });

  it("works without storage (a browser that refuses it)", () => {
    const draft = new CheckoutDraft(null, 31337, CONTRACT);
    draft.save({ name: "Ada" });
    expect(draft.load()).to.deep.equal({});
  });
});

describe("Buy now list (client/cart.ts Cart named buy-now)", () => {
  const line = (variant: number, quantity: number): CartLine => ({
    storeId: "1",
    productId: "2",
    variant,
    quantity,
    unitPrice: "1000",
    currency: "0x0000000000000000000000000000000000000000",
    productName: "Owl Moon Tee",
    variantLabel: variant === 1 ? "M" : "L",
    digital: false,
  });

  it("is stored apart from the cart: replacing or clearing it leaves the cart as it was", () => {
    const storage = new MemoryStorage();
    const cart = new Cart(storage, 31337, CONTRACT);
    cart.add(line(1, 1));
    const buyNow = new Cart(storage, 31337, CONTRACT, "buy-now");
    expect(buyNow.lines).to.deep.equal([]);
    buyNow.replace([line(1, 2)]);
    expect(new Cart(storage, 31337, CONTRACT).lines).to.deep.equal([line(1, 1)]);
    expect(new Cart(storage, 31337, CONTRACT, "buy-now").lines).to.deep.equal([line(1, 2)]);
    buyNow.clear(buyNow.lines);
    expect(new Cart(storage, 31337, CONTRACT).lines).to.deep.equal([line(1, 1)]);
  });
});

describe("sealed address copies (client/checkout-draft.ts SealedAddressCopies)", () => {
  it("keeps one copy per chain, contract and order id; none for other orders", () => {
    const storage = new MemoryStorage();
    const copies = new SealedAddressCopies(storage, 31337, CONTRACT);
    const address = {
      name: "Ada",
      line1: "12 Owl Lane",
      line2: "",
      city: "Leeds",
      region: "",
      postalCode: "LS6 1AA",
      country: "GB",
      email: "",
    };
    copies.save(7n, address);
    expect(copies.load(7n)).to.deep.equal({
      name: "Ada",
      line1: "12 Owl Lane",
      city: "Leeds",
      postalCode: "LS6 1AA",
      country: "GB",
    });
    expect(copies.load(8n)).to.equal(null);
    expect(new SealedAddressCopies(storage, 1, CONTRACT).load(7n)).to.equal(null);
    storage.setItem(`merchstand.sealed-address.v1.31337.${CONTRACT.toLowerCase()}.9`, '{"name":{"x":1}}');
    expect(copies.load(9n)).to.equal(null);
  });
});
