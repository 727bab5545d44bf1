// Ticket check-in on chain (IMerchstand checkIn): once per order, whichever door device sends it; a second try
// reverts AlreadyCheckedIn. The contract keeps only a "checked in" flag beside the order's status (docs/DROPS.md,
// "Tickets"): when it happened is in the order's TicketCheckedIn log, which every door device reads here.
import type { Chain } from "./chain.ts";
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
 * When the order was checked in (unix seconds, chain time, from its TicketCheckedIn log), null if not yet.
 * `fromBlock`: the contract's deployment block (no check-in can be older).
 */
export async function checkedInAt(chain: Chain, orderId: bigint, fromBlock: number): Promise<bigint | null> {
  const logs = await chain.getLogs({ topics: [topicOf("TicketCheckedIn"), uintTopic(orderId)], fromBlock });
  for (const log of logs) {
    const event = decodeEvent(log);
    if (event?.name === "TicketCheckedIn" && event.args.orderId === orderId) return BigInt(event.args.checkedInAt);
  }
  return null;
}
