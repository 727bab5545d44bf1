// The fan side of the drop toolkit without a browser: a drop's phases on the chain's clock, zones from hostile
// metadata and the rate a country pays, code text for links (round trip, and every malformed form refused in words),
// discounts and code problems as the contract counts them. Tickets: test/frontend/tickets.ts.
import { expect } from "chai";
import { Signature, Wallet } from "ethers";
import { purchaseCall } from "../../frontend/src/client/checkout.ts";
import {
  codeTypedData,
  compactSignature,
  type DiscountCode,
  decodeCodeText,
  encodeCodeText,
  NO_CODE,
  packCode,
  ZERO_BUYER,
} from "../../frontend/src/client/code-text.ts";
import { ChainClock, countdownText, dropPhase, isOnSale, isPreOrder } from "../../frontend/src/client/drops.ts";
import { codeProblem, discountFor } from "../../frontend/src/client/order-extras.ts";
import { orderFromPlaced, placedWords } from "../../frontend/src/client/protocol.ts";
import { checkOrderZone, shippingFor, validateZones, zoneOf } from "../../frontend/src/client/zones.ts";

const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const fan = Wallet.createRandom();
const staff = Wallet.createRandom();

describe("drops (client/drops.ts)", () => {
  const drop = { presaleAt: 100n, opensAt: 200n, closesAt: 300n, shipsFrom: 0n };

  it("goes upcoming → presale → open → closed, and only a presale code buys in the presale", () => {
    expect(dropPhase(drop, 50n).phase).to.equal("upcoming");
    expect(dropPhase(drop, 100n).phase).to.equal("presale");
    expect(dropPhase(drop, 199n)).to.deep.equal({ phase: "presale", opensAt: 200n, secondsLeft: 1 });
    expect(dropPhase(drop, 200n)).to.deep.equal({ phase: "open", closesAt: 300n, secondsLeft: 100 });
    expect(dropPhase(drop, 300n).phase).to.equal("closed");
    expect(isOnSale(drop, 150n)).to.equal(false);
    expect(isOnSale(drop, 150n, true)).to.equal(true);
    expect(isOnSale(drop, 250n)).to.equal(true);
    expect(isOnSale(drop, 300n, true)).to.equal(false);
    expect(dropPhase({ opensAt: 0n, closesAt: 0n, shipsFrom: 0n }, 1n).phase).to.equal("always");
  });

  it("counts down in whole units and never below zero", () => {
    expect(countdownText(2 * 86_400 + 3 * 3_600 + 4 * 60 + 5)).to.equal("2d 03h 04m 05s");
    expect(countdownText(245)).to.equal("4m 05s");
    expect(countdownText(5.9)).to.equal("5s");
    expect(countdownText(-3)).to.equal("0s");
  });

  it("keeps the chain's clock when the chain runs ahead, and the wall clock for an old block", () => {
    let wall = 1_000;
    const clock = new ChainClock(() => wall);
    clock.sync(5_000n);
    wall += 10;
    expect(clock.now()).to.equal(5_010n);
    clock.sync(900n);
    expect(clock.now()).to.equal(1_010n);
  });

  it("is a pre-order only while its ship date is ahead", () => {
    expect(isPreOrder({ shipsFrom: 500n }, 400n)).to.equal(true);
    expect(isPreOrder({ shipsFrom: 500n }, 500n)).to.equal(false);
    expect(isPreOrder({ shipsFrom: 0n }, 1n)).to.equal(false);
  });
});

