// The door page's verdicts before it asks the chain (frontend/src/client/door.ts): the live code is signed by the
// ticket's device key for a step within two of the door's own (ticketCodeVerdict), the key is bound by the order's
// buyer, and the order agrees with checkIn (contracts/base/MerchstandDrops.sol): the ticket is the order's first
// product, as checkIn reads it (ticketVerdict).
import { expect } from "chai";
import { Wallet } from "ethers";
import {
  EARLY_CODE,
  EXPIRED_CODE,
  ticketCodeVerdict,
  ticketOffer,
  ticketVerdict,
} from "../../frontend/src/client/door.ts";
import type { OrderRecord } from "../../frontend/src/client/orders.ts";
import {
  bindTicketKey,
  liveTicketText,
  parseTicket,
  TICKET_STEP_SECONDS,
  type TicketPass,
  ticketSigner,
  ticketStep,
  ticketText,
} from "../../frontend/src/client/tickets.ts";
import { walletSigner } from "./support/wallet-sign.ts";

const BUYER = "0x00000000000000000000000000000000000000b1";
const TICKET = 7n;
const ALBUM = 8n;
const category = (id: bigint) => (id === TICKET ? 3 : id === ALBUM ? 5 : undefined);
const line = (productId: bigint) => ({ productId, variant: 0, quantity: 1, unitPrice: 1n });
const record = (status: OrderRecord["status"], products: bigint[]) =>
  ({ id: 1n, status, order: { buyer: BUYER, storeId: 1n, lines: products.map(line) } }) as unknown as OrderRecord;

describe("door: ticketVerdict", () => {
  it("lets in a delivered order whose first product is a ticket", () => {
    expect(ticketVerdict(record("Shipped", [TICKET, ALBUM]), BUYER, 1n, category)).to.deep.equal({ ok: true });
  });

  it("turns away an order whose ticket is not its first line, as checkIn does (NotATicket)", () => {
    const verdict = ticketVerdict(record("Shipped", [ALBUM, TICKET]), BUYER, 1n, category);
    expect(verdict.ok).to.equal(false);
    // The staff learn why: the order has a ticket, but not first.
    expect(verdict.ok ? "" : verdict.message).to.match(/has a ticket, but not as its first item/);
  });

  it("says an order without any ticket holds none", () => {
    const verdict = ticketVerdict(record("Shipped", [ALBUM]), BUYER, 1n, category);
    expect(verdict.ok ? "" : verdict.message).to.equal("This order holds no ticket.");
  });

  it("turns away a ticket signed by someone else, or for another store", () => {
    expect(
      ticketVerdict(record("Shipped", [TICKET]), "0x00000000000000000000000000000000000000c2", 1n, category).ok,
    ).to.equal(false);
    expect(ticketVerdict(record("Shipped", [TICKET]), BUYER, 2n, category).ok).to.equal(false);
  });
});

describe("order page: ticketOffer (the QR exactly when the door would let the ticket in)", () => {
  const AMOUNT = 10n ** 16n;
  /** An order of `status`; `toBuyer`, when given, is a ruling's share back to the buyer. */
  const order = (status: OrderRecord["status"], products: bigint[], toBuyer?: bigint) =>
    ({
      id: 1n,
      status,
      refunded: 0n,
      timeline: toBuyer === undefined ? [] : [{ kind: "resolved", detail: { toBuyer } }],
      order: { buyer: BUYER, storeId: 1n, amount: AMOUNT, lines: products.map(line) },
    }) as unknown as OrderRecord;

  it("offers the QR for a first-line ticket that is shipped, completed, or ruled with the store keeping something", () => {
    expect(ticketOffer(order("Shipped", [TICKET, ALBUM]), category)).to.equal("qr");
    expect(ticketOffer(order("Completed", [TICKET]), category)).to.equal("qr");
    expect(ticketOffer(order("Resolved", [TICKET], AMOUNT / 2n), category)).to.equal("qr");
  });

  it("offers nothing where the door turns the ticket away", () => {
    for (const status of ["Paid", "Disputed", "Refunded", "Cancelled"] as const) {
      expect(ticketOffer(order(status, [TICKET]), category), status).to.equal("none");
    }
    expect(ticketOffer(order("Resolved", [TICKET], AMOUNT), category)).to.equal("none");
    expect(ticketOffer(order("Shipped", [ALBUM]), category)).to.equal("none");
  });

  it("explains a later-line ticket while the order stands, and says nothing once the money went back", () => {
    expect(ticketOffer(order("Shipped", [ALBUM, TICKET]), category)).to.equal("later");
    expect(ticketOffer(order("Resolved", [ALBUM, TICKET], AMOUNT / 2n), category)).to.equal("later");
    expect(ticketOffer(order("Refunded", [ALBUM, TICKET]), category)).to.equal("none");
    expect(ticketOffer(order("Resolved", [ALBUM, TICKET], AMOUNT), category)).to.equal("none");
  });
});

