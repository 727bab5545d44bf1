// The build manifest (docs/FORMATS.md) tells the dapp which chain, contract, currencies and gateways to use.
// It comes from beside index.html, so it is validated as strictly as any other input.
import { isAddress } from "ethers/address";
import type { UsdFeed } from "./usd.ts";

export type Currency = { address: string; symbol: string; decimals: number; permit: boolean };

export type Manifest = {
  version: 1;
  chainId: number;
  chainName: string;
  rpcUrl: string;
  explorerUrl: string | null;
  merchstand: string;
  deploymentBlock: number;
  currencies: Currency[];
  ipfsGateways: string[];
  ipfsUpload: { kind: "kubo"; url: string } | null;
  /**
   * The chain's ETH / USD price feed (Chainlink AggregatorV3Interface); null or absent: no dollar figures for ETH.
   * Optional in the type so manifests built in code before it existed stay valid.
   */
  usdFeed?: UsdFeed | null;
};

export class ManifestError extends Error {
  override name = "ManifestError";
}

const MAX_MANIFEST_BYTES = 64 * 1024;

function httpUrl(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length > 2048) throw new ManifestError(`${field} must be a URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ManifestError(`${field} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ManifestError(`${field} must be http(s)`);
  return value.replace(/\/+$/, "");
}

function nonNegativeInteger(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ManifestError(`${field} must be a non-negative integer`);
  }
  return value;
}

function address(value: unknown, field: string): string {
  if (typeof value !== "string" || !isAddress(value)) throw new ManifestError(`${field} must be an address`);
  return value;
}

function shortText(value: unknown, field: string, max: number): string {
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw new ManifestError(`${field} must be text of 1..${max} characters`);
  }
  return value;
}

export function parseManifest(input: unknown): Manifest {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ManifestError("The manifest is not a JSON object");
  }
  const m = input as Record<string, unknown>;
  if (m.version !== 1) throw new ManifestError(`Unsupported manifest version ${String(m.version)}`);
  if (!Array.isArray(m.currencies) || m.currencies.length === 0 || m.currencies.length > 16) {
    throw new ManifestError("currencies must list 1..16 currencies");
  }
  const currencies = m.currencies.map((c: unknown, i: number): Currency => {
    if (typeof c !== "object" || c === null) throw new ManifestError(`currencies[${i}] is not an object`);
    const r = c as Record<string, unknown>;
    const decimals = nonNegativeInteger(r.decimals, `currencies[${i}].decimals`);
    if (decimals > 36) throw new ManifestError(`currencies[${i}].decimals is too large`);
    return {
      address: address(r.address, `currencies[${i}].address`),
      symbol: shortText(r.symbol, `currencies[${i}].symbol`, 12),
      decimals,
      permit: r.permit === true,
    };
  });
  if (!Array.isArray(m.ipfsGateways) || m.ipfsGateways.length > 8) {
    throw new ManifestError("ipfsGateways must list at most 8 gateways");
  }
  let ipfsUpload: Manifest["ipfsUpload"] = null;
  if (m.ipfsUpload !== null && m.ipfsUpload !== undefined) {
    const u = m.ipfsUpload as Record<string, unknown>;
    if (u.kind !== "kubo") throw new ManifestError('ipfsUpload.kind must be "kubo"');
    ipfsUpload = { kind: "kubo", url: httpUrl(u.url, "ipfsUpload.url") };
  }
  let usdFeed: UsdFeed | null = null;
  if (m.usdFeed !== null && m.usdFeed !== undefined) {
    const f = m.usdFeed as Record<string, unknown>;
    const decimals = nonNegativeInteger(f.decimals, "usdFeed.decimals");
    const heartbeat = nonNegativeInteger(f.heartbeat, "usdFeed.heartbeat");
    if (decimals > 36) throw new ManifestError("usdFeed.decimals is too large");
    if (heartbeat === 0 || heartbeat > 7 * 86_400) throw new ManifestError("usdFeed.heartbeat must be 1 s..7 days");
    usdFeed = { address: address(f.address, "usdFeed.address"), decimals, heartbeat };
  }
  const chainId = nonNegativeInteger(m.chainId, "chainId");
  if (chainId === 0) throw new ManifestError("chainId must be positive");
  return {
    version: 1,
    chainId,
    chainName: shortText(m.chainName, "chainName", 64),
    rpcUrl: httpUrl(m.rpcUrl, "rpcUrl"),
    explorerUrl: m.explorerUrl === null || m.explorerUrl === undefined ? null : httpUrl(m.explorerUrl, "explorerUrl"),
    merchstand: address(m.merchstand, "merchstand"),
    deploymentBlock: nonNegativeInteger(m.deploymentBlock, "deploymentBlock"),
    currencies,
    ipfsGateways: m.ipfsGateways.map((g: unknown, i: number) => httpUrl(g, `ipfsGateways[${i}]`)),
    ipfsUpload,
    usdFeed,
  };
}

/** Fetches and validates `manifest.json` relative to `base` (the page's URL in the browser). */
export async function loadManifest(base: string, fetchFn: typeof fetch = fetch): Promise<Manifest> {
  const url = new URL("manifest.json", base).toString();
  let text: string;
  try {
    const response = await fetchFn(url, { cache: "no-store" });
    if (!response.ok) throw new ManifestError(`manifest.json answered HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    throw new ManifestError(`manifest.json could not be loaded (${error instanceof Error ? error.message : error})`);
  }
  if (text.length > MAX_MANIFEST_BYTES) throw new ManifestError("manifest.json is too large");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError("manifest.json is not valid JSON");
  }
  return parseManifest(json);
}

export function currencyOf(manifest: Manifest, address: string): Currency {
  const found = manifest.currencies.find((c) => c.address.toLowerCase() === address.toLowerCase());
  // A store may sell in a token this build does not list; show it honestly rather than guess its decimals.
  return found ?? { address, symbol: "tokens", decimals: 0, permit: false };
}
