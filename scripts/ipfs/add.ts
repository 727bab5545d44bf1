// Adding files and folders to the embedded node with the project's one UnixFS profile.
//
// Every CID the project computes (the stack, the publish scripts, the tests) must be the CID anyone else gets for
// the same bytes, so the settings are named, not left to library defaults that move between releases:
// IPIP-499 profile "unixfs-v1-2025" = CIDv1, raw leaves, fixed 1 MiB chunks, balanced DAG of up to 1024 links per
// node, no mtime/mode. `ipfs-car pack DIR --no-wrap` (ipfs-car 3) builds the same DAG, which test/stack checks.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { type AddOptions, unixfs } from "@helia/unixfs";
import type { Helia } from "helia";
import type { CID } from "multiformats/cid";

/** The importer settings behind every CID the project computes. */
export const UNIXFS_PROFILE = {
  profile: "unixfs-v1-2025",
  cidVersion: 1,
  rawLeaves: true,
} as const satisfies AddOptions;

/** The same settings in words, for logs and the README. */
export const UNIXFS_PROFILE_TEXT =
  'UnixFS profile "unixfs-v1-2025": CIDv1, raw leaves, 1 MiB fixed-size chunks, up to 1024 links per node';

export type DirectoryFile = {
  /** Path inside the folder, `/`-separated, as it appears in IPFS URLs. */
  path: string;
  /** Absolute path on disk. */
  absolute: string;
  size: number;
};

export type ListOptions = {
  /** Include names starting with a dot; off by default, like `ipfs-car pack` without `--hidden`. */
  hidden?: boolean;
};

/**
 * The regular files under `dir`, sorted by path. Symlinks are followed (like ipfs-car); empty folders contribute
 * nothing, because a UnixFS tree built from files alone has no place for them.
 */
export async function listDirectoryFiles(dir: string, options: ListOptions = {}): Promise<DirectoryFile[]> {
  const files: DirectoryFile[] = [];
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (!options.hidden && entry.name.startsWith(".")) continue;
      const absolute = join(current, entry.name);
      const info = await stat(absolute);
      if (info.isDirectory()) await walk(absolute);
      else if (info.isFile())
        files.push({ path: relative(dir, absolute).split(sep).join("/"), absolute, size: info.size });
    }
  }
  await walk(dir);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type AddDirectoryOptions = ListOptions & {
  /** Pin the root recursively so garbage collection keeps it (default true). */
  pin?: boolean;
  signal?: AbortSignal;
};

export type AddedDirectory = {
  cid: CID;
  files: number;
  bytes: number;
};

/**
 * Adds the files under `dir` as one UnixFS directory (the folder itself is the root, as `--no-wrap` does) and
 * returns its CID. Only files are fed to the importer: it builds the intermediate folders itself, which is ~40x
 * faster than feeding folder entries too and yields the same CID.
 */
export async function addDirectory(
  helia: Helia,
  dir: string,
  options: AddDirectoryOptions = {},
): Promise<AddedDirectory> {
  const files = await listDirectoryFiles(dir, options);
  if (files.length === 0) throw new Error(`${dir} has no files to add`);
  async function* candidates() {
    for (const file of files) yield { path: file.path, content: await readFile(file.absolute) };
  }
  let root: CID | undefined;
  for await (const entry of unixfs(helia).addAll(candidates(), {
    ...UNIXFS_PROFILE,
    wrapWithDirectory: true,
    signal: options.signal,
  })) {
    if (entry.path === "") root = entry.cid;
  }
  if (root === undefined) throw new Error(`Adding ${dir} produced no root directory`);
  if (options.pin !== false) await pin(helia, root, options.signal);
  return { cid: root, files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}

/** Adds one file's bytes (a raw-leaf CIDv1 for anything up to 1 MiB) and pins it unless told not to. */
export async function addBytes(
  helia: Helia,
  bytes: Uint8Array,
  options: { pin?: boolean; signal?: AbortSignal } = {},
): Promise<CID> {
  const cid = await unixfs(helia).addBytes(bytes, { ...UNIXFS_PROFILE, signal: options.signal });
  if (options.pin !== false) await pin(helia, cid, options.signal);
  return cid;
}

/** Pins `cid` and everything below it; already pinned CIDs are left alone (re-pinning throws in Helia). */
export async function pin(helia: Helia, cid: CID, signal?: AbortSignal): Promise<void> {
  if (await helia.pins.isPinned(cid, { signal })) return;
  for await (const _ of helia.pins.add(cid, { signal })) {
    // Draining the generator is what walks the DAG and writes the pin.
  }
}

// Blocks are produced and dropped: the importer only needs `put` to succeed and never reads back a block it did not
// just build.
const discard = {
  put: async (cid: CID) => cid,
  get: async (): Promise<never> => {
    throw new Error("this blockstore keeps nothing");
  },
  has: async () => false,
};
// biome-ignore lint/suspicious/noExplicitAny: unixfs() types its blockstore as the full interface; `put` is all the importer uses.
const counting = () => unixfs({ blockstore: discard as any });

/**
 * The CID `dir` would get, without storing anything: for scripts that must know a build's CID before (or instead
 * of) adding it somewhere, such as comparing with what a remote node reports.
 */
export async function computeDirectoryCid(dir: string, options: ListOptions = {}): Promise<CID> {
  const files = await listDirectoryFiles(dir, options);
  if (files.length === 0) throw new Error(`${dir} has no files`);
  async function* candidates() {
    for (const file of files) yield { path: file.path, content: await readFile(file.absolute) };
  }
  let root: CID | undefined;
  for await (const entry of counting().addAll(candidates(), { ...UNIXFS_PROFILE, wrapWithDirectory: true })) {
    if (entry.path === "") root = entry.cid;
  }
  if (root === undefined) throw new Error(`${dir} produced no root directory`);
  return root;
}

/** The CID `bytes` get as one file, without storing anything. */
export function computeBytesCid(bytes: Uint8Array): Promise<CID> {
  return counting().addBytes(bytes, UNIXFS_PROFILE);
}
