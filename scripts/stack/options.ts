// Flags and environment variables of `npm start` and `npm run dev`. Flags win over the environment; anything
// malformed stops the run before a single process is started, with a sentence that names the flag and the value.
import { isAbsolute, join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

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

export class UsageError extends Error {
  override name = "UsageError";
}

type Setting = {
  flag: string;
  env: string;
  kind: "port" | "url" | "path" | "switch";
  describe: string;
  modes: StackMode[];
};

/** Every setting, with the flag and variable that carry it; also the source of `--help`. */
export const SETTINGS = {
  rpcPort: {
    flag: "--rpc-port",
    env: "MERCHSTAND_RPC_PORT",
    kind: "port",
    describe: "port of the Hardhat node (default 8545)",
    modes: ["start", "dev"],
  },
  gatewayPort: {
    flag: "--gateway-port",
    env: "MERCHSTAND_GATEWAY_PORT",
    kind: "port",
    describe: "port of the local IPFS gateway (default 8080)",
    modes: ["start", "dev"],
  },
  devPort: {
    flag: "--dev-port",
    env: "MERCHSTAND_DEV_PORT",
    kind: "port",
    describe: "port of the Vite dev server (default 5173)",
    modes: ["dev"],
  },
  rpcUrl: {
    flag: "--rpc",
    env: "MERCHSTAND_RPC_URL",
    kind: "url",
    describe: "use this running JSON-RPC node instead of starting one (its accounts must be funded)",
    modes: ["start", "dev"],
  },
  kuboUrl: {
    flag: "--kubo",
    env: "MERCHSTAND_KUBO_URL",
    kind: "url",
    describe: "add and pin through this Kubo RPC API (e.g. http://127.0.0.1:5001) instead of the embedded node",
    modes: ["start", "dev"],
  },
  ipfsRepo: {
    flag: "--ipfs-repo",
    env: "MERCHSTAND_IPFS_REPO",
    kind: "path",
    describe: "folder of the embedded IPFS node's repo (default .merchstand/ipfs)",
    modes: ["start", "dev"],
  },
  noSeed: {
    flag: "--no-seed",
    env: "MERCHSTAND_NO_SEED",
    kind: "switch",
    describe: "deploy only; no demo stores, products or orders",
    modes: ["start", "dev"],
  },
  rebuild: {
    flag: "--rebuild",
    env: "MERCHSTAND_REBUILD",
    kind: "switch",
    describe: "build the dapp even if its sources did not change since the last build",
    modes: ["start"],
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

const DEFAULT_PORTS = { rpcPort: 8545, gatewayPort: 8080, devPort: 5173 };

function parsePort(text: string, where: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`${where} must be a port number from 1 to 65535, got "${text}"`);
  }
  return Number(text);
}

function parseUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${where} must be an http(s) URL such as http://127.0.0.1:8545, got "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${where} must be an http(s) URL, got "${text}"`);
  }
  return url.toString().replace(/\/$/, "");
}

function parseSwitch(text: string, where: string): boolean {
  if (/^(1|true|yes)$/i.test(text)) return true;
  if (/^(0|false|no|)$/i.test(text)) return false;
  throw new UsageError(`${where} must be 1/true or 0/false, got "${text}"`);
}

/** Reads flags (`--name value` or `--name=value`) and environment variables into options. */
export function parseStackOptions(
  mode: StackMode,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StackOptions {
  const raw = new Map<SettingName, { value: string; where: string }>();
  const settings = Object.entries(SETTINGS) as Array<[SettingName, Setting]>;
  for (const [name, setting] of settings) {
    const value = env[setting.env];
    if (value !== undefined && (setting.modes as readonly string[]).includes(mode)) {
      raw.set(name, { value, where: `${setting.env}` });
    }
  }
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg];
    const found = settings.find(([, s]) => s.flag === flag && (s.modes as readonly string[]).includes(mode));
    if (found === undefined) throw new UsageError(`Unknown option "${arg}" (see --help)`);
    const [name, setting] = found;
    if (setting.kind === "switch") {
      raw.set(name, { value: inline ?? "true", where: setting.flag });
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${setting.flag} needs a value`);
    raw.set(name, { value, where: setting.flag });
  }

  const port = (name: "rpcPort" | "gatewayPort" | "devPort") => {
    const entry = raw.get(name);
    return entry === undefined ? DEFAULT_PORTS[name] : parsePort(entry.value, entry.where);
  };
  const url = (name: "rpcUrl" | "kuboUrl") => {
    const entry = raw.get(name);
    return entry === undefined || entry.value === "" ? null : parseUrl(entry.value, entry.where);
  };
  const flag = (name: "noSeed" | "rebuild") => {
    const entry = raw.get(name);
    return entry === undefined ? false : parseSwitch(entry.value, entry.where);
  };
  const repo = raw.get("ipfsRepo")?.value;
  if (repo === "") throw new UsageError(`${SETTINGS.ipfsRepo.env} must not be empty`);

  const options: StackOptions = {
    mode,
    rpcPort: port("rpcPort"),
    gatewayPort: port("gatewayPort"),
    devPort: port("devPort"),
    rpcUrl: url("rpcUrl"),
    kuboUrl: url("kuboUrl"),
    seed: !flag("noSeed"),
    rebuild: flag("rebuild"),
    ipfsRepo: repo === undefined ? join(ROOT, ".merchstand/ipfs") : isAbsolute(repo) ? repo : resolve(repo),
    help,
  };
  const clash = portClash(options);
  if (clash !== null) throw new UsageError(clash);
  return options;
}

/** Two servers of this run asked for the same port. */
function portClash(options: StackOptions): string | null {
  const used: Array<[number, SettingName]> = [];
  if (options.rpcUrl === null) used.push([options.rpcPort, "rpcPort"]);
  if (options.kuboUrl === null) used.push([options.gatewayPort, "gatewayPort"]);
  if (options.mode === "dev") used.push([options.devPort, "devPort"]);
  for (let i = 0; i < used.length; i++) {
    for (let j = i + 1; j < used.length; j++) {
      const [a, nameA] = used[i]!;
      const [b, nameB] = used[j]!;
      if (a === b)
        return `${SETTINGS[nameA].flag} and ${SETTINGS[nameB].flag} are both ${a}; give them different ports`;
    }
  }
  return null;
}

export function usage(mode: StackMode): string {
  const command = mode === "start" ? "npm start" : "npm run dev";
  const lines = [
    `Usage: ${command} -- [options]`,
    "",
    mode === "start"
      ? "Starts a Hardhat node, deploys and seeds Merchstand, and serves the dapp from an embedded IPFS node."
      : "Starts a Hardhat node, deploys and seeds Merchstand, and serves the dapp from a Vite dev server (hot reload).",
    "",
    "Options (each also set by the environment variable shown):",
  ];
  for (const setting of Object.values(SETTINGS) as Setting[]) {
    if (!setting.modes.includes(mode)) continue;
    const arg = setting.kind === "switch" ? "" : ` <${setting.kind}>`;
    lines.push(`  ${`${setting.flag}${arg}`.padEnd(22)} ${setting.describe}  [${setting.env}]`);
  }
  lines.push(`  ${"--help".padEnd(22)} this text`);
  return lines.join("\n");
}
