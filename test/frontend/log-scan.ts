import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { Chain, type RawLog } from "../../frontend/src/client/chain.ts";
import { LogCache, MemoryStore, missingRanges } from "../../frontend/src/client/log-cache.ts";
import {
  classifyRefusal,
  HistoryUnavailableError,
  MAX_BATCH,
  newScanWindow,
  SCAN_CONCURRENCY,
  type ScanRpc,
  scanLogs,
} from "../../frontend/src/client/log-scan.ts";
import { HttpRpc, RpcError } from "../../frontend/src/client/rpc.ts";
import { type ProviderSim, type ProviderStyle, startProviderSim } from "../../scripts/stack/provider-sim.ts";

// The scanner against the project's provider simulator (scripts/stack/provider-sim.ts) in front of an in-process
// node whose chain is 2,000,000 blocks long and holds logs at chosen blocks, so every cap can be crossed cheaply.
const HEAD = 2_000_000;
const CONTRACT = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const TOPIC = `0x${"ab".repeat(32)}`;
const hex = (n: number) => `0x${n.toString(16)}`;

function logAt(block: number, index: number): RawLog {
  return {
    address: CONTRACT,
    topics: [TOPIC, `0x${block.toString(16).padStart(64, "0")}`],
    data: "0x",
    blockNumber: hex(block),
    transactionHash: `0x${(block * 100 + index).toString(16).padStart(64, "0")}`,
    logIndex: hex(index),
  };
}

type FakeNode = { url: string; server: Server; logs: RawLog[]; getLogsCalls: number; head: number };

/** A node that answers eth_blockNumber, eth_chainId and eth_getLogs (over `logs`), one call or a batch. */
async function startNode(logs: RawLog[]): Promise<FakeNode> {
  const node: FakeNode = { url: "", server: undefined as unknown as Server, logs, getLogsCalls: 0, head: HEAD };
  const answer = (call: { id: unknown; method: string; params: { fromBlock: string; toBlock: string }[] }) => {
    if (call.method === "eth_blockNumber") return { jsonrpc: "2.0", id: call.id, result: hex(node.head) };
    if (call.method === "eth_getLogs") {
      node.getLogsCalls++;
      const from = Number(BigInt(call.params[0]?.fromBlock ?? "0x0"));
      const to = call.params[0]?.toBlock === "latest" ? node.head : Number(BigInt(call.params[0]?.toBlock ?? "0x0"));
      const result = node.logs.filter((l) => {
        const b = Number(BigInt(l.blockNumber));
        return from <= b && b <= to;
      });
      return { jsonrpc: "2.0", id: call.id, result };
    }
    return { jsonrpc: "2.0", id: call.id, result: "0x7a69" };
  };
  node.server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
  });
  await new Promise<void>((resolve) => node.server.listen(0, "127.0.0.1", resolve));
  node.url = `http://127.0.0.1:${(node.server.address() as AddressInfo).port}`;
  return node;
}

/** Logs every `every` blocks in [from, to], `perBlock` in each. */
function spread(from: number, to: number, every: number, perBlock = 1): RawLog[] {
  const out: RawLog[] = [];
  for (let b = from; b <= to; b += every) for (let i = 0; i < perBlock; i++) out.push(logAt(b, i));
  return out;
}

const query = { address: CONTRACT, topics: [TOPIC] };
const ids = (logs: RawLog[]) => logs.map((l) => `${BigInt(l.blockNumber)}:${BigInt(l.logIndex)}`);

/** An RpcClient without batches: one call per HTTP request. */
function single(url: string): ScanRpc {
  const rpc = new HttpRpc(url);
  return { request: (method, params) => rpc.request(method, params) };
}

