// Where an order stands, for the seller's lists: its filter tab, whether money is still escrowed, what the store
// gets after the fee, the ship-by time, a dispute split, and its items in one line.
import type { OrderRecord } from "./orders.ts";
import { escrowOf, type Order, type OrderStatus, type StoreTerms } from "./protocol.ts";

export type OrderFilter = "to-ship" | "shipped" | "disputed" | "completed" | "closed";

export const ORDER_FILTERS: readonly { key: OrderFilter; label: string }[] = [
  { key: "to-ship", label: "To ship" },
  { key: "shipped", label: "Shipped" },
  { key: "disputed", label: "Disputed" },
  { key: "completed", label: "Completed" },
  { key: "closed", label: "Refunded & cancelled" },
];

export function orderFilterOf(status: OrderStatus): OrderFilter {
  switch (status) {
    case "Paid":
      return "to-ship";
    case "Shipped":
      return "shipped";
    case "Disputed":
      return "disputed";
    case "Completed":
    case "Resolved":
      return "completed";
    default:
      return "closed";
  }
}

/** What one order still holds in escrow: its amount less partial refunds. */
export function escrowedIn(record: Pick<OrderRecord, "order" | "refunded">): bigint {
  return escrowOf(record.order, record.refunded);
}

/** Orders whose money is still in escrow. */
export function isOpen(status: OrderStatus): boolean {
  return status === "Paid" || status === "Shipped" || status === "Disputed";
}

/** What is still escrowed in open orders, per currency (before the platform fee), and how many orders hold it. */
export function escrowed(records: readonly OrderRecord[]): Map<string, { amount: bigint; orders: number }> {
  const out = new Map<string, { amount: bigint; orders: number }>();
  for (const r of records) {
    if (!isOpen(r.status)) continue;
    const key = r.order.currency.toLowerCase();
    const sum = out.get(key) ?? { amount: 0n, orders: 0 };
    out.set(key, { amount: sum.amount + escrowOf(r.order, r.refunded), orders: sum.orders + 1 });
  }
  return out;
}

/** What the store would be credited from `amount` under the order's fee: the contract rounds the fee down. */
export function afterFee(amount: bigint, feeBps: number): { toStore: bigint; fee: bigint } {
  const fee = (amount * BigInt(feeBps)) / 10_000n;
  return { toStore: amount - fee, fee };
}

/** When the store must have shipped by: after this the buyer may cancel for a full refund. */
export function shipBy(order: Order, terms: Pick<StoreTerms, "shipWindow">): bigint {
  // A pre-order's ship window runs from its ship date (docs/DROPS.md).
  return (order.shipsFrom > order.placedAt ? order.shipsFrom : order.placedAt) + BigInt(terms.shipWindow);
}

/** A ruling that gives `percentToBuyer` % of what is escrowed to the buyer (rounded down), the rest to the store. */
export function splitRuling(escrowedAmount: bigint, percentToBuyer: number): { toBuyer: bigint; toStore: bigint } {
  const bps = Math.round(Math.min(100, Math.max(0, percentToBuyer)) * 100);
  const toBuyer = (escrowedAmount * BigInt(bps)) / 10_000n;
  return { toBuyer, toStore: escrowedAmount - toBuyer };
}

export function items(record: OrderRecord, describe: (productId: bigint, variant: number) => string): string {
  return record.order.lines.map((l) => `${l.quantity} × ${describe(l.productId, l.variant)}`).join("; ");
}
