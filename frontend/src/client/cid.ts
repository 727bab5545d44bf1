// Just enough CID parsing to validate the CIDs that metadata names and to check fetched bytes against them, and
// just enough dag-pb + UnixFS decoding to put a file back together from blocks that were each checked against their
// CID (a gateway's word is never taken for content). Decoding only; the hash is @noble/hashes' sha256.
import { sha256 } from "@noble/hashes/sha2.js";

export type ParsedCid = { version: 0 | 1; codec: number; hashCode: number; digest: Uint8Array };

export const CODEC_RAW = 0x55;
export const CODEC_DAG_PB = 0x70;
const HASH_SHA256 = 0x12;
const HASH_IDENTITY = 0x00;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function decodeBase32(text: string): Uint8Array | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

function decodeBase58(text: string): Uint8Array | null {
  let n = 0n;
  for (const ch of text) {
    const v = BASE58.indexOf(ch);
    if (v < 0) return null;
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const ch of text) {
    if (ch !== "1") break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** An unsigned LEB128 varint (protobuf and multiformats both use them): [value, next offset], or null. */
function readVarint(bytes: Uint8Array, at: number): [number, number] | null {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.length && shift < 56; shift += 7, i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return Number.isSafeInteger(value) ? [value, i + 1] : null;
  }
  return null;
}

function parseMultihash(bytes: Uint8Array, at: number): { hashCode: number; digest: Uint8Array } | null {
  const code = readVarint(bytes, at);
  if (!code) return null;
  const length = readVarint(bytes, code[1]);
  if (!length || length[1] + length[0] !== bytes.length) return null;
  return { hashCode: code[0], digest: bytes.subarray(length[1]) };
}

/** Parses a CIDv0 (`Qm…`) or a base32/base58 CIDv1 string; null when it is not one. */
export function parseCid(text: string): ParsedCid | null {
  if (text.length < 8 || text.length > 100) return null;
  if (text.length === 46 && text.startsWith("Qm")) {
    const bytes = decodeBase58(text);
    if (!bytes || bytes[0] !== HASH_SHA256 || bytes[1] !== 32) return null;
    const mh = parseMultihash(bytes, 0);
    return mh ? { version: 0, codec: CODEC_DAG_PB, ...mh } : null;
  }
  const prefix = text[0];
  const body = text.slice(1);
  const bytes =
    prefix === "b"
      ? decodeBase32(body)
      : prefix === "B"
        ? decodeBase32(body.toLowerCase())
        : prefix === "z"
          ? decodeBase58(body)
          : null;
  if (bytes?.[0] !== 1) return null;
  const codec = readVarint(bytes, 1);
  if (!codec) return null;
  const mh = parseMultihash(bytes, codec[1]);
  return mh ? { version: 1, codec: codec[0], ...mh } : null;
}

/** A CID in binary form, as dag-pb links carry it (CIDv1 bytes, or a bare sha256 multihash for CIDv0). */
export function parseCidBytes(bytes: Uint8Array): ParsedCid | null {
  if (bytes[0] === HASH_SHA256) {
    const mh = parseMultihash(bytes, 0);
    return mh && mh.digest.length === 32 ? { version: 0, codec: CODEC_DAG_PB, ...mh } : null;
  }
  if (bytes[0] !== 1) return null;
  const codec = readVarint(bytes, 1);
  if (!codec) return null;
  const mh = parseMultihash(bytes, codec[1]);
  return mh ? { version: 1, codec: codec[0], ...mh } : null;
}

/** The CIDv1 base32 string of a CID (a CIDv0 becomes the CIDv1 of the same dag-pb block). */
export function cidToString(cid: ParsedCid): string {
  const bytes = [1, ...varint(cid.codec), ...varint(cid.hashCode), ...varint(cid.digest.length), ...cid.digest];
  return `b${encodeBase32(Uint8Array.from(bytes))}`;
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n % 0x80) | 0x80);
  out.push(n);
  return out;
}

