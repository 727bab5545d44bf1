// The fan's own RPC endpoint: kept in the browser per chain, tried before the manifest's, checked before it is kept
// (an http(s) URL that answers eth_chainId with the store's chain). FallbackRpc sends to the fan's endpoint and, when
// it cannot be reached, to the store's.
import { type FetchLike, HttpRpc, NetworkError, RateLimitedError, type RpcClient, type RpcError } from "./rpc.ts";

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

/** Sends to `primary`; when it cannot be reached at all (not a refusal, not a rate limit), to `fallback`. */
export class FallbackRpc implements RpcClient {
  readonly primary: HttpRpc;
  readonly fallback: HttpRpc;
  constructor(primary: HttpRpc, fallback: HttpRpc) {
    this.primary = primary;
    this.fallback = fallback;
  }
  private unreachable(error: unknown): boolean {
    return error instanceof NetworkError && !(error instanceof RateLimitedError);
  }
  async request<T = unknown>(method: string, params?: readonly unknown[]): Promise<T> {
    try {
      return await this.primary.request<T>(method, params);
    } catch (error) {
      if (!this.unreachable(error)) throw error;
      return this.fallback.request<T>(method, params);
    }
  }
  async requestBatch(calls: readonly { method: string; params: readonly unknown[] }[]) {
    try {
      return await this.primary.requestBatch(calls);
    } catch (error) {
      if (!this.unreachable(error)) throw error;
      return this.fallback.requestBatch(calls);
    }
  }
}
