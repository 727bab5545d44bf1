// A Shopify product export (Shopify Help Center, "Using CSV files to import and export products": Handle, Title,
// Body (HTML), Vendor, Product Category, Type, Tags, Published, Option1..3 Name/Value, Variant SKU, Variant
// Inventory Qty, Variant Price, Variant Requires Shipping, Image Src, Variant Image, Status, ...) read into the
// products the contract lists. Rows sharing a Handle are one product: the first carries its title and body, every
// row with an option value or a price is a variant, a row with only an Image Src adds a picture.
//
// Every problem is reported per row (the spreadsheet row: the header is row 1), with its column and why; a product
// with any bad row is not listed at all, never in part. Each good product is one listProduct transaction carrying
// all its variants, the fewest the contract allows (it has no multi-product call).
//
// Pictures: an ipfs:// link or a bare CID goes into the product's pictures; an https link (Shopify's CDN) is only
// recorded in the product's details as text, never fetched: downloading from a foreign host would tell it who is
// importing, and the picture must be re-uploaded to IPFS from the product editor anyway.
import { normalizeCidRef } from "./cid.ts";
import { parseCsv } from "./csv.ts";
import { htmlToText } from "./html-text.ts";
import type { Currency } from "./manifest.ts";
import { CATEGORIES, LIMITS, MAX_UINT32 } from "./protocol.ts";
import { byteLength, parseAmount, type VariantArg } from "./validation.ts";

/** Columns the import reads. Others in the file (SEO, Google Shopping, costs...) are ignored. */
export const SHOPIFY_COLUMNS = {
  handle: "Handle",
  title: "Title",
  body: "Body (HTML)",
  vendor: "Vendor",
  productCategory: "Product Category",
  type: "Type",
  tags: "Tags",
  published: "Published",
  option1: "Option1 Value",
  option2: "Option2 Value",
  option3: "Option3 Value",
  sku: "Variant SKU",
  qty: "Variant Inventory Qty",
  price: "Variant Price",
  requiresShipping: "Variant Requires Shipping",
  image: "Image Src",
  variantImage: "Variant Image",
  status: "Status",
} as const;

/** A file must have these to be a product export at all. */
const REQUIRED = [SHOPIFY_COLUMNS.handle, SHOPIFY_COLUMNS.title, SHOPIFY_COLUMNS.price] as const;
/** Metadata allows 20 details of at most 40 / 200 characters (client/metadata.ts validateProductMetadata). */
const MAX_DETAILS = 20;
const MAX_DETAIL_VALUE = 200;
/** Shopify's label for a product with no options. */
const DEFAULT_TITLE = "Default Title";
const ONE_SIZE = "One size";

export type ImportError = { row: number; column: string; handle: string; message: string };

export type ImportProduct = {
  handle: string;
  /** Spreadsheet rows of this product. */
  rows: number[];
  name: string;
  category: number;
  digital: boolean;
  variants: VariantArg[];
  description: string;
  /** IPFS pictures (CIDs), at most LIMITS.images. */
  images: string[];
  /** https pictures recorded as text in the details, not fetched. */
  imageUrls: string[];
  details: [string, string][];
  /** Things changed on the way in (a negative stock read as 0, a description cut): said, not refused. */
  warnings: string[];
};

export type ImportPlan = {
  /** Products to list, in file order. */
  products: ImportProduct[];
  /** Handles not listed because one of their rows is bad. */
  rejected: { handle: string; rows: number[] }[];
  /** Handles not listed because Shopify has them as drafts, archived or unpublished. */
  skipped: { handle: string; row: number; reason: string }[];
  errors: ImportError[];
  /** Data rows read (not counting the header and blank rows). */
  rowCount: number;
};

const CATEGORY_WORDS: [number, RegExp][] = [
  [CATEGORIES.indexOf("Tickets"), /\b(ticket|tickets|admission|event|gig|concert pass)\b/i],
  [CATEGORIES.indexOf("Digital"), /\b(digital|download|mp3|flac|wav|e-?book)\b/i],
  [CATEGORIES.indexOf("Music"), /\b(music|vinyl|record|records|lp|cd|cds|cassette|tape|album|media)\b/i],
  [CATEGORIES.indexOf("Posters & prints"), /\b(poster|posters|print|prints|art|artwork|lithograph)\b/i],
  [
    CATEGORIES.indexOf("Apparel"),
    /\b(apparel|clothing|shirt|shirts|t-shirt|tee|tees|hoodie|hoodies|sweatshirt|jacket|longsleeve|tops?)\b/i,
  ],
  [
    CATEGORIES.indexOf("Accessories"),
    /\b(accessor(y|ies)|bag|bags|tote|hat|hats|cap|beanie|pin|pins|patch|patches|mug|sticker|stickers|keychain|jewelry)\b/i,
  ],
];

