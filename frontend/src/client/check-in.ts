// Ticket check-in on chain (IMerchstand checkIn): once per order, whichever door device sends it; a second try
// reverts AlreadyCheckedIn. The contract keeps only a "checked in" flag beside the order's status (docs/DROPS.md,
// "Tickets"): when it happened is in the order's TicketCheckedIn log, which every door device reads here.
import { callMany, logsOfBlocks, withRetry } from "./batch-read.ts";
import type { Chain, RawLog } from "./chain.ts";
import { decodeEvent, decodeResult, type MerchstandAbi, merchstand, topicOf } from "./contract.ts";
import { toQuantity, uintTopic } from "./hex.ts";
import { orderReference } from "./order-ref.ts";
import type { OrderRecord } from "./orders.ts";
import { orderArg } from "./protocol.ts";
import { probeBlocks } from "./state-search.ts";
import type { TxRequest } from "./transactions.ts";

export function checkInTx(record: OrderRecord): TxRequest {
  return {
    fn: "checkIn",
    args: [record.id, orderArg(record.order)],
    what: `Check in ticket order ${orderReference(record.id)}`,
  };
}

/**
 * The oldest block a check-in of `record` can be in: checkIn passes only for a delivered order (Shipped, Completed, or
 * Resolved with the store keeping something: IMerchstandDrops checkIn), so not before the order's first shipping,
 * delivery or ruling, and never before the block it was placed in.
 */
export function checkInFloor(record: Pick<OrderRecord, "timeline">): number {
  const placed = record.timeline[0]?.blockNumber ?? 0;
  const opened = record.timeline.find((e) => e.kind === "shipped" || e.kind === "delivered" || e.kind === "resolved");
  return Math.max(placed, opened?.blockNumber ?? placed);
}

/** The time (unix seconds, chain time) a TicketCheckedIn log among `logs` gives for `orderId`; null if none does. */
export function checkInTimeOf(logs: readonly RawLog[], orderId: bigint): bigint | null {
  for (const log of logs) {
    const event = decodeEvent(log);
    if (event?.name === "TicketCheckedIn" && event.args.orderId === orderId) return BigInt(event.args.checkedInAt);
  }
  return null;
}

/** Blocks one round of the check-in search asks about (one batched request: log16 of the range in rounds). */
const FANOUT = 15;

/**
 * The block of the order's check-in, found from the chain's state instead of a scan, as client/state-search.ts finds
 * an order's changes: the isCheckedIn flag is false before that block and true from it on, so each round reads it at
 * up to 15 blocks of the interval still open (`eth_call` at past blocks, one batch) until the interval is two
 * neighbouring blocks: 6 rounds for 2,000,000 blocks, on any provider whatever its `eth_getLogs` cap. `from`: no
 * check-in is older (checkInFloor); `head`: the order is checked in there. Throws when the provider cannot answer
 * calls at past blocks (not an archive node).
 */
export async function findCheckInBlock(chain: Chain, orderId: bigint, from: number, head: number): Promise<number> {
  let lo = from - 1;
  let hi = head;
  const data = merchstand.encodeFunctionData("isCheckedIn", [orderId]);
  while (hi - lo > 1) {
    const probes = probeBlocks(lo, hi, FANOUT);
    const raw = await withRetry(() =>
      callMany<string>(
        chain.rpc,
        probes.map((b) => ({ method: "eth_call", params: [{ to: chain.address, data }, toQuantity(b)] })),
      ),
    );
    const first = raw.findIndex((r) => decodeResult<MerchstandAbi, "isCheckedIn">(merchstand, "isCheckedIn", r));
    if (first !== 0) lo = probes[(first < 0 ? probes.length : first) - 1] as number;
    if (first >= 0) hi = probes[first] as number;
  }
  return hi;
}

/**
 * When the order was checked in (unix seconds, chain time, from its TicketCheckedIn log), null if not yet. The chain's
 * flag (isCheckedIn) is asked first, so an order not checked in costs one call and no log read. Then the log's block
 * is searched (findCheckInBlock) and read alone; where that fails (no state at past blocks, no log where the search
 * ended), the log is read by scan from `fromBlock` on (checkInFloor of the order: no check-in is older), never from
 * the deployment.
 */
export async function checkedInAt(chain: Chain, orderId: bigint, fromBlock: number): Promise<bigint | null> {
  if (!(await chain.read("isCheckedIn", [orderId]))) return null;
  const topics = [topicOf("TicketCheckedIn"), uintTopic(orderId)];
  const head = await chain.blockNumber();
  const searched = await findCheckInBlock(chain, orderId, fromBlock, head)
    .then((block) => logsOfBlocks(chain, topics, [block]))
    .then((byBlock) => checkInTimeOf([...byBlock.values()].flat(), orderId))
    .catch(() => null);
  if (searched !== null) return searched;
  return checkInTimeOf(await chain.getLogs({ topics, fromBlock }), orderId);
}
