// Reads from the protocol through any JSON-RPC client: one `eth_call` per view call, typed by the generated ABI
// (`read("isStoreStaff", [id, account])` answers a boolean), and logs through client/log-scan.ts and client/log-cache.ts.
import { AbiCoder, type Interface, ParamType, type Result } from "ethers/abi";
import { getBytes, toNumber } from "ethers/utils";
import {
  type ArgsParam,
  decodeResult,
  type Erc20Abi,
  erc20,
  type FunctionResult,
  type MerchstandAbi,
  merchstand,
  plain,
  type ReadName,
} from "./contract.ts";
import { decodeRevert, findRevertData } from "./errors.ts";
import { toQuantity } from "./hex.ts";
// History reading (./log-scan.ts, ./log-cache.ts) is imported by the first `getLogs`, not with the dapp's first page:
// the storefront reads views only (scripts/bench/dapp-size.ts measures what the first page loads).
import type { LogCache } from "./log-cache.ts";
import type { BlockRange, ScanProgress, ScanWindow } from "./log-scan.ts";
import {
  type Order,
  orderArg,
  type Product,
  type Store,
  type StoreTerms,
  toProduct,
  toStore,
  toTerms,
  ZERO_ADDRESS,
} from "./protocol.ts";
import { type FetchLike, HttpRpc, type RpcClient } from "./rpc.ts";

export type RawLog = {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
};

export type LogFilter = { topics: (string | string[] | null)[]; fromBlock: number; toBlock?: number };

export type PagedView = "getStores" | "getProducts" | "getStoreProducts";
export type PageOf<N extends PagedView> = FunctionResult<MerchstandAbi, N> extends { page: infer P } ? P : never;

export class Chain {
  readonly rpc: RpcClient;
  readonly address: string;
  /** Where logs already read are kept between visits (IndexedDB in the browser); null reads the chain each time. */
  logCache: LogCache | null = null;
  /** Opens {@link logCache} at the first history read, when it is still null (the browser's IndexedDB, app.ts). */
  openLogCache: (() => Promise<LogCache | null>) | null = null;
  /** The `eth_getLogs` window learned from this provider, shared by every scan (made at the first scan). */
  scanWindow: ScanWindow | null = null;
  private readonly progressListeners = new Set<(progress: ScanProgress | null) => void>();
  private readonly activeScans = new Map<object, ScanProgress>();

  constructor(rpc: RpcClient, address: string) {
    this.rpc = rpc;
    this.address = address;
  }

  /** A chain reader on a manifest's RPC URL, with an optional fetch (Node, request counting). */
  static fromManifest(manifest: { rpcUrl: string; merchstand: string }, fetch?: FetchLike): Chain {
    return new Chain(new HttpRpc(manifest.rpcUrl, fetch ? { fetch } : {}), manifest.merchstand);
  }

  /** One `eth_call` of a view of the protocol, answered as the raw ABI-encoded result. */
  callRaw<N extends ReadName<MerchstandAbi>>(fn: N, ...[args]: ArgsParam<MerchstandAbi, N>): Promise<string> {
    return this.ethCall(this.address, merchstand.encodeFunctionData(fn, (args ?? []) as unknown[]));
  }

  private ethCall(to: string, data: string, from?: string): Promise<string> {
    const tx: Record<string, string> = { to, data };
    if (from) tx.from = from;
    return this.rpc.request<string>("eth_call", [tx, "latest"]);
  }

  /** Calls a view of the protocol and answers its typed result. */
  async read<N extends ReadName<MerchstandAbi>>(
    fn: N,
    ...[args]: ArgsParam<MerchstandAbi, N>
  ): Promise<FunctionResult<MerchstandAbi, N>> {
    return decodeResult<MerchstandAbi, N>(
      merchstand,
      fn,
      await this.callRaw(fn, ...([args] as ArgsParam<MerchstandAbi, N>)),
    );
  }

  /** Calls a view of the ERC-20 `token` and answers its typed result. */
  async readToken<N extends ReadName<Erc20Abi>>(
    token: string,
    fn: N,
    ...[args]: ArgsParam<Erc20Abi, N>
  ): Promise<FunctionResult<Erc20Abi, N>> {
    const data = erc20.encodeFunctionData(fn, (args ?? []) as unknown[]);
    return decodeResult<Erc20Abi, N>(erc20, fn, await this.ethCall(token, data));
  }

