// Flags and environment variables of `npm start` and `npm run dev`. Flags win over the environment; anything
// malformed stops the run before a single process is started, with a sentence that names the flag and the value.
import { isAbsolute, join, resolve } from "node:path";
import { helpText, httpUrl, type OptionSpec, parseOptions, port, switchOn, UsageError } from "../cli/options.ts";
import { ROOT } from "../cli/root.ts";

export type StackMode = "start" | "dev";

export type StackOptions = {
  mode: StackMode;
  /** Port of the Hardhat node this run starts (ignored with `rpcUrl`). */
  rpcPort: number;
  /** Port of the embedded gateway (ignored with `kuboUrl`). */
  gatewayPort: number;
  /** Port of the Vite dev server (`npm run dev` only). */
  devPort: number;
  /** Use this already running JSON-RPC node instead of starting one. */
  rpcUrl: string | null;
  /** Add and pin through this Kubo RPC API instead of the embedded node. */
  kuboUrl: string | null;
  seed: boolean;
  /** Rebuild the dapp even when its sources are older than the last build. */
  rebuild: boolean;
  /** The embedded node's repo (blocks and pins); kept between runs. */
  ipfsRepo: string;
  help: boolean;
};

/** Every setting of both commands, with its variable; `rebuild` is `npm start`'s, `dev-port` is `npm run dev`'s. */
export const SETTINGS = {
  "rpc-port": {
    type: "string",
    value: "port",
    env: "MERCHSTAND_RPC_PORT",
    describe: "port of the Hardhat node (default 8545)",
  },
  "gateway-port": {
    type: "string",
    value: "port",
    env: "MERCHSTAND_GATEWAY_PORT",
    describe: "port of the local IPFS gateway (default 8080)",
  },
  "dev-port": {
    type: "string",
    value: "port",
    env: "MERCHSTAND_DEV_PORT",
    describe: "port of the Vite dev server (default 5173)",
  },
  rpc: {
    type: "string",
    value: "url",
    env: "MERCHSTAND_RPC_URL",
    describe: "use this running JSON-RPC node instead of starting one (its accounts must be funded)",
  },
  kubo: {
    type: "string",
    value: "url",
    env: "MERCHSTAND_KUBO_URL",
    describe: "add and pin through this Kubo RPC API (e.g. http://127.0.0.1:5001) instead of the embedded node",
  },
  "ipfs-repo": {
    type: "string",
    value: "path",
    env: "MERCHSTAND_IPFS_REPO",
    describe: "folder of the embedded IPFS node's repo (default .merchstand/ipfs)",
  },
  "no-seed": {
    type: "boolean",
    env: "MERCHSTAND_NO_SEED",
    describe: "deploy only; no demo stores, products or orders",
  },
  rebuild: {
    type: "boolean",
    env: "MERCHSTAND_REBUILD",
    describe: "build the dapp even if its sources did not change since the last build",
  },
} as const satisfies Record<string, OptionSpec>;

const ONLY: Partial<Record<keyof typeof SETTINGS, StackMode>> = { "dev-port": "dev", rebuild: "start" };

/** The options table of one command. */
export function stackOptionTable(mode: StackMode): Partial<typeof SETTINGS> {
  return Object.fromEntries(
    Object.entries(SETTINGS).filter(([name]) => (ONLY[name as keyof typeof SETTINGS] ?? mode) === mode),
  );
}

const DEFAULT_PORTS = { "rpc-port": 8545, "gateway-port": 8080, "dev-port": 5173 };

/** Reads flags (`--name value` or `--name=value`) and environment variables into options. */
export function parseStackOptions(
  mode: StackMode,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StackOptions {
  const { help, values } = parseOptions(stackOptionTable(mode) as typeof SETTINGS, argv, env);
  const portOf = (name: keyof typeof DEFAULT_PORTS) => {
    const given = values[name];
    return given === undefined ? DEFAULT_PORTS[name] : port(given);
  };
  const urlOf = (name: "rpc" | "kubo") => {
    const given = values[name];
    return given === undefined || given.value === "" ? null : httpUrl(given);
  };
  const repo = values["ipfs-repo"]?.value;
  if (repo === "") throw new UsageError(`${SETTINGS["ipfs-repo"].env} must not be empty`);

  const options: StackOptions = {
    mode,
    rpcPort: portOf("rpc-port"),
    gatewayPort: portOf("gateway-port"),
    devPort: portOf("dev-port"),
    rpcUrl: urlOf("rpc"),
    kuboUrl: urlOf("kubo"),
    seed: !switchOn(values["no-seed"]),
    rebuild: switchOn(values.rebuild),
    ipfsRepo: repo === undefined ? join(ROOT, ".merchstand/ipfs") : isAbsolute(repo) ? repo : resolve(repo),
    help,
  };
  const clash = portClash(options);
  if (clash !== null) throw new UsageError(clash);
  return options;
}

/** The ports this run binds itself, with the setting that picks each and what listens on it. */
export function ownPorts(options: StackOptions): Array<[number, keyof typeof DEFAULT_PORTS, string]> {
  const used: Array<[number, keyof typeof DEFAULT_PORTS, string]> = [];
  if (options.rpcUrl === null) used.push([options.rpcPort, "rpc-port", "the Hardhat node"]);
  if (options.kuboUrl === null) used.push([options.gatewayPort, "gateway-port", "the IPFS gateway"]);
  if (options.mode === "dev") used.push([options.devPort, "dev-port", "the Vite dev server"]);
  return used;
}

/** Two servers of this run asked for the same port. */
function portClash(options: StackOptions): string | null {
  const used = ownPorts(options);
  for (let i = 0; i < used.length; i++) {
    for (let j = i + 1; j < used.length; j++) {
      const [a, nameA] = used[i]!;
      const [b, nameB] = used[j]!;
      if (a === b) return `--${nameA} and --${nameB} are both ${a}; give them different ports`;
    }
  }
  return null;
}

export function usage(mode: StackMode): string {
  return helpText(
    `Usage: ${mode === "start" ? "npm start" : "npm run dev"} -- [options]`,
    mode === "start"
      ? "Starts a Hardhat node, deploys and seeds Merchstand, and serves the dapp from an embedded IPFS node."
      : "Starts a Hardhat node, deploys and seeds Merchstand, and serves the dapp from a Vite dev server (hot reload).",
    stackOptionTable(mode),
    "Each option can also be set by the environment variable shown in brackets.",
  ).trimEnd();
}
