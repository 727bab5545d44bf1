// A discount or presale code as text: what staff hand out (the seller dashboard makes it) and what a fan pastes at
// checkout or opens as a link (`#/store/ID/product/PID?code=…`, `#/store/ID?code=…`). It is the signed
// IMerchstand DiscountCode (EIP-712, signed off chain by store staff) in base64url:
//
//   version (1 byte, 1) | storeId (8) | code word (32: IMerchstand SignedCode.code) | r (32) | vs (32)
//   [ | buyer (20), only when the code word's "bound to a buyer" flag is set ]
//
// The code word packs `id | flags << 32 | value << 40 | expiresAt << 120 | maxUses << 160 | productId << 192` (flags
// bit 0: kind, bit 1: bound to a buyer). The buyer goes in the text so the checkout can say "this code is for another
// wallet" before paying; the contract checks the signature against the buyer who sends it either way.
// Text from a link or a paste is hostile: decoding checks every length, bit and range. No DOM here.

const VERSION = 1;
const BASE_BYTES = 1 + 8 + 32 + 32 + 32;
const BUYER_BYTES = 20;
/** Longest code text accepted (base64url of the longest form, with room to spare). */
export const MAX_CODE_TEXT = 200;

export const CODE_KIND = { percent: 0, amount: 1 } as const;
const FLAG_KIND = 1n;
const FLAG_BOUND = 2n;
const mask = (bits: bigint) => (1n << bits) - 1n;

/** IMerchstand's DiscountCode, as staff sign it. `buyer` is the zero address for a code anyone may use. */
export type DiscountCode = {
  storeId: bigint;
  id: number;
  kind: 0 | 1;
  value: bigint;
  expiresAt: bigint;
  maxUses: number;
  buyer: string;
  productId: bigint;
};
/** A code and the staff's signature in EIP-2098 compact form. */
export type SignedCodeText = { code: DiscountCode; r: string; vs: string };

export const ZERO_BUYER = "0x0000000000000000000000000000000000000000";

