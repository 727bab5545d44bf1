// Rebuilds a buyer's orders from logs. The contract stores only a hash of each order, and every action on an
// order takes the full Order back as calldata (see IMerchstand's header), so the dapp replays OrderPlaced and the
// events that change an order (shipped or delivered, disputed) to get the current struct. Partial refunds never
// change the Order: they are summed beside it in `refunded`, as the contract's refunded(orderId) keeps them. OrderPlaced
// carries the order packed, without the currency, which is the store's: one getStore per store involved.

import { byPosition, type Chain, type RawLog } from "./chain.ts";
import { decodeEvent, topicOf } from "./contract.ts";
import { addressTopic, uintTopic } from "./hex.ts";
import { ORDER_STATUS, type Order, type OrderStatus, orderFromPlaced } from "./protocol.ts";

export type TimelineEvent = {
  kind:
    | "placed"
    | "shipped"
    | "delivered"
    | "completed"
    | "partially-refunded"
    | "refunded"
    | "cancelled"
    | "disputed"
    | "resolved";
  blockNumber: number;
  txHash: string;
  /** Unix seconds when the event says so; otherwise filled from the block when the page asks. */
  at: bigint | null;
  detail: Record<string, unknown>;
};

export type OrderRecord = {
  id: bigint;
  order: Order;
  status: OrderStatus;
  /** The sealed address of a physical order, or the buyer's 32-byte delivery key of a digital one (hex). */
  shipping: string;
  tracking: string | null;
  /** The sealed delivery payload of a delivered digital order (hex), from OrderDelivered. */
  delivery: string | null;
  /** What partial refunds returned while the order was open (the contract's refunded(orderId)). */
  refunded: bigint;
  timeline: TimelineEvent[];
};

const LATER_EVENTS = [
  "OrderShipped",
  "OrderDelivered",
  "OrderCompleted",
  "OrderPartiallyRefunded",
  "OrderRefunded",
  "OrderCancelled",
  "OrderDisputed",
  "DisputeResolved",
  // Mined with OrderPlaced: what a discount code took off (the Order's `discount`, docs/DROPS.md).
  "CodeRedeemed",
] as const;

function placedRecord(log: RawLog, currencyOf: ReadonlyMap<bigint, string>): OrderRecord {
  const parsed = decodeEvent(log);
  if (parsed?.name !== "OrderPlaced") throw new Error("not an OrderPlaced log");
  const currency = currencyOf.get(BigInt(parsed.args.storeId));
  if (currency === undefined) throw new Error(`no currency for store ${parsed.args.storeId}`);
  const order = orderFromPlaced(parsed.args, currency);
  return {
    id: BigInt(parsed.args.orderId),
    order,
    status: "Paid",
    shipping: String(parsed.args.shipping),
    tracking: null,
    delivery: null,
    refunded: 0n,
    timeline: [
      {
        kind: "placed",
        blockNumber: Number(BigInt(log.blockNumber)),
        txHash: log.transactionHash,
        at: order.placedAt,
        detail: { amount: order.amount },
      },
    ],
  };
}

/** Records for OrderPlaced logs, oldest first, with each store's currency read once. */
async function placedRecords(chain: Chain, logs: RawLog[]): Promise<OrderRecord[]> {
  const storeIds = [...new Set(logs.map((log) => BigInt(log.topics[3] ?? "0x0")))];
  const currencyOf = new Map<bigint, string>();
  await Promise.all(
    storeIds.map(async (id) => {
      const store = await chain.getStore(id);
      if (store) currencyOf.set(id, store.currency);
    }),
  );
  return logs.sort(byPosition).map((log) => placedRecord(log, currencyOf));
}

