// Hex text and bytes, both ways, and the 32-byte words of log topics and JSON-RPC quantities.

export function toHex(bytes: Uint8Array): string {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Bytes of `0x`-prefixed (or bare) hex; null when it is not whole hex bytes. */
export function hexToBytes(hex: string): Uint8Array | null {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) return null;
  return Uint8Array.from({ length: body.length / 2 }, (_, i) => Number.parseInt(body.slice(2 * i, 2 * i + 2), 16));
}

/** A bytes32 value (left-padded) as its 32 bytes. */
export function bytes32ToBytes(hex: string): Uint8Array {
  return hexToBytes(hex.replace(/^0x/, "").padStart(64, "0").slice(0, 64)) ?? new Uint8Array(32);
}

export function utf8ToHex(text: string): string {
  return toHex(new TextEncoder().encode(text));
}

/** A JSON-RPC quantity (`0x` + hex, no leading zeros). */
export function toQuantity(value: bigint | number): string {
  return `0x${BigInt(value).toString(16)}`;
}

export function addressTopic(address: string): string {
  return `0x${address.toLowerCase().replace(/^0x/, "").padStart(64, "0")}`;
}

export function uintTopic(value: bigint): string {
  return `0x${value.toString(16).padStart(64, "0")}`;
}
