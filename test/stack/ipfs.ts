import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { expect } from "chai";
import { create } from "kubo-rpc-client";
import { CID } from "multiformats/cid";
import { ROOT } from "../../scripts/cli/root.ts";
import { addDirectory, computeBytesCid, computeDirectoryCid } from "../../scripts/ipfs/add.ts";
import { type Gateway, startGateway } from "../../scripts/ipfs/gateway.ts";
import { type IpfsNode, openIpfsNode } from "../../scripts/ipfs/node.ts";
import { encodePng } from "../../scripts/seed/png.ts";
import { noise } from "../support/noise.ts";

const run = promisify(execFile);

const PNG = encodePng(2, 2, new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]));

/** A small site like a Vite build, plus a file over 1 MiB (two chunks) and a nested folder. */
async function makeSite(dir: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {
    "index.html": new TextEncoder().encode("<!doctype html><html><head><title>t</title></head><body>hi</body></html>"),
    "assets/app-1234.js": new TextEncoder().encode("export const answer = 42;\n"),
    "assets/app-1234.css": new TextEncoder().encode("body { color: red }\n"),
    // Big enough for the gateway to compress (it leaves files under 1 kB alone).
    "assets/vendor-5678.js": new TextEncoder().encode(
      Array.from({ length: 600 }, (_, i) => `export const value${i} = "merch ${i % 7}";\n`).join(""),
    ),
    "assets/logo.png": PNG,
    "assets/icon.svg": new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>'),
    "assets/deep/data.json": new TextEncoder().encode('{"a":1}'),
    "big.bin": noise(1_500_000, 7),
  };
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  // Hidden files are left out, as `ipfs-car pack` does without --hidden.
  await writeFile(join(dir, ".DS_Store"), "junk");
  return files;
}

