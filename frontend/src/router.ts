// Hash routing (IPFS gateways have no server-side rewrites). One route = one lazily loaded page module, so the
// first load carries only the shell and the page being opened.
import type { App } from "./app.ts";
import { withoutBidiControls } from "./client/names.ts";
import { NotFound, type Page, type PageContext, type PageModule } from "./page.ts";
import type { Layout } from "./ui/layout.ts";
import { matchPath, parseHash } from "./urls.ts";

type Route = { path: string; load: () => Promise<PageModule> };

/** The route table. A new page = one file under pages/ and one line here. */
export const ROUTES: Route[] = [
  { path: "/", load: () => import("./pages/home.ts") },
  { path: "/store/:storeId", load: () => import("./pages/store.ts") },
  { path: "/store/:storeId/product/:productId", load: () => import("./pages/product.ts") },
  { path: "/cart", load: () => import("./pages/cart.ts") },
  { path: "/checkout", load: () => import("./pages/checkout.ts") },
  { path: "/orders", load: () => import("./pages/orders.ts") },
  { path: "/orders/:orderId", load: () => import("./pages/order.ts") },
  { path: "/settings", load: () => import("./pages/settings.ts") },
  // Seller dashboard, arbiter view, and the verification pages.
  { path: "/sell", load: () => import("./pages/seller/home.ts") },
  { path: "/sell/new", load: () => import("./pages/seller/open-store.ts") },
  { path: "/sell/store/:storeId", load: () => import("./pages/seller/overview.ts") },
  { path: "/sell/store/:storeId/products", load: () => import("./pages/seller/products.ts") },
  { path: "/sell/store/:storeId/products/new", load: () => import("./pages/seller/product-editor.ts") },
  { path: "/sell/store/:storeId/products/:productId", load: () => import("./pages/seller/product-editor.ts") },
  { path: "/sell/store/:storeId/orders", load: () => import("./pages/seller/orders.ts") },
  { path: "/sell/store/:storeId/managers", load: () => import("./pages/seller/managers.ts") },
  { path: "/sell/store/:storeId/verify", load: () => import("./pages/seller/get-verified.ts") },
  { path: "/arbiter", load: () => import("./pages/seller/arbiter.ts") },
  { path: "/verify", load: () => import("./pages/seller/verifier.ts") },
];

const NOT_FOUND: Route = { path: "*", load: () => import("./pages/not-found.ts") };

/** The first route whose pattern `path` matches (see matchPath in ./urls.ts), with its params. */
export function matchRoute(
  path: string,
  routes: Route[] = ROUTES,
): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

export function startRouter(app: App, layout: Layout): void {
  let current: { page: Page; controller: AbortController } | null = null;
  let navigation = 0;

  const show = async () => {
    const id = ++navigation;
    current?.controller.abort();
    current?.page.dispose?.();
    current = null;
    // Parsing never throws: a malformed URL matches no route and shows the not-found page.
    const { path, query, valid } = parseHash(location.hash);
    const match = valid ? matchRoute(path) : null;
    const controller = new AbortController();
    const ctx: PageContext = {
      app,
      layout,
      params: match?.params ?? {},
      query,
      account: app.account,
      signal: controller.signal,
    };
    layout.setSearch(path === "/" ? (query.get("q") ?? "") : "");
    layout.main.setAttribute("aria-busy", "true");
    let page: Page;
    try {
      const module = await (match?.route ?? NOT_FOUND).load();
      page = await module.default(ctx);
    } catch (error) {
      if (id !== navigation) return;
      if (error instanceof NotFound) {
        page = await (await NOT_FOUND.load()).default(ctx);
      } else {
        const { default: errorPage } = await import("./pages/error.ts");
        page = errorPage(ctx, error, () => void show());
      }
    }
    if (id !== navigation) {
      page.dispose?.();
      return;
    }
    current = { page, controller };
    // Titles carry on-chain names (store, product): no bidi control may reorder what the tab shows.
    document.title = withoutBidiControls(`${page.title} · Merchstand`);
    layout.main.replaceChildren(page.el);
    layout.main.removeAttribute("aria-busy");
    window.scrollTo(0, 0);
    // Moving focus to the new content tells screen-reader and keyboard users the page changed.
    if (
      document.activeElement &&
      document.activeElement !== document.body &&
      !layout.main.contains(document.activeElement)
    ) {
      const heading = layout.main.querySelector("h1");
      (heading as HTMLElement | null)?.setAttribute("tabindex", "-1");
      (heading as HTMLElement | null)?.focus({ preventScroll: true });
    }
  };

  app.onBlock((block) => {
    void current?.page.refresh?.(block);
  });
  window.addEventListener("hashchange", () => void show());
  void show();
}
