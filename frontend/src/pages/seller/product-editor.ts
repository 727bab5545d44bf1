// Product editor with a live preview of the card and page fans will see. New products: name, category, description,
// pictures (uploaded to IPFS, shown with their CID), variants with label, price and stock; the product metadata JSON
// is uploaded too, then listProduct. Existing products: the same details (updateProduct), per-variant price, stock
// (restock) and on-sale switches, new variants, the per-fan limit, and taking the product off sale.

import { normalizeCidRef } from "../../client/cid.ts";
import { formatAmount } from "../../client/format.ts";
import { listedProductId } from "../../client/history.ts";
import type { ProductMetadata } from "../../client/metadata.ts";
import { productMetadata } from "../../client/metadata.ts";
import { CATEGORIES, LIMITS, MAX_UINT16, type Product } from "../../client/protocol.ts";
import {
  addVariantTx,
  listProductTx,
  setProductActiveTx,
  setProductLimitTx,
  setVariantActiveTx,
  setVariantPriceTx,
  setVariantStockTx,
  updateProductTx,
} from "../../client/seller-actions.ts";
import type { TxRequest } from "../../client/transactions.ts";
import { UploadError, uploadJson } from "../../client/upload.ts";
import { checkText, checkVariants, parseAmount, parseCount, type VariantForm } from "../../client/validation.ts";
import { NotFound, type Page, type PageContext } from "../../page.ts";
import { ipfsImage } from "../../ui/components.ts";
import { append, button, h, replace, uid } from "../../ui/dom.ts";
import { go, routes } from "../../urls.ts";
import { type ImageField, imageField } from "./image-field.ts";
import {
  byteCounter,
  field,
  loadStoreForStaff,
  notStaffNotice,
  runTx,
  type StaffContext,
  storeHeader,
} from "./shared.ts";

type VariantRow = { label: HTMLInputElement; price: HTMLInputElement; stock: HTMLInputElement; el: HTMLElement };

