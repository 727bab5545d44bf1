// The benchmark's output: the machine it ran on, every figure with its median, spread and target, printed as
// Markdown tables (the README's Performance section copies them) and written as bench/results.json.

import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import type { GasFigure } from "./gas.ts";
import type { HistoryFigures } from "./history.ts";
import { type L2Cost, l2Note } from "./l2-fee.ts";
import type { SeaportGas } from "./seaport.ts";
import type { Summary } from "./stats.ts";

export type Unit = "ms" | "requests" | "bytes";

export type Figure = {
  key: string;
  group: "catalog" | "dapp" | "ipfs" | "history";
  label: string;
  unit: Unit;
  summary: Summary;
  /** An upper bound the median must stay within, and where it comes from. */
  target?: { max: number; source: string };
  pass?: boolean;
  note?: string;
};

export type Machine = {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium?: string;
  /** 1-minute load average when the run started: on a shared machine it explains a wide spread. */
  loadAverage: number;
};

export type Results = {
  schema: "merchstand/bench@1";
  date: string;
  command: string;
  mode: "full" | "quick";
  durationSeconds: number;
  machine: Machine;
  settings: Record<string, number | string>;
  /** What the figures were measured on: files, CIDs, catalog size. */
  details: Record<string, unknown>;
  gas: GasFigure[];
  /** Seaport 1.6 measured in the same run: both routes (steady and first-ever), the state, how it was built. */
  seaport: SeaportGas;
  /** The ETH purchase on a simulated L1 and OP-stack L2, with the L2's L1 data fee (./l2-fee.ts). */
  l2: L2Cost;
  /** Order history, reviews and the seller's orders through the provider simulator on an old chain, per eth_getLogs cap (./history.ts). */
  history?: HistoryFigures;
  figures: Figure[];
};

export function machineInfo(): Machine {
  const list = cpus();
  let os = `${process.platform} ${process.arch}`;
  try {
    // PRETTY_NAME names the distribution; the kernel alone says little about the environment.
    const release = execFileSync("sh", ["-c", '. /etc/os-release && echo "$PRETTY_NAME"'], { encoding: "utf8" });
    if (release.trim()) os = `${release.trim()} (${process.arch})`;
  } catch {
    // Not Linux, or no os-release: platform and arch it is.
  }
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os,
    node: process.version,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

/** A figure with its pass/fail judged on the median. */
export function figure(input: Omit<Figure, "pass">): Figure {
  return input.target === undefined ? input : { ...input, pass: input.summary.median <= input.target.max };
}

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case "ms":
      return value >= 1000
        ? `${(value / 1000).toFixed(2)} s`
        : `${value < 10 ? value.toFixed(1) : int.format(value)} ms`;
    case "bytes":
      // kB = 1,000 bytes, as Vite prints them and as the budget is written.
      return `${(value / 1000).toFixed(1)} kB`;
    case "requests":
      return int.format(value);
  }
}

function spread(s: Summary, unit: Unit): string {
  if (s.n === 1) return unit === "bytes" ? "exact" : "(1 run)";
  return s.min === s.max ? "none" : `${formatValue(s.min, unit)} – ${formatValue(s.max, unit)}`;
}

function table(header: string[], rows: string[][], align: Array<"l" | "r">): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (align[i] === "l" ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (align[i] === "l" ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

const verdict = (pass: boolean | undefined) => (pass === undefined ? "" : pass ? "pass" : "**FAIL**");

/** Ours over Seaport's, e.g. "0.63×". */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? "" : `${ratio.toFixed(2)}×`;
}

export function gasTable(gas: readonly GasFigure[]): string {
  const n = (v: number | undefined) => (v === undefined ? "" : int.format(v));
  return table(
    ["operation", "gas (steady)", "first-ever", "budget", "result", "Seaport 1.6", "ours ÷ Seaport"],
    gas.map((g) => [
      g.operation,
      n(g.steady),
      g.firstEver === g.steady ? "same" : n(g.firstEver),
      g.budget === undefined ? "" : `≤ ${n(g.budget)}`,
      verdict(g.pass),
      n(g.seaport),
      formatRatio(g.seaportRatio),
    ]),
    ["l", "r", "r", "r", "l", "r", "r"],
  );
}

/** What the Seaport column is, in one paragraph under the gas table. */
export function seaportNote(seaport: SeaportGas): string {
  const b = seaport.build;
  const n = (v: number) => int.format(v);
  return (
    `Seaport 1.6, measured in this run on the same network: ${b.source} compiled with solc ${b.solc}, ${b.settings} ` +
    `(runtime ${n(b.runtimeBytes)} bytes; ${b.cached ? "loaded from cache/seaport/" : "compiled"} in ${b.seconds} s). ` +
    "A seller's EIP-712-signed listing of one ERC-1155 (scripts/bench/seaport/MinimalERC1155.sol) at the same price " +
    "as our purchase, with 2.5% to one fee recipient, fulfilled through `fulfillBasicOrder_efficient_6GL6yc`; paid " +
    `in ETH ${n(seaport.eth.steady)} gas (first-ever ${n(seaport.eth.firstEver)}), in mUSD (contracts/mocks/MockUSD.sol, ` +
    `the token our ERC-20 purchase pays in) ${n(seaport.erc20.steady)} (first-ever ${n(seaport.erc20.firstEver)}). ` +
    `Steady = ${seaport.state}. Seaport holds no escrow and pays the seller at once; our purchase escrows the ` +
    "payment and carries a 200-byte encrypted shipping address."
  );
}

export function figureTable(figures: readonly Figure[]): string {
  return table(
    ["measurement", "median", "spread (min–max)", "runs", "target", "result"],
    figures.map((f) => [
      f.label,
      formatValue(f.summary.median, f.unit),
      spread(f.summary, f.unit),
      String(f.summary.n),
      f.target === undefined ? "" : `≤ ${formatValue(f.target.max, f.unit)}`,
      verdict(f.pass),
    ]),
    ["l", "r", "r", "r", "r", "l"],
  );
}

export function header(results: Results): string {
  const m = results.machine;
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; load average ${m.loadAverage} at start`,
    `Node ${m.node}${m.chromium ? `, Chromium ${m.chromium}` : ""}; ${results.date}; ${results.mode} mode, ${Math.round(results.durationSeconds)} s`,
    `Command: ${results.command}`,
  ].join("\n");
}

/** The whole report as Markdown: header, gas table, the other figures, and what the columns mean. */
export function renderReport(results: Results): string {
  const notes = results.figures.filter((f) => f.note !== undefined).map((f) => `- ${f.label}: ${f.note}`);
  return [
    header(results),
    "",
    "Gas per transaction (whole transaction's `receipt.gasUsed`; budgets from scripts/gas-report.ts):",
    "",
    gasTable(results.gas),
    "",
    "Catalog, dapp and IPFS (targets from README.md's Performance table; pass/fail judged on the median):",
    "",
    figureTable(results.figures),
    ...(notes.length > 0 ? ["", ...notes] : []),
    "",
    "Gas steady = second pass on the same deployment (shared slots already nonzero, as on a live deployment); " +
      "first-ever = the same operation on a fresh deployment. kB = 1,000 bytes, gzip level 9.",
    "",
    seaportNote(results.seaport),
    "",
    l2Note(results.l2),
  ].join("\n");
}

export function failures(results: Results): string[] {
  return [
    ...results.gas.filter((g) => g.pass === false).map((g) => `gas: ${g.operation}`),
    ...results.figures.filter((f) => f.pass === false).map((f) => f.label),
  ];
}
