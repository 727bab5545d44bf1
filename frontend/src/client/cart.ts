// The cart lives in localStorage (per chain and contract) and survives reloads. Before checkout every line is
// re-checked against the chain: sold-out lines go, quantities shrink to stock, and changed prices are flagged.
import type { Product } from "./protocol.ts";

export type CartLine = {
  storeId: string;
  productId: string;
  variant: number;
  quantity: number;
  /** The unit price the fan saw when adding, in the smallest unit: the max unit price they accept. */
  unitPrice: string;
  currency: string;
  productName: string;
  variantLabel: string;
  digital: boolean;
};

export type StorageLike = Pick<Storage, "getItem" | "setItem">;

const MAX_LINES = 50;
const MAX_QUANTITY = 99;

function isLine(value: unknown): value is CartLine {
  if (typeof value !== "object" || value === null) return false;
  const l = value as Record<string, unknown>;
  return (
    typeof l.storeId === "string" &&
    /^\d{1,20}$/.test(l.storeId) &&
    typeof l.productId === "string" &&
    /^\d{1,20}$/.test(l.productId) &&
    Number.isInteger(l.variant) &&
    (l.variant as number) >= 0 &&
    (l.variant as number) < 256 &&
    Number.isInteger(l.quantity) &&
    (l.quantity as number) > 0 &&
    (l.quantity as number) <= MAX_QUANTITY &&
    typeof l.unitPrice === "string" &&
    /^\d{1,40}$/.test(l.unitPrice) &&
    typeof l.currency === "string" &&
    typeof l.productName === "string" &&
    typeof l.variantLabel === "string" &&
    typeof l.digital === "boolean"
  );
}

export class Cart {
  private readonly storage: StorageLike;
  private readonly key: string;
  lines: CartLine[];
  private readonly listeners = new Set<() => void>();

  /** `name` keeps a second list apart from the cart: "buy-now" holds the one line of a Buy now checkout. */
  constructor(storage: StorageLike, chainId: number, contract: string, name = "cart") {
    this.storage = storage;
    this.key = `merchstand.${name}.v1.${chainId}.${contract.toLowerCase()}`;
    this.lines = this.read();
  }

  private read(): CartLine[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.key) ?? "[]");
      // A corrupt or edited entry drops only that line, never the page.
      return Array.isArray(parsed) ? parsed.filter(isLine).slice(0, MAX_LINES) : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    try {
      this.storage.setItem(this.key, JSON.stringify(this.lines));
    } catch {
      // Private mode or a full quota: the cart still works for this visit.
    }
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get count(): number {
    return this.lines.reduce((n, l) => n + l.quantity, 0);
  }

  add(line: CartLine): void {
    const existing = this.find(line.productId, line.variant);
    if (existing) {
      existing.quantity = Math.min(MAX_QUANTITY, existing.quantity + line.quantity);
      existing.unitPrice = line.unitPrice;
    } else {
      if (this.lines.length >= MAX_LINES) throw new Error(`A cart holds at most ${MAX_LINES} lines`);
      this.lines.push({ ...line, quantity: Math.min(MAX_QUANTITY, line.quantity) });
    }
    this.save();
  }

  find(productId: string, variant: number): CartLine | undefined {
    return this.lines.find((l) => l.productId === productId && l.variant === variant);
  }

  setQuantity(productId: string, variant: number, quantity: number): void {
    const line = this.find(productId, variant);
    if (!line) return;
    if (quantity <= 0) this.remove(productId, variant);
    else {
      line.quantity = Math.min(MAX_QUANTITY, Math.floor(quantity));
      this.save();
    }
  }

  remove(productId: string, variant: number): void {
    this.lines = this.lines.filter((l) => !(l.productId === productId && l.variant === variant));
    this.save();
  }

  clear(lines: readonly CartLine[] = this.lines): void {
    const gone = new Set(lines.map((l) => `${l.productId}:${l.variant}`));
    this.lines = this.lines.filter((l) => !gone.has(`${l.productId}:${l.variant}`));
    this.save();
  }

  replace(lines: CartLine[]): void {
    this.lines = lines;
    this.save();
  }
}

export type CartProblem =
  | { kind: "sold-out"; line: CartLine }
  | { kind: "reduced"; line: CartLine; from: number; to: number }
  | { kind: "price-changed"; line: CartLine; from: bigint; to: bigint }
  | { kind: "unavailable"; line: CartLine };

/**
 * Compares cart lines with fresh product reads. Returns the lines as they can be bought now (prices updated to
 * the current ones, quantities capped at stock) and what changed, so the page can tell the fan before paying.
 */
export function recheckCart(
  lines: readonly CartLine[],
  products: ReadonlyMap<string, Product | null>,
): { lines: CartLine[]; problems: CartProblem[] } {
  const out: CartLine[] = [];
  const problems: CartProblem[] = [];
  for (const line of lines) {
    const product = products.get(line.productId);
    const variant = product?.variants[line.variant];
    if (!product?.active || !variant?.active || product.storeId.toString() !== line.storeId) {
      problems.push({ kind: "unavailable", line });
      continue;
    }
    if (variant.stock === 0) {
      problems.push({ kind: "sold-out", line });
      continue;
    }
    const next = { ...line, variantLabel: variant.label, productName: product.name };
    if (variant.stock < line.quantity) {
      problems.push({ kind: "reduced", line, from: line.quantity, to: variant.stock });
      next.quantity = variant.stock;
    }
    if (variant.price !== BigInt(line.unitPrice)) {
      problems.push({ kind: "price-changed", line, from: BigInt(line.unitPrice), to: variant.price });
      next.unitPrice = variant.price.toString();
    }
    out.push(next);
  }
  return { lines: out, problems };
}

export type StoreGroup = { storeId: string; currency: string; lines: CartLine[]; subtotal: bigint; physical: boolean };

/** Lines grouped per store (one order each), in cart order. */
export function groupByStore(lines: readonly CartLine[]): StoreGroup[] {
  const groups = new Map<string, StoreGroup>();
  for (const line of lines) {
    let group = groups.get(line.storeId);
    if (!group) {
      group = { storeId: line.storeId, currency: line.currency, lines: [], subtotal: 0n, physical: false };
      groups.set(line.storeId, group);
    }
    group.lines.push(line);
    group.subtotal += BigInt(line.unitPrice) * BigInt(line.quantity);
    group.physical ||= !line.digital;
  }
  return [...groups.values()];
}

/**
 * The one line of a "Buy now" checkout, kept apart from the cart in the tab's sessionStorage (so it survives a
 * reload of the checkout but never changes the cart); null where the browser refuses sessionStorage.
 */
export function buyNowCart(chainId: number, contract: string): Cart | null {
  try {
    return new Cart(globalThis.sessionStorage, chainId, contract, "buy-now");
  } catch {
    return null;
  }
}
