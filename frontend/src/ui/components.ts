// Shared pieces of the storefront: cards, prices, badges, notices, IPFS images, error boxes.
import type { App } from "../app.ts";
import { averageRating, isSoldOut, priceRange } from "../client/catalog.ts";
import type { Chain } from "../client/chain.ts";
import type { FanError } from "../client/errors.ts";
import { formatAmount } from "../client/format.ts";
import { MAX_IMAGE_BYTES, sniffImageType } from "../client/ipfs.ts";
import type { Currency } from "../client/manifest.ts";
import { withoutBidiControls } from "../client/names.ts";
import { ARBITER_WINDOW, CATEGORIES, DAY, type Product, type Store, type Variant } from "../client/protocol.ts";
import { arbiterIsStore, arbiterIsStoreWallet } from "../client/terms.ts";
import { carrierLink } from "../client/tracking.ts";
import { routes } from "../urls.ts";
import { type Child, externalLink, h, link } from "./dom.ts";

export function priceText(app: App, product: Product, store?: Store): string {
  return priceRangeText(product, app.currency(store?.currency ?? storeCurrency(product))) ?? "Unavailable";
}

/** Products carry no currency; their store does. Pages prime this map from the stores they load. */
const productCurrency = new Map<string, string>();
export function rememberStoreCurrencies(stores: readonly Store[]): void {
  for (const s of stores) productCurrency.set(s.id.toString(), s.currency);
}
function storeCurrency(product: Product): string {
  return productCurrency.get(product.storeId.toString()) ?? "0x0000000000000000000000000000000000000000";
}

/** "4.5 · 12 reviews", "4.0 · 1 review": an average, and how many reviews it is the average of. */
export function ratingText(rating: number, count: number): string {
  return `${rating.toFixed(1)} · ${count} ${count === 1 ? "review" : "reviews"}`;
}

/**
 * The stars of an average rating with its count, or (`count` null) of one review's own rating, which needs no count.
 */
export function stars(rating: number | null, count: number | null): HTMLElement {
  if (rating === null) return h("span", { class: "rating muted", text: "No reviews yet" });
  const rounded = Math.round(rating * 2) / 2;
  const label =
    count === null
      ? `Rated ${rating} out of 5`
      : `Rated ${rating.toFixed(1)} out of 5 from ${count} ${count === 1 ? "review" : "reviews"}`;
  return h(
    "span",
    { class: "rating", attrs: { role: "img", "aria-label": label } },
    h("span", { class: "stars", attrs: { "aria-hidden": "true" } }, "★".repeat(Math.round(rounded)).padEnd(5, "☆")),
    count === null
      ? null
      : h("span", { class: "muted", attrs: { "aria-hidden": "true" }, text: ` ${ratingText(rating, count)}` }),
  );
}

export function officialBadge(store: Store): HTMLElement | null {
  if (!store.official) return null;
  const badge = h(
    "span",
    { class: "badge official", attrs: { title: "Verified as the artist's official store" } },
    "✓ Official",
  );
  return badge;
}

/** The badge plus a link to the public evidence the verifier relied on. */
export function officialWithEvidence(store: Store): HTMLElement | null {
  const badge = officialBadge(store);
  if (!badge) return null;
  const evidence = store.officialEvidence;
  let proof: Child = null;
  if (/^https:\/\//.test(evidence)) proof = externalLink(evidence, "See the evidence");
  else if (evidence) proof = h("span", { class: "muted", text: `Evidence: ${evidence.slice(0, 100)}` });
  return h("span", { class: "official-line" }, badge, proof ? " " : null, proof);
}

export function unverifiedNotice(): HTMLElement {
  return h(
    "p",
    { class: "notice unverified", attrs: { role: "note" } },
    "This store is not verified as the artist's official store.",
  );
}

export function lookAlikeWarning(store: Store, official: Store): HTMLElement {
  return h(
    "div",
    { class: "notice danger lookalike", attrs: { role: "alert" } },
    h("strong", { text: "Careful: this may be an impostor. " }),
    `"${store.name}" looks like the name of the official store "${official.name}", but it is a different, unverified store. `,
    link(routes.store(official.id), null, `Go to the official ${official.name} store`),
    ".",
  );
}

export function categoryName(category: number): string {
  return CATEGORIES[category] ?? "Other";
}

// Images are verified bytes shown through blob: URLs, so `loading="lazy"` can't defer their download: the fetch
// itself waits until the box comes near the viewport. A catalog of two dozen cards then paints without competing
// with image downloads below the fold.
const NEAR_VIEWPORT = "400px";
let nearViewport: IntersectionObserver | null = null;
const onNearViewport = new WeakMap<Element, () => void>();

function whenNearViewport(el: Element, run: () => void): void {
  if (typeof IntersectionObserver === "undefined") {
    run();
    return;
  }
  nearViewport ??= new IntersectionObserver(
    (entries, observer) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        const start = onNearViewport.get(entry.target);
        onNearViewport.delete(entry.target);
        start?.();
      }
    },
    { rootMargin: NEAR_VIEWPORT },
  );
  onNearViewport.set(el, run);
  nearViewport.observe(el);
}

