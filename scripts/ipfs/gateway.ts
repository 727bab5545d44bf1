// The local stack's HTTP gateway: IPFS content from the embedded Helia node over plain HTTP, plus the one Kubo RPC
// call the seller dashboard needs to upload images and metadata.
//
// Reading goes through @helia/verified-fetch, which already does UnixFS paths, index.html, _redirects, content
// types, ranges and ETags. This module adds what makes it a gateway a browser can use: path URLs
// (/ipfs/<cid>/...), subdomain URLs (http://<cidv1>.ipfs.localhost:<port>/..., which give each site its own origin),
// 304s for any path, 404 (not 412) for content the node doesn't have, http Location headers instead of ipfs://
// ones, and CORS so the dapp can fetch metadata and images from its own origin.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createBrotliCompress, createGzip, constants as zlib } from "node:zlib";
import { unixfs } from "@helia/unixfs";
import { createVerifiedFetch, type VerifiedFetch } from "@helia/verified-fetch";
import type { Helia } from "helia";
import { CID } from "multiformats/cid";
import { pin, UNIXFS_PROFILE } from "./add.ts";

/** Uploads larger than this are refused with 413: product images and metadata are small by design. */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export type GatewayOptions = {
  helia: Helia;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  maxUploadBytes?: number;
  /** Disables POST /api/v0/add (a read-only gateway). */
  uploads?: boolean;
};

export type Gateway = {
  /** Base URL such as http://127.0.0.1:8080 (path form: `${url}/ipfs/<cid>/`). */
  url: string;
  port: number;
  /** The subdomain URL of a CID on this gateway. */
  subdomainUrl(cid: CID | string): string;
  close(): Promise<void>;
};

// Response headers worth passing on from verified-fetch; anything else it sets is internal.
const PASS_HEADERS = [
  "content-type",
  "content-length",
  "content-range",
  "accept-ranges",
  "content-disposition",
  "etag",
  "cache-control",
  "x-ipfs-path",
  "x-ipfs-roots",
  "x-content-type-options",
  "vary",
];

const CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
  "access-control-allow-headers": "Content-Type, Range, If-None-Match, X-Requested-With",
  "access-control-expose-headers": "Content-Length, Content-Range, ETag, X-Ipfs-Path, X-Ipfs-Roots",
  "access-control-max-age": "86400",
};

// Accept values that select a trustless-gateway format. Browsers send long Accept lists for pages and images;
// those are not forwarded, so every ordinary request gets the file itself rather than a negotiated encoding.
const FORMAT_ACCEPT = /application\/(vnd\.ipld\.(raw|car|dag-json|dag-cbor)|x-tar|vnd\.ipfs\.ipns-record)/;

const SUBDOMAIN = /^([a-z0-9]+)\.ipfs\.localhost(?::\d+)?$/;

type Target = { cid: CID; path: string; subdomain: boolean };

/** Reads the CID and path of a request in either URL form; null when the request names no IPFS content. */
function parseTarget(req: IncomingMessage, url: URL): Target | null | "bad-cid" {
  const host = (req.headers.host ?? "").toLowerCase();
  const sub = SUBDOMAIN.exec(host);
  if (sub !== null) {
    const cid = parseCid(sub[1] ?? "");
    return cid === null ? "bad-cid" : { cid, path: url.pathname, subdomain: true };
  }
  const path = /^\/ipfs\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (path === null) return null;
  const cid = parseCid(path[1] ?? "");
  return cid === null ? "bad-cid" : { cid, path: path[2] ?? "", subdomain: false };
}

function parseCid(text: string): CID | null {
  try {
    return CID.parse(text);
  } catch {
    return null;
  }
}

function sameEtag(ifNoneMatch: string | undefined, etag: string | null): boolean {
  if (ifNoneMatch === undefined || etag === null) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = strip(etag);
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || strip(tag) === wanted);
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...CORS_HEADERS,
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...extra,
  });
  res.end(`${text}\n`);
}

/** Whether a browser origin may upload: only pages served from this machine (the gateway itself, a dev server). */
function localOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true; // not a browser: curl, scripts, kubo-rpc-client
  try {
    const { hostname } = new URL(origin);
    return (
      hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname.endsWith(".localhost")
    );
  } catch {
    return false;
  }
}

