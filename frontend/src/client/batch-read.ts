// Many JSON-RPC calls in few HTTP requests: a JSON-RPC batch where the endpoint takes them (HttpRpc, FallbackRpc),
// one request per call otherwise (a wallet). Used where a page needs the same view for many orders (orderStatus and
// refunded of a seller's 200 orders, now or at past blocks: client/state-search.ts) or one `eth_getLogs` per block
// (the pointer walks of client/pointer-walk.ts, the changed blocks client/state-search.ts finds).
import type { Chain, RawLog } from "./chain.ts";
import { decodeResult, type MerchstandAbi, merchstand } from "./contract.ts";
import { toQuantity } from "./hex.ts";
import type { ScanRpc } from "./log-scan.ts";
import { ORDER_STATUS, type OrderStatus } from "./protocol.ts";
import { RateLimitedError } from "./rpc.ts";

export type Call = { method: string; params: readonly unknown[] };

/** Calls per HTTP request (providers take 100 to 1,000 per batch; 50 stays under every published limit). */
export const BATCH_SIZE = 50;

/** The answers to `calls`, in order; the first refused call throws its RpcError. */
export async function callMany<T = unknown>(rpc: ScanRpc, calls: readonly Call[]): Promise<T[]> {
  if (calls.length === 0) return [];
  if (calls.length === 1 || !rpc.requestBatch) {
    return Promise.all(calls.map((c) => rpc.request<T>(c.method, c.params)));
  }
  const chunks: Call[][] = [];
  for (let i = 0; i < calls.length; i += BATCH_SIZE) chunks.push(calls.slice(i, i + BATCH_SIZE));
  const answers = await Promise.all(chunks.map((chunk) => rpc.requestBatch?.(chunk) ?? []));
  return answers.flat().map((a) => {
    if ("error" in a) throw a.error;
    return a.result as T;
  });
}

/** Retries a batch the provider refused for the rate, as long as it asks (Retry-After), a few times. */
export async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof RateLimitedError) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs ?? 500 * 2 ** attempt));
    }
  }
}

/** An order's status and its refund units (IMerchstand `refundedUnits`): every later event changes one of them. */
export type OrderState = { status: OrderStatus; refundedUnits: bigint };

/** A block to read state at: a number (a past block: an archive node's answer) or the chain's latest. */
export type BlockTag = number | "latest";

/** orderStatus and refundedUnits of each (order, block), in the order given, in one or a few HTTP requests. */
export async function readStatesAt(
  chain: Chain,
  at: readonly { id: bigint; block: BlockTag }[],
): Promise<OrderState[]> {
  const call = (fn: "orderStatus" | "refundedUnits", id: bigint, block: BlockTag): Call => ({
    method: "eth_call",
    params: [
      { to: chain.address, data: merchstand.encodeFunctionData(fn, [id]) },
      block === "latest" ? block : toQuantity(block),
    ],
  });
  const raw = await callMany<string>(
    chain.rpc,
    at.flatMap((p) => [call("orderStatus", p.id, p.block), call("refundedUnits", p.id, p.block)]),
  );
  return at.map((_, i) => {
    const status = decodeResult<MerchstandAbi, "orderStatus">(merchstand, "orderStatus", raw[2 * i] as string);
    const refundedUnits = decodeResult<MerchstandAbi, "refundedUnits">(
      merchstand,
      "refundedUnits",
      raw[2 * i + 1] as string,
    );
    return { status: ORDER_STATUS[Number(status)] ?? "None", refundedUnits };
  });
}

/**
 * orderStatus and refundedUnits of each order now. An order still Paid with nothing refunded has had no event since
 * OrderPlaced (every later event changes one or the other), so its record is whole without reading later logs
 * (client/orders.ts rebuild).
 */
export async function readOrderStates(chain: Chain, ids: readonly bigint[]): Promise<Map<bigint, OrderState>> {
  const states = await readStatesAt(
    chain,
    ids.map((id) => ({ id, block: "latest" as const })),
  );
  return new Map(ids.map((id, i) => [id, states[i] as OrderState]));
}

/**
 * The logs of `topics` in each of `blocks`, by block (one `eth_getLogs` of a single block each, batched, retried when
 * the provider asks to slow down): works on a provider that serves one block per call.
 */
export async function logsOfBlocks(
  chain: Chain,
  topics: (string | string[] | null)[],
  blocks: readonly number[],
): Promise<Map<number, RawLog[]>> {
  const unique = [...new Set(blocks)];
  const answers = await withRetry(() =>
    callMany<RawLog[]>(
      chain.rpc,
      unique.map((b) => ({
        method: "eth_getLogs",
        params: [{ address: chain.address, topics, fromBlock: toQuantity(b), toBlock: toQuantity(b) }],
      })),
    ),
  );
  return new Map(unique.map((b, i) => [b, Array.isArray(answers[i]) ? answers[i] : []]));
}
