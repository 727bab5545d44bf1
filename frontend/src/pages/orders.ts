// "My orders": the connected account's orders rebuilt from logs. Credits (refunds) to withdraw are not here: the
// notice on every page says them (ui/credits-notice.ts).
import { formatAmount, formatDate } from "../client/format.ts";
import { withoutBidiControls } from "../client/names.ts";
import { matchesOrder, orderLabel } from "../client/order-ref.ts";
import { isDigitalOrder, loadBuyerOrders, type OrderRecord } from "../client/orders.ts";
import type { Product } from "../client/protocol.ts";
import type { OrderChange } from "../client/seen.ts";
import type { Page, PageContext } from "../page.ts";
import { emptyState, ipfsImage } from "../ui/components.ts";
import { button, h, link, replace, uid } from "../ui/dom.ts";
import { foundProgress } from "../ui/found-progress.ts";
import { fallbackNotice, historyErrorBox } from "../ui/history.ts";
import { openWalletDialog } from "../ui/layout.ts";
import { changedMark, seenTracker } from "../ui/seen-marks.ts";
import { usdNote } from "../ui/usd.ts";
import { routes } from "../urls.ts";
import { statusLabel } from "./order-status.ts";
import { firstImage } from "./shared.ts";

/** Pictures shown per order in the list; the names say the rest. */
const MAX_THUMBS = 3;

/** A product's first picture, small; its alt text is the product's name (the row's link text names it too). */
function orderThumb(ctx: PageContext, product: Product): HTMLElement {
  const box = h("span", { class: "order-thumb" }, ipfsImage(ctx.app, null, product.name, "media thumb"));
  void firstImage(ctx.app, product).then(
    (cid) => cid && !ctx.signal.aborted && box.replaceChildren(ipfsImage(ctx.app, cid, product.name, "media thumb")),
  );
  return box;
}

export default function ordersPage(ctx: PageContext): Page {
  const { app } = ctx;
  const body = h("div", { class: "orders" });
  // Find an order by its reference (as a fan reads it out: "ms 7kq2 9xab"), its full number, or a store or item
  // name; the list filters as the fan types (client/order-ref.ts matchesOrder).
  const searchId = uid("order-search");
  const search = h("input", {
    attrs: { id: searchId, type: "search", autocomplete: "off", placeholder: "MS-7KQ2-9XAB, number or name" },
  });
  const noMatch = h("p", { class: "muted no-match", attrs: { hidden: true, role: "status" } });
  const finder = h(
    "div",
    { class: "field order-search", attrs: { hidden: true } },
    h("label", { attrs: { for: searchId }, text: "Find an order" }),
    search,
  );
  const filter = () => {
    const query = search.value.trim();
    let shown = 0;
    for (const row of Array.from(body.querySelectorAll<HTMLElement>(".order-row"))) {
      const id = BigInt(row.dataset.orderId ?? "0");
      const hit =
        matchesOrder(query, id) ||
        (query !== "" && (row.textContent ?? "").toLowerCase().includes(query.toLowerCase()));
      row.hidden = !hit;
      if (hit) shown++;
    }
    noMatch.textContent = shown === 0 && query !== "" ? `No order matches "${query}".` : "";
    noMatch.hidden = noMatch.textContent === "";
  };
  search.addEventListener("input", filter);
  const changesSince = seenTracker(app);
  /** The orders shown before the whole history was read (client/orders.ts onPartial). */
  let shownSoFar: HTMLElement | null = null;

  const render = async () => {
    const account = app.account;
    if (!account) {
      replace(
        body,
        emptyState(
          "Connect your wallet to see your orders",
          "Your orders are tied to the wallet you paid with.",
          button("Connect wallet", () => void openWalletDialog(app), { class: "btn connect-prompt" }),
        ),
      );
      return;
    }
    shownSoFar = null;
    const progress = foundProgress(app, "Reading your order history…", "order");
    // Progress replaces nothing or the connect prompt; a list already shown stays while it refreshes.
    if (body.childElementCount === 0 || body.querySelector(".connect-prompt")) replace(body, progress.el);
    const stores = app.stores();
    const list = (orders: OrderRecord[], names: Map<bigint, string>, changes?: Map<string, OrderChange>) =>
      h(
        "ul",
        { class: "order-list" },
        orders.map((o) =>
          orderRow(ctx, o, names.get(o.order.storeId) ?? `Store ${o.order.storeId}`, changes?.get(`${o.id}`)),
        ),
      );
    const nameMap = (all: Awaited<typeof stores>) => new Map(all.map((s) => [s.id, s.name]));
    let done = false;
    // Orders show as they are found (this device's first, client/placed.ts), the progress line above them; they
    // stay when the rest of the history can't be read (load, below).
    const onPartial = (partial: OrderRecord[]) =>
      void stores
        .then((all) => {
          if (done || ctx.signal.aborted || account !== app.account) return;
          shownSoFar = list(partial, nameMap(all));
          progress.found(partial.length);
          replace(body, progress.el, shownSoFar);
        })
        .catch(() => {});
    const [orders, all] = await Promise.all([
      loadBuyerOrders(app.chain, account, app.manifest.deploymentBlock, { onPartial }),
      stores,
    ]).finally(() => {
      done = true;
      progress.stop();
    });
    if (ctx.signal.aborted || account !== app.account) return;
    const changes = changesSince(account, orders);
    replace(
      body,
      orders.length === 0
        ? emptyState(
            "No orders yet",
            "When you buy something, it shows up here.",
            link(routes.home(), { class: "btn" }, "Browse stores"),
          )
        : list(orders, nameMap(all), changes),
    );
    finder.hidden = orders.length === 0;
    filter();
  };

  const load = () =>
    render().catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          body,
          historyErrorBox(app.explain(error), () => void load()),
          shownSoFar,
        );
    });
  const unsubscribe = app.onChange(() => void load());
  const notice = fallbackNotice(app);
  void load();
  return {
    title: "Your orders",
    el: h("div", { class: "orders-page" }, h("h1", { text: "Your orders" }), notice.el, finder, noMatch, body),
    refresh: load,
    dispose: () => {
      unsubscribe();
      notice.stop();
    },
  };
}