  /** A paged view (`getStores`, `getProducts`, `getStoreProducts`): one `eth_call`, decoded by {@link decodePage}. */
  private async page<N extends PagedView>(
    fn: N,
    args: ArgsParam<MerchstandAbi, N>[0],
  ): Promise<{ items: PageOf<N>; total: number }> {
    const raw = await this.ethCall(this.address, merchstand.encodeFunctionData(fn, args as unknown[]));
    const { items, total } = decodePage(merchstand, fn, raw);
    return { items: plainPage(fn, items), total };
  }

  /** A view that reverts with a "not found" error answers `null` instead of throwing. */
  private async orNull<T>(read: Promise<T>, notFound: string): Promise<T | null> {
    try {
      return await read;
    } catch (error) {
      const data = findRevertData(error);
      if (data && decodeRevert(data)?.name === notFound) return null;
      throw error;
    }
  }

  async getStore(storeId: bigint): Promise<Store | null> {
    const s = await this.orNull(this.read("getStore", [storeId]), "StoreNotFound");
    return s ? toStore(s) : null;
  }

  async getStores(offset: number, limit: number): Promise<{ stores: Store[]; total: number }> {
    const { items, total } = await this.page("getStores", [BigInt(offset), BigInt(limit)]);
    return { stores: items.map(toStore), total };
  }

  async getProduct(productId: bigint): Promise<Product | null> {
    const p = await this.orNull(this.read("getProduct", [productId]), "ProductNotFound");
    return p ? toProduct(p) : null;
  }

  async getProducts(offset: number, limit: number): Promise<{ products: Product[]; total: number }> {
    const { items, total } = await this.page("getProducts", [BigInt(offset), BigInt(limit)]);
    return { products: items.map(toProduct), total };
  }

  async getStoreProducts(
    storeId: bigint,
    offset: number,
    limit: number,
  ): Promise<{ products: Product[]; total: number }> {
    const { items, total } = await this.page("getStoreProducts", [storeId, BigInt(offset), BigInt(limit)]);
    return { products: items.map(toProduct), total };
  }

  async storeTerms(storeId: bigint, version: number): Promise<StoreTerms> {
    return toTerms(await this.read("storeTerms", [storeId, version]));
  }

  async orderStatus(orderId: bigint): Promise<number> {
    return this.read("orderStatus", [orderId]);
  }

  async hashOrder(order: Order): Promise<string> {
    return this.read("hashOrder", [orderArg(order)]);
  }

  async credits(account: string, currency: string): Promise<bigint> {
    return this.read("credits", [account, currency]);
  }

  async boughtBy(productId: bigint, buyer: string): Promise<bigint> {
    return this.read("boughtBy", [productId, buyer]);
  }

  /** Review flags sit in the order's commitment, by line, so the contract checks the Order it is given. */
  async isReviewed(orderId: bigint, order: Order, productId: bigint): Promise<boolean> {
    return this.read("isReviewed", [orderId, orderArg(order), productId]);
  }

  async blockNumber(): Promise<number> {
    return Number(BigInt(await this.rpc.request<string>("eth_blockNumber")));
  }

  /** Unix seconds of block `blockNumber` (default: the latest), 0 for a block the node does not have. */
  async blockTimestamp(blockNumber: number | "latest" = "latest"): Promise<bigint> {
    const tag = blockNumber === "latest" ? blockNumber : toQuantity(blockNumber);
    const block = await this.rpc.request<{ timestamp: string } | null>("eth_getBlockByNumber", [tag, false]);
    return block ? BigInt(block.timestamp) : 0n;
  }

  /** Balance of ETH (address(0)) or an ERC-20. */
  async balanceOf(account: string, currency: string): Promise<bigint> {
    if (currency === ZERO_ADDRESS) return BigInt(await this.rpc.request<string>("eth_getBalance", [account, "latest"]));
    return this.readToken(currency, "balanceOf", [account]);
  }

  async allowance(owner: string, currency: string): Promise<bigint> {
    return this.readToken(currency, "allowance", [owner, this.address]);
  }

