// "Your orders" on an old chain through a hosted-provider-like endpoint: the dapp's own client layer
// (frontend/src/client/orders.ts → Chain.getLogs → log-scan.ts and log-cache.ts) reads a buyer's 5 orders on a chain
// 2,000,000 blocks past the deployment, through the provider simulator (scripts/stack/provider-sim.ts) with 100 ms
// per request and an `eth_getLogs` cap of 1,000 and of 10 blocks: once on a new device (nothing kept), once on a
// return visit (the log cache of the first visit, an in-memory store standing in for IndexedDB). A scan that runs
// past the time budget is stopped and reported with how far it got and the time it would take at that pace.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Chain } from "../../frontend/src/client/chain.ts";
import { LogCache, MemoryStore } from "../../frontend/src/client/log-cache.ts";
import { loadBuyerOrders } from "../../frontend/src/client/orders.ts";
import { HttpRpc } from "../../frontend/src/client/rpc.ts";
import { startProviderSim } from "../stack/provider-sim.ts";

export const HISTORY_BLOCKS = 2_000_000;
export const HISTORY_LATENCY_MS = 100;
export const HISTORY_CAPS = [1_000, 10] as const;

export type HistoryVisit = {
  /** HTTP requests the provider received (a batch is one), and JSON-RPC calls among them. */
  requests: number;
  calls: number;
  seconds: number;
  orders: number;
  /** Share of the blocks read when the time budget ran out (1 when the load finished). */
  done: number;
  finished: boolean;
};
export type HistoryFigures = { cap: number; newDevice: HistoryVisit; returnVisit: HistoryVisit | null }[];

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

/** Places 5 orders, ages the chain, then loads "Your orders" per cap on a new device and on a return visit. */
export async function measureHistory(budgetSeconds: number, log: (line: string) => void): Promise<HistoryFigures> {
  const { network } = await import("hardhat");
  const { default: MerchstandModule } = await import("../../ignition/modules/Merchstand.ts");
  const { packLine, SHIPPING_KEY, shippingBlob } = await import("../../test/contracts/support/fixtures.ts");
  const connection = await network.create();
  const endpoint = await serve(connection.provider as Eip1193);
  try {
    const { ethers, ignition } = connection;
    const [admin, seller, buyer, arbiter] = await ethers.getSigners();
    if (!admin || !seller || !buyer || !arbiter) throw new Error("the simulated chain has too few accounts");
    const { merchstand: deployed } = await ignition.deploy(MerchstandModule, {
      defaultSender: admin.address,
      parameters: { Merchstand: { admin: admin.address, feeRecipient: admin.address } },
    });
    const address = await deployed.getAddress();
    const deploymentBlock = await ethers.provider.getBlockNumber();
    const merchstand = await ethers.getContractAt("MerchstandDeployed", address);
    const price = ethers.parseEther("0.02");
    await (
      await merchstand.connect(seller).openStore({
        name: "Night Tapes",
        metadataCid: "",
        payout: seller.address,
        currency: ethers.ZeroAddress,
        shippingKey: SHIPPING_KEY,
        terms: { arbiter: arbiter.address, shipWindow: 7n * 86_400n, deliveryWindow: 14n * 86_400n },
      })
    ).wait();
    const storeId = (await merchstand.getStores(0, 0))[1];
    await (
      await merchstand
        .connect(seller)
        .listProduct(storeId, { name: "Tour T-Shirt", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
          { label: "M", price, stock: 100 },
        ])
    ).wait();
    const productId = (await merchstand.getProducts(0, 0))[1];
    for (let i = 0; i < 5; i++) {
      const tx = await merchstand
        .connect(buyer)
        .buy_oT9la(packLine(productId, 0, 1, price), shippingBlob(200), { value: price });
      await tx.wait();
    }
    await connection.provider.request({ method: "hardhat_mine", params: [`0x${HISTORY_BLOCKS.toString(16)}`] });
    const head = await ethers.provider.getBlockNumber();
    log(`5 orders placed, then ${HISTORY_BLOCKS.toLocaleString("en")} blocks mined`);

    const out: HistoryFigures = [];
    for (const cap of HISTORY_CAPS) {
      const sim = await startProviderSim({
        upstream: endpoint.url,
        latencyMs: HISTORY_LATENCY_MS,
        maxBlockRange: cap,
        style: "node",
      });
      try {
        const store = new MemoryStore();
        const visit = async (): Promise<HistoryVisit> => {
          const deadline = performance.now() + budgetSeconds * 1000;
          const http = new HttpRpc(sim.url);
          // The budget is enforced at the transport: past it, every request fails and the scan stops.
          const guard = () => {
            if (performance.now() > deadline) throw new OutOfTime("time budget spent");
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
          chain.logCache = new LogCache(store, { chainId: 31337, address });
          let done = 0;
          let total = 0;
          let scanned = 0;
          let partial = 0;
          chain.onHistoryProgress((p) => {
            if (p) ({ done, total } = p);
            else {
              // A scan ended: finished, it counts whole; stopped by the budget, `done` says how far it got.
              if (total > 0 && done >= total) scanned += total;
              else partial = done;
              done = 0;
              total = 0;
            }
          });
          sim.resetStats();
          const started = performance.now();
          let orders = 0;
          let finished = true;
          try {
            orders = (await loadBuyerOrders(chain, buyer.address, deploymentBlock)).length;
          } catch (error) {
            if (!(error instanceof OutOfTime)) throw error;
            finished = false;
          }
          const seconds = (performance.now() - started) / 1000;
          if (finished && orders !== 5) throw new Error(`"Your orders" showed ${orders} orders, not 5`);
          return {
            requests: sim.stats.httpRequests,
            calls: Object.values(sim.stats.calls).reduce((a, b) => a + b, 0),
            seconds,
            orders,
            // Two scans of about the whole chain make the page (orders placed, then their later events).
            done: finished ? 1 : (scanned + partial + done) / (2 * (head - deploymentBlock)),
            finished,
          };
        };
        const newDevice = await visit();
        log(`cap ${cap}: new device ${describeVisit(newDevice)}`);
        const returnVisit = newDevice.finished ? await visit() : null;
        if (returnVisit) log(`cap ${cap}: return visit ${describeVisit(returnVisit)}`);
        out.push({ cap, newDevice, returnVisit });
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

export function describeVisit(v: HistoryVisit): string {
  const base = `${v.requests} HTTP requests (${v.calls} calls), ${v.seconds.toFixed(1)} s`;
  if (v.finished) return `${base}, ${v.orders} orders`;
  const projected = v.seconds / Math.max(v.done, 1e-6);
  return `${base}: stopped at ${(100 * v.done).toFixed(1)}% of the blocks; about ${Math.round(projected / 60)} min at that pace`;
}
