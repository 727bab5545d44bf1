// Starts the real local stack (`node scripts/start.ts`) on random free ports for browser tests, reads the URLs
// from its ready banner, and stops it (Ctrl-C, which runs the stack's own cleanup) afterwards.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../../scripts/cli/root.ts";

export type TestStack = {
  dappUrl: string;
  dappCid: string;
  rpcUrl: string;
  gatewayUrl: string;
  merchstand: string;
  output(): string;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", () => {
      clearTimeout(force);
      done();
    });
    child.kill("SIGINT");
  });
}

export async function startTestStack(timeoutMs = 240_000): Promise<TestStack> {
  const rpcPort = await freePort();
  let gatewayPort = await freePort();
  while (gatewayPort === rpcPort) gatewayPort = await freePort();
  const repo = await mkdtemp(join(tmpdir(), "merchstand-e2e-ipfs-"));
  const child = spawn(
    process.execPath,
    ["scripts/start.ts", "--rpc-port", String(rpcPort), "--gateway-port", String(gatewayPort), "--ipfs-repo", repo],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
  );
  let out = "";
  child.stdout?.on("data", (chunk) => {
    out += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    out += String(chunk);
  });
  const stop = async () => {
    await stopProcess(child);
    await rm(repo, { recursive: true, force: true });
  };
  const field = (label: string) => new RegExp(`${label}: (\\S+)`).exec(out)?.[1];
  const deadline = Date.now() + timeoutMs;
  try {
    while (!out.includes("Merchstand is ready.")) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`npm start was not ready in ${timeoutMs} ms:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // The banner is printed in one go after the line above; give the pipe a moment to deliver the rest.
    await new Promise((r) => setTimeout(r, 300));
    const dappUrl = field("Dapp URL \\(subdomain, own origin\\)");
    const rpcUrl = field("RPC");
    const gatewayUrl = field("IPFS gateway");
    const merchstand = field("Merchstand");
    const dappCid = field("Dapp CID");
    if (!dappUrl || !rpcUrl || !gatewayUrl || !merchstand || !dappCid)
      throw new Error(`unexpected ready banner:\n${out}`);
    return { dappUrl, dappCid, rpcUrl, gatewayUrl, merchstand, output: () => out, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
