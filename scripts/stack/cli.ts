// The command-line shell shared by `npm start` and `npm run dev`: options, signals, exit codes.
//
// Ctrl-C (SIGINT), SIGTERM and SIGHUP all stop the stack the same way: children first, in reverse start order, then
// exit 0. A second Ctrl-C (two seconds or more after the first) exits at once; the process-exit hook still kills the
// child process groups.
import { orExit } from "../cli/options.ts";
import { parseStackOptions, type StackMode, usage } from "./options.ts";
import { busyPortMessage } from "./ports.ts";
import type { RunningStack, StackHooks } from "./stack.ts";

export async function main(mode: StackMode, hooks: Pick<StackHooks, "startDevServer"> = {}): Promise<void> {
  const options = orExit(() => parseStackOptions(mode, process.argv.slice(2), process.env), usage(mode));
  if (options.help) {
    console.log(usage(mode));
    return;
  }

  // Before printing anything: a busy port is one line and nothing else.
  const busy = await busyPortMessage(options);
  if (busy !== null) {
    console.error(busy);
    process.exit(1);
  }

  const abort = new AbortController();
  let stack: RunningStack | null = null;
  let stopping = false;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // Under `npm start`, Ctrl-C arrives twice at once: from the terminal and forwarded by npm. Only a signal
      // well after the first one means "stop waiting".
      if (Date.now() - firstSignalAt < 2000) return;
      console.log(`${signal} again: exiting now.`);
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    console.log(`\n${signal}: stopping…`);
    abort.abort(new Error(`interrupted by ${signal}`));
    if (stack !== null) {
      void stack.stop().then(() => {
        console.log("Stopped.");
        process.exit(0);
      });
    }
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

  console.log(`Merchstand local stack (${mode === "start" ? "npm start" : "npm run dev"})`);
  // Loaded only now: Hardhat, ethers and Helia take a few seconds to import, which a usage error or a busy port
  // should not cost.
  const { readyBanner, startStack } = await import("./stack.ts");
  try {
    stack = await startStack(options, { signal: abort.signal, ...hooks });
  } catch (error) {
    if (error instanceof Error && error.name === "PortInUseError") {
      console.error(error.message);
      process.exit(1);
    }
    if (stopping) {
      console.log("Stopped.");
      process.exit(0);
    }
    // startStack has printed which step failed and stopped what it had started.
    if (!(error instanceof Error && error.name === "StepError")) console.error(error);
    process.exit(1);
  }
  if (stopping) {
    // The signal came as the last step finished: nothing stopped the stack yet.
    await stack.stop();
    console.log("Stopped.");
    process.exit(0);
  }
  for (const line of await readyBanner(stack)) console.log(line);
  // With an external node and Kubo nothing of ours listens; keep running until told to stop anyway.
  setInterval(() => {}, 1 << 30);
}
