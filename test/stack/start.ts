import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { CID } from "multiformats/cid";
import { rpcOnce } from "../../scripts/cli/rpc.ts";
import { castWallet } from "../../scripts/stack/accounts.ts";
import { freePort, isPortFree } from "../../scripts/stack/ports.ts";
import { startFakeKubo } from "./support/fake-kubo.ts";
import {
  alive,
  descendants,
  httpGet,
  processesMatching,
  ROOT,
  runFile,
  runScript,
  type Script,
} from "./support/processes.ts";

/** `count` distinct free ports. */
async function ports(count: number): Promise<number[]> {
  const found = new Set<number>();
  while (found.size < count) found.add(await freePort());
  return [...found];
}

/** Sends SIGINT and resolves with the exit code; fails the test if the script does not stop in time. */
async function interrupt(script: Script, timeoutMs = 30_000): Promise<number | null> {
  script.child.kill("SIGINT");
  const timer = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), timeoutMs));
  const result = await Promise.race([script.exited, timer]);
  if (result === "timeout") {
    script.child.kill("SIGKILL");
    throw new Error(`did not stop within ${timeoutMs} ms of SIGINT:\n${script.output()}`);
  }
  return result;
}

function field(output: string, label: string): string {
  const match = new RegExp(`${label.replace(/[()]/g, "\\$&")}: (\\S+)`).exec(output);
  if (match === null) throw new Error(`no "${label}:" line in:\n${output}`);
  return match[1]!;
}

