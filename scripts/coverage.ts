// `npm run coverage`: runs the contract test suites (mocha behaviour and
// security tests, Solidity fuzz and invariant tests) under Hardhat's coverage
// instrumentation and fails when coverage of contracts/ (mocks excluded) is
// below the gates: 95% of lines and 90% of measured branches.
//
// Suites are chosen by folder: every test file directly in test/contracts and
// test/security is a suite, and shared helpers live in their support/ folders,
// which are never listed. The gas and code-size tests live in test/gas on
// purpose: instrumentation adds code (and lifts the size limits), so gas and
// size measured under coverage are not the deployed contract's. `npm run
// test:app` runs them.
//
// Hardhat 3.17 reports line and statement coverage only, so branch coverage is
// derived from its statement counts and the solc AST by scripts/coverage/branches.ts
// (method and caveats there). Branch points that statement data cannot see
// (ternaries, empty catch blocks, Yul ifs) are listed as unmeasured and left
// out of the branch figure; they are never counted as covered.
import { spawnSync } from "node:child_process";
import { existsSync, globSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { addBranchesToLcov, analyzeProject, type BranchPoint, loadCounts } from "./coverage/branches.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const LINE_GATE = 95;
const BRANCH_GATE = 90;

function testFiles(dir: string, accept: (name: string) => boolean): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter(accept)
    .sort()
    .map((name) => path.join(dir, name));
}

// `--report-only` re-analyzes the data of the last run (coverage/data, coverage/lcov.info) without running the tests.
if (!process.argv.includes("--report-only")) runInstrumentedTests();

