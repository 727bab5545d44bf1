// Reads `eth_getLogs` over any block range through whatever provider the dapp is given. Providers cap the block
// range of one call (5 to 50,000 blocks), the logs it may answer (often 10,000) and the call rate (HTTP 429), each
// in its own words; the scanner learns the window from the refusal itself ("query exceeds max block range 1000",
// "range 20000 exceeds limit of 10000", Alchemy's "up to a 500 block range … should work: [a, b]", "query returned
// more than 10000 results"), halves it when the refusal names no size, grows it again after answers, keeps about
// three HTTP requests in flight (each a JSON-RPC batch of windows where the endpoint takes batches), waits out 429s
// as long as `Retry-After` asks, and hands logs over as they arrive. A provider that refuses even one block, or does
// not serve `eth_getLogs` at all, ends the scan with one HistoryUnavailableError.
import type { RawLog } from "./chain.ts";
import { toQuantity } from "./hex.ts";
import { classifyRefusal, HistoryUnavailableError, type Refusal } from "./log-refusal.ts";
import { NetworkError, RateLimitedError, type RpcClient, RpcError } from "./rpc.ts";

export { classifyRefusal, HistoryUnavailableError, type Refusal } from "./log-refusal.ts";

export type BlockRange = { from: number; to: number };
export type LogQuery = { address: string; topics: (string | string[] | null)[] };
export type ScanProgress = { done: number; total: number };

/** An RpcClient that may also send JSON-RPC batches (HttpRpc does). */
export type ScanRpc = RpcClient & {
  requestBatch?(
    calls: readonly { method: string; params: readonly unknown[] }[],
  ): Promise<({ result: unknown } | { error: RpcError })[]>;
};

/** What the scanner has learned about a provider; shared by every scan through it, so the next one starts there. */
export type ScanWindow = {
  /** Blocks per `eth_getLogs` call now. */
  size: number;
  /** The cap the provider named, never exceeded again; null while none was named. */
  ceiling: number | null;
  /** Calls per HTTP request: doubled after a batch is answered, halved when one is refused (or rate-limited). */
  batch: number;
  /** One less than the smallest batch the endpoint refused; null while none was. */
  batchCeiling: number | null;
};

export const INITIAL_WINDOW = 10_000;
/** The widest window grown to on a provider that names no cap. */
export const MAX_WINDOW = 1_000_000;
export const SCAN_CONCURRENCY = 3;
/** Calls per JSON-RPC batch at first, and the most it grows to (providers take 100 to 1,000 per batch). */
export const SCAN_BATCH = 10;
export const MAX_BATCH = 100;
/** Refusals for the rate in a row before giving up, and the wait when the provider says none (doubled each time). */
const MAX_RATE_STRIKES = 8;
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** Transport failures in a row before giving up. */
const MAX_NETWORK_STRIKES = 3;

export function newScanWindow(size = INITIAL_WINDOW): ScanWindow {
  return { size, ceiling: null, batch: SCAN_BATCH, batchCeiling: null };
}

export type ScanOptions = {
  /** Learned window, shared between scans through the same provider (default: a new one). */
  window?: ScanWindow;
  concurrency?: number;
  /** Logs of one answered range, as soon as they arrive (not in block order across ranges). */
  onLogs?: (logs: RawLog[], range: BlockRange) => void;
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
  /** Waits (tests pass a fake clock). */
  sleep?: (ms: number) => Promise<void>;
};

const span = (r: BlockRange) => r.to - r.from + 1;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isLog(x: unknown): x is RawLog {
  if (typeof x !== "object" || x === null) return false;
  const l = x as Record<string, unknown>;
  return (
    typeof l.address === "string" &&
    Array.isArray(l.topics) &&
    typeof l.data === "string" &&
    typeof l.blockNumber === "string" &&
    typeof l.transactionHash === "string" &&
    typeof l.logIndex === "string"
  );
}

/** Block order, then position in the block. */
function byBlock(a: RawLog, b: RawLog): number {
  return Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex));
}

