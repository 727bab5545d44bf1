/**
 * Shared setup for the Merchstand contract tests, the gas test and `npm run gas`.
 *
 * One simulated network per process, created here; tests import `ethers` and `networkHelpers` from this module so
 * that they talk to the same chain the fixture deployed to:
 *
 * ```ts
 * import { deployMerchstandFixture, networkHelpers } from "./fixtures.ts";
 * const f = await networkHelpers.loadFixture(deployMerchstandFixture);
 * ```
 *
 * The fixture deploys through the production Ignition module (ignition/modules/Merchstand.ts).
 */
import type { BigNumberish, ContractTransactionReceipt, Log } from "ethers";
import { network } from "hardhat";
import MerchstandModule, { MockUSDModule } from "../../../ignition/modules/Merchstand.ts";
import type { MerchstandDeployed as Merchstand, MockUSD } from "../../../types/ethers-contracts/index.ts";

export const connection = await network.create();
export const { ethers, networkHelpers, ignition } = connection;

export const DAY = 24n * 60n * 60n;
/** The fixture stores' terms. */
export const SHIP_WINDOW = 7n * DAY;
export const DELIVERY_WINDOW = 14n * DAY;
export const ARBITER_WINDOW = 30n * DAY;
export const FEE_BPS = 250n;

export const SHIRT_PRICE = ethers.parseEther("0.02");
export const SHIRT_STOCK = 10n;
export const EBOOK_PRICE = ethers.parseEther("0.005");
export const EBOOK_STOCK = 100n;
/** 15 mUSD (6 decimals). */
export const MUG_PRICE = 15_000_000n;
export const MUG_STOCK = 50n;
/** mUSD minted to `buyer` and `buyer2` by the fixture. */
export const USD_MINTED = 1_000_000_000n;

export const STATUS = {
  None: 0n,
  Paid: 1n,
  Shipped: 2n,
  Completed: 3n,
  Refunded: 4n,
  Cancelled: 5n,
  Disputed: 6n,
  Resolved: 7n,
} as const;

/** An order line as the contract takes it back (plain values, so it can be copied and edited). */
export interface Line {
  productId: bigint;
  variant: bigint;
  quantity: bigint;
  unitPrice: bigint;
}

/** An {Order} as the contract takes it back. */
export interface Order {
  buyer: string;
  storeId: bigint;
  termsVersion: bigint;
  feeBps: bigint;
  currency: string;
  placedAt: bigint;
  shippedAt: bigint;
  disputedAt: bigint;
  amount: bigint;
  shipsFrom: bigint;
  zone: bigint;
  shipping: bigint;
  discount: bigint;
  lines: Line[];
}

export interface PlacedOrder {
  orderId: bigint;
  order: Order;
  shipping: string;
}

/** A 32-byte X25519-like public key for the fixture stores (any 32 bytes do for the contract). */
export const SHIPPING_KEY = ethers.keccak256(ethers.toUtf8Bytes("merchstand fixture shipping key"));

/**
 * A stand-in for an encrypted shipping address: version byte 0x01 then pseudo-random bytes, `length` bytes in all
 * (200 by default, the size the gas budget is stated for). Random-looking bytes matter: calldata costs 16 gas per
 * non-zero byte and 4 per zero byte, and real ciphertext is random.
 */
export function shippingBlob(length = 200, seed = "shipping"): string {
  const out = new Uint8Array(length);
  if (length > 0) out[0] = 1;
  let block = ethers.getBytes(ethers.keccak256(ethers.toUtf8Bytes(seed)));
  for (let i = 1; i < length; i++) {
    const j = (i - 1) % 32;
    if (j === 0 && i > 1) block = ethers.getBytes(ethers.keccak256(block));
    out[i] = block[j] as number;
  }
  return ethers.hexlify(out);
}

const mask = (bits: bigint) => (1n << bits) - 1n;

/**
 * A purchase line packed as `buy_oT9la` takes it:
 * `productId | variant << 64 | quantity << 72 | maxUnitPrice << 104 | termsVersion << 200`. The terms version is the
 * one the buyer was shown; every fixture store is still on its first (1). Throws on a value too wide for its field
 * (tests of the contract's own field handling shift by hand).
 */
export function packLine(
  productId: BigNumberish,
  variant: BigNumberish,
  quantity: BigNumberish,
  maxUnitPrice: BigNumberish,
  termsVersion: BigNumberish = 1n,
): bigint {
  const fields: [string, bigint, bigint][] = [
    ["productId", BigInt(productId), 64n],
    ["variant", BigInt(variant), 8n],
    ["quantity", BigInt(quantity), 32n],
    ["maxUnitPrice", BigInt(maxUnitPrice), 96n],
    ["termsVersion", BigInt(termsVersion), 32n],
  ];
  for (const [name, value, bits] of fields) {
    if (value < 0n || value > mask(bits)) throw new RangeError(`packLine: ${name} ${value} does not fit ${bits} bits`);
  }
  const [p, v, q, m, t] = fields.map(([, value]) => value) as [bigint, bigint, bigint, bigint, bigint];
  return p | (v << 64n) | (q << 72n) | (m << 104n) | (t << 200n);
}