describe("shipping zones (client/zones.ts)", () => {
  const zones = validateZones([
    { name: "UK", countries: ["GB"] },
    { name: "Europe", countries: ["DE", "FR"] },
    { name: "Rest of world", countries: ["*"] },
  ]);

  it("numbers zones from 1 as the chain does and finds a country's zone, else the rest of the world", () => {
    expect(zones.ok).to.equal(true);
    if (!zones.ok) return;
    expect(zoneOf(zones.value, "GB")?.number).to.equal(1);
    expect(zoneOf(zones.value, "de")?.name).to.equal("Europe");
    expect(zoneOf(zones.value, "JP")?.name).to.equal("Rest of world");
    expect(zoneOf(zones.value.slice(0, 2), "JP")).to.equal(null);
  });

  it("refuses hostile metadata: a country in two zones, a non-code, too many zones, a non-list", () => {
    expect(
      validateZones([
        { name: "A", countries: ["GB"] },
        { name: "B", countries: ["GB"] },
      ]).ok,
    ).to.equal(false);
    expect(validateZones([{ name: "A", countries: ["<img>"] }]).ok).to.equal(false);
    expect(validateZones(Array.from({ length: 9 }, (_, i) => ({ name: `Z${i}`, countries: [`A${i}`] }))).ok).to.equal(
      false,
    );
    expect(validateZones("GB").ok).to.equal(false);
    expect(validateZones(undefined)).to.deep.equal({ ok: true, value: [] });
  });

  it("charges the zone's rate, free from its threshold, nothing for a zone the chain lacks", () => {
    const rates = [
      { rate: 2n, freeFrom: 100n },
      { rate: 9n, freeFrom: 0n },
    ];
    expect(shippingFor(rates, 1, 99n)).to.equal(2n);
    expect(shippingFor(rates, 1, 100n)).to.equal(0n);
    expect(shippingFor(rates, 2, 10_000n)).to.equal(9n);
    expect(shippingFor(rates, 3, 1n)).to.equal(null);
  });

  it("tells the seller when an address is not in the zone paid for, and what the difference is", () => {
    if (!zones.ok) throw new Error(zones.reason);
    const rates = [
      { rate: 5n, freeFrom: 0n },
      { rate: 12n, freeFrom: 0n },
      { rate: 30n, freeFrom: 200n },
    ];
    const order = (zone: number, shipping: bigint, discount = 0n) => ({
      zone,
      shipping,
      discount,
      lines: [{ quantity: 2, unitPrice: 50n }],
    });
    expect(checkOrderZone(zones.value, rates, order(0, 0n), "GB"), "no zone paid: nothing to check").to.equal(null);
    expect(checkOrderZone(zones.value, rates, order(1, 5n), "gb")).to.deep.include({ kind: "match" });
    // Paid the rest-of-world rate for a UK address: 30 paid, the UK charges 5, so 25 back.
    expect(checkOrderZone(zones.value, rates, order(3, 30n), "GB")).to.deep.include({
      kind: "other-zone",
      paid: 30n,
      due: 5n,
      difference: 25n,
    });
    // Paid the UK rate for a Japanese address: the buyer underpaid, nothing to refund.
    const under = checkOrderZone(zones.value, rates, order(1, 5n), "JP");
    expect(under).to.deep.include({ kind: "other-zone", paid: 5n, due: 30n, difference: 0n });
    expect(under?.kind === "other-zone" && under.paidZone?.name).to.equal("UK");
    // The threshold counts the goods after the discount, as the contract does: 100 - 0 < 200, but 250 ≥ 200.
    const big = { zone: 1, shipping: 5n, discount: 50n, lines: [{ quantity: 6, unitPrice: 50n }] };
    expect(checkOrderZone(zones.value, rates, big, "JP")).to.deep.include({ due: 0n, difference: 5n });
    expect(checkOrderZone(zones.value.slice(0, 2), rates, order(1, 5n), "JP")).to.deep.equal({
      kind: "uncovered",
      country: "JP",
    });
  });
});

