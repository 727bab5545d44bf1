// A small, independent CARv1 reader for the tests: the archives under test are written with ipfs-car's encoder,
// so reading them back with separate code (and re-hashing every block) checks the bytes, not the writer's word.
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";

function readVarint(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = offset; i < bytes.length; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  throw new Error("truncated varint");
}

// Just enough DAG-CBOR for a CAR header: maps, arrays, text, bytes, small ints and tag 42 (CID).
function decodeCbor(bytes: Uint8Array, offset: number): [unknown, number] {
  const head = bytes[offset]!;
  const major = head >> 5;
  const info = head & 0x1f;
  let pos = offset + 1;
  let arg: number;
  if (info < 24) arg = info;
  else if (info === 24) arg = bytes[pos++]!;
  else if (info === 25) {
    arg = (bytes[pos]! << 8) | bytes[pos + 1]!;
    pos += 2;
  } else if (info === 26) {
    arg = new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getUint32(0);
    pos += 4;
  } else throw new Error(`unsupported CBOR additional info ${info}`);
  switch (major) {
    case 0:
      return [arg, pos];
    case 2:
      return [bytes.subarray(pos, pos + arg), pos + arg];
    case 3:
      return [new TextDecoder().decode(bytes.subarray(pos, pos + arg)), pos + arg];
    case 4: {
      const out: unknown[] = [];
      for (let i = 0; i < arg; i++) {
        const [v, next] = decodeCbor(bytes, pos);
        out.push(v);
        pos = next;
      }
      return [out, pos];
    }
    case 5: {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < arg; i++) {
        const [k, afterKey] = decodeCbor(bytes, pos);
        const [v, afterValue] = decodeCbor(bytes, afterKey);
        out[String(k)] = v;
        pos = afterValue;
      }
      return [out, pos];
    }
    case 6: {
      const [inner, next] = decodeCbor(bytes, pos);
      if (arg !== 42 || !(inner instanceof Uint8Array) || inner[0] !== 0) throw new Error(`unexpected CBOR tag ${arg}`);
      return [CID.decode(inner.subarray(1)), next];
    }
    default:
      throw new Error(`unsupported CBOR major type ${major}`);
  }
}

export type ReadCar = { version: number; roots: CID[]; blocks: Map<string, Uint8Array> };

/** Parses a CARv1 and checks that every block's sha2-256 multihash matches its bytes. */
export async function readCar(bytes: Uint8Array): Promise<ReadCar> {
  const [headerLength, headerStart] = readVarint(bytes, 0);
  const [header] = decodeCbor(bytes.subarray(headerStart, headerStart + headerLength), 0);
  const { version, roots } = header as { version: number; roots: CID[] };
  const blocks = new Map<string, Uint8Array>();
  let pos = headerStart + headerLength;
  while (pos < bytes.length) {
    const [length, start] = readVarint(bytes, pos);
    const section = bytes.subarray(start, start + length);
    if (section.length !== length) throw new Error("truncated CAR section");
    const [cid, data] = CID.decodeFirst(section);
    if (cid.multihash.code !== sha256.code) throw new Error(`block ${cid} is not sha2-256`);
    const digest = await sha256.digest(data);
    if (Buffer.compare(Buffer.from(digest.digest), Buffer.from(cid.multihash.digest)) !== 0) {
      throw new Error(`block ${cid} does not hash to its CID`);
    }
    blocks.set(cid.toString(), data);
    pos = start + length;
  }
  return { version, roots, blocks };
}
