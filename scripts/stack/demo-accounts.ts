// The demo accounts the dapp offers on the local chain ("Use a demo account", frontend/src/client/demo-accounts.ts):
// the seeded buyer and seller, keys included. They go into `demo-accounts.json` beside the local stack's
// manifest.json and nowhere else: never into the dapp's bundle, never for a chain other than 31337 or an RPC off
// this machine (the same demoAccountsAllowed the dapp checks), so no published build can carry them.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEMO_ACCOUNTS_FILE,
  type DemoAccountsFile,
  demoAccountsAllowed,
} from "../../frontend/src/client/demo-accounts.ts";
import { type CastRole, castWallet } from "./accounts.ts";

const DEMO_CAST: { role: CastRole; label: string }[] = [
  { role: "buyer", label: "Buyer" },
  { role: "sellerA", label: "Seller (The Midnight Owls)" },
];

/** The file's content for a stack on `chainId` at `rpcUrl`, or null where demo accounts are not allowed. */
export function demoAccountsFile(manifest: { chainId: number; rpcUrl: string }): DemoAccountsFile | null {
  if (!demoAccountsAllowed(manifest)) return null;
  return {
    version: 1,
    chainId: manifest.chainId,
    accounts: DEMO_CAST.map(({ role, label }) => {
      const wallet = castWallet(role);
      return { role, label, address: wallet.address, privateKey: wallet.privateKey };
    }),
  };
}

/** Writes `demo-accounts.json` into `dir` when allowed; returns its path, or null. */
export async function writeDemoAccounts(
  dir: string,
  manifest: { chainId: number; rpcUrl: string },
): Promise<string | null> {
  const file = demoAccountsFile(manifest);
  if (file === null) return null;
  const path = join(dir, DEMO_ACCOUNTS_FILE);
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
