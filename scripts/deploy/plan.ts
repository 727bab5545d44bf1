// The deploy plan: chain, deployer, parameters, currencies, verification and files, worked out once. The dry run
// prints it; the real deploy prints the same plan, stops on its first problem, and executes it (./execute.ts).
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { readDeploymentParameters } from "@nomicfoundation/hardhat-ignition/helpers";
import { computeAddress, getAddress, type Provider } from "ethers";
import type { NetworkConfig } from "hardhat/types/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import { UsageError } from "../cli/options.ts";
import { ROOT, shown } from "../cli/root.ts";
import { rpcOnce, rpcProvider } from "../cli/rpc.ts";
import { type Currency, chainManifestPath, DEFAULT_MANIFESTS_DIR } from "../publish/chain-manifest.ts";
import { missingSecretMessage, missingSecretName, readSecret } from "../publish/hardhat-env.ts";
import type { DeployArgs } from "./args.ts";
import { DEFAULT_CURRENCIES, readCurrency } from "./currency.ts";
import { type CodeSize, codeSize, journalDir, MODULE_ID, MODULE_PATH } from "./ignition.ts";

/** The chain a network name must reach, so a mistyped RPC URL cannot send a "Sepolia" deploy to mainnet. */
const EXPECTED_CHAIN_IDS: Record<string, number> = { mainnet: 1, sepolia: 11155111, hoodi: 560048, localhost: 31337 };

/** How long one read of the plan may take before the RPC counts as unreachable. */
const RPC_TIMEOUT_MS = 8_000;

export type ModuleParameters = {
  admin?: string;
  feeBps?: number;
  feeRecipient?: string;
  allowedCurrencies?: string[];
};

/** An ethers provider on the chain, with raw `send` for what ethers has no method for. */
export type ChainProvider = Provider & { send(method: string, params: unknown[]): Promise<unknown> };

export type Plan = {
  network: string;
  /** The in-process simulated chain (`hardhat`): nothing outlives the command. */
  simulated: boolean;
  chainId: number | undefined;
  deployer: string | undefined;
  /** What goes to Ignition: flags over the parameters file over per-chain defaults. */
  parameters: ModuleParameters;
  /** The allowed ERC-20s, read from the chain. */
  currencies: Currency[];
  verify: boolean;
  deploymentId: string | undefined;
  manifestsDir: string;
  codeSize: CodeSize;
  /** On the chain, when it answered: the plan's reads, and the deploy's. */
  provider: ChainProvider | undefined;
  /** The simulated chain's connection (the chain exists only inside it); http networks connect at execution. */
  connection: NetworkConnection | undefined;
  /** Label and value of each line of the printed plan. */
  rows: Array<[string, string]>;
  /** What stops a real deploy, in the order found. */
  problems: Error[];
};

/** Flags over the parameters file over per-chain defaults; unset values fall back to the module's own defaults. */
async function resolveParameters(args: DeployArgs, chainId: number | undefined): Promise<ModuleParameters> {
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

/** Where the RPC lives, without the path or query (where providers put API keys). */
function rpcOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}

/** A value read from a secret; a missing secret becomes the sentence that says how to set it. */
async function fromSecret<T>(read: () => Promise<T>): Promise<T | UsageError> {
  try {
    return await read();
  } catch (e) {
    const name = missingSecretName(e);
    if (name === undefined) throw e;
    return new UsageError(missingSecretMessage(name));
  }
}

const INDENT = "\n                  ";

