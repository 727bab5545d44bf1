// An existing product's variants and on-sale state in the product editor (./product-editor.ts), each saved on its
// own transaction; `onSaved` reloads the product after a change.
import type { App } from "../../app.ts";
import { formatAmount } from "../../client/format.ts";
import type { Currency } from "../../client/manifest.ts";
import { LIMITS, type Product } from "../../client/protocol.ts";
import {
  addVariantTx,
  setProductActiveTx,
  setVariantActiveTx,
  setVariantPriceTx,
  setVariantStockTx,
} from "../../client/seller-actions.ts";
import type { TxRequest } from "../../client/transactions.ts";
import { checkVariants, parseAmount, parseCount } from "../../client/validation.ts";
import { button, h, replace } from "../../ui/dom.ts";
import { runTx } from "./shared.ts";

export type ProductAdminContext = { app: App; product: Product; currency: Currency; onSaved: () => Promise<void> };

/** Each variant's price, stock and on-sale switch, saved on its own, and a new variant. */
export function variantsSection(ctx: ProductAdminContext): HTMLElement {
  const { app, currency } = ctx;
  const p = ctx.product;
  const rowStatus = h("div", { attrs: { "aria-live": "polite" } });
  const table = h(
    "table",
    { class: "variant-table editable" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        ["Variant", `Price (${currency.symbol})`, "In stock", "On sale", "Save"].map((t) =>
          h("th", { attrs: { scope: "col" }, text: t }),
        ),
      ),
    ),
    h(
      "tbody",
      null,
      p.variants.map((v) => {
        const price = h("input", { attrs: { "aria-label": `Price of ${v.label}`, inputmode: "decimal" } });
        price.value = formatAmount(v.price, currency).replace(` ${currency.symbol}`, "").replace(/,/g, "");
        const stock = h("input", { attrs: { "aria-label": `Stock of ${v.label}`, type: "number", min: 0, step: 1 } });
        stock.value = String(v.stock);
        const active = h("input", { attrs: { type: "checkbox", "aria-label": `${v.label} on sale` } });
        active.checked = v.active;
        const save = button(
          "Save",
          async () => {
            const newPrice = parseAmount(price.value, currency, `The price of ${v.label}`);
            if (!newPrice.ok)
              return void replace(
                rowStatus,
                h("p", { class: "notice danger", attrs: { role: "alert" }, text: newPrice.message }),
              );
            const newStock = parseCount(stock.value, `The stock of ${v.label}`);
            if (!newStock.ok)
              return void replace(
                rowStatus,
                h("p", { class: "notice danger", attrs: { role: "alert" }, text: newStock.message }),
              );
            const todo: TxRequest[] = [];
            if (newPrice.value !== v.price)
              todo.push(setVariantPriceTx(p.id, v.index, v.label, newPrice.value, currency));
            if (newStock.value !== v.stock) todo.push(setVariantStockTx(p.id, v.index, v.label, newStock.value));
            if (active.checked !== v.active) todo.push(setVariantActiveTx(p.id, v.index, v.label, active.checked));
            if (todo.length === 0)
              return void replace(rowStatus, h("p", { class: "tx-stage ok", text: `Nothing changed for ${v.label}.` }));
            save.disabled = true;
            for (const [i, request] of todo.entries()) {
              const prefix = todo.length > 1 ? `Step ${i + 1} of ${todo.length}: ` : "";
              const ok = await runTx(
                app,
                rowStatus,
                { ...request, what: `${prefix}${request.what}` },
                {
                  done: `${v.label} saved.`,
                  errorContext: { currency },
                },
              );
              if (!ok) {
                save.disabled = false;
                return;
              }
            }
            await ctx.onSaved();
          },
          { class: "btn secondary small" },
        );
        return h(
          "tr",
          null,
          h("th", { attrs: { scope: "row" }, text: v.label }),
          h("td", null, price),
          h("td", null, stock, h("span", { class: "muted small", text: ` (${v.sold} sold)` })),
          h("td", null, active),
          h("td", null, save),
        );
      }),
    ),
  );
  // A new variant on an existing product.
  const label = h("input", {
    attrs: { "aria-label": "New variant label", placeholder: "XL", maxlength: LIMITS.label },
  });
  const price = h("input", {
    attrs: { "aria-label": `New variant price (${currency.symbol})`, inputmode: "decimal", placeholder: "0.02" },
  });
  const stock = h("input", {
    attrs: { "aria-label": "New variant stock", type: "number", min: 0, step: 1, placeholder: "10" },
  });
  const add = button(
    "Add variant",
    async () => {
      const checked = checkVariants([{ label: label.value, price: price.value, stock: stock.value }], currency);
      if (!checked.ok)
        return void replace(
          rowStatus,
          h("p", {
            class: "notice danger",
            attrs: { role: "alert" },
            text: checked.message.replace("variant 1", "the new variant"),
          }),
        );
      const v = checked.value[0];
      if (!v) return;
      if (p.variants.some((x) => x.label.toLowerCase() === v.label.toLowerCase())) {
        return void replace(
          rowStatus,
          h("p", { class: "notice danger", attrs: { role: "alert" }, text: `"${v.label}" already exists.` }),
        );
      }
      add.disabled = true;
      const ok = await runTx(app, rowStatus, addVariantTx(p.id, v), {
        done: `${v.label} added.`,
        errorContext: { currency },
      });
      add.disabled = false;
      if (ok) await ctx.onSaved();
    },
    { class: "btn secondary small" },
  );
  return h(
    "section",
    { class: "section", attrs: { "aria-labelledby": "variants-title" } },
    h("h2", { attrs: { id: "variants-title" }, text: "Variants, prices and stock" }),
    h("p", {
      class: "muted small",
      text: "Orders already placed keep the price they were paid at. Restock by raising the stock.",
    }),
    h("div", { class: "table-scroll" }, table),
    h("div", { class: "variant-row new-variant" }, label, price, stock, add),
    rowStatus,
  );
}

/** Taking the product off sale, or putting it back. */
export function saleSection(ctx: ProductAdminContext): HTMLElement {
  const { app } = ctx;
  const p = ctx.product;
  const s = h("div", { attrs: { "aria-live": "polite" } });
  const toggle = button(
    p.active ? "Take off sale" : "Put back on sale",
    async () => {
      toggle.disabled = true;
      const ok = await runTx(app, s, setProductActiveTx(p.id, p.name, !p.active), {
        done: p.active ? `"${p.name}" is off sale.` : `"${p.name}" is on sale again.`,
      });
      if (ok) await ctx.onSaved();
      else toggle.disabled = false;
    },
    { class: "btn secondary" },
  );
  return h(
    "section",
    { class: "section", attrs: { "aria-labelledby": "sale-title" } },
    h("h2", { attrs: { id: "sale-title" }, text: p.active ? "On sale" : "Off sale" }),
    h("p", {
      class: "muted small",
      text: p.active
        ? "Taking it off sale hides it from the shop and stops new orders. Open orders are not affected."
        : "Fans can't see or buy it until you put it back on sale.",
    }),
    toggle,
    s,
  );
}
