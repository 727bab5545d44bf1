// The dapp build the stack serves, and the manifest.json it carries (docs/FORMATS.md, "Build manifest").
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../cli/root.ts";
import type { Currency } from "../publish/chain-manifest.ts";
import { type DappManifest, serializeDappManifest } from "../publish/dapp-manifest.ts";
import { run } from "./processes.ts";

export const FRONTEND_DIR = join(ROOT, "frontend");
export const DAPP_DIST = join(FRONTEND_DIR, "dist");

/** Newest and oldest modification times of the files under `dir`, skipping names in `skip`. */
async function mtimes(dir: string, skip: Set<string>): Promise<{ newest: number; oldest: number; files: number }> {
  let newest = 0;
  let oldest = Number.POSITIVE_INFINITY;
  let files = 0;
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const { mtimeMs } = await stat(path);
        newest = Math.max(newest, mtimeMs);
        oldest = Math.min(oldest, mtimeMs);
        files++;
      }
    }
  }
  await walk(dir);
  return { newest, oldest, files };
}

/**
 * Whether frontend/dist is newer than every source file of the dapp. manifest.json is skipped: the stack rewrites
 * it on every run without the build being stale.
 */
export async function dappBuildIsCurrent(): Promise<boolean> {
  if (!existsSync(join(DAPP_DIST, "index.html"))) return false;
  const sources = await mtimes(FRONTEND_DIR, new Set(["dist", "node_modules", ".vite"]));
  const build = await mtimes(DAPP_DIST, new Set(["manifest.json"]));
  return build.files > 0 && sources.newest < build.oldest;
}

/** Builds the dapp into frontend/dist (`npm run build -w frontend`) unless it is current and `force` is off. */
export async function buildDapp(options: { force?: boolean; signal?: AbortSignal } = {}): Promise<"built" | "current"> {
  if (!existsSync(join(FRONTEND_DIR, "index.html")) || !existsSync(join(FRONTEND_DIR, "package.json"))) {
    throw new Error(
      "frontend/index.html does not exist yet, so there is no dapp to build (frontend/ is the dapp's workspace)",
    );
  }
  if (!options.force && (await dappBuildIsCurrent())) return "current";
  await run("npm", ["run", "build", "-w", "frontend"], { signal: options.signal, keepLines: 60 });
  if (!existsSync(join(DAPP_DIST, "index.html"))) {
    throw new Error("`npm run build -w frontend` succeeded but wrote no frontend/dist/index.html");
  }
  return "built";
}

export type StackManifestInput = {
  chainId: number;
  rpcUrl: string;
  merchstand: string;
  mockUsd: string;
  /** The local ETH / USD feed, or null for none. */
  usdFeed: string | null;
  deploymentBlock: number;
  gatewayUrl: string;
  uploadUrl: string | null;
};

/** The name the dapp and the ready banner give a local chain (what a fan types as the wallet's network name). */
export function localChainName(chainId: number): string {
  return chainId === 31337 ? "Hardhat local" : `Local chain ${chainId}`;
}

/** The manifest of a local stack: the local chain, ETH and mUSD, the mock ETH / USD feed, the stack's own gateway. */
export function stackManifest(input: StackManifestInput): DappManifest {
  const currencies: Currency[] = [
    { address: "0x0000000000000000000000000000000000000000", symbol: "ETH", decimals: 18 },
    { address: input.mockUsd, symbol: "mUSD", decimals: 6, permit: true },
  ];
  return {
    version: 1,
    chainId: input.chainId,
    chainName: localChainName(input.chainId),
    rpcUrl: input.rpcUrl,
    explorerUrl: null,
    merchstand: input.merchstand,
    deploymentBlock: input.deploymentBlock,
    currencies,
    ipfsGateways: [input.gatewayUrl],
    ipfsUpload: input.uploadUrl === null ? null : { kind: "kubo", url: input.uploadUrl },
    // The mock feed is updated by whoever wants (contracts/mocks/MockPriceFeed.sol); an hour's heartbeat like
    // Ethereum's, so a local chain left idle (or moved forward in time by a test) shows no dollar figure.
    usdFeed: input.usdFeed === null ? null : { address: input.usdFeed, decimals: 8, heartbeat: 3_600 },
  };
}

/** Copies the build to a fresh temporary folder (the caller removes it). */
export async function stageBuild(dist: string): Promise<string> {
  const staged = await mkdtemp(join(tmpdir(), "merchstand-dapp-"));
  await cp(dist, staged, { recursive: true });
  // A manifest left by an older version of the stack would otherwise ride along until overwritten.
  await rm(join(staged, "manifest.json"), { force: true });
  return staged;
}

/** Writes `manifest.json` into `dir` (the build folder); returns its path. */
export async function writeManifest(dir: string, manifest: DappManifest): Promise<string> {
  const path = join(dir, "manifest.json");
  await writeFile(path, serializeDappManifest(manifest));
  return path;
}
