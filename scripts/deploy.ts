// npm run deploy -- --network <name> [--dry-run]
//
// Deploys Merchstand with its Ignition module (ignition/modules/Merchstand.ts), verifies it on the block explorer
// when ETHERSCAN_API_KEY is set, and writes ignition/manifests/chain-<id>.json for `npm run publish` and for git.
// Secrets (RPC URL, deployer key, explorer key) come from the environment or hardhat-keystore, never from files in
// the repo. Run with --help for the options.
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { createInterface } from "node:readline/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readDeploymentParameters } from "@nomicfoundation/hardhat-ignition/helpers";
import { computeAddress, getAddress, Interface, isAddress } from "ethers";
import type { NetworkConfig } from "hardhat/types/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type MerchstandModule from "../ignition/modules/Merchstand.ts";
import {
  type ChainManifest,
  type Currency,
  chainManifestPath,
  DEFAULT_MANIFESTS_DIR,
  writeChainManifest,
} from "./publish/chain-manifest.ts";
import {
  assertKnownNetwork,
  createHre,
  missingSecretMessage,
  missingSecretName,
  readSecret,
  rephraseHardhatError,
  UsageError,
} from "./publish/hardhat-env.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MODULE_PATH = join(ROOT, "ignition", "modules", "Merchstand.ts");
const MODULE_ID = "Merchstand";
const ZERO = "0x0000000000000000000000000000000000000000";

/** The chain a network name must reach, so a mistyped RPC URL cannot send a "Sepolia" deploy to mainnet. */
const EXPECTED_CHAIN_IDS: Record<string, number> = { mainnet: 1, sepolia: 11155111, hoodi: 560048, localhost: 31337 };

/** ERC-20s stores may sell in from day one, per chain. Sepolia: Circle's official test USDC (faucet.circle.com). */
const DEFAULT_CURRENCIES: Record<number, string[]> = {
  11155111: ["0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238"],
};

const CHAIN_NAMES: Record<number, string> = { 31337: "Hardhat local" };

const HELP = `Usage: npm run deploy -- --network <name> [options]

Deploys Merchstand with Ignition (module ${relative(ROOT, MODULE_PATH)}, id "${MODULE_ID}"), verifies it when
ETHERSCAN_API_KEY is set, and writes ignition/manifests/chain-<id>.json (commit it).

Options:
  --network <name>        a network from hardhat.config.ts (required)
  --dry-run               print what would be deployed, with what, by whom; send nothing
  --yes                   do not ask for confirmation (needed when stdin is not a terminal)
  --parameters <file>     Ignition parameters file (JSON/JSON5, {"${MODULE_ID}": {...}}); flags below win over it
  --admin <address>       gets every role (default: the deployer; use a multisig on a public chain)
  --fee-bps <n>           platform fee in basis points (module default 250)
  --fee-recipient <addr>  who is credited fees (default: the deployer)
  --currency <address>    an ERC-20 to allow from the start, repeatable (default per chain; Sepolia: Circle USDC)
  --eth-only              allow no ERC-20 at deployment
  --no-verify             skip block explorer verification even if ETHERSCAN_API_KEY is set
  --deployment-id <id>    Ignition deployment id (default chain-<id>); a second id deploys a second instance
  --manifests-dir <dir>   where to write the manifest (default ignition/manifests)
  --build-profile <name>  Hardhat build profile to compile with (default production, as ignition deploy does)

Secrets (environment variable, or: npx hardhat keystore set <NAME>):
  SEPOLIA_RPC_URL, SEPOLIA_PRIVATE_KEY   for --network sepolia
  ETHERSCAN_API_KEY                      optional: enables verification
`;

type Args = {
  network: string;
  dryRun: boolean;
  yes: boolean;
  parametersFile?: string;
  admin?: string;
  feeBps?: number;
  feeRecipient?: string;
  currencies?: string[];
  verify: boolean;
  deploymentId?: string;
  manifestsDir?: string;
  buildProfile: string;
};

