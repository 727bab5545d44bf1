// `npm run coverage`: runs the contract test suites (mocha behaviour and
// security tests, Solidity fuzz and invariant tests) under Hardhat's coverage
// instrumentation and fails when coverage of contracts/ (mocks excluded) is
// below the gate.
//
// The gas test is left out on purpose: instrumentation adds code, so gas
// figures measured under coverage are not the deployed contract's. `npm test`
// runs it separately.
//
// Hardhat 3.17 reports line and statement coverage only (its lcov writer has
// no branch records), so the gate is on lines. The figures are printed with
// the per-file table Hardhat prints.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const LINE_GATE = 95;
const EXCLUDED = new Set(["Gas.ts", "fixtures.ts", "helpers.ts"]);

function testFiles(dir: string, accept: (name: string) => boolean): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter(accept)
    .sort()
    .map((name) => path.join(dir, name));
}

const files = [
  ...testFiles("test/contracts", (n) => n.endsWith(".ts") && !EXCLUDED.has(n)),
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

const lcovPath = path.join(ROOT, "coverage", "lcov.info");
const measured = parseLcov(readFileSync(lcovPath, "utf8")).filter(
  (r) => r.file.startsWith("contracts/") && !r.file.startsWith("contracts/mocks/") && r.found > 0,
);
if (measured.length === 0) {
  console.error(`coverage: ${lcovPath} has no records for contracts/`);
  process.exit(1);
}
const hit = measured.reduce((sum, r) => sum + r.hit, 0);
const found = measured.reduce((sum, r) => sum + r.found, 0);
const percent = (100 * hit) / found;

console.log("\nCoverage gate (contracts/, mocks excluded):");
for (const r of measured) console.log(`  ${r.file}: ${((100 * r.hit) / r.found).toFixed(2)}% of ${r.found} lines`);
console.log(`  total: ${percent.toFixed(2)}% of ${found} lines (gate ${LINE_GATE}%)`);
if (percent < LINE_GATE) {
  console.error(`coverage: line coverage ${percent.toFixed(2)}% is below the ${LINE_GATE}% gate`);
  process.exit(1);
}
