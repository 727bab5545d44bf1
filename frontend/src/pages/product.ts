// A product: gallery, price, variant picker with live stock, quantity, add to cart / buy now, description and
// details from IPFS, and reviews from verified buyers.

import { buyNowCart } from "../client/cart.ts";
import { averageRating, buyableVariants } from "../client/catalog.ts";
import { heldCode, rememberLinkedCode } from "../client/code-link.ts";
import { formatAmount, shortAddress } from "../client/format.ts";
import { HistoryUnavailableError } from "../client/log-refusal.ts";
import type { ProductMetadata } from "../client/metadata.ts";
import { impersonatedStore, withoutBidiControls } from "../client/names.ts";
import { loadReviews, type Review } from "../client/orders.ts";
import type { Product, Variant } from "../client/protocol.ts";
import { NotFound, type Page, type PageContext } from "../page.ts";
import { codeLinkNotice } from "../ui/code-link-notice.ts";
import {
  categoryName,
  ipfsImage,
  LOW_STOCK,
  lookAlikeWarning,
  officialWithEvidence,
  radioGroup,
  selfArbitrated,
  spinner,
  stars,
  stockHint,
  unverifiedNotice,
} from "../ui/components.ts";
import { button, h, link, replace, uid } from "../ui/dom.ts";
import { dropBox } from "../ui/drop-box.ts";
import { historyErrorBox, historyProgress } from "../ui/history.ts";
import { usdNote } from "../ui/usd.ts";
import { go, hashHref, routes } from "../urls.ts";

