// The client layer's defences against hostile input (issue 8), below the browser test test/e2e/hostile.ts:
// - bidi controls never reach the page (frontend/src/client/names.ts);
// - only raster images are shown from IPFS, never SVG (ipfs.ts);
// - a refused gateway answer is aborted, not left downloading (ipfs.ts);
// - nothing is taken on a gateway's word (ipfs.ts + cid.ts): raw CIDs are hashed, dag-pb CIDs (CIDv0, files over
//   one chunk) are fetched block by block in the trustless raw format and every block is checked. The DAGs are
//   built by @helia/unixfs, independently of the code under test, in the shapes real tools produce: Kubo's CIDv0
//   with dag-pb leaves, and CIDv1 with raw leaves over several chunks.
import { unixfs } from "@helia/unixfs";
import { expect } from "chai";
import { CID } from "multiformats/cid";
import { cidToString, decodeUnixFsFile, parseCid, parseCidBytes } from "../../frontend/src/client/cid.ts";
import { IpfsClient, sniffImageType } from "../../frontend/src/client/ipfs.ts";
import { identityKey, namesLookAlike, withoutBidiControls } from "../../frontend/src/client/names.ts";
import { encodePng } from "../../scripts/seed/png.ts";

type Bytes = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** The three blockstore calls @helia/unixfs makes, over a Map. */
class MemoryBlocks {
  readonly blocks = new Map<string, Uint8Array>();
  async put(cid: CID, bytes: Bytes): Promise<CID> {
    const chunks: Uint8Array[] = [];
    if (bytes instanceof Uint8Array) chunks.push(bytes);
    else for await (const chunk of bytes) chunks.push(chunk);
    this.blocks.set(cid.toV1().toString(), Buffer.concat(chunks));
    return cid;
  }
  *get(cid: CID): Generator<Uint8Array> {
    const block = this.blocks.get(cid.toV1().toString());
    if (!block) throw new Error(`no block ${cid}`);
    yield block;
  }
  has(cid: CID): boolean {
    return this.blocks.has(cid.toV1().toString());
  }
}

/** Fixed-size chunks, so small test files still span many blocks. */
function chunker(size: number) {
  return async function* (source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    let pending = new Uint8Array();
    for await (const piece of source) {
      pending = Buffer.concat([pending, piece]);
      while (pending.length >= size) {
        yield pending.slice(0, size);
        pending = pending.slice(size);
      }
    }
    if (pending.length > 0) yield pending;
  };
}

