// The seller's drop editor in a real browser against the real local stack (`npm start` on random ports): the seller,
// whose browser is in Tokyo, sets a drop opening in the future in the product editor (a rule broken is a sentence and
// nothing is sent); the chain holds the times typed in Tokyo time; a product page a fan opened before shows the
// countdown; a checkout the fan opened before the drop was set turns its early Pay into a sentence and charges
// nothing; once the chain's clock passes the opening, the same checkout pays. A pre-order ship date set in the editor
// shows on the product page and at checkout, the drop can be removed again, and a store that sells tickets links its
// door page from the dashboard.
import { resolve } from "node:path";
import { expect } from "chai";
import { hexlify, JsonRpcProvider, parseEther } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { deriveShippingKey, shippingKeyMessage } from "../../frontend/src/client/shipping-crypto.ts";
import { ROOT } from "../../scripts/cli/root.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { eventArgs, protocolCalls } from "./support/chain.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const AXE = resolve(ROOT, "node_modules/axe-core/axe.min.js");
const SELLER = testWallet(17);
const FAN = testWallet(18);
const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400;
/** The seller's browser runs in Tokyo (UTC+9 all year, no daylight saving), the fan's in the machine's zone. */
const SELLER_ZONE = "Asia/Tokyo";
const TOKYO_OFFSET = 9 * 3_600;

/** The `datetime-local` text a browser in Tokyo shows for unix seconds `t` (whole minutes). */
function tokyoInput(t: number): string {
  return new Date((t + TOKYO_OFFSET) * 1000).toISOString().slice(0, 16);
}