export default async function productPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const storeId = BigInt(ctx.params.storeId as string);
  const productId = BigInt(ctx.params.productId as string);
  const [store, initial, stores] = await Promise.all([
    app.chain.getStore(storeId),
    app.chain.getProduct(productId),
    app.stores(),
  ]);
  if (!store || !initial || initial.storeId !== storeId) throw new NotFound();
  let product: Product = initial;
  const currency = app.currency(store.currency);

  const gallery = h("div", { class: "gallery" }, ipfsImage(app, null, product.name, "media main-image"));
  const description = h("div", { class: "description" }, spinner("Loading the description…"));
  const details = h("dl", { class: "details" });
  const buyBox = h("div", { class: "buy-box" });
  const reviews = h("section", { class: "section reviews", attrs: { "aria-labelledby": "reviews-title" } });

  let selected: number | null = null;
  let quantity = 1;
  // A timed drop's countdown and a pre-order's ship date (ui/drop-box.ts); Buy opens when the drop does.
  // A link may carry a code (client/code-link.ts): kept for the checkout; one bound to this product opens its presale.
  const linked = rememberLinkedCode(app.manifest.chainId, app.manifest.merchstand, ctx.query);
  const presaleCode = heldCode(app.manifest.chainId, app.manifest.merchstand, ctx.query)?.code.productId === productId;
  const drop = dropBox(app, productId, ctx.signal, () => renderBuyBox(), presaleCode);

  const renderBuyBox = () => {
    const variants = product.variants.filter((v) => v.active);
    const buyable = buyableVariants(product);
    if (selected === null || !buyable.some((v) => v.index === selected && v.stock > 0)) {
      const first = buyable.find((v) => v.stock > 0);
      selected = first ? first.index : null;
    }
    const variant = selected === null ? undefined : product.variants[selected];
    const inCart = variant ? (app.cart.find(product.id.toString(), variant.index)?.quantity ?? 0) : 0;
    const maxQty = variant ? Math.max(0, Math.min(variant.stock - inCart, 99, product.maxPerBuyer || 99)) : 0;
    quantity = Math.min(Math.max(1, quantity), Math.max(1, maxQty));

    const legendId = uid("size");
    const picker = h(
      "fieldset",
      { class: "variants" },
      h("legend", { attrs: { id: legendId }, text: variants.length > 1 ? "Size / option" : "Option" }),
      radioGroup(
        h(
          "div",
          { class: "variant-buttons", attrs: { role: "radiogroup", "aria-labelledby": legendId } },
          variants.map((v) =>
            variantButton(v, v.index === selected, product.active, () => {
              selected = v.index;
              renderBuyBox();
              (buyBox.querySelector(`[data-variant="${v.index}"]`) as HTMLElement | null)?.focus();
            }),
          ),
        ),
      ),
    );
    const stockNote = !product.active
      ? h("p", { class: "stock muted", text: "No longer for sale." })
      : !variant
        ? h("p", { class: "stock sold", text: "Sold out." })
        : variant.stock <= LOW_STOCK
          ? h("p", { class: "stock low", text: `Only ${variant.stock} left` })
          : h("p", { class: "stock ok", text: "In stock" });

    const qtyId = uid("qty");
    const qtyInput = h("input", {
      attrs: {
        id: qtyId,
        type: "number",
        inputmode: "numeric",
        min: 1,
        max: Math.max(1, maxQty),
        value: quantity,
        disabled: maxQty === 0,
      },
    });
    qtyInput.addEventListener("change", () => {
      quantity = Math.max(1, Math.min(maxQty, Math.floor(Number(qtyInput.value) || 1)));
      renderBuyBox();
    });
    const stepper = h(
      "div",
      { class: "stepper" },
      h("label", { attrs: { for: qtyId }, text: "Quantity" }),
      h(
        "div",
        { class: "stepper-controls" },
        button(
          "−",
          () => {
            quantity--;
            renderBuyBox();
          },
          { class: "btn icon", attrs: { "aria-label": "One less", disabled: quantity <= 1 } },
        ),
        qtyInput,
        button(
          "+",
          () => {
            quantity++;
            renderBuyBox();
          },
          { class: "btn icon", attrs: { "aria-label": "One more", disabled: quantity >= maxQty } },
        ),
      ),
      product.maxPerBuyer ? h("p", { class: "muted small", text: `Limit ${product.maxPerBuyer} per fan.` }) : null,
      inCart > 0 ? h("p", { class: "muted small", text: `${inCart} already in your cart.` }) : null,
    );
    const add = (goToCart: boolean) => {
      if (!variant || maxQty === 0) return;
      const line = {
        storeId: store.id.toString(),
        productId: product.id.toString(),
        variant: variant.index,
        quantity,
        unitPrice: variant.price.toString(),
        currency: store.currency,
        productName: product.name,
        variantLabel: variant.label,
        digital: product.digital,
      };
      // Buy now checks out this line alone (pages/checkout.ts) and leaves the cart as it was.
      const buyNow = goToCart ? buyNowCart(app.manifest.chainId, app.manifest.merchstand) : null;
      if (buyNow) {
        buyNow.replace([line]);
        go(routes.checkout({ buyNow: true }));
        return;
      }
      app.cart.add(line);
      if (goToCart) go(routes.checkout());
      else {
        app.toast({ kind: "success", message: `Added ${quantity} × ${product.name} (${variant.label}) to your cart.` });
        renderBuyBox();
      }
    };
    const canBuy = Boolean(variant) && maxQty > 0 && !store.closed && drop.onSale();
    replace(
      buyBox,
      h(
        "p",
        { class: "price", text: variant ? formatAmount(variant.price, currency) : "" },
        variant ? usdNote(app, variant.price, currency) : null,
      ),
      drop.el,
      picker,
      stockNote,
      stepper,
      h(
        "div",
        { class: "actions" },
        button("Add to cart", () => add(false), { class: "btn", attrs: { disabled: !canBuy } }),
        button("Buy now", () => add(true), { class: "btn secondary", attrs: { disabled: !canBuy } }),
      ),
    );
  };

  const renderMetadata = (meta: ProductMetadata | null) => {
    if (!meta) {
      replace(description, h("p", { class: "muted", text: "No description available." }));
      return;
    }
    replace(
      description,
      meta.description
        ? meta.description.split(/\n{2,}/).map((p) => h("p", { text: p }))
        : h("p", { class: "muted", text: "No description." }),
    );
    replace(
      details,
      meta.details.map(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]),
    );
    if (meta.images.length > 0) renderGallery(meta.images);
  };
  const renderGallery = (images: string[]) => {
    const main = h("div", { class: "main-image-wrap" }, ipfsImage(app, images[0], product.name, "media main-image"));
    const thumbs =
      images.length > 1
        ? h(
            "div",
            { class: "thumbs", attrs: { role: "group", "aria-label": "Images" } },
            images.map((cid, i) =>
              button(
                ipfsImage(app, cid, `${product.name}, image ${i + 1}`, "media thumb"),
                () => replace(main, ipfsImage(app, cid, product.name, "media main-image")),
                {
                  class: "thumb-btn",
                  attrs: { "aria-label": `Show image ${i + 1}` },
                },
              ),
            ),
          )
        : null;
    replace(gallery, main, thumbs);
  };

  const renderReviews = async () => {
    const list = await loadReviews(app.chain, product.id, app.manifest.deploymentBlock, {
      // Reviews and their replies show as they are found, the progress line under them until the walk ends.
      onReviews: (found) => !ctx.signal.aborted && showReviews(found, reviewsProgress.el),
    });
    if (!ctx.signal.aborted) showReviews(list, null);
  };
  const showReviews = (list: Review[], more: HTMLElement | null) => {
    const avg = averageRating(product);
    replace(
      reviews,
      h("h2", { attrs: { id: "reviews-title" }, text: "Reviews" }),
      h("p", null, stars(avg, product.ratingCount)),
      list.length === 0
        ? h("p", { class: "muted", text: "No reviews yet. Only fans who received this item can review it." })
        : h(
            "ul",
            { class: "review-list" },
            list.map((r) =>
              h(
                "li",
                { class: "review" },
                h(
                  "div",
                  { class: "review-head" },
                  stars(r.rating, null),
                  h("span", { class: "badge verified", text: "Verified buyer" }),
                  h("span", { class: "muted small", text: shortAddress(r.reviewer) }),
                ),
                h("p", { class: "review-text", text: r.text }),
                r.reply
                  ? h("p", { class: "review-reply" }, h("strong", { text: `${store.name} replied: ` }), r.reply)
                  : null,
              ),
            ),
          ),
      more,
    );
  };

  renderBuyBox();
  if (product.metadataCid)
    app.productMeta(product.metadataCid).then((r) => !ctx.signal.aborted && renderMetadata(r.ok ? r.value : null));
  else renderMetadata(null);
  const reviewsProgress = historyProgress(app, "Loading reviews…");
  replace(reviews, h("h2", { attrs: { id: "reviews-title" }, text: "Reviews" }), reviewsProgress.el);
  renderReviews()
    .finally(reviewsProgress.stop)
    .catch((error) =>
      replace(
        reviews,
        h("h2", { text: "Reviews" }),
        h("p", { class: "muted", text: "Reviews couldn't be loaded right now." }),
        error instanceof HistoryUnavailableError ? historyErrorBox(app.explain(error)) : null,
      ),
    );
  const unsubscribe = app.cart.subscribe(renderBuyBox);

  const impostorOf = impersonatedStore(store, stores);
  const el = h(
    "div",
    { class: "product-page" },
    h(
      "nav",
      { class: "breadcrumb", attrs: { "aria-label": "Breadcrumb" } },
      link(routes.home(), null, "Stores"),
      " / ",
      link(routes.store(store.id), null, store.name),
      " / ",
      h("span", { attrs: { "aria-current": "page" }, text: product.name }),
    ),
    h(
      "div",
      { class: "product-layout" },
      gallery,
      h(
        "div",
        { class: "product-info" },
        h(
          "p",
          { class: "product-store" },
          link(routes.store(store.id), null, store.name),
          " ",
          officialWithEvidence(store),
        ),
        h("h1", { text: product.name }),
        h("p", {
          class: "muted small",
          text: `${categoryName(product.category)}${product.digital ? " · Digital download" : ""}`,
        }),
        h(
          "a",
          {
            class: "rating-link",
            attrs: { href: hashHref(routes.product(store.id, product.id)) },
            on: {
              click: (e) => {
                e.preventDefault();
                reviews.scrollIntoView();
              },
            },
          },
          stars(averageRating(product), product.ratingCount),
        ),
        store.official ? null : impostorOf ? lookAlikeWarning(store, impostorOf) : unverifiedNotice(),
        selfArbitrated(store, app.chain),
        codeLinkNotice(linked),
        buyBox,
        h("section", { class: "about" }, h("h2", { text: "About this item" }), description, details),
      ),
    ),
    reviews,
  );
  return {
    title: withoutBidiControls(product.name),
    el,
    refresh: async () => {
      const fresh = await app.chain.getProduct(productId);
      if (fresh && !ctx.signal.aborted) {
        product = fresh;
        renderBuyBox();
      }
    },
    dispose: unsubscribe,
  };
}

function variantButton(v: Variant, selected: boolean, productActive: boolean, onSelect: () => void): HTMLElement {
  const soldOut = v.stock === 0 || !productActive;
  const b = button(
    h("span", null, v.label, soldOut ? h("span", { class: "visually-hidden", text: " (sold out)" }) : null),
    onSelect,
    {
      class: `variant${selected ? " selected" : ""}${soldOut ? " sold-out" : ""}`,
      attrs: {
        role: "radio",
        "aria-checked": String(selected),
        disabled: soldOut,
        title: stockHint(v, !soldOut),
      },
      dataset: { variant: String(v.index) },
    },
  );
  return b;
}
