// Branch coverage of Solidity sources, derived from Hardhat's own statement coverage.
//
// Hardhat 3.17 instruments statements only (EDR has no branch records, Hardhat issue #6733), so branch coverage is
// derived here from two things Hardhat already produces or uses, never from a parser of our own:
// - the statement tags and their UTF-16 ranges, from the same EDR function Hardhat calls when it instruments a
//   file (`addStatementCoverageInstrumentation(content, "project/<path>", version)`), and the per-tag counts
//   Hardhat writes to coverage/data/<mocha|solidity>/*.json;
// - the branch points, from the solc AST (parse only, the npm `solc` package). AST offsets are UTF-8 bytes and are
//   converted to UTF-16 before they are compared with EDR's ranges.
//
// What a count is (checked on a probe contract, Hardhat 3.17 / EDR 0.20.0, and stated by EDR's
// `CodeCoverageConfig` docs): the number of executions that hit the tag at least once. An execution is one
// transaction or eth_call (eth_estimateGas runs the code several times and each run counts) for mocha tests, and
// one test function for Solidity tests. A loop that runs a statement four times in one transaction adds 1. Hits of
// executions that revert are kept.
//
// Every EDR range starts with the whitespace and comments before its statement, so a statement is keyed by its
// first significant character; each key must be the start of a statement node of the AST, or the two disagree and
// the analysis throws instead of guessing.
//
// Branch points and how each arm is judged:
// - `if`: an arm was taken when the statement that starts it was hit: the arm's body itself (EDR tags the bodies
//   of `if` and `else`, wrapping single statements in a block), else the first statement inside it. An `if`
//   without `else` has nothing to tag on its false side: the false arm counts as taken when the `if` was hit in
//   more executions than its true arm. The `if`'s tag is hit before its condition is evaluated, so a strict excess
//   means some execution reached the `if` and did not enter the true arm. Caveats: (1) counts are per execution,
//   so an execution that takes both arms (a loop, or a Solidity test making several calls) counts once on each side
//   and its false arm is not seen: this errs towards "not taken", never towards "taken"; (2) a condition that
//   itself reverts would be counted as a false arm taken.
// - `try`/`catch`: each clause is an arm, judged by the first statement of its block. EDR does not tag clause
//   blocks, so a clause with an empty block is unmeasured.
// - `c ? a : b`, Yul `if` and `switch` inside assembly, and `require(...)` contain no statements EDR tags: they
//   are reported as unmeasured with their location, never counted as covered.
// - Short-circuit `&&` and `||` are not branch points here. solidity-coverage does count `||` inside `if` and
//   `require` conditions (and `require` itself); statement data cannot see inside an expression, so this measure
//   is coarser there, and the unmeasured list names the `require`s.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { addStatementCoverageInstrumentation, latestSupportedSolidityVersion } from "@nomicfoundation/edr";
import solc from "solc";

/** An instrumented statement: its tag (hex, as in coverage/data) and its UTF-16 range in the original source. */
export interface Statement {
  tag: string;
  startUtf16: number;
  endUtf16: number;
}

export type ArmStatus = "taken" | "not taken" | "unmeasured";

export interface Arm {
  label: string;
  status: ArmStatus;
  /** Executions that took the arm (a lower bound for the derived false arm of an `if` without `else`). */
  count?: number;
}

export type BranchKind = "if" | "try" | "conditional" | "yul if" | "yul switch" | "require";

export interface BranchPoint {
  file: string;
  line: number;
  kind: BranchKind;
  /** The condition (or the called expression for `try`), whitespace collapsed and truncated. */
  text: string;
  /** Whether the statement holding the branch point was hit at all; undefined when unmeasured. */
  reached?: boolean;
  arms: Arm[];
}

export interface FileBranches {
  file: string;
  points: BranchPoint[];
  /** Measured arms. */
  found: number;
  /** Measured arms taken. */
  hit: number;
  unmeasured: number;
}

interface AstNode {
  nodeType: string;
  src: string;
  [key: string]: unknown;
}

