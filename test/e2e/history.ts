// Order history in Chromium through a provider that behaves like a hosted one (scripts/stack/provider-sim.ts): the
// real local stack, its chain made 2,000,000 blocks old, and the dapp's manifest pointed at the simulator with an
// `eth_getLogs` cap of 1,000 blocks. The demo buyer's orders must show, with progress and no raw provider message;
// a provider that stops serving logs mid-scan must end in the fan sentence with the choice of another provider,
// and choosing one (Settings) must bring the orders back.
import { expect } from "chai";
import { JsonRpcProvider, zeroPadValue } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { topicOf } from "../../frontend/src/client/contract.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { type ProviderSim, startProviderSim } from "../../scripts/stack/provider-sim.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

// The demo seed's buyer (scripts/stack/accounts.ts: buyer), who has orders.
const BUYER = testWallet(3);
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
    expectedOrders = placed.filter((l) => l.topics[2]?.toLowerCase() === buyerTopic).length;
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
    expect(await page.locator(".order-row").count()).to.equal(0);

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
});
