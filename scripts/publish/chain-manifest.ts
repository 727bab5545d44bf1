// The per-chain deployment manifest: what `npm run deploy` records and commits (ignition/manifests/chain-<id>.json)
// and what `npm run publish` bakes into the dapp's manifest.json. Reading it is validated field by field because a
// hand-edited or half-merged file must fail here, with the file named, not as a blank store page after publishing.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { UsdFeed } from "../../frontend/src/client/usd.ts";
import { ROOT } from "../cli/root.ts";

export const DEFAULT_MANIFESTS_DIR = join(ROOT, "ignition", "manifests");

export type Currency = { address: string; symbol: string; decimals: number; permit?: boolean };

export type ChainManifest = {
  chainId: number;
  /** Hardhat network name the deployment was made with. */
  network: string;
  chainName: string;
  merchstand: string;
  deploymentBlock: number;
  currencies: Currency[];
  explorerUrl: string | null;
  /** Timestamp of the deployment block (not the wall clock), ISO 8601. */
  deployedAt: string;
  /** The chain's ETH / USD price feed (scripts/deploy/usd-feed.ts); absent or null: none. */
  usdFeed?: UsdFeed | null;
};

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function chainManifestPath(chainId: number, dir = DEFAULT_MANIFESTS_DIR): string {
  return join(dir, `chain-${chainId}.json`);
}

/** A currency with its keys in the manifests' order, `permit` only when true (docs/FORMATS.md). */
export function orderedCurrency(c: Currency): Currency {
  return { address: c.address, symbol: c.symbol, decimals: c.decimals, ...(c.permit === true ? { permit: true } : {}) };
}

/** Stable key order and a trailing newline, so a re-deploy that changes nothing leaves a clean `git diff`. */
export function serializeChainManifest(m: ChainManifest): string {
  const ordered: ChainManifest = {
    chainId: m.chainId,
    network: m.network,
    chainName: m.chainName,
    merchstand: m.merchstand,
    deploymentBlock: m.deploymentBlock,
    currencies: m.currencies.map(orderedCurrency),
    explorerUrl: m.explorerUrl,
    deployedAt: m.deployedAt,
    usdFeed: m.usdFeed ?? null,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export async function writeChainManifest(m: ChainManifest, dir = DEFAULT_MANIFESTS_DIR): Promise<string> {
  const file = chainManifestPath(m.chainId, dir);
  await writeFile(file, serializeChainManifest(validateChainManifest(m, file)));
  return file;
}

export function validateChainManifest(value: unknown, source: string): ChainManifest {
  const fail = (why: string): never => {
    throw new Error(`${source}: ${why}`);
  };
  if (typeof value !== "object" || value === null) return fail("not a JSON object");
  const v = value as Record<string, unknown>;
  const int = (key: string, min: number): number => {
    const x = v[key];
    if (typeof x !== "number" || !Number.isSafeInteger(x) || x < min) fail(`"${key}" must be an integer >= ${min}`);
    return x as number;
  };
  const str = (key: string): string => {
    const x = v[key];
    if (typeof x !== "string" || x.length === 0 || x.length > 200) fail(`"${key}" must be a non-empty string`);
    return x as string;
  };
  const merchstand = str("merchstand");
  if (!ADDRESS.test(merchstand)) fail(`"merchstand" must be a 0x-prefixed 20-byte address`);
  if (!Array.isArray(v.currencies) || v.currencies.length === 0 || v.currencies.length > 32) {
    fail(`"currencies" must list 1..32 currencies`);
  }
  const currencies = (v.currencies as unknown[]).map((c, i): Currency => {
    const cur = (typeof c === "object" && c !== null ? c : {}) as Record<string, unknown>;
    if (typeof cur.address !== "string" || !ADDRESS.test(cur.address))
      fail(`currencies[${i}].address is not an address`);
    if (typeof cur.symbol !== "string" || !/^[\x20-\x7e]{1,16}$/.test(cur.symbol)) {
      fail(`currencies[${i}].symbol must be 1..16 printable ASCII characters`);
    }
    if (typeof cur.decimals !== "number" || !Number.isInteger(cur.decimals) || cur.decimals < 0 || cur.decimals > 36) {
      fail(`currencies[${i}].decimals must be an integer in 0..36`);
    }
    if (cur.permit !== undefined && typeof cur.permit !== "boolean") fail(`currencies[${i}].permit must be a boolean`);
    return {
      address: cur.address as string,
      symbol: cur.symbol as string,
      decimals: cur.decimals as number,
      ...(cur.permit === true ? { permit: true } : {}),
    };
  });
  const explorerUrl = v.explorerUrl;
  if (explorerUrl !== null && (typeof explorerUrl !== "string" || !/^https?:\/\//.test(explorerUrl))) {
    fail(`"explorerUrl" must be an http(s) URL or null`);
  }
  const deployedAt = str("deployedAt");
  if (Number.isNaN(Date.parse(deployedAt))) fail(`"deployedAt" must be an ISO 8601 date`);
  let usdFeed: UsdFeed | null = null;
  if (v.usdFeed !== undefined && v.usdFeed !== null) {
    const f = (typeof v.usdFeed === "object" ? v.usdFeed : {}) as Record<string, unknown>;
    if (typeof f.address !== "string" || !ADDRESS.test(f.address)) fail(`usdFeed.address is not an address`);
    if (typeof f.decimals !== "number" || !Number.isInteger(f.decimals) || f.decimals < 0 || f.decimals > 36) {
      fail(`usdFeed.decimals must be an integer in 0..36`);
    }
    if (typeof f.heartbeat !== "number" || !Number.isInteger(f.heartbeat) || f.heartbeat < 1) {
      fail(`usdFeed.heartbeat must be a positive integer (seconds)`);
    }
    usdFeed = { address: f.address as string, decimals: f.decimals as number, heartbeat: f.heartbeat as number };
  }
  return {
    chainId: int("chainId", 1),
    network: str("network"),
    chainName: str("chainName"),
    merchstand,
    deploymentBlock: int("deploymentBlock", 0),
    currencies,
    explorerUrl: explorerUrl as string | null,
    deployedAt,
    usdFeed,
  };
}

export async function readChainManifest(file: string): Promise<ChainManifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new Error(`No deployment manifest at ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return validateChainManifest(json, file);
}

/** All committed manifests, so a network name can be mapped to its chain without dialing an RPC. */
export async function listChainManifests(dir = DEFAULT_MANIFESTS_DIR): Promise<ChainManifest[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const manifests: ChainManifest[] = [];
  for (const name of names.filter((n) => /^chain-\d+\.json$/.test(n)).sort()) {
    manifests.push(await readChainManifest(join(dir, name)));
  }
  return manifests;
}

/** Finds the manifest of `network` (a Hardhat network name, or a chain id). */
export async function findChainManifest(network: string, dir = DEFAULT_MANIFESTS_DIR): Promise<ChainManifest> {
  const all = await listChainManifests(dir);
  const found = all.find((m) => m.network === network || String(m.chainId) === network);
  if (found !== undefined) return found;
  const known = all.map((m) => `${m.network} (chain ${m.chainId})`).join(", ");
  throw new Error(
    `No deployment manifest for network "${network}" in ${dir}. ` +
      (known ? `Deployed networks: ${known}. ` : "No network has been deployed yet. ") +
      `Deploy first: npm run deploy -- --network ${network}`,
  );
}
