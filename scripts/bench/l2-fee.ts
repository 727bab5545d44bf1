// What one purchase costs on an OP-stack L2 next to L1: the same ETH purchase (one variant, a 200-byte encrypted
// address, escrowed) sent on two in-process simulated chains, Hardhat's `l1` and `op` chain types. On the `op` chain
// the receipt carries the L1 data fee the OP stack charges for posting the transaction's bytes to L1 (GasPriceOracle
// and L1Block predeploys, simulated by Hardhat); the total is execution gas at the L2 gas price plus that fee.
// The simulated L1Block starts with zero fee scalars (an L1 fee of 0), so OP Mainnet's scalars and an assumed L1
// price are written into it first; execution is priced at assumed gas prices too (L1_FEE_PARAMETERS, printed with the
// figures). Gas, L1 gas and the fee formula are the chain's; the wei amounts move with real prices.

export type ChainCost = {
  chainType: "l1" | "op";
  /** Execution gas of the purchase (receipt.gasUsed), steady state (the second purchase on the deployment). */
  gasUsed: number;
  /** OP stack only: the L1 data fee (receipt.l1Fee) at L1_FEE_PARAMETERS, in wei, and its L1 gas (l1GasUsed). */
  l1FeeWei: string;
  l1GasUsed: number;
  /** gasUsed at the assumed execution gas price of the chain plus the L1 fee, in wei. */
  totalWei: string;
};

const PRICE = 20_000_000_000_000_000n; // 0.02 ETH, the demo shirt's price
const DAY = 86_400n;

/** Deploys Merchstand on a new simulated chain of `chainType`, opens a store, lists a shirt and buys it twice. */
export async function measurePurchaseCost(chainType: "l1" | "op"): Promise<ChainCost> {
  // Imported here, not at the top: the report imports this module, and the fixtures module creates a network when
  // it is first imported (after the contracts are compiled, as scripts/bench/gas.ts does).
  const { network } = await import("hardhat");
  const { default: MerchstandModule } = await import("../../ignition/modules/Merchstand.ts");
  const { packLine, SHIPPING_KEY, shippingBlob } = await import("../../test/contracts/support/fixtures.ts");
  const connection = await network.create({ chainType });
  try {
    const { ethers, ignition } = connection;
    const [admin, seller, buyer, arbiter] = await ethers.getSigners();
    if (admin === undefined || seller === undefined || buyer === undefined || arbiter === undefined) {
      throw new Error("the simulated chain has too few accounts");
    }
    const { merchstand: deployed } = await ignition.deploy(MerchstandModule, {
      defaultSender: admin.address,
      parameters: { Merchstand: { admin: admin.address, feeRecipient: admin.address } },
    });
    const merchstand = await ethers.getContractAt("MerchstandDeployed", await deployed.getAddress());
    const asSeller = merchstand.connect(seller);
    await (
      await asSeller.openStore({
        name: "Night Tapes",
        metadataCid: "",
        payout: seller.address,
        currency: ethers.ZeroAddress,
        shippingKey: SHIPPING_KEY,
        terms: { arbiter: arbiter.address, shipWindow: 7n * DAY, deliveryWindow: 14n * DAY },
      })
    ).wait();
    const storeId = (await merchstand.getStores(0, 0))[1];
    await (
      await asSeller.listProduct(
        storeId,
        { name: "Tour T-Shirt", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false },
        [{ label: "M", price: PRICE, stock: 100 }],
      )
    ).wait();
    const productId = (await merchstand.getProducts(0, 0))[1];
    const buy = async () => {
      const tx = await merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, PRICE), shippingBlob(200), {
        value: PRICE,
      });
      const receipt = await tx.wait();
      if (receipt === null) throw new Error("the purchase was not mined");
      return receipt;
    };
    if (chainType === "op") await setL1FeeParameters(connection.provider);
    await buy(); // first-ever writes of the shared slots
    const receipt = await buy();
    const raw = (await connection.provider.request({
      method: "eth_getTransactionReceipt",
      params: [receipt.hash],
    })) as { l1Fee?: string; l1GasUsed?: string };
    const l1Fee = raw.l1Fee === undefined ? 0n : BigInt(raw.l1Fee);
    const gasPrice = chainType === "op" ? L1_FEE_PARAMETERS.l2GasPriceWei : L1_FEE_PARAMETERS.l1BaseFeeWei;
    return {
      chainType,
      gasUsed: Number(receipt.gasUsed),
      l1FeeWei: l1Fee.toString(),
      l1GasUsed: raw.l1GasUsed === undefined ? 0 : Number(BigInt(raw.l1GasUsed)),
      totalWei: (receipt.gasUsed * gasPrice + l1Fee).toString(),
    };
  } finally {
    await connection.close();
  }
}

