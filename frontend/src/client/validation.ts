// Checks of what staff type into a form, before the wallet opens: each answers the value the contract takes, or a
// sentence naming the field. The limits are the contract's (LIMITS in ./protocol.ts).
import { getAddress, isAddress } from "ethers/address";
import { parseUnits } from "ethers/utils";
import { normalizeCidRef } from "./cid.ts";
import { formatAmount, formatDays, formatNumber } from "./format.ts";
import type { Currency } from "./manifest.ts";
import { DAY, LIMITS, MAX_UINT32, MAX_UINT96, type StoreTerms, ZERO_ADDRESS } from "./protocol.ts";
import type { ProtocolBounds } from "./seller-actions.ts";

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; field?: string };

const bad = (message: string, field?: string): { ok: false; message: string; field?: string } => ({
  ok: false,
  message,
  field,
});

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Trimmed text of `min..max` UTF-8 bytes (what the contract counts), or a sentence naming the field. */
export function checkText(value: string, what: string, min: number, max: number, field?: string): Checked<string> {
  const text = value.trim();
  const n = byteLength(text);
  if (n < min) return bad(`${what} can't be empty.`, field);
  if (n > max) return bad(`${what} is too long: ${n} bytes, at most ${max}.`, field);
  return { ok: true, value: text };
}

export function checkAddress(value: string, what: string, field?: string): Checked<string> {
  const text = value.trim();
  if (!isAddress(text)) return bad(`${what} must be an Ethereum address (0x followed by 40 hex characters).`, field);
  const address = getAddress(text);
  if (address === ZERO_ADDRESS) return bad(`${what} can't be the zero address.`, field);
  return { ok: true, value: address };
}

/** A decimal amount such as "0.02" in the currency's smallest unit; `allowZero` for refunds and splits. */
export function parseAmount(
  text: string,
  currency: Pick<Currency, "symbol" | "decimals">,
  what: string,
  options: { max?: bigint; allowZero?: boolean; field?: string } = {},
): Checked<bigint> {
  const clean = text.trim().replace(/,/g, "");
  if (!/^\d+(\.\d+)?$/.test(clean)) return bad(`${what} must be a number, like 0.02.`, options.field);
  const fraction = clean.split(".")[1] ?? "";
  if (fraction.length > currency.decimals) {
    return bad(`${what} has more decimals than ${currency.symbol} allows (${currency.decimals}).`, options.field);
  }
  const value = parseUnits(clean, currency.decimals);
  if (value === 0n && !options.allowZero) return bad(`${what} must be more than zero.`, options.field);
  const max = options.max ?? MAX_UINT96;
  if (value > max) return bad(`${what} can be at most ${formatAmount(max, currency)}.`, options.field);
  return { ok: true, value };
}

export function parseCount(text: string, what: string, field?: string): Checked<number> {
  const clean = text.trim();
  if (!/^\d+$/.test(clean)) return bad(`${what} must be a whole number.`, field);
  const n = Number(clean);
  if (n > MAX_UINT32) return bad(`${what} can be at most ${MAX_UINT32}.`, field);
  return { ok: true, value: n };
}

/** A window given in days, within the deployed bounds (seconds). */
export function parseWindow(days: string, what: string, min: number, max: number, field?: string): Checked<number> {
  const clean = days.trim();
  const range = `between ${formatNumber(BigInt(min), 0)} and ${formatNumber(BigInt(max), 0)} seconds`;
  const inDays = `between ${formatDays(min)} and ${formatDays(max)} days`;
  if (!/^\d+(\.\d+)?$/.test(clean)) return bad(`${what} must be a number of days, ${inDays}.`, field);
  const seconds = Math.round(Number(clean) * DAY);
  if (seconds < min || seconds > max) return bad(`${what} must be ${inDays} (${range}).`, field);
  return { ok: true, value: seconds };
}

export type StoreForm = {
  name: string;
  metadataCid: string;
  payout: string;
  currency: string;
  arbiter: string;
  shipDays: string;
  deliveryDays: string;
};

