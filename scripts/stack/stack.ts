// The whole local stack, in the order `npm start` and `npm run dev` bring it up: chain, IPFS (early, so a wrong
// --kubo fails in seconds), contracts, demo catalog, then the dapp (added to IPFS for `start`, a Vite dev server for
// `dev`). Work that waits on nothing (compiling, the dapp build, drawing the demo pictures) runs alongside. Each
// step reports; a failure names its step and stops whatever was already running.
import { rm } from "node:fs/promises";
import { formatEther, formatUnits } from "ethers";
import { rpcProvider } from "../cli/rpc.ts";
import type { SeedSummary } from "../seed/seed.ts";
import { CAST, castWallet } from "./accounts.ts";
import { compileContracts } from "./compile.ts";
import { buildDapp, DAPP_DIST, localChainName, stackManifest, stageBuild, writeManifest } from "./dapp.ts";
import { demoAccountsFile, writeDemoAccounts } from "./demo-accounts.ts";
import type { Deployment } from "./deploy.ts";
import { type Chain, connectExternalNode, startHardhatNode } from "./hardhat-node.ts";
import type { IpfsBackend } from "./ipfs-backend.ts";
import type { StackOptions } from "./options.ts";
import { busyPortMessage } from "./ports.ts";
import { Cleanup, Steps } from "./steps.ts";

export type RunningStack = {
  chain: Chain;
  deployment: Deployment;
  ipfs: IpfsBackend;
  seed: SeedSummary | null;
  manifest: ReturnType<typeof stackManifest>;
  /** `start` only: the dapp build's CID and URLs. */
  dapp: { cid: string; subdomainUrl: string; pathUrl: string } | null;
  /** `dev` only: the Vite dev server's URL. */
  devUrl: string | null;
  stop(): Promise<void>;
};

/** A port is taken: reported as one line, before anything started. */
export class PortInUseError extends Error {
  override name = "PortInUseError";
}

export type StackHooks = {
  write?: (line: string) => void;
  signal?: AbortSignal;
  /** `dev`: starts the dev server once the manifest is known; returns its URL and how to stop it. */
  startDevServer?: (
    manifest: ReturnType<typeof stackManifest>,
    devPort: number,
  ) => Promise<{ url: string; close(): Promise<void> }>;
};

