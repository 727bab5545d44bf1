// Fetches IPFS content from the manifest's gateways in order, each with a timeout, with a size cap enforced while
// reading, and rejects bytes that do not hash to their CID where the CID allows checking.
import { normalizeCidRef, verifyCidBytes } from "./cid.ts";

export class IpfsError extends Error {
  override name = "IpfsError";
}

type GatewayFetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

export type IpfsOptions = { fetch?: GatewayFetch; timeoutMs?: number };

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new IpfsError(`content is ${declared} bytes, more than ${maxBytes}`);
  if (!response.body) {
    const buffer = new Uint8Array(await response.arrayBuffer());
    if (buffer.length > maxBytes) throw new IpfsError(`content is more than ${maxBytes} bytes`);
    return buffer;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new IpfsError(`content is more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export class IpfsClient {
  readonly gateways: readonly string[];
  private readonly fetchFn: GatewayFetch;
  private readonly timeoutMs: number;
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(gateways: readonly string[], options: IpfsOptions = {}) {
    this.gateways = gateways;
    this.fetchFn = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 6_000;
  }

  /** The bytes of `cidRef` (a CID or ipfs:// URL), at most `maxBytes`, from the first gateway that serves them. */
  fetchBytes(cidRef: string, maxBytes: number): Promise<Uint8Array> {
    const cid = normalizeCidRef(cidRef);
    if (!cid) return Promise.reject(new IpfsError(`not a CID: ${String(cidRef).slice(0, 100)}`));
    const key = `${cid}:${maxBytes}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.fetchFromGateways(cid, maxBytes);
      // A failure is not cached: the next render may find a gateway back.
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async fetchFromGateways(cid: string, maxBytes: number): Promise<Uint8Array> {
    const failures: string[] = [];
    for (const gateway of this.gateways) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      try {
        const response = await this.fetchFn(`${gateway}/ipfs/${cid}`, { signal: controller.signal });
        if (!response.ok) throw new IpfsError(`HTTP ${response.status}`);
        const bytes = await readCapped(response, maxBytes);
        // A gateway that serves other bytes than the CID names is lying (or compromised): try the next one.
        if (verifyCidBytes(cid, bytes) === "mismatch") throw new IpfsError("bytes do not match the CID");
        return bytes;
      } catch (error) {
        failures.push(`${gateway}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    throw new IpfsError(`no gateway served ${cid} (${failures.join("; ") || "no gateways configured"})`);
  }
}

/** The image type from its first bytes; anything that is not a known raster or SVG image is refused. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return "image/png";
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "image/jpeg";
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46) return "image/gif";
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57 && b(9) === 0x45) {
    return "image/webp";
  }
  if (b(4) === 0x66 && b(5) === 0x74 && b(6) === 0x79 && b(7) === 0x70) return "image/avif";
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  // SVG shown through <img> runs no script, so it is safe to display that way (and only that way).
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) return "image/svg+xml";
  return null;
}
