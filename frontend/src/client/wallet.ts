// Wallet access through raw EIP-1193 requests: discovery by EIP-6963 (with window.ethereum as the fallback),
// account and chain tracking, network switching, and sending transactions that were simulated first.

import { toQuantity, utf8ToHex } from "./hex.ts";
import type { Manifest } from "./manifest.ts";
import { type RpcClient, RpcError } from "./rpc.ts";

export type Eip1193Provider = {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
};

export type WalletInfo = { uuid: string; name: string; icon: string; rdns: string; provider: Eip1193Provider };

type AnnounceEvent = Event & { detail?: { info?: Partial<WalletInfo>; provider?: Eip1193Provider } };

/** Asks every injected wallet to announce itself (EIP-6963) and collects the answers for `waitMs`. */
export function discoverWallets(win: Window, waitMs = 200): Promise<WalletInfo[]> {
  return new Promise((resolve) => {
    const found = new Map<string, WalletInfo>();
    const onAnnounce = (event: Event) => {
      const detail = (event as AnnounceEvent).detail;
      const info = detail?.info;
      if (!detail?.provider || typeof detail.provider.request !== "function" || !info) return;
      const uuid = typeof info.uuid === "string" ? info.uuid : String(found.size);
      found.set(uuid, {
        uuid,
        name: typeof info.name === "string" ? info.name.slice(0, 40) : "Wallet",
        // Only data: image URLs are shown, as EIP-6963 requires, so an icon cannot load a remote tracker.
        icon: typeof info.icon === "string" && info.icon.startsWith("data:image/") ? info.icon : "",
        rdns: typeof info.rdns === "string" ? info.rdns : "",
        provider: detail.provider,
      });
    };
    win.addEventListener("eip6963:announceProvider", onAnnounce);
    win.dispatchEvent(new Event("eip6963:requestProvider"));
    setTimeout(() => {
      win.removeEventListener("eip6963:announceProvider", onAnnounce);
      const legacy = (win as Window & { ethereum?: Eip1193Provider }).ethereum;
      if (found.size === 0 && legacy && typeof legacy.request === "function") {
        found.set("window.ethereum", {
          uuid: "window.ethereum",
          name: "Browser wallet",
          icon: "",
          rdns: "",
          provider: legacy,
        });
      }
      resolve([...found.values()]);
    }, waitMs);
  });
}

/** An EIP-1193 provider as a JSON-RPC client (errors keep their EIP-1193 code). */
export function providerRpc(provider: Eip1193Provider): RpcClient {
  return {
    async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
      try {
        return (await provider.request({ method, params })) as T;
      } catch (error) {
        const e = error as { code?: unknown; message?: unknown; data?: unknown };
        if (typeof e?.code === "number") {
          throw new RpcError(e.code, typeof e.message === "string" ? e.message : "Wallet error", e.data);
        }
        throw error;
      }
    },
  };
}

function hasCode(error: unknown, code: number, depth = 0): boolean {
  if (depth > 4 || typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; data?: unknown; originalError?: unknown };
  return e.code === code || hasCode(e.data, code, depth + 1) || hasCode(e.originalError, code, depth + 1);
}

/** Switches the wallet to the manifest's chain, adding the chain first when the wallet does not know it. */
export async function switchNetwork(provider: Eip1193Provider, manifest: Manifest): Promise<void> {
  const chainId = toQuantity(manifest.chainId);
  try {
    await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
  } catch (error) {
    if (!hasCode(error, 4902)) throw error;
    await provider.request({
      method: "wallet_addEthereumChain",
      params: [
        {
          chainId,
          chainName: manifest.chainName,
          rpcUrls: [manifest.rpcUrl],
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          blockExplorerUrls: manifest.explorerUrl ? [manifest.explorerUrl] : undefined,
        },
      ],
    });
  }
}

export type WalletState = { info: WalletInfo | null; account: string | null; chainId: number | null };

/** One connected wallet: follows account and chain changes and tells the app through `onChange`. */
export class WalletSession {
  readonly info: WalletInfo;
  readonly rpc: RpcClient;
  account: string | null = null;
  chainId: number | null = null;
  private readonly onChange: () => void;
  private readonly listeners: [string, (...args: unknown[]) => void][] = [];

  constructor(info: WalletInfo, onChange: () => void) {
    this.info = info;
    this.rpc = providerRpc(info.provider);
    this.onChange = onChange;
  }

  get provider(): Eip1193Provider {
    return this.info.provider;
  }

  /** Asks for accounts (`eth_requestAccounts`) or, with `silent`, only reads already granted ones. */
  async connect(silent = false): Promise<void> {
    const accounts = await this.rpc.request<string[]>(silent ? "eth_accounts" : "eth_requestAccounts");
    this.account = accounts[0] ?? null;
    this.chainId = Number(BigInt(await this.rpc.request<string>("eth_chainId")));
    this.listen("accountsChanged", (accounts) => {
      this.account = Array.isArray(accounts) && typeof accounts[0] === "string" ? accounts[0] : null;
      this.onChange();
    });
    this.listen("chainChanged", (chainId) => {
      this.chainId = Number(BigInt(String(chainId)));
      this.onChange();
    });
    this.onChange();
  }

  private listen(event: string, listener: (...args: unknown[]) => void) {
    if (!this.provider.on) return;
    this.provider.on(event, listener);
    this.listeners.push([event, listener]);
  }

  disconnect(): void {
    for (const [event, listener] of this.listeners) this.provider.removeListener?.(event, listener);
    this.listeners.length = 0;
    this.account = null;
    this.onChange();
  }

  async sendTransaction(tx: { to: string; data: string; value?: bigint }): Promise<string> {
    if (!this.account) throw new RpcError(4100, "No account connected");
    const request: Record<string, string> = { from: this.account, to: tx.to, data: tx.data };
    if (tx.value && tx.value > 0n) request.value = toQuantity(tx.value);
    return this.rpc.request<string>("eth_sendTransaction", [request]);
  }

  async signTypedData(typedData: object): Promise<string> {
    if (!this.account) throw new RpcError(4100, "No account connected");
    return this.rpc.request<string>("eth_signTypedData_v4", [this.account, JSON.stringify(typedData, bigintJson)]);
  }

  async personalSign(message: string): Promise<string> {
    if (!this.account) throw new RpcError(4100, "No account connected");
    return this.rpc.request<string>("personal_sign", [utf8ToHex(message), this.account]);
  }
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