function runInstrumentedTests(): void {
  const files = [
    ...testFiles("test/contracts", (n) => n.endsWith(".ts")),
    ...testFiles("test/contracts", (n) => n.endsWith(".t.sol")),
    ...testFiles("test/security", (n) => n.endsWith(".ts")),
  ];
  if (files.length === 0) {
    console.error("coverage: no contract test files found under test/contracts or test/security");
    process.exit(1);
  }
  const run = spawnSync("hardhat", ["test", "--coverage", ...files], {
    cwd: ROOT,
    stdio: "inherit",
    // Instrumented builds go to coverage/artifacts (see hardhat.config.ts), never into the real artifacts/.
    env: { ...process.env, MERCHSTAND_COVERAGE_BUILD: "1" },
  });
  if (run.status !== 0) {
    console.error(`coverage: the instrumented test run failed (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
}

interface FileCoverage {
  file: string;
  hit: number;
  found: number;
}

// lcov: one record per file, `SF:<path>` ... `LH:<hit>` `LF:<found>` ... `end_of_record`.
function parseLcov(text: string): FileCoverage[] {
  const records: FileCoverage[] = [];
  let current: FileCoverage | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("SF:")) current = { file: line.slice(3), hit: 0, found: 0 };
    else if (line.startsWith("LH:") && current) current.hit = Number(line.slice(3));
    else if (line.startsWith("LF:") && current) current.found = Number(line.slice(3));
    else if (line === "end_of_record" && current) {
      records.push(current);
      current = undefined;
    }
  }
  return records;
}

const fail = (message: string): never => {
  console.error(`coverage: ${message}`);
  process.exit(1);
};
const pct = (hit: number, found: number) => (found === 0 ? "-" : `${((100 * hit) / found).toFixed(2)}%`);

// Hardhat instruments every Solidity file of the project outside the test directories; the gate leaves mocks out.
const instrumented = globSync("contracts/**/*.sol", { cwd: ROOT })
  .map((f) => f.split(path.sep).join("/"))
  .sort();
const gated = instrumented.filter((f) => !f.startsWith("contracts/mocks/"));

const lcovPath = path.join(ROOT, "coverage", "lcov.info");
const lcov = readFileSync(lcovPath, "utf8");
const lineRecords = new Map(
  parseLcov(lcov)
    .filter((r) => gated.includes(r.file) && r.found > 0)
    .map((r) => [r.file, r]),
);
if (lineRecords.size === 0) fail(`${lcovPath} has no line records for contracts/`);

const counts = loadCounts(path.join(ROOT, "coverage", "data"));
if (counts.size === 0) fail("coverage/data holds no statement counts");
const branches = analyzeProject(ROOT, instrumented, gated, counts);
// Tags are derived from each file's content, source name and compiler version: if ours and Hardhat's differ, every
// branch would read as "not taken" (or worse, match by accident), so refuse to report anything.
if (branches.unknownTags.length > 0) {
  fail(
    `${branches.unknownTags.length} statement tags in coverage/data belong to no file under contracts/ as instrumented ` +
      "here: the branch analysis does not match Hardhat's instrumentation",
  );
}
if (branches.filesWithoutHits.length > 0) {
  fail(`no statement of ${branches.filesWithoutHits.join(", ")} was hit: the statement tags do not match`);
}
writeFileSync(lcovPath, addBranchesToLcov(lcov, branches.files));

const rows = branches.files.map((b) => {
  const lines = lineRecords.get(b.file);
  return [
    b.file,
    lines ? `${pct(lines.hit, lines.found)} (${lines.hit}/${lines.found})` : "-",
    b.found === 0 ? "-" : `${pct(b.hit, b.found)} (${b.hit}/${b.found})`,
    String(b.unmeasured),
  ];
});
const lineHit = [...lineRecords.values()].reduce((sum, r) => sum + r.hit, 0);
const lineFound = [...lineRecords.values()].reduce((sum, r) => sum + r.found, 0);
const branchHit = branches.files.reduce((sum, b) => sum + b.hit, 0);
const branchFound = branches.files.reduce((sum, b) => sum + b.found, 0);
const unmeasuredArms = branches.files.reduce((sum, b) => sum + b.unmeasured, 0);
rows.push([
  "total",
  `${pct(lineHit, lineFound)} (${lineHit}/${lineFound})`,
  `${pct(branchHit, branchFound)} (${branchHit}/${branchFound})`,
  String(unmeasuredArms),
]);
const table = [["file", "lines", "branches (measured)", "unmeasured arms"], ...rows];
const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length))) ?? [];
const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");

const points = branches.files.flatMap((b) => b.points);
const describe = (p: BranchPoint) =>
  p.kind === "try" ? `try ${p.text}` : p.kind === "require" ? `require(${p.text})` : `${p.kind} (${p.text})`;

console.log("\nCoverage gate (contracts/, mocks excluded):");
for (const row of table) console.log(`  ${format(row)}`);

const uncovered = points.flatMap((p) =>
  p.arms
    .filter((a) => a.status === "not taken")
    .map(
      (a) =>
        `  ${p.file}:${p.line}  ${describe(p)}  ${a.label} arm not taken${p.reached === false ? " (never reached)" : ""}`,
    ),
);
console.log(`\nUncovered branches (${uncovered.length}):`);
console.log(uncovered.length > 0 ? uncovered.join("\n") : "  none");

const unmeasured = points
  .filter((p) => p.arms.some((a) => a.status === "unmeasured"))
  .map((p) => {
    const arms = p.arms.filter((a) => a.status === "unmeasured").map((a) => a.label);
    return `  ${p.file}:${p.line}  ${describe(p)}  ${arms.join(", ")}`;
  });
console.log(
  `\nUnmeasured branch points (${unmeasured.length}; no statement marks these arms, so they are not counted):`,
);
console.log(unmeasured.length > 0 ? unmeasured.join("\n") : "  none");

// The contracts branch a lot: finding no measurable branch means the analysis broke, not that there is nothing to test.
if (branchFound === 0) fail("no measurable branch was found in contracts/");
const lineFailed = (100 * lineHit) / lineFound < LINE_GATE;
const branchFailed = (100 * branchHit) / branchFound < BRANCH_GATE;
if (lineFailed) console.error(`\ncoverage: line coverage ${pct(lineHit, lineFound)} is below the ${LINE_GATE}% gate`);
if (branchFailed) {
  console.error(`\ncoverage: branch coverage ${pct(branchHit, branchFound)} is below the ${BRANCH_GATE}% gate`);
}
if (lineFailed || branchFailed) process.exit(1);
console.log(`\nCoverage gates passed: lines ≥ ${LINE_GATE}%, measured branches ≥ ${BRANCH_GATE}%.`);
