// Progress on every page that reads history, in Chromium through the provider simulator
// (scripts/stack/provider-sim.ts): the real local stack, its chain made 2,000,000 blocks old, the dapp's manifest
// pointed at the simulator with an `eth_getLogs` cap of 1,000 blocks.
// - The seller's orders page (pages/seller/orders.ts) shows orders as they are found, under a progress line that
//   counts them, before the whole history is read; the final list holds every order of the store.
// - An order link whose block is wrong (ui/order-scan.ts) shows the scan's progress with the sentence that the link's
//   block didn't hold, then the order.
// - Credits show once, in the notice on every page (ui/credits-notice.ts), not in a second box on "Your orders".
// What the page showed while it loaded is recorded by a MutationObserver installed before the dapp runs, so a state
// that lasts a few milliseconds on a quiet machine is still seen, and nothing waits a fixed time.
import { expect } from "chai";
import { Contract, JsonRpcProvider, toBeHex, ZeroAddress, zeroPadValue } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Chain } from "../../frontend/src/client/chain.ts";
import { encodeCall, merchstand, topicOf } from "../../frontend/src/client/contract.ts";
import { orderReference } from "../../frontend/src/client/order-ref.ts";
import { loadOrder } from "../../frontend/src/client/orders.ts";
import { orderArg } from "../../frontend/src/client/protocol.ts";
import { HttpRpc } from "../../frontend/src/client/rpc.ts";
import { castWallet } from "../../scripts/stack/accounts.ts";
import { type ProviderSim, startProviderSim } from "../../scripts/stack/provider-sim.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const BUYER = castWallet("buyer");
/** "The Midnight Owls", seller A's store in the demo seed (scripts/stack/accounts.ts). */
const STORE_ID = 1n;
const OLD_CHAIN_BLOCKS = 2_000_000;
/** Raw provider words that must never reach the page. */
const RAW = /Something went wrong|exceeds max block range|does not exist\/is not available|eth_getLogs/;

/**
 * Records, on every change of the page, what the history pages showed: the most seller order cards seen while the
 * load's progress was on screen, the "Found N orders so far…" lines, and whether the order scan's page (its progress
 * and the link's sentence) was shown. Plain JavaScript text: it runs in the page before the dapp.
 */
const RECORDER = `(() => {
  const seen = { cardsDuringLoad: 0, foundLines: [], orderScan: false, scanNote: "", scanProgress: "" };
  window.__historySeen = seen;
  const look = () => {
    const loading = document.querySelector(".found-progress");
    if (loading) {
      seen.cardsDuringLoad = Math.max(seen.cardsDuringLoad, document.querySelectorAll(".seller-order").length);
      const found = loading.querySelector(".found-so-far");
      const line = found && !found.hidden ? found.textContent : "";
      if (line && !seen.foundLines.includes(line)) seen.foundLines.push(line);
    }
    const scan = document.querySelector(".order-scan");
    if (scan) {
      seen.orderScan = true;
      seen.scanNote ||= scan.querySelector(".order-link-miss")?.textContent ?? "";
      seen.scanProgress ||= scan.querySelector(".loading")?.textContent ?? "";
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`;

type Seen = {
  cardsDuringLoad: number;
  foundLines: string[];
  orderScan: boolean;
  scanNote: string;
  scanProgress: string;
};

