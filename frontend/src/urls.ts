// Every URL of the dapp, built and parsed in one place. Routes are hash paths (IPFS gateways have no server-side
// rewrites): `routes.*` build them, `parseHash` and `matchPath` read them back. Parsing never throws: a malformed
// URL (bad percent-encoding, an id that is not a decimal id) matches nothing and shows the not-found page.

import type { SortKey } from "./client/catalog.ts";

type Id = bigint | number | string;
/** A store page's filters and sort, kept in its URL so Back and a shared link show the same list. */
export type StoreFilters = { q?: string; category?: number | null; sort?: SortKey; inStock?: boolean };
export type SellerOrderFilter = "to-ship" | "shipped" | "disputed" | "completed" | "closed";

function withQuery(path: string, query: Record<string, string | number | bigint | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The hash path of each page (what `link` and `go` take). */
export const routes = {
  home: (search?: string) => withQuery("/", { q: search || undefined }),
  store: (storeId: Id, filters: StoreFilters = {}) =>
    withQuery(`/store/${storeId}`, {
      q: filters.q || undefined,
      category: filters.category ?? undefined,
      sort: filters.sort && filters.sort !== "featured" ? filters.sort : undefined,
      stock: filters.inStock ? "in" : undefined,
    }),
  product: (storeId: Id, productId: Id) => `/store/${storeId}/product/${productId}`,
  cart: () => "/cart",
  /** `buyNow`: the checkout of the product page's one Buy now line (pages/checkout.ts), not of the cart. */
  checkout: (options: { buyNow?: boolean } = {}) => withQuery("/checkout", { buy: options.buyNow ? "now" : undefined }),
  orders: () => "/orders",
  /**
   * `placed`: the orders one payment just placed (the order page's thank-you, pages/order.ts placedBanner). `block`:
   * the block of the order's OrderPlaced log, so a link opens on any device with one `eth_getLogs` of that block
   * (client/placed.ts findPlaced; read back by parseOrderBlock).
   */
  order: (orderId: Id, options: { placed?: readonly Id[]; block?: number } = {}) =>
    withQuery(`/orders/${orderId}`, {
      placed: options.placed?.length ? options.placed.join(",") : undefined,
      b: options.block,
    }),
  sell: () => "/sell",
  openStore: () => "/sell/new",
  sellerStore: (storeId: Id) => `/sell/store/${storeId}`,
  sellerProducts: (storeId: Id) => `/sell/store/${storeId}/products`,
  newProduct: (storeId: Id) => `/sell/store/${storeId}/products/new`,
  editProduct: (storeId: Id, productId: Id, options: { listed?: boolean } = {}) =>
    withQuery(`/sell/store/${storeId}/products/${productId}`, { listed: options.listed ? 1 : undefined }),
  sellerOrders: (storeId: Id, options: { filter?: SellerOrderFilter; order?: Id } = {}) =>
    withQuery(`/sell/store/${storeId}/orders`, options),
  managers: (storeId: Id) => `/sell/store/${storeId}/managers`,
  sellerReviews: (storeId: Id) => `/sell/store/${storeId}/reviews`,
  getVerified: (storeId: Id) => `/sell/store/${storeId}/verify`,
  sellerSales: (storeId: Id) => `/sell/store/${storeId}/sales`,
  importProducts: (storeId: Id) => `/sell/store/${storeId}/products/import`,
  shippingZones: (storeId: Id) => `/sell/store/${storeId}/zones`,
  storeCodes: (storeId: Id) => `/sell/store/${storeId}/codes`,
  arbiter: () => "/arbiter",
  verifier: () => "/verify",
  settings: () => "/settings",
  /** The door of a store's event (pages/door.ts): staff check tickets in. */
  door: (storeId: Id) => `/door/${storeId}`,
};

/** The `href` of a route. */
export function hashHref(route: string): string {
  return `#${route}`;
}

/** Opens a route (adds a history entry). */
export function go(route: string): void {
  location.hash = hashHref(route);
}

/** Shows a route without a history entry (a filter tab); the entry keeps its state (the saved scroll position). */
export function replaceRoute(route: string): void {
  history.replaceState(history.state, "", hashHref(route));
}

/**
 * The filters of a store page's URL query; anything unknown or malformed is left out (the default). The page passes
 * the number of categories and the sort keys (client/catalog.ts SORT_KEYS), so the first-load bundle needn't.
 */
export function parseStoreFilters(
  query: URLSearchParams,
  known: { categories: number; sorts: readonly SortKey[] },
): StoreFilters {
  const { categories } = known;
  const filters: StoreFilters = {};
  const q = query.get("q");
  if (q) filters.q = q;
  const category = query.get("category");
  if (category && /^\d{1,3}$/.test(category) && Number(category) < categories) filters.category = Number(category);
  const sort = query.get("sort");
  if (known.sorts.includes(sort as SortKey)) filters.sort = sort as SortKey;
  if (query.get("stock") === "in") filters.inStock = true;
  return filters;
}

/** `decodeURIComponent` that answers null for malformed percent-encoding instead of throwing URIError. */
export function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** Path and query of a location hash; `valid` is false when the URL is not well-formed percent-encoding. */
export function parseHash(hash: string): { path: string; query: URLSearchParams; valid: boolean } {
  const raw = hash.replace(/^#/, "") || "/";
  const [path = "/", query = ""] = raw.split("?", 2);
  // URLSearchParams replaces bad escapes with U+FFFD silently; a URL with one is malformed, not a search.
  const valid = safeDecode(path) !== null && query.split("&").every((pair) => safeDecode(pair) !== null);
  return {
    path: path.startsWith("/") ? path : `/${path}`,
    query: valid ? new URLSearchParams(query) : new URLSearchParams(),
    valid,
  };
}

/**
 * The params of `path` when it matches `pattern` (`/store/:storeId`), else null. Params ending in "Id" must be
 * decimal ids; a segment that is not well-formed percent-encoding matches nothing.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const parts = path.split("/").filter(Boolean);
  if (want.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (const [i, p] of want.entries()) {
    const v = safeDecode(parts[i] as string);
    if (v === null) return null;
    if (p.startsWith(":")) {
      if (p.endsWith("Id") && !/^[1-9]\d{0,19}$/.test(v)) return null;
      params[p.slice(1)] = v;
    } else if (p !== v) return null;
  }
  return params;
}

/** An order URL's `b` (routes.order `block`): the block number, null when absent, "malformed" when not one. */
export function parseOrderBlock(query: URLSearchParams): number | null | "malformed" {
  const b = query.get("b");
  if (b === null) return null;
  return /^\d{1,15}$/.test(b) ? Number(b) : "malformed";
}
