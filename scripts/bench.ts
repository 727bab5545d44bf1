// `npm run bench` (= `node scripts/bench.ts [--quick] [--strict]`): the figures that show where Merchstand stands.
// Gas per operation, catalog reads through the dapp's own client layer, the dapp's first-load weight and time to a
// rendered catalog in headless Chromium, and the local IPFS node's add/pin and gateway latency. Prints Markdown
// tables and writes bench/results.json (and, in full mode, bench/README.md, which the README's Performance section
// copies). `--quick` (CI) runs every code path with a smaller catalog and fewer repetitions.
//
// One module per measurement under scripts/bench/. Everything measured is the project's own code: the contracts'
// shared gas scenario, the stack's node, gateway and Helia functions, the dapp's client layer and its build.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { measureCatalogRender, measureThrottledPaint, SLOW_3G } from "./bench/browser.ts";
import { measureCatalogReads } from "./bench/catalog-reads.ts";
import { seedCatalog } from "./bench/catalog-seed.ts";
import { measureFirstLoad } from "./bench/dapp-size.ts";
import { measureGasFigures } from "./bench/gas.ts";
import {
  describeCase,
  HISTORY_BLOCKS,
  HISTORY_LATENCY_MS,
  type HistoryFigures,
  measureHistory,
} from "./bench/history.ts";
import { measureAddAndPin, measureFirstByte, oneMegabyteImage } from "./bench/ipfs.ts";
import { l2Note, measureL2Cost } from "./bench/l2-fee.ts";
import { type Figure, failures, figure, machineInfo, type Results, renderReport } from "./bench/report.ts";
import { type Summary, summarize } from "./bench/stats.ts";
import { helpText, type OptionTable, orExit, parseOptions, switchOn } from "./cli/options.ts";
import { ROOT } from "./cli/root.ts";
import { DAPP_DIST, writeManifest } from "./stack/dapp.ts";
import { freePort } from "./stack/ports.ts";
import { type RunningStack, startStack } from "./stack/stack.ts";
import { Cleanup } from "./stack/steps.ts";

const OPTIONS = {
  quick: {
    type: "boolean",
    describe: "CI mode: every measurement, with a 200-product catalog and fewer repetitions (a few minutes)",
  },
  strict: {
    type: "boolean",
    describe: "exit 1 when a figure misses its target (by default misses are reported, not fatal)",
  },
} as const satisfies OptionTable;

const USAGE = helpText(
  "Usage: npm run bench -- [--quick] [--strict]",
  "Measures gas, catalog reads, the dapp's weight and render time, and the IPFS node; writes bench/results.json.",
  OPTIONS,
);

const MODES = {
  full: {
    products: 1000,
    stores: 10,
    page1Reps: 10,
    allReps: 3,
    renderReps: 5,
    addReps: 5,
    gatewayReps: 20,
    historyBudgetS: 300,
  },
  quick: {
    products: 200,
    stores: 4,
    page1Reps: 2,
    allReps: 2,
    renderReps: 2,
    addReps: 2,
    gatewayReps: 5,
    historyBudgetS: 20,
  },
} as const;

const BENCH_DIR = join(ROOT, "bench");

