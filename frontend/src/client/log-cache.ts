// Logs already read, kept between visits: per chain, contract and filter, the block ranges scanned and the logs they
// held, so a return visit asks the provider only for blocks it has not read. The browser keeps them in IndexedDB
// (idbStore); Node (tests, the bench) passes a MemoryStore. What comes back from storage is checked by shape and
// against its key (the contract, the filter's topics, the block ranges it claims); anything else is dropped and read
// again from the chain. The chain stays the source of truth for state: pages confirm what matters (orderStatus,
// isStoreStaff) as they do without the cache.
import type { RawLog } from "./chain.ts";
import type { BlockRange } from "./log-scan.ts";

/** Where entries live: IndexedDB in the browser, a Map in Node. */
export type KeyValueStore = {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
};

export class MemoryStore implements KeyValueStore {
  readonly entries = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    const value = this.entries.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }
  async set(key: string, value: unknown): Promise<void> {
    this.entries.set(key, structuredClone(value));
  }
}

const DB_VERSION = 1;
const OBJECT_STORE = "scans";

/** An IndexedDB database of one object store; null where IndexedDB is missing or refused (private windows). */
export function idbStore(
  name = "merchstand-history",
  idb: IDBFactory | undefined = globalThis.indexedDB,
): KeyValueStore | null {
  if (!idb) return null;
  let opened: Promise<IDBDatabase> | null = null;
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = idb.open(name, DB_VERSION);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(OBJECT_STORE)) request.result.createObjectStore(OBJECT_STORE);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    opened.catch(() => {
      opened = null;
    });
    return opened;
  };
  const run = <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>) =>
    db().then(
      (d) =>
        new Promise<T>((resolve, reject) => {
          const request = act(d.transaction(OBJECT_STORE, mode).objectStore(OBJECT_STORE));
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        }),
    );
  return {
    get: (key) => run("readonly", (s) => s.get(key)),
    set: (key, value) => run("readwrite", (s) => s.put(value, key)).then(() => undefined),
  };
}

const ENTRY_VERSION = 1;
type Entry = { v: typeof ENTRY_VERSION; ranges: [number, number][]; logs: RawLog[] };

export type CachedLogs = { ranges: BlockRange[]; logs: RawLog[] };

const HEX = /^0x[0-9a-f]*$/i;
const WORD = /^0x[0-9a-f]{64}$/i;
const QUANTITY = /^0x[0-9a-f]{1,16}$/i;

/** Whether `topics` (a log's) match a filter's topics, as a node matches them. */
export function matchesTopics(topics: readonly string[], filter: readonly (string | string[] | null)[]): boolean {
  return filter.every((want, i) => {
    if (want === null) return true;
    const have = topics[i]?.toLowerCase();
    if (have === undefined) return false;
    return Array.isArray(want) ? want.some((t) => t.toLowerCase() === have) : want.toLowerCase() === have;
  });
}

/** Merges overlapping or touching ranges, in block order. */
export function mergeRanges(ranges: readonly BlockRange[]): BlockRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: BlockRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** The parts of `range` not covered by `covered`, in block order. */
export function missingRanges(range: BlockRange, covered: readonly BlockRange[]): BlockRange[] {
  const out: BlockRange[] = [];
  let from = range.from;
  for (const c of mergeRanges(covered)) {
    if (c.to < from) continue;
    if (c.from > range.to) break;
    if (c.from > from) out.push({ from, to: c.from - 1 });
    from = Math.max(from, c.to + 1);
  }
  if (from <= range.to) out.push({ from, to: range.to });
  return out;
}

export class LogCache {
  private readonly store: KeyValueStore;
  private readonly prefix: string;
  private readonly address: string;

  constructor(store: KeyValueStore, scope: { chainId: number; address: string }) {
    this.store = store;
    this.address = scope.address.toLowerCase();
    this.prefix = `logs:${scope.chainId}:${this.address}:`;
  }

  private key(topics: readonly (string | string[] | null)[]): string {
    return (
      this.prefix +
      JSON.stringify(topics.map((t) => (Array.isArray(t) ? t.map((x) => x.toLowerCase()) : (t?.toLowerCase() ?? null))))
    );
  }

  /** What is kept for this filter; nothing when the entry is missing, unreadable or does not fit its key. */
  async read(topics: readonly (string | string[] | null)[]): Promise<CachedLogs> {
    let raw: unknown;
    try {
      raw = await this.store.get(this.key(topics));
    } catch {
      return { ranges: [], logs: [] };
    }
    return this.check(raw, topics) ?? { ranges: [], logs: [] };
  }

  /** Keeps `ranges` (already merged with what was read) and their logs for this filter. A failed write is ignored. */
  async write(topics: readonly (string | string[] | null)[], kept: CachedLogs): Promise<void> {
    const entry: Entry = {
      v: ENTRY_VERSION,
      ranges: mergeRanges(kept.ranges).map((r) => [r.from, r.to]),
      logs: kept.logs.map(({ address, topics: t, data, blockNumber, transactionHash, logIndex }) => ({
        address,
        topics: [...t],
        data,
        blockNumber,
        transactionHash,
        logIndex,
      })),
    };
    try {
      await this.store.set(this.key(topics), entry);
    } catch {
      // Storage full or refused: the next visit reads the chain again.
    }
  }

  /** The entry as CachedLogs when every part of it has the shape written and fits this contract and filter. */
  private check(raw: unknown, topics: readonly (string | string[] | null)[]): CachedLogs | null {
    if (typeof raw !== "object" || raw === null) return null;
    const e = raw as Partial<Entry>;
    if (e.v !== ENTRY_VERSION || !Array.isArray(e.ranges) || !Array.isArray(e.logs)) return null;
    const ranges: BlockRange[] = [];
    for (const r of e.ranges as unknown[]) {
      if (!Array.isArray(r) || r.length !== 2) return null;
      const [from, to] = r as unknown[];
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || (from as number) < 0) return null;
      if ((to as number) < (from as number)) return null;
      ranges.push({ from: from as number, to: to as number });
    }
    const merged = mergeRanges(ranges);
    const inRange = (block: number) => merged.some((r) => r.from <= block && block <= r.to);
    const logs: RawLog[] = [];
    for (const l of e.logs as unknown[]) {
      if (typeof l !== "object" || l === null) return null;
      const { address, topics: t, data, blockNumber, transactionHash, logIndex } = l as Record<string, unknown>;
      if (typeof address !== "string" || address.toLowerCase() !== this.address) return null;
      if (!Array.isArray(t) || t.length > 4 || !t.every((x) => typeof x === "string" && WORD.test(x))) return null;
      if (typeof data !== "string" || !HEX.test(data) || data.length % 2 !== 0) return null;
      if (typeof blockNumber !== "string" || !QUANTITY.test(blockNumber)) return null;
      if (typeof logIndex !== "string" || !QUANTITY.test(logIndex)) return null;
      if (typeof transactionHash !== "string" || !WORD.test(transactionHash)) return null;
      if (!inRange(Number(BigInt(blockNumber))) || !matchesTopics(t as string[], topics)) return null;
      logs.push({ address, topics: t as string[], data, blockNumber, transactionHash, logIndex });
    }
    return { ranges: merged, logs };
  }
}