function parse(argv: string[]): Args | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      network: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      yes: { type: "boolean", short: "y", default: false },
      parameters: { type: "string" },
      admin: { type: "string" },
      "fee-bps": { type: "string" },
      "fee-recipient": { type: "string" },
      currency: { type: "string", multiple: true },
      "eth-only": { type: "boolean", default: false },
      "no-verify": { type: "boolean", default: false },
      "deployment-id": { type: "string" },
      "manifests-dir": { type: "string" },
      "build-profile": { type: "string", default: "production" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return undefined;
  }
  if (values.network === undefined) throw new UsageError(`--network is required.\n\n${HELP}`);
  const address = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!isAddress(v)) throw new UsageError(`${flag} must be an address, got "${v}"`);
    return getAddress(v);
  };
  let feeBps: number | undefined;
  if (values["fee-bps"] !== undefined) {
    feeBps = Number(values["fee-bps"]);
    if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) {
      throw new UsageError(`--fee-bps must be an integer in 0..10000, got "${values["fee-bps"]}"`);
    }
  }
  if (values["eth-only"] && values.currency !== undefined) throw new UsageError("--eth-only and --currency conflict");
  return {
    network: values.network,
    dryRun: values["dry-run"],
    yes: values.yes,
    parametersFile: values.parameters,
    admin: address("--admin", values.admin),
    feeBps,
    feeRecipient: address("--fee-recipient", values["fee-recipient"]),
    currencies: values["eth-only"] ? [] : values.currency?.map((c) => address("--currency", c) as string),
    verify: !values["no-verify"],
    deploymentId: values["deployment-id"],
    manifestsDir: values["manifests-dir"],
    buildProfile: values["build-profile"],
  };
}

type ModuleParameters = {
  admin?: string;
  feeBps?: number;
  feeRecipient?: string;
  allowedCurrencies?: string[];
};

/** Flags over the parameters file over per-chain defaults; unset values fall back to the module's own defaults. */
async function resolveParameters(args: Args, chainId: number | undefined): Promise<ModuleParameters> {
  let fromFile: ModuleParameters = {};
  if (args.parametersFile !== undefined) {
    const all = (await readDeploymentParameters(args.parametersFile)) as Record<string, ModuleParameters>;
    fromFile = all[MODULE_ID] ?? {};
  }
  const params: ModuleParameters = { ...fromFile };
  if (args.admin !== undefined) params.admin = args.admin;
  if (args.feeBps !== undefined) params.feeBps = args.feeBps;
  if (args.feeRecipient !== undefined) params.feeRecipient = args.feeRecipient;
  if (args.currencies !== undefined) params.allowedCurrencies = args.currencies;
  else if (params.allowedCurrencies === undefined && chainId !== undefined && DEFAULT_CURRENCIES[chainId]) {
    params.allowedCurrencies = DEFAULT_CURRENCIES[chainId];
  }
  return params;
}

const erc20 = new Interface([
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
  "function nonces(address) view returns (uint256)",
]);

type Rpc = (method: string, params?: unknown[]) => Promise<unknown>;

/** Symbol, decimals and EIP-2612 support, read from the token itself so the manifest cannot drift from the chain. */
async function readCurrency(rpc: Rpc, address: string): Promise<Currency> {
  const call = async (fn: string, args: unknown[] = []) => {
    const data = erc20.encodeFunctionData(fn, args);
    const out = (await rpc("eth_call", [{ to: address, data }, "latest"])) as string;
    return erc20.decodeFunctionResult(fn, out);
  };
  let symbol: string;
  let decimals: number;
  try {
    symbol = String((await call("symbol"))[0]);
    decimals = Number((await call("decimals"))[0]);
  } catch (e) {
    throw new Error(
      `${address} does not answer symbol()/decimals() like an ERC-20 on this chain: ${(e as Error).message}`,
    );
  }
  if (!/^[\x20-\x7e]{1,16}$/.test(symbol))
    throw new Error(`${address} has an unusable symbol ${JSON.stringify(symbol)}`);
  let permit = false;
  try {
    await call("DOMAIN_SEPARATOR");
    await call("nonces", [ZERO]);
    permit = true;
  } catch {
    // no EIP-2612: buyers approve, then buy
  }
  return { address: getAddress(address), symbol, decimals, ...(permit ? { permit: true } : {}) };
}

