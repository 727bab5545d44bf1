// The dapp's runtime manifest (docs/FORMATS.md, "Build manifest") for a published build.
//
// Everything in it is public: it is served from IPFS to every visitor. So the RPC URL is a public endpoint chosen
// for the purpose (flag, env or a default), never the deploy RPC, which usually embeds a provider API key.
import type { Manifest } from "../../frontend/src/client/manifest.ts";
import { type ChainManifest, type Currency, orderedCurrency } from "./chain-manifest.ts";

/**
 * The manifest the dapp reads and validates (frontend/src/client/manifest.ts), as written: one field list for writer
 * and reader. On disk a currency's `permit` is present only when true; the dapp reads a missing one as false.
 */
export type DappManifest = Omit<Manifest, "currencies"> & { currencies: Currency[] };

/** Public, keyless RPC endpoints for the chains we expect to publish on. */
export const PUBLIC_RPC_URLS: Record<number, string> = {
  1: "https://ethereum-rpc.publicnode.com",
  11155111: "https://ethereum-sepolia-rpc.publicnode.com",
  560048: "https://ethereum-hoodi-rpc.publicnode.com",
  // The L2s' own public endpoints. They cap eth_getLogs and rate-limit: the dapp's history reader copes with both.
  8453: "https://mainnet.base.org",
  84532: "https://sepolia.base.org",
  10: "https://mainnet.optimism.io",
  11155420: "https://sepolia.optimism.io",
  42161: "https://arb1.arbitrum.io/rpc",
  421614: "https://sepolia-rollup.arbitrum.io/rpc",
};

/** Path-style gateways that send CORS headers, tried in this order by the dapp for product images and metadata. */
export const DEFAULT_GATEWAYS = ["https://ipfs.io", "https://w3s.link", "https://dweb.link"];

export type DappManifestOptions = {
  rpcUrl?: string;
  gateways?: string[];
  uploadUrl?: string;
  /** Values that must never appear in the manifest (resolved secrets). */
  secrets?: string[];
};

function checkPublicUrl(label: string, value: string, secrets: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${label} "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${label} must be http(s): ${value}`);
  if (url.username !== "" || url.password !== "") {
    throw new Error(`${label} carries credentials (user:password@); the manifest is public, use a keyless URL`);
  }
  for (const secret of secrets) {
    if (secret.length >= 8 && value.includes(secret)) {
      throw new Error(`${label} contains the value of a secret; the manifest is public, use a keyless public URL`);
    }
  }
  return value.replace(/\/+$/, "");
}

export function buildDappManifest(chain: ChainManifest, options: DappManifestOptions = {}): DappManifest {
  const secrets = options.secrets ?? [];
  const rpc = options.rpcUrl ?? PUBLIC_RPC_URLS[chain.chainId];
  if (rpc === undefined) {
    throw new Error(
      `No public RPC URL known for chain ${chain.chainId}: pass --rpc-url <url> or set MERCHSTAND_PUBLIC_RPC_URL ` +
        "(a keyless endpoint: it is published with the dapp)",
    );
  }
  const gateways = (options.gateways ?? DEFAULT_GATEWAYS).map((g) => checkPublicUrl("gateway", g, secrets));
  if (gateways.length === 0) throw new Error("at least one IPFS gateway is needed");
  return {
    version: 1,
    chainId: chain.chainId,
    chainName: chain.chainName,
    rpcUrl: checkPublicUrl("RPC URL", rpc, secrets),
    explorerUrl: chain.explorerUrl,
    merchstand: chain.merchstand,
    deploymentBlock: chain.deploymentBlock,
    currencies: chain.currencies.map((c) => ({ ...c })),
    ipfsGateways: gateways,
    ipfsUpload:
      options.uploadUrl === undefined
        ? null
        : { kind: "kubo", url: checkPublicUrl("upload URL", options.uploadUrl, secrets) },
    usdFeed: chain.usdFeed ? { ...chain.usdFeed } : null,
  };
}

/**
 * Fixed key order (the FORMATS.md order), two-space indent, trailing newline: the manifest is part of the published
 * folder, so its bytes must be a pure function of its content for the CID to be reproducible.
 */
export function serializeDappManifest(m: DappManifest): string {
  const ordered: DappManifest = {
    version: m.version,
    chainId: m.chainId,
    chainName: m.chainName,
    rpcUrl: m.rpcUrl,
    explorerUrl: m.explorerUrl,
    merchstand: m.merchstand,
    deploymentBlock: m.deploymentBlock,
    currencies: m.currencies.map(orderedCurrency),
    ipfsGateways: [...m.ipfsGateways],
    ipfsUpload: m.ipfsUpload === null ? null : { kind: m.ipfsUpload.kind, url: m.ipfsUpload.url },
    usdFeed: m.usdFeed
      ? { address: m.usdFeed.address, decimals: m.usdFeed.decimals, heartbeat: m.usdFeed.heartbeat }
      : null,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