/**
 * An image from IPFS: a placeholder until verified bytes arrive, and stays a placeholder on any failure. Its
 * `data-image` says where it stands: "loading", then "shown", "refused" (the bytes are not a picture type the
 * dapp shows) or "failed" (no gateway served bytes matching the CID).
 */
export function ipfsImage(app: App, cid: string | null | undefined, alt: string, className = "media"): HTMLElement {
  const box = h("div", { class: `${className} placeholder`, attrs: { role: "img", "aria-label": alt } });
  box.append(
    h("span", { class: "placeholder-mark", attrs: { "aria-hidden": "true" }, text: alt.slice(0, 1).toUpperCase() }),
  );
  if (!cid) return box;
  box.dataset.image = "loading";
  whenNearViewport(box, () => loadInto(app, box, cid, alt));
  return box;
}

function loadInto(app: App, box: HTMLElement, cid: string, alt: string): void {
  app.ipfs
    .fetchBytes(cid, MAX_IMAGE_BYTES)
    .then((bytes) => {
      const type = sniffImageType(bytes);
      if (!type) {
        box.dataset.image = "refused";
        return;
      }
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
      const img = h("img", { attrs: { alt, decoding: "async" } });
      img.src = url;
      box.classList.remove("placeholder");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.replaceChildren(img);
      box.dataset.image = "shown";
    })
    .catch(() => {
      box.dataset.image = "failed";
    });
}

/** Below this many left, a variant says how many remain ("Only 2 left"). */
export const LOW_STOCK = 3;

/** The hint a variant's control carries: sold out, only a few left, or nothing. */
export function stockHint(v: Pick<Variant, "stock">, available = true): string | null {
  if (v.stock === 0 || !available) return "Sold out";
  return v.stock <= LOW_STOCK ? `Only ${v.stock} left` : null;
}

/** "From 0.01 ETH", "0.02 ETH", or null when no variant can be bought. */
export function priceRangeText(product: Product, currency: Pick<Currency, "symbol" | "decimals">): string | null {
  const range = priceRange(product);
  if (!range) return null;
  const text = formatAmount(range.min, currency);
  return range.varies ? `From ${text}` : text;
}

/**
 * A product as a card of the shop's grid. `linked: false` renders it without the link to its page (the seller's
 * live preview of a product not listed yet).
 */
export function productCard(
  app: App,
  product: Product,
  store: Store | undefined,
  imageCid: Promise<string | null>,
  options: { linked?: boolean; impostorOf?: Store } = {},
): HTMLElement {
  const media = h("div", { class: "card-media" });
  const soldOut = isSoldOut(product);
  imageCid.then((cid) => media.replaceChildren(ipfsImage(app, cid, product.name)));
  media.append(ipfsImage(app, null, product.name));
  const content = [
    h(
      "div",
      { class: "card-media-wrap" },
      media,
      soldOut ? h("span", { class: "badge sold-out", text: "Sold out" }) : null,
    ),
    h(
      "div",
      { class: "card-body" },
      h("h3", { class: "card-title", text: product.name }),
      store
        ? h(
            "p",
            { class: "card-store" },
            h("span", { text: store.name }),
            store.official ? " " : null,
            officialBadge(store),
          )
        : null,
      options.impostorOf ? lookAlikeBadge(options.impostorOf) : null,
      h("p", { class: "card-price", text: priceText(app, product, store) }),
      stars(averageRating(product), product.ratingCount),
    ),
  ];
  return h(
    "li",
    { class: "card product-card" },
    options.linked === false
      ? h("div", { class: "card-link" }, ...content)
      : link(routes.product(product.storeId, product.id), { class: "card-link" }, ...content),
  );
}

/**
 * The mark a card of an impostor store (or its product) carries wherever it is listed: the name imitates
 * `official`'s. The full warning is on the store's and the product's own pages (lookAlikeWarning).
 */
export function lookAlikeBadge(official: Store): HTMLElement {
  return h(
    "p",
    { class: "badge lookalike-badge" },
    h("span", { attrs: { "aria-hidden": "true" }, text: "⚠ " }),
    `Look-alike of ${official.name}, not the official store`,
  );
}