/** The solc version string as Hardhat passes it to EDR: the compiler's, capped at the newest EDR can parse. */
export function instrumentationVersion(): string {
  const version = String(solc.version()).split("+")[0] ?? "";
  const latest = latestSupportedSolidityVersion();
  return compareVersions(version, latest) <= 0 ? version : latest;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The statements EDR instruments in `source`. `relativePath` is the project-relative path; Hardhat passes the
 * solc input source name `project/<relativePath>`, and the tags depend on it.
 */
export function instrumentedStatements(source: string, relativePath: string, version: string): Statement[] {
  const { metadata } = addStatementCoverageInstrumentation(source, `project/${relativePath}`, version);
  return metadata
    .filter((m) => m.kind === "statement")
    .map((m) => ({ tag: Buffer.from(m.tag).toString("hex"), startUtf16: m.startUtf16, endUtf16: m.endUtf16 }));
}

/** Parses the sources with solc (no analysis, no imports resolved) and returns each one's AST. */
export function parseSources(sources: Record<string, string>): Record<string, AstNode> {
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    sources?: Record<string, { ast: AstNode }>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc could not parse:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const asts: Record<string, AstNode> = {};
  for (const name of Object.keys(sources)) {
    const ast = output.sources?.[name]?.ast;
    if (!ast) throw new Error(`solc returned no AST for ${name}`);
    asts[name] = ast;
  }
  return asts;
}

/** Sums the per-tag counts of every data file under `dataDir` (coverage/data), as Hardhat's report does. */
export function loadCounts(dataDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    const data = JSON.parse(readFileSync(path.join(entry.parentPath, entry.name), "utf8")) as Record<string, number>;
    for (const [tag, count] of Object.entries(data)) counts.set(tag, (counts.get(tag) ?? 0) + count);
  }
  return counts;
}

/** Maps UTF-8 byte offsets (solc) to UTF-16 code unit offsets (JavaScript strings, EDR). */
function utf8ToUtf16(source: string): (byteOffset: number) => number {
  const map = new Uint32Array(Buffer.byteLength(source, "utf8") + 1);
  let byte = 0;
  let unit = 0;
  for (const char of source) {
    const cp = char.codePointAt(0) ?? 0;
    const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    map.fill(unit, byte, byte + width);
    byte += width;
    unit += char.length;
  }
  map[byte] = unit;
  return (offset) => {
    const value = map[offset];
    if (value === undefined) throw new Error(`byte offset ${offset} is outside the source`);
    return value;
  };
}

/** First offset at or after `from` that is not whitespace or a comment. */
function skipTrivia(source: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = source[i] ?? "";
    if (/\s/.test(c)) i++;
    else if (source.startsWith("//", i)) {
      const eol = source.indexOf("\n", i);
      i = eol === -1 ? to : eol + 1;
    } else if (source.startsWith("/*", i)) {
      const close = source.indexOf("*/", i + 2);
      i = close === -1 ? to : close + 2;
    } else break;
  }
  return i;
}

const STATEMENT_NODES = new Set([
  "Block",
  "UncheckedBlock",
  "IfStatement",
  "ForStatement",
  "WhileStatement",
  "DoWhileStatement",
  "TryStatement",
  "ExpressionStatement",
  "VariableDeclarationStatement",
  "EmitStatement",
  "RevertStatement",
  "Return",
  "Break",
  "Continue",
  "PlaceholderStatement",
  "InlineAssembly",
]);

function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && typeof (value as AstNode).nodeType === "string";
}

function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
  } else if (typeof node === "object" && node !== null) {
    if (isNode(node)) visit(node);
    for (const child of Object.values(node)) if (typeof child === "object") walk(child, visit);
  }
}

const TEXT_LIMIT = 60;

/**
 * Finds the branch points of one file and judges each arm from the statement counts.
 * `statements` must be EDR's metadata for exactly this `source`; `counts` maps tags to execution counts.
 */
