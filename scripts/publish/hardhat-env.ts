// Hardhat as a library for the deploy and publish scripts: a runtime environment bound to one network, secrets
// read the way Hardhat reads them (environment variable first, then hardhat-keystore), and Hardhat's errors about
// missing secrets and unknown networks rephrased into the command that fixes them.
import { configVariable } from "hardhat/config";
import { createHardhatRuntimeEnvironment, importUserConfig, resolveHardhatConfigPath } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { UsageError } from "../cli/options.ts";

export function missingSecretMessage(name: string, purpose?: string): string {
  const keystore = `npx hardhat keystore set ${name}`;
  const env = `export ${name}=<value>`;
  const width = Math.max(keystore.length, env.length) + 3;
  return (
    `${name} is not set${purpose ? ` (${purpose})` : ""}. Set it with one of:\n` +
    `  ${keystore.padEnd(width)}(stored encrypted; asks for the keystore password when used)\n` +
    `  ${env.padEnd(width)}(environment variable; wins over the keystore)`
  );
}

export async function createHre(network?: string): Promise<HardhatRuntimeEnvironment> {
  const configPath = await resolveHardhatConfigPath();
  const userConfig = await importUserConfig(configPath);
  return await createHardhatRuntimeEnvironment(
    userConfig,
    network === undefined ? { config: configPath } : { config: configPath, network },
  );
}

export function configuredNetworks(hre: HardhatRuntimeEnvironment): string[] {
  return Object.keys(hre.config.networks).sort();
}

export function assertKnownNetwork(hre: HardhatRuntimeEnvironment, network: string): void {
  if (!(network in hre.config.networks)) {
    throw new UsageError(
      `Unknown network "${network}". Configured networks: ${configuredNetworks(hre).join(", ")}. ` +
        "Add it under `networks` in hardhat.config.ts.",
    );
  }
}

type HardhatErrorLike = Error & { number?: number; messageArguments?: Record<string, unknown> };

/** The secret a Hardhat error says is missing (HHE7 config variable not found; HHE50002 dev-keystore miss). */
export function missingSecretName(error: unknown): string | undefined {
  const e = error as HardhatErrorLike;
  if (e?.name !== "HardhatError") return undefined;
  if (e.number === 7 && typeof e.messageArguments?.name === "string") return e.messageArguments.name;
  if (e.number === 50002 && typeof e.messageArguments?.key === "string") return e.messageArguments.key;
  return undefined;
}

/** Rewrites Hardhat's missing-secret and unknown-network errors as UsageErrors; leaves anything else alone. */
export function rephraseHardhatError(error: unknown, hre?: HardhatRuntimeEnvironment): unknown {
  const secret = missingSecretName(error);
  if (secret !== undefined) return new UsageError(missingSecretMessage(secret));
  const e = error as HardhatErrorLike;
  if (e?.name === "HardhatError" && e.number === 705 && hre !== undefined) {
    return new UsageError(
      `Unknown network "${String(e.messageArguments?.networkName)}". Configured networks: ${configuredNetworks(hre).join(", ")}.`,
    );
  }
  return error;
}

/**
 * Reads a secret from the environment or, failing that, from hardhat-keystore (which asks for its password only
 * when the key is actually stored there). Empty means unset. Returns undefined when it is set nowhere.
 */
export async function readSecret(
  hre: HardhatRuntimeEnvironment | (() => Promise<HardhatRuntimeEnvironment>),
  name: string,
): Promise<string | undefined> {
  const fromEnv = process.env[name];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const env = typeof hre === "function" ? await hre() : hre;
  // A default makes the keystore check its key names before unlocking, so an absent key costs no password prompt.
  const value = await env.hooks.runHandlerChain(
    "configurationVariables",
    "fetchValue",
    [configVariable(name, { default: "" })],
    async (_context, variable) => process.env[variable.name] ?? variable.default ?? "",
  );
  return value === "" ? undefined : value;
}

export async function requireSecret(
  hre: HardhatRuntimeEnvironment | (() => Promise<HardhatRuntimeEnvironment>),
  name: string,
  purpose?: string,
): Promise<string> {
  const value = await readSecret(hre, name);
  if (value === undefined) throw new UsageError(missingSecretMessage(name, purpose));
  return value;
}
