// The CIDs that metadata names, and the checks that fetched bytes are what a CID names (a gateway's word is never
// taken for content). Parsing and decoding are the IPFS project's own libraries: multiformats (CIDs, multibase,
// multihash), @ipld/dag-pb and ipfs-unixfs (the blocks of a file). This module only says which of their answers the
// dapp accepts. The hash is @noble/hashes' sha256, which is synchronous in every context (multiformats' browser
// sha256 is WebCrypto: asynchronous, and missing on a plain-http gateway, which is not a secure context).
import { sha256 } from "@noble/hashes/sha2.js";
import { base32, base32upper } from "multiformats/bases/base32";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import * as Digest from "multiformats/hashes/digest";
import { identity } from "multiformats/hashes/identity";
import { sha256 as sha256Hasher } from "multiformats/hashes/sha2";

export const CODEC_RAW = raw.code;
/** @ipld/dag-pb's `code` (a test checks they agree): the codec itself is only loaded to read a file's blocks. */
export const CODEC_DAG_PB = 0x70;

/** The multibases a CIDv1 string may use here: base32 (either case) and base58btc. CIDv0 is bare base58btc. */
const MULTIBASES = new Map([base32, base32upper, base58btc].map((base) => [base.prefix as string, base]));
const DECODER = base32.decoder.or(base32upper.decoder).or(base58btc.decoder);

/** Parses a CIDv0 (`Qm…`) or a base32/base58btc CIDv1 string; null when it is not one. */
export function parseCid(text: string): CID | null {
  if (text.length < 8 || text.length > 100) return null;
  let cid: CID;
  try {
    cid = CID.parse(text, DECODER);
  } catch {
    return null;
  }
  // Only the one spelling the library writes for these bytes names them: multiformats 14's base58 decoder reads
  // characters above U+00FF as digits (`Qm…ő…` parses, as another CID), and it reads any bare base58 text as a
  // CIDv0 string, even one that decodes to a CIDv1 (`Qy…` can be one); no multibase here starts with Q.
  const spelled = cid.version === 0 ? `${base58btc.prefix}${text}` : text;
  return MULTIBASES.get(spelled[0] as string)?.encode(cid.bytes) === spelled ? cid : null;
}

/** `bafy…` or `ipfs://bafy…` to the bare CID; null for anything else (other URLs are never fetched). */
export function normalizeCidRef(ref: unknown): string | null {
  if (typeof ref !== "string") return null;
  const bare = ref.startsWith("ipfs://") ? ref.slice("ipfs://".length) : ref;
  return parseCid(bare) ? bare : null;
}

export type Verdict = "verified" | "mismatch" | "unverifiable";

/**
 * Whether `bytes` are provably the content of `cid`. Raw-leaf CIDs (what Helia and ipfs-car make for files up to
 * one chunk) hash the bytes themselves, so they are checked; a dag-pb CID names a UnixFS node the gateway already
 * unpacked, so it answers "unverifiable" rather than a false yes.
 */
export function verifyCidBytes(cid: string, bytes: Uint8Array): Verdict {
  const parsed = parseCid(cid);
  if (!parsed || parsed.code !== CODEC_RAW) return "unverifiable";
  return verifyBlock(parsed, bytes);
}

/** Whether `block` is the block `cid` names (its multihash), whatever the codec; sha256 and identity only. */
export function verifyBlock(cid: CID, block: Uint8Array): Verdict {
  const { code } = cid.multihash;
  const actual =
    code === sha256Hasher.code
      ? Digest.create(code, sha256(block))
      : code === identity.code
        ? identity.digest(block)
        : null;
  if (!actual) return "unverifiable";
  return Digest.equals(actual, cid.multihash) ? "verified" : "mismatch";
}

/** A UnixFS file node: its own bytes, then its children's in order, child i holding `blockSizes[i]` bytes. */
export type UnixFsFileNode = { data: Uint8Array; links: CID[]; blockSizes: readonly bigint[]; fileSize: bigint };

/** Decodes a dag-pb block holding a UnixFS file (or raw) node; see loadUnixFsDecoder. */
export type UnixFsDecoder = (block: Uint8Array) => UnixFsFileNode | null;

/**
 * The decoder of UnixFS file blocks, loaded on first use: only dag-pb CIDs (CIDv0, files over one chunk) need it,
 * so a raw-CID read never downloads it. Directories, symlinks, HAMT shards and metadata nodes are refused (null):
 * the dapp only ever reads files by CID. So is a node whose links and block sizes disagree (as the reference
 * exporter refuses it), which makes `fileSize` the exact length of the file the node roots.
 */
export async function loadUnixFsDecoder(): Promise<UnixFsDecoder> {
  const [dagPb, { UnixFS }] = await Promise.all([import("@ipld/dag-pb"), import("ipfs-unixfs")]);
  return (block) => {
    try {
      const node = dagPb.decode(block);
      if (node.Data === undefined) return null;
      const unixfs = UnixFS.unmarshal(node.Data);
      if (unixfs.type !== "file" && unixfs.type !== "raw") return null;
      if (unixfs.blockSizes.length !== node.Links.length) return null;
      return {
        data: unixfs.data ?? new Uint8Array(),
        links: node.Links.map((link) => link.Hash),
        blockSizes: unixfs.blockSizes,
        fileSize: unixfs.fileSize(),
      };
    } catch {
      return null; // not dag-pb, or not UnixFS: both libraries throw on malformed input
    }
  };
}
