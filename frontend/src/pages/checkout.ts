// Checkout: one contact and shipping form (sealed in the browser to each store's key), review of lines, totals and
// store trust notices, then payment with pending → mined → confirmed states. A cart in several currencies is paid in
// one payment per currency, one after the other, from the same form (client/checkout-plan.ts).

import { buyNowCart, type CartLine, groupByStore } from "../client/cart.ts";
import { buildCartOrders, type PayStage, payCart } from "../client/checkout.ts";
import { CheckoutDraft, deviceStorage, SealedAddressCopies, tabStorage } from "../client/checkout-draft.ts";
import {
  type PaidPayment,
  type PlannedPayment,
  partialFailureText,
  paymentPrefix,
  planPayments,
  sequenceNotice,
} from "../client/checkout-plan.ts";
import { forgetLinkedCode } from "../client/code-link.ts";
import { countryCode } from "../client/countries.ts";
import { formatAmount } from "../client/format.ts";
import type { Currency } from "../client/manifest.ts";
import { impersonatedStore } from "../client/names.ts";
import { orderLabel } from "../client/order-ref.ts";
import { keepPlacedFromReceipt } from "../client/placed.ts";
import { ARBITER_WINDOW, ZERO_ADDRESS } from "../client/protocol.ts";
import {
  MAX_SHIPPING_BLOB,
  REQUIRED_SHIPPING_FIELDS,
  type ShippingAddress,
  sealedShippingLength,
} from "../client/shipping-crypto.ts";
import { deliveryKeyring } from "../client/shipping-keys.ts";
import { arbiterIsStore, termsSentences } from "../client/terms.ts";
import type { Page, PageContext } from "../page.ts";
import { checkoutDrops } from "../ui/checkout-drops.ts";
import { emptyState, lookAlikeWarning, officialWithEvidence, unverifiedNotice } from "../ui/components.ts";
import { countrySelect } from "../ui/country-select.ts";
import { button, h, link, replace, uid } from "../ui/dom.ts";
import { openWalletDialog } from "../ui/layout.ts";
import { orderLink } from "../ui/order-ref.ts";
import { runTransaction } from "../ui/tx.ts";
import { usdNote } from "../ui/usd.ts";
import { hashHref, routes } from "../urls.ts";
import { refreshCart } from "./cart-check.ts";

type FieldSpec = {
  name: keyof ShippingAddress;
  label: string;
  autocomplete: string;
  type?: string;
  optional?: boolean;
  wide?: boolean;
};

const FIELDS: FieldSpec[] = [
  { name: "name", label: "Full name", autocomplete: "name", wide: true },
  {
    name: "email",
    label: "Email (optional: sealed with your address, so the band can contact you)",
    autocomplete: "email",
    type: "email",
    optional: true,
    wide: true,
  },
  { name: "line1", label: "Address", autocomplete: "address-line1", wide: true },
  {
    name: "line2",
    label: "Apartment, suite, etc. (optional)",
    autocomplete: "address-line2",
    optional: true,
    wide: true,
  },
  { name: "city", label: "City", autocomplete: "address-level2" },
  { name: "region", label: "State / county (optional)", autocomplete: "address-level1", optional: true },
  { name: "postalCode", label: "Postcode / ZIP", autocomplete: "postal-code" },
  // The ISO 3166-1 code, chosen from a list (ui/country-select.ts); the sealed address stores the code.
  { name: "country", label: "Country / region", autocomplete: "country" },
];

