// "My orders": the connected account's orders rebuilt from logs, and credits (refunds) it can withdraw.
import { withdrawTx } from "../client/buyer-actions.ts";
import { formatAmount, formatDate } from "../client/format.ts";
import { withoutBidiControls } from "../client/names.ts";
import { matchesOrder, orderLabel } from "../client/order-ref.ts";
import { isDigitalOrder, loadBuyerOrders, type OrderRecord } from "../client/orders.ts";
import type { Product } from "../client/protocol.ts";
import type { Page, PageContext } from "../page.ts";
import { emptyState, ipfsImage } from "../ui/components.ts";
import { button, h, link, replace, uid } from "../ui/dom.ts";
import { historyErrorBox, historyProgress } from "../ui/history.ts";
import { openWalletDialog } from "../ui/layout.ts";
import { runTx } from "../ui/tx.ts";
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
  const credits = h("div", { class: "credits" });
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
      replace(credits);
      return;
    }
    const progress = historyProgress(app, "Reading your order history…");
    // Progress replaces nothing or the connect prompt; a list already shown stays while it refreshes.
    if (body.childElementCount === 0 || body.querySelector(".connect-prompt")) replace(body, progress.el);
    const [orders, stores] = await Promise.all([
      loadBuyerOrders(app.chain, account, app.manifest.deploymentBlock),
      app.stores(),
    ]).finally(progress.stop);
    if (ctx.signal.aborted || account !== app.account) return;
    await renderCredits(account);
    const storeName = new Map(stores.map((s) => [s.id, s.name]));
    replace(
      body,
      orders.length === 0
        ? emptyState(
            "No orders yet",
            "When you buy something, it shows up here.",
            link(routes.home(), { class: "btn" }, "Browse stores"),
          )
        : h(
            "ul",
            { class: "order-list" },
            orders.map((o) => orderRow(ctx, o, storeName.get(o.order.storeId) ?? `Store ${o.order.storeId}`)),
          ),
    );
    finder.hidden = orders.length === 0;
    filter();
  };

  const renderCredits = async (account: string) => {
    const balances = await Promise.all(
      app.manifest.currencies.map(async (c) => ({ c, amount: await app.chain.credits(account, c.address) })),
    );
    const owed = balances.filter((b) => b.amount > 0n);
    replace(
      credits,
      owed.length === 0
        ? null
        : h(
            "section",
            { class: "notice credit-box", attrs: { "aria-labelledby": "credits-title" } },
            h("h2", { attrs: { id: "credits-title" }, text: "Refunds you can withdraw" }),
            owed.map(({ c, amount }) => {
              const withdraw = button(
                `Withdraw ${formatAmount(amount, c)}`,
                async () => {
                  withdraw.disabled = true;
                  const receipt = await runTx(app, withdrawTx(c, account, amount), {
                    status: null,
                    done: `${formatAmount(amount, c)} sent to your wallet.`,
                    explain: (error) => app.explain(error, { currency: c }),
                  });
                  if (receipt) await render();
                  else withdraw.disabled = false;
                },
                { class: "btn" },
              );
              return h("p", null, withdraw);
            }),
          ),
    );
  };

  const load = () =>
    render().catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          body,
          historyErrorBox(app.explain(error), () => void load()),
        );
    });
  const unsubscribe = app.onChange(() => void load());
  void load();
  return {
    title: "Your orders",
    el: h("div", { class: "orders-page" }, h("h1", { text: "Your orders" }), credits, finder, noMatch, body),
    refresh: load,
    dispose: unsubscribe,
  };
}

function orderRow(ctx: PageContext, record: OrderRecord, storeName: string): HTMLElement {
  const c = ctx.app.currency(record.order.currency);
  const items = record.order.lines.reduce((n, l) => n + l.quantity, 0);
  // What was bought, by name and picture: each product is read from the chain and its first image from its
  // metadata, filled in as they arrive (textContent only; pictures load when near the viewport, ui/components.ts).
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
      routes.order(record.id),
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
      h("span", {
        class: "order-amount",
        text: formatAmount(
          record.order.lines.reduce((s, l) => s + l.unitPrice * BigInt(l.quantity), 0n),
          c,
        ),
      }),
      h("span", {
        class: `status-pill ${record.status.toLowerCase()}`,
        text: statusLabel(record.status, isDigitalOrder(record)),
      }),
      thumbs,
    ),
  );
}
