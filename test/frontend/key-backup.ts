// The shipping key backup file (frontend/src/client/key-backup.ts) and the two-signature check of the store's key
// (frontend/src/client/shipping-keys.ts): round trip, wrong passphrase, a changed header, hostile files, and a
// wallet whose signatures vary.
import { expect } from "chai";
import { Wallet } from "ethers";
import { toHex } from "../../frontend/src/client/hex.ts";
import {
  createBackup,
  KeyBackupError,
  parseBackup,
  randomShippingKey,
  restoreBackup,
  serializeBackup,
} from "../../frontend/src/client/key-backup.ts";
import { openShipping, sealShipping } from "../../frontend/src/client/shipping-crypto.ts";
import { NondeterministicSignerError, ShippingKeyring } from "../../frontend/src/client/shipping-keys.ts";

// Low scrypt cost for speed; the format and checks are the same as the default's.
const FAST = { N: 2 ** 14, r: 8, p: 1 };
const PASS = "correct horse battery";
const META = { chainId: 31337, storeId: 3n };
const ADDRESS = {
  name: "Ada",
  line1: "1 Chapel St",
  line2: "",
  city: "Leeds",
  region: "",
  postalCode: "LS1",
  country: "GB",
  email: "ada@example.org",
};

describe("key-backup", () => {
  it("round-trips a random key through the file, and the key opens what was sealed to it", async () => {
    const keys = randomShippingKey();
    const text = serializeBackup(await createBackup(keys, PASS, META, FAST));
    const parsed = parseBackup(text);
    expect(parsed).to.include({ format: "merchstand-shipping-key", version: 1, chainId: 31337, storeId: "3" });
    expect(parsed.publicKey).to.equal(toHex(keys.publicKey));
    expect(text).to.not.contain(toHex(keys.secretKey).slice(2));
    const restored = await restoreBackup(parsed, PASS);
    expect(toHex(restored.secretKey)).to.equal(toHex(keys.secretKey));
    expect(openShipping(sealShipping(ADDRESS, keys.publicKey), restored.secretKey)).to.deep.equal(ADDRESS);
  });

  it("refuses a wrong passphrase with a sentence", async () => {
    const backup = await createBackup(randomShippingKey(), PASS, META, FAST);
    let error: unknown;
    try {
      await restoreBackup(backup, "correct horse battery!");
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(KeyBackupError);
    expect((error as Error).message).to.match(/Wrong passphrase/);
  });

  it("refuses a file whose header was changed (bound as associated data)", async () => {
    const backup = await createBackup(randomShippingKey(), PASS, META, FAST);
    const moved = parseBackup(JSON.stringify({ ...backup, storeId: "4" }));
    await expectRejected(restoreBackup(moved, PASS), /Wrong passphrase, or the file was changed/);
  });

  it("refuses weak passphrases, other formats and versions, and costs a hostile file could abuse", async () => {
    await expectRejected(createBackup(randomShippingKey(), "short", META, FAST), /at least 10/);
    const backup = await createBackup(randomShippingKey(), PASS, META, FAST);
    const bad = (over: object) => () => parseBackup(JSON.stringify({ ...backup, ...over }));
    expect(bad({ version: 2 })).to.throw(KeyBackupError, /version 2/);
    expect(bad({ format: "other" })).to.throw(KeyBackupError);
    expect(bad({ kdf: { ...backup.kdf, N: 2 ** 24 } })).to.throw(KeyBackupError, /settings/);
    expect(bad({ kdf: { ...backup.kdf, N: 3000 } })).to.throw(KeyBackupError, /settings/);
    expect(bad({ cipher: { ...backup.cipher, ciphertext: "0x00" } })).to.throw(KeyBackupError, /ciphertext/);
    expect(() => parseBackup("not json")).to.throw(KeyBackupError, /not JSON/);
    expect(() => parseBackup("x".repeat(5000))).to.throw(KeyBackupError, /too large/);
  });

  describe("ShippingKeyring with checkTwice", () => {
    const seller = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

    it("asks twice and derives the key when both signatures agree", async () => {
      const ring = new ShippingKeyring(undefined, undefined, { checkTwice: true });
      let asked = 0;
      const keys = await ring.unlock(seller.address, 31337, (m) => {
        asked++;
        return seller.signMessage(m);
      });
      expect(asked).to.equal(2);
      expect(keys.publicKey).to.have.length(32);
    });

    it("refuses a wallet whose two signatures differ, and asks again next time", async () => {
      const ring = new ShippingKeyring(undefined, undefined, { checkTwice: true });
      let n = 0;
      // A signer that randomises (as some hardware and passkey signers do): a different valid-looking signature each time.
      const varying = async () => toHex(Uint8Array.from({ length: 65 }, () => (n++ * 37) % 256));
      await expectRejected(
        ring.unlock(seller.address, 31337, varying),
        /two different ways/,
        NondeterministicSignerError,
      );
      expect(ring.has(seller.address, 31337)).to.equal(false);
    });

    it("uses a key installed from a backup without asking the wallet", async () => {
      const ring = new ShippingKeyring(undefined, undefined, { checkTwice: true });
      const keys = randomShippingKey();
      ring.install(seller.address, 31337, keys);
      const got = await ring.unlock(seller.address, 31337, () => Promise.reject(new Error("must not ask")));
      expect(got).to.equal(keys);
    });
  });
});

async function expectRejected(
  promise: Promise<unknown>,
  message: RegExp,
  type: new (...args: never[]) => Error = KeyBackupError,
) {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error).to.be.instanceOf(type);
  expect((error as Error).message).to.match(message);
}
