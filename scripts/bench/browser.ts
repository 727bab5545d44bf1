// Time from navigation to the rendered catalog, in headless Chromium, with the dapp opened from the local IPFS
// gateway exactly as a fan opens it (its subdomain URL, no wallet). Each run gets a fresh browser context, so
// nothing is cached between runs.
//
// The clock is the page's own: `performance.now()` counts from the navigation's start, and the catalog counts as
// rendered at the first animation frame after a product card is in the DOM (the frame that paints it). Playwright's
// round trips are outside the measured interval.
import { relative } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../test/e2e/support/browser.ts";
import { assetFile, gzipSize } from "./dapp-size.ts";
import { repeat, type Summary, summarize } from "./stats.ts";

/** The storefront's product card (frontend/src/ui/components.ts `productCard`), which the e2e test waits on too. */
export const CATALOG_MARKER = ".product-card";

declare global {
  interface Window {
    __benchCatalogPaintedAt?: number;
  }
}

/** Runs in the page before its scripts: notes the frame in which the first product card is painted. */
function watchForCatalog(selector: string): void {
  const observer = new MutationObserver(() => {
    if (document.querySelector(selector) === null) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      window.__benchCatalogPaintedAt = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Where the time to the painted catalog went, from the page's navigation and resource timing entries. */
export type RenderPhases = {
  /** DOMContentLoaded: the entry script and stylesheet are in. */
  domContentLoaded: Summary;
  /** The first JSON-RPC request to the chain starts (after manifest.json and the route's chunk). */
  firstRpcStart: Summary;
  /** The last JSON-RPC answer before the paint is in; the rest is decoding and rendering. */
  lastRpcEnd: Summary;
  /** JSON-RPC requests made before the paint. */
  rpcRequests: Summary;
};

export type RenderRuns = {
  ms: Summary;
  phases: RenderPhases;
  /** Wall-clock time from `page.goto` to the marker seen by Playwright (includes its round trips). */
  wallMs: Summary;
  /** Scripts the browser fetched before the catalog was painted (first run), with their gzip sizes. */
  scripts: Array<{ path: string; gzip: number }>;
  scriptsGzip: number;
  chromium: string;
};

export async function measureCatalogRender(options: {
  url: string;
  dist: string;
  reps: number;
  /** The chain's JSON-RPC URL (from the manifest), to pick its requests out of the resource timings. */
  rpcUrl: string;
}): Promise<RenderRuns> {
  const rpcOrigin = new URL(options.rpcUrl).origin;
  const browser: Browser = await launchChromium();
  try {
    const runs = await repeat(options.reps, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        await context.addInitScript(watchForCatalog, CATALOG_MARKER);
        const page = await context.newPage();
        const scripts: string[] = [];
        page.on("request", (request) => {
          if (request.resourceType() === "script") scripts.push(request.url());
        });
        const started = performance.now();
        await page.goto(options.url, { waitUntil: "commit" });
        await page.waitForFunction(() => window.__benchCatalogPaintedAt !== undefined, null, {
          timeout: 60_000,
          polling: 50,
        });
        const wallMs = performance.now() - started;
        const timing = await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          return {
            paintedAt: window.__benchCatalogPaintedAt as number,
            domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
            resources: performance
              .getEntriesByType("resource")
              .map((r) => ({ name: r.name, start: r.startTime, end: (r as PerformanceResourceTiming).responseEnd })),
          };
        });
        const ms = timing.paintedAt;
        const rpc = timing.resources.filter((r) => r.start < ms && new URL(r.name).origin === rpcOrigin);
        if (rpc.length === 0) throw new Error(`the catalog painted without a request to ${options.rpcUrl}`);
        const phases = {
          domContentLoaded: timing.domContentLoaded,
          firstRpcStart: Math.min(...rpc.map((r) => r.start)),
          lastRpcEnd: Math.max(...rpc.map((r) => r.end)),
          rpcRequests: rpc.length,
        };
        const cards = await page.locator(CATALOG_MARKER).count();
        if (cards === 0) throw new Error("the catalog marker vanished right after it was painted");
        return { ms, wallMs, phases, scripts: [...scripts] };
      } finally {
        await context.close();
      }
    });
    const origin = new URL(options.url);
    const scripts = await Promise.all(
      runs[0]!.scripts
        .filter((url) => new URL(url).host === origin.host)
        .map(async (url) => {
          // Subdomain URLs put the build at "/"; path URLs under /ipfs/<cid>/.
          const path = new URL(url).pathname.replace(/^\/ipfs\/[^/]+/, "");
          const size = await gzipSize(assetFile(options.dist, path));
          return { path: relative(options.dist, size.path), gzip: size.gzip };
        }),
    );
    return {
      ms: summarize(runs.map((r) => r.ms)),
      phases: {
        domContentLoaded: summarize(runs.map((r) => r.phases.domContentLoaded)),
        firstRpcStart: summarize(runs.map((r) => r.phases.firstRpcStart)),
        lastRpcEnd: summarize(runs.map((r) => r.phases.lastRpcEnd)),
        rpcRequests: summarize(runs.map((r) => r.phases.rpcRequests)),
      },
      wallMs: summarize(runs.map((r) => r.wallMs)),
      scripts,
      scriptsGzip: scripts.reduce((n, s) => n + s.gzip, 0),
      chromium: browser.version(),
    };
  } finally {
    await browser.close();
  }
}

