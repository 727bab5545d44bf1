// The checkout form's typed details, kept in the tab (sessionStorage, per chain and contract) so a reload does not
// empty them; pages/checkout.ts clears them after a successful payment. Only strings of the known fields are read
// back, each cut to the form's maximum length: the stored text is treated as untrusted like any other input.
import { SHIPPING_FIELDS as FIELDS, type ShippingAddress } from "./shipping-crypto.ts";

export type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const MAX_FIELD = 120;

export class CheckoutDraft {
  private readonly storage: StorageLike | null;
  private readonly key: string;

  constructor(storage: StorageLike | null, chainId: number, contract: string) {
    this.storage = storage;
    this.key = `merchstand.checkout-draft.v1.${chainId}.${contract.toLowerCase()}`;
  }

  /** The saved fields; anything missing, malformed or not a known field is left out. */
  load(): Partial<ShippingAddress> {
    return readFields(this.storage, this.key);
  }

  save(fields: Partial<ShippingAddress>): void {
    writeFields(this.storage, this.key, fields);
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // A storage the browser refuses has nothing to forget.
    }
  }
}

/** The tab's sessionStorage, or null where the browser refuses it (some private modes). */
export function tabStorage(): StorageLike | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function pickFields(value: unknown): Partial<ShippingAddress> {
  const out: Partial<ShippingAddress> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const field of FIELDS) {
    const text = (value as Record<string, unknown>)[field];
    if (typeof text === "string" && text !== "") out[field] = text.slice(0, MAX_FIELD);
  }
  return out;
}

function readFields(storage: StorageLike | null, key: string): Partial<ShippingAddress> {
  try {
    return pickFields(JSON.parse(storage?.getItem(key) ?? "{}"));
  } catch {
    return {};
  }
}

function writeFields(storage: StorageLike | null, key: string, fields: Partial<ShippingAddress>): void {
  try {
    storage?.setItem(key, JSON.stringify(pickFields(fields)));
  } catch {
    // A full or disabled storage only loses the convenience, never the checkout.
  }
}

/**
 * The fan's own copy of the address they sealed to a store, kept in this browser (localStorage, per chain, contract
 * and order id) so the order page can show it: the sealed blob on-chain opens only with the store's key.
 */
export class SealedAddressCopies {
  private readonly storage: StorageLike | null;
  private readonly prefix: string;

  constructor(storage: StorageLike | null, chainId: number, contract: string) {
    this.storage = storage;
    this.prefix = `merchstand.sealed-address.v1.${chainId}.${contract.toLowerCase()}.`;
  }

  save(orderId: bigint, address: ShippingAddress): void {
    writeFields(this.storage, this.prefix + orderId.toString(), address);
  }

  /** The copy for `orderId`, or null when this browser has none (another device, cleared storage). */
  load(orderId: bigint): Partial<ShippingAddress> | null {
    const fields = readFields(this.storage, this.prefix + orderId.toString());
    return Object.keys(fields).length > 0 ? fields : null;
  }
}

/** The browser's localStorage, or null where it is refused. */
export function deviceStorage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
