import { expect } from "chai";
import { type PackedDirectory, packDirectory } from "../../scripts/ipfs/car.ts";
import { pinToKubo, publicOrigins } from "../../scripts/publish/kubo.ts";
import type { RetryOptions } from "../../scripts/publish/retry.ts";
import { readCar } from "./support/car-reader.ts";
import { failure, makeFixtureDist, tempDir } from "./support/fixtures.ts";
import { KUBO_PEER, type MockKubo, multipartParts, startMockKubo } from "./support/servers.ts";

const FAST: RetryOptions = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe("scripts/publish/kubo.ts: pinToKubo", () => {
  let packed: PackedDirectory;
  let kubo: MockKubo | undefined;
  before(async () => {
    packed = await packDirectory(await makeFixtureDist(await tempDir("dist")));
  });
  afterEach(async () => {
    await kubo?.close();
    kubo = undefined;
  });

  describe("when the node accepts the CAR", () => {
    it("POSTs one multipart CAR to /api/v0/dag/import?pin-roots=true whose root is the CID", async () => {
      kubo = await startMockKubo();
      await pinToKubo({ url: kubo.url }, packed.car, packed.root, FAST);
      const imports = kubo.requests.filter((r) => r.path === "/api/v0/dag/import");
      expect(imports).to.have.length(1);
      const [req] = imports;
      expect(req!.method).to.equal("POST");
      expect(req!.query.get("pin-roots")).to.equal("true");
      expect(req!.headers["content-type"]).to.match(/^multipart\/form-data; boundary=/);
      const parts = multipartParts(req!);
      expect(parts).to.have.length(1);
      const car = await readCar(parts[0]!.body);
      expect(car.roots.map(String)).to.deep.equal([packed.root.toString()]);
      expect(car.blocks.size).to.equal(packed.blocks.length);
    });

    it("then confirms with POST /api/v0/pin/ls?arg=<cid>&type=recursive", async () => {
      kubo = await startMockKubo();
      await pinToKubo({ url: kubo.url }, packed.car, packed.root, FAST);
      const ls = kubo.requests.filter((r) => r.path === "/api/v0/pin/ls");
      expect(ls).to.have.length(1);
      expect(ls[0]!.method).to.equal("POST");
      expect(ls[0]!.query.get("arg")).to.equal(packed.root.toString());
      expect(ls[0]!.query.get("type")).to.equal("recursive");
      expect(kubo.pinned.has(packed.root.toString())).to.equal(true);
    });

    it("sends the Authorization header when one is configured", async () => {
      kubo = await startMockKubo();
      await pinToKubo({ url: kubo.url, authorization: "Bearer kubo-secret" }, packed.car, packed.root, FAST);
      for (const req of kubo.requests) expect(req.headers.authorization).to.equal("Bearer kubo-secret");
    });

    it("returns the node's public addresses as origins for a pinning service", async () => {
      kubo = await startMockKubo();
      const result = await pinToKubo({ url: kubo.url }, packed.car, packed.root, FAST);
      expect(result.origins).to.deep.equal([`/ip4/203.0.113.7/tcp/4001/p2p/${KUBO_PEER}`]);
    });
  });

  describe("when the node answers 503 twice, then works", () => {
    it("retries dag/import with backoff and succeeds on the third try", async () => {
      const busy = { status: 503, json: { Message: "node is busy", Code: 0, Type: "error" } };
      kubo = await startMockKubo({ "POST /api/v0/dag/import": { replies: [busy, busy] } });
      const retries: string[] = [];
      await pinToKubo({ url: kubo.url }, packed.car, packed.root, FAST, (line) => retries.push(line));
      expect(kubo.requests.filter((r) => r.path === "/api/v0/dag/import")).to.have.length(3);
      expect(retries).to.have.length(2);
      expect(retries[0]).to.match(/attempt 1 failed \(HTTP 503: node is busy\)/);
      expect(kubo.pinned.has(packed.root.toString())).to.equal(true);
    });
  });

  describe("when the node always fails", () => {
    it("gives up after the configured attempts, quoting Kubo's own message", async () => {
      const broken = { status: 500, json: { Message: "blockstore: disk quota exceeded", Code: 0, Type: "error" } };
      kubo = await startMockKubo({ "POST /api/v0/dag/import": { always: broken } });
      const error = await failure(pinToKubo({ url: kubo.url }, packed.car, packed.root, FAST));
      expect(error.message).to.contain("after 4 attempts");
      expect(error.message).to.contain("blockstore: disk quota exceeded");
      expect(kubo.requests.filter((r) => r.path === "/api/v0/dag/import")).to.have.length(4);
    });

    it("does not retry a 403 (asking again cannot fix a refused token)", async () => {
      const forbidden = { status: 403, text: "403 - Forbidden" };
      kubo = await startMockKubo({ "POST /api/v0/dag/import": { always: forbidden } });
      const error = await failure(pinToKubo({ url: kubo.url }, packed.car, packed.root, FAST));
      expect(error.message).to.contain("HTTP 403: 403 - Forbidden");
      expect(kubo.requests).to.have.length(1);
    });

    it("fails when pin/ls never lists the root", async () => {
      const unpinned = { status: 500, json: { Message: "path is not pinned", Code: 0, Type: "error" } };
      kubo = await startMockKubo({ "POST /api/v0/pin/ls": { always: unpinned } });
      const error = await failure(pinToKubo({ url: kubo.url }, packed.car, packed.root, FAST));
      expect(error.message).to.match(/pin\/ls failed after 4 attempts: HTTP 500: path is not pinned/);
    });

    it("reports a node that is not listening", async () => {
      kubo = await startMockKubo();
      const url = kubo.url;
      await kubo.close();
      kubo = undefined;
      const error = await failure(pinToKubo({ url }, packed.car, packed.root, { ...FAST, attempts: 2 }));
      expect(error.message).to.match(/dag\/import failed after 2 attempts: .*ECONNREFUSED/);
    });
  });

  it("publicOrigins drops loopback, private and link-local addresses", () => {
    expect(
      publicOrigins([
        "/ip4/127.0.0.1/tcp/4001/p2p/X",
        "/ip4/10.0.0.2/tcp/4001/p2p/X",
        "/ip4/172.20.0.2/tcp/4001/p2p/X",
        "/ip6/::1/tcp/4001/p2p/X",
        "/ip6/fe80::1/tcp/4001/p2p/X",
        "/ip4/172.32.0.2/tcp/4001/p2p/X",
        "/dns4/node.example.org/tcp/4001/p2p/X",
      ]),
    ).to.deep.equal(["/dns4/node.example.org/tcp/4001/p2p/X", "/ip4/172.32.0.2/tcp/4001/p2p/X"]);
  });
});
