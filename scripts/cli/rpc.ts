// The scripts' one JSON-RPC client: ethers' JsonRpcProvider on a known chain (no network detection, no polling
// until asked). The dapp keeps its own raw EIP-1193 client (frontend/src/client/rpc.ts) for bundle size.
import { Agent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { FetchRequest, JsonRpcProvider } from "ethers";

export type RpcOptions = {
  /** Per-request timeout (ethers' default is 5 minutes). */
  timeoutMs?: number;
  /** The chain, when known; otherwise the first request asks the node. */
  chainId?: number | bigint;
  /** Calls per JSON-RPC batch (ethers' default 100); 1 sends every call alone. */
  batchMaxCount?: number;
  /** A new connection per request, for callers that hold the event loop (the benchmark; why: scripts/bench/http.ts). */
  freshConnections?: boolean;
};

export function rpcProvider(url: string, options: RpcOptions = {}): JsonRpcProvider {
  const request = new FetchRequest(url);
  if (options.timeoutMs !== undefined) request.timeout = options.timeoutMs;
  if (options.freshConnections) {
    const agent = url.startsWith("https:") ? new HttpsAgent({ keepAlive: false }) : new Agent({ keepAlive: false });
    request.getUrlFunc = FetchRequest.createGetUrlFunc({ agent });
  }
  return new JsonRpcProvider(request, options.chainId === undefined ? undefined : Number(options.chainId), {
    staticNetwork: true,
    cacheTimeout: -1,
    ...(options.batchMaxCount === undefined ? {} : { batchMaxCount: options.batchMaxCount }),
  });
}

/**
 * One call without starting the provider: a provider that does not know its chain first asks for it and, while the
 * node is down, retries forever, which a probe of a node that may not be up yet cannot have.
 */
export async function rpcOnce<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
  timeoutMs = 2000,
): Promise<T> {
  // `_send` posts the payload as it is; the chain id given here is never used, it only spares a detection.
  const provider = rpcProvider(url, { timeoutMs, chainId: 0, batchMaxCount: 1 });
  try {
    const [answer] = await provider._send({ jsonrpc: "2.0", id: 1, method, params });
    if (answer === undefined || "error" in answer) {
      throw new Error(`${method}: ${(answer?.error as { message?: string } | undefined)?.message ?? "JSON-RPC error"}`);
    }
    return answer.result as T;
  } finally {
    provider.destroy();
  }
}
