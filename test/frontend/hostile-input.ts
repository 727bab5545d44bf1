// The client layer's defences against hostile input, below the browser test test/e2e/hostile.ts:
// - bidi controls never reach the page (frontend/src/client/names.ts);
// - only raster images are shown from IPFS, never SVG (ipfs.ts);
// - a refused gateway answer is aborted, not left downloading (ipfs.ts);
// - nothing is taken on a gateway's word (ipfs.ts + cid.ts): raw CIDs are hashed, dag-pb CIDs (CIDv0, files over
//   one chunk) are fetched block by block in the trustless raw format and every block is checked. The DAGs are
//   built by @helia/unixfs, independently of the code under test, in the shapes real tools produce: Kubo's CIDv0
//   with dag-pb leaves, and CIDv1 with raw leaves over several chunks; the malformed ones are encoded with
//   @ipld/dag-pb and ipfs-unixfs, genuine blocks (they hash to their CIDs) that a file reader must still refuse;
// - only CIDv0 and base32/base58btc CIDv1 strings are CIDs; look-alike text (other Unicode, whitespace) is not.

import { unixfs } from "@helia/unixfs";
import * as dagPb from "@ipld/dag-pb";
import { sha256 } from "@noble/hashes/sha2.js";
import { expect } from "chai";
import { UnixFS, type UnixFSType } from "ipfs-unixfs";
import { base32 } from "multiformats/bases/base32";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import * as Digest from "multiformats/hashes/digest";
import { identity } from "multiformats/hashes/identity";
import {
  CODEC_DAG_PB,
  CODEC_RAW,
  loadUnixFsDecoder,
  normalizeCidRef,
  parseCid,
  type UnixFsDecoder,
} from "../../frontend/src/client/cid.ts";
import { IpfsClient, sniffImageType } from "../../frontend/src/client/ipfs.ts";
import { identityKey, namesLookAlike, withoutBidiControls } from "../../frontend/src/client/names.ts";
import { encodePng } from "../../scripts/seed/png.ts";
import { noise } from "../support/noise.ts";

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

/** Stores a block under its CIDv1 (sha256) and returns that CID. */
function putBlock(store: MemoryBlocks, code: number, block: Uint8Array): CID {
  const cid = CID.createV1(code, Digest.create(0x12, sha256(block)));
  store.blocks.set(cid.toString(), block);
  return cid;
}