export async function startStack(options: StackOptions, hooks: StackHooks = {}): Promise<RunningStack> {
  const write = hooks.write ?? ((line: string) => console.log(line));
  const signal = hooks.signal;
  const busy = await busyPortMessage(options);
  if (busy !== null) throw new PortInUseError(busy);

  const cleanup = new Cleanup();
  const stop = () => cleanup.runAll((line) => write(`  ${line}`));
  const steps = new Steps((options.mode === "start" ? 5 : 4) + (options.seed ? 1 : 0), write, signal);
  // The dapp build does not depend on the chain, so it runs beside the first steps (`start` only).
  const build = new AbortController();
  signal?.addEventListener("abort", () => build.abort(signal.reason));
  let buildResult: Promise<{ result: "built" | "current"; ms: number }> | null = null;
  if (options.mode === "start") {
    const began = performance.now();
    buildResult = buildDapp({ force: options.rebuild, signal: build.signal }).then((result) => ({
      result,
      ms: performance.now() - began,
    }));
    // Awaited in its own step; until then a failure must not surface as an unhandled rejection.
    buildResult.catch(() => {});
  }

  // Compiling needs no chain either: it runs while the node starts.
  const compiled = compileContracts({ signal: build.signal });
  compiled.catch(() => {});
  cleanup.add("the background builds", async () => {
    build.abort();
    await Promise.allSettled([compiled, buildResult]);
  });

  type Modules = [typeof import("./ipfs-backend.ts"), typeof import("./deploy.ts"), typeof import("../seed/seed.ts")];
  let modules: Promise<Modules> | undefined;

  try {
    const chain = await steps.run(
      options.rpcUrl === null ? "Start the Hardhat node" : "Connect to the chain",
      async () => {
        const starting =
          options.rpcUrl === null ? startHardhatNode(options.rpcPort, { signal }) : connectExternalNode(options.rpcUrl);
        const load = () => {
          modules = Promise.all([import("./ipfs-backend.ts"), import("./deploy.ts"), import("../seed/seed.ts")]);
          modules.catch(() => {});
        };
        // Helia (which loads all of libp2p), Ignition and the seed's crypto take seconds to import, and importing
        // holds this thread: do it while a node we started boots on the other core. An external node is asked
        // first instead, so the import cannot eat into the time its answer is given.
        if (options.rpcUrl === null) load();
        const value = await starting;
        if (modules === undefined) load();
        cleanup.add(value.process === null ? "the RPC connection" : "the Hardhat node", () => value.stop());
        const said =
          value.process === null
            ? `using ${value.rpcUrl} (chain ${value.chainId})`
            : `${value.rpcUrl} (chain ${value.chainId})`;
        return { value, said };
      },
    );
    signal?.throwIfAborted();

    const [{ connectKubo, startEmbeddedIpfs }, { deployProtocol }, { publishDemoContent, seedDemo }] = await modules!;
    const ipfs = await steps.run(
      options.kuboUrl === null ? "Start the IPFS node and gateway" : "Connect to Kubo",
      async () => {
        const value =
          options.kuboUrl === null
            ? await startEmbeddedIpfs(options.ipfsRepo, options.gatewayPort)
            : await connectKubo(options.kuboUrl);
        cleanup.add(value.kind === "embedded" ? "the IPFS node and gateway" : "the Kubo client", () => value.close());
        return { value, said: `${value.describe}; gateway ${value.gatewayUrl}` };
      },
    );
    signal?.throwIfAborted();

    // The demo pictures and metadata need only IPFS: they are made and added while the contracts compile and deploy.
    const content = options.seed ? publishDemoContent(ipfs, { chainId: Number(chain.chainId) }) : null;
    content?.catch(() => {});

    const deployment = await steps.run("Compile and deploy Merchstand and MockUSD (Ignition)", async () => {
      await compiled;
      const value = await deployProtocol(chain.rpcUrl);
      return { value, said: `Merchstand ${value.merchstand}, mUSD ${value.mockUsd}, block ${value.deploymentBlock}` };
    });
    signal?.throwIfAborted();

    const provider = rpcProvider(chain.rpcUrl, { chainId: chain.chainId });
    provider.pollingInterval = 50;
    cleanup.add("the RPC client", async () => provider.destroy());

    let seed: SeedSummary | null = null;
    if (options.seed) {
      seed = await steps.run("Seed the demo catalog", async () => {
        const value = await seedDemo({ provider, ...deployment }, content!);
        const official = value.stores.filter((s) => s.official).length;
        return {
          value,
          said:
            `${value.stores.length} stores (${official} official), ${value.products} products, ` +
            `${value.orders} orders, ${value.reviews} reviews, ${value.images} pictures`,
        };
      });
      signal?.throwIfAborted();
    }

    const manifest = stackManifest({
      chainId: deployment.chainId,
      rpcUrl: chain.rpcUrl,
      merchstand: deployment.merchstand,
      mockUsd: deployment.mockUsd,
      deploymentBlock: deployment.deploymentBlock,
      gatewayUrl: ipfs.gatewayUrl,
      uploadUrl: ipfs.uploadUrl,
    });

    let dapp: RunningStack["dapp"] = null;
    let devUrl: string | null = null;
    if (buildResult !== null) {
      await steps.run("Build the dapp", async () => {
        const { result, ms } = await buildResult;
        const said =
          result === "built"
            ? `frontend/dist built (alongside the steps above, ${(ms / 1000).toFixed(1)} s)`
            : "frontend/dist is newer than its sources: reused (--rebuild forces a build)";
        return { value: result, said };
      });
      dapp = await steps.run("Add the dapp to IPFS", async () => {
        // A private copy gets this run's manifest: frontend/dist stays exactly what Vite built, and two stacks
        // running at once (a developer's and the test suite's) never add each other's manifest.
        const staged = await stageBuild(DAPP_DIST);
        let added: Awaited<ReturnType<IpfsBackend["addDirectory"]>>;
        try {
          await writeManifest(staged, manifest);
          await writeDemoAccounts(staged, manifest);
          added = await ipfs.addDirectory(staged);
        } finally {
          await rm(staged, { recursive: true, force: true });
        }
        const value = {
          cid: added.cid,
          subdomainUrl: ipfs.subdomainUrl(added.cid),
          pathUrl: `${ipfs.gatewayUrl}/ipfs/${added.cid}/`,
        };
        return { value, said: `${added.cid} (${added.files} files, ${(added.bytes / 1024).toFixed(0)} KiB, pinned)` };
      });
    } else if (hooks.startDevServer !== undefined) {
      const startDevServer = hooks.startDevServer;
      devUrl = await steps.run("Start the Vite dev server", async () => {
        const server = await startDevServer(manifest, options.devPort);
        cleanup.add("the Vite dev server", () => server.close());
        return { value: server.url, said: `${server.url} (hot reload; manifest.json served from memory)` };
      });
    }

    return { chain, deployment, ipfs, seed, manifest, dapp, devUrl, stop };
  } catch (error) {
    if (signal?.aborted) write("Interrupted: stopping what was started…");
    else {
      write(`✗ ${(error as Error).message}`);
      write("Stopping what was started…");
    }
    await stop();
    throw error;
  }
}

/** The lines printed once the stack is up: where the dapp is, the chain, and test accounts to import. */
/**
 * Which URL to open, and the network to add to a wallet: the ready banner's lines for someone who has never used
 * the local chain before.
 */
