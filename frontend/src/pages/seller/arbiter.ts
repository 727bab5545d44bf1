// The arbiter's view: disputes assigned to the connected address (orders whose terms — storeTerms(storeId,
// termsVersion) — name it), with the buyer's reason, the tracking, the deadline, and a ruling that splits the escrow
// between buyer and store (slider or amounts, 50/50 by default). Settled disputes are listed below.

import { loadAllStores } from "../../client/catalog.ts";
import { formatAmount, formatDate, shortAddress } from "../../client/format.ts";
import { type Dispute, loadArbiterDisputes, TermsCache } from "../../client/history.ts";
import type { Currency } from "../../client/manifest.ts";
import { orderLabel } from "../../client/order-ref.ts";
import { afterFee, escrowedIn, splitRuling } from "../../client/order-state.ts";
import { loadBounds, resolveDisputeTx } from "../../client/seller-actions.ts";
import { parseAmount } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { emptyState, errorBox, spinner, trackingReference } from "../../ui/components.ts";
import { button, h, link, replace, uid } from "../../ui/dom.ts";
import { routes } from "../../urls.ts";
import { connectPrompt, onAccountChange, relative, runTx } from "./shared.ts";

export default function arbiterPage(ctx: PageContext): Page {
  const { app } = ctx;
  const body = h("div", null, spinner("Finding disputes assigned to you…"));
  const terms = new TermsCache(app.chain);
  let signature = "";

  const render = async (force: boolean) => {
    const account = app.account;
    if (!account) {
      signature = "";
      replace(
        body,
        connectPrompt(
          app,
          "Connect your arbiter wallet",
          "Disputes are assigned to the address a store named as arbiter in its terms. Connect that wallet to see and settle them.",
        ),
      );
      return;
    }
    const [disputes, stores, now, bounds] = await Promise.all([
      loadArbiterDisputes(app.chain, account, app.manifest.deploymentBlock, terms),
      loadAllStores(app.chain),
      app.chain.blockTimestamp(),
      loadBounds(app.chain),
    ]);
    if (ctx.signal.aborted || account !== app.account) return;
    const next = `${account}:${disputes.map((d) => `${d.record.id}:${d.record.status}`).join(",")}`;
    if (!force && next === signature) return;
    signature = next;
    const names = new Map(stores.map((s) => [s.id, s.name]));
    const open = disputes.filter((d) => d.record.status === "Disputed");
    const settled = disputes.filter((d) => d.record.status !== "Disputed");
    replace(
      body,
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "open-title" } },
        h("h2", { attrs: { id: "open-title" }, text: `Waiting for your ruling (${open.length})` }),
        open.length === 0
          ? emptyState("No open disputes", `No dispute is waiting for ${shortAddress(account)}.`)
          : h(
              "ul",
              { class: "dispute-list" },
              open.map((d) =>
                disputeCard(
                  ctx,
                  d,
                  names.get(d.record.order.storeId) ?? `Store ${d.record.order.storeId}`,
                  now,
                  bounds.arbiterWindow,
                  () => void load(true),
                ),
              ),
            ),
      ),
      settled.length
        ? h(
            "section",
            { class: "section", attrs: { "aria-labelledby": "settled-title" } },
            h("h2", { attrs: { id: "settled-title" }, text: "Settled" }),
            h(
              "ul",
              { class: "task-list" },
              settled.map((d) => {
                const c = app.currency(d.record.order.currency);
                const resolved = d.record.timeline.find((e) => e.kind === "resolved");
                const toBuyer = resolved?.detail.toBuyer as bigint | undefined;
                return h(
                  "li",
                  { class: "task", dataset: { orderId: d.record.id.toString() } },
                  h("strong", { text: orderLabel(d.record.id) }),
                  ` · ${names.get(d.record.order.storeId) ?? ""} · `,
                  resolved
                    ? `${formatAmount(toBuyer ?? 0n, c)} to the buyer, ${formatAmount((resolved.detail.toStore as bigint) ?? 0n, c)} to the store after fee${resolved.detail.byArbiter ? "" : " (arbiter window ran out)"}`
                    : d.record.status,
                );
              }),
            ),
          )
        : null,
    );
  };

  const load = (force = false) =>
    render(force).catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          body,
          errorBox(app.explain(error), () => void load(true)),
        );
    });
  const unsubscribe = onAccountChange(ctx, () => void load(true));
  void load(true);
  return {
    title: "Disputes you arbitrate",
    el: h(
      "div",
      { class: "seller-page arbiter" },
      h("h1", { text: "Disputes you arbitrate" }),
      h("p", {
        class: "lead",
        text: "Stores name an arbiter in their terms. When a buyer disputes an order, you decide how the escrowed payment is split. Hear both sides first; your ruling is final and runs on-chain.",
      }),
      body,
    ),
    refresh: () => void load(),
    dispose: unsubscribe,
  };
}