/** Our category for Shopify's Type and Product Category ("Apparel & Accessories > Clothing > Shirts & Tops"). */
export function categoryOf(type: string, productCategory: string): number {
  for (const text of [type, productCategory.split(">").pop() ?? "", productCategory]) {
    if (!text.trim()) continue;
    for (const [index, words] of CATEGORY_WORDS) if (words.test(text)) return index;
  }
  return CATEGORIES.indexOf("Other");
}

const isFalse = (value: string) => /^(false|no|0)$/i.test(value.trim());

type Row = { row: number; get(column: string): string };

/** Reads a Shopify product export. Never throws: a file that isn't one is an error on row 1. */
export function planShopifyImport(text: string, currency: Pick<Currency, "symbol" | "decimals">): ImportPlan {
  const plan: ImportPlan = { products: [], rejected: [], skipped: [], errors: [], rowCount: 0 };
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (error) {
    plan.errors.push({ row: 1, column: "", handle: "", message: `${(error as Error).message}.` });
    return plan;
  }
  const header = (table[0] ?? []).map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    plan.errors.push({
      row: 1,
      column: missing.join(", "),
      handle: "",
      message: `This is not a Shopify product export: the header has no ${missing.map((m) => `"${m}"`).join(", ")} column.`,
    });
    return plan;
  }
  const index = new Map(header.map((name, i) => [name, i]));
  const groups = new Map<string, Row[]>();
  for (const [i, cells] of table.slice(1).entries()) {
    if (cells.every((c) => c.trim() === "")) continue;
    const row: Row = { row: i + 2, get: (column) => (cells[index.get(column) ?? -1] ?? "").trim() };
    plan.rowCount++;
    const handle = row.get(SHOPIFY_COLUMNS.handle);
    if (!handle) {
      plan.errors.push({
        row: row.row,
        column: SHOPIFY_COLUMNS.handle,
        handle: "",
        message: "The handle is missing, so this row belongs to no product.",
      });
      continue;
    }
    const group = groups.get(handle) ?? [];
    group.push(row);
    groups.set(handle, group);
  }
  for (const [handle, rows] of groups) {
    const errors: ImportError[] = [];
    const fail = (row: number, column: string, message: string) => errors.push({ row, column, handle, message });
    const product = readProduct(handle, rows, currency, fail);
    const first = rows[0] as Row;
    const status = first.get(SHOPIFY_COLUMNS.status).toLowerCase();
    if (errors.length > 0 || !product) {
      plan.errors.push(...errors);
      plan.rejected.push({ handle, rows: rows.map((r) => r.row) });
    } else if (status === "draft" || status === "archived") {
      plan.skipped.push({ handle, row: first.row, reason: `It is ${status} in Shopify (Status column).` });
    } else if (isFalse(first.get(SHOPIFY_COLUMNS.published))) {
      plan.skipped.push({ handle, row: first.row, reason: "It is not published in Shopify (Published column)." });
    } else plan.products.push(product);
  }
  plan.errors.sort((a, b) => a.row - b.row);
  return plan;
}

