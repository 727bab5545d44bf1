// The seller's side of digital goods (docs/FORMATS.md, "Digital orders" and "Product metadata JSON"): a download is
// encrypted in the browser under a random content key, pinned, and its content key kept in the product metadata
// sealed to the store's own shipping key, so any device of the seller (any browser where the owner's wallet signs)
// can deliver. Delivering an order seals, per order, each product's content key (or a ticket code) to the buyer's
// key, and one `deliver` transaction carries every pending order's payload.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  type DeliveredItem,
  encryptFile,
  MAX_DELIVERY_PAYLOAD,
  newContentKey,
  sealDelivery,
  sealedDeliveryLength,
} from "./delivery-crypto.ts";
import { hexToBytes, toHex } from "./hex.ts";
import type { DownloadMetadata } from "./metadata.ts";
import { orderReference } from "./order-ref.ts";
import type { OrderRecord } from "./orders.ts";
import { orderArg, TICKET_CATEGORY } from "./protocol.ts";
import { openSealed, ShippingCryptoError, sealTo } from "./shipping-crypto.ts";
import type { TxRequest } from "./transactions.ts";

/** The `download` entry of product metadata: the encrypted file and its content key sealed to the store's key. */
export type DownloadEntry = DownloadMetadata;

const CONTENT_KEY_INFO = new TextEncoder().encode("merchstand/content-key/v1");
/** A 32-byte key sealed with ./shipping-crypto.ts's sealTo: 1 + 32 + 24 header, 32 key, 16 tag. */
export const SEALED_CONTENT_KEY_BYTES = 105;

/** Seals a content key to the store's X25519 shipping key, as hex for the product metadata. */
export function sealContentKey(keyHex: string, storePublicKey: Uint8Array): string {
  const key = hexToBytes(keyHex);
  if (key?.length !== 32) throw new ShippingCryptoError("A content key must be 32 bytes");
  return toHex(sealTo(key, storePublicKey, CONTENT_KEY_INFO));
}

/** Opens a product's sealed content key with the store's secret shipping key. Throws ShippingCryptoError. */
export function openContentKey(sealedHex: string, storeSecretKey: Uint8Array): string {
  const sealed = hexToBytes(sealedHex);
  if (!sealed) throw new ShippingCryptoError("The sealed content key is not hex");
  const key = openSealed(sealed, storeSecretKey, CONTENT_KEY_INFO, SEALED_CONTENT_KEY_BYTES);
  if (key.length !== 32) throw new ShippingCryptoError("The sealed content key is not 32 bytes");
  return toHex(key);
}

/**
 * Encrypts a download under a fresh content key and pins the ciphertext with `pin` (the dashboard's IPFS upload);
 * returns the metadata entry, whose key only the store's shipping key opens.
 */
export async function prepareDownload(
  file: Uint8Array,
  name: string,
  storePublicKey: Uint8Array,
  pin: (ciphertext: Uint8Array) => Promise<string>,
): Promise<DownloadEntry> {
  const key = newContentKey();
  const cid = await pin(encryptFile(file, key));
  return { cid, name, size: file.length, key: sealContentKey(key, storePublicKey) };
}

/**
 * A ticket's code: HMAC-SHA256 under the store's secret key of the order, product and unit, 16 hex digits. The
 * store re-derives it at the door from the same wallet signature, and nobody without that key can make one.
 */
export function ticketCode(storeSecretKey: Uint8Array, orderId: bigint, productId: bigint, unit: number): string {
  const mac = hmac(sha256, storeSecretKey, new TextEncoder().encode(`ticket|${orderId}|${productId}|${unit}`));
  return toHex(mac.subarray(0, 8)).slice(2).toUpperCase();
}

/** What the dashboard knows of a digital product: its category and, for a download, its metadata entry. */
export type DigitalProduct = { category: number; download: DownloadEntry | null };

/** Why an order can't be delivered yet, as a sentence for staff. */
export class DeliveryProblem extends Error {
  override name = "DeliveryProblem";
}

/**
 * The items one order delivers: a code per ticket unit, and per downloadable product (whatever the quantity) its
 * CID and opened content key.
 */
export function deliveryItems(
  record: Pick<OrderRecord, "id" | "order">,
  products: ReadonlyMap<bigint, DigitalProduct>,
  storeSecretKey: Uint8Array,
  describe: (productId: bigint) => string,
): DeliveredItem[] {
  const items: DeliveredItem[] = [];
  for (const line of record.order.lines) {
    const product = products.get(line.productId);
    if (!product)
      throw new DeliveryProblem(`${describe(line.productId)} of order ${orderReference(record.id)} can't be read.`);
    const base = { productId: line.productId.toString(), variant: line.variant };
    if (product.category === TICKET_CATEGORY) {
      for (let unit = 1; unit <= line.quantity; unit++) {
        const ticket = ticketCode(storeSecretKey, record.id, line.productId, unit);
        items.push({ ...base, cid: "", key: "", ticket });
      }
      continue;
    }
    if (!product.download) {
      throw new DeliveryProblem(
        `${describe(line.productId)} has no download yet: upload its file in the product editor first.`,
      );
    }
    let key: string;
    try {
      key = openContentKey(product.download.key, storeSecretKey);
    } catch {
      throw new DeliveryProblem(
        `The download key of ${describe(line.productId)} doesn't open with your wallet's key: it was sealed to another shipping key. Upload the file again.`,
      );
    }
    items.push({ ...base, cid: product.download.cid, key, ticket: "" });
  }
  if (sealedDeliveryLength(items) > MAX_DELIVERY_PAYLOAD) {
    throw new DeliveryProblem(`Order ${orderReference(record.id)} has too many items to deliver in one payload.`);
  }
  return items;
}

/** The one `deliver` transaction for every order of `batch`, each payload sealed to that order's buyer key. */
export function deliverTx(batch: ReadonlyArray<{ record: OrderRecord; items: DeliveredItem[] }>): TxRequest {
  const payloads = batch.map(({ record, items }) => {
    const buyerKey = hexToBytes(record.shipping);
    if (buyerKey?.length !== 32)
      throw new DeliveryProblem(`Order ${orderReference(record.id)} carries no delivery key.`);
    return toHex(sealDelivery(items, buyerKey));
  });
  return {
    fn: "deliver",
    args: [batch.map((b) => b.record.id), batch.map((b) => orderArg(b.record.order)), payloads],
    what: `Deliver ${batch.length} digital order${batch.length === 1 ? "" : "s"}`,
  };
}
