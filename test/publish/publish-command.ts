import { existsSync } from "node:fs";
import { cp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "chai";
import { CID } from "multiformats/cid";
import { packDirectory } from "../../scripts/ipfs/car.ts";
import { openIpfsNode } from "../../scripts/ipfs/node.ts";
import { buildDappManifest, serializeDappManifest } from "../../scripts/publish/dapp-manifest.ts";
import { readCar } from "./support/car-reader.ts";
import {
  makeFixtureDist,
  makeManifestsDir,
  ROOT,
  type RunResult,
  runScript,
  SEPOLIA_MANIFEST,
  tempDir,
} from "./support/fixtures.ts";
import { type MockKubo, type MockPinningService, startMockKubo, startMockPinningService } from "./support/servers.ts";

const TOKEN = "psa-secret-token";
const FAST = ["--retries", "3", "--retry-delay", "5", "--poll-interval", "5", "--pin-timeout", "20"];

type Summary = {
  cid: string;
  ensContenthash: string;
  dnslink: string;
  gatewayLinks: string[];
  localGatewayLink: string | null;
  pinned: { target: string; where: string }[];
  failed: { target: string; error: string }[];
};

describe("npm run publish (scripts/publish.ts)", function () {
  this.timeout(180_000);
  let manifests: string;
  let kubo: MockKubo | undefined;
  let psa: MockPinningService | undefined;

  before(async () => {
    manifests = await makeManifestsDir();
  });
  afterEach(async () => {
    await kubo?.close();
    await psa?.close();
    kubo = undefined;
    psa = undefined;
  });

  async function publish(extra: string[], env: Record<string, string> = {}): Promise<RunResult & { dist: string }> {
    const dist = await makeFixtureDist(await tempDir("dist"));
    const result = await runScript(
      "scripts/publish.ts",
      [
        "--network",
        "sepolia",
        "--skip-build",
        "--dist",
        dist,
        "--manifests-dir",
        manifests,
        "--car",
        join(await tempDir("car"), "site.car"),
        ...FAST,
        ...extra,
      ],
      { MERCHSTAND_IPFS_REPO: join(await tempDir("repo"), "ipfs"), ...env },
    );
    return { ...result, dist };
  }

  describe("with the embedded node, a Kubo node and a pinning service", () => {
    let run: RunResult & { dist: string };
    let summary: Summary;
    let repo: string;
    // Own servers: the suite-level afterEach closes the shared ones after every test.
    let fullKubo: MockKubo;
    let fullPsa: MockPinningService;

    before(async () => {
      fullKubo = await startMockKubo();
      fullPsa = await startMockPinningService({ token: TOKEN });
      repo = join(await tempDir("repo"), "ipfs");
      run = await publish(["--json", "--ipfs-repo", repo, "--kubo", fullKubo.url], {
        MERCHSTAND_PINNING_URL: fullPsa.url,
        MERCHSTAND_PINNING_TOKEN: TOKEN,
      });
      summary = JSON.parse(run.stdout) as Summary;
    });
    after(async () => {
      await fullKubo.close();
      await fullPsa.close();
    });

    it("exits 0 and reports all three targets pinned", () => {
      expect(run.code, run.stderr).to.equal(0);
      expect(summary.pinned.map((p) => p.target)).to.deep.equal(["embedded node", "Kubo", "pinning service"]);
      expect(summary.failed).to.deep.equal([]);
    });

    it("writes manifest.json in the FORMATS.md shape, with a public RPC and no secret", async () => {
      const written = await readFile(join(run.dist, "manifest.json"), "utf8");
      expect(written).to.equal(serializeDappManifest(buildDappManifest(SEPOLIA_MANIFEST)));
      const manifest = JSON.parse(written);
      expect(Object.keys(manifest)).to.deep.equal([
        "version",
        "chainId",
        "chainName",
        "rpcUrl",
        "explorerUrl",
        "merchstand",
        "deploymentBlock",
        "currencies",
        "ipfsGateways",
        "ipfsUpload",
        "usdFeed",
      ]);
      expect(manifest.rpcUrl).to.equal("https://ethereum-sepolia-rpc.publicnode.com");
      expect(manifest.merchstand).to.equal(SEPOLIA_MANIFEST.merchstand);
      expect(written).to.not.contain(TOKEN);
    });

    it("prints the CID of the folder as published (manifest included)", async () => {
      expect(summary.cid).to.equal((await packDirectory(run.dist)).root.toString());
      expect(summary.ensContenthash).to.equal(`0xe301${Buffer.from(CID.parse(summary.cid).bytes).toString("hex")}`);
      expect(summary.dnslink).to.equal(`dnslink=/ipfs/${summary.cid}`);
      expect(summary.gatewayLinks).to.deep.equal([
        `https://${summary.cid}.ipfs.dweb.link/`,
        `https://${summary.cid}.ipfs.w3s.link/`,
      ]);
      expect(summary.localGatewayLink).to.equal(`http://${summary.cid}.ipfs.localhost:8080/`);
    });

    it("imported the CAR into Kubo with its root pinned", async () => {
      const [car] = fullKubo.imports;
      expect((await readCar(car!)).roots.map(String)).to.deep.equal([summary.cid]);
      expect(fullKubo.pinned.has(summary.cid)).to.equal(true);
    });

    it("asked the pinning service for the CID, with Kubo's public address as origin", () => {
      const post = fullPsa.requests.find((r) => r.method === "POST")!;
      expect(post.headers.authorization).to.equal(`Bearer ${TOKEN}`);
      expect(JSON.parse(post.body.toString())).to.deep.equal({
        cid: summary.cid,
        name: "merchstand-sepolia",
        origins: ["/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWSnkYQAs8qN6wWGmrcm7SRBxQcjsnRBEMWhf5WVpJ7emS"],
      });
      expect(fullPsa.pins.map((p) => p.status)).to.deep.equal(["pinned"]);
    });

    it("pinned the root in the embedded node's repo", async () => {
      const node = await openIpfsNode(repo);
      try {
        expect(await node.pins.isPinned(CID.parse(summary.cid))).to.equal(true);
      } finally {
        await node.stop();
      }
    });
  });

  it("gives the same CID for the same source on every run", async () => {
    kubo = await startMockKubo();
    const a = await publish(["--json", "--no-helia", "--kubo", kubo.url]);
    const b = await publish(["--json", "--no-helia", "--kubo", kubo.url]);
    expect(a.code, a.stderr).to.equal(0);
    expect(JSON.parse(b.stdout).cid).to.equal(JSON.parse(a.stdout).cid);
  });

  describe("when the pinning service keeps failing after Kubo pinned", () => {
    it("exits 1, quotes the service's error and says what was pinned where", async () => {
      kubo = await startMockKubo();
      const broken = {
        status: 500,
        json: { error: { reason: "INTERNAL_SERVER_ERROR", details: "storage backend down" } },
      };
      psa = await startMockPinningService({ token: TOKEN, script: { "POST /pins": { always: broken } } });
      const run = await publish(["--no-helia", "--kubo", kubo.url, "--pinning-url", psa.url], {
        MERCHSTAND_PINNING_TOKEN: TOKEN,
      });
      expect(run.code).to.equal(1);
      expect(run.stdout).to.contain("Publish INCOMPLETE: pinned to 1 of 2 targets");
      expect(run.stdout).to.match(new RegExp(`ok +Kubo +${kubo.url.replace(/[.]/g, "\\.")}`));
      expect(run.stdout).to.match(/FAILED +pinning service/);
      expect(run.stdout).to.contain(
        "POST /pins failed after 3 attempts: HTTP 500: INTERNAL_SERVER_ERROR: storage backend down",
      );
      expect(run.stderr).to.match(/attempt 1 failed .*retrying/);
      expect(psa.requests.filter((r) => r.method === "POST")).to.have.length(3);
      // What a maintainer needs is still printed, in the human form.
      expect(run.stdout).to.match(/CID \(v1, base32\) +bafy[a-z2-7]{55}/);
      expect(run.stdout).to.match(/ENS contenthash +0xe3010170/);
      expect(run.stdout).to.match(/DNSLink TXT .*"dnslink=\/ipfs\/bafy/);
      expect(run.stdout).to.match(/https:\/\/bafy[a-z2-7]{55}\.ipfs\.dweb\.link\//);
    });
  });

  describe("bad input", () => {
    it("names the missing pinning token and how to set it", async () => {
      psa = await startMockPinningService({ token: TOKEN });
      const run = await publish([], { MERCHSTAND_PINNING_URL: psa.url });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("MERCHSTAND_PINNING_TOKEN is not set");
      expect(run.stderr).to.contain("npx hardhat keystore set MERCHSTAND_PINNING_TOKEN");
      expect(run.stderr).to.contain("export MERCHSTAND_PINNING_TOKEN=");
      expect(psa.requests).to.have.length(0);
    });

    it("says which networks have a deployment when the network has none", async () => {
      const run = await runScript("scripts/publish.ts", ["--network", "mainnet", "--manifests-dir", manifests]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('No deployment manifest for network "mainnet"');
      expect(run.stderr).to.contain("Deployed networks: sepolia (chain 11155111)");
      expect(run.stderr).to.contain("npm run deploy -- --network mainnet");
    });

    it("refuses to publish a deploy RPC URL that carries a secret", async () => {
      const secretUrl = "https://sepolia.infura.io/v3/0123456789abcdef0123456789abcdef";
      const run = await publish(["--rpc-url", secretUrl], { SEPOLIA_RPC_URL: secretUrl });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("RPC URL contains the value of a secret");
      expect(existsSync(join(run.dist, "manifest.json"))).to.equal(false);
    });
  });

  describe("building the dapp", () => {
    it("runs the frontend build and publishes frontend/dist with the manifest baked in", async function () {
      if (!existsSync(join(ROOT, "frontend", "index.html"))) this.skip();
      kubo = await startMockKubo();
      const run = await runScript("scripts/publish.ts", [
        "--network",
        "sepolia",
        "--manifests-dir",
        manifests,
        "--no-helia",
        "--kubo",
        kubo.url,
        "--json",
        "--car",
        join(await tempDir("car"), "site.car"),
        ...FAST,
      ]);
      expect(run.code, run.stderr).to.equal(0);
      const dist = join(ROOT, "frontend", "dist");
      expect(JSON.parse(await readFile(join(dist, "manifest.json"), "utf8")).chainId).to.equal(11155111);
      const snapshot = await tempDir("snapshot");
      await cp(dist, snapshot, { recursive: true });
      expect(JSON.parse(run.stdout).cid).to.equal((await packDirectory(snapshot)).root.toString());
    });
  });
});
