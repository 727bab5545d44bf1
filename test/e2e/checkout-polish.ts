// Checkout polish in a real browser against the real local stack (`npm start` on random ports): typed details
// survive a reload of the tab and are gone after paying; the wallet prompt names the amount asked; "Buy now" buys
// that item alone and leaves the cart as it was; the confirmation is the order's own page, which shows
// the fan's own copy of the address they sealed.
import { expect } from "chai";
import { Contract, JsonRpcProvider, parseUnits } from "ethers";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { orderLabel, orderReference } from "../../frontend/src/client/order-ref.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { orderIdOf } from "./support/orders.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const account = (index: number) => testWallet(index);
// Accounts the demo seed leaves alone (scripts/stack/accounts.ts), so each test starts with no orders.
const DRAFT_FAN = account(13);
const BUY_NOW_FAN = account(14);
const MIXED_FAN = account(15);
const SECOND_FAILS_FAN = account(16);

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

  /** Mints test mUSD (MockUSD's mint is open) to `fan`, from the stack's deployer account. */
  async function fundMusd(fan: string, amount: string) {
    // Read in the page: Node can't resolve the gateway's *.localhost subdomain the dapp is served from.
    const manifest = await page.evaluate(
      async () =>
        (await (await fetch("manifest.json")).json()) as { currencies: { address: string; symbol: string }[] },
    );
    const musd = manifest.currencies.find((c) => c.symbol === "mUSD");
    if (!musd) throw new Error("the stack's manifest lists no mUSD");
    const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true });
    try {
      const token = new Contract(musd.address, ["function mint(address to, uint256 amount)"], testWallet(0, provider));
      await (await token.getFunction("mint")(fan, parseUnits(amount, 6))).wait();
    } finally {
      provider.destroy();
    }
  }

  /** A cart of one ETH tee (Midnight Owls) and one mUSD beanie (Velvet Static). */
  async function fillMixedCart() {
    await openTee("M");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForFunction(() => document.querySelector(".cart-link .count")?.textContent?.trim() === "1");
    await page.goto(`${stack.dappUrl}#/`);
    await page.locator(".store-card", { hasText: "Velvet Static" }).first().click();
    await page.locator(".product-card", { hasText: "Fuzz Beanie" }).first().click();
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForFunction(() => document.querySelector(".cart-link .count")?.textContent?.trim() === "2");
  }

  /** Every text the payment status shows from now on, in order (stages pass too fast to wait on each). */
  async function recordStages() {
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __stages: string[] }).__stages = seen;
      const status = document.querySelector(".pay-status");
      if (!status) throw new Error("no .pay-status");
      new MutationObserver(() => {
        const text = status.textContent?.trim() ?? "";
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(status, { childList: true, subtree: true, characterData: true });
    });
  }
  const stages = () => page.evaluate(() => (window as unknown as { __stages: string[] }).__stages);

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
    // Rows show as the history is read, then the whole list replaces them (client/orders.ts onPartial), and each
    // row's item names arrive with its product: wait for the state, one row naming the tee.
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll(".order-row .order-items")).filter((e) =>
          e.textContent?.includes("Owl Moon Tee"),
        ).length === 1,
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.locator(".order-row").count()).to.equal(1);
  });

  it("pays a cart in ETH and mUSD from one form, one payment after the other, and lists both orders", async () => {
    await openDapp(MIXED_FAN.address);
    await fundMusd(MIXED_FAN.address, "100");
    await fillMixedCart();

    // One Check out button for the whole cart, one form, and the two payments announced before paying.
    await page.goto(`${stack.dappUrl}#/cart`);
    await page.locator(".cart-summary").waitFor();
    const checkOut = page.getByRole("link", { name: "Check out" });
    expect(await checkOut.count()).to.equal(1);
    await checkOut.click();
    await page.getByLabel("Full name").waitFor();
    expect(await page.locator("form.shipping-form").count()).to.equal(1);
    expect(await page.getByLabel("Full name").count()).to.equal(1);
    expect(await page.locator(".payment-title").allTextContents()).to.deep.equal([
      "Payment 1 of 2: ETH",
      "Payment 2 of 2: mUSD",
    ]);
    expect(await page.locator(".pay-sequence").textContent()).to.match(
      /^Your cart is in 2 currencies, so you'll make 2 payments, one after the other \(1\. [\d.]+ ETH, 2\. 18 mUSD\)/,
    );
    await fillShipping();
    await connect();
    await recordStages();
    await page.getByRole("button", { name: "Pay now (2 payments)" }).click();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 60_000 });

    const said = await stages();
    expect(
      said.some((t) => /^Payment 1 of 2 \(ETH\): Confirm the payment of [\d.]+ ETH in your wallet\./.test(t)),
    ).to.equal(true, said.join(" | "));
    expect(said.some((t) => /^Payment 2 of 2 \(mUSD\): /.test(t))).to.equal(true, said.join(" | "));
    const links = page.locator(".success .order-link");
    expect(await links.count()).to.equal(2);
    const ids = [await orderIdOf(links.nth(0)), await orderIdOf(links.nth(1))];
    expect(await cartCount()).to.equal("");

    // The order page: the reference as the heading, the full number beside it with a Copy button.
    expect(await page.locator("h1").textContent()).to.equal(orderLabel(ids[0]!));
    expect(await page.locator(".order-number code").textContent()).to.equal(ids[0]!.toString());
    await page.getByRole("button", { name: `Copy the order number ${ids[0]}` }).waitFor();

    // The orders list: both orders, each by its reference, with its items' names and pictures.
    await page.goto(`${stack.dappUrl}#/orders`);
    for (const [id, name] of [
      [ids[0]!, "Owl Moon Tee"],
      [ids[1]!, "Fuzz Beanie"],
    ] as const) {
      const row = page.locator(`.order-row[data-order-id="${id}"]`);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.locator(".order-id").textContent()).to.equal(orderLabel(id));
      await row.locator(".order-items", { hasText: name }).waitFor();
      await row.locator(`.order-thumb [data-image=shown] img[alt="${name}"]`).waitFor({ timeout: 30_000 });
    }
    // Found by the reference as a fan may type it (any case, no dashes), or by the full number.
    const search = page.getByLabel("Find an order");
    await search.fill(orderReference(ids[1]!).toLowerCase().replace(/-/g, " "));
    await page.locator(`.order-row[data-order-id="${ids[0]}"]`).waitFor({ state: "hidden" });
    expect(await page.locator(`.order-row[data-order-id="${ids[1]}"]`).isVisible()).to.equal(true);
    await search.fill(ids[0]!.toString());
    await page.locator(`.order-row[data-order-id="${ids[1]}"]`).waitFor({ state: "hidden" });
    expect(await page.locator(`.order-row[data-order-id="${ids[0]}"]`).isVisible()).to.equal(true);
    await search.fill("MS-0000-0000");
    await page.getByText('No order matches "MS-0000-0000".').waitFor();
  });

  it("says exactly what happened when the second payment fails: the first paid, the second charged nothing", async () => {
    await openDapp(SECOND_FAILS_FAN.address);
    await fundMusd(SECOND_FAILS_FAN.address, "100");
    await fillMixedCart();
    await page.goto(`${stack.dappUrl}#/checkout`);
    await page.getByLabel("Full name").waitFor();
    await fillShipping();
    await connect();
    // The fan refuses the mUSD permit in the wallet: the ETH payment is already mined by then.
    await page.evaluate(() =>
      (window as unknown as { __testWallet: { reject(m: string, on: boolean): void } }).__testWallet.reject(
        "eth_signTypedData_v4",
        true,
      ),
    );
    await page.getByRole("button", { name: "Pay now (2 payments)" }).click();
    const partial = page.locator(".partial-payment");
    await partial.waitFor({ timeout: 60_000 });
    expect(((await partial.locator("p").textContent()) ?? "").trim()).to.match(
      /^Payment 1 of 2 went through: [\d.]+ ETH paid, Order MS-[0-9A-Z]{4}-[0-9A-Z]{4} placed\. Payment 2 of 2 \(18 mUSD\) did not go through, and nothing was charged for it\. Its items are still in your cart: press Pay to pay for them alone\.$/,
    );
    expect(await page.locator(".pay-status").textContent()).to.contain("You cancelled the request in your wallet.");
    const paidId = await orderIdOf(partial.locator(".order-link"));
    expect(await page.getByText("Thank you! Your order is confirmed.").count()).to.equal(0);
    // Only the mUSD beanie is left to pay, in the cart and on this page.
    expect(await cartCount()).to.equal("1");
    expect(await page.locator(".payment-title").count()).to.equal(0);
    expect(await page.locator(".summary-lines li").allTextContents()).to.have.length(1);
    expect(await page.locator(".summary-lines li").first().textContent()).to.match(/^1 × Fuzz Beanie/);

    // Paying again pays the beanie alone; the ETH order stands.
    await page.evaluate(() =>
      (window as unknown as { __testWallet: { reject(m: string, on: boolean): void } }).__testWallet.reject(
        "eth_signTypedData_v4",
        false,
      ),
    );
    await page.getByRole("button", { name: "Pay now", exact: true }).click();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 60_000 });
    const second = await orderIdOf(page.locator(".success .order-link").first());
    expect(second).not.to.equal(paidId);
    await page.goto(`${stack.dappUrl}#/orders`);
    await page.locator(`.order-row[data-order-id="${paidId}"]`).waitFor({ timeout: 30_000 });
    await page.locator(`.order-row[data-order-id="${second}"]`).waitFor();
  });
});