async function section<T>(name: string, fn: () => Promise<T>): Promise<T> {
  console.log(`› ${name}…`);
  const started = performance.now();
  const value = await fn();
  console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

async function main(): Promise<number> {
  const parsed = orExit(() => parseOptions(OPTIONS, process.argv.slice(2), {}), USAGE);
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const args = { quick: switchOn(parsed.values.quick), strict: switchOn(parsed.values.strict) };
  const mode = args.quick ? "quick" : "full";
  const settings = MODES[mode];
  const began = performance.now();
  const date = new Date().toISOString();
  const machine = machineInfo();
  console.log(`Merchstand benchmark, ${mode} mode: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);

  const cleanup = new Cleanup();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.log(`\n${signal}: stopping what the benchmark started…`);
    void cleanup.runAll((line) => console.log(`  ${line}`)).then(() => process.exit(130));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

  try {
    const { figures: gas, seaport } = await section(
      "Gas per operation (the contracts' shared scenario), and Seaport 1.6 on the same network",
      () => measureGasFigures((line) => console.log(`  ${line}`)),
    );

    const l2 = await section("One purchase on L1 and on an OP-stack L2, with its L1 data fee (simulated chains)", () =>
      measureL2Cost(),
    );
    console.log(`  ${l2Note(l2)}`);

    const history = await section(
      `Order history, reviews and the seller's orders ${HISTORY_BLOCKS.toLocaleString("en")} blocks after deployment, ${HISTORY_LATENCY_MS} ms per request, through the provider simulator`,
      () => measureHistory(settings.historyBudgetS, (line) => console.log(`  ${line}`)),
    );

    // Every temp folder of the run (the stack's IPFS repo, the add-and-pin repos) lives under one, removed at the end.
    const workDir = await mkdtemp(join(tmpdir(), "merchstand-bench-"));
    cleanup.add("the benchmark's temp folder", () => rm(workDir, { recursive: true, force: true }));
    const stack: RunningStack = await section(
      "Local stack: Hardhat node, Merchstand, IPFS node and gateway, dapp",
      async () => {
        const rpcPort = await freePort();
        let gatewayPort = await freePort();
        while (gatewayPort === rpcPort) gatewayPort = await freePort();
        const running = await startStack(
          {
            mode: "start",
            rpcPort,
            gatewayPort,
            devPort: 0,
            rpcUrl: null,
            kuboUrl: null,
            seed: false,
            rebuild: false,
            ipfsRepo: join(workDir, "stack-ipfs"),
            help: false,
          },
          { write: (line) => console.log(`  ${line}`) },
        );
        cleanup.add("the local stack", () => running.stop());
        return running;
      },
    );
    // frontend/dist belongs to the working tree, where a build or another stack's manifest.json can replace files
    // mid-run. So the benchmark works on its own copy, with this stack's manifest, added to this stack's node: the
    // browser loads exactly the files that are weighed and re-added below.
    const dist = join(workDir, "dist");
    const dapp = await section("Snapshot frontend/dist and add it to the stack's IPFS node", async () => {
      await cp(DAPP_DIST, dist, { recursive: true });
      await writeManifest(dist, stack.manifest);
      const site = await stack.ipfs.addDirectory(dist);
      return { cid: site.cid, subdomainUrl: stack.ipfs.subdomainUrl(site.cid) };
    });

    const seeded = await section(
      `Seed ${settings.products} products × 3 variants in ${settings.stores} stores`,
      async () => {
        const started = performance.now();
        const result = await seedCatalog({
          rpcUrl: stack.chain.rpcUrl,
          merchstand: stack.deployment.merchstand,
          products: settings.products,
          stores: settings.stores,
          addBytes: (bytes) => stack.ipfs.addBytes(bytes),
          log: (line) => console.log(`  ${line}`),
        });
        return { ...result, seconds: (performance.now() - started) / 1000 };
      },
    );

    const reads = await section("Catalog reads through frontend/src/client", () =>
      measureCatalogReads({ rpcUrl: stack.chain.rpcUrl, merchstand: stack.deployment.merchstand }, settings.products, {
        page1: settings.page1Reps,
        all: settings.allReps,
      }),
    );

    const firstLoad = await section("First-load JS and CSS of frontend/dist", () => measureFirstLoad(dist));

    const render = await section(`Catalog render in headless Chromium (${settings.renderReps} runs)`, () =>
      measureCatalogRender({ url: dapp.subdomainUrl, dist, reps: settings.renderReps, rpcUrl: stack.chain.rpcUrl }),
    );
    machine.chromium = render.chromium;

    const throttledReps = Math.min(settings.renderReps, 3);
    const slow = await section(`First paint on ${SLOW_3G.name} in headless Chromium (${throttledReps} runs)`, () =>
      measureThrottledPaint({ url: dapp.subdomainUrl, reps: throttledReps, network: SLOW_3G }),
    );

    const added = await section(`Add and pin the dapp build (${settings.addReps} runs)`, () =>
      measureAddAndPin(dist, settings.addReps, workDir),
    );
    if (added.cid !== dapp.cid) throw new Error(`the dapp build added again got ${added.cid}, not ${dapp.cid}`);

    const gateway = await section(`Gateway first-byte latency (${settings.gatewayReps} requests each)`, async () => {
      const image = oneMegabyteImage();
      const imageCid = await stack.ipfs.addBytes(image);
      const site = new URL(dapp.subdomainUrl);
      const index = await measureFirstByte(`${stack.ipfs.gatewayUrl}/`, settings.gatewayReps, { host: site.host });
      if (!index.contentType.startsWith("text/html")) throw new Error(`index.html came back as ${index.contentType}`);
      const img = await measureFirstByte(`${stack.ipfs.gatewayUrl}/ipfs/${imageCid}`, settings.gatewayReps, {
        expectBytes: image.length,
      });
      if (!img.contentType.startsWith("image/png")) throw new Error(`the image came back as ${img.contentType}`);
      return { index, img, imageBytes: image.length, imageCid };
    });

    await section("Stop the stack", () => cleanup.runAll((line) => console.log(`  ${line}`)));

    const n = settings.products;
    const exact = (value: number) => summarize([value]);
    const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
    const ms = (s: Summary) => `${Math.round(s.median)} ms`;
    const figures: Figure[] = [
      figure({
        key: "catalog.page1.requests",
        group: "catalog",
        label: `catalog page 1 (${reads.page1.products} of ${n} products): RPC requests`,
        unit: "requests",
        summary: reads.page1.requests,
        target: { max: 1, source: "project target" },
      }),
      figure({
        key: "catalog.page1.ms",
        group: "catalog",
        label: "catalog page 1: load + decode time (Node, HTTP to hardhat node)",
        unit: "ms",
        summary: reads.page1.ms,
      }),
      figure({
        key: "catalog.all.requests",
        group: "catalog",
        label: `all ${n} products (3 variants each): RPC requests`,
        unit: "requests",
        summary: reads.all.requests,
        target: { max: 12, source: "project target (for 1,000 products)" },
      }),
      figure({
        key: "catalog.all.ms",
        group: "catalog",
        label: `all ${n} products: load + decode time`,
        unit: "ms",
        summary: reads.all.ms,
      }),
      figure({
        key: "dapp.firstLoadJs",
        group: "dapp",
        label: `first-load JS, gzip (index.html's module script and preloads: ${firstLoad.js.length} file(s))`,
        unit: "bytes",
        summary: exact(firstLoad.jsGzip),
        target: { max: 100_000, source: "project target" },
      }),
      figure({
        key: "dapp.firstLoadCss",
        group: "dapp",
        label: `first-load CSS, gzip (index.html's stylesheets: ${firstLoad.css.length} file(s))`,
        unit: "bytes",
        summary: exact(firstLoad.cssGzip),
      }),
      figure({
        key: "dapp.homeJs",
        group: "dapp",
        label: `JS the browser fetched before the catalog painted, gzip (${render.scripts.length} files, incl. lazy chunks)`,
        unit: "bytes",
        summary: exact(render.scriptsGzip),
        target: { max: 100_000, source: "project target" },
      }),
      figure({
        key: "dapp.render",
        group: "dapp",
        label: "navigation → catalog painted (headless Chromium, local gateway subdomain URL)",
        unit: "ms",
        summary: render.ms,
        target: { max: 1500, source: "project target" },
        note:
          `medians: DOMContentLoaded ${ms(render.phases.domContentLoaded)}, first RPC request sent ` +
          `${ms(render.phases.firstRpcStart)}, last RPC answer (of ${render.phases.rpcRequests.median}) in ` +
          `${ms(render.phases.lastRpcEnd)}, catalog painted ${ms(render.ms)}; wall clock from page.goto to the ` +
          `marker seen by Playwright ${ms(render.wallMs)}`,
      }),
      figure({
        key: "dapp.slow3g.firstPaint",
        group: "dapp",
        label: `${SLOW_3G.name} (${SLOW_3G.downloadKbps} kbit/s, ${SLOW_3G.latencyMs} ms RTT, 390 px): navigation → first contentful paint`,
        unit: "ms",
        summary: slow.firstContentfulPaint,
        note: `medians: DOMContentLoaded ${ms(slow.domContentLoaded)}, catalog painted ${ms(slow.catalog)}`,
      }),
      figure({
        key: "dapp.slow3g.catalog",
        group: "dapp",
        label: `${SLOW_3G.name}: navigation → catalog painted`,
        unit: "ms",
        summary: slow.catalog,
      }),
      figure({
        key: "ipfs.addPin",
        group: "ipfs",
        label: `add + pin the dapp build (${added.files} files, ${kB(added.bytes)}) to a fresh Helia node`,
        unit: "ms",
        summary: added.ms,
      }),
      figure({
        key: "ipfs.ttfb.index",
        group: "ipfs",
        label: "gateway first byte: index.html (subdomain URL, new connection)",
        unit: "ms",
        summary: gateway.index.ttfb,
      }),
      figure({
        key: "ipfs.ttfb.image",
        group: "ipfs",
        label: `gateway first byte: ${kB(gateway.imageBytes)} PNG (new connection)`,
        unit: "ms",
        summary: gateway.img.ttfb,
        note: `whole ${kB(gateway.imageBytes)} download: median ${gateway.img.total.median.toFixed(1)} ms`,
      }),
    ];

    figures.push(...historyFigures(history, settings.historyBudgetS));

    const results: Results = {
      schema: "merchstand/bench@1",
      date,
      command: `npm run bench${args.quick ? " -- --quick" : ""}`,
      mode,
      durationSeconds: Math.round((performance.now() - began) / 100) / 10,
      machine,
      settings: {
        products: n,
        stores: seeded.stores,
        variantsPerProduct: seeded.variantsPerProduct,
        page1Reps: settings.page1Reps,
        allReps: settings.allReps,
        renderReps: settings.renderReps,
        addReps: settings.addReps,
        gatewayReps: settings.gatewayReps,
      },
      details: {
        seed: seeded,
        dappCid: dapp.cid,

        imageCid: gateway.imageCid,
        firstLoad,
        scriptsBeforeCatalogPainted: render.scripts,
        renderPhasesMs: render.phases,
        renderWallClockMs: render.wallMs,
        imageDownloadMs: gateway.img.total,
      },
      gas,
      seaport,
      l2,
      history,
      figures,
    };

    const report = renderReport(results);
    console.log(`\n${report}\n`);
    await mkdir(BENCH_DIR, { recursive: true });
    const out = join(BENCH_DIR, mode === "full" ? "results.json" : "results.quick.json");
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Wrote ${relative(ROOT, out)}`);
    if (mode === "full") {
      const readme = join(BENCH_DIR, "README.md");
      await writeFile(readme, benchReadme(report));
      console.log(`Wrote ${relative(ROOT, readme)}`);
    }
    const missed = failures(results);
    if (missed.length > 0) console.log(`\nMissed targets: ${missed.join("; ")}`);
    return args.strict && missed.length > 0 ? 1 : 0;
  } finally {
    await cleanup.runAll((line) => console.log(`  ${line}`));
  }
}

/** Time and requests of each history case per `eth_getLogs` cap (scripts/bench/history.ts), with its target. */
function historyFigures(history: HistoryFigures, budgetS: number): Figure[] {
  const out: Figure[] = [];
  for (const { cap, cases } of history) {
    for (const c of cases) {
      const note = c.finished ? describeCase(c) : `not finished within the ${budgetS} s budget: ${describeCase(c)}`;
      const label = `${c.name}, eth_getLogs cap ${cap.toLocaleString("en")} blocks`;
      out.push(
        figure({
          key: `history.cap${cap}.${c.key}.requests`,
          group: "history",
          label: `${label}: HTTP requests`,
          unit: "requests",
          summary: summarize([c.requests]),
          note,
          ...(c.target?.requests === undefined
            ? {}
            : { target: { max: c.target.requests, source: "issue target (README.md, Performance)" } }),
        }),
        figure({
          key: `history.cap${cap}.${c.key}.ms`,
          group: "history",
          label: `${label}: time`,
          unit: "ms",
          summary: summarize([c.seconds * 1000]),
          note,
          ...(c.target
            ? { target: { max: c.target.seconds * 1000, source: "issue target (README.md, Performance)" } }
            : {}),
        }),
      );
    }
  }
  return out;
}

function benchReadme(report: string): string {
  return `# Benchmark

The latest full run of \`npm run bench\` (\`node scripts/bench.ts\`). It writes this file and
[results.json](results.json); the README's Performance section copies the tables below.

- \`npm run bench\`: full run (1,000 products × 3 variants, 5 browser runs, 20 gateway requests per file).
- \`npm run bench -- --quick\`: what CI runs after the tests; every code path, 200 products, 2 runs each.
- \`npm run bench -- --strict\`: exit 1 when a figure misses its target.

What each figure is: gas comes from the contracts' shared scenario (\`scripts/gas-report.ts\`, the same numbers the
gas test asserts); Seaport 1.6 is compiled from the npm package \`seaport-core\` 1.6.6 with Seaport's own settings
(solc 0.8.24, via-IR, cancun, runs 4294967295; cached in \`cache/seaport/\`) and measured on the same network in the
same run (\`scripts/bench/seaport.ts\`), a signed ETH or mUSD → ERC-1155 basic order with a 2.5% fee recipient, and
"ours ÷ Seaport" is our purchase's steady gas over Seaport's; catalog reads go through the dapp's own client layer (\`frontend/src/client\`) over HTTP to a
\`hardhat node\`, counting requests at the transport; the render time is the page's own clock from navigation start
to the frame that paints the first product card, in headless Chromium opening the dapp from the local gateway's
subdomain URL with a fresh browser context each run; IPFS figures use the stack's embedded Helia node and gateway.

${report}
`;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`\nBenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
