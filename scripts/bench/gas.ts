// Gas per operation, from the contracts' one shared gas scenario (scripts/gas-report.ts `measureGas`, which the gas
// test asserts on too), so the benchmark can never disagree with `npm run gas`. Every operation issue 9 asks for is
// one of that scenario's rows; this module only picks them, labels them as the issue does, and puts issue 3's budgets
// and Seaport 1.6, measured on the same network in the same run (./seaport.ts), beside them.
import type { GasRow } from "../gas-report.ts";
import { measureSeaportGas, type SeaportGas } from "./seaport.ts";
import { compileSeaport, type SeaportCompile } from "./seaport-compile.ts";

export type GasFigure = {
  key: string;
  operation: string;
  /** Second pass on the same deployment: shared slots already nonzero, as on a live deployment. */
  steady: number;
  /** First pass on a fresh deployment (first-ever writes of shared slots). */
  firstEver: number;
  /** Issue 3's budget, when the operation has one (judged on `steady`, as the gas test does). */
  budget?: number;
  pass?: boolean;
  /** Seaport 1.6's steady gas for the same purchase, measured in this run (./seaport.ts; it holds no escrow). */
  seaport?: number;
  /** `steady` over `seaport`: below 1 when Merchstand's purchase costs less gas than Seaport's. */
  seaportRatio?: number;
};

/** Our purchases that Seaport's basic order is measured beside, and its route for each. */
export const SEAPORT_ROUTES: Readonly<Record<string, "eth" | "erc20">> = { buyEth: "eth", buyErc20: "erc20" };

/** Issue 9's operation list, in its order, mapped onto the scenario's row keys. */
export const GAS_OPERATIONS: ReadonlyArray<{ key: string; operation: string }> = [
  { key: "openStore", operation: "open a store" },
  { key: "listProduct", operation: "list a product with 3 variants" },
  { key: "buyEth", operation: "buy 1 variant in ETH (200-byte shipping blob)" },
  { key: "buyErc20", operation: "buy 1 variant in ERC-20 (pre-approved)" },
  { key: "checkoutPermit", operation: "buy 1 variant in ERC-20 with a permit" },
  { key: "checkout5", operation: "cart of 5 lines, 1 store, ETH" },
  { key: "markShipped", operation: "ship" },
  { key: "complete", operation: "complete (buyer confirms)" },
  { key: "completeAnyone", operation: "complete (anyone, after the delivery window)" },
  { key: "cancel", operation: "cancel (not shipped in time)" },
  { key: "refundPartial", operation: "refund, partial" },
  { key: "refundFull", operation: "refund, full" },
  { key: "dispute", operation: "dispute" },
  { key: "resolveDispute", operation: "ruling (arbiter splits 50/50)" },
  { key: "resolveExpired", operation: "ruling by default (arbiter absent)" },
  { key: "review", operation: "review" },
  { key: "withdrawStore", operation: "withdraw (store balance)" },
  { key: "withdraw", operation: "withdraw (fee credits)" },
];

/**
 * Picks issue 9's operations out of the scenario's rows (a missing one is an error, not a blank) and puts Seaport's
 * measured gas beside our purchases.
 */
export function gasFigures(rows: readonly GasRow[], seaport?: SeaportGas): GasFigure[] {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return GAS_OPERATIONS.map(({ key, operation }) => {
    const row = byKey.get(key);
    if (row === undefined) throw new Error(`the gas scenario (scripts/gas-report.ts) no longer measures "${key}"`);
    const figure: GasFigure = { key, operation, steady: Number(row.steady), firstEver: Number(row.first) };
    if (row.budget !== undefined) {
      figure.budget = Number(row.budget);
      figure.pass = row.steady <= row.budget;
    }
    const route = SEAPORT_ROUTES[key];
    if (seaport !== undefined && route !== undefined) {
      figure.seaport = seaport[route].steady;
      figure.seaportRatio = figure.steady / figure.seaport;
    }
    return figure;
  });
}

/**
 * Compiles (a no-op when artifacts are current) and runs the scenario on an in-process simulated network, then
 * deploys Seaport 1.6 on that same network and measures its purchases; the network is closed afterwards so nothing
 * of it outlives this step. Seaport's compile (skipped when cache/seaport/ holds it) runs in a worker thread while
 * our contracts compile and the scenario runs.
 */
export async function measureGasFigures(
  log: (line: string) => void = () => {},
): Promise<{ figures: GasFigure[]; seaport: SeaportGas }> {
  const seaportBuild: Promise<SeaportCompile> = compileSeaport(log);
  // Awaited below; until then a failed compile must not count as an unhandled rejection.
  seaportBuild.catch(() => {});
  const { tasks } = await import("hardhat");
  const started = performance.now();
  await tasks.getTask("build").run({ quiet: true, noTests: true });
  log(`contracts compiled or current (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  // Imported only now: the scenario's fixture module creates its network when it is first imported.
  const { measureGas } = await import("../gas-report.ts");
  const { connection, FEE_BPS, MUG_PRICE, SHIRT_PRICE } = await import("../../test/contracts/support/fixtures.ts");
  try {
    const rows = await measureGas();
    const prices = { eth: SHIRT_PRICE, erc20: MUG_PRICE, feeBps: FEE_BPS };
    const seaport = await measureSeaportGas(connection.ethers, prices, log, await seaportBuild);
    return { figures: gasFigures(rows, seaport), seaport };
  } finally {
    await connection.close();
  }
}
