// Sales at a glance for one store, computed from what the dashboard already reads: the store's orders rebuilt from
// logs (./orders.ts loadStoreOrders) and its products (./catalog.ts loadStoreProducts). No server, no DOM: the
// seller's sales page (pages/seller/sales.ts) draws these figures, and Node tests check them.
import type { OrderRecord } from "./orders.ts";
import type { Product } from "./protocol.ts";

/** One bar of a chart: a money value and the units behind it. */
export type SalesBar = { key: string; label: string; amount: bigint; units: number; orders: number };
/** One bar of the stock chart: what is left of a variant, beside what sold. */
export type StockBar = { key: string; label: string; stock: number; sold: number; active: boolean };

export type SalesSummary = {
  /** Orders that still count as sales: every status but Refunded and Cancelled. */
  orders: number;
  units: number;
  /** What those orders paid, less partial refunds and the buyer's share of a dispute ruling. */
  net: bigint;
  /** Shipping charged in those orders (part of `net`). */
  shipping: bigint;
  /** What discount codes took off those orders. */
  discount: bigint;
  /** Orders refunded in full or cancelled (left out of every other figure). */
  undone: number;
  /** Net sales per UTC day, oldest first, every day of the window present (zero when nothing sold). */
  byDay: SalesBar[];
  /** Units and line value per product, best seller first. */
  byProduct: SalesBar[];
  /** Units and line value per product variant (size), best seller first. */
  byVariant: SalesBar[];
  /** Stock left per variant, in catalog order. */
  stock: StockBar[];
};

const DAY_SECONDS = 86_400;
/** Days shown by the day chart, ending on the day of `now`. */
export const SALES_DAYS = 14;

/** The UTC calendar day of a unix time, as YYYY-MM-DD. */
export function utcDay(unixSeconds: bigint | number): string {
  return new Date(Number(unixSeconds) * 1000).toISOString().slice(0, 10);
}

/** Whether an order still counts as a sale: refunded in full or cancelled orders do not. */
export function countsAsSale(record: Pick<OrderRecord, "status">): boolean {
  return record.status !== "Refunded" && record.status !== "Cancelled";
}

/** What the store keeps of an order before the platform fee: its amount less refunds and a ruling's buyer share. */
export function netOfOrder(record: Pick<OrderRecord, "order" | "refunded" | "timeline" | "status">): bigint {
  if (!countsAsSale(record)) return 0n;
  let net = record.order.amount - record.refunded;
  for (const event of record.timeline) {
    if (event.kind === "resolved") net -= BigInt((event.detail.toBuyer as bigint | undefined) ?? 0n);
  }
  return net > 0n ? net : 0n;
}

function bump(map: Map<string, SalesBar>, key: string, label: string, amount: bigint, units: number, order: boolean) {
  const bar = map.get(key) ?? { key, label, amount: 0n, units: 0, orders: 0 };
  bar.amount += amount;
  bar.units += units;
  if (order) bar.orders += 1;
  map.set(key, bar);
}

const bestFirst = (a: SalesBar, b: SalesBar) =>
  b.units - a.units || (a.amount < b.amount ? 1 : a.amount > b.amount ? -1 : 0) || a.label.localeCompare(b.label);

/**
 * The figures of the sales page. `now` (unix seconds, the chain's latest block time) ends the day window of
 * `days` days; orders older than the window still count in every other figure.
 */
export function salesSummary(
  orders: readonly OrderRecord[],
  products: readonly Product[],
  now: bigint,
  days = SALES_DAYS,
): SalesSummary {
  const productById = new Map(products.map((p) => [p.id, p]));
  const byDay = new Map<string, SalesBar>();
  const lastDay = Math.floor(Number(now) / DAY_SECONDS);
  for (let d = lastDay - days + 1; d <= lastDay; d++) {
    const key = utcDay(d * DAY_SECONDS);
    byDay.set(key, { key, label: key, amount: 0n, units: 0, orders: 0 });
  }
  const byProduct = new Map<string, SalesBar>();
  const byVariant = new Map<string, SalesBar>();
  let count = 0;
  let units = 0;
  let net = 0n;
  let shipping = 0n;
  let discount = 0n;
  let undone = 0;
  for (const record of orders) {
    if (!countsAsSale(record)) {
      undone++;
      continue;
    }
    count++;
    const orderNet = netOfOrder(record);
    net += orderNet;
    shipping += record.order.shipping;
    discount += record.order.discount;
    const orderUnits = record.order.lines.reduce((n, l) => n + l.quantity, 0);
    units += orderUnits;
    const day = byDay.get(utcDay(record.order.placedAt));
    if (day) {
      day.amount += orderNet;
      day.units += orderUnits;
      day.orders += 1;
    }
    const seenProducts = new Set<bigint>();
    for (const line of record.order.lines) {
      const product = productById.get(line.productId);
      const name = product?.name ?? `Product #${line.productId}`;
      const variantLabel = product?.variants[line.variant]?.label ?? `variant ${line.variant + 1}`;
      const value = line.unitPrice * BigInt(line.quantity);
      bump(byProduct, String(line.productId), name, value, line.quantity, !seenProducts.has(line.productId));
      seenProducts.add(line.productId);
      bump(byVariant, `${line.productId}:${line.variant}`, `${name} · ${variantLabel}`, value, line.quantity, true);
    }
  }
  const stock: StockBar[] = products.flatMap((p) =>
    p.variants.map((v) => ({
      key: `${p.id}:${v.index}`,
      label: `${p.name} · ${v.label}`,
      stock: v.stock,
      sold: v.sold,
      active: p.active && v.active,
    })),
  );
  return {
    orders: count,
    units,
    net,
    shipping,
    discount,
    undone,
    byDay: [...byDay.values()],
    byProduct: [...byProduct.values()].sort(bestFirst),
    byVariant: [...byVariant.values()].sort(bestFirst),
    stock,
  };
}

/**
 * The length of a bar as a fraction of the longest (0..1), exact for bigints of any size: the chart scales money
 * without turning wei into floats first.
 */
export function barFraction(value: bigint, max: bigint): number {
  if (max <= 0n || value <= 0n) return 0;
  return Number((value * 10_000n) / max) / 10_000;
}
