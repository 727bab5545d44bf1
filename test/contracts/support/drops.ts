// Helpers of the drop-toolkit suites (test/contracts/Drops.ts): signing and packing discount codes as
// docs/DROPS.md specifies, the options word of buyWith, and mining two transactions in one block.
import { expect } from "chai";
import { type ContractTransactionReceipt, type ContractTransactionResponse, Signature, type Signer } from "ethers";
import type { Fx } from "./helpers.ts";

export type Code = {
  storeId: bigint;
  id: number;
  kind: number;
  value: bigint;
  expiresAt: bigint;
  maxUses: number;
  buyer: string;
  productId: bigint;
};
export type SignedCode = { code: bigint; r: string; vs: string };

export const NO_CODE: SignedCode = { code: 0n, r: `0x${"0".repeat(64)}`, vs: `0x${"0".repeat(64)}` };

export const CODE_TYPES = {
  DiscountCode: [
    { name: "storeId", type: "uint64" },
    { name: "id", type: "uint32" },
    { name: "kind", type: "uint8" },
    { name: "value", type: "uint80" },
    { name: "expiresAt", type: "uint40" },
    { name: "maxUses", type: "uint32" },
    { name: "buyer", type: "address" },
    { name: "productId", type: "uint64" },
  ],
};

export async function codeDomain(fx: Pick<Fx, "ethers" | "merchstand">) {
  const { chainId } = await fx.ethers.provider.getNetwork();
  return { name: "Merchstand", version: "1", chainId, verifyingContract: await fx.merchstand.getAddress() };
}

/** `id | flags << 32 | value << 40 | expiresAt << 120 | maxUses << 160 | productId << 192` (docs/DROPS.md). */
export function packCode(c: Code): bigint {
  const bound = c.buyer === "0x0000000000000000000000000000000000000000" ? 0n : 2n;
  const flags = BigInt(c.kind) | bound;
  return (
    BigInt(c.id) |
    (flags << 32n) |
    (c.value << 40n) |
    (c.expiresAt << 120n) |
    (BigInt(c.maxUses) << 160n) |
    (c.productId << 192n)
  );
}

/** Staff sign `code` (EIP-712) and pack it as a purchase carries it. */
export async function signCode(fx: Pick<Fx, "ethers" | "merchstand">, staff: Signer, code: Code): Promise<SignedCode> {
  const signature = Signature.from(await staff.signTypedData(await codeDomain(fx), CODE_TYPES, code));
  return { code: packCode(code), r: signature.r, vs: signature.yParityAndS };
}

/** `zone | maxShipping << 8`: the options word of buyWith. */
export const options = (zone: number, maxShipping = 0n) => BigInt(zone) | (maxShipping << 8n);

const GWEI = 1_000_000_000n;
/** The first pays the higher tip so the block orders it first; both carry a fixed gas limit (no estimate). */
export const FIRST = { gasLimit: 1_000_000, maxPriorityFeePerGas: 50n * GWEI, maxFeePerGas: 500n * GWEI };
export const SECOND = { gasLimit: 1_000_000, maxPriorityFeePerGas: 1n * GWEI, maxFeePerGas: 500n * GWEI };

/** Mines `first` and `second` in one block, `first` ahead, and returns both receipts (failed ones included). */
export async function sameBlock(
  fx: Fx,
  first: (o: typeof FIRST) => Promise<ContractTransactionResponse>,
  second: (o: typeof SECOND) => Promise<ContractTransactionResponse>,
): Promise<{ a: ContractTransactionReceipt; b: ContractTransactionReceipt }> {
  const { provider } = fx.ethers;
  await provider.send("evm_setAutomine", [false]);
  let ha: string;
  let hb: string;
  try {
    ha = (await first(FIRST)).hash;
    hb = (await second(SECOND)).hash;
    await provider.send("evm_mine", []);
  } finally {
    await provider.send("evm_setAutomine", [true]);
  }
  const a = await provider.getTransactionReceipt(ha);
  const b = await provider.getTransactionReceipt(hb);
  if (a === null || b === null) throw new Error("a transaction was not mined");
  expect(b.blockNumber, "both in one block").to.equal(a.blockNumber);
  expect(a.index, "the first transaction ran first").to.be.lessThan(b.index);
  return { a: a as ContractTransactionReceipt, b: b as ContractTransactionReceipt };
}
