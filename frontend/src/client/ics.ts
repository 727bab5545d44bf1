// An order's deadlines as an iCalendar file (RFC 5545), made in the browser: no server sends reminders, so the
// fan's own calendar does. Pure text building, no DOM, so Node tests import it.

import { orderReference } from "./order-ref.ts";
import { shipBy } from "./order-state.ts";
import type { OrderRecord } from "./orders.ts";
import type { StoreTerms } from "./protocol.ts";

export type Deadline = {
  kind: "cancel-from" | "dispute-until" | "completes-on" | "claim-from";
  /** Unix seconds, by the chain's clock (what the contract compares with). */
  at: bigint;
  summary: string;
  description: string;
};

/**
 * The deadlines of an order that are known now, from its terms (the same arithmetic as client/orders.ts
 * buyerActions): a paid order's cancel date; a shipped (or delivered) order's dispute deadline and the moment
 * anyone may complete it; a disputed order's date from which the buyer may claim a refund if the arbiter is silent.
 */
export function orderDeadlines(
  record: Pick<OrderRecord, "id" | "order" | "status">,
  terms: Pick<StoreTerms, "shipWindow" | "deliveryWindow">,
  options: { digital: boolean; arbiterWindow: number; storeName: string },
): Deadline[] {
  const o = record.order;
  const label = `order ${orderReference(record.id)} from ${options.storeName}`;
  switch (record.status) {
    case "Paid":
      return [
        {
          kind: "cancel-from",
          at: shipBy(o, terms),
          summary: `Cancel possible: ${label}`,
          description: `If ${label} hasn't ${options.digital ? "been delivered" : "shipped"} by now, you can cancel it for a full refund. The dispute and completion dates are set when it ${options.digital ? "is delivered" : "ships"}: add the calendar again from the order page then.`,
        },
      ];
    case "Shipped": {
      const end = o.shippedAt + BigInt(terms.deliveryWindow);
      return [
        {
          kind: "dispute-until",
          at: end,
          summary: `Last moment to dispute: ${label}`,
          description: `Something wrong or not arrived? Open a dispute for ${label} before this moment. Got it? Confirm receipt to release the payment to the band.`,
        },
        {
          kind: "completes-on",
          at: end,
          summary: `Completes: ${label}`,
          description: `From now anyone (you too) can complete ${label}, which releases the payment to the band.`,
        },
      ];
    }
    case "Disputed":
      return [
        {
          kind: "claim-from",
          at: o.disputedAt + BigInt(options.arbiterWindow),
          summary: `Refund claimable: ${label}`,
          description: `If the arbiter hasn't ruled on ${label} by now, you can claim a full refund from the order page.`,
        },
      ];
    default:
      return [];
  }
}

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

const utf8 = new TextEncoder();

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): continuation lines start with one space, and a multi-byte
 * UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = utf8.encode(ch).length;
    // The first line holds 75 octets; each continuation holds 74 after its leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** 20261203T115500Z */
export function icsDate(unixSeconds: bigint | number): string {
  return new Date(Number(unixSeconds) * 1000)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * A VCALENDAR with one VEVENT per deadline (a 30-minute slot starting at the deadline, with a reminder a day
 * before), each carrying the order's link. `uidDomain` makes the UIDs unique per deployment, so adding the file
 * again after a change updates the events instead of duplicating them.
 */
export function icsCalendar(
  deadlines: readonly Deadline[],
  options: { orderId: bigint; orderUrl: string; uidDomain: string; now: Date },
): string {
  const stamp = icsDate(Math.floor(options.now.getTime() / 1000));
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Merchstand//Order deadlines//EN", "CALSCALE:GREGORIAN"];
  lines.push("METHOD:PUBLISH");
  for (const d of deadlines) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:order-${options.orderId}-${d.kind}@${options.uidDomain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsDate(d.at)}`,
      "DURATION:PT30M",
      `SUMMARY:${escapeText(d.summary)}`,
      `DESCRIPTION:${escapeText(`${d.description}\n${options.orderUrl}`)}`,
      `URL:${options.orderUrl}`,
      "TRANSP:TRANSPARENT",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      "TRIGGER:-P1D",
      `DESCRIPTION:${escapeText(d.summary)}`,
      "END:VALARM",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
