// The protocol's codec, shared by the dapp, the seed script and the tests: the plain types pages work with, their
// conversion from the contract's structs, the packed forms of purchase lines and OrderPlaced logs, the Order
// calldata argument, and the limits the contract enforces (so a form says what is wrong before the wallet opens).
import type { EventArgs, FunctionArgs, FunctionResult, MerchstandAbi } from "./contract.ts";

/** Byte and count limits of contracts/base/MerchstandStorage.sol (MAX_NAME_BYTES, MAX_LABEL_BYTES, ...). */
export const LIMITS = {
  name: 64,
  label: 32,
  cid: 100,
  tracking: 128,
  text: 280,
  evidence: 200,
  variants: 16,
  images: 8,
  description: 5_000,
} as const;

export const MAX_UINT96 = (1n << 96n) - 1n;
export const MAX_UINT32 = 2 ** 32 - 1;
/** `maxPerBuyer` is a uint16 (0 = no limit). */
export const MAX_UINT16 = 2 ** 16 - 1;
export const DAY = 86_400;
/** ARBITER_WINDOW (seconds): after it, anyone may settle an unanswered dispute in the buyer's favour. */
export const ARBITER_WINDOW = 30 * DAY;

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

/** The category index of tickets (IMerchstand's ProductInput): delivered as codes, not files, and reviewable once
 * delivered. */
export const TICKET_CATEGORY = 3;

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

export type Variant = {
  index: number;
  label: string;
  price: bigint;
  stock: number;
  sold: number;
  active: boolean;
  /** The block of the variant's latest order (low 32 bits; 0 before the first): where a history walk starts. */
  lastOrderBlock: number;
};

export type Product = {
  id: bigint;
  storeId: bigint;
  category: number;
  active: boolean;
  digital: boolean;
  maxPerBuyer: number;
  ratingCount: number;
  ratingSum: bigint;
  /** The block of the product's latest review (low 32 bits; 0 before the first): where a review walk starts. */
  lastReviewBlock: number;
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
  /** A pre-order's ship date (0 for none): its ship window runs from max(placedAt, shipsFrom). */
  shipsFrom: bigint;
  /** The shipping zone paid for, 0 for none. */
  zone: number;
  /** The shipping charge included in `amount`. */
  shipping: bigint;
  /** What a discount code took off (the code word of the order's OrderPlaced log). */
  discount: bigint;
  lines: Line[];
};

export type LineInput = { productId: bigint; variant: number; quantity: number; maxUnitPrice: bigint };
/** One order of a cart: all physical (shipping = the sealed address) or all digital (the buyer's 32-byte key). */
export type CartOrder = {
  storeId: bigint;
  termsVersion: number;
  lines: LineInput[];
  shipping: string;
  /** The store's shipping zone (docs/DROPS.md); 0 or absent for none. */
  zone?: number;
  /** The highest shipping charge the buyer accepts. */
  maxShipping?: bigint;
  /** A signed discount or presale code ({code, r, vs}); absent for none. */
  code?: SignedCode;
};
/** A discount or presale code as a purchase carries it (IMerchstand.SignedCode, docs/DROPS.md). */
export type SignedCode = { code: bigint; r: string; vs: string };

type AbiStore = FunctionResult<MerchstandAbi, "getStore">;
type AbiProduct = FunctionResult<MerchstandAbi, "getProduct">;
type AbiTerms = FunctionResult<MerchstandAbi, "storeTerms">;
/** The Order as the contract takes it in calldata. */
export type OrderArg = FunctionArgs<MerchstandAbi, "hashOrder">[0];
export type CartArg = FunctionArgs<MerchstandAbi, "checkout">[0];

export function toTerms(t: AbiTerms): StoreTerms {
  return { arbiter: t.arbiter, shipWindow: t.shipWindow, deliveryWindow: t.deliveryWindow };
}

export function toStore(s: AbiStore): Store {
  return { ...s, terms: toTerms(s.terms) };
}

export function toProduct(p: AbiProduct): Product {
  return {
    ...p,
    variants: p.variants.map((v, index) => ({ index, ...v })),
  };
}

const mask = (bits: bigint) => (1n << bits) - 1n;

/**
 * A purchase line as `buy_oT9la` takes it (docs/FORMATS.md, "Packed purchase line"):
 * `productId | variant << 64 | quantity << 72 | maxUnitPrice << 104 | termsVersion << 200`.
 */
export function packLine(line: LineInput, termsVersion: number): bigint {
  const variant = BigInt(line.variant);
  const quantity = BigInt(line.quantity);
  const version = BigInt(termsVersion);
  const fits = (value: bigint, bits: bigint) => value >= 0n && value <= mask(bits);
  if (
    !fits(line.productId, 64n) ||
    !fits(variant, 8n) ||
    !fits(quantity, 32n) ||
    !fits(line.maxUnitPrice, 96n) ||
    !fits(version, 32n)
  ) {
    throw new RangeError("A cart line is out of range.");
  }
  return line.productId | (variant << 64n) | (quantity << 72n) | (line.maxUnitPrice << 104n) | (version << 200n);
}

