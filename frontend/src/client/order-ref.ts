// A short, stable reference for an order ("MS-7KQ2-9XAB") in place of its id (`productId << 40 | variant << 32 |
// sold`, 13 digits and more: contracts/interfaces/IMerchstand.sol), for fans to read out, copy and search. The id
// stays the key everywhere (URLs, contract calls, data-order-id); the reference is only what people read.
//
// The id is mixed by the SplitMix64 finalizer (a bijection on 64-bit numbers, so nearby ids give unrelated
// references), and its low 40 bits are written as 8 Crockford base32 characters in two groups of four. 40 bits
// make two orders of one store share a reference with odds about n²/2^41 (1 in 20,000 at 10,000 orders), so
// lookups by reference are within a list already loaded (a fan's or a store's orders) and the full id is always
// one click away.

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MASK64 = (1n << 64n) - 1n;
const PREFIX = "MS";

function mix(id: bigint): bigint {
  let z = id & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** The order's reference, e.g. "MS-7KQ2-9XAB": the same id always gives the same reference. */
export function orderReference(id: bigint): string {
  let bits = mix(id) & ((1n << 40n) - 1n);
  let code = "";
  for (let i = 0; i < 8; i++) {
    code = ALPHABET[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return `${PREFIX}-${code.slice(0, 4)}-${code.slice(4)}`;
}

/** "Order MS-7KQ2-9XAB": what a heading, link or sentence calls the order. */
export function orderLabel(id: bigint): string {
  return `Order ${orderReference(id)}`;
}

/**
 * A reference as a fan may type it, in canonical form: any case, with or without "MS" and dashes or spaces, and
 * Crockford's look-alikes read as digits (O → 0, I and L → 1). Null when it can't be a reference.
 */
export function normalizeReference(text: string): string | null {
  const compact = text
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/^MS(?=.{8}$)/, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(compact)) return null;
  return `${PREFIX}-${compact.slice(0, 4)}-${compact.slice(4)}`;
}

/** Whether a search query names this order: by its reference (as `normalizeReference` reads it) or its full id. */
export function matchesOrder(query: string, id: bigint): boolean {
  const q = query.trim();
  if (q === "") return true;
  if (/^#?\d+$/.test(q)) return id.toString() === q.replace("#", "");
  return normalizeReference(q) === orderReference(id);
}
