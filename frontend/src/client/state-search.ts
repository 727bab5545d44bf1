// Where an order's later events are, found from the chain's state instead of a scan. Every event after OrderPlaced
// changes the order's `orderStatus` or its `refundedUnits` count (IMerchstand; client/batch-read.ts readStatesAt), and
// the pair never returns to an earlier value (the status only moves forward, refunds only add up). So the blocks
// where an order changed are where that pair changed, and a search over block numbers finds them: each round reads
// the pair (`eth_call` at past blocks, every order's probes in one JSON-RPC batch) at up to 15 blocks inside each
// interval still known to hold a change, until every such interval is two neighbouring blocks: about log16 of the
// chain's age in rounds for all changes of all orders (6 for 2,000,000 blocks), then one `eth_getLogs` of a single
// block per change, all batched (client/batch-read.ts logsOfBlocks). On any provider, whatever its block-range cap; it
// needs calls at past blocks (an archive node: the hosted providers' default), and one that cannot makes the search
// fail, so the caller scans instead (client/orders.ts).
import { readStatesAt, withRetry } from "./batch-read.ts";
import type { Chain } from "./chain.ts";

/** An order's state as its later events change it: the status index and the refunded total. */
type State = string;

/** Probes per round across all searches: 2 calls each, so 4 JSON-RPC batches of 50 at most. */
const PROBES_PER_ROUND = 100;
/** Most probes one search asks per round (16-ary search: log16 of the chain's age in rounds). */
const MAX_FANOUT = 15;

export type SearchStats = { rounds: number; calls: number };

/**
 * The blocks in which each order's state changed, oldest first, between the block it was placed in (`placed`, listed
 * only when the order changed in that very block) and `head`. All changes of all orders are searched at once: each order
 * keeps the states read so far by block; between two neighbouring samples in different states lies at least one
 * change (states never repeat), between two in the same state none, so every round probes only the intervals still
 * open, and the search ends when each open interval is two neighbouring blocks. Throws when the provider refuses a
 * call at a past block (not an archive node).
 */
export async function findChangeBlocks(
  chain: Chain,
  orders: readonly { id: bigint; placed: number }[],
  head: number,
  stats: SearchStats = { rounds: 0, calls: 0 },
): Promise<Map<bigint, number[]>> {
  const samples = new Map<bigint, Map<number, State>>();
  const ends = await readStates(
    chain,
    orders.flatMap((o) => [
      { id: o.id, block: o.placed },
      { id: o.id, block: head },
    ]),
    stats,
  );
  orders.forEach((o, i) => {
    samples.set(
      o.id,
      new Map([
        [o.placed, ends[2 * i] as State],
        [head, ends[2 * i + 1] as State],
      ]),
    );
  });
  for (;;) {
    const open: { id: bigint; lo: number; hi: number }[] = [];
    for (const [id, byBlock] of samples) {
      const blocks = [...byBlock.keys()].sort((a, b) => a - b);
      for (let k = 1; k < blocks.length; k++) {
        const lo = blocks[k - 1] as number;
        const hi = blocks[k] as number;
        if (hi - lo > 1 && byBlock.get(lo) !== byBlock.get(hi)) open.push({ id, lo, hi });
      }
    }
    if (open.length === 0) break;
    const fanout = Math.max(1, Math.min(MAX_FANOUT, Math.floor(PROBES_PER_ROUND / open.length)));
    const probes = open.flatMap((o) => probeBlocks(o.lo, o.hi, fanout).map((block) => ({ id: o.id, block })));
    stats.rounds++;
    const states = await readStates(chain, probes, stats);
    probes.forEach((p, i) => {
      samples.get(p.id)?.set(p.block, states[i] as State);
    });
  }
  const out = new Map<bigint, number[]>();
  for (const o of orders) {
    const byBlock = samples.get(o.id) ?? new Map<number, State>();
    const blocks = [...byBlock.keys()].sort((a, b) => a - b);
    // The placing block holds a change only when the order left Paid (or was refunded) in that same block.
    const changes = byBlock.get(o.placed) === PLACED ? [] : [o.placed];
    for (let k = 1; k < blocks.length; k++) {
      const block = blocks[k] as number;
      if (byBlock.get(blocks[k - 1] as number) !== byBlock.get(block)) changes.push(block);
    }
    out.set(o.id, changes);
  }
  return out;
}

/** The state of an order just placed: Paid, nothing refunded. */
const PLACED: State = "Paid:0";

/** Up to `fanout` blocks strictly between `lo` and `hi`, evenly spread (also client/check-in.ts findCheckInBlock). */
export function probeBlocks(lo: number, hi: number, fanout: number): number[] {
  const n = Math.min(fanout, hi - lo - 1);
  const out = new Set<number>();
  for (let k = 1; k <= n; k++) out.add(lo + Math.round((k * (hi - lo)) / (n + 1)));
  return [...out].filter((b) => b > lo && b < hi);
}

/** orderStatus and refundedUnits of each (order, block), as state keys (client/batch-read.ts readStatesAt, retried). */
async function readStates(
  chain: Chain,
  at: readonly { id: bigint; block: number }[],
  stats: SearchStats,
): Promise<State[]> {
  stats.calls += at.length * 2;
  const states = await withRetry(() => readStatesAt(chain, at));
  return states.map((s) => `${s.status}:${s.refundedUnits}`);
}
