// Discount and presale codes on the seller's side, without the DOM: the form checked into an IMerchstand
// DiscountCode, the link that carries a signed code (the route the fan side reads: client/code-link.ts), the list
// of codes made on this device (localStorage: codes live off chain, nothing else remembers them), and the revoke
// call. The code text and the EIP-712 typed data are client/code-text.ts's.
import { getAddress, isAddress } from "ethers/address";
import type { Chain } from "./chain.ts";
import { CODE_KIND, type DiscountCode, ZERO_BUYER } from "./code-text.ts";
import { decodeEvent, topicOf } from "./contract.ts";
import { uintTopic } from "./hex.ts";
import type { Currency } from "./manifest.ts";
import { placedWords } from "./protocol.ts";
import type { TxRequest } from "./transactions.ts";
import { type Checked, parseAmount } from "./validation.ts";

/** What the "Make a code" form holds. `expires` is a `datetime-local` value in the seller's time zone. */
export type CodeForm = {
  kind: "percent" | "amount";
  value: string;
  expires: string;
  maxUses: string;
  buyer: string;
  productId: string;
};

/** A code made on this device, with its text (what the fan pastes) and a note for the seller. */
export type SavedCode = {
  storeId: string;
  id: number;
  kind: 0 | 1;
  value: string;
  expiresAt: number;
  maxUses: number;
  buyer: string;
  productId: string;
  text: string;
  note: string;
  madeAt: number;
};

const MAX_UINT32 = 2 ** 32 - 1;
/** Codes whose use counters one `prepareCodes` call pays ahead for. */
export const PREPARE_BATCH = 8;
/** The code word holds the expiry in 40 bits (client/code-text.ts packCode). */
const MAX_EXPIRY = 2 ** 40 - 1;
/** The code word holds the value in 80 bits. */
const MAX_VALUE = (1n << 80n) - 1n;

const bad = (message: string, field?: string) => ({ ok: false as const, message, field });

/**
 * The form as a DiscountCode of store `storeId` with id `id`. A percentage is kept in basis points (10% = 1000,
 * IMerchstand DiscountCode.value); `now` (unix seconds, the chain's clock) refuses an expiry in the past.
 */
export function checkCodeForm(
  form: CodeForm,
  storeId: bigint,
  id: number,
  currency: Pick<Currency, "symbol" | "decimals">,
  now: bigint,
): Checked<DiscountCode> {
  let value: bigint;
  if (form.kind === "percent") {
    const text = form.value.trim();
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return bad("The percentage must be a number like 10 or 12.5.", "code-value");
    const bps = Math.round(Number(text) * 100);
    if (bps > 10_000) return bad("The percentage can be at most 100.", "code-value");
    value = BigInt(bps);
  } else {
    const amount = parseAmount(form.value, currency, "The amount off", { allowZero: true, field: "code-value" });
    if (!amount.ok) return amount;
    if (amount.value > MAX_VALUE) return bad("The amount off is too large.", "code-value");
    value = amount.value;
  }
  const expiresMs = Date.parse(form.expires);
  if (!form.expires || Number.isNaN(expiresMs)) return bad("Choose when the code expires.", "code-expires");
  const expiresAt = Math.floor(expiresMs / 1000);
  if (BigInt(expiresAt) <= now) return bad("The expiry is in the past.", "code-expires");
  if (expiresAt > MAX_EXPIRY) return bad("The expiry is too far in the future.", "code-expires");
  const uses = form.maxUses.trim();
  if (!/^\d+$/.test(uses) || Number(uses) < 1 || Number(uses) > MAX_UINT32)
    return bad("The number of uses must be a whole number of at least 1.", "code-uses");
  let buyer = ZERO_BUYER;
  if (form.buyer.trim()) {
    if (!isAddress(form.buyer.trim()))
      return bad("The fan's address must be an Ethereum address (0x followed by 40 hex characters).", "code-buyer");
    buyer = getAddress(form.buyer.trim());
  }
  let productId = 0n;
  if (form.productId.trim()) {
    if (!/^[1-9]\d{0,18}$/.test(form.productId.trim()))
      return bad("Choose one of the store's products.", "code-product");
    productId = BigInt(form.productId.trim());
  }
  if (value === 0n && productId === 0n)
    return bad("A code that takes nothing off must be a presale code: choose its product.", "code-value");
  return {
    ok: true,
    value: {
      storeId,
      id,
      kind: form.kind === "percent" ? CODE_KIND.percent : CODE_KIND.amount,
      value,
      expiresAt: BigInt(expiresAt),
      maxUses: Number(uses),
      buyer,
      productId,
    },
  };
}

