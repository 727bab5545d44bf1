// Rebuilds a buyer's orders from logs. The contract stores only a hash of each order, and every action on an
// order takes the full Order back as calldata (see IMerchstand's header), so the dapp replays OrderPlaced and the
// events that change an order (shipped or delivered, disputed) to get the current struct. Partial refunds never
// change the Order: they are summed beside it in `refunded`, which the contract counts in refundedUnits(orderId). OrderPlaced
// carries the order packed, without the currency, which is the store's: one getStore per store involved.

import { logsOfBlocks, type OrderState, readOrderStates } from "./batch-read.ts";
import { byPosition, type Chain, type RawLog, uniqueLogs } from "./chain.ts";
import { decodeEvent, topicOf } from "./contract.ts";
import { addressTopic, uintTopic } from "./hex.ts";
import { findPlaced } from "./placed.ts";
import { BrokenWalkError, type VariantPointer, walkReviews, walkStoreOrders } from "./pointer-walk.ts";
import { ORDER_STATUS, type Order, type OrderStatus, orderFromPlaced, refundUnit } from "./protocol.ts";
import { findChangeBlocks } from "./state-search.ts";

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
  /** What partial refunds returned while the order was open (the contract counts it in refundedUnits(orderId)). */
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

/** Each store's currency, read once per store while a page loads (OrderPlaced leaves it out). */
type Currencies = Map<bigint, Promise<string | undefined>>;

/** Records for OrderPlaced logs, oldest first, with each store's currency read once. */
async function placedRecords(chain: Chain, logs: RawLog[], currencies: Currencies = new Map()): Promise<OrderRecord[]> {
  const storeIds = [...new Set(logs.map((log) => BigInt(log.topics[3] ?? "0x0")))];
  const currencyOf = new Map<bigint, string>();
  await Promise.all(
    storeIds.map(async (id) => {
      let pending = currencies.get(id);
      if (!pending) {
        pending = chain.getStore(id).then((store) => store?.currency);
        currencies.set(id, pending);
      }
      const currency = await pending;
      if (currency !== undefined) currencyOf.set(id, currency);
    }),
  );
  return [...logs].sort(byPosition).map((log) => placedRecord(log, currencyOf));
}

