// Ticket check-in on chain (IMerchstand checkIn): once per order, whichever door device sends it; a second try
// reverts AlreadyCheckedIn. The contract keeps only a "checked in" flag beside the order's status (docs/DROPS.md,
// "Tickets"): when it happened is in the order's TicketCheckedIn log, which every door device reads here.
import type { Chain, RawLog } from "./chain.ts";
import { decodeEvent, topicOf } from "./contract.ts";
import { uintTopic } from "./hex.ts";
import { orderReference } from "./order-ref.ts";
import type { OrderRecord } from "./orders.ts";
import { orderArg } from "./protocol.ts";
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

/**
 * When the order was checked in (unix seconds, chain time, from its TicketCheckedIn log), null if not yet. The chain's
 * flag (isCheckedIn) is asked first, so an order not checked in costs one call and no log read; the log is then read
 * from `fromBlock` on (checkInFloor of the order: no check-in is older), not from the deployment.
 */
export async function checkedInAt(chain: Chain, orderId: bigint, fromBlock: number): Promise<bigint | null> {
  if (!(await chain.read("isCheckedIn", [orderId]))) return null;
  const logs = await chain.getLogs({ topics: [topicOf("TicketCheckedIn"), uintTopic(orderId)], fromBlock });
  return checkInTimeOf(logs, orderId);
}
