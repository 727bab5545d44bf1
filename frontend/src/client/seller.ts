// The seller side of the protocol, with no DOM: which stores an account runs, its orders and money, the store's
// shipping key (re-derived from a wallet signature, held in memory only), checked inputs for every admin call and
// the TxRequest that sends it (calldata is built from the generated ABI by sendContractTx), the arbiter's and the
// verifier's queues, the label-printer CSV, and error sentences for the reverts only staff can meet.
import { Interface } from "ethers/abi";
import { getAddress, isAddress } from "ethers/address";
import { parseUnits } from "ethers/utils";
import {
  merchstand,
  type Order,
  type OrderStatus,
  orderArg,
  type Store,
  type StoreTerms,
  ZERO_ADDRESS,
} from "./abi.ts";
import { addressTopic, type Chain, type RawLog, topicOf, uintTopic } from "./chain.ts";
import { bytes32ToBytes } from "./checkout.ts";
import { normalizeCidRef } from "./cid.ts";
import { toCsv } from "./csv.ts";
import { decodeRevert, type ErrorContext, explainError, type FanError, findRevertData } from "./errors.ts";
import { formatAmount, formatNumber, shortAddress } from "./format.ts";
import type { Currency } from "./manifest.ts";
import { validateProductMetadata, validateStoreMetadata } from "./metadata.ts";
import { loadOrdersById, type OrderRecord } from "./orders.ts";
import {
  deriveShippingKey,
  openShipping,
  type ShippingAddress,
  ShippingCryptoError,
  shippingKeyMessage,
} from "./shipping-crypto.ts";
import type { TxRequest } from "./transactions.ts";

// ─────────────────────────────────────────── Protocol limits ───────────────────────────────────────────

/** Byte limits of MerchstandStorage; checked here so a form says what is wrong before the wallet opens. */
export const LIMITS = {
  name: 64,
  label: 32,
  cid: 100,
  tracking: 128,
  text: 280,
  evidence: 200,
  variants: 16,
  images: 8,
  description: 5_000,
} as const;

const MAX_UINT96 = (1n << 96n) - 1n;
const MAX_UINT32 = 2 ** 32 - 1;
export const DAY = 86_400;

/** Public constants and AccessControl views of the implementation, which the interface ABI leaves out. */
export const platform = new Interface([
  "function MIN_SHIP_WINDOW() view returns (uint32)",
  "function MAX_SHIP_WINDOW() view returns (uint32)",
  "function MIN_DELIVERY_WINDOW() view returns (uint32)",
  "function MAX_DELIVERY_WINDOW() view returns (uint32)",
  "function ARBITER_WINDOW() view returns (uint32)",
  "function VERIFIER_ROLE() view returns (bytes32)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
]);

export type ProtocolBounds = {
  minShipWindow: number;
  maxShipWindow: number;
  minDeliveryWindow: number;
  maxDeliveryWindow: number;
  arbiterWindow: number;
};

/** The window bounds as deployed, read from the contract so the form can never drift from it. */
export async function loadBounds(chain: Chain): Promise<ProtocolBounds> {
  const read = async (fn: string) => Number((await chain.call(fn, [], { iface: platform }))[0]);
  const [minShipWindow, maxShipWindow, minDeliveryWindow, maxDeliveryWindow, arbiterWindow] = await Promise.all(
    ["MIN_SHIP_WINDOW", "MAX_SHIP_WINDOW", "MIN_DELIVERY_WINDOW", "MAX_DELIVERY_WINDOW", "ARBITER_WINDOW"].map(read),
  );
  return {
    minShipWindow: minShipWindow as number,
    maxShipWindow: maxShipWindow as number,
    minDeliveryWindow: minDeliveryWindow as number,
    maxDeliveryWindow: maxDeliveryWindow as number,
    arbiterWindow: arbiterWindow as number,
  };
}

export async function isVerifier(chain: Chain, account: string): Promise<boolean> {
  const role = (await chain.call("VERIFIER_ROLE", [], { iface: platform }))[0];
  return Boolean((await chain.call("hasRole", [role, account], { iface: platform }))[0]);
}

// ─────────────────────────────────────────── Input checks ───────────────────────────────────────────

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
  const inDays = `between ${trimDays(min)} and ${trimDays(max)} days`;
  if (!/^\d+(\.\d+)?$/.test(clean)) return bad(`${what} must be a number of days, ${inDays}.`, field);
  const seconds = Math.round(Number(clean) * DAY);
  if (seconds < min || seconds > max) return bad(`${what} must be ${inDays} (${range}).`, field);
  return { ok: true, value: seconds };
}