/**
 * One line of an OrderPlaced log: `productId | variant << 64 | quantity << 72 | unitPrice << 104 |
 * previousOrderBlock << 200` (the previous order block is read by {@link previousOrderBlock}, not part of the Line).
 */
export function unpackLine(word: bigint): Line {
  return {
    productId: word & mask(64n),
    variant: Number((word >> 64n) & mask(8n)),
    quantity: Number((word >> 72n) & mask(32n)),
    unitPrice: (word >> 104n) & mask(96n),
  };
}

/**
 * The history pointer an OrderPlaced line word carries (docs/FORMATS.md, "History pointers"): the block of the
 * previous order of the same variant, 0 if none, the log's own block if an earlier order or line in it took the
 * variant.
 */
export function previousOrderBlock(word: bigint): number {
  return Number((word >> 200n) & mask(32n));
}

/**
 * The words of an OrderPlaced log's `lines`, split as IMerchstand's NatSpec of the event says: one per line, then,
 * when `info` bit 232 says the order used a code, the code word `discount | codeId << 224`.
 */
export function placedWords(args: Pick<EventArgs<"OrderPlaced">, "info" | "lines">): {
  lines: bigint[];
  code: { id: number; discount: bigint } | null;
} {
  const words = Array.from(args.lines, (w) => BigInt(w));
  if (!usedCode(args.info)) return { lines: words, code: null };
  const last = words.pop();
  if (last === undefined) throw new Error("OrderPlaced used a code but carries no code word");
  return { lines: words, code: { id: Number(last >> 224n), discount: last & mask(224n) } };
}

/**
 * The Order an OrderPlaced log announces, rebuilt as IMerchstand's NatSpec of the event says: the log carries only
 * what the chain does not already know, packed; `currency` is the store's (fixed when it opened).
 */
export function orderFromPlaced(
  args: Pick<EventArgs<"OrderPlaced">, "buyer" | "storeId" | "info" | "lines">,
  currency: string,
): Order {
  const info = BigInt(args.info);
  const words = placedWords(args);
  const lines = words.lines.map(unpackLine);
  const shipping = (info >> 136n) & mask(96n);
  const discount = words.code?.discount ?? 0n;
  return {
    buyer: String(args.buyer),
    storeId: BigInt(args.storeId),
    termsVersion: Number(info & mask(32n)),
    feeBps: Number((info >> 32n) & mask(16n)),
    currency,
    placedAt: (info >> 48n) & mask(40n),
    shippedAt: 0n,
    disputedAt: 0n,
    amount: lines.reduce((sum, l) => sum + BigInt(l.quantity) * l.unitPrice, 0n) + shipping - discount,
    shipsFrom: (info >> 96n) & mask(40n),
    zone: Number((info >> 88n) & mask(8n)),
    shipping,
    discount,
    lines,
  };
}

/** Whether an OrderPlaced `info` word says the order used a code (bit 232): its `lines` end with the code word. */
export function usedCode(info: bigint | string | number): boolean {
  return ((BigInt(info) >> 232n) & 1n) === 1n;
}

/**
 * The unit an order's partial refunds are counted in (IMerchstand `refund`): the smallest power of ten `u` with
 * `u * 2^20 >= amount`, e.g. 10^11 wei for a 0.05 ETH order. A partial refund is rounded up to whole units.
 */
export function refundUnit(amount: bigint): bigint {
  let unit = 1n;
  while (unit << 20n < amount) unit *= 10n;
  return unit;
}

/** What a partial refund of `asked` pays: rounded up to the order's refund unit, as the contract does. */
export function partialRefundPaid(order: Pick<Order, "amount">, asked: bigint): bigint {
  const unit = refundUnit(order.amount);
  return ((asked + unit - 1n) / unit) * unit;
}

/**
 * The most a partial refund of an order can still pay, after `refunded` (whole units) went back: whole units, with
 * something left in escrow.
 */
export function largestPartialRefund(order: Pick<Order, "amount">, refunded: bigint): bigint {
  const unit = refundUnit(order.amount);
  const most = ((order.amount - 1n) / unit) * unit - refunded;
  return most > 0n ? most : 0n;
}

/** What an order still holds in escrow: its amount less the partial refunds (`refundedUnits(orderId)` units). */
export function escrowOf(order: Pick<Order, "amount">, refunded: bigint): bigint {
  return order.amount > refunded ? order.amount - refunded : 0n;
}

/** An Order as calldata. */
export function orderArg(order: Order): OrderArg {
  return {
    ...order,
    placedAt: Number(order.placedAt),
    shippedAt: Number(order.shippedAt),
    disputedAt: Number(order.disputedAt),
    shipsFrom: Number(order.shipsFrom),
    lines: order.lines.map((l) => ({ ...l })),
  };
}

export function cartArg(cart: CartOrder[]): CartArg {
  return cart.map((o) => ({
    storeId: o.storeId,
    termsVersion: o.termsVersion,
    lines: o.lines.map((l) => ({ ...l })),
    shipping: o.shipping,
    zone: o.zone ?? 0,
    maxShipping: o.maxShipping ?? 0n,
    code: o.code ?? { code: 0n, r: ZERO_BYTES32, vs: ZERO_BYTES32 },
  }));
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO_BYTES32 = `0x${"0".repeat(64)}`;
