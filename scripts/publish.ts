// npm run publish -- --network <name>
//
// Builds the dapp with the network's deployment baked into manifest.json, packs it as a CAR whose root CID depends
// only on the files, pins it to every configured target, and prints what a maintainer needs next: the CID, gateway
// links, the ENS contenthash and the DNSLink record. Run with --help for the options.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { packDirectory } from "./ipfs/car.ts";
import { DEFAULT_MANIFESTS_DIR, findChainManifest } from "./publish/chain-manifest.ts";
import { buildDappManifest, serializeDappManifest } from "./publish/dapp-manifest.ts";
import { createHre, readSecret, requireSecret, UsageError } from "./publish/hardhat-env.ts";
import { pinToHelia } from "./publish/helia.ts";
import { pinToKubo } from "./publish/kubo.ts";
import { cidV1Base32, dnslinkTxt, ensContenthash, localGatewayUrl, subdomainGatewayUrls } from "./publish/links.ts";
import { DEFAULT_POLL, pinToPinningService } from "./publish/pinning-service.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./publish/retry.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const HELP = `Usage: npm run publish -- --network <name> [options]

Builds the dapp for <name> (its deployment must be in ignition/manifests/), packs it as a CAR with a
deterministic CID, pins it to each configured target and prints the CID, gateway links, ENS contenthash
and DNSLink value.

Pin targets (every one that is configured is used):
  embedded node          the local stack's Helia repo (--ipfs-repo, MERCHSTAND_IPFS_REPO; default .merchstand/ipfs);
                         --no-helia skips it
  --kubo <url>           Kubo RPC API (MERCHSTAND_KUBO_URL), e.g. http://127.0.0.1:5001;
                         secret MERCHSTAND_KUBO_AUTH (optional): the Authorization header value
  --pinning-url <url>    Pinning Service API base (MERCHSTAND_PINNING_URL), e.g. https://api.pinata.cloud/psa;
                         secret MERCHSTAND_PINNING_TOKEN (required with it)
Secrets come from the environment or hardhat-keystore: npx hardhat keystore set MERCHSTAND_PINNING_TOKEN

Manifest (public, served with the dapp):
  --rpc-url <url>        public JSON-RPC for visitors (MERCHSTAND_PUBLIC_RPC_URL; default: a keyless public node)
  --gateway <url>        IPFS gateway for images/metadata, repeatable (MERCHSTAND_GATEWAYS, comma-separated)
  --upload-url <url>     Kubo-compatible add endpoint for the seller dashboard (MERCHSTAND_UPLOAD_URL; default none)

Other:
  --skip-build           publish the existing build folder as it is (manifest.json is still rewritten)
  --dist <dir>           build folder (default frontend/dist)
  --car <file>           where to write the CAR (default .merchstand/publish/<cid>.car)
  --origin <multiaddr>   where the pinning service can fetch the blocks, repeatable (default: the Kubo node's
                         public addresses, when a Kubo target is set)
  --name <text>          pin name at the pinning service (default merchstand-<network>)
  --retries <n>          tries per request before giving up (default ${DEFAULT_RETRY.attempts})
  --retry-delay <ms>     first backoff delay, doubled each retry (default ${DEFAULT_RETRY.baseDelayMs})
  --pin-timeout <s>      how long to wait for the pinning service to report "pinned" (default ${DEFAULT_POLL.timeoutMs / 1000})
  --poll-interval <ms>   pin status polling interval (default ${DEFAULT_POLL.intervalMs})
  --manifests-dir <dir>  deployment manifests folder (MERCHSTAND_MANIFESTS_DIR; default ignition/manifests)
  --json                 print the result as JSON on stdout (progress still goes to stderr)
