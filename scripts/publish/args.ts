// The flags and MERCHSTAND_* variables of `npm run publish`, read and checked before anything is built.
import { isAbsolute, join, resolve } from "node:path";
import {
  helpText,
  nonNegativeInt,
  type OptionTable,
  parseOptions,
  port,
  switchOn,
  text,
  UsageError,
} from "../cli/options.ts";
import { ROOT } from "../cli/root.ts";
import { DEFAULT_MANIFESTS_DIR } from "./chain-manifest.ts";
import { DEFAULT_POLL, type PollOptions } from "./pinning-service.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./retry.ts";

const TARGETS = "Pin targets (every one that is configured is used)";
const MANIFEST = "Manifest (public, served with the dapp)";
const OTHER = "Other";

const OPTIONS = {
  network: { type: "string", value: "name", describe: "a network with a manifest in ignition/manifests/ (required)" },
  "no-helia": {
    type: "boolean",
    section: TARGETS,
    describe: "skip the embedded node: the local stack's Helia repo (see --ipfs-repo), used by default",
  },
  "ipfs-repo": {
    type: "string",
    value: "dir",
    env: "MERCHSTAND_IPFS_REPO",
    section: TARGETS,
    describe: "the embedded node's repo (default .merchstand/ipfs)",
  },
  kubo: {
    type: "string",
    value: "url",
    env: "MERCHSTAND_KUBO_URL",
    section: TARGETS,
    describe:
      "Kubo RPC API, e.g. http://127.0.0.1:5001;\nsecret MERCHSTAND_KUBO_AUTH (optional): the Authorization header value",
  },
  "pinning-url": {
    type: "string",
    value: "url",
    env: "MERCHSTAND_PINNING_URL",
    section: TARGETS,
    describe:
      "Pinning Service API base, e.g. https://api.pinata.cloud/psa;\nsecret MERCHSTAND_PINNING_TOKEN (required with it)",
  },
  "rpc-url": {
    type: "string",
    value: "url",
    env: "MERCHSTAND_PUBLIC_RPC_URL",
    section: MANIFEST,
    describe: "public JSON-RPC for visitors (default: a keyless public node)",
  },
  gateway: {
    type: "string",
    value: "url",
    multiple: true,
    env: "MERCHSTAND_GATEWAYS",
    section: MANIFEST,
    describe: "IPFS gateway for images/metadata, repeatable (the variable: comma-separated)",
  },
  "upload-url": {
    type: "string",
    value: "url",
    env: "MERCHSTAND_UPLOAD_URL",
    section: MANIFEST,
    describe: "Kubo-compatible add endpoint for the seller dashboard (default none)",
  },
  "skip-build": {
    type: "boolean",
    section: OTHER,
    describe: "publish the existing build folder as it is (manifest.json is still rewritten)",
  },
  dist: { type: "string", value: "dir", section: OTHER, describe: "build folder (default frontend/dist)" },
  car: {
    type: "string",
    value: "file",
    section: OTHER,
    describe: "where to write the CAR (default .merchstand/publish/<cid>.car)",
  },
  origin: {
    type: "string",
    value: "multiaddr",
    multiple: true,
    section: OTHER,
    describe: "where the pinning service can fetch the blocks, repeatable\n(default: the Kubo node's public addresses)",
  },
  name: {
    type: "string",
    value: "text",
    section: OTHER,
    describe: "pin name at the pinning service (default merchstand-<network>)",
  },
  retries: {
    type: "string",
    value: "n",
    section: OTHER,
    describe: `tries per request before giving up (default ${DEFAULT_RETRY.attempts})`,
  },
  "retry-delay": {
    type: "string",
    value: "ms",
    section: OTHER,
    describe: `first backoff delay, doubled each retry (default ${DEFAULT_RETRY.baseDelayMs})`,
  },
  "pin-timeout": {
    type: "string",
    value: "s",
    section: OTHER,
    describe: `how long to wait for the pinning service to report "pinned" (default ${DEFAULT_POLL.timeoutMs / 1000})`,
  },
  "poll-interval": {
    type: "string",
    value: "ms",
    section: OTHER,
    describe: `pin status polling interval (default ${DEFAULT_POLL.intervalMs})`,
  },
  "manifests-dir": {
    type: "string",
    value: "dir",
    env: "MERCHSTAND_MANIFESTS_DIR",
    section: OTHER,
    describe: "deployment manifests folder (default ignition/manifests)",
  },
  "gateway-port": {
    type: "string",
    value: "port",
    env: "MERCHSTAND_GATEWAY_PORT",
    section: OTHER,
    describe: "port of the local stack's gateway, for the local link (default 8080)",
  },
  json: {
    type: "boolean",
    section: OTHER,
    describe: "print the result as JSON on stdout (progress still goes to stderr)",
  },
} as const satisfies OptionTable;

