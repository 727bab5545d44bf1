// Fetches IPFS content from the manifest's gateways in order, each with a timeout, with a size cap enforced while
// reading, and takes nothing on a gateway's word: a raw CID's bytes must hash to it, and a dag-pb CID (CIDv0, or a
// file larger than one chunk) is fetched block by block in the trustless-gateway raw format, every block checked
// against the CID that names it and the file rebuilt from them. Content that can't be checked is refused.
import { base32 } from "multiformats/bases/base32";
import type { CID } from "multiformats/cid";
import {
  CODEC_DAG_PB,
  CODEC_RAW,
  loadUnixFsDecoder,
  normalizeCidRef,
  parseCid,
  type UnixFsDecoder,
  verifyBlock,
} from "./cid.ts";
import { PromiseCache } from "./memo.ts";

export class IpfsError extends Error {
  override name = "IpfsError";
}

type GatewayFetch = (url: string, init: { signal: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

export type IpfsOptions = { fetch?: GatewayFetch; timeoutMs?: number };

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** The largest block IPFS nodes exchange; no honest gateway serves a bigger one. */
const MAX_BLOCK_BYTES = 2 * 1024 * 1024;
/** Blocks one file may span: a 5 MB picture in Kubo's 256 KiB chunks is 21, so this leaves room for small chunks. */
const MAX_BLOCKS = 256;
/** Depth of a file's block tree (1024 links per node reach 1 TiB in three levels). */
const MAX_DEPTH = 8;
/** Blocks of one file fetched at once from a gateway. */
const PARALLEL_BLOCKS = 4;
/** The trustless-gateway answer format: the block itself, which the client can hash. */
const RAW_BLOCK = "application/vnd.ipld.raw";

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
  /** A failure is not cached: the next render may find a gateway back. */
  private readonly cache = new PromiseCache<string, Uint8Array>();

  constructor(gateways: readonly string[], options: IpfsOptions = {}) {
    this.gateways = gateways;
    this.fetchFn = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 6_000;
  }

  /** The bytes of `cidRef` (a CID or ipfs:// URL), at most `maxBytes`, from the first gateway that serves them. */
  fetchBytes(cidRef: string, maxBytes: number): Promise<Uint8Array> {
    const cid = normalizeCidRef(cidRef);
    if (!cid) return Promise.reject(new IpfsError(`not a CID: ${String(cidRef).slice(0, 100)}`));
    return this.cache.get(`${cid}:${maxBytes}`, () => this.fetchFromGateways(cid, maxBytes));
  }

  private async fetchFromGateways(cid: string, maxBytes: number): Promise<Uint8Array> {
    const parsed = parseCid(cid) as CID; // fetchBytes only passes CIDs that parse
    if (parsed.code !== CODEC_RAW && parsed.code !== CODEC_DAG_PB) {
      throw new IpfsError(`${cid} is not a file (codec 0x${parsed.code.toString(16)}), so it can't be checked`);
    }
    const failures: string[] = [];
    for (const gateway of this.gateways) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.timeoutMs);
      try {
        // A gateway that serves other bytes than the CID names is lying (or compromised): the next one is tried.
        if (parsed.code === CODEC_RAW) {
          const response = await this.fetchFn(`${gateway}/ipfs/${cid}`, { signal: controller.signal });
          if (!response.ok) throw new IpfsError(`HTTP ${response.status}`);
          const bytes = await readCapped(response, maxBytes);
          if (verifyBlock(parsed, bytes) !== "verified") throw new IpfsError("bytes do not match the CID");
          return bytes;
        }
        return await this.fetchFile(gateway, parsed, maxBytes, controller.signal);
      } catch (error) {
        failures.push(`${gateway}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
        // A refused answer (too large by its header, an HTTP error, a lie) still has a body on the wire: aborting
        // stops the browser downloading the rest of a 10 MB document nobody will read. After a success it is a no-op.
        controller.abort();
      }
    }
    throw new IpfsError(`no gateway served ${cid} (${failures.join("; ") || "no gateways configured"})`);
  }

  /** A dag-pb file from one gateway, rebuilt from verified blocks. */
  private async fetchFile(gateway: string, root: CID, maxBytes: number, signal: AbortSignal) {
    const budget = { blocks: 0, bytes: 0, maxBytes, decode: await loadUnixFsDecoder() };
    const parts = await this.readNode(gateway, root, budget, 0, signal);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private async readNode(
    gateway: string,
    cid: CID,
    budget: { blocks: number; bytes: number; maxBytes: number; decode: UnixFsDecoder },
    depth: number,
    signal: AbortSignal,
  ): Promise<Uint8Array[]> {
    if (cid.code !== CODEC_RAW && cid.code !== CODEC_DAG_PB) {
      throw new IpfsError("a block of the file is neither raw nor dag-pb");
    }
    if (++budget.blocks > MAX_BLOCKS) throw new IpfsError(`the file spans more than ${MAX_BLOCKS} blocks`);
    const block = await this.fetchBlock(gateway, cid, signal);
    const take = (bytes: Uint8Array) => {
      budget.bytes += bytes.length;
      if (budget.bytes > budget.maxBytes) throw new IpfsError(`content is more than ${budget.maxBytes} bytes`);
      return bytes;
    };
    if (cid.code === CODEC_RAW) return [take(block)];
    // Decoded only now that the block is known to be the one its CID names.
    const node = budget.decode(block);
    if (!node) throw new IpfsError("a block is not part of a UnixFS file");
    if (node.fileSize > BigInt(budget.maxBytes)) {
      throw new IpfsError(`content is ${node.fileSize} bytes, more than ${budget.maxBytes}`);
    }
    if (node.links.length > 0 && depth >= MAX_DEPTH) throw new IpfsError("the file's block tree is too deep");
    // Every link will be fetched: a node naming too many is refused before any of them is.
    if (budget.blocks + node.links.length > MAX_BLOCKS) {
      throw new IpfsError(`the file spans more than ${MAX_BLOCKS} blocks`);
    }
    const parts = [take(node.data)];
    for (let i = 0; i < node.links.length; i += PARALLEL_BLOCKS) {
      const batch = node.links.slice(i, i + PARALLEL_BLOCKS);
      const children = await Promise.all(batch.map((c) => this.readNode(gateway, c, budget, depth + 1, signal)));
      for (const [j, child] of children.entries()) {
        // Every block is genuine, but a node could still name children that do not add up to the sizes it declares.
        if (BigInt(child.reduce((n, p) => n + p.length, 0)) !== node.blockSizes[i + j]) {
          throw new IpfsError("the file's blocks do not add up to its size");
        }
        parts.push(...child);
      }
    }
    return parts;
  }

  private async fetchBlock(gateway: string, cid: CID, signal: AbortSignal): Promise<Uint8Array> {
    // CIDv1 base32 whatever the link's form: a CIDv0 becomes the CIDv1 of the same dag-pb block.
    const response = await this.fetchFn(`${gateway}/ipfs/${cid.toV1().toString(base32)}?format=raw`, {
      signal,
      headers: { accept: RAW_BLOCK },
    });
    if (!response.ok) throw new IpfsError(`HTTP ${response.status}`);
    const block = await readCapped(response, MAX_BLOCK_BYTES);
    if (verifyBlock(cid, block) !== "verified") throw new IpfsError("a block does not match its CID");
    return block;
  }
}

/** The image type from its first bytes; anything that is not a known raster image is refused. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return "image/png";
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "image/jpeg";
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46) return "image/gif";
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57 && b(9) === 0x45) {
    return "image/webp";
  }
  if (b(4) === 0x66 && b(5) === 0x74 && b(6) === 0x79 && b(7) === 0x70) return "image/avif";
  // SVG is refused although <img> runs none of its script: the picture is shown from a blob: URL, which has this
  // page's origin, so a fan who opens it in a tab ("Open image in new tab") would run the seller's script with the
  // dapp's origin (its storage, its wallet permissions). Uploads refuse SVG for the same reason.
  return null;
}
