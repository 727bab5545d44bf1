// The app context every page receives: manifest, chain reader, IPFS client, cart, wallet, block ticks, toasts.

import { Cart } from "./client/cart.ts";
import { loadAllStores, type SearchText } from "./client/catalog.ts";
import { Chain } from "./client/chain.ts";
import { demoWallets } from "./client/demo-accounts.ts";
import { type ErrorContext, explainError, type FanError } from "./client/errors.ts";
import { IpfsClient } from "./client/ipfs.ts";
import { type Currency, currencyOf, type Manifest } from "./client/manifest.ts";
import { PromiseCache } from "./client/memo.ts";
import {
  loadProductMetadata,
  loadStoreMetadata,
  type ProductMetadata,
  type StoreMetadata,
  type Validated,
} from "./client/metadata.ts";
import { type Product, type Store, ZERO_ADDRESS } from "./client/protocol.ts";
import { HttpRpc } from "./client/rpc.ts";
import { FallbackRpc, savedRpcUrl } from "./client/rpc-choice.ts";
import { discoverWallets, switchNetwork, type WalletInfo, WalletSession } from "./client/wallet.ts";

const REMEMBERED_WALLET = "merchstand.wallet";
const BLOCK_POLL_MS = 4_000;

export type Toast = { message: string; kind: "info" | "success" | "error"; link?: { href: string; label: string } };

export class App {
  readonly manifest: Manifest;
  readonly chain: Chain;
  /** The endpoint reads go to first: the fan's own (Settings) or the manifest's. */
  readonly rpcUrl: string;
  readonly ipfs: IpfsClient;
  readonly cart: Cart;
  wallet: WalletSession | null = null;
  wallets: WalletInfo[] = [];
  balance: bigint | null = null;
  blockNumber = 0;
  /** The last RPC failure, while the network is unreachable; cleared on the next good answer. */
  offline: FanError | null = null;

  private readonly changeListeners = new Set<() => void>();
  private readonly blockListeners = new Set<(block: number) => void>();
  private readonly toastListeners = new Set<(toast: Toast) => void>();
  private storesCache: { block: number; stores: Promise<Store[]> } | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(manifest: Manifest, storage: Storage) {
    this.manifest = manifest;
    // The fan's own RPC endpoint (client/rpc-choice.ts) is tried first, the manifest's when it can't be reached.
    const own = savedRpcUrl(storage, manifest.chainId);
    const storeRpc = new HttpRpc(manifest.rpcUrl);
    this.rpcUrl = own ?? manifest.rpcUrl;
    this.chain = new Chain(own ? new FallbackRpc(new HttpRpc(own), storeRpc) : storeRpc, manifest.merchstand);
    // Logs already read are kept in IndexedDB between visits; the cache's code loads with the first history read.
    this.chain.openLogCache = async () => {
      const { idbStore, LogCache } = await import("./client/log-cache.ts");
      const kept = idbStore();
      return kept ? new LogCache(kept, { chainId: manifest.chainId, address: manifest.merchstand }) : null;
    };
    this.ipfs = new IpfsClient(manifest.ipfsGateways);
    this.cart = new Cart(storage, manifest.chainId, manifest.merchstand);
  }