/** Starts the gateway; resolves once it listens. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? "127.0.0.1";
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const verifiedFetch = await createVerifiedFetch(options.helia);
  let port = options.port;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `Gateway error: ${(error as Error).message}`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    if (req.method === "OPTIONS") {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (url.pathname.startsWith("/api/v0/")) {
      await handleRpc(req, res, url);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendText(res, 405, "Method not allowed", { allow: "GET, HEAD, OPTIONS" });
      return;
    }
    const target = parseTarget(req, url);
    if (target === "bad-cid") {
      sendText(res, 400, "Not a valid CID");
      return;
    }
    if (target === null) {
      if (url.pathname === "/") sendText(res, 200, "Merchstand local IPFS gateway: GET /ipfs/<cid>/<path>");
      else sendText(res, 404, "Not found");
      return;
    }
    await serveContent(req, res, url, target, verifiedFetch);
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== "POST") {
      // Kubo answers 405 to GET on its RPC API, which also keeps the API out of reach of <img> and links.
      sendText(res, 405, "The RPC API takes POST", { allow: "POST" });
      return;
    }
    if (options.uploads === false || url.pathname !== "/api/v0/add") {
      sendText(res, 404, `${url.pathname} is not served here (only /api/v0/add)`);
      return;
    }
    if (!localOrigin(req.headers.origin)) {
      // A multipart POST is a "simple" request, so browsers send it without asking first: refuse pages from
      // elsewhere on the web before reading a byte, or any site could fill this machine's repo.
      sendText(res, 403, "Uploads are only accepted from pages served by this machine");
      return;
    }
    await handleAdd(req, res, url);
  }

  async function handleAdd(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const unsupported = unsupportedAddParams(url.searchParams);
    if (unsupported !== null) {
      sendText(res, 400, unsupported);
      return;
    }
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > maxUploadBytes) {
      req.resume();
      sendText(res, 413, `Upload too large: ${declared} bytes, at most ${maxUploadBytes}`, { connection: "close" });
      return;
    }
    const contentType = req.headers["content-type"] ?? "";
    if (!contentType.startsWith("multipart/form-data")) {
      sendText(res, 400, "Expected multipart/form-data with a `file` field");
      return;
    }
    // Counting as the body streams in catches chunked uploads that declared no length.
    let received = 0;
    let tooLarge = false;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > maxUploadBytes) {
          tooLarge = true;
          callback(new Error("too large"));
        } else callback(null, chunk);
      },
    });
    req.pipe(counter);
    req.on("error", (error) => counter.destroy(error));
    let form: FormData;
    try {
      form = await new Response(Readable.toWeb(counter) as ReadableStream<Uint8Array>, {
        headers: { "content-type": contentType },
      }).formData();
    } catch (error) {
      req.unpipe(counter);
      req.resume();
      if (tooLarge) sendText(res, 413, `Upload too large: more than ${maxUploadBytes} bytes`, { connection: "close" });
      else sendText(res, 400, `Could not read the upload: ${(error as Error).message}`);
      return;
    }
    const parts: File[] = [];
    form.forEach((value) => {
      // Directory parts (application/x-directory) carry no bytes; the importer makes folders from file paths.
      if (typeof value !== "string" && value.type !== "application/x-directory") parts.push(value);
    });
    const files: Array<{ path: string; bytes: Uint8Array }> = [];
    for (const part of parts) {
      files.push({ path: decodePartName(part.name), bytes: new Uint8Array(await part.arrayBuffer()) });
    }
    if (files.length === 0) {
      sendText(res, 400, "No file in the upload (multipart field `file`)");
      return;
    }
    const wrap = url.searchParams.get("wrap-with-directory") === "true" || files.length > 1;
    const shouldPin = url.searchParams.get("pin") !== "false";
    const lines: string[] = [];
    const fs = unixfs(options.helia);
    for await (const entry of fs.addAll(
      files.map((f) => ({ path: f.path, content: f.bytes })),
      { ...UNIXFS_PROFILE, wrapWithDirectory: wrap },
    )) {
      // Kubo names the wrapping folder "" and reports sizes as decimal strings; kubo-rpc-client relies on both.
      if (shouldPin && (!wrap || entry.path === "")) await pin(options.helia, entry.cid);
      lines.push(JSON.stringify({ Name: entry.path ?? "", Hash: entry.cid.toString(), Size: entry.size.toString() }));
    }
    res.writeHead(200, {
      ...CORS_HEADERS,
      "content-type": "application/json",
      "cache-control": "no-store",
      "x-chunked-output": "1",
    });
    res.end(`${lines.join("\n")}\n`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://${host}:${port}`;
  return {
    url: base,
    port,
    subdomainUrl: (cid) => `http://${CID.parse(cid.toString()).toV1().toString()}.ipfs.localhost:${port}/`,
    close: () => closeServer(server),
  };
}

/** Why the add parameters ask for something other than the project's UnixFS profile, or null when they don't. */
function unsupportedAddParams(params: URLSearchParams): string | null {
  const cidVersion = params.get("cid-version");
  if (cidVersion !== null && cidVersion !== "1") return "Only cid-version=1 is supported";
  const rawLeaves = params.get("raw-leaves");
  if (rawLeaves !== null && rawLeaves !== "true") return "Only raw-leaves=true is supported";
  const chunker = params.get("chunker");
  if (chunker !== null && chunker !== "size-1048576") return "Only chunker=size-1048576 is supported";
  return null;
}

/** kubo-rpc-client sends each part's path URI-encoded in the filename. */
function decodePartName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

