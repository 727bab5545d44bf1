// Helpers shared by the behaviour tests: order bookkeeping (the contract keeps an order as a commitment, so the
// tests rebuild the current Order from events the same way a client does), EIP-2612 signing, and the per-currency
// conservation check.
import { expect } from "chai";
import {
  type BigNumberish,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  Signature,
  type Signer,
} from "ethers";
import {
  BUYER_KEY,
  deployMerchstandFixture,
  type Line,
  networkHelpers,
  type Order,
  orderFromReceipt,
  ordersFromLogs,
  ordersFromReceipt,
  packLine,
} from "./fixtures.ts";

// The dapp's copy of the contract's refund unit (IMerchstand `refund`): the tests check the two agree.
export { refundUnit } from "../../../frontend/src/client/protocol.ts";
export type { Line, Order };
export { BUYER_KEY, packLine };

type TransactionReceipt = ContractTransactionReceipt;

type RawFx = Awaited<ReturnType<typeof deployMerchstandFixture>>;
const SIGNERS = [
  "admin",
  "feeRecipient",
  "seller",
  "manager",
  "buyer",
  "buyer2",
  "arbiter",
  "verifier",
  "other",
] as const;
type SignerKey = (typeof SIGNERS)[number];
/** The fixture with its accounts known to be present (it destructures them from `getSigners()`). */
export type Fx = Omit<RawFx, SignerKey> & { [K in SignerKey]: NonNullable<RawFx[K]> };
export type Merchstand = Fx["merchstand"];

/** The fixture, restored from its snapshot on every call after the first. */
export async function load(): Promise<Fx> {
  const fx = await networkHelpers.loadFixture(deployMerchstandFixture);
  for (const key of SIGNERS) if (fx[key] === undefined) throw new Error(`fixture account ${key} missing`);
  return fx as Fx;
}

export const ZERO = "0x0000000000000000000000000000000000000000";

/** OrderStatus, by name (the Solidity enum; TS enums are not erasable syntax). */
export const Status = {
  None: 0n,
  Paid: 1n,
  Shipped: 2n,
  Completed: 3n,
  Refunded: 4n,
  Cancelled: 5n,
  Disputed: 6n,
  Resolved: 7n,
} as const;

export const BPS = 10_000n;
export const MAX_SHIPPING = 512n;

export type Placed = { orderId: bigint; order: Order; receipt: TransactionReceipt };

/** Waits for a purchase and returns the (first) order it placed. */
export async function placed(merchstand: Merchstand, tx: Promise<ContractTransactionResponse>): Promise<Placed> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  const { orderId, order } = await orderFromReceipt(merchstand, receipt);
  return { orderId, order, receipt };
}

/** The `info` word of the first OrderPlaced in a receipt (IMerchstand's NatSpec of the event lays out its bits). */
export function placedInfo(merchstand: Merchstand, receipt: TransactionReceipt): bigint {
  for (const log of receipt.logs) {
    const ev = merchstand.interface.parseLog(log);
    if (ev?.name === "OrderPlaced") return BigInt(ev.args.info);
  }
  throw new Error("no OrderPlaced event in receipt");
}

/** The raw `lines` words of every OrderPlaced in a receipt, in log order (a code order's end with its code word). */
export function placedWords(merchstand: Merchstand, receipt: TransactionReceipt): bigint[][] {
  const out: bigint[][] = [];
  for (const log of receipt.logs) {
    const ev = merchstand.interface.parseLog(log);
    if (ev?.name === "OrderPlaced") out.push(Array.from(ev.args.lines as bigint[]));
  }
  return out;
}

/** Every order a receipt placed, in log order (a cart places several). */
export async function placedAll(
  merchstand: Merchstand,
  receipt: TransactionReceipt,
): Promise<{ orderId: bigint; order: Order }[]> {
  return (await ordersFromReceipt(merchstand, receipt)).map(({ orderId, order }) => ({ orderId, order }));
}

export async function blockTime(receipt: TransactionReceipt, fx: Fx): Promise<bigint> {
  const block = await fx.ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error("no block");
  return BigInt(block.timestamp);
}

