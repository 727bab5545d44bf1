// Every review of a store's products with the store's current reply, for the seller's Reviews page
// (pages/seller/reviews.ts): each reviewed product's history walked back through the contract's pointers
// (./orders.ts loadReviews, ./pointer-walk.ts walkReviews), a few products at once, and the blocks' times read in one
// batched request. The reply a store sends is built here too: replyToReview takes the whole order back (see
// IMerchstand's header), rebuilt by ./orders.ts.
import { callMany } from "./batch-read.ts";
import type { Chain } from "./chain.ts";
import { toQuantity } from "./hex.ts";
import { orderReference } from "./order-ref.ts";
import { loadReviews, type OrderRecord, type Review } from "./orders.ts";
import { orderArg, type Product } from "./protocol.ts";
import type { TxRequest } from "./transactions.ts";

export type StoreReview = Review & {
  productId: bigint;
  productName: string;
  /** Unix seconds of the review's block; null until the block's time is read. */
  at: bigint | null;
};

/** How far the load is: products whose reviews are all read, of those that have any, and the reviews found so far. */
export type StoreReviewsProgress = { productsRead: number; products: number; found: StoreReview[] };

/** Products walked at once: each walk is one batched request per round. */
const PARALLEL_WALKS = 4;

/** Newest review first (by block, then by order id: ids say nothing about age, but the order must be stable). */
function newestFirst(reviews: StoreReview[]): StoreReview[] {
  return reviews.sort(
    (a, b) => b.blockNumber - a.blockNumber || (a.orderId < b.orderId ? 1 : a.orderId > b.orderId ? -1 : 0),
  );
}

/**
 * Every review of `products` (the store's), newest first, each with its latest reply. Only products with a review
 * or a reply are walked. `onProgress` sees what is found as it arrives (without dates), then the whole list.
 */
export async function loadStoreReviews(
  chain: Chain,
  products: readonly Product[],
  deploymentBlock: number,
  onProgress?: (progress: StoreReviewsProgress) => void,
): Promise<StoreReview[]> {
  const reviewed = products.filter((p) => p.ratingCount > 0 || p.lastReviewBlock > 0);
  const byProduct = new Map<bigint, StoreReview[]>();
  let productsRead = 0;
  const report = () =>
    onProgress?.({ productsRead, products: reviewed.length, found: newestFirst([...byProduct.values()].flat()) });
  const tag = (p: Product, list: Review[]): StoreReview[] =>
    list.map((r) => ({ ...r, productId: p.id, productName: p.name, at: null }));
  report();
  const queue = [...reviewed];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const product = p;
      const list = await loadReviews(chain, product.id, deploymentBlock, {
        onReviews: (found) => {
          byProduct.set(product.id, tag(product, found));
          report();
        },
      });
      byProduct.set(product.id, tag(product, list));
      productsRead++;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_WALKS, reviewed.length) }, worker));
  const all = newestFirst([...byProduct.values()].flat());
  const times = await blockTimes(chain, [...new Set(all.map((r) => r.blockNumber))]);
  for (const r of all) r.at = times.get(r.blockNumber) ?? null;
  return all;
}

/** Each block's timestamp (unix seconds), in one batched request; a block the node does not answer is left out. */
async function blockTimes(chain: Chain, blocks: number[]): Promise<Map<number, bigint>> {
  const answers = await callMany<{ timestamp: string } | null>(
    chain.rpc,
    blocks.map((b) => ({ method: "eth_getBlockByNumber", params: [toQuantity(b), false] })),
  );
  const out = new Map<number, bigint>();
  blocks.forEach((b, i) => {
    const time = answers[i]?.timestamp;
    if (time) out.set(b, BigInt(time));
  });
  return out;
}

/** The store's reply to the review of `productId` in `record`; `replacing` when it replaces a reply shown now. */
export function replyToReviewTx(record: OrderRecord, productId: bigint, text: string, replacing: boolean): TxRequest {
  return {
    fn: "replyToReview",
    args: [record.id, orderArg(record.order), productId, text],
    what: `${replacing ? "Replace your reply to" : "Reply to"} the review of order ${orderReference(record.id)}`,
  };
}
