// JSON-RPC over a fetch-like transport. The dapp passes `window.fetch`; Node tests and the benchmark pass their
// own (e.g. one that counts requests), so every catalog read here costs exactly one HTTP request per call.

/** The subset of `fetch` the client layer needs. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

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
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    this.requests++;
    let body: unknown;
    try {
      const response = await this.fetchFn(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
        signal: controller.signal,
      });
      if (!response.ok) throw new NetworkError(`RPC answered HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      throw new NetworkError(`RPC unreachable: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (typeof body !== "object" || body === null) throw new NetworkError("RPC answered with no JSON object");
    const answer = body as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (answer.error) {
      const code = typeof answer.error.code === "number" ? answer.error.code : -32603;
      const message = typeof answer.error.message === "string" ? answer.error.message : "RPC error";
      throw new RpcError(code, message, answer.error.data);
    }
    if (!("result" in answer)) throw new NetworkError("RPC answer has neither result nor error");
    return answer.result as T;
  }
}
