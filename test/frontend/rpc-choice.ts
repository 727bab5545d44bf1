import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { HttpRpc, parseRetryAfter, RateLimitedError, RpcError } from "../../frontend/src/client/rpc.ts";
import {
  checkRpcUrl,
  clearRpcUrl,
  FallbackRpc,
  fallbackSentence,
  savedRpcUrl,
  saveRpcUrl,
} from "../../frontend/src/client/rpc-choice.ts";
import { type ProviderSim, startProviderSim } from "../../scripts/stack/provider-sim.ts";

type Call = { id: unknown; method: string };

/** A node that answers eth_chainId with `chainId` and eth_blockNumber with 0x10, one call or a batch. */
async function startNode(chainId: number): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Call | Call[];
    const answer = (call: Call) => ({
      jsonrpc: "2.0",
      id: call.id,
      result: call.method === "eth_chainId" ? `0x${chainId.toString(16)}` : "0x10",
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const LOCAL = { chainId: 31337, chainName: "Hardhat" };

describe("the fan's own RPC endpoint", () => {
  const servers: Server[] = [];
  let sim: ProviderSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });
  const node = async (chainId: number) => {
    const n = await startNode(chainId);
    servers.push(n.server);
    return n.url;
  };

  it("accepts an endpoint that serves the store's chain", async () => {
    const url = await node(31337);
    expect(await checkRpcUrl(` ${url} `, LOCAL)).to.deep.equal({ ok: true, url: `${url}/` });
  });

  it("refuses another chain, a URL that is not http(s), and an endpoint that does not answer", async () => {
    const other = await node(8453);
    const wrong = await checkRpcUrl(other, LOCAL);
    expect(wrong).to.deep.equal({
      ok: false,
      message: "That provider serves network 8453; this store is on Hardhat (31337).",
    });
    for (const text of ["ftp://example.org", "javascript:alert(1)", "not a url"]) {
      const r = await checkRpcUrl(text, LOCAL);
      expect(r).to.deep.equal({ ok: false, message: "Enter a web address that starts with https:// (or http://)." });
    }
    const dead = await checkRpcUrl("http://127.0.0.1:9", LOCAL);
    expect(dead.ok).to.equal(false);
    expect(dead.ok ? "" : dead.message).to.match(/^Couldn't reach that address/);
  });

  it("is kept per chain in storage, and anything stored that is not an http(s) URL is ignored", () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
    saveRpcUrl(storage, 8453, "https://base.example/");
    expect(savedRpcUrl(storage, 8453)).to.equal("https://base.example/");
    expect(savedRpcUrl(storage, 10)).to.equal(null);
    map.set("merchstand.rpc.10", "javascript:alert(1)");
    expect(savedRpcUrl(storage, 10)).to.equal(null);
    clearRpcUrl(storage, 8453);
    expect(savedRpcUrl(storage, 8453)).to.equal(null);
  });

  it("falls back to the store's endpoint when the fan's can't be reached, and says so once", async () => {
    const store = new HttpRpc(await node(31337));
    const down = new FallbackRpc(new HttpRpc("http://127.0.0.1:9"), store);
    const heard: string[] = [];
    down.onFallback((reason) => heard.push(reason));
    expect(await down.request("eth_blockNumber")).to.equal("0x10");
    expect(await down.request("eth_chainId")).to.equal("0x7a69");
    expect(heard).to.deep.equal(["unreachable"]);
    expect(fallbackSentence("unreachable")).to.match(/couldn't be reached, so the store's own provider was used/);
  });

  it("reads the history from the store's endpoint once the fan's refuses it, and keeps other refusals its own", async () => {
    const store = new HttpRpc(await node(31337));
    sim = await startProviderSim({ upstream: await node(31337), refuseLogs: true });
    const refusing = new FallbackRpc(new HttpRpc(sim.url), store);
    const heard: string[] = [];
    refusing.onFallback((reason) => heard.push(reason));
    const range = { fromBlock: "0x1", toBlock: "0x10" };
    expect(await refusing.request("eth_getLogs", [range])).to.equal("0x10");
    expect(heard).to.deep.equal(["refused"]);
    expect(refusing.logsOnFallback).to.equal(true);
    // From then on eth_getLogs goes straight to the store's endpoint, single or batched; other calls stay the fan's.
    const before = sim.stats.calls.eth_getLogs ?? 0;
    await refusing.request("eth_getLogs", [range]);
    await refusing.requestBatch([
      { method: "eth_getLogs", params: [range] },
      { method: "eth_blockNumber", params: [] },
    ]);
    expect(sim.stats.calls.eth_getLogs ?? 0).to.equal(before);
    await refusing.request("eth_blockNumber");
    expect(sim.stats.calls.eth_blockNumber ?? 0).to.be.greaterThan(0);
    expect(heard).to.deep.equal(["refused"]);

    // A range refusal of many blocks is the scanner's to narrow (client/log-scan.ts), not a reason to switch.
    await sim.close();
    sim = await startProviderSim({ upstream: await node(31337), maxBlockRange: 1, style: "node" });
    const capped = new FallbackRpc(new HttpRpc(sim.url), store);
    const wide = await capped.request("eth_getLogs", [range]).catch((e) => e);
    expect(wide).to.be.instanceOf(RpcError);
    expect(capped.logsOnFallback).to.equal(false);

    // The batch path reads the refusal too: the batch is sent again to the store's endpoint.
    await sim.close();
    sim = await startProviderSim({ upstream: await node(31337), refuseLogs: true });
    const batched = new FallbackRpc(new HttpRpc(sim.url), store);
    const answers = await batched.requestBatch([
      { method: "eth_getLogs", params: [range] },
      { method: "eth_getLogs", params: [range] },
    ]);
    expect(answers).to.deep.equal([{ result: "0x10" }, { result: "0x10" }]);
    expect([...batched.reasons]).to.deep.equal(["refused"]);
    expect(capped.logsOnFallback).to.equal(false);
  });
});