/**
 * The next code id of a store: one above every id this device made and every id the chain has seen used or revoked
 * (docs/DROPS.md: ids are handed out in sequence, so counters share storage words and `prepareCodes` can pay for
 * them ahead). Two devices that pick the same id make codes that share one counter, which only makes them stricter.
 */
export function nextCodeId(used: readonly number[]): number {
  return used.reduce((max, id) => Math.max(max, id), 0) + 1;
}

/**
 * Ids of the store's codes the chain has seen: used by an order (the code word of its OrderPlaced, which the store's
 * topic finds) or revoked (CodeRevoked).
 */
export async function chainCodeIds(chain: Chain, storeId: bigint, deploymentBlock: number): Promise<number[]> {
  const [placed, revoked] = await Promise.all([
    chain.getLogs({ topics: [topicOf("OrderPlaced"), null, null, uintTopic(storeId)], fromBlock: deploymentBlock }),
    chain.getLogs({ topics: [topicOf("CodeRevoked"), uintTopic(storeId)], fromBlock: deploymentBlock }),
  ]);
  const ids: number[] = [];
  for (const log of [...placed, ...revoked]) {
    const event = decodeEvent(log);
    if (event?.name === "CodeRevoked") ids.push(Number(event.args.codeId));
    if (event?.name === "OrderPlaced") {
      const code = placedWords(event.args).code;
      if (code) ids.push(code.id);
    }
  }
  return ids;
}

/** The hash route that carries a code: the product's page for a product's code, else the store's page. */
export function codeRoute(storeId: bigint, productId: bigint, text: string): string {
  const code = encodeURIComponent(text);
  return productId > 0n ? `/store/${storeId}/product/${productId}?code=${code}` : `/store/${storeId}?code=${code}`;
}

/** "10% off", "0.005 ETH off", "presale access". */
export function describeCode(code: Pick<DiscountCode, "kind" | "value">, format: (value: bigint) => string): string {
  if (code.value === 0n) return "presale access";
  return code.kind === CODE_KIND.percent ? `${Number(code.value) / 100}% off` : `${format(code.value)} off`;
}

/** localStorage key of one store's codes on this device, per deployment. */
function key(chainId: number, contract: string, storeId: bigint): string {
  return `merchstand.codes.${chainId}.${contract.toLowerCase()}.${storeId}`;
}

type KeyValue = Pick<Storage, "getItem" | "setItem">;

/** The codes made on this device for a store, newest first; anything unreadable is dropped. */
export function loadSavedCodes(
  storage: KeyValue | null,
  chainId: number,
  contract: string,
  storeId: bigint,
): SavedCode[] {
  try {
    const parsed = JSON.parse(storage?.getItem(key(chainId, contract, storeId)) ?? "[]") as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (c): c is SavedCode =>
        typeof c === "object" &&
        c !== null &&
        Number.isInteger((c as SavedCode).id) &&
        typeof (c as SavedCode).text === "string" &&
        typeof (c as SavedCode).value === "string",
    );
  } catch {
    return [];
  }
}

export function saveCode(
  storage: KeyValue | null,
  chainId: number,
  contract: string,
  code: DiscountCode,
  text: string,
  note: string,
  madeAt: number,
): SavedCode[] {
  const saved: SavedCode = {
    storeId: code.storeId.toString(),
    id: code.id,
    kind: code.kind,
    value: code.value.toString(),
    expiresAt: Number(code.expiresAt),
    maxUses: code.maxUses,
    buyer: code.buyer,
    productId: code.productId.toString(),
    text,
    note: note.slice(0, 100),
    madeAt,
  };
  const all = [saved, ...loadSavedCodes(storage, chainId, contract, code.storeId).filter((c) => c.id !== code.id)];
  storage?.setItem(key(chainId, contract, code.storeId), JSON.stringify(all));
  return all;
}

/** Pays ahead for the use counters of the next `count` codes, so fans' first uses cost no more than later ones. */
export function prepareCodesTx(storeId: bigint, fromId: number, count: number): TxRequest {
  return {
    fn: "prepareCodes",
    args: [storeId, fromId, count],
    what: `Pay ahead for the use counters of codes #${fromId} to #${fromId + count - 1}`,
  };
}

export function revokeCodeTx(storeId: bigint, id: number, label: string): TxRequest {
  return { fn: "revokeCode", args: [storeId, id], what: `Revoke the code ${label}` };
}