  // ── change notifications ──
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
  private changed(): void {
    for (const l of this.changeListeners) l();
  }
  onBlock(listener: (block: number) => void): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }
  onToast(listener: (toast: Toast) => void): () => void {
    this.toastListeners.add(listener);
    return () => this.toastListeners.delete(listener);
  }
  toast(toast: Toast): void {
    for (const l of this.toastListeners) l(toast);
  }

  // ── IPFS metadata, cached by CID (content-addressed, so it never goes stale) ──
  // A document that failed to load or validate is forgotten, so the next render tries again.
  private readonly productMetaCache = new PromiseCache<string, Validated<ProductMetadata>>({ failed: (r) => !r.ok });
  private readonly storeMetaCache = new PromiseCache<string, Validated<StoreMetadata>>({ failed: (r) => !r.ok });

  productMeta(cid: string): Promise<Validated<ProductMetadata>> {
    return this.productMetaCache.get(cid, () => loadProductMetadata(this.ipfs, cid));
  }

  storeMeta(cid: string): Promise<Validated<StoreMetadata>> {
    return this.storeMetaCache.get(cid, () => loadStoreMetadata(this.ipfs, cid));
  }

  /** Text of the metadata already loaded, for search (client/catalog.ts searchCatalog); loads nothing. */
  loadedMetadataText(): SearchText {
    return {
      product: (p) => {
        const r = p.metadataCid ? this.productMetaCache.peek(p.metadataCid) : undefined;
        return r?.ok ? [r.value.description, ...r.value.details.flat()].join(" ") : "";
      },
      store: (s) => {
        const r = s.metadataCid ? this.storeMetaCache.peek(s.metadataCid) : undefined;
        return r?.ok ? r.value.bio : "";
      },
    };
  }

  // ── chain helpers ──
  currency(address: string): Currency {
    return currencyOf(this.manifest, address);
  }

  /** All stores, cached for the current block (store lists are small and change rarely). */
  stores(): Promise<Store[]> {
    if (!this.storesCache || this.storesCache.block !== this.blockNumber) {
      const stores = loadAllStores(this.chain);
      stores.catch(() => {
        this.storesCache = null;
      });
      this.storesCache = { block: this.blockNumber, stores };
    }
    return this.storesCache.stores;
  }

  explorerTx(hash: string): string | null {
    return this.manifest.explorerUrl ? `${this.manifest.explorerUrl}/tx/${hash}` : null;
  }
  explorerAddress(address: string): string | null {
    return this.manifest.explorerUrl ? `${this.manifest.explorerUrl}/address/${address}` : null;
  }

  errorContext(extra: ErrorContext = {}, products: Product[] = []): ErrorContext {
    return {
      expectedChain: { chainId: this.manifest.chainId, chainName: this.manifest.chainName },
      describeVariant: (productId, variant) => {
        const p = products.find((x) => x.id === productId);
        return p ? { product: p.name, label: p.variants[variant]?.label ?? "" } : undefined;
      },
      ...extra,
    };
  }

  explain(error: unknown, extra: ErrorContext = {}, products: Product[] = []): FanError {
    return explainError(error, this.errorContext(extra, products));
  }

  // ── blocks ──
  /** Polls the block number while the page is visible; listeners refresh stock and order status. */
  startPolling(): void {
    const tick = async () => {
      this.pollTimer = null;
      if (document.visibilityState === "visible") {
        try {
          const block = await this.chain.blockNumber();
          const wasOffline = this.offline !== null;
          this.offline = null;
          if (wasOffline) this.changed();
          if (block !== this.blockNumber) {
            this.blockNumber = block;
            await this.refreshBalance();
            for (const l of this.blockListeners) l(block);
          }
        } catch (error) {
          this.offline = explainError(error);
          this.changed();
        }
      }
      this.pollTimer = setTimeout(tick, BLOCK_POLL_MS);
    };
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.pollTimer) {
        clearTimeout(this.pollTimer);
        void tick();
      }
    });
    void tick();
  }

  // ── wallet ──
  get account(): string | null {
    return this.wallet?.account ?? null;
  }
  get wrongChain(): boolean {
    return this.wallet?.account != null && this.wallet.chainId !== this.manifest.chainId;
  }

  async discover(): Promise<WalletInfo[]> {
    // Injected wallets (EIP-6963), then the local chain's demo accounts (none on any other chain).
    const [injected, demo] = await Promise.all([discoverWallets(window), demoWallets(this.manifest, location.href)]);
    this.wallets = [...injected, ...demo];
    return this.wallets;
  }

  async connect(info: WalletInfo, silent = false): Promise<void> {
    this.wallet?.disconnect();
    const session = new WalletSession(info, () => {
      void this.refreshBalance().then(() => this.changed());
    });
    this.wallet = session;
    try {
      await session.connect(silent);
    } catch (error) {
      this.wallet = null;
      this.changed();
      throw error;
    }
    if (session.account) localStorage.setItem(REMEMBERED_WALLET, info.rdns || info.uuid);
    else if (silent) this.wallet = null;
    this.changed();
  }

  /** Reconnects, without a prompt, to the wallet used last time if it still grants an account. */
  async reconnect(): Promise<void> {
    const remembered = localStorage.getItem(REMEMBERED_WALLET);
    if (!remembered) return;
    const wallets = this.wallets.length ? this.wallets : await this.discover();
    const info = wallets.find((w) => w.rdns === remembered || w.uuid === remembered);
    if (info) await this.connect(info, true).catch(() => {});
  }

  disconnect(): void {
    this.wallet?.disconnect();
    this.wallet = null;
    this.balance = null;
    localStorage.removeItem(REMEMBERED_WALLET);
    this.changed();
  }

  async switchNetwork(): Promise<void> {
    if (!this.wallet) return;
    await switchNetwork(this.wallet.provider, this.manifest);
  }

  async refreshBalance(): Promise<void> {
    const account = this.account;
    if (!account) {
      this.balance = null;
      return;
    }
    try {
      const balance = await this.chain.balanceOf(account, ZERO_ADDRESS);
      // A read for an account the wallet has since switched away from would show its balance under the new one.
      if (this.account === account) this.balance = balance;
    } catch {
      if (this.account === account) this.balance = null;
    }
  }
}
