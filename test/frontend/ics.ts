// An order's calendar file (frontend/src/client/ics.ts): which deadlines each status has and their dates from the
// terms, RFC 5545 text escaping, line folding at 75 octets without splitting a character, CRLF line ends.
import { expect } from "chai";
import { escapeText, foldLine, icsCalendar, icsDate, orderDeadlines } from "../../frontend/src/client/ics.ts";
import { orderReference } from "../../frontend/src/client/order-ref.ts";
import type { OrderRecord } from "../../frontend/src/client/orders.ts";

const DAY = 86_400n;
const PLACED = 1_796_000_000n; // 2026-11-30T00:53:20Z (date -u -d @1796000000)
const terms = { shipWindow: 7 * 86_400, deliveryWindow: 14 * 86_400 };
const base = {
  id: 4_398_046_511_105n,
  order: { placedAt: PLACED, shippedAt: 0n, disputedAt: 0n },
} as unknown as OrderRecord;
const record = (status: OrderRecord["status"], over: Partial<OrderRecord["order"]> = {}) =>
  ({ ...base, status, order: { ...base.order, ...over } }) as OrderRecord;
const options = { digital: false, arbiterWindow: 30 * 86_400, storeName: 'The Midnight Owls, Leeds; "live"' };

function unfold(text: string): string[] {
  return text.replace(/\r\n /g, "").split("\r\n");
}

describe("ics", () => {
  describe("orderDeadlines", () => {
    it("gives a paid order its cancel date: placed + ship window", () => {
      const d = orderDeadlines(record("Paid"), terms, options);
      expect(d.map((x) => [x.kind, x.at])).to.deep.equal([["cancel-from", PLACED + 7n * DAY]]);
    });
    it("gives a pre-order its cancel date from its ship date, as the contract's cancel does", () => {
      const shipsFrom = PLACED + 90n * DAY;
      const d = orderDeadlines(record("Paid", { shipsFrom }), terms, options);
      expect(d.map((x) => [x.kind, x.at])).to.deep.equal([["cancel-from", shipsFrom + 7n * DAY]]);
    });
    it("gives a shipped order its dispute deadline and completion: shipped + delivery window", () => {
      const shipped = PLACED + 2n * DAY;
      const d = orderDeadlines(record("Shipped", { shippedAt: shipped }), terms, options);
      expect(d.map((x) => [x.kind, x.at])).to.deep.equal([
        ["dispute-until", shipped + 14n * DAY],
        ["completes-on", shipped + 14n * DAY],
      ]);
    });
    it("gives a disputed order the date its refund becomes claimable, and a closed one nothing", () => {
      const disputed = PLACED + 5n * DAY;
      const d = orderDeadlines(record("Disputed", { disputedAt: disputed }), terms, options);
      expect(d.map((x) => [x.kind, x.at])).to.deep.equal([["claim-from", disputed + 30n * DAY]]);
      for (const s of ["Completed", "Refunded", "Cancelled", "Resolved"] as const) {
        expect(orderDeadlines(record(s), terms, options)).to.deep.equal([]);
      }
    });
  });

  describe("icsCalendar", () => {
    const url = "http://bafy.ipfs.localhost:8080/#/orders/4398046511105";
    const text = icsCalendar(orderDeadlines(record("Shipped", { shippedAt: PLACED }), terms, options), {
      orderId: base.id,
      orderUrl: url,
      uidDomain: "0xabc.31337.merchstand",
      now: new Date("2026-12-03T11:30:00Z"),
    });

    it("is a VCALENDAR of CRLF lines, none longer than 75 octets", () => {
      expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")).to.equal(true);
      expect(text.endsWith("END:VCALENDAR\r\n")).to.equal(true);
      expect(text.replace(/\r\n/g, "")).to.not.match(/[\r\n]/);
      for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).to.be.at.most(75);
    });
    it("dates each event in UTC from the terms, stamped now", () => {
      const lines = unfold(text);
      expect(lines.filter((l) => l.startsWith("DTSTART:"))).to.deep.equal([
        `DTSTART:${icsDate(PLACED + 14n * DAY)}`,
        `DTSTART:${icsDate(PLACED + 14n * DAY)}`,
      ]);
      expect(icsDate(PLACED + 14n * DAY)).to.equal("20261214T005320Z");
      expect(lines).to.include("DTSTAMP:20261203T113000Z");
      expect(lines.filter((l) => l.startsWith("UID:"))).to.deep.equal([
        "UID:order-4398046511105-dispute-until@0xabc.31337.merchstand",
        "UID:order-4398046511105-completes-on@0xabc.31337.merchstand",
      ]);
    });
    it("carries the order link and escapes the store's name", () => {
      const lines = unfold(text);
      expect(lines).to.include(`URL:${url}`);
      const summary = lines.find((l) => l.startsWith("SUMMARY:Last moment"));
      expect(summary).to.equal(
        `SUMMARY:Last moment to dispute: order ${orderReference(4398046511105n)} from The Midnight Owls\\, Leeds\\; "live"`,
      );
      expect(lines.find((l) => l.startsWith("DESCRIPTION:Something"))).to.contain(`\\n${url}`);
    });
  });

  describe("escapeText / foldLine", () => {
    it("escapes backslash, semicolon, comma and newlines", () => {
      expect(escapeText("a\\b;c,d\ne\r\nf")).to.equal("a\\\\b\\;c\\,d\\ne\\nf");
    });
    it("folds at 75 octets with a leading space and never splits a UTF-8 character", () => {
      const line = `SUMMARY:${"Zoë 🦉 ".repeat(30)}`;
      const folded = foldLine(line);
      const parts = folded.split("\r\n");
      expect(parts.length).to.be.greaterThan(2);
      for (const [i, p] of parts.entries()) {
        expect(Buffer.byteLength(p)).to.be.at.most(75);
        if (i > 0) expect(p.startsWith(" ")).to.equal(true);
        expect(p).to.not.contain("\uFFFD");
      }
      expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join("")).to.equal(line);
      expect(foldLine("SHORT:x")).to.equal("SHORT:x");
    });
  });
});