function pseudoRandom(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

type Request = { gateway: string; path: string; accept: string | null };

/**
 * A gateway over a block store that answers like a trustless gateway: `?format=raw` (or the raw Accept type)
 * gets the block, anything else gets the file. `lie` lets a test replace what one CID's request returns.
 */
function gatewayFetch(
  stores: Record<string, MemoryBlocks>,
  requests: Request[],
  lie: (gateway: string, cid: string, raw: boolean) => Uint8Array | null = () => null,
) {
  return async (url: string, init: { signal: AbortSignal; headers?: Record<string, string> }) => {
    const { host, pathname, searchParams } = new URL(url);
    const accept = init.headers?.accept ?? null;
    requests.push({ gateway: host, path: `${pathname}${searchParams.size ? `?${searchParams}` : ""}`, accept });
    const cid = CID.parse(pathname.replace(/^\/ipfs\//, ""));
    const raw = searchParams.get("format") === "raw" || accept === "application/vnd.ipld.raw";
    const lied = lie(host, cid.toV1().toString(), raw);
    if (lied) return new Response(lied as BodyInit);
    const block = stores[host]?.blocks.get(cid.toV1().toString());
    if (!block) return new Response("not found", { status: 404 });
    if (raw) return new Response(block as BodyInit);
    throw new Error("test gateway serves blocks only");
  };
}

describe("bidi controls in seller text", () => {
  const CONTROLS = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"];

  it("removes every embedding, override and isolate, and nothing else", () => {
    for (const control of CONTROLS) expect(withoutBidiControls(`a${control}b${control}`)).to.equal("ab");
    // Right-to-left scripts need no controls, and the marks (LRM, RLM, ALM) cannot reorder letters: both stay.
    for (const text of ["فرقة الليل", "להקת הלילה", "Owls\u200E (UK)", "\u200FA\u061C", "<b>&amp;</b>"]) {
      expect(withoutBidiControls(text)).to.equal(text);
    }
  });

  it("leaves the name the look-alike check compares: what the fan reads once the override is gone", () => {
    const reversed = "\u202Eslwo thgindim ehT";
    // Displayed with its override this reads "The midnight owls"; the check rightly sees another name.
    expect(namesLookAlike(reversed, "The Midnight Owls")).to.equal(false);
    expect(identityKey(reversed)).to.equal(identityKey(withoutBidiControls(reversed)));
  });
});

describe("pictures from IPFS", () => {
  it("shows PNG, JPEG, GIF and WebP, and refuses SVG and HTML", () => {
    const bytes = (...b: number[]) => Uint8Array.from(b);
    const text = (t: string) => new TextEncoder().encode(t);
    expect(sniffImageType(encodePng(1, 1, Uint8Array.from([1, 2, 3])))).to.equal("image/png");
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).to.equal("image/jpeg");
    expect(sniffImageType(text("GIF89a"))).to.equal("image/gif");
    expect(sniffImageType(text("RIFF\0\0\0\0WEBPVP8 "))).to.equal("image/webp");
    for (const hostile of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
      "<html><script>alert(1)</script></html>",
    ]) {
      expect(sniffImageType(text(hostile)), hostile).to.equal(null);
    }
  });
});

describe("refused gateway answers", () => {
  it("aborts an answer refused on its declared length, so its body stops downloading", async () => {
    const signals: AbortSignal[] = [];
    const ipfs = new IpfsClient(["http://gw"], {
      fetch: async (_url, init) => {
        signals.push(init.signal);
        return new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), {
          headers: { "content-length": String(10 * 1024 * 1024) },
        });
      },
    });
    let caught: unknown;
    await ipfs.fetchBytes("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", 64 * 1024).catch((e) => {
      caught = e;
    });
    expect(String(caught)).to.match(/10485760 bytes, more than 65536/);
    expect(signals.map((s) => s.aborted)).to.deep.equal([true]);
  });
});

