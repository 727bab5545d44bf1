// Finding an order's OrderPlaced log without reading the chain's whole history:
// - right after paying, from the transaction receipt: keepPlacedFromReceipt writes its OrderPlaced logs into the log
//   cache (client/log-cache.ts) under the filters the pages read (by order id, by buyer, by store), so the order page
//   and "Your orders" show the order at once on the device that paid;
// - from an order link, which carries the block of OrderPlaced (urls.ts routes.order `b`): one `eth_getLogs` of that
//   one block;
// - otherwise a scan from the deployment block that stops at the first match (an order id is placed once).
import type { Chain, RawLog } from "./chain.ts";
import { decodeEvent, topicOf } from "./contract.ts";
import { uintTopic } from "./hex.ts";
import { mergeRanges } from "./log-cache.ts";

/** The filters under which the pages read OrderPlaced (client/orders.ts): by order id, by buyer, by store. */
export function placedFilters(log: Pick<RawLog, "topics">): (string | null)[][] {
  const [event, id, buyer, store] = log.topics;
  if (!event || !id || !buyer || !store) return [];
  return [
    [topicOf("OrderPlaced"), id],
    [topicOf("OrderPlaced"), null, buyer],
    [topicOf("OrderPlaced"), null, null, store],
  ];
}

/** The OrderPlaced logs of this contract among a receipt's logs. */
export function placedLogsOf(logs: readonly RawLog[], contract: string): RawLog[] {
  return logs.filter(
    (l) => l.address.toLowerCase() === contract.toLowerCase() && decodeEvent(l)?.name === "OrderPlaced",
  );
}

/**
 * Keeps a paid transaction's OrderPlaced logs in the chain's log cache, each filter's entry gaining the receipt's
 * block as read. Nothing when there is no cache (a private window) or the receipt places no order. The cache drops
 * the newest blocks when a scan next writes (Chain.getLogs, reorgs), and that scan reads them again from the chain.
 */
export async function keepPlacedFromReceipt(chain: Chain, receipt: { logs: readonly RawLog[] }): Promise<number> {
  const cache = chain.logCache;
  const placed = placedLogsOf(receipt.logs, chain.address);
  if (!cache || placed.length === 0) return placed.length;
  const byFilter = new Map<string, { topics: (string | null)[]; logs: RawLog[] }>();
  for (const log of placed) {
    for (const topics of placedFilters(log)) {
      const key = JSON.stringify(topics.map((t) => t?.toLowerCase() ?? null));
      const entry = byFilter.get(key) ?? { topics, logs: [] };
      entry.logs.push(log);
      byFilter.set(key, entry);
    }
  }
  for (const { topics, logs } of byFilter.values()) {
    const kept = await cache.read(topics);
    const blocks = logs.map((l) => Number(BigInt(l.blockNumber)));
    // The whole block is read: every log of it that fits the filter must be kept with it. The receipt holds this
    // transaction's; another of the same filter in the same block (two payments in one block) is read by the scan
    // of that filter on the next visit, once this entry is replaced (Chain.getLogs keeps no block this new).
    const ranges = mergeRanges([...kept.ranges, ...blocks.map((b) => ({ from: b, to: b }))]);
    const seen = new Set(kept.logs.map((l) => `${BigInt(l.blockNumber)}:${BigInt(l.logIndex)}`));
    const fresh = logs.filter((l) => !seen.has(`${BigInt(l.blockNumber)}:${BigInt(l.logIndex)}`));
    await cache.write(topics, { ranges, logs: [...kept.logs, ...fresh] });
  }
  return placed.length;
}

/** How an OrderPlaced log was found: from the block the link named, or by a scan (`hintMissed`: the link's was wrong). */
export type PlacedFind = { log: RawLog | null; hintMissed: boolean };

const FOUND = new Error("found");

/**
 * The OrderPlaced log of `orderId`: from the log cache when this device has it, from block `hint` when given (the
 * order link's), else by a scan from `deploymentBlock` to `toBlock` that stops at the first match. A hint that is
 * out of range or holds no such log falls back to the scan, with `hintMissed` set so the page can say so. `onScan`
 * hears when the scan is about to start (with `hintMissed`), so a page can show its progress while it runs.
 */
export async function findPlaced(
  chain: Chain,
  orderId: bigint,
  deploymentBlock: number,
  toBlock: number,
  hint?: number | null,
  onScan?: (hintMissed: boolean) => void,
): Promise<PlacedFind> {
  const topics = [topicOf("OrderPlaced"), uintTopic(orderId)];
  const kept = chain.logCache ? (await chain.logCache.read(topics)).logs[0] : undefined;
  if (kept) return { log: kept, hintMissed: false };
  let hintMissed = false;
  if (hint !== undefined && hint !== null) {
    if (Number.isSafeInteger(hint) && hint >= deploymentBlock && hint <= toBlock) {
      const [log] = await chain.getLogs({ topics, fromBlock: hint, toBlock: hint });
      if (log) return { log, hintMissed: false };
    }
    hintMissed = true;
  }
  onScan?.(hintMissed);
  let found: RawLog | null = null;
  const stop = new AbortController();
  try {
    await chain.getLogs(
      { topics, fromBlock: deploymentBlock, toBlock },
      {
        signal: stop.signal,
        onLogs: (logs) => {
          found ??= logs[0] ?? null;
          if (found) stop.abort(FOUND);
        },
      },
    );
  } catch (error) {
    if (error !== FOUND) throw error;
  }
  return { log: found, hintMissed };
}
