// Digital goods through the escrow (docs/FORMATS.md, "Digital orders"): the buyer's delivery key (derived from a
// wallet signature like the store's shipping key), the payload the store seals to it in `deliver`, and the file
// encryption of a download. No DOM and no chain code: the seed script and the tests import it too.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { getAddress } from "ethers/address";
import { hexToBytes, toHex } from "./hex.ts";
import { deriveX25519Key, openSealed, SEAL_OVERHEAD, ShippingCryptoError, sealTo } from "./shipping-crypto.ts";

const utf8 = new TextEncoder();
const DELIVERY_INFO = utf8.encode("merchstand/delivery/v1");
const DELIVERY_KEY_INFO = utf8.encode("x25519 delivery key v1");
/** The contract's MAX_DELIVERY_BYTES: a larger payload reverts. */
export const MAX_DELIVERY_PAYLOAD = 512;
const NONCE = 24;

/** The text a buyer signs to derive their delivery key (docs/FORMATS.md). */
export function deliveryKeyMessage(address: string, chainId: number | bigint): string {
  return `Merchstand delivery key v1\nAccount: ${getAddress(address)}\nChain: ${chainId.toString()}`;
}

/** The buyer's X25519 delivery key pair from their `personal_sign` signature of {@link deliveryKeyMessage}. */
export function deriveDeliveryKey(signatureHex: string): { secretKey: Uint8Array; publicKey: Uint8Array } {
  return deriveX25519Key(signatureHex, DELIVERY_KEY_INFO);
}

/** One delivered item: a download (`cid` of the encrypted file and its 32-byte `key`) or a `ticket` code. */
export type DeliveredItem = { productId: string; variant: number; cid: string; key: string; ticket: string };

function isItem(value: unknown): value is DeliveredItem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.productId === "string" &&
    /^\d{1,20}$/.test(v.productId) &&
    Number.isInteger(v.variant) &&
    typeof v.cid === "string" &&
    v.cid.length <= 100 &&
    typeof v.key === "string" &&
    (v.key === "" || /^0x[0-9a-f]{64}$/i.test(v.key)) &&
    typeof v.ticket === "string" &&
    v.ticket.length <= 200
  );
}

function encodeItems(items: readonly DeliveredItem[]): Uint8Array {
  return utf8.encode(
    JSON.stringify({
      items: items.map((i) => ({
        productId: i.productId,
        variant: i.variant,
        cid: i.cid,
        key: i.key,
        ticket: i.ticket,
      })),
    }),
  );
}

/** The size the sealed payload of `items` will have, so the dashboard can refuse it before the contract does. */
export function sealedDeliveryLength(items: readonly DeliveredItem[]): number {
  return encodeItems(items).length + SEAL_OVERHEAD;
}

/** Seals the delivered items of one order to the buyer's 32-byte key (the order's `shipping` bytes). */
export function sealDelivery(items: readonly DeliveredItem[], buyerPublicKey: Uint8Array): Uint8Array {
  if (buyerPublicKey.length !== 32 || buyerPublicKey.every((b) => b === 0)) {
    throw new ShippingCryptoError("The order carries no delivery key of the buyer's");
  }
  const plaintext = encodeItems(items);
  if (plaintext.length + SEAL_OVERHEAD > MAX_DELIVERY_PAYLOAD) {
    throw new ShippingCryptoError(
      `The delivery is too large for one order (${plaintext.length + SEAL_OVERHEAD} bytes, at most ${MAX_DELIVERY_PAYLOAD})`,
    );
  }
  return sealTo(plaintext, buyerPublicKey, DELIVERY_INFO);
}

/** Opens an OrderDelivered payload with the buyer's secret delivery key. Throws ShippingCryptoError. */
export function openDelivery(payload: Uint8Array, secretKey: Uint8Array): DeliveredItem[] {
  const plaintext = openSealed(payload, secretKey, DELIVERY_INFO, MAX_DELIVERY_PAYLOAD);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext));
  } catch {
    throw new ShippingCryptoError("The delivery is not valid JSON text");
  }
  const items = (parsed as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length > 32 || !items.every(isItem)) {
    throw new ShippingCryptoError("The delivery does not list its items in the expected form");
  }
  return items;
}

/** The largest download the order page fetches and decrypts in the browser. */
export const MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;

/**
 * A delivered download, decrypted: the ciphertext comes from `fetchBytes` (the dapp's CID-verified IPFS client), and
 * only the item's content key opens it.
 */
export async function openDownload(
  item: Pick<DeliveredItem, "cid" | "key">,
  fetchBytes: (cid: string, maxBytes: number) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  if (!item.cid || !item.key) throw new ShippingCryptoError("This item is not a download");
  return decryptFile(await fetchBytes(item.cid, MAX_DOWNLOAD_BYTES + NONCE + 16), item.key);
}

/** A fresh random 32-byte content key, as hex. */
export function newContentKey(): string {
  return toHex(randomBytes(32));
}

function keyBytes(keyHex: string): Uint8Array {
  const key = hexToBytes(keyHex);
  if (key?.length !== 32) throw new ShippingCryptoError("A content key must be 32 bytes");
  return key;
}

/** Encrypts a download under a content key: `nonce (24) || XChaCha20-Poly1305 ciphertext`. */
export function encryptFile(file: Uint8Array, keyHex: string): Uint8Array {
  const nonce = randomBytes(NONCE);
  const ct = xchacha20poly1305(keyBytes(keyHex), nonce).encrypt(file);
  const out = new Uint8Array(NONCE + ct.length);
  out.set(nonce);
  out.set(ct, NONCE);
  return out;
}

/** Decrypts what {@link encryptFile} made; throws ShippingCryptoError on a wrong key or altered bytes. */
export function decryptFile(sealed: Uint8Array, keyHex: string): Uint8Array {
  if (sealed.length < NONCE + 16) throw new ShippingCryptoError("The download is too short to be encrypted");
  try {
    return xchacha20poly1305(keyBytes(keyHex), sealed.subarray(0, NONCE)).decrypt(sealed.subarray(NONCE));
  } catch {
    throw new ShippingCryptoError("The download does not open with this key, or it was altered");
  }
}
