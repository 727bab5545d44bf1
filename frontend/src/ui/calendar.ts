// "Add to calendar" on an order's page: its deadlines as an .ics file (client/ics.ts) made here and downloaded as a
// Blob, with the order's own link, so the fan's calendar reminds them when nothing else can.
import { icsCalendar, orderDeadlines } from "../client/ics.ts";
import type { OrderRecord } from "../client/orders.ts";
import type { StoreTerms } from "../client/protocol.ts";
import { hashHref, routes } from "../urls.ts";
import { button, h } from "./dom.ts";

/** The order's link as anyone can open it on any device: this dapp's address with the order's route. */
export function orderUrl(orderId: bigint): string {
  return new URL(hashHref(routes.order(orderId)), location.href).toString();
}

/** Saves `text` as a file named `name` through a Blob link (no server, no new tab). */
export function downloadText(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { attrs: { download: name } });
  a.href = url;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The "Add to calendar" box, or null when the order has no deadline left (finished, refunded, cancelled). */
export function calendarBox(
  record: OrderRecord,
  terms: Pick<StoreTerms, "shipWindow" | "deliveryWindow">,
  options: { digital: boolean; arbiterWindow: number; storeName: string; chainId: number; contract: string },
): HTMLElement | null {
  const deadlines = orderDeadlines(record, terms, options);
  if (deadlines.length === 0) return null;
  return h(
    "p",
    { class: "calendar-box" },
    button(
      "Add to calendar",
      () => {
        const text = icsCalendar(deadlines, {
          orderId: record.id,
          orderUrl: orderUrl(record.id),
          uidDomain: `${options.contract.toLowerCase()}.${options.chainId}.merchstand`,
          now: new Date(),
        });
        downloadText(text, `merchstand-order-${record.id}.ics`, "text/calendar;charset=utf-8");
      },
      { class: "btn secondary small add-to-calendar" },
    ),
    h("span", {
      class: "muted small",
      text: ` ${deadlines.map((d) => d.summary.split(":")[0]).join(", ")}: your calendar reminds you a day before.`,
    }),
  );
}
