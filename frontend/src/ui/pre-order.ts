// "Pre-order: ships from <date>" for the cart's lines whose product is a pre-order (IMerchstand getDrop), filled in
// once the drops are read; nothing for products that ship now.
import type { App } from "../app.ts";
import type { CartLine } from "../client/cart.ts";
import { isPreOrder, preOrderText, toDropTimes } from "../client/drops.ts";
import { h, replace } from "./dom.ts";
import "./drops.css";

export function preOrderNotes(app: App, lines: readonly CartLine[], signal: AbortSignal): HTMLElement {
  const el = h("ul", { class: "pre-order-notes", attrs: { "aria-label": "Pre-orders" } });
  const products = [...new Map(lines.map((l) => [l.productId, l.productName])).entries()];
  void Promise.all([
    app.chain.blockTimestamp(),
    ...products.map(([id]) => app.chain.read("getDrop", [BigInt(id)]).then(toDropTimes)),
  ])
    .then(([now, ...drops]) => {
      if (signal.aborted) return;
      replace(
        el,
        products.flatMap(([, name], i) => {
          const d = drops[i];
          return d && isPreOrder(d, now as bigint)
            ? [h("li", null, h("span", { class: "pre-order", text: `${name}: ${preOrderText(d.shipsFrom)}` }))]
            : [];
        }),
      );
    })
    .catch(() => {
      // Shown again on the next render; the checkout says it before paying in any case.
    });
  return el;
}
