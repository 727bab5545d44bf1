// The gas budget, asserted on whole-transaction `receipt.gasUsed`. The scenario (and the meaning of
// "steady" and "first-ever") lives in scripts/gas-report.ts, which `npm run gas` prints as a table.
import { expect } from "chai";
import { type GasRow, measureGas } from "../../scripts/gas-report.ts";

describe("Gas budget", function () {
  this.timeout(120_000);
  let rows: GasRow[];

  before(async () => {
    rows = await measureGas();
  });

  const row = (key: string): GasRow => {
    const found = rows.find((r) => r.key === key);
    if (found === undefined) throw new Error(`no gas row ${key}`);
    return found;
  };

  // Every row of scripts/gas-report.ts that carries a budget is asserted; the keys below must all be among them, so
  // a budget cannot disappear from the table unnoticed.
  const budgeted = [
    "buyEth",
    "checkout5",
    "buyErc20",
    "buyDigital",
    "checkoutPermit",
    "markShipped",
    "deliver",
    "complete",
    "completeAnyone",
    "cancel",
    "refundFull",
    "dispute",
    "resolveExpired",
    "review",
    "reviewOther",
    "refundPartial",
    "resolveDispute",
    "resolveAfterPartial",
    "withdrawStore",
    "withdraw",
    "openStore",
    "listProduct",
    "buyZone",
    "buyCode",
    "checkIn",
  ];
  for (const key of budgeted) {
    it(`keeps a steady-state ${key} within its budget`, () => {
      const { budget, steady, operation } = row(key);
      if (budget === undefined) throw new Error(`${key} has no budget`);
      expect(steady).to.be.at.most(budget, `${operation}: ${steady} gas`);
    });
  }

  it("budgets one ETH buy at 65,000, a 5-line cart at 110,000, and the order operations at 55,000", () => {
    expect(row("buyEth").budget).to.equal(65_000n);
    expect(row("checkout5").budget).to.equal(110_000n);
    const orderOps = [
      "markShipped",
      "deliver",
      "complete",
      "completeAnyone",
      "cancel",
      "refundFull",
      "refundPartial",
      "dispute",
      "resolveDispute",
      "resolveAfterPartial",
      "resolveExpired",
      "review",
      "reviewOther",
    ];
    for (const key of [...orderOps, "withdraw", "withdrawStore"]) {
      expect(row(key).budget, key).to.equal(55_000n);
    }
  });

  it("budgets the drop toolkit at its issue's numbers: a zone's rate 68,000, a code 80,000, a check-in 55,000", () => {
    expect(row("buyZone").budget).to.equal(68_000n);
    expect(row("buyCode").budget).to.equal(80_000n);
    expect(row("checkIn").budget).to.equal(55_000n);
  });

  it("beats Seaport 1.6 on both purchase paths", () => {
    for (const key of ["buyEth", "buyErc20"]) {
      const { seaport, steady, operation } = row(key);
      if (seaport === undefined) throw new Error(`${key} has no Seaport figure`);
      expect(steady).to.be.below(seaport, operation);
    }
  });
});
