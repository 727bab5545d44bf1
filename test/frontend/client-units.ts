import { readFileSync } from "node:fs";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { expect } from "chai";
import { parseCid, verifyCidBytes } from "../../frontend/src/client/cid.ts";
import { merchstand as abi } from "../../frontend/src/client/contract.ts";
import { explainError, InsufficientFundsError, WrongNetworkError } from "../../frontend/src/client/errors.ts";
import { formatAmount, formatAmountCompact } from "../../frontend/src/client/format.ts";
import { IpfsClient } from "../../frontend/src/client/ipfs.ts";
import { ManifestError, parseManifest } from "../../frontend/src/client/manifest.ts";
import { parseProductMetadata, parseStoreMetadata } from "../../frontend/src/client/metadata.ts";
import { namesLookAlike } from "../../frontend/src/client/names.ts";
import { DAY, ZERO_ADDRESS } from "../../frontend/src/client/protocol.ts";
import { NetworkError, RpcError } from "../../frontend/src/client/rpc.ts";
import { explainSellerError } from "../../frontend/src/client/seller-errors.ts";
import { arbiterIsStore, termsSentences } from "../../frontend/src/client/terms.ts";
import { generateAbiSource, OUTPUT } from "../../scripts/generate-abi.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const ETH = { symbol: "ETH", decimals: 18 };

/** CID bytes in multibase base32, written independently of the module under test (and of multiformats). */
function base32Cid(cid: Uint8Array): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = 0;
  let value = 0;
  let out = "b";
  for (const byte of cid) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** A CIDv1 raw/sha256 for `bytes`, base32. */
function rawCid(bytes: Uint8Array): string {
  return base32Cid(Uint8Array.from([0x01, 0x55, 0x12, 0x20, ...sha256(bytes)]));
}