/** A dag-pb UnixFS node as a hostile tool could write it: any type, links and block sizes. */
function unixFsNode(type: UnixFSType, links: CID[], blockSizes: bigint[], data?: Uint8Array): Uint8Array {
  const node = new UnixFS({ type, blockSizes, ...(data ? { data } : {}) });
  return dagPb.encode({ Data: node.marshal(), Links: links.map((Hash) => ({ Hash })) });
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
    const large = noise(20_000, 1);
    kuboLarge = { bytes: large, cid: await fs.addBytes(large, { ...kubo, chunker: chunker(1024) }) };
    // CIDv1 with raw leaves (what Helia and ipfs-car make), over many chunks.
    const leaves = noise(50_000, 2);
    rawLeaves = {
      bytes: leaves,
      cid: await fs.addBytes(leaves, { cidVersion: 1, rawLeaves: true, chunker: chunker(4096) }),
    };
  });

  describe("blocks read with @ipld/dag-pb and ipfs-unixfs", () => {
    let decode: UnixFsDecoder;
    before(async () => {
      decode = await loadUnixFsDecoder();
    });

    it("uses the libraries' codec numbers", () => {
      expect(CODEC_DAG_PB).to.equal(dagPb.code);
      expect(CODEC_RAW).to.equal(raw.code);
    });

    it("decodes the UnixFS file nodes real tools write", () => {
      expect(kuboSmall.cid.version).to.equal(0);
      const small = decode(honest.blocks.get(kuboSmall.cid.toV1().toString())!)!;
      expect(Buffer.from(small.data).toString()).to.equal(Buffer.from(kuboSmall.bytes).toString());
      expect(small.links).to.deep.equal([]);
      expect(small.fileSize).to.equal(BigInt(kuboSmall.bytes.length));
      const root = decode(honest.blocks.get(rawLeaves.cid.toV1().toString())!)!;
      expect(root.fileSize).to.equal(BigInt(rawLeaves.bytes.length));
      expect(root.links.length).to.equal(13);
      expect(root.links.every((link) => link.code === CODEC_RAW)).to.equal(true);
      expect(root.blockSizes.reduce((n, b) => n + b, 0n)).to.equal(BigInt(rawLeaves.bytes.length));
      const kubo = decode(honest.blocks.get(kuboLarge.cid.toV1().toString())!)!;
      expect(kubo.links.length).to.equal(20);
      expect(kubo.links.every((link) => link.version === 0 && link.code === CODEC_DAG_PB)).to.equal(true);
    });

    it("refuses what is not a UnixFS file node, and a file node whose links and block sizes disagree", async () => {
      const leaf = CID.createV1(CODEC_RAW, Digest.create(0x12, sha256(Uint8Array.of(1))));
      const dir = await unixfs({ blockstore: honest as never }).addDirectory();
      for (const [what, block] of [
        ["HTML", new TextEncoder().encode("<html>not a block</html>")],
        ["no bytes", new Uint8Array()],
        ["a directory", honest.blocks.get(dir.toV1().toString())!],
        ["a HAMT shard", unixFsNode("hamt-sharded-directory", [], [])],
        ["a symlink", unixFsNode("symlink", [], [], new TextEncoder().encode("/etc/passwd"))],
        ["a metadata node", unixFsNode("metadata", [], [])],
        ["a dag-pb node without UnixFS data", dagPb.encode({ Links: [{ Hash: leaf }] })],
        ["a dag-pb node whose data is not UnixFS", dagPb.encode({ Data: Uint8Array.of(0xff, 0xff), Links: [] })],
        ["two links, one block size", unixFsNode("file", [leaf, leaf], [1n])],
        ["no links, one block size", unixFsNode("file", [], [1n])],
      ] as const) {
        expect(decode(block), what).to.equal(null);
      }
      // The same node with matching block sizes is a file, so it is the mismatch that was refused above.
      expect(decode(unixFsNode("file", [leaf, leaf], [1n, 1n]))?.fileSize).to.equal(2n);
    });
  });

  describe("CID strings", () => {
    it("accepts CIDv0 and CIDv1 in base32 (either case) and base58btc, and nothing else", () => {
      const v1 = rawLeaves.cid;
      for (const text of [
        kuboSmall.cid.toString(),
        v1.toString(),
        v1.toString().toUpperCase(),
        v1.toString(base58btc),
        `ipfs://${v1}`,
      ]) {
        expect(normalizeCidRef(text), text).to.equal(text.replace("ipfs://", ""));
        expect(parseCid(text.replace("ipfs://", ""))?.equals(text.startsWith("Q") ? kuboSmall.cid : v1)).to.equal(true);
      }
      // Well-formed CIDs (identity hashes) outside the length bounds the dapp sets.
      const tiny = CID.createV1(CODEC_RAW, identity.digest(new Uint8Array())).toString(base58btc);
      const huge = CID.createV1(CODEC_RAW, identity.digest(new Uint8Array(70))).toString();
      expect([tiny.length, huge.length]).to.deep.equal([6, 120]);
      expect(CID.parse(huge).equals(CID.parse(tiny, base58btc))).to.equal(false);
      const lower = v1.toString().slice(1);
      const last = lower.at(-1)!;
      const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
      for (const [what, text] of [
        ["base36", v1.toString(base36)],
        ["base32 with mixed case", `b${lower.slice(0, 10).toUpperCase()}${lower.slice(10)}`],
        ["base32 with a non-zero padding bit", `b${lower.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`],
        ["a CIDv0 in multibase base32", base32.encode(kuboSmall.cid.bytes)],
        ["a CIDv0 in multibase base58btc", base58btc.encode(kuboSmall.cid.bytes)],
        // Bare base58 that multiformats reads as a CIDv0 string, yet decodes to a CIDv1 (dag-pb, identity hash).
        [
          "a Q… CIDv1",
          "QyYGcV3sE6kJsRE6ot4pmFgZ7uPQFWufxXipcTaaXWWkrdSCyYieTnJsYg4sCHorZy2s5vxdZwhDSRayLis4TFAFvEe41UZ5uD1q",
        ],
        ["a truncated CID", v1.toString().slice(0, -4)],
        ["a CID with a byte more", base32.encode(Uint8Array.from([...v1.bytes, 0]))],
        ["a URL", `https://ipfs.io/ipfs/${v1}`],
        ["ipfs:// twice", `ipfs://ipfs://${v1}`],
        ["a 6-character CID", tiny],
        ["a 120-character CID", huge],
      ] as const) {
        expect(normalizeCidRef(text), what).to.equal(null);
      }
      for (const value of [42, null, undefined, { toString: () => v1.toString() }, [v1.toString()], v1]) {
        expect(normalizeCidRef(value), String(value)).to.equal(null);
      }
    });

    it("refuses look-alike text: other Unicode letters, UTF-16 oddities, whitespace and controls", () => {
      const b = rawLeaves.cid.toString();
      const z = rawLeaves.cid.toString(base58btc);
      const q = kuboSmall.cid.toString();
      const swap = (text: string, at: number, by: string) => `${text.slice(0, at)}${by}${text.slice(at + 1)}`;
      const cases: [string, string][] = [
        ["full-width letter", swap(b, 5, String.fromCharCode(b.charCodeAt(5) - 0x61 + 0xff41))],
        ["Cyrillic а", swap(b, b.indexOf("a", 1), "\u0430")],
        // "bafybei…": a decoder that folds case would read ı as I and İ as i.
        ["dotless ı for i", swap(b, 6, "\u0131")],
        ["dotted İ for I", swap(b.toUpperCase(), 6, "\u0130")],
        // U+0151's low byte is "Q" (0x51): a decoder that reads bytes instead of UTF-16 code units would accept it,
        // and multiformats 14's base58 decoder does read it as a digit (base-x's fix, cryptocoinjs/base-x#86, is
        // not in its vendored copy): in a CIDv0 it decodes to another, well-formed CID.
        ["ő in base58btc", swap(z, 3, "\u0151")],
        ["ő in a CIDv0", swap(q, 5, "\u0151")],
        ["lone high surrogate", swap(q, 5, "\ud800")],
        ["lone low surrogate", `${b}\udc00`],
        ["surrogate pair (emoji)", swap(b, 5, "\u{1F600}")],
        ["zero-width space", `${b.slice(0, 9)}\u200b${b.slice(9)}`],
        ["byte-order mark", `\ufeff${b}`],
        ["right-to-left override", `\u202e${q}`],
        ["NUL", `${q}\0`],
        ["trailing newline", `${b}\n`],
        ["leading space", ` ${q}`],
        ["non-breaking space", `${z}\u00a0`],
        ["Latin-1 ÿ", swap(z, 2, "\u00ff")],
      ];
      for (const [what, text] of cases) {
        expect(text, what).to.not.equal(b);
        expect(parseCid(text), what).to.equal(null);
        expect(normalizeCidRef(text), what).to.equal(null);
        expect(normalizeCidRef(`ipfs://${text}`), what).to.equal(null);
      }
    });

    it("never asks a gateway for a string that is not a CID", async () => {
      const requests: Request[] = [];
      const ipfs = new IpfsClient(["http://gw"], { fetch: gatewayFetch({ gw: honest }, requests) });
      for (const text of [`${rawLeaves.cid}\n`, `\u202e${kuboSmall.cid}`, "../../etc/passwd", "bafy?format=car"]) {
        let caught: unknown;
        await ipfs.fetchBytes(text, 1024).catch((e) => {
          caught = e;
        });
        expect(String(caught), text).to.match(/not a CID/);
      }
      expect(requests).to.deep.equal([]);
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
      const root = (await loadUnixFsDecoder())(honest.blocks.get(rawLeaves.cid.toV1().toString())!)!;
      const leaf = root.links[3]!.toString();
      const ipfs = new IpfsClient(["http://liar"], {
        fetch: gatewayFetch({ liar: honest }, [], (_gw, cid) => (cid === leaf ? noise(4096, 9) : null)),
      });
      let caught: unknown;
      await ipfs.fetchBytes(rawLeaves.cid.toString(), 1024 * 1024).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/a block does not match its CID/);
    });

    it("refuses a Kubo file one of whose dag-pb leaves was swapped for another, and uses the next gateway", async () => {
      const root = (await loadUnixFsDecoder())(honest.blocks.get(kuboLarge.cid.toV1().toString())!)!;
      const [swapped, other] = [root.links[3]!.toV1().toString(), root.links[5]!.toV1().toString()];
      const genuineOther = honest.blocks.get(other)!;
      const requests: Request[] = [];
      const lie = (gw: string, cid: string) => (gw === "liar" && cid === swapped ? genuineOther : null);
      const ipfs = new IpfsClient(["http://liar", "http://honest"], {
        fetch: gatewayFetch({ liar: honest, honest }, requests, lie),
      });
      const bytes = await ipfs.fetchBytes(kuboLarge.cid.toString(), 1024 * 1024);
      expect(Buffer.compare(Buffer.from(bytes), Buffer.from(kuboLarge.bytes))).to.equal(0);
      expect(requests.some((r) => r.gateway === "liar" && r.path.includes(swapped))).to.equal(true);
      expect(requests.at(-1)?.gateway).to.equal("honest");
      let caught: unknown;
      const alone = new IpfsClient(["http://liar"], { fetch: gatewayFetch({ liar: honest }, [], lie) });
      await alone.fetchBytes(kuboLarge.cid.toString(), 1024 * 1024).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/http:\/\/liar: a block does not match its CID/);
    });

    it("stops reading a block larger than IPFS nodes exchange (2 MiB)", async () => {
      const ipfs = new IpfsClient(["http://gw"], {
        fetch: gatewayFetch({ gw: honest }, [], () => new Uint8Array(2 * 1024 * 1024 + 1)),
      });
      let caught: unknown;
      await ipfs.fetchBytes(kuboSmall.cid.toString(), 5 * 1024 * 1024).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/content is more than 2097152 bytes/);
    });

    describe("genuine blocks of a malformed file", () => {
      const forged = new MemoryBlocks();
      const fetchFrom = async (root: CID, maxBytes = 1024 * 1024) => {
        const requests: Request[] = [];
        const ipfs = new IpfsClient(["http://gw"], { fetch: gatewayFetch({ gw: forged }, requests) });
        const result = await ipfs.fetchBytes(root.toString(), maxBytes).then(
          (bytes) => ({ bytes, error: null }),
          (error: unknown) => ({ bytes: null, error: String(error) }),
        );
        return { ...result, requests };
      };
      const oneByte = putBlock(forged, CODEC_RAW, Uint8Array.of(7));

      it("refuses a node whose block sizes do not match its leaves, even when they add up", async () => {
        const leaves = (await loadUnixFsDecoder())(honest.blocks.get(rawLeaves.cid.toV1().toString())!)!;
        for (const link of leaves.links) forged.blocks.set(link.toString(), honest.blocks.get(link.toString())!);
        const sizes = [...leaves.blockSizes];
        expect(sizes[0]).to.not.equal(sizes.at(-1));
        const good = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", leaves.links, sizes));
        expect((await fetchFrom(good)).bytes).to.deep.equal(rawLeaves.bytes);
        [sizes[0], sizes[sizes.length - 1]] = [sizes.at(-1)!, sizes[0]!];
        const bad = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", leaves.links, sizes));
        expect((await fetchFrom(bad)).error).to.match(/the file's blocks do not add up to its size/);
      });

      it("stops at the size cap when the leaves hold more than the root declares", async () => {
        const leaves = [noise(600, 3), noise(600, 4)].map((b) => putBlock(forged, CODEC_RAW, b));
        const root = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", leaves, [1n, 1n]));
        expect((await fetchFrom(root, 1000)).error).to.match(/content is more than 1000 bytes/);
        // Under a larger cap it is the sizes that give the lie away.
        expect((await fetchFrom(root, 2000)).error).to.match(/the file's blocks do not add up to its size/);
      });

      it("refuses a node naming more blocks than a file may span, before fetching any of them", async () => {
        const links = Array<CID>(300).fill(oneByte);
        const wide = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", links, Array(300).fill(1n)));
        const { error, requests } = await fetchFrom(wide);
        expect(error).to.match(/the file spans more than 256 blocks/);
        expect(requests.length).to.equal(1);
        // Under the limit per node but over it in all: two children of 200 leaves each.
        const half = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", links.slice(0, 200), Array(200).fill(1n)));
        const two = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", [half, half], [200n, 200n]));
        expect((await fetchFrom(two)).error).to.match(/the file spans more than 256 blocks/);
        const one = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", [half], [200n]));
        expect((await fetchFrom(one)).bytes).to.deep.equal(new Uint8Array(200).fill(7));
      });

      it("reads a block tree 8 levels deep and refuses a ninth", async () => {
        let node = oneByte;
        for (let level = 1; level <= 9; level++) {
          node = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", [node], [1n]));
          if (level === 8) expect((await fetchFrom(node)).bytes).to.deep.equal(Uint8Array.of(7));
        }
        expect((await fetchFrom(node)).error).to.match(/the file's block tree is too deep/);
      });

      it("refuses a link to a block that is neither raw nor dag-pb without fetching it", async () => {
        const cbor = CID.createV1(0x71, oneByte.multihash);
        const root = putBlock(forged, CODEC_DAG_PB, unixFsNode("file", [cbor], [1n]));
        const { error, requests } = await fetchFrom(root);
        expect(error).to.match(/a block of the file is neither raw nor dag-pb/);
        expect(requests.length).to.equal(1);
      });
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