/** Applies one later event to a record, as the contract applied it to the stored order. */
export function applyOrderEvent(record: OrderRecord, log: RawLog): void {
  const parsed = decodeEvent(log);
  if (!parsed) return;
  const base = { blockNumber: Number(BigInt(log.blockNumber)), txHash: log.transactionHash };
  switch (parsed.name) {
    case "CodeRedeemed": {
      const discount = BigInt(parsed.args.discount);
      record.order = { ...record.order, discount, amount: record.order.amount - discount };
      break;
    }
    case "OrderShipped":
      record.order = { ...record.order, shippedAt: BigInt(parsed.args.shippedAt) };
      record.status = "Shipped";
      record.tracking = String(parsed.args.tracking);
      record.timeline.push({
        ...base,
        kind: "shipped",
        at: BigInt(parsed.args.shippedAt),
        detail: { tracking: record.tracking },
      });
      break;
    case "OrderDelivered":
      record.order = { ...record.order, shippedAt: BigInt(parsed.args.deliveredAt) };
      record.status = "Shipped";
      record.delivery = String(parsed.args.payload);
      record.timeline.push({ ...base, kind: "delivered", at: BigInt(parsed.args.deliveredAt), detail: {} });
      break;
    case "OrderDisputed":
      record.order = { ...record.order, disputedAt: BigInt(parsed.args.disputedAt) };
      record.status = "Disputed";
      record.timeline.push({
        ...base,
        kind: "disputed",
        at: BigInt(parsed.args.disputedAt),
        detail: { reason: String(parsed.args.reason) },
      });
      break;
    case "OrderPartiallyRefunded":
      record.refunded += BigInt(parsed.args.amount);
      record.timeline.push({
        ...base,
        kind: "partially-refunded",
        at: null,
        detail: { amount: BigInt(parsed.args.amount) },
      });
      break;
    case "OrderCompleted":
      record.status = "Completed";
      record.timeline.push({ ...base, kind: "completed", at: null, detail: {} });
      break;
    case "OrderRefunded":
      record.status = "Refunded";
      record.timeline.push({ ...base, kind: "refunded", at: null, detail: { amount: BigInt(parsed.args.amount) } });
      break;
    case "OrderCancelled":
      record.status = "Cancelled";
      record.timeline.push({ ...base, kind: "cancelled", at: null, detail: { amount: BigInt(parsed.args.amount) } });
      break;
    case "DisputeResolved":
      record.status = "Resolved";
      record.timeline.push({
        ...base,
        kind: "resolved",
        at: null,
        detail: {
          toBuyer: BigInt(parsed.args.toBuyer),
          toStore: BigInt(parsed.args.toStore),
          byArbiter: Boolean(parsed.args.byArbiter),
        },
      });
      break;
  }
}

async function withHistory(chain: Chain, fromBlock: number, toBlock: number, records: OrderRecord[]) {
  if (records.length === 0) return records;
  // An order changes only after it is placed: its later events are read from the oldest order's block on.
  const start = Math.max(fromBlock, Math.min(...records.map((r) => r.timeline[0]?.blockNumber ?? fromBlock)));
  const byId = new Map(records.map((r) => [r.id, r]));
  // One query for all later events of these orders: topic0 is any of the events, topic1 any of the order ids.
  const ids = records.map((r) => uintTopic(r.id));
  const logs: RawLog[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    logs.push(
      ...(await chain.getLogs({
        topics: [LATER_EVENTS.map(topicOf), ids.slice(i, i + 100)],
        fromBlock: start,
        toBlock,
      })),
    );
  }
  for (const log of logs.sort(byPosition)) {
    const record = byId.get(BigInt(log.topics[1] ?? "0x0"));
    if (record) applyOrderEvent(record, log);
  }
  return records;
}

/** Every order `buyer` placed, newest first, rebuilt to its current state. */
export async function loadBuyerOrders(chain: Chain, buyer: string, deploymentBlock: number): Promise<OrderRecord[]> {
  const toBlock = await chain.blockNumber();
  const placed = await chain.getLogs({
    topics: [topicOf("OrderPlaced"), null, addressTopic(buyer)],
    fromBlock: deploymentBlock,
    toBlock,
  });
  const records = await placedRecords(chain, placed);
  await withHistory(chain, deploymentBlock, toBlock, records);
  // Ids say nothing about age (see IMerchstand), the log position does.
  return records.reverse();
}

/** Every order placed with store `storeId`, newest first, rebuilt to its current state (the seller dashboard). */
export async function loadStoreOrders(chain: Chain, storeId: bigint, deploymentBlock: number): Promise<OrderRecord[]> {
  const toBlock = await chain.blockNumber();
  const placed = await chain.getLogs({
    topics: [topicOf("OrderPlaced"), null, null, uintTopic(storeId)],
    fromBlock: deploymentBlock,
    toBlock,
  });
  const records = await placedRecords(chain, placed);
  await withHistory(chain, deploymentBlock, toBlock, records);
  return records.reverse();
}