export async function plan(hre: HardhatRuntimeEnvironment, args: DeployArgs): Promise<Plan> {
  const config = hre.config.networks[args.network] as NetworkConfig;
  const rows: Array<[string, string]> = [];
  const row = (label: string, value: string) => rows.push([label, value]);
  const problems: Error[] = [];
  const expected = config.chainId ?? EXPECTED_CHAIN_IDS[args.network];
  const simulated = config.type === "edr-simulated";
  let chainId: number | undefined;
  let provider: ChainProvider | undefined;
  let connection: NetworkConnection | undefined;

  if (config.type === "http") {
    const url = await fromSecret(() => config.url.getUrl());
    if (url instanceof Error) {
      problems.push(url);
      row("rpc", `unknown: ${url.message.split("\n").join(INDENT)}`);
      if (expected !== undefined) row("chain id", `${expected} (expected for "${args.network}")`);
    } else {
      row("rpc", `${rpcOrigin(url)} (path hidden: it may hold an API key)`);
      try {
        chainId = Number(await rpcOnce<string>(url, "eth_chainId", [], RPC_TIMEOUT_MS));
        provider = rpcProvider(url, { chainId, timeoutMs: RPC_TIMEOUT_MS, batchMaxCount: 1 });
        const mismatch = expected !== undefined && expected !== chainId;
        row(
          "chain id",
          `${chainId} (from the RPC)${mismatch ? `  MISMATCH: "${args.network}" is chain ${expected}` : ""}`,
        );
        if (mismatch) {
          problems.push(
            new UsageError(
              `The RPC of network "${args.network}" is on chain ${chainId}, but "${args.network}" is chain ${expected}. ` +
                "Check its RPC URL (for sepolia: SEPOLIA_RPC_URL).",
            ),
          );
        }
      } catch (e) {
        problems.push(new Error(`the RPC of network "${args.network}" is unreachable: ${(e as Error).message}`));
        row(
          "chain id",
          `${expected === undefined ? "unknown" : `${expected} (expected)`}; RPC unreachable: ${(e as Error).message}`,
        );
      }
    }
  } else {
    connection = await hre.network.create(args.network);
    provider = connection.ethers.provider;
    chainId = Number(await provider.send("eth_chainId", []));
    row("chain id", `${chainId} (in-process simulated chain: the deployment vanishes when the command exits)`);
  }

  let deployer: string | undefined;
  const accounts = config.accounts;
  if (Array.isArray(accounts)) {
    const key = accounts[0] as { getHexString(): Promise<string> } | undefined;
    const address =
      key === undefined ? undefined : await fromSecret(async () => computeAddress(await key.getHexString()));
    if (address instanceof Error) {
      problems.push(address);
      row("deployer", `unknown: ${address.message.split("\n").join(INDENT)}`);
    } else if (address === undefined) row("deployer", "none: the network lists no accounts");
    else {
      deployer = address;
      row("deployer", deployer);
    }
  } else if (provider !== undefined) {
    const first = ((await provider.send("eth_accounts", [])) as string[])[0];
    deployer = first === undefined ? undefined : getAddress(first);
    row("deployer", deployer ? `${deployer} (the node's first account)` : "none: the node has no accounts");
  }
  if (deployer === undefined && problems.length === 0) {
    problems.push(new UsageError(`Network "${args.network}" has no account to deploy from`));
  }
  if (deployer !== undefined && provider !== undefined) {
    const balance = await provider.getBalance(deployer);
    row("balance", `${Number(balance / 10n ** 12n) / 1e6} ETH`);
  }

  row("module", `${relative(ROOT, MODULE_PATH)} (id "${MODULE_ID}")`);
  const size = await codeSize(hre);
  row("contract", size.text);
  const parameters = await resolveParameters(args, chainId ?? expected);
  const shownParameters = {
    admin: parameters.admin ?? (deployer ? `${deployer} (deployer)` : "the deployer"),
    feeBps: parameters.feeBps ?? "250 (module default)",
    feeRecipient: parameters.feeRecipient ?? (deployer ? `${deployer} (deployer)` : "the deployer"),
    allowedCurrencies: parameters.allowedCurrencies ?? [],
  };
  row(
    "parameters",
    JSON.stringify({ [MODULE_ID]: shownParameters }, null, 2)
      .split("\n")
      .join(INDENT),
  );

  const currencies: Currency[] = [];
  const currencyLines = ["ETH (native)"];
  for (const address of parameters.allowedCurrencies ?? []) {
    if (provider === undefined) {
      currencyLines.push(`${address} (symbol/decimals read at deploy time)`);
      continue;
    }
    try {
      const c = await readCurrency(provider, address);
      currencies.push(c);
      currencyLines.push(`${c.symbol} ${c.address}, ${c.decimals} decimals${c.permit ? ", permit" : ""}`);
    } catch (e) {
      problems.push(e as Error);
      currencyLines.push(`${address}: PROBLEM: ${(e as Error).message}`);
    }
  }
  row("currencies", currencyLines.join(INDENT));

  // Asked now, not after the deploy: a keystore password prompt belongs before the wait, not after it.
  const verifyKey = args.verify && !simulated ? await readSecret(hre, "ETHERSCAN_API_KEY") : undefined;
  row(
    "verify",
    !args.verify
      ? "no (--no-verify)"
      : simulated
        ? "no (simulated chain)"
        : verifyKey
          ? "yes, through hardhat-verify (ETHERSCAN_API_KEY is set)"
          : "no: ETHERSCAN_API_KEY is not set (npx hardhat keystore set ETHERSCAN_API_KEY, or export it)",
  );

  const id = chainId ?? expected;
  const manifestsDir = args.manifestsDir ?? DEFAULT_MANIFESTS_DIR;
  const deploymentId = id === undefined ? undefined : (args.deploymentId ?? `chain-${id}`);
  if (id !== undefined && deploymentId !== undefined) {
    const journal = journalDir(hre, deploymentId);
    row("ignition", `${shown(journal)}${existsSync(journal) ? " (exists: Ignition resumes it)" : " (new)"}`);
    row("manifest", shown(chainManifestPath(id, manifestsDir)));
  }

  return {
    network: args.network,
    simulated,
    chainId,
    deployer,
    parameters,
    currencies,
    verify: verifyKey !== undefined,
    deploymentId,
    manifestsDir,
    codeSize: size,
    provider,
    connection,
    rows,
    problems,
  };
}

/** The plan as printed: a title, then one aligned line per row. */
export function describePlan(p: Plan, dryRun: boolean): string {
  const title = dryRun
    ? `Dry run for network "${p.network}": nothing will be sent.`
    : `Deploying Merchstand to "${p.network}":`;
  return `${[title, ...p.rows.map(([label, value]) => `  ${label.padEnd(15)} ${value}`)].join("\n")}\n`;
}