export function analyzeFile(
  file: string,
  source: string,
  ast: AstNode,
  statements: Statement[],
  counts: ReadonlyMap<string, number>,
): FileBranches {
  const toUtf16 = utf8ToUtf16(source);
  const range = (node: AstNode): [number, number] => {
    const [start, length] = node.src.split(":").map(Number) as [number, number];
    return [toUtf16(start), toUtf16(start + length)];
  };
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const textOf = (node: AstNode): string => {
    const [start, end] = range(node);
    const text = source.slice(start, end).replace(/\s+/g, " ").trim();
    return text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : text;
  };

  const statementEnds = new Map<number, number[]>();
  walk(ast, (n) => {
    if (!STATEMENT_NODES.has(n.nodeType)) return;
    const [start, end] = range(n);
    statementEnds.set(start, [...(statementEnds.get(start) ?? []), end]);
  });
  const byStart = new Map<number, Statement>();
  for (const statement of statements) {
    const start = skipTrivia(source, statement.startUtf16, statement.endUtf16);
    // EDR's range is the statement plus trivia on both sides. solc leaves the closing `;` out of some statements
    // (expression statements, for one); EDR keeps it.
    const ends = statementEnds.get(start) ?? [];
    const matches = ends.some((end) => {
      if (end > statement.endUtf16) return false;
      let at = skipTrivia(source, end, statement.endUtf16);
      if (source[at] === ";") at = skipTrivia(source, at + 1, statement.endUtf16);
      return at === statement.endUtf16;
    });
    if (!matches) {
      throw new Error(
        `${file}:${lineOf(start)}: an instrumented statement does not start a statement of the solc AST; ` +
          "the instrumentation metadata and the parsed source disagree",
      );
    }
    // Nested statements never share a first character today; if they ever do, the outer one is hit first.
    const existing = byStart.get(start);
    if (!existing || statement.endUtf16 > existing.endUtf16) byStart.set(start, statement);
  }

  const countOf = (statement: Statement): number => counts.get(statement.tag) ?? 0;
  const entryOf = (body: AstNode): Statement | undefined => {
    const own = byStart.get(range(body)[0]);
    if (own) return own;
    const inner = body.statements;
    if ((body.nodeType === "Block" || body.nodeType === "UncheckedBlock") && Array.isArray(inner)) {
      const first: unknown = inner[0];
      if (isNode(first)) return entryOf(first);
    }
    return undefined;
  };
  const armFrom = (label: string, entry: Statement | undefined): Arm => {
    if (!entry) return { label, status: "unmeasured" };
    const count = countOf(entry);
    return { label, status: count > 0 ? "taken" : "not taken", count };
  };
  const unmeasured = (kind: BranchKind, node: AstNode, text: AstNode, labels: string[]): BranchPoint => ({
    file,
    line: lineOf(range(node)[0]),
    kind,
    text: textOf(text),
    arms: labels.map((label) => ({ label, status: "unmeasured" })),
  });

  const points: BranchPoint[] = [];
  walk(ast, (node) => {
    switch (node.nodeType) {
      case "IfStatement": {
        const condition = node.condition as AstNode;
        const trueBody = node.trueBody as AstNode;
        const falseBody = node.falseBody as AstNode | null | undefined;
        const own = byStart.get(range(node)[0]);
        if (!own) {
          points.push(unmeasured("if", node, condition, ["true", "false"]));
          break;
        }
        const reached = countOf(own) > 0;
        const trueEntry = entryOf(trueBody);
        const trueArm = armFrom("true", trueEntry);
        let falseArm: Arm;
        if (falseBody) falseArm = armFrom("false", entryOf(falseBody));
        else if (!trueEntry) falseArm = { label: "false", status: "unmeasured" };
        else {
          const count = countOf(own) - countOf(trueEntry);
          falseArm = { label: "false", status: count > 0 ? "taken" : "not taken", count: Math.max(count, 0) };
        }
        points.push({
          file,
          line: lineOf(range(node)[0]),
          kind: "if",
          text: textOf(condition),
          reached,
          arms: [trueArm, falseArm],
        });
        break;
      }
      case "TryStatement": {
        const own = byStart.get(range(node)[0]);
        const clauses = (node.clauses as AstNode[]).map((clause, i) => {
          const label = i === 0 ? "success" : `catch${clause.errorName ? ` ${clause.errorName}` : ""}`;
          return armFrom(label, entryOf(clause.block as AstNode));
        });
        points.push({
          file,
          line: lineOf(range(node)[0]),
          kind: "try",
          text: textOf(node.externalCall as AstNode),
          reached: own ? countOf(own) > 0 : undefined,
          arms: clauses,
        });
        break;
      }
      case "Conditional":
        points.push(unmeasured("conditional", node, node.condition as AstNode, ["true", "false"]));
        break;
      case "YulIf":
        points.push(unmeasured("yul if", node, node.condition as AstNode, ["true", "false"]));
        break;
      case "YulSwitch": {
        const labels = (node.cases as AstNode[]).map((c) =>
          isNode(c.value) ? `case ${textOf(c.value)}` : String(c.value),
        );
        points.push(unmeasured("yul switch", node, node.expression as AstNode, labels));
        break;
      }
      case "FunctionCall": {
        const callee = node.expression;
        const args = node.arguments as AstNode[];
        if (isNode(callee) && callee.nodeType === "Identifier" && callee.name === "require" && args[0]) {
          points.push(unmeasured("require", node, args[0], ["pass", "fail"]));
        }
        break;
      }
    }
  });
  points.sort((a, b) => a.line - b.line);

  let found = 0;
  let hit = 0;
  let unmeasuredArms = 0;
  for (const point of points) {
    for (const arm of point.arms) {
      if (arm.status === "unmeasured") unmeasuredArms++;
      else {
        found++;
        if (arm.status === "taken") hit++;
      }
    }
  }
  return { file, points, found, hit, unmeasured: unmeasuredArms };
}

