// Hostile content in a real browser, against the real local stack (`npm start` on random
// ports) with the dapp opened from the gateway's subdomain URL. On top of the stack the test runs one HTTP server
// of its own, on a random port, that plays the untrusted parts of the world:
//   /a/ipfs/<cid>  the dapp's first gateway: it serves hostile documents, hangs, streams 10 MB, or lies about a CID;
//   /b/ipfs/<cid>  the second gateway: an honest mirror of a few CIDs (404 for the rest);
//   /rpc           a JSON-RPC pass-through to the stack's node that can be switched off (connections dropped).
// The dapp is pointed at them the way a published build would be: its manifest.json (fetched from beside
// index.html) is answered with `ipfsGateways` and `rpcUrl` rewritten; everything else comes from the stack.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { Contract, Interface, JsonRpcProvider, type Log, parseEther, Wallet } from "ethers";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { encodePng } from "../../scripts/seed/png.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

// An account no other e2e file and no demo seed uses (each file has its own stack anyway).
const SELLER = testWallet(19);
const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400;
/** The dapp's per-gateway IPFS timeout (frontend/src/client/ipfs.ts); bounds below are stated against it. */
const GATEWAY_TIMEOUT_MS = 6_000;

// ── payloads ──
// Each one, if it ever ran, would leave a mark in `window.__pwned` or open a dialog.
const XSS_IMG = `<img src=x onerror="window.__pwned='img'">`;
const XSS_SCRIPT = `<script>window.__pwned='script'</script>`;
const XSS_ALERT = "<img src=x onerror=alert(1)>";
const XSS_SVG_TEXT = `<svg onload="window.__pwned='svg'"></svg>`;
const RLO = "\u202E";
/** Bidi embeddings, overrides and isolates (the controls of Trojan Source), which the dapp must never render. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
/** With U+202E it displays as "The Midnight Owls" (the official demo store) while its bytes say otherwise. */
const RLO_STORE_NAME = `${RLO}slwO thgindiM ehT`;
const RLO_PRODUCT_NAME = `Tour tee ${RLO}gpj.exe`;
const RLO_LABEL = `${RLO}LX`;
/** 64 bytes, the contract's cap for names, as one unbreakable word. */
const LONGEST_NAME = "W".repeat(64);
/** 32 bytes, the cap for labels, in two-byte letters. */
const LONGEST_LABEL = "Ж".repeat(16);

const utf8 = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown) => utf8(JSON.stringify(value));
const stripBidi = (text: string) => text.replace(new RegExp(BIDI_CONTROLS.source, "g"), "");

async function rawCid(bytes: Uint8Array): Promise<string> {
  return CID.create(1, raw.code, await sha256.digest(bytes)).toString();
}

function png(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels.set(rgb, i);
  return encodePng(width, height, pixels);
}

// ── the hostile world: gateways and a switchable RPC ──
type Behaviour =
  | { kind: "bytes"; body: Uint8Array; contentType?: string }
  /** Accepts the request and never answers. */
  | { kind: "hang" }
  /** Sends headers and the first bytes, then nothing more. */
  | { kind: "stall"; head: Uint8Array }
  /** Streams `size` bytes of JSON-ish filler, without (or with) a Content-Length. */
  | { kind: "huge"; size: number; declareLength: boolean };

type Hit = {
  gateway: "a" | "b";
  cid: string;
  /** The whole answer was sent. */
  finished: boolean;
  /** The connection is over, finished or cut by the client. */
  closed: boolean;
  /** Body bytes handed to the socket. */
  sent: number;
};

class HostileWorld {
  readonly primary = new Map<string, Behaviour>();
  readonly mirror = new Map<string, Uint8Array>();
  readonly hits: Hit[] = [];
  rpcUp = true;
  url = "";
  private server: Server | null = null;

  constructor(private readonly rpcTarget: string) {}

  get gateways(): string[] {
    return [`${this.url}/a`, `${this.url}/b`];
  }
  get rpcUrl(): string {
    return `${this.url}/rpc`;
  }
  hitsFor(cid: string): Hit[] {
    return this.hits.filter((h) => h.cid === cid);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private cors(res: ServerResponse): void {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "content-type");
    res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname === "/rpc") return this.rpc(req, res);
    this.cors(res);
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    const match = /^\/([ab])\/ipfs\/([^/?]+)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const gateway = match[1] as "a" | "b";
    const cid = match[2] as string;
    const hit: Hit = { gateway, cid, finished: false, closed: false, sent: 0 };
    this.hits.push(hit);
    res.on("close", () => {
      hit.closed = true;
    });
    const behaviour: Behaviour | undefined =
      gateway === "a"
        ? this.primary.get(cid)
        : this.mirror.has(cid)
          ? { kind: "bytes", body: this.mirror.get(cid) as Uint8Array }
          : undefined;
    if (!behaviour) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not here");
      hit.finished = true;
      return;
    }
    switch (behaviour.kind) {
      case "bytes":
        res.writeHead(200, {
          "content-type": behaviour.contentType ?? "application/octet-stream",
          "content-length": behaviour.body.length,
        });
        res.end(behaviour.body);
        hit.finished = true;
        return;
      case "hang":
        return; // the socket stays open until the browser gives up or the server stops
      case "stall":
        res.writeHead(200, { "content-type": "application/json" });
        res.write(behaviour.head);
        return;
      case "huge": {
        res.writeHead(200, {
          "content-type": "application/json",
          ...(behaviour.declareLength ? { "content-length": behaviour.size } : {}),
        });
        // Paced at 64 KiB per 5 ms (~13 MB/s), so the whole document takes most of a second: long enough that a
        // client which stops reading at its cap is seen to cut the connection well before the end.
        const chunk = Buffer.alloc(64 * 1024, "A");
        while (hit.sent < behaviour.size && !hit.closed) {
          const n = Math.min(chunk.length, behaviour.size - hit.sent);
          res.write(n === chunk.length ? chunk : chunk.subarray(0, n));
          hit.sent += n;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        if (!hit.closed) {
          res.end();
          hit.finished = true;
        }
        return;
      }
    }
  }

  private async rpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // "Down" is a dropped connection, as a dead node or a failing load balancer gives: no HTTP answer at all.
    if (!this.rpcUp) {
      req.socket.destroy();
      return;
    }
    this.cors(res);
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await fetch(this.rpcTarget, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.concat(chunks),
    });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  }
}

