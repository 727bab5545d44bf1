// The live ticket QR (frontend/src/client/tickets.ts, docs/FORMATS.md "Ticket QR"): version 3 carries a device key
// bound to the order by the buyer's wallet and a code that key signs for the current 30-second step, so a copy stops
// working a minute later; versions 1 and 2 (static codes) are refused with a sentence. Every field is hostile (a
// camera or a paste): what doesn't fit is refused with a sentence. Also where an order's ticket sits (client/door.ts
// ticketPlacement) and the checkout putting ticket lines first (client/checkout.ts buildCartOrders), since the
// chain's checkIn reads only an order's first line.
import { x25519 } from "@noble/curves/ed25519.js";
import { expect } from "chai";
import { Wallet } from "ethers";
import { groupByStore } from "../../frontend/src/client/cart.ts";
import { buildCartOrders } from "../../frontend/src/client/checkout.ts";
import { ticketPlacement } from "../../frontend/src/client/door.ts";
import { toHex } from "../../frontend/src/client/hex.ts";
import { TICKET_CATEGORY } from "../../frontend/src/client/protocol.ts";
import {
  bindTicketKey,
  codeSigner,
  liveTicketText,
  MAX_TICKET_BLOCK,
  MAX_TICKET_TEXT,
  parseTicket,
  readBinding,
  STATIC_TICKET,
  type TicketBinding,
  ticketSigner,
  ticketStep,
  ticketText,
  ticketTypedData,
} from "../../frontend/src/client/tickets.ts";
import { walletSigner } from "./support/wallet-sign.ts";

const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const HERE = { chainId: 31337, contract: CONTRACT };
const fan = Wallet.createRandom();
/** A step of today's clock (3 December 2026, 21:00 UTC). */
const STEP = ticketStep(Date.parse("2026-12-03T21:00:00Z"));