/** A stand-in for the buyer's X25519 public key that a digital order carries instead of a shipping blob. */
export const BUYER_KEY = ethers.keccak256(ethers.toUtf8Bytes("merchstand fixture buyer key"));

/**
 * Rebuilds every order the OrderPlaced logs among `logs` announce, as any client must (see OrderPlaced's NatSpec):
 * the log carries the order's fields packed, and the currency is the store's, read from the chain.
 */
export async function ordersFromLogs(merchstand: Merchstand, logs: readonly Log[]): Promise<PlacedOrder[]> {
  const currencies = new Map<bigint, string>();
  const placed: PlacedOrder[] = [];
  for (const log of logs) {
    const ev = parse(merchstand, log);
    if (ev?.name !== "OrderPlaced") continue;
    const storeId = BigInt(ev.args.storeId);
    let currency = currencies.get(storeId);
    if (currency === undefined) {
      currency = (await merchstand.getStore(storeId)).currency;
      currencies.set(storeId, currency);
    }
    const info = BigInt(ev.args.info);
    const words = Array.from(ev.args.lines as bigint[]);
    // An order that used a code (info bit 232) ends its words with the code word: `discount | codeId << 224`.
    const codeWord = (info >> 232n) & 1n ? words.pop() : undefined;
    if ((info >> 232n) & 1n && codeWord === undefined) throw new Error("code order without its code word");
    const lines = words.map((w) => ({
      productId: w & mask(64n),
      variant: (w >> 64n) & mask(8n),
      quantity: (w >> 72n) & mask(32n),
      unitPrice: (w >> 104n) & mask(96n),
    }));
    const order: Order = {
      buyer: ev.args.buyer,
      storeId,
      termsVersion: info & mask(32n),
      feeBps: (info >> 32n) & mask(16n),
      currency,
      placedAt: (info >> 48n) & mask(40n),
      shippedAt: 0n,
      disputedAt: 0n,
      amount: 0n,
      shipsFrom: (info >> 96n) & mask(40n),
      zone: (info >> 88n) & mask(8n),
      shipping: (info >> 136n) & mask(96n),
      discount: codeWord === undefined ? 0n : codeWord & mask(224n),
      lines,
    };
    order.amount = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0n) + order.shipping - order.discount;
    placed.push({ orderId: BigInt(ev.args.orderId), order, shipping: ev.args.shipping });
  }
  return placed;
}

function parse(merchstand: Merchstand, log: Log) {
  try {
    return merchstand.interface.parseLog(log);
  } catch {
    return null;
  }
}

/** Every order placed in a transaction (one for `buy_oT9la`, one per cart order for `checkout`), in log order. */
export async function ordersFromReceipt(
  merchstand: Merchstand,
  receipt: ContractTransactionReceipt | null,
): Promise<PlacedOrder[]> {
  if (receipt === null) throw new Error("no receipt");
  return ordersFromLogs(merchstand, receipt.logs);
}

/** The (first) order placed in a transaction, decoded from its OrderPlaced event. */
export async function orderFromReceipt(
  merchstand: Merchstand,
  receipt: ContractTransactionReceipt | null,
): Promise<PlacedOrder> {
  const [first] = await ordersFromReceipt(merchstand, receipt);
  if (first === undefined) throw new Error("no OrderPlaced event in receipt");
  return first;
}

/**
 * The order as it stands after the events of `receipt` that concern `orderId` (OrderShipped and OrderDelivered set
 * shippedAt, OrderDisputed sets disputedAt). Returns a new object; other events, refunds included, leave the struct
 * as it was (status lives in storage, refunds beside it).
 */
export function applyOrderEvents(
  merchstand: Merchstand,
  orderId: bigint,
  order: Order,
  receipt: ContractTransactionReceipt | null,
): Order {
  if (receipt === null) throw new Error("no receipt");
  const next: Order = { ...order, lines: order.lines.map((l) => ({ ...l })) };
  for (const log of receipt.logs) {
    const ev = parse(merchstand, log);
    if (ev === null || ev.args.orderId !== orderId) continue;
    if (ev.name === "OrderShipped") next.shippedAt = ev.args.shippedAt;
    else if (ev.name === "OrderDelivered") next.shippedAt = ev.args.deliveredAt;
    else if (ev.name === "OrderDisputed") next.disputedAt = ev.args.disputedAt;
  }
  return next;
}

/** Signs an EIP-2612 permit of `value` mUSD from `owner` to `spender`, ready for `checkoutWithPermit`. */
export async function signPermit(
  usd: MockUSD,
  owner: Awaited<ReturnType<typeof ethers.getSigners>>[number],
  spender: string,
  value: bigint,
  deadline?: bigint,
) {
  const { chainId } = await ethers.provider.getNetwork();
  const nonce = await usd.nonces(owner.address);
  const dl = deadline ?? BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0) + DAY;
  const signature = await owner.signTypedData(
    { name: await usd.name(), version: "1", chainId, verifyingContract: await usd.getAddress() },
    {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    { owner: owner.address, spender, value, nonce, deadline: dl },
  );
  const sig = ethers.Signature.from(signature);
  return { value, deadline: dl, v: sig.v, r: sig.r, s: sig.s };
}