/** Marks an order shipped and returns the order as it now stands. */
export async function ship(fx: Fx, orderId: bigint, order: Order, staff?: Signer, tracking = "DHL 1234567890") {
  const tx = await fx.merchstand.connect(staff ?? fx.seller).markShipped(orderId, order, tracking);
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("no receipt");
  return { ...order, shippedAt: await blockTime(receipt, fx) };
}

/** The buyer disputes a shipped order; returns the order as it now stands. */
export async function disputeOrder(fx: Fx, orderId: bigint, order: Order, buyer?: Signer, reason = "never arrived") {
  const tx = await fx.merchstand.connect(buyer ?? fx.buyer).dispute(orderId, order, reason);
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("no receipt");
  return { ...order, disputedAt: await blockTime(receipt, fx) };
}

/** A stand-in for an encrypted shipping blob: version byte, then filler (the contract only sees bytes). */
export function shippingBlob(length = 200): string {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 37 + 11) & 0xff;
  if (length > 0) bytes[0] = 1;
  return `0x${Buffer.from(bytes).toString("hex")}`;
}
export const SHIPPING = shippingBlob(200);

export function fee(amount: bigint, feeBps: bigint): bigint {
  return (amount * feeBps) / BPS;
}

type PermitToken = {
  getAddress(): Promise<string>;
  nonces(owner: string): Promise<bigint>;
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
};

