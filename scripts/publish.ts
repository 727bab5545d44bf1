// npm run publish -- --network <name>
//
// Builds the dapp with the network's deployment baked into manifest.json, packs it as a CAR whose root CID depends
// only on the files, pins it to every configured target, and prints what a maintainer needs next: the CID, gateway
// links, the ENS contenthash and the DNSLink record. Run with --help for the options (scripts/publish/args.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UsageError } from "./cli/options.ts";
import { ROOT, shown } from "./cli/root.ts";
import { runCommand } from "./cli/run.ts";
import { packDirectory } from "./ipfs/car.ts";
import { HELP, readPublishArgs } from "./publish/args.ts";
import { findChainManifest } from "./publish/chain-manifest.ts";
import { buildDappManifest, serializeDappManifest } from "./publish/dapp-manifest.ts";
import { createHre, readSecret, requireSecret } from "./publish/hardhat-env.ts";
import { pinToHelia } from "./publish/helia.ts";
import { pinToKubo } from "./publish/kubo.ts";
import { cidV1Base32, dnslinkTxt, ensContenthash, localGatewayUrl, subdomainGatewayUrls } from "./publish/links.ts";
import { pinToPinningService } from "./publish/pinning-service.ts";
import { type Failed, formatBytes, type Pinned, type PublishResult, publishReport } from "./publish/report.ts";

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const args = readPublishArgs(argv, process.env);
  if (args === undefined) {
    process.stdout.write(HELP);
    return 0;
  }
  const { network, dist, kuboUrl, pinningUrl, retry, poll } = args;
  const env = process.env;

  // 0. Everything that can be wrong with the setup fails before the (slow) build.
  const chain = await findChainManifest(network, args.manifestsDir);
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
    rpcUrl: args.rpcUrl,
    gateways: args.gateways,
    uploadUrl: args.uploadUrl,
    secrets,
  });

  // 1. Build, then bake the manifest in.
  if (args.build) {
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
  const carFile = args.car ?? join(ROOT, ".merchstand", "publish", `${cid}.car`);
  await mkdir(dirname(carFile), { recursive: true });
  await writeFile(carFile, packed.car);
  log(
    `Packed ${packed.files.length} files (${formatBytes(packed.bytes)}) into ${packed.blocks.length} blocks: ${cid}` +
      `\n  CAR: ${shown(carFile)} (${formatBytes(packed.car.length)})`,
  );

  // 3. Pin. A failing target does not stop the others: the summary says what was pinned where.
  const pinned: Pinned[] = [];
  const failed: Failed[] = [];
  const repoDir = args.ipfsRepo;
  if (args.helia) {
    log(`Pinning to the embedded node (${shown(repoDir)})…`);
    try {
      const r = await pinToHelia(repoDir, packed.blocks, packed.root);
      pinned.push({ target: "embedded node", where: shown(r.repoDir), detail: `${r.blocks} blocks` });
    } catch (e) {
      failed.push({ target: "embedded node", where: repoDir, error: (e as Error).message });
    }
  }
  let origins = args.origins;
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
        { cid, name: args.pinName, ...(origins.length > 0 ? { origins } : {}) },
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
  const links = subdomainGatewayUrls(packed.root);
  const local = pinned.some((p) => p.target === "embedded node")
    ? localGatewayUrl(packed.root, `http://127.0.0.1:${args.gatewayPort}`)
    : undefined;
  const result: PublishResult = {
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
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : publishReport(result, chain.chainName));
  return failed.length === 0 ? 0 : 1;
}
runCommand("publish", () => main(process.argv.slice(2)));
