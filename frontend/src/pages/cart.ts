// The cart: lines grouped by store, quantity edit, remove, subtotal per currency, one checkout per currency.

import type { App } from "../app.ts";
import { type CartLine, groupByStore } from "../client/cart.ts";
import { formatAmount } from "../client/format.ts";
import type { Page, PageContext } from "../page.ts";
import { emptyState, ipfsImage, officialBadge } from "../ui/components.ts";
import { button, h, link, replace, uid } from "../ui/dom.ts";
import { preOrderNotes } from "../ui/pre-order.ts";
import { routes } from "../urls.ts";
import { refreshCart } from "./cart-check.ts";
import { firstImage } from "./shared.ts";

export default function cartPage(ctx: PageContext): Page {
  const { app } = ctx;
  const notices = h("div", { class: "notices", attrs: { "aria-live": "polite" } });
  const body = h("div", { class: "cart" });

  const render = async () => {
    const lines = app.cart.lines;
    if (lines.length === 0) {
      replace(
        body,
        emptyState(
          "Your cart is empty",
          "Find something you love in the stores.",
          link(routes.home(), { class: "btn" }, "Browse stores"),
        ),
      );
      return;
    }
    const stores = await app.stores();
    if (ctx.signal.aborted) return;
    const byId = new Map(stores.map((s) => [s.id.toString(), s]));
    const groups = groupByStore(lines);
    const totals = new Map<string, bigint>();
    for (const g of groups) totals.set(g.currency, (totals.get(g.currency) ?? 0n) + g.subtotal);
    replace(
      body,
      groups.map((g) => {
        const store = byId.get(g.storeId);
        return h(
          "section",
          { class: "cart-group", attrs: { "aria-label": `Items from ${store?.name ?? "a store"}` } },
          h(
            "h2",
            { class: "cart-store" },
            link(routes.store(g.storeId), null, store?.name ?? `Store ${g.storeId}`),
            " ",
            store ? officialBadge(store) : null,
          ),
          h(
            "ul",
            { class: "cart-lines" },
            g.lines.map((l) => cartLine(ctx, l)),
          ),
          preOrderNotes(app, g.lines, ctx.signal),
          h(
            "p",
            { class: "subtotal" },
            "Subtotal: ",
            h("strong", { text: formatAmount(g.subtotal, app.currency(g.currency)) }),
          ),
        );
      }),
      h(
        "div",
        { class: "cart-summary" },
        [...totals].map(([currency, total]) => {
          const c = app.currency(currency);
          return h(
            "div",
            { class: "summary-row" },
            h("p", null, `Total in ${c.symbol}: `, h("strong", { text: formatAmount(total, c) })),
          );
        }),
        // One checkout for every currency: one address form, then one payment per currency (pages/checkout.ts).
        link(routes.checkout(), { class: "btn" }, "Check out"),
        totals.size > 1
          ? h("p", {
              class: "muted small",
              text: `Your cart is in ${totals.size} currencies: you'll give your address once, then make ${totals.size} payments, one per currency.`,
            })
          : null,
        h("p", { class: "muted small", text: "Prices and stock are checked again on the chain before you pay." }),
      ),
    );
  };

  const check = async () => {
    if (app.cart.lines.length === 0) return;
    try {
      const { notes } = await refreshCart(app);
      if (!ctx.signal.aborted)
        replace(
          notices,
          notes.map((n) => h("p", { class: "notice", text: n })),
        );
    } catch (error) {
      if (!ctx.signal.aborted) replace(notices, h("p", { class: "notice danger", text: app.explain(error).message }));
    }
  };

  const unsubscribe = app.cart.subscribe(() => void render());
  void render().then(check);
  return {
    title: "Your cart",
    el: h("div", { class: "cart-page" }, h("h1", { text: "Your cart" }), notices, body),
    refresh: check,
    dispose: unsubscribe,
  };
}

function cartLine(ctx: PageContext, line: CartLine): HTMLElement {
  const { app } = ctx;
  const c = app.currency(line.currency);
  const qtyId = uid("cart-qty");
  const qty = h("input", {
    attrs: { id: qtyId, type: "number", min: 1, max: 99, value: line.quantity, inputmode: "numeric" },
  });
  qty.addEventListener("change", () =>
    app.cart.setQuantity(line.productId, line.variant, Math.floor(Number(qty.value) || 0)),
  );
  // The line's picture: the product's first image (its metadata CID is read from the chain once per product).
  const thumb = h("div", { class: "line-thumb" }, ipfsImage(app, null, line.productName, "media thumb"));
  void lineImage(app, line.productId).then(
    (cid) => cid && !ctx.signal.aborted && thumb.replaceChildren(ipfsImage(app, cid, line.productName, "media thumb")),
  );
  return h(
    "li",
    { class: "cart-line" },
    thumb,
    h(
      "div",
      { class: "line-info" },
      link(routes.product(line.storeId, line.productId), { class: "line-name" }, line.productName),
      h("p", { class: "muted small", text: `${line.variantLabel} · ${formatAmount(BigInt(line.unitPrice), c)} each` }),
    ),
    h(
      "div",
      { class: "line-controls" },
      h("label", {
        class: "visually-hidden",
        attrs: { for: qtyId },
        text: `Quantity of ${line.productName} (${line.variantLabel})`,
      }),
      button("−", () => app.cart.setQuantity(line.productId, line.variant, line.quantity - 1), {
        class: "btn icon",
        attrs: { "aria-label": `One less ${line.productName}` },
      }),
      qty,
      button("+", () => app.cart.setQuantity(line.productId, line.variant, line.quantity + 1), {
        class: "btn icon",
        attrs: { "aria-label": `One more ${line.productName}` },
      }),
      button("Remove", () => app.cart.remove(line.productId, line.variant), {
        class: "btn link",
        attrs: { "aria-label": `Remove ${line.productName} (${line.variantLabel})` },
      }),
    ),
    h("p", { class: "line-total", text: formatAmount(BigInt(line.unitPrice) * BigInt(line.quantity), c) }),
  );
}

/** The first image of a cart line's product, or null (no metadata, no image, or the read failed). */
const lineImages = new Map<string, Promise<string | null>>();
function lineImage(app: App, productId: string): Promise<string | null> {
  let cid = lineImages.get(productId);
  if (!cid) {
    cid = app.chain
      .getProduct(BigInt(productId))
      .then((p) => (p ? firstImage(app, p) : null))
      .catch(() => {
        lineImages.delete(productId);
        return null;
      });
    lineImages.set(productId, cid);
  }
  return cid;
}
