// Deterministic CAR packing of a folder: the archive that `npm run publish` hands to every pin target.
//
// The DAG is built by the same importer and profile as the embedded node (scripts/ipfs/add.ts, UnixFS profile
// "unixfs-v1-2025"), so the root CID here is the CID the local stack serves for the same folder, and
// test/publish checks it against `ipfs-car pack DIR --no-wrap`. Blocks are collected in memory: a dapp build is a
// few MB, and the CAR header must name the root, which is only known once the last block is built.
import { readFile, writeFile } from "node:fs/promises";
import { unixfs } from "@helia/unixfs";
import { CAREncoderStream } from "ipfs-car";
import { CID } from "multiformats/cid";
import { type DirectoryFile, type ListOptions, listDirectoryFiles, UNIXFS_PROFILE } from "./add.ts";

export type CarBlock = { cid: CID; bytes: Uint8Array };

export type PackedDirectory = {
  /** The folder's UnixFS root, CIDv1. */
  root: CID;
  /** CARv1 bytes: header naming `root`, then every block once, in the order the importer built them. */
  car: Uint8Array;
  blocks: CarBlock[];
  files: DirectoryFile[];
  /** Sum of the files' sizes. */
  bytes: number;
};

/** Builds the UnixFS DAG of the files under `dir` (the folder itself is the root) and packs it as a CARv1. */
export async function packDirectory(dir: string, options: ListOptions = {}): Promise<PackedDirectory> {
  const files = await listDirectoryFiles(dir, options);
  if (files.length === 0) throw new Error(`${dir} has no files to pack`);

  // Insertion-ordered and keyed by CID, so identical files (same leaves) land in the CAR once.
  const stored = new Map<string, CarBlock>();
  const blockstore = {
    put: async (cid: CID, bytes: Uint8Array) => {
      const key = cid.toString();
      if (!stored.has(key)) stored.set(key, { cid, bytes });
      return cid;
    },
    get: async (cid: CID) => {
      const block = stored.get(cid.toString());
      if (block === undefined) throw new Error(`block ${cid} was never built`);
      return block.bytes;
    },
    has: async (cid: CID) => stored.has(cid.toString()),
  };
  async function* candidates() {
    for (const file of files) yield { path: file.path, content: await readFile(file.absolute) };
  }
  let root: CID | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the importer only calls put/get/has; unixfs() types the full Blockstore.
  for await (const entry of unixfs({ blockstore: blockstore as any }).addAll(candidates(), {
    ...UNIXFS_PROFILE,
    wrapWithDirectory: true,
  })) {
    if (entry.path === "") root = entry.cid;
  }
  if (root === undefined) throw new Error(`packing ${dir} produced no root directory`);
  const rootCid = CID.decode(root.bytes);
  const blocks = [...stored.values()].map((b) => ({ cid: CID.decode(b.cid.bytes), bytes: b.bytes }));
  return {
    root: rootCid,
    car: await encodeCar(rootCid, blocks),
    blocks,
    files,
    bytes: files.reduce((n, f) => n + f.size, 0),
  };
}

/** CARv1 with one root. ipfs-car's encoder writes the header and the length-prefixed `cid || bytes` sections. */
export async function encodeCar(root: CID, blocks: CarBlock[]): Promise<Uint8Array> {
  const source = new ReadableStream<CarBlock>({
    start(controller) {
      for (const block of blocks) controller.enqueue(block);
      controller.close();
    },
  });
  const chunks: Uint8Array[] = [];
  await source.pipeThrough(new CAREncoderStream([root])).pipeTo(
    new WritableStream<Uint8Array>({
      write(chunk) {
        chunks.push(chunk);
      },
    }),
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Packs `dir` and writes the CAR to `file`; returns the packed result. */
export async function writeDirectoryCar(
  dir: string,
  file: string,
  options: ListOptions = {},
): Promise<PackedDirectory> {
  const packed = await packDirectory(dir, options);
  await writeFile(file, packed.car);
  return packed;
}