/** Every log of `query` in `range`, in block order; see the module header for how the provider is handled. */
export async function scanLogs(
  rpc: ScanRpc,
  query: LogQuery,
  range: BlockRange,
  options: ScanOptions = {},
): Promise<RawLog[]> {
  const w = options.window ?? newScanWindow();
  const concurrency = options.concurrency ?? SCAN_CONCURRENCY;
  const sleep = options.sleep ?? defaultSleep;
  const out: RawLog[] = [];
  if (range.to < range.from) return out;
  const total = span(range);
  let done = 0;
  let cursor = range.from;
  /** Ranges refused or not answered, to read again before the cursor moves on; kept in block order. */
  const redo: BlockRange[] = [];
  let pauseUntil = 0;
  let rateStrikes = 0;
  let networkStrikes = 0;
  let failure: unknown = null;

  const fail = (error: unknown) => {
    failure ??= error;
  };
  const again = (r: BlockRange) => {
    const at = redo.findIndex((x) => x.from > r.from);
    redo.splice(at < 0 ? redo.length : at, 0, r);
  };
  const take = (): BlockRange | null => {
    const size = Math.max(1, w.size);
    const next = redo.shift();
    if (next) {
      if (span(next) <= size) return next;
      redo.unshift({ from: next.from + size, to: next.to });
      return { from: next.from, to: next.from + size - 1 };
    }
    if (cursor > range.to) return null;
    const r = { from: cursor, to: Math.min(range.to, cursor + size - 1) };
    cursor = r.to + 1;
    return r;
  };
  const backoff = (strikes: number) => Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (strikes - 1));

  /** One strike per HTTP request however many of its calls were refused for the rate; false once out of strikes. */
  const slowDown = (retryAfterMs: number | null, error: unknown, counted: { rate: boolean }) => {
    if (!counted.rate) {
      counted.rate = true;
      rateStrikes++;
      pauseUntil = Math.max(pauseUntil, Date.now() + (retryAfterMs ?? backoff(rateStrikes)));
    }
    if (rateStrikes > MAX_RATE_STRIKES) fail(error);
    return !failure;
  };

  const refused = (r: BlockRange, refusal: Refusal, error: RpcError, counted: { rate: boolean }) => {
    if (refusal.kind === "unavailable") return fail(new HistoryUnavailableError(error.message));
    if (refusal.kind === "rate") {
      if (slowDown(refusal.retryAfterMs, error, counted)) again(r);
      return;
    }
    if (span(r) <= 1) return fail(new HistoryUnavailableError(error.message));
    let next = refusal.suggested ?? Math.floor(span(r) / 2);
    if (refusal.kind === "range" && refusal.cap !== null) {
      w.ceiling = refusal.cap;
      next = refusal.cap;
    }
    // Whatever the message claims, the next try is narrower than the one refused, so the scan always moves.
    w.size = Math.max(1, Math.min(w.size, next, span(r) - 1));
    again(r);
  };

  const answered = (r: BlockRange, result: unknown) => {
    if (!Array.isArray(result) || !result.every(isLog)) {
      return fail(new NetworkError("RPC answered eth_getLogs with something that is not a list of logs"));
    }
    out.push(...result);
    done += span(r);
    rateStrikes = 0;
    networkStrikes = 0;
    // A full-width answer earns a wider window, up to the cap the provider named.
    if (span(r) >= w.size) w.size = Math.min(w.ceiling ?? MAX_WINDOW, w.size * 2);
    options.onLogs?.(result, r);
    options.onProgress?.({ done, total });
  };

  const params = (r: BlockRange) => [
    { address: query.address, topics: query.topics, fromBlock: toQuantity(r.from), toBlock: toQuantity(r.to) },
  ];

  const run = async (ranges: BlockRange[]) => {
    const wait = pauseUntil - Date.now();
    if (wait > 0) await sleep(wait);
    if (failure) return;
    const counted = { rate: false };
    let answers: ({ result: unknown } | { error: RpcError })[];
    try {
      if (ranges.length > 1 && rpc.requestBatch) {
        answers = await rpc.requestBatch(ranges.map((r) => ({ method: "eth_getLogs", params: params(r) })));
      } else {
        answers = [];
        for (const r of ranges) answers.push({ result: await rpc.request("eth_getLogs", params(r)) });
      }
    } catch (error) {
      if (error instanceof RateLimitedError) {
        // A limit counted per call may never admit a batch this large: the next ones are half as large.
        if (ranges.length > 1) shrinkBatch(ranges.length);
        if (slowDown(error.retryAfterMs, error, counted)) for (const r of ranges) again(r);
        return;
      }
      if (error instanceof RpcError && ranges.length === 1 && ranges[0]) {
        return refused(ranges[0], classifyRefusal(error), error, counted);
      }
      if (error instanceof RpcError) {
        // The batch itself was refused (too large, or batches not served): never this large again.
        shrinkBatch(ranges.length);
        for (const r of ranges) again(r);
        return;
      }
      if (error instanceof NetworkError && !(error.status !== null && error.status < 500)) {
        networkStrikes++;
        if (networkStrikes > MAX_NETWORK_STRIKES) return fail(error);
        pauseUntil = Math.max(pauseUntil, Date.now() + backoff(networkStrikes));
        for (const r of ranges) again(r);
        return;
      }
      return fail(error);
    }
    ranges.forEach((r, i) => {
      const a = answers[i];
      if (!a) again(r);
      else if ("error" in a) refused(r, classifyRefusal(a.error), a.error, counted);
      else answered(r, a.result);
    });
    // A full batch answered call by call earns a larger one, below any size the endpoint refused.
    if (ranges.length > 1 && ranges.length >= w.batch && !counted.rate) {
      w.batch = Math.min(w.batchCeiling ?? MAX_BATCH, w.batch * 2);
    }
  };

  const shrinkBatch = (refused: number) => {
    w.batchCeiling = Math.max(1, refused - 1);
    w.batch = Math.max(1, Math.min(w.batch, Math.floor(refused / 2)));
  };

  const inFlight = new Set<Promise<void>>();
  while (!failure) {
    if (options.signal?.aborted) fail(options.signal.reason ?? new DOMException("Aborted", "AbortError"));
    while (!failure && inFlight.size < concurrency) {
      const ranges: BlockRange[] = [];
      const perRequest = rpc.requestBatch ? Math.max(1, w.batch) : 1;
      while (ranges.length < perRequest) {
        const r = take();
        if (!r) break;
        ranges.push(r);
      }
      if (ranges.length === 0) break;
      const p: Promise<void> = run(ranges)
        .catch(fail)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  await Promise.allSettled(inFlight);
  if (failure) throw failure;
  return out.sort(byBlock);
}