// ── in-page detectors, installed before the dapp runs ──
// Records every element that markup injection would create (scripts, frames, inline SVG, images that are not the
// dapp's own verified blob: URLs), every CSP violation, and lets payloads mark `window.__pwned`.
const DETECTOR = `(() => {
  window.__injected = [];
  window.__csp = [];
  const suspicious = (el) => {
    const tag = el.tagName.toLowerCase();
    if (el.closest("head")) return false;
    if (["script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base"].includes(tag)) return true;
    return tag === "img" && !/^(blob|data):/.test(el.getAttribute("src") || "");
  };
  const inspect = (node) => {
    if (!(node instanceof Element)) return;
    for (const el of [node, ...node.querySelectorAll("*")]) {
      if (suspicious(el)) window.__injected.push(el.outerHTML.slice(0, 120));
    }
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) inspect(n);
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
})();`;

type PageReport = {
  pwned: unknown;
  injected: string[];
  csp: string[];
  inlineHandlers: string[];
  bidiInText: boolean;
  bidiInTitle: boolean;
  overflowX: number;
};

async function report(page: Page): Promise<PageReport> {
  return page.evaluate((bidiSource) => {
    const w = window as unknown as { __pwned?: unknown; __injected: string[]; __csp: string[] };
    const bidi = new RegExp(bidiSource);
    const inlineHandlers: string[] = [];
    for (const el of Array.from(document.querySelectorAll("*"))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) inlineHandlers.push(`${el.tagName} ${attr.name}`);
      }
    }
    return {
      pwned: w.__pwned,
      injected: w.__injected,
      csp: w.__csp,
      inlineHandlers,
      bidiInText: bidi.test(document.body.textContent ?? ""),
      bidiInTitle: bidi.test(document.title),
      overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  }, BIDI_CONTROLS.source);
}

