// "My orders": the connected account's orders rebuilt from logs, and credits (refunds) it can withdraw.
import { withdrawTx } from "../client/buyer-actions.ts";
import { formatAmount, formatDate } from "../client/format.ts";
import { withoutBidiControls } from "../client/names.ts";
import { isDigitalOrder, loadBuyerOrders, type OrderRecord } from "../client/orders.ts";
import type { Page, PageContext } from "../page.ts";
import { emptyState } from "../ui/components.ts";
import { button, h, link, replace } from "../ui/dom.ts";
import { fallbackNotice, historyErrorBox, historyProgress } from "../ui/history.ts";
import { openWalletDialog } from "../ui/layout.ts";
import { runTx } from "../ui/tx.ts";
import { routes } from "../urls.ts";
import { statusLabel } from "./order-status.ts";

export default function ordersPage(ctx: PageContext): Page {
  const { app } = ctx;
  const body = h("div", { class: "orders" });
  const credits = h("div", { class: "credits" });
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
      replace(credits);
      return;
    }
    shownSoFar = null;
    const progress = historyProgress(app, "Reading your order history…");
    // Progress replaces nothing or the connect prompt; a list already shown stays while it refreshes.
    if (body.childElementCount === 0 || body.querySelector(".connect-prompt")) replace(body, progress.el);
    const stores = app.stores();
    const list = (orders: OrderRecord[], names: Map<bigint, string>) =>
      h(
        "ul",
        { class: "order-list" },
        orders.map((o) => orderRow(ctx, o, names.get(o.order.storeId) ?? `Store ${o.order.storeId}`)),
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
    await renderCredits(account);
    replace(
      body,
      orders.length === 0
        ? emptyState(
            "No orders yet",
            "When you buy something, it shows up here.",
            link(routes.home(), { class: "btn" }, "Browse stores"),
          )
        : list(orders, nameMap(all)),
    );
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
          shownSoFar,
        );
    });
  const unsubscribe = app.onChange(() => void load());
  const notice = fallbackNotice(app);
  void load();
  return {
    title: "Your orders",
    el: h("div", { class: "orders-page" }, h("h1", { text: "Your orders" }), notice.el, credits, body),
    refresh: load,
    dispose: () => {
      unsubscribe();
      notice.stop();
    },
  };
}

function orderRow(ctx: PageContext, record: OrderRecord, storeName: string): HTMLElement {
  const c = ctx.app.currency(record.order.currency);
  const items = record.order.lines.reduce((n, l) => n + l.quantity, 0);
  // What was bought, by name: each product is read from the chain, filled in as it arrives (textContent only).
  const names = h("span", { class: "order-items" });
  void Promise.all(
    [...new Set(record.order.lines.map((l) => l.productId))].map((id) =>
      ctx.app.chain.getProduct(id).catch(() => null),
    ),
  ).then((products) => {
    if (ctx.signal.aborted) return;
    const known = products.filter((p) => p !== null).map((p) => p.name);
    if (known.length > 0) names.textContent = withoutBidiControls(` · ${known.join(", ")}`);
  });
  return h(
    "li",
    { class: "order-row" },
    link(
      // The block of OrderPlaced rides along: the order page reads that one block (client/placed.ts findPlaced).
      routes.order(record.id, { block: record.timeline[0]?.blockNumber }),
      { class: "order-link" },
      h("span", { class: "order-id", text: `Order #${record.id}` }),
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
    ),
  );
}
