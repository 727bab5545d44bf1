// A stand-in for a Kubo node (no Kubo binary is installable here): the RPC calls `npm start -- --kubo` makes
// (version, config, add, dag/import, pin/ls, id), backed by a real Helia node whose blocks a real gateway serves.
// Blocks really land in a blockstore, so a test can fetch the dapp back through the "Kubo" gateway.

import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { CID } from "multiformats/cid";
import { addBytes, pin } from "../../../scripts/ipfs/add.ts";
import { type Gateway, startGateway } from "../../../scripts/ipfs/gateway.ts";
import { type IpfsNode, openIpfsNode } from "../../../scripts/ipfs/node.ts";
import { readCar } from "../../publish/support/car-reader.ts";

export type FakeKubo = {
  apiUrl: string;
  gateway: Gateway;
  node: IpfsNode;
  /** "path?query" of every RPC call, in order. */
  calls: string[];
  close(): Promise<void>;
};

export async function startFakeKubo(): Promise<FakeKubo> {
  const repo = await mkdtemp(join(tmpdir(), "merchstand-fake-kubo-"));
  const node = await openIpfsNode(repo);
  const gateway = await startGateway({ helia: node, port: 0, uploads: false });
  const calls: string[] = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://kubo.invalid");
    calls.push(`${url.pathname}${url.search}`);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const parts = async (): Promise<File[]> => {
      const form = await new Response(Readable.toWeb(req) as ReadableStream<Uint8Array>, {
        headers: { "content-type": req.headers["content-type"] ?? "" },
      }).formData();
      const files: File[] = [];
      form.forEach((value) => {
        if (typeof value !== "string") files.push(value);
      });
      return files;
    };
    try {
      if (req.method !== "POST") return reply(405, { Message: "405 - Method Not Allowed" });
      switch (url.pathname) {
        case "/api/v0/version":
          return reply(200, { Version: "0.36.0-fake", Commit: "", Repo: "16", System: "", Golang: "" });
        case "/api/v0/config":
          if (url.searchParams.get("arg") !== "Addresses.Gateway") return reply(500, { Message: "unexpected key" });
          return reply(200, { Key: "Addresses.Gateway", Value: `/ip4/127.0.0.1/tcp/${gateway.port}` });
        case "/api/v0/id":
          return reply(200, { ID: "12D3KooWFake", Addresses: [] });
        case "/api/v0/add": {
          // Only the settings the stack promises to send: anything else would give other CIDs than the embedded node.
          const p = url.searchParams;
          if (p.get("cid-version") !== "1" || p.get("raw-leaves") !== "true" || p.get("chunker") !== "size-1048576") {
            return reply(400, { Message: `unexpected add settings ${url.search}` });
          }
          const lines: string[] = [];
          for (const file of await parts()) {
            const bytes = new Uint8Array(await file.arrayBuffer());
            const cid = await addBytes(node, bytes, { pin: p.get("pin") === "true" });
            lines.push(JSON.stringify({ Name: cid.toString(), Hash: cid.toString(), Size: String(bytes.length) }));
          }
          return reply(200, `${lines.join("\n")}\n`);
        }
        case "/api/v0/dag/import": {
          const lines: string[] = [];
          for (const file of await parts()) {
            const car = await readCar(new Uint8Array(await file.arrayBuffer()));
            for (const [cid, bytes] of car.blocks) await node.blockstore.put(CID.parse(cid), bytes);
            for (const root of car.roots) {
              if (url.searchParams.get("pin-roots") === "true") await pin(node, root);
              lines.push(JSON.stringify({ Root: { Cid: { "/": root.toString() }, PinErrorMsg: "" } }));
            }
          }
          return reply(200, `${lines.join("\n")}\n`);
        }
        case "/api/v0/pin/ls": {
          const arg = url.searchParams.get("arg") ?? "";
          if (!(await node.pins.isPinned(CID.parse(arg))))
            return reply(500, { Message: `path '${arg}' is not pinned` });
          return reply(200, `${JSON.stringify({ Cid: arg, Type: "recursive" })}\n`);
        }
        default:
          return reply(404, { Message: `${url.pathname} is not faked` });
      }
    } catch (error) {
      return reply(500, { Message: (error as Error).message });
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    gateway,
    node,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await gateway.close();
      await node.stop();
      await rm(repo, { recursive: true, force: true });
    },
  };
}