function disputeCard(
  ctx: PageContext,
  d: Dispute,
  storeName: string,
  now: bigint,
  arbiterWindow: number,
  reload: () => void,
): HTMLElement {
  const { app } = ctx;
  const r = d.record;
  const c: Currency = app.currency(r.order.currency);
  const escrow = escrowedIn(r);
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const deadline = r.order.disputedAt + BigInt(arbiterWindow);

  const sliderId = uid("split");
  const buyerId = uid("to-buyer");
  const storeId = uid("to-store");
  const slider = h("input", {
    attrs: { id: sliderId, type: "range", min: 0, max: 100, step: 1, value: 50, "aria-valuetext": "50% to the buyer" },
  });
  slider.value = "50";
  const toBuyerInput = h("input", { attrs: { id: buyerId, inputmode: "decimal" } });
  const toStoreInput = h("input", { attrs: { id: storeId, inputmode: "decimal" } });
  const summary = h("p", { class: "split-summary", attrs: { "aria-live": "polite" } });
  const plain = (v: bigint) => formatAmount(v, c).replace(` ${c.symbol}`, "").replace(/,/g, "");
  let toBuyer = splitRuling(escrow, 50).toBuyer;

  const show = (source: "slider" | "buyer" | "store" | "preset") => {
    const toStore = escrow - toBuyer;
    if (source !== "buyer") toBuyerInput.value = plain(toBuyer);
    if (source !== "store") toStoreInput.value = plain(toStore);
    const pct = escrow === 0n ? 0 : Number((toBuyer * 10_000n) / escrow) / 100;
    if (source !== "slider") slider.value = String(Math.round(pct));
    slider.setAttribute("aria-valuetext", `${pct}% to the buyer`);
    const { toStore: net, fee } = afterFee(toStore, r.order.feeBps);
    summary.textContent = `Buyer gets ${formatAmount(toBuyer, c)} (${pct}%). Store gets ${formatAmount(toStore, c)}, of which ${formatAmount(fee, c)} is the ${r.order.feeBps / 100}% platform fee: ${formatAmount(net, c)} to the store.`;
  };
  slider.addEventListener("input", () => {
    toBuyer = splitRuling(escrow, Number(slider.value)).toBuyer;
    show("slider");
  });
  const fromAmount = (input: HTMLInputElement, side: "buyer" | "store") => {
    const parsed = parseAmount(input.value, c, side === "buyer" ? "The buyer's share" : "The store's share", {
      allowZero: true,
      max: escrow,
    });
    if (!parsed.ok) {
      summary.textContent = parsed.message.replace("can be at most", "can be at most the escrowed");
      return;
    }
    toBuyer = side === "buyer" ? parsed.value : escrow - parsed.value;
    show(side);
  };
  toBuyerInput.addEventListener("input", () => fromAmount(toBuyerInput, "buyer"));
  toStoreInput.addEventListener("input", () => fromAmount(toStoreInput, "store"));
  const preset = (label: string, pct: number) =>
    button(
      label,
      () => {
        toBuyer = splitRuling(escrow, pct).toBuyer;
        show("preset");
      },
      { class: "btn secondary small" },
    );
  show("preset");

  const rule = button(
    "Rule and settle",
    async () => {
      const parsed = parseAmount(toBuyerInput.value, c, "The buyer's share", { allowZero: true, max: escrow });
      if (!parsed.ok) {
        replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: parsed.message }));
        return;
      }
      rule.disabled = true;
      const ok = await runTx(app, status, resolveDisputeTx(r, parsed.value, c), {
        done: `Order #${r.id} settled: ${formatAmount(parsed.value, c)} to the buyer, ${formatAmount(escrow - parsed.value, c)} to the store (before fee).`,
        errorContext: { currency: c },
      });
      if (ok) reload();
      else rule.disabled = false;
    },
    { class: "btn rule" },
  );

  const shipped = r.timeline.find((e) => e.kind === "shipped");
  return h(
    "li",
    { class: "card dispute-card", dataset: { orderId: r.id.toString() } },
    h(
      "div",
      { class: "seller-order-head" },
      h("h3", { text: orderLabel(r.id) }),
      h("span", { class: "status-pill disputed", text: "In dispute" }),
      link(routes.order(r.id), { class: "small" }, "Order page"),
    ),
    h(
      "dl",
      { class: "facts" },
      h("dt", { text: "Store" }),
      h("dd", null, link(routes.store(r.order.storeId), null, storeName)),
      h("dt", { text: "Buyer" }),
      h("dd", null, h("code", { text: r.order.buyer })),
      h("dt", { text: "Escrowed" }),
      h("dd", { class: "escrow", text: formatAmount(escrow, c) }),
      h("dt", { text: "Placed · shipped · disputed" }),
      h("dd", {
        text: `${formatDate(r.order.placedAt)} · ${formatDate(r.order.shippedAt)} · ${formatDate(r.order.disputedAt)}`,
      }),
      h("dt", { text: "Tracking" }),
      h("dd", null, r.tracking ? trackingReference(r.tracking) : shipped ? "" : "not shipped"),
      h("dt", { text: "Buyer's reason" }),
      h("dd", { class: "dispute-reason", text: d.reason || "(none given)" }),
    ),
    h("p", {
      class: `deadline${deadline < now ? " overdue" : ""}`,
      text:
        deadline < now
          ? `Your window ended ${relative(deadline, now)}: the buyer can now claim everything back, but you can still rule until they do.`
          : `Rule by ${formatDate(deadline)} (${relative(deadline, now)}). After that the buyer can claim a full refund.`,
    }),
    h(
      "fieldset",
      { class: "split" },
      h("legend", { text: "Your ruling" }),
      h(
        "div",
        { class: "split-slider" },
        h("span", { class: "small", text: "Store" }),
        h("label", { class: "visually-hidden", attrs: { for: sliderId }, text: "Share to the buyer, in percent" }),
        slider,
        h("span", { class: "small", text: "Buyer" }),
      ),
      h(
        "div",
        { class: "split-amounts" },
        h(
          "div",
          { class: "field" },
          h("label", { attrs: { for: buyerId }, text: `To the buyer (${c.symbol})` }),
          toBuyerInput,
        ),
        h(
          "div",
          { class: "field" },
          h("label", { attrs: { for: storeId }, text: `To the store (${c.symbol})` }),
          toStoreInput,
        ),
      ),
      h(
        "div",
        { class: "split-presets" },
        preset("All to the buyer", 100),
        preset("50 / 50", 50),
        preset("All to the store", 0),
      ),
      summary,
      rule,
    ),
    status,
  );
}