export type StoreInputArg = {
  name: string;
  metadataCid: string;
  payout: string;
  currency: string;
  shippingKey: string;
  terms: StoreTerms;
};

/** Every field of a new store, checked; the shipping key is added once the wallet has signed. */
export function checkStoreForm(
  form: StoreForm,
  bounds: ProtocolBounds,
  currencies: readonly Currency[],
): Checked<Omit<StoreInputArg, "shippingKey">> {
  const name = checkText(form.name, "The store name", 1, LIMITS.name, "name");
  if (!name.ok) return name;
  const payout = checkAddress(form.payout, "The payout address", "payout");
  if (!payout.ok) return payout;
  const currency = currencies.find((c) => c.address.toLowerCase() === form.currency.toLowerCase());
  if (!currency) return bad("Choose one of the listed currencies.", "currency");
  const arbiter = checkAddress(form.arbiter, "The arbiter", "arbiter");
  if (!arbiter.ok) return arbiter;
  const ship = parseWindow(form.shipDays, "The time to ship", bounds.minShipWindow, bounds.maxShipWindow, "ship");
  if (!ship.ok) return ship;
  const delivery = parseWindow(
    form.deliveryDays,
    "The dispute window",
    bounds.minDeliveryWindow,
    bounds.maxDeliveryWindow,
    "delivery",
  );
  if (!delivery.ok) return delivery;
  const cid = checkText(form.metadataCid, "The metadata CID", 0, LIMITS.cid, "metadata");
  if (!cid.ok) return cid;
  if (cid.value && !normalizeCidRef(cid.value)) return bad("The metadata CID is not an IPFS CID.", "metadata");
  return {
    ok: true,
    value: {
      name: name.value,
      metadataCid: cid.value,
      payout: payout.value,
      currency: currency.address,
      terms: { arbiter: arbiter.value, shipWindow: ship.value, deliveryWindow: delivery.value },
    },
  };
}

export type VariantForm = { label: string; price: string; stock: string };

export type VariantArg = { label: string; price: bigint; stock: number };

export function checkVariants(rows: readonly VariantForm[], currency: Currency): Checked<VariantArg[]> {
  if (rows.length === 0) return bad("Add at least one variant (a size, a colour, or just one).", "variants");
  if (rows.length > LIMITS.variants) return bad(`A product can have at most ${LIMITS.variants} variants.`);
  const seen = new Set<string>();
  const out: VariantArg[] = [];
  for (const [i, row] of rows.entries()) {
    const n = i + 1;
    const label = checkText(row.label, `The label of variant ${n}`, 1, LIMITS.label, `variant-${i}-label`);
    if (!label.ok) return label;
    if (seen.has(label.value.toLowerCase())) {
      return bad(`Two variants are called "${label.value}". Give each a different label.`, `variant-${i}-label`);
    }
    seen.add(label.value.toLowerCase());
    const price = parseAmount(row.price, currency, `The price of ${label.value}`, { field: `variant-${i}-price` });
    if (!price.ok) return price;
    const stock = parseCount(row.stock, `The stock of ${label.value}`, `variant-${i}-stock`);
    if (!stock.ok) return stock;
    out.push({ label: label.value, price: price.value, stock: stock.value });
  }
  return { ok: true, value: out };
}

/** Evidence must be a public https URL or an IPFS CID (ipfs:// allowed): something a fan can open and check. */
export function checkEvidence(text: string): Checked<string> {
  const checked = checkText(text, "The evidence", 1, LIMITS.evidence, "evidence");
  if (!checked.ok) return checked;
  const value = checked.value;
  if (/^https:\/\//i.test(value) && !/\s/.test(value)) {
    try {
      // A public host: a name with a dot, not localhost or a bare word a fan's browser can't reach.
      if (new URL(value).hostname.includes(".")) return checked;
    } catch {
      // Not a URL; falls through to the sentence below.
    }
  }
  const cid = value.startsWith("ipfs://") ? value.slice(7) : value;
  if (/^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{20,})(\/\S*)?$/.test(cid)) return checked;
  return bad("The evidence must be an https:// link or an IPFS CID that anyone can open.", "evidence");
}