/** `bafy…` or `ipfs://bafy…` to the bare CID; null for anything else (other URLs are never fetched). */
export function normalizeCidRef(ref: unknown): string | null {
  if (typeof ref !== "string") return null;
  const bare = ref.startsWith("ipfs://") ? ref.slice("ipfs://".length) : ref;
  return parseCid(bare) ? bare : null;
}

/**
 * Whether `bytes` are provably the content of `cid`. Raw-leaf CIDs (what Helia and ipfs-car make for files up to
 * one chunk) hash the bytes themselves, so they are checked; a dag-pb CID names a UnixFS node the gateway already
 * unpacked, so it answers "unverifiable" rather than a false yes.
 */
export function verifyCidBytes(cid: string, bytes: Uint8Array): "verified" | "mismatch" | "unverifiable" {
  const parsed = parseCid(cid);
  if (!parsed || parsed.codec !== CODEC_RAW) return "unverifiable";
  return verifyBlock(parsed, bytes);
}

/** Whether `block` is the block `cid` names (its multihash), whatever the codec; sha256 and identity only. */
export function verifyBlock(cid: ParsedCid, block: Uint8Array): "verified" | "mismatch" | "unverifiable" {
  let actual: Uint8Array;
  if (cid.hashCode === HASH_SHA256) actual = sha256(block);
  else if (cid.hashCode === HASH_IDENTITY) actual = block;
  else return "unverifiable";
  if (actual.length !== cid.digest.length) return "mismatch";
  for (let i = 0; i < actual.length; i++) if (actual[i] !== cid.digest[i]) return "mismatch";
  return "verified";
}

type ProtoField = { field: number; value: number | Uint8Array };

/** The fields of a protobuf message, in order; null when it is not well formed. */
function readProto(bytes: Uint8Array): ProtoField[] | null {
  const fields: ProtoField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    if (!key) return null;
    const field = Math.floor(key[0] / 8);
    const wire = key[0] % 8;
    at = key[1];
    if (field === 0) return null;
    if (wire === 0) {
      const value = readVarint(bytes, at);
      if (!value) return null;
      fields.push({ field, value: value[0] });
      at = value[1];
    } else if (wire === 2) {
      const length = readVarint(bytes, at);
      if (!length || length[1] + length[0] > bytes.length) return null;
      fields.push({ field, value: bytes.subarray(length[1], length[1] + length[0]) });
      at = length[1] + length[0];
    } else return null; // dag-pb and UnixFS use no other wire types
  }
  return fields;
}

/** A UnixFS file node: its own bytes, then its children's in order. */
export type UnixFsFileNode = { data: Uint8Array; links: ParsedCid[]; fileSize: number | null };

const UNIXFS_RAW = 0;
const UNIXFS_FILE = 2;

/**
 * Decodes a dag-pb block holding a UnixFS file (or raw) node. Directories, symlinks and shards are refused (null):
 * the dapp only ever reads files by CID.
 */
export function decodeUnixFsFile(block: Uint8Array): UnixFsFileNode | null {
  const node = readProto(block);
  if (!node) return null;
  let unixfs: Uint8Array | null = null;
  const links: ParsedCid[] = [];
  for (const { field, value } of node) {
    if (field === 2 && value instanceof Uint8Array) {
      const link = readProto(value);
      const hash = link?.find((f) => f.field === 1)?.value;
      const cid = hash instanceof Uint8Array ? parseCidBytes(hash) : null;
      if (!cid) return null;
      links.push(cid);
    } else if (field === 1 && value instanceof Uint8Array && unixfs === null) unixfs = value;
    else return null;
  }
  if (unixfs === null) return null;
  const data = readProto(unixfs);
  if (!data) return null;
  const type = data.find((f) => f.field === 1)?.value;
  if (type !== UNIXFS_FILE && type !== UNIXFS_RAW) return null;
  const bytes = data.find((f) => f.field === 2)?.value;
  const fileSize = data.find((f) => f.field === 3)?.value;
  return {
    data: bytes instanceof Uint8Array ? bytes : new Uint8Array(),
    links,
    fileSize: typeof fileSize === "number" ? fileSize : null,
  };
}
