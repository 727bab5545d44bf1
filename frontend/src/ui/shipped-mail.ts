// "Email the buyer" beside a shipped order in the seller's orders page: a mailto link (client/mailto.ts) with the
// buyer's email from their sealed address, the tracking reference and the order's link.
import { shippedMailto } from "../client/mailto.ts";
import type { OrderRecord } from "../client/orders.ts";
import type { ShippingAddress } from "../client/shipping-crypto.ts";
import { orderUrl } from "./calendar.ts";
import { h } from "./dom.ts";

/** The link, or null when there is no tracking reference to send. */
export function shippedMailLink(
  record: Pick<OrderRecord, "id" | "tracking">,
  address: Pick<ShippingAddress, "email" | "name"> | null,
  storeName: string,
  tracking = record.tracking,
): HTMLElement | null {
  if (!tracking) return null;
  const a = h("a", {
    class: "btn secondary small email-buyer",
    text: address?.email ? "Email the buyer" : "Write to the buyer (no email in the address)",
  });
  a.href = shippedMailto({
    to: address?.email ?? "",
    orderId: record.id,
    storeName,
    buyerName: address?.name ?? "",
    tracking,
    orderUrl: orderUrl(record.id),
  });
  return h(
    "p",
    { class: "small shipped-mail" },
    a,
    h("span", { class: "muted", text: " Opens your own mail app with the tracking reference and the order's link." }),
  );
}
