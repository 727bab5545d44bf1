// Home: the bands' stores (official first) and the latest merch; with ?q= it shows search results instead.
import { loadAllProducts, loadCatalogPage, searchCatalog } from "../client/catalog.ts";
import { withoutBidiControls } from "../client/names.ts";
import type { Page, PageContext } from "../page.ts";
import { emptyState, errorBox, skeletonGrid } from "../ui/components.ts";
import { button, h, link, replace } from "../ui/dom.ts";
import { routes } from "../urls.ts";
import { officialFirst, productCards, retryWhenBackOnline, storeCards } from "./shared.ts";

export default function home(ctx: PageContext): Page {
  const query = ctx.query.get("q")?.trim() ?? "";
  return query ? searchPage(ctx, query) : landing(ctx);
}

function landing(ctx: PageContext): Page {
  const { app } = ctx;
  const storesList = h("ul", { class: "grid stores" });
  const productsList = h("ul", { class: "grid" });
  const storesSection = h(
    "section",
    { class: "section", attrs: { "aria-labelledby": "stores-title" } },
    h("h2", { attrs: { id: "stores-title" }, text: "Bands & stores" }),
    skeletonGrid(3),
  );
  const productsSection = h(
    "section",
    { class: "section", attrs: { "aria-labelledby": "latest-title" } },
    h("h2", { attrs: { id: "latest-title" }, text: "Latest merch" }),
    skeletonGrid(8),
  );
  const more = h("div", { class: "more" });
  let page = 0;

  // The stores and a page of products are independent reads: both requests go out together, so the catalog paints
  // after one round trip instead of two. Cards need the stores (names, badges, currency); app.stores() is cached
  // per block, so the store list below shares this same request.
  const loadMore = async () => {
    const [stores, result] = await Promise.all([app.stores(), loadCatalogPage(app.chain, page)]);
    if (ctx.signal.aborted) return;
    productsList.append(
      ...productCards(
        app,
        result.products.filter((p) => p.active),
        stores,
      ),
    );
    page++;
    replace(
      more,
      page < result.pages ? button("Show more", () => void loadMore().catch(fail), { class: "btn secondary" }) : null,
    );
  };
  const fail = (error: unknown) => {
    if (ctx.signal.aborted) return;
    const fan = app.explain(error);
    const again = () => {
      cancel();
      page = 0;
      replace(productsList);
      replace(more);
      replace(productsSection, h("h2", { attrs: { id: "latest-title" }, text: "Latest merch" }), skeletonGrid(8));
      loadProducts().catch(fail);
    };
    const cancel = fan.retry ? retryWhenBackOnline(app, ctx.signal, again) : () => {};
    replace(productsSection, h("h2", { attrs: { id: "latest-title" }, text: "Latest merch" }), errorBox(fan, again));
  };

  const loadStores = async () => {
    const all = await app.stores();
    const stores = officialFirst(all.filter((s) => !s.closed));
    if (ctx.signal.aborted) return;
    replace(storesList, storeCards(app, stores, all));
    replace(
      storesSection,
      h("h2", { attrs: { id: "stores-title" }, text: "Bands & stores" }),
      stores.length
        ? storesList
        : emptyState("No stores yet", "Artists haven't opened any stores on this network yet."),
    );
  };
  const loadProducts = async () => {
    await loadMore();
    if (ctx.signal.aborted) return;
    if (productsList.childElementCount === 0 && more.childElementCount === 0)
      replace(
        productsSection,
        h("h2", { text: "Latest merch" }),
        emptyState("No merch yet", "Nothing is listed yet. Check back soon."),
      );
    else replace(productsSection, h("h2", { attrs: { id: "latest-title" }, text: "Latest merch" }), productsList, more);
  };
  const storesFailed = (error: unknown) => {
    if (ctx.signal.aborted) return;
    const fan = app.explain(error);
    const again = () => {
      cancel();
      replace(storesSection, h("h2", { attrs: { id: "stores-title" }, text: "Bands & stores" }), skeletonGrid(3));
      loadStores().catch(storesFailed);
    };
    const cancel = fan.retry ? retryWhenBackOnline(app, ctx.signal, again) : () => {};
    replace(storesSection, h("h2", { attrs: { id: "stores-title" }, text: "Bands & stores" }), errorBox(fan, again));
  };
  loadStores().catch(storesFailed);
  loadProducts().catch(fail);

  const el = h(
    "div",
    { class: "home" },
    h(
      "section",
      { class: "hero" },
      h("h1", { text: "Merch straight from the artists" }),
      h("p", {
        text: "Pay into escrow on-chain: the band gets paid when you confirm you received your order (or, once the dispute window after delivery has ended, when anyone releases it), and you can cancel for a full refund if it doesn't ship in time. Your address is encrypted so only the band can read it.",
      }),
    ),
    storesSection,
    productsSection,
  );
  // The router keeps this page on screen until the next one has its data; its cards must not take clicks meanwhile
  // (a click meant for the next page's first card would land on this one's).
  ctx.signal.addEventListener("abort", () => {
    el.inert = true;
  });
  return { title: "Official band merch", el };
}

function searchPage(ctx: PageContext, query: string): Page {
  const { app } = ctx;
  const results = h("div", { class: "results" }, skeletonGrid(4));
  const run = async () => {
    const [stores, products] = await Promise.all([app.stores(), loadAllProducts(app.chain)]);
    if (ctx.signal.aborted) return;
    const hits = searchCatalog(query, stores, products, app.loadedMetadataText());
    const storeHits = hits.flatMap((hit) => (hit.kind === "store" ? [hit.store] : []));
    const productHits = hits.flatMap((hit) => (hit.kind === "product" ? [hit.product] : []));
    if (hits.length === 0) {
      replace(
        results,
        emptyState(
          `Nothing found for "${query}"`,
          "Check the spelling, or browse all stores.",
          link(routes.home(), { class: "btn secondary" }, "Browse all stores"),
        ),
      );
      return;
    }
    replace(
      results,
      storeHits.length
        ? h(
            "section",
            { class: "section" },
            h("h2", { text: "Stores" }),
            h("ul", { class: "grid stores" }, storeCards(app, storeHits, stores)),
          )
        : null,
      productHits.length
        ? h(
            "section",
            { class: "section" },
            h("h2", { text: "Merch" }),
            h("ul", { class: "grid" }, productCards(app, productHits, stores)),
          )
        : null,
    );
  };
  const failed = (error: unknown) => {
    if (ctx.signal.aborted) return;
    const fan = app.explain(error);
    const again = () => {
      cancel();
      replace(results, skeletonGrid(4));
      run().catch(failed);
    };
    const cancel = fan.retry ? retryWhenBackOnline(app, ctx.signal, again) : () => {};
    replace(results, errorBox(fan, again));
  };
  run().catch(failed);
  return {
    title: `Search: ${withoutBidiControls(query)}`,
    el: h("div", { class: "search-page" }, h("h1", null, "Results for ", h("q", { text: query })), results),
  };
}
