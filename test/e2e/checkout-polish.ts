// Checkout polish in a real browser against the real local stack (`npm start` on random ports): typed details
// survive a reload of the tab and are gone after paying; the wallet prompt names the amount asked; "Buy now" buys
// that item alone and leaves the cart as it was; the confirmation is the order's own page, which shows
// the fan's own copy of the address they sealed.
import { expect } from "chai";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const account = (index: number) => testWallet(index);
// Accounts the demo seed leaves alone (scripts/stack/accounts.ts), so each test starts with no orders.
const DRAFT_FAN = account(13);
const BUY_NOW_FAN = account(14);

const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Owl Lane",
  city: "Leeds",
  postalCode: "LS6 1AA",
  // Stored and sealed as the ISO 3166-1 code; the fan picks the name from the list (ui/country-select.ts).
  country: "GB",
  countryName: "United Kingdom",
};

describe("checkout polish in Chromium (e2e)", function () {
  this.timeout(300_000);
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
      const path = await screenshot(page, `checkout-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
  });

  async function openDapp(fan: string) {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: fan }) });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}#/`);
  }

  async function connect() {
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
  }

  async function openTee(variant: string) {
    await page.goto(`${stack.dappUrl}#/`);
    await page.locator(".store-card", { hasText: "The Midnight Owls" }).first().click();
    await page.locator(".product-card", { hasText: "Owl Moon Tee" }).first().click();
    await page.getByRole("radio", { name: variant, exact: true }).click();
  }

  async function fillShipping() {
    await page.getByLabel("Full name").fill(ADDRESS.name);
    await page.getByLabel("Address", { exact: true }).fill(ADDRESS.line1);
    await page.getByLabel("City").fill(ADDRESS.city);
    await page.getByLabel("Postcode / ZIP").fill(ADDRESS.postalCode);
    await page.getByLabel("Country").selectOption({ label: ADDRESS.countryName });
  }

  async function cartCount(): Promise<string> {
    return ((await page.locator(".cart-link .count").textContent()) ?? "").trim();
  }

  it("keeps typed details across a reload, names the amount in the wallet prompt, and forgets them once paid", async () => {
    await openDapp(DRAFT_FAN.address);
    await openTee("M");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${stack.dappUrl}#/cart`);
    await page.getByRole("link", { name: "Check out" }).click();
    await fillShipping();
    await page.reload();
    await page.getByLabel("Full name").waitFor();
    expect(await page.getByLabel("Full name").inputValue()).to.equal(ADDRESS.name);
    expect(await page.getByLabel("Address", { exact: true }).inputValue()).to.equal(ADDRESS.line1);
    expect(await page.getByLabel("Postcode / ZIP").inputValue()).to.equal(ADDRESS.postalCode);
    expect(await page.getByLabel("Country").inputValue()).to.equal(ADDRESS.country);

    // The wallet's send is held until the prompt has been read, as a real wallet waits for the fan.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await context.route(`${stack.rpcUrl}**`, async (route: Route) => {
      const body = route.request().postData() ?? "";
      if (body.includes('"eth_sendTransaction"')) await released;
      await route.continue();
    });
    await connect();
    await page.getByRole("button", { name: "Pay now" }).click();
    const prompt = page.locator(".pay-status", { hasText: /in your wallet\./ });
    await prompt.waitFor({ timeout: 30_000 });
    const text = ((await prompt.textContent()) ?? "").trim();
    expect(text).to.match(/^Confirm the payment of \d+(\.\d+)? ETH in your wallet\.$/);
    expect(text).not.to.include("Confirm in your wallet:");
    release();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 60_000 });

    // The confirmation is the order's own page: a reload shows it again, and Back never lands on an emptied
    // checkout ("Your cart is empty" where the fan just paid).
    expect(new URL(page.url()).hash).to.match(/^#\/orders\/\d+\?placed=\d+/);
    await page.reload();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 30_000 });
    await page.locator(".order-page .status-pill").waitFor();
    // The address the fan sealed, from this browser's own copy: a typo can be spotted.
    const copy = page.locator(".order-page .shipping-copy");
    await copy.waitFor();
    expect(await copy.textContent()).to.contain(
      `Shipping to ${ADDRESS.name}, ${ADDRESS.line1}, ${ADDRESS.city}, ${ADDRESS.postalCode}, ${ADDRESS.countryName}.`,
    );
    expect(await copy.textContent()).to.contain("Only you and the band can read this address");
    await page.goBack();
    await page.waitForFunction(() => !location.hash.startsWith("#/orders/"));
    await page.locator("#main:not([aria-busy]) h1").first().waitFor();
    expect(new URL(page.url()).hash).not.to.match(/^#\/checkout/);
    // Back leads to the page before the checkout (here the cart, now empty), not to a checkout of nothing.
    expect(await page.getByRole("heading", { name: "Checkout", level: 1 }).count()).to.equal(0);
    await page.goForward();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 30_000 });

    // Paid: the next checkout starts empty.
    await openTee("L");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${stack.dappUrl}#/checkout`);
    await page.getByLabel("Full name").waitFor();
    expect(await page.getByLabel("Full name").inputValue()).to.equal("");
    expect(await page.getByLabel("Country").inputValue()).to.equal("");
  });

  it("buys only the Buy now item and leaves the cart as it was", async () => {
    await openDapp(BUY_NOW_FAN.address);
    await openTee("M");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForFunction(() => document.querySelector(".cart-link .count")?.textContent?.trim() === "1");
    await page.getByRole("radio", { name: "L", exact: true }).click();
    await page.getByRole("button", { name: "Buy now" }).click();

    const lines = page.locator(".summary-lines li");
    await lines.first().waitFor();
    expect(await lines.count()).to.equal(1);
    expect(((await lines.first().textContent()) ?? "").trim()).to.match(/^1 × Owl Moon Tee \(L\)/);
    // A reload shows the same single line.
    await page.reload();
    await lines.first().waitFor();
    expect(await lines.count()).to.equal(1);
    expect(((await lines.first().textContent()) ?? "").trim()).to.match(/^1 × Owl Moon Tee \(L\)/);

    await fillShipping();
    await connect();
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 60_000 });

    // The cart still holds the one M tee added before, untouched by the purchase.
    expect(await cartCount()).to.equal("1");
    await page.goto(`${stack.dappUrl}#/cart`);
    const qty = page.getByLabel("Quantity of Owl Moon Tee (M)");
    await qty.waitFor();
    expect(await qty.inputValue()).to.equal("1");
    expect(await page.getByLabel("Quantity of Owl Moon Tee (L)").count()).to.equal(0);

    // The orders list names what each order holds.
    await page.goto(`${stack.dappUrl}#/orders`);
    const items = page.locator(".order-row .order-items", { hasText: "Owl Moon Tee" });
    await items.first().waitFor({ timeout: 30_000 });
    expect(await items.count()).to.equal(1);
  });
});
