// Reads from the protocol through any JSON-RPC client: one `eth_call` per view call, logs in bounded block ranges.
import { AbiCoder, type Interface, ParamType, type Result } from "ethers/abi";
import { getBytes, toNumber } from "ethers/utils";
import {
  erc20,
  merchstand,
  type Order,
  orderArg,
  type Product,
  type Store,
  type StoreTerms,
  toProduct,
  toStore,
  toTerms,
  ZERO_ADDRESS,
} from "./abi.ts";
import { decodeRevert, findRevertData } from "./errors.ts";
import { type FetchLike, HttpRpc, type RpcClient, toQuantity } from "./rpc.ts";

export type RawLog = {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
};

export type LogFilter = { topics: (string | string[] | null)[]; fromBlock: number; toBlock?: number };

/** Providers cap `eth_getLogs` ranges (often at 10,000 blocks), so logs are read in chunks of this size. */
export const LOG_CHUNK_BLOCKS = 10_000;

export class Chain {
  readonly rpc: RpcClient;
  readonly address: string;

  constructor(rpc: RpcClient, address: string) {
    this.rpc = rpc;
    this.address = address;
  }

  /** A chain reader on a manifest's RPC URL, with an optional fetch (Node, request counting). */
  static fromManifest(manifest: { rpcUrl: string; merchstand: string }, fetch?: FetchLike): Chain {
    return new Chain(new HttpRpc(manifest.rpcUrl, fetch ? { fetch } : {}), manifest.merchstand);
  }

  /** One `eth_call`, answered as the raw ABI-encoded result. */
  async callRaw(
    fn: string,
    args: readonly unknown[] = [],
    options: { iface?: Interface; to?: string; from?: string } = {},
  ): Promise<string> {
    const iface = options.iface ?? merchstand;
    const data = iface.encodeFunctionData(fn, args);
    const tx: Record<string, string> = { to: options.to ?? this.address, data };
    if (options.from) tx.from = options.from;
    return this.rpc.request<string>("eth_call", [tx, "latest"]);
  }

  async call(
    fn: string,
    args: readonly unknown[] = [],
    options: { iface?: Interface; to?: string; from?: string } = {},
  ) {
    const iface = options.iface ?? merchstand;
    return iface.decodeFunctionResult(fn, await this.callRaw(fn, args, options));
  }

  /** A paged view (`getStores`, `getProducts`, `getStoreProducts`): one `eth_call`, decoded by {@link decodePage}. */
  private async page(fn: string, args: readonly unknown[]): Promise<{ items: Result[]; total: number }> {
    return decodePage(merchstand, fn, await this.callRaw(fn, args));
  }

  /** A view that reverts with a "not found" error answers `null` instead of throwing. */
  private async callOrNull(fn: string, args: readonly unknown[], notFound: string): Promise<Result | null> {
    try {
      return await this.call(fn, args);
    } catch (error) {
      const data = findRevertData(error);
      if (data && decodeRevert(data)?.name === notFound) return null;
      throw error;
    }
  }

  async getStore(storeId: bigint): Promise<Store | null> {
    const r = await this.callOrNull("getStore", [storeId], "StoreNotFound");
    return r ? toStore(r[0] as Result) : null;
  }

  async getStores(offset: number, limit: number): Promise<{ stores: Store[]; total: number }> {
    const { items, total } = await this.page("getStores", [offset, limit]);
    return { stores: items.map(toStore), total };
  }

  async getProduct(productId: bigint): Promise<Product | null> {
    const r = await this.callOrNull("getProduct", [productId], "ProductNotFound");
    return r ? toProduct(r[0] as Result) : null;
  }

  async getProducts(offset: number, limit: number): Promise<{ products: Product[]; total: number }> {
    const { items, total } = await this.page("getProducts", [offset, limit]);
    return { products: items.map(toProduct), total };
  }

