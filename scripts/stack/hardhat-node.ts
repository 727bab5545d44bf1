// The stack's chain: `hardhat node` as a child process, or a node someone else runs (`--rpc`).
import { join } from "node:path";
import { ROOT } from "../cli/root.ts";
import { rpcOnce } from "../cli/rpc.ts";
import { ManagedProcess } from "./processes.ts";

export type Chain = {
  rpcUrl: string;
  chainId: bigint;
  /** The node process when this run started it; null for an external node. */
  process: ManagedProcess | null;
  stop(): Promise<void>;
};

/** Starts `hardhat node` on 127.0.0.1:`port` and resolves once it answers JSON-RPC. */
export async function startHardhatNode(
  port: number,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Chain> {
  const rpcUrl = `http://127.0.0.1:${port}`;
  // Hardhat's CLI, not a script: the pinned Node runs it (Hardhat 3 refuses Node < 22.13).
  const proc = new ManagedProcess(
    process.execPath,
    [join(ROOT, "node_modules/hardhat/dist/src/cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { keepLines: 30 },
  );
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      if (!proc.running)
        throw new Error(`hardhat node exited (${await proc.exited}) before it answered:\n${proc.output()}`);
      try {
        const chainId = BigInt(await rpcOnce<string>(rpcUrl, "eth_chainId", [], 1000));
        return { rpcUrl, chainId, process: proc, stop: () => proc.stop() };
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`hardhat node did not answer on ${rpcUrl} in time:\n${proc.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

/** Connects to a node this run does not own; it is left running on exit. */
export async function connectExternalNode(rpcUrl: string): Promise<Chain> {
  let chainId: bigint;
  try {
    chainId = BigInt(await rpcOnce<string>(rpcUrl, "eth_chainId", [], 5000));
  } catch (error) {
    throw new Error(`No JSON-RPC node answers at ${rpcUrl} (${(error as Error).message})`);
  }
  return { rpcUrl, chainId, process: null, stop: async () => {} };
}