describe("log scanner through the provider simulator", () => {
  let node: FakeNode;
  let sim: ProviderSim;

  afterEach(async () => {
    await sim?.close();
    await new Promise((resolve) => node?.server.close(resolve));
  });

  for (const style of ["node", "infura", "alchemy"] as ProviderStyle[]) {
    describe(`in ${style}'s words`, () => {
      // Ranges sized so each cap takes a few hundred calls at most.
      for (const [cap, span] of [
        [10, 3_000],
        [1_000, 300_000],
        [10_000, HEAD],
      ] as const) {
        it(`learns a ${cap.toLocaleString("en")}-block cap from the first refusal and reads every log`, async () => {
          const from = HEAD - span + 1;
          node = await startNode(spread(from, HEAD, Math.max(1, Math.floor(span / 50))));
          sim = await startProviderSim({ upstream: node.url, maxBlockRange: cap, style });
          const window = newScanWindow();
          const arrived: RawLog[] = [];
          const logs = await scanLogs(
            new HttpRpc(sim.url),
            query,
            { from, to: HEAD },
            {
              window,
              onLogs: (l) => arrived.push(...l),
            },
          );
          expect(ids(logs)).to.deep.equal(ids(node.logs));
          expect(arrived).to.have.length(node.logs.length);
          expect(window.ceiling).to.equal(cap);
          // Only the calls in flight when the cap is learned are refused (at most one wave of batches); after that
          // every window fits.
          expect(sim.stats.refusedLogs).to.be.at.most(SCAN_CONCURRENCY * MAX_BATCH);
          expect(sim.stats.calls.eth_getLogs).to.be.at.most(Math.ceil(span / cap) + sim.stats.refusedLogs);
        });
      }
    });
  }

  it("splits a range whose answer is over the result cap, then grows the window again", async () => {
    // 12,000 logs in blocks 1,000..3,999 (4 per block): every 10,000-block window holding them is refused.
    node = await startNode(spread(1_000, 3_999, 1, 4));
    sim = await startProviderSim({ upstream: node.url, maxResults: 10_000, style: "infura" });
    const window = newScanWindow();
    const sizes: number[] = [];
    const logs = await scanLogs(
      single(sim.url),
      query,
      { from: 0, to: 400_000 },
      { window, concurrency: 1, onProgress: () => sizes.push(window.size) },
    );
    expect(logs).to.have.length(12_000);
    expect(ids(logs)).to.deep.equal(ids(node.logs));
    expect(sim.stats.refusedLogs).to.be.greaterThan(0);
    // Too many results is the density of those blocks, not a cap: none is learned, and the window grows back.
    expect(window.ceiling).to.equal(null);
    expect(Math.min(...sizes)).to.be.at.most(5_000);
    expect(sim.stats.calls.eth_getLogs).to.be.at.most(30);
    expect(window.size).to.be.at.least(20_000);
  });

  it("waits as long as Retry-After asks when rate-limited, and still reads everything", async () => {
    node = await startNode(spread(0, 100_000, 997));
    sim = await startProviderSim({
      upstream: node.url,
      maxBlockRange: 1_000,
      rateLimit: { calls: 30, windowMs: 1_000 },
    });
    const started = Date.now();
    const logs = await scanLogs(single(sim.url), query, { from: 0, to: 99_999 }, { window: newScanWindow(1_000) });
    expect(ids(logs)).to.deep.equal(ids(node.logs.filter((l) => Number(BigInt(l.blockNumber)) <= 99_999)));
    expect(sim.stats.rateLimited).to.be.greaterThan(0);
    // 100 calls at 30 a second: at least three windows of the limiter, each waited out as told (Retry-After: 1).
    expect(Date.now() - started).to.be.at.least(2_000);
  });

  it("sends smaller batches when the rate limit counts calls and a batch could never fit", async () => {
    node = await startNode(spread(0, 60_000, 997));
    // 8 calls a second: the first batch of 10 windows is over the limit however long it waits.
    sim = await startProviderSim({
      upstream: node.url,
      maxBlockRange: 1_000,
      rateLimit: { calls: 8, windowMs: 1_000 },
    });
    const window = newScanWindow(1_000);
    const logs = await scanLogs(new HttpRpc(sim.url), query, { from: 0, to: 29_999 }, { window, concurrency: 1 });
    expect(ids(logs)).to.deep.equal(ids(node.logs.filter((l) => Number(BigInt(l.blockNumber)) <= 29_999)));
    expect(sim.stats.rateLimited).to.be.greaterThan(0);
    expect(window.batch).to.be.at.most(8);
  });

  it("follows a cap that tightens mid-scan", async () => {
    node = await startNode(spread(0, 50_000, 101));
    sim = await startProviderSim({ upstream: node.url, maxBlockRange: 10_000, style: "node" });
    const window = newScanWindow();
    let tightened = false;
    const logs = await scanLogs(
      single(sim.url),
      query,
      { from: 0, to: 50_000 },
      {
        window,
        onProgress: () => {
          if (tightened) return;
          tightened = true;
          sim.update({ maxBlockRange: 100 });
        },
      },
    );
    expect(ids(logs)).to.deep.equal(ids(node.logs));
    expect(window.ceiling).to.equal(100);
    expect(sim.stats.refusedLogs).to.be.greaterThan(0);
  });

  it("sends batches of windows and falls back to one call per request when batches are refused", async () => {
    node = await startNode(spread(0, 20_000, 333));
    sim = await startProviderSim({ upstream: node.url, maxBlockRange: 1_000 });
    const batched = await scanLogs(new HttpRpc(sim.url), query, { from: 0, to: 20_000 });
    expect(ids(batched)).to.deep.equal(ids(node.logs));
    expect(sim.stats.httpRequests).to.be.lessThan(sim.stats.calls.eth_getLogs ?? 0);

    // An endpoint that answers any batch with one error object.
    const noBatches: ScanRpc = {
      request: (m, p) => new HttpRpc(sim.url).request(m, p),
      requestBatch: async () => {
        throw new RpcError(-32600, "batch requests are not supported");
      },
    };
    const window = newScanWindow(1_000);
    const one = await scanLogs(noBatches, query, { from: 0, to: 20_000 }, { window });
    expect(ids(one)).to.deep.equal(ids(node.logs));
    expect(window.batch).to.equal(1);
  });

  describe("when the provider cannot serve the history", () => {
    it("raises HistoryUnavailableError when eth_getLogs is not available", async () => {
      node = await startNode(spread(0, 1_000, 10));
      sim = await startProviderSim({ upstream: node.url, refuseLogs: true });
      const error = await scanLogs(new HttpRpc(sim.url), query, { from: 0, to: 1_000 }).catch((e) => e);
      expect(error).to.be.instanceOf(HistoryUnavailableError);
      expect(error.message).to.match(/Choose another network provider \(RPC\) in Settings/);
      expect(error.providerMessage).to.equal("the method eth_getLogs does not exist/is not available");
    });

    it("raises HistoryUnavailableError when not even one block is served", async () => {
      node = await startNode(spread(0, 1_000, 10));
      sim = await startProviderSim({ upstream: node.url, maxBlockRange: 0, style: "node" });
      const error = await scanLogs(new HttpRpc(sim.url), query, { from: 0, to: 1_000 }).catch((e) => e);
      expect(error).to.be.instanceOf(HistoryUnavailableError);
      expect(error.providerMessage).to.equal("query exceeds max block range 0");
    });

    it("raises it when the provider starts refusing mid-scan", async () => {
      node = await startNode(spread(0, 100_000, 10));
      sim = await startProviderSim({ upstream: node.url, maxBlockRange: 1_000 });
      const error = await scanLogs(
        new HttpRpc(sim.url),
        query,
        { from: 0, to: 100_000 },
        {
          onProgress: () => sim.update({ refuseLogs: true }),
        },
      ).catch((e) => e);
      expect(error).to.be.instanceOf(HistoryUnavailableError);
    });
  });

  describe("classifyRefusal", () => {
    const refusal = (message: string, code = -32602, data?: unknown) =>
      classifyRefusal(new RpcError(code, message, data));
    it("reads the caps providers name", () => {
      expect(refusal("query exceeds max block range 1000")).to.deep.include({ kind: "range", cap: 1000 });
      expect(refusal("range 1000000 exceeds limit of 10000")).to.deep.include({ kind: "range", cap: 10_000 });
      expect(
        refusal(
          "You can make eth_getLogs requests with up to a 500 block range. Based on your parameters, this block range should work: [0x100, 0x2f3]",
          -32600,
        ),
      ).to.deep.equal({ kind: "range", cap: 500, suggested: 500 });
      expect(refusal("query returned more than 10000 results", -32005)).to.deep.equal({
        kind: "results",
        suggested: null,
      });
      expect(refusal("query returned more than 10000 results. Try with this block range [0x0, 0x9].")).to.deep.equal({
        kind: "results",
        suggested: 10,
      });
      expect(refusal("something new and unexplained")).to.deep.equal({ kind: "range", cap: null, suggested: null });
      expect(refusal("project ID request rate exceeded", -32005, { backoff_seconds: 2 })).to.deep.equal({
        kind: "rate",
        retryAfterMs: 2_000,
      });
    });
  });
});

