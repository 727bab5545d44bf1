// Where the stack's IPFS content goes and where browsers read it: the embedded Helia node with its own gateway
// (default), or a Kubo node the developer already runs (`--kubo`).
import { Agent } from "node:http";
import { create, type KuboRPCClient } from "kubo-rpc-client";
import { addBytes, addDirectory, UNIXFS_PROFILE_TEXT } from "../ipfs/add.ts";
import { packDirectory } from "../ipfs/car.ts";
import { startGateway } from "../ipfs/gateway.ts";
import { openIpfsNode } from "../ipfs/node.ts";
import { pinToKubo } from "../publish/kubo.ts";

export type IpfsBackend = {
  kind: "embedded" | "kubo";
  /** Adds and pins a folder (the folder itself is the root); returns the root CID. */
  addDirectory(dir: string): Promise<{ cid: string; files: number; bytes: number }>;
  /** Adds and pins one file's bytes; returns its CID. */
  addBytes(bytes: Uint8Array): Promise<string>;
  /** Base URL of a gateway serving the content: `${gatewayUrl}/ipfs/<cid>/`. */
  gatewayUrl: string;
  subdomainUrl(cid: string): string;
  /** A Kubo RPC API the seller dashboard may upload to (FORMATS.md `ipfsUpload`), or null. */
  uploadUrl: string | null;
  describe: string;
  close(): Promise<void>;
};

/** Opens the embedded node on `repo` and serves it on 127.0.0.1:`port`. */
export async function startEmbeddedIpfs(repo: string, port: number): Promise<IpfsBackend> {
  const helia = await openIpfsNode(repo);
  try {
    const gateway = await startGateway({ helia, port });
    return {
      kind: "embedded",
      addDirectory: async (dir) => {
        const added = await addDirectory(helia, dir);
        return { cid: added.cid.toString(), files: added.files, bytes: added.bytes };
      },
      addBytes: async (bytes) => (await addBytes(helia, bytes)).toString(),
      gatewayUrl: gateway.url,
      subdomainUrl: (cid) => gateway.subdomainUrl(cid),
      uploadUrl: gateway.url,
      describe: `embedded Helia node, repo ${repo}; ${UNIXFS_PROFILE_TEXT}`,
      close: async () => {
        await gateway.close();
        await helia.stop();
      },
    };
  } catch (error) {
    await helia.stop();
    throw error;
  }
}

/** The HTTP gateway a Kubo node announces in its config (`Addresses.Gateway`), as a URL. */
async function kuboGateway(kubo: KuboRPCClient, apiUrl: string): Promise<string> {
  const fallbackHost = new URL(apiUrl).hostname;
  let address: unknown;
  try {
    address = await kubo.config.get("Addresses.Gateway");
  } catch {
    address = undefined;
  }
  const first = Array.isArray(address) ? address[0] : address;
  const match = typeof first === "string" ? /^\/(ip4|ip6|dns4?|dns6)\/([^/]+)\/tcp\/(\d+)/.exec(first) : null;
  if (match === null) return `http://${fallbackHost}:8080`;
  let host = match[2]!;
  if (host === "0.0.0.0" || host === "::") host = fallbackHost;
  if (match[1] === "ip6") host = `[${host}]`;
  return `http://${host}:${match[3]}`;
}

/**
 * Uses the Kubo node at `apiUrl`. Folders go in as CARs packed here (dag/import, pinned), so the dapp's CID is the
 * same as the embedded node's whatever Kubo's own import defaults are; single files are added with the same
 * profile's parameters (one raw block each, at the sizes the demo uses).
 */
export async function connectKubo(apiUrl: string): Promise<IpfsBackend> {
  const agent = new Agent({ keepAlive: false });
  const kubo = create({ url: apiUrl, agent, timeout: 60_000 });
  let version: string;
  try {
    version = (await kubo.version()).version;
  } catch (error) {
    agent.destroy();
    throw new Error(`No Kubo RPC API answers at ${apiUrl} (${(error as Error).message})`);
  }
  const gatewayUrl = await kuboGateway(kubo, apiUrl);
  const gw = new URL(gatewayUrl);
  const local = gw.hostname === "127.0.0.1" || gw.hostname === "localhost";
  return {
    kind: "kubo",
    addDirectory: async (dir) => {
      const packed = await packDirectory(dir);
      await pinToKubo({ url: apiUrl }, packed.car, packed.root, { attempts: 3, baseDelayMs: 500, maxDelayMs: 2000 });
      return { cid: packed.root.toString(), files: packed.files.length, bytes: packed.bytes };
    },
    addBytes: async (bytes) => {
      const added = await kubo.add(bytes, { cidVersion: 1, rawLeaves: true, chunker: "size-1048576", pin: true });
      return added.cid.toV1().toString();
    },
    gatewayUrl,
    // Kubo serves subdomain URLs on localhost out of the box; on other hosts that takes DNS set-up, so the path
    // form is the honest answer there.
    subdomainUrl: (cid) => (local ? `http://${cid}.ipfs.localhost:${gw.port || "80"}/` : `${gatewayUrl}/ipfs/${cid}/`),
    uploadUrl: apiUrl,
    describe: `Kubo ${version} at ${apiUrl}`,
    close: async () => {
      agent.destroy();
    },
  };
}