/** A throttled connection for Chromium's network emulation (DevTools protocol `Network.emulateNetworkConditions`). */
export type NetworkProfile = { name: string; downloadKbps: number; uploadKbps: number; latencyMs: number };

/** DevTools' "Slow 3G": 400 kbit/s each way and 400 ms round trips. */
export const SLOW_3G: NetworkProfile = { name: "Slow 3G", downloadKbps: 400, uploadKbps: 400, latencyMs: 400 };

export type ThrottledRuns = {
  network: NetworkProfile;
  /** First contentful paint (the index.html skeleton, when it paints before the script has loaded). */
  firstContentfulPaint: Summary;
  /** DOMContentLoaded: the entry script and stylesheet are in. */
  domContentLoaded: Summary;
  /** The first product card painted, as in measureCatalogRender. */
  catalog: Summary;
};

/**
 * First paint and catalog paint on a throttled connection: every request of the page (gateway and JSON-RPC) goes
 * through Chromium's network emulation. Reported beside the unthrottled render time, not held to a target.
 */
export async function measureThrottledPaint(options: {
  url: string;
  reps: number;
  network?: NetworkProfile;
}): Promise<ThrottledRuns> {
  const network = options.network ?? SLOW_3G;
  const browser: Browser = await launchChromium();
  try {
    const runs = await repeat(options.reps, async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      try {
        await context.addInitScript(watchForCatalog, CATALOG_MARKER);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", {
          offline: false,
          latency: network.latencyMs,
          downloadThroughput: (network.downloadKbps * 1000) / 8,
          uploadThroughput: (network.uploadKbps * 1000) / 8,
        });
        await page.goto(options.url, { waitUntil: "commit" });
        await page.waitForFunction(() => window.__benchCatalogPaintedAt !== undefined, null, {
          timeout: 180_000,
          polling: 100,
        });
        return page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          return {
            firstContentfulPaint: fcp?.startTime ?? Number.NaN,
            domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
            catalog: window.__benchCatalogPaintedAt as number,
          };
        });
      } finally {
        await context.close();
      }
    });
    return {
      network,
      firstContentfulPaint: summarize(runs.map((r) => r.firstContentfulPaint)),
      domContentLoaded: summarize(runs.map((r) => r.domContentLoaded)),
      catalog: summarize(runs.map((r) => r.catalog)),
    };
  } finally {
    await browser.close();
  }
}
