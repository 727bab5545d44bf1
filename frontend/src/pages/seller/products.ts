// A store's products for its staff: every product (on sale or not) with its variants' price, stock and sales, a quick
// restock per variant, and taking a product off sale or back on.

import { loadStoreProducts } from "../../client/catalog.ts";
import { formatAmount } from "../../client/format.ts";
import type { Product } from "../../client/protocol.ts";
import { setProductActiveTx, setVariantStockTx } from "../../client/seller-actions.ts";
import { parseCount } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { categoryName, emptyState, ipfsImage } from "../../ui/components.ts";
import { button, h, link, replace, uid } from "../../ui/dom.ts";
import { routes } from "../../urls.ts";
import { firstImage } from "../shared.ts";
import { notStaffNotice, runTx, type StaffContext } from "./shared.ts";
import { storePage } from "./store-page.ts";

export default function productsPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const render = async (staff: StaffContext, body: HTMLElement, reload: () => Promise<HTMLElement>) => {
    const products = await loadStoreProducts(app.chain, staff.store.id);
    const newButton = link(routes.newProduct(staff.store.id), { class: "btn" }, "New product");
    replace(
      body,
      staff.role ? null : notStaffNotice(app, staff.store),
      staff.role
        ? h(
            "p",
            { class: "seller-links" },
            newButton,
            link(routes.importProducts(staff.store.id), { class: "btn secondary" }, "Import a Shopify CSV"),
          )
        : null,
      products.length === 0
        ? emptyState(
            "No products yet",
            "List your first piece of merch: a shirt with sizes, a poster, a record.",
            staff.role ? (newButton.cloneNode(true) as HTMLElement) : undefined,
          )
        : h(
            "ul",
            { class: "seller-product-list" },
            products.map((p) => productRow(ctx, staff, p, () => void reload())),
          ),
    );
  };

  return storePage(ctx, {
    tab: "products",
    className: "seller-products",
    title: (staff) => `Products · ${staff.store.name}`,
    loading: "Loading products…",
    render,
  });
}

function productRow(ctx: PageContext, staff: StaffContext, p: Product, reload: () => void): HTMLElement {
  const { app } = ctx;
  const { currency } = staff;
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const media = h("div", { class: "row-thumb" }, ipfsImage(app, null, p.name, "thumb"));
  void firstImage(app, p).then((cid) => cid && media.replaceChildren(ipfsImage(app, cid, p.name, "thumb")));
  const toggle = button(
    p.active ? "Take off sale" : "Put back on sale",
    async () => {
      toggle.disabled = true;
      const ok = await runTx(app, status, setProductActiveTx(p.id, p.name, !p.active), {
        done: p.active ? `"${p.name}" is off sale.` : `"${p.name}" is on sale again.`,
      });
      if (ok) reload();
      else toggle.disabled = false;
    },
    { class: "btn secondary small" },
  );
  return h(
    "li",
    { class: "card seller-product", dataset: { productId: p.id.toString() } },
    h(
      "div",
      { class: "seller-product-head" },
      media,
      h(
        "div",
        { class: "grow" },
        h("h2", { class: "card-title", text: p.name }),
        h("p", {
          class: "muted small",
          text: `#${p.id} · ${categoryName(p.category)}${p.digital ? " · digital" : ""}${p.maxPerBuyer ? ` · max ${p.maxPerBuyer} per fan` : ""}`,
        }),
        h("span", {
          class: `status-pill ${p.active ? "shipped" : "cancelled"}`,
          text: p.active ? "On sale" : "Off sale",
        }),
      ),
      staff.role
        ? h(
            "div",
            { class: "row-actions" },
            link(routes.editProduct(p.storeId, p.id), { class: "btn small" }, "Edit"),
            toggle,
          )
        : null,
    ),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "variant-table" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["Variant", "Price", "Sold", "In stock", staff.role ? "Restock" : null].flatMap((t) =>
              t === null ? [] : h("th", { attrs: { scope: "col" }, text: t }),
            ),
          ),
        ),
        h(
          "tbody",
          null,
          p.variants.map((v) => {
            const id = uid("stock");
            const input = h("input", {
              attrs: { id, type: "number", min: 0, step: 1, inputmode: "numeric", value: v.stock },
            });
            input.value = String(v.stock);
            const save = button(
              "Set",
              async () => {
                const n = parseCount(input.value, `The stock of ${v.label}`);
                if (!n.ok) {
                  replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: n.message }));
                  return;
                }
                save.disabled = true;
                const ok = await runTx(app, status, setVariantStockTx(p.id, v.index, v.label, n.value), {
                  done: `${v.label} of "${p.name}": ${n.value} in stock.`,
                });
                if (ok) reload();
                else save.disabled = false;
              },
              { class: "btn secondary small" },
            );
            return h(
              "tr",
              { class: v.active ? "" : "inactive" },
              h("td", null, v.label, v.active ? null : h("span", { class: "muted small", text: " (off sale)" })),
              h("td", { text: formatAmount(v.price, currency) }),
              h("td", { text: String(v.sold) }),
              h("td", { class: v.stock === 0 ? "stock low" : "", text: v.stock === 0 ? "Sold out" : String(v.stock) }),
              staff.role
                ? h(
                    "td",
                    { class: "restock" },
                    h("label", { class: "visually-hidden", attrs: { for: id }, text: `New stock for ${v.label}` }),
                    input,
                    save,
                  )
                : null,
            );
          }),
        ),
      ),
    ),
    status,
  );
}