describe("log cache behind Chain.getLogs", () => {
  let node: FakeNode;
  let sim: ProviderSim;

  afterEach(async () => {
    await sim?.close();
    await new Promise((resolve) => node?.server.close(resolve));
  });

  async function setup(store = new MemoryStore()) {
    node = await startNode(spread(HEAD - 200_000, HEAD, 4_999));
    sim = await startProviderSim({ upstream: node.url, maxBlockRange: 1_000 });
    const chain = new Chain(new HttpRpc(sim.url), CONTRACT);
    chain.logCache = new LogCache(store, { chainId: 31337, address: CONTRACT });
    return { chain, store };
  }

  it("reads only the new blocks on a return visit, and keeps what it read in the store", async () => {
    const { chain, store } = await setup();
    const filter = { topics: [TOPIC], fromBlock: HEAD - 200_000 };
    const first = await chain.getLogs(filter);
    expect(ids(first)).to.deep.equal(ids(node.logs));
    const firstCalls = sim.stats.calls.eth_getLogs ?? 0;
    expect(firstCalls).to.be.at.least(200);

    // A new device's reader on the same store: it trusts nothing but what the store holds.
    node.head = HEAD + 500;
    node.logs.push(logAt(HEAD + 300, 0));
    sim.resetStats();
    const again = new Chain(new HttpRpc(sim.url), CONTRACT);
    again.logCache = new LogCache(store, { chainId: 31337, address: CONTRACT });
    const second = await again.getLogs(filter);
    expect(ids(second)).to.deep.equal(ids(node.logs));
    // The last 64 blocks before the old head, and the 500 new ones: one window of the learned 1,000-block cap after
    // the first call is refused (a new reader starts at 10,000 blocks).
    expect(sim.stats.calls.eth_getLogs ?? 0).to.be.at.most(3);
  });

  it("ignores an entry that is corrupt or belongs to another contract", async () => {
    const store = new MemoryStore();
    const { chain } = await setup(store);
    const filter = { topics: [TOPIC], fromBlock: HEAD - 200_000 };
    await chain.getLogs(filter);
    const [key] = [...store.entries.keys()];
    if (!key) throw new Error("nothing was kept");
    const entry = store.entries.get(key) as { logs: RawLog[]; ranges: [number, number][] };

    // A forged log (another contract's address) in an otherwise good entry: the entry is dropped, the chain re-read.
    const forged = structuredClone(entry);
    forged.logs.push({ ...logAt(HEAD - 100_000 + 1, 0), address: "0x000000000000000000000000000000000000dead" });
    for (const bad of [forged, { v: 1, ranges: "all", logs: [] }, { ...entry, ranges: [[5, 1]] }, "junk"]) {
      store.entries.set(key, bad);
      sim.resetStats();
      const logs = await chain.getLogs(filter);
      expect(ids(logs)).to.deep.equal(ids(node.logs));
      expect(sim.stats.calls.eth_getLogs ?? 0).to.be.at.least(200);
    }
  });

  it("keeps the blocks read before a failure, so the next try resumes after them", async () => {
    const { chain } = await setup();
    const filter = { topics: [TOPIC], fromBlock: HEAD - 200_000 };
    let answered = 0;
    const failed = await chain
      .getLogs(filter, {
        onLogs: () => {
          answered++;
          if (answered === 10) sim.update({ refuseLogs: true });
        },
      })
      .catch((e) => e);
    expect(failed).to.be.instanceOf(HistoryUnavailableError);
    sim.update({ refuseLogs: false });
    sim.resetStats();
    const logs = await chain.getLogs(filter);
    expect(ids(logs)).to.deep.equal(ids(node.logs));
    expect(sim.stats.calls.eth_getLogs ?? 0).to.be.lessThan(200);
  });

  it("reports progress across the scan", async () => {
    const { chain } = await setup();
    const seen: (number | null)[] = [];
    const stop = chain.onHistoryProgress((p) => seen.push(p ? p.done / p.total : null));
    await chain.getLogs({ topics: [TOPIC], fromBlock: HEAD - 200_000 });
    stop();
    expect(seen.at(-1)).to.equal(null);
    expect(seen.at(-2)).to.equal(1);
    const fractions = seen.filter((x): x is number => x !== null);
    expect(fractions.length).to.be.greaterThan(10);
    expect([...fractions].sort((a, b) => a - b)).to.deep.equal(fractions);
  });

  it("computes the blocks still to read", () => {
    expect(
      missingRanges({ from: 0, to: 100 }, [
        { from: 10, to: 20 },
        { from: 21, to: 30 },
        { from: 90, to: 200 },
      ]),
    ).to.deep.equal([
      { from: 0, to: 9 },
      { from: 31, to: 89 },
    ]);
  });
});
