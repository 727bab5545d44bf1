// Demo accounts: the local stack's seeded buyer and seller, usable as a wallet with nothing installed, so that
// `npm start`, open the URL, buy works on a fresh machine. Their keys are Hardhat's public test keys, so they must
// never be offered anywhere but a local development chain:
// - the dapp bundle holds no key: the local stack writes them into `demo-accounts.json` beside `manifest.json`
//   (scripts/stack/demo-accounts.ts), and only for chain 31337 with an RPC on this machine;
// - the dapp asks for that file only under the same condition ({@link demoAccountsAllowed}), and rejects a file
//   written for another chain.
// The wallet itself (an ethers Wallet over the RPC, behind the EIP-1193 interface) is client/demo-wallet.ts, loaded
// only when a demo account is used.
import type { Manifest } from "./manifest.ts";
import type { Eip1193Provider, WalletInfo } from "./wallet.ts";

/** Hardhat's and Anvil's development chain id. */
export const LOCAL_CHAIN_ID = 31337;
export const DEMO_ACCOUNTS_FILE = "demo-accounts.json";
const DEMO_RDNS_PREFIX = "local.merchstand.demo.";
const MAX_DEMO_ACCOUNTS = 8;

export type DemoAccount = { role: string; label: string; address: string; privateKey: string };
export type DemoAccountsFile = { version: 1; chainId: number; accounts: DemoAccount[] };

/** Whether `rpcUrl` points at this machine (loopback address or a `localhost` name). */
export function isLocalRpc(rpcUrl: string): boolean {
  let host: string;
  try {
    host = new URL(rpcUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The one decision: demo accounts exist only on the local development chain reached through a local RPC. */
export function demoAccountsAllowed(manifest: Pick<Manifest, "chainId" | "rpcUrl">): boolean {
  return manifest.chainId === LOCAL_CHAIN_ID && isLocalRpc(manifest.rpcUrl);
}

/** Validates a `demo-accounts.json` for `manifest`: none at all unless allowed and written for the same chain. */
export function parseDemoAccounts(input: unknown, manifest: Pick<Manifest, "chainId" | "rpcUrl">): DemoAccount[] {
  if (!demoAccountsAllowed(manifest)) return [];
  if (typeof input !== "object" || input === null) return [];
  const file = input as Partial<DemoAccountsFile>;
  if (file.version !== 1 || file.chainId !== manifest.chainId || !Array.isArray(file.accounts)) return [];
  return file.accounts.slice(0, MAX_DEMO_ACCOUNTS).flatMap((a: unknown): DemoAccount[] => {
    const r = a as Record<string, unknown> | null;
    if (
      typeof r?.role !== "string" ||
      !/^[a-z][a-zA-Z0-9]{0,23}$/.test(r.role) ||
      typeof r.label !== "string" ||
      r.label.length === 0 ||
      r.label.length > 40 ||
      typeof r.address !== "string" ||
      !/^0x[0-9a-fA-F]{40}$/.test(r.address) ||
      typeof r.privateKey !== "string" ||
      !/^0x[0-9a-fA-F]{64}$/.test(r.privateKey)
    )
      return [];
    return [{ role: r.role, label: r.label, address: r.address, privateKey: r.privateKey }];
  });
}

/** The demo accounts beside the page's manifest, or none (not the local chain, no file, a bad file). */
export async function loadDemoAccounts(
  manifest: Manifest,
  base: string,
  fetchFn: typeof fetch = fetch,
): Promise<DemoAccount[]> {
  if (!demoAccountsAllowed(manifest)) return [];
  try {
    const response = await fetchFn(new URL(DEMO_ACCOUNTS_FILE, base).toString(), { cache: "no-store" });
    if (!response.ok) return [];
    return parseDemoAccounts(await response.json(), manifest);
  } catch {
    return [];
  }
}

/** The label every place a demo account shows carries. */
export const DEMO_MARK = "Demo account (local test chain)";

export function isDemoWallet(info: Pick<WalletInfo, "rdns">): boolean {
  return info.rdns.startsWith(DEMO_RDNS_PREFIX);
}

/**
 * A demo account as a wallet the app connects like any injected one. The provider loads client/demo-wallet.ts (and
 * ethers' signer) on its first request, so a build that never shows a demo account never loads it.
 */
export function demoWalletInfo(account: DemoAccount, manifest: Manifest): WalletInfo {
  let inner: Promise<Eip1193Provider> | null = null;
  const provider: Eip1193Provider = {
    async request(args) {
      inner ??= import("./demo-wallet.ts").then((m) => m.demoProvider(account, manifest));
      return (await inner).request(args);
    },
  };
  return {
    uuid: `demo-${account.role}`,
    name: `${account.label} (demo)`,
    icon: "",
    rdns: `${DEMO_RDNS_PREFIX}${account.role}`,
    provider,
  };
}

const demoWalletCache = new WeakMap<Manifest, Promise<WalletInfo[]>>();

/** The demo accounts of the page's manifest as wallets, read once per manifest (none off the local chain). */
export function demoWallets(manifest: Manifest, base: string): Promise<WalletInfo[]> {
  let wallets = demoWalletCache.get(manifest);
  if (!wallets) {
    wallets = loadDemoAccounts(manifest, base).then((accounts) => accounts.map((a) => demoWalletInfo(a, manifest)));
    demoWalletCache.set(manifest, wallets);
  }
  return wallets;
}
