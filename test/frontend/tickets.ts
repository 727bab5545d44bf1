// The ticket QR (frontend/src/client/tickets.ts, docs/FORMATS.md "Ticket QR"): version 2 names the block the order was
// placed in, outside the signature, so the door reads one block; version 1 (no block) is still read. Every field is
// hostile (a camera or a paste): what doesn't fit is refused with a sentence. Also where an order's ticket sits
// (client/door.ts ticketPlacement) and the checkout putting ticket lines first (client/checkout.ts buildCartOrders),
// since the chain's checkIn reads only an order's first line.
import { x25519 } from "@noble/curves/ed25519.js";
import { expect } from "chai";
import { Wallet } from "ethers";
import { groupByStore } from "../../frontend/src/client/cart.ts";
import { buildCartOrders } from "../../frontend/src/client/checkout.ts";
import { ticketPlacement } from "../../frontend/src/client/door.ts";
import { toHex } from "../../frontend/src/client/hex.ts";
import { TICKET_CATEGORY } from "../../frontend/src/client/protocol.ts";
import {
  MAX_TICKET_BLOCK,
  MAX_TICKET_TEXT,
  parseTicket,
  renewTicketText,
  signTicket,
  ticketSigner,
  ticketText,
} from "../../frontend/src/client/tickets.ts";

const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const HERE = { chainId: 31337, contract: CONTRACT };
const fan = Wallet.createRandom();
/** Signs as a wallet's eth_signTypedData_v4 does (the EIP712Domain entry is implied by ethers). */
const sign = (typed: object) => {
  const t = typed as { domain: Record<string, unknown>; types: Record<string, { name: string; type: string }[]> };
  const { EIP712Domain: _, ...types } = t.types;
  return fan.signTypedData(t.domain, types, (typed as { message: Record<string, unknown> }).message);
};

describe("ticket QR text (client/tickets.ts)", () => {
  let v2: string;
  let signature: string;

  before(async () => {
    v2 = await signTicket(sign, 31337, CONTRACT, 42n, 1_234_567);
    signature = `0x${v2.split(":0x").pop()}`;
  });

  it("writes version 2 with the order's block and reads it back, the signature the buyer's", () => {
    expect(v2).to.equal(`merchstand-ticket:2:31337:${CONTRACT.toLowerCase()}:42:1234567:${signature}`);
    const pass = parseTicket(v2, HERE);
    expect(pass).to.include({ chainId: 31337, orderId: 42n, placedBlock: 1_234_567 });
    expect(ticketText(pass)).to.equal(v2);
    expect(ticketSigner(pass)?.toLowerCase()).to.equal(fan.address.toLowerCase());
    // The block is a hint outside the signature: another block, the same signer (the door checks the log it finds).
    expect(ticketSigner({ ...pass, placedBlock: 7 })?.toLowerCase()).to.equal(fan.address.toLowerCase());
    expect(ticketSigner({ ...pass, orderId: 43n })?.toLowerCase()).not.to.equal(fan.address.toLowerCase());
  });

  it("still reads a version 1 ticket (no block), with the same signature", () => {
    const v1 = `merchstand-ticket:1:31337:${CONTRACT.toLowerCase()}:42:${signature}`;
    const pass = parseTicket(`  ${v1}\n`, HERE);
    expect(pass).to.include({ orderId: 42n, placedBlock: null });
    expect(ticketText(pass)).to.equal(v1);
    expect(ticketSigner(pass)?.toLowerCase()).to.equal(fan.address.toLowerCase());
  });

  it("refuses a block that is too large, missing, zero or not a decimal, with the sentence", () => {
    const at = (block: string) => `merchstand-ticket:2:31337:${CONTRACT.toLowerCase()}:42:${block}:${signature}`;
    expect(parseTicket(at(String(MAX_TICKET_BLOCK)), HERE).placedBlock).to.equal(MAX_TICKET_BLOCK);
    for (const block of [
      String(MAX_TICKET_BLOCK + 1),
      "99999999999999999999",
      "",
      "0",
      "01234",
      "0x12d687",
      "1e6",
      "-5",
      "12.5",
      " 12",
    ]) {
      expect(() => parseTicket(at(block), HERE), `block "${block}"`).to.throw("That is not a Merchstand ticket.");
    }
    // Version 2 without its block field, and version 1 with one, are neither format.
    expect(() => parseTicket(v2.replace(":1234567:", ":"), HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(v2.replace("ticket:2:", "ticket:1:"), HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(v2.replace("ticket:2:", "ticket:3:"), HERE)).to.throw("That is not a Merchstand ticket.");
  });

  it("refuses over-long text, garbage and tickets of another Merchstand", () => {
    const long = `${v2}${" ".repeat(MAX_TICKET_TEXT)}x`;
    expect(() => parseTicket(long, HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(`${v2}:1`, HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(`<img src=x onerror=alert(1)>${v2}`, HERE)).to.throw("That is not a Merchstand ticket.");
    expect(() => parseTicket(v2, { chainId: 1, contract: CONTRACT })).to.throw(
      "This ticket is for another Merchstand (another network or deployment).",
    );
    expect(() => parseTicket(v2, { chainId: 31337, contract: fan.address })).to.throw(/another Merchstand/);
  });

  it("turns a kept version 1 text into version 2 with the same signature, no new prompt", () => {
    const v1 = `merchstand-ticket:1:31337:${CONTRACT.toLowerCase()}:42:${signature}`;
    expect(renewTicketText(v1, HERE, 42n, 1_234_567)).to.equal(v2);
    // A kept version 2 with another block (a reorg moved the order) takes the order's block now.
    expect(renewTicketText(v2, HERE, 42n, 1_234_999)).to.equal(v2.replace(":1234567:", ":1234999:"));
    // Another order's text, another deployment's, or garbage: nothing kept, the page asks the wallet again.
    expect(renewTicketText(v2, HERE, 43n, 1_234_567)).to.equal(null);
    expect(renewTicketText(v2, { chainId: 10, contract: CONTRACT }, 42n, 1_234_567)).to.equal(null);
    expect(renewTicketText("{not a ticket", HERE, 42n, 1_234_567)).to.equal(null);
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
