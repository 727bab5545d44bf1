// The embedded IPFS node of the local stack: Helia with a filesystem repo and no networking at all.
//
// `createHeliaLight` has no libp2p, no routers and no block brokers, so the node never dials out, never
// announces anything and never waits on the public network: everything it serves is what was added to its repo.
// That is what a local demo and the tests need (offline, fast, deterministic); publishing to the real network is
// the publish scripts' job (they pin through a pinning service or a Kubo node).
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { NextToLast } from "blockstore-fs/sharding";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";
import type { CID } from "multiformats/cid";

export type IpfsNode = Helia;

/**
 * FsBlockstore whose reads always close their file. `FsBlockstore.get` races `fs.open` against the abort signal and
 * streams from the handle, so a read aborted while the file opens (the gateway in ./gateway.ts aborts verified-fetch
 * when a browser drops a request) leaves the FileHandle to the garbage collector, and Node prints "Closing file
 * descriptor N on garbage collection" with a DEP0137 warning. `readFile` closes the file however the read ends; a
 * block is at most 1 MiB (the UnixFS profile in ./add.ts), so reading it whole costs nothing.
 */
class ClosingFsBlockstore extends FsBlockstore {
  readonly #dir: string;
  readonly #sharding: NextToLast;

  constructor(dir: string, sharding = new NextToLast()) {
    super(dir, { shardingStrategy: sharding });
    this.#dir = dir;
    this.#sharding = sharding;
  }

  override async *get(key: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
    const { dir, file } = this.#sharding.encode(key);
    let bytes: Uint8Array;
    try {
      options?.signal?.throwIfAborted();
      bytes = await readFile(join(this.#dir, dir, file), { signal: options?.signal });
    } catch (error) {
      // The name is what Helia and its blockstore layers test for (interface-store's NotFoundError).
      throw Object.assign(new Error(String(error)), { name: "NotFoundError", code: "ERR_NOT_FOUND" });
    }
    yield bytes;
  }
}

/** Opens (creating on first use) a Helia node whose blocks and pins live under `repoDir`, and starts it. */
export async function openIpfsNode(repoDir: string): Promise<IpfsNode> {
  await mkdir(repoDir, { recursive: true });
  const helia = createHeliaLight({
    blockstore: new ClosingFsBlockstore(join(repoDir, "blocks")),
    datastore: new FsDatastore(join(repoDir, "datastore")),
  });
  await helia.start();
  return helia;
}
