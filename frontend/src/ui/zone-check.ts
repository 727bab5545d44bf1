// The seller's check of an order's shipping zone against its address (pages/seller/orders.ts hooks it in): the fan
// picks a country at checkout and pays that zone's rate, but only the seller, who decrypts the address, can see where
// the parcel really goes. When the address lies in a cheaper zone the seller may refund the difference (a partial
// refund, which keeps the order open); when it lies in a dearer one, the seller decides.
import type { App } from "../app.ts";
import { countryName, isCountryCode } from "../client/countries.ts";
import { formatAmount } from "../client/format.ts";
import type { Currency } from "../client/manifest.ts";
import type { OrderRecord } from "../client/orders.ts";
import type { ShippingAddress } from "../client/shipping-crypto.ts";
import { checkOrderZone, loadZones, type Zone, type ZoneRate } from "../client/zones.ts";
import { button, h, replace } from "./dom.ts";

export type StoreZones = { zones: Zone[]; rates: ZoneRate[] };

/** Reads a store's zones (metadata) and rates (chain) once, on first use; null when either cannot be read. */
export function storeZonesLoader(app: App, storeId: bigint, metadataCid: string): () => Promise<StoreZones | null> {
  let pending: Promise<StoreZones | null> | null = null;
  return () => {
    pending ??= Promise.all([app.chain.read("shippingZones", [storeId]), loadZones(app.ipfs, metadataCid)])
      .then(([rates, zones]) =>
        zones.ok ? { zones: zones.value, rates: rates.map((z) => ({ rate: z.rate, freeFrom: z.freeFrom })) } : null,
      )
      .catch(() => null);
    return pending;
  };
}

const placeName = (code: string) => (isCountryCode(code.toUpperCase()) ? countryName(code.toUpperCase()) : code);

/**
 * A note under an order's address saying whether it lies in the zone paid for; null for an order without a zone.
 * `refund` sends a partial refund of the difference (only offered while the order is open and the seller is staff).
 */
export function zoneCheckNote(
  record: OrderRecord,
  address: ShippingAddress,
  currency: Currency,
  load: () => Promise<StoreZones | null>,
  refund: ((amount: bigint, button: HTMLButtonElement) => Promise<void>) | null,
): HTMLElement | null {
  if (record.order.zone === 0) return null;
  const el = h("div", { class: "zone-check small", attrs: { "aria-live": "polite" } });
  const money = (v: bigint) => formatAmount(v, currency);
  void load().then((store) => {
    if (!store) {
      replace(el, h("p", { class: "muted", text: "Your shipping zones could not be read to check this address." }));
      return;
    }
    const verdict = checkOrderZone(store.zones, store.rates, record.order, address.country);
    if (!verdict) return;
    const paidZone = store.zones.find((z) => z.number === record.order.zone);
    const paidText = `${paidZone ? `zone ${paidZone.name}` : `zone ${record.order.zone}`} (${money(record.order.shipping)})`;
    const place = placeName(address.country);
    if (verdict.kind === "match") {
      replace(el, h("p", { class: "muted", text: `Shipping paid for ${paidText}: matches the address (${place}).` }));
      return;
    }
    if (verdict.kind === "uncovered") {
      replace(
        el,
        h("p", {
          class: "notice danger",
          text: `The address is in ${place}, which none of your zones lists; the buyer paid for ${paidText}. Ship it at that rate, or refund the order in full.`,
        }),
      );
      return;
    }
    const dueText = `zone ${verdict.zone.name} charges ${money(verdict.due)} for this order at today's rates`;
    if (verdict.difference === 0n) {
      replace(
        el,
        h("p", {
          class: "notice danger",
          text: `The address is in ${place}, but the buyer paid for ${paidText}; ${dueText}. Ship it at the price paid, or refund the order in full and ask the buyer to order again with the right country.`,
        }),
      );
      return;
    }
    const note = h("p", {
      class: "notice danger",
      text: `The address is in ${place}, but the buyer paid for ${paidText}; ${dueText}, so ${money(verdict.difference)} was paid too much.`,
    });
    if (!refund || (record.status !== "Paid" && record.status !== "Shipped")) {
      replace(el, note);
      return;
    }
    const action: HTMLButtonElement = button(
      `Refund the ${money(verdict.difference)} difference`,
      () => void refund(verdict.difference, action),
      { class: "btn secondary small refund-difference" },
    );
    replace(el, note, action);
  });
  return el;
}
