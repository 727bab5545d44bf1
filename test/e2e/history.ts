// Order history in Chromium through a provider that behaves like a hosted one (scripts/stack/provider-sim.ts): the
// real local stack, its chain made 2,000,000 blocks old, and the dapp's manifest pointed at the simulator with an
// `eth_getLogs` cap of 1,000 blocks. The demo buyer's orders must show, with progress and no raw provider message;
// a provider that stops serving logs mid-scan must end in the fan sentence with the choice of another provider,
// and choosing one (Settings) must bring the orders back. Without a scan: an order link (the OrderPlaced block in its
// URL) opens on a fresh browser context; the order just paid for shows from its receipt on a provider that refuses
// eth_getLogs entirely; a product's reviews come by the contract's pointers through a 10-block cap.
import { expect } from "chai";
import { JsonRpcProvider, zeroPadValue } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { merchstand, topicOf } from "../../frontend/src/client/contract.ts";
import { orderReference } from "../../frontend/src/client/order-ref.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { type ProviderSim, startProviderSim } from "../../scripts/stack/provider-sim.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

// The demo seed's buyer (scripts/stack/accounts.ts: buyer), who has orders.
const BUYER = testWallet(3);
/** A fan with no orders in the seed, who pays during the test. */
const PAYER = testWallet(12);
const OLD_CHAIN_BLOCKS = 2_000_000;
/** Raw provider words that must never reach the page. */
const RAW = /Something went wrong|exceeds max block range|does not exist\/is not available|eth_getLogs/;

