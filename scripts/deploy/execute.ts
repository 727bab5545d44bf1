// Carries out a deploy plan (./plan.ts): confirm, build, run Ignition, find the deployment block, write the chain
// manifest, verify.
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { UsageError } from "../cli/options.ts";
import { shown } from "../cli/root.ts";
import { type ChainManifest, writeChainManifest } from "../publish/chain-manifest.ts";
import type { DeployArgs } from "./args.ts";
import { ETH } from "./currency.ts";
import {
  codeSize,
  findDeploymentBlock,
  forgetStaleLocalJournal,
  journalDir,
  loadModule,
  MODULE_ID,
} from "./ignition.ts";
import type { Plan } from "./plan.ts";
import { readUsdFeed } from "./usd-feed.ts";

const CHAIN_NAMES: Record<number, string> = { 31337: "Hardhat local" };

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError("stdin is not a terminal: pass --yes to deploy without a prompt");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} (y/N) `)).trim());
  } finally {
    rl.close();
  }
}

function explorerUrl(hre: HardhatRuntimeEnvironment, chainId: number): string | null {
  const explorers = hre.config.chainDescriptors.get(BigInt(chainId))?.blockExplorers;
  return explorers?.etherscan?.url ?? explorers?.blockscout?.url ?? null;
}

export async function execute(hre: HardhatRuntimeEnvironment, args: DeployArgs, plan: Plan): Promise<void> {
  const [problem] = plan.problems;
  if (problem !== undefined) throw problem;
  const { chainId, provider, deploymentId } = plan;
  // No problem means the chain answered and the deployment id is known.
  if (chainId === undefined || provider === undefined || deploymentId === undefined) {
    throw new Error("the plan has no chain");
  }
  if (chainId !== 31337 && !args.yes && !(await confirm(`Deploy to ${args.network} (chain ${chainId})?`))) {
    throw new UsageError("Deploy cancelled");
  }
  const send = (method: string, params: unknown[]) => provider.send(method, params);
  if (chainId === 31337 && !plan.simulated) await forgetStaleLocalJournal(hre, deploymentId, send);

  await hre.tasks.getTask("build").run({ quiet: true, noTests: true, defaultBuildProfile: args.buildProfile });
  const size = await codeSize(hre);
  if (size.oversized) process.stdout.write(`  warning: Merchstand has ${size.text}\n`);

  const connection = plan.connection ?? (await hre.network.create(args.network));
  const startBlock = await provider.getBlockNumber();
  const result = await connection.ignition.deploy(await loadModule(), {
    parameters: { [MODULE_ID]: plan.parameters },
    deploymentId,
    displayUi: true,
  });
  const merchstand = getAddress(await result.merchstand.getAddress());
  const journal = join(journalDir(hre, deploymentId), "journal.jsonl");
  const deploymentBlock = await findDeploymentBlock(send, journal, merchstand, startBlock);
  const block = await provider.getBlock(deploymentBlock);
  if (block === null) throw new Error(`the node does not know block ${deploymentBlock}`);

  const manifest: ChainManifest = {
    chainId,
    network: args.network,
    chainName: CHAIN_NAMES[chainId] ?? hre.config.chainDescriptors.get(BigInt(chainId))?.name ?? args.network,
    merchstand,
    deploymentBlock,
    currencies: [ETH, ...plan.currencies],
    explorerUrl: explorerUrl(hre, chainId),
    deployedAt: new Date(block.timestamp * 1000).toISOString(),
    usdFeed: await readUsdFeed(provider, chainId, (line) => process.stdout.write(`${line}\n`)),
  };
  if (plan.simulated && args.manifestsDir === undefined) {
    process.stdout.write(
      `\nThe "${args.network}" network is simulated in this process, so nothing was kept. The manifest would be:\n` +
        `${JSON.stringify(manifest, null, 2)}\n`,
    );
    return;
  }
  const file = await writeChainManifest(manifest, plan.manifestsDir);
  process.stdout.write(
    `\nMerchstand ${merchstand} at block ${deploymentBlock} on ${manifest.chainName} (chain ${chainId})\n` +
      `  manifest: ${shown(file)}  (commit it; npm run publish -- --network ${args.network} reads it)\n` +
      (manifest.explorerUrl ? `  explorer: ${manifest.explorerUrl}/address/${merchstand}\n` : ""),
  );

  if (!args.verify || plan.simulated) return;
  if (!plan.verify) {
    process.stdout.write(
      "  not verified: ETHERSCAN_API_KEY is not set (npx hardhat keystore set ETHERSCAN_API_KEY, then run the deploy again)\n",
    );
    return;
  }
  process.stdout.write("\nVerifying on the block explorer (hardhat-verify)…\n");
  await hre.tasks.getTask(["ignition", "verify"]).run({ deploymentId });
}
