// Product editor with a live preview of the card and page fans will see. New products: name, category, description,
// pictures (uploaded to IPFS, shown with their CID), variants with label, price and stock; the product metadata JSON
// is uploaded too, then listProduct. Existing products: the same details (updateProduct), per-variant price, stock
// (restock) and on-sale switches, new variants, the per-fan limit, its drop and pre-order date (./drop-editor.ts; a
// ticket also links its door page), and taking the product off sale.

import { normalizeCidRef } from "../../client/cid.ts";
import { prepareDownload } from "../../client/digital.ts";
import { bytes32ToBytes } from "../../client/hex.ts";
import { listedProductId } from "../../client/history.ts";
import type { ProductMetadata } from "../../client/metadata.ts";
import { productMetadata } from "../../client/metadata.ts";
import { CATEGORIES, LIMITS, MAX_UINT16, type Product, TICKET_CATEGORY } from "../../client/protocol.ts";
import { listProductTx, setProductLimitTx, updateProductTx } from "../../client/seller-actions.ts";
import type { TxRequest } from "../../client/transactions.ts";
import { addFile, formatBytes, UploadError, uploadJson } from "../../client/upload.ts";
import { checkText, checkVariants, parseAmount, parseCount } from "../../client/validation.ts";
import { NotFound, type Page, type PageContext } from "../../page.ts";
import { append, button, h, replace, uid } from "../../ui/dom.ts";
import { go, routes } from "../../urls.ts";
import { doorLink } from "./door-link.ts";
import { dropSection } from "./drop-editor.ts";
import { type ImageField, imageField } from "./image-field.ts";
import { saleSection, variantsSection } from "./product-admin.ts";
import { renderPreview } from "./product-preview.ts";
import {
  byteCounter,
  charCounter,
  field,
  loadStoreForStaff,
  notStaffNotice,
  runTx,
  type StaffContext,
  storeHeader,
} from "./shared.ts";
import { variantRows } from "./variant-rows.ts";

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
  // A digital product's download (not a ticket's): encrypted here under a fresh content key before it is pinned
  // (client/digital.ts), so the gateway only ever holds ciphertext.
  const downloadFile = h("input", { attrs: { name: "download", type: "file" } });
  downloadFile.id = uid("download");
  const downloadInfo = h("p", {
    class: "muted small download-current",
    text: meta.download
      ? `Current download: ${meta.download.name} (${formatBytes(meta.download.size)}), encrypted, CID ${meta.download.cid}.`
      : "No download yet. Fans' orders can't be delivered until the file is uploaded.",
  });
  const downloadBox = h(
    "div",
    { class: "field download-field" },
    h("label", { attrs: { for: downloadFile.id }, text: "Download (the file fans get)" }),
    downloadFile,
    h("p", {
      class: "muted small",
      text: "Encrypted in this browser before it is uploaded: the IPFS copy is unreadable without the key, which is kept sealed to your store's shipping key and sent to each fan, sealed to their key, when you deliver.",
    }),
    downloadInfo,
  );
  const showDownload = () => {
    downloadBox.hidden = !digital.checked || Number(category.value) === TICKET_CATEGORY;
  };
  digital.addEventListener("change", showDownload);
  category.addEventListener("change", showDownload);
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

  const rows = variantRows(currency, () => updatePreview());
  // ── live preview ──
  const updatePreview = () => {
    renderPreview(app, preview, {
      store: staff.store,
      currency,
      name: name.value.trim(),
      category: Number(category.value),
      description: description.value.trim(),
      variants: existing
        ? existing.variants.filter((v) => v.active)
        : rows.values().map((r) => {
            const p = parseAmount(r.price, currency, "price");
            return {
              label: r.label.trim() || "?",
              price: p.ok ? p.value : null,
              stock: Number(r.stock || 0),
            };
          }),
      pictures: images.previews(),
    });
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
    const file = downloadBox.hidden ? undefined : downloadFile.files?.[0];
    const unchanged =
      existing !== null &&
      !file &&
      description.value.trim() === meta.description.trim() &&
      images.cids().join() === meta.images.join();
    if (unchanged && existing) return existing.metadataCid;
    let download = meta.download;
    if (file) {
      const storeKey = bytes32ToBytes(staff.store.shippingKey);
      if (storeKey.every((b) => b === 0)) {
        problem("Set the store's shipping key first (Store settings): the download's key is sealed to it.");
        return null;
      }
      replace(status, h("p", { class: "tx-stage", text: `Encrypting and uploading ${file.name}…` }));
      const bytes = new Uint8Array(await file.arrayBuffer());
      download = await prepareDownload(bytes, file.name.slice(-100), storeKey, (ciphertext) =>
        addFile(target, ciphertext, "download.bin", "application/octet-stream"),
      );
    }
    replace(status, h("p", { class: "tx-stage", text: "Uploading the product details to IPFS…" }));
    return uploadJson(
      target,
      productMetadata({ description: description.value, images: images.cids(), details: meta.details, download }),
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
          const variants = checkVariants(rows.values(), currency);
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
    showAdmin();
    updatePreview();
  };

  // ── existing products: variants and on-sale state, each saved on its own (./product-admin.ts) ──
  const variantsBox = h("div");
  const activeBox = h("div");
  const dropBox = h("div");
  const showAdmin = () => {
    if (!existing) return;
    const admin = { app, product: existing, currency, onSaved: reloadExisting };
    replace(variantsBox, variantsSection(admin));
    replace(activeBox, saleSection(admin));
    replace(dropBox, dropSection(admin), existing.category === TICKET_CATEGORY ? doorLink(staff.store.id) : null);
  };
  if (!existing) {
    rows.add();
  }
  const addVariantButton = button(
    "Add a variant",
    () => {
      if (rows.count() >= LIMITS.variants) return problem(`A product can have at most ${LIMITS.variants} variants.`);
      rows.add().focus();
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
        ? field("Description", description, [
            "Plain text; line breaks are kept. ",
            charCounter(description, LIMITS.description),
          ])
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
            h("label", {
              attrs: { for: digital.id },
              text: "Digital product (a download or a ticket: delivered encrypted to the fan, no shipping address)",
            }),
          ),
      app.manifest.ipfsUpload ? downloadBox : null,
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
          rows.el,
          addVariantButton,
        ),
    status,
    submit,
  ]);

  showAdmin();
  updatePreview();
  showDownload();
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
      h(
        "div",
        { class: "editor-layout" },
        h("div", { class: "editor-main" }, form, variantsBox, dropBox, activeBox),
        preview,
      ),
    ),
  };
}
