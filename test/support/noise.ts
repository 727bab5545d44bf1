// Shared by tests that need large deterministic payloads. No tests here.

/** Deterministic pseudo-random bytes (an LCG), so a large file has no repeated chunks that would hide chunking bugs. */
export function noise(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
