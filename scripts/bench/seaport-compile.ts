// Seaport 1.6 compiled the way OpenSea deploys it, for the benchmark's side-by-side gas (scripts/bench/seaport.ts):
// the sources of the npm packages seaport-core 1.6.6 and seaport-types 1.6.3, solc 0.8.24 (the official WASM build
// from the npm alias `solc-0.8.24`), standard JSON with Seaport's own settings (via-IR, cancun, optimizer runs
// 2^32 - 1, no metadata hash). The output is cached in cache/seaport/, keyed by a hash of the compiler version and
// the whole standard-JSON input (every source's text and the settings), so only the first run pays the ~35 s compile.
// The compile runs in a worker thread: the compiler's WASM heap (~1 GB) is freed when it ends.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, threadId, Worker, workerData } from "node:worker_threads";

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where compiled Seaport lives between runs (gitignored through `cache/`). */
export const SEAPORT_CACHE_DIR = join(ROOT, "cache", "seaport");

/** The shape of a cache entry (SeaportBuild); part of the cache key, so a new shape is a cache miss. */
const CACHE_FORMAT = "merchstand/seaport-build@2";

/** Seaport's own compiler settings (its foundry.toml / hardhat.config.ts for 1.6). */
export const SEAPORT_SETTINGS = {
  viaIR: true,
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 4_294_967_295 },
  metadata: { bytecodeHash: "none" },
} as const;

/** The contracts the benchmark deploys, by source unit: Seaport, the conduit controller it needs, the item sold. */
const ENTRIES = {
  Seaport: "seaport-core/src/Seaport.sol",
  ConduitController: "seaport-core/src/conduit/ConduitController.sol",
  MinimalERC1155: "merchstand-bench/MinimalERC1155.sol",
} as const;

export type SeaportContractName = keyof typeof ENTRIES;

export type CompiledContract = { abi: unknown[]; bytecode: string; runtimeBytes: number };

export type SeaportBuild = {
  /** sha256 of CACHE_FORMAT, the compiler version and the standard-JSON input. */
  key: string;
  solcVersion: string;
  /** The npm packages the sources came from, with their installed versions. */
  packages: Record<string, string>;
  contracts: Record<SeaportContractName, CompiledContract>;
};

export type SeaportCompile = {
  build: SeaportBuild;
  /** true when the build came from cache/seaport/. */
  cached: boolean;
  /** Time to hash the sources plus load the cache or compile. */
  seconds: number;
};

/** Folder of a source unit's package: seaport-core and seaport-types from node_modules, ours from scripts/bench. */
function packageDir(pkg: string): string {
  if (pkg === "merchstand-bench") return join(ROOT, "scripts", "bench", "seaport");
  return dirname(require.resolve(`${pkg}/package.json`));
}

function fileOf(unit: string): string {
  const [pkg, ...rest] = unit.split("/");
  if (pkg === undefined || rest.length === 0) throw new Error(`source unit "${unit}" names no package`);
  return join(packageDir(pkg), ...rest);
}

const IMPORT = /^\s*import\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["']\s*;/gm;

/** Every source the entries import, transitively, as standard-JSON `sources`, sorted by unit name. */
export async function seaportSources(): Promise<Record<string, { content: string }>> {
  const sources = new Map<string, string>();
  const pending: string[] = Object.values(ENTRIES);
  while (pending.length > 0) {
    const unit = pending.pop()!;
    if (sources.has(unit)) continue;
    const content = await readFile(fileOf(unit), "utf8");
    sources.set(unit, content);
    for (const match of content.matchAll(IMPORT)) {
      const path = match[1]!;
      pending.push(path.startsWith(".") ? posix.normalize(posix.join(posix.dirname(unit), path)) : path);
    }
  }
  return Object.fromEntries([...sources.keys()].sort().map((unit) => [unit, { content: sources.get(unit)! }]));
}

const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

function solcVersion(): string {
  return versionOf("solc-0.8.24");
}

async function standardInput(): Promise<string> {
  const outputSelection: Record<string, Record<string, string[]>> = {};
  // Only the three contracts deployed: asking for nothing else keeps the via-IR compile to what is needed.
  for (const [name, unit] of Object.entries(ENTRIES)) {
    outputSelection[unit] = { [name]: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] };
  }
  return JSON.stringify({
    language: "Solidity",
    sources: await seaportSources(),
    settings: { ...SEAPORT_SETTINGS, outputSelection },
  });
}

