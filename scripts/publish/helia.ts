// Pin target: the embedded Helia node's repo (the one the local stack serves, .merchstand/ipfs by default).
// The node is the stack's own factory, so blocks and pins land exactly where its gateway looks for them.
import { pin } from "../ipfs/add.ts";
import type { CarBlock } from "../ipfs/car.ts";
import { openIpfsNode } from "../ipfs/node.ts";

export type HeliaPinResult = { repoDir: string; blocks: number };

/** Stores every block of the packed folder in the repo at `repoDir` and pins `root` recursively. */
export async function pinToHelia(repoDir: string, blocks: CarBlock[], root: CarBlock["cid"]): Promise<HeliaPinResult> {
  const node = await openIpfsNode(repoDir);
  try {
    for (const block of blocks) await node.blockstore.put(block.cid, block.bytes);
    await pin(node, root);
    if (!(await node.pins.isPinned(root))) throw new Error(`the embedded node at ${repoDir} did not record the pin`);
    return { repoDir, blocks: blocks.length };
  } finally {
    await node.stop();
  }
}
