// Running `node scripts/start.ts` / `scripts/dev.ts` inside a test, and checking what processes it leaves behind.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { promisify } from "node:util";

import { ROOT } from "../../../scripts/cli/root.ts";

export { ROOT };
export const runFile = promisify(execFile);

/** The parent pid of every live process, from /proc (Linux, like the project's machines and CI). */
function processTable(): Map<number, { ppid: number; cmdline: string }> {
  const table = new Map<number, { ppid: number; cmdline: string }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Field 4 follows the command name, which is in parentheses and may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      table.set(Number(name), { ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

/** Pids of all descendants of `pid` (children, grandchildren, ...). */
export function descendants(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, info] of table) {
      if (info.ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0); it has exited all the same.
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

/** Processes whose command line contains `text` (e.g. the `--port N` of a Hardhat node). */
export function processesMatching(text: string): number[] {
  return [...processTable()]
    .filter(([pid, info]) => pid !== process.pid && info.cmdline.includes(text))
    .map(([pid]) => pid);
}

export type Script = {
  child: ChildProcess;
  output(): string;
  /** Resolves when `text` appears in the output; rejects if the process exits first or time runs out. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
  exited: Promise<number | null>;
};

/** Runs one of the stack scripts with the test's Node, output captured. */
export function runScript(script: "start" | "dev", args: string[], env: Record<string, string> = {}): Script {
  const child = spawn(process.execPath, [`scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, FORCE_COLOR: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (chunk) => {
    out += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    out += String(chunk);
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor: async (text, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode}) before "${text}":\n${out}`);
        if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A GET to 127.0.0.1:`port` with any Host header (subdomain gateway URLs). */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((done, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}