export const HELP = helpText(
  "Usage: npm run publish -- --network <name> [options]",
  "Builds the dapp for <name> (its deployment must be in ignition/manifests/), packs it as a CAR with a\n" +
    "deterministic CID, pins it to each configured target and prints the CID, gateway links, ENS contenthash\n" +
    "and DNSLink value. Each option in brackets can also be set by that environment variable.",
  OPTIONS,
  "Secrets come from the environment or hardhat-keystore: npx hardhat keystore set MERCHSTAND_PINNING_TOKEN",
);

export type PublishArgs = {
  network: string;
  build: boolean;
  dist: string;
  /** Where the CAR goes; undefined: .merchstand/publish/<cid>.car. */
  car: string | undefined;
  manifestsDir: string;
  helia: boolean;
  ipfsRepo: string;
  kuboUrl: string | undefined;
  pinningUrl: string | undefined;
  pinName: string;
  origins: string[];
  rpcUrl: string | undefined;
  gateways: string[] | undefined;
  uploadUrl: string | undefined;
  retry: RetryOptions;
  poll: PollOptions;
  gatewayPort: number;
  json: boolean;
};

/** The publish's settings, or undefined for --help. */
export function readPublishArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): PublishArgs | undefined {
  const { help, values } = parseOptions(OPTIONS, argv, env);
  if (help) return undefined;
  const network = text(values.network);
  if (network === undefined) throw new UsageError(`--network is required.\n\n${HELP}`);
  const car = text(values.car);
  const gateways = values.gateway?.map((g) => g.value);
  const gatewayPort = values["gateway-port"];
  return {
    network,
    build: !switchOn(values["skip-build"]),
    dist: resolve(ROOT, text(values.dist) ?? "frontend/dist"),
    car: car === undefined ? undefined : isAbsolute(car) ? car : resolve(car),
    manifestsDir: values["manifests-dir"]?.value ?? DEFAULT_MANIFESTS_DIR,
    helia: !switchOn(values["no-helia"]),
    ipfsRepo: resolve(ROOT, text(values["ipfs-repo"]) ?? join(".merchstand", "ipfs")),
    kuboUrl: text(values.kubo),
    pinningUrl: text(values["pinning-url"]),
    pinName: text(values.name) ?? `merchstand-${network}`,
    origins: values.origin?.map((o) => o.value) ?? [],
    rpcUrl: text(values["rpc-url"]),
    gateways: gateways !== undefined && gateways.length > 0 ? gateways : undefined,
    uploadUrl: text(values["upload-url"]),
    retry: {
      attempts: Math.max(1, nonNegativeInt(values.retries, DEFAULT_RETRY.attempts)),
      baseDelayMs: nonNegativeInt(values["retry-delay"], DEFAULT_RETRY.baseDelayMs),
      maxDelayMs: DEFAULT_RETRY.maxDelayMs,
    },
    poll: {
      intervalMs: nonNegativeInt(values["poll-interval"], DEFAULT_POLL.intervalMs),
      timeoutMs: nonNegativeInt(values["pin-timeout"], DEFAULT_POLL.timeoutMs / 1000) * 1000,
    },
    gatewayPort: gatewayPort === undefined || gatewayPort.value === "" ? 8080 : port(gatewayPort),
    json: switchOn(values.json),
  };
}
