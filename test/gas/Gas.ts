// The gas budget of issue 3, asserted on whole-transaction `receipt.gasUsed`. The scenario (and the meaning of
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

  const budgets: [string, string][] = [
    ["buyEth", "buy of one variant in ETH with a 200-byte shipping blob"],
    ["checkout5", "checkout of 5 lines of one store in ETH"],
    ["buyErc20", "buy of one variant with a pre-approved ERC-20"],
    ["markShipped", "markShipped"],
    ["complete", "complete"],
    ["cancel", "cancel"],
    ["withdrawStore", "withdrawStoreBalance"],
    ["withdraw", "withdraw"],
  ];
  for (const [key, what] of budgets) {
    it(`keeps a steady-state ${what} within budget`, () => {
      const { budget, steady, operation } = row(key);
      if (budget === undefined) throw new Error(`${key} has no budget`);
      expect(steady).to.be.at.most(budget, `${operation}: ${steady} gas`);
    });
  }

  it("beats Seaport 1.6 on both purchase paths", () => {
    for (const key of ["buyEth", "buyErc20"]) {
      const { seaport, steady, operation } = row(key);
      if (seaport === undefined) throw new Error(`${key} has no Seaport figure`);
      expect(steady).to.be.below(seaport, operation);
    }
  });
});
