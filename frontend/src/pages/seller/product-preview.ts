// The product editor's live preview: the shop's own product card (ui/components.ts productCard, priceRangeText)
// and a sketch of the product page, drawn from what the form holds right now.
import type { App } from "../../app.ts";
import type { Currency } from "../../client/manifest.ts";
import { CATEGORIES, type Product, type Store } from "../../client/protocol.ts";
import { ipfsImage, priceRangeText, productCard, stockHint } from "../../ui/components.ts";
import { h, replace } from "../../ui/dom.ts";

/** A variant as the form holds it: `price` is null while what is typed is not a price. */
export type PreviewVariant = { label: string; price: bigint | null; stock: number };
export type PreviewPicture = { cid: string | null; url: string | null };

export type PreviewInput = {
  store: Store;
  currency: Currency;
  name: string;
  category: number;
  description: string;
  variants: readonly PreviewVariant[];
  pictures: readonly PreviewPicture[];
};

/** The product as the shop would read it from the chain, with the variants that have a price. */
function draftProduct(input: PreviewInput): Product {
  return {
    id: 0n,
    storeId: input.store.id,
    category: input.category,
    active: true,
    digital: false,
    maxPerBuyer: 0,
    ratingCount: 0,
    ratingSum: 0n,
    lastReviewBlock: 0,
    name: input.name,
    metadataCid: "",
    variants: input.variants.flatMap((v, index) =>
      v.price === null
        ? []
        : [{ index, label: v.label, price: v.price, stock: v.stock, sold: 0, active: true, lastOrderBlock: 0 }],
    ),
  };
}

/** A picture of the form: a local preview while it uploads, else the IPFS image. */
function picture(app: App, p: PreviewPicture | undefined, alt: string, className: string): HTMLElement {
  if (!p)
    return h(
      "div",
      { class: `${className} placeholder`, attrs: { "aria-hidden": "true" } },
      h("span", { class: "placeholder-mark", text: alt.slice(0, 1).toUpperCase() }),
    );
  if (p.url) {
    const img = h("img", { class: className, attrs: { alt: "" } });
    img.src = p.url;
    return img;
  }
  return ipfsImage(app, p.cid, alt, className);
}

/** Redraws `el` from the form's current values. */
export function renderPreview(app: App, el: HTMLElement, input: PreviewInput): void {
  const name = input.name || "Product name";
  const product = { ...draftProduct(input), name };
  const [first] = input.pictures;
  const card = productCard(app, product, input.store, Promise.resolve(first?.cid ?? null), { linked: false });
  card.classList.add("preview-card");
  // A picture still uploading has no CID yet: the card shows the local copy meanwhile.
  if (first?.url) card.querySelector(".card-media")?.replaceChildren(picture(app, first, name, "media"));
  const price = card.querySelector(".card-price");
  price?.classList.add("preview-price");
  if (price) price.textContent = priceRangeText(product, input.currency) ?? "Set a price";
  replace(
    el,
    h("h2", { text: "Live preview" }),
    h("p", { class: "muted small", text: "How fans will see it in the shop." }),
    h("ul", { class: "preview-list" }, card),
    h(
      "div",
      { class: "preview-page" },
      input.pictures.length > 1
        ? h(
            "div",
            { class: "preview-thumbs" },
            input.pictures.map((p) => picture(app, p, name, "thumb")),
          )
        : null,
      h("h3", { class: "preview-name", text: name }),
      h("p", { class: "muted small", text: CATEGORIES[input.category] ?? "" }),
      h(
        "div",
        { class: "variant-buttons" },
        input.variants.map((v) =>
          h("span", {
            class: `variant${v.stock === 0 ? " sold-out" : ""}`,
            text: v.label,
            attrs: { title: stockHint(v) ?? "" },
          }),
        ),
      ),
      h("p", { class: "preview-description", text: input.description || "Your description appears here." }),
    ),
  );
}