function trimDays(seconds: number): string {
  const days = seconds / DAY;
  return Number.isInteger(days) ? String(days) : days.toFixed(2);
}

// ─────────────────────────────────────────── Stores ───────────────────────────────────────────

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

/** Store metadata JSON (FORMATS.md), checked against the same validator the storefront reads it with. */
export function storeMetadata(input: { bio: string; logo: string | null; links?: { label: string; url: string }[] }) {
  const doc: Record<string, unknown> = { schema: "merchstand/store@1", bio: input.bio.trim() };
  if (input.logo) doc.logo = input.logo;
  if (input.links?.length) doc.links = input.links;
  const checked = validateStoreMetadata(doc);
  if (!checked.ok) throw new Error(`store metadata would be invalid: ${checked.reason}`);
  return doc;
}

export function openStoreTx(input: StoreInputArg): TxRequest {
  const t = input.terms;
  return {
    fn: "openStore",
    args: [
      [
        input.name,
        input.metadataCid,
        input.payout,
        input.currency,
        input.shippingKey,
        [t.arbiter, t.shipWindow, t.deliveryWindow],
      ],
    ],
    what: `Open the store "${input.name}"`,
  };
}

/** The store id the StoreOpened log of an openStore receipt names. */
export function openedStoreId(logs: readonly Pick<RawLog, "topics" | "data">[]): bigint | null {
  const topic = topicOf("StoreOpened");
  const log = logs.find((l) => l.topics[0] === topic);
  return log?.topics[1] ? BigInt(log.topics[1]) : null;
}

/** The product id the ProductListed log of a listProduct receipt names. */
export function listedProductId(logs: readonly Pick<RawLog, "topics" | "data">[]): bigint | null {
  const topic = topicOf("ProductListed");
  const log = logs.find((l) => l.topics[0] === topic);
  return log?.topics[1] ? BigInt(log.topics[1]) : null;
}

export type StaffStore = { store: Store; role: "owner" | "manager" };

/** The stores `account` runs: those it owns, and those whose owner made it a manager (and still does). */
export async function loadStaffStores(
  chain: Chain,
  stores: readonly Store[],
  account: string,
  deploymentBlock: number,
): Promise<StaffStore[]> {
  const me = account.toLowerCase();
  const owned: StaffStore[] = stores
    .filter((s) => s.owner.toLowerCase() === me)
    .map((store) => ({ store, role: "owner" }));
  const logs = await chain.getLogs({
    topics: [topicOf("StoreManagerSet"), null, addressTopic(account)],
    fromBlock: deploymentBlock,
  });
  const candidates = new Set(logs.map((l) => BigInt(l.topics[1] ?? "0x0")));
  const managed: StaffStore[] = [];
  for (const id of candidates) {
    const store = stores.find((s) => s.id === id);
    if (!store || store.owner.toLowerCase() === me) continue;
    // isStoreStaff is the truth: an ownership transfer drops managers without a StoreManagerSet log.
    if ((await chain.call("isStoreStaff", [id, account]))[0]) managed.push({ store, role: "manager" });
  }
  return [...owned, ...managed].sort((a, b) => Number(a.store.id - b.store.id));
}