describe("npm start, end to end", function () {
  // A fresh clone compiles the contracts and builds the dapp inside this test.
  this.timeout(600_000);
  let work: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "merchstand-stack-start-"));
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  describe("when every port is free", () => {
    let rpcPort: number;
    let gatewayPort: number;
    let script: Script;
    let output: string;

    before(async () => {
      [rpcPort, gatewayPort] = (await ports(2)) as [number, number];
      script = runScript("start", [
        "--rpc-port",
        String(rpcPort),
        "--gateway-port",
        String(gatewayPort),
        "--ipfs-repo",
        join(work, "repo"),
      ]);
      await script.waitFor("Press Ctrl-C to stop.", 540_000);
      output = script.output();
    });

    after(async () => {
      if (script !== undefined && script.child.exitCode === null) await interrupt(script).catch(() => {});
    });

    it("prints each step, then the dapp's CID, both URLs, the RPC URL and chain id", () => {
      for (let step = 1; step <= 6; step++) expect(output).to.include(`[${step}/6]`);
      const cid = field(output, "Dapp CID");
      expect(cid).to.match(/^bafybei[a-z2-7]+$/);
      expect(field(output, "Dapp URL (subdomain, own origin)")).to.equal(
        `http://${cid}.ipfs.localhost:${gatewayPort}/`,
      );
      expect(field(output, "Dapp URL (path)")).to.equal(`http://127.0.0.1:${gatewayPort}/ipfs/${cid}/`);
      expect(output).to.include(`RPC: http://127.0.0.1:${rpcPort} (chain id 31337)`);
    });

    it("prints a funded buyer and seller with their keys, labelled as public test keys", async () => {
      expect(output).to.match(/PUBLIC Hardhat test keys: never use them on a real network/);
      for (const role of ["buyer", "sellerA"] as const) {
        const wallet = castWallet(role);
        expect(output).to.include(wallet.address);
        expect(output).to.include(wallet.privateKey);
        const balance = BigInt(
          await rpcOnce<string>(`http://127.0.0.1:${rpcPort}`, "eth_getBalance", [wallet.address, "latest"]),
        );
        expect(balance > 10n ** 18n).to.equal(true);
      }
    });

    it("serves the dapp's index.html and its assets over the path and subdomain URLs", async () => {
      const cid = field(output, "Dapp CID");
      const forms = [
        (path: string) => httpGet(gatewayPort, `/ipfs/${cid}/${path}`),
        (path: string) => httpGet(gatewayPort, `/${path}`, { host: `${cid}.ipfs.localhost:${gatewayPort}` }),
      ];
      for (const get of forms) {
        const index = await get("");
        expect(index.status).to.equal(200);
        expect(index.headers["content-type"]).to.match(/^text\/html/);
        expect(index.headers.etag).to.equal(`"${cid}"`);
        const html = index.body.toString("utf8");
        expect(html).to.match(/<!doctype html>/i);
        const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
        expect(assets.length, "index.html links its bundle with relative URLs").to.be.at.least(1);
        for (const asset of assets) {
          const answer = await get(asset);
          expect(answer.status, asset).to.equal(200);
          const type = asset.endsWith(".js") ? /^text\/javascript/ : asset.endsWith(".css") ? /^text\/css/ : /./;
          expect(answer.headers["content-type"], asset).to.match(type);
        }
        expect((await get("no/such/file.js")).status).to.equal(404);
      }
    });

    it("serves a manifest.json that points at this run's chain, contracts and gateway", async () => {
      const cid = field(output, "Dapp CID");
      const answer = await httpGet(gatewayPort, `/ipfs/${cid}/manifest.json`);
      expect(answer.status).to.equal(200);
      const manifest = JSON.parse(answer.body.toString("utf8"));
      expect(manifest).to.include({ version: 1, chainId: 31337, rpcUrl: `http://127.0.0.1:${rpcPort}` });
      expect(manifest.ipfsGateways).to.deep.equal([`http://127.0.0.1:${gatewayPort}`]);
      expect(manifest.ipfsUpload).to.deep.equal({ kind: "kubo", url: `http://127.0.0.1:${gatewayPort}` });
      expect(manifest.merchstand).to.equal(field(output, "Merchstand"));
      const code = await rpcOnce<string>(manifest.rpcUrl, "eth_getCode", [manifest.merchstand, "latest"]);
      expect(code.length).to.be.greaterThan(2);
      expect(manifest.currencies.map((c: { symbol: string }) => c.symbol)).to.deep.equal(["ETH", "mUSD"]);
    });

    it("prints the CID that ipfs-car computes on its own for the same build folder", async () => {
      const cid = field(output, "Dapp CID");
      // The folder the stack added is frontend/dist plus this run's manifest.json and (the local chain's)
      // demo-accounts.json, byte for byte as served.
      const folder = join(work, "dist-copy");
      await cp(join(ROOT, "frontend/dist"), folder, { recursive: true });
      for (const file of ["manifest.json", "demo-accounts.json"]) {
        await writeFile(join(folder, file), (await httpGet(gatewayPort, `/ipfs/${cid}/${file}`)).body);
      }
      const { stdout } = await runFile(
        join(ROOT, "node_modules/.bin/ipfs-car"),
        ["pack", folder, "--no-wrap", "--output", join(work, "dist.car")],
        { env: { ...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}` } },
      );
      expect(stdout.trim()).to.equal(cid);
    });

    it("stops on SIGINT, leaving no child process and freeing its ports", async () => {
      const children = descendants(script.child.pid!);
      expect(children.length, "the Hardhat node runs as a child").to.be.at.least(1);
      expect(await interrupt(script)).to.equal(0);
      expect(script.output()).to.include("Stopped.");
      // Give the kernel a moment to reap.
      await new Promise((r) => setTimeout(r, 200));
      expect(children.filter(alive), "children still alive").to.deep.equal([]);
      expect(processesMatching(`--port ${rpcPort}`)).to.deep.equal([]);
      expect(await isPortFree(rpcPort)).to.equal(true);
      expect(await isPortFree(gatewayPort)).to.equal(true);
    });

    it("printed no file descriptor closed by the garbage collector (DEP0137), from start to stop", () => {
      // The gateway's dropped reads used to leave block files to the garbage collector: see scripts/ipfs/node.ts.
      expect(script.output()).to.not.match(/Closing file descriptor|DEP0137/);
    });
  });

  describe("when the script is killed outright (SIGKILL)", () => {
    it("its children notice and stop too, so nothing holds the ports", async () => {
      const [rpcPort, gatewayPort] = (await ports(2)) as [number, number];
      const script = runScript("start", ["--rpc-port", String(rpcPort), "--gateway-port", String(gatewayPort)]);
      await script.waitFor(`✓ http://127.0.0.1:${rpcPort}`, 300_000);
      const children = descendants(script.child.pid!);
      expect(processesMatching(`--port ${rpcPort}`).length).to.be.at.least(1);
      script.child.kill("SIGKILL");
      await script.exited;
      const deadline = Date.now() + 15_000;
      while (children.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(children.filter(alive), "children still alive").to.deep.equal([]);
      expect(processesMatching(`--port ${rpcPort}`)).to.deep.equal([]);
      expect(await isPortFree(rpcPort)).to.equal(true);
    });
  });

  describe("when a port is in use", () => {
    let blocker: Server;
    let busy: number;

    before(async () => {
      busy = await freePort();
      blocker = createServer();
      await new Promise<void>((done) => blocker.listen(busy, "127.0.0.1", done));
    });

    after(() => new Promise<void>((done) => blocker.close(() => done())));

    for (const [flag, env] of [
      ["--rpc-port", "MERCHSTAND_RPC_PORT"],
      ["--gateway-port", "MERCHSTAND_GATEWAY_PORT"],
    ] as const) {
      it(`says so in one line naming the port and ${flag}, and starts nothing`, async () => {
        const [other] = await ports(1);
        const otherFlag = flag === "--rpc-port" ? "--gateway-port" : "--rpc-port";
        const script = runScript("start", [flag, String(busy), otherFlag, String(other)]);
        expect(await script.exited).to.equal(1);
        const lines = script
          .output()
          .split("\n")
          .filter((l) => l.trim() !== "");
        expect(lines).to.have.length(1);
        expect(lines[0]).to.include(`Port ${busy}`);
        expect(lines[0]).to.include(flag);
        expect(lines[0]).to.include(env);
        expect(processesMatching(`--port ${busy}`)).to.deep.equal([]);
      });
    }
  });

  describe("with --kubo", () => {
    it("adds and pins the catalog and the dapp through Kubo's RPC API, and points the dapp at Kubo's gateway", async () => {
      const kubo = await startFakeKubo();
      const [rpcPort] = await ports(1);
      const script = runScript("start", ["--rpc-port", String(rpcPort!), "--kubo", kubo.apiUrl]);
      try {
        await script.waitFor("Press Ctrl-C to stop.", 540_000);
        const output = script.output();
        const cid = field(output, "Dapp CID");
        expect(field(output, "IPFS gateway")).to.equal(kubo.gateway.url);
        expect(field(output, "Dapp URL (path)")).to.equal(`${kubo.gateway.url}/ipfs/${cid}/`);
        expect(kubo.calls.filter((c) => c.startsWith("/api/v0/add")).length).to.be.at.least(40);
        expect(kubo.calls.some((c) => c.startsWith("/api/v0/dag/import"))).to.equal(true);
        expect(await kubo.node.pins.isPinned(CID.parse(cid))).to.equal(true);
        const index = await httpGet(kubo.gateway.port, `/ipfs/${cid}/`);
        expect(index.status).to.equal(200);
        expect(index.headers["content-type"]).to.match(/^text\/html/);
        const manifest = JSON.parse((await httpGet(kubo.gateway.port, `/ipfs/${cid}/manifest.json`)).body.toString());
        expect(manifest.ipfsGateways).to.deep.equal([kubo.gateway.url]);
        expect(manifest.ipfsUpload).to.deep.equal({ kind: "kubo", url: kubo.apiUrl });
        expect(await interrupt(script)).to.equal(0);
      } finally {
        if (script.child.exitCode === null) script.child.kill("SIGKILL");
        await kubo.close();
      }
    });
  });

  describe("when a step fails after others started", () => {
    it("names the failed step, stops the Hardhat node it started and exits 1", async () => {
      const [rpcPort, gatewayPort, deadKubo] = (await ports(3)) as [number, number, number];
      const script = runScript("start", [
        "--rpc-port",
        String(rpcPort),
        "--gateway-port",
        String(gatewayPort),
        "--kubo",
        `http://127.0.0.1:${deadKubo}`,
        "--no-seed",
      ]);
      expect(await script.exited).to.equal(1);
      const output = script.output();
      expect(output).to.include("✓ http://127.0.0.1:"); // the node did start
      expect(output).to.match(
        /Step \[2\/5\] "Connect to Kubo" failed: No Kubo RPC API answers at http:\/\/127\.0\.0\.1:\d+/,
      );
      expect(output).to.include("stopped the Hardhat node");
      expect(processesMatching(`--port ${rpcPort}`)).to.deep.equal([]);
      expect(await isPortFree(rpcPort)).to.equal(true);
    });
  });

  describe("when a setting is malformed", () => {
    it("explains which variable is wrong and exits 2 before starting anything", async () => {
      const script = runScript("start", [], { MERCHSTAND_RPC_PORT: "85x45" });
      expect(await script.exited).to.equal(2);
      expect(script.output()).to.include('MERCHSTAND_RPC_PORT must be a port number from 1 to 65535, got "85x45"');
    });
  });
});

describe("npm run dev, end to end", function () {
  this.timeout(600_000);

  it("serves the dapp from a Vite dev server with the stack's manifest, and stops cleanly", async () => {
    const [rpcPort, gatewayPort, devPort] = (await ports(3)) as [number, number, number];
    const work = await mkdtemp(join(tmpdir(), "merchstand-stack-dev-"));
    const script = runScript("dev", [
      "--rpc-port",
      String(rpcPort),
      "--gateway-port",
      String(gatewayPort),
      "--dev-port",
      String(devPort),
      "--ipfs-repo",
      join(work, "repo"),
      "--no-seed",
    ]);
    try {
      await script.waitFor("Press Ctrl-C to stop.", 540_000);
      expect(field(script.output(), "Dapp URL (Vite dev server, hot reload)")).to.equal(`http://127.0.0.1:${devPort}/`);
      const page = await httpGet(devPort, "/");
      expect(page.status).to.equal(200);
      expect(page.body.toString("utf8")).to.match(/<!doctype html>/i);
      // Vite injects its client for hot reload.
      expect(page.body.toString("utf8")).to.include("/@vite/client");
      const manifest = await httpGet(devPort, "/manifest.json");
      expect(manifest.status).to.equal(200);
      expect(JSON.parse(manifest.body.toString("utf8"))).to.include({
        chainId: 31337,
        rpcUrl: `http://127.0.0.1:${rpcPort}`,
      });
      const children = descendants(script.child.pid!);
      expect(await interrupt(script)).to.equal(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(children.filter(alive)).to.deep.equal([]);
      for (const port of [rpcPort, gatewayPort, devPort]) expect(await isPortFree(port), `port ${port}`).to.equal(true);
    } finally {
      if (script.child.exitCode === null) script.child.kill("SIGKILL");
      await rm(work, { recursive: true, force: true });
    }
  });
});
