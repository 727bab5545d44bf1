// A checkout of a cart in more than one currency: one address form, then one payment per currency, made one after
// the other (an order is paid in its store's currency, and one transaction moves one currency). This module plans the
// payments and words what happened; pages/checkout.ts runs them.
import type { CartLine } from "./cart.ts";
import { formatAmount } from "./format.ts";
import type { Currency } from "./manifest.ts";

/** One payment of the sequence: the cart lines in one currency. */
export type PlannedPayment = { currency: string; lines: CartLine[] };

/**
 * The payments a checkout makes, in the order the cart first names each currency. `only` (a currency address, from
 * an old `?currency=` link) keeps that one payment.
 */
export function planPayments(lines: readonly CartLine[], only?: string | null): PlannedPayment[] {
  const plan = new Map<string, PlannedPayment>();
  for (const line of lines) {
    const key = line.currency.toLowerCase();
    if (only && key !== only.toLowerCase()) continue;
    let payment = plan.get(key);
    if (!payment) {
      payment = { currency: line.currency, lines: [] };
      plan.set(key, payment);
    }
    payment.lines.push(line);
  }
  return [...plan.values()];
}

/** "Payment 1 of 2 (ETH): " before each wallet step when there is more than one payment; "" otherwise. */
export function paymentPrefix(index: number, count: number, currency: Pick<Currency, "symbol">): string {
  return count > 1 ? `Payment ${index + 1} of ${count} (${currency.symbol}): ` : "";
}

/** The plain notice above the Pay button of a cart in several currencies; null for one. */
export function sequenceNotice(totals: readonly { amount: bigint; currency: Currency }[]): string | null {
  if (totals.length < 2) return null;
  const list = totals.map((t, i) => `${i + 1}. ${formatAmount(t.amount, t.currency)}`).join(", ");
  return `Your cart is in ${totals.length} currencies, so you'll make ${totals.length} payments, one after the other (${list}), each confirmed in your wallet. One address is used for all of them.`;
}

export type PaidPayment = { amount: bigint; currency: Currency; orderLabels: string[] };

/**
 * What a fan is told when a later payment failed after earlier ones went through: which were paid (and their
 * orders), that the failed one charged nothing, and what is left in the cart.
 */
export function partialFailureText(
  paid: readonly PaidPayment[],
  failed: { index: number; count: number; amount: bigint; currency: Currency },
): string {
  const done = paid
    .map(
      (p, i) =>
        `Payment ${i + 1} of ${failed.count} went through: ${formatAmount(p.amount, p.currency)} paid, ${p.orderLabels.join(", ")} placed.`,
    )
    .join(" ");
  return `${done} Payment ${failed.index + 1} of ${failed.count} (${formatAmount(failed.amount, failed.currency)}) did not go through, and nothing was charged for it. Its items are still in your cart: press Pay to pay for them alone.`;
}