/** Signs an EIP-2612 permit with the token's own EIP-712 domain (read through EIP-5267, not assumed). */
export async function signPermit(
  token: PermitToken,
  owner: Signer,
  spender: string,
  value: BigNumberish,
  deadline: BigNumberish,
): Promise<{ value: bigint; deadline: bigint; v: number; r: string; s: string }> {
  const [, name, version, chainId, verifyingContract] = await token.eip712Domain();
  const ownerAddress = await owner.getAddress();
  const nonce = await token.nonces(ownerAddress);
  const signature = await owner.signTypedData(
    { name, version, chainId, verifyingContract },
    {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    { owner: ownerAddress, spender, value, nonce, deadline },
  );
  const sig = Signature.from(signature);
  return { value: BigInt(value), deadline: BigInt(deadline), v: sig.v, r: sig.r, s: sig.s };
}

const OPEN = new Set<bigint>([Status.Paid, Status.Shipped, Status.Disputed]);

/**
 * The money invariant, per currency, rebuilt from logs and views only: what the contract holds equals the escrow of
 * every open order, plus every store's balance, plus every account's credits. Credit holders are found from Credited
 * (buyers) and FeeRecipientSet (fees) logs, plus every test signer and `extraAccounts` (e.g. attacker contracts), so a
 * credit granted to an unexpected account shows up as a mismatch.
 */
export async function expectConserved(fx: Fx, currency: string, extraAccounts: string[] = []): Promise<void> {
  const { merchstand, ethers } = fx;
  const address = await merchstand.getAddress();
  const cur = ethers.getAddress(currency);

  const escrow = new Map<bigint, bigint>();
  for (const { orderId, order } of await ordersFromLogs(
    merchstand,
    await merchstand.queryFilter(merchstand.filters.OrderPlaced()),
  )) {
    if (ethers.getAddress(order.currency) === cur) escrow.set(orderId, order.amount);
  }
  for (const ev of await merchstand.queryFilter(merchstand.filters.OrderPartiallyRefunded())) {
    const id = BigInt(ev.args.orderId);
    if (escrow.has(id)) escrow.set(id, BigInt(ev.args.remaining));
  }
  let escrowed = 0n;
  for (const [id, amount] of escrow) {
    if (OPEN.has(BigInt(await merchstand.orderStatus(id)))) escrowed += amount;
  }

  // A store's balance and the fees its orders owe the platform (credited to the fee recipient on withdrawal).
  let storeBalances = 0n;
  let feesOwed = 0n;
  const [stores] = await merchstand.getStores(0, 1_000);
  for (const s of stores) {
    if (ethers.getAddress(s.currency) !== cur) continue;
    storeBalances += BigInt(s.balance);
    feesOwed += BigInt(await merchstand.storeFeesOwed(s.id));
  }

  const accounts = new Set<string>(extraAccounts.map((a) => ethers.getAddress(a)));
  for (const signer of await ethers.getSigners()) accounts.add(signer.address);
  for (const ev of await merchstand.queryFilter(merchstand.filters.Credited())) {
    accounts.add(ethers.getAddress(ev.args.account));
  }
  // Fees are credited without a Credited log, to whoever was fee recipient at the time.
  for (const ev of await merchstand.queryFilter(merchstand.filters.FeeRecipientSet())) {
    accounts.add(ethers.getAddress(ev.args.recipient));
  }
  let credited = 0n;
  for (const a of accounts) credited += BigInt(await merchstand.credits(a, cur));

  const held = cur === ZERO ? await ethers.provider.getBalance(address) : await tokenBalance(fx, cur, address);
  expect(
    held,
    `contract holds escrow ${escrowed} + stores ${storeBalances} + fees owed ${feesOwed} + credits ${credited}`,
  ).to.equal(escrowed + storeBalances + feesOwed + credited);
}

export async function tokenBalance(fx: Fx, token: string, account: string): Promise<bigint> {
  const erc20 = await fx.ethers.getContractAt(["function balanceOf(address) view returns (uint256)"], token);
  return BigInt(await erc20.getFunction("balanceOf")(account));
}

export const KEY = `0x${"ab".repeat(32)}`;
export const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

export type Terms = { arbiter: string; shipWindow: bigint; deliveryWindow: bigint };
export type StoreInput = {
  name: string;
  metadataCid: string;
  payout: string;
  currency: string;
  shippingKey: string;
  terms: Terms;
};

/** The terms the fixture's ETH store runs under, which lie within the protocol bounds by construction. */
export async function fixtureTerms(fx: Fx): Promise<Terms> {
  const t = await fx.merchstand.storeTerms(fx.ethStoreId, 1);
  return { arbiter: t.arbiter, shipWindow: BigInt(t.shipWindow), deliveryWindow: BigInt(t.deliveryWindow) };
}

export async function storeInput(fx: Fx, overrides: Partial<StoreInput> = {}): Promise<StoreInput> {
  return {
    name: "Night Owls",
    metadataCid: CID,
    payout: fx.seller.address,
    currency: ZERO,
    shippingKey: KEY,
    terms: await fixtureTerms(fx),
    ...overrides,
  };
}

/** Opens a store and returns its id. */
export async function openStore(fx: Fx, owner: Signer, overrides: Partial<StoreInput> = {}): Promise<bigint> {
  const input = await storeInput(fx, overrides);
  const id = await fx.merchstand.connect(owner).openStore.staticCall(input);
  await (await fx.merchstand.connect(owner).openStore(input)).wait();
  return BigInt(id);
}

export type ProductInput = {
  name: string;
  metadataCid: string;
  category: number;
  maxPerBuyer: number;
  digital: boolean;
};
export type VariantInput = { label: string; price: bigint; stock: number };

export function productInput(overrides: Partial<ProductInput> = {}): ProductInput {
  return { name: "Tour Tee", metadataCid: CID, category: 0, maxPerBuyer: 0, digital: false, ...overrides };
}

export function variant(label: string, price: bigint, stock: number): VariantInput {
  return { label, price, stock };
}

/** Lists a product and returns its id. */
export async function listProduct(
  fx: Fx,
  staff: Signer,
  storeId: BigNumberish,
  product: ProductInput,
  variants: VariantInput[],
): Promise<bigint> {
  const id = await fx.merchstand.connect(staff).listProduct.staticCall(storeId, product, variants);
  await (await fx.merchstand.connect(staff).listProduct(storeId, product, variants)).wait();
  return BigInt(id);
}

/** Positional tuples for struct arguments of events. */
export const productTuple = (p: ProductInput) => [p.name, p.metadataCid, p.category, p.maxPerBuyer, p.digital];
export const variantTuple = (v: VariantInput) => [v.label, v.price, v.stock];
export const termsTuple = (t: Terms) => [t.arbiter, t.shipWindow, t.deliveryWindow];

export function bytesOf(length: number, char = "a"): string {
  return char.repeat(length);
}

/** Pins the next block's timestamp a little ahead, so a test knows `placedAt`/`shippedAt` before sending. */
export async function pinNextTimestamp(fx: Fx, ahead = 10): Promise<bigint> {
  const t = (await fx.networkHelpers.time.latest()) + ahead;
  await fx.networkHelpers.time.setNextBlockTimestamp(t);
  return BigInt(t);
}

export async function priceOf(fx: Fx, productId: BigNumberish, variantIndex = 0): Promise<bigint> {
  const v = (await fx.merchstand.getProduct(productId)).variants[variantIndex];
  if (v === undefined) throw new Error(`no variant ${variantIndex}`);
  return BigInt(v.price);
}

export async function stockOf(fx: Fx, productId: BigNumberish, variantIndex = 0): Promise<bigint> {
  const v = (await fx.merchstand.getProduct(productId)).variants[variantIndex];
  if (v === undefined) throw new Error(`no variant ${variantIndex}`);
  return BigInt(v.stock);
}

/** The terms version a buyer is shown for a product's store right now. */
export async function termsVersionOf(fx: Fx, productId: BigNumberish): Promise<bigint> {
  const { storeId } = await fx.merchstand.getProduct(productId);
  return BigInt((await fx.merchstand.getStore(storeId)).termsVersion);
}

/** Buys one unit (or `quantity`) of an ETH product at its current price, under the store's current terms. */
export async function buyEth(
  fx: Fx,
  buyer: Signer,
  productId: BigNumberish,
  { variant = 0, quantity = 1n, shipping = SHIPPING }: { variant?: number; quantity?: bigint; shipping?: string } = {},
): Promise<Placed> {
  const price = await priceOf(fx, productId, variant);
  const terms = await termsVersionOf(fx, productId);
  return placed(
    fx.merchstand,
    fx.merchstand
      .connect(buyer)
      .buy_oT9la(packLine(productId, variant, quantity, price, terms), shipping, { value: price * quantity }),
  );
}

/** Buys the fixture's mug (USD store) after minting and approving exactly what it costs. */
export async function buyUsd(fx: Fx, buyer: Signer, quantity = 1n): Promise<Placed> {
  const price = await priceOf(fx, fx.mugId);
  const who = await buyer.getAddress();
  await (await fx.usd.mint(who, price * quantity)).wait();
  await (await fx.usd.connect(buyer).approve(await fx.merchstand.getAddress(), price * quantity)).wait();
  return placed(
    fx.merchstand,
    fx.merchstand.connect(buyer).buy_oT9la(packLine(fx.mugId, 0, quantity, price), SHIPPING),
  );
}

/** Hands a store over in the two steps the contract requires: `from` proposes, `to` accepts. */
export async function handOver(fx: Fx, storeId: BigNumberish, from: Signer, to: Signer): Promise<void> {
  await (await fx.merchstand.connect(from).transferStoreOwnership(storeId, await to.getAddress())).wait();
  await (await fx.merchstand.connect(to).acceptStoreOwnership(storeId)).wait();
}

/** Has the store's owner deliver a digital order; returns the order as it now stands (shippedAt set). */
export async function deliverDigital(fx: Fx, { orderId, order }: { orderId: bigint; order: Order }): Promise<Order> {
  const owner = await fx.ethers.getSigner((await fx.merchstand.getStore(order.storeId)).owner);
  const receipt = await (await fx.merchstand.connect(owner).deliver([orderId], [order], ["0x01"])).wait();
  if (receipt === null) throw new Error("no receipt");
  return { ...order, shippedAt: await blockTime(receipt, fx) };
}

/**
 * Buys a digital product with the fixture buyer key, has the store's owner deliver it, and returns the buyer's
 * confirmation (`complete`) transaction: the quick way to pay a store, now that digital orders go through the escrow.
 */
export async function buyDigitalAndConfirm(
  fx: Fx,
  buyer: Signer,
  productId: BigNumberish,
): Promise<ContractTransactionResponse> {
  const bought = await buyEth(fx, buyer, productId, { shipping: BUYER_KEY });
  return fx.merchstand.connect(buyer).complete(bought.orderId, await deliverDigital(fx, bought));
}

/** Delivers a digital order (its store's owner) and has its buyer confirm it: the store is then credited. */
export async function deliverAndConfirm(fx: Fx, buyer: Signer, placedOrder: { orderId: bigint; order: Order }) {
  const delivered = await deliverDigital(fx, placedOrder);
  await (await fx.merchstand.connect(buyer).complete(placedOrder.orderId, delivered)).wait();
}