export default async function checkoutPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  // "Buy now" (routes.checkout({ buyNow: true })) checks out the product page's one line, kept apart from the cart
  // (client/cart.ts buyNowCart), and leaves the cart as it was.
  const buyNow = ctx.query.get("buy") === "now";
  const source = (buyNow ? buyNowCart(app.manifest.chainId, app.manifest.merchstand) : null) ?? app.cart;
  // Every currency of the cart, one payment each; an old `?currency=` link keeps that one.
  const only = ctx.query.get("currency");
  const payments = (): PlannedPayment[] => planPayments(source.lines, only);
  const linesOf = (): CartLine[] => payments().flatMap((p) => p.lines);

  const notices = h("div", { class: "notices", attrs: { "aria-live": "polite" } });
  const summary = h("section", { class: "summary", attrs: { "aria-labelledby": "summary-title" } });
  const status = h("div", { class: "pay-status", attrs: { "aria-live": "assertive" } });
  // Above the current payment's status: what the sequence has done so far (paid payments and their orders).
  const progress = h("div", { class: "pay-progress", attrs: { "aria-live": "polite" } });
  const sequence = h("p", { class: "notice pay-sequence" });
  const inputs = new Map<keyof ShippingAddress, HTMLInputElement | HTMLSelectElement>();

  if (linesOf().length === 0) {
    return {
      title: "Checkout",
      el: h(
        "div",
        null,
        h("h1", { text: "Checkout" }),
        emptyState(
          "Your cart is empty",
          "Add something to your cart first.",
          link(routes.home(), { class: "btn" }, "Browse stores"),
        ),
      ),
    };
  }

  const { notes } = await refreshCart(app, source).catch(() => ({ notes: [] as string[] }));
  replace(
    notices,
    notes.map((n) => h("p", { class: "notice", text: n })),
  );
  const stores = await app.stores();
  const storeById = new Map(stores.map((s) => [s.id.toString(), s]));
  // The terms each store's orders will be placed under, read fresh (not from the block's store cache): the version
  // shown here is the version the purchase carries, and a change in front of it reverts TermsChanged.
  const storeIsArbiter = new Map<string, boolean>();
  const loadTerms = async () => {
    const ids = [...new Set(linesOf().map((l) => l.storeId))];
    await Promise.all(
      ids.map(async (id) => {
        const fresh = await app.chain.getStore(BigInt(id));
        if (!fresh) return;
        storeIsArbiter.set(id, await arbiterIsStore(app.chain, fresh));
        storeById.set(id, fresh);
      }),
    );
  };
  await loadTerms();
  // Shipping zones and rates, the discount or presale code, pre-order dates (ui/checkout-drops.ts).
  const drops = await checkoutDrops(app, {
    lines: linesOf,
    country: () => inputs.get("country")?.value ?? "",
    stores: storeById,
    query: ctx.query,
    onChange: () => renderSummary(),
  });

  const checkoutStores = (groups: ReturnType<typeof groupByStore>) =>
    new Map(
      groups.map((g) => {
        const store = storeById.get(g.storeId);
        return [g.storeId, { shippingKey: store?.shippingKey ?? "", termsVersion: store?.termsVersion ?? 0 }];
      }),
    );
  const physical = () => groupByStore(linesOf()).some((g) => g.physical);
  const form = h("form", { class: "shipping-form", attrs: { novalidate: true, "aria-labelledby": "ship-title" } });
  const storeNames = [...new Set(linesOf().map((l) => storeById.get(l.storeId)?.name ?? "the store"))];
  form.append(
    h("h2", { attrs: { id: "ship-title" }, text: "Contact & shipping" }),
    h(
      "p",
      { class: "privacy" },
      `Only ${storeNames.join(" and ")} can read this address. It is encrypted in your browser before it goes on-chain.`,
    ),
    linesOf().some((l) => l.digital)
      ? h("p", {
          class: "muted small",
          text: "Your digital items are sent as a separate order of the same store, delivered encrypted to a key your wallet makes when you sign a message (no gas) at payment.",
        })
      : "",
    h(
      "div",
      { class: "form-grid" },
      FIELDS.map((f) => {
        const id = uid(`ship-${f.name}`);
        const input =
          f.name === "country"
            ? countrySelect({ id, name: f.name, autocomplete: `shipping ${f.autocomplete}`, required: !f.optional })
            : h("input", {
                attrs: {
                  id,
                  name: f.name,
                  autocomplete: `shipping ${f.autocomplete}`,
                  type: f.type ?? "text",
                  required: !f.optional,
                  maxlength: 120,
                },
              });
        inputs.set(f.name, input);
        return h(
          "div",
          { class: `field${f.wide ? " wide" : ""}` },
          h("label", { attrs: { for: id }, text: f.label }),
          input,
        );
      }),
    ),
  );
  form.addEventListener("submit", (e) => e.preventDefault());
  // Typed details survive a reload of the tab (client/checkout-draft.ts); autofill fires input events too.
  const draft = new CheckoutDraft(tabStorage(), app.manifest.chainId, app.manifest.merchstand);
  for (const [name, value] of Object.entries(draft.load())) {
    const input = inputs.get(name as keyof ShippingAddress);
    // A draft from before the country list holds the name as typed: read it back as its code.
    if (input && value) input.value = name === "country" ? (countryCode(value) ?? "") : value;
  }
  form.addEventListener("input", () => draft.save(address()));
  form.addEventListener("change", () => draft.save(address()));
  form.addEventListener("change", () => renderSummary());

  const address = (): ShippingAddress => {
    const value = (k: keyof ShippingAddress) => (inputs.get(k)?.value ?? "").trim();
    return {
      name: value("name"),
      line1: value("line1"),
      line2: value("line2"),
      city: value("city"),
      region: value("region"),
      postalCode: value("postalCode"),
      country: value("country"),
      email: value("email"),
    };
  };

  const renderSummary = () => {
    const plan = payments();
    const totals = plan.map((p) => ({
      amount: drops.total(groupByStore(p.lines)),
      currency: app.currency(p.currency),
    }));
    const notice = sequenceNotice(totals);
    sequence.textContent = notice ?? "";
    sequence.hidden = notice === null;
    payButton.textContent = plan.length > 1 ? `Pay now (${plan.length} payments)` : "Pay now";
    replace(
      summary,
      h("h2", { attrs: { id: "summary-title" }, text: "Review your order" }),
      plan.map((p, i) => currencySummary(p, i, plan.length)),
    );
  };

  const currencySummary = (payment: PlannedPayment, index: number, count: number) => {
    const currency = app.currency(payment.currency);
    const groups = groupByStore(payment.lines);
    const total = drops.total(groups);
    return h(
      "div",
      { class: "summary-payment", dataset: { currency: currency.symbol } },
      count > 1
        ? h("h3", { class: "payment-title", text: `Payment ${index + 1} of ${count}: ${currency.symbol}` })
        : null,
      groups.map((g) => {
        const store = storeById.get(g.storeId);
        const impostorOf = store ? impersonatedStore(store, stores) : undefined;
        return h(
          "div",
          { class: "summary-store" },
          h("h3", null, store?.name ?? `Store ${g.storeId}`, " ", store ? officialWithEvidence(store) : null),
          store && !store.official ? (impostorOf ? lookAlikeWarning(store, impostorOf) : unverifiedNotice()) : null,
          store
            ? h(
                "ul",
                {
                  class: `store-terms${storeIsArbiter.get(g.storeId) ? " self-arbiter" : ""}`,
                  dataset: { termsVersion: String(store.termsVersion) },
                  attrs: { "aria-label": `Terms of ${store.name}` },
                },
                termsSentences(store.terms, {
                  storeIsArbiter: storeIsArbiter.get(g.storeId) ?? false,
                  digital: g.lines.some((l) => l.digital),
                  physical: g.lines.some((l) => !l.digital),
                  arbiterWindow: ARBITER_WINDOW,
                }).map((text) => h("li", { text })),
              )
            : null,
          h(
            "ul",
            { class: "summary-lines" },
            g.lines.map((l) =>
              h(
                "li",
                null,
                h("span", { text: `${l.quantity} × ${l.productName} (${l.variantLabel})` }),
                h("span", { text: formatAmount(BigInt(l.unitPrice) * BigInt(l.quantity), currency) }),
              ),
            ),
          ),
          drops.groupRows(g),
        );
      }),
      h(
        "p",
        { class: "total" },
        h("span", { text: count > 1 ? `Total in ${currency.symbol}` : "Total" }),
        h("strong", { text: formatAmount(total, currency) }, usdNote(app, total, currency)),
      ),
      h("p", {
        class: "muted small",
        text:
          currency.address === ZERO_ADDRESS
            ? "Plus network gas. The payment is held in escrow under each store's terms above."
            : `Paid in ${currency.symbol}${currency.permit ? " with one signature and one transaction" : ""}, plus network gas. Held in escrow under each store's terms above.`,
      }),
    );
  };

  const setStatus = (...children: (Node | string | null)[]) => replace(status, ...children);

  const stageText = (stage: PayStage, currency: Currency, prefix: string): string | null => {
    const text = stageSentence(stage, currency);
    return text === null ? null : `${prefix}${text}`;
  };
  const stageSentence = (stage: PayStage, currency: Currency): string | null => {
    switch (stage.stage) {
      case "simulating":
        return "Checking stock and prices…";
      case "permit":
        return `Sign the ${currency.symbol} payment permit in your wallet (no gas)…`;
      case "approve":
        return `Step 1 of 2: allow Merchstand to take ${currency.symbol} for this order…`;
      case "wallet":
        return `${stage.what} in your wallet.`;
      case "pending":
        return "Payment sent. Waiting for the network to include it…";
      case "mined":
        return `Included in block ${stage.blockNumber}. Confirming your order…`;
    }
  };

  /** Pays one currency's lines; resolves to what was paid, or null once the failure (or a changed cart) is shown. */
  const payOne = async (payment: PlannedPayment, index: number, count: number, ship: ShippingAddress | null) => {
    const currency = app.currency(payment.currency);
    const prefix = paymentPrefix(index, count, currency);
    const currencyLines = (): CartLine[] =>
      source.lines.filter((l) => l.currency.toLowerCase() === payment.currency.toLowerCase());
    const known = currencyLines();
    return runTransaction(
      app,
      async (onStage) => {
        const check = await refreshCart(app, source);
        if (check.notes.length > 0) {
          replace(
            notices,
            check.notes.map((n) => h("p", { class: "notice", text: n })),
          );
          renderSummary();
          setStatus(h("p", { class: "notice", text: "Your cart changed. Review it and press Pay again." }));
          return null;
        }
        const lines = currencyLines();
        const groups = groupByStore(lines);
        const wallet = app.wallet;
        if (!wallet?.account) throw new Error("no wallet");
        const account = wallet.account;
        const deliveryKey = lines.some((l) => l.digital)
          ? (await deliveryKeyring.unlock(account, app.manifest.chainId, (message) => wallet.personalSign(message)))
              .publicKey
          : null;
        const categoryOf = (id: bigint) => check.products.get(id.toString())?.category;
        const cart = drops.apply(
          buildCartOrders(groups, ship, checkoutStores(groups), deliveryKey, categoryOf),
          groups,
        );
        const total = drops.total(groups);
        const result = await payCart(app.chain, wallet, app.manifest.chainId, currency, cart, total, onStage);
        return { ...result, lines, total, currency };
      },
      {
        status,
        stageText: (stage) => stageText(stage, currency, prefix),
        explain: (error) =>
          app.explain(error, {
            currency,
            describeVariant: (productId, variant) => {
              const l = known.find((x) => x.productId === productId.toString() && x.variant === variant);
              return l ? { product: l.productName, label: l.variantLabel } : undefined;
            },
          }),
        onError: async (fan) => {
          if (fan.kind === "terms-changed") {
            await loadTerms().catch(() => {});
            renderSummary();
            return;
          }
          if (!fan.refreshCart) return;
          const check = await refreshCart(app, source).catch(() => ({ notes: [] as string[] }));
          replace(
            notices,
            check.notes.map((n) => h("p", { class: "notice", text: n })),
          );
          renderSummary();
        },
      },
    );
  };

  const pay = async () => {
    if (physical() && !form.reportValidity()) return;
    const ship = physical() ? address() : null;
    if (ship) {
      for (const k of REQUIRED_SHIPPING_FIELDS) if (!ship[k]) return inputs.get(k)?.focus();
      if (sealedShippingLength(ship) > MAX_SHIPPING_BLOB) {
        setStatus(
          h("p", {
            class: "notice danger",
            attrs: { role: "alert" },
            text: "Your address is too long to send. Please shorten it (for example, abbreviate the street).",
          }),
        );
        return;
      }
    }
    const blocked = drops.problem(groupByStore(linesOf()), physical());
    if (blocked) {
      setStatus(h("p", { class: "notice danger", attrs: { role: "alert" }, text: blocked }));
      return;
    }
    if (!app.wallet?.account) {
      setStatus(h("p", { class: "notice", text: "Connect a wallet to pay." }));
      await openWalletDialog(app);
      return;
    }
    payButton.disabled = true;
    const plan = payments();
    const paid: PaidPayment[] = [];
    const placed: bigint[] = [];
    let firstBlock: number | undefined;
    const copies = new SealedAddressCopies(deviceStorage(), app.manifest.chainId, app.manifest.merchstand);
    replace(progress);
    for (const [index, payment] of plan.entries()) {
      const result = await payOne(payment, index, plan.length, ship);
      if (!result) {
        // The failure sentence is in `status`; above it, what the earlier payments did and what is left.
        if (paid.length > 0) {
          const currency = app.currency(payment.currency);
          const amount = drops.total(groupByStore(payment.lines));
          replace(
            progress,
            h(
              "div",
              { class: "notice partial-payment", attrs: { role: "alert" } },
              h("p", {
                text: partialFailureText(paid, { index, count: plan.length, amount, currency }),
              }),
              h(
                "ul",
                null,
                placed.map((id) => h("li", null, orderLink(id))),
              ),
            ),
          );
          renderSummary();
        }
        payButton.disabled = false;
        return;
      }
      const { orderIds, lines, total, currency, receipt } = result;
      // The orders come from the receipt, never from a scan: kept for this device's order pages (client/placed.ts);
      // the first payment's block rides in the order page's link (urls.ts routes.order `block`).
      await keepPlacedFromReceipt(app.chain, receipt).catch(() => 0);
      firstBlock ??= Number(BigInt(receipt.blockNumber));
      source.clear(lines);
      // The fan's own readable copy of the sealed address, shown on each order's page (pages/order.ts).
      if (ship) for (const id of orderIds) copies.save(id, ship);
      placed.push(...orderIds);
      paid.push({ amount: total, currency, orderLabels: orderIds.map(orderLabel) });
      if (index + 1 < plan.length)
        replace(
          progress,
          h("p", {
            class: "notice ok",
            attrs: { role: "status" },
            text: `Payment ${index + 1} of ${plan.length} done: ${formatAmount(total, currency)} paid. Next, payment ${index + 2} of ${plan.length}.`,
          }),
        );
    }
    payButton.disabled = false;
    draft.clear();
    forgetLinkedCode(app.manifest.chainId, app.manifest.merchstand);
    // "Confirmed" is the order page's: it reads the order back from the chain, not from the receipt, and the
    // thank-you lives in that URL (pages/order.ts placedBanner), listing every order of every payment. The
    // checkout's history entry is replaced, so Back and Forward never land on an emptied checkout.
    const first = placed[0];
    if (first !== undefined) {
      location.replace(hashHref(routes.order(first, { placed, block: firstBlock })));
      return;
    }
    setStatus(
      h(
        "div",
        { class: "success", attrs: { role: "status" } },
        h("h2", { text: "Payment mined." }),
        paid.map((p) => h("p", { text: `Paid ${formatAmount(p.amount, p.currency)} into escrow.` })),
      ),
    );
    form.remove();
    summary.remove();
    payButton.remove();
  };

  const payButton = button("Pay now", () => void pay(), { class: "btn pay" });
  renderSummary();
  if (!physical())
    form.replaceChildren(
      h("h2", { text: "Delivery" }),
      h("p", {
        text: "Everything in this order is digital: no address needed. Your wallet will ask you to sign a message (no gas) that makes the key your downloads or tickets are encrypted to.",
      }),
    );
  const unsubscribe = app.onChange(() => renderSummary());
  return {
    title: "Checkout",
    el: h(
      "div",
      { class: "checkout-page" },
      h("h1", { text: "Checkout" }),
      notices,
      h(
        "div",
        { class: "checkout-layout" },
        form,
        h("div", { class: "checkout-side" }, summary, drops.codeField, sequence, payButton, progress, status),
      ),
    ),
    dispose: unsubscribe,
  };
}
