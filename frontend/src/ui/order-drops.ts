// The order page's drop parts (pages/order.ts hooks them in): a pre-order's ship date, the shipping zone and the
// rate paid, the discount a code took, and for a delivered ticket its QR (ui/ticket-qr.ts).
import type { App } from "../app.ts";
import { preOrderText } from "../client/drops.ts";
import { formatAmount } from "../client/format.ts";
import type { Currency } from "../client/manifest.ts";
import type { OrderRecord } from "../client/orders.ts";
import type { Store } from "../client/protocol.ts";
import { loadZones } from "../client/zones.ts";
import { h, replace } from "./dom.ts";
import "./drops.css";

/** Pre-order, shipping and discount lines of an order; the zone's name comes from the store's metadata. */
export function orderDropLines(
  app: App,
  record: OrderRecord,
  store: Store | null,
  currency: Currency,
  signal: AbortSignal,
): HTMLElement | null {
  const o = record.order;
  // Most orders have none of these: no empty list then.
  if (o.shipsFrom === 0n && o.zone === 0 && o.discount === 0n) return null;
  const money = (v: bigint) => formatAmount(v, currency);
  const zoneText = h("span", { text: `Shipping zone ${o.zone}` });
  const el = h(
    "ul",
    { class: "summary-lines drop-lines" },
    o.shipsFrom > 0n
      ? h("li", { class: "pre-order-line" }, h("span", { class: "pre-order", text: preOrderText(o.shipsFrom) }))
      : null,
    o.zone > 0
      ? h(
          "li",
          { class: "shipping-line" },
          zoneText,
          h("span", { text: o.shipping === 0n ? "Free" : money(o.shipping) }),
        )
      : null,
    o.discount > 0n
      ? h(
          "li",
          { class: "discount-line" },
          h("span", { text: "Code discount" }),
          h("span", { text: `−${money(o.discount)}` }),
        )
      : null,
  );
  if (o.zone > 0 && store?.metadataCid) {
    void loadZones(app.ipfs, store.metadataCid).then((zones) => {
      const zone = zones.ok ? zones.value.find((z) => z.number === o.zone) : undefined;
      if (zone && !signal.aborted) replace(zoneText, `Shipping: ${zone.name}`);
    });
  }
  return el;
}