describe("codes (client/code-text.ts, client/order-extras.ts)", () => {
  const code: DiscountCode = {
    storeId: 4n,
    id: 7,
    kind: 0,
    value: 1_000n,
    expiresAt: 2_000_000_000n,
    maxUses: 100,
    buyer: ZERO_BUYER,
    productId: 15n,
  };

  async function sign(c: DiscountCode) {
    const typed = codeTypedData(c, 31337, CONTRACT);
    const { EIP712Domain: _, ...types } = typed.types;
    return compactSignature(await staff.signTypedData(typed.domain, types as never, typed.message));
  }

  it("round-trips a signed code through its text, bound to a buyer or not, and packs it as the contract reads it", async () => {
    for (const c of [code, { ...code, kind: 1 as const, value: 5n, buyer: fan.address.toLowerCase() }]) {
      const signed = { code: c, ...(await sign(c)) };
      const text = encodeCodeText(signed);
      expect(text).to.match(/^[A-Za-z0-9_-]+$/);
      const back = decodeCodeText(text);
      expect(back.ok && back.value).to.deep.equal(signed);
    }
    expect(packCode(code)).to.equal(7n | (1_000n << 40n) | (2_000_000_000n << 120n) | (100n << 160n) | (15n << 192n));
  });

  it("makes the compact signature EIP-2098 expects", async () => {
    const typed = codeTypedData(code, 31337, CONTRACT);
    const { EIP712Domain: _, ...types } = typed.types;
    const full = await staff.signTypedData(typed.domain, types as never, typed.message);
    const { r, vs } = compactSignature(full);
    const sig = Signature.from(full);
    expect(r).to.equal(sig.r);
    expect(vs).to.equal(sig.yParityAndS);
  });

  it("refuses malformed text with a sentence", async () => {
    const good = encodeCodeText({ code, ...(await sign(code)) });
    for (const bad of ["", "not a code!", good.slice(0, -4), `${good}AAAA`, "A".repeat(400)]) {
      const decoded = decodeCodeText(bad);
      expect(decoded.ok, bad).to.equal(false);
      if (!decoded.ok) expect(decoded.reason).to.match(/^(Enter a code\.|This code isn't complete or was mistyped)/);
    }
  });

  it("takes a percentage of the bound product's lines only, and never more than the goods", () => {
    const lines = [
      { productId: 15n, quantity: 2, unitPrice: 100n },
      { productId: 16n, quantity: 1, unitPrice: 1_000n },
    ];
    expect(discountFor(code, lines)).to.equal(20n);
    expect(discountFor({ ...code, productId: 0n }, lines)).to.equal(120n);
    expect(discountFor({ ...code, kind: 1, value: 5_000n }, lines)).to.equal(200n);
  });

  it("says why a code can't be used: store, withdrawn, expired, used up, another wallet, another product", () => {
    const check = {
      account: fan.address,
      now: 1_000n,
      storeIds: [4n],
      productIds: [15n],
      uses: 0n,
      revoked: false,
      productName: (id: bigint) => (id === 15n ? "Friday Drop Tee" : undefined),
      storeName: () => "Lantern Parade",
    };
    expect(codeProblem(code, check)).to.equal(null);
    expect(codeProblem(code, { ...check, storeIds: [1n] })).to.match(/^This code is for Lantern Parade/);
    expect(codeProblem(code, { ...check, revoked: true })).to.equal("The store withdrew this code.");
    expect(codeProblem(code, { ...check, now: 2_000_000_000n })).to.match(/^This code expired on /);
    expect(codeProblem(code, { ...check, uses: 100n })).to.equal(
      "This code has been used as often as it can be (100 times).",
    );
    expect(codeProblem({ ...code, buyer: staff.address }, check)).to.match(/^This code is for another wallet/);
    expect(codeProblem(code, { ...check, productIds: [16n] })).to.equal(
      "This code is only for Friday Drop Tee, which isn't in this checkout.",
    );
  });
});

describe("a code's word in OrderPlaced (client/protocol.ts placedWords, orderFromPlaced)", () => {
  const line = 7n | (0n << 64n) | (1n << 72n) | (1_000n << 104n);
  const args = (info: bigint, lines: bigint[]) => ({ buyer: fan.address, storeId: 3n, info, lines });

  it("splits the code word off the lines when info bit 232 is set, and rebuilds the discount and amount", () => {
    const codeWord = 200n | (9n << 224n);
    const info = 1n | (1n << 232n);
    expect(placedWords(args(info, [line, codeWord]))).to.deep.equal({
      lines: [line],
      code: { id: 9, discount: 200n },
    });
    const order = orderFromPlaced(args(info, [line, codeWord]), ZERO_BUYER);
    expect(order.lines).to.have.length(1);
    expect([order.discount, order.amount]).to.deep.equal([200n, 800n]);
  });

  it("reads every word as a line without a code, and refuses a code order without its word", () => {
    expect(placedWords(args(1n, [line, line]))).to.deep.equal({ lines: [line, line], code: null });
    expect(orderFromPlaced(args(1n, [line]), ZERO_BUYER).discount).to.equal(0n);
    expect(() => placedWords(args(1n << 232n, []))).to.throw(/no code word/);
  });
});

describe("the one-line purchase call (client/checkout.ts purchaseCall)", () => {
  const base = {
    storeId: 3n,
    termsVersion: 1,
    lines: [{ productId: 7n, variant: 0, quantity: 1, maxUnitPrice: 1_000n }],
    shipping: "0x01",
    maxShipping: 50n,
  };

  it("takes buy_oT9la without zone or code, buyShipped_eaaaa with a zone only, buyWith with a code", () => {
    expect(purchaseCall([{ ...base, zone: 0, code: NO_CODE }]).fn).to.equal("buy_oT9la");
    const shipped = purchaseCall([{ ...base, zone: 2, code: NO_CODE }]);
    expect(shipped.fn).to.equal("buyShipped_eaaaa");
    expect(shipped.args[1]).to.equal(2n | (50n << 8n));
    const code = { code: 1n, r: `0x${"1".repeat(64)}`, vs: `0x${"2".repeat(64)}` };
    expect(purchaseCall([{ ...base, zone: 2, code }]).fn).to.equal("buyWith");
  });
});
