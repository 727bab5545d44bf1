// A store: banner, logo, bio and links from its metadata, the official badge or the unverified notice, and its
// products with category filter, search, availability and sort.

import { filterProducts, loadStoreProducts, SORT_KEYS, type SortKey } from "../client/catalog.ts";
import { rememberLinkedCode } from "../client/code-link.ts";
import { impersonatedStore, withoutBidiControls } from "../client/names.ts";
import { CATEGORIES, type Product, type Store } from "../client/protocol.ts";
import { NotFound, type Page, type PageContext } from "../page.ts";
import { codeLinkNotice } from "../ui/code-link-notice.ts";
import {
  emptyState,
  errorBox,
  ipfsImage,
  lookAlikeWarning,
  officialWithEvidence,
  selfArbitrated,
  skeletonGrid,
  unverifiedNotice,
} from "../ui/components.ts";
import { button, externalLink, h, replace, uid } from "../ui/dom.ts";
import { parseStoreFilters, replaceRoute, routes, type StoreFilters } from "../urls.ts";
import { productCards, retryWhenBackOnline } from "./shared.ts";

export default async function storePage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const storeId = BigInt(ctx.params.storeId as string);
  // The store, the store list (for the look-alike check) and the store's products are independent reads: all three
  // requests go out together, so the grid paints after one round trip instead of three.
  let prefetched: Promise<Product[]> | null = loadStoreProducts(app.chain, storeId);
  // Handled by load() below; without this, a missing store would also leave an unhandled rejection behind.
  prefetched.catch(() => {});
  const [store, stores] = await Promise.all([app.chain.getStore(storeId), app.stores()]);
  if (!store) throw new NotFound();

  const header = storeHeader(ctx, store, stores);
  const grid = h("ul", { class: "grid" });
  const results = h("div", { class: "results", attrs: { "aria-live": "polite" } }, skeletonGrid(6));
  let products: Product[] = [];

  const searchId = uid("store-search");
  const categoryId = uid("category");
  const sortId = uid("sort");
  const stockId = uid("stock");
  const search = h("input", {
    attrs: { id: searchId, type: "search", placeholder: "Search this store", autocomplete: "off" },
  });
  const category = h(
    "select",
    { attrs: { id: categoryId } },
    h("option", { attrs: { value: "" }, text: "All categories" }),
    CATEGORIES.map((c, i) => h("option", { attrs: { value: String(i) }, text: c })),
  );
  const sort = h(
    "select",
    { attrs: { id: sortId } },
    (
      [
        ["featured", "Featured"],
        ["price-asc", "Price, low to high"],
        ["price-desc", "Price, high to low"],
        ["rating", "Rating"],
        ["newest", "Newest"],
      ] as const
    ).map(([v, t]) => h("option", { attrs: { value: v }, text: t })),
  );
  const inStock = h("input", { attrs: { id: stockId, type: "checkbox" } });
  // The filters come from the URL and go back into it (replacing the entry), so Back from a product restores them.
  const initial = parseStoreFilters(ctx.query, { categories: CATEGORIES.length, sorts: SORT_KEYS });
  search.value = initial.q ?? "";
  category.value = initial.category === undefined || initial.category === null ? "" : String(initial.category);
  sort.value = initial.sort ?? "featured";
  inStock.checked = initial.inStock ?? false;
  const current = (): StoreFilters => ({
    q: search.value.trim(),
    category: category.value === "" ? null : Number(category.value),
    sort: sort.value as SortKey,
    inStock: inStock.checked,
  });
  const filters = h(
    "div",
    { class: "filters", attrs: { role: "group", "aria-label": "Filter and sort" } },
    h("div", { class: "field" }, h("label", { attrs: { for: searchId }, text: "Search" }), search),
    h("div", { class: "field" }, h("label", { attrs: { for: categoryId }, text: "Category" }), category),
    h("div", { class: "field" }, h("label", { attrs: { for: sortId }, text: "Sort by" }), sort),
    h("div", { class: "field check" }, inStock, h("label", { attrs: { for: stockId }, text: "In stock only" })),
  );

  const render = () => {
    const filters = current();
    const shown = filterProducts(products, {
      query: filters.q,
      category: filters.category,
      inStockOnly: filters.inStock,
      sort: filters.sort,
    });
    if (products.filter((p) => p.active).length === 0) {
      replace(results, emptyState("Nothing for sale yet", "This store hasn't listed any merch yet."));
      return;
    }
    if (shown.length === 0) {
      const clear = button(
        "Clear filters",
        () => {
          search.value = "";
          category.value = "";
          inStock.checked = false;
          sort.value = "featured";
          changed();
        },
        { class: "btn secondary" },
      );
      replace(results, emptyState("No matching items", "Nothing in this store matches these filters.", clear));
      return;
    }
    replace(grid, productCards(app, shown, stores));
    replace(
      results,
      h("p", { class: "muted small", text: `${shown.length} ${shown.length === 1 ? "item" : "items"}` }),
      grid,
    );
  };
  const changed = () => {
    if (!ctx.signal.aborted) replaceRoute(routes.store(storeId, current()));
    render();
  };
  for (const control of [search, category, sort, inStock]) control.addEventListener("input", changed);

  const load = async () => {
    const pending = prefetched ?? loadStoreProducts(app.chain, storeId);
    prefetched = null;
    products = await pending;
    if (!ctx.signal.aborted) render();
  };
  const failed = (error: unknown) => {
    if (ctx.signal.aborted) return;
    const fan = app.explain(error);
    const again = () => {
      cancel();
      replace(results, skeletonGrid(6));
      load().catch(failed);
    };
    const cancel = fan.retry ? retryWhenBackOnline(app, ctx.signal, again) : () => {};
    replace(results, errorBox(fan, again));
  };
  load().catch(failed);

  return {
    title: withoutBidiControls(store.name),
    el: h(
      "div",
      { class: "store-page" },
      header,
      h("section", { class: "section" }, h("h2", { class: "visually-hidden", text: "Merch" }), filters, results),
    ),
    refresh: () => load().catch(() => {}),
  };
}

