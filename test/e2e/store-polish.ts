// Storefront and seller-dashboard polish in a real browser against the real local stack (`npm start` on random
// ports): axe-core finds no accessibility violation on any page at 1280 and 390 px; the size picker is a real radio
// group; focus lands on each new page's heading; the wallet dialog keeps focus inside; the store page's filters live
// in the URL; impostor products carry a mark wherever they are listed; the phone header stays small.
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { expect } from "chai";
import { Interface, JsonRpcProvider } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { ROOT } from "../../scripts/cli/root.ts";
import { encodePng } from "../../scripts/seed/png.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const account = (index: number) => testWallet(index);
// The official store's owner in the demo seed (scripts/stack/accounts.ts: sellerA), and a fan no test uses.
const SELLER = account(1);
const FAN = account(19);
const AXE = resolve(ROOT, "node_modules/axe-core/axe.min.js");
const PHONE = { width: 390, height: 844 };
/** The narrowest common phone width (Galaxy S-series, many Androids). */
const NARROW_PHONE = { width: 360, height: 740 };
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
    await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
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
    const STOREFRONT = [
      "#/",
      "#/?q=owl%20tee",
      "#/store/1",
      "#/store/1/product/1",
      "#/cart",
      "#/checkout",
      "#/orders",
      "#/nowhere",
    ];
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

    it("moves through the size radios with the arrow keys, one Tab stop for the group", async () => {
      await open({ hash: "#/store/1/product/1" });
      const radios = page.getByRole("radio");
      await radios.first().waitFor();
      const state = () =>
        page.evaluate(() => ({
          checked: document.querySelector('[role="radio"][aria-checked="true"]')?.textContent ?? null,
          focused: document.activeElement?.getAttribute("role") === "radio" ? document.activeElement.textContent : null,
          tabStops: Array.from(document.querySelectorAll('[role="radio"]')).filter(
            (r) => (r as HTMLElement).tabIndex === 0,
          ).length,
        }));
      const before = await state();
      expect(before.tabStops).to.equal(1);
      await page.locator('[role="radio"][aria-checked="true"]').focus();
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction((was) => {
        const now = document.querySelector('[role="radio"][aria-checked="true"]');
        return now && now.textContent !== was && document.activeElement === now;
      }, before.checked);
      const after = await state();
      expect(after.focused).to.equal(after.checked);
      expect(after.tabStops).to.equal(1);
      await page.keyboard.press("ArrowLeft");
      await page.waitForFunction(
        (was) => document.querySelector('[role="radio"][aria-checked="true"]')?.textContent === was,
        before.checked,
      );
    });

    it("moves focus to the new page's heading after a navigation", async () => {
      await open();
      await page.locator(".store-card", { hasText: "The Midnight Owls" }).first().click();
      await page.waitForFunction(() => document.activeElement?.tagName === "H1");
      expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal("The Midnight Owls");
      await page.locator(".product-card").first().click();
      await page.waitForFunction(() => document.activeElement?.tagName === "H1" && location.hash.includes("/product/"));
    });

    it("keeps Tab inside the wallet dialog, closes it with Escape and gives focus back", async () => {
      await open();
      const connectButton = page.getByRole("button", { name: "Connect wallet" });
      await connectButton.focus();
      await page.keyboard.press("Enter");
      await page.getByRole("button", { name: "Test Wallet" }).waitFor();
      for (const key of ["Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]) {
        await page.keyboard.press(key);
        expect(await page.evaluate(() => Boolean(document.activeElement?.closest("dialog"))), key).to.equal(true);
      }
      await page.keyboard.press("Escape");
      await page.locator("dialog").waitFor({ state: "detached" });
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).to.equal("Connect wallet");
    });

    it("draws the padlock as an icon of its own, not an emoji", async () => {
      await open({ account: SELLER.address });
      await connect();
      for (const [hash, title] of [
        ["#/sell/new", "#key-title"],
        ["#/sell/store/1", "#skey-title"],
      ] as const) {
        await visit(hash);
        const icon = page.locator(`${title} .icon-lock`);
        await icon.waitFor();
        expect(await icon.evaluate((e) => getComputedStyle(e).maskImage)).to.match(/^url\("data:image\/svg\+xml/);
        expect((await icon.boundingBox())?.width).to.be.greaterThan(8);
        const text = await page.locator("#main").innerText();
        expect(text, hash).to.not.match(/[\u{1F000}-\u{1FAFF}]/u);
      }
    });
  });

  describe("store page", () => {
    for (const viewport of [DESKTOP, PHONE]) {
      it(`puts the store name below the banner, which keeps no padding, at ${viewport.width} px`, async () => {
        await open({ viewport, hash: "#/store/1" });
        await page.locator(".store-banner [data-image=shown]").waitFor();
        const box = await page.evaluate(() => {
          const banner = document.querySelector(".store-banner") as HTMLElement;
          const image = banner.firstElementChild as HTMLElement;
          const title = document.querySelector(".store-id h1") as HTMLElement;
          return {
            bannerBottom: banner.getBoundingClientRect().bottom,
            titleTop: title.getBoundingClientRect().top,
            padding: getComputedStyle(image).padding,
            imageHeight: image.getBoundingClientRect().height,
            bannerHeight: banner.getBoundingClientRect().height,
          };
        });
        expect(box.titleTop).to.be.at.least(box.bannerBottom);
        expect(box.padding).to.equal("0px");
        expect(box.imageHeight).to.equal(box.bannerHeight);
      });
    }

    it("keeps filters and sort in the URL, so Back restores them and the scroll position", async () => {
      await open({ viewport: PHONE, hash: "#/store/1" });
      await page.locator(".product-card").first().waitFor();
      await page.getByLabel("Sort by").selectOption("price-desc");
      await page.getByLabel("In stock only").check();
      await page.waitForFunction(() => location.hash.includes("sort=price-desc") && location.hash.includes("stock=in"));
      const firstName = await page.locator(".product-card .card-title").first().textContent();
      const last = page.locator(".product-card").last();
      await last.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => window.scrollY > 300);
      // The position is saved into the history entry as the fan scrolls (router.ts keepScrollInHistory).
      await page.waitForFunction(() => (history.state?.scrollY ?? 0) > 300);
      const scrolled = await page.evaluate(() => window.scrollY);
      await last.click();
      await page.getByRole("button", { name: "Add to cart" }).waitFor();
      await page.goBack();
      await page.locator(".product-card").first().waitFor();
      expect(await page.getByLabel("Sort by").inputValue()).to.equal("price-desc");
      expect(await page.getByLabel("In stock only").isChecked()).to.equal(true);
      expect(await page.locator(".product-card .card-title").first().textContent()).to.equal(firstName);
      await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 4, scrolled);
    });

    it("marks impostor products and stores on the home page and in search results", async () => {
      await open();
      const impostorCards = page.locator(".product-card", { hasText: "The Midnlght 0wls" });
      await page.locator(".product-card").first().waitFor();
      expect(await impostorCards.count()).to.be.greaterThan(0);
      for (const card of await impostorCards.all()) {
        expect(await card.locator(".lookalike-badge").innerText()).to.match(/Look-alike of The Midnight Owls/);
      }
      // The official store's own cards (the store line says exactly its name) carry no mark.
      const officialCards = page
        .locator(".product-card")
        .filter({ has: page.locator(".card-store > span", { hasText: /^The Midnight Owls$/ }) });
      expect(await officialCards.count()).to.be.greaterThan(0);
      expect(await officialCards.locator(".lookalike-badge").count()).to.equal(0);
      await page.locator(".store-card", { hasText: "The Midnlght 0wls" }).locator(".lookalike-badge").waitFor();
      await visit("#/?q=owl%20tee");
      const hits = page.locator(".product-card", { hasText: "The Midnlght 0wls" });
      await hits.first().locator(".lookalike-badge").waitFor();
      const officialHit = page
        .locator(".product-card")
        .filter({ has: page.locator(".card-store > span", { hasText: /^The Midnight Owls$/ }) });
      await officialHit.first().waitFor();
      expect(await officialHit.locator(".lookalike-badge").count()).to.equal(0);
    });
  });

  describe("phone (390 px)", () => {
    it("keeps the sticky header at most 64 px, with search behind a button", async () => {
      await open({ viewport: PHONE, account: SELLER.address });
      const height = () => page.locator(".site-header").evaluate((e) => e.getBoundingClientRect().height);
      expect(await height()).to.be.at.most(64);
      await connect();
      expect(await height()).to.be.at.most(64);
      expect(await page.locator(".search-input").isVisible()).to.equal(false);
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await page.locator(".search-input").fill("hoody");
      await page.keyboard.press("Enter");
      await page.locator(".product-card", { hasText: "Hoodie" }).first().waitFor();
      expect(await height()).to.be.at.most(64);
    });

    it("keeps the header on one row at 360 px with a wallet connected and a cart count", async () => {
      await open({ viewport: NARROW_PHONE, account: SELLER.address, hash: "#/store/1/product/1" });
      await connect();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.locator(".cart-link .count", { hasText: "1" }).waitFor();
      // No named helper functions inside evaluate: the test runner's transpiler would wrap them in a __name() that
      // the page doesn't define.
      const layout = await page.locator(".header-inner").evaluate((inner) => ({
        pageWidth: document.documentElement.scrollWidth,
        headerHeight: (inner.parentElement as Element).getBoundingClientRect().height,
        items: Array.from(inner.querySelectorAll(".brand, .search-toggle, .nav-link, .account-btn"))
          .map((e) => ({ e, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0)
          .map(({ e, r }) => ({
            name: e.textContent?.trim() ?? "",
            top: Math.round(r.top),
            left: r.left,
            right: r.right,
            clipped: e.scrollWidth > e.clientWidth + 1,
          })),
      }));
      expect(layout.pageWidth, "no sideways scrolling").to.be.at.most(NARROW_PHONE.width);
      expect(layout.headerHeight).to.be.at.most(64);
      expect(layout.items.map((i) => i.name)).to.include.members(["Sell", "Orders"]);
      const rowTop = Math.min(...layout.items.map((i) => i.top));
      const rowBottom = Math.max(...layout.items.map((i) => i.top));
      for (const item of layout.items) {
        expect(item.right, `${item.name} inside the screen`).to.be.at.most(NARROW_PHONE.width);
        expect(item.left, `${item.name} inside the screen`).to.be.at.least(0);
        expect(item.clipped, `${item.name} not clipped`).to.equal(false);
        // One row: every item starts above the lowest item's top plus a line, i.e. none wrapped below another.
        expect(item.top - rowTop, `${item.name} on the first row`).to.be.below(24);
      }
      expect(rowBottom - rowTop).to.be.below(24);
      // The account button still names the wallet: the short address's last characters at least.
      const shown = await page.locator(".account-btn").innerText();
      expect(shown).to.match(/[0-9a-f]{4}/i);
      await screenshot(page, "header-360-connected");
    });

    it("shows Add to cart without scrolling on the product page", async () => {
      await open({ viewport: PHONE, hash: "#/store/1/product/1" });
      const add = page.getByRole("button", { name: "Add to cart" });
      await add.waitFor();
      expect(await page.evaluate(() => window.scrollY)).to.equal(0);
      const box = await add.evaluate((e) => e.getBoundingClientRect().toJSON());
      expect(box.top).to.be.at.least(0);
      expect(box.bottom).to.be.at.most(PHONE.height);
      await add.click();
      await page.locator(".cart-link .count", { hasText: "1" }).waitFor();
    });

    it("shows each cart line's picture", async () => {
      await open({ viewport: PHONE, hash: "#/store/1/product/1" });
      await page.getByRole("button", { name: "Add to cart" }).click();
      await visit("#/store/1/product/2");
      await page.getByRole("button", { name: "Add to cart" }).click();
      await visit("#/cart");
      await page.locator(".cart-line").nth(1).waitFor();
      for (const line of await page.locator(".cart-line").all()) {
        await line.locator(".line-thumb [data-image=shown] img").waitFor();
      }
    });
  });

  describe("details", () => {
    it("says '4.0 · 1 review' for a single review, not an average-looking '(1)'", async () => {
      await open({ hash: "#/store/1" });
      await page.locator(".product-card").first().waitFor();
      const ratings = await page.locator(".product-card .rating").allInnerTexts();
      expect(
        ratings.some((r) => /\d\.\d · 1 review$/.test(r.trim())),
        ratings.join(" | "),
      ).to.equal(true);
      expect(
        ratings.some((r) => /\d\.\d · \d+ reviews$/.test(r.trim())),
        ratings.join(" | "),
      ).to.equal(true);
      expect(ratings.filter((r) => /\(\d+\)/.test(r))).to.deep.equal([]);
    });

    it("counts bytes where the contract counts bytes and characters where metadata does", async () => {
      await open({ account: SELLER.address, hash: "#/sell/new" });
      await connect();
      await page.getByLabel("Store name").fill("Café Noir");
      await page.getByText("10 / 64 bytes (9 characters").waitFor();
      const bio = page.getByLabel("About the store (optional)");
      await page.getByText("0 / 2,000 characters").waitFor();
      await bio.fill("Noise pop from Leeds 🦉");
      await page.getByText("23 / 2,000 characters").waitFor();
    });

    it("explains the arbiter, and says fans are told when the store names itself", async () => {
      await open({ account: SELLER.address, hash: "#/sell/new" });
      await connect();
      await page.getByText("What is an arbiter, and whom should I choose?").click();
      const note = page.locator(".own-arbiter");
      expect(await note.isVisible()).to.equal(false);
      await page.getByRole("button", { name: "Use my own wallet" }).click();
      expect(await page.getByLabel("Arbiter", { exact: true }).inputValue()).to.equal(SELLER.address);
      await note.waitFor();
      expect(await note.innerText()).to.match(/settles its own disputes/);
    });

    it("says a store settles its own disputes when its arbiter is one of its managers, as the checkout does", async () => {
      // One rule (client/terms.ts arbiterIsStore): owner, payout wallet or any manager. The seed's store 1 names an
      // independent arbiter; it makes a manager its arbiter, then puts its terms back.
      const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true });
      const protocol = new Interface(merchstandAbi);
      const owner = testWallet(1, provider);
      const manager = account(18).address;
      // Nonces counted here: the provider may answer a second eth_getTransactionCount from its short-lived cache.
      let nonce = await provider.getTransactionCount(owner.address, "latest");
      const send = async (fn: "setStoreTerms" | "setStoreManager", args: unknown[]) =>
        (
          await owner.sendTransaction({
            to: stack.merchstand,
            data: protocol.encodeFunctionData(fn, args),
            nonce: nonce++,
          })
        ).wait();
      const [store] = protocol.decodeFunctionResult(
        "getStore",
        await provider.call({ to: stack.merchstand, data: protocol.encodeFunctionData("getStore", [1n]) }),
      );
      const terms = {
        arbiter: String(store.terms.arbiter),
        shipWindow: Number(store.terms.shipWindow),
        deliveryWindow: Number(store.terms.deliveryWindow),
      };
      expect(String(store.owner)).to.equal(SELLER.address);
      try {
        await open({ hash: "#/store/1" });
        const note = page.locator(".store-header .self-arbitrated");
        await page.locator(".store-header h1").waitFor();
        expect(await note.isVisible()).to.equal(false);

        await send("setStoreManager", [1n, manager, true]);
        await send("setStoreTerms", [1n, { ...terms, arbiter: manager }]);
        await page.reload();
        await settled();
        await note.waitFor();
        expect(await note.textContent()).to.match(/^This store settles its own disputes/);
        await visit("#/store/1/product/1");
        await page.locator(".product-page .self-arbitrated").waitFor();
        await page.getByRole("button", { name: "Add to cart" }).click();
        await visit("#/checkout");
        const shown = page.locator(".summary .store-terms.self-arbiter");
        await shown.waitFor();
        expect(await shown.textContent()).to.contain("Disputes are decided by the store itself");
      } finally {
        await send("setStoreTerms", [1n, terms]);
        await send("setStoreManager", [1n, manager, false]);
        provider.destroy();
      }
    });

    it("resizes a photo over 2 MB in the browser and uploads it under the cap", async () => {
      await open({ account: SELLER.address, hash: "#/sell/store/1/products/new" });
      await connect();
      await settled();
      const side = 1400;
      // Random pixels: nothing for PNG's deflate to squeeze, so the file is well over the cap.
      const png = encodePng(side, side, new Uint8Array(randomBytes(side * side * 3)));
      expect(png.length).to.be.above(2 * 1024 * 1024);
      await page
        .locator('.image-field input[type="file"]')
        .setInputFiles({ name: "tour-photo.png", mimeType: "image/png", buffer: Buffer.from(png) });
      const item = page.locator(".upload-item").first();
      await item.locator("code.cid").waitFor({ timeout: 60_000 });
      expect(await item.locator(".resized").innerText()).to.match(/^Resized from [\d.]+ MB to [\d.]+ (MB|KB)\.$/);
      expect(await page.locator(".upload-error").count()).to.equal(0);
      const cid = await item.locator("code.cid").innerText();
      const bytes = new Uint8Array(await (await fetch(`${stack.gatewayUrl}/ipfs/${cid}`)).arrayBuffer());
      expect(bytes.length).to.be.at.most(2 * 1024 * 1024);
      const head = new TextDecoder().decode(bytes.subarray(0, 12));
      expect(head.startsWith("RIFF") && head.endsWith("WEBP")).to.equal(true);
    });
  });

  it("says in npm start's ready banner which URL to open and how to add the chain to a wallet", () => {
    const out = stack.output();
    expect(out).to.include(`→ Open ${stack.dappUrl} in your browser`);
    expect(out).to.match(/Network name: Hardhat local\n/);
    expect(out).to.include(`RPC URL: ${stack.rpcUrl}\n`);
    expect(out).to.match(/Chain ID: 31337\n/);
    expect(out).to.match(/Currency symbol: ETH\n/);
  });
});
