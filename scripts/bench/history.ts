// History on an old chain through a hosted-provider-like endpoint, read by the dapp's own client layer
// (frontend/src/client: orders.ts, placed.ts, pointer-walk.ts, Chain.getLogs → log-scan.ts and log-cache.ts) through
// the provider simulator (scripts/stack/provider-sim.ts) with 100 ms per request and an `eth_getLogs` cap of 1,000
// and of 10 blocks. The chain: one store with two products of five sizes each and 200 orders, placed in 40 rounds
// 50,000 blocks apart (2,000,000 blocks past the deployment); among them, the 5 orders of one buyer. Another store's
// product has 50 reviews, also spread over the chain. What is measured, each on its own fresh reader:
// - "Your orders" on the device that bought: its log cache holds the 5 payments' receipts (client/placed.ts
//   keepPlacedFromReceipt, an in-memory store standing in for IndexedDB); time and requests until the 5 orders show;
// - an order opened from its link (the OrderPlaced block in the URL) on a new device;
// - the product's 50 reviews on a new device (walked by pointers, about four blocks a round, replies in the same walk);
// - the seller's orders page, 200 orders, on a new device (walked by pointers from each size's last order);
// - "Your orders" on a new device (a scan of the whole chain).
// A load that runs past the time budget is stopped and reported with how far it got.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Chain, type RawLog } from "../../frontend/src/client/chain.ts";
import { LogCache, MemoryStore } from "../../frontend/src/client/log-cache.ts";
import { loadBuyerOrders, loadOrder, loadReviews, loadStoreOrders } from "../../frontend/src/client/orders.ts";
import { keepPlacedFromReceipt } from "../../frontend/src/client/placed.ts";
import { HttpRpc } from "../../frontend/src/client/rpc.ts";
import { startProviderSim } from "../stack/provider-sim.ts";

export const HISTORY_BLOCKS = 2_000_000;
export const HISTORY_LATENCY_MS = 100;
export const HISTORY_CAPS = [1_000, 10] as const;
const ROUNDS = 40;
const STORE_ORDERS = 200;
const REVIEWS = 50;

export type HistoryTarget = { seconds: number; requests?: number };

export type HistoryCase = {
  key: "boughtDevice" | "orderLink" | "reviews" | "sellerOrders" | "newDevice";
  name: string;
  /** Until the page shows what it is for (the orders, the order, the reviews). */
  seconds: number;
  /** HTTP requests the provider received until then (a batch is one), and JSON-RPC calls among them. */
  requests: number;
  calls: number;
  /** Whether it showed within the time budget. */
  finished: boolean;
  /** Share of the blocks read when a scan was stopped by the budget (1 when it finished). */
  done: number;
  target: HistoryTarget | null;
  /** What else the reader did or did not do, in words. */
  note: string;
};
export type HistoryFigures = { cap: number; cases: HistoryCase[] }[];

class OutOfTime extends Error {}