describe("IPFS client: content checked against its CID, block by block", () => {
  const honest = new MemoryBlocks();
  let kuboSmall: { cid: CID; bytes: Uint8Array };
  let kuboLarge: { cid: CID; bytes: Uint8Array };
  let rawLeaves: { cid: CID; bytes: Uint8Array };

  before(async () => {
    const fs = unixfs({ blockstore: honest as never });
    // Kubo's defaults for CIDv0: dag-pb leaves wrapping UnixFS data, a small file inline in its root.
    const kubo = { cidVersion: 0, rawLeaves: false, reduceSingleLeafToSelf: true } as const;
    const small = new TextEncoder().encode('{"schema":"merchstand/product@1"}');
    kuboSmall = { bytes: small, cid: await fs.addBytes(small, kubo) };
    const large = pseudoRandom(20_000, 1);
    kuboLarge = { bytes: large, cid: await fs.addBytes(large, { ...kubo, chunker: chunker(1024) }) };
    // CIDv1 with raw leaves (what Helia and ipfs-car make), over many chunks.
    const leaves = pseudoRandom(50_000, 2);
    rawLeaves = {
      bytes: leaves,
      cid: await fs.addBytes(leaves, { cidVersion: 1, rawLeaves: true, chunker: chunker(4096) }),
    };
  });

  describe("CIDs in binary form", () => {
    it("reads link CIDs and writes them as CIDv1 base32, agreeing with multiformats", () => {
      for (const { cid } of [kuboSmall, kuboLarge, rawLeaves]) {
        const parsed = parseCidBytes(cid.bytes);
        expect(parsed, cid.toString()).to.not.equal(null);
        expect(cidToString(parsed!)).to.equal(cid.toV1().toString());
        expect(cidToString(parseCid(cid.toString())!)).to.equal(cid.toV1().toString());
      }
      expect(parseCidBytes(Uint8Array.from([0x02, 0x70]))).to.equal(null);
    });

    it("decodes the UnixFS file nodes and refuses what is not one", () => {
      expect(kuboSmall.cid.version).to.equal(0);
      const small = decodeUnixFsFile(honest.blocks.get(kuboSmall.cid.toV1().toString())!)!;
      expect(Buffer.from(small.data).toString()).to.equal(Buffer.from(kuboSmall.bytes).toString());
      expect(small.links).to.deep.equal([]);
      const root = decodeUnixFsFile(honest.blocks.get(rawLeaves.cid.toV1().toString())!)!;
      expect(root.fileSize).to.equal(rawLeaves.bytes.length);
      expect(root.links.length).to.be.above(1);
      expect(decodeUnixFsFile(new TextEncoder().encode("<html>not a block</html>"))).to.equal(null);
      expect(decodeUnixFsFile(new Uint8Array())).to.equal(null);
    });
  });

  describe("fetching", () => {
    for (const [what, file] of [
      ["a CIDv0 file inline in its root (Kubo, small)", () => kuboSmall],
      ["a CIDv0 file over 20 dag-pb leaves (Kubo, large)", () => kuboLarge],
      ["a CIDv1 file over 13 raw leaves", () => rawLeaves],
    ] as const) {
      it(`rebuilds ${what} from verified blocks, asking for raw blocks only`, async () => {
        const requests: Request[] = [];
        const ipfs = new IpfsClient(["http://gw"], { fetch: gatewayFetch({ gw: honest }, requests) });
        const bytes = await ipfs.fetchBytes(file().cid.toString(), 1024 * 1024);
        expect(Buffer.compare(Buffer.from(bytes), Buffer.from(file().bytes))).to.equal(0);
        expect(requests.length).to.be.at.least(1);
        for (const r of requests) {
          expect(r.path).to.match(/^\/ipfs\/b[a-z2-7]+\?format=raw$/);
          expect(r.accept).to.equal("application/vnd.ipld.raw");
        }
      });
    }

    it("refuses a gateway that answers a dag-pb CID with the file instead of its block, and uses the next", async () => {
      const requests: Request[] = [];
      const ipfs = new IpfsClient(["http://naive", "http://honest"], {
        fetch: gatewayFetch({ honest }, requests, (gw) => (gw === "naive" ? new TextEncoder().encode("lies") : null)),
      });
      const bytes = await ipfs.fetchBytes(kuboSmall.cid.toString(), 1024);
      expect(Buffer.from(bytes).toString()).to.equal(Buffer.from(kuboSmall.bytes).toString());
      expect(requests.map((r) => r.gateway).slice(0, 2)).to.deep.equal(["naive", "honest"]);
    });

    it("refuses a file one of whose leaves was swapped, and says so when no gateway is honest", async () => {
      const root = decodeUnixFsFile(honest.blocks.get(rawLeaves.cid.toV1().toString())!)!;
      const leaf = cidToString(root.links[3]!);
      const ipfs = new IpfsClient(["http://liar"], {
        fetch: gatewayFetch({ liar: honest }, [], (_gw, cid) => (cid === leaf ? pseudoRandom(4096, 9) : null)),
      });
      let caught: unknown;
      await ipfs.fetchBytes(rawLeaves.cid.toString(), 1024 * 1024).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/a block does not match its CID/);
    });

    it("refuses a file whose root declares more than the cap, before fetching its leaves", async () => {
      const requests: Request[] = [];
      const ipfs = new IpfsClient(["http://gw"], { fetch: gatewayFetch({ gw: honest }, requests) });
      let caught: unknown;
      await ipfs.fetchBytes(rawLeaves.cid.toString(), 10_000).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/50000 bytes, more than 10000/);
      expect(requests.length).to.equal(1);
    });

    it("refuses content it could not check (a directory, a dag-cbor CID) without trusting any gateway", async () => {
      const fs = unixfs({ blockstore: honest as never });
      const dir = await fs.addDirectory();
      const requests: Request[] = [];
      const ipfs = new IpfsClient(["http://gw"], { fetch: gatewayFetch({ gw: honest }, requests) });
      let caught: unknown;
      await ipfs.fetchBytes(dir.toString(), 1024).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/not part of a UnixFS file/);
      const cbor = CID.create(1, 0x71, CID.parse(dir.toV1().toString()).multihash).toString();
      caught = undefined;
      const before = requests.length;
      await ipfs.fetchBytes(cbor, 1024).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/is not a file \(codec 0x71\)/);
      expect(requests.length).to.equal(before);
    });
  });
});