describe("progress on every history page, through a capped provider on an old chain (e2e)", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let sim: ProviderSim;
  let manifest: Record<string, unknown>;
  /** How many orders the store has, from the node before it is aged. */
  let storeOrders: number;
  /** One of the buyer's orders still Paid, with the block of its OrderPlaced log and its store. */
  let paidOrder: { id: bigint; block: number; storeId: bigint };

  before(async () => {
    stack = await startTestStack();
    manifest = (await (await fetch(`${stack.gatewayUrl}/ipfs/${stack.dappCid}/manifest.json`)).json()) as Record<
      string,
      unknown
    >;
    const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true });
    const storeTopic = toBeHex(STORE_ID, 32);
    const placed = await provider.getLogs({
      address: stack.merchstand,
      topics: [topicOf("OrderPlaced"), null, null, storeTopic],
      fromBlock: 0,
    });
    storeOrders = placed.length;
    const buyerTopic = zeroPadValue(BUYER.address, 32).toLowerCase();
    const bought = await provider.getLogs({
      address: stack.merchstand,
      topics: [topicOf("OrderPlaced"), null, buyerTopic],
      fromBlock: 0,
    });
    for (const log of bought) {
      const id = BigInt(log.topics[1] ?? "0x0");
      const data = merchstand.encodeFunctionData("orderStatus", [id]);
      // OrderStatus.Paid is 1 (client/protocol.ts ORDER_STATUS).
      if (BigInt(await provider.call({ to: stack.merchstand, data })) === 1n) {
        paidOrder = { id, block: log.blockNumber, storeId: BigInt(log.topics[3] ?? "0x0") };
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
      const path = await screenshot(page, `history-progress-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
    context = undefined;
  });

  /** A new device whose manifest RPC is the simulator (or the node itself), the recorder installed, at `hash`. */
  async function freshContext(hash: string, options: { wallet?: string; direct?: boolean } = {}): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (!options.direct)
      await context.route("**/manifest.json", (route) => route.fulfill({ json: { ...manifest, rpcUrl: sim.url } }));
    if (options.wallet)
      await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: options.wallet }) });
    await context.addInitScript({ content: RECORDER });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${hash}`);
    return page;
  }

  const seen = () => page.evaluate(() => (window as unknown as { __historySeen: Seen }).__historySeen);

  it("finds the store's orders and a Paid order of the buyer's in the demo seed", () => {
    expect(storeOrders).to.be.at.least(3);
    expect(paidOrder, "the seed has a Paid order of the buyer's").to.not.equal(undefined);
  });

  it("shows the seller's orders as they are found, with a count, and the whole list at the end", async () => {
    sim.update({ refuseLogs: false, maxBlockRange: 1_000 });
    sim.resetStats();
    await freshContext(`#/sell/store/${STORE_ID}/orders`);
    // The whole list: shown once every order is rebuilt (the list is busy while it shows orders found so far).
    await page.locator('.order-cards[aria-busy="false"]').waitFor({ timeout: 300_000 });
    expect(await page.locator(".found-progress").count()).to.equal(0);
    // Before that, found orders showed while the rest of the history was read (the later events of changed orders).
    const during = await seen();
    expect(during.cardsDuringLoad, "order cards shown before the load ended").to.be.greaterThan(0);
    expect(during.foundLines.at(-1)).to.match(/^Found \d+ orders? so far…$/);
    // The final list: every order of the store, counted across the filter tabs.
    const tabs = await page.locator(".filter-tab").allInnerTexts();
    const total = tabs.reduce((n, t) => n + Number(/\((\d+)\)/.exec(t)?.[1] ?? Number.NaN), 0);
    expect(total).to.equal(storeOrders);
    expect(await page.locator(".order-cards").getAttribute("aria-busy")).to.equal("false");
    expect(await page.locator("main").innerText()).not.to.match(RAW);
  });

  it("opens an order whose link names a wrong block: the scan's progress and sentence, then the order", async () => {
    sim.update({ refuseLogs: false, maxBlockRange: 1_000 });
    sim.resetStats();
    // A block in range that holds no such order: the link's one-block read misses, and the scan runs.
    await freshContext(`#/orders/${paidOrder.id}?b=${paidOrder.block + 1}`);
    await page.getByRole("heading", { name: `Order ${orderReference(paidOrder.id)}` }).waitFor({ timeout: 60_000 });
    await page.locator('[data-status="Paid"]').waitFor({ timeout: 240_000 });
    const during = await seen();
    expect(during.orderScan, "the scan's page was shown").to.equal(true);
    expect(during.scanNote).to.contain("This link's block number didn't lead to the order");
    expect(during.scanProgress).to.match(/^Looking for this order in the store's history…( \d+%)?$/);
    // Once found, the page says the link's block didn't hold, and the order's own link carries the right block.
    await page.getByText("This link's block number didn't lead to the order, so it was looked up").waitFor();
    await context?.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy order link" }).click();
    await page.getByText("Link copied. It opens this order on any device.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.contain(
      `#/orders/${paidOrder.id}?b=${paidOrder.block}`,
    );
    expect(sim.stats.calls.eth_getLogs ?? 0).to.be.greaterThan(1);
    expect(await page.locator("main").innerText()).not.to.match(RAW);
  });

  it("opens an order from a link whose block is right with no scan page", async () => {
    sim.update({ refuseLogs: false, maxBlockRange: 10 });
    await freshContext(`#/orders/${paidOrder.id}?b=${paidOrder.block}`);
    await page.locator('[data-status="Paid"]').waitFor({ timeout: 60_000 });
    expect((await seen()).orderScan).to.equal(false);
    expect(await page.locator(".order-link-miss, .notice", { hasText: "block number" }).count()).to.equal(0);
  });

  it("pays a store refund straight to the wallet: nothing to collect, no notice, no second box on Your orders", async () => {
    // The store refunds a tenth of the buyer's Paid order: Merchstand.refund pays the buyer's address at once (a
    // credit to collect is only the fallback when that payment fails: test/security/FrontRunning.ts).
    const provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true });
    const chain = new Chain(new HttpRpc(stack.rpcUrl), stack.merchstand);
    try {
      const record = await loadOrder(chain, paidOrder.id, paidOrder.block, { block: paidOrder.block });
      if (!record) throw new Error(`order ${paidOrder.id} not found`);
      const owner = (await chain.getStore(paidOrder.storeId))?.owner.toLowerCase();
      const role = (["sellerA", "sellerB"] as const).find((r) => castWallet(r).address.toLowerCase() === owner);
      if (!role) throw new Error(`store ${paidOrder.storeId} is not a seeded seller's`);
      const currency = record.order.currency;
      const token = new Contract(currency, ["function balanceOf(address) view returns (uint256)"], provider);
      const balance = async (): Promise<bigint> =>
        BigInt(
          currency === ZeroAddress
            ? await provider.getBalance(BUYER.address)
            : await token.getFunction("balanceOf")(BUYER.address),
        );
      const before = await balance();
      const refund = encodeCall(
        { fn: "refund", args: [paidOrder.id, orderArg(record.order), record.order.amount / 10n] },
        stack.merchstand,
      );
      await (await castWallet(role, provider).sendTransaction(refund)).wait();
      expect((await balance()) - before).to.equal(record.order.amount / 10n);
      expect(await chain.credits(BUYER.address, record.order.currency)).to.equal(0n);
    } finally {
      provider.destroy();
    }
    // Straight to the node: this test is about what the orders page shows once its history is read.
    await freshContext("#/orders", { wallet: BUYER.address, direct: true });
    await page.getByRole("button", { name: "Connect wallet" }).first().click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".order-row").first().waitFor({ timeout: 240_000 });
    await page.getByText(/Reading your order history/).waitFor({ state: "detached", timeout: 240_000 });
    expect(await page.locator(".credit-notice").count()).to.equal(0);
    expect(await page.getByText("Refunds you can withdraw").count()).to.equal(0);
    expect(await page.getByRole("button", { name: /^Withdraw / }).count()).to.equal(0);
  });
});