type SolcOutput = {
  errors?: Array<{ severity: string; formattedMessage: string }>;
  contracts?: Record<
    string,
    Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>
  >;
};

function buildFrom(output: SolcOutput, key: string): SeaportBuild {
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0)
    throw new Error(`Seaport failed to compile:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const contracts = {} as Record<SeaportContractName, CompiledContract>;
  for (const [name, unit] of Object.entries(ENTRIES) as Array<[SeaportContractName, string]>) {
    const compiled = output.contracts?.[unit]?.[name];
    if (compiled === undefined || compiled.evm.bytecode.object === "") throw new Error(`solc gave no ${name}`);
    contracts[name] = {
      abi: compiled.abi,
      bytecode: `0x${compiled.evm.bytecode.object}`,
      runtimeBytes: compiled.evm.deployedBytecode.object.length / 2,
    };
  }
  const packages = Object.fromEntries(["seaport-core", "seaport-types"].map((pkg) => [pkg, versionOf(pkg)]));
  return { key, solcVersion: solcVersion(), packages, contracts };
}

/** Runs solc in a worker thread (this same file, see the bottom) and returns its standard-JSON output. */
function compileInWorker(input: string): Promise<SolcOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { seaportSolcInput: input } });
    let answered = false;
    worker.once("message", (output: string) => {
      answered = true;
      resolve(JSON.parse(output) as SolcOutput);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the solc worker exited with code ${code} and no output`));
    });
  });
}

/** Seaport's build: from cache/seaport/ when the sources and settings are unchanged, else compiled and cached. */
export async function compileSeaport(log: (line: string) => void = () => {}): Promise<SeaportCompile> {
  const started = performance.now();
  const input = await standardInput();
  const version = solcVersion();
  const key = createHash("sha256").update(`${CACHE_FORMAT}\nsolc ${version}\n`).update(input).digest("hex");
  const file = join(SEAPORT_CACHE_DIR, `${key.slice(0, 16)}.json`);
  const seconds = () => (performance.now() - started) / 1000;
  if (existsSync(file)) {
    try {
      const build = JSON.parse(await readFile(file, "utf8")) as SeaportBuild;
      if (build.key === key) return { build, cached: true, seconds: seconds() };
    } catch {
      // An unreadable cache entry is a cache miss: compile again and replace it.
    }
  }
  log(`compiling Seaport 1.6 with solc ${version} (via-IR, runs 4294967295; ~35 s on one core, then cached)`);
  const build = buildFrom(await compileInWorker(input), key);
  await mkdir(SEAPORT_CACHE_DIR, { recursive: true });
  // Written whole under a name of this process's own, then renamed: a run stopped mid-write never leaves a truncated
  // entry, and two runs compiling at once (a test and the bench) never write the same file.
  const partial = `${file}.${process.pid}.${threadId}.tmp`;
  await writeFile(partial, JSON.stringify(build));
  await rename(partial, file);
  // Entries for other sources or settings are never read again.
  for (const name of await readdir(SEAPORT_CACHE_DIR)) {
    if (name.endsWith(".json") && join(SEAPORT_CACHE_DIR, name) !== file) await rm(join(SEAPORT_CACHE_DIR, name));
  }
  return { build, cached: false, seconds: seconds() };
}

if (!isMainThread && typeof workerData?.seaportSolcInput === "string") {
  const solc = require("solc-0.8.24/wrapper.js")(require("solc-0.8.24/soljson.js")) as {
    compile: (input: string) => string;
  };
  parentPort?.postMessage(solc.compile(workerData.seaportSolcInput));
}
