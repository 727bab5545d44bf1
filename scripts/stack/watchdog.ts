// Runs a command and takes it down with it when the process that started the watchdog disappears.
//
// The stack stops its children itself on Ctrl-C, SIGTERM, SIGHUP and on errors. What it cannot handle is being
// killed outright (SIGKILL, an OOM kill, a CI job cancelled): its children would live on, holding ports. Each child
// therefore runs under this watchdog, which notices that it was re-parented (its parent died) and stops the child.
// Usage: node watchdog.ts <command> [args...]
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error("usage: watchdog.ts <command> [args...]");
  process.exit(2);
}

const parent = process.ppid;
const child = spawn(command, args, { stdio: "inherit" });
let stopping = false;

/** Signals the child and everything it started: the watchdog leads its own process group when the stack spawns it. */
function signalAll(signal: NodeJS.Signals): void {
  try {
    process.kill(-process.pid, signal);
  } catch {
    child.kill(signal); // not a group leader (run by hand): the child alone
  }
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  signalAll(signal);
  // A child that ignores SIGTERM still goes.
  setTimeout(() => signalAll("SIGKILL"), 5000).unref();
}

const poll = setInterval(() => {
  if (process.ppid !== parent) stop("SIGTERM");
}, 500);

// The whole process group gets the stack's SIGTERM; wait for the child instead of dying before it.
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => stop(signal));

child.on("error", (error) => {
  console.error(`watchdog: could not start ${command}: ${error.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  clearInterval(poll);
  process.exit(code ?? (signal === null ? 1 : 128));
});
