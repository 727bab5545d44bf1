import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { type ProviderSim, startProviderSim } from "../../scripts/stack/provider-sim.ts";

// A node that answers the few methods the tests need: block 2,000,000 is the head, and every eth_getLogs returns
// one log per block of its range (so the result-count cap can be crossed on purpose).
const HEAD = 2_000_000n;
type Call = { id: unknown; method: string; params: { fromBlock?: string; toBlock?: string }[] };

async function startFakeNode(): Promise<{ url: string; received: Call[]; server: Server }> {
  const received: Call[] = [];
  const answer = (call: Call) => {
    received.push(call);
    if (call.method === "eth_blockNumber") return { jsonrpc: "2.0", id: call.id, result: `0x${HEAD.toString(16)}` };
    if (call.method === "eth_getLogs") {
      const from = BigInt(call.params[0]?.fromBlock ?? "0x0");
      const to = call.params[0]?.toBlock === "latest" ? HEAD : BigInt(call.params[0]?.toBlock ?? "0x0");
      const logs = [];
      for (let b = from; b <= to && logs.length < 20_000; b++) logs.push({ blockNumber: `0x${b.toString(16)}` });
      return { jsonrpc: "2.0", id: call.id, result: logs };
    }
    return { jsonrpc: "2.0", id: call.id, result: "0x7a69" };
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Call | Call[];
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever shape the proxy answered
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const getLogs = (id: number, fromBlock: string, toBlock: string) => ({
  jsonrpc: "2.0",
  id,
  method: "eth_getLogs",
  params: [{ fromBlock, toBlock }],
});

describe("provider simulator", () => {
  let node: Awaited<ReturnType<typeof startFakeNode>>;
  let sim: ProviderSim;

  beforeEach(async () => {
    node = await startFakeNode();
  });
  afterEach(async () => {
    await sim?.close();
    await new Promise((resolve) => node.server.close(resolve));
  });

  describe("with a 1,000-block cap in the node's own words", () => {
    beforeEach(async () => {
      sim = await startProviderSim({ upstream: node.url, maxBlockRange: 1000, style: "node" });
    });

    it("serves a range of exactly the cap", async () => {
      const { status, body } = await post(sim.url, getLogs(1, "0x0", `0x${(999).toString(16)}`));
      expect(status).to.equal(200);
      expect(body.result).to.have.length(1000);
    });

    it("refuses one block more without asking the node, with geth's message", async () => {
      const { status, body } = await post(sim.url, getLogs(2, "0x0", `0x${(1000).toString(16)}`));
      expect(status).to.equal(200);
      expect(body).to.deep.equal({
        jsonrpc: "2.0",
        id: 2,
        error: { code: -32602, message: "query exceeds max block range 1000" },
      });
      expect(node.received.filter((c) => c.method === "eth_getLogs")).to.have.length(0);
      expect(sim.stats.refusedLogs).to.equal(1);
    });

    it("resolves 'latest' against the chain head", async () => {
      const near = `0x${(HEAD - 999n).toString(16)}`;
      expect((await post(sim.url, getLogs(3, near, "latest"))).body.result).to.have.length(1000);
      const far = `0x${(HEAD - 1000n).toString(16)}`;
      expect((await post(sim.url, getLogs(4, far, "latest"))).body.error.code).to.equal(-32602);
    });

    it("answers a batch call by call, refusing only the calls over the cap", async () => {
      const { status, body } = await post(sim.url, [
        { jsonrpc: "2.0", id: 10, method: "eth_chainId", params: [] },
        getLogs(11, "0x0", "0x5000"),
        getLogs(12, "0x0", "0x9"),
      ]);
      expect(status).to.equal(200);
      expect(body.map((a: { id: number }) => a.id)).to.deep.equal([10, 11, 12]);
      expect(body[0].result).to.equal("0x7a69");
      expect(body[1].error.message).to.equal("query exceeds max block range 1000");
      expect(body[2].result).to.have.length(10);
      expect(sim.stats.httpRequests).to.equal(1);
      expect(sim.stats.calls).to.deep.equal({ eth_chainId: 1, eth_getLogs: 2 });
    });

    it("tightens the cap mid-scan when told to", async () => {
      expect((await post(sim.url, getLogs(5, "0x0", "0x63"))).body.result).to.have.length(100);
      sim.update({ maxBlockRange: 10 });
      expect((await post(sim.url, getLogs(6, "0x0", "0x63"))).body.error.message).to.equal(
        "query exceeds max block range 10",
      );
    });
  });

  describe("in Alchemy's words", () => {
    it("refuses a wide range with HTTP 400 and the range that would work", async () => {
      sim = await startProviderSim({ upstream: node.url, maxBlockRange: 500, style: "alchemy" });
      const { status, body } = await post(sim.url, getLogs(1, "0x100", "0x1000"));
      expect(status).to.equal(400);
      expect(body.error.code).to.equal(-32600);
      expect(body.error.message).to.equal(
        "You can make eth_getLogs requests with up to a 500 block range. Based on your parameters, this block range should work: [0x100, 0x2f3]",
      );
    });
  });

  describe("in Infura's words", () => {
    it("names the requested range and the limit", async () => {
      sim = await startProviderSim({ upstream: node.url, maxBlockRange: 10_000, style: "infura" });
      const { body } = await post(sim.url, getLogs(1, "0x0", `0x${(999_999).toString(16)}`));
      expect(body.error).to.deep.equal({ code: -32602, message: "range 1000000 exceeds limit of 10000" });
    });
  });

  describe("when a range holds more logs than the result cap", () => {
    it("refuses the answer after the node ran the query", async () => {
      sim = await startProviderSim({ upstream: node.url, maxResults: 10_000, style: "infura" });
      const { body } = await post(sim.url, getLogs(1, "0x0", `0x${(10_000).toString(16)}`));
      expect(body.error.code).to.equal(-32005);
      expect(body.error.message).to.match(/^query returned more than 10000 results\. Try with this block range/);
      const ok = await post(sim.url, getLogs(2, "0x0", `0x${(9_999).toString(16)}`));
      expect(ok.body.result).to.have.length(10_000);
    });
  });

  describe("when the rate limit is reached", () => {
    it("answers 429 with Retry-After for every call of the request, then serves again in the next window", async () => {
      sim = await startProviderSim({ upstream: node.url, rateLimit: { calls: 3, windowMs: 60_000 }, style: "node" });
      const chainId = (id: number) => ({ jsonrpc: "2.0", id, method: "eth_chainId", params: [] });
      expect((await post(sim.url, [chainId(1), chainId(2)])).status).to.equal(200);
      const limited = await post(sim.url, [chainId(3), chainId(4)]);
      expect(limited.status).to.equal(429);
      expect(Number(limited.headers.get("retry-after"))).to.be.within(1, 60);
      expect(limited.body).to.deep.equal([
        { jsonrpc: "2.0", id: 3, error: { code: -32016, message: "over rate limit" } },
        { jsonrpc: "2.0", id: 4, error: { code: -32016, message: "over rate limit" } },
      ]);
      expect((await post(sim.url, chainId(5))).status).to.equal(200); // one call still fits the window
      expect(sim.stats.rateLimited).to.equal(1);
      sim.update({ rateLimit: { calls: 3, windowMs: 1 } }); // the window has long passed
      expect((await post(sim.url, [chainId(6), chainId(7), chainId(8)])).status).to.equal(200);
    });
  });

  describe("when it stops serving logs", () => {
    it("says the method is not available", async () => {
      sim = await startProviderSim({ upstream: node.url });
      sim.update({ refuseLogs: true });
      const { body } = await post(sim.url, getLogs(1, "0x0", "0x0"));
      expect(body.error).to.deep.equal({
        code: -32601,
        message: "the method eth_getLogs does not exist/is not available",
      });
    });
  });

  describe("as a browser sees it", () => {
    it("answers the CORS preflight and exposes Retry-After", async () => {
      sim = await startProviderSim({ upstream: node.url });
      const response = await fetch(sim.url, { method: "OPTIONS" });
      expect(response.status).to.equal(204);
      expect(response.headers.get("access-control-allow-origin")).to.equal("*");
      expect(response.headers.get("access-control-expose-headers")).to.equal("retry-after");
    });

    it("refuses a body that is not JSON with a parse error", async () => {
      sim = await startProviderSim({ upstream: node.url });
      const response = await fetch(sim.url, { method: "POST", body: "{nope" });
      expect(response.status).to.equal(400);
      expect(((await response.json()) as { error: { code: number } }).error.code).to.equal(-32700);
    });
  });

  describe("with latency", () => {
    it("waits before answering", async () => {
      sim = await startProviderSim({ upstream: node.url, latencyMs: 120 });
      const started = performance.now();
      await post(sim.url, { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
      expect(performance.now() - started).to.be.at.least(120);
    });
  });
});
