// Seaport 1.6 measured beside Merchstand, on the same in-process network and in the same run (scripts/bench/gas.ts
// calls this after the contracts' own gas scenario): Seaport built by ./seaport-compile.ts, its ConduitController,
// a MinimalERC1155 (./seaport/MinimalERC1155.sol) and the project's own MockUSD (contracts/mocks/MockUSD.sol, the
// token Merchstand's ERC-20 purchase pays in, so both ERC-20 figures move the same token code). A seller lists one
// ERC-1155 unit with a 2.5% fee recipient, signs the order (EIP-712), and a buyer fulfils it through
// `fulfillBasicOrder_efficient_6GL6yc`, in ETH and in mUSD; gas is the whole transaction's `receipt.gasUsed`.
//
// Two passes, as in scripts/gas-report.ts: "first-ever" is each route's first sale on a fresh deployment; "steady"
// (the figure compared with ours) is its second, see STEADY_STATE.
import {
  type Contract,
  type ContractRunner,
  type ContractTransactionReceipt,
  type Interface,
  type InterfaceAbi,
  keccak256,
  toUtf8Bytes,
} from "ethers";
import type { NetworkConnection } from "hardhat/types/network";
import type { MockUSD } from "../../types/ethers-contracts/index.ts";
import { type CompiledContract, compileSeaport, type SeaportBuild, type SeaportCompile } from "./seaport-compile.ts";
import { basicOrderParameters, type Listing, orderComponents, orderHash, signListing, split } from "./seaport-order.ts";

type HardhatEthers = NetworkConnection["ethers"];

/** What "steady" means for Seaport's figures: the state of the chain when the measured transaction runs. */
export const STEADY_STATE =
  "the second sale of each route on the same deployment: the seller's and the buyer's ERC-1155 balances of the " +
  "item, and in mUSD the buyer's, seller's and fee recipient's token balances, are nonzero before and after; the " +
  "seller and fee recipient accounts already hold ETH; the buyer's mUSD allowance to Seaport is unlimited (never " +
  "written); the order's own status slot is new (as a Merchstand order's commitment is); offerer counter 0, no " +
  "zone, no conduit (the seller approved Seaport itself), a 65-byte EOA signature";

/** The offer's validity window: fixed, so the signed bytes (and so the calldata's gas) are the same every run. */
const START_TIME = 1_767_225_600n; // 2026-01-01T00:00:00Z
const END_TIME = 4_294_967_295n; // 2106-02-07, the largest 32-bit timestamp
const ITEM_ID = 1n;
const SELLER_STOCK = 1000n;

export type SeaportRoute = {
  /** Second sale on the same deployment (STEADY_STATE): the figure compared with Merchstand's steady figure. */
  steady: number;
  /**
   * First sale of the route on a fresh deployment: in ETH the buyer's first unit of the item; in mUSD the seller's
   * and fee recipient's first mUSD.
   */
  firstEver: number;
};

export type SeaportGas = {
  eth: SeaportRoute;
  erc20: SeaportRoute;
  state: string;
  /** How Seaport was built, and how long loading or compiling it took in this run. */
  build: {
    source: string;
    solc: string;
    settings: string;
    runtimeBytes: number;
    cached: boolean;
    seconds: number;
  };
  /** Time to deploy the market and measure the four sales. */
  measureSeconds: number;
};

export type SeaportPrices = { eth: bigint; erc20: bigint; feeBps: bigint };

