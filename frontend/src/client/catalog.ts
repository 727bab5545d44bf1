// Catalog reads in pages: each page is one `eth_call` (a page of 24 products is one request; all 1,000 products
// take 10 requests at 100 per page). Also the pure helpers pages use to show, filter, sort and search products.

import type { Chain } from "./chain.ts";
import { skeleton } from "./names.ts";
import { CATEGORIES, type Product, type Store, type Variant } from "./protocol.ts";

export const CATALOG_PAGE_SIZE = 24;
export const BULK_PAGE_SIZE = 100;

/** One page of all stores' products (page 0 = ids 1..pageSize): exactly one request. */
export async function loadCatalogPage(chain: Chain, page: number, pageSize = CATALOG_PAGE_SIZE) {
  const { products, total } = await chain.getProducts(page * pageSize, pageSize);
  return { products, total, pages: Math.ceil(total / pageSize) };
}

/** Every product: the first page tells the total, the rest are fetched in parallel. */
export async function loadAllProducts(chain: Chain, pageSize = BULK_PAGE_SIZE): Promise<Product[]> {
  const first = await chain.getProducts(0, pageSize);
  const rest: Promise<{ products: Product[] }>[] = [];
  for (let offset = pageSize; offset < first.total; offset += pageSize) rest.push(chain.getProducts(offset, pageSize));
  return [first.products, ...(await Promise.all(rest)).map((p) => p.products)].flat();
}

export async function loadAllStores(chain: Chain, pageSize = BULK_PAGE_SIZE): Promise<Store[]> {
  const first = await chain.getStores(0, pageSize);
  const rest: Promise<{ stores: Store[] }>[] = [];
  for (let offset = pageSize; offset < first.total; offset += pageSize) rest.push(chain.getStores(offset, pageSize));
  return [first.stores, ...(await Promise.all(rest)).map((p) => p.stores)].flat();
}

export async function loadStoreProducts(chain: Chain, storeId: bigint, pageSize = BULK_PAGE_SIZE): Promise<Product[]> {
  const first = await chain.getStoreProducts(storeId, 0, pageSize);
  const rest: Promise<{ products: Product[] }>[] = [];
  for (let offset = pageSize; offset < first.total; offset += pageSize) {
    rest.push(chain.getStoreProducts(storeId, offset, pageSize));
  }
  return [first.products, ...(await Promise.all(rest)).map((p) => p.products)].flat();
}

export function buyableVariants(product: Product): Variant[] {
  return product.active ? product.variants.filter((v) => v.active) : [];
}

export function isSoldOut(product: Product): boolean {
  return buyableVariants(product).every((v) => v.stock === 0);
}

/** The lowest price among buyable variants, and whether the variants differ (so the card says "from"). */
export function priceRange(product: Product): { min: bigint; varies: boolean } | null {
  const prices = buyableVariants(product).map((v) => v.price);
  if (prices.length === 0) return null;
  const min = prices.reduce((a, b) => (b < a ? b : a));
  return { min, varies: prices.some((p) => p !== min) };
}

export function averageRating(product: Product): number | null {
  return product.ratingCount > 0 ? Number(product.ratingSum) / product.ratingCount : null;
}