/**
 * Deploys MockUSD and Merchstand (production Ignition module: fee 2.5%, mUSD allow-listed), grants `verifier`
 * VERIFIER_ROLE, and has `seller` open two stores and list three products:
 * - ETH store `ethStoreId` ("Night Tapes"), with `manager` as a manager: `shirtId` (physical, variants S/M/L,
 *   0.02 ETH, stock 10 each) and `ebookId` (digital, one variant "PDF", 0.005 ETH, stock 100; escrowed like the
 *   shirt until delivered);
 * - mUSD store `usdStoreId` ("Night Tapes US"): `mugId` (physical, one variant, 15 mUSD, stock 50).
 * Both stores: arbiter `arbiter`, 7-day ship window, 14-day delivery window, payout `seller`.
 * `buyer` and `buyer2` hold 1,000 mUSD each (no allowance).
 */
export async function deployMerchstandFixture() {
  const signers = await ethers.getSigners();
  type Signer = (typeof signers)[number];
  if (signers.length < 9) throw new Error("the fixture needs 9 accounts");
  const [admin, feeRecipient, seller, manager, buyer, buyer2, arbiter, verifier, other] = signers as [
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
    Signer,
  ];

  const { usd: usdDeployed } = await ignition.deploy(MockUSDModule, { defaultSender: admin.address });
  const usdAddress = await usdDeployed.getAddress();
  const { merchstand: deployed } = await ignition.deploy(MerchstandModule, {
    defaultSender: admin.address,
    parameters: {
      Merchstand: {
        admin: admin.address,
        feeBps: Number(FEE_BPS),
        feeRecipient: feeRecipient.address,
        allowedCurrencies: [usdAddress],
      },
    },
  });
  const merchstand = (await ethers.getContractAt(
    "MerchstandDeployed",
    await deployed.getAddress(),
  )) as unknown as Merchstand;
  const usd = (await ethers.getContractAt("MockUSD", usdAddress)) as unknown as MockUSD;

  await merchstand.connect(admin).grantRole(await merchstand.VERIFIER_ROLE(), verifier.address);

  const terms = { arbiter: arbiter.address, shipWindow: SHIP_WINDOW, deliveryWindow: DELIVERY_WINDOW };
  const asSeller = merchstand.connect(seller);
  await asSeller.openStore({
    name: "Night Tapes",
    metadataCid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    payout: seller.address,
    currency: ethers.ZeroAddress,
    shippingKey: SHIPPING_KEY,
    terms,
  });
  const ethStoreId = await merchstand.getStores(0, 0).then(([, total]) => total);
  await asSeller.openStore({
    name: "Night Tapes US",
    metadataCid: "",
    payout: seller.address,
    currency: usdAddress,
    shippingKey: SHIPPING_KEY,
    terms,
  });
  const usdStoreId = ethStoreId + 1n;
  await asSeller.setStoreManager(ethStoreId, manager.address, true);

  await asSeller.listProduct(
    ethStoreId,
    { name: "Tour T-Shirt", metadataCid: "bafkreitshirt", category: 0, maxPerBuyer: 0, digital: false },
    ["S", "M", "L"].map((label) => ({ label, price: SHIRT_PRICE, stock: SHIRT_STOCK })),
  );
  const shirtId = await merchstand.getProducts(0, 0).then(([, total]) => total);
  await asSeller.listProduct(
    ethStoreId,
    { name: "Liner Notes (ebook)", metadataCid: "bafkreiebook", category: 5, maxPerBuyer: 0, digital: true },
    [{ label: "PDF", price: EBOOK_PRICE, stock: EBOOK_STOCK }],
  );
  const ebookId = shirtId + 1n;
  await asSeller.listProduct(
    usdStoreId,
    { name: "Tour Mug", metadataCid: "bafkreimug", category: 4, maxPerBuyer: 0, digital: false },
    [{ label: "Standard", price: MUG_PRICE, stock: MUG_STOCK }],
  );
  const mugId = ebookId + 1n;

  await usd.mint(buyer.address, USD_MINTED);
  await usd.mint(buyer2.address, USD_MINTED);

  return {
    merchstand,
    usd,
    admin,
    feeRecipient,
    seller,
    manager,
    buyer,
    buyer2,
    arbiter,
    verifier,
    other,
    ethStoreId,
    usdStoreId,
    shirtId,
    ebookId,
    mugId,
    terms,
    ethers,
    networkHelpers,
    shippingBlob,
    orderFromReceipt,
    ordersFromReceipt,
    applyOrderEvents,
  };
}

export type MerchstandFixture = Awaited<ReturnType<typeof deployMerchstandFixture>>;