async function deploy(
  ethers: HardhatEthers,
  compiled: CompiledContract,
  deployer: ContractRunner,
  args: unknown[] = [],
) {
  const factory = new ethers.ContractFactory(compiled.abi as InterfaceAbi, compiled.bytecode, deployer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract as unknown as Contract;
}

async function send(pending: Promise<{ wait: () => Promise<ContractTransactionReceipt | null> }>) {
  const receipt = await (await pending).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("a Seaport benchmark transaction failed");
  return receipt;
}

function fulfilledHash(seaport: Interface, receipt: ContractTransactionReceipt): string {
  for (const log of receipt.logs) {
    const parsed = seaport.parseLog(log);
    if (parsed?.name === "OrderFulfilled") return parsed.args.orderHash as string;
  }
  throw new Error("Seaport emitted no OrderFulfilled");
}

/** Seaport and what a sale needs, deployed and set up (see deploySeaportMarket). */
export type SeaportMarket = Awaited<ReturnType<typeof deploySeaportMarket>>;

/**
 * Deploys Seaport, its ConduitController, the item (MinimalERC1155) and MockUSD on `ethers`' network from accounts
 * 16-19, which nothing else in the gas scenario uses, so the addresses and signed bytes do not depend on it. The
 * seller holds the item's stock and approved Seaport for it; the buyer holds mUSD and approved Seaport without limit.
 */
export async function deploySeaportMarket(ethers: HardhatEthers, build: SeaportBuild) {
  const signers = await ethers.getSigners();
  if (signers.length < 20)
    throw new Error(`the Seaport benchmark needs 20 accounts, the network has ${signers.length}`);
  type Signer = (typeof signers)[number];
  const [deployer, seller, buyer, feeRecipient] = signers.slice(16, 20) as [Signer, Signer, Signer, Signer];
  const controller = await deploy(ethers, build.contracts.ConduitController, deployer);
  const seaport = await deploy(ethers, build.contracts.Seaport, deployer, [await controller.getAddress()]);
  const item = await deploy(ethers, build.contracts.MinimalERC1155, deployer);
  const usd = (await ethers.deployContract("MockUSD", [], deployer)) as unknown as MockUSD;
  const seaportAddress = await seaport.getAddress();
  const itemAddress = await item.getAddress();
  const { chainId } = await ethers.provider.getNetwork();
  const now = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  if (now < START_TIME || now >= END_TIME) throw new Error(`chain time ${now} is outside the listing's window`);

  await send(item.connect(seller).getFunction("mint")(seller.address, ITEM_ID, SELLER_STOCK));
  await send(item.connect(seller).getFunction("setApprovalForAll")(seaportAddress, true));
  await send(usd.mint(buyer.address, 1_000_000_000_000n));
  await send(usd.connect(buyer).approve(seaportAddress, ethers.MaxUint256));

  /** The seller's listing of one unit of the item at `price` in `currency` (the zero address for ETH). */
  async function listing(currency: string, price: bigint, feeBps: bigint, saltText: string): Promise<Listing> {
    return {
      seaport: seaportAddress,
      chainId,
      offerer: seller.address,
      item: { token: itemAddress, id: ITEM_ID, amount: 1n },
      currency,
      price,
      feeRecipient: feeRecipient.address,
      feeBps,
      startTime: START_TIME,
      endTime: END_TIME,
      salt: BigInt(keccak256(toUtf8Bytes(saltText))),
      counter: (await seaport.getFunction("getCounter")(seller.address)) as bigint,
    };
  }

  /** The buyer's fulfilment of a signed listing, as sent (not awaited). */
  function fulfil(order: Listing, signature: string) {
    return seaport.connect(buyer).getFunction("fulfillBasicOrder_efficient_6GL6yc")(
      basicOrderParameters(order, signature),
      { value: order.currency === ethers.ZeroAddress ? order.price : 0n },
    );
  }

  return { ethers, seaport, item, usd, seller, buyer, feeRecipient, listing, fulfil };
}

/**
 * Lists, signs and fulfils one sale on `market`; checks that Seaport's order hash is the one signed, that it filled
 * that order, and that the item and the money moved. Returns the whole transaction's gas.
 */
export async function measuredSale(market: SeaportMarket, order: Listing): Promise<number> {
  const { ethers, seaport, item, usd, seller, buyer, feeRecipient } = market;
  const expectedHash = await seaport.getFunction("getOrderHash")(orderComponents(order));
  if (expectedHash !== orderHash(order)) throw new Error("the listing's EIP-712 hash is not Seaport's order hash");
  const balances = () =>
    Promise.all([
      item.getFunction("balanceOf")(buyer.address, order.item.id) as Promise<bigint>,
      ...[seller.address, feeRecipient.address].map((who) =>
        order.currency === ethers.ZeroAddress ? ethers.provider.getBalance(who) : usd.balanceOf(who),
      ),
    ]);
  const before = await balances();
  const receipt = await send(market.fulfil(order, await signListing(seller, order)));
  if (fulfilledHash(seaport.interface, receipt) !== expectedHash) throw new Error("Seaport filled another order");
  const after = await balances();
  const moved = after.map((value, i) => value - before[i]!);
  const { fee, seller: sellerShare } = split(order);
  if (moved[0] !== order.item.amount || moved[1] !== sellerShare || moved[2] !== fee) {
    throw new Error(`a Seaport sale moved ${moved.join(", ")}, not ${order.item.amount}, ${sellerShare} and ${fee}`);
  }
  return Number(receipt.gasUsed);
}

/** Deploys the market on `ethers`' network and measures both routes, first-ever then steady (STEADY_STATE). */
export async function measureSeaportGas(
  ethers: HardhatEthers,
  prices: SeaportPrices,
  log: (line: string) => void = () => {},
  compile?: SeaportCompile,
): Promise<SeaportGas> {
  const { build, cached, seconds } = compile ?? (await compileSeaport(log));
  log(`Seaport 1.6 ${cached ? "loaded from cache/seaport/" : "compiled and cached"} (${seconds.toFixed(1)} s)`);
  const started = performance.now();
  const market = await deploySeaportMarket(ethers, build);
  const usdAddress = await market.usd.getAddress();
  const sale = async (route: "eth" | "erc20", pass: number) =>
    measuredSale(
      market,
      await market.listing(
        route === "eth" ? ethers.ZeroAddress : usdAddress,
        route === "eth" ? prices.eth : prices.erc20,
        prices.feeBps,
        `merchstand bench: Seaport ${route} sale ${pass}`,
      ),
    );

  const first = { eth: await sale("eth", 0), erc20: await sale("erc20", 0) };
  const steady = { eth: await sale("eth", 1), erc20: await sale("erc20", 1) };
  const measureSeconds = Math.round((performance.now() - started) / 100) / 10;
  log(`Seaport 1.6 deployed and 4 sales measured (${measureSeconds.toFixed(1)} s)`);
  return {
    eth: { steady: steady.eth, firstEver: first.eth },
    erc20: { steady: steady.erc20, firstEver: first.erc20 },
    state: STEADY_STATE,
    build: {
      source: `${Object.entries(build.packages)
        .map(([pkg, version]) => `${pkg} ${version}`)
        .join(" + ")} (npm)`,
      solc: `${build.solcVersion} (npm WASM build)`,
      settings: "via-IR, evmVersion cancun, optimizer runs 4294967295, bytecodeHash none",
      runtimeBytes: build.contracts.Seaport.runtimeBytes,
      cached,
      seconds: Math.round(seconds * 10) / 10,
    },
    measureSeconds,
  };
}