`;

type Pinned = { target: string; where: string; detail?: string };
type Failed = { target: string; where: string; error: string };

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function list(values: string[] | undefined, env: string | undefined): string[] | undefined {
  if (values !== undefined && values.length > 0) return values;
  const fromEnv = env
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : undefined;
}

/** Repo-relative when inside the repo, absolute otherwise. */
function shown(path: string): string {
  const rel = relative(ROOT, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${(n / 1_048_576).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

async function main(argv: string[]): Promise<number> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      network: { type: "string" },
      "skip-build": { type: "boolean", default: false },
      dist: { type: "string" },
      car: { type: "string" },
      "rpc-url": { type: "string" },
      gateway: { type: "string", multiple: true },
      "upload-url": { type: "string" },
      kubo: { type: "string" },
      "pinning-url": { type: "string" },
      origin: { type: "string", multiple: true },
      name: { type: "string" },
      "no-helia": { type: "boolean", default: false },
      "ipfs-repo": { type: "string" },
      retries: { type: "string" },
      "retry-delay": { type: "string" },
      "pin-timeout": { type: "string" },
      "poll-interval": { type: "string" },
      "manifests-dir": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const network = args.network;
  if (network === undefined) throw new UsageError(`--network is required.\n\n${HELP}`);

  const env = process.env;
  const manifestsDir = args["manifests-dir"] ?? env.MERCHSTAND_MANIFESTS_DIR ?? DEFAULT_MANIFESTS_DIR;
  const dist = resolve(ROOT, args.dist ?? "frontend/dist");
  const retry: RetryOptions = {
    attempts: Math.max(1, positiveInt("--retries", args.retries, DEFAULT_RETRY.attempts)),
    baseDelayMs: positiveInt("--retry-delay", args["retry-delay"], DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: DEFAULT_RETRY.maxDelayMs,
  };
  const poll = {
    intervalMs: positiveInt("--poll-interval", args["poll-interval"], DEFAULT_POLL.intervalMs),
    timeoutMs: positiveInt("--pin-timeout", args["pin-timeout"], DEFAULT_POLL.timeoutMs / 1000) * 1000,
  };

  // 0. Everything that can be wrong with the setup fails before the (slow) build.
  const chain = await findChainManifest(network, manifestsDir);
  const kuboUrl = args.kubo ?? (env.MERCHSTAND_KUBO_URL || undefined);
  const pinningUrl = args["pinning-url"] ?? (env.MERCHSTAND_PINNING_URL || undefined);
  let hre: Awaited<ReturnType<typeof createHre>> | undefined;
  const lazyHre = async () => {
    hre ??= await createHre();
    return hre;
  };
  const pinningToken =
    pinningUrl === undefined
      ? undefined
      : await requireSecret(lazyHre, "MERCHSTAND_PINNING_TOKEN", `needed for the pinning service at ${pinningUrl}`);
  const kuboAuth = kuboUrl === undefined ? undefined : await readSecret(lazyHre, "MERCHSTAND_KUBO_AUTH");
  const secrets = [pinningToken, kuboAuth, env.SEPOLIA_RPC_URL, env.SEPOLIA_PRIVATE_KEY, env.ETHERSCAN_API_KEY].filter(
    (s): s is string => typeof s === "string" && s !== "",
  );
  const manifest = buildDappManifest(chain, {
    rpcUrl: args["rpc-url"] ?? (env.MERCHSTAND_PUBLIC_RPC_URL || undefined),
    gateways: list(args.gateway, env.MERCHSTAND_GATEWAYS),
    uploadUrl: args["upload-url"] ?? (env.MERCHSTAND_UPLOAD_URL || undefined),
    secrets,
  });

  // 1. Build, then bake the manifest in.
  if (!args["skip-build"]) {
    log("Building the dapp (npm run build -w frontend)…");
    const build = spawnSync("npm", ["run", "build", "-w", "frontend"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    if (build.status !== 0) throw new Error(`the dapp build failed (exit ${build.status ?? build.signal}); see above`);
  }
  if (!existsSync(join(dist, "index.html"))) {
    throw new UsageError(`${dist} has no index.html: build the dapp first (npm run build -w frontend) or pass --dist`);
  }
  await writeFile(join(dist, "manifest.json"), serializeDappManifest(manifest));
  log(`Wrote ${shown(join(dist, "manifest.json"))} for ${chain.chainName} (chain ${chain.chainId})`);

  // 2. Pack.
  const packed = await packDirectory(dist);
  const cid = cidV1Base32(packed.root);
  const carFile = args.car
    ? isAbsolute(args.car)
      ? args.car
      : resolve(args.car)
    : join(ROOT, ".merchstand", "publish", `${cid}.car`);
  await mkdir(dirname(carFile), { recursive: true });
  await writeFile(carFile, packed.car);
  log(
    `Packed ${packed.files.length} files (${formatBytes(packed.bytes)}) into ${packed.blocks.length} blocks: ${cid}` +
      `\n  CAR: ${shown(carFile)} (${formatBytes(packed.car.length)})`,
  );

  // 3. Pin. A failing target does not stop the others: the summary says what was pinned where.
  const pinned: Pinned[] = [];
  const failed: Failed[] = [];
  const repoDir = resolve(ROOT, args["ipfs-repo"] ?? (env.MERCHSTAND_IPFS_REPO || ".merchstand/ipfs"));
  if (!args["no-helia"]) {
    log(`Pinning to the embedded node (${shown(repoDir)})…`);
    try {
      const r = await pinToHelia(repoDir, packed.blocks, packed.root);
      pinned.push({ target: "embedded node", where: shown(r.repoDir), detail: `${r.blocks} blocks` });
    } catch (e) {
      failed.push({ target: "embedded node", where: repoDir, error: (e as Error).message });
    }
  }
  let origins = args.origin ?? [];
  if (kuboUrl !== undefined) {
    log(`Pinning to Kubo at ${kuboUrl} (dag/import with pin-roots)…`);
    try {
      const r = await pinToKubo({ url: kuboUrl, authorization: kuboAuth }, packed.car, packed.root, retry, log);
      pinned.push({ target: "Kubo", where: r.url, detail: "pinned recursively (confirmed by pin/ls)" });
      if (origins.length === 0) origins = r.origins;
    } catch (e) {
      failed.push({ target: "Kubo", where: kuboUrl, error: (e as Error).message });
    }
  }
  if (pinningUrl !== undefined && pinningToken !== undefined) {
    log(`Pinning to the pinning service at ${pinningUrl}…`);
    try {
      const r = await pinToPinningService(
        { endpoint: pinningUrl, token: pinningToken },
        { cid, name: args.name ?? `merchstand-${network}`, ...(origins.length > 0 ? { origins } : {}) },
        retry,
        poll,
        log,
      );
      pinned.push({
        target: "pinning service",
        where: r.endpoint,
        detail: `request ${r.requestid} ${r.status}${r.reused ? " (existing request)" : ""}`,
      });
    } catch (e) {
      failed.push({ target: "pinning service", where: pinningUrl, error: (e as Error).message });
    }
  }
  if (pinned.length + failed.length === 0) {
    throw new UsageError("No pin target: drop --no-helia, or set --kubo / --pinning-url (see --help)");
  }

  // 4. Report.
  const gatewayPort = env.MERCHSTAND_GATEWAY_PORT || "8080";
  const links = subdomainGatewayUrls(packed.root);
  const local = pinned.some((p) => p.target === "embedded node")
    ? localGatewayUrl(packed.root, `http://127.0.0.1:${gatewayPort}`)
    : undefined;
  const result = {
    network,
    chainId: chain.chainId,
    cid,
    car: carFile,
    files: packed.files.length,
    bytes: packed.bytes,
    gatewayLinks: links,
    localGatewayLink: local ?? null,
    ensContenthash: ensContenthash(packed.root),
    dnslink: dnslinkTxt(packed.root),
    pinned,
    failed,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const out: string[] = [];
    out.push(
      failed.length === 0
        ? `\nPublished the Merchstand dapp for ${chain.chainName} (chain ${chain.chainId})`
        : `\nPublish INCOMPLETE: pinned to ${pinned.length} of ${pinned.length + failed.length} targets`,
    );
    out.push(`  CID (v1, base32)   ${cid}`);
    out.push("  Pinned:");
    for (const p of pinned) out.push(`    ok      ${p.target}  ${p.where}${p.detail ? `  (${p.detail})` : ""}`);
    for (const f of failed) out.push(`    FAILED  ${f.target}  ${f.where}\n            ${f.error}`);
    out.push("  Gateway links:");
    for (const l of links) out.push(`    ${l}`);
    if (local) out.push(`    ${local}   (local stack gateway, while npm start runs)`);
    out.push(`  ENS contenthash    ${result.ensContenthash}`);
    out.push(`  DNSLink TXT        _dnslink.<your domain>  "${result.dnslink}"`);
    process.stdout.write(`${out.join("\n")}\n`);
  }
  return failed.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = error as Error;
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
    } else if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`${e.message} (see --help)\n`);
    } else {
      process.stderr.write(`publish failed: ${e.message}\n`);
      if (process.env.MERCHSTAND_DEBUG) process.stderr.write(`${e.stack}\n`);
    }
    process.exitCode = 1;
  },
);
