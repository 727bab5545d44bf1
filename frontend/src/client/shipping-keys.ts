// A store's shipping key, and a buyer's delivery key, in this browser tab: re-derived from a wallet signature
// (./shipping-crypto.ts, ./delivery-crypto.ts), held in memory only, and used to open what was sealed to them.
import { countryLabel } from "./countries.ts";
import { deliveryKeyMessage, deriveDeliveryKey } from "./delivery-crypto.ts";
import { bytes32ToBytes, hexToBytes, toHex } from "./hex.ts";
import { PromiseCache } from "./memo.ts";
import type { OrderRecord } from "./orders.ts";
import {
  deriveShippingKey,
  openShipping,
  type ShippingAddress,
  ShippingCryptoError,
  shippingKeyMessage,
} from "./shipping-crypto.ts";

export type ShippingKeys = { secretKey: Uint8Array; publicKey: Uint8Array };

/**
 * Store shipping keys re-derived from wallet signatures (FORMATS.md), one per account and chain, kept in memory
 * for this tab only: never in storage, so closing the tab forgets them, and a new session asks the wallet again.
 */
export class ShippingKeyring {
  // A refused or failed signature is not remembered: the next click asks again.
  private readonly keys = new PromiseCache<string, ShippingKeys>();
  private readonly message: (account: string, chainId: number) => string;
  private readonly derive: (signature: string) => ShippingKeys;

  /** A keyring of shipping keys by default; of buyers' delivery keys with the delivery message and derivation. */
  constructor(
    message: (account: string, chainId: number) => string = shippingKeyMessage,
    derive: (signature: string) => ShippingKeys = deriveShippingKey,
  ) {
    this.message = message;
    this.derive = derive;
  }

  private static key(account: string, chainId: number): string {
    return `${account.toLowerCase()}:${chainId}`;
  }

  has(account: string, chainId: number): boolean {
    return this.keys.has(ShippingKeyring.key(account, chainId));
  }

  /** The account's key pair; asks `sign` (the wallet's personal_sign) only the first time this session. */
  unlock(account: string, chainId: number, sign: (message: string) => Promise<string>): Promise<ShippingKeys> {
    return this.keys.get(ShippingKeyring.key(account, chainId), () =>
      sign(this.message(account, chainId)).then(this.derive),
    );
  }

  forget(): void {
    this.keys.clear();
  }
}

/** The store shipping keys of this browser tab. */
export const sessionKeyring = new ShippingKeyring();
/** The buyer delivery keys of this browser tab (digital orders, docs/FORMATS.md). */
export const deliveryKeyring = new ShippingKeyring(deliveryKeyMessage, deriveDeliveryKey);

/** Whether a derived public key is the one the store publishes (so addresses sealed to it will open). */
export function keyMatchesStore(publicKey: Uint8Array, storeShippingKey: string): boolean {
  return toHex(publicKey) === toHex(bytes32ToBytes(storeShippingKey));
}

export type OpenedAddress = { ok: true; address: ShippingAddress } | { ok: false; reason: string };

/** Opens an order's sealed address with the store's secret key; a failure is a sentence, never an exception. */
export function openOrderAddress(record: Pick<OrderRecord, "shipping">, secretKey: Uint8Array): OpenedAddress {
  if (!record.shipping || record.shipping === "0x") return { ok: false, reason: "Digital order: no address." };
  try {
    const sealed = hexToBytes(record.shipping);
    if (!sealed) throw new ShippingCryptoError("not hex");
    return { ok: true, address: openShipping(sealed, secretKey) };
  } catch (error) {
    const detail = error instanceof ShippingCryptoError ? error.message : "unreadable";
    return {
      ok: false,
      reason: `This address can't be opened with your key (${detail}). It may have been sealed to an earlier shipping key.`,
    };
  }
}

/** One line for a label: the address parts that are filled, in label order. */
export function addressLines(a: ShippingAddress, locale?: string): string[] {
  const country = countryLabel(a.country, locale);
  return [a.name, a.line1, a.line2, [a.city, a.region].filter(Boolean).join(", "), a.postalCode, country].filter(
    (s) => s.trim() !== "",
  );
}
