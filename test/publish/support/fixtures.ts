import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../../scripts/cli/root.ts";
import { type ChainManifest, writeChainManifest } from "../../../scripts/publish/chain-manifest.ts";

export { ROOT };

const created: string[] = [];
// Fixture folders hold a few MB each; remove them when the test process ends, whatever the outcome.
process.once("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `merchstand-publishtest-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Deterministic pseudo-random bytes (xorshift32), so big fixture files have stable CIDs without committing them. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A stand-in for a dapp build: an index.html, nested assets, a file over two 1 MiB chunks (so the balanced file
 * layout matters), two files with identical bytes (shared leaves) and a dotfile that publishing leaves out.
 */
export async function makeFixtureDist(dir: string): Promise<string> {
  await mkdir(join(dir, "assets", "fonts"), { recursive: true });
  await writeFile(
    join(dir, "index.html"),
    '<!doctype html><title>Merchstand</title><script src="./assets/app.js"></script>\n',
  );
  await writeFile(join(dir, "assets", "app.js"), "console.log('merch');\n".repeat(2000));
  await writeFile(join(dir, "assets", "big.bin"), pseudoRandomBytes(2.5 * 1024 * 1024, 7));
  await writeFile(join(dir, "assets", "fonts", "a.woff2"), pseudoRandomBytes(40_000, 11));
  await writeFile(join(dir, "assets", "fonts", "copy-of-a.woff2"), pseudoRandomBytes(40_000, 11));
  await writeFile(join(dir, ".DS_Store"), "editor junk\n");
  return dir;
}

export const SEPOLIA_MANIFEST: ChainManifest = {
  chainId: 11155111,
  network: "sepolia",
  chainName: "Sepolia",
  merchstand: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  deploymentBlock: 7_000_123,
  currencies: [
    { address: "0x0000000000000000000000000000000000000000", symbol: "ETH", decimals: 18 },
    { address: "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238", symbol: "USDC", decimals: 6, permit: true },
  ],
  explorerUrl: "https://sepolia.etherscan.io",
  deployedAt: "2026-11-20T12:00:00.000Z",
};

export async function makeManifestsDir(): Promise<string> {
  const dir = await tempDir("manifests");
  await writeChainManifest(SEPOLIA_MANIFEST, dir);
  return dir;
}

export type RunResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs one of the repo's scripts the way `npm run` would, with an environment scrubbed of the maintainer's real
 * secrets and of the test runner's HH_TEST flag, and an empty config home so no real keystore is consulted.
 */
export async function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 120_000,
): Promise<RunResult> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(base)) {
    if (/^(SEPOLIA_|ETHERSCAN_|MERCHSTAND_|HH_TEST$|CI$)/.test(name)) delete base[name];
  }
  const child = spawn(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...base, XDG_CONFIG_HOME: await tempDir("xdg"), ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a failure");
}
