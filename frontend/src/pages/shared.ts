// Small page-level helpers shared by several pages (data joins, not UI pieces).
import type { App } from "../app.ts";
import { impersonatedStore } from "../client/names.ts";
import type { Product, Store } from "../client/protocol.ts";
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
  return products.map((p) => {
    const store = byId.get(p.storeId);
    const impostorOf = store ? impersonatedStore(store, stores) : undefined;
    return productCard(app, p, store, firstImage(app, p), { impostorOf });
  });
}

/** Store cards; `all` is every store, so a look-alike of an official store is marked even in a short list. */
export function storeCards(app: App, stores: Store[], all: readonly Store[] = stores): HTMLElement[] {
  return stores.map((s) => storeCard(app, s, storeLogo(app, s), storeBio(app, s), impersonatedStore(s, all)));
}

/**
 * Runs `retry` once, when the app next finds the network back after it was unreachable (the block poll clears
 * `app.offline`), unless `signal` ends first. Parts of a page that failed for want of the RPC reload by themselves,
 * so the "Retrying…" they show is true. Returns a function that cancels it (for a manual retry).
 */
export function retryWhenBackOnline(app: App, signal: AbortSignal, retry: () => void): () => void {
  let sawOffline = app.offline !== null;
  const stop = () => {
    unsubscribe();
    signal.removeEventListener("abort", stop);
  };
  const unsubscribe = app.onChange(() => {
    if (app.offline !== null) sawOffline = true;
    else if (sawOffline) {
      stop();
      retry();
    }
  });
  signal.addEventListener("abort", stop);
  return stop;
}

/** Official stores first, then by id: the order fans should meet stores in. */
export function officialFirst(stores: Store[]): Store[] {
  return [...stores].sort((a, b) => Number(b.official) - Number(a.official) || Number(a.id - b.id));
}
