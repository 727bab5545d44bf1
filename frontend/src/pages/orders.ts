// "My orders": the connected account's orders rebuilt from logs, and credits (refunds) it can withdraw.
import { withdrawTx } from "../client/buyer-actions.ts";
import { formatAmount, formatDate } from "../client/format.ts";
import { withoutBidiControls } from "../client/names.ts";
import { isDigitalOrder, loadBuyerOrders, type OrderRecord } from "../client/orders.ts";
import type { OrderChange } from "../client/seen.ts";
import type { Page, PageContext } from "../page.ts";
import { emptyState } from "../ui/components.ts";
import { button, h, link, replace } from "../ui/dom.ts";
import { historyErrorBox, historyProgress } from "../ui/history.ts";
import { openWalletDialog } from "../ui/layout.ts";
import { changedMark, seenTracker } from "../ui/seen-marks.ts";
import { runTx } from "../ui/tx.ts";
import { usdNote } from "../ui/usd.ts";
import { routes } from "../urls.ts";
import { statusLabel } from "./order-status.ts";

export default function ordersPage(ctx: PageContext): Page {
  const { app } = ctx;
  const body = h("div", { class: "orders" });
  const credits = h("div", { class: "credits" });
  const changesSince = seenTracker(app);

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
    const changes = changesSince(account, orders);
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
            orders.map((o) =>
              orderRow(ctx, o, storeName.get(o.order.storeId) ?? `Store ${o.order.storeId}`, changes.get(`${o.id}`)),
            ),
          ),
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
        );
    });
  const unsubscribe = app.onChange(() => void load());
  void load();
  return {
    title: "Your orders",
    el: h("div", { class: "orders-page" }, h("h1", { text: "Your orders" }), credits, body),
    refresh: load,
    dispose: unsubscribe,
  };
}

function orderRow(ctx: PageContext, record: OrderRecord, storeName: string, change?: OrderChange): HTMLElement {
  const c = ctx.app.currency(record.order.currency);
  const items = record.order.lines.reduce((n, l) => n + l.quantity, 0);
  const paid = record.order.lines.reduce((s, l) => s + l.unitPrice * BigInt(l.quantity), 0n);
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
      routes.order(record.id),
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
      h("span", { class: "order-amount", text: formatAmount(paid, c) }, usdNote(ctx.app, paid, c)),
      h("span", {
        class: `status-pill ${record.status.toLowerCase()}`,
        text: statusLabel(record.status, isDigitalOrder(record)),
      }),
      changedMark(change, isDigitalOrder(record)),
    ),
  );
}
