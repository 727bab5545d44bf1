// Product and store metadata come from IPFS and are hostile until validated against the FORMATS.md schema.
// Anything invalid yields a reason and the page shows a placeholder instead.
import { normalizeCidRef } from "./cid.ts";
import type { IpfsClient } from "./ipfs.ts";

export const MAX_METADATA_BYTES = 64 * 1024;
/** A store's bio, in UTF-16 units (what `maxlength` and String.length count). */
export const MAX_BIO = 2_000;

/** A digital product's download: the encrypted file's CID and its content key sealed to the store's key. */
export type DownloadMetadata = { cid: string; name: string; size: number; key: string };
export type ProductMetadata = {
  description: string;
  images: string[];
  details: [string, string][];
  download?: DownloadMetadata;
};
export type StoreMetadata = {
  bio: string;
  logo: string | null;
  banner: string | null;
  links: { label: string; url: string }[];
};
export type Validated<T> = { ok: true; value: T } | { ok: false; reason: string };

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function parseJson(bytes: Uint8Array): Validated<Record<string, unknown>> {
  if (bytes.length > MAX_METADATA_BYTES) return fail(`metadata is ${bytes.length} bytes, over 64 KiB`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return fail("metadata is not UTF-8 JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("metadata is not an object");
  return { ok: true, value: value as Record<string, unknown> };
}

function optionalText(value: unknown, field: string, max: number): Validated<string> {
  if (value === undefined) return { ok: true, value: "" };
  if (typeof value !== "string") return fail(`${field} is not text`);
  if (value.length > max) return fail(`${field} is longer than ${max} characters`);
  return { ok: true, value };
}

function optionalCid(value: unknown, field: string): Validated<string | null> {
  if (value === undefined || value === null || value === "") return { ok: true, value: null };
  const cid = normalizeCidRef(value);
  return cid ? { ok: true, value: cid } : fail(`${field} is not a CID`);
}

export function validateProductMetadata(input: unknown): Validated<ProductMetadata> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return fail("metadata is not an object");
  const m = input as Record<string, unknown>;
  if (m.schema !== "merchstand/product@1") return fail("schema is not merchstand/product@1");
  const description = optionalText(m.description, "description", 5_000);
  if (!description.ok) return description;
  const images: string[] = [];
  if (m.images !== undefined) {
    if (!Array.isArray(m.images) || m.images.length > 8) return fail("images must be a list of at most 8 CIDs");
    for (const ref of m.images) {
      const cid = normalizeCidRef(ref);
      if (!cid) return fail("an image is not a CID");
      images.push(cid);
    }
  }
  const details: [string, string][] = [];
  if (m.details !== undefined) {
    if (typeof m.details !== "object" || m.details === null || Array.isArray(m.details)) {
      return fail("details is not an object");
    }
    const entries = Object.entries(m.details as Record<string, unknown>);
    if (entries.length > 20) return fail("details has more than 20 entries");
    for (const [key, value] of entries) {
      if (key.length === 0 || key.length > 40) return fail("a details key is empty or longer than 40 characters");
      if (typeof value !== "string" || value.length > 200)
        return fail(`details.${key} is not text of ≤ 200 characters`);
      details.push([key, value]);
    }
  }
  const value: ProductMetadata = { description: description.value, images, details };
  if (m.download !== undefined) {
    const download = validateDownload(m.download);
    if (!download.ok) return download;
    value.download = download.value;
  }
  return { ok: true, value };
}

/** `download` (docs/FORMATS.md): a CID, a file name of at most 100 characters, a size and a 105-byte sealed key. */
function validateDownload(input: unknown): Validated<DownloadMetadata> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return fail("download is not an object");
  const d = input as Record<string, unknown>;
  const cid = normalizeCidRef(d.cid);
  if (!cid) return fail("download.cid is not a CID");
  if (typeof d.name !== "string" || d.name.length === 0 || d.name.length > 100) return fail("download.name is invalid");
  if (!Number.isSafeInteger(d.size) || (d.size as number) < 0) return fail("download.size is not a byte count");
  if (typeof d.key !== "string" || !/^0x[0-9a-f]{210}$/i.test(d.key)) return fail("download.key is not a sealed key");
  return { ok: true, value: { cid, name: d.name, size: d.size as number, key: d.key } };
}

export function validateStoreMetadata(input: unknown): Validated<StoreMetadata> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return fail("metadata is not an object");
  const m = input as Record<string, unknown>;
  if (m.schema !== "merchstand/store@1") return fail("schema is not merchstand/store@1");
  const bio = optionalText(m.bio, "bio", MAX_BIO);
  if (!bio.ok) return bio;
  const logo = optionalCid(m.logo, "logo");
  if (!logo.ok) return logo;
  const banner = optionalCid(m.banner, "banner");
  if (!banner.ok) return banner;
  const links: { label: string; url: string }[] = [];
  if (m.links !== undefined) {
    if (!Array.isArray(m.links) || m.links.length > 8) return fail("links must be a list of at most 8");
    for (const link of m.links) {
      if (typeof link !== "object" || link === null) return fail("a link is not an object");
      const { label, url } = link as Record<string, unknown>;
      if (typeof label !== "string" || label.length === 0 || label.length > 40) return fail("a link label is invalid");
      if (typeof url !== "string" || url.length > 2048) return fail("a link URL is invalid");
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return fail("a link URL is invalid");
      }
      // Only https links: no javascript:, data: or plain-http tracking links from a seller's metadata.
      if (parsed.protocol !== "https:") return fail("a link is not https");
      links.push({ label, url: parsed.toString() });
    }
  }
  return { ok: true, value: { bio: bio.value, logo: logo.value, banner: banner.value, links } };
}

export function parseProductMetadata(bytes: Uint8Array): Validated<ProductMetadata> {
  const json = parseJson(bytes);
  return json.ok ? validateProductMetadata(json.value) : json;
}

export function parseStoreMetadata(bytes: Uint8Array): Validated<StoreMetadata> {
  const json = parseJson(bytes);
  return json.ok ? validateStoreMetadata(json.value) : json;
}

/** Fetch + validate; any failure (gateway down, too big, invalid) is a reason, never an exception. */
export async function loadProductMetadata(ipfs: IpfsClient, cid: string): Promise<Validated<ProductMetadata>> {
  if (!cid) return fail("no metadata");
  try {
    return parseProductMetadata(await ipfs.fetchBytes(cid, MAX_METADATA_BYTES));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

export async function loadStoreMetadata(ipfs: IpfsClient, cid: string): Promise<Validated<StoreMetadata>> {
  if (!cid) return fail("no metadata");
  try {
    return parseStoreMetadata(await ipfs.fetchBytes(cid, MAX_METADATA_BYTES));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
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

/** Product metadata JSON (FORMATS.md), checked against the validator the storefront uses to read it. */
export function productMetadata(input: {
  description: string;
  images: readonly string[];
  details?: [string, string][];
  download?: DownloadMetadata;
}) {
  const doc: Record<string, unknown> = {
    schema: "merchstand/product@1",
    description: input.description.trim(),
    images: [...input.images],
  };
  if (input.details?.length) doc.details = Object.fromEntries(input.details);
  if (input.download) doc.download = { ...input.download };
  const checked = validateProductMetadata(doc);
  if (!checked.ok) throw new Error(`product metadata would be invalid: ${checked.reason}`);
  return doc;
}
