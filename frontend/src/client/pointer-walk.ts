// History read through the contract's own pointers instead of a scan (IMerchstand: VariantView.lastOrderBlock and
// each OrderPlaced line's previousOrderBlock; ProductView.lastReviewBlock and the previousReviewBlock and
// earlierReviewBlocks of ReviewPosted and ReviewReplied; docs/FORMATS.md, "History pointers"). A walk asks
// `eth_getLogs` for one block at a time, so it works on a provider that serves one block per call, whatever the chain's
// age: each round asks every block the walks know of and have not read at once, in one JSON-RPC batch
// (client/batch-read.ts), and a block one walk read serves every walk that reaches it. Pointers
// keep the low 32 bits of a block number; fullBlock puts back the rest. A walk that finds no log where a pointer
// leads (a pointer to a block the provider has pruned, a reorg) is broken: the caller reads the history by scan.
import { logsOfBlocks } from "./batch-read.ts";
import type { Chain, RawLog } from "./chain.ts";
import { decodeEvent, topicOf } from "./contract.ts";
import { uintTopic } from "./hex.ts";
import { placedWords } from "./protocol.ts";

const SPAN = 2 ** 32;

/** The newest block at or below `head` whose low 32 bits are `low`; 0 for 0 (no pointer). */
export function fullBlock(low: number, head: number): number {
  if (low === 0) return 0;
  let block = Math.floor(head / SPAN) * SPAN + low;
  if (block > head) block -= SPAN;
  return block;
}

/** The previousOrderBlock an OrderPlaced line word carries (bits 200..231). */
export function previousOrderBlock(word: bigint): number {
  return Number((word >> 200n) & 0xffff_ffffn);
}

/** A pointer led to a block without the log it promised: the history must be read by scan. */
export class BrokenWalkError extends Error {
  override name = "BrokenWalkError";
}

/** Rounds of a walk, each one batched request, and the blocks read (for the bench and tests). */
export type WalkStats = { rounds: number; blocks: number };

type Walk<K> = { key: K; block: number };

/**
 * Walks many linked lists of blocks at once. `topics` is the filter of every block read; `step` answers, for a walk
 * at `block` and that block's logs, the walk's earlier blocks it names (the exact previous one first; none when it
 * ends), or null when the block holds nothing of the walk (broken). Each round reads every named block not read yet,
 * so a list whose logs name several earlier blocks is walked several blocks a round. `onLogs` sees each round's logs
 * as they arrive.
 */
async function walkBlocks<K>(
  chain: Chain,
  topics: (string | string[] | null)[],
  starts: readonly Walk<K>[],
  floor: number,
  step: (key: K, block: number, logs: readonly RawLog[]) => number[] | null,
  onLogs?: (logs: RawLog[]) => void,
): Promise<{ logs: RawLog[]; stats: WalkStats }> {
  const read = new Map<number, RawLog[]>();
  // Each walk visits a block once, however many of its logs name it.
  const named = new Set<string>();
  const fresh = (w: Walk<K>) => {
    const id = `${String(w.key)}@${w.block}`;
    if (w.block < floor || w.block <= 0 || named.has(id)) return false;
    named.add(id);
    return true;
  };
  let walks = starts.filter(fresh);
  const stats: WalkStats = { rounds: 0, blocks: 0 };
  while (walks.length > 0) {
    const blocks = [...new Set(walks.map((w) => w.block))].filter((b) => !read.has(b));
    if (blocks.length > 0) {
      stats.rounds++;
      stats.blocks += blocks.length;
      const answers = await logsOfBlocks(chain, topics, blocks);
      // One call per round, not per block: a caller that redraws what it has found does so once per answer.
      const arrived: RawLog[] = [];
      for (const [b, logs] of answers) {
        read.set(b, logs);
        arrived.push(...logs);
      }
      if (arrived.length > 0) onLogs?.(arrived);
    }
    const next: Walk<K>[] = [];
    for (const w of walks) {
      const earlier = step(w.key, w.block, read.get(w.block) ?? []);
      if (earlier === null) throw new BrokenWalkError(`no log at block ${w.block} where a pointer led`);
      for (const previous of earlier) {
        // Pointers only go back in time; anything else is not a pointer to trust.
        if (previous >= w.block) throw new BrokenWalkError(`pointer at block ${w.block} does not lead back`);
        const walk = { key: w.key, block: previous };
        if (fresh(walk)) next.push(walk);
      }
    }
    walks = next;
  }
  return { logs: [...read.values()].flat(), stats };
}