function storeHeader(ctx: PageContext, store: Store, stores: Store[]): HTMLElement {
  const { app } = ctx;
  const banner = h("div", { class: "store-banner" });
  const logo = h("div", { class: "store-logo large" }, ipfsImage(app, null, store.name, "logo"));
  // `data-metadata` says when the store's metadata has settled: "shown", or "refused" when it failed its checks.
  const bio = h("p", { class: "store-bio" });
  const links = h("ul", { class: "store-links" });
  if (store.metadataCid) {
    bio.dataset.metadata = "loading";
    app.storeMeta(store.metadataCid).then((r) => {
      bio.dataset.metadata = r.ok ? "shown" : "refused";
      if (!r.ok) return;
      if (r.value.banner)
        banner.replaceChildren(ipfsImage(app, r.value.banner, `${store.name} banner`, "banner-image"));
      if (r.value.logo) logo.replaceChildren(ipfsImage(app, r.value.logo, store.name, "logo"));
      bio.textContent = withoutBidiControls(r.value.bio);
      replace(
        links,
        r.value.links.map((l) => h("li", null, externalLink(l.url, l.label))),
      );
    });
  }
  const impostorOf = impersonatedStore(store, stores);
  return h(
    "header",
    { class: "store-header" },
    banner,
    h(
      "div",
      { class: "store-id" },
      logo,
      h(
        "div",
        null,
        h("h1", { text: store.name }),
        officialWithEvidence(store),
        selfArbitrated(store, ctx.app.chain),
        store.closed ? h("p", { class: "notice", text: "This store has closed and takes no new orders." }) : null,
        // A link may carry a discount or presale code (client/code-link.ts): kept for the checkout.
        codeLinkNotice(rememberLinkedCode(app.manifest.chainId, app.manifest.merchstand, ctx.query)),
        bio,
        links,
      ),
    ),
    store.official ? null : impostorOf ? lookAlikeWarning(store, impostorOf) : unverifiedNotice(),
  );
}