export function storeCard(
  app: App,
  store: Store,
  logo: Promise<string | null>,
  bio: Promise<string>,
  impostorOf?: Store,
): HTMLElement {
  const media = h("div", { class: "store-logo" }, ipfsImage(app, null, store.name, "logo"));
  logo.then((cid) => media.replaceChildren(ipfsImage(app, cid, store.name, "logo")));
  const bioEl = h("p", { class: "store-bio muted" });
  bio.then((text) => {
    // Cut by code points, so an emoji or other astral character is never split into a broken half.
    const chars = Array.from(withoutBidiControls(text));
    bioEl.textContent = chars.length > 140 ? `${chars.slice(0, 137).join("")}…` : chars.join("");
  });
  return h(
    "li",
    { class: "card store-card" },
    link(
      routes.store(store.id),
      { class: "card-link" },
      media,
      h(
        "div",
        { class: "card-body" },
        h(
          "h3",
          { class: "card-title" },
          h("span", { text: store.name }),
          store.official ? " " : null,
          officialBadge(store),
        ),
        impostorOf ? lookAlikeBadge(impostorOf) : null,
        bioEl,
        h("p", {
          class: "muted small",
          text: `${store.productCount} ${store.productCount === 1n ? "item" : "items"} · ${app.currency(store.currency).symbol}`,
        }),
      ),
    ),
  );
}

export function errorBox(error: FanError, onRetry?: () => void): HTMLElement {
  const box = h("div", { class: "notice danger", attrs: { role: "alert" } }, h("p", { text: error.message }));
  if (onRetry && error.retry) {
    const retry = h("button", { class: "btn secondary", attrs: { type: "button" }, text: "Retry" });
    retry.addEventListener("click", onRetry);
    box.append(retry);
  }
  return box;
}

export function spinner(label = "Loading…"): HTMLElement {
  return h(
    "div",
    { class: "loading", attrs: { role: "status" } },
    h("span", { class: "spin", attrs: { "aria-hidden": "true" } }),
    label,
  );
}

export function emptyState(title: string, body: Child, action?: HTMLElement): HTMLElement {
  return h("div", { class: "empty" }, h("h2", { text: title }), h("p", null, body), action ?? null);
}

export function skeletonGrid(count: number): HTMLElement {
  return h(
    "ul",
    { class: "grid", attrs: { "aria-hidden": "true" } },
    Array.from({ length: count }, () =>
      h(
        "li",
        { class: "card skeleton" },
        h("div", { class: "card-media-wrap" }),
        h("div", { class: "card-body" }, h("div", { class: "line" }), h("div", { class: "line short" })),
      ),
    ),
  );
}

/**
 * Makes `group` (role="radiogroup" of role="radio" buttons) behave like native radios: one Tab stop (the checked
 * radio, else the first enabled one), and the arrow keys move to the next or previous enabled radio and check it
 * (by clicking it). Returns the group.
 */
export function radioGroup(group: HTMLElement): HTMLElement {
  const radios = () =>
    Array.from(group.querySelectorAll<HTMLButtonElement>('[role="radio"]')).filter((r) => !r.disabled);
  const enabled = radios();
  const checked = enabled.find((r) => r.getAttribute("aria-checked") === "true") ?? enabled[0];
  for (const r of Array.from(group.querySelectorAll<HTMLElement>('[role="radio"]')))
    r.tabIndex = r === checked ? 0 : -1;
  group.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    const list = radios();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0 || list.length === 0) return;
    event.preventDefault();
    list[(at + step + list.length) % list.length]?.click();
  });
  return group;
}

/**
 * A padlock for headings about sealed addresses and keys: drawn by styles.css (.icon-lock, an SVG mask), so it
 * needs no emoji font and puts no <svg> element into the page.
 */
export function lockIcon(): HTMLElement {
  return h("span", { class: "icon icon-lock", attrs: { "aria-hidden": "true" } });
}

/** A tracking reference: a link to the carrier's tracking page when its format is a known carrier's, else text. */
export function trackingReference(reference: string): HTMLElement {
  const found = carrierLink(reference);
  if (!found) return h("span", { class: "tracking", text: reference });
  const a = externalLink(found.url, reference);
  a.className = "tracking";
  a.setAttribute("aria-label", `${reference}, track with ${found.carrier} (opens a new tab)`);
  return h("span", null, a, h("span", { class: "muted small", text: ` (${found.carrier})` }));
}

/**
 * The note fans see when a store settles its own disputes (client/terms.ts arbiterIsStore: owner, payout or a
 * manager). Hidden until the rule answers: at once for the owner or payout wallet, after one read for a manager.
 */
export function selfArbitrated(store: Store, chain: Pick<Chain, "read">): HTMLElement {
  const note = h("p", { class: "muted small self-arbitrated", attrs: { hidden: true } });
  const show = (yes: boolean) => {
    if (!yes) return;
    note.textContent = `This store settles its own disputes: its arbiter is the store's own wallet. If it hasn't ruled after ${ARBITER_WINDOW / DAY} days, you can claim everything back (sent to your wallet); until you claim, it can still rule.`;
    note.hidden = false;
  };
  if (arbiterIsStoreWallet(store)) show(true);
  else arbiterIsStore(chain, store).then(show, () => {});
  return note;
}