function orderRow(ctx: PageContext, record: OrderRecord, storeName: string, change?: OrderChange): HTMLElement {
  const c = ctx.app.currency(record.order.currency);
  const items = record.order.lines.reduce((n, l) => n + l.quantity, 0);
  // What was bought, by name and picture: each product is read from the chain and its first image from its
  // metadata, filled in as they arrive (textContent only; pictures load when near the viewport, ui/components.ts).
  const paid = record.order.lines.reduce((s, l) => s + l.unitPrice * BigInt(l.quantity), 0n);
  const names = h("span", { class: "order-items" });
  const thumbs = h("span", { class: "order-thumbs" });
  void Promise.all(
    [...new Set(record.order.lines.map((l) => l.productId))].map((id) =>
      ctx.app.chain.getProduct(id).catch(() => null),
    ),
  ).then((products) => {
    if (ctx.signal.aborted) return;
    const known = products.filter((p) => p !== null);
    if (known.length > 0) names.textContent = withoutBidiControls(` · ${known.map((p) => p.name).join(", ")}`);
    replace(
      thumbs,
      known.slice(0, MAX_THUMBS).map((p) => orderThumb(ctx, p)),
    );
  });
  return h(
    "li",
    { class: "order-row", dataset: { orderId: record.id.toString() } },
    link(
      // The block of OrderPlaced rides along: the order page reads that one block (client/placed.ts findPlaced).
      routes.order(record.id, { block: record.timeline[0]?.blockNumber }),
      { class: "order-link", dataset: { orderId: record.id.toString() } },
      h("span", { class: "order-id", text: orderLabel(record.id) }),
      h("span", { class: "order-store", text: storeName }),
      h(
        "span",
        {
          class: "muted small",
          text: `${formatDate(record.order.placedAt)} · ${items} ${items === 1 ? "item" : "items"}`,
        },
        names,
      ),
      h("span", { class: "order-amount", text: formatAmount(paid, c) }, usdNote(ctx.app, paid, c)),
      h("span", {
        class: `status-pill ${record.status.toLowerCase()}`,
        text: statusLabel(record.status, isDigitalOrder(record)),
      }),
      thumbs,
      changedMark(change, isDigitalOrder(record)),
    ),
  );
}
