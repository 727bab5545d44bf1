// Shipping addresses travel on-chain sealed to the store's X25519 key (docs/FORMATS.md,
// "Encrypted shipping address"). The buyer's browser seals; only the seller's browser,
// holding a key re-derived from a wallet signature, opens. The seed script and the seller
// dashboard import this module too, so it stays free of DOM and chain code.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { getAddress } from "ethers/address";
import { hexToBytes } from "./hex.ts";

export type ShippingAddress = {
  name: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  email: string;
};

/** The plaintext's field order is fixed so equal addresses seal to equal-length blobs. */
export const SHIPPING_FIELDS = [
  "name",
  "line1",
  "line2",
  "city",
  "region",
  "postalCode",
  "country",
  "email",
] as const satisfies readonly (keyof ShippingAddress)[];

/** Fields a physical order cannot ship without. */
export const REQUIRED_SHIPPING_FIELDS = ["name", "line1", "city", "postalCode", "country"] as const;

const VERSION = 0x01;
const HEADER = 1 + 32 + 24;
const TAG = 16;
/** The contract rejects larger blobs (InvalidShippingBlob). */
export const MAX_SHIPPING_BLOB = 512;
export const MAX_SHIPPING_PLAINTEXT = MAX_SHIPPING_BLOB - HEADER - TAG;

const utf8 = new TextEncoder();
const INFO = utf8.encode("merchstand/shipping/v1");
const KEY_SALT = utf8.encode("merchstand");
const KEY_INFO = utf8.encode("x25519 shipping key v1");

