// A store page (frontend/src/pages/seller/store-page.ts) in Chromium with its chain and wallet replaced by fakes the
// test steers: Vite's dev server serves the dapp's own modules, and each render waits on a promise the test settles,
// so two renders can be made to finish in any order without a timer deciding it.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { ROOT } from "../../../scripts/cli/root.ts";

export const STORE_OWNER = "0x00000000000000000000000000000000000000aa";

/** Vite's dev server on the dapp's sources (no stack: nothing here reads a chain). */
export async function startDevServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const frontend = join(ROOT, "frontend");
  const server: ViteDevServer = await createServer({
    root: frontend,
    configFile: join(frontend, "vite.config.ts"),
    logLevel: "error",
    server: { port: 0, host: "127.0.0.1", hmr: false, watch: null },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, "");
  if (!url) throw new Error("the Vite dev server has no URL");
  return { url, stop: () => server.close() };
}

/** The store both page scripts below show (plain JavaScript text, `owner` bound by the script). */
const STORE_SOURCE = `{
    id: 7n, owner, payout: owner, currency: "0x0000000000000000000000000000000000000000", closed: false,
    official: false, termsVersion: 1, terms: { arbiter: owner, shipWindow: 604800, deliveryWindow: 1209600 },
    shippingKey: "0x", balance: 0n, productCount: 0n, name: "Race Records", metadataCid: "", officialEvidence: "",
  }`;

/**
 * The page script (plain JavaScript text: the test runner's transpiler may add helpers to a serialized function
 * that the page lacks). It mounts a store page built on storePage whose render writes the role it rendered for
 * and a small form; `window.harness` lets the test switch the connected account, settle renders one by one (or each
 * as it starts, until `hold`) and make the next one fail.
 */
const HARNESS_SOURCE = `async (owner) => {
  const { storePage } = await import("/src/pages/seller/store-page.ts");
  const { h } = await import("/src/ui/dom.ts");
  const store = ${STORE_SOURCE};
  const listeners = new Set();
  const app = {
    account: null,
    chain: { getStore: async () => store, read: async () => false },
    currency: () => ({ symbol: "ETH", decimals: 18 }),
    onChange(listener) { listeners.add(listener); return () => listeners.delete(listener); },
    explain: (error) => ({ kind: "unknown", message: String(error), retry: true }),
  };
  // One pending promise per render, in the order the renders started; "auto" settles each as it starts. "fail" makes
  // the next render to settle throw, as a failed read does.
  const renders = [];
  let auto = false;
  let fail = false;
  const render = async (staff, body) => {
    const gate = {};
    gate.promise = new Promise((resolve) => { gate.resolve = resolve; });
    renders.push(gate);
    if (auto) gate.resolve();
    // What a render that reports its progress writes before its reads are in.
    body.replaceChildren(h("p", { class: "reading", text: "Reading render " + renders.length }));
    await gate.promise;
    if (fail) {
      fail = false;
      throw new Error("The chain didn't answer.");
    }
    const note = h("input", { attrs: { name: "note", "aria-label": "Note" } });
    const kind = h("select", { attrs: { name: "kind", "aria-label": "Kind" } },
      h("option", { attrs: { value: "percent" }, text: "Percent" }),
      h("option", { attrs: { value: "amount" }, text: "Amount" }));
    const sign = h("button", { attrs: { type: "button", disabled: !staff.role }, text: "Sign" });
    body.replaceChildren(h("p", { class: "rendered-for", text: staff.role ?? "visitor" }), note, kind, sign);
  };
  const controller = new AbortController();
  const ctx = { app, layout: null, params: { storeId: "7" }, query: new URLSearchParams(), account: null,
    signal: controller.signal };
  const page = await storePage(ctx, { tab: "codes", className: "harness", title: () => "Harness", loading: "Loading", render });
  document.body.replaceChildren(page.el);
  // Every fake above answers with promises only, so once a task queued now runs, all their follow-ups have run:
  // this orders the check after the page's reaction; it waits for no duration.
  const drained = () => new Promise((resolve) => setTimeout(resolve, 0));
  window.harness = {
    started: () => renders.length,
    async settle(i) { renders[i].resolve(); await drained(); },
    async connect(account) { app.account = account; for (const l of [...listeners]) l(); await drained(); },
    autoSettle() { auto = true; for (const r of renders) r.resolve(); },
    hold() { auto = false; },
    failNext() { fail = true; },
  };
}`;

/** Opens a blank page on the dev server's origin and runs the page script `source` in it. */
async function mount(page: Page, url: string, source: string): Promise<void> {
  await page.route(`${url}/harness.html`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>harness</title><body></body>" }),
  );
  await page.goto(`${url}/harness.html`);
  await page.evaluate(`(${source})(${JSON.stringify(STORE_OWNER)})`);
}

/** Mounts the harness store page. */
export const mountHarness = (page: Page, url: string): Promise<void> => mount(page, url, HARNESS_SOURCE);

/**
 * The page script that mounts the real "Get verified" page (frontend/src/pages/seller/get-verified.ts) on a fake
 * chain: no wallet, no verification history, and every read of the store after the page's first one waits until the
 * test answers it (`window.harness.answer(i, "unverified" | "official" | "gone")`, in the order the reads started);
 * `window.harness.block()` is the dapp's refresh on a new block.
 */
const GET_VERIFIED_SOURCE = `async (owner) => {
  const { default: getVerifiedPage } = await import("/src/pages/seller/get-verified.ts");
  const store = ${STORE_SOURCE};
  const reads = [];
  let first = true;
  const getStore = async () => {
    if (first) {
      first = false;
      return store;
    }
    const gate = {};
    gate.promise = new Promise((resolve) => { gate.resolve = resolve; });
    reads.push(gate);
    return gate.promise;
  };
  const app = {
    account: null,
    manifest: { deploymentBlock: 0, merchstand: "0x00000000000000000000000000000000000000cc", chainName: "Local",
      chainId: 31337 },
    chain: { getStore, getLogs: async () => [], read: async () => false },
    currency: () => ({ symbol: "ETH", decimals: 18 }),
    onChange() { return () => {}; },
    explain: (error) => ({ kind: "unknown", message: String(error), retry: true }),
  };
  const controller = new AbortController();
  const ctx = { app, layout: null, params: { storeId: "7" }, query: new URLSearchParams(), account: null,
    signal: controller.signal };
  const page = await getVerifiedPage(ctx);
  document.body.replaceChildren(page.el);
  const drained = () => new Promise((resolve) => setTimeout(resolve, 0));
  window.harness = {
    reads: () => reads.length,
    async answer(i, what) {
      const official = what === "official";
      reads[i].resolve(what === "gone" ? null : { ...store, official,
        officialEvidence: official ? "https://race.example/official" : "" });
      await drained();
    },
    async block() { page.refresh(); await drained(); },
  };
}`;

/** Mounts the "Get verified" page on its fake chain. */
export const mountGetVerified = (page: Page, url: string): Promise<void> => mount(page, url, GET_VERIFIED_SOURCE);
