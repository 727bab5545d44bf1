// The door page's verdict before it asks the chain (frontend/src/client/door.ts ticketVerdict) agrees with checkIn
// (contracts/base/MerchstandDrops.sol): the ticket is the order's first product, as checkIn reads it.
import { expect } from "chai";
import { ticketVerdict } from "../../frontend/src/client/door.ts";
import type { OrderRecord } from "../../frontend/src/client/orders.ts";

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
