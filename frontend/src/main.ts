// Merchstand storefront: the dapp fans buy merch with. Structure (add pages without touching the rest):
//
//   main.ts          boot: load ./manifest.json (an error page if missing/invalid), build the App, mount the
//                    layout, start the router, block polling and wallet reconnection.
//   app.ts           App: the context every page gets — manifest, `chain` (JSON-RPC reads), `ipfs` (gateway
//                    fetches), `cart`, `wallet`, block ticks (`onBlock`), toasts, cached stores and metadata.
//   router.ts        ROUTES: one line per hash route → a lazily imported module under pages/. A page module
//                    default-exports `(ctx: PageContext) => Page | Promise<Page>`; a Page is `{ title, el,
//                    refresh?(block), dispose? }`. Throw `NotFound` for ids that name nothing. Route params that
//                    end in "Id" are checked to be decimal ids before the page runs.
//   pages/*.ts       one file per page (home, store, product, cart, checkout, orders, order, not-found, error).
//                    Seller pages go here too (e.g. pages/seller-*.ts + a "/seller/..." line in ROUTES).
//   ui/dom.ts        `h(tag, props, ...children)` element builder: text only via text nodes, never innerHTML.
//   ui/components.ts shared cards, badges, notices, IPFS images; ui/layout.ts header/banners/footer/wallet menu.
//   client/*.ts      everything that talks to the chain, wallets and IPFS, with no DOM, importable from Node
//                    (tests, seed script, benchmark): rpc, abi (generated ABI + typed decoders), chain, catalog,
//                    orders, cart, checkout, transactions, wallet, errors (fan sentences), ipfs + cid + metadata,
//                    names (look-alike detection), shipping-crypto (FORMATS.md sealed addresses), format.
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
  void app.reconnect();
}

const root = document.getElementById("app");
if (root) void boot(root);
