// Ticket check-in on chain (IMerchstand checkIn / checkedInAt): once per order, whichever door device sends it; a
// second try reverts AlreadyCheckedIn with the first time, and checkedInAt answers it to every device.
import type { Chain } from "./chain.ts";
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

/** When the order was checked in (unix seconds, chain time), null if not yet. */
export async function checkedInAt(chain: Chain, orderId: bigint): Promise<bigint | null> {
  const at = await chain.read("checkedInAt", [orderId]);
  return at === 0n ? null : at;
}
