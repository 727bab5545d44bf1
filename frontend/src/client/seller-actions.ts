// What store staff, arbiters and verifiers send: one TxRequest builder per admin call (calldata is built from the
// generated ABI by sendContractTx in ./transactions.ts), each with the sentence the wallet step shows, and the
// deployed bounds the store form checks against.
import type { Chain } from "./chain.ts";
import { formatAmount, shortAddress } from "./format.ts";
import { toHex } from "./hex.ts";
import type { Currency } from "./manifest.ts";
import { orderReference } from "./order-ref.ts";
import { escrowedIn } from "./order-state.ts";
import type { OrderRecord } from "./orders.ts";
import { largestPartialRefund, orderArg, partialRefundPaid, type Store, ZERO_ADDRESS } from "./protocol.ts";
import type { TxRequest } from "./transactions.ts";
import type { StoreInputArg, VariantArg } from "./validation.ts";

export type ProtocolBounds = {
  minShipWindow: number;
  maxShipWindow: number;
  minDeliveryWindow: number;
  maxDeliveryWindow: number;
  arbiterWindow: number;
};

/** The window bounds as deployed, read from the contract so the form can never drift from it. */
export async function loadBounds(chain: Chain): Promise<ProtocolBounds> {
  const [minShipWindow, maxShipWindow, minDeliveryWindow, maxDeliveryWindow, arbiterWindow] = await Promise.all([
    chain.read("MIN_SHIP_WINDOW"),
    chain.read("MAX_SHIP_WINDOW"),
    chain.read("MIN_DELIVERY_WINDOW"),
    chain.read("MAX_DELIVERY_WINDOW"),
    chain.read("ARBITER_WINDOW"),
  ]);
  return { minShipWindow, maxShipWindow, minDeliveryWindow, maxDeliveryWindow, arbiterWindow };
}

export async function isVerifier(chain: Chain, account: string): Promise<boolean> {
  return chain.read("hasRole", [await chain.read("VERIFIER_ROLE"), account]);
}

export function openStoreTx(input: StoreInputArg): TxRequest {
  return {
    fn: "openStore",
    args: [input],
    what: `Open the store "${input.name}"`,
  };
}

export function setStoreManagerTx(storeId: bigint, manager: string, enabled: boolean): TxRequest {
  return {
    fn: "setStoreManager",
    args: [storeId, manager, enabled],
    what: enabled ? `Make ${shortAddress(manager)} a manager` : `Remove ${shortAddress(manager)} as a manager`,
  };
}

export function setStoreShippingKeyTx(storeId: bigint, publicKey: Uint8Array): TxRequest {
  return { fn: "setStoreShippingKey", args: [storeId, toHex(publicKey)], what: "Set this store's shipping key" };
}

/** Proposes `newOwner` as the store's owner; nothing changes until they accept (acceptStoreOwnership). */
export function proposeOwnerTx(store: Pick<Store, "id" | "name">, newOwner: string): TxRequest {
  return {
    fn: "transferStoreOwnership",
    args: [store.id, newOwner],
    what: `Propose ${shortAddress(newOwner)} as the new owner of "${store.name}"`,
  };
}

/** Withdraws a pending ownership proposal (a proposal of the zero address). */
export function withdrawOwnerProposalTx(store: Pick<Store, "id" | "name">): TxRequest {
  return {
    fn: "transferStoreOwnership",
    args: [store.id, ZERO_ADDRESS],
    what: `Withdraw the ownership proposal of "${store.name}"`,
  };
}

/** The proposed owner takes the store. */
export function acceptStoreOwnershipTx(store: Pick<Store, "id" | "name">): TxRequest {
  return { fn: "acceptStoreOwnership", args: [store.id], what: `Accept the store "${store.name}"` };
}

/** Releases a shipped order's escrow to the store once its delivery window has passed (anyone may). */
export function releasePaymentTx(record: OrderRecord): TxRequest {
  return {
    fn: "complete",
    args: [record.id, orderArg(record.order)],
    what: `Release the payment of order ${orderReference(record.id)} to the store`,
  };
}

export function withdrawStoreBalanceTx(store: Store, currency: Currency): TxRequest {
  return {
    fn: "withdrawStoreBalance",
    args: [store.id],
    what: `Send ${formatAmount(store.balance, currency)} to the payout address ${shortAddress(store.payout)}`,
  };
}

export type ProductArg = { name: string; metadataCid: string; category: number; maxPerBuyer: number; digital: boolean };

export function listProductTx(storeId: bigint, product: ProductArg, variants: readonly VariantArg[]): TxRequest {
  return {
    fn: "listProduct",
    args: [storeId, product, variants],
    what: `List "${product.name}" for sale`,
  };
}