function explorerUrl(hre: HardhatRuntimeEnvironment, chainId: number): string | null {
  const explorers = hre.config.chainDescriptors.get(BigInt(chainId))?.blockExplorers;
  return explorers?.etherscan?.url ?? explorers?.blockscout?.url ?? null;
}

function chainName(hre: HardhatRuntimeEnvironment, chainId: number, network: string): string {
  return CHAIN_NAMES[chainId] ?? hre.config.chainDescriptors.get(BigInt(chainId))?.name ?? network;
}

/** EIP-170: chains since Spurious Dragon refuse to create contracts with more runtime code than this. */
const MAX_CODE_SIZE = 24_576;

/** The compiled runtime size against EIP-170, from the artifacts (the last build; the deploy rebuilds first). */
async function codeSizeNote(hre: HardhatRuntimeEnvironment): Promise<{ text: string; oversized: boolean }> {
  if (!(await hre.artifacts.artifactExists("Merchstand"))) return { text: "not compiled yet", oversized: false };
  const artifact = await hre.artifacts.readArtifact("Merchstand");
  const size = (artifact.deployedBytecode.length - 2) / 2;
  const oversized = size > MAX_CODE_SIZE;
  return {
    text: `${size.toLocaleString("en")} bytes of runtime code${
      oversized
        ? `: OVER the ${MAX_CODE_SIZE.toLocaleString("en")}-byte EIP-170 limit, public chains will reject it`
        : ""
    }`,
    oversized,
  };
}

/** Repo-relative when inside the repo, absolute otherwise. */
function shown(path: string): string {
  const rel = relative(ROOT, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** Where the RPC lives, without the path or query (where providers put API keys). */
function rpcOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}

async function rpcOver(url: string, timeoutMs: number): Promise<Rpc> {
  let id = 0;
  return async (method, params = []) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
    if (body.error) throw new Error(body.error.message ?? "JSON-RPC error");
    return body.result;
  };
}

