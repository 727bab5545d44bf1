// Reads from the protocol through any JSON-RPC client: one `eth_call` per view call, logs in bounded block ranges.
import type { Interface, Result } from "ethers/abi";
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

  async call(
    fn: string,
    args: readonly unknown[] = [],
    options: { iface?: Interface; to?: string; from?: string } = {},
  ) {
    const iface = options.iface ?? merchstand;
    const data = iface.encodeFunctionData(fn, args);
    const tx: Record<string, string> = { to: options.to ?? this.address, data };
    if (options.from) tx.from = options.from;
    const result = await this.rpc.request<string>("eth_call", [tx, "latest"]);
    return iface.decodeFunctionResult(fn, result);
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
    const r = await this.call("getStores", [offset, limit]);
    return { stores: Array.from(r[0] as Result, toStore), total: Number(r[1]) };
  }

  async getProduct(productId: bigint): Promise<Product | null> {
    const r = await this.callOrNull("getProduct", [productId], "ProductNotFound");
    return r ? toProduct(r[0] as Result) : null;
  }

  async getProducts(offset: number, limit: number): Promise<{ products: Product[]; total: number }> {
    const r = await this.call("getProducts", [offset, limit]);
    return { products: Array.from(r[0] as Result, toProduct), total: Number(r[1]) };
  }

  async getStoreProducts(storeId: bigint, offset: number, limit: number) {
    const r = await this.call("getStoreProducts", [storeId, offset, limit]);
    return { products: Array.from(r[0] as Result, toProduct), total: Number(r[1]) };
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
