// Small page-level helpers shared by several pages (data joins, not UI pieces).
import type { App } from "../app.ts";
import type { Product, Store } from "../client/abi.ts";
import { productCard, rememberStoreCurrencies, storeCard } from "../ui/components.ts";

export function firstImage(app: App, product: Product): Promise<string | null> {
  if (!product.metadataCid) return Promise.resolve(null);
  return app.productMeta(product.metadataCid).then((r) => (r.ok ? (r.value.images[0] ?? null) : null));
}

export function storeLogo(app: App, store: Store): Promise<string | null> {
  if (!store.metadataCid) return Promise.resolve(null);
  return app.storeMeta(store.metadataCid).then((r) => (r.ok ? r.value.logo : null));
}

export function storeBio(app: App, store: Store): Promise<string> {
  if (!store.metadataCid) return Promise.resolve("");
  return app.storeMeta(store.metadataCid).then((r) => (r.ok ? r.value.bio : ""));
}

export function productCards(app: App, products: Product[], stores: Store[]): HTMLElement[] {
  rememberStoreCurrencies(stores);
  const byId = new Map(stores.map((s) => [s.id, s]));
  return products.map((p) => productCard(app, p, byId.get(p.storeId), firstImage(app, p)));
}

export function storeCards(app: App, stores: Store[]): HTMLElement[] {
  return stores.map((s) => storeCard(app, s, storeLogo(app, s), storeBio(app, s)));
}

/** Official stores first, then by id: the order fans should meet stores in. */
export function officialFirst(stores: Store[]): Store[] {
  return [...stores].sort((a, b) => Number(b.official) - Number(a.official) || Number(a.id - b.id));
}
