// The storefront in a real browser against the real local stack (`npm start` on random ports): the dapp is opened
// from the IPFS gateway's subdomain URL, a test wallet is injected, and a fan browses and buys a size-M shirt.
import { expect } from "chai";
import { Interface, JsonRpcProvider, Wallet } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { orderLabel } from "../../frontend/src/client/order-ref.ts";
import { deriveShippingKey, openShipping, shippingKeyMessage } from "../../frontend/src/client/shipping-crypto.ts";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { orderIdOf } from "./support/orders.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { type TestWalletOptions, testWalletScript } from "./support/wallet.ts";

const account = (index: number) => testWallet(index);
// Accounts the demo seed leaves alone, so each test starts with no orders.
const FAN = account(9);
const OTHER_FAN = account(10);
const THIRD_FAN = account(11);
const TERMS_FAN = account(12);
// The look-alike store's owner in the demo seed (scripts/stack/accounts.ts: impostor).
const IMPOSTOR = account(7);
// The official store's owner in the demo seed (scripts/stack/accounts.ts: sellerA).
const SELLER = account(1);

const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Owl Lane",
  line2: "Flat 3",
  city: "Leeds",
  region: "West Yorkshire",
  postalCode: "LS6 1AA",
  country: "GB",
  email: "ada@example.org",
};

const merchstand = new Interface(merchstandAbi);