  /**
   * Logs of this contract from `fromBlock` to `toBlock` (default: latest), in block order: the blocks kept in
   * {@link logCache} come from there, the rest through {@link scanLogs} (window learned from the provider, batches,
   * 429 backoff). `onLogs` sees logs as they arrive; {@link onHistoryProgress} listeners see how far the scan is.
   */
  async getLogs(filter: LogFilter, options: GetLogsOptions = {}): Promise<RawLog[]> {
    const [{ newScanWindow, scanLogs }, { missingRanges }] = await Promise.all([
      import("./log-scan.ts"),
      import("./log-cache.ts"),
    ]);
    this.scanWindow ??= newScanWindow();
    const window = this.scanWindow;
    if (!this.logCache && this.openLogCache) {
      const open = this.openLogCache;
      this.openLogCache = null;
      this.logCache = await open().catch(() => null);
    }
    const head = filter.toBlock ?? (await this.blockNumber());
    const range = { from: filter.fromBlock, to: head };
    const cached = this.logCache ? await this.logCache.read(filter.topics) : { ranges: [], logs: [] };
    const inRange = (l: RawLog) => {
      const b = Number(BigInt(l.blockNumber));
      return range.from <= b && b <= range.to;
    };
    const kept = cached.logs.filter(inRange);
    if (kept.length > 0) options.onLogs?.(kept);
    const missing = missingRanges(range, cached.ranges);
    const total = missing.reduce((n, r) => n + r.to - r.from + 1, 0);
    const fresh: RawLog[] = [];
    const scanned: BlockRange[] = [];
    const scan = {};
    let before = 0;
    try {
      for (const part of missing) {
        await scanLogs(this.rpc, { address: this.address, topics: filter.topics }, part, {
          window,
          signal: options.signal,
          onLogs: (logs, r) => {
            fresh.push(...logs);
            scanned.push(r);
            if (logs.length > 0) options.onLogs?.(logs);
          },
          onProgress: (p) => this.progress(scan, { done: before + p.done, total }),
        });
        before += part.to - part.from + 1;
      }
    } finally {
      this.progress(scan, null);
      // What was read is kept even when the scan failed part-way, so the next try resumes after it. The newest
      // blocks are not kept: a reorg may still replace them.
      if (this.logCache && scanned.length > 0) {
        const safe = head - REORG_DEPTH;
        const ranges = [...cached.ranges, ...scanned]
          .filter((r) => r.from <= safe)
          .map((r) => ({ from: r.from, to: Math.min(r.to, safe) }));
        const within = (l: RawLog) =>
          ranges.some((r) => r.from <= Number(BigInt(l.blockNumber)) && Number(BigInt(l.blockNumber)) <= r.to);
        await this.logCache.write(filter.topics, {
          ranges,
          logs: uniqueLogs([...cached.logs, ...fresh]).filter(within),
        });
      }
    }
    return uniqueLogs([...kept, ...fresh]);
  }

