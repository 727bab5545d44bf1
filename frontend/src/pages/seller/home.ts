// Seller dashboard home: what needs doing first — orders to ship with their ship-by deadlines, open disputes and the
// money that can be withdrawn — across every store the connected account runs, then the stores themselves.

import { loadAllStores } from "../../client/catalog.ts";
import { formatAmount, formatDate, shortAddress } from "../../client/format.ts";
import { loadOfferedStores, loadStaffStores, type StaffStore, TermsCache } from "../../client/history.ts";
import { orderLabel } from "../../client/order-ref.ts";
import { escrowed, escrowedIn, shipBy } from "../../client/order-state.ts";
import { loadStoreOrders, type OrderRecord } from "../../client/orders.ts";
import { acceptStoreOwnershipTx, isVerifier } from "../../client/seller-actions.ts";
import type { Page, PageContext } from "../../page.ts";
import { emptyState, errorBox, officialBadge, spinner } from "../../ui/components.ts";
import { button, h, link, replace } from "../../ui/dom.ts";
import { Latest } from "../../ui/latest.ts";
import { routes } from "../../urls.ts";
import { connectPrompt, onAccountChange, relative, runTx, stat } from "./shared.ts";

type Row = { staff: StaffStore; orders: OrderRecord[]; shipBy: Map<bigint, bigint> };

