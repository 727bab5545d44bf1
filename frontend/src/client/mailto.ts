// A ready email from the seller to a buyer, opened in the seller's own mail client through a `mailto:` URL
// (RFC 6068): no server sends anything. The buyer's email comes from their sealed address, so it is hostile input:
// only a plain addr-spec is used as the recipient (anything else leaves "To" empty), and every part is
// percent-encoded, so nothing in it can add a header (cc, bcc) or end the body.
import { orderReference } from "./order-ref.ts";
export type ShippedEmail = {
  to: string;
  orderId: bigint;
  storeName: string;
  buyerName: string;
  tracking: string;
  orderUrl: string;
};

/** A plain `local@domain.tld` address, no spaces, quotes, commas, `?` or `&`; at most 254 characters. */
export function plainEmail(value: string): string | null {
  const email = value.trim();
  if (email.length > 254) return null;
  return /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(email) ? email : null;
}

/** The subject and body of the email (plain text, CRLF line ends as RFC 6068 asks). */
export function shippedEmailText(e: ShippedEmail): { subject: string; body: string } {
  const hello = e.buyerName.trim() ? `Hi ${e.buyerName.trim()},` : "Hi,";
  const subject = `Your order ${orderReference(e.orderId)} from ${e.storeName} has shipped`;
  const body = [
    hello,
    "",
    `Your order ${orderReference(e.orderId)} from ${e.storeName} is on its way.`,
    `Tracking: ${e.tracking}`,
    "",
    "Follow it, confirm when it arrives, or open a dispute if something is wrong, on the order's page:",
    e.orderUrl,
    "",
    `Thank you! — ${e.storeName}`,
  ].join("\r\n");
  return { subject, body };
}

/** The `mailto:` URL: the recipient when it is a plain address, subject and body percent-encoded. */
export function shippedMailto(e: ShippedEmail): string {
  const to = plainEmail(e.to);
  const { subject, body } = shippedEmailText(e);
  const recipient = to ? to.split("@").map(encodeURIComponent).join("@") : "";
  return `mailto:${recipient}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
