// The embedded IPFS node of the local stack: Helia with a filesystem repo and no networking at all.
//
// `createHeliaLight` has no libp2p, no routers and no block brokers, so the node never dials out, never
// announces anything and never waits on the public network: everything it serves is what was added to its repo.
// That is what a local demo and the tests need (offline, fast, deterministic); publishing to the real network is
// the publish scripts' job (they pin through a pinning service or a Kubo node).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";

export type IpfsNode = Helia;

/** Opens (creating on first use) a Helia node whose blocks and pins live under `repoDir`, and starts it. */
export async function openIpfsNode(repoDir: string): Promise<IpfsNode> {
  await mkdir(repoDir, { recursive: true });
  const helia = createHeliaLight({
    blockstore: new FsBlockstore(join(repoDir, "blocks")),
    datastore: new FsDatastore(join(repoDir, "datastore")),
  });
  await helia.start();
  return helia;
}