export class ShippingCryptoError extends Error {
  override name = "ShippingCryptoError";
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sessionKey(shared: Uint8Array, ephemeralPublic: Uint8Array, recipient: Uint8Array, info: Uint8Array) {
  return hkdf(sha256, shared, concat(ephemeralPublic, recipient), info, 32);
}

function encodeAddress(address: ShippingAddress): Uint8Array {
  const ordered: Record<string, string> = {};
  for (const field of SHIPPING_FIELDS) {
    const value = address[field];
    if (typeof value !== "string") throw new ShippingCryptoError(`Shipping field ${field} must be text`);
    ordered[field] = value;
  }
  return utf8.encode(JSON.stringify(ordered));
}

/** The size a sealed address will have, so a form can warn before the contract would refuse it. */
export function sealedShippingLength(address: ShippingAddress): number {
  return HEADER + encodeAddress(address).length + TAG;
}

/**
 * Seals `plaintext` to an X25519 public key (docs/FORMATS.md, "Encrypted shipping address"): ephemeral key,
 * HKDF-SHA256 with salt `E || recipient` and the format's `info`, XChaCha20-Poly1305. The shipping address and the
 * digital delivery payload (./delivery-crypto.ts) use it with their own `info`.
 */
export function sealTo(plaintext: Uint8Array, recipientPublicKey: Uint8Array, info: Uint8Array): Uint8Array {
  const ephemeralSecret = x25519.utils.randomSecretKey();
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  const shared = x25519.getSharedSecret(ephemeralSecret, recipientPublicKey);
  const key = sessionKey(shared, ephemeralPublic, recipientPublicKey, info);
  const nonce = randomBytes(24);
  const ciphertext = xchacha20poly1305(key, nonce).encrypt(plaintext);
  return concat(Uint8Array.of(VERSION), ephemeralPublic, nonce, ciphertext);
}

/** Opens what {@link sealTo} sealed, with the recipient's secret key; throws ShippingCryptoError on any mismatch. */
export function openSealed(blob: Uint8Array, secretKey: Uint8Array, info: Uint8Array, maxBlob: number): Uint8Array {
  if (blob.length < HEADER + TAG || blob.length > maxBlob) {
    throw new ShippingCryptoError(`Not a sealed blob (${blob.length} bytes)`);
  }
  if (blob[0] !== VERSION) throw new ShippingCryptoError(`Unknown sealed blob version ${blob[0]}`);
  const ephemeralPublic = blob.subarray(1, 33);
  const nonce = blob.subarray(33, HEADER);
  const recipientPublic = x25519.getPublicKey(secretKey);
  try {
    const shared = x25519.getSharedSecret(secretKey, ephemeralPublic);
    return xchacha20poly1305(sessionKey(shared, ephemeralPublic, recipientPublic, info), nonce).decrypt(
      blob.subarray(HEADER),
    );
  } catch {
    throw new ShippingCryptoError("This was not sealed to this key, or it was altered");
  }
}

/** Bytes the sealing adds to a plaintext. */
export const SEAL_OVERHEAD = HEADER + TAG;

/** Seals a shipping address to a store's X25519 public key; the result is the `shipping` bytes of a purchase. */
export function sealShipping(address: ShippingAddress, storePublicKey: Uint8Array): Uint8Array {
  if (storePublicKey.length !== 32) throw new ShippingCryptoError("The store's shipping key must be 32 bytes");
  if (storePublicKey.every((b) => b === 0)) {
    throw new ShippingCryptoError("This store has no shipping key, so it cannot receive an address");
  }
  const plaintext = encodeAddress(address);
  if (plaintext.length > MAX_SHIPPING_PLAINTEXT) {
    throw new ShippingCryptoError(
      `The address is too long (${plaintext.length} bytes, at most ${MAX_SHIPPING_PLAINTEXT}). Please shorten it.`,
    );
  }
  return sealTo(plaintext, storePublicKey, INFO);
}

/** Opens a sealed blob with the store's secret key. Throws on a wrong key, tampering or a malformed address. */
export function openShipping(blob: Uint8Array, secretKey: Uint8Array): ShippingAddress {
  let plaintext: Uint8Array;
  try {
    plaintext = openSealed(blob, secretKey, INFO, MAX_SHIPPING_BLOB);
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (message.startsWith("Not a sealed") || message.startsWith("Unknown")) {
      throw new ShippingCryptoError(message.replace("blob", "address"));
    }
    throw new ShippingCryptoError("This address was not sealed to this key, or it was altered");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext));
  } catch {
    throw new ShippingCryptoError("The sealed address is not valid JSON text");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ShippingCryptoError("The sealed address is not an object");
  }
  const record = parsed as Record<string, unknown>;
  const address = {} as ShippingAddress;
  for (const field of SHIPPING_FIELDS) {
    const value = record[field] ?? "";
    if (typeof value !== "string") throw new ShippingCryptoError(`Shipping field ${field} is not text`);
    address[field] = value;
  }
  return address;
}

/**
 * Derives a store's shipping key pair from its owner's `personal_sign` signature of {@link shippingKeyMessage}.
 * Wallets sign deterministically (RFC 6979), so the same wallet gets the same key on any device.
 */
export function deriveShippingKey(signatureHex: string): { secretKey: Uint8Array; publicKey: Uint8Array } {
  return deriveX25519Key(signatureHex, KEY_INFO);
}

/** An X25519 key pair from a 65-byte wallet signature: HKDF-SHA256(signature, "merchstand", `keyInfo`). */
export function deriveX25519Key(
  signatureHex: string,
  keyInfo: Uint8Array,
): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const signature = hexToBytes(signatureHex);
  if (!signature?.length) throw new ShippingCryptoError("The signature is not hex bytes");
  if (signature.length !== 65) {
    throw new ShippingCryptoError(`Expected a 65-byte signature, got ${signature.length} bytes`);
  }
  const secretKey = hkdf(sha256, signature, KEY_SALT, keyInfo, 32);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/** The text a seller signs to derive the store's shipping key (FORMATS.md). */
export function shippingKeyMessage(address: string, chainId: number | bigint): string {
  return `Merchstand shipping key v1\nAccount: ${getAddress(address)}\nChain: ${chainId.toString()}`;
}
