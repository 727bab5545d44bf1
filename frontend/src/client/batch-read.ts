// Many JSON-RPC calls in few HTTP requests: a JSON-RPC batch where the endpoint takes them (HttpRpc, FallbackRpc),
// one request per call otherwise (a wallet). Used where a page needs the same view for many orders (orderStatus and
// refunded of a seller's 200 orders) or one `eth_getLogs` per block of several pointer walks (client/pointer-walk.ts).
import type { Chain } from "./chain.ts";
import { decodeResult, type MerchstandAbi, merchstand } from "./contract.ts";
import type { ScanRpc } from "./log-scan.ts";
import { ORDER_STATUS, type OrderStatus } from "./protocol.ts";

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

/** An order's status and its refund units (IMerchstand `refundedUnits`): every later event changes one of them. */
export type OrderState = { status: OrderStatus; refundedUnits: bigint };

/**
 * orderStatus and refundedUnits of each order, from the chain itself, in one or a few HTTP requests. An order still Paid
 * with nothing refunded has had no event since OrderPlaced (every later event changes one or the other), so its
 * record is whole without reading later logs (client/orders.ts rebuild).
 */
export async function readOrderStates(chain: Chain, ids: readonly bigint[]): Promise<Map<bigint, OrderState>> {
  const call = (fn: "orderStatus" | "refundedUnits", id: bigint): Call => ({
    method: "eth_call",
    params: [{ to: chain.address, data: merchstand.encodeFunctionData(fn, [id]) }, "latest"],
  });
  const raw = await callMany<string>(
    chain.rpc,
    ids.flatMap((id) => [call("orderStatus", id), call("refundedUnits", id)]),
  );
  const out = new Map<bigint, OrderState>();
  ids.forEach((id, i) => {
    const status = decodeResult<MerchstandAbi, "orderStatus">(merchstand, "orderStatus", raw[2 * i] as string);
    const refundedUnits = decodeResult<MerchstandAbi, "refundedUnits">(
      merchstand,
      "refundedUnits",
      raw[2 * i + 1] as string,
    );
    out.set(id, { status: ORDER_STATUS[status] ?? "None", refundedUnits });
  });
  return out;
}