describe("storefront in Chromium (e2e)", function () {
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

  async function openDapp(wallet: Partial<TestWalletOptions> & { account: string }, hash = "") {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, ...wallet }) });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${hash}`);
    return page;
  }

  async function connect() {
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
  }

  async function addToCart(storeName: string, productName: string, variant: string) {
    await page.goto(`${stack.dappUrl}#/`);
    await page.locator(".store-card", { hasText: storeName }).first().click();
    await page.locator(".product-card", { hasText: productName }).first().click();
    await page.getByRole("radio", { name: variant, exact: true }).click();
    await page.getByRole("button", { name: "Add to cart" }).click();
  }

  async function fillShipping() {
    await page.getByLabel("Full name").fill(ADDRESS.name);
    await page
      .getByLabel("Email (optional: sealed with your address, so the band can contact you)")
      .fill(ADDRESS.email);
    await page.getByLabel("Address", { exact: true }).fill(ADDRESS.line1);
    await page.getByLabel("Apartment, suite, etc. (optional)").fill(ADDRESS.line2);
    await page.getByLabel("City").fill(ADDRESS.city);
    await page.getByLabel("State / county (optional)").fill(ADDRESS.region);
    await page.getByLabel("Postcode / ZIP").fill(ADDRESS.postalCode);
    // The country is a list of names; the sealed address holds the ISO 3166-1 code (checked below).
    await page.getByLabel("Country").selectOption({ label: "United Kingdom" });
  }

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `e2e-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
  });

  it("serves the dapp from the gateway's subdomain with its CID in the footer", async () => {
    await openDapp({ account: FAN.address });
    expect(new URL(stack.dappUrl).hostname).to.equal(`${stack.dappCid}.ipfs.localhost`);
    await page.locator(".product-card").first().waitFor();
    expect(await page.locator(".dapp-cid").textContent()).to.equal(stack.dappCid);
  });

  it("buys a size-M shirt: the order is on chain, in the UI, and its address opens with the store's key", async () => {
    await openDapp({ account: FAN.address });
    await addToCart("The Midnight Owls", "Owl Moon Tee", "M");
    await page.goto(`${stack.dappUrl}#/cart`);
    await page.getByRole("link", { name: "Check out" }).click();
    await fillShipping();
    await connect();
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 30_000 });
    const orderLink = page.locator(".success .order-link").first();
    const orderId = await orderIdOf(orderLink);

    // On chain: the order is Paid, placed by the fan, for one unit of variant M (index 1) at the price shown.
    const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true });
    try {
      const status = await provider.call({
        to: stack.merchstand,
        data: merchstand.encodeFunctionData("orderStatus", [orderId]),
      });
      expect(Number(merchstand.decodeFunctionResult("orderStatus", status)[0])).to.equal(1);
      const [log] = await provider.getLogs({
        address: stack.merchstand,
        topics: [merchstand.getEvent("OrderPlaced")!.topicHash, `0x${orderId.toString(16).padStart(64, "0")}`],
        fromBlock: 0,
      });
      const placed = merchstand.parseLog(log!)!;
      // The log's packed line (see OrderPlaced's NatSpec), unpacked by hand here rather than by the dapp's decoder.
      expect(placed.args.buyer).to.equal(FAN.address);
      expect(placed.args.lines.length).to.equal(1);
      const word = BigInt(placed.args.lines[0]);
      expect(Number((word >> 64n) & 0xffn)).to.equal(1);
      expect(Number((word >> 72n) & 0xffffffffn)).to.equal(1);
      const order = { storeId: BigInt(placed.args.storeId) };

      // The seller re-derives the store key from a wallet signature, as the dashboard does, and opens the blob.
      const signer = new Wallet(SELLER.privateKey);
      const keys = deriveShippingKey(await signer.signMessage(shippingKeyMessage(SELLER.address, 31337)));
      const storeView = merchstand.decodeFunctionResult(
        "getStore",
        await provider.call({ to: stack.merchstand, data: merchstand.encodeFunctionData("getStore", [order.storeId]) }),
      )[0];
      expect(storeView.shippingKey).to.equal(`0x${Buffer.from(keys.publicKey).toString("hex")}`);
      const blob = Uint8Array.from(Buffer.from(String(placed.args.shipping).slice(2), "hex"));
      expect(openShipping(blob, keys.secretKey)).to.deep.equal(ADDRESS);
    } finally {
      provider.destroy();
    }

    // In the UI: the orders page lists it, and its page shows the Paid step and when a cancel becomes possible.
    await page.goto(`${stack.dappUrl}#/orders`);
    const row = page.locator(`.order-row[data-order-id="${orderId}"]`);
    await row.waitFor();
    expect(await row.locator(".order-id").textContent()).to.equal(orderLabel(orderId));
    await row.click();
    await page.locator('[data-status="Paid"]').waitFor();
    expect(await page.locator(".timeline").textContent()).to.contain("Paid into escrow");
    expect(await page.locator(".deadline").textContent()).to.match(
      /You can cancel for a full refund from .+ if it hasn't shipped\./,
    );
    expect(await page.locator(".summary-lines").textContent()).to.contain("Owl Moon Tee (M)");
  });

  it("asks a wallet on another network to switch, with one button", async () => {
    await openDapp({ account: OTHER_FAN.address, chainId: 1 });
    await connect();
    const banner = page.locator(".banner.warning");
    await banner.waitFor();
    expect(await banner.textContent()).to.contain(
      "Your wallet is on Ethereum Mainnet; this store is on Hardhat local.",
    );
    await banner.getByRole("button", { name: "Switch network" }).click();
    await banner.waitFor({ state: "detached" });
  });

  it("says a rejected payment cost nothing", async () => {
    await openDapp({ account: THIRD_FAN.address, reject: ["eth_sendTransaction"] });
    await addToCart("The Midnight Owls", "Owl Moon Tee", "S");
    await page.goto(`${stack.dappUrl}#/checkout`);
    await fillShipping();
    await connect();
    await page.getByRole("button", { name: "Pay now" }).click();
    const alert = page.locator(".error-sentence");
    await alert.waitFor();
    expect(await alert.textContent()).to.equal("You cancelled the request in your wallet. Nothing was charged.");
    expect(await page.locator(".cart-link .count").textContent()).to.equal("1");
  });

  it("shows the store's terms before paying, and after a terms change in front of the payment charges nothing and shows the new ones", async () => {
    const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true });
    try {
      const call = async (fn: string, args: unknown[]) =>
        merchstand.decodeFunctionResult(
          fn,
          await provider.call({ to: stack.merchstand, data: merchstand.encodeFunctionData(fn, args) }),
        );
      const [stores] = await call("getStores", [0, 50]);
      const store = (stores as Array<{ id: bigint; owner: string; termsVersion: bigint }>).find(
        (s) => s.owner === IMPOSTOR.address,
      )!;
      await openDapp({ account: TERMS_FAN.address });
      await addToCart("Official Store", "Owl Moon Tee (Official)", "M");
      await page.goto(`${stack.dappUrl}#/checkout`);
      await fillShipping();
      await connect();
      const terms = page.locator(".summary .store-terms");
      await terms.waitFor();
      expect(await terms.getAttribute("data-terms-version")).to.equal(String(store.termsVersion));
      const shown = (await terms.textContent()) ?? "";
      expect(shown).to.contain("The band has 7 days to ship. If it hasn't shipped by then, you can cancel");
      expect(shown).to.contain("releases it 14 days after it ships; only then is the band paid");
      expect(shown).to.contain("Disputes are decided by the arbiter 0x15d3…6A65.");

      // The store makes itself arbiter with the longest windows, mined before the fan presses Pay.
      const owner = new Wallet(IMPOSTOR.privateKey, provider);
      const tx = await owner.sendTransaction({
        to: stack.merchstand,
        data: merchstand.encodeFunctionData("setStoreTerms", [
          store.id,
          { arbiter: IMPOSTOR.address, shipWindow: 30 * 86_400, deliveryWindow: 30 * 86_400 },
        ]),
      });
      await tx.wait();
      await page.getByRole("button", { name: "Pay now" }).click();
      const alert = page.locator(".error-sentence");
      await alert.waitFor();
      const before = store.termsVersion;
      expect(await alert.textContent()).to.equal(
        `The store changed its terms just before you paid (version ${before} -> ${before + 1n}). Nothing was charged. Review the new terms and pay again.`,
      );
      // The page reloaded the terms: the store is now its own arbiter, and the page says so plainly.
      await page.locator(`.summary .store-terms.self-arbiter[data-terms-version="${before + 1n}"]`).waitFor();
      expect(await terms.textContent()).to.contain("Disputes are decided by the store itself (0x14dC…9955)");
      expect(await terms.textContent()).to.contain("The band has 30 days to ship");
      expect(await page.locator(".cart-link .count").textContent()).to.equal("1");

      await page.getByRole("button", { name: "Pay now" }).click();
      await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 30_000 });
      const orderId = await orderIdOf(page.locator(".success .order-link").first());
      const [log] = await provider.getLogs({
        address: stack.merchstand,
        topics: [merchstand.getEvent("OrderPlaced")!.topicHash, `0x${orderId.toString(16).padStart(64, "0")}`],
        fromBlock: 0,
      });
      // The order was placed under the terms the fan was shown the second time (info's low 32 bits).
      expect(BigInt(merchstand.parseLog(log!)!.args.info) & 0xffffffffn).to.equal(before + 1n);
    } finally {
      provider.destroy();
    }
  });

  it("shows a not-found page for an unknown product and a bad URL", async () => {
    await openDapp({ account: FAN.address }, "#/store/1/product/99999");
    await page.getByRole("heading", { name: "We couldn't find that page" }).waitFor();
    await page.goto(`${stack.dappUrl}#/store/abc`);
    await page.getByRole("heading", { name: "We couldn't find that page" }).waitFor();
  });

  it("shows the not-found page for malformed percent-encoding, from a page already shown, with no page error", async () => {
    await openDapp({ account: FAN.address }, "#/");
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.locator(".store-card").first().waitFor();
    for (const hash of ["#/store/%E0", "#/?q=%E0%A4", "#/orders/%ZZ"]) {
      // Marks the page on screen, so the wait below is for the page the bad URL leads to.
      await page.evaluate(() => document.querySelector("#main > *")?.setAttribute("data-left", ""));
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await page.locator("#main > :not([data-left])").waitFor();
      expect(await page.getByRole("heading", { name: "We couldn't find that page" }).count(), hash).to.equal(1);
      await page.goto(`${stack.dappUrl}#/`);
      await page.locator(".store-card").first().waitFor();
    }
    expect(errors).to.deep.equal([]);
  });

  describe("official stores", () => {
    it("shows the Official badge and its evidence on the official store", async () => {
      await openDapp({ account: FAN.address }, "#/");
      const card = page.locator(".store-card", { hasText: "The Midnight Owls" }).first();
      await card.locator(".badge.official").waitFor({ state: "visible" });
      await card.click();
      await page.locator(".store-header .badge.official").waitFor();
      expect(await page.locator(".store-header").getByRole("link", { name: "See the evidence" }).count()).to.equal(1);
      expect(await page.locator(".store-header .notice.unverified").count()).to.equal(0);
    });

    it("warns at the impostor's checkout that its name imitates the official store", async () => {
      await openDapp({ account: OTHER_FAN.address });
      await page.locator(".store-card", { hasText: "Official Store" }).first().click();
      await page.locator(".store-page .product-card").first().click();
      await page.getByRole("button", { name: "Buy now" }).click();
      const warning = page.locator(".summary .lookalike");
      await warning.waitFor();
      expect(await warning.textContent()).to.contain('looks like the name of the official store "The Midnight Owls"');
      expect(await page.locator(".summary .badge.official").count()).to.equal(0);
    });

    it("ranks the official store first when searching its name", async () => {
      await openDapp({ account: FAN.address }, "#/?q=midnight%20owls");
      const first = page.locator(".store-card").first();
      await first.waitFor();
      expect(await first.locator(".badge.official").count()).to.equal(1);
    });
  });
});
