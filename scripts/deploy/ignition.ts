// What the deploy knows about Ignition and the compiled contract: the module, its journal, the code size.
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type MerchstandModule from "../../ignition/modules/Merchstand.ts";
import { ROOT } from "../cli/root.ts";

export const MODULE_PATH = join(ROOT, "ignition", "modules", "Merchstand.ts");
export const MODULE_ID = "Merchstand";

/** EIP-170: chains since Spurious Dragon refuse to create contracts with more runtime code than this. */
const MAX_CODE_SIZE = 24_576;

export async function loadModule(): Promise<typeof MerchstandModule> {
  return ((await import(pathToFileURL(MODULE_PATH).href)) as { default: typeof MerchstandModule }).default;
}

export type CodeSize = { text: string; oversized: boolean };

/** The compiled runtime size against EIP-170, from the artifacts (the last build; the deploy rebuilds first). */
export async function codeSize(hre: HardhatRuntimeEnvironment): Promise<CodeSize> {
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

export function journalDir(hre: HardhatRuntimeEnvironment, deploymentId: string): string {
  return join(hre.config.paths.ignition, "deployments", deploymentId);
}

type Send = (method: string, params: unknown[]) => Promise<unknown>;

/**
 * Ignition keeps a journal per deployment id and resumes it; a restarted local node has forgotten everything in it,
 * so a local journal from another node instance is discarded. Same bookkeeping file as `hardhat ignition deploy`,
 * so the two agree about which journal belongs to which node.
 */
export async function forgetStaleLocalJournal(hre: HardhatRuntimeEnvironment, deploymentId: string, send: Send) {
  const dir = journalDir(hre, deploymentId);
  if (!existsSync(dir)) return;
  const instancesFile = join(hre.config.paths.cache, ".hardhat-network-instances.json");
  const meta = (await send("hardhat_metadata", []).catch(() => undefined)) as { instanceId?: string } | undefined;
  if (meta?.instanceId === undefined) return;
  const known = existsSync(instancesFile)
    ? (JSON.parse(await readFile(instancesFile, "utf8")) as Record<string, string>)
    : {};
  if (known[deploymentId] !== meta.instanceId) await rm(dir, { recursive: true, force: true });
  await writeFile(instancesFile, JSON.stringify({ ...known, [deploymentId]: meta.instanceId }, null, 2));
}

/** The block of the Merchstand creation: from Ignition's journal, or (simulated chains keep none) from receipts. */
export async function findDeploymentBlock(
  send: Send,
  journalFile: string,
  address: string,
  fromBlock: number,
): Promise<number> {
  if (existsSync(journalFile)) {
    for (const line of (await readFile(journalFile, "utf8")).split("\n")) {
      if (!line.includes("TRANSACTION_CONFIRM")) continue;
      const msg = JSON.parse(line) as { receipt?: { contractAddress?: string; blockNumber?: number } };
      if (
        msg.receipt?.contractAddress?.toLowerCase() === address.toLowerCase() &&
        msg.receipt.blockNumber !== undefined
      ) {
        return msg.receipt.blockNumber;
      }
    }
  }
  const latest = Number(await send("eth_blockNumber", []));
  for (let n = Math.max(fromBlock, 0); n <= latest; n++) {
    const block = (await send("eth_getBlockByNumber", [`0x${n.toString(16)}`, true])) as {
      transactions: { hash: string; to: string | null }[];
    };
    for (const tx of block.transactions.filter((t) => t.to === null)) {
      const receipt = (await send("eth_getTransactionReceipt", [tx.hash])) as { contractAddress?: string };
      if (receipt.contractAddress?.toLowerCase() === address.toLowerCase()) return n;
    }
  }
  throw new Error(`could not find the block that created ${address}; check ${journalFile}`);
}