describe("the seller's drop editor in Chromium (e2e)", function () {
  this.timeout(420_000);
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  let provider: JsonRpcProvider;
  let call: ReturnType<typeof protocolCalls>["call"];
  let send: ReturnType<typeof protocolCalls>["send"];
  let storeId: bigint;
  let teeId: bigint;

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 100;
    ({ call, send } = protocolCalls(provider, stack.merchstand));
    const keys = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 31337)));
    const opened = await send(SELLER, "openStore", [
      ["Drop Editor Records", "", SELLER.address, ETH, hexlify(keys.publicKey), [SELLER.address, 7 * DAY, 14 * DAY]],
    ]);
    storeId = BigInt(eventArgs(opened, "StoreOpened").storeId);
    teeId = BigInt(
      eventArgs(
        await send(SELLER, "listProduct", [
          storeId,
          ["Drop Editor Tee", "", 0, 0, false],
          [["M", parseEther("0.02"), 5]],
        ]),
        "ProductListed",
      ).productId,
    );
    await send(SELLER, "listProduct", [
      storeId,
      ["Launch Night — Ticket", "", 3, 0, true],
      [["GA", parseEther("0.01"), 50]],
    ]);
  });

  after(async () => {
    provider?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed")
      for (const [i, p] of pages.entries()) {
        const path = await screenshot(p, `e2e-drops-seller-${i}-${this.currentTest.title}`).catch(() => null);
        if (path) console.log(`    screenshot: ${path}`);
      }
    for (const c of contexts.splice(0)) await c.close();
    pages.splice(0);
  });

  async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    return provider.send(method, params) as Promise<T>;
  }

  async function chainNow(): Promise<number> {
    const block = await rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
    return Number(BigInt(block.timestamp));
  }

  async function browserFor(account: string, timezoneId?: string, width = 1280): Promise<BrowserContext> {
    // bypassCSP: axe is injected as a script tag, which the dapp's Content-Security-Policy would refuse.
    const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId, bypassCSP: true });
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account }) });
    contexts.push(context);
    return context;
  }

  async function open(context: BrowserContext, hash: string, connect = false): Promise<Page> {
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${stack.dappUrl}${hash}`);
    await page.locator("#main:not([aria-busy])").waitFor();
    if (connect) {
      await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
      await page.getByRole("button", { name: "Test Wallet" }).click();
      await page.locator(".account .address").waitFor();
    }
    return page;
  }

  async function drop(productId: bigint) {
    const d = (await call("getDrop", [productId]))[0];
    return {
      presaleAt: Number(d.presaleAt),
      opensAt: Number(d.opensAt),
      closesAt: Number(d.closesAt),
      shipsFrom: Number(d.shipsFrom),
    };
  }

  /** axe-core's violations on the page, one line each. */
  async function axe(p: Page): Promise<string[]> {
    if (!(await p.evaluate(() => "axe" in window))) await p.addScriptTag({ path: AXE });
    return p.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
      const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map(
        (v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(", ")}`,
      );
    });
  }

  const buttonEnabled = (p: Page, name: string) =>
    p.waitForFunction((label) => {
      const b = Array.from(document.querySelectorAll("button")).find((x) => x.textContent === label);
      return b !== undefined && !(b as HTMLButtonElement).disabled;
    }, name);

  async function fillAddress(p: Page) {
    await p.getByLabel("Full name").fill("Aki Fan");
    await p.getByLabel("Address", { exact: true }).fill("1 Call Lane");
    await p.getByLabel("City").fill("Leeds");
    await p.getByLabel("Postcode / ZIP").fill("LS1 6DT");
    await p.getByLabel("Country").selectOption({ label: "United Kingdom" });
  }

  it("sets a drop in the seller's time zone; a fan's early Pay is a sentence and charges nothing, then pays once open", async () => {
    // The fan opened the product while it was on sale, and went to the checkout with it.
    const fan = await browserFor(FAN.address);
    const fanProduct = await open(fan, `#/store/${storeId}/product/${teeId}`);
    await buttonEnabled(fanProduct, "Buy now");
    const checkout = await open(fan, `#/store/${storeId}/product/${teeId}`, true);
    await buttonEnabled(checkout, "Buy now");
    await checkout.getByRole("radio", { name: "M", exact: true }).click();
    await checkout.getByRole("button", { name: "Buy now" }).click();
    await checkout.getByRole("button", { name: "Pay now" }).waitFor();
    await fillAddress(checkout);

    // Meanwhile the seller, in Tokyo, puts the tee in a drop opening in two hours.
    const seller = await browserFor(SELLER.address, SELLER_ZONE);
    const editor = await open(seller, `#/sell/store/${storeId}/products/${teeId}`, true);
    await editor.locator(".drop-editor .drop-current.none").waitFor();
    const opensAt = Math.ceil(((await chainNow()) + 2 * 3_600) / 60) * 60;
    await editor.getByLabel("Opens to everyone").fill(tokyoInput(opensAt));
    // A close before the opening is refused in words, with nothing sent.
    await editor.getByLabel("Closes").fill(tokyoInput(opensAt - 3_600));
    await editor.getByRole("button", { name: "Save drop" }).click();
    await editor.locator(".drop-editor .error-sentence", { hasText: "The drop must close after it opens." }).waitFor();
    expect((await drop(teeId)).opensAt).to.equal(0);
    await editor.getByLabel("Closes").fill("");
    await editor.getByRole("button", { name: "Save drop" }).click();
    await editor.locator(".drop-editor .tx-stage.ok", { hasText: "The drop is saved." }).waitFor({ timeout: 60_000 });
    // The chain holds the Tokyo time typed, and the editor shows it back.
    expect(await drop(teeId)).to.deep.equal({ presaleAt: 0, opensAt, closesAt: 0, shipsFrom: 0 });
    await editor.locator(`.drop-editor .drop-current dd[data-time="${opensAt}"]`).waitFor();
    expect(await editor.getByLabel("Opens to everyone").inputValue()).to.equal(tokyoInput(opensAt));

    // The product page the fan opened before counts down now, and its Buy is shut.
    await fanProduct.locator(".drop-box[data-phase=upcoming]").waitFor({ timeout: 30_000 });
    await fanProduct.locator(".drop-countdown", { hasText: /^Opens in (1h \d\dm|2h 00m) \d\ds$/ }).waitFor();
    expect(await fanProduct.getByRole("button", { name: "Buy now" }).isDisabled()).to.equal(true);

    // The checkout opened before the drop was set: Pay is refused in a sentence, and the fan loses nothing.
    const [balanceBefore, nonceBefore] = await Promise.all([
      provider.getBalance(FAN.address),
      provider.getTransactionCount(FAN.address),
    ]);
    await checkout.getByRole("button", { name: "Pay now" }).click();
    const sentence = checkout.locator(".error-sentence");
    await sentence.waitFor({ timeout: 60_000 });
    expect(await sentence.textContent()).to.match(
      /^Drop Editor Tee isn't on sale yet: it opens .+ \(if it has a presale, a presale code for it lets you in earlier\)\. Nothing was charged\.$/,
    );
    expect(await provider.getBalance(FAN.address)).to.equal(balanceBefore);
    expect(await provider.getTransactionCount(FAN.address)).to.equal(nonceBefore);

    // Once the chain's clock passes the opening, the product page opens Buy, and the same checkout pays.
    await rpc("evm_increaseTime", [opensAt - (await chainNow()) + 5]);
    await rpc("evm_mine");
    // Open with no close: the box has nothing to show, so it is waited on as attached, not visible.
    await fanProduct.locator(".drop-box[data-phase=open]").waitFor({ state: "attached", timeout: 30_000 });
    await buttonEnabled(fanProduct, "Buy now");
    await checkout.getByRole("button", { name: "Pay now" }).click();
    await checkout.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 60_000 });
    expect(await provider.getBalance(FAN.address)).to.be.lessThan(balanceBefore - parseEther("0.02"));
  });

  it("shows a pre-order date set in the editor on the product page and at checkout, and removes the drop", async () => {
    const seller = await browserFor(SELLER.address, SELLER_ZONE);
    const editor = await open(seller, `#/sell/store/${storeId}/products/${teeId}`, true);
    await editor.locator(".drop-editor .drop-current dd").first().waitFor();
    // The editor says what a new ship date does to buys in flight.
    await editor
      .locator(".drop-terms-note", { hasText: "Changing the ship date starts a new version of your store's terms" })
      .waitFor();
    const max = Number((await call("MAX_PREORDER_DELAY", []))[0]);
    // Past MAX_PREORDER_DELAY (read from the contract): a sentence, nothing sent.
    await editor.getByLabel("Pre-order: ships from").fill(tokyoInput((await chainNow()) + max + 2 * DAY));
    await editor.getByRole("button", { name: "Save drop" }).click();
    await editor
      .locator(".drop-editor .error-sentence", { hasText: `A pre-order can ship at most ${max / DAY} days ahead` })
      .waitFor();
    expect((await drop(teeId)).shipsFrom).to.equal(0);

    const termsBefore = Number((await call("getStore", [storeId]))[0].termsVersion);
    const shipsFrom = Math.ceil(((await chainNow()) + 30 * DAY) / 60) * 60;
    await editor.getByLabel("Pre-order: ships from").fill(tokyoInput(shipsFrom));
    await editor.getByRole("button", { name: "Save drop" }).click();
    await editor.locator(".drop-editor .tx-stage.ok", { hasText: "The drop is saved." }).waitFor({ timeout: 60_000 });
    expect((await drop(teeId)).shipsFrom).to.equal(shipsFrom);
    expect(await axe(editor)).to.deep.equal([]);
    // A new ship date is a new terms version, as the note says.
    expect(Number((await call("getStore", [storeId]))[0].termsVersion)).to.equal(termsBefore + 1);

    // The fan sees the pre-order on the product page and at checkout, with the same date.
    const fan = await browserFor(FAN.address);
    const product = await open(fan, `#/store/${storeId}/product/${teeId}`);
    const note = product.locator(".drop-box .pre-order", { hasText: /^Pre-order: ships from / });
    await note.waitFor({ timeout: 30_000 });
    const shipText = ((await note.textContent()) ?? "").trim();
    await buttonEnabled(product, "Buy now");
    await product.getByRole("radio", { name: "M", exact: true }).click();
    await product.getByRole("button", { name: "Buy now" }).click();
    await product.locator(".pre-order-line .pre-order", { hasText: `Drop Editor Tee: ${shipText}` }).waitFor();

    // Removing the drop puts the product back to plain sale.
    await editor.getByRole("button", { name: "Remove the drop" }).click();
    await editor.locator(".drop-editor .tx-stage.ok", { hasText: "The drop is removed." }).waitFor({ timeout: 60_000 });
    await editor.locator(".drop-editor .drop-current.none").waitFor();
    expect(await drop(teeId)).to.deep.equal({ presaleAt: 0, opensAt: 0, closesAt: 0, shipsFrom: 0 });
  });

  it("links the door page from the dashboard of a store that sells tickets", async () => {
    const seller = await browserFor(SELLER.address);
    const overview = await open(seller, `#/sell/store/${storeId}`, true);
    const door = overview.locator(".door-section").getByRole("link", { name: "Open the door page" });
    await door.waitFor({ timeout: 30_000 });
    expect(await door.getAttribute("href")).to.equal(`#/door/${storeId}`);
    expect(await axe(overview)).to.deep.equal([]);
    await door.click();
    await overview.getByLabel("Ticket text").waitFor();
  });

  it("fits the drop editor on a phone without sideways scrolling", async () => {
    const phone = await browserFor(SELLER.address, SELLER_ZONE, 375);
    const editor = await open(phone, `#/sell/store/${storeId}/products/${teeId}`, true);
    await editor.getByLabel("Pre-order: ships from").waitFor();
    const overflow = await editor.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `the editor scrolls sideways by ${overflow}px`).to.be.at.most(0);
    expect(await axe(editor)).to.deep.equal([]);
  });
});