describe("door: the live code and its key (ticketCodeVerdict, ticketSigner)", () => {
  const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const HERE = { chainId: 31337, contract: CONTRACT };
  const buyer = Wallet.createRandom();
  const stranger = Wallet.createRandom();
  /** The door's clock: 10 s into a step. */
  const NOW = Date.parse("2026-12-03T21:00:10Z");
  const STEP = ticketStep(NOW);
  let pass: (step: number) => TicketPass;
  let strangers: TicketPass;
  const buyerRecord = (p: TicketPass) =>
    ({
      id: p.orderId,
      status: "Shipped",
      order: { buyer: buyer.address, storeId: 1n, lines: [line(TICKET)] },
    }) as unknown as OrderRecord;

  before(async () => {
    const binding = await bindTicketKey(walletSigner(buyer), 31337, CONTRACT, 1n);
    pass = (step) => parseTicket(liveTicketText(binding, HERE, 1n, 9, step), HERE);
    // Another buyer's phone, bound by that buyer's wallet to the same order id.
    const theirs = await bindTicketKey(walletSigner(stranger), 31337, CONTRACT, 1n);
    strangers = parseTicket(liveTicketText(theirs, HERE, 1n, 9, STEP), HERE);
  });

  it("accepts the code of the door's step, and up to two steps behind or ahead (clock skew)", () => {
    expect(NOW - STEP * TICKET_STEP_SECONDS * 1000).to.equal(10_000);
    for (const drift of [-2, -1, 0, 1, 2]) {
      expect(ticketCodeVerdict(pass(STEP + drift), NOW), `step ${drift}`).to.deep.equal({ ok: true });
    }
    // At the edges of the door's own step too.
    expect(ticketCodeVerdict(pass(STEP - 2), (STEP + 1) * 30_000 - 1).ok).to.equal(true);
    expect(ticketCodeVerdict(pass(STEP + 2), STEP * 30_000).ok).to.equal(true);
  });

  it("refuses a code three steps old as expired, and three steps ahead as dated ahead, in words for staff", () => {
    expect(ticketCodeVerdict(pass(STEP - 3), NOW)).to.deep.equal({ ok: false, stale: true, message: EXPIRED_CODE });
    expect(ticketCodeVerdict(pass(STEP - 1000), NOW)).to.deep.equal({ ok: false, stale: true, message: EXPIRED_CODE });
    expect(ticketCodeVerdict(pass(STEP + 3), NOW)).to.deep.equal({ ok: false, stale: true, message: EARLY_CODE });
    // The oldest code accepted is refused once the door's clock moves one step on.
    expect(ticketCodeVerdict(pass(STEP - 2), (STEP + 1) * 30_000).ok).to.equal(false);
    expect(EXPIRED_CODE).to.match(/expired: ask the fan to show the live code on their order page/);
    expect(EXPIRED_CODE).to.match(/the phone's clock may be wrong/);
  });

  it("refuses a code not signed by the ticket's key: a step moved, another key's code, a tampered order id", () => {
    const good = pass(STEP);
    const forged = "This ticket code wasn't made by the fan's ticket. Don't let it in.";
    // A copied code re-labelled with the door's step: its signature is for another step.
    expect(ticketCodeVerdict({ ...pass(STEP - 5), step: STEP }, NOW)).to.deep.equal({
      ok: false,
      stale: false,
      message: forged,
    });
    // The buyer's key and binding with a code signed by another phone's key.
    expect(ticketCodeVerdict({ ...good, codeSig: strangers.codeSig }, NOW)).to.deep.equal({
      ok: false,
      stale: false,
      message: forged,
    });
    // The order id changed in the text.
    const tampered = parseTicket(ticketText(good).replace(":1:9:", ":2:9:"), HERE);
    expect(tampered.orderId).to.equal(2n);
    expect(ticketCodeVerdict(tampered, NOW).ok).to.equal(false);
    expect(ticketSigner(tampered)?.toLowerCase()).to.not.equal(buyer.address.toLowerCase());
  });

  it("refuses a key the order's buyer didn't bind: another buyer's binding, or the buyer's binding of another key", () => {
    // The stranger's own ticket is whole (its code is its key's), but its key is bound by the stranger.
    expect(ticketCodeVerdict(strangers, NOW).ok).to.equal(true);
    const signer = ticketSigner(strangers);
    expect(signer?.toLowerCase()).to.equal(stranger.address.toLowerCase());
    expect(ticketVerdict(buyerRecord(strangers), signer, 1n, category)).to.deep.equal({
      ok: false,
      message: "This ticket wasn't signed by the fan who bought it. Don't let it in.",
    });
    // The stranger's key and code under the buyer's binding of the buyer's own key.
    const mixed = { ...strangers, walletSig: pass(STEP).walletSig };
    expect(ticketCodeVerdict(mixed, NOW).ok).to.equal(true);
    expect(ticketVerdict(buyerRecord(mixed), ticketSigner(mixed), 1n, category).ok).to.equal(false);
    // The genuine ticket passes both.
    const good = pass(STEP);
    expect(ticketVerdict(buyerRecord(good), ticketSigner(good), 1n, category)).to.deep.equal({ ok: true });
  });
});