/** The packed word a purchase carries (IMerchstand SignedCode.code). */
export function packCode(code: DiscountCode): bigint {
  const bound = code.buyer.toLowerCase() !== ZERO_BUYER;
  const flags = (code.kind === 1 ? FLAG_KIND : 0n) | (bound ? FLAG_BOUND : 0n);
  return (
    BigInt(code.id) |
    (flags << 32n) |
    (code.value << 40n) |
    (code.expiresAt << 120n) |
    (BigInt(code.maxUses) << 160n) |
    (code.productId << 192n)
  );
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function uintBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function bytesUint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function hexOf(bytes: Uint8Array): string {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function bytesOfHex(hex: string, length: number): Uint8Array {
  const body = hex.replace(/^0x/, "");
  if (!new RegExp(`^[0-9a-fA-F]{${length * 2}}$`).test(body)) throw new RangeError("bad hex length");
  return Uint8Array.from({ length }, (_, i) => Number.parseInt(body.slice(i * 2, i * 2 + 2), 16));
}

/** The text of a signed code (what the seller dashboard shows and puts in links). */
export function encodeCodeText(signed: SignedCodeText): string {
  const bound = signed.code.buyer.toLowerCase() !== ZERO_BUYER;
  const bytes = new Uint8Array(BASE_BYTES + (bound ? BUYER_BYTES : 0));
  bytes[0] = VERSION;
  bytes.set(uintBytes(signed.code.storeId, 8), 1);
  bytes.set(uintBytes(packCode(signed.code), 32), 9);
  bytes.set(bytesOfHex(signed.r, 32), 41);
  bytes.set(bytesOfHex(signed.vs, 32), 73);
  if (bound) bytes.set(bytesOfHex(signed.code.buyer, 20), BASE_BYTES);
  return toBase64Url(bytes);
}

export type DecodedCode = { ok: true; value: SignedCodeText } | { ok: false; reason: string };

const MALFORMED = "This code isn't complete or was mistyped. Copy it again from where you got it.";

/** Reads code text from a paste or a link; `reason` is a sentence for the fan. */
export function decodeCodeText(text: string): DecodedCode {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, reason: "Enter a code." };
  if (trimmed.length > MAX_CODE_TEXT) return { ok: false, reason: MALFORMED };
  const bytes = fromBase64Url(trimmed);
  if (!bytes || bytes[0] !== VERSION) return { ok: false, reason: MALFORMED };
  if (bytes.length !== BASE_BYTES && bytes.length !== BASE_BYTES + BUYER_BYTES) return { ok: false, reason: MALFORMED };
  const word = bytesUint(bytes.subarray(9, 41));
  const flags = (word >> 32n) & mask(8n);
  const bound = (flags & FLAG_BOUND) !== 0n;
  if (flags > 3n || bound !== (bytes.length === BASE_BYTES + BUYER_BYTES)) return { ok: false, reason: MALFORMED };
  const kind = (flags & FLAG_KIND) === 0n ? 0 : 1;
  const value = (word >> 40n) & mask(80n);
  if (kind === 0 && value > 10_000n) return { ok: false, reason: MALFORMED };
  const storeId = bytesUint(bytes.subarray(1, 9));
  if (storeId === 0n) return { ok: false, reason: MALFORMED };
  return {
    ok: true,
    value: {
      code: {
        storeId,
        id: Number(word & mask(32n)),
        kind,
        value,
        expiresAt: (word >> 120n) & mask(40n),
        maxUses: Number((word >> 160n) & mask(32n)),
        buyer: bound ? hexOf(bytes.subarray(BASE_BYTES)) : ZERO_BUYER,
        productId: (word >> 192n) & mask(64n),
      },
      r: hexOf(bytes.subarray(41, 73)),
      vs: hexOf(bytes.subarray(73, 105)),
    },
  };
}

/** IMerchstand SignedCode: a code as a purchase carries it. */
export type SignedCodeArg = { code: bigint; r: string; vs: string };
const ZERO_WORD = `0x${"0".repeat(64)}`;
/** No code (IMerchstand SignedCode all zero). */
export const NO_CODE: SignedCodeArg = { code: 0n, r: ZERO_WORD, vs: ZERO_WORD };

/** IMerchstand SignedCode of a decoded code, for a purchase; all zero for none. */
export function signedCodeArg(signed: SignedCodeText | null): SignedCodeArg {
  return signed ? { code: packCode(signed.code), r: signed.r, vs: signed.vs } : NO_CODE;
}

/** The EIP-712 typed data staff sign for `code` (IMerchstand DiscountCode; domain "Merchstand" version "1"). */
export function codeTypedData(code: DiscountCode, chainId: number, contract: string) {
  return {
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
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
    },
    primaryType: "DiscountCode",
    domain: { name: "Merchstand", version: "1", chainId, verifyingContract: contract },
    message: {
      storeId: code.storeId.toString(),
      id: code.id,
      kind: code.kind,
      value: code.value.toString(),
      expiresAt: code.expiresAt.toString(),
      maxUses: code.maxUses,
      buyer: code.buyer,
      productId: code.productId.toString(),
    },
  } as const;
}

/** A 65-byte signature (`0x` r s v) in EIP-2098 compact form: `vs` is s with v's parity in its top bit. */
export function compactSignature(signature: string): { r: string; vs: string } {
  const body = signature.replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{130}$/.test(body)) throw new RangeError("not a 65-byte signature");
  let v = Number.parseInt(body.slice(128, 130), 16);
  if (v < 27) v += 27;
  const s = BigInt(`0x${body.slice(64, 128)}`);
  const vs = v === 28 ? s | (1n << 255n) : s;
  return { r: `0x${body.slice(0, 64)}`, vs: `0x${vs.toString(16).padStart(64, "0")}` };
}
