// One store's sales at a glance: net sales by day, units and value by product and by size, and the stock left,
// computed in this browser from the chain (the store's orders rebuilt from logs by client/orders.ts, its products
// from the catalog reads) by client/sales.ts, and drawn as SVG bars with a table alternative (./bar-chart.ts).
import { loadStoreProducts } from "../../client/catalog.ts";
import { formatAmount } from "../../client/format.ts";
import { loadStoreOrders } from "../../client/orders.ts";
import { SALES_DAYS, salesSummary } from "../../client/sales.ts";
import type { Page, PageContext } from "../../page.ts";
import { errorBox, spinner } from "../../ui/components.ts";
import { h, replace } from "../../ui/dom.ts";
import { barChart } from "./bar-chart.ts";
import { loadStoreForStaff, onAccountChange, stat, storeHeader } from "./shared.ts";

const units = (n: number) => `${n} ${n === 1 ? "unit" : "units"}`;

/** "3 Dec" for a YYYY-MM-DD day key, in UTC (the day the chart counts in). */
function dayLabel(key: string): string {
  return new Date(`${key}T00:00:00Z`).toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

export default async function salesPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  let staff = await loadStoreForStaff(ctx);
  const root = h("div", { class: "seller-page seller-sales" });
  const body = h("div", null, spinner("Reading sales from the chain…"));

  const render = async () => {
    const { store, currency } = staff;
    const [orders, products, now] = await Promise.all([
      loadStoreOrders(app.chain, store.id, app.manifest.deploymentBlock),
      loadStoreProducts(app.chain, store.id),
      app.chain.blockTimestamp(),
    ]);
    if (ctx.signal.aborted) return;
    const s = salesSummary(orders, products, now);
    const money = (v: bigint) => formatAmount(v, currency);
    replace(
      body,
      h(
        "div",
        { class: "stat-grid sales-stats" },
        stat(
          "Net sales",
          h("span", { class: "sales-net", text: money(s.net) }),
          "Less refunds, before the platform fee",
        ),
        stat(
          "Orders",
          h("span", { class: "sales-orders", text: String(s.orders) }),
          "Every order not refunded or cancelled",
        ),
        stat("Units sold", h("span", { class: "sales-units", text: String(s.units) })),
        stat(
          "Refunded or cancelled",
          h("span", { class: "sales-undone", text: String(s.undone) }),
          "Orders left out of the figures",
        ),
      ),
      barChart({
        title: `Sales by day (last ${SALES_DAYS} days, UTC)`,
        note: "What fans paid on each day, less refunds.",
        columns: ["Day", "Net sales", "Orders", "Units"],
        rows: s.byDay.map((d) => ({
          label: dayLabel(d.key),
          value: d.amount,
          text: money(d.amount),
          cells: [String(d.orders), String(d.units)],
        })),
        empty: "",
      }),
      barChart({
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
      barChart({
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
      barChart({
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

  const load = () =>
    render().catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          body,
          errorBox(app.explain(error), () => void load()),
        );
    });
  replace(root, storeHeader(staff, "sales"), body);
  void load();
  const unsubscribe = onAccountChange(ctx, () => {
    void loadStoreForStaff(ctx).then((next) => {
      staff = next;
      replace(root, storeHeader(staff, "sales"), body);
    });
  });
  return { title: `Sales · ${staff.store.name}`, el: root, refresh: () => void load(), dispose: unsubscribe };
}
