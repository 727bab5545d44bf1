// A JSON-RPC proxy that behaves like a hosted RPC provider, for tests and the bench: it adds latency, caps the
// block range and the result count of `eth_getLogs`, rate-limits with HTTP 429 and `Retry-After`, accepts batches,
// and refuses with the error bodies that real providers send. Everything it does not refuse goes to a real node.
//
// The refusal bodies are the providers' own (as reported in their users' bug threads):
// - "infura": range `{code:-32602, "range 1000000 exceeds limit of 10000"}`; results `{code:-32005, "query returned
//   more than 10000 results. Try with this block range [0x…, 0x…]."}`; rate limit HTTP 429 `{code:-32005,
//   "project ID request rate exceeded", data.backoff_seconds}`.
// - "alchemy": range HTTP 400 `{code:-32600, "You can make eth_getLogs requests with up to a 500 block range. Based
//   on your parameters, this block range should work: [0x…, 0x…]"}`; results `{code:-32602, "Log response size
//   exceeded…"}`; rate limit HTTP 429 `{code:429, "Your app has exceeded its compute units per second capacity…"}`.
// - "node": what geth-family nodes and many L2 RPCs answer themselves: `{code:-32602, "query exceeds max block
//   range 1000"}`, `{code:-32005, "query returned more than 10000 results"}`, rate limit `{code:-32016, "over rate
//   limit"}` (Base's public endpoint).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ProviderStyle = "infura" | "alchemy" | "node";

export type ProviderSimOptions = {
  /** The real node behind the proxy. */
  upstream: string;
  /** Added before every HTTP answer (a batch waits once), in milliseconds. */
  latencyMs: number;
  /** Widest `eth_getLogs` range served, in blocks (toBlock - fromBlock + 1); null for no cap. */
  maxBlockRange: number | null;
  /** Most logs one `eth_getLogs` may return; larger answers are refused. */
  maxResults: number;
  /** Calls allowed per rate window (each call of a batch counts); null for no limit. */
  rateLimit: { calls: number; windowMs: number } | null;
  /** Whose error bodies to send. */
  style: ProviderStyle;
  /** Refuse every `eth_getLogs` with "method not available" (a provider that stops serving logs mid-scan). */
  refuseLogs: boolean;
};

export type ProviderSimStats = {
  /** HTTP requests received (a batch is one). */
  httpRequests: number;
  /** JSON-RPC calls received, by method. */
  calls: Record<string, number>;
  /** Calls refused for their block range or result count. */
  refusedLogs: number;
  /** HTTP requests answered 429. */
  rateLimited: number;
};

export type ProviderSim = {
  url: string;
  stats: ProviderSimStats;
  /** Changes the behaviour from the next request on (e.g. a cap that tightens mid-scan). */
  update(changes: Partial<Omit<ProviderSimOptions, "upstream">>): void;
  resetStats(): void;
  close(): Promise<void>;
};

type Call = { jsonrpc?: string; id?: unknown; method?: unknown; params?: unknown };
type Answer = {
  jsonrpc: "2.0";
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
};

const DEFAULTS: Omit<ProviderSimOptions, "upstream"> = {
  latencyMs: 0,
  maxBlockRange: null,
  maxResults: 10_000,
  rateLimit: null,
  style: "node",
  refuseLogs: false,
};

/** The largest JSON body accepted, as providers cap request size. */
const MAX_BODY_BYTES = 1 << 20;

const hex = (n: bigint) => `0x${n.toString(16)}`;

function rangeError(style: ProviderStyle, span: bigint, cap: number, from: bigint) {
  const fits = `[${hex(from)}, ${hex(from + BigInt(cap) - 1n)}]`;
  switch (style) {
    case "infura":
      return { status: 200, error: { code: -32602, message: `range ${span} exceeds limit of ${cap}` } };
    case "alchemy":
      return {
        status: 400,
        error: {
          code: -32600,
          message: `You can make eth_getLogs requests with up to a ${cap} block range. Based on your parameters, this block range should work: ${fits}`,
        },
      };
    case "node":
      return { status: 200, error: { code: -32602, message: `query exceeds max block range ${cap}` } };
  }
}