export const SORT_KEYS = ["featured", "price-asc", "price-desc", "rating", "newest"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type ProductFilter = {
  query?: string;
  category?: number | null;
  inStockOnly?: boolean;
  maxPrice?: bigint | null;
  sort?: SortKey;
};

export function filterProducts(products: Product[], filter: ProductFilter): Product[] {
  const words = filter.query ? searchWords(filter.query) : [];
  const out = products.filter((p) => {
    if (!p.active) return false;
    if (filter.category !== undefined && filter.category !== null && p.category !== filter.category) return false;
    if (filter.inStockOnly && isSoldOut(p)) return false;
    const range = priceRange(p);
    if (filter.maxPrice !== undefined && filter.maxPrice !== null && (!range || range.min > filter.maxPrice)) {
      return false;
    }
    if (words.length > 0 && !matchesAllWords(words, `${p.name} ${CATEGORIES[p.category] ?? ""}`)) return false;
    return true;
  });
  const price = (p: Product) => priceRange(p)?.min ?? 0n;
  const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  switch (filter.sort ?? "featured") {
    case "price-asc":
      return out.sort((a, b) => cmp(price(a), price(b)));
    case "price-desc":
      return out.sort((a, b) => cmp(price(b), price(a)));
    case "rating":
      return out.sort((a, b) => (averageRating(b) ?? 0) - (averageRating(a) ?? 0) || b.ratingCount - a.ratingCount);
    case "newest":
      return out.sort((a, b) => cmp(b.id, a.id));
    default:
      // Featured: in stock first, then listing order.
      return out.sort((a, b) => Number(isSoldOut(a)) - Number(isSoldOut(b)) || cmp(a.id, b.id));
  }
}

export type SearchHit =
  | { kind: "store"; store: Store; score: number }
  | { kind: "product"; product: Product; store: Store | undefined; score: number };

/**
 * A search word reduced to its stem, so simple inflections meet: "shirts" ~ "shirt", "hoodies" ~ "hoodie" ~
 * "hoody" (a final -ie/-y/-ies all become -i), "boxes" ~ "box", "signed" ~ "sign". Input is one skeleton word.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}i`;
  else if (w.length > 4 && /(s|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  else if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith("ie")) w = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith("y")) w = `${w.slice(0, -1)}i`;
  return w;
}

/** The stems of a text's words (split at spaces and punctuation, each folded like `skeleton`). */
export function searchWords(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}]+/u)
    .map((word) => stem(skeleton(word)))
    .filter((word) => word.length > 0);
}

/**
 * Whether every query word appears in `text`: as the start of one of its words ("owl" finds "Owls"), or inside
 * its run of letters ("tshirt" finds "T-Shirt").
 */
export function matchesAllWords(queryWords: readonly string[], text: string): boolean {
  if (queryWords.length === 0) return false;
  const words = searchWords(text);
  const run = skeleton(text);
  return queryWords.every((q) => words.some((w) => w.startsWith(q)) || run.includes(q));
}

/** Extra searchable text (metadata already loaded: a store's bio, a product's description and details). */
export type SearchText = { store?(store: Store): string; product?(product: Product): string };

/**
 * Searches stores and products: every word of the query must match somewhere in a product's name, its store's
 * name, its category or its loaded metadata (a store: its name and bio). Official stores (and their products) rank
 * first, so a fan searching for a band finds the band's own store before any store that copies its name; then
 * matches on the name itself before matches that needed the other fields.
 */
export function searchCatalog(query: string, stores: Store[], products: Product[], text: SearchText = {}): SearchHit[] {
  const q = skeleton(query);
  const words = searchWords(query);
  if (!q || words.length === 0) return [];
  const byId = new Map(stores.map((s) => [s.id, s]));
  /** How well `name` alone matches, or -1 when the name alone doesn't hold every word. */
  const nameScore = (name: string) => {
    const s = skeleton(name);
    if (s === q) return 100;
    if (s.startsWith(q)) return 50;
    return matchesAllWords(words, name) ? 30 : -1;
  };
  const score = (name: string, official: boolean, ...more: string[]) => {
    const own = nameScore(name);
    const s = own >= 0 ? own : matchesAllWords(words, [name, ...more].join(" ")) ? 10 : -1;
    return s < 0 ? -1 : (official ? 1000 : 0) + s;
  };
  const hits: SearchHit[] = [];
  for (const store of stores) {
    if (store.closed) continue;
    const s = score(store.name, store.official, text.store?.(store) ?? "");
    if (s >= 0) hits.push({ kind: "store", store, score: s + 1 });
  }
  for (const product of products) {
    if (!product.active) continue;
    const store = byId.get(product.storeId);
    if (store?.closed) continue;
    const official = store?.official ?? false;
    const s = Math.max(
      score(
        product.name,
        official,
        store?.name ?? "",
        CATEGORIES[product.category] ?? "",
        text.product?.(product) ?? "",
      ),
      store ? score(store.name, official) - 5 : -1,
    );
    if (s >= 0) hits.push({ kind: "product", product, store, score: s });
  }
  return hits.sort((a, b) => b.score - a.score);
}
