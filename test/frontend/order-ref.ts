// Order references (client/order-ref.ts): short, stable, distinct for nearby ids, read back as typed.
import { expect } from "chai";
import { matchesOrder, normalizeReference, orderLabel, orderReference } from "../../frontend/src/client/order-ref.ts";

const id = (productId: bigint, variant: bigint, sold: bigint) => (productId << 40n) | (variant << 32n) | sold;

describe("order references (client/order-ref.ts)", () => {
  it("is MS- and two groups of four Crockford base32 characters, the same each time", () => {
    const ref = orderReference(id(12n, 1n, 5n));
    expect(ref).to.match(/^MS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(orderReference(id(12n, 1n, 5n))).to.equal(ref);
    expect(orderLabel(id(12n, 1n, 5n))).to.equal(`Order ${ref}`);
  });

  it("gives distinct references to the orders of neighbouring products, variants and counters", () => {
    const seen = new Map<string, bigint>();
    for (let p = 1n; p <= 40n; p++)
      for (let v = 0n; v < 5n; v++)
        for (let s = 1n; s <= 50n; s++) {
          const orderId = id(p, v, s);
          const ref = orderReference(orderId);
          expect(seen.get(ref), ref).to.equal(undefined);
          seen.set(ref, orderId);
        }
    expect(seen.size).to.equal(10_000);
  });

  it("reads a reference typed in any case, with or without MS and dashes, with look-alike letters", () => {
    const ref = orderReference(id(3n, 0n, 7n));
    const bare = ref.slice(3).replace("-", "");
    expect(normalizeReference(ref.toLowerCase())).to.equal(ref);
    expect(normalizeReference(bare)).to.equal(ref);
    expect(normalizeReference(` ms ${bare.slice(0, 4)} ${bare.slice(4)} `)).to.equal(ref);
    expect(normalizeReference(ref.replace(/0/g, "O").replace(/1/g, "l"))).to.equal(ref);
    expect(normalizeReference("MS-1234")).to.equal(null);
    expect(normalizeReference("MS-UUUU-UUUU")).to.equal(null);
  });

  it("matches a search by reference or by the full id, and nothing else", () => {
    const orderId = id(3n, 0n, 7n);
    expect(matchesOrder(orderReference(orderId), orderId)).to.equal(true);
    expect(matchesOrder(orderId.toString(), orderId)).to.equal(true);
    expect(matchesOrder(`#${orderId}`, orderId)).to.equal(true);
    expect(matchesOrder(orderReference(orderId + 1n), orderId)).to.equal(false);
    expect(matchesOrder((orderId + 1n).toString(), orderId)).to.equal(false);
    expect(matchesOrder("", orderId)).to.equal(true);
  });
});