/** The root CID `ipfs-car pack DIR --no-wrap` prints, computed by ipfs-car's own code in its own process. */
async function ipfsCarCid(dir: string, out: string): Promise<string> {
  const { stdout } = await run(join(ROOT, "node_modules/.bin/ipfs-car"), ["pack", dir, "--no-wrap", "--output", out], {
    env: { ...process.env, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}` },
  });
  return stdout.trim();
}

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** GET through node:http so the Host header (subdomain form) can be set freely. */
function get(gateway: Gateway, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const req = request({ host: "127.0.0.1", port: gateway.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("IPFS: embedded node, CIDs and gateway", function () {
  this.timeout(60_000);
  let work: string;
  let site: string;
  let files: Record<string, Uint8Array>;
  let node: IpfsNode;
  let gateway: Gateway;
  let root: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "merchstand-stack-ipfs-"));
    site = join(work, "site");
    files = await makeSite(site);
    node = await openIpfsNode(join(work, "repo"));
    gateway = await startGateway({ helia: node, port: 0, maxUploadBytes: 64 * 1024 });
    root = (await addDirectory(node, site)).cid.toString();
  });

  after(async () => {
    await gateway?.close();
    await node?.stop();
    await rm(work, { recursive: true, force: true });
  });

  describe("CIDs", () => {
    it("gives a folder with a file over 1 MiB the root CID that ipfs-car computes on its own", async () => {
      const expected = await ipfsCarCid(site, join(work, "site.car"));
      expect(files["big.bin"]!.length).to.be.greaterThan(1024 * 1024);
      expect(expected).to.match(/^bafybei/);
      expect(root).to.equal(expected);
      expect((await computeDirectoryCid(site)).toString()).to.equal(expected);
    });

    it("gives a different root when one byte of the large file changes", async () => {
      const copy = join(work, "changed");
      await makeSite(copy);
      const big = noise(1_500_000, 7);
      big[1_200_000] = (big[1_200_000] ?? 0) ^ 1;
      await writeFile(join(copy, "big.bin"), big);
      expect((await computeDirectoryCid(copy)).toString()).to.not.equal(root);
      expect((await computeDirectoryCid(copy)).toString()).to.equal(await ipfsCarCid(copy, join(work, "changed.car")));
    });

    it("pins what it adds, and adding again is idempotent", async () => {
      const again = await addDirectory(node, site);
      expect(again.cid.toString()).to.equal(root);
      expect(await node.pins.isPinned(again.cid)).to.equal(true);
    });
  });

  describe("the gateway", () => {
    const contentTypes: Record<string, RegExp> = {
      "index.html": /^text\/html/,
      "assets/app-1234.js": /^text\/javascript/,
      "assets/app-1234.css": /^text\/css/,
      "assets/logo.png": /^image\/png$/,
      "assets/icon.svg": /^image\/svg\+xml$/,
      "assets/deep/data.json": /^application\/json$/,
    };

    for (const form of ["path", "subdomain"] as const) {
      describe(`over ${form} URLs`, () => {
        const fetchFile = (file: string, headers: Record<string, string> = {}) =>
          form === "path"
            ? get(gateway, `/ipfs/${root}/${file}`, headers)
            : get(gateway, `/${file}`, { host: `${root}.ipfs.localhost:${gateway.port}`, ...headers });

        it("serves index.html for the folder itself, with the folder's CID as ETag and immutable caching", async () => {
          const answer = await fetchFile("");
          expect(answer.status).to.equal(200);
          expect(answer.headers["content-type"]).to.match(/^text\/html/);
          expect(answer.body.equals(Buffer.from(files["index.html"]!))).to.equal(true);
          expect(answer.headers.etag).to.equal(`"${root}"`);
          expect(answer.headers["cache-control"]).to.include("immutable");
          expect(answer.headers["access-control-allow-origin"]).to.equal("*");
        });

        for (const [file, type] of Object.entries(contentTypes)) {
          it(`serves ${file} with its content type, bytes and CID`, async () => {
            const answer = await fetchFile(file);
            expect(answer.status).to.equal(200);
            expect(answer.headers["content-type"]).to.match(type);
            expect(answer.body.equals(Buffer.from(files[file]!))).to.equal(true);
            const cid = await computeBytesCid(files[file]!);
            expect(answer.headers.etag).to.equal(`"${cid}"`);
          });
        }

        it("streams the two-chunk file whole", async () => {
          const answer = await fetchFile("big.bin");
          expect(answer.status).to.equal(200);
          expect(answer.body.equals(Buffer.from(files["big.bin"]!))).to.equal(true);
        });

        it("answers 304 when the ETag matches", async () => {
          const first = await fetchFile("assets/app-1234.js");
          const second = await fetchFile("assets/app-1234.js", { "if-none-match": String(first.headers.etag) });
          expect(second.status).to.equal(304);
          expect(second.body.length).to.equal(0);
          const stale = await fetchFile("assets/app-1234.js", { "if-none-match": '"bafkreisomethingelse"' });
          expect(stale.status).to.equal(200);
        });

        it("answers 404 for a path that is not in the folder", async () => {
          expect((await fetchFile("assets/missing.js")).status).to.equal(404);
        });

        it("redirects a folder without its trailing slash to an http URL on the same gateway", async () => {
          const answer = await fetchFile("assets");
          expect(answer.status).to.equal(301);
          const location = String(answer.headers.location);
          expect(location).to.equal(form === "path" ? `/ipfs/${root}/assets/` : "/assets/");
        });
      });
    }

    describe("compression", () => {
      const vendor = "assets/vendor-5678.js";
      const fetchVendor = (headers: Record<string, string>) => get(gateway, `/ipfs/${root}/${vendor}`, headers);

      it("sends text brotli- or gzip-encoded as Accept-Encoding asks, with the file's ETag and caching", async () => {
        const plain = await fetchVendor({});
        expect(plain.headers["content-encoding"]).to.equal(undefined);
        expect(Number(plain.headers["content-length"])).to.equal(files[vendor]!.length);
        const br = await fetchVendor({ "accept-encoding": "gzip, deflate, br, zstd" });
        expect(br.status).to.equal(200);
        expect(br.headers["content-encoding"]).to.equal("br");
        expect(brotliDecompressSync(br.body).equals(Buffer.from(files[vendor]!))).to.equal(true);
        expect(br.body.length).to.be.below(files[vendor]!.length / 3);
        const gzip = await fetchVendor({ "accept-encoding": "br;q=0, gzip" });
        expect(gzip.headers["content-encoding"]).to.equal("gzip");
        expect(gunzipSync(gzip.body).equals(Buffer.from(files[vendor]!))).to.equal(true);
        for (const answer of [br, gzip]) {
          expect(answer.headers.etag).to.equal(plain.headers.etag);
          expect(answer.headers["cache-control"]).to.equal(plain.headers["cache-control"]);
          expect(answer.headers["content-type"]).to.equal(plain.headers["content-type"]);
          expect(answer.headers.vary).to.match(/Accept-Encoding/);
          expect(answer.headers["content-length"]).to.equal(undefined);
        }
        expect((await fetchVendor({ "accept-encoding": "identity" })).headers["content-encoding"]).to.equal(undefined);
      });

      it("still answers 304 to a matching ETag, and sends ranges and pictures as they are", async () => {
        const first = await fetchVendor({ "accept-encoding": "br" });
        const again = await fetchVendor({ "accept-encoding": "br", "if-none-match": String(first.headers.etag) });
        expect(again.status).to.equal(304);
        expect(again.body.length).to.equal(0);
        const range = await fetchVendor({ "accept-encoding": "br", range: "bytes=0-99" });
        expect(range.status).to.equal(206);
        expect(range.headers["content-encoding"]).to.equal(undefined);
        expect(range.body.equals(Buffer.from(files[vendor]!.subarray(0, 100)))).to.equal(true);
        const binary = await get(gateway, `/ipfs/${root}/big.bin`, { "accept-encoding": "br" });
        expect(binary.headers["content-encoding"]).to.equal(undefined);
        const small = await get(gateway, `/ipfs/${root}/assets/app-1234.js`, { "accept-encoding": "br" });
        expect(small.headers["content-encoding"]).to.equal(undefined);
      });
    });

    it("answers HEAD with the headers of GET and no body", async () => {
      const answer = await get(gateway, `/ipfs/${root}/assets/app-1234.css`, {}, "HEAD");
      expect(answer.status).to.equal(200);
      expect(answer.headers["content-type"]).to.match(/^text\/css/);
      expect(answer.body.length).to.equal(0);
    });

    it("answers 404 (not 412) for a well-formed CID the node does not have", async () => {
      const unknown = (await computeDirectoryCid(join(ROOT, "docs"))).toString();
      expect((await get(gateway, `/ipfs/${unknown}/`)).status).to.equal(404);
      expect((await get(gateway, "/", { host: `${unknown}.ipfs.localhost:${gateway.port}` })).status).to.equal(404);
    });

    it("answers 400 for something that is not a CID", async () => {
      expect((await get(gateway, "/ipfs/not-a-cid/")).status).to.equal(400);
    });

    it("answers CORS preflights so a dapp on another origin can fetch", async () => {
      const answer = await get(gateway, `/ipfs/${root}/`, { origin: "http://example.localhost" }, "OPTIONS");
      expect(answer.status).to.equal(204);
      expect(answer.headers["access-control-allow-origin"]).to.equal("*");
      expect(String(answer.headers["access-control-allow-headers"])).to.include("Range");
    });

    it("closes every block file it opened when browsers drop their requests mid-read", async () => {
      // A FileHandle left to the garbage collector makes Node print "Closing file descriptor N on garbage
      // collection" and DEP0137 (seen under `npm start` after the ready banner). Collect garbage on demand and
      // listen for either warning while requests are dropped at every stage of a read.
      setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as () => void;
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
      process.on("warning", onWarning);
      try {
        const paths = ["", ...Object.keys(files)].map((file) => `${gateway.url}/ipfs/${root}/${file}`);
        for (let round = 0; round < 10; round++) {
          await Promise.allSettled(
            paths.map(async (url, i) => {
              const response = await fetch(url, { signal: AbortSignal.timeout(1 + ((round + i) % 5)) });
              await response.arrayBuffer();
            }),
          );
        }
        // Whole reads after the dropped ones: by the time they answer, every aborted read has settled.
        for (const url of paths) expect((await fetch(url)).status).to.equal(200);
        for (let i = 0; i < 3; i++) {
          gc();
          await new Promise((resolveImmediate) => setImmediate(resolveImmediate));
        }
        expect(warnings.filter((w) => /file descriptor|DEP0137/.test(w))).to.deep.equal([]);
      } finally {
        process.off("warning", onWarning);
      }
    });
  });

  describe("the upload endpoint (Kubo RPC /api/v0/add)", () => {
    const upload = (body: FormData, headers: Record<string, string> = {}, query = "?cid-version=1&pin=true") =>
      fetch(`${gateway.url}/api/v0/add${query}`, { method: "POST", body, headers });

    it("adds and pins the bytes, answers like Kubo, and serves them back", async () => {
      const bytes = noise(20_000, 3);
      const form = new FormData();
      form.append("file", new Blob([bytes]), "photo.png");
      const answer = await upload(form);
      expect(answer.status).to.equal(200);
      const json = (await answer.json()) as { Name: string; Hash: string; Size: string };
      expect(json.Name).to.equal("photo.png");
      expect(json.Size).to.equal("20000");
      expect(json.Hash).to.equal((await computeBytesCid(bytes)).toString());
      expect(await node.pins.isPinned(CID.parse(json.Hash))).to.equal(true);
      const back = await get(gateway, `/ipfs/${json.Hash}`);
      expect(back.status).to.equal(200);
      expect(back.body.equals(Buffer.from(bytes))).to.equal(true);
    });

    it("works with kubo-rpc-client, as a seller dashboard configured for Kubo would call it", async () => {
      const kubo = create({ url: gateway.url });
      const bytes = new TextEncoder().encode('{"schema":"merchstand/product@1"}');
      const added = await kubo.add(bytes, { cidVersion: 1, pin: true });
      expect(added.cid.toString()).to.equal((await computeBytesCid(bytes)).toString());
    });

    it("refuses an upload over the size cap with 413 and stores nothing", async () => {
      const bytes = noise(100_000, 5);
      const form = new FormData();
      form.append("file", new Blob([bytes]), "huge.bin");
      const answer = await upload(form);
      expect(answer.status).to.equal(413);
      expect(await node.blockstore.has(await computeBytesCid(bytes))).to.equal(false);
    });

    it("refuses pages from other websites (403) but not pages from this machine", async () => {
      const form = () => {
        const f = new FormData();
        f.append("file", new Blob([new Uint8Array([1, 2, 3])]), "x.bin");
        return f;
      };
      expect((await upload(form(), { origin: "https://evil.example" })).status).to.equal(403);
      expect((await upload(form(), { origin: `http://${root}.ipfs.localhost:${gateway.port}` })).status).to.equal(200);
    });

    it("refuses import settings other than the project's profile", async () => {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array([1])]), "x.bin");
      const answer = await upload(form, {}, "?cid-version=0");
      expect(answer.status).to.equal(400);
      expect(await answer.text()).to.include("cid-version=1");
    });

    it("answers 405 to GET, like Kubo's RPC API", async () => {
      expect((await get(gateway, "/api/v0/add")).status).to.equal(405);
    });
  });
});
