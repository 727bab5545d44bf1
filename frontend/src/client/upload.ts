// Uploads for the seller dashboard: product pictures, store logos and the metadata JSON that names them go to the
// manifest's `ipfsUpload` endpoint (docs/FORMATS.md: a Kubo RPC API, `POST /api/v0/add`, multipart field `file`).
// Pictures are checked here before a byte leaves the browser, so a wrong file costs the seller no upload and the
// refusal names the limit.
import { parseCid, verifyCidBytes } from "./cid.ts";
import { sniffImageType } from "./ipfs.ts";
import type { Manifest } from "./manifest.ts";
import { MAX_METADATA_BYTES } from "./metadata.ts";

/** Largest picture the dashboard uploads: big enough for a sharp product photo, small enough for fans on mobile. */
export const MAX_UPLOAD_IMAGE_BYTES = 2 * 1024 * 1024;

/** Accepted picture types and how to say them. SVG is left out: it can carry scripts when opened directly. */
export const UPLOAD_IMAGE_TYPES: Readonly<Record<string, string>> = {
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/webp": "WebP",
  "image/gif": "GIF",
};

export const IMAGE_LIMIT_TEXT = `PNG, JPEG, WebP or GIF, at most ${formatBytes(MAX_UPLOAD_IMAGE_BYTES)}`;

export class UploadError extends Error {
  override name = "UploadError";
}

export type UploadTarget = NonNullable<Manifest["ipfsUpload"]>;

/** The subset of `fetch` an upload needs (tests pass a fake that records the request). */
export type UploadFetch = (
  url: string,
  init: { method: "POST"; body: FormData; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export type FileLike = { name: string; type: string; size: number };

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, "");
}

/**
 * Why a picture cannot be uploaded, as a sentence that states the limit; null when its declared type and size are
 * fine. Runs on the File's metadata alone, before reading it.
 */
export function checkImageFile(file: FileLike): string | null {
  const name = file.name.length > 60 ? `${file.name.slice(0, 57)}…` : file.name;
  if (!(file.type in UPLOAD_IMAGE_TYPES)) {
    const what = file.type ? `a ${file.type} file` : "not a picture type we recognise";
    return `"${name}" is ${what}. Pictures must be ${IMAGE_LIMIT_TEXT}.`;
  }
  if (file.size > MAX_UPLOAD_IMAGE_BYTES) {
    // Rounded up, so a file just over the limit never reads as "2 MB" next to "at most 2 MB".
    const mb = Math.ceil((file.size / (1024 * 1024)) * 10) / 10;
    return `"${name}" is ${mb} MB. Pictures must be ${IMAGE_LIMIT_TEXT}; please resize it.`;
  }
  if (file.size === 0) return `"${name}" is empty.`;
  return null;
}

/** The bytes must be the picture type the file claims, so a renamed file can't slip through. */
export function checkImageBytes(file: FileLike, bytes: Uint8Array): string | null {
  // Not a spread: a File's name and type are prototype getters that a spread would drop.
  const declared = checkImageFile({ name: file.name, type: file.type, size: bytes.length });
  if (declared) return declared;
  const actual = sniffImageType(bytes);
  if (actual !== file.type) {
    const said = UPLOAD_IMAGE_TYPES[file.type] ?? file.type;
    return `"${file.name}" says it is ${said} but its contents are not. Pictures must be ${IMAGE_LIMIT_TEXT}.`;
  }
  return null;
}

function uploadUrl(target: UploadTarget): string {
  // Parameters pinned to the project's UnixFS profile (CIDv1, raw leaves), so the CID is the one the gateway and
  // the seed compute for the same bytes.
  return `${target.url.replace(/\/+$/, "")}/api/v0/add?cid-version=1&pin=true`;
}

/** Adds one file through the Kubo RPC API and returns its CID. Every failure is an UploadError sentence. */
export async function addFile(
  target: UploadTarget,
  bytes: Uint8Array,
  filename: string,
  type: string,
  options: { fetch?: UploadFetch; signal?: AbortSignal } = {},
): Promise<string> {
  const fetchFn: UploadFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const body = new FormData();
  body.append("file", new Blob([bytes as BlobPart], { type }), filename);
  let response: Awaited<ReturnType<UploadFetch>>;
  try {
    response = await fetchFn(uploadUrl(target), { method: "POST", body, signal: options.signal });
  } catch {
    throw new UploadError("Can't reach the IPFS upload service right now. Check your connection and try again.");
  }
  const text = await response.text().catch(() => "");
  if (!response.ok) {
    if (response.status === 413) {
      throw new UploadError("The IPFS upload service refused the file as too large. Try a smaller picture.");
    }
    if (response.status === 403) {
      throw new UploadError("The IPFS upload service doesn't accept uploads from this page's address.");
    }
    throw new UploadError(`The IPFS upload service answered with an error (HTTP ${response.status}). Try again.`);
  }
  // Kubo streams one JSON object per line (progress, then the file); the file's line carries its Hash.
  let cid: string | null = null;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as { Hash?: unknown };
      if (typeof parsed.Hash === "string") cid = parsed.Hash;
    } catch {
      // Not JSON: ignored; a missing Hash is reported below.
    }
  }
  if (!cid || !parseCid(cid)) throw new UploadError("The IPFS upload service didn't answer with a CID. Try again.");
  // For raw-leaf CIDs (files up to one chunk) the CID is checkable: a service that names other bytes is refused.
  if (verifyCidBytes(cid, bytes) === "mismatch") {
    throw new UploadError("The IPFS upload service answered with a CID that doesn't match the file. Not used.");
  }
  return cid;
}

/** Checks a picture (type, size, contents) and uploads it; resolves to its CID. */
export async function uploadImage(
  target: UploadTarget,
  file: FileLike & { arrayBuffer(): Promise<ArrayBuffer> },
  options: { fetch?: UploadFetch; signal?: AbortSignal } = {},
): Promise<{ cid: string; bytes: Uint8Array }> {
  const early = checkImageFile(file);
  if (early) throw new UploadError(early);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const problem = checkImageBytes(file, bytes);
  if (problem) throw new UploadError(problem);
  const cid = await addFile(target, bytes, safeFilename(file.name), file.type, options);
  return { cid, bytes };
}

/** Uploads a metadata document (FORMATS.md caps it at 64 KiB); resolves to its CID. */
export async function uploadJson(
  target: UploadTarget,
  value: unknown,
  options: { fetch?: UploadFetch; signal?: AbortSignal } = {},
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  if (bytes.length > MAX_METADATA_BYTES) {
    throw new UploadError(
      `The details are ${formatBytes(bytes.length)}; at most ${formatBytes(MAX_METADATA_BYTES)} fit. Shorten the description.`,
    );
  }
  return addFile(target, bytes, "metadata.json", "application/json", options);
}

function safeFilename(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, "_").slice(-80);
  return cleaned || "image";
}