/**
 * OP Mainnet's fee scalars (Ecotone, from its SystemConfig) and the prices the figures assume: L1 gas at 1 gwei (the
 * L1 purchase's price and the L2's L1 data price alike), blobs at 1 wei (uncongested), L2 execution at 0.005 gwei.
 */
export const L1_FEE_PARAMETERS = {
  baseFeeScalar: 5227n,
  blobBaseFeeScalar: 1014213n,
  l1BaseFeeWei: 1_000_000_000n,
  blobBaseFeeWei: 1n,
  l2GasPriceWei: 5_000_000n,
};

const L1_BLOCK = "0x4200000000000000000000000000000000000015";

/**
 * The simulated chain starts with zero fee scalars in its L1Block predeploy, so its L1 fee is always 0. Writes OP
 * Mainnet's scalars and the assumed L1 prices into L1Block's storage (the slots its Ecotone layout gives: 1 basefee,
 * 3 sequenceNumber | blobBaseFeeScalar << 64 | baseFeeScalar << 96, 7 blobBaseFee), as a deposit transaction would.
 */
async function setL1FeeParameters(provider: {
  request(args: { method: string; params: unknown[] }): Promise<unknown>;
}) {
  const word = (value: bigint) => `0x${value.toString(16).padStart(64, "0")}`;
  const slot = (n: number) => `0x${n.toString(16)}`;
  const p = L1_FEE_PARAMETERS;
  const slot3 = BigInt(
    (await provider.request({ method: "eth_getStorageAt", params: [L1_BLOCK, slot(3), "latest"] })) as string,
  );
  const sequence = slot3 & ((1n << 64n) - 1n);
  for (const [n, value] of [
    [1, p.l1BaseFeeWei],
    [3, sequence | (p.blobBaseFeeScalar << 64n) | (p.baseFeeScalar << 96n)],
    [7, p.blobBaseFeeWei],
  ] as const) {
    await provider.request({ method: "hardhat_setStorageAt", params: [L1_BLOCK, slot(n), word(value)] });
  }
}

export type L2Cost = { l1: ChainCost; op: ChainCost; assumptions: Record<keyof typeof L1_FEE_PARAMETERS, string> };

/** The same purchase on both chain types, with the assumed prices as strings (results.json carries no bigints). */
export async function measureL2Cost(): Promise<L2Cost> {
  const l1 = await measurePurchaseCost("l1");
  const op = await measurePurchaseCost("op");
  const assumptions = Object.fromEntries(
    Object.entries(L1_FEE_PARAMETERS).map(([key, value]) => [key, value.toString()]),
  ) as L2Cost["assumptions"];
  return { l1, op, assumptions };
}

const eth = (wei: string) => `${(Number(wei) / 1e18).toPrecision(3)} ETH`;

/** One paragraph for the report: the purchase on L1 and on an OP-stack L2, with what the figures assume. */
export function l2Note(cost: L2Cost): string {
  const a = cost.assumptions;
  return (
    `One ETH purchase (200-byte address, escrowed), steady state, on Hardhat's simulated chains: on L1 ` +
    `${cost.l1.gasUsed.toLocaleString("en-US")} gas = ${eth(cost.l1.totalWei)} at ${Number(a.l1BaseFeeWei) / 1e9} gwei; ` +
    `on an OP-stack L2 (chainType "op") ${cost.op.gasUsed.toLocaleString("en-US")} gas of execution ` +
    `(${eth((BigInt(cost.op.totalWei) - BigInt(cost.op.l1FeeWei)).toString())} at ${Number(a.l2GasPriceWei) / 1e9} gwei) ` +
    `plus an L1 data fee of ${eth(cost.op.l1FeeWei)} (${cost.op.l1GasUsed.toLocaleString("en-US")} L1 gas at ` +
    `${Number(a.l1BaseFeeWei) / 1e9} gwei, blob base fee ${a.blobBaseFeeWei} wei, OP Mainnet's scalars ` +
    `${a.baseFeeScalar}/${a.blobBaseFeeScalar}) = ${eth(cost.op.totalWei)} in all ` +
    `(scripts/bench/l2-fee.ts; the prices are assumptions, the gas and the fee formula are the chain's).`
  );
}
