// While the dapp is open, a notice when one of the connected fan's orders changes (shipped, delivered, refunded…):
// client/seen.ts OrderWatch polls on new blocks, at most every POLL_MS; notices are read out politely (aria-live)
// and stay until dismissed or opened.
import type { App } from "../app.ts";
import { orderReference } from "../client/order-ref.ts";
import { OrderWatch } from "../client/seen.ts";
import { statusLabel } from "../pages/order-status.ts";
import { routes } from "../urls.ts";
import { button, h, link } from "./dom.ts";

const POLL_MS = 15_000;
const MAX_NOTICES = 5;

/** Starts watching the connected account's orders for the life of the page; returns the notice region. */
export function startOrderNotices(app: App, options: { pollMs?: number } = {}): HTMLElement {
  const region = h("div", {
    class: "order-notices",
    attrs: { "aria-live": "polite", "aria-label": "Order updates", role: "region" },
  });
  document.body.append(region);
  const watch = new OrderWatch(app.chain, app.manifest.deploymentBlock, { minIntervalMs: options.pollMs ?? POLL_MS });
  // A block that comes too soon after a poll schedules one for when it is due, so a change mined just after a poll
  // (on a quiet chain, the last block for a while) is still reported.
  let due: ReturnType<typeof setTimeout> | null = null;
  const poll = () => {
    const wait = watch.nextPollIn();
    if (wait > 0) {
      if (due === null) {
        due = setTimeout(() => {
          due = null;
          poll();
        }, wait);
      }
      return;
    }
    void watch
      .poll(app.account)
      .then((changes) => {
        for (const change of changes) {
          const words = statusLabel(change.to, change.digital === true);
          const notice = h(
            "div",
            { class: "order-notice", attrs: { role: "status" } },
            link(
              routes.order(change.id),
              { class: "order-notice-link" },
              `Order ${orderReference(change.id)}: ${words}`,
            ),
            button("Dismiss", () => notice.remove(), {
              class: "btn small secondary",
              attrs: { "aria-label": "Dismiss" },
            }),
          );
          notice.querySelector("a")?.addEventListener("click", () => notice.remove());
          region.prepend(notice);
          while (region.childElementCount > MAX_NOTICES) region.lastElementChild?.remove();
        }
      })
      .catch(() => {
        // Offline or an RPC hiccup: the next block tries again (the header already says when the network is down).
      });
  };
  app.onBlock(poll);
  app.onChange(poll);
  return region;
}
