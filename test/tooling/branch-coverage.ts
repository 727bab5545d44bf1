// The branch computation of `npm run coverage` (scripts/coverage/branches.ts), checked on a small source with
// hand-made statement counts. Instrumentation metadata and the AST come from EDR and solc directly: no Hardhat
// compile is involved.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import {
  addBranchesToLcov,
  analyzeFile,
  type BranchPoint,
  type FileBranches,
  instrumentationVersion,
  instrumentedStatements,
  loadCounts,
  parseSources,
  type Statement,
} from "../../scripts/coverage/branches.ts";

const FILE = "contracts/Branchy.sol";

// Multi-byte characters (2, 3 and 4 UTF-8 bytes; the emoji is a UTF-16 surrogate pair) precede every branch, so
// any mix-up between solc's byte offsets and EDR's UTF-16 offsets shifts lines and condition texts.
const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// ── é, “quotes”, an em dash — and box drawing ─┼─, then 🧪 ──
interface IThing { function poke() external; }

contract Branchy {
    uint256 public x;

    function both(uint256 a) external { if (a == 1) { x = 10; } else { x = 20; } }

    function noElse(uint256 a) external { if (a > 7) { x = 30; } x += 1; }

    function nested(uint256 a, uint256 b) external { if (a > 0) { if (b > 0) x = 40; } }

    function pick(bool c) external pure returns (uint256) { return c ? 50 : 60; }

    function guarded(IThing t) external { try t.poke() { x = 70; } catch { } }

    function never(uint256 a) external { if (a == 99) { x = 80; } }

    function raw(uint256 a) external pure returns (uint256 r) { assembly { if a { r := 90 } } }
}
`;

const LINE = { both: 10, noElse: 12, nested: 14, pick: 16, guarded: 18, never: 20, raw: 22 };

describe("branch coverage from statement counts", function () {
  // solc's WASM build takes about a second to load.
  this.timeout(60_000);

  let statements: Statement[];
  let ast: Parameters<typeof analyzeFile>[2];

  before(() => {
    statements = instrumentedStatements(SOURCE, FILE, instrumentationVersion());
    const asts = parseSources({ [FILE]: SOURCE });
    ast = asts[FILE] as typeof ast;
  });

  // The tag of the statement whose first significant character is where `snippet` (unique in SOURCE) starts.
  function tag(snippet: string): string {
    const at = SOURCE.indexOf(snippet);
    expect(at, `snippet ${snippet}`).to.be.greaterThan(-1);
    expect(SOURCE.indexOf(snippet, at + 1), `snippet ${snippet} is not unique`).to.equal(-1);
    // EDR ranges begin with the whitespace before their statement (the fixture has no comments there).
    const found = statements.filter((s) => s.startUtf16 <= at && /^\s*$/.test(SOURCE.slice(s.startUtf16, at)));
    expect(found, `instrumented statements starting at ${snippet}`).to.have.lengthOf(1);
    return (found[0] as Statement).tag;
  }

  // Counts as EDR reports them: each execution adds 1 to every statement it hit, however often.
  function countsOf(executions: string[][]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const execution of executions) {
      for (const t of new Set(execution.map(tag))) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return counts;
  }

  function analyze(executions: string[][]): FileBranches {
    return analyzeFile(FILE, SOURCE, ast, statements, countsOf(executions));
  }

  function pointAt(result: FileBranches, line: number, kind: BranchPoint["kind"] = "if", nth = 0): BranchPoint {
    const point = result.points.filter((p) => p.line === line && p.kind === kind)[nth];
    if (!point) throw new Error(`no ${kind} branch point on line ${line}`);
    return point;
  }

  const statuses = (point: BranchPoint) => point.arms.map((a) => `${a.label}:${a.status}`);

  const both = (a: 1 | 2) =>
    a === 1 ? ["if (a == 1)", "{ x = 10; }", "x = 10;"] : ["if (a == 1)", "{ x = 20; }", "x = 20;"];
  const noElse = (taken: boolean) =>
    taken ? ["if (a > 7)", "{ x = 30; }", "x = 30;", "x += 1;"] : ["if (a > 7)", "x += 1;"];

  it("finds every branch point on its own line, with its condition text", () => {
    const result = analyze([]);
    const seen = result.points.map((p) => `${p.line} ${p.kind} ${p.text}`);
    expect(seen).to.deep.equal([
      `${LINE.both} if a == 1`,
      `${LINE.noElse} if a > 7`,
      `${LINE.nested} if a > 0`,
      `${LINE.nested} if b > 0`,
      `${LINE.pick} conditional c`,
      `${LINE.guarded} try t.poke()`,
      `${LINE.never} if a == 99`,
      `${LINE.raw} yul if a`,
    ]);
  });

  it("judges the arms of an if/else by the statement that opens each body", () => {
    expect(statuses(pointAt(analyze([both(1), both(1)]), LINE.both))).to.deep.equal(["true:taken", "false:not taken"]);
    const point = pointAt(analyze([both(1), both(2), both(2)]), LINE.both);
    expect(statuses(point)).to.deep.equal(["true:taken", "false:taken"]);
    expect(point.arms.map((a) => a.count)).to.deep.equal([1, 2]);
  });

  it("takes the false arm of an if without else only when the if was hit in more executions than its body", () => {
    expect(statuses(pointAt(analyze([noElse(true), noElse(true)]), LINE.noElse))).to.deep.equal([
      "true:taken",
      "false:not taken",
    ]);
    expect(statuses(pointAt(analyze([noElse(false)]), LINE.noElse))).to.deep.equal(["true:not taken", "false:taken"]);
    const point = pointAt(analyze([noElse(true), noElse(false), noElse(false)]), LINE.noElse);
    expect(statuses(point)).to.deep.equal(["true:taken", "false:taken"]);
    expect(point.arms.map((a) => a.count)).to.deep.equal([1, 2]);
  });

  it("judges nested ifs separately", () => {
    // nested(1, 0): the outer true arm, then the inner false arm.
    const result = analyze([["if (a > 0)", "{ if (b > 0) x = 40; }", "if (b > 0)"]]);
    expect(statuses(pointAt(result, LINE.nested, "if", 0))).to.deep.equal(["true:taken", "false:not taken"]);
    expect(statuses(pointAt(result, LINE.nested, "if", 1))).to.deep.equal(["true:not taken", "false:taken"]);
  });

  it("marks an if that was never reached, and leaves it uncovered", () => {
    const point = pointAt(analyze([both(1)]), LINE.never);
    expect(point.reached).to.equal(false);
    expect(statuses(point)).to.deep.equal(["true:not taken", "false:not taken"]);
  });

  it("reports a ternary, an empty catch and a Yul if as unmeasured, whatever the counts", () => {
    const result = analyze([["return c ? 50 : 60;"], ["try t.poke()", "x = 70;"]]);
    expect(statuses(pointAt(result, LINE.pick, "conditional"))).to.deep.equal(["true:unmeasured", "false:unmeasured"]);
    expect(statuses(pointAt(result, LINE.guarded, "try"))).to.deep.equal(["success:taken", "catch:unmeasured"]);
    expect(statuses(pointAt(result, LINE.raw, "yul if"))).to.deep.equal(["true:unmeasured", "false:unmeasured"]);
  });

  it("counts measured arms only in the totals", () => {
    const result = analyze([both(1), noElse(false), ["try t.poke()", "x = 70;"]]);
    // Measured: both (2), noElse (2), nested outer and inner (4), try success (1), never (2) = 11.
    // Unmeasured: ternary (2), empty catch (1), Yul if (2) = 5.
    expect(result.found).to.equal(11);
    expect(result.unmeasured).to.equal(5);
    // both.true, noElse.false, try success.
    expect(result.hit).to.equal(3);
  });

  it("refuses statement ranges that do not line up with the AST", () => {
    // The mistake this guards against: offsets in UTF-8 bytes where UTF-16 code units are meant.
    const inBytes = statements.map((s) => ({
      ...s,
      startUtf16: Buffer.byteLength(SOURCE.slice(0, s.startUtf16)),
      endUtf16: Buffer.byteLength(SOURCE.slice(0, s.endUtf16)),
    }));
    expect(() => analyzeFile(FILE, SOURCE, ast, inBytes, new Map())).to.throw(/disagree/);
    const otherSource = instrumentedStatements(
      SOURCE.replace("x = 10;", "x = 10; x = 11;"),
      FILE,
      instrumentationVersion(),
    );
    expect(() => analyzeFile(FILE, SOURCE, ast, otherSource, new Map())).to.throw(/disagree/);
  });

  it("gives different tags for another source name, as Hardhat's `project/` prefix requires", () => {
    const other = instrumentedStatements(SOURCE, "other/Branchy.sol", instrumentationVersion());
    expect(other.map((s) => s.tag)).to.not.include(statements[0]?.tag);
  });

  it("sums the counts of every data file, as Hardhat's report does", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "branch-coverage-"));
    try {
      writeFileSync(path.join(dir, "a.json"), JSON.stringify({ aa: 2, bb: 1 }));
      writeFileSync(path.join(dir, "b.json"), JSON.stringify({ aa: 3 }));
      expect([...loadCounts(dir)].sort()).to.deep.equal([
        ["aa", 5],
        ["bb", 1],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes lcov branch records for measured arms, replacing older ones", () => {
    const result = analyze([both(1)]);
    const lcov = ["TN:", `SF:${FILE}`, "BRF:1", "DA:10,1", "LH:1", "LF:1", "end_of_record", ""].join("\n");
    const out = addBranchesToLcov(lcov, [result]);
    expect(out).to.not.include("BRF:1\n");
    expect(out).to.include(`BRDA:${LINE.both},0,0,1\nBRDA:${LINE.both},0,1,0\n`);
    // The never-reached if is `-`, as lcov wants for a block that was not executed.
    expect(out).to.match(new RegExp(`BRDA:${LINE.never},\\d+,0,-\\nBRDA:${LINE.never},\\d+,1,-`));
    expect(out).to.include(`BRF:${result.found}\nBRH:${result.hit}\nend_of_record`);
  });
});