/** The orders with these ids, rebuilt, in the order given; ids no OrderPlaced log names are left out. */
export async function loadOrdersById(chain: Chain, ids: bigint[], deploymentBlock: number): Promise<OrderRecord[]> {
  if (ids.length === 0) return [];
  const toBlock = await chain.blockNumber();
  const placed: RawLog[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    placed.push(
      ...(await chain.getLogs({
        topics: [topicOf("OrderPlaced"), unique.slice(i, i + 100).map(uintTopic)],
        fromBlock: deploymentBlock,
        toBlock,
      })),
    );
  }
  const records = await placedRecords(chain, placed);
  await withHistory(chain, deploymentBlock, toBlock, records);
  const byId = new Map(records.map((r) => [r.id, r]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

/** One order by id, rebuilt; null when no such order was placed. */
export async function loadOrder(chain: Chain, orderId: bigint, deploymentBlock: number): Promise<OrderRecord | null> {
  const toBlock = await chain.blockNumber();
  const placed = await chain.getLogs({
    topics: [topicOf("OrderPlaced"), uintTopic(orderId)],
    fromBlock: deploymentBlock,
    toBlock,
  });
  const first = placed[0];
  if (!first) return null;
  const [record] = await withHistory(chain, deploymentBlock, toBlock, await placedRecords(chain, [first]));
  return record ?? null;
}

/**
 * Whether an order is digital: its `shipping` bytes are then exactly the buyer's 32-byte delivery key (a sealed
 * address is at least 73 bytes, docs/FORMATS.md), and the store delivers it with `deliver`.
 */
export function isDigitalOrder(record: Pick<OrderRecord, "shipping">): boolean {
  return /^0x[0-9a-fA-F]{64}$/.test(record.shipping);
}

/** Cross-checks a rebuilt order against the chain's status, so a missed event shows up instead of a failed action. */
export async function checkOrderStatus(chain: Chain, record: OrderRecord): Promise<boolean> {
  const onChain = ORDER_STATUS[await chain.orderStatus(record.id)];
  return onChain === record.status;
}

export type Review = {
  orderId: bigint;
  reviewer: string;
  rating: number;
  text: string;
  blockNumber: number;
  reply: string | null;
};

/** A product's reviews (every one from a buyer of a completed order, by construction) with the store's replies. */
export async function loadReviews(chain: Chain, productId: bigint, deploymentBlock: number): Promise<Review[]> {
  const toBlock = await chain.blockNumber();
  const logs = await chain.getLogs({
    topics: [[topicOf("ReviewPosted"), topicOf("ReviewReplied")], uintTopic(productId)],
    fromBlock: deploymentBlock,
    toBlock,
  });
  const reviews = new Map<bigint, Review>();
  for (const log of logs.sort(byPosition)) {
    const parsed = decodeEvent(log);
    if (parsed?.name === "ReviewPosted") {
      const orderId = parsed.args.orderId;
      reviews.set(orderId, {
        orderId,
        reviewer: String(parsed.args.reviewer),
        rating: Number(parsed.args.rating),
        text: String(parsed.args.text),
        blockNumber: Number(BigInt(log.blockNumber)),
        reply: null,
      });
    } else if (parsed?.name === "ReviewReplied") {
      const review = reviews.get(parsed.args.orderId);
      if (review) review.reply = String(parsed.args.text);
    }
  }
  return [...reviews.values()].reverse();
}

/** What the buyer can do next, with the moment each becomes possible or stops being possible. */
export type BuyerActions = {
  confirm: boolean;
  cancelFrom: bigint | null;
  disputeUntil: bigint | null;
  review: boolean;
};

export function buyerActions(record: OrderRecord, terms: { shipWindow: number; deliveryWindow: number }): BuyerActions {
  const o = record.order;
  return {
    confirm: record.status === "Shipped",
    // A pre-order's ship window runs from its ship date (docs/DROPS.md).
    cancelFrom:
      record.status === "Paid"
        ? (o.shipsFrom > o.placedAt ? o.shipsFrom : o.placedAt) + BigInt(terms.shipWindow)
        : null,
    disputeUntil: record.status === "Shipped" ? o.shippedAt + BigInt(terms.deliveryWindow) : null,
    review: record.status === "Completed" || record.status === "Resolved",
  };
}
