// npm run deploy -- --network <name> [--dry-run]
//
// Deploys Merchstand with its Ignition module (ignition/modules/Merchstand.ts), verifies it on the block explorer
// when ETHERSCAN_API_KEY is set, and writes ignition/manifests/chain-<id>.json for `npm run publish` and for git.
// Secrets (RPC URL, deployer key, explorer key) come from the environment or hardhat-keystore, never from files in
// the repo. One plan (scripts/deploy/plan.ts) is printed by both the dry run and the deploy, which then executes it
// (scripts/deploy/execute.ts). Run with --help for the options.
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { UsageError } from "./cli/options.ts";
import { ROOT } from "./cli/root.ts";
import { runCommand } from "./cli/run.ts";
import { HELP, readDeployArgs } from "./deploy/args.ts";
import { execute } from "./deploy/execute.ts";
import { MODULE_PATH } from "./deploy/ignition.ts";
import { describePlan, plan } from "./deploy/plan.ts";
import { assertKnownNetwork, createHre, rephraseHardhatError } from "./publish/hardhat-env.ts";

runCommand(
  "deploy",
  async () => {
    const args = readDeployArgs(process.argv.slice(2));
    if (args === undefined) {
      process.stdout.write(HELP);
      return 0;
    }
    const hre = await createHre(args.network);
    try {
      assertKnownNetwork(hre, args.network);
      if (!existsSync(MODULE_PATH)) {
        throw new UsageError(`The Ignition module ${relative(ROOT, MODULE_PATH)} is missing`);
      }
      const deployPlan = await plan(hre, args);
      process.stdout.write(describePlan(deployPlan, args.dryRun));
      if (!args.dryRun) await execute(hre, args, deployPlan);
      return 0;
    } catch (e) {
      throw rephraseHardhatError(e, hre);
    }
  },
  // Hardhat's HTTP agents and the simulated chain keep handles open; the work is done.
  { exitWhenDone: true },
);
