// Compiling the contracts for the stack: Hardhat's `build` task in a child process.
import { join } from "node:path";
import { ROOT } from "../cli/root.ts";
import { run } from "./processes.ts";

/**
 * Compiles the contracts (a no-op when the artifacts are current). In a child process, so solc's warnings stay out
 * of the progress lines unless the build fails, and an interrupt can stop a long first compile at once.
 */
export async function compileContracts(options: { signal?: AbortSignal } = {}): Promise<void> {
  await run(process.execPath, [join(ROOT, "node_modules/hardhat/dist/src/cli.js"), "build", "--quiet", "--no-tests"], {
    signal: options.signal,
    keepLines: 60,
  });
}