function resultsError(style: ProviderStyle, cap: number, from: bigint, to: bigint) {
  const half = `[${hex(from)}, ${hex(from + (to - from) / 2n)}]`;
  switch (style) {
    case "infura":
      return { code: -32005, message: `query returned more than ${cap} results. Try with this block range ${half}.` };
    case "alchemy":
      return {
        code: -32602,
        message: `Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of ${cap} logs in the response. Based on your parameters and the response size limit, this block range should work: ${half}`,
      };
    case "node":
      return { code: -32005, message: `query returned more than ${cap} results` };
  }
}

function rateLimitError(style: ProviderStyle, retryAfterS: number) {
  switch (style) {
    case "infura":
      return {
        code: -32005,
        message: "project ID request rate exceeded",
        data: { see: "https://infura.io/dashboard", backoff_seconds: retryAfterS },
      };
    case "alchemy":
      return {
        code: 429,
        message:
          "Your app has exceeded its compute units per second capacity. If you have retries enabled, you can safely ignore this message. If not, check out https://docs.alchemy.com/reference/throughput",
      };
    case "node":
      return { code: -32016, message: "over rate limit" };
  }
}

/** Starts the proxy on 127.0.0.1 (`port` 0 picks a free one). */
export async function startProviderSim(
  options: Partial<ProviderSimOptions> & { upstream: string },
  port = 0,
): Promise<ProviderSim> {
  const config: ProviderSimOptions = { ...DEFAULTS, ...options };
  const stats: ProviderSimStats = { httpRequests: 0, calls: {}, refusedLogs: 0, rateLimited: 0 };
  let windowStart = Date.now();
  let windowCalls = 0;

  async function upstream(calls: Call[]): Promise<Answer[]> {
    const response = await fetch(config.upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(calls),
    });
    const body = (await response.json()) as Answer[] | Answer;
    return Array.isArray(body) ? body : [body];
  }

  let latestCache: { at: number; value: bigint } | null = null;
  async function latestBlock(): Promise<bigint> {
    // One look-up per 250 ms is enough to resolve "latest" in range checks without doubling the load upstream.
    if (latestCache !== null && Date.now() - latestCache.at < 250) return latestCache.value;
    const [answer] = await upstream([{ jsonrpc: "2.0", id: 0, method: "eth_blockNumber", params: [] }]);
    const value = BigInt(answer?.result as string);
    latestCache = { at: Date.now(), value };
    return value;
  }

  async function blockOf(tag: unknown, fallback: "latest" | "earliest"): Promise<bigint> {
    const value = tag ?? fallback;
    if (value === "earliest") return 0n;
    if (typeof value === "string" && /^0x[0-9a-f]+$/i.test(value)) return BigInt(value);
    return latestBlock(); // latest, pending, safe, finalized
  }

  /** The refusal for an `eth_getLogs` call before it runs, or null to forward it. */
  async function checkLogs(call: Call): Promise<{ status: number; answer: Answer } | null> {
    const id = call.id ?? null;
    if (config.refuseLogs) {
      // What endpoints that do not serve logs answer (geth's "method not found" shape).
      const error = { code: -32601, message: "the method eth_getLogs does not exist/is not available" };
      return { status: 200, answer: { jsonrpc: "2.0", id, error } };
    }
    if (config.maxBlockRange === null) return null;
    const filter = (Array.isArray(call.params) ? call.params[0] : undefined) as
      | { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown }
      | undefined;
    if (filter?.blockHash !== undefined) return null; // one block
    const from = await blockOf(filter?.fromBlock, "latest");
    const to = await blockOf(filter?.toBlock, "latest");
    const span = to - from + 1n;
    if (span <= BigInt(config.maxBlockRange)) return null;
    const refusal = rangeError(config.style, span, config.maxBlockRange, from);
    return { status: refusal.status, answer: { jsonrpc: "2.0", id, error: refusal.error } };
  }

  async function handle(calls: Call[]): Promise<{ status: number; answers: Answer[] }> {
    let status = 200;
    const answers: (Answer | null)[] = [];
    const forward: { index: number; call: Call }[] = [];
    for (const [index, call] of calls.entries()) {
      const method = typeof call.method === "string" ? call.method : "(invalid)";
      stats.calls[method] = (stats.calls[method] ?? 0) + 1;
      if (method === "eth_getLogs") {
        const refusal = await checkLogs(call);
        if (refusal !== null) {
          stats.refusedLogs++;
          status = Math.max(status, refusal.status);
          answers.push(refusal.answer);
          continue;
        }
      }
      answers.push(null);
      forward.push({ index, call });
    }
    if (forward.length > 0) {
      const results = await upstream(forward.map((f) => f.call));
      const byId = new Map(results.map((r) => [JSON.stringify(r.id), r]));
      for (const { index, call } of forward) {
        let answer = byId.get(JSON.stringify(call.id ?? null)) ?? {
          jsonrpc: "2.0" as const,
          id: call.id ?? null,
          error: { code: -32603, message: "internal error" },
        };
        if (call.method === "eth_getLogs" && Array.isArray(answer.result) && answer.result.length > config.maxResults) {
          const filter = (call.params as { fromBlock?: unknown; toBlock?: unknown }[])[0];
          const from = await blockOf(filter?.fromBlock, "latest");
          const to = await blockOf(filter?.toBlock, "latest");
          stats.refusedLogs++;
          answer = { jsonrpc: "2.0", id: answer.id, error: resultsError(config.style, config.maxResults, from, to) };
        }
        answers[index] = answer;
      }
    }
    // A single call refused with HTTP 400 is answered 400, as Alchemy does; a batch is always 200.
    return { status: calls.length === 1 ? status : 200, answers: answers as Answer[] };
  }

  function rateLimited(callCount: number): number | null {
    if (config.rateLimit === null) return null;
    const now = Date.now();
    if (now - windowStart >= config.rateLimit.windowMs) {
      windowStart = now;
      windowCalls = 0;
    }
    if (windowCalls + callCount > config.rateLimit.calls) {
      return Math.max(1, Math.ceil((windowStart + config.rateLimit.windowMs - now) / 1000));
    }
    windowCalls += callCount;
    return null;
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    // A page calls hosted providers directly, so they answer CORS preflights and let it read Retry-After.
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-allow-headers", "content-type");
    res.setHeader("access-control-expose-headers", "retry-after");
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== "POST") {
      send(res, 405, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "method not allowed" } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        send(res, 413, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "request entity too large" } });
        return;
      }
      chunks.push(chunk as Buffer);
    }
    stats.httpRequests++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      send(res, 400, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } });
      return;
    }
    const batch = Array.isArray(parsed);
    const calls = (batch ? parsed : [parsed]) as Call[];
    if (calls.length === 0 || calls.some((c) => c === null || typeof c !== "object")) {
      send(res, 400, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "invalid request" } });
      return;
    }
    if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));
    const retryAfter = rateLimited(calls.length);
    if (retryAfter !== null) {
      stats.rateLimited++;
      const error = rateLimitError(config.style, retryAfter);
      const body = calls.map((c) => ({ jsonrpc: "2.0", id: c.id ?? null, error }));
      send(res, 429, batch ? body : body[0], { "retry-after": String(retryAfter) });
      return;
    }
    try {
      const { status, answers } = await handle(calls);
      send(res, status, batch ? answers : answers[0]);
    } catch {
      // The node behind the proxy is down: providers answer 503 with no JSON-RPC body of use.
      send(res, 503, { jsonrpc: "2.0", id: null, error: { code: -32603, message: "upstream unavailable" } });
    }
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { jsonrpc: "2.0", id: null, error: { code: -32603, message: "internal" } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    stats,
    update(changes) {
      Object.assign(config, changes);
    },
    resetStats() {
      stats.httpRequests = 0;
      stats.calls = {};
      stats.refusedLogs = 0;
      stats.rateLimited = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
