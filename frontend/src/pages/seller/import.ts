// Bulk listing from a Shopify product export: the file is read in this browser (client/shopify-csv.ts), the preview
// shows every product with its variants and every bad row with its column and why, and "List" sends one
// listProduct per good product, all its variants in it (the contract has no multi-product call). A product with a
// bad row is never listed in part; products already listed from this preview are not sent twice on a retry.
import { formatAmount } from "../../client/format.ts";
import { listedProductId } from "../../client/history.ts";
import { productMetadata } from "../../client/metadata.ts";
import { CATEGORIES } from "../../client/protocol.ts";
import { listProductTx } from "../../client/seller-actions.ts";
import { type ImportPlan, type ImportProduct, planShopifyImport, SHOPIFY_COLUMNS } from "../../client/shopify-csv.ts";
import { UploadError, uploadJson } from "../../client/upload.ts";
import type { Page, PageContext } from "../../page.ts";
import { button, h, link, replace, uid } from "../../ui/dom.ts";
import { routes } from "../../urls.ts";
import "./tools.css";
import { loadStoreForStaff, notStaffNotice, runTx, type StaffContext, storeHeader } from "./shared.ts";

/** Files bigger than this are refused before reading (a 1,000-product export is about 1 MB). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export default async function importPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const staff: StaffContext = await loadStoreForStaff(ctx);
  const { currency } = staff;
  const preview = h("div", { class: "import-preview" });
  const fileId = uid("csv");
  const file = h("input", { attrs: { id: fileId, type: "file", accept: ".csv,text/csv", name: "shopify-csv" } });
  const fileStatus = h("p", { class: "muted small", attrs: { "aria-live": "polite" } });
  /** Handles listed from the current file, so a retry after a failure lists only the rest. */
  const listed = new Map<string, bigint | null>();

  const read = async (picked: File | undefined) => {
    if (!picked) return;
    listed.clear();
    if (picked.size > MAX_FILE_BYTES) {
      replace(preview, danger(`The file is ${Math.ceil(picked.size / 1024 / 1024)} MB; at most 5 MB is read.`));
      return;
    }
    fileStatus.textContent = `Reading ${picked.name}…`;
    const plan = planShopifyImport(await picked.text(), currency);
    fileStatus.textContent = `${picked.name}: ${plan.rowCount} row(s) read.`;
    showPlan(plan);
  };
  file.addEventListener("change", () => void read(file.files?.[0]));
  const drop = h(
    "div",
    { class: "import-drop" },
    h("label", { attrs: { for: fileId }, text: "Shopify product export (CSV)" }),
    " ",
    file,
    h("p", { class: "muted small", text: "Or drop the file here." }),
    fileStatus,
  );
  drop.addEventListener("dragover", (event) => event.preventDefault());
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    void read(event.dataTransfer?.files[0]);
  });

  const showPlan = (plan: ImportPlan) => {
    const status = h("div", { class: "form-status", attrs: { "aria-live": "assertive" } });
    const results = new Map<string, HTMLElement>();
    const count = plan.products.length;
    const listButton = button(`List ${count} product${count === 1 ? "" : "s"}`, () => void listAll(), {
      class: "btn",
      attrs: { disabled: count === 0 || !staff.role },
    });
    const listAll = async () => {
      listButton.disabled = true;
      const todo = plan.products.filter((p) => !listed.has(p.handle));
      for (const [i, p] of todo.entries()) {
        const result = results.get(p.handle);
        const step = todo.length > 1 ? `Step ${i + 1} of ${todo.length}: ` : "";
        let cid = "";
        try {
          if (app.manifest.ipfsUpload) {
            replace(
              status,
              h("p", { class: "tx-stage", text: `${step}uploading the details of "${p.name}" to IPFS…` }),
            );
            cid = await uploadJson(
              app.manifest.ipfsUpload,
              productMetadata({ description: p.description, images: p.images, details: p.details }),
            );
          }
        } catch (error) {
          replace(status, danger(error instanceof UploadError ? error.message : app.explain(error).message));
          listButton.disabled = false;
          return;
        }
        const request = listProductTx(
          staff.store.id,
          { name: p.name, metadataCid: cid, category: p.category, maxPerBuyer: 0, digital: p.digital },
          p.variants,
        );
        const receipt = await runTx(
          app,
          status,
          {
            ...request,
            what: `${step}${request.what} with ${p.variants.length} variant${p.variants.length === 1 ? "" : "s"}`,
          },
          { done: `"${p.name}" is listed.`, errorContext: { currency } },
        );
        if (!receipt) {
          if (result) result.textContent = "Not listed: see the message above. Press List again to retry the rest.";
          listButton.disabled = false;
          return;
        }
        const id = listedProductId(receipt.logs);
        listed.set(p.handle, id);
        if (result)
          replace(
            result,
            "Listed",
            id === null ? null : [" as ", link(routes.editProduct(staff.store.id, id), null, `product #${id}`)],
            ".",
          );
      }
      replace(
        status,
        h("p", {
          class: "notice ok",
          attrs: { role: "status" },
          text: `Done: ${listed.size} product${listed.size === 1 ? "" : "s"} listed, one transaction each.`,
        }),
      );
    };

    replace(
      preview,
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "import-summary" } },
        h("h2", { attrs: { id: "import-summary" }, text: "Preview" }),
        h("p", {
          class: "import-summary",
          text: `${count} product${count === 1 ? "" : "s"} ready to list, in ${count} transaction${count === 1 ? "" : "s"}: one listProduct per product with all its variants, the fewest the contract allows.`,
        }),
        plan.rejected.length
          ? h("p", {
              class: "notice danger",
              text: `${plan.rejected.length} product${plan.rejected.length === 1 ? " has" : "s have"} bad rows and will not be listed (no product is listed in part): ${plan.rejected.map((r) => r.handle).join(", ")}. Fix the rows below and choose the file again.`,
            })
          : null,
        plan.skipped.length
          ? h(
              "ul",
              { class: "import-skipped muted small" },
              plan.skipped.map((s) => h("li", { text: `Row ${s.row}, ${s.handle}: not listed. ${s.reason}` })),
            )
          : null,
      ),
      plan.errors.length ? errorTable(plan) : null,
      plan.products.length
        ? h(
            "ul",
            { class: "import-products seller-product-list" },
            plan.products.map((p) => {
              const result = h("p", { class: "import-result", attrs: { "aria-live": "polite" } });
              results.set(p.handle, result);
              return productCard(p, result);
            }),
          )
        : null,
      staff.role ? null : notStaffNotice(app, staff.store),
      app.manifest.ipfsUpload
        ? null
        : h("p", {
            class: "notice",
            text: "Uploads are turned off in this build: products are listed without a description or pictures.",
          }),
      status,
      listButton,
    );
  };

  const productCard = (p: ImportProduct, result: HTMLElement) =>
    h(
      "li",
      { class: "card import-product", dataset: { handle: p.handle } },
      h("h3", { class: "card-title", text: p.name }),
      h("p", {
        class: "muted small",
        text: `${p.handle} · rows ${p.rows.join(", ")} · ${CATEGORIES[p.category] ?? "Other"}${p.digital ? " · digital" : ""} · ${p.images.length} IPFS picture(s)`,
      }),
      h(
        "table",
        { class: "variant-table" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["Variant", `Price (${currency.symbol})`, "Stock"].map((t) =>
              h("th", { attrs: { scope: "col" }, text: t }),
            ),
          ),
        ),
        h(
          "tbody",
          null,
          p.variants.map((v) =>
            h(
              "tr",
              null,
              h("td", { text: v.label }),
              h("td", { text: formatAmount(v.price, currency) }),
              h("td", { text: String(v.stock) }),
            ),
          ),
        ),
      ),
      p.description
        ? h("p", {
            class: "small import-description",
            text: `${Array.from(p.description).slice(0, 200).join("")}${p.description.length > 200 ? "…" : ""}`,
          })
        : null,
      p.warnings.length
        ? h(
            "ul",
            { class: "import-warnings small" },
            p.warnings.map((w) => h("li", { text: w })),
          )
        : null,
      result,
    );

  const errorTable = (plan: ImportPlan) =>
    h(
      "section",
      { class: "section import-errors", attrs: { "aria-labelledby": "import-errors-title" } },
      h("h2", {
        attrs: { id: "import-errors-title" },
        text: `${plan.errors.length} problem${plan.errors.length === 1 ? "" : "s"} in the file`,
      }),
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "variant-table", attrs: { role: "alert" } },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              ["Row", "Column", "Product", "Problem"].map((t) => h("th", { attrs: { scope: "col" }, text: t })),
            ),
          ),
          h(
            "tbody",
            null,
            plan.errors.map((e) =>
              h(
                "tr",
                { class: "import-error", dataset: { row: String(e.row) } },
                h("td", { text: String(e.row) }),
                h("td", { text: e.column }),
                h("td", { text: e.handle }),
                h("td", { text: e.message }),
              ),
            ),
          ),
        ),
      ),
    );

  return {
    title: `Import products · ${staff.store.name}`,
    el: h(
      "div",
      { class: "seller-page seller-import" },
      storeHeader(staff, "products"),
      h("h2", { class: "editor-title", text: "Import products from a Shopify CSV" }),
      h("p", {
        class: "lead",
        text: `Export your products from Shopify (Products → Export → CSV for Excel, Numbers or other spreadsheet programs) and choose the file. Rows that share a Handle are one product and its variants. Prices are read as ${currency.symbol}, this store's currency: check them in the preview. Nothing is sent until you press List.`,
      }),
      h(
        "details",
        { class: "small" },
        h("summary", { text: "Which columns are read" }),
        h("p", {
          text: `${Object.values(SHOPIFY_COLUMNS).join(", ")}. Body (HTML) becomes plain text (no markup, scripts or images survive). Image Src links to IPFS become pictures; https links are kept as text in the details and not downloaded from the other site: upload those pictures from the product editor. A product without any variant that requires shipping is listed as digital. Drafts, archived and unpublished products are skipped.`,
        }),
      ),
      drop,
      preview,
    ),
  };
}

function danger(text: string): HTMLElement {
  return h("p", { class: "notice danger", attrs: { role: "alert" }, text });
}