export default function sellerHome(ctx: PageContext): Page {
  const { app } = ctx;
  const body = h("div", { class: "seller-home" });
  // Outside `body`, so the sentence after accepting a store survives the reload that shows it among your stores.
  const offerStatus = h("div", { attrs: { "aria-live": "polite" } });

  // Only the latest render writes (ui/latest.ts): one for the same account that started earlier may finish later.
  const renders = new Latest(ctx.signal);
  const render = async (signal: AbortSignal) => {
    const account = app.account;
    if (!account) {
      replace(
        body,
        connectPrompt(
          app,
          "Connect your wallet to run your store",
          "A store belongs to the wallet that opened it. Connect it to see orders to ship, disputes and earnings, or to open a new store.",
        ),
      );
      return;
    }
    if (!body.querySelector(".seller-sections")) replace(body, spinner("Loading your stores…"));
    // Read fresh rather than app.stores(): that cache lives until the next polled block, so it would miss a
    // store opened or attested a moment ago.
    const stores = await loadAllStores(app.chain);
    const [staff, verifier, offered] = await Promise.all([
      loadStaffStores(app.chain, stores, account, app.manifest.deploymentBlock),
      isVerifier(app.chain, account).catch(() => false),
      loadOfferedStores(app.chain, stores, account, app.manifest.deploymentBlock),
    ]);
    const terms = new TermsCache(app.chain);
    const rows: Row[] = await Promise.all(
      staff.map(async (s) => {
        const orders = await loadStoreOrders(app.chain, s.store.id, app.manifest.deploymentBlock);
        const deadlines = new Map<bigint, bigint>();
        for (const o of orders) {
          if (o.status === "Paid")
            deadlines.set(o.id, shipBy(o.order, await terms.get(s.store.id, o.order.termsVersion)));
        }
        return { staff: s, orders, shipBy: deadlines };
      }),
    );
    const now = await app.chain.blockTimestamp();
    if (signal.aborted || account !== app.account) return;

    const links = h(
      "p",
      { class: "seller-links" },
      link(routes.openStore(), { class: "btn" }, "Open a new store"),
      link(routes.arbiter(), { class: "btn secondary" }, "Disputes you arbitrate"),
      verifier ? link(routes.verifier(), { class: "btn secondary" }, "Verification requests") : null,
    );
    // Stores whose owner proposed this account as the new owner: nothing is theirs until they accept.
    const offeredSection =
      offered.length === 0
        ? null
        : h(
            "section",
            { class: "section offered-stores", attrs: { "aria-labelledby": "offered-title" } },
            h("h2", { attrs: { id: "offered-title" }, text: "Stores offered to you" }),
            h(
              "ul",
              { class: "task-list" },
              offered.map((store) => {
                const accept = button(
                  "Accept this store",
                  async () => {
                    accept.disabled = true;
                    const ok = await runTx(app, offerStatus, acceptStoreOwnershipTx(store), {
                      done: `"${store.name}" is now yours. Its managers were removed; add your own from its Managers page.`,
                    });
                    if (ok) await load();
                    else accept.disabled = false;
                  },
                  { class: "btn small" },
                );
                return h(
                  "li",
                  { class: "task" },
                  h("strong", { text: store.name }),
                  h("span", {
                    class: "muted",
                    text: ` · store #${store.id} · proposed by its owner ${shortAddress(store.owner)}`,
                  }),
                  " ",
                  accept,
                );
              }),
            ),
          );
    if (rows.length === 0) {
      replace(
        body,
        offeredSection,
        emptyState(
          "You don't run a store yet",
          "Open a store to sell your merch: orders pay into escrow, and the money is released to you when fans confirm receipt, or, once the dispute window after shipping ends, when you (or anyone) release it.",
          link(routes.openStore(), { class: "btn" }, "Open a store"),
        ),
        h(
          "p",
          { class: "seller-links center" },
          link(routes.arbiter(), null, "Disputes you arbitrate"),
          verifier ? " · " : null,
          verifier ? link(routes.verifier(), null, "Verification requests") : null,
        ),
      );
      return;
    }

    const toShip = rows
      .flatMap((r) => r.orders.filter((o) => o.status === "Paid").map((o) => ({ r, o, by: r.shipBy.get(o.id) ?? 0n })))
      .sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : 0));
    const disputes = rows.flatMap((r) => r.orders.filter((o) => o.status === "Disputed").map((o) => ({ r, o })));
    const withdrawable = new Map<string, bigint>();
    for (const r of rows) {
      const key = r.staff.store.currency.toLowerCase();
      withdrawable.set(key, (withdrawable.get(key) ?? 0n) + r.staff.store.balance);
    }
    const moneyText = (m: Map<string, bigint>) =>
      [...m.entries()].map(([c, v]) => formatAmount(v, app.currency(c))).join(" · ") || "Nothing yet";

    replace(
      body,
      offeredSection,
      links,
      h(
        "div",
        { class: "stat-grid seller-sections" },
        stat(
          "Orders to ship",
          String(toShip.length),
          toShip[0] ? `Next ship-by ${formatDate(toShip[0].by)} (${relative(toShip[0].by, now)})` : "All caught up",
        ),
        stat("Open disputes", String(disputes.length), disputes.length ? "The arbiter decides; see below" : "None"),
        stat("Withdrawable", moneyText(withdrawable), "Released to your stores, ready to send to the payout address"),
      ),
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "ship-title" } },
        h("h2", { attrs: { id: "ship-title" }, text: "To ship" }),
        toShip.length === 0
          ? h("p", { class: "muted", text: "No order is waiting to ship." })
          : h(
              "ul",
              { class: "task-list" },
              toShip.map(({ r, o, by }) =>
                h(
                  "li",
                  { class: `task${by < now ? " overdue" : ""}` },
                  link(
                    routes.sellerOrders(r.staff.store.id, { filter: "to-ship", order: o.id }),
                    null,
                    orderLabel(o.id),
                  ),
                  h("span", {
                    class: "muted",
                    text: ` · ${r.staff.store.name} · ${o.order.lines.reduce((n, l) => n + l.quantity, 0)} item(s)`,
                  }),
                  h("span", {
                    class: "deadline",
                    text:
                      by < now
                        ? ` · ship-by passed ${relative(by, now)}: the buyer may cancel`
                        : ` · ship by ${formatDate(by)} (${relative(by, now)})`,
                  }),
                ),
              ),
            ),
      ),
      disputes.length
        ? h(
            "section",
            { class: "section", attrs: { "aria-labelledby": "disputes-title" } },
            h("h2", { attrs: { id: "disputes-title" }, text: "Disputes" }),
            h(
              "ul",
              { class: "task-list" },
              disputes.map(({ r, o }) =>
                h(
                  "li",
                  { class: "task" },
                  link(
                    routes.sellerOrders(r.staff.store.id, { filter: "disputed", order: o.id }),
                    null,
                    orderLabel(o.id),
                  ),
                  h("span", {
                    class: "muted",
                    text: ` · ${r.staff.store.name} · ${formatAmount(escrowedIn(o), app.currency(o.order.currency))} held`,
                  }),
                ),
              ),
            ),
          )
        : null,
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "stores-title" } },
        h("h2", { attrs: { id: "stores-title" }, text: "Your stores" }),
        h(
          "ul",
          { class: "seller-store-list" },
          rows.map(({ staff: s, orders }) => {
            const c = app.currency(s.store.currency);
            const held = escrowed(orders).get(s.store.currency.toLowerCase());
            return h(
              "li",
              { class: "card seller-store-card" },
              link(
                routes.sellerStore(s.store.id),
                { class: "card-link" },
                h("h3", { class: "card-title" }, h("span", { text: s.store.name }), " ", officialBadge(s.store)),
                h("p", {
                  class: "muted small",
                  text: `${s.role === "owner" ? "Owner" : "Manager"} · store #${s.store.id} · ${c.symbol}`,
                }),
                h("p", {
                  text: `${orders.filter((o) => o.status === "Paid").length} to ship · ${orders.filter((o) => o.status === "Disputed").length} disputed`,
                }),
                h("p", { class: "small" }, "Withdrawable ", h("strong", { text: formatAmount(s.store.balance, c) })),
                h("p", {
                  class: "muted small",
                  text: held
                    ? `${formatAmount(held.amount, c)} in escrow in ${held.orders} open order(s)`
                    : "Nothing in escrow",
                }),
              ),
            );
          }),
        ),
      ),
    );
  };

  const load = () => {
    const signal = renders.start();
    return render(signal).catch((error) => {
      if (!signal.aborted)
        replace(
          body,
          errorBox(app.explain(error), () => void load()),
        );
    });
  };
  const unsubscribe = onAccountChange(ctx, () => void load());
  void load();
  return {
    title: "Seller dashboard",
    el: h("div", { class: "seller-page" }, h("h1", { text: "Seller dashboard" }), offerStatus, body),
    refresh: () => void load(),
    dispose: unsubscribe,
  };
}