  async getStoreProducts(
    storeId: bigint,
    offset: number,
    limit: number,
  ): Promise<{ products: Product[]; total: number }> {
    const { items, total } = await this.page("getStoreProducts", [storeId, offset, limit]);
    return { products: items.map(toProduct), total };
  }

  async storeTerms(storeId: bigint, version: number): Promise<StoreTerms> {
    return toTerms((await this.call("storeTerms", [storeId, version]))[0] as Result);
  }

  async orderStatus(orderId: bigint): Promise<number> {
    return Number((await this.call("orderStatus", [orderId]))[0]);
  }

  async hashOrder(order: Order): Promise<string> {
    return String((await this.call("hashOrder", [orderArg(order)]))[0]);
  }

  async credits(account: string, currency: string): Promise<bigint> {
    return BigInt((await this.call("credits", [account, currency]))[0]);
  }

  async boughtBy(productId: bigint, buyer: string): Promise<bigint> {
    return BigInt((await this.call("boughtBy", [productId, buyer]))[0]);
  }

  async reviewState(orderId: bigint, productId: bigint): Promise<{ reviewed: boolean; replied: boolean }> {
    const r = await this.call("reviewState", [orderId, productId]);
    return { reviewed: Boolean(r[0]), replied: Boolean(r[1]) };
  }

  async blockNumber(): Promise<number> {
    return Number(BigInt(await this.rpc.request<string>("eth_blockNumber")));
  }

  async blockTimestamp(blockNumber: number): Promise<bigint> {
    const block = await this.rpc.request<{ timestamp: string } | null>("eth_getBlockByNumber", [
      toQuantity(blockNumber),
      false,
    ]);
    return block ? BigInt(block.timestamp) : 0n;
  }

  /** Balance of ETH (address(0)) or an ERC-20. */
  async balanceOf(account: string, currency: string): Promise<bigint> {
    if (currency === ZERO_ADDRESS) return BigInt(await this.rpc.request<string>("eth_getBalance", [account, "latest"]));
    return BigInt((await this.call("balanceOf", [account], { iface: erc20, to: currency }))[0]);
  }

  async allowance(owner: string, currency: string): Promise<bigint> {
    return BigInt((await this.call("allowance", [owner, this.address], { iface: erc20, to: currency }))[0]);
  }

  /** Logs of this contract from `fromBlock` to `toBlock` (default: latest), in chunks of LOG_CHUNK_BLOCKS. */
  async getLogs(filter: LogFilter, chunk = LOG_CHUNK_BLOCKS): Promise<RawLog[]> {
    const to = filter.toBlock ?? (await this.blockNumber());
    const out: RawLog[] = [];
    for (let from = filter.fromBlock; from <= to; from += chunk) {
      const logs = await this.rpc.request<RawLog[]>("eth_getLogs", [
        {
          address: this.address,
          topics: filter.topics,
          fromBlock: toQuantity(from),
          toBlock: toQuantity(Math.min(to, from + chunk - 1)),
        },
      ]);
      out.push(...logs);
    }
    return out;
  }
}

const abiCoder = AbiCoder.defaultAbiCoder();
const WORD = 32;
const UINT256 = [ParamType.from("uint256")];

/** The 32-byte word at `at` as a safe integer (an offset or a length), read by ethers' own uint256 coder. */
function readIndex(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + WORD > bytes.length) throw new RangeError(`ABI word at ${at} is past the data`);
  return toNumber(abiCoder.decode(UINT256, bytes.subarray(at, at + WORD))[0] as bigint);
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

export function topicOf(event: string): string {
  const fragment = merchstand.getEvent(event);
  if (!fragment) throw new Error(`No event ${event} in the ABI`);
  return fragment.topicHash;
}

export function addressTopic(address: string): string {
  return `0x${address.toLowerCase().replace(/^0x/, "").padStart(64, "0")}`;
}

export function uintTopic(value: bigint): string {
  return `0x${value.toString(16).padStart(64, "0")}`;
}
