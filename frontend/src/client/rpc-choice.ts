// The fan's own RPC endpoint: kept in the browser per chain, tried before the manifest's, checked before it is kept
// (an http(s) URL that answers eth_chainId with the store's chain). FallbackRpc sends to the fan's endpoint and, when
// it cannot be reached, to the store's.
import { classifyRefusal } from "./log-refusal.ts";
import { type FetchLike, HttpRpc, NetworkError, RateLimitedError, type RpcClient, RpcError } from "./rpc.ts";

const KEY = (chainId: number) => `merchstand.rpc.${chainId}`;

/** The fan's saved endpoint for this chain, or null (also for anything stored that is not an http(s) URL). */
export function savedRpcUrl(storage: Pick<Storage, "getItem">, chainId: number): string | null {
  const value = storage.getItem(KEY(chainId));
  return value !== null && parseHttpUrl(value) ? value : null;
}

export function saveRpcUrl(storage: Pick<Storage, "setItem">, chainId: number, url: string): void {
  storage.setItem(KEY(chainId), url);
}

export function clearRpcUrl(storage: Pick<Storage, "removeItem">, chainId: number): void {
  storage.removeItem(KEY(chainId));
}

function parseHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** Checks an endpoint the fan typed: the URL (normalised) when it serves `chainId`, else the sentence saying why not. */
export async function checkRpcUrl(
  text: string,
  chain: { chainId: number; chainName: string },
  fetch?: FetchLike,
): Promise<{ ok: true; url: string } | { ok: false; message: string }> {
  const url = parseHttpUrl(text);
  if (!url) return { ok: false, message: "Enter a web address that starts with https:// (or http://)." };
  let answer: unknown;
  try {
    answer = await new HttpRpc(url.href, { ...(fetch ? { fetch } : {}), timeoutMs: 10_000 }).request("eth_chainId");
  } catch (error) {
    if (error instanceof RateLimitedError)
      return { ok: false, message: "That provider is busy (too many requests). Try again in a minute." };
    return {
      ok: false,
      message:
        error instanceof NetworkError
          ? "Couldn't reach that address, or it doesn't answer as a network provider (RPC) does. Check it and try again."
          : `That provider refused the check: ${(error as RpcError).message.slice(0, 120)}`,
    };
  }
  const id = typeof answer === "string" && /^0x[0-9a-f]+$/i.test(answer) ? Number(BigInt(answer)) : null;
  if (id !== chain.chainId) {
    return {
      ok: false,
      message: `That provider serves ${id === null ? "an unknown network" : `network ${id}`}; this store is on ${chain.chainName} (${chain.chainId}).`,
    };
  }
  return { ok: true, url: url.href };
}

/** Why FallbackRpc went to the store's endpoint: the fan's could not be reached, or refused the history. */
export type FallbackReason = "unreachable" | "refused";

/**
 * Sends to `primary` (the fan's endpoint); to `fallback` (the store's) when the primary cannot be reached at all
 * (not a refusal, not a rate limit), and every `eth_getLogs` from the moment the primary refuses the history: no
 * `eth_getLogs` at all, or a refusal of a one-block range (client/log-scan.ts classifyRefusal), which no narrower
 * window can get past. Listeners ({@link onFallback}) hear each reason once, for the page to say so.
 */
export class FallbackRpc implements RpcClient {
  readonly primary: HttpRpc;
  readonly fallback: HttpRpc;
  /** Set once the primary refused the history: logs are read from the fallback from then on. */
  logsOnFallback = false;
  readonly reasons = new Set<FallbackReason>();
  private readonly listeners = new Set<(reason: FallbackReason) => void>();
  constructor(primary: HttpRpc, fallback: HttpRpc) {
    this.primary = primary;
    this.fallback = fallback;
  }
  onFallback(listener: (reason: FallbackReason) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private fellBack(reason: FallbackReason): void {
    if (this.reasons.has(reason)) return;
    this.reasons.add(reason);
    for (const l of this.listeners) l(reason);
  }
  private unreachable(error: unknown): boolean {
    return error instanceof NetworkError && !(error instanceof RateLimitedError);
  }
  /** Whether the primary's answer to this call refuses the history itself (see the class comment). */
  private refusesHistory(call: { method: string; params?: readonly unknown[] }, error: unknown): boolean {
    if (call.method !== "eth_getLogs" || !(error instanceof RpcError)) return false;
    const refusal = classifyRefusal(error);
    if (refusal.kind === "unavailable") return true;
    if (refusal.kind !== "range") return false;
    const filter = call.params?.[0] as { fromBlock?: unknown; toBlock?: unknown } | undefined;
    const from = typeof filter?.fromBlock === "string" ? Number(BigInt(filter.fromBlock)) : Number.NaN;
    const to = typeof filter?.toBlock === "string" ? Number(BigInt(filter.toBlock)) : Number.NaN;
    return to - from + 1 <= 1;
  }
  async request<T = unknown>(method: string, params?: readonly unknown[]): Promise<T> {
    if (method === "eth_getLogs" && this.logsOnFallback) return this.fallback.request<T>(method, params);
    try {
      return await this.primary.request<T>(method, params);
    } catch (error) {
      if (this.refusesHistory({ method, params }, error)) {
        this.logsOnFallback = true;
        this.fellBack("refused");
      } else if (this.unreachable(error)) this.fellBack("unreachable");
      else throw error;
      return this.fallback.request<T>(method, params);
    }
  }
  async requestBatch(
    calls: readonly { method: string; params: readonly unknown[] }[],
  ): Promise<({ result: unknown } | { error: RpcError })[]> {
    if (this.logsOnFallback && calls.some((c) => c.method === "eth_getLogs")) return this.fallback.requestBatch(calls);
    let answers: ({ result: unknown } | { error: RpcError })[];
    try {
      answers = await this.primary.requestBatch(calls);
    } catch (error) {
      if (!this.unreachable(error)) throw error;
      this.fellBack("unreachable");
      return this.fallback.requestBatch(calls);
    }
    if (answers.some((a, i) => "error" in a && calls[i] && this.refusesHistory(calls[i], a.error))) {
      this.logsOnFallback = true;
      this.fellBack("refused");
      return this.fallback.requestBatch(calls);
    }
    return answers;
  }
}

/** What the page says when FallbackRpc went to the store's endpoint. */
export function fallbackSentence(reason: FallbackReason): string {
  return reason === "refused"
    ? "Your network provider (RPC) refused to read the store's order history, so the store's own provider was used for it."
    : "Your network provider (RPC) couldn't be reached, so the store's own provider was used instead.";
}
