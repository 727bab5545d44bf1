// One store's sales at a glance: net sales by day, units and value by product and by size, and the stock left,
// computed in this browser from the chain (the store's orders rebuilt from logs by client/orders.ts, its products
// from the catalog reads) by client/sales.ts, and drawn as SVG bars with a table alternative (./bar-chart.ts).
import { loadStoreProducts } from "../../client/catalog.ts";
import { formatAmount } from "../../client/format.ts";
import { loadStoreOrders } from "../../client/orders.ts";
import { SALES_DAYS, salesSummary } from "../../client/sales.ts";
import type { Page, PageContext } from "../../page.ts";
import { h, replace } from "../../ui/dom.ts";
import { barChart, type ChartOptions } from "./bar-chart.ts";
import { type StaffContext, stat } from "./shared.ts";
import { storePage } from "./store-page.ts";

const units = (n: number) => `${n} ${n === 1 ? "unit" : "units"}`;

/** "3 Dec" for a YYYY-MM-DD day key, in UTC (the day the chart counts in). */
function dayLabel(key: string): string {
  return new Date(`${key}T00:00:00Z`).toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

export default function salesPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const render = async (staff: StaffContext, body: HTMLElement, _reload: unknown, shown: HTMLElement) => {
    const { store, currency } = staff;
    const [orders, products, now] = await Promise.all([
      loadStoreOrders(app.chain, store.id, app.manifest.deploymentBlock),
      loadStoreProducts(app.chain, store.id),
      app.chain.blockTimestamp(),
    ]);
    if (ctx.signal.aborted) return;
    const s = salesSummary(orders, products, now);
    // Tables the seller opened stay open when a new block redraws the page.
    const opened = new Set(
      Array.from(shown.querySelectorAll<HTMLElement>("details.chart-details[open]"), (d) => d.dataset.chart),
    );
    const chart = (options: ChartOptions) => barChart({ ...options, open: opened.has(options.title) });
    const money = (v: bigint) => formatAmount(v, currency);
    replace(
      body,
      h(
        "div",
        { class: "stat-grid sales-stats" },
        stat(
          "Net sales",
          h("span", { class: "sales-net", text: money(s.net) }),
          "Shipping included, less refunds, before the platform fee",
        ),
        stat(
          "Orders",
          h("span", { class: "sales-orders", text: String(s.orders) }),
          "Every order not refunded or cancelled",
        ),
        stat(
          "Units sold",
          h("span", { class: "sales-units", text: String(s.units) }),
          `Shipping charged ${money(s.shipping)} · codes took off ${money(s.discount)}`,
        ),
        stat(
          "Refunded or cancelled",
          h("span", { class: "sales-undone", text: String(s.undone) }),
          "Orders left out of the figures",
        ),
      ),
      chart({
        title: `Sales by day (last ${SALES_DAYS} days, UTC)`,
        note: "What fans paid on each day (shipping included, discounts taken off), less refunds.",
        columns: ["Day", "Net sales", "Orders", "Units"],
        rows: s.byDay.map((d) => ({
          label: dayLabel(d.key),
          value: d.amount,
          text: money(d.amount),
          cells: [String(d.orders), String(d.units)],
        })),
        empty: "",
      }),
      chart({
        title: "By product",
        note: "Units sold and their value at the price paid.",
        columns: ["Product", "Sold", "Value", "Orders"],
        rows: s.byProduct.map((p) => ({
          label: p.label,
          value: BigInt(p.units),
          text: units(p.units),
          cells: [money(p.amount), String(p.orders)],
        })),
        empty: "Nothing sold yet.",
      }),
      chart({
        title: "By size and variant",
        columns: ["Variant", "Sold", "Value"],
        rows: s.byVariant.map((v) => ({
          label: v.label,
          value: BigInt(v.units),
          text: units(v.units),
          cells: [money(v.amount)],
        })),
        empty: "Nothing sold yet.",
      }),
      chart({
        title: "Stock left",
        note: "What is left of each variant now, beside what has sold. Sold-out variants are marked.",
        columns: ["Variant", "In stock", "Sold", "On sale"],
        rows: s.stock.map((v) => ({
          label: v.label,
          value: BigInt(v.stock),
          text: v.stock === 0 ? "Sold out" : `${v.stock} left`,
          cells: [String(v.sold), v.active ? "Yes" : "No"],
          warn: v.stock === 0,
        })),
        empty: "No products yet.",
      }),
      h("p", {
        class: "muted small",
        text: `Read in this browser from the chain: ${orders.length} order(s) from the store's OrderPlaced logs and the events that followed, and ${products.length} product(s). Nothing is sent to a server.`,
      }),
    );
  };

  return storePage(ctx, {
    tab: "sales",
    className: "seller-sales",
    title: (staff) => `Sales · ${staff.store.name}`,
    loading: "Reading sales from the chain…",
    render,
    live: true,
  });
}