export function openAndWalletLines(stack: Pick<RunningStack, "dapp" | "devUrl" | "chain">): string[] {
  const open =
    stack.dapp !== null
      ? [
          `  → Open ${stack.dapp.subdomainUrl} in your browser: the subdomain URL gives the dapp its own origin (its`,
          "    own cart, storage and wallet permission). Use the path URL only where *.localhost doesn't resolve.",
        ]
      : stack.devUrl !== null
        ? [`  → Open ${stack.devUrl} in your browser.`]
        : [];
  const chain = { chainId: Number(stack.chain.chainId), rpcUrl: stack.chain.rpcUrl };
  return [
    ...open,
    ...(open.length > 0 && demoAccountsFile(chain) !== null
      ? [
          "  No wallet needed to try it: Connect wallet → a demo account (the buyer, or the seller of The Midnight Owls).",
        ]
      : []),
    "  Or, with your own wallet, add the local chain to it (MetaMask: Settings → Networks → Add a network manually):",
    `      Network name: ${localChainName(Number(stack.chain.chainId))}`,
    `      RPC URL: ${stack.chain.rpcUrl}`,
    `      Chain ID: ${stack.chain.chainId}`,
    "      Currency symbol: ETH",
  ];
}

export async function readyBanner(stack: RunningStack): Promise<string[]> {
  const provider = rpcProvider(stack.chain.rpcUrl, { chainId: stack.chain.chainId });
  try {
    const usd = stack.deployment.mockUsd;
    const balanceOf = async (address: string) => {
      const eth = formatEther(await provider.getBalance(address));
      const raw = await provider.call({
        to: usd,
        data: `0x70a08231${address.slice(2).toLowerCase().padStart(64, "0")}`,
      });
      return `${Number(eth).toFixed(2)} ETH, ${formatUnits(BigInt(raw), 6)} mUSD`;
    };
    const storesOf = (owner: string) =>
      (stack.seed?.stores ?? [])
        .filter((s) => s.owner === owner)
        .map((s) => `"${s.name}"${s.official ? " (official)" : ""}`)
        .join(", ");
    const lines: string[] = ["", "Merchstand is ready."];
    if (stack.dapp !== null) {
      lines.push(
        `  Dapp CID: ${stack.dapp.cid}`,
        `  Dapp URL (subdomain, own origin): ${stack.dapp.subdomainUrl}`,
        `  Dapp URL (path): ${stack.dapp.pathUrl}`,
      );
    }
    if (stack.devUrl !== null) lines.push(`  Dapp URL (Vite dev server, hot reload): ${stack.devUrl}`);
    lines.push(...openAndWalletLines(stack));
    lines.push(
      `  IPFS gateway: ${stack.ipfs.gatewayUrl} (${stack.ipfs.kind === "embedded" ? "embedded Helia node" : "Kubo"})`,
      ...(stack.ipfs.kind === "kubo"
        ? [
            `  Seller uploads go to Kubo's RPC API (${stack.ipfs.uploadUrl}); a browser may only call it once Kubo allows`,
            `  the dapp's origin: ipfs config --json API.HTTPHeaders.Access-Control-Allow-Origin '["*"]' (then restart).`,
          ]
        : []),
      `  RPC: ${stack.chain.rpcUrl} (chain id ${stack.chain.chainId})`,
      `  Merchstand: ${stack.deployment.merchstand} (deployed in block ${stack.deployment.deploymentBlock})`,
      `  mUSD (test stablecoin, 6 decimals, permit): ${stack.deployment.mockUsd}`,
      "",
      "  Accounts to import into a wallet. These are PUBLIC Hardhat test keys: never use them on a real network,",
      "  anything sent to them there is taken at once.",
    );
    const people: Array<[string, keyof typeof CAST]> = [
      ["Buyer", "buyer"],
      ["Seller", "sellerA"],
      ["Seller", "sellerB"],
      ["Verifier", "verifier"],
    ];
    for (const [label, role] of people) {
      const wallet = castWallet(role);
      const owns = storesOf(wallet.address);
      lines.push(
        `  ${label} (account #${CAST[role]}): ${wallet.address}${owns ? ` — owns ${owns}` : ""}`,
        `      private key ${wallet.privateKey}  [${await balanceOf(wallet.address)}]`,
      );
    }
    const drops = stack.seed?.drops;
    if (drops) {
      const dapp = stack.dapp?.subdomainUrl ?? stack.devUrl ?? "";
      lines.push(
        "",
        `  Timed drop: product ${drops.productId} opens to everyone at ${new Date(Number(drops.opensAt) * 1000).toISOString()};`,
        "  until then the fan-club presale is open to whoever holds this code (10% off):",
        `  Presale code: ${drops.presaleCode}`,
        `  Presale link: ${dapp}#${drops.presaleRoute}`,
        `  Door (ticket check-in, as the store's owner): ${dapp}#/door/${drops.storeId}`,
      );
    }
    lines.push("", "Press Ctrl-C to stop.");
    return lines;
  } finally {
    provider.destroy();
  }
}
