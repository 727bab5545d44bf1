// JSON-RPC over a fetch-like transport. The dapp passes `window.fetch`; Node tests and the benchmark pass their
// own (e.g. one that counts requests), so every catalog read here costs exactly one HTTP request per call.

/** The subset of `fetch` the client layer needs. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  /** Read for `Retry-After` on HTTP 429 (a browser sees it when the endpoint exposes it to CORS). */
  headers?: { get(name: string): string | null };
}>;

/** Anything that answers JSON-RPC requests: an HTTP endpoint or an EIP-1193 wallet. */
export type RpcClient = {
  request<T = unknown>(method: string, params?: readonly unknown[]): Promise<T>;
};

/** A JSON-RPC error answer (revert data, bad params, ...), as EIP-1193 wallets also raise them. */
export class RpcError extends Error {
  override name = "RpcError";
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/** The endpoint could not be reached or answered with something that is not JSON-RPC. */
export class NetworkError extends Error {
  override name = "NetworkError";
  /** The HTTP status, when the endpoint answered one. */
  readonly status: number | null;
  constructor(message: string, status: number | null = null) {
    super(message);
    this.status = status;
  }
}

/** HTTP 429: the endpoint asks to slow down, for `retryAfterMs` when it said how long (`Retry-After`). */
export class RateLimitedError extends NetworkError {
  override name = "RateLimitedError";
  readonly retryAfterMs: number | null;
  constructor(retryAfterMs: number | null) {
    super("RPC answered HTTP 429 (rate limited)", 429);
    this.retryAfterMs = retryAfterMs;
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

type RpcAnswer = { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };

/** A JSON-RPC answer object as its result, or the RpcError it carries. */
function settle(answer: RpcAnswer): { result: unknown } | { error: RpcError } {
  if (answer.error) {
    const code = typeof answer.error.code === "number" ? answer.error.code : -32603;
    const message = typeof answer.error.message === "string" ? answer.error.message : "RPC error";
    return { error: new RpcError(code, message, answer.error.data) };
  }
  if (!("result" in answer)) throw new NetworkError("RPC answer has neither result nor error");
  return { result: answer.result };
}

export type HttpRpcOptions = { fetch?: FetchLike; timeoutMs?: number };

export class HttpRpc implements RpcClient {
  readonly url: string;
  /** HTTP requests sent so far (the benchmark reads it). */
  requests = 0;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;
  private nextId = 1;

  constructor(url: string, options: HttpRpcOptions = {}) {
    this.url = url;
    this.fetchFn = options.fetch ?? ((u, init) => globalThis.fetch(u, init));
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async request<T = unknown>(method: string, params: readonly unknown[] = []): Promise<T> {
    const id = this.nextId++;
    const body = await this.post({ jsonrpc: "2.0", id, method, params });
    if (Array.isArray(body)) throw new NetworkError("RPC answered a batch to a single call");
    const settled = settle(body);
    if ("error" in settled) throw settled.error;
    return settled.result as T;
  }

  /**
   * Several calls in one HTTP request (a JSON-RPC batch), answered in the order given, each with its result or its
   * own RpcError. The whole request fails (NetworkError, RateLimitedError) when the HTTP exchange does.
   */
  async requestBatch(
    calls: readonly { method: string; params: readonly unknown[] }[],
  ): Promise<({ result: unknown } | { error: RpcError })[]> {
    const first = this.nextId;
    this.nextId += calls.length;
    const body = await this.post(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, ...c })));
    if (!Array.isArray(body)) {
      // The batch refused as a whole (batches not served, too many calls): one error object for all of it.
      const settled = settle(body);
      throw "error" in settled ? settled.error : new NetworkError("RPC answered a batch with a single result");
    }
    const byId = new Map((body as RpcAnswer[]).map((a) => [a?.id, a]));
    return calls.map((_, i) => {
      const answer = byId.get(first + i);
      if (!answer) throw new NetworkError("RPC batch answer is missing a call");
      return settle(answer);
    });
  }

  /** One HTTP POST; answers the parsed JSON-RPC body, including error bodies sent with an HTTP error status. */
  private async post(payload: unknown): Promise<RpcAnswer | RpcAnswer[]> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    this.requests++;
    let body: unknown;
    try {
      const response = await this.fetchFn(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
      if (response.status === 429) {
        throw new RateLimitedError(parseRetryAfter(response.headers?.get("retry-after")));
      }
      // Some providers refuse a call with an HTTP error status and a JSON-RPC error body (Alchemy: 400 for a
      // block range over its cap); the body says what went wrong, so it is read whatever the status.
      body = await response.json().catch(() => undefined);
      const isRpc = typeof body === "object" && body !== null && ("error" in body || Array.isArray(body));
      if (!response.ok && !isRpc) throw new NetworkError(`RPC answered HTTP ${response.status}`, response.status);
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      throw new NetworkError(`RPC unreachable: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (typeof body !== "object" || body === null) throw new NetworkError("RPC answered with no JSON object");
    return body as RpcAnswer | RpcAnswer[];
  }
}
