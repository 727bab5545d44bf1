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
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.storage?.getItem(this.key) ?? "{}");
    } catch {
      return {};
    }
    if (typeof parsed !== "object" || parsed === null) return {};
    const out: Partial<ShippingAddress> = {};
    for (const field of FIELDS) {
      const value = (parsed as Record<string, unknown>)[field];
      if (typeof value === "string" && value !== "") out[field] = value.slice(0, MAX_FIELD);
    }
    return out;
  }

  save(fields: Partial<ShippingAddress>): void {
    const out: Partial<ShippingAddress> = {};
    for (const field of FIELDS) {
      const value = fields[field];
      if (typeof value === "string" && value !== "") out[field] = value.slice(0, MAX_FIELD);
    }
    try {
      this.storage?.setItem(this.key, JSON.stringify(out));
    } catch {
      // A full or disabled storage only loses the convenience, never the checkout.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // As above.
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
