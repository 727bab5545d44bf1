// What pages show while history is read from logs (client/log-scan.ts): a progress line fed by
// Chain.onHistoryProgress, and an error box that offers another network provider (pages/settings.ts) when the
// provider can't be reached or can't serve the history.
import type { App } from "../app.ts";
import type { FanError } from "../client/errors.ts";
import { FallbackRpc, fallbackSentence } from "../client/rpc-choice.ts";
import { hashHref, routes } from "../urls.ts";
import { errorBox, spinner } from "./components.ts";
import { button, h, link, replace } from "./dom.ts";

/** A spinner whose label reads "`label` 40%" while a scan runs; `stop` detaches it. */
export function historyProgress(app: App, label: string): { el: HTMLElement; stop: () => void } {
  const el = spinner(label);
  const text = el.lastChild;
  const stop = app.chain.onHistoryProgress((p) => {
    if (!text) return;
    text.textContent = p && p.total > 0 ? `${label} ${Math.floor((100 * p.done) / p.total)}%` : label;
  });
  return { el, stop };
}

/** errorBox, plus a link to choose another network provider when the failure is the provider's. */
export function historyErrorBox(error: FanError, onRetry?: () => void): HTMLElement {
  const box = errorBox({ ...error, retry: error.retry || error.kind === "unreachable" }, onRetry);
  if (error.kind === "unreachable") {
    box.append(link(routes.settings(), { class: "btn secondary rpc-choice" }, "Choose another network provider"));
  }
  return box;
}

/**
 * "Copy order link": the order's URL with the block of its OrderPlaced log (urls.ts routes.order `block`), which
 * opens the order on any device with one `eth_getLogs` of that block. Where the clipboard is refused, the link is
 * shown to copy by hand.
 */
export function orderLinkBox(orderId: bigint, block: number): HTMLElement {
  const url = `${location.origin}${location.pathname}${hashHref(routes.order(orderId, { block }))}`;
  const status = h("span", { class: "muted small", attrs: { role: "status" } });
  const copy = button(
    "Copy order link",
    () => {
      const manual = () => {
        const field = h("input", {
          class: "order-link-text",
          attrs: { readonly: "", value: url, "aria-label": "Order link" },
        });
        replace(status, "Copy this link: ", field);
        field.select();
      };
      if (!navigator.clipboard) return manual();
      navigator.clipboard
        .writeText(url)
        .then(() => replace(status, "Link copied. It opens this order on any device."), manual);
    },
    { class: "btn secondary copy-order-link" },
  );
  return h("p", { class: "order-link-box" }, copy, " ", status);
}

/** The sentence shown when an order link's block did not lead to the order and the history was read instead. */
export function orderLinkMissNote(malformed: boolean): HTMLElement {
  return h("p", {
    class: "notice",
    attrs: { role: "status" },
    text: malformed
      ? "This link's block number isn't readable, so the order was looked up in the store's history instead."
      : "This link's block number didn't lead to the order, so it was looked up in the store's history instead.",
  });
}

/**
 * A line that says when the fan's own network provider was passed over for the store's (client/rpc-choice.ts
 * FallbackRpc): refused the history, or could not be reached. Empty otherwise; `stop` detaches it.
 */
export function fallbackNotice(app: App): { el: HTMLElement; stop: () => void } {
  const el = h("div", { class: "rpc-fallback", attrs: { "aria-live": "polite" } });
  const rpc = app.chain.rpc;
  if (!(rpc instanceof FallbackRpc)) return { el, stop: () => {} };
  const show = () =>
    replace(
      el,
      [...rpc.reasons].map((reason) => h("p", { class: "notice", text: fallbackSentence(reason) })),
    );
  show();
  return { el, stop: rpc.onFallback(show) };
}