async function serveContent(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  target: Target,
  verifiedFetch: VerifiedFetch,
): Promise<void> {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const headers: Record<string, string> = {};
  if (typeof req.headers.range === "string") headers.range = req.headers.range;
  const accept = req.headers.accept;
  if (typeof accept === "string" && FORMAT_ACCEPT.test(accept)) headers.accept = accept;

  const response = await verifiedFetch(`ipfs://${target.cid}${target.path}${url.search}`, {
    method: req.method,
    headers,
    redirect: "manual",
    signal: abort.signal,
    // No block brokers are configured, so a session could never find peers; offline makes a missing block an
    // immediate answer instead of a search.
    session: false,
    offline: true,
  });

  if (response.status >= 400) {
    // verified-fetch answers 412 (offline, block not stored) for content this node doesn't have; to a browser that
    // is simply "not found". Its error bodies are empty or internal, so every error gets one plain sentence.
    await response.body?.cancel();
    const status = response.status === 412 || response.status === 504 ? 404 : response.status;
    const what = `/ipfs/${target.cid}${target.path}`;
    sendText(res, status, status === 404 ? `${what} is not stored on this node` : `${what}: ${response.statusText}`);
    return;
  }

  const out: Record<string, string> = { ...CORS_HEADERS, "x-content-type-options": "nosniff" };
  for (const name of PASS_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) out[name] = value;
  }
  if (headers.accept === undefined && !url.searchParams.has("format") && out.etag !== undefined) {
    // A file is a file: verified-fetch tags JSON (and CBOR) files it sniffed as `"<cid>.json"`, the ETag of a
    // format conversion, though the bytes are the file's own. Without a requested format the ETag is the CID.
    out.etag = out.etag.replace(/^(W\/)?"([a-z0-9]+)\.(json|cbor)"$/i, '$1"$2"');
  }
  const location = response.headers.get("location");
  if (location !== null) out.location = httpLocation(location, target);

  if (response.status === 200 && sameEtag(req.headers["if-none-match"], out.etag ?? null)) {
    await response.body?.cancel();
    delete out["content-length"];
    delete out["content-type"];
    res.writeHead(304, out);
    res.end();
    return;
  }

  const encoding = response.status === 200 ? contentEncoding(req, out) : null;
  if (encoding !== null) {
    // The encoded length isn't known before the body is compressed: the response is chunked instead.
    delete out["content-length"];
    delete out["accept-ranges"];
    out["content-encoding"] = encoding;
  }
  if (response.status === 200) out.vary = out.vary ? `${out.vary}, Accept-Encoding` : "Accept-Encoding";
  res.writeHead(response.status, out);
  if (req.method === "HEAD" || response.body === null) {
    await response.body?.cancel();
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
  try {
    if (encoding === null) await pipeline(body, res);
    else await pipeline(body, encoding === "br" ? createBrotliCompress(BROTLI_OPTIONS) : createGzip(), res);
  } catch {
    // The client went away mid-body; the abort signal has already stopped the read.
  }
}

// Text compresses 3-5x (the dapp's script: 166 kB → ~45 kB); pictures and archives are compressed already.
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json|xml|wasm)|image\/svg\+xml)/i;
/** Below this a compressed body saves less than the headers it adds. */
const MIN_COMPRESS_BYTES = 1024;
// Quality 5 compresses a few hundred kB in milliseconds and still beats gzip -9 on the dapp's script.
const BROTLI_OPTIONS = { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } };

/**
 * The encoding for a whole-file answer: "br" or "gzip" when the client accepts it (Accept-Encoding, q=0 refuses)
 * and the type is text, else null. A range request's bytes are of the file itself, so they are never encoded.
 */
export function contentEncoding(
  req: Pick<IncomingMessage, "headers">,
  headers: Record<string, string>,
): "br" | "gzip" | null {
  if (req.headers.range !== undefined) return null;
  if (!COMPRESSIBLE.test(headers["content-type"] ?? "")) return null;
  const length = headers["content-length"];
  if (length !== undefined && Number(length) < MIN_COMPRESS_BYTES) return null;
  const accepted = new Map<string, number>();
  for (const part of String(req.headers["accept-encoding"] ?? "").split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (ok("br")) return "br";
  if (ok("gzip")) return "gzip";
  return null;
}

/** Turns verified-fetch's `ipfs://<cid>/<path>` redirects into a URL on this gateway, in the request's own form. */
function httpLocation(location: string, target: Target): string {
  const match = /^ipfs:\/\/([^/?#]+)(.*)$/.exec(location);
  if (match === null) return location;
  const rest = match[2] ?? "";
  if (target.subdomain && match[1]?.toLowerCase() === target.cid.toV1().toString()) return rest === "" ? "/" : rest;
  return `/ipfs/${match[1]}${rest}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Browsers keep connections open; without this, close() waits for them to time out.
    server.closeAllConnections();
  });
}