export interface ProjectBranches {
  files: FileBranches[];
  /** Tags in the coverage data that no instrumented file produces: non-empty means the data cannot be trusted. */
  unknownTags: string[];
  /** Gated files with instrumented statements none of which was hit (a sign of mismatched tags). */
  filesWithoutHits: string[];
}

/**
 * Analyzes `gatedFiles` (project-relative paths) against `counts`. `instrumentedFiles` are all the files Hardhat
 * instruments (the gated ones plus, e.g., mocks): every tag in the data must come from one of them.
 */
export function analyzeProject(
  root: string,
  instrumentedFiles: string[],
  gatedFiles: string[],
  counts: ReadonlyMap<string, number>,
): ProjectBranches {
  const version = instrumentationVersion();
  const sources = new Map(instrumentedFiles.map((f) => [f, readFileSync(path.join(root, f), "utf8")] as const));
  const statements = new Map<string, Statement[]>();
  const known = new Set<string>();
  for (const [file, source] of sources) {
    const list = instrumentedStatements(source, file, version);
    statements.set(file, list);
    for (const s of list) known.add(s.tag);
  }
  const unknownTags = [...counts.keys()].filter((tag) => !known.has(tag));

  const gatedSources: Record<string, string> = {};
  for (const file of gatedFiles) {
    const source = sources.get(file);
    if (source === undefined) throw new Error(`${file} is gated but not among the instrumented files`);
    gatedSources[file] = source;
  }
  const asts = parseSources(gatedSources);
  const filesWithoutHits: string[] = [];
  const files = gatedFiles.map((file) => {
    const list = statements.get(file) ?? [];
    if (list.length > 0 && !list.some((s) => (counts.get(s.tag) ?? 0) > 0)) filesWithoutHits.push(file);
    return analyzeFile(file, gatedSources[file] ?? "", asts[file] as AstNode, list, counts);
  });
  return { files, unknownTags, filesWithoutHits };
}

/**
 * lcov branch records for one file: `BRDA:<line>,<block>,<branch>,<taken>` per measured arm (`-` when the branch
 * point was never reached), then BRF/BRH. Unmeasured arms are left out: lcov has no way to say "unknown".
 */
export function lcovBranchRecords(branches: FileBranches): string[] {
  const lines: string[] = [];
  branches.points.forEach((point, block) => {
    point.arms.forEach((arm, index) => {
      if (arm.status === "unmeasured") return;
      const taken = point.reached === false ? "-" : String(arm.count ?? 0);
      lines.push(`BRDA:${point.line},${block},${index},${taken}`);
    });
  });
  lines.push(`BRF:${branches.found}`, `BRH:${branches.hit}`);
  return lines;
}

/** Adds branch records to an lcov report, before the `end_of_record` of each analyzed file. */
export function addBranchesToLcov(lcov: string, files: FileBranches[]): string {
  const byFile = new Map(files.map((f) => [f.file, f]));
  const out: string[] = [];
  let current: FileBranches | undefined;
  for (const line of lcov.split("\n")) {
    if (line.startsWith("SF:")) current = byFile.get(line.slice(3));
    else if (line.startsWith("BRDA:") || line.startsWith("BRF:") || line.startsWith("BRH:")) {
      // Records of an earlier run of this script are replaced, not doubled.
      if (current) continue;
    } else if (line === "end_of_record" && current) {
      out.push(...lcovBranchRecords(current));
      current = undefined;
    }
    out.push(line);
  }
  return out.join("\n");
}