export default async function productEditor(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const staff = await loadStoreForStaff(ctx);
  const productId = ctx.params.productId ? BigInt(ctx.params.productId) : null;
  let existing: Product | null = null;
  let meta: ProductMetadata = { description: "", images: [], details: [] };
  if (productId !== null) {
    existing = await app.chain.getProduct(productId);
    if (!existing || existing.storeId !== staff.store.id) throw new NotFound();
    if (existing.metadataCid) {
      const loaded = await app.productMeta(existing.metadataCid);
      if (loaded.ok) meta = loaded.value;
    }
  }
  const title = existing ? `Edit ${existing.name}` : "New product";
  const { currency } = staff;

  // ── controls ──
  const name = h("input", { attrs: { name: "product-name", required: true, autocomplete: "off" } });
  name.value = existing?.name ?? "";
  const category = h(
    "select",
    { attrs: { name: "category" } },
    CATEGORIES.map((c, i) => h("option", { attrs: { value: String(i) }, text: c })),
  );
  category.value = String(existing?.category ?? 0);
  const description = h("textarea", { attrs: { name: "description", rows: 5, maxlength: LIMITS.description } });
  description.value = meta.description;
  const limit = h("input", { attrs: { name: "max-per-buyer", type: "number", min: 0, max: MAX_UINT16, step: 1 } });
  limit.value = String(existing?.maxPerBuyer ?? 0);
  const digital = h("input", { attrs: { name: "digital", type: "checkbox", disabled: existing !== null } });
  digital.checked = existing?.digital ?? false;
  digital.id = uid("digital");
  const metaCid = h("input", {
    attrs: { name: "metadata-cid", spellcheck: "false", autocomplete: "off", placeholder: "bafy…" },
  });
  metaCid.value = existing?.metadataCid ?? "";
  const metaJson = h("textarea", { attrs: { rows: 4, readonly: true, "aria-label": "Metadata JSON to add to IPFS" } });

  const preview = h("aside", { class: "preview", attrs: { "aria-label": "Live preview" } });
  const images: ImageField = imageField(app, {
    label: "Pictures",
    max: LIMITS.images,
    initial: meta.images,
    onChange: () => updatePreview(),
  });

  const rows: VariantRow[] = [];
  const rowsEl = h("div", { class: "variant-rows" });
  const addRow = (v: VariantForm = { label: "", price: "", stock: "" }) => {
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
        updatePreview();
      },
      { class: "btn link small", attrs: { "aria-label": `Remove variant ${i + 1}` } },
    );
    row.el = h("div", { class: "variant-row" }, label, price, stock, remove);
    for (const input of [label, price, stock]) input.addEventListener("input", () => updatePreview());
    rows.push(row);
    rowsEl.append(row.el);
  };

  // ── live preview ──
  const updatePreview = () => {
    const shownName = name.value.trim() || "Product name";
    const variants = existing
      ? existing.variants.filter((v) => v.active).map((v) => ({ label: v.label, price: v.price, stock: v.stock }))
      : rows.map((r) => {
          const p = parseAmount(r.price.value, currency, "price");
          return {
            label: r.label.value.trim() || "?",
            price: p.ok ? p.value : null,
            stock: Number(r.stock.value || 0),
          };
        });
    const prices = variants.flatMap((v) => (v.price === null ? [] : [v.price]));
    const min = prices.length ? prices.reduce((a, b) => (b < a ? b : a)) : null;
    const priceText =
      min === null ? "Set a price" : `${prices.some((p) => p !== min) ? "From " : ""}${formatAmount(min, currency)}`;
    const pics = images.previews();
    const picture = (i: number, cls: string) => {
      const p = pics[i];
      if (!p)
        return h(
          "div",
          { class: `${cls} placeholder`, attrs: { "aria-hidden": "true" } },
          h("span", { class: "placeholder-mark", text: shownName.slice(0, 1).toUpperCase() }),
        );
      if (p.url) {
        const img = h("img", { class: cls, attrs: { alt: "" } });
        img.src = p.url;
        return img;
      }
      return ipfsImage(app, p.cid, shownName, cls);
    };
    replace(
      preview,
      h("h2", { text: "Live preview" }),
      h("p", { class: "muted small", text: "How fans will see it in the shop." }),
      h(
        "div",
        { class: "card product-card preview-card" },
        h("div", { class: "card-media-wrap" }, picture(0, "media")),
        h(
          "div",
          { class: "card-body" },
          h("h3", { class: "card-title", text: shownName }),
          h("p", { class: "card-store", text: staff.store.name }),
          h("p", { class: "card-price preview-price", text: priceText }),
        ),
      ),
      h(
        "div",
        { class: "preview-page" },
        pics.length > 1
          ? h(
              "div",
              { class: "preview-thumbs" },
              pics.map((_, i) => picture(i, "thumb")),
            )
          : null,
        h("h3", { class: "preview-name", text: shownName }),
        h("p", { class: "muted small", text: CATEGORIES[Number(category.value)] ?? "" }),
        h(
          "div",
          { class: "variant-buttons" },
          variants.map((v) =>
            h("span", {
              class: `variant${v.stock === 0 ? " sold-out" : ""}`,
              text: v.label,
              attrs: { title: v.stock === 0 ? "Sold out" : v.stock <= 3 ? `Only ${v.stock} left` : "" },
            }),
          ),
        ),
        h("p", { class: "preview-description", text: description.value.trim() || "Your description appears here." }),
      ),
    );
    if (!app.manifest.ipfsUpload) {
      try {
        metaJson.value = JSON.stringify(
          productMetadata({ description: description.value, images: images.cids(), details: meta.details }),
        );
      } catch (error) {
        metaJson.value = error instanceof Error ? error.message : String(error);
      }
    }
  };
  for (const input of [name, category, description]) input.addEventListener("input", updatePreview);

  const status = h("div", { class: "form-status", attrs: { "aria-live": "assertive" } });
  const problem = (message: string, fieldName?: string) => {
    replace(status, h("p", { class: "notice danger error-sentence", attrs: { role: "alert" }, text: message }));
    if (fieldName) (form.querySelector(`[data-field="${fieldName}"]`) as HTMLElement | null)?.focus();
  };
  name.dataset.field = "name";
  description.dataset.field = "description";

  /** Uploads the metadata JSON (or takes the pasted CID when uploads are off); null after showing a problem. */
  const metadataCid = async (): Promise<string | null> => {
    if (images.busy()) {
      replace(status, h("p", { class: "tx-stage", text: "Waiting for the pictures to finish uploading…" }));
      await images.settled();
    }
    const target = app.manifest.ipfsUpload;
    if (!target) {
      const cid = metaCid.value.trim();
      if (cid && !normalizeCidRef(cid)) {
        problem("The metadata CID is not an IPFS CID.");
        return null;
      }
      return cid;
    }
    const unchanged =
      existing !== null &&
      description.value.trim() === meta.description.trim() &&
      images.cids().join() === meta.images.join();
    if (unchanged && existing) return existing.metadataCid;
    replace(status, h("p", { class: "tx-stage", text: "Uploading the product details to IPFS…" }));
    return uploadJson(
      target,
      productMetadata({ description: description.value, images: images.cids(), details: meta.details }),
    );
  };

  const submit = h("button", {
    class: "btn",
    attrs: { type: "submit" },
    text: existing ? "Save details" : "List product",
  });
  const form = h("form", { class: "seller-form product-form", attrs: { novalidate: true } });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const checkedName = checkText(name.value, "The product name", 1, LIMITS.name, "name");
      if (!checkedName.ok) return problem(checkedName.message, checkedName.field);
      if (description.value.length > LIMITS.description) {
        return problem(`The description is too long: at most ${LIMITS.description} characters.`, "description");
      }
      const max = parseCount(limit.value || "0", "The per-fan limit");
      if (!max.ok || max.value > MAX_UINT16)
        return problem(max.ok ? `The per-fan limit can be at most ${MAX_UINT16}.` : max.message);
      submit.disabled = true;
      try {
        if (!existing) {
          const variants = checkVariants(
            rows.map((r) => ({ label: r.label.value, price: r.price.value, stock: r.stock.value })),
            currency,
          );
          if (!variants.ok) return problem(variants.message, variants.field);
          const cid = await metadataCid();
          if (cid === null) return;
          const product = {
            name: checkedName.value,
            metadataCid: cid,
            category: Number(category.value),
            maxPerBuyer: max.value,
            digital: digital.checked,
          };
          const receipt = await runTx(app, status, listProductTx(staff.store.id, product, variants.value), {
            done: `"${product.name}" is listed.`,
            errorContext: { currency },
          });
          const id = receipt ? listedProductId(receipt.logs) : null;
          if (id !== null) go(routes.editProduct(staff.store.id, id, { listed: true }));
          return;
        }
        const cid = await metadataCid();
        if (cid === null) return;
        const requests: { request: TxRequest; done: string }[] = [];
        if (
          checkedName.value !== existing.name ||
          cid !== existing.metadataCid ||
          Number(category.value) !== existing.category
        ) {
          requests.push({
            request: updateProductTx(existing.id, checkedName.value, cid, Number(category.value)),
            done: `"${checkedName.value}" is saved.`,
          });
        }
        if (max.value !== existing.maxPerBuyer) {
          requests.push({
            request: setProductLimitTx(existing.id, checkedName.value, max.value),
            done: "Per-fan limit saved.",
          });
        }
        if (requests.length === 0) {
          replace(status, h("p", { class: "tx-stage ok", text: "Nothing changed." }));
          return;
        }
        for (const [i, r] of requests.entries()) {
          const prefix = requests.length > 1 ? `Step ${i + 1} of ${requests.length}: ` : "";
          const ok = await runTx(app, status, { ...r.request, what: `${prefix}${r.request.what}` }, { done: r.done });
          if (!ok) return;
        }
        await reloadExisting();
      } catch (error) {
        problem(error instanceof UploadError ? error.message : app.explain(error).message);
      } finally {
        submit.disabled = false;
      }
    })();
  });

  const reloadExisting = async () => {
    if (!productId) return;
    existing = await app.chain.getProduct(productId);
    if (existing?.metadataCid) {
      const loaded = await app.productMeta(existing.metadataCid);
      if (loaded.ok) meta = loaded.value;
    }
    replace(variantsBox, existingVariants());
    replace(activeBox, activeControl());
    updatePreview();
  };

  // ── existing products: variants and on-sale state, each saved on its own ──
  const variantsBox = h("div");
  const activeBox = h("div");
  const existingVariants = (): HTMLElement => {
    const p = existing as Product;
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
          ["Variant", `Price (${currency.symbol})`, "In stock", "On sale", ""].map((t) =>
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
                return void replace(
                  rowStatus,
                  h("p", { class: "tx-stage ok", text: `Nothing changed for ${v.label}.` }),
                );
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
              await reloadExisting();
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
        if (ok) await reloadExisting();
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
  };
  const activeControl = (): HTMLElement => {
    const p = existing as Product;
    const s = h("div", { attrs: { "aria-live": "polite" } });
    const toggle = button(
      p.active ? "Take off sale" : "Put back on sale",
      async () => {
        toggle.disabled = true;
        const ok = await runTx(app, s, setProductActiveTx(p.id, p.name, !p.active), {
          done: p.active ? `"${p.name}" is off sale.` : `"${p.name}" is on sale again.`,
        });
        if (ok) await reloadExisting();
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
  };

  if (!existing) {
    addRow({ label: "", price: "", stock: "" });
  }
  const addVariantButton = button(
    "Add a variant",
    () => {
      if (rows.length >= LIMITS.variants) return problem(`A product can have at most ${LIMITS.variants} variants.`);
      addRow();
      rows.at(-1)?.label.focus();
    },
    { class: "btn secondary small" },
  );

  append(form, [
    h(
      "fieldset",
      null,
      h("legend", { text: "Details" }),
      field("Name", name, byteCounter(name, LIMITS.name)),
      field("Category", category),
      app.manifest.ipfsUpload
        ? field("Description", description, `Up to ${LIMITS.description} characters. Plain text; line breaks are kept.`)
        : null,
      app.manifest.ipfsUpload ? images.el : null,
      app.manifest.ipfsUpload
        ? null
        : h(
            "div",
            null,
            field("Description", description),
            images.el,
            field(
              "Metadata CID",
              metaCid,
              "Uploads are turned off in this build: add the JSON below to IPFS yourself and paste its CID.",
            ),
            metaJson,
          ),
      field("Max per fan (0 = no limit)", limit, "Units one wallet may buy over the product's life."),
      existing
        ? null
        : h(
            "div",
            { class: "field check" },
            digital,
            h("label", { attrs: { for: digital.id }, text: "Digital product (no shipping address)" }),
          ),
    ),
    existing
      ? null
      : h(
          "fieldset",
          null,
          h("legend", { text: "Variants" }),
          h("p", {
            class: "muted small",
            text: `Sizes, colours or just one. Label (up to ${LIMITS.label} bytes), price in ${currency.symbol}, and stock.`,
          }),
          h(
            "div",
            { class: "variant-row head", attrs: { "aria-hidden": "true" } },
            h("span", { text: "Label" }),
            h("span", { text: `Price (${currency.symbol})` }),
            h("span", { text: "Stock" }),
            h("span"),
          ),
          rowsEl,
          addVariantButton,
        ),
    status,
    submit,
  ]);

  if (existing) {
    replace(variantsBox, existingVariants());
    replace(activeBox, activeControl());
  }
  updatePreview();
  const listed = ctx.query.get("listed") === "1";
  return {
    title,
    el: h(
      "div",
      { class: "seller-page product-editor" },
      storeHeader(staff as StaffContext, "products"),
      staff.role ? null : notStaffNotice(app, staff.store),
      h("h2", { class: "editor-title", text: title }),
      listed && existing
        ? h("p", {
            class: "notice ok",
            attrs: { role: "status" },
            text: `"${existing.name}" is listed and on sale. You can keep editing it here.`,
          })
        : null,
      h("div", { class: "editor-layout" }, h("div", { class: "editor-main" }, form, variantsBox, activeBox), preview),
    ),
  };
}
