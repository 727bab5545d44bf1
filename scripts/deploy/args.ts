// The flags of `npm run deploy`, read and checked before Hardhat loads.
import { relative } from "node:path";
import { getAddress, isAddress } from "ethers";
import { type Given, helpText, type OptionTable, switchOn as on, parseOptions, UsageError } from "../cli/options.ts";
import { ROOT } from "../cli/root.ts";
import { MODULE_ID, MODULE_PATH } from "./ignition.ts";

export type DeployArgs = {
  network: string;
  dryRun: boolean;
  yes: boolean;
  parametersFile?: string;
  admin?: string;
  feeBps?: number;
  feeRecipient?: string;
  /** Chosen on the command line; undefined leaves it to the parameters file or the chain's default. */
  currencies?: string[];
  verify: boolean;
  deploymentId?: string;
  manifestsDir?: string;
  buildProfile: string;
};

const OPTIONS = {
  network: { type: "string", value: "name", describe: "a network from hardhat.config.ts (required)" },
  "dry-run": { type: "boolean", describe: "print what would be deployed, with what, by whom; send nothing" },
  yes: { type: "boolean", short: "y", describe: "do not ask for confirmation (needed when stdin is not a terminal)" },
  parameters: {
    type: "string",
    value: "file",
    describe: `Ignition parameters file (JSON/JSON5, {"${MODULE_ID}": {...}}); flags below win over it`,
  },
  admin: {
    type: "string",
    value: "address",
    describe: "gets every role (default: the deployer; use a multisig on a public chain)",
  },
  "fee-bps": { type: "string", value: "n", describe: "platform fee in basis points (module default 250)" },
  "fee-recipient": { type: "string", value: "addr", describe: "who is credited fees (default: the deployer)" },
  currency: {
    type: "string",
    value: "address",
    multiple: true,
    describe: "an ERC-20 to allow from the start, repeatable (default per chain; Sepolia: Circle USDC)",
  },
  "eth-only": { type: "boolean", describe: "allow no ERC-20 at deployment" },
  "no-verify": { type: "boolean", describe: "skip block explorer verification even if ETHERSCAN_API_KEY is set" },
  "deployment-id": {
    type: "string",
    value: "id",
    describe: "Ignition deployment id (default chain-<id>); a second id deploys a second instance",
  },
  "manifests-dir": {
    type: "string",
    value: "dir",
    describe: "where to write the manifest (default ignition/manifests)",
  },
  "build-profile": {
    type: "string",
    value: "name",
    describe: "Hardhat build profile to compile with (default production, as ignition deploy does)",
  },
} as const satisfies OptionTable;

export const HELP = helpText(
  "Usage: npm run deploy -- --network <name> [options]",
  `Deploys Merchstand with Ignition (module ${relative(ROOT, MODULE_PATH)}, id "${MODULE_ID}"), verifies it when\n` +
    "ETHERSCAN_API_KEY is set, and writes ignition/manifests/chain-<id>.json (commit it).",
  OPTIONS,
  "Secrets (environment variable, or: npx hardhat keystore set <NAME>):\n" +
    "  SEPOLIA_RPC_URL, SEPOLIA_PRIVATE_KEY   for --network sepolia\n" +
    "  ETHERSCAN_API_KEY                      optional: enables verification",
);

function address(given: Given | undefined): string | undefined {
  if (given === undefined) return undefined;
  if (!isAddress(given.value)) throw new UsageError(`${given.where} must be an address, got "${given.value}"`);
  return getAddress(given.value);
}

function feeBps(given: Given | undefined): number | undefined {
  if (given === undefined) return undefined;
  const n = Number(given.value);
  if (given.value === "" || !Number.isInteger(n) || n < 0 || n > 10_000) {
    throw new UsageError(`${given.where} must be an integer in 0..10000, got "${given.value}"`);
  }
  return n;
}

/** The deploy's arguments, or undefined for --help. */
/** The most ERC-20s the constructor can take ({@link readDeployArgs}). */
export const MAX_DEPLOY_CURRENCIES = 6;

export function readDeployArgs(argv: readonly string[]): DeployArgs | undefined {
  const { help, values } = parseOptions(OPTIONS, argv, {});
  if (help) return undefined;
  if (values.network === undefined) throw new UsageError(`--network is required.\n\n${HELP}`);
  if (on(values["eth-only"]) && values.currency !== undefined) {
    throw new UsageError("--eth-only and --currency conflict");
  }
  // Merchstand's creation code leaves room under EIP-3860's 49,152-byte initcode limit for the constructor's
  // arguments with this many currencies (docs/SECURITY.md, "Gas of the order operations", code size).
  if ((values.currency?.length ?? 0) > MAX_DEPLOY_CURRENCIES) {
    throw new UsageError(
      `at most ${MAX_DEPLOY_CURRENCIES} --currency at deployment (the contract's creation code has room for no more constructor arguments); allow the others afterwards with setCurrencyAllowed(token, true) from an account with CURRENCY_ROLE`,
    );
  }
  return {
    network: values.network.value,
    dryRun: on(values["dry-run"]),
    yes: on(values.yes),
    parametersFile: values.parameters?.value,
    admin: address(values.admin),
    feeBps: feeBps(values["fee-bps"]),
    feeRecipient: address(values["fee-recipient"]),
    currencies: on(values["eth-only"]) ? [] : values.currency?.map((c) => address(c) as string),
    verify: !on(values["no-verify"]),
    deploymentId: values["deployment-id"]?.value,
    manifestsDir: values["manifests-dir"]?.value,
    buildProfile: values["build-profile"]?.value ?? "production",
  };
}