describe("live ticket QR text (client/tickets.ts)", () => {
  let binding: TicketBinding;
  let text: string;

  before(async () => {
    binding = await bindTicketKey(walletSigner(fan), 31337, CONTRACT, 42n);
    text = liveTicketText(binding, HERE, 42n, 1_234_567, STEP);
  });

  it("writes version 3 and reads it back: the key bound by the buyer, the step's code signed by that key", () => {
    const [, key, walletSig, codeSig] =
      /^merchstand-ticket:3:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:42:1234567:(0x[0-9a-f]{40}):(0x[0-9a-f]{130}):(\d+):(0x[0-9a-f]{130})$/
        .exec(text)
        ?.filter((_, i) => i !== 3) ?? [];
    expect(key, text).to.be.a("string");
    expect(text.length).to.be.at.most(MAX_TICKET_TEXT);
    const pass = parseTicket(text, HERE);
    expect(pass).to.deep.equal({
      ...HERE,
      contract: CONTRACT.toLowerCase(),
      orderId: 42n,
      placedBlock: 1_234_567,
      key,
      walletSig,
      step: STEP,
      codeSig,
    });
    expect(ticketText(pass)).to.equal(text);
    expect(ticketSigner(pass)?.toLowerCase()).to.equal(fan.address.toLowerCase());
    expect(codeSigner(pass)?.toLowerCase()).to.equal(key);
    // The device key never shows: only its address is in the text.
    expect(text).to.not.include(binding.privateKey.slice(2));
    // The block is a hint outside both signatures; 0 means the phone didn't know it.
    expect(codeSigner({ ...pass, placedBlock: 7 })?.toLowerCase()).to.equal(key);
    const unknown = liveTicketText(binding, HERE, 42n, null, STEP);
    expect(unknown).to.match(/:42:0:0x/);
    expect(parseTicket(unknown, HERE).placedBlock).to.equal(null);
  });

  it("changes every step, with the same key and binding, and no wallet prompt", () => {
    const next = liveTicketText(binding, HERE, 42n, 1_234_567, STEP + 1);
    expect(next).to.not.equal(text);
    const [a, b] = [parseTicket(text, HERE), parseTicket(next, HERE)];
    expect([b.key, b.walletSig, b.step]).to.deep.equal([a.key, a.walletSig, STEP + 1]);
    expect(codeSigner(b)?.toLowerCase()).to.equal(b.key);
    // A code's signature moved to another step, or another order, no longer recovers to the key.
    expect(codeSigner({ ...a, step: STEP + 1 })?.toLowerCase()).to.not.equal(a.key);
    expect(codeSigner({ ...a, orderId: 43n })?.toLowerCase()).to.not.equal(a.key);
  });

  it("binds the key for one order, in the version 2 domain only", async () => {
    const pass = parseTicket(text, HERE);
    // The buyer's binding moved to another order, or to another key, recovers to a stranger.
    expect(ticketSigner({ ...pass, orderId: 43n })?.toLowerCase()).to.not.equal(fan.address.toLowerCase());
    expect(ticketSigner({ ...pass, key: fan.address.toLowerCase() })?.toLowerCase()).to.not.equal(
      fan.address.toLowerCase(),
    );
    // The same message signed in the old domain (version "1") is not a binding.
    const typed = ticketTypedData(31337, CONTRACT, 42n, pass.key);
    const old = await walletSigner(fan)({ ...typed, domain: { ...typed.domain, version: "1" } });
    expect(ticketSigner({ ...pass, walletSig: old })?.toLowerCase()).to.not.equal(fan.address.toLowerCase());
  });

  it("refuses versions 1 and 2, static codes, with a sentence telling staff to ask for the live code", () => {
    const sig = `0x${"ab".repeat(65)}`;
    const lower = CONTRACT.toLowerCase();
    for (const old of [
      `merchstand-ticket:1:31337:${lower}:42:${sig}`,
      `merchstand-ticket:2:31337:${lower}:42:1234567:${sig}`,
    ]) {
      expect(() => parseTicket(old, HERE), old).to.throw(STATIC_TICKET);
    }
    expect(STATIC_TICKET).to.match(/order page/);
  });

  it("refuses leading zeros, bad digits and out-of-range fields, with the sentence", () => {
    const fields = text.split(":");
    /** The text with field `i` (0 "merchstand-ticket", 1 version, 2 chainId, …, 8 step, 9 codeSig) set to `value`. */
    const withField = (i: number, value: string) => fields.map((f, j) => (j === i ? value : f)).join(":");
    expect(parseTicket(withField(5, String(MAX_TICKET_BLOCK)), HERE).placedBlock).to.equal(MAX_TICKET_BLOCK);
    const bad: [number, string][] = [
      [1, "4"],
      [2, "031337"],
      [2, "0"],
      [4, "042"],
      [4, "0"],
      [4, "-42"],
      [4, "0x2a"],
      [4, "1".repeat(79)],
      [4, (1n << 256n).toString()], // 78 digits, one above uint256: passes the pattern, not the range
      [5, String(MAX_TICKET_BLOCK + 1)],
      [5, "01234567"],
      [5, "1e6"],
      [5, ""],
      [6, fields[6]?.toUpperCase().replace("0X", "0x") ?? ""],
      [6, `${fields[6]}0`],
      [7, `${fields[7]?.slice(0, -2)}`],
      [8, `0${STEP}`],
      [8, "0"],
      [8, "1".repeat(13)],
      [8, `${STEP}.5`],
      [8, ` ${STEP}`],
      [9, `${fields[9]?.slice(0, -1)}g`],
    ];
    for (const [i, value] of bad) {
      expect(() => parseTicket(withField(i, value), HERE), `field ${i} "${value}"`).to.throw(
        "That is not a Merchstand ticket.",
      );
    }
    // A field missing, or one too many.
    expect(() => parseTicket(fields.filter((_, j) => j !== 5).join(":"), HERE)).to.throw(
      "That is not a Merchstand ticket.",
    );
    expect(() => parseTicket(`${text}:1`, HERE)).to.throw("That is not a Merchstand ticket.");
  });

  it("refuses over-long text, garbage and tickets of another Merchstand; trims a paste's whitespace", () => {
    expect(parseTicket(`  ${text}\n`, HERE).orderId).to.equal(42n);
    expect(() => parseTicket(`${text}${" ".repeat(MAX_TICKET_TEXT)}x`, HERE)).to.throw(
      "That is not a Merchstand ticket.",
    );
    expect(() => parseTicket("x".repeat(100_000), HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(`<img src=x onerror=alert(1)>${text}`, HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(text.replace(":42:", ":４２:"), HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(text, { chainId: 1, contract: CONTRACT })).to.throw(
      "This ticket is for another Merchstand (another network or deployment).",
    );
    expect(() => parseTicket(text, { chainId: 31337, contract: fan.address })).to.throw(/another Merchstand/);
  });

  it("reads a kept binding back only when it is this buyer's for this order", async () => {
    const kept = JSON.stringify(binding);
    expect(readBinding(kept, HERE, 42n, fan.address)).to.deep.equal(binding);
    expect(readBinding(kept, HERE, 43n, fan.address)).to.equal(null);
    expect(readBinding(kept, { ...HERE, chainId: 10 }, 42n, fan.address)).to.equal(null);
    expect(readBinding(kept, HERE, 42n, Wallet.createRandom().address)).to.equal(null);
    // Another device key under the buyer's signature: not a binding.
    const other = await bindTicketKey(walletSigner(fan), 31337, CONTRACT, 42n);
    expect(other.privateKey).to.not.equal(binding.privateKey);
    expect(readBinding(JSON.stringify({ ...other, walletSig: binding.walletSig }), HERE, 42n, fan.address)).to.equal(
      null,
    );
    // An old version 2 text kept before, garbage, or nothing: the page asks the wallet again.
    const v2 = `merchstand-ticket:2:31337:${CONTRACT.toLowerCase()}:42:1234567:0x${"ab".repeat(65)}`;
    for (const junk of [v2, "{not json", "null", "[]", '{"privateKey":1}', null]) {
      expect(readBinding(junk, HERE, 42n, fan.address), String(junk)).to.equal(null);
    }
  });
});

describe("where an order's ticket sits (client/door.ts ticketPlacement)", () => {
  const category = (id: bigint) => (id === 7n ? TICKET_CATEGORY : 1);
  const lines = (...ids: bigint[]) => ids.map((productId) => ({ productId }));

  it("answers first, later or none, as checkIn reads the first line", () => {
    expect(ticketPlacement(lines(7n, 8n), category)).to.equal("first");
    expect(ticketPlacement(lines(8n, 7n), category)).to.equal("later");
    expect(ticketPlacement(lines(8n, 9n), category)).to.equal("none");
    expect(ticketPlacement([], category)).to.equal("none");
  });
});

describe("checkout puts ticket lines first (client/checkout.ts buildCartOrders)", () => {
  const base = { storeId: "4", currency: "0x0000000000000000000000000000000000000000", variantLabel: "One" };
  const line = (productId: string, digital: boolean, unitPrice: string, quantity = 1) => ({
    ...base,
    productId,
    variant: 0,
    quantity,
    unitPrice,
    productName: `Item ${productId}`,
    digital,
  });
  const ADDRESS = {
    name: "Zoë",
    line1: "1 Chapel Street",
    line2: "",
    city: "Leeds",
    region: "",
    postalCode: "LS1 1AA",
    country: "GB",
    email: "",
  };
  const store = x25519.keygen();
  const stores = new Map([["4", { shippingKey: toHex(store.publicKey), termsVersion: 2 }]]);
  /** Products 5 and 9 are tickets (5 physical, 9 digital). */
  const categoryOf = (id: bigint) => (id === 5n || id === 9n ? TICKET_CATEGORY : 1);

  it("moves each order's ticket lines to the front, the rest in cart order, each line unchanged", () => {
    const cart = [
      line("1", false, "100", 2),
      line("2", true, "200"),
      line("5", false, "300", 3),
      line("3", false, "400"),
      line("9", true, "500"),
    ];
    const orders = buildCartOrders(groupByStore(cart), ADDRESS, stores, x25519.keygen().publicKey, categoryOf);
    expect(orders.map((o) => o.lines.map((l) => l.productId))).to.deep.equal([
      [5n, 1n, 3n],
      [9n, 2n],
    ]);
    // Prices and quantities travel with their line.
    expect(orders[0]?.lines.map((l) => [l.productId, l.quantity, l.maxUnitPrice])).to.deep.equal([
      [5n, 3, 300n],
      [1n, 2, 100n],
      [3n, 1, 400n],
    ]);
    for (const order of orders) expect(ticketPlacement(order.lines, categoryOf)).to.equal("first");
  });

  it("keeps cart order when there is no ticket, or no category is known", () => {
    const cart = [line("1", false, "100"), line("3", false, "400"), line("5", false, "300")];
    const none = buildCartOrders(groupByStore(cart), ADDRESS, stores, null, () => 1);
    expect(none[0]?.lines.map((l) => l.productId)).to.deep.equal([1n, 3n, 5n]);
    const unknown = buildCartOrders(groupByStore(cart), ADDRESS, stores, null);
    expect(unknown[0]?.lines.map((l) => l.productId)).to.deep.equal([1n, 3n, 5n]);
  });
});
