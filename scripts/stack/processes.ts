// Child processes of the stack (the Hardhat node, the contracts compile, the dapp build), each in its own process
// group.
//
// Own groups, because Ctrl-C in a terminal signals the whole foreground group: if the node got SIGINT at the same
// moment as this script, it could die first and look like a crash. Instead only this script gets the signal and
// stops its children itself, in order, group and all (npm and shells spawn grandchildren). An `exit` hook kills
// whatever is left if this script dies on an error, and each child runs under watchdog.ts, which stops it if this
// script is killed outright.
import { type ChildProcess, spawn } from "node:child_process";
import { delimiter, join } from "node:path";
import { ROOT } from "../cli/root.ts";

const live = new Set<ManagedProcess>();
const WATCHDOG = join(import.meta.dirname, "watchdog.ts");

process.on("exit", () => {
  for (const child of live) child.killNow();
});

export type SpawnOptions = {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Lines kept for the error message when the process fails. */
  keepLines?: number;
};

/** The environment children get: the project's pinned Node (node_modules/.bin) first on PATH. */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...process.env, PATH: `${join(ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`, ...extra };
}

export class ManagedProcess {
  readonly child: ChildProcess;
  readonly command: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  private readonly tail: string[] = [];
  private done = false;

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.command = [command, ...args].join(" ");
    const keep = options.keepLines ?? 40;
    // Under the watchdog, so the child goes down with this script even if this script is killed outright.
    this.child = spawn(process.execPath, [WATCHDOG, command, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? childEnv(),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(this);
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) {
        if (line.trim() === "") continue;
        this.tail.push(line);
        if (this.tail.length > keep) this.tail.shift();
      }
    };
    this.child.stdout?.on("data", collect);
    this.child.stderr?.on("data", collect);
    this.exited = new Promise((resolve) => {
      this.child.once("error", (error) => {
        this.tail.push(error.message);
        this.done = true;
        live.delete(this);
        resolve("spawn-error");
      });
      this.child.once("exit", (code, signal) => {
        this.done = true;
        live.delete(this);
        resolve(code ?? signal ?? "unknown");
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.done;
  }

  /** The last lines the process printed, for error messages. */
  output(): string {
    return this.tail.join("\n");
  }

  private signal(signal: NodeJS.Signals, evenIfExited = false): void {
    if ((this.done && !evenIfExited) || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  killNow(): void {
    this.signal("SIGKILL");
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.done) return;
    this.signal("SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
    // The leader may exit before the rest of its group (npm -> sh -> vite): make sure nothing outlives it.
    this.signal("SIGKILL", true);
  }
}

/** Runs a command to completion; rejects with its last output lines when it fails. */
export async function run(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { signal?: AbortSignal } = {},
): Promise<void> {
  options.signal?.throwIfAborted();
  const proc = new ManagedProcess(command, args, options);
  const onAbort = () => void proc.stop();
  options.signal?.addEventListener("abort", onAbort);
  const code = await proc.exited;
  options.signal?.removeEventListener("abort", onAbort);
  options.signal?.throwIfAborted();
  if (code !== 0) {
    throw new Error(`\`${proc.command}\` failed (${code}):\n${proc.output()}`);
  }
}