export type VariantPointer = { productId: bigint; variant: number; lastOrderBlock: number };

/**
 * Every OrderPlaced log of store `storeId`, walked back from each variant's lastOrderBlock (all of them in parallel,
 * one batched request per round: as many rounds as the most-ordered variant has order blocks).
 */
export async function walkStoreOrders(
  chain: Chain,
  storeId: bigint,
  variants: readonly VariantPointer[],
  head: number,
  deploymentBlock: number,
  onLogs?: (logs: RawLog[]) => void,
): Promise<{ logs: RawLog[]; stats: WalkStats }> {
  const starts = variants.map((v) => ({
    key: `${v.productId}:${v.variant}`,
    block: fullBlock(v.lastOrderBlock, head),
  }));
  return walkBlocks(
    chain,
    [topicOf("OrderPlaced"), null, null, uintTopic(storeId)],
    starts,
    deploymentBlock,
    (key, block, logs) => {
      // The first line of the variant in this block points to its previous block; later ones point to this block.
      let previous: number | null = null;
      for (const log of logs) {
        const parsed = decodeEvent(log);
        if (parsed?.name !== "OrderPlaced") continue;
        // Only the line words: an order that used a code ends its `lines` with the code word (placedWords).
        for (const word of placedWords(parsed.args).lines) {
          if (`${word & 0xffff_ffff_ffff_ffffn}:${Number((word >> 64n) & 0xffn)}` !== key) continue;
          const p = fullBlock(previousOrderBlock(word), block);
          if (p !== block) previous = p;
          else previous ??= block;
        }
      }
      return previous === null ? null : [previous];
    },
    onLogs,
  );
}

/**
 * The earlier blocks a block's ReviewPosted and ReviewReplied logs name (IMerchstand: previousReviewBlock, then
 * earlierReviewBlocks up to the first 0), each put back to a full block number below `block`; null when the block holds
 * none of them. When every one points to the block itself (none is the block's first), the answer is the block: a
 * pointer that does not lead back.
 */
export function earlierReviewBlocks(block: number, logs: readonly RawLog[]): number[] | null {
  let found = false;
  let out = false;
  const earlier: number[] = [];
  for (const log of logs) {
    const parsed = decodeEvent(log);
    if (parsed?.name !== "ReviewPosted" && parsed?.name !== "ReviewReplied") continue;
    found = true;
    const previous = fullBlock(Number(parsed.args.previousReviewBlock), block);
    if (previous !== block) {
      out = true;
      if (previous > 0) earlier.push(previous);
    }
    // A later log of the block (previousReviewBlock = the block) names the blocks before the block's first.
    for (const low of parsed.args.earlierReviewBlocks) {
      const b = fullBlock(Number(low), block);
      if (b === 0) break;
      earlier.push(b);
    }
  }
  if (!found) return null;
  return out ? [...new Set(earlier)] : [block];
}

/**
 * Every ReviewPosted and ReviewReplied log of product `productId`, walked back from the product's lastReviewBlock (the
 * block of its latest review or reply). Each log names its previous block and up to three before it, so a round reads
 * about four blocks in one batched request: 50 blocks of reviews take 14 rounds.
 */
export async function walkReviews(
  chain: Chain,
  productId: bigint,
  lastReviewBlock: number,
  head: number,
  deploymentBlock: number,
  onLogs?: (logs: RawLog[]) => void,
): Promise<{ logs: RawLog[]; stats: WalkStats }> {
  return walkBlocks(
    chain,
    [[topicOf("ReviewPosted"), topicOf("ReviewReplied")], uintTopic(productId)],
    [{ key: productId, block: fullBlock(lastReviewBlock, head) }],
    deploymentBlock,
    (_key, block, logs) => earlierReviewBlocks(block, logs),
    onLogs,
  );
}
