// What a discount code takes off an order and what its zone adds, computed as the contract does (IMerchstand
// DiscountCode and ShippingZone NatSpec), and every reason a code can't be used, in a fan's words, before paying.
// No DOM here.
import { type DiscountCode, ZERO_BUYER } from "./code-text.ts";
import { formatDate, shortAddress } from "./format.ts";

type PricedLine = { productId: bigint; quantity: number; unitPrice: bigint };

/** Basis points of a whole (IMerchstand DiscountCode kind 0). */
const BPS = 10_000n;

/**
 * What `code` takes off `lines` (one order's): a percentage or an amount of the goods, of the bound product's lines
 * only when it names one, never more than they cost.
 */
export function discountFor(code: DiscountCode, lines: readonly PricedLine[]): bigint {
  const goods = lines
    .filter((l) => code.productId === 0n || l.productId === code.productId)
    .reduce((sum, l) => sum + l.unitPrice * BigInt(l.quantity), 0n);
  const off = code.kind === 0 ? (goods * code.value) / BPS : code.value;
  return off > goods ? goods : off;
}

/** What the page knows when it checks a code. */
export type CodeCheck = {
  account: string | null;
  /** Chain time (unix seconds). */
  now: bigint;
  /** The stores of the orders being paid. */
  storeIds: readonly bigint[];
  /** The products of the orders of the code's store. */
  productIds: readonly bigint[];
  /** From the chain: IMerchstand codeState. */
  uses: bigint;
  revoked: boolean;
  /** A product's name, for "only for …". */
  productName: (productId: bigint) => string | undefined;
  storeName: (storeId: bigint) => string | undefined;
};

/** Why `code` can't be used in this checkout, as a sentence; null when it can (the contract has the last word). */
export function codeProblem(code: DiscountCode, check: CodeCheck): string | null {
  if (!check.storeIds.includes(code.storeId)) {
    const name = check.storeName(code.storeId);
    return `This code is for ${name ? `${name}` : "another store"}, and nothing from that store is in this checkout.`;
  }
  if (check.revoked) return "The store withdrew this code.";
  if (code.expiresAt !== 0n && check.now >= code.expiresAt)
    return `This code expired on ${formatDate(code.expiresAt)}.`;
  if (BigInt(code.maxUses) <= check.uses) {
    return `This code has been used as often as it can be (${code.maxUses} ${code.maxUses === 1 ? "time" : "times"}).`;
  }
  if (code.buyer.toLowerCase() !== ZERO_BUYER) {
    if (!check.account) return "This code is for one fan's wallet: connect your wallet to use it.";
    if (check.account.toLowerCase() !== code.buyer.toLowerCase()) {
      return `This code is for another wallet (${shortAddress(code.buyer)}), not the one connected (${shortAddress(check.account)}).`;
    }
  }
  if (code.productId !== 0n && !check.productIds.includes(code.productId)) {
    const name = check.productName(code.productId);
    return `This code is only for ${name ?? `product ${code.productId}`}, which isn't in this checkout.`;
  }
  return null;
}

/** "10% off", "0.005 ETH off", or for a pure presale code (0% off) "Presale access". */
export function codeLabel(code: DiscountCode, money: (value: bigint) => string): string {
  if (code.value === 0n) return "Presale access";
  if (code.kind === 0) return `${Number(code.value) / 100}% off`;
  return `${money(code.value)} off`;
}
