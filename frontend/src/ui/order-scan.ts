// Opening one order (pages/order.ts) when its OrderPlaced log must be found by a scan of the store's history: the
// order link had no block, or its block did not hold the order (client/placed.ts findPlaced). An order found at once
// (this device's cache, the link's block) shows as usual; one that needs the scan shows the order's heading, the
// scan's progress, the fan sentence that the link's block did not hold, and the choice of another network provider,
// as "Your orders" does while it reads (pages/orders.ts), then the order in place.
import { orderLabel } from "../client/order-ref.ts";
import { loadOrder, type OrderRecord } from "../client/orders.ts";
import { NotFound, type Page, type PageContext } from "../page.ts";
import { routes } from "../urls.ts";
import { h, link, replace } from "./dom.ts";
import { fallbackNotice, historyErrorBox, historyProgress, orderLinkMissNote } from "./history.ts";

/** What the order link said about the block of OrderPlaced (urls.ts parseOrderBlock). */
export type OrderHint = number | null | "malformed";

/** Builds the order's own page once its record is found; `linkNote` says when the link's block did not hold. */
export type OrderView = (record: OrderRecord, linkNote: HTMLElement | null) => Promise<Page>;

/** The sentence shown while the scan runs because the link's block number did not lead to the order. */
export function orderLinkScanningNote(malformed: boolean): HTMLElement {
  return h("p", {
    class: "notice order-link-miss",
    attrs: { role: "status" },
    text: malformed
      ? "This link's block number isn't readable, so we're looking for the order in the store's history. This can take a while with some network providers."
      : "This link's block number didn't lead to the order, so we're looking for it in the store's history. This can take a while with some network providers.",
  });
}

/**
 * The order's page: `view` at once when the order is found without a scan (an error then is the router's), else a
 * page that shows the scan while it runs and `view` in its place once the order is found (or says it isn't there,
 * or the error sentence with a retry and the choice of another provider).
 */
export async function orderOrScan(ctx: PageContext, orderId: bigint, hint: OrderHint, view: OrderView): Promise<Page> {
  const { app } = ctx;
  let missed = hint === "malformed";
  let scanStarted: () => void = () => {};
  const scanning = new Promise<null>((resolve) => {
    scanStarted = () => resolve(null);
  });
  const load = () =>
    loadOrder(app.chain, orderId, app.manifest.deploymentBlock, {
      block: hint === "malformed" ? null : hint,
      onScan: (hintMissed) => {
        missed ||= hintMissed;
        scanStarted();
      },
    });
  const loading = load();
  const first = await Promise.race([loading.then((record) => ({ record })), scanning]);
  const note = () => (missed ? orderLinkMissNote(hint === "malformed") : null);
  if (first) {
    if (!first.record) throw new NotFound();
    return view(first.record, note());
  }

  // The scan runs: its page until the order is found.
  const notice = fallbackNotice(app);
  let progress = historyProgress(app, "Looking for this order in the store's history…");
  const status = h("div", { class: "order-scan-status", attrs: { "aria-live": "polite" } }, progress.el);
  const el = h(
    "div",
    { class: "order-page order-scan" },
    h(
      "nav",
      { class: "breadcrumb", attrs: { "aria-label": "Breadcrumb" } },
      link(routes.orders(), null, "Your orders"),
      " / ",
      h("span", { attrs: { "aria-current": "page" }, text: orderLabel(orderId) }),
    ),
    h("h1", { text: orderLabel(orderId) }),
    notice.el,
    missed ? orderLinkScanningNote(hint === "malformed") : null,
    status,
    h(
      "p",
      { class: "muted small" },
      "Taking too long? ",
      link(routes.settings(), { class: "rpc-choice" }, "Choose another network provider"),
      " and open this link again.",
    ),
  );
  let inner: Page | null = null;
  const show = async (pending: Promise<OrderRecord | null>) => {
    try {
      const record = await pending;
      if (ctx.signal.aborted) return;
      progress.stop();
      if (!record) {
        replace(
          el,
          h("h1", { text: `We couldn't find ${orderLabel(orderId)}` }),
          h("p", {
            text: "No order with this number was placed in this store's history. The link may be wrong, or it may be for another network.",
          }),
          link(routes.orders(), { class: "btn" }, "Your orders"),
        );
        return;
      }
      const page = await view(record, note());
      // Left before the order showed: the router disposed of this page already, so the order's own page goes too.
      if (ctx.signal.aborted) return page.dispose?.();
      inner = page;
      el.replaceChildren(page.el);
    } catch (error) {
      if (ctx.signal.aborted) return;
      progress.stop();
      replace(
        status,
        historyErrorBox(app.explain(error), () => {
          progress = historyProgress(app, "Looking for this order in the store's history…");
          replace(status, progress.el);
          void show(load());
        }),
      );
    }
  };
  void show(loading);
  return {
    title: orderLabel(orderId),
    el,
    refresh: (block) => inner?.refresh?.(block),
    dispose: () => {
      progress.stop();
      notice.stop();
      inner?.dispose?.();
    },
  };
}
