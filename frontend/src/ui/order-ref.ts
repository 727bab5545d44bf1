// How an order is named on the page: its short reference (client/order-ref.ts) where people read, its full id in a
// data attribute for scripts and tests, and on the order's own page the full number with a Copy button.
import { orderLabel, orderReference } from "../client/order-ref.ts";
import { routes } from "../urls.ts";
import { button, h, link } from "./dom.ts";

/** A link to the order's page reading "Order MS-7KQ2-9XAB", carrying `data-order-id`. */
export function orderLink(id: bigint, className = "order-link"): HTMLAnchorElement {
  return link(routes.order(id), { class: className, dataset: { orderId: id.toString() } }, orderLabel(id));
}

/** The full order number, selectable, with a Copy button: what the contract, the explorer and a seller's CSV use. */
export function orderNumberLine(id: bigint): HTMLElement {
  const number = id.toString();
  const said = h("span", { class: "copy-status", attrs: { role: "status" } });
  return h(
    "p",
    { class: "order-number muted small", dataset: { orderId: number, reference: orderReference(id) } },
    "Order number ",
    h("code", { text: number }),
    " ",
    button(
      "Copy",
      async () => {
        await navigator.clipboard?.writeText(number).then(
          () => {
            said.textContent = " Copied.";
          },
          () => {
            said.textContent = " Copy failed; select the number instead.";
          },
        );
      },
      { class: "btn secondary small", attrs: { "aria-label": `Copy the order number ${number}` } },
    ),
    said,
  );
}
