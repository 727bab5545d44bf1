// Merchstand storefront: the dapp fans buy merch with. Structure (add pages without touching the rest):
//
//   main.ts          boot: load ./manifest.json (an error page if missing/invalid), build the App, mount the
//                    layout, start the router, block polling and wallet reconnection.
//   app.ts           App: the context every page gets — manifest, `chain` (JSON-RPC reads), `ipfs` (gateway
//                    fetches), `cart`, `wallet`, block ticks (`onBlock`), toasts, cached stores and metadata.
//   router.ts        ROUTES: one line per hash route → a lazily imported module under pages/.
//   page.ts          what a page module is: it default-exports `(ctx: PageContext) => Page | Promise<Page>`; a
//                    Page is `{ title, el, refresh?(block), dispose? }`. Throw `NotFound` for ids that name nothing.
//   urls.ts          every URL: `routes.*` build them, parseHash/matchPath read them (malformed → not found).
//                    Route params that end in "Id" are checked to be decimal ids before the page runs.
//   pages/*.ts       one file per page (home, store, product, cart, checkout, orders, order, settings, not-found, error);
//                    pages/seller/ the seller dashboard, arbiter and verifier pages.
//   ui/dom.ts        `h(tag, props, ...children)` element builder: text only via text nodes, never innerHTML.
//   ui/components.ts shared cards, badges, notices, IPFS images; ui/layout.ts header/banners/footer/wallet menu.
//   ui/latest.ts     one AbortSignal per render or navigation: only the latest may write to the page;
//                    ui/kept-edits.ts carries what the seller typed into the render that replaces it.
//   client/*.ts      everything that talks to the chain, wallets and IPFS, with no DOM, importable from Node
//                    (tests, seed script, benchmark), one concern per module:
//                      rpc (JSON-RPC transport), rpc-choice (the fan's own endpoint), contract (typed ABI
//                      access), chain (typed reads, logs, paged decoder), log-scan (eth_getLogs through any
//                      provider's caps) + log-cache (logs kept between visits), protocol (codec + limits shared with scripts and tests), transactions (the send
//                      path), buyer-actions / seller-actions (TxRequest builders), checkout (pay a cart), catalog,
//                      orders (orders from logs), order-state, history (staff, disputes, verification logs),
//                      validation (form checks), errors (fan sentences), ipfs + cid + metadata + upload, names
//                      (look-alike detection), shipping-crypto + shipping-keys (FORMATS.md sealed addresses),
//                      csv, format, hex, memo (a promise cache that forgets failures), cart, wallet, manifest.
//   generated/       merchstand-abi.ts, written by scripts/generate-abi.ts — do not edit.
import "./ui/styles.css";
import { App } from "./app.ts";
import { loadManifest, ManifestError } from "./client/manifest.ts";
import { startRouter } from "./router.ts";
import { h } from "./ui/dom.ts";
import { mountLayout } from "./ui/layout.ts";

async function boot(root: HTMLElement): Promise<void> {
  let manifest: Awaited<ReturnType<typeof loadManifest>>;
  try {
    manifest = await loadManifest(location.href);
  } catch (error) {
    const detail = error instanceof ManifestError ? error.message : String(error);
    root.replaceChildren(
      h(
        "main",
        { class: "page fatal" },
        h("h1", { text: "This store can't start" }),
        h("p", {
          text: "The store's settings file (manifest.json) is missing or damaged, so the app doesn't know which network to use. Nothing was charged.",
        }),
        h("p", { class: "muted" }, "Details: ", h("code", { text: detail })),
        h("button", {
          class: "btn",
          attrs: { type: "button" },
          text: "Try again",
          on: { click: () => location.reload() },
        }),
      ),
    );
    return;
  }
  const app = new App(manifest, localStorage);
  const layout = mountLayout(app, root);
  startRouter(app, layout);
  app.startPolling();
  // Order notices load after the first paint: they need the order-history reader, which the home page doesn't.
  void import("./ui/order-notices.ts").then(({ startOrderNotices }) => startOrderNotices(app));
  void app.reconnect();
}

const root = document.getElementById("app");
if (root) void boot(root);
