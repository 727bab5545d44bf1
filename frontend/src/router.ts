// Hash routing (IPFS gateways have no server-side rewrites). One route = one lazily loaded page module, so the
// first load carries only the shell and the page being opened.
import type { App } from "./app.ts";
import { withoutBidiControls } from "./client/names.ts";
import { NotFound, type Page, type PageContext, type PageModule } from "./page.ts";
import { Latest } from "./ui/latest.ts";
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
  { path: "/sell/store/:storeId/products/import", load: () => import("./pages/seller/import.ts") },
  { path: "/sell/store/:storeId/products/:productId", load: () => import("./pages/seller/product-editor.ts") },
  { path: "/sell/store/:storeId/orders", load: () => import("./pages/seller/orders.ts") },
  { path: "/sell/store/:storeId/managers", load: () => import("./pages/seller/managers.ts") },
  { path: "/sell/store/:storeId/reviews", load: () => import("./pages/seller/reviews.ts") },
  { path: "/sell/store/:storeId/verify", load: () => import("./pages/seller/get-verified.ts") },
  { path: "/sell/store/:storeId/sales", load: () => import("./pages/seller/sales.ts") },
  { path: "/sell/store/:storeId/zones", load: () => import("./pages/seller/zones.ts") },
  { path: "/sell/store/:storeId/codes", load: () => import("./pages/seller/codes.ts") },
  { path: "/arbiter", load: () => import("./pages/seller/arbiter.ts") },
  { path: "/verify", load: () => import("./pages/seller/verifier.ts") },
  // A store's event door: staff scan and check in tickets.
  { path: "/door/:storeId", load: () => import("./pages/door.ts") },
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
  let current: Page | null = null;
  // One signal per navigation (ui/latest.ts): a page still loading when the fan navigates on is aborted, and never
  // shown over the newer one.
  const navigations = new Latest();
  let firstShow = true;
  keepScrollInHistory();

  const show = async () => {
    const signal = navigations.start();
    // Back/Forward (and a reload) land on a history entry that saved its scroll position; a new entry has none.
    const savedScroll = scrollOf(history.state);
    current?.dispose?.();
    current = null;
    // Parsing never throws: a malformed URL matches no route and shows the not-found page.
    const { path, query, valid } = parseHash(location.hash);
    const match = valid ? matchRoute(path) : null;
    const ctx: PageContext = {
      app,
      layout,
      params: match?.params ?? {},
      query,
      account: app.account,
      signal,
    };
    layout.setSearch(path === "/" ? (query.get("q") ?? "") : "");
    layout.main.setAttribute("aria-busy", "true");
    let page: Page;
    try {
      const module = await (match?.route ?? NOT_FOUND).load();
      page = await module.default(ctx);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof NotFound) {
        page = await (await NOT_FOUND.load()).default(ctx);
      } else {
        const { default: errorPage } = await import("./pages/error.ts");
        page = errorPage(ctx, error, () => void show());
      }
    }
    if (signal.aborted) {
      page.dispose?.();
      return;
    }
    current = page;
    // Titles carry on-chain names (store, product): no bidi control may reorder what the tab shows.
    document.title = withoutBidiControls(`${page.title} · Merchstand`);
    layout.main.replaceChildren(page.el);
    layout.main.removeAttribute("aria-busy");
    restoreScroll(savedScroll);
    // Moving focus to the new page's heading tells screen-reader and keyboard users the page changed (not on the
    // first load: the reader starts at the top of the document anyway). A page that focused something of its own
    // keeps it.
    if (!firstShow && !layout.main.contains(document.activeElement)) {
      const heading = (layout.main.querySelector("h1") as HTMLElement | null) ?? layout.main;
      if (heading !== layout.main) heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
    firstShow = false;
  };

  app.onBlock((block) => {
    void current?.refresh?.(block);
  });
  window.addEventListener("hashchange", () => void show());
  void show();
}

// ── scroll positions ──
// Each history entry keeps its own scroll position in `history.state` (written as the fan scrolls), so Back to a
// long list lands where the fan left it, even though the page is rebuilt and its grid fills in after a read.

const SCROLL_SAVE_MS = 150;
let stopRestoring: (() => void) | null = null;

function scrollOf(state: unknown): number | null {
  const y = (state as { scrollY?: unknown } | null)?.scrollY;
  return typeof y === "number" && y > 0 ? y : null;
}

function keepScrollInHistory(): void {
  history.scrollRestoration = "manual";
  let timer: ReturnType<typeof setTimeout> | null = null;
  window.addEventListener(
    "scroll",
    () => {
      if (timer || stopRestoring) return;
      const href = location.href;
      timer = setTimeout(() => {
        timer = null;
        // The fan may have left for another entry meanwhile: this position belongs to the one they scrolled.
        if (stopRestoring || location.href !== href) return;
        const state = (history.state as Record<string, unknown> | null) ?? {};
        history.replaceState({ ...state, scrollY: Math.round(window.scrollY) }, "");
      }, SCROLL_SAVE_MS);
    },
    { passive: true },
  );
}

/**
 * Scrolls to `y` (or to the top for a new entry). The page may still be filling in, so until it is tall enough
 * (or 10 s pass, or the fan scrolls with wheel, touch or keys) each growth of the document tries again.
 */
function restoreScroll(y: number | null): void {
  stopRestoring?.();
  window.scrollTo(0, y ?? 0);
  if (y === null || Math.abs(window.scrollY - y) < 2) return;
  const observer = new ResizeObserver(() => {
    window.scrollTo(0, y);
    if (Math.abs(window.scrollY - y) < 2) stop();
  });
  const stop = () => {
    observer.disconnect();
    clearTimeout(timeout);
    for (const event of USER_SCROLL) window.removeEventListener(event, stop);
    stopRestoring = null;
  };
  const timeout = setTimeout(stop, 10_000);
  for (const event of USER_SCROLL) window.addEventListener(event, stop, { passive: true });
  observer.observe(document.body);
  stopRestoring = stop;
}

const USER_SCROLL = ["wheel", "touchstart", "keydown", "mousedown"] as const;