export function updateProductTx(productId: bigint, name: string, metadataCid: string, category: number): TxRequest {
  return { fn: "updateProduct", args: [productId, name, metadataCid, category], what: `Save the details of "${name}"` };
}

export function setProductActiveTx(productId: bigint, name: string, active: boolean): TxRequest {
  return {
    fn: "setProductActive",
    args: [productId, active],
    what: active ? `Put "${name}" back on sale` : `Take "${name}" off sale`,
  };
}

export function setProductLimitTx(productId: bigint, name: string, maxPerBuyer: number): TxRequest {
  return {
    fn: "setProductLimit",
    args: [productId, maxPerBuyer],
    what: maxPerBuyer ? `Limit "${name}" to ${maxPerBuyer} per fan` : `Remove the per-fan limit of "${name}"`,
  };
}

export function addVariantTx(productId: bigint, variant: VariantArg): TxRequest {
  return {
    fn: "addVariant",
    args: [productId, variant],
    what: `Add the variant "${variant.label}"`,
  };
}

export function setVariantPriceTx(productId: bigint, variant: number, label: string, price: bigint, c: Currency) {
  return {
    fn: "setVariantPrice",
    args: [productId, variant, price],
    what: `Set the price of ${label} to ${formatAmount(price, c)}`,
  } satisfies TxRequest;
}

export function setVariantStockTx(productId: bigint, variant: number, label: string, stock: number): TxRequest {
  return { fn: "setVariantStock", args: [productId, variant, stock], what: `Set the stock of ${label} to ${stock}` };
}

export function setVariantActiveTx(productId: bigint, variant: number, label: string, active: boolean): TxRequest {
  return {
    fn: "setVariantActive",
    args: [productId, variant, active],
    what: active ? `Put ${label} back on sale` : `Take ${label} off sale`,
  };
}

export function markShippedTx(record: OrderRecord, tracking: string): TxRequest {
  return {
    fn: "markShipped",
    args: [record.id, orderArg(record.order), tracking],
    what: `Mark order ${orderReference(record.id)} shipped`,
  };
}

/**
 * What a refund of `asked` does (IMerchstand `refund`): the whole escrow ends the order; less is a partial refund,
 * rounded up to the order's refund unit as the contract rounds it, which must leave something in escrow.
 */
export function refundPlan(
  record: OrderRecord,
  asked: bigint,
  currency: Currency,
): { ok: true; amount: bigint; full: boolean } | { ok: false; message: string } {
  const held = escrowedIn(record);
  if (asked === held) return { ok: true, amount: held, full: true };
  const largest = largestPartialRefund(record.order, record.refunded);
  const paid = partialRefundPaid(record.order, asked);
  if (asked <= 0n || asked > held) {
    return {
      ok: false,
      message: `Enter an amount above zero and at most the ${formatAmount(held, currency)} in escrow.`,
    };
  }
  if (paid > largest) {
    return {
      ok: false,
      message: `A partial refund must leave something in escrow: refund at most ${formatAmount(largest, currency)}, or the whole ${formatAmount(held, currency)} to end the order.`,
    };
  }
  return { ok: true, amount: paid, full: false };
}

export function refundTx(record: OrderRecord, amount: bigint, currency: Currency): TxRequest {
  const full = amount === escrowedIn(record);
  return {
    fn: "refund",
    args: [record.id, orderArg(record.order), amount],
    what: `${full ? "Refund" : "Partly refund"} ${formatAmount(amount, currency)} to the buyer of order ${orderReference(record.id)}`,
  };
}

export function resolveDisputeTx(record: OrderRecord, toBuyer: bigint, currency: Currency): TxRequest {
  const toStore = escrowedIn(record) - toBuyer;
  return {
    fn: "resolveDispute",
    args: [record.id, orderArg(record.order), toBuyer],
    what: `Rule on order ${orderReference(record.id)}: ${formatAmount(toBuyer, currency)} to the buyer, ${formatAmount(toStore, currency)} to the store`,
  };
}

export function requestVerificationTx(storeId: bigint, evidence: string): TxRequest {
  return {
    fn: "requestVerification",
    args: [storeId, evidence],
    what: "Ask Merchstand's verifiers to check your store",
  };
}

export function attestOfficialTx(storeId: bigint, name: string, evidence: string): TxRequest {
  return { fn: "attestOfficial", args: [storeId, evidence], what: `Mark "${name}" as the artist's official store` };
}

export function revokeOfficialTx(storeId: bigint, name: string, reason: string): TxRequest {
  return { fn: "revokeOfficial", args: [storeId, reason], what: `Remove the official mark from "${name}"` };
}
