// A fan with no wallet, a phone, and no crypto habits, against the real local stack (`npm start` on random ports):
// the connect dialog explains what a wallet is and where to get one, with "Open in <wallet>" links that carry this
// page on a phone and a QR code of it on a desktop (decoded here); the local chain's demo account buys with nothing
// installed, and the header balances move after the purchase; a refund the store sends lands in the wallet (the
// header balance moves) with nothing left to collect; and a manifest for any other chain never offers a demo account. axe-core finds no
// violation in the dialog at 1280 and 390 px. Screenshots of the dialog and the demo account go to test-results/.
import { resolve } from "node:path";
import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import decodeQR from "qr/decode.js";
import { Chain } from "../../frontend/src/client/chain.ts";
import { encodeCall } from "../../frontend/src/client/contract.ts";
import { loadOrder } from "../../frontend/src/client/orders.ts";
import { orderArg } from "../../frontend/src/client/protocol.ts";
import { HttpRpc } from "../../frontend/src/client/rpc.ts";
import { ROOT } from "../../scripts/cli/root.ts";
import { rpcProvider } from "../../scripts/cli/rpc.ts";
import { castWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";

const AXE = resolve(ROOT, "node_modules/axe-core/axe.min.js");
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const ADDRESS = { name: "Ada Lovelace", line1: "12 Owl Lane", city: "Leeds", postalCode: "LS6 1AA", country: "GB" };

type Violation = { id: string; impact: string | null; help: string; targets: string[] };

describe("wallet onboarding in Chromium (e2e)", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let stackManifest: Record<string, unknown>;
  /** The order the demo buyer places; the credit test refunds part of it. */
  let orderId: bigint | null = null;

  before(async () => {
    stack = await startTestStack();
    stackManifest = (await (await fetch(`${stack.gatewayUrl}/ipfs/${stack.dappCid}/manifest.json`)).json()) as Record<
      string,
      unknown
    >;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `wallet-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
    context = undefined;
  });

  /** A browser with no wallet at all: no extension, nothing injected. */
  async function open(hash: string, options: { phone?: boolean; manifest?: Record<string, unknown> } = {}) {
    context = await browser.newContext({
      viewport: options.phone ? PHONE : DESKTOP,
      // axe is injected as a script tag, which the dapp's Content-Security-Policy (script-src 'self') would refuse.
      bypassCSP: true,
      ...(options.phone ? { isMobile: true, hasTouch: true, userAgent: IPHONE_UA } : {}),
    });
    if (options.manifest) {
      const manifest = options.manifest;
      await context.route("**/manifest.json", (route) => route.fulfill({ json: manifest }));
    }
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${hash}`);
    await page.locator("#main:not([aria-busy])").waitFor();
    return page;
  }

  async function openConnectDialog() {
    await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
    await dialog.waitFor();
    await dialog.locator(".wallet-list p.muted", { hasText: "Looking for wallets" }).waitFor({ state: "detached" });
    return dialog;
  }

  async function axeOnDialog(): Promise<Violation[]> {
    if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
      const result = await (window as any).axe.run({ include: [".wallet-dialog"] }, { resultTypes: ["violations"] });
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

  /** The QR code drawn into a canvas, decoded in Node with qr's own decoder. */
  async function decodeDialogQr(): Promise<string> {
    const image = await page.evaluate(async () => {
      const svg = document.querySelector(".wallet-dialog svg.qr-code");
      if (!svg) throw new Error("no QR code");
      const size = 400;
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = size;
      canvas.height = size;
      const ctx = canvas.getContext("2d");
      if (!ctx) throw new Error("no canvas");
      ctx.drawImage(img, 0, 0, size, size);
      return { width: size, height: size, data: Array.from(ctx.getImageData(0, 0, size, size).data) };
    });
    return decodeQR({ width: image.width, height: image.height, data: Uint8Array.from(image.data) });
  }

  async function headerEth(): Promise<string> {
    const el = page.locator(".site-header .account .balance-eth");
    await el.waitFor();
    return ((await el.textContent()) ?? "").trim();
  }

  async function connectDemoBuyer() {
    const dialog = await openConnectDialog();
    await dialog.getByRole("button", { name: /Buyer \(demo\)/ }).click();
    await page.locator(".site-header .account .address").waitFor();
  }

  describe("with no wallet", () => {
    it("on a desktop: says what a wallet is, links to install one, and shows a QR code of this page", async () => {
      await open("#/store/1");
      const dialog = await openConnectDialog();
      await dialog.getByText("No wallet found in this browser.").waitFor();
      expect(await dialog.locator(".wallet-explained").textContent()).to.match(/^A wallet is an app/);
      const install = await dialog
        .locator(".wallet-install a")
        .evaluateAll((links) => links.map((a) => [a.textContent, (a as HTMLAnchorElement).href]));
      expect(install).to.deep.include.members([
        ["Get MetaMask", "https://metamask.io/download/"],
        ["Get Coinbase Wallet", "https://www.coinbase.com/wallet/downloads"],
        ["Get Rabby", "https://rabby.io/"],
        ["Get Trust Wallet", "https://trustwallet.com/download"],
      ]);
      // No "Open in" deep links on a desktop: they open phone apps.
      expect(await dialog.getByRole("link", { name: /^Open in / }).count()).to.equal(0);
      await dialog.getByRole("img", { name: "QR code of this page" }).waitFor();
      expect(await decodeDialogQr()).to.equal(page.url());
      expect(page.url()).to.match(/#\/store\/1$/);
      // Browsing still works: the store page is behind the dialog, loaded.
      await dialog.getByText("You can browse every store without a wallet.").waitFor();
      await screenshot(page, "wallet-dialog-no-wallet-desktop");
      expect(await axeOnDialog()).to.deep.equal([]);
    });

    it("on a phone: 'Open in <wallet>' links reopen this exact page in the wallet's browser", async () => {
      await open("#/store/1/product/1", { phone: true });
      const dialog = await openConnectDialog();
      await dialog.getByText("No wallet found in this browser.").waitFor();
      const here = page.url();
      expect(here).to.match(/#\/store\/1\/product\/1$/);
      const href = async (name: string) =>
        (await dialog.getByRole("link", { name: `Open in ${name}`, exact: true }).getAttribute("href")) ?? "";
      // The local stack serves over http, so MetaMask gets the whole URL, scheme included.
      expect(await href("MetaMask")).to.equal(`https://link.metamask.io/dapp/${here}`);
      expect(new URL(await href("Coinbase Wallet")).searchParams.get("cb_url")).to.equal(here);
      const trust = new URL(await href("Trust Wallet"));
      expect(trust.origin + trust.pathname).to.equal("https://link.trustwallet.com/open_url");
      expect(trust.searchParams.get("url")).to.equal(here);
      expect(await dialog.locator(".wallet-install a").count()).to.be.greaterThanOrEqual(4);
      // No QR code on the phone itself.
      expect(await dialog.locator(".qr-code").count()).to.equal(0);
      await screenshot(page, "wallet-dialog-no-wallet-phone");
      expect(await axeOnDialog()).to.deep.equal([]);
    });
  });

  describe("with several wallets injected", () => {
    it("lists each one found through EIP-6963, and no install links", async () => {
      context = await browser.newContext({ viewport: DESKTOP });
      // Two extensions announcing themselves, as EIP-6963 asks (their providers are never called here).
      await context.addInitScript({
        content: `(() => {
          const wallets = ["Alpha Wallet", "Beta Wallet"].map((name, i) => ({
            info: { uuid: "00000000-0000-4000-8000-00000000000" + i, name, icon: "", rdns: "test.wallet" + i },
            provider: { request: async () => { throw Object.assign(new Error("not here"), { code: 4001 }); } },
          }));
          const announce = () => {
            for (const w of wallets) {
              window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze(w) }));
            }
          };
          window.addEventListener("eip6963:requestProvider", announce);
        })();`,
      });
      page = await context.newPage();
      await page.goto(`${stack.dappUrl}#/`);
      await page.locator("#main:not([aria-busy])").waitFor();
      const dialog = await openConnectDialog();
      await dialog.getByRole("button", { name: "Alpha Wallet" }).waitFor();
      await dialog.getByRole("button", { name: "Beta Wallet" }).waitFor();
      expect(await dialog.getByText("No wallet found in this browser.").count()).to.equal(0);
      expect(await dialog.locator(".wallet-install").count()).to.equal(0);
    });
  });

  describe("demo accounts", () => {
    it("the local stack publishes them beside the manifest", async () => {
      const file = (await (await fetch(`${stack.gatewayUrl}/ipfs/${stack.dappCid}/demo-accounts.json`)).json()) as {
        chainId: number;
        accounts: { role: string; address: string }[];
      };
      expect(file.chainId).to.equal(31337);
      expect(file.accounts.map((a) => a.address)).to.deep.equal([
        castWallet("buyer").address,
        castWallet("sellerA").address,
      ]);
    });

    it("buy a product end to end with nothing installed, and the header balances move", async () => {
      await open("#/");
      await page.locator(".store-card", { hasText: "The Midnight Owls" }).first().click();
      await page.locator(".product-card", { hasText: "Owl Moon Tee" }).first().click();
      await page.getByRole("radio", { name: "M", exact: true }).click();
      await page.getByRole("button", { name: "Buy now" }).click();
      await page.getByLabel("Full name").fill(ADDRESS.name);
      await page.getByLabel("Address", { exact: true }).fill(ADDRESS.line1);
      await page.getByLabel("City").fill(ADDRESS.city);
      await page.getByLabel("Postcode / ZIP").fill(ADDRESS.postalCode);
      await page.getByLabel("Country").selectOption(ADDRESS.country);
      // "Pay now" with no wallet opens the dialog, which offers the demo accounts, marked as such.
      await page.getByRole("button", { name: "Pay now" }).click();
      const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
      const demo = dialog.locator(".demo-accounts");
      await demo.waitFor();
      expect(await demo.getByRole("button").allTextContents()).to.deep.equal([
        "◎Buyer (demo)Demo account (local test chain)",
        "◎Seller (The Midnight Owls) (demo)Demo account (local test chain)",
      ]);
      await screenshot(page, "wallet-dialog-demo-accounts");
      expect(await axeOnDialog()).to.deep.equal([]);
      await demo.getByRole("button", { name: /Buyer \(demo\)/ }).click();
      await dialog.waitFor({ state: "detached" });
      await page.locator(".site-header .account .demo-mark", { hasText: "Demo account (local test chain)" }).waitFor();
      const before = await headerEth();
      expect(before).to.match(/^\d[\d,]*(\.\d+)? ETH$/);

      await page.getByRole("button", { name: "Pay now" }).click();
      await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 60_000 });
      const hash = new URL(page.url()).hash;
      const id = /^#\/orders\/(\d+)/.exec(hash)?.[1];
      expect(id, hash).to.be.a("string");
      orderId = BigInt(id ?? "0");
      // Paid (and gas): the header's ETH balance is lower, without a reload.
      await page.waitForFunction(
        (old) => {
          const now = document.querySelector(".site-header .account .balance-eth")?.textContent?.trim();
          return now !== undefined && now !== old;
        },
        before,
        { timeout: 30_000 },
      );
      const after = await headerEth();
      expect(Number.parseFloat(after.replace(/,/g, ""))).to.be.lessThan(Number.parseFloat(before.replace(/,/g, "")));
      await screenshot(page, "wallet-demo-account-paid");
    });

    it("are never offered, nor their file read, for a manifest of another chain", async () => {
      let asked = 0;
      context = await browser.newContext({ viewport: DESKTOP });
      await context.route("**/manifest.json", (route) =>
        route.fulfill({ json: { ...stackManifest, chainId: 84532, chainName: "Base Sepolia" } }),
      );
      await context.route("**/demo-accounts.json", (route) => {
        asked++;
        return route.continue();
      });
      page = await context.newPage();
      await page.goto(`${stack.dappUrl}#/`);
      await page.locator("#main:not([aria-busy])").waitFor();
      const dialog = await openConnectDialog();
      await dialog.getByText("No wallet found in this browser.").waitFor();
      expect(await dialog.locator(".demo-accounts").count()).to.equal(0);
      expect(await dialog.getByRole("button", { name: /demo/i }).count()).to.equal(0);
      expect(asked).to.equal(0);
    });
  });

  describe("credits", () => {
    it("a refund the store sends lands in the wallet, with nothing to collect, at 390 px", async () => {
      if (orderId === null) throw new Error("the purchase test did not place an order");
      await open("#/", { phone: true });
      await connectDemoBuyer();
      expect(await page.locator(".credit-notice").count()).to.equal(0);

      // The store refunds part of the order: Merchstand.refund pays the buyer's address straight away (a credit to
      // collect is only the fallback when that payment fails: test/security/FrontRunning.ts).
      const provider = rpcProvider(stack.rpcUrl);
      try {
        const chain = new Chain(new HttpRpc(stack.rpcUrl), stack.merchstand);
        const record = await loadOrder(chain, orderId, 0);
        if (!record) throw new Error(`order ${orderId} not found`);
        const buyer = record.order.buyer;
        const before = await provider.getBalance(buyer);
        const refund = encodeCall(
          { fn: "refund", args: [orderId, orderArg(record.order), parseEther("0.006")] },
          stack.merchstand,
        );
        const tx = await castWallet("sellerA", provider).sendTransaction(refund);
        await tx.wait();
        expect((await provider.getBalance(buyer)) - before).to.equal(parseEther("0.006"));
        expect(await chain.credits(buyer, ZeroAddress)).to.equal(0n);
      } finally {
        provider.destroy();
      }

      // Nothing waits to be collected: no notice on the next page either.
      await page.evaluate(() => {
        location.hash = "#/store/1";
      });
      await page.locator("#main:not([aria-busy])").waitFor();
      expect(await page.locator(".credit-notice").count()).to.equal(0);
    });
  });
});