describe("HTTP transport: statuses providers answer", () => {
  let sim: ProviderSim | undefined;
  let upstream: Server | undefined;
  afterEach(async () => {
    await sim?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it("raises RateLimitedError with Retry-After on HTTP 429", async () => {
    const n = await startNode(31337);
    upstream = n.server;
    sim = await startProviderSim({ upstream: n.url, rateLimit: { calls: 1, windowMs: 60_000 } });
    const rpc = new HttpRpc(sim.url);
    await rpc.request("eth_chainId");
    const error = await rpc.request<never>("eth_chainId").catch((e: unknown) => e as RateLimitedError);
    expect(error).to.be.instanceOf(RateLimitedError);
    expect(error.status).to.equal(429);
    expect(error.retryAfterMs).to.be.within(1_000, 60_000);
  });

  it("reads the JSON-RPC error Alchemy sends with HTTP 400", async () => {
    const n = await startNode(31337);
    upstream = n.server;
    sim = await startProviderSim({ upstream: n.url, maxBlockRange: 500, style: "alchemy" });
    const error = await new HttpRpc(sim.url)
      .request<never>("eth_getLogs", [{ fromBlock: "0x0", toBlock: "0x1000" }])
      .catch((e: unknown) => e as RpcError);
    expect(error).to.be.instanceOf(RpcError);
    expect(error.message).to.match(/^You can make eth_getLogs requests with up to a 500 block range/);
  });

  it("parses Retry-After as seconds or as a date", () => {
    expect(parseRetryAfter("3")).to.equal(3_000);
    expect(parseRetryAfter("Thu, 03 Dec 2026 09:00:10 GMT", Date.parse("Thu, 03 Dec 2026 09:00:00 GMT"))).to.equal(
      10_000,
    );
    expect(parseRetryAfter("soon")).to.equal(null);
    expect(parseRetryAfter(null)).to.equal(null);
  });
});
