import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm, rmdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { expect } from "chai";
import { Interface } from "ethers";
import { rpcOnce } from "../../scripts/cli/rpc.ts";
import { readChainManifest } from "../../scripts/publish/chain-manifest.ts";
import { ROOT, runScript, tempDir } from "./support/fixtures.ts";
import { type Server, send, startServer } from "./support/servers.ts";

// Hardhat's well-known first dev account: never funded anywhere real.
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEV_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const USDC = "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238";

const erc20 = new Interface([
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
  "function nonces(address) view returns (uint256)",
]);

/** A JSON-RPC node that knows chain `chainId` and one ERC-20 (USDC, with permit), and records every method called. */
async function startStubRpc(chainId: number): Promise<Server & { methods: string[] }> {
  const methods: string[] = [];
  const server = await startServer((req, res) => {
    const { id, method, params } = JSON.parse(req.body.toString()) as { id: number; method: string; params: unknown[] };
    methods.push(method);
    const result = (value: unknown) => send(res, { status: 200, json: { jsonrpc: "2.0", id, result: value } });
    switch (method) {
      case "eth_chainId":
        return result(`0x${chainId.toString(16)}`);
      case "eth_getBalance":
        return result("0x6f05b59d3b20000"); // 0.5 ETH
      case "eth_call": {
        const { to, data } = params[0] as { to: string; data: string };
        if (to.toLowerCase() !== USDC.toLowerCase()) return result("0x");
        const fn = erc20.parseTransaction({ data });
        if (fn === null) return result("0x");
        const answers: Record<string, unknown[]> = {
          symbol: ["USDC"],
          decimals: [6],
          DOMAIN_SEPARATOR: [`0x${"11".repeat(32)}`],
          nonces: [0],
        };
        return result(erc20.encodeFunctionResult(fn.name, answers[fn.name]!));
      }
      default:
        return send(res, {
          status: 200,
          json: { jsonrpc: "2.0", id, error: { code: -32601, message: `${method} not stubbed` } },
        });
    }
  });
  return Object.assign(server, { methods });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("npm run deploy (scripts/deploy.ts)", function () {
  this.timeout(60_000);

  describe("bad input", () => {
    it("names the configured networks when the network is unknown", async () => {
      const run = await runScript("scripts/deploy.ts", ["--network", "sepolai"]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('Unknown network "sepolai"');
      expect(run.stderr).to.match(/Configured networks: .*localhost.*sepolia/);
      expect(run.stderr).to.not.contain("HHE");
    });

    it("refuses more ERC-20s at deployment than the constructor has room for, and says how to add them later", async () => {
      const currencies = Array.from({ length: 7 }, (_, i) => ["--currency", `0x${String(i + 1).padStart(40, "0")}`]);
      const run = await runScript("scripts/deploy.ts", ["--network", "sepolia", ...currencies.flat()]);
      expect(run.code).to.not.equal(0);
      expect(run.stderr).to.contain("at most 6 --currency at deployment");
      expect(run.stderr).to.contain("setCurrencyAllowed(token, true)");
      expect(run.stderr).to.not.contain("HHE");
    });

    it("names a missing secret and both ways to set it", async () => {
      const run = await runScript("scripts/deploy.ts", ["--network", "sepolia", "--yes"]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("SEPOLIA_RPC_URL is not set");
      expect(run.stderr).to.contain("npx hardhat keystore set SEPOLIA_RPC_URL");
      expect(run.stderr).to.contain("export SEPOLIA_RPC_URL=<value>");
      expect(run.stderr).to.not.contain("HHE");
    });

    it("says the same when run under `hardhat test` (the dev-keystore error, HHE50002)", async () => {
      const run = await runScript("scripts/deploy.ts", ["--network", "sepolia", "--yes"], { HH_TEST: "true" });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain("SEPOLIA_RPC_URL is not set");
      expect(run.stderr).to.not.contain("HHE");
    });

    it("names the missing deployer key once the RPC URL is set", async () => {
      const rpc = await startStubRpc(11155111);
      try {
        const run = await runScript("scripts/deploy.ts", ["--network", "sepolia", "--yes"], {
          SEPOLIA_RPC_URL: rpc.url,
        });
        expect(run.code).to.equal(1);
        expect(run.stderr).to.contain("SEPOLIA_PRIVATE_KEY is not set");
        expect(run.stderr).to.contain("npx hardhat keystore set SEPOLIA_PRIVATE_KEY");
      } finally {
        await rpc.close();
      }
    });

    it("refuses an RPC that is on another chain than the network's", async () => {
      const rpc = await startStubRpc(1);
      try {
        const run = await runScript("scripts/deploy.ts", ["--network", "sepolia", "--yes"], {
          SEPOLIA_RPC_URL: rpc.url,
          SEPOLIA_PRIVATE_KEY: DEV_KEY,
        });
        expect(run.code).to.equal(1);
        expect(run.stderr).to.contain('The RPC of network "sepolia" is on chain 1, but "sepolia" is chain 11155111');
        expect(rpc.methods).to.not.include("eth_sendRawTransaction");
      } finally {
        await rpc.close();
      }
    });
  });

  describe("--dry-run against the sepolia config", () => {
    it("prints chain, deployer, module, parameters and currencies, and sends nothing", async () => {
      const rpc = await startStubRpc(11155111);
      try {
        const run = await runScript("scripts/deploy.ts", ["--network", "sepolia", "--dry-run"], {
          SEPOLIA_RPC_URL: `${rpc.url}/v3/secret-api-key-0123456789`,
          SEPOLIA_PRIVATE_KEY: DEV_KEY,
        });
        expect(run.code, run.stderr).to.equal(0);
        const out = run.stdout;
        expect(out).to.contain('Dry run for network "sepolia": nothing will be sent.');
        expect(out).to.match(/chain id +11155111 \(from the RPC\)/);
        expect(out).to.match(new RegExp(`deployer +${DEV_ADDRESS}`));
        expect(out).to.match(/balance +0\.5 ETH/);
        expect(out).to.match(/module +ignition\/modules\/Merchstand\.ts \(id "Merchstand"\)/);
        expect(out).to.match(/contract +[\d,]+ bytes of runtime code/);
        expect(out).to.contain(`"admin": "${DEV_ADDRESS} (deployer)"`);
        expect(out).to.contain(`"${USDC}"`);
        expect(out).to.contain(`USDC ${USDC}, 6 decimals, permit`);
        expect(out).to.match(/verify +no: ETHERSCAN_API_KEY is not set/);
        expect(out).to.match(/manifest +ignition\/manifests\/chain-11155111\.json/);
        expect(out).to.not.contain("secret-api-key");
        expect(out).to.not.contain(DEV_KEY.slice(2));
        expect(rpc.methods).to.include("eth_chainId");
        expect(rpc.methods.filter((m) => /^eth_send/.test(m))).to.deep.equal([]);
      } finally {
        await rpc.close();
      }
    });

    it("still prints the plan when the RPC is unreachable or a secret is missing", async () => {
      const port = await freePort();
      const run = await runScript("scripts/deploy.ts", ["--network", "sepolia", "--dry-run", "--fee-bps", "100"], {
        SEPOLIA_RPC_URL: `http://127.0.0.1:${port}`,
      });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/chain id +11155111 \(expected\); RPC unreachable/);
      expect(run.stdout).to.match(/deployer +unknown: SEPOLIA_PRIVATE_KEY is not set/);
      expect(run.stdout).to.contain('"feeBps": 100');
      expect(run.stdout).to.contain(`${USDC} (symbol/decimals read at deploy time)`);
    });
  });

  describe("a real deploy over HTTP with the sepolia config", () => {
    // A local `hardhat node` posing as Sepolia (chain 11155111): the script signs with SEPOLIA_PRIVATE_KEY, runs
    // Ignition with a journal, finds the deployment block and writes the manifest, exactly as it would on Sepolia.
    const deploymentId = `merchstand-test-${process.pid}`;
    let node: ChildProcess | undefined;
    let url: string;

    before(async function () {
      this.timeout(60_000);
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      node = spawn(
        join(ROOT, "node_modules", ".bin", "hardhat"),
        [
          "--config",
          "test/publish/support/lenient-node.config.ts",
          "node",
          "--port",
          String(port),
          "--chain-id",
          "11155111",
        ],
        { cwd: ROOT, stdio: "ignore" },
      );
      for (let i = 0; i < 200; i++) {
        if (
          await rpcOnce(url, "eth_chainId", [], 1000).then(
            () => true,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error("hardhat node did not start");
    });
    after(async () => {
      node?.kill();
      await rm(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
      await rmdir(join(ROOT, "ignition", "deployments")).catch(() => {}); // only if nothing else lives there
    });

    it("deploys Merchstand and writes ignition/manifests/chain-<id>.json", async function () {
      this.timeout(600_000);
      const manifests = await tempDir("deploy-manifests");
      // `--build-profile default` reuses what `hardhat test` just compiled. Hardhat's compile cache keeps one build
      // per source file, so a production (isolated) build here would make every later test run recompile it all.
      const run = await runScript(
        "scripts/deploy.ts",
        [
          "--network",
          "sepolia",
          "--yes",
          "--eth-only",
          "--fee-bps",
          "100",
          "--deployment-id",
          deploymentId,
          "--manifests-dir",
          manifests,
          "--build-profile",
          "default",
        ],
        { SEPOLIA_RPC_URL: url, SEPOLIA_PRIVATE_KEY: DEV_KEY },
        600_000,
      );
      expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
      const manifest = await readChainManifest(join(manifests, "chain-11155111.json"));
      expect(manifest).to.include({ chainId: 11155111, network: "sepolia", chainName: "Sepolia" });
      expect(manifest.explorerUrl).to.equal("https://sepolia.etherscan.io");
      expect(manifest.currencies).to.deep.equal([
        { address: "0x0000000000000000000000000000000000000000", symbol: "ETH", decimals: 18 },
      ]);
      expect(existsSync(join(ROOT, "ignition", "deployments", deploymentId, "journal.jsonl"))).to.equal(true);

      // The manifest agrees with the chain: code at the address, created in that block, with the fee we asked for.
      const rpc = (method: string, params: unknown[]) => rpcOnce<string>(url, method, params);
      const block = `0x${manifest.deploymentBlock.toString(16)}`;
      const before = `0x${(manifest.deploymentBlock - 1).toString(16)}`;
      expect(await rpc("eth_getCode", [manifest.merchstand, block])).to.not.equal("0x");
      expect(await rpc("eth_getCode", [manifest.merchstand, before])).to.equal("0x");
      const fee = new Interface(["function feeBps() view returns (uint16)"]);
      const out = await rpc("eth_call", [
        { to: manifest.merchstand, data: fee.encodeFunctionData("feeBps") },
        "latest",
      ]);
      expect(Number(fee.decodeFunctionResult("feeBps", out)[0])).to.equal(100);
      expect(run.stdout).to.contain(`Merchstand ${manifest.merchstand} at block ${manifest.deploymentBlock}`);
    });
  });
});