describe("order history through a capped provider on an old chain (e2e)", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let sim: ProviderSim;
  let manifest: Record<string, unknown>;
  let expectedOrders: number;
  /** One of the buyer's orders still Paid, with the block of its OrderPlaced log. */
  let paidOrder: { id: bigint; block: number };

  before(async () => {
    stack = await startTestStack();
    manifest = (await (await fetch(`${stack.gatewayUrl}/ipfs/${stack.dappCid}/manifest.json`)).json()) as Record<
      string,
      unknown
    >;
    const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true });
    // What the page must show: the buyer's OrderPlaced logs, read straight from the node before it is aged.
    const placed = await provider.getLogs({
      address: stack.merchstand,
      topics: [topicOf("OrderPlaced")],
      fromBlock: 0,
    });
    const buyerTopic = zeroPadValue(BUYER.address, 32).toLowerCase();
    const mine = placed.filter((l) => l.topics[2]?.toLowerCase() === buyerTopic);
    expectedOrders = mine.length;
    for (const log of mine) {
      const id = BigInt(log.topics[1] ?? "0x0");
      const data = merchstand.encodeFunctionData("orderStatus", [id]);
      // OrderStatus.Paid is 1 (client/protocol.ts ORDER_STATUS).
      if (BigInt(await provider.call({ to: stack.merchstand, data })) === 1n) {
        paidOrder = { id, block: log.blockNumber };
        break;
      }
    }
    await provider.send("hardhat_mine", [`0x${OLD_CHAIN_BLOCKS.toString(16)}`]);
    provider.destroy();
    sim = await startProviderSim({ upstream: stack.rpcUrl, maxBlockRange: 1_000, latencyMs: 50, style: "node" });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await sim?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `history-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
    context = undefined;
  });

  /** A new device: a fresh browser context (no IndexedDB, no saved provider), the manifest's RPC = the simulator. */
  async function openOrders(): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route("**/manifest.json", (route) => route.fulfill({ json: { ...manifest, rpcUrl: sim.url } }));
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: BUYER.address }) });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}#/orders`);
    await page.getByRole("button", { name: "Connect wallet" }).first().click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    return page;
  }

  it("finds the buyer's own orders in the demo seed", () => {
    expect(expectedOrders).to.be.at.least(3);
  });

  it("shows the orders, with progress while it reads, and no raw provider message", async () => {
    sim.update({ refuseLogs: false, maxBlockRange: 1_000 });
    sim.resetStats();
    await openOrders();
    await page.getByText(/Reading your order history… \d+%/).waitFor({ timeout: 60_000 });
    await page
      .locator(".order-row")
      .nth(expectedOrders - 1)
      .waitFor({ timeout: 240_000 });
    // The rows show as they are found; the whole history is read when the progress line goes.
    await page.getByText(/Reading your order history/).waitFor({ state: "detached", timeout: 240_000 });
    expect(await page.locator(".order-row").count()).to.equal(expectedOrders);
    expect(await page.locator("main").innerText()).not.to.match(RAW);
    // The scan went through the cap: some calls were refused, and the rest fitted.
    expect(sim.stats.calls.eth_getLogs ?? 0).to.be.greaterThan(OLD_CHAIN_BLOCKS / 1_000);
  });

  it("ends in the fan sentence with the choice of another provider when logs stop mid-scan, and recovers", async () => {
    sim.update({ refuseLogs: false, maxBlockRange: 1_000 });
    sim.resetStats();
    await openOrders();
    // Let the scan get going, then the provider stops serving eth_getLogs.
    const deadline = Date.now() + 120_000;
    while ((sim.stats.calls.eth_getLogs ?? 0) < 30) {
      if (Date.now() > deadline) throw new Error("the scan never started");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sim.update({ refuseLogs: true });
    const alert = page.locator(".notice.danger", { hasText: "can't read the store's order history" });
    await alert.waitFor({ timeout: 120_000 });
    expect(await page.locator("main").innerText()).not.to.match(RAW);
    // Orders found before the refusal stay shown under the sentence (pages/orders.ts), never more than the buyer's.
    expect(await page.locator(".order-row").count()).to.be.at.most(expectedOrders);

    // The choice: Settings, where a provider that serves another chain is refused and the node itself is taken.
    await alert.getByRole("link", { name: "Choose another network provider" }).click();
    const field = page.getByLabel(/Network provider \(RPC\) address/);
    await field.fill("ftp://example.org");
    await page.getByRole("button", { name: "Check and use" }).click();
    await page.getByText("Enter a web address that starts with https://").waitFor();
    await field.fill(stack.rpcUrl);
    await page.getByRole("button", { name: "Check and use" }).click();
    await page.locator(".rpc-current", { hasText: stack.rpcUrl }).waitFor({ timeout: 60_000 });
    await page.goto(`${stack.dappUrl}#/orders`);
    await page
      .locator(".order-row")
      .nth(expectedOrders - 1)
      .waitFor({ timeout: 240_000 });
    expect(await page.locator("main").innerText()).not.to.match(RAW);
  });

  /** A fresh browser context whose manifest points at the simulator; `wallet` connects a test wallet when given. */
  async function freshContext(hash: string, wallet?: string): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route("**/manifest.json", (route) => route.fulfill({ json: { ...manifest, rpcUrl: sim.url } }));
    if (wallet) await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: wallet }) });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${hash}`);
    return page;
  }

  it("opens an order link on a fresh browser context with one eth_getLogs, at a 10-block cap", async () => {
    expect(paidOrder, "the seed has a Paid order of the buyer").to.not.equal(undefined);
    sim.update({ refuseLogs: false, maxBlockRange: 10 });
    sim.resetStats();
    await freshContext(`#/orders/${paidOrder.id}?b=${paidOrder.block}`);
    await page.getByRole("heading", { name: `Order ${orderReference(paidOrder.id)}` }).waitFor({ timeout: 60_000 });
    await page.locator('[data-status="Paid"]').waitFor();
    // The block of the link, and nothing else: a scan of 2,000,000 blocks at 10 a call is 200,000 calls.
    expect(sim.stats.calls.eth_getLogs ?? 0).to.be.at.most(2);
    expect(await page.locator("main").innerText()).not.to.match(RAW);

    // "Copy order link" copies the same kind of link, which opens the order again.
    await context?.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy order link" }).click();
    await page.getByText("Link copied. It opens this order on any device.").waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).to.contain(`#/orders/${paidOrder.id}?b=${paidOrder.block}`);
  });

  it("shows the order just paid for from its receipt while the provider refuses eth_getLogs entirely", async () => {
    sim.update({ refuseLogs: true, maxBlockRange: 1_000 });
    await freshContext("#/", PAYER.address);
    await page.locator(".store-card", { hasText: "The Midnight Owls" }).first().click();
    await page.locator(".product-card", { hasText: "Owl Moon Tee" }).first().click();
    await page.getByRole("radio", { name: "S", exact: true }).click();
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${stack.dappUrl}#/cart`);
    await page.getByRole("link", { name: "Check out" }).click();
    await page.getByLabel("Full name").fill("Ada Lovelace");
    await page.getByLabel("Address", { exact: true }).fill("1 Chapel Street");
    await page.getByLabel("City").fill("Leeds");
    await page.getByLabel("Postcode / ZIP").fill("LS6 1AA");
    await page.getByLabel("Country").selectOption({ label: "United Kingdom" });
    await page.getByRole("button", { name: "Connect wallet" }).first().click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
    sim.resetStats();
    await page.getByRole("button", { name: "Pay now" }).click();

    // Checkout lands on the order's page, its URL carrying the block; the order is there, from the receipt.
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 120_000 });
    await page.locator('[data-status="Paid"]').waitFor({ timeout: 60_000 });
    expect(page.url()).to.match(/#\/orders\/\d+\?placed=\d+(%2C\d+)*&b=\d+$/);
    const id = /#\/orders\/(\d+)/.exec(page.url())?.[1];
    expect(await page.locator("main").innerText()).not.to.match(RAW);

    // "Your orders": the order shows; reading the rest of the history ends in the fan sentence, under which it stays.
    await page.goto(`${stack.dappUrl}#/orders`);
    await page
      .locator(".notice.danger", { hasText: "can't read the store's order history" })
      .waitFor({ timeout: 60_000 });
    await page.locator(".order-row", { hasText: `Order ${orderReference(BigInt(id ?? "0"))}` }).waitFor();
    expect(await page.locator("main").innerText()).not.to.match(RAW);
    expect(sim.stats.calls.eth_getLogs ?? 0).to.be.greaterThan(0);
  });

  it("shows a product's reviews by the contract's pointers through a 10-block cap", async () => {
    sim.update({ refuseLogs: false, maxBlockRange: 10 });
    sim.resetStats();
    await freshContext("#/");
    await page.locator(".store-card", { hasText: "The Midnight Owls" }).first().click();
    await page.locator(".product-card", { hasText: "Owl Moon Tee" }).first().click();
    const reviews = page.locator(".review");
    // The calls made when the reviews first show: a few blocks walked. A scan would read 2,000,000 blocks at 10 a
    // call (200,000 calls) before showing any; the replies come by the same walk.
    let callsWhenShown: number | null = null;
    const deadline = Date.now() + 120_000;
    while (callsWhenShown === null) {
      if ((await reviews.filter({ hasText: "Lovely shirt, runs slightly long." }).count()) > 0) {
        callsWhenShown = sim.stats.calls.eth_getLogs ?? 0;
      } else if (Date.now() > deadline) throw new Error("the reviews never showed");
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await reviews.filter({ hasText: "Print is sharp and the cotton is thick." }).waitFor();
    expect(callsWhenShown).to.be.below(2_000);
    // The store's reply is a step of the same walk: it shows with a few more calls, where a scan for it from the
    // oldest review would take up to 200,000.
    await page.locator(".review-reply", { hasText: "See you at the Brudenell." }).waitFor();
    expect(sim.stats.calls.eth_getLogs ?? 0).to.be.below(50);
    expect(await page.locator("main").innerText()).not.to.match(RAW);
  });
});
