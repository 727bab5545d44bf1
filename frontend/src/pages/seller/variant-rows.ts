// The variant rows of a new product in the product editor (./product-editor.ts): label, price and stock inputs,
// added and removed by the seller. The rows are this module's state; the editor reads their values.
import type { Currency } from "../../client/manifest.ts";
import { LIMITS } from "../../client/protocol.ts";
import type { VariantForm } from "../../client/validation.ts";
import { button, h } from "../../ui/dom.ts";

type VariantRow = { label: HTMLInputElement; price: HTMLInputElement; stock: HTMLInputElement; el: HTMLElement };

export type VariantRows = {
  el: HTMLElement;
  /** Adds a row (empty, or filled with `v`) and answers its label input. */
  add(v?: VariantForm): HTMLInputElement;
  count(): number;
  /** What each row holds, in order. */
  values(): VariantForm[];
};

/** Rows of variant inputs; `onChange` runs on every edit, addition and removal. */
export function variantRows(currency: Currency, onChange: () => void): VariantRows {
  const rows: VariantRow[] = [];
  const el = h("div", { class: "variant-rows" });
  const add = (v: VariantForm = { label: "", price: "", stock: "" }): HTMLInputElement => {
    const i = rows.length;
    const label = h("input", {
      attrs: {
        "aria-label": `Variant ${i + 1} label`,
        placeholder: "M",
        maxlength: LIMITS.label,
        "data-field": `variant-${i}-label`,
      },
    });
    const price = h("input", {
      attrs: {
        "aria-label": `Variant ${i + 1} price (${currency.symbol})`,
        inputmode: "decimal",
        placeholder: "0.02",
        "data-field": `variant-${i}-price`,
      },
    });
    const stock = h("input", {
      attrs: {
        "aria-label": `Variant ${i + 1} stock`,
        type: "number",
        min: 0,
        step: 1,
        placeholder: "10",
        "data-field": `variant-${i}-stock`,
      },
    });
    label.value = v.label;
    price.value = v.price;
    stock.value = v.stock;
    const row: VariantRow = { label, price, stock, el: h("div") };
    const remove = button(
      "Remove",
      () => {
        rows.splice(rows.indexOf(row), 1);
        row.el.remove();
        onChange();
      },
      { class: "btn link small", attrs: { "aria-label": `Remove variant ${i + 1}` } },
    );
    row.el = h("div", { class: "variant-row" }, label, price, stock, remove);
    for (const input of [label, price, stock]) input.addEventListener("input", onChange);
    rows.push(row);
    el.append(row.el);
    return label;
  };
  return {
    el,
    add,
    count: () => rows.length,
    values: () => rows.map((r) => ({ label: r.label.value, price: r.price.value, stock: r.stock.value })),
  };
}
