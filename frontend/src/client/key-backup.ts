// A store's shipping key kept in an encrypted backup file (docs/FORMATS.md, "Shipping key backup file"): for
// wallets that don't sign deterministically (some hardware wallets, passkey signers), where a key derived from a
// signature would differ every time, and to give a store manager access to addresses without the owner's wallet
// (docs/SHIPPING-KEYS.md). passphrase → scrypt → XChaCha20-Poly1305 over the 32-byte X25519 secret key, the
// file's header bound as associated data. No DOM here, so Node tests import it.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { hexToBytes, toHex } from "./hex.ts";
import type { ShippingKeys } from "./shipping-keys.ts";

export const BACKUP_FORMAT = "merchstand-shipping-key";
export const BACKUP_VERSION = 1;

/** scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB, about a second in a browser), the OWASP-recommended minimum. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
/** The most a backup file may ask for (256 MiB): a hostile file can't make the browser allocate more. */
const MAX_LOG_N = 18;
const MIN_LOG_N = 14;
const MIN_PASSPHRASE = 10;
const MAX_FILE_BYTES = 4096;

export type KeyBackup = {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  chainId: number;
  /** The store the key is for (its published shipping key is `publicKey`). */
  storeId: string;
  publicKey: string;
  kdf: { name: "scrypt"; N: number; r: number; p: number; salt: string };
  cipher: { name: "xchacha20poly1305"; nonce: string; ciphertext: string };
  createdAt: string;
};

export class KeyBackupError extends Error {
  override name = "KeyBackupError";
}

const utf8 = new TextEncoder();

/** A fresh random X25519 key pair (not derived from any signature). */
export function randomShippingKey(): ShippingKeys {
  const { secretKey, publicKey } = x25519.keygen();
  return { secretKey, publicKey };
}

/** Why a passphrase is too weak, or null. */
export function passphraseProblem(passphrase: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE) return `Use a passphrase of at least ${MIN_PASSPHRASE} characters.`;
  return null;
}

/** The header fields the ciphertext is bound to: changing any of them makes the file fail to open. */
function associatedData(b: Pick<KeyBackup, "format" | "version" | "chainId" | "storeId" | "publicKey">): Uint8Array {
  return utf8.encode(JSON.stringify([b.format, b.version, b.chainId, b.storeId, b.publicKey.toLowerCase()]));
}

function passwordKey(passphrase: string, salt: Uint8Array, params: { N: number; r: number; p: number }) {
  return scryptAsync(utf8.encode(passphrase.normalize("NFKC")), salt, { ...params, dkLen: 32 });
}

/** Encrypts `keys.secretKey` under `passphrase`. `scrypt` is lowered only by tests. */
export async function createBackup(
  keys: ShippingKeys,
  passphrase: string,
  meta: { chainId: number; storeId: bigint },
  scrypt: { N: number; r: number; p: number } = DEFAULT_SCRYPT,
  now: Date = new Date(),
): Promise<KeyBackup> {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new KeyBackupError(problem);
  const salt = randomBytes(16);
  const nonce = randomBytes(24);
  const header = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    chainId: meta.chainId,
    storeId: meta.storeId.toString(),
    publicKey: toHex(keys.publicKey),
  } as const;
  const key = await passwordKey(passphrase, salt, scrypt);
  const ciphertext = xchacha20poly1305(key, nonce, associatedData(header)).encrypt(keys.secretKey);
  return {
    ...header,
    kdf: { name: "scrypt", ...scrypt, salt: toHex(salt) },
    cipher: { name: "xchacha20poly1305", nonce: toHex(nonce), ciphertext: toHex(ciphertext) },
    createdAt: now.toISOString(),
  };
}

/** The file's text: pretty JSON with a trailing newline. */
export function serializeBackup(backup: KeyBackup): string {
  return `${JSON.stringify(backup, null, 2)}\n`;
}

function bytes(value: unknown, length: number, field: string): Uint8Array {
  const out = typeof value === "string" ? hexToBytes(value) : null;
  if (!out || out.length !== length) throw new KeyBackupError(`This isn't a shipping key backup (${field}).`);
  return out;
}

/** Reads a backup file's text, checking every field (it is a file from anywhere). */
export function parseBackup(text: string): KeyBackup {
  if (text.length > MAX_FILE_BYTES) throw new KeyBackupError("This file is too large to be a shipping key backup.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyBackupError("This file isn't a shipping key backup (not JSON).");
  }
  const b = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (b.format !== BACKUP_FORMAT) throw new KeyBackupError("This file isn't a shipping key backup.");
  if (b.version !== BACKUP_VERSION) {
    throw new KeyBackupError(`This backup has version ${String(b.version)}; this app reads version ${BACKUP_VERSION}.`);
  }
  const kdf = (b.kdf ?? {}) as Record<string, unknown>;
  const cipher = (b.cipher ?? {}) as Record<string, unknown>;
  const N = kdf.N;
  const logN = typeof N === "number" ? Math.log2(N) : Number.NaN;
  if (kdf.name !== "scrypt" || !Number.isInteger(logN) || logN < MIN_LOG_N || logN > MAX_LOG_N) {
    throw new KeyBackupError("This backup's key derivation settings aren't supported.");
  }
  if (kdf.r !== 8 || kdf.p !== 1) throw new KeyBackupError("This backup's key derivation settings aren't supported.");
  if (cipher.name !== "xchacha20poly1305") throw new KeyBackupError("This backup's cipher isn't supported.");
  if (typeof b.chainId !== "number" || !Number.isSafeInteger(b.chainId) || b.chainId <= 0) {
    throw new KeyBackupError("This file isn't a shipping key backup (chainId).");
  }
  if (typeof b.storeId !== "string" || !/^\d{1,78}$/.test(b.storeId)) {
    throw new KeyBackupError("This file isn't a shipping key backup (storeId).");
  }
  bytes(b.publicKey, 32, "publicKey");
  bytes(kdf.salt, 16, "salt");
  bytes(cipher.nonce, 24, "nonce");
  bytes(cipher.ciphertext, 48, "ciphertext");
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    chainId: b.chainId,
    storeId: b.storeId,
    publicKey: String(b.publicKey),
    kdf: { name: "scrypt", N: N as number, r: 8, p: 1, salt: String(kdf.salt) },
    cipher: { name: "xchacha20poly1305", nonce: String(cipher.nonce), ciphertext: String(cipher.ciphertext) },
    createdAt: typeof b.createdAt === "string" ? b.createdAt.slice(0, 40) : "",
  };
}

/** Opens a backup with `passphrase`: the key pair, or a KeyBackupError a seller can read. */
export async function restoreBackup(backup: KeyBackup, passphrase: string): Promise<ShippingKeys> {
  const key = await passwordKey(passphrase, bytes(backup.kdf.salt, 16, "salt"), backup.kdf);
  let secretKey: Uint8Array;
  try {
    secretKey = xchacha20poly1305(key, bytes(backup.cipher.nonce, 24, "nonce"), associatedData(backup)).decrypt(
      bytes(backup.cipher.ciphertext, 48, "ciphertext"),
    );
  } catch {
    throw new KeyBackupError("Wrong passphrase, or the file was changed: the key didn't open.");
  }
  const publicKey = x25519.getPublicKey(secretKey);
  if (toHex(publicKey) !== backup.publicKey.toLowerCase()) {
    throw new KeyBackupError("The key in this backup doesn't match the public key it names.");
  }
  return { secretKey, publicKey };
}