type Eip1193 = { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

/** An HTTP JSON-RPC endpoint (single calls and batches) in front of an in-process Hardhat network. */
async function serve(provider: Eip1193): Promise<{ url: string; server: Server }> {
  const answer = async (call: { id?: unknown; method: string; params?: unknown[] }) => {
    try {
      return { jsonrpc: "2.0", id: call.id ?? null, result: await provider.request(call) };
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: call.id ?? null, error: { code: e.code ?? -32603, message: e.message ?? "error" } };
    }
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const out = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(out));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Builds the chain described in the header, then measures each case per cap. */
export async function measureHistory(budgetSeconds: number, log: (line: string) => void): Promise<HistoryFigures> {
  const { network } = await import("hardhat");
  const { default: MerchstandModule } = await import("../../ignition/modules/Merchstand.ts");
  const { packLine, SHIPPING_KEY, shippingBlob } = await import("../../test/contracts/support/fixtures.ts");
  const connection = await network.create();
  const endpoint = await serve(connection.provider as Eip1193);
  try {
    const { ethers, ignition } = connection;
    const signers = await ethers.getSigners();
    const [admin, seller, buyer, arbiter, ...fans] = signers;
    if (!admin || !seller || !buyer || !arbiter || fans.length < 10) throw new Error("too few accounts");
    const { merchstand: deployed } = await ignition.deploy(MerchstandModule, {
      defaultSender: admin.address,
      parameters: { Merchstand: { admin: admin.address, feeRecipient: admin.address } },
    });
    const address = await deployed.getAddress();
    const deploymentBlock = await ethers.provider.getBlockNumber();
    const merchstand = await ethers.getContractAt("MerchstandDeployed", address);
    const price = ethers.parseEther("0.001");
    const terms = { arbiter: arbiter.address, shipWindow: 7n * 86_400n, deliveryWindow: 14n * 86_400n };
    const open = async (name: string) => {
      await (
        await merchstand.connect(seller).openStore({
          name,
          metadataCid: "",
          payout: seller.address,
          currency: ethers.ZeroAddress,
          shippingKey: SHIPPING_KEY,
          terms,
        })
      ).wait();
      return (await merchstand.getStores(0, 0))[1];
    };
    const sizes = ["S", "M", "L", "XL", "XXL"].map((label) => ({ label, price, stock: 10_000 }));
    const list = async (storeId: bigint, name: string) => {
      await (
        await merchstand
          .connect(seller)
          .listProduct(storeId, { name, metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, sizes)
      ).wait();
      return (await merchstand.getProducts(0, 0))[1];
    };
    const storeId = await open("Night Tapes");
    const products = [await list(storeId, "Tour T-Shirt"), await list(storeId, "Hoodie")];
    const reviewedStore = await open("Night Tapes Records");
    const reviewed = await list(reviewedStore, "Live LP");

    // A client on the node itself (no cap, no latency) to rebuild the orders the setup ships, completes and reviews.
    const direct = new Chain(new HttpRpc(endpoint.url), address);
    const buy = async (who: (typeof signers)[number], productId: bigint, variant: number) => {
      const tx = await merchstand
        .connect(who)
        .buy_oT9la(packLine(productId, variant, 1, price), shippingBlob(200), { value: price });
      const receipt = await direct.rpc.request<{ blockNumber: string; logs: RawLog[] }>("eth_getTransactionReceipt", [
        (await tx.wait())?.hash,
      ]);
      const placed = receipt.logs.find((l) => l.address.toLowerCase() === address.toLowerCase());
      if (!placed?.topics[1]) throw new Error("no OrderPlaced in the receipt");
      return { receipt, id: BigInt(placed.topics[1]), block: Number(BigInt(receipt.blockNumber)) };
    };
    const receipts: { logs: RawLog[] }[] = [];
    let linked: { id: bigint; block: number } | null = null;
    let reviewsPosted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await connection.provider.request({
        method: "hardhat_mine",
        params: [`0x${(HISTORY_BLOCKS / ROUNDS).toString(16)}`],
      });
      for (let i = 0; i < STORE_ORDERS / ROUNDS; i++) {
        const n = round * (STORE_ORDERS / ROUNDS) + i;
        // The buyer's 5 orders are spread over the chain's age; the other orders come from the other fans.
        const mine = i === 0 && round % (ROUNDS / 5) === 0;
        const who = mine ? buyer : (fans[n % fans.length] as (typeof signers)[number]);
        const placed = await buy(who, products[n % 2] as bigint, Math.floor(n / 2) % 5);
        if (mine) {
          receipts.push(placed.receipt);
          linked = placed;
        }
      }
      // Reviews of the other store's product: bought, shipped, received and reviewed, spread over the chain too.
      for (; reviewsPosted < Math.round(((round + 1) * REVIEWS) / ROUNDS); reviewsPosted++) {
        const fan = fans[reviewsPosted % fans.length] as (typeof signers)[number];
        const { id, block } = await buy(fan, reviewed, 0);
        const placed = await loadOrder(direct, id, deploymentBlock, { block });
        if (!placed) throw new Error("the review's order was not found");
        await (await merchstand.connect(seller).markShipped(id, placed.order as never, "DHL")).wait();
        const shipped = await loadOrder(direct, id, deploymentBlock, { block });
        await (await merchstand.connect(fan).complete(id, shipped?.order as never)).wait();
        const text = `Review ${reviewsPosted + 1}: great pressing, fast shipping.`;
        await (await merchstand.connect(fan).review(id, shipped?.order as never, reviewed, 5, text)).wait();
      }
    }
    if (!linked) throw new Error("the buyer placed no order");
    const order = linked;
    const head = await ethers.provider.getBlockNumber();
    log(
      `${STORE_ORDERS} orders (the buyer's 5 among them) and ${REVIEWS} reviews spread over ${HISTORY_BLOCKS.toLocaleString("en")} blocks`,
    );

    const out: HistoryFigures = [];
    for (const cap of HISTORY_CAPS) {
      const sim = await startProviderSim({
        upstream: endpoint.url,
        latencyMs: HISTORY_LATENCY_MS,
        maxBlockRange: cap,
        style: "node",
      });
      try {
        /** One case on a fresh reader (`kept`: the device's log cache), stopped at `budgetSeconds`. */
        const run = async (
          kept: MemoryStore | null,
          body: (chain: Chain, shown: () => void) => Promise<string>,
          afterShown = "",
        ) => {
          const deadline = performance.now() + budgetSeconds * 1000;
          let stopped = false;
          const http = new HttpRpc(sim.url);
          const guard = () => {
            if (stopped || performance.now() > deadline) throw new OutOfTime("time budget spent");
          };
          const rpc = {
            request: async <T>(m: string, p?: readonly unknown[]) => {
              guard();
              return http.request<T>(m, p);
            },
            requestBatch: async (calls: readonly { method: string; params: readonly unknown[] }[]) => {
              guard();
              return http.requestBatch(calls);
            },
          };
          const chain = new Chain(rpc, address);
          if (kept) chain.logCache = new LogCache(kept, { chainId: 31337, address });
          let progress = { done: 0, total: 0 };
          chain.onHistoryProgress((p) => {
            if (p) progress = p;
          });
          sim.resetStats();
          const started = performance.now();
          let at: { seconds: number; requests: number; calls: number } | null = null;
          const snapshot = () => ({
            seconds: (performance.now() - started) / 1000,
            requests: sim.stats.httpRequests,
            calls: Object.values(sim.stats.calls).reduce((a, b) => a + b, 0),
          });
          // Once the page shows what it is for, the case ends: what the reader does after (the scan for older
          // orders) is stopped, so it neither runs into the next case nor counts in it.
          const shown = () => {
            at ??= snapshot();
            stopped = true;
          };
          let note = "";
          let finished = true;
          try {
            note = await body(chain, shown);
            shown();
          } catch (error) {
            if (!(error instanceof OutOfTime)) throw error;
            // Stopped after it showed (see `shown`), or by the budget before.
            finished = at !== null;
            note = finished ? afterShown : `stopped by the ${budgetSeconds} s budget`;
          } finally {
            stopped = true;
          }
          const end = at ?? snapshot();
          const done = finished ? 1 : progress.total > 0 ? progress.done / progress.total : 0;
          return { ...end, finished, done, note };
        };

        const cases: HistoryCase[] = [];
        const add = (
          key: HistoryCase["key"],
          name: string,
          target: HistoryTarget | null,
          r: Awaited<ReturnType<typeof run>>,
        ) => {
          const c: HistoryCase = { key, name, target, ...r };
          cases.push(c);
          log(`cap ${cap.toLocaleString("en")}: ${describeCase(c)}`);
        };

        // The device that bought: its cache holds the 5 receipts; the orders show from it, the older history is
        // still read after (not timed here: that is the new device's scan).
        const bought = new MemoryStore();
        const keeper = new Chain(new HttpRpc(endpoint.url), address);
        keeper.logCache = new LogCache(bought, { chainId: 31337, address });
        for (const r of receipts) await keepPlacedFromReceipt(keeper, r);
        add(
          "boughtDevice",
          `"Your orders" on the device that bought (its ${receipts.length} payments' receipts kept)`,
          { seconds: 1, requests: 5 },
          await run(
            bought,
            async (chain, shown) => {
              await loadBuyerOrders(chain, buyer.address, deploymentBlock, {
                onPartial: (records) => {
                  if (records.length >= receipts.length) shown();
                },
              });
              return "";
            },
            "the scan for orders bought elsewhere goes on under them (the new device's figure below)",
          ),
        );

        add(
          "orderLink",
          "an order opened from its link (OrderPlaced block in the URL) on a new device",
          { seconds: 1.5 },
          await run(null, async (chain) => {
            const record = await loadOrder(chain, order.id, deploymentBlock, { block: order.block });
            if (record?.id !== order.id) throw new Error("the linked order was not found");
            return `status ${record.status}: no later logs to read`;
          }),
        );

        add(
          "reviews",
          `a product's ${REVIEWS} reviews on a new device (pointer walk)`,
          { seconds: 3 },
          await run(
            null,
            async (chain, shown) => {
              const all = await loadReviews(chain, reviewed, deploymentBlock, {
                onReviews: (found) => {
                  if (found.length >= REVIEWS) shown();
                },
              });
              if (all.length !== REVIEWS) throw new Error(`${all.length} reviews, not ${REVIEWS}`);
              return "";
            },
            "the walk reads the store's replies with them: nothing is scanned",
          ),
        );

        add(
          "sellerOrders",
          `the seller's orders page, ${STORE_ORDERS} orders, on a new device (pointer walk)`,
          { seconds: 3 },
          await run(null, async (chain) => {
            const records = await loadStoreOrders(chain, storeId, deploymentBlock);
            if (records.length !== STORE_ORDERS) throw new Error(`${records.length} orders, not ${STORE_ORDERS}`);
            return `${records.length} orders, all still Paid: no later logs to read`;
          }),
        );

        add(
          "newDevice",
          `"Your orders" on a new device (scan of ${(head - deploymentBlock).toLocaleString("en")} blocks)`,
          null,
          await run(null, async (chain) => {
            const records = await loadBuyerOrders(chain, buyer.address, deploymentBlock);
            if (records.length !== receipts.length) throw new Error(`${records.length} orders, not ${receipts.length}`);
            return `${records.length} orders`;
          }),
        );
        out.push({ cap, cases });
      } finally {
        await sim.close();
      }
    }
    return out;
  } finally {
    endpoint.server.closeAllConnections();
    await new Promise((resolve) => endpoint.server.close(resolve));
    await connection.close();
  }
}

/** Whether a case met its target (null: no target). */
export function metTarget(c: HistoryCase): boolean | null {
  if (!c.target) return null;
  return (
    c.finished && c.seconds <= c.target.seconds && (c.target.requests === undefined || c.requests <= c.target.requests)
  );
}

export function describeCase(c: HistoryCase): string {
  const base = `${c.name}: ${c.seconds.toFixed(2)} s, ${c.requests} HTTP requests (${c.calls} calls)`;
  const target = c.target
    ? ` [target ≤ ${c.target.seconds} s${c.target.requests === undefined ? "" : `, ≤ ${c.target.requests} requests`}: ${metTarget(c) ? "met" : "MISSED"}]`
    : "";
  if (!c.finished) {
    const projected = c.seconds / Math.max(c.done, 1e-6);
    return `${base}: stopped at ${(100 * c.done).toFixed(1)}% of the blocks; about ${Math.round(projected / 60)} min at that pace${target}`;
  }
  return `${base}${target}${c.note ? `; ${c.note}` : ""}`;
}

// `node scripts/bench/history.ts [budget seconds]`: this section alone, printed.
if (import.meta.url === `file://${process.argv[1]}`) {
  const budget = Number(process.argv[2] ?? 60);
  await measureHistory(budget, (line) => console.log(line));
}
