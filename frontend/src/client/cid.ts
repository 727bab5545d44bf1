// Just enough CID parsing to validate the CIDs that metadata names and to check fetched bytes against them.
// Decoding only; the hash is @noble/hashes' sha256.
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

function readVarint(bytes: Uint8Array, at: number): [number, number] | null {
  let value = 0;
  for (let shift = 0, i = at; i < bytes.length && shift < 28; shift += 7, i++) {
    const b = bytes[i] as number;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value, i + 1];
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
  let actual: Uint8Array;
  if (parsed.hashCode === HASH_SHA256) actual = sha256(bytes);
  else if (parsed.hashCode === HASH_IDENTITY) actual = bytes;
  else return "unverifiable";
  if (actual.length !== parsed.digest.length) return "mismatch";
  for (let i = 0; i < actual.length; i++) if (actual[i] !== parsed.digest[i]) return "mismatch";
  return "verified";
}
