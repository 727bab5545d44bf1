// ABI access for the dapp: the protocol's generated ABI, a standard ERC-20 + EIP-2612 fragment list, and the
// OpenZeppelin errors the implementation can raise on top of the interface's own, so every revert decodes.
// Results are converted to plain typed objects here, so pages never touch ethers' Result.
import { Interface, type Result } from "ethers/abi";
import { merchstandAbi } from "../generated/merchstand-abi.ts";

export const merchstand = new Interface(merchstandAbi);

export const erc20 = new Interface([
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 value) returns (bool)",
  "function name() view returns (string)",
  "function nonces(address owner) view returns (uint256)",
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC2612ExpiredSignature(uint256 deadline)",
  "error ERC2612InvalidSigner(address signer, address owner)",
]);

/** Errors from OpenZeppelin building blocks that the implementation may raise though the interface omits them. */
export const libraryErrors = new Interface([
  "error EnforcedPause()",
  "error ExpectedPause()",
  "error ReentrancyGuardReentrantCall()",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
  "error SafeERC20FailedOperation(address token)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC2612ExpiredSignature(uint256 deadline)",
  "error ERC2612InvalidSigner(address signer, address owner)",
  "error Error(string message)",
  "error Panic(uint256 code)",
]);

export const ORDER_STATUS = [
  "None",
  "Paid",
  "Shipped",
  "Completed",
  "Refunded",
  "Cancelled",
  "Disputed",
  "Resolved",
] as const;
export type OrderStatus = (typeof ORDER_STATUS)[number];

export const CATEGORIES = [
  "Apparel",
  "Music",
  "Posters & prints",
  "Tickets",
  "Accessories",
  "Digital",
  "Other",
] as const;

export type StoreTerms = { arbiter: string; shipWindow: number; deliveryWindow: number };

export type Store = {
  id: bigint;
  owner: string;
  payout: string;
  currency: string;
  closed: boolean;
  official: boolean;
  termsVersion: number;
  terms: StoreTerms;
  shippingKey: string;
  balance: bigint;
  productCount: bigint;
  name: string;
  metadataCid: string;
  officialEvidence: string;
};

export type Variant = { index: number; label: string; price: bigint; stock: number; sold: number; active: boolean };

export type Product = {
  id: bigint;
  storeId: bigint;
  category: number;
  active: boolean;
  digital: boolean;
  maxPerBuyer: number;
  ratingCount: number;
  ratingSum: bigint;
  name: string;
  metadataCid: string;
  variants: Variant[];
};

export type Line = { productId: bigint; variant: number; quantity: number; unitPrice: bigint };

export type Order = {
  buyer: string;
  storeId: bigint;
  termsVersion: number;
  feeBps: number;
  currency: string;
  placedAt: bigint;
  shippedAt: bigint;
  disputedAt: bigint;
  amount: bigint;
  lines: Line[];
};

export type LineInput = { productId: bigint; variant: number; quantity: number; maxUnitPrice: bigint };
export type CartOrder = { storeId: bigint; lines: LineInput[]; shipping: string };

const num = (v: unknown): number => Number(v as bigint);
const big = (v: unknown): bigint => BigInt(v as bigint);
const str = (v: unknown): string => String(v);

export function toTerms(r: Result): StoreTerms {
  return { arbiter: str(r.arbiter), shipWindow: num(r.shipWindow), deliveryWindow: num(r.deliveryWindow) };
}

export function toStore(r: Result): Store {
  return {
    id: big(r.id),
    owner: str(r.owner),
    payout: str(r.payout),
    currency: str(r.currency),
    closed: Boolean(r.closed),
    official: Boolean(r.official),
    termsVersion: num(r.termsVersion),
    terms: toTerms(r.terms as Result),
    shippingKey: str(r.shippingKey),
    balance: big(r.balance),
    productCount: big(r.productCount),
    name: str(r.name),
    metadataCid: str(r.metadataCid),
    officialEvidence: str(r.officialEvidence),
  };
}

export function toProduct(r: Result): Product {
  return {
    id: big(r.id),
    storeId: big(r.storeId),
    category: num(r.category),
    active: Boolean(r.active),
    digital: Boolean(r.digital),
    maxPerBuyer: num(r.maxPerBuyer),
    ratingCount: num(r.ratingCount),
    ratingSum: big(r.ratingSum),
    name: str(r.name),
    metadataCid: str(r.metadataCid),
    variants: Array.from(r.variants as Result, (v: Result, index: number) => ({
      index,
      label: str(v.label),
      price: big(v.price),
      stock: num(v.stock),
      sold: num(v.sold),
      active: Boolean(v.active),
    })),
  };
}

const mask = (bits: bigint) => (1n << bits) - 1n;

/** A purchase line as `buy_oT9la` takes it: `productId | variant << 64 | quantity << 72 | maxUnitPrice << 104`. */
export function packLine(line: LineInput): bigint {
  const variant = BigInt(line.variant);
  const quantity = BigInt(line.quantity);
  const fits = (value: bigint, bits: bigint) => value >= 0n && value <= mask(bits);
  if (!fits(line.productId, 64n) || !fits(variant, 8n) || !fits(quantity, 32n) || !fits(line.maxUnitPrice, 96n)) {
    throw new RangeError("A cart line is out of range.");
  }
  return line.productId | (variant << 64n) | (quantity << 72n) | (line.maxUnitPrice << 104n);
}

/** One line of an OrderPlaced log: `productId | variant << 64 | quantity << 72 | unitPrice << 104`. */
export function unpackLine(word: bigint): Line {
  return {
    productId: word & mask(64n),
    variant: Number((word >> 64n) & mask(8n)),
    quantity: Number((word >> 72n) & mask(32n)),
    unitPrice: (word >> 104n) & mask(96n),
  };
}

/**
 * The Order an OrderPlaced log announces, rebuilt as IMerchstand's NatSpec of the event says: the log carries only
 * what the chain does not already know, packed; `currency` is the store's (fixed when it opened).
 */
export function orderFromPlaced(args: Result, currency: string): Order {
  const info = big(args.info);
  const lines = Array.from(args.lines as Result, (w: unknown) => unpackLine(big(w)));
  return {
    buyer: str(args.buyer),
    storeId: big(args.storeId),
    termsVersion: Number(info & mask(32n)),
    feeBps: Number((info >> 32n) & mask(16n)),
    currency,
    placedAt: (info >> 48n) & mask(40n),
    shippedAt: 0n,
    disputedAt: 0n,
    amount: lines.reduce((sum, l) => sum + BigInt(l.quantity) * l.unitPrice, 0n),
    lines,
  };
}

/** The tuple shape ethers encodes for an `Order` calldata argument. */
export function orderArg(order: Order): unknown[] {
  return [
    order.buyer,
    order.storeId,
    order.termsVersion,
    order.feeBps,
    order.currency,
    order.placedAt,
    order.shippedAt,
    order.disputedAt,
    order.amount,
    order.lines.map((l) => [l.productId, l.variant, l.quantity, l.unitPrice]),
  ];
}

export function cartArg(cart: CartOrder[]): unknown[] {
  return cart.map((o) => [
    o.storeId,
    o.lines.map((l) => [l.productId, l.variant, l.quantity, l.maxUnitPrice]),
    o.shipping,
  ]);
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO_BYTES32 = `0x${"0".repeat(64)}`;