describe("hostile content in Chromium (e2e)", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let world: HostileWorld;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let dialogs: string[] = [];
  let pageErrors: string[] = [];
  /** The manifest the stack published with the dapp (its path-form URL: Node can't resolve *.localhost). */
  let stackManifest: Record<string, unknown>;

  const ids = {
    store: {} as Record<"xss" | "script" | "rlo" | "longest" | "bio", bigint>,
    product: {} as Record<
      | "script"
      | "rlo"
      | "longest"
      | "hostileMeta"
      | "notJson"
      | "badCid"
      | "wrongSchema"
      | "wrongTypes"
      | "tenKb"
      | "unbroken"
      | "huge"
      | "stall"
      | "images"
      | "tampered"
      | "tamperedOnly"
      | "bigPicture",
      bigint
    >,
  };
  const cids = {} as Record<
    "huge" | "stall" | "storeHang" | "storeHuge" | "tampered" | "tamperedOnly" | "png" | "bigPng",
    string
  >;

  // Documents the tests look for on the page, or make sure never appear.
  const HOSTILE_DESCRIPTION = [
    `First paragraph ${XSS_SCRIPT} and ${XSS_IMG}.`,
    `Second ${XSS_SVG_TEXT} ${RLO}desrever si siht paragraph.`,
  ].join("\n\n");
  const HOSTILE_DETAILS: Record<string, string> = { [XSS_ALERT]: XSS_IMG, [`Fit ${RLO}tfel`]: XSS_SCRIPT };
  const HOSTILE_BIO = `Bio ${XSS_SCRIPT} ${XSS_IMG} ${RLO}oib`;
  const LINK_LABEL = "<b onclick=alert(1)>Site</b>";
  const LONG_BIO = "Loud music from a small town. ".repeat(70).slice(0, 2_000);
  const HONEST_TEXT = "Honest description, as the seller published it.";
  const TAMPERED_TEXT = "TAMPERED: send your seed phrase to claim a refund.";

  before(async () => {
    stack = await startTestStack();
    stackManifest = (await (await fetch(`${stack.gatewayUrl}/ipfs/${stack.dappCid}/manifest.json`)).json()) as Record<
      string,
      unknown
    >;
    world = new HostileWorld(stack.rpcUrl);
    await world.start();
    browser = await launchChromium();

    // ── IPFS documents, each under the CID of its own bytes unless it is a lie on purpose ──
    const put = async (bytes: Uint8Array, contentType = "application/json") => {
      const cid = await rawCid(bytes);
      world.primary.set(cid, { kind: "bytes", body: bytes, contentType });
      return cid;
    };
    const product = (fields: Record<string, unknown>) => json({ schema: "merchstand/product@1", ...fields });
    // Pictures: a PNG the first gateway swaps for another, an SVG carrying script, and HTML posing as an image.
    const honestPng = png(2, 3, [20, 120, 200]);
    cids.png = await rawCid(honestPng);
    world.primary.set(cids.png, { kind: "bytes", body: png(7, 5, [200, 0, 0]), contentType: "image/png" });
    world.mirror.set(cids.png, honestPng);
    const svg = await put(
      utf8(
        `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned='svg-onload'" width="4" height="4"><script>window.__pwned='svg-script'</script><rect width="4" height="4"/></svg>`,
      ),
      "image/svg+xml",
    );
    const html = await put(utf8(`<html><script>window.__pwned='html-image'</script></html>`), "text/html");
    // A picture over one 1 MiB chunk, added through the stack's own gateway (/api/v0/add): its CID names a dag-pb
    // root over raw leaves, which no hash of the whole file can check. The first gateway swaps it for another.
    const bigPng = encodePng(700, 700, randomBytes(700 * 700 * 3)); // noise: deflate can't shrink it under 1 MiB
    const form = new FormData();
    form.append("file", new Blob([bigPng as BlobPart], { type: "image/png" }), "big.png");
    const added = await fetch(`${stack.gatewayUrl}/api/v0/add?cid-version=1&pin=true`, { method: "POST", body: form });
    cids.bigPng = (JSON.parse((await added.text()).trim().split("\n").pop() as string) as { Hash: string }).Hash;
    expect(CID.parse(cids.bigPng).code, "a dag-pb root").to.equal(0x70);
    world.primary.set(cids.bigPng, { kind: "bytes", body: png(7, 5, [200, 0, 0]), contentType: "image/png" });

    const meta = {
      hostile: await put(product({ description: HOSTILE_DESCRIPTION, details: HOSTILE_DETAILS })),
      notJson: await put(utf8(`<html><body><script>window.__pwned='html'</script>NOT JSON TEXT</body></html>`)),
      wrongSchema: await put(json({ schema: "merchstand/product@2", description: "WRONG SCHEMA TEXT" })),
      wrongTypes: await put(product({ description: { html: "<b>WRONG TYPES TEXT</b>" }, images: "bafy" })),
      tenKb: await put(product({ description: `TEN KB TEXT ${"x".repeat(10 * 1024)}` })),
      unbroken: await put(product({ description: "U".repeat(5_000) })),
      storeHostile: await put(
        json({
          schema: "merchstand/store@1",
          bio: HOSTILE_BIO,
          links: [{ label: LINK_LABEL, url: "https://band.example/?q=<script>" }],
        }),
      ),
      storeTenKb: await put(json({ schema: "merchstand/store@1", bio: `TEN KB BIO ${"b".repeat(10 * 1024)}` })),
      storeLongBio: await put(json({ schema: "merchstand/store@1", bio: LONG_BIO })),
      images: await put(product({ description: "Pictures.", images: [cids.png, svg, html] })),
      bigPicture: await put(product({ description: "A big picture.", images: [cids.bigPng] })),
    };
    // 10 MB: one product's document is streamed with no Content-Length (the cap must hold while reading), one
    // store's declares its length (refused before reading).
    const tenMb = 10 * 1024 * 1024;
    cids.huge = await rawCid(utf8(`huge product ${Date.now()}`));
    world.primary.set(cids.huge, { kind: "huge", size: tenMb, declareLength: false });
    cids.storeHuge = await rawCid(utf8(`huge store ${Date.now()}`));
    world.primary.set(cids.storeHuge, { kind: "huge", size: tenMb, declareLength: true });
    cids.stall = await rawCid(utf8("stalled"));
    world.primary.set(cids.stall, { kind: "stall", head: utf8('{"schema":"merchstand/product@1","descr') });
    cids.storeHang = await rawCid(utf8("hanging"));
    world.primary.set(cids.storeHang, { kind: "hang" });

    // Tampering: the first gateway answers other bytes than the CID names.
    const honest = product({ description: HONEST_TEXT });
    cids.tampered = await rawCid(honest);
    world.primary.set(cids.tampered, { kind: "bytes", body: product({ description: TAMPERED_TEXT }) });
    world.mirror.set(cids.tampered, honest);
    cids.tamperedOnly = await rawCid(product({ description: `${HONEST_TEXT} (only the liar has it)` }));
    world.primary.set(cids.tamperedOnly, { kind: "bytes", body: product({ description: TAMPERED_TEXT }) });

    // ── on chain: stores and products with hostile names, each pointing at one of the documents ──
    const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const seller = new Wallet(SELLER.privateKey, provider);
      const market = new Contract(stack.merchstand, merchstandAbi, seller);
      const iface = new Interface(merchstandAbi);
      const eventArg = (logs: readonly Log[], event: string, arg: string): bigint => {
        for (const log of logs) {
          const parsed = iface.parseLog(log);
          if (parsed?.name === event) return parsed.args.getValue(arg) as bigint;
        }
        throw new Error(`no ${event} event`);
      };
      const openStore = async (name: string, metadataCid: string) => {
        const tx = await market.getFunction("openStore")({
          name,
          metadataCid,
          payout: SELLER.address,
          currency: ETH,
          shippingKey: `0x${randomBytes(32).toString("hex")}`,
          terms: { arbiter: SELLER.address, shipWindow: 7 * DAY, deliveryWindow: 14 * DAY },
        });
        return eventArg((await tx.wait()).logs, "StoreOpened", "storeId");
      };
      const list = async (storeId: bigint, name: string, metadataCid: string, labels: string[] = ["M"]) => {
        const tx = await market.getFunction("listProduct")(
          storeId,
          { name, metadataCid, category: 0, maxPerBuyer: 0, digital: false },
          labels.map((label, i) => ({ label, price: parseEther("0.01") * BigInt(i + 1), stock: 10 })),
        );
        return eventArg((await tx.wait()).logs, "ProductListed", "productId");
      };
      ids.store.xss = await openStore(XSS_IMG, meta.storeHostile);
      ids.store.script = await openStore(XSS_SCRIPT, cids.storeHang);
      ids.store.rlo = await openStore(RLO_STORE_NAME, cids.storeHuge);
      ids.store.longest = await openStore(LONGEST_NAME, meta.storeTenKb);
      ids.store.bio = await openStore("Long Bio Records", meta.storeLongBio);
      const s = ids.store.xss;
      ids.product.script = await list(s, XSS_SCRIPT, "", [XSS_ALERT, RLO_LABEL, LONGEST_LABEL]);
      ids.product.rlo = await list(ids.store.rlo, RLO_PRODUCT_NAME, "");
      ids.product.longest = await list(ids.store.longest, LONGEST_NAME, "", [LONGEST_LABEL]);
      ids.product.hostileMeta = await list(s, "Hostile description tee", meta.hostile);
      ids.product.notJson = await list(s, "Not JSON tee", meta.notJson);
      // The on-chain CID field is free text too: markup there must never be fetched or shown.
      ids.product.badCid = await list(s, "Bad CID tee", XSS_IMG);
      ids.product.wrongSchema = await list(s, "Wrong schema tee", meta.wrongSchema);
      ids.product.wrongTypes = await list(s, "Wrong types tee", meta.wrongTypes);
      ids.product.tenKb = await list(s, "Ten kB description tee", meta.tenKb);
      ids.product.unbroken = await list(s, "Unbroken description tee", meta.unbroken);
      ids.product.huge = await list(s, "Ten MB metadata tee", cids.huge);
      ids.product.stall = await list(s, "Stalled gateway tee", cids.stall);
      ids.product.images = await list(s, "Picture tee", meta.images);
      ids.product.tampered = await list(s, "Tampered tee", cids.tampered);
      ids.product.tamperedOnly = await list(s, "Lied-about tee", cids.tamperedOnly);
      ids.product.bigPicture = await list(s, "Big picture tee", meta.bigPicture);
    } finally {
      provider.destroy();
    }
  });

  after(async () => {
    await browser?.close();
    await world?.stop();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `hostile-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
    context = undefined;
  });

  type OpenOptions = {
    /** The manifest's RPC URL (the stack's node by default). */
    rpcUrl?: string;
    /** The manifest's gateways (the hostile world's by default). */
    gateways?: string[];
    width?: number;
    /** Keep the dapp's CSP. Off by default, so that markup the dapp let through would actually run here. */
    csp?: boolean;
  };

  async function open(hash: string, options: OpenOptions = {}): Promise<Page> {
    context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      bypassCSP: options.csp !== true,
    });
    const manifest = {
      ...stackManifest,
      ipfsGateways: options.gateways ?? world.gateways,
      rpcUrl: options.rpcUrl ?? stackManifest.rpcUrl,
    };
    await context.route("**/manifest.json", (route) => route.fulfill({ json: manifest }));
    await context.addInitScript({ content: DETECTOR });
    page = await context.newPage();
    dialogs = [];
    pageErrors = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${stack.dappUrl}${hash}`);
    return page;
  }

  const storeUrl = (id: bigint) => `#/store/${id}`;
  const productUrl = (store: bigint, id: bigint) => `#/store/${store}/product/${id}`;

  /** Nothing ran, nothing was injected, no bidi control reached the screen, nothing overflows sideways. */
  async function expectSafe(): Promise<PageReport> {
    const r = await report(page);
    expect(r.pwned, "a payload ran").to.equal(undefined);
    expect(dialogs, "a payload opened a dialog").to.deep.equal([]);
    expect(r.injected, "markup was injected").to.deep.equal([]);
    expect(r.inlineHandlers, "inline event handlers in the DOM").to.deep.equal([]);
    expect(r.csp, "CSP violations").to.deep.equal([]);
    expect(r.bidiInText, "a bidi control is rendered").to.equal(false);
    expect(r.bidiInTitle, "a bidi control is in the title").to.equal(false);
    expect(r.overflowX, "the page scrolls sideways").to.be.at.most(0);
    expect(pageErrors, "uncaught errors").to.deep.equal([]);
    return r;
  }

  const texts = (selector: string) => page.locator(selector).allTextContents();

  async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  describe("hostile on-chain names and labels", () => {
    it("lists stores and products named with markup as literal text, bidi controls removed", async () => {
      await open("#/");
      await page.locator(".store-card", { hasText: "Long Bio Records" }).waitFor();
      // The catalog pages by 24: the test's products come after the demo's.
      while (!(await page.locator(".product-card", { hasText: "Lied-about tee" }).count())) {
        const shown = await page.locator(".product-card").count();
        await page.getByRole("button", { name: "Show more" }).click();
        await page.waitForFunction((n) => document.querySelectorAll(".product-card").length > n, shown);
      }
      const storeNames = await texts(".store-card .card-title > span:first-child");
      expect(storeNames).to.include.members([XSS_IMG, XSS_SCRIPT, stripBidi(RLO_STORE_NAME), LONGEST_NAME]);
      const productNames = await texts(".product-card .card-title");
      expect(productNames).to.include.members([XSS_SCRIPT, stripBidi(RLO_PRODUCT_NAME), LONGEST_NAME]);
      // Every card title fits its card: the 64-byte unbreakable name wraps instead of pushing the grid wider.
      const overflowing = await page
        .locator(".card-title")
        .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
      expect(overflowing).to.deep.equal([]);
      await expectSafe();
    });

    it("shows a store named <img onerror> with its hostile bio and link label as text", async () => {
      await open(storeUrl(ids.store.xss));
      await page.locator(".store-bio", { hasText: "Bio" }).waitFor();
      expect(await page.locator("h1").textContent()).to.equal(XSS_IMG);
      expect(await page.locator(".store-header .store-bio").textContent()).to.equal(stripBidi(HOSTILE_BIO));
      const link = page.locator(".store-links a");
      expect(await link.textContent()).to.equal(LINK_LABEL);
      expect(await link.getAttribute("href")).to.match(/^https:\/\/band\.example\//);
      expect(await link.getAttribute("rel")).to.equal("noopener noreferrer");
      await expectSafe();
    });

    it("shows a product named <script> with markup, RLO and 32-byte labels as text, in the cart too", async () => {
      await open(productUrl(ids.store.xss, ids.product.script));
      await page.locator("h1").waitFor();
      expect(await page.locator("h1").textContent()).to.equal(XSS_SCRIPT);
      expect(await page.title()).to.equal(`${XSS_SCRIPT} · Merchstand`);
      const labels = await page.getByRole("radio").allTextContents();
      expect(labels).to.deep.equal([XSS_ALERT, stripBidi(RLO_LABEL), LONGEST_LABEL]);
      expect(await page.locator(".breadcrumb").textContent()).to.equal(`Stores / ${XSS_IMG} / ${XSS_SCRIPT}`);
      await page.getByRole("radio", { name: LONGEST_LABEL }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      const toast = page.locator(".toast.success");
      await toast.waitFor();
      expect(await toast.locator("span").first().textContent()).to.equal(
        `Added 1 × ${XSS_SCRIPT} (${LONGEST_LABEL}) to your cart.`,
      );
      await page.getByRole("radio", { name: stripBidi(RLO_LABEL) }).click();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.goto(`${stack.dappUrl}#/cart`);
      await page.locator(".cart-lines li").nth(1).waitFor();
      const cart = (await page.locator(".cart").textContent()) ?? "";
      for (const text of [XSS_IMG, XSS_SCRIPT, LONGEST_LABEL, stripBidi(RLO_LABEL)]) expect(cart).to.contain(text);
      await expectSafe();
    });

    it("removes right-to-left overrides from names, so a reversed name can't pose as another store", async () => {
      await open(storeUrl(ids.store.rlo));
      await page.locator("h1").waitFor();
      // Rendered with its U+202E, this name would read "The Midnight Owls"; without it, it reads as its bytes.
      expect(await page.locator("h1").textContent()).to.equal("slwO thgindiM ehT");
      expect(await page.title()).to.equal("slwO thgindiM ehT · Merchstand");
      await page.locator(".product-card").first().waitFor();
      expect(await page.locator(".product-card .card-title").textContent()).to.equal("Tour tee gpj.exe");
      await expectSafe();
      await page.locator(".product-card").first().click();
      await page.getByRole("heading", { level: 1, name: "Tour tee gpj.exe" }).waitFor();
      expect(await page.title()).to.equal("Tour tee gpj.exe · Merchstand");
      await expectSafe();
    });

    for (const width of [1280, 375]) {
      it(`fits the longest name (64 bytes, unbroken) and label (32 bytes) at ${width} px`, async () => {
        await open(productUrl(ids.store.longest, ids.product.longest), { width });
        await page.locator("h1").waitFor();
        expect(await page.locator("h1").textContent()).to.equal(LONGEST_NAME);
        expect(await page.getByRole("radio").allTextContents()).to.deep.equal([LONGEST_LABEL]);
        const h1 = await page.locator("h1").evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
        expect(h1.scroll).to.be.at.most(h1.client + 1);
        await expectSafe();
        await page.goto(`${stack.dappUrl}${storeUrl(ids.store.longest)}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        expect(await page.locator("h1").textContent()).to.equal(LONGEST_NAME);
        await page.locator(".product-card").first().waitFor();
        await expectSafe();
      });
    }

    it("keeps the dapp's Content-Security-Policy as a second wall (no inline script)", async () => {
      await open(productUrl(ids.store.xss, ids.product.script), { csp: true });
      await page.locator("h1").waitFor();
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      expect(csp).to.match(/script-src 'self'(;|$)/);
      expect(csp).to.contain("object-src 'none'");
      await expectSafe();
    });
  });

  describe("hostile IPFS metadata", () => {
    async function openProduct(id: bigint) {
      await open(productUrl(ids.store.xss, id));
      await page.locator("h1").waitFor();
    }
    /** Name, price and stock come from the chain, whatever the metadata does. */
    async function expectChainData(name: string) {
      expect(await page.locator("h1").textContent()).to.equal(name);
      // The price's own text node; the dollar figure beside it (ui/usd.ts) is a separate span.
      expect(await page.locator(".buy-box .price").evaluate((el) => el.firstChild?.textContent)).to.equal("0.01 ETH");
      expect(await page.locator(".buy-box .stock").textContent()).to.equal("In stock");
      expect(await page.getByRole("button", { name: "Add to cart" }).isEnabled()).to.equal(true);
    }
    const placeholder = () => page.locator(".description", { hasText: "No description available." });

    it("renders hostile but valid product metadata as text", async () => {
      await openProduct(ids.product.hostileMeta);
      await page.locator(".description p").nth(1).waitFor();
      expect(await texts(".description p")).to.deep.equal(HOSTILE_DESCRIPTION.split("\n\n").map(stripBidi));
      expect(await texts(".details dt")).to.deep.equal(Object.keys(HOSTILE_DETAILS).map(stripBidi));
      expect(await texts(".details dd")).to.deep.equal(Object.values(HOSTILE_DETAILS));
      await expectChainData("Hostile description tee");
      await expectSafe();
    });

    /** No spinner is left: everything that was loading has settled, one way or the other. */
    const settled = (timeout: number) =>
      page.waitForFunction(() => !document.querySelector("main .loading"), null, { timeout });

    const refused: { what: string; key: keyof typeof ids.product; name: string; leak: string | null }[] = [
      { what: "metadata that is not JSON", key: "notJson", name: "Not JSON tee", leak: "NOT JSON TEXT" },
      { what: "a metadata CID that is markup", key: "badCid", name: "Bad CID tee", leak: null },
      { what: "metadata of another schema", key: "wrongSchema", name: "Wrong schema tee", leak: "WRONG SCHEMA TEXT" },
      {
        what: "metadata with fields of the wrong type",
        key: "wrongTypes",
        name: "Wrong types tee",
        leak: "WRONG TYPES TEXT",
      },
      {
        what: "a 10 kB description (over the 5,000-character cap)",
        key: "tenKb",
        name: "Ten kB description tee",
        leak: "TEN KB TEXT",
      },
      { what: "a 10 MB document streamed with no length", key: "huge", name: "Ten MB metadata tee", leak: "AAAA" },
    ];
    for (const { what, key, name, leak } of refused) {
      it(`shows a placeholder for ${what}, with name, price and stock from the chain`, async () => {
        const started = Date.now();
        await openProduct(ids.product[key]);
        await placeholder().waitFor({ timeout: GATEWAY_TIMEOUT_MS });
        await settled(GATEWAY_TIMEOUT_MS);
        expect(Date.now() - started).to.be.below(GATEWAY_TIMEOUT_MS);
        await expectChainData(name);
        if (leak) expect(await page.locator("main").textContent()).not.to.contain(leak);
        await expectSafe();
      });
    }

    it("stops reading a 10 MB document at the 64 KiB cap instead of downloading it", async () => {
      const before = world.hitsFor(cids.huge).filter((h) => h.gateway === "a").length;
      await openProduct(ids.product.huge);
      await placeholder().waitFor();
      const hit = world.hitsFor(cids.huge).filter((h) => h.gateway === "a")[before] as Hit;
      await waitUntil(() => hit.closed);
      expect(hit.finished).to.equal(false);
      expect(hit.sent).to.be.below(5 * 1024 * 1024);
      console.log(`      the browser cut the 10 MB answer after ${(hit.sent / 1024).toFixed(0)} KiB had been sent`);
    });

    it("wraps a 5,000-character unbroken description without widening the page", async () => {
      await openProduct(ids.product.unbroken);
      const paragraph = page.locator(".description p");
      await paragraph.waitFor();
      expect(((await paragraph.textContent()) ?? "").length).to.equal(5_000);
      await expectSafe();
    });

    it("renders at once from the chain when a gateway stalls mid-answer, then gives up within its timeout", async () => {
      const started = Date.now();
      await openProduct(ids.product.stall);
      await expectChainData("Stalled gateway tee");
      expect(await page.locator(".description .loading").textContent()).to.equal("Loading the description…");
      const shownAfter = Date.now() - started;
      await placeholder().waitFor({ timeout: GATEWAY_TIMEOUT_MS + 6_000 });
      const settledAfter = Date.now() - started;
      expect(shownAfter).to.be.below(GATEWAY_TIMEOUT_MS);
      expect(settledAfter).to.be.below(GATEWAY_TIMEOUT_MS * 2);
      await settled(1_000);
      expect(world.hitsFor(cids.stall).map((h) => h.gateway)).to.include.members(["a", "b"]);
      await expectSafe();
      console.log(`      chain data after ${shownAfter} ms, description placeholder after ${settledAfter} ms`);
    });

    it("renders store pages whose metadata hangs, weighs 10 MB or has a 10 kB bio", async () => {
      const hangHitsBefore = world.hitsFor(cids.storeHang).length;
      await open(storeUrl(ids.store.script));
      await page.locator("h1").waitFor();
      expect(await page.locator("h1").textContent()).to.equal(XSS_SCRIPT);
      await page.getByText("Nothing for sale yet").waitFor();
      // The page is complete while the gateway still holds the request open.
      expect(world.hitsFor(cids.storeHang).length).to.be.above(hangHitsBefore);
      expect(await page.locator(".store-header .store-bio").textContent()).to.equal("");
      expect(await page.locator(".store-header .placeholder").count()).to.be.at.least(1);
      await expectSafe();

      await page.goto(`${stack.dappUrl}${storeUrl(ids.store.rlo)}`);
      await page.locator(".product-card").first().waitFor();
      const huge = () => world.hitsFor(cids.storeHuge).filter((h) => h.gateway === "a");
      await waitUntil(() => huge().length > 0 && huge().every((h) => h.closed));
      // Refused on its declared length: the request is dropped as the body starts to stream.
      for (const hit of huge()) {
        expect(hit.finished).to.equal(false);
        expect(hit.sent).to.be.below(5 * 1024 * 1024);
      }
      expect(await page.locator(".store-header .store-bio").textContent()).to.equal("");
      await expectSafe();

      await page.goto(`${stack.dappUrl}${storeUrl(ids.store.longest)}`);
      await page.locator(".product-card").first().waitFor();
      // The store's metadata has settled (refused: over the size cap), so the bio can no longer appear.
      await page.locator('.store-header .store-bio[data-metadata="refused"]').waitFor({ state: "attached" });
      expect(await page.locator("main").textContent()).not.to.contain("TEN KB BIO");
      await expectSafe();
    });

    it("truncates a long bio on the store card and shows it whole on the store page", async () => {
      await open("#/");
      const bio = page.locator(".store-card", { hasText: "Long Bio Records" }).locator(".store-bio");
      await page.waitForFunction((el) => (el?.textContent ?? "").length > 0, await bio.elementHandle());
      expect(await bio.textContent()).to.equal(`${LONG_BIO.slice(0, 137)}…`);
      await page.goto(`${stack.dappUrl}${storeUrl(ids.store.bio)}`);
      await page.locator(".store-header .store-bio", { hasText: "Loud music" }).waitFor();
      expect(await page.locator(".store-header .store-bio").textContent()).to.equal(LONG_BIO);
      await expectSafe();
    });

    it("never shows SVG (it could run script once opened from its blob: URL) or HTML as a picture", async () => {
      await openProduct(ids.product.images);
      const main = page.locator(".main-image-wrap img");
      await main.waitFor();
      const thumbs = page.locator(".thumbs .thumb-btn");
      expect(await thumbs.count()).to.equal(3);
      // Every thumbnail's load has settled: shown, or refused as not a picture the dapp shows.
      await page.waitForFunction(() => {
        const boxes = Array.from(document.querySelectorAll<HTMLElement>(".thumbs [data-image]"));
        return boxes.length === 3 && boxes.every((b) => b.dataset.image !== "loading");
      });
      // Only the PNG became an image; the SVG and the HTML stay placeholders.
      expect(await thumbs.nth(0).locator("img").count()).to.equal(1);
      expect(await thumbs.nth(1).locator("img").count()).to.equal(0);
      expect(await thumbs.nth(2).locator("img").count()).to.equal(0);
      expect(await thumbs.nth(1).locator(".placeholder").count()).to.equal(1);
      await expectSafe();
    });
  });

  describe("tampered content", () => {
    it("refuses bytes that don't match the CID and takes the honest copy from the next gateway", async () => {
      await open(productUrl(ids.store.xss, ids.product.tampered));
      await page.locator(".description p", { hasText: HONEST_TEXT }).waitFor();
      expect(await page.locator("main").textContent()).not.to.contain("TAMPERED");
      const asked = world.hitsFor(cids.tampered).map((h) => h.gateway);
      expect(asked.slice(0, 2)).to.deep.equal(["a", "b"]);
      await expectSafe();
    });

    it("shows a placeholder, never the lie, when only a lying gateway has the content", async () => {
      await open(productUrl(ids.store.xss, ids.product.tamperedOnly));
      await page.locator(".description", { hasText: "No description available." }).waitFor();
      expect(await page.locator("main").textContent()).not.to.contain("TAMPERED");
      expect(world.hitsFor(cids.tamperedOnly).some((h) => h.gateway === "a" && h.finished)).to.equal(true);
      await expectSafe();
    });

    it("shows the honest picture, not the one a gateway swapped in", async () => {
      await open(productUrl(ids.store.xss, ids.product.images));
      const img = page.locator(".main-image-wrap img");
      await img.waitFor();
      await page.waitForFunction(() => (document.querySelector(".main-image-wrap img") as HTMLImageElement)?.complete);
      // The honest PNG is 2 × 3 pixels, the swapped one 7 × 5.
      const size = await img.evaluate((el) => [
        (el as HTMLImageElement).naturalWidth,
        (el as HTMLImageElement).naturalHeight,
      ]);
      expect(size).to.deep.equal([2, 3]);
      expect(world.hitsFor(cids.png).map((h) => h.gateway)).to.include.members(["a", "b"]);
      await expectSafe();
    });

    it("checks a multi-block (dag-pb) picture block by block: the swap is refused, the real one shown", async () => {
      const gateways = [`${world.url}/a`, stack.gatewayUrl];
      const before = world.hitsFor(cids.bigPng).length;
      await open(productUrl(ids.store.xss, ids.product.bigPicture), { gateways });
      const img = page.locator(".main-image-wrap img");
      await img.waitFor();
      await page.waitForFunction(() => (document.querySelector(".main-image-wrap img") as HTMLImageElement)?.complete);
      const size = await img.evaluate((el) => [
        (el as HTMLImageElement).naturalWidth,
        (el as HTMLImageElement).naturalHeight,
      ]);
      expect(size).to.deep.equal([700, 700]);
      // The liar was asked first, for the root block in the trustless raw format, and its answer was not used.
      expect(
        world
          .hitsFor(cids.bigPng)
          .slice(before)
          .map((h) => h.gateway),
      ).to.deep.equal(["a"]);
      await expectSafe();
    });

    it("shows a placeholder when only a liar serves a multi-block picture", async () => {
      const before = world.hitsFor(cids.bigPng).length;
      await open(productUrl(ids.store.xss, ids.product.bigPicture), { gateways: [`${world.url}/a`] });
      await page.locator(".description p", { hasText: "A big picture." }).waitFor();
      await waitUntil(() => world.hitsFor(cids.bigPng).length > before);
      // The picture's load has settled (no gateway served bytes matching its CID).
      await page.locator('.main-image-wrap [data-image="failed"]').waitFor({ state: "attached" });
      expect(await page.locator(".main-image-wrap img").count()).to.equal(0);
      expect(await page.locator(".main-image-wrap .placeholder").count()).to.equal(1);
      await expectSafe();
    });
  });

  describe("RPC down", () => {
    afterEach(() => {
      world.rpcUp = true;
    });

    it("explains an unreachable RPC with a banner and Retry, never a blank page, and reloads once it is back", async () => {
      world.rpcUp = false;
      await open("#/", { rpcUrl: world.rpcUrl, gateways: [stack.gatewayUrl] });
      const banner = page.locator(".banner.danger");
      const expectExplained = async () => {
        await banner.waitFor();
        expect(await banner.locator("span").textContent()).to.equal("Can't reach the network right now. Retrying…");
        expect(await banner.getByRole("button", { name: "Retry" }).isVisible()).to.equal(true);
        // Not a blank page: the hero, and each section says what happened, with its own Retry.
        await page.locator("main [role=alert]").nth(1).waitFor();
        expect(await page.locator("main h1").textContent()).to.equal("Merch straight from the artists");
        expect(await page.locator("main [role=alert]").allTextContents()).to.deep.equal([
          "Can't reach the network right now. Retrying…Retry",
          "Can't reach the network right now. Retrying…Retry",
        ]);
        expect(await page.locator(".store-card").count()).to.equal(0);
        await expectSafe();
      };
      await expectExplained();
      // Retrying while the node is still down explains it again, whether the whole page reloads or one section.
      await banner.getByRole("button", { name: "Retry" }).click();
      await expectExplained();
      await page.locator("main [role=alert]").first().getByRole("button", { name: "Retry" }).click();
      await expectExplained();

      // Back up: the next block poll finds it, the banner goes and the sections load by themselves.
      world.rpcUp = true;
      const back = Date.now();
      await page.locator(".store-card", { hasText: "The Midnight Owls" }).first().waitFor({ timeout: 10_000 });
      await page.locator(".product-card").first().waitFor();
      expect(await page.locator(".banner.danger").count()).to.equal(0);
      expect(await page.locator("main [role=alert]").count()).to.equal(0);
      console.log(`      catalog back ${Date.now() - back} ms after the RPC, with no click`);
      await expectSafe();
    });

    it("keeps the page when the RPC drops mid-session; a page that couldn't load comes back with the RPC", async () => {
      await open(productUrl(ids.store.xss, ids.product.hostileMeta), { rpcUrl: world.rpcUrl });
      await page.locator("h1").waitFor();
      world.rpcUp = false;
      const banner = page.locator(".banner.danger");
      await banner.waitFor({ timeout: 10_000 });
      // What was on screen stays on screen.
      expect(await page.locator("h1").textContent()).to.equal("Hostile description tee");
      await page.locator(".breadcrumb a", { hasText: XSS_IMG }).click();
      const failed = page.getByRole("heading", { name: "This page didn't load" });
      await failed.waitFor();
      expect(await page.locator("main [role=alert]").textContent()).to.equal("Can't reach the network right now.");
      await page.locator("main").getByRole("button", { name: "Retry" }).click();
      await failed.waitFor();
      await expectSafe();

      world.rpcUp = true;
      await page.getByRole("heading", { level: 1, name: XSS_IMG }).waitFor({ timeout: 10_000 });
      await page.locator(".product-card").first().waitFor();
      await banner.waitFor({ state: "detached" });
      await expectSafe();
    });
  });
});
