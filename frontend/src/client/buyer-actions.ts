// What a fan sends after paying (the purchase itself is payCart in ./checkout.ts): one TxRequest builder per
// call, each with the sentence the wallet step shows. Every order action passes the full Order back as calldata.
import type { OrderRecord } from "./orders.ts";
import { orderArg } from "./protocol.ts";
import type { TxRequest } from "./transactions.ts";

export function confirmReceiptTx(record: OrderRecord): TxRequest {
  return { fn: "complete", args: [record.id, orderArg(record.order)], what: "Confirm you received the order" };
}

export function cancelOrderTx(record: OrderRecord): TxRequest {
  return { fn: "cancel", args: [record.id, orderArg(record.order)], what: "Cancel the order for a full refund" };
}

export function disputeTx(record: OrderRecord, reason: string): TxRequest {
  return { fn: "dispute", args: [record.id, orderArg(record.order), reason], what: "Open a dispute" };
}

export function resolveExpiredDisputeTx(record: OrderRecord): TxRequest {
  return {
    fn: "resolveExpiredDispute",
    args: [record.id, orderArg(record.order)],
    what: "Settle the unanswered dispute",
  };
}

export function reviewTx(record: OrderRecord, productId: bigint, rating: number, text: string): TxRequest {
  return {
    fn: "review",
    args: [record.id, orderArg(record.order), productId, rating, text],
    what: `Post your ${rating}-star review`,
  };
}