function readProduct(
  handle: string,
  rows: readonly Row[],
  currency: Pick<Currency, "symbol" | "decimals">,
  fail: (row: number, column: string, message: string) => void,
): ImportProduct | null {
  const C = SHOPIFY_COLUMNS;
  const first = rows[0] as Row;
  const warnings: string[] = [];
  const titled = rows.find((r) => r.get(C.title)) ?? first;
  const name = titled.get(C.title);
  const chars = Array.from(name).length;
  const bytes = byteLength(name);
  if (!name) fail(first.row, C.title, "The title is missing: the product needs a name.");
  else if (bytes > LIMITS.name)
    fail(
      titled.row,
      C.title,
      chars === bytes
        ? `The title is too long: ${chars} characters, at most ${LIMITS.name}.`
        : `The title is too long: ${chars} characters take ${bytes} bytes, at most ${LIMITS.name} bytes (accents and emoji take 2–4 bytes each).`,
    );

  let description = htmlToText(titled.get(C.body));
  if (description.length > LIMITS.description) {
    description = description.slice(0, LIMITS.description);
    warnings.push(`The description was cut to ${LIMITS.description} characters.`);
  }

  const variants: VariantArg[] = [];
  const labels = new Map<string, number>();
  const skus: string[] = [];
  const images: string[] = [];
  const imageUrls: string[] = [];
  let needsShipping = false;
  let variantRows = 0;
  const addImage = (r: Row, column: string) => {
    const src = r.get(column);
    if (!src) return;
    const cid = normalizeCidRef(src);
    if (cid) {
      if (images.includes(cid)) return;
      if (images.length < LIMITS.images) images.push(cid);
      else warnings.push(`Row ${r.row}: more than ${LIMITS.images} pictures; this one was left out.`);
    } else if (/^https:\/\/\S+$/i.test(src)) {
      if (!imageUrls.includes(src)) imageUrls.push(src);
    } else warnings.push(`Row ${r.row}: ${column} is neither an https link nor an IPFS CID; it was left out.`);
  };
  for (const r of rows) {
    addImage(r, C.image);
    addImage(r, C.variantImage);
    const options = [r.get(C.option1), r.get(C.option2), r.get(C.option3)].filter(Boolean);
    const isVariant = options.length > 0 || r.get(C.price) !== "" || r.get(C.sku) !== "" || r.get(C.qty) !== "";
    if (!isVariant) continue;
    const n = ++variantRows;
    if (n > LIMITS.variants) {
      fail(
        r.row,
        C.option1,
        `Too many variants: this is variant ${n} of "${handle}"; a product can have at most ${LIMITS.variants} (MAX_VARIANTS).`,
      );
      continue;
    }
    let label = options.join(" / ");
    if (!label || label === DEFAULT_TITLE) label = ONE_SIZE;
    if (byteLength(label) > LIMITS.label) {
      fail(
        r.row,
        C.option1,
        `The variant label "${label}" is too long: ${byteLength(label)} bytes, at most ${LIMITS.label}.`,
      );
    } else if (labels.has(label.toLowerCase())) {
      fail(
        r.row,
        C.option1,
        `Two variants are called "${label}" (rows ${labels.get(label.toLowerCase())} and ${r.row}).`,
      );
    }
    labels.set(label.toLowerCase(), r.row);
    const priceText = r.get(C.price);
    const price = priceText
      ? parseAmount(priceText, currency, `The price "${priceText}"`)
      : ({ ok: false, message: "The price is missing." } as const);
    if (!price.ok) fail(r.row, C.price, price.message);
    const qtyText = r.get(C.qty);
    let stock = 0;
    if (!qtyText)
      fail(r.row, C.qty, "The stock is missing: the contract needs a count for each variant (0 is allowed).");
    else if (!/^-?\d+$/.test(qtyText)) fail(r.row, C.qty, `The stock "${qtyText}" is not a whole number.`);
    else if (Number(qtyText) < 0)
      warnings.push(`Row ${r.row}: the stock ${qtyText} is below zero in Shopify; listed as 0.`);
    else if (Number(qtyText) > MAX_UINT32) fail(r.row, C.qty, `The stock ${qtyText} is more than ${MAX_UINT32}.`);
    else stock = Number(qtyText);
    if (!isFalse(r.get(C.requiresShipping))) needsShipping = true;
    const sku = r.get(C.sku);
    if (sku) skus.push(`${label}: ${sku}`);
    if (price.ok) variants.push({ label, price: price.value, stock });
  }
  if (variantRows === 0) fail(first.row, C.price, `"${handle}" has no variant row (no option value and no price).`);

  // Details: what a fan may want to read, within the metadata's limits.
  const details: [string, string][] = [];
  const detail = (key: string, value: string) => {
    if (!value) return;
    if (details.length >= MAX_DETAILS) {
      warnings.push(`"${key}" was not kept: a product has at most ${MAX_DETAILS} details.`);
      return;
    }
    if (value.length > MAX_DETAIL_VALUE) {
      if (key.startsWith("Picture")) {
        warnings.push(`${key}: the link is longer than ${MAX_DETAIL_VALUE} characters and was not recorded.`);
        return;
      }
      value = `${value.slice(0, MAX_DETAIL_VALUE - 1)}…`;
    }
    details.push([key, value]);
  };
  detail("Vendor", titled.get(C.vendor));
  detail("Type", titled.get(C.type));
  detail("Tags", titled.get(C.tags));
  detail("SKU", skus.join("; "));
  detail("Shopify handle", handle);
  for (const [i, url] of imageUrls.entries()) detail(`Picture ${i + 1} (not fetched)`, url);

  const digital = variantRows > 0 && !needsShipping;
  if (digital) warnings.push("No variant requires shipping in Shopify, so it is listed as a digital product.");
  if (imageUrls.length > 0)
    warnings.push(
      `${imageUrls.length} picture link(s) kept as text, not downloaded: upload the pictures from the product editor.`,
    );
  if (!name || variants.length === 0) return null;
  return {
    handle,
    rows: rows.map((r) => r.row),
    name,
    category: categoryOf(titled.get(C.type), titled.get(C.productCategory)),
    digital,
    variants,
    description,
    images,
    imageUrls,
    details,
    warnings,
  };
}