/** The store's current managers, from StoreManagerSet logs, confirmed one by one with isStoreStaff. */
export async function loadManagers(chain: Chain, storeId: bigint, deploymentBlock: number): Promise<string[]> {
  const logs = await chain.getLogs({
    topics: [topicOf("StoreManagerSet"), uintTopic(storeId)],
    fromBlock: deploymentBlock,
  });
  const enabled = new Map<string, string>();
  for (const log of logs.sort(byPosition)) {
    const parsed = merchstand.parseLog(log);
    if (!parsed) continue;
    const manager = getAddress(String(parsed.args.manager));
    if (parsed.args.enabled) enabled.set(manager.toLowerCase(), manager);
    else enabled.delete(manager.toLowerCase());
  }
  const out: string[] = [];
  for (const manager of enabled.values()) {
    if ((await chain.call("isStoreStaff", [storeId, manager]))[0]) out.push(manager);
  }
  return out;
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

export function withdrawStoreBalanceTx(store: Store, currency: Currency): TxRequest {
  return {
    fn: "withdrawStoreBalance",
    args: [store.id],
    what: `Send ${formatAmount(store.balance, currency)} to the payout address ${shortAddress(store.payout)}`,
  };
}

// ─────────────────────────────────────────── Products ───────────────────────────────────────────

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

/** Product metadata JSON (FORMATS.md), checked against the validator the storefront uses to read it. */
export function productMetadata(input: {
  description: string;
  images: readonly string[];
  details?: [string, string][];
}) {
  const doc: Record<string, unknown> = {
    schema: "merchstand/product@1",
    description: input.description.trim(),
    images: [...input.images],
  };
  if (input.details?.length) doc.details = Object.fromEntries(input.details);
  const checked = validateProductMetadata(doc);
  if (!checked.ok) throw new Error(`product metadata would be invalid: ${checked.reason}`);
  return doc;
}

export type ProductArg = { name: string; metadataCid: string; category: number; maxPerBuyer: number; digital: boolean };

export function listProductTx(storeId: bigint, product: ProductArg, variants: readonly VariantArg[]): TxRequest {
  return {
    fn: "listProduct",
    args: [
      storeId,
      [product.name, product.metadataCid, product.category, product.maxPerBuyer, product.digital],
      variants.map((v) => [v.label, v.price, v.stock]),
    ],
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
    args: [productId, [variant.label, variant.price, variant.stock]],
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

// ─────────────────────────────────────────── Orders ───────────────────────────────────────────

export type OrderFilter = "to-ship" | "shipped" | "disputed" | "completed" | "closed";

export const ORDER_FILTERS: readonly { key: OrderFilter; label: string }[] = [
  { key: "to-ship", label: "To ship" },
  { key: "shipped", label: "Shipped" },
  { key: "disputed", label: "Disputed" },
  { key: "completed", label: "Completed" },
  { key: "closed", label: "Refunded & cancelled" },
];

export function orderFilterOf(status: OrderStatus): OrderFilter {
  switch (status) {
    case "Paid":
      return "to-ship";
    case "Shipped":
      return "shipped";
    case "Disputed":
      return "disputed";
    case "Completed":
    case "Resolved":
      return "completed";
    default:
      return "closed";
  }
}

/** Orders whose money is still in escrow. */
export function isOpen(status: OrderStatus): boolean {
  return status === "Paid" || status === "Shipped" || status === "Disputed";
}

/** What is still escrowed in open orders, per currency (before the platform fee), and how many orders hold it. */
export function escrowed(records: readonly OrderRecord[]): Map<string, { amount: bigint; orders: number }> {
  const out = new Map<string, { amount: bigint; orders: number }>();
  for (const r of records) {
    if (!isOpen(r.status)) continue;
    const key = r.order.currency.toLowerCase();
    const sum = out.get(key) ?? { amount: 0n, orders: 0 };
    out.set(key, { amount: sum.amount + r.order.amount, orders: sum.orders + 1 });
  }
  return out;
}

/** What the store would be credited from `amount` under the order's fee: the contract rounds the fee down. */
export function afterFee(amount: bigint, feeBps: number): { toStore: bigint; fee: bigint } {
  const fee = (amount * BigInt(feeBps)) / 10_000n;
  return { toStore: amount - fee, fee };
}

/** When the store must have shipped by: after this the buyer may cancel for a full refund. */
export function shipBy(order: Order, terms: Pick<StoreTerms, "shipWindow">): bigint {
  return order.placedAt + BigInt(terms.shipWindow);
}

export function markShippedTx(record: OrderRecord, tracking: string): TxRequest {
  return {
    fn: "markShipped",
    args: [record.id, orderArg(record.order), tracking],
    what: `Mark order #${record.id} shipped`,
  };
}

export function refundTx(record: OrderRecord, amount: bigint, currency: Currency): TxRequest {
  const full = amount === record.order.amount;
  return {
    fn: "refund",
    args: [record.id, orderArg(record.order), amount],
    what: `${full ? "Refund" : "Partly refund"} ${formatAmount(amount, currency)} to the buyer of order #${record.id}`,
  };
}

export function items(record: OrderRecord, describe: (productId: bigint, variant: number) => string): string {
  return record.order.lines.map((l) => `${l.quantity} × ${describe(l.productId, l.variant)}`).join("; ");
}

/** Terms by store and version, read once each (they never change once written). */
export class TermsCache {
  private readonly cache = new Map<string, Promise<StoreTerms>>();
  private readonly chain: Chain;
  constructor(chain: Chain) {
    this.chain = chain;
  }
  get(storeId: bigint, version: number): Promise<StoreTerms> {
    const key = `${storeId}:${version}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.chain.storeTerms(storeId, version);
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }
}

// ─────────────────────────────────────────── Shipping key ───────────────────────────────────────────

export type ShippingKeys = { secretKey: Uint8Array; publicKey: Uint8Array };

/**
 * Store shipping keys re-derived from wallet signatures (FORMATS.md), one per account and chain, kept in memory
 * for this tab only: never in storage, so closing the tab forgets them, and a new session asks the wallet again.
 */
export class ShippingKeyring {
  private readonly keys = new Map<string, Promise<ShippingKeys>>();

  private static key(account: string, chainId: number): string {
    return `${account.toLowerCase()}:${chainId}`;
  }

  has(account: string, chainId: number): boolean {
    return this.keys.has(ShippingKeyring.key(account, chainId));
  }

  /** The account's key pair; asks `sign` (the wallet's personal_sign) only the first time this session. */
  unlock(account: string, chainId: number, sign: (message: string) => Promise<string>): Promise<ShippingKeys> {
    const key = ShippingKeyring.key(account, chainId);
    let pending = this.keys.get(key);
    if (!pending) {
      pending = sign(shippingKeyMessage(account, chainId)).then(deriveShippingKey);
      // A refused or failed signature is not remembered: the next click asks again.
      pending.catch(() => this.keys.delete(key));
      this.keys.set(key, pending);
    }
    return pending;
  }

  forget(): void {
    this.keys.clear();
  }
}

/** The keyring of this browser tab. */
export const sessionKeyring = new ShippingKeyring();

export function toHex(bytes: Uint8Array): string {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function hexToBytes(hex: string): Uint8Array {
  const body = hex.replace(/^0x/, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(body)) throw new ShippingCryptoError("not hex");
  return Uint8Array.from({ length: body.length / 2 }, (_, i) => Number.parseInt(body.slice(2 * i, 2 * i + 2), 16));
}

/** Whether a derived public key is the one the store publishes (so addresses sealed to it will open). */
export function keyMatchesStore(publicKey: Uint8Array, storeShippingKey: string): boolean {
  return toHex(publicKey) === toHex(bytes32ToBytes(storeShippingKey));
}

export type OpenedAddress = { ok: true; address: ShippingAddress } | { ok: false; reason: string };

/** Opens an order's sealed address with the store's secret key; a failure is a sentence, never an exception. */
export function openOrderAddress(record: Pick<OrderRecord, "shipping">, secretKey: Uint8Array): OpenedAddress {
  if (!record.shipping || record.shipping === "0x") return { ok: false, reason: "Digital order: no address." };
  try {
    return { ok: true, address: openShipping(hexToBytes(record.shipping), secretKey) };
  } catch (error) {
    const detail = error instanceof ShippingCryptoError ? error.message : "unreadable";
    return {
      ok: false,
      reason: `This address can't be opened with your key (${detail}). It may have been sealed to an earlier shipping key.`,
    };
  }
}

/** One line for a label: the address parts that are filled, in label order. */
export function addressLines(a: ShippingAddress): string[] {
  return [a.name, a.line1, a.line2, [a.city, a.region].filter(Boolean).join(", "), a.postalCode, a.country].filter(
    (s) => s.trim() !== "",
  );
}

// ─────────────────────────────────────────── Label CSV ───────────────────────────────────────────

export const SHIPPING_CSV_HEADER = [
  "Order",
  "Ship by (UTC)",
  "Name",
  "Address line 1",
  "Address line 2",
  "City",
  "Region",
  "Postcode",
  "Country",
  "Email",
  "Items",
] as const;

export type ShippingCsvRow = { record: OrderRecord; shipBy: bigint; address: OpenedAddress; items: string };

/** The orders still to ship, one row each, with their addresses opened in this browser. */
export function shippingCsv(rows: readonly ShippingCsvRow[]): string {
  return toCsv(
    SHIPPING_CSV_HEADER,
    rows.map(({ record, shipBy: by, address, items: what }) => {
      const a = address.ok
        ? address.address
        : {
            name: `(${address.reason})`,
            line1: "",
            line2: "",
            city: "",
            region: "",
            postalCode: "",
            country: "",
            email: "",
          };
      return [
        record.id.toString(),
        new Date(Number(by) * 1000).toISOString().replace("T", " ").slice(0, 16),
        a.name,
        a.line1,
        a.line2,
        a.city,
        a.region,
        a.postalCode,
        a.country,
        a.email,
        what,
      ];
    }),
  );
}

// ─────────────────────────────────────────── Disputes (arbiter) ───────────────────────────────────────────

export type Dispute = { record: OrderRecord; terms: StoreTerms; reason: string };

/**
 * Disputes whose arbiter is `arbiter`: every disputed order, rebuilt from logs, kept when the terms it was placed
 * under (storeTerms(storeId, termsVersion)) name this arbiter. Settled ones are returned too, for the history.
 */
export async function loadArbiterDisputes(
  chain: Chain,
  arbiter: string,
  deploymentBlock: number,
  terms: TermsCache = new TermsCache(chain),
): Promise<Dispute[]> {
  const logs = await chain.getLogs({ topics: [topicOf("OrderDisputed")], fromBlock: deploymentBlock });
  const ids = logs.map((l) => BigInt(l.topics[1] ?? "0x0"));
  const records = await loadOrdersById(chain, ids, deploymentBlock);
  const me = arbiter.toLowerCase();
  const out: Dispute[] = [];
  for (const record of records) {
    const t = await terms.get(record.order.storeId, record.order.termsVersion);
    if (t.arbiter.toLowerCase() !== me) continue;
    const disputed = record.timeline.find((e) => e.kind === "disputed");
    out.push({ record, terms: t, reason: String(disputed?.detail.reason ?? "") });
  }
  return out.sort((a, b) => (a.record.id < b.record.id ? 1 : -1));
}

/** A ruling that gives `percentToBuyer` % of what is escrowed to the buyer (rounded down), the rest to the store. */
export function splitRuling(escrowedAmount: bigint, percentToBuyer: number): { toBuyer: bigint; toStore: bigint } {
  const bps = Math.round(Math.min(100, Math.max(0, percentToBuyer)) * 100);
  const toBuyer = (escrowedAmount * BigInt(bps)) / 10_000n;
  return { toBuyer, toStore: escrowedAmount - toBuyer };
}

export function resolveDisputeTx(record: OrderRecord, toBuyer: bigint, currency: Currency): TxRequest {
  const toStore = record.order.amount - toBuyer;
  return {
    fn: "resolveDispute",
    args: [record.id, orderArg(record.order), toBuyer],
    what: `Rule on order #${record.id}: ${formatAmount(toBuyer, currency)} to the buyer, ${formatAmount(toStore, currency)} to the store`,
  };
}

// ─────────────────────────────────────────── Verification (issue 10) ───────────────────────────────────────────

export type VerificationRequest = { storeId: bigint; evidence: string; blockNumber: number; txHash: string };
export type OfficialEvent =
  | { kind: "requested"; storeId: bigint; evidence: string; blockNumber: number }
  | { kind: "attested"; storeId: bigint; evidence: string; by: string; blockNumber: number }
  | { kind: "revoked"; storeId: bigint; reason: string; by: string; blockNumber: number };

/** Verification requests, attestations and revocations, oldest first; one store's when `storeId` is given. */
export async function loadOfficialHistory(
  chain: Chain,
  deploymentBlock: number,
  storeId?: bigint,
): Promise<OfficialEvent[]> {
  const logs = await chain.getLogs({
    topics: [
      [topicOf("VerificationRequested"), topicOf("OfficialAttested"), topicOf("OfficialRevoked")],
      storeId === undefined ? null : uintTopic(storeId),
    ],
    fromBlock: deploymentBlock,
  });
  const out: OfficialEvent[] = [];
  for (const log of logs.sort(byPosition)) {
    const parsed = merchstand.parseLog(log);
    if (!parsed) continue;
    const base = { storeId: BigInt(parsed.args.storeId), blockNumber: Number(BigInt(log.blockNumber)) };
    if (parsed.name === "VerificationRequested") {
      out.push({ ...base, kind: "requested", evidence: String(parsed.args.evidence) });
    } else if (parsed.name === "OfficialAttested") {
      out.push({ ...base, kind: "attested", evidence: String(parsed.args.evidence), by: String(parsed.args.verifier) });
    } else if (parsed.name === "OfficialRevoked") {
      out.push({ ...base, kind: "revoked", reason: String(parsed.args.reason), by: String(parsed.args.by) });
    }
  }
  return out;
}

export type VerificationQueueItem = {
  storeId: bigint;
  /** The newest evidence the store asked with. */
  evidence: string;
  requests: number;
  lastRequestBlock: number;
  /** A request newer than the store's last attestation or revocation: waiting for a verifier. */
  pending: boolean;
};

/** One entry per store that ever asked, newest request first; pending ones first. */
export function verificationQueue(events: readonly OfficialEvent[]): VerificationQueueItem[] {
  const byStore = new Map<bigint, VerificationQueueItem>();
  for (const e of events) {
    const item = byStore.get(e.storeId);
    if (e.kind === "requested") {
      byStore.set(e.storeId, {
        storeId: e.storeId,
        evidence: e.evidence,
        requests: (item?.requests ?? 0) + 1,
        lastRequestBlock: e.blockNumber,
        pending: true,
      });
    } else if (item) item.pending = false;
  }
  return [...byStore.values()].sort(
    (a, b) => Number(b.pending) - Number(a.pending) || b.lastRequestBlock - a.lastRequestBlock,
  );
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

// ─────────────────────────────────────────── Error sentences ───────────────────────────────────────────

/**
 * explainError speaks to fans; staff meet other reverts (roles, bounds, amounts). Those get their own sentence
 * here, and anything else falls through to explainError.
 */
export function explainSellerError(error: unknown, ctx: ErrorContext = {}): FanError {
  const data = findRevertData(error);
  const decoded = data ? decodeRevert(data) : undefined;
  if (decoded) {
    const sentence = sellerRevert(decoded.name, decoded.args, ctx);
    if (sentence) {
      return { kind: "revert", message: sentence, retry: false, refreshCart: false, revert: decoded };
    }
    if (decoded.name === "InvalidOrderStatus" || decoded.name === "OrderMismatch") {
      return {
        kind: "stale-order",
        message:
          "This order changed in the meantime (the buyer may have confirmed or cancelled it). The list was refreshed.",
        retry: false,
        refreshCart: false,
        revert: decoded,
      };
    }
  }
  return explainError(error, ctx);
}

function sellerRevert(name: string, args: readonly unknown[], ctx: ErrorContext): string | null {
  const n = (i: number) => BigInt(args[i] as bigint);
  const money = (v: bigint) => (ctx.currency ? formatAmount(v, ctx.currency) : v.toString());
  switch (name) {
    case "NotStoreOwner":
      return "Only the store's owner can do that. Connect the owner's wallet and try again.";
    case "NotStoreStaff":
      return "Only the store's owner or one of its managers can do that. Is the right account connected?";
    case "NotArbiter":
      return "Only the arbiter named in this order's terms can rule on it. Is the right account connected?";
    case "InvalidWindow":
      return `That time window is outside what Merchstand allows: between ${trimDays(Number(n(1)))} and ${trimDays(Number(n(2)))} days.`;
    case "InvalidAmount":
      return n(1) === 0n
        ? "Enter an amount above zero."
        : `That is more than the ${money(n(2))} still held in escrow for order #${n(0)}.`;
    case "ZeroPrice":
      return "Every variant needs a price above zero.";
    case "InvalidVariantCount":
      return `A product needs between 1 and ${n(1)} variants.`;
    case "InvalidCategory":
      return "Choose one of the listed categories.";
    case "ZeroAddress":
      return "An address is missing (it can't be the zero address).";
    case "CurrencyNotAllowed":
      return "Merchstand doesn't accept that currency for new stores. Choose another.";
    case "AccessControlUnauthorizedAccount":
      return "Your account doesn't hold the Merchstand role this needs (for example, verifier). Nothing was changed.";
    case "NotOfficial":
      return "This store isn't marked official, so there is nothing to revoke.";
    case "InvalidLength":
      return n(0) === 0n ? "A required text field is empty." : `That text is too long: ${n(0)} bytes, at most ${n(1)}.`;
    case "NothingToWithdraw":
      return "There is nothing to withdraw yet.";
    case "StoreIsClosed":
      return "This store is closed, so it can't list or sell anything new.";
    case "EnforcedPause":
      return "Merchstand is paused for maintenance: new stores, listings and purchases wait until it's lifted. Nothing was changed.";
    case "EthTransferFailed":
      return `The payout address refused the ${money(n(1))}. Set a payout address that can receive ETH.`;
    case "VariantNotFound":
      return "That variant doesn't exist any more. Reload the page.";
    case "ProductNotFound":
      return "That product doesn't exist. Reload the page.";
    default:
      return null;
  }
}

function byPosition(a: RawLog, b: RawLog): number {
  return Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex));
}
