// Re-reads every product in the cart from the chain and applies the result to the cart, returning sentences
// for what changed. Used by the cart page, checkout, and after a failed payment.
import type { App } from "../app.ts";
import { type Cart, type CartProblem, recheckCart } from "../client/cart.ts";
import { formatAmount, variantPhrase } from "../client/format.ts";
import type { Product } from "../client/protocol.ts";

export async function refreshCart(
  app: App,
  cart: Cart = app.cart,
): Promise<{ products: Map<string, Product | null>; notes: string[] }> {
  const ids = [...new Set(cart.lines.map((l) => l.productId))];
  const fetched = await Promise.all(ids.map((id) => app.chain.getProduct(BigInt(id))));
  const products = new Map(ids.map((id, i) => [id, fetched[i] ?? null]));
  const { lines, problems } = recheckCart(cart.lines, products);
  if (problems.length > 0) cart.replace(lines);
  return { products, notes: problems.map((p) => describeProblem(app, p)) };
}

export function describeProblem(app: App, problem: CartProblem): string {
  const line = problem.line;
  const what = line.variantLabel ? `${line.productName} (${variantPhrase(line.variantLabel)})` : line.productName;
  switch (problem.kind) {
    case "sold-out":
      return `${variantPhrase(line.variantLabel)} of ${line.productName} just sold out. Your cart was updated.`;
    case "reduced":
      return `Only ${problem.to} of ${what} ${problem.to === 1 ? "is" : "are"} left, so your cart now has ${problem.to}.`;
    case "price-changed": {
      const c = app.currency(line.currency);
      return `The price of ${what} changed from ${formatAmount(problem.from, c).replace(` ${c.symbol}`, "")} to ${formatAmount(problem.to, c)}. Review and try again.`;
    }
    case "unavailable":
      return `${what} is no longer for sale. Your cart was updated.`;
  }
}