  /** Listens to the progress of every history scan through this reader; `null` when none is running. */
  onHistoryProgress(listener: (progress: ScanProgress | null) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  private progress(scan: object, progress: ScanProgress | null): void {
    if (progress) this.activeScans.set(scan, progress);
    else this.activeScans.delete(scan);
    let done = 0;
    let total = 0;
    for (const p of this.activeScans.values()) {
      done += p.done;
      total += p.total;
    }
    const sum = this.activeScans.size > 0 ? { done, total } : null;
    for (const l of this.progressListeners) l(sum);
  }
}

/** Blocks this close to the head are read again on every visit: a reorg may still replace them. */
export const REORG_DEPTH = 64;

export type GetLogsOptions = { onLogs?: (logs: RawLog[]) => void; signal?: AbortSignal };

/** Logs in block order, each once (a log is known by its block and index). */
export function uniqueLogs(logs: readonly RawLog[]): RawLog[] {
  const seen = new Set<string>();
  return [...logs].sort(byPosition).filter((l) => {
    const id = `${BigInt(l.blockNumber)}:${BigInt(l.logIndex)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const abiCoder = AbiCoder.defaultAbiCoder();
const WORD = 32;
const UINT256 = [ParamType.from("uint256")];

/** The 32-byte word at `at` as a safe integer (an offset or a length), read by ethers' own uint256 coder. */
function readIndex(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + WORD > bytes.length) throw new RangeError(`ABI word at ${at} is past the data`);
  return toNumber(abiCoder.decode(UINT256, bytes.subarray(at, at + WORD))[0] as bigint);
}

/** A paged view's structs, as decodePage answers them, as the plain values `read` gives. */
export function plainPage<N extends PagedView>(fn: N, items: readonly Result[]): PageOf<N> {
  const struct = pageStruct(merchstand, fn);
  return items.map((item) => plain(struct, item)) as PageOf<N>;
}

/** The struct type of a paged view's `(S[] page, uint256 total)` answer; throws for any other view. */
export function pageStruct(iface: Interface, fn: string): ParamType {
  const fragment = iface.getFunction(fn);
  if (!fragment) throw new Error(`No function ${fn} in the ABI`);
  const [pageType, totalType] = fragment.outputs;
  const struct = pageType?.arrayChildren;
  if (
    fragment.outputs.length !== 2 ||
    pageType?.arrayLength !== -1 ||
    !struct?.isTuple() ||
    totalType?.type !== "uint256"
  ) {
    throw new Error(`${fn} does not answer (struct[] page, uint256 total)`);
  }
  return struct;
}

/**
 * Decodes `(S[] page, uint256 total)`, `S` a struct, in time linear in the data: each struct is decoded on its own by
 * ethers' AbiCoder from only that struct's bytes. A struct's encoding is self-contained (its offsets count from its
 * own start) and ethers reads the same bytes from the same place, so the values are the ones `decodeFunctionResult`
 * gives. Throws on anything it does not read cleanly; {@link decodePage} then falls back to ethers' whole decode.
 */
export function decodePageStructs(struct: ParamType, data: string): { items: Result[]; total: number } {
  if (!struct.isTuple()) throw new Error(`${struct.format()} is not a struct`);
  const bytes = getBytes(data);
  if (bytes.length % WORD !== 0) throw new RangeError("ABI data is not whole words");
  const arrayAt = readIndex(bytes, 0);
  const total = abiCoder.decode(UINT256, bytes.subarray(WORD, 2 * WORD))[0] as bigint;
  const count = readIndex(bytes, arrayAt);
  // The element offsets count from just after the length word.
  const base = arrayAt + WORD;
  if (count * WORD > bytes.length - base) throw new RangeError("ABI array longer than its data");
  const starts: number[] = [];
  for (let i = 0; i < count; i++) starts.push(base + readIndex(bytes, base + i * WORD));
  const items = starts.map((start, i) => {
    // A struct ends where the next begins (the canonical encoding writes them in order). Past the last one, or with
    // offsets out of order, the slice runs to the end of the data, as the reader ethers would use does.
    if (start > bytes.length) throw new RangeError("ABI offset past the data");
    const next = starts[i + 1];
    const end = next !== undefined && next > start ? next : bytes.length;
    return abiCoder.decode(struct.components, bytes.subarray(start, end));
  });
  return { items, total: Number(total) };
}

/**
 * Decodes a paged view's answer (`getStores`, `getProducts`, `getStoreProducts`) into the page's structs, each an
 * ethers Result as `decodeFunctionResult` would give it, and the total.
 *
 * Not `iface.decodeFunctionResult` on the whole answer: ethers 6's ABI Reader (6.17) spends time proportional to the
 * whole buffer on every word it reads (`#incrementBytesRead` builds `getBytesCopy(data)` for the error it might raise,
 * eagerly, on every read; ArrayCoder does the same with `reader.bytes`) and on every dynamic value (`subReader` copies
 * all the data after it, twice). That is quadratic: a page of 100 products (134 kB) took ~280 ms and left hundreds
 * of MB of garbage buffers, whose collections cost far more in a process with a large heap. Decoding struct by
 * struct ({@link decodePageStructs}) keeps every buffer ethers copies to one struct's size.
 *
 * Whatever the fast path does not read cleanly (junk, an encoding other than the canonical one) goes to
 * `decodeFunctionResult`, so the values, or the error raised, are always exactly ethers' own.
 */
export function decodePage(iface: Interface, fn: string, data: string): { items: Result[]; total: number } {
  const struct = pageStruct(iface, fn);
  try {
    return decodePageStructs(struct, data);
  } catch {
    const r = iface.decodeFunctionResult(fn, data);
    return { items: Array.from(r[0] as Result), total: Number(r[1]) };
  }
}

/** Chain order: by block, then by position in the block. */
export function byPosition(a: RawLog, b: RawLog): number {
  return Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex));
}