async function dryRun(hre: HardhatRuntimeEnvironment, args: Args): Promise<void> {
  const config = hre.config.networks[args.network] as NetworkConfig;
  const lines: string[] = [`Dry run for network "${args.network}": nothing will be sent.`];
  const row = (k: string, v: string) => lines.push(`  ${k.padEnd(15)} ${v}`);
  const expected = config.chainId ?? EXPECTED_CHAIN_IDS[args.network];
  let chainId: number | undefined;
  let deployer: string | undefined;
  let rpc: Rpc | undefined;

  if (config.type === "http") {
    let url: string | undefined;
    try {
      url = await config.url.getUrl();
    } catch (e) {
      const name = missingSecretName(e);
      if (name === undefined) throw e;
      row("rpc", `unknown: ${missingSecretMessage(name).split("\n").join("\n                  ")}`);
    }
    if (url !== undefined) {
      row("rpc", `${rpcOrigin(url)} (path hidden: it may hold an API key)`);
      rpc = await rpcOver(url, 8_000);
      try {
        chainId = Number(await rpc("eth_chainId"));
        row(
          "chain id",
          `${chainId} (from the RPC)${expected !== undefined && expected !== chainId ? `  MISMATCH: "${args.network}" is chain ${expected}` : ""}`,
        );
      } catch (e) {
        rpc = undefined;
        row(
          "chain id",
          `${expected === undefined ? "unknown" : `${expected} (expected)`}; RPC unreachable: ${(e as Error).message}`,
        );
      }
    } else if (expected !== undefined) {
      row("chain id", `${expected} (expected for "${args.network}")`);
    }
    if (Array.isArray(config.accounts)) {
      const key = config.accounts[0];
      if (key === undefined) row("deployer", "none: the network lists no accounts");
      else {
        try {
          deployer = computeAddress(await key.getHexString());
          row("deployer", deployer);
        } catch (e) {
          const name = missingSecretName(e);
          if (name === undefined) throw e;
          row("deployer", `unknown: ${missingSecretMessage(name).split("\n").join("\n                  ")}`);
        }
      }
    } else if (rpc !== undefined) {
      deployer = ((await rpc("eth_accounts")) as string[])[0];
      row(
        "deployer",
        deployer ? `${getAddress(deployer)} (the node's first account)` : "none: the node has no accounts",
      );
    }
    if (deployer !== undefined && rpc !== undefined) {
      const balance = BigInt((await rpc("eth_getBalance", [deployer, "latest"])) as string);
      row("balance", `${Number(balance / 10n ** 12n) / 1e6} ETH`);
    }
  } else {
    chainId = config.chainId;
    row("chain id", `${chainId} (in-process simulated chain: the deployment vanishes when the command exits)`);
  }

  row("module", `${relative(ROOT, MODULE_PATH)} (id "${MODULE_ID}")`);
  row("contract", (await codeSizeNote(hre)).text);
  const params = await resolveParameters(args, chainId ?? expected);
  const planned = {
    admin: params.admin ?? (deployer ? `${deployer} (deployer)` : "the deployer"),
    feeBps: params.feeBps ?? "250 (module default)",
    feeRecipient: params.feeRecipient ?? (deployer ? `${deployer} (deployer)` : "the deployer"),
    allowedCurrencies: params.allowedCurrencies ?? [],
  };
  row(
    "parameters",
    JSON.stringify({ [MODULE_ID]: planned }, null, 2)
      .split("\n")
      .join("\n                  "),
  );
  const currencies: string[] = ["ETH (native)"];
  for (const address of params.allowedCurrencies ?? []) {
    if (rpc === undefined) currencies.push(`${address} (symbol/decimals read at deploy time)`);
    else {
      try {
        const c = await readCurrency(rpc, address);
        currencies.push(`${c.symbol} ${c.address}, ${c.decimals} decimals${c.permit ? ", permit" : ""}`);
      } catch (e) {
        currencies.push(`${address}: PROBLEM: ${(e as Error).message}`);
      }
    }
  }
  row("currencies", currencies.join("\n                  "));
  const verifyKey = args.verify && config.type === "http" ? await readSecret(hre, "ETHERSCAN_API_KEY") : undefined;
  row(
    "verify",
    !args.verify
      ? "no (--no-verify)"
      : config.type !== "http"
        ? "no (simulated chain)"
        : verifyKey
          ? "yes, through hardhat-verify (ETHERSCAN_API_KEY is set)"
          : "no: ETHERSCAN_API_KEY is not set (npx hardhat keystore set ETHERSCAN_API_KEY, or export it)",
  );
  const id = chainId ?? expected;
  const dir = args.manifestsDir ?? DEFAULT_MANIFESTS_DIR;
  if (id !== undefined) {
    const deploymentId = args.deploymentId ?? `chain-${id}`;
    const journal = join(hre.config.paths.ignition, "deployments", deploymentId);
    row("ignition", `${shown(journal)}${existsSync(journal) ? " (exists: Ignition resumes it)" : " (new)"}`);
    row("manifest", shown(chainManifestPath(id, dir)));
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError("stdin is not a terminal: pass --yes to deploy without a prompt");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} (y/N) `)).trim());
  } finally {
    rl.close();
  }
}

/** The block of the Merchstand creation: from Ignition's journal, or (simulated chains keep none) from receipts. */
async function findDeploymentBlock(rpc: Rpc, journalFile: string, address: string, fromBlock: number): Promise<number> {
  if (existsSync(journalFile)) {
    for (const line of (await readFile(journalFile, "utf8")).split("\n")) {
      if (!line.includes("TRANSACTION_CONFIRM")) continue;
      const msg = JSON.parse(line) as {
        futureId?: string;
        receipt?: { contractAddress?: string; blockNumber?: number };
      };
      if (
        msg.receipt?.contractAddress?.toLowerCase() === address.toLowerCase() &&
        msg.receipt.blockNumber !== undefined
      ) {
        return msg.receipt.blockNumber;
      }
    }
  }
  const latest = Number(await rpc("eth_blockNumber"));
  for (let n = Math.max(fromBlock, 0); n <= latest; n++) {
    const block = (await rpc("eth_getBlockByNumber", [`0x${n.toString(16)}`, true])) as {
      transactions: { hash: string; to: string | null }[];
    };
    for (const tx of block.transactions.filter((t) => t.to === null)) {
      const receipt = (await rpc("eth_getTransactionReceipt", [tx.hash])) as { contractAddress?: string };
      if (receipt.contractAddress?.toLowerCase() === address.toLowerCase()) return n;
    }
  }
  throw new Error(`could not find the block that created ${address}; check ${journalFile}`);
}

async function deploy(hre: HardhatRuntimeEnvironment, args: Args): Promise<void> {
  const config = hre.config.networks[args.network] as NetworkConfig;
  const connection = await hre.network.create(args.network);
  const rpc: Rpc = async (method, params = []) => await connection.provider.request({ method, params });
  const chainId = Number(await rpc("eth_chainId"));
  const expected = config.chainId ?? EXPECTED_CHAIN_IDS[args.network];
  if (expected !== undefined && expected !== chainId) {
    throw new UsageError(
      `The RPC of network "${args.network}" is on chain ${chainId}, but "${args.network}" is chain ${expected}. ` +
        "Check its RPC URL (for sepolia: SEPOLIA_RPC_URL).",
    );
  }
  const accounts = (await rpc("eth_accounts")) as string[];
  const deployer = accounts[0];
  if (deployer === undefined) throw new UsageError(`Network "${args.network}" has no account to deploy from`);
  const simulated = config.type === "edr-simulated";
  const deploymentId = args.deploymentId ?? `chain-${chainId}`;
  const deploymentDir = join(hre.config.paths.ignition, "deployments", deploymentId);
  const params = await resolveParameters(args, chainId);

  const currencies: Currency[] = [{ address: ZERO, symbol: "ETH", decimals: 18 }];
  for (const address of params.allowedCurrencies ?? []) currencies.push(await readCurrency(rpc, address));

  // Asked now, not after the deploy: a keystore password prompt belongs before the wait, not after it.
  const verify = args.verify && !simulated && (await readSecret(hre, "ETHERSCAN_API_KEY")) !== undefined;
  process.stdout.write(
    `Deploying Merchstand to ${args.network} (chain ${chainId}) from ${getAddress(deployer)}\n` +
      `  parameters: ${JSON.stringify({ [MODULE_ID]: params })}\n` +
      `  currencies: ${currencies.map((c) => c.symbol).join(", ")}\n` +
      `  verify:     ${verify ? "yes (hardhat-verify)" : "no"}\n`,
  );
  if (chainId !== 31337 && !args.yes && !(await confirm(`Deploy to ${args.network} (chain ${chainId})?`))) {
    throw new UsageError("Deploy cancelled");
  }

  // Ignition keeps a journal per deployment id and resumes it; a restarted local node has forgotten everything in
  // it, so a local journal from another node instance is discarded. Same bookkeeping file as `hardhat ignition
  // deploy`, so the two agree about which journal belongs to which node.
  if (chainId === 31337 && !simulated && existsSync(deploymentDir)) {
    const instancesFile = join(hre.config.paths.cache, ".hardhat-network-instances.json");
    const meta = (await rpc("hardhat_metadata").catch(() => undefined)) as { instanceId?: string } | undefined;
    const known = existsSync(instancesFile)
      ? (JSON.parse(await readFile(instancesFile, "utf8")) as Record<string, string>)
      : {};
    if (meta?.instanceId !== undefined && known[deploymentId] !== meta.instanceId) {
      await rm(deploymentDir, { recursive: true, force: true });
    }
    if (meta?.instanceId !== undefined) {
      await writeFile(instancesFile, JSON.stringify({ ...known, [deploymentId]: meta.instanceId }, null, 2));
    }
  }

  await hre.tasks.getTask("build").run({ quiet: true, noTests: true, defaultBuildProfile: args.buildProfile });
  const size = await codeSizeNote(hre);
  if (size.oversized) process.stdout.write(`  warning: Merchstand has ${size.text}\n`);
  const module = ((await import(pathToFileURL(MODULE_PATH).href)) as { default: typeof MerchstandModule }).default;
  const startBlock = Number(await rpc("eth_blockNumber"));
  const result = await connection.ignition.deploy(module, {
    parameters: { [MODULE_ID]: params },
    deploymentId,
    displayUi: true,
  });
  const merchstand = getAddress(await result.merchstand.getAddress());
  const deploymentBlock = await findDeploymentBlock(rpc, join(deploymentDir, "journal.jsonl"), merchstand, startBlock);
  const block = (await rpc("eth_getBlockByNumber", [`0x${deploymentBlock.toString(16)}`, false])) as {
    timestamp: string;
  };

  const manifest: ChainManifest = {
    chainId,
    network: args.network,
    chainName: chainName(hre, chainId, args.network),
    merchstand,
    deploymentBlock,
    currencies,
    explorerUrl: explorerUrl(hre, chainId),
    deployedAt: new Date(Number(block.timestamp) * 1000).toISOString(),
  };
  if (simulated && args.manifestsDir === undefined) {
    process.stdout.write(
      `\nThe "${args.network}" network is simulated in this process, so nothing was kept. The manifest would be:\n` +
        `${JSON.stringify(manifest, null, 2)}\n`,
    );
    return;
  }
  const file = await writeChainManifest(manifest, args.manifestsDir ?? DEFAULT_MANIFESTS_DIR);
  process.stdout.write(
    `\nMerchstand ${merchstand} at block ${deploymentBlock} on ${manifest.chainName} (chain ${chainId})\n` +
      `  manifest: ${shown(file)}  (commit it; npm run publish -- --network ${args.network} reads it)\n` +
      (manifest.explorerUrl ? `  explorer: ${manifest.explorerUrl}/address/${merchstand}\n` : ""),
  );

  if (!args.verify || simulated) return;
  if (!verify) {
    process.stdout.write(
      "  not verified: ETHERSCAN_API_KEY is not set (npx hardhat keystore set ETHERSCAN_API_KEY, then run the deploy again)\n",
    );
    return;
  }
  process.stdout.write("\nVerifying on the block explorer (hardhat-verify)…\n");
  await hre.tasks.getTask(["ignition", "verify"]).run({ deploymentId });
}

async function main(argv: string[]): Promise<void> {
  const args = parse(argv);
  if (args === undefined) return;
  const hre = await createHre(args.network);
  try {
    assertKnownNetwork(hre, args.network);
    if (!existsSync(MODULE_PATH)) throw new UsageError(`The Ignition module ${relative(ROOT, MODULE_PATH)} is missing`);
    if (args.dryRun) await dryRun(hre, args);
    else await deploy(hre, args);
  } catch (e) {
    throw rephraseHardhatError(e, hre);
  }
}

main(process.argv.slice(2)).then(
  () => {
    // Hardhat's HTTP agents and the simulated chain keep handles open; the work is done.
    process.exit(process.exitCode ?? 0);
  },
  (error: unknown) => {
    const e = error as Error;
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
    } else if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`${e.message} (see --help)\n`);
    } else {
      process.stderr.write(`deploy failed: ${e.message}\n`);
      if (process.env.MERCHSTAND_DEBUG) process.stderr.write(`${e.stack}\n`);
    }
    process.exit(1);
  },
);
