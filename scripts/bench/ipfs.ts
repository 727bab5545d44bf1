// IPFS figures of the local stack: how long the embedded Helia node takes to add and pin the dapp build, and how
// fast its gateway starts answering for the dapp's index.html and for a 1 MB image.

import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addDirectory } from "../ipfs/add.ts";
import { openIpfsNode } from "../ipfs/node.ts";
import { encodePng } from "../seed/png.ts";
import { repeat, type Summary, summarize } from "./stats.ts";

export type AddRuns = { ms: Summary; cid: string; files: number; bytes: number };

/**
 * Adds and pins `dir` into a new, empty node each run (a fresh repo in a temp folder), so no run finds the blocks
 * or the pin of the one before. Opening the node is not timed; adding and pinning is. Repos go under `workDir`.
 */
export async function measureAddAndPin(dir: string, reps: number, workDir: string = tmpdir()): Promise<AddRuns> {
  const runs = await repeat(reps, async () => {
    const repo = await mkdtemp(join(workDir, "add-pin-"));
    try {
      const helia = await openIpfsNode(repo);
      try {
        const started = performance.now();
        const added = await addDirectory(helia, dir);
        const ms = performance.now() - started;
        if (!(await helia.pins.isPinned(added.cid))) throw new Error(`${added.cid} was added but is not pinned`);
        return { ms, cid: added.cid.toString(), files: added.files, bytes: added.bytes };
      } finally {
        await helia.stop();
      }
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
  const first = runs[0]!;
  if (runs.some((r) => r.cid !== first.cid)) throw new Error("adding the same build gave different CIDs");
  return { ms: summarize(runs.map((r) => r.ms)), cid: first.cid, files: first.files, bytes: first.bytes };
}

/**
 * A 1,000,000-byte-class PNG of deterministic noise: noise does not compress, so the file is as big as its pixels
 * (577 x 577 x 3 bytes), like a large product photo, and the same bytes (so the same CID) every run.
 */
export function oneMegabyteImage(): Uint8Array {
  const side = 577;
  const pixels = new Uint8Array(side * side * 3);
  let state = 0x9e3779b9;
  for (let i = 0; i < pixels.length; i++) {
    // xorshift32: cheap, deterministic, incompressible enough for deflate.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[i] = state & 0xff;
  }
  return encodePng(side, side, pixels);
}

export type FirstByteRuns = { ttfb: Summary; total: Summary; bytes: number; contentType: string };

/** One GET on a new connection: time to the first body byte and to the last, status and size checked. */
function getOnce(
  url: URL,
  host: string | undefined,
): Promise<{ ttfb: number; total: number; bytes: number; type: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ttfb = -1;
    let bytes = 0;
    const req = request(
      url,
      // agent: false = a new TCP connection per request, as a first visit makes.
      { agent: false, headers: host === undefined ? {} : { host } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET ${url} answered ${res.statusCode}`));
          return;
        }
        res.on("data", (chunk: Buffer) => {
          if (ttfb < 0) ttfb = performance.now() - started;
          bytes += chunk.length;
        });
        res.on("end", () =>
          resolve({ ttfb, total: performance.now() - started, bytes, type: String(res.headers["content-type"]) }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Requests `url` `reps` times in sequence. `host` overrides the Host header, for subdomain gateway URLs
 * (`<cid>.ipfs.localhost`) that Node's resolver may not map to loopback the way browsers do.
 */
export async function measureFirstByte(
  url: string,
  reps: number,
  options: { host?: string; expectBytes?: number } = {},
): Promise<FirstByteRuns> {
  const target = new URL(url);
  const runs = await repeat(reps, () => getOnce(target, options.host));
  const bytes = runs[0]!.bytes;
  if (runs.some((r) => r.bytes !== bytes)) throw new Error(`GET ${url} returned different sizes`);
  if (options.expectBytes !== undefined && bytes !== options.expectBytes) {
    throw new Error(`GET ${url} returned ${bytes} bytes, ${options.expectBytes} expected`);
  }
  return {
    ttfb: summarize(runs.map((r) => r.ttfb)),
    total: summarize(runs.map((r) => r.total)),
    bytes,
    contentType: runs[0]!.type,
  };
}