/** Applies one later event to a record, as the contract applied it to the stored order. */
export function applyOrderEvent(record: OrderRecord, log: RawLog): void {
  const parsed = decodeEvent(log);
  if (!parsed) return;
  const base = { blockNumber: Number(BigInt(log.blockNumber)), txHash: log.transactionHash };
  switch (parsed.name) {
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

/**
 * Records for OrderPlaced logs, oldest first, rebuilt to their current state. The chain is asked first
 * (client/batch-read.ts readOrderStates, one batched request beside the stores' currencies): an order still Paid
 * with nothing refunded has no later event, so when every order is, no log is read. Otherwise the later events are
 * read from the oldest order that changed.
 */
async function rebuild(
  chain: Chain,
  fromBlock: number,
  toBlock: number,
  placed: RawLog[],
  currencies: Currencies = new Map(),
): Promise<OrderRecord[]> {
  if (placed.length === 0) return [];
  // The stores' currencies and the orders' states at once (two round trips become one).
  const [records, states] = await Promise.all([
    placedRecords(chain, placed, currencies),
    readOrderStates(
      chain,
      placed.map((l) => BigInt(l.topics[1] ?? "0x0")),
    ),
  ]);
  // A Paid order with nothing refunded has no later event (a code's discount is in its OrderPlaced).
  const changed = records.filter((r) => {
    const state = states.get(r.id);
    return state?.status !== "Paid" || state.refundedUnits !== 0n;
  });
  if (changed.length === 0) return records;
  // First the blocks where each changed order's state moved, found from the chain's state (client/state-search.ts):
  // a few batched requests on any provider. The result must agree with the chain's current state, else (and on a
  // provider that cannot answer calls at past blocks) the later events are read by scan.
  if (changed.length <= MAX_SEARCHED_ORDERS) {
    const searched = await searchedRecords(chain, records, changed, toBlock, states).catch(() => null);
    if (searched) return searched;
  }
  // An order changes only after it is placed: its later events are read from the oldest changed order's block on.
  const start = Math.max(fromBlock, Math.min(...changed.map((r) => r.timeline[0]?.blockNumber ?? fromBlock)));
  // One query for all later events of these orders: topic0 is any of the events, topic1 any of the order ids (all
  // of them, so the filter, and the log cache's entry for it, stay the same from one visit to the next).
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
  applyAll(records, logs);
  return records;
}

/** More changed orders than this are read by scan: the search asks about 30 calls per order and round. */
const MAX_SEARCHED_ORDERS = 50;

function applyAll(records: OrderRecord[], logs: RawLog[]): void {
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const log of [...logs].sort(byPosition)) {
    const record = byId.get(BigInt(log.topics[1] ?? "0x0"));
    if (record) applyOrderEvent(record, log);
  }
}

/**
 * What the chain keeps in a rebuilt order's state (IMerchstand resolveDispute): `units` is refundedUnits(orderId),
 * its partial refunds in whole refund units, or after a ruling that gave the buyer something, the buyer's total
 * rounded up; `keptNothing` is the flag a ruling sets instead when the store's share is too small for that (nothing,
 * or a share that reads as nothing once the buyer's total is rounded up), which voids a ticket at the door and bars a review.
 */
export function rulingState(record: Pick<OrderRecord, "order" | "refunded" | "timeline">): {
  units: bigint;
  keptNothing: boolean;
} {
  const amount = record.order.amount;
  const unit = refundUnit(amount);
  const partial = { units: record.refunded / unit, keptNothing: false };
  const ruling = record.timeline.find((e) => e.kind === "resolved");
  const toBuyer = BigInt((ruling?.detail.toBuyer as bigint | undefined) ?? 0n);
  if (toBuyer === 0n) return partial;
  const kept = amount - record.refunded - toBuyer;
  const units = (amount - kept + unit - 1n) / unit;
  // At most (amount - 1) / unit units leave the store a share of at least 1 (and fit the contract's 20 bits).
  if (units > (amount - 1n) / unit) return { ...partial, keptNothing: true };
  return { units, keptNothing: false };
}

/** The chain's refundedUnits(orderId) for a rebuilt order ({@link rulingState}). */
export function refundedUnitsOf(record: Pick<OrderRecord, "order" | "refunded" | "timeline">): bigint {
  return rulingState(record).units;
}

/**
 * The records with their later events read from the blocks where their state changed; null when the result does not
 * match the chain's current state (a change after `toBlock`, a provider giving wrong answers): the caller scans.
 */
async function searchedRecords(
  chain: Chain,
  records: OrderRecord[],
  changed: OrderRecord[],
  toBlock: number,
  states: Map<bigint, OrderState>,
): Promise<OrderRecord[] | null> {
  const blocks = await findChangeBlocks(
    chain,
    changed.map((r) => ({ id: r.id, placed: blockOf(r) })),
    toBlock,
  );
  const byBlock = await logsOfBlocks(
    chain,
    [LATER_EVENTS.map(topicOf), changed.map((r) => uintTopic(r.id))],
    [...blocks.values()].flat(),
  );
  const logs = [...byBlock.values()].flat();
  const copies = records.map((r) => structuredClone(r));
  applyAll(copies, logs);
  const agrees = copies.every((r) => {
    const state = states.get(r.id);
    return !state || (state.status === r.status && state.refundedUnits === refundedUnitsOf(r));
  });
  return agrees ? copies : null;
}

/** Orders as they are found, before the load ends: what was placed, with the status the chain reports now. */
export type PartialOrders = (records: OrderRecord[]) => void;

/**
 * Shows OrderPlaced logs as a scan delivers them (`onPartial`, newest first, every record so far): each record with
 * the chain's orderStatus and refundedUnits, one batched request per delivery. `settled` waits for the last one, so
 * nothing partial is shown after the whole list.
 */
function partialShower(chain: Chain, currencies: Currencies, onPartial: PartialOrders | undefined) {
  const shown: OrderRecord[] = [];
  let queue: Promise<void> = Promise.resolve();
  let ended = false;
  const queued = new Set<string>();
  const onLogs = (all: RawLog[]) => {
    // Each log once: what the cache showed first comes again with the scan.
    const logs = all.filter((l) => {
      const key = `${BigInt(l.blockNumber)}:${BigInt(l.logIndex)}`;
      if (queued.has(key)) return false;
      queued.add(key);
      return true;
    });
    if (!onPartial || logs.length === 0) return;
    queue = queue.then(async () => {
      if (ended) return;
      try {
        const records = await placedRecords(chain, logs, currencies);
        const states = await readOrderStates(
          chain,
          records.map((r) => r.id),
        );
        for (const r of records) {
          const state = states.get(r.id);
          if (state) Object.assign(r, state);
          if (!shown.some((s) => s.id === r.id)) shown.push(r);
        }
        if (!ended) onPartial(newestFirst(shown));
      } catch {
        // The whole load reads them again and reports what fails.
      }
    });
  };
  const settled = async () => {
    await queue;
    ended = true;
  };
  return { onLogs, settled, idle: () => queue };
}

const blockOf = (r: OrderRecord) => r.timeline[0]?.blockNumber ?? 0;
/** Ids say nothing about age (see IMerchstand), the log position does. */
function newestFirst(records: readonly OrderRecord[]): OrderRecord[] {
  return [...records].sort((a, b) => blockOf(b) - blockOf(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export type LoadOptions = { onPartial?: PartialOrders };

/** The orders whose OrderPlaced logs match `topics`, newest first, rebuilt; `onPartial` as for loadBuyerOrders. */
async function loadPlaced(
  chain: Chain,
  topics: (string | null)[],
  deploymentBlock: number,
  options: LoadOptions,
): Promise<OrderRecord[]> {
  const toBlock = await chain.blockNumber();
  const currencies: Currencies = new Map();
  const partial = partialShower(chain, currencies, options.onPartial);
  // What this device keeps (the receipts of its payments, client/placed.ts) shows before the scan sends anything.
  const kept = options.onPartial && chain.logCache ? (await chain.logCache.read(topics)).logs : [];
  if (kept.length > 0) {
    partial.onLogs(kept);
    await partial.idle();
  }
  const placed = await chain
    .getLogs({ topics, fromBlock: deploymentBlock, toBlock }, { onLogs: partial.onLogs })
    .finally(partial.settled);
  return (await rebuild(chain, deploymentBlock, toBlock, placed, currencies)).reverse();
}

/**
 * Every order `buyer` placed, newest first, rebuilt to its current state. `onPartial` sees the orders as they are
 * found (those this device keeps first, client/placed.ts), before the whole history is read.
 */
export function loadBuyerOrders(
  chain: Chain,
  buyer: string,
  deploymentBlock: number,
  options: LoadOptions = {},
): Promise<OrderRecord[]> {
  return loadPlaced(chain, [topicOf("OrderPlaced"), null, addressTopic(buyer)], deploymentBlock, options);
}

/**
 * Every order placed with store `storeId`, newest first, rebuilt to its current state (the seller dashboard): walked
 * back through the contract's pointers from each variant's last order (client/pointer-walk.ts), one batched request
 * per round, on any provider at any chain age; by scan where a variant that sold has no pointer, or a walk breaks.
 */
export async function loadStoreOrders(
  chain: Chain,
  storeId: bigint,
  deploymentBlock: number,
  options: LoadOptions = {},
): Promise<OrderRecord[]> {
  const scan = () =>
    loadPlaced(chain, [topicOf("OrderPlaced"), null, null, uintTopic(storeId)], deploymentBlock, options);
  const [variants, toBlock] = await Promise.all([storeVariantPointers(chain, storeId), chain.blockNumber()]);
  if (!variants) return scan();
  const currencies: Currencies = new Map();
  const partial = partialShower(chain, currencies, options.onPartial);
  let placed: RawLog[];
  try {
    ({ logs: placed } = await walkStoreOrders(
      chain,
      storeId,
      variants,
      toBlock,
      deploymentBlock,
      partial.onLogs,
    ).finally(partial.settled));
  } catch (error) {
    if (error instanceof BrokenWalkError) return scan();
    throw error;
  }
  return (await rebuild(chain, deploymentBlock, toBlock, uniqueLogs(placed), currencies)).reverse();
}

/** Each variant of the store's products with its last order block; null when one that sold has none (no pointers). */
async function storeVariantPointers(chain: Chain, storeId: bigint): Promise<VariantPointer[] | null> {
  const out: VariantPointer[] = [];
  for (let offset = 0; ; offset += PRODUCT_PAGE) {
    const { products, total } = await chain.getStoreProducts(storeId, offset, PRODUCT_PAGE);
    for (const p of products) {
      for (const v of p.variants) {
        const last = Number(v.lastOrderBlock);
        if (v.sold > 0 && last === 0) return null;
        if (last > 0) out.push({ productId: p.id, variant: v.index, lastOrderBlock: last });
      }
    }
    if (products.length === 0 || offset + products.length >= total) return out;
  }
}

const PRODUCT_PAGE = 100;

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
  const records = await rebuild(chain, deploymentBlock, toBlock, placed);
  const byId = new Map(records.map((r) => [r.id, r]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

/**
 * One order by id, rebuilt; null when no such order was placed. `block` is where the order link says it was placed
 * (client/placed.ts findPlaced): one `eth_getLogs` of that block instead of a scan; `onHintMissed` hears when that
 * block did not hold it and the scan ran instead; `onScan` hears when a scan starts (no cache, no block that held it).
 */
export async function loadOrder(
  chain: Chain,
  orderId: bigint,
  deploymentBlock: number,
  options: { block?: number | null; onHintMissed?: () => void; onScan?: (hintMissed: boolean) => void } = {},
): Promise<OrderRecord | null> {
  const toBlock = await chain.blockNumber();
  const { log, hintMissed } = await findPlaced(chain, orderId, deploymentBlock, toBlock, options.block, options.onScan);
  if (hintMissed) options.onHintMissed?.();
  if (!log) return null;
  const [record] = await rebuild(chain, deploymentBlock, toBlock, [log]);
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

/**
 * A product's reviews (every one from a buyer of a completed order, by construction) with the store's replies. Both
 * are walked back through the contract's pointers from the product's lastReviewBlock (client/pointer-walk.ts: a reply
 * is a step of its product's review history), shown to `onReviews` as they arrive. Without pointers (a product
 * reviewed with none) or when the walk breaks, everything is read by scan.
 */
export async function loadReviews(
  chain: Chain,
  productId: bigint,
  deploymentBlock: number,
  options: { onReviews?: (reviews: Review[]) => void } = {},
): Promise<Review[]> {
  const topics = [[topicOf("ReviewPosted"), topicOf("ReviewReplied")], uintTopic(productId)];
  const [toBlock, product] = await Promise.all([chain.blockNumber(), chain.getProduct(productId)]);
  const last = Number(product?.lastReviewBlock ?? 0);
  const kept: RawLog[] = [];
  let walked = false;
  if (product && last > 0) {
    try {
      const { logs } = await walkReviews(chain, productId, last, toBlock, deploymentBlock, (logs) => {
        kept.push(...logs);
        options.onReviews?.(reviewsOf(kept));
      });
      kept.splice(0, kept.length, ...logs);
      walked = true;
    } catch (error) {
      if (!(error instanceof BrokenWalkError)) throw error;
    }
  }
  if (walked) return reviewsOf(kept);
  if (product && product.ratingCount === 0) return [];
  return reviewsOf(await chain.getLogs({ topics, fromBlock: deploymentBlock, toBlock }));
}

/**
 * Reviews from one product's ReviewPosted and ReviewReplied logs, newest first, each with the store's latest reply:
 * a store may reply again, and the newer reply replaces the older one. The logs are put in chain order (block, then
 * log index) before they are applied, whatever order they came in (a walk reads the newest blocks first, a cache and
 * a scan may repeat or interleave them), so the reply applied last is the latest on chain.
 */
export function reviewsOf(logs: readonly RawLog[]): Review[] {
  const reviews = new Map<bigint, Review>();
  for (const log of uniqueLogs(logs).sort(byPosition)) {
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