describe("dapp client units", () => {
  describe("generated ABI", () => {
    it("is what scripts/generate-abi.ts writes from the current artifact", () => {
      expect(readFileSync(OUTPUT, "utf8")).to.equal(generateAbiSource());
    });
  });

  describe("explainError", () => {
    it("says a wallet rejection cost nothing", () => {
      expect(explainError(new RpcError(4001, "User rejected the request.")).message).to.equal(
        "You cancelled the request in your wallet. Nothing was charged.",
      );
      expect(explainError({ code: 4001, message: "denied" }).kind).to.equal("rejected");
    });

    it("names the size that sold out, from revert data nested the way nodes nest it", () => {
      const data = abi.encodeErrorResult("InsufficientStock", [1, 1, 1, 0]);
      const fan = explainError(new RpcError(3, "execution reverted", { data }), {
        describeVariant: () => ({ product: "Tour Shirt", label: "M" }),
      });
      expect(fan.message).to.equal("Size M just sold out. Your cart was updated.");
      expect(fan.refreshCart).to.equal(true);
    });

    it("gives both prices when the price rose", () => {
      const data = abi.encodeErrorResult("PriceAboveMax", [1, 0, 25_000_000_000_000_000n, 20_000_000_000_000_000n]);
      expect(explainError({ error: { data } }, { currency: ETH }).message).to.equal(
        "The price changed from 0.02 to 0.025 ETH. Review and try again.",
      );
    });

    it("gives both amounts when funds are short", () => {
      const e = new InsufficientFundsError(42_000_000_000_000_000n, 10_000_000_000_000_000n, ETH, true);
      expect(explainError(e).message).to.equal("Your wallet needs 0.042 ETH plus gas; it has 0.01 ETH.");
    });

    it("names both networks when the wallet is on the wrong one", () => {
      const fan = explainError(new WrongNetworkError(1), {
        expectedChain: { chainId: 11155111, chainName: "Sepolia" },
      });
      expect(fan.message).to.equal("Your wallet is on Ethereum Mainnet; this store is on Sepolia. Switch network.");
    });

    it("offers a retry when the RPC is unreachable", () => {
      const fan = explainError(new NetworkError("RPC unreachable: fetch failed"));
      expect(fan).to.include({ kind: "unreachable", retry: true });
      expect(fan.message).to.equal("Can't reach the network right now. Retrying…");
    });

    it("dates a too-early action and explains a pause", () => {
      const early = explainError({ data: abi.encodeErrorResult("TooEarly", [1, 1_800_000_000]) });
      expect(early.kind).to.equal("too-early");
      expect(early.message).to.match(/^That is possible from .*2027/);
      expect(explainError({ data: abi.encodeErrorResult("EnforcedPause", []) }).kind).to.equal("paused");
    });

    it("explains the errors of the packed one-line purchase", () => {
      const full = explainError(
        { data: abi.encodeErrorResult("SoldCounterFull", [7, 2]) },
        { describeVariant: () => ({ product: "Tour Shirt", label: "M" }) },
      );
      expect(full).to.include({ kind: "not-for-sale", refreshCart: true });
      expect(full.message).to.match(/can't take more orders.*Nothing was charged\.$/);
      const bad = explainError({ data: abi.encodeErrorResult("InvalidLine", [1n << 200n]) });
      expect(bad.kind).to.equal("revert");
      expect(bad.message).to.equal(
        "This purchase was put together wrongly. Nothing was charged; reload the page and try again.",
      );
      expect(explainError({ data: abi.encodeErrorResult("ZeroQuantity", [1, 0]) }).message).to.equal(
        "Choose a quantity of at least 1.",
      );
    });

    it("says a terms change in front of the purchase cost nothing, naming both versions", () => {
      const fan = explainError({ data: abi.encodeErrorResult("TermsChanged", [3, 3, 4]) });
      expect(fan.kind).to.equal("terms-changed");
      expect(fan.message).to.equal(
        "The store changed its terms just before you paid (version 3 -> 4). Nothing was charged. Review the new terms and pay again.",
      );
    });

    it("has a sentence of its own for every custom error of the protocol, for a fan or for staff", () => {
      const generic = /contract refused this/;
      const missing: string[] = [];
      abi.forEachError((fragment) => {
        const args = fragment.inputs.map((input) => {
          if (input.type === "address") return ZERO_ADDRESS;
          if (input.type === "bool") return false;
          if (input.type === "string") return "x";
          if (input.type === "bytes") return "0x";
          if (input.type.startsWith("bytes")) return `0x${"00".repeat(Number(input.type.slice(5)))}`;
          return 1n;
        });
        const error = { data: abi.encodeErrorResult(fragment, args) };
        const seller = explainSellerError(error).message;
        if (generic.test(explainError(error).message) && generic.test(seller)) missing.push(fragment.name);
      });
      expect(missing).to.deep.equal([]);
    });

    it("never echoes an unknown error at unbounded length", () => {
      expect(explainError(new Error("x".repeat(5000))).message.length).to.be.below(200);
    });
  });

  describe("store terms at checkout", () => {
    const terms = {
      arbiter: "0x1234567890123456789012345678901234567890",
      shipWindow: 7 * DAY,
      deliveryWindow: 14 * DAY,
    };
    const store = {
      id: 4n,
      owner: "0x9999999999999999999999999999999999999999",
      payout: "0x8888888888888888888888888888888888888888",
      terms,
    };

    it("names the windows, when the band is paid, and an independent arbiter", () => {
      const text = termsSentences(terms, {
        storeIsArbiter: false,
        digital: false,
        physical: true,
        arbiterWindow: 30 * DAY,
      });
      expect(text[0]).to.equal(
        "The band has 7 days to ship. If it hasn't shipped by then, you can cancel for a full refund.",
      );
      expect(text.join(" ")).to.contain("releases it 14 days after it ships; only then is the band paid");
      expect(text.at(-1)).to.equal(
        "Disputes are decided by the arbiter 0x1234…7890. If the arbiter hasn't ruled after 30 days, you (or anyone) can settle the dispute in your favour: the whole payment is sent back to you. Until someone does, the arbiter can still rule.",
      );
      expect(text.join(" ")).to.not.match(/notif|when it ships|encrypted to a key/);
    });

    it("says plainly when the arbiter is the store, and how digital items are delivered", () => {
      const text = termsSentences(terms, {
        storeIsArbiter: true,
        digital: true,
        physical: false,
        arbiterWindow: 30 * DAY,
      });
      expect(text.join(" ")).to.contain(
        "Disputes are decided by the store itself (0x1234…7890), not by an independent",
      );
      expect(text[0]).to.equal(
        "Digital items are delivered encrypted to a key only your wallet can open. If they aren't delivered within 7 days, you can cancel for a full refund.",
      );
      expect(text.join(" ")).to.contain("14 days after it is delivered");
    });

    it("counts the owner, the payout wallet and the store's managers as the store itself", async () => {
      const staff = new Set(["0x1234567890123456789012345678901234567890"]);
      const chain = { read: async (_fn: string, args: unknown[]) => staff.has(String(args[1])) } as never;
      expect(await arbiterIsStore(chain, store)).to.equal(true);
      staff.clear();
      expect(await arbiterIsStore(chain, store)).to.equal(false);
      expect(await arbiterIsStore(chain, { ...store, terms: { ...terms, arbiter: store.owner } })).to.equal(true);
      expect(await arbiterIsStore(chain, { ...store, terms: { ...terms, arbiter: store.payout } })).to.equal(true);
    });
  });

  describe("metadata validation", () => {
    const good = { schema: "merchstand/product@1", description: "Tee", images: [], details: { Material: "Cotton" } };

    it("accepts the documented shape and keeps markup as text", () => {
      const r = parseProductMetadata(utf8(JSON.stringify({ ...good, description: "<script>alert(1)</script>" })));
      expect(r.ok && r.value.description).to.equal("<script>alert(1)</script>");
      expect(r.ok && r.value.details).to.deep.equal([["Material", "Cotton"]]);
    });

    it("rejects hostile input", () => {
      const cases: [string, Uint8Array][] = [
        ["not JSON", utf8("<html>")],
        ["not UTF-8", Uint8Array.of(0xff, 0xfe, 0x7b)],
        ["an array", utf8("[]")],
        ["wrong schema", utf8(JSON.stringify({ ...good, schema: "merchstand/store@1" }))],
        ["10 MB", utf8(JSON.stringify({ ...good, description: "a".repeat(10 * 1024 * 1024) }))],
        ["long description", utf8(JSON.stringify({ ...good, description: "a".repeat(5001) }))],
        ["non-CID image", utf8(JSON.stringify({ ...good, images: ["https://tracker.example/x.png"] }))],
        ["9 images", utf8(JSON.stringify({ ...good, images: Array(9).fill(rawCid(utf8("x"))) }))],
        ["non-string detail", utf8(JSON.stringify({ ...good, details: { a: 1 } }))],
        [
          "21 details",
          utf8(
            JSON.stringify({
              ...good,
              details: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])),
            }),
          ),
        ],
      ];
      for (const [why, bytes] of cases) expect(parseProductMetadata(bytes).ok, why).to.equal(false);
    });

    it("allows only https links in store metadata", () => {
      const store = (url: string) =>
        parseStoreMetadata(
          utf8(JSON.stringify({ schema: "merchstand/store@1", bio: "b", links: [{ label: "Site", url }] })),
        );
      expect(store("https://band.example/").ok).to.equal(true);
      expect(store("javascript:alert(1)").ok).to.equal(false);
      expect(store("http://band.example/").ok).to.equal(false);
    });
  });

  describe("CIDs and gateways", () => {
    it("parses CIDv0 and CIDv1 and verifies raw bytes against the CID", () => {
      const bytes = utf8('{"schema":"merchstand/product@1"}');
      const cid = rawCid(bytes);
      expect(parseCid(cid)?.code).to.equal(0x55);
      expect(parseCid(cid)?.multihash.digest).to.deep.equal(sha256(bytes));
      expect(parseCid(cid.toUpperCase())?.toString()).to.equal(cid);
      const v0 = parseCid("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG");
      expect([v0?.version, v0?.code, v0?.multihash.size]).to.deep.equal([0, 0x70, 32]);
      expect(parseCid("not-a-cid")).to.equal(null);
      expect(verifyCidBytes(cid, bytes)).to.equal("verified");
      expect(verifyCidBytes(cid, utf8("tampered"))).to.equal("mismatch");
      expect(verifyCidBytes(cid.toUpperCase(), utf8("tampered"))).to.equal("mismatch");
    });

    it("vouches for sha256 and identity hashes only, and only for the full digest", () => {
      const bytes = utf8("merch");
      const cid = (hash: number, digest: Uint8Array) =>
        base32Cid(Uint8Array.from([1, 0x55, hash, digest.length, ...digest]));
      expect(verifyCidBytes(cid(0x00, bytes), bytes)).to.equal("verified");
      expect(verifyCidBytes(cid(0x00, bytes), utf8("merci"))).to.equal("mismatch");
      expect(verifyCidBytes(cid(0x00, bytes), utf8("merch!"))).to.equal("mismatch");
      // A truncated sha256 is a weaker promise than the CIDs the dapp writes: not taken as a match.
      expect(verifyCidBytes(cid(0x12, sha256(bytes).subarray(0, 20)), bytes)).to.equal("mismatch");
      // Right bytes under another hash (sha2-512): the dapp does not compute it, so it cannot say yes.
      expect(verifyCidBytes(cid(0x13, sha512(bytes)), bytes)).to.equal("unverifiable");
      // A dag-pb CID names a UnixFS node, not the file's bytes.
      const dagPb = base32Cid(Uint8Array.from([1, 0x70, 0x12, 0x20, ...sha256(bytes)]));
      expect(parseCid(dagPb)?.code).to.equal(0x70);
      expect(verifyCidBytes(dagPb, bytes)).to.equal("unverifiable");
    });

    it("skips a gateway that serves tampered bytes and one that is down", async () => {
      const bytes = utf8("real content");
      const cid = rawCid(bytes);
      const seen: string[] = [];
      const ipfs = new IpfsClient(["http://down", "http://liar", "http://honest"], {
        fetch: async (url) => {
          seen.push(new URL(url).host);
          if (url.startsWith("http://down")) throw new TypeError("fetch failed");
          return new Response(url.startsWith("http://liar") ? utf8("evil content") : bytes);
        },
      });
      expect(new TextDecoder().decode(await ipfs.fetchBytes(cid, 1024))).to.equal("real content");
      expect(seen).to.deep.equal(["down", "liar", "honest"]);
    });

    it("stops reading past the size cap", async () => {
      const big = new Uint8Array(100_000);
      const ipfs = new IpfsClient(["http://gw"], { fetch: async () => new Response(big) });
      let caught: unknown;
      await ipfs.fetchBytes(rawCid(big), 1000).catch((e) => {
        caught = e;
      });
      expect(String(caught)).to.match(/more than 1000 bytes/);
    });
  });

  describe("manifest", () => {
    const manifest = {
      version: 1,
      chainId: 31337,
      chainName: "Hardhat local",
      rpcUrl: "http://127.0.0.1:8545",
      explorerUrl: null,
      merchstand: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      deploymentBlock: 1,
      currencies: [{ address: ZERO_ADDRESS, symbol: "ETH", decimals: 18 }],
      ipfsGateways: ["http://127.0.0.1:8080/"],
      ipfsUpload: null,
    };
    it("accepts the documented format", () => {
      expect(parseManifest(manifest).ipfsGateways).to.deep.equal(["http://127.0.0.1:8080"]);
    });
    it("rejects a bad address, version or RPC URL", () => {
      expect(() => parseManifest({ ...manifest, merchstand: "0x12" })).to.throw(ManifestError, /merchstand/);
      expect(() => parseManifest({ ...manifest, version: 2 })).to.throw(ManifestError, /version/);
      expect(() => parseManifest({ ...manifest, rpcUrl: "javascript:1" })).to.throw(ManifestError, /rpcUrl/);
    });
  });

  describe("look-alike store names", () => {
    it("flags case, spacing, punctuation, homoglyph and generic-word variants", () => {
      for (const impostor of [
        "THE MIDNIGHT OWLS",
        "The Midnight-Owls!",
        "The Midnlght 0wls — Official Store",
        "Тhe Мidnight Оwls",
        "The Midnight Owl",
      ]) {
        expect(namesLookAlike(impostor, "The Midnight Owls"), impostor).to.equal(true);
      }
    });
    it("leaves different bands alone", () => {
      expect(namesLookAlike("Velvet Static", "The Midnight Owls")).to.equal(false);
      expect(namesLookAlike("Owls", "Cows")).to.equal(false);
    });
  });

  describe("formatAmount", () => {
    it("formats without float rounding", () => {
      expect(formatAmount(20_000_000_000_000_000n, ETH)).to.equal("0.02 ETH");
      expect(formatAmount(25_500_000n, { symbol: "mUSD", decimals: 6 })).to.equal("25.50 mUSD");
      expect(formatAmount(1_234_000_000n, { symbol: "mUSD", decimals: 6 })).to.equal("1,234 mUSD");
      expect(formatAmountCompact(9_999_896_013_157_920_573_167n, ETH)).to.equal("9,999.896 ETH");
    });
  });
});
