import { x25519 } from "@noble/curves/ed25519.js";
import { expect } from "chai";
import { Wallet } from "ethers";
import {
  deriveShippingKey,
  MAX_SHIPPING_BLOB,
  openShipping,
  type ShippingAddress,
  ShippingCryptoError,
  sealShipping,
  shippingKeyMessage,
} from "../../frontend/src/client/shipping-crypto.ts";

const address: ShippingAddress = {
  name: "Ada Fan",
  line1: "1 Chapel Street",
  line2: "Flat 2",
  city: "Leeds",
  region: "West Yorkshire",
  postalCode: "LS1 1AA",
  country: "GB",
  email: "ada@example.org",
};

// A fixed Hardhat test key, so the derived key can be compared across runs.
const SELLER = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

describe("shipping-crypto", () => {
  describe("sealShipping / openShipping", () => {
    it("round-trips an address through the store's key", () => {
      const store = x25519.keygen();
      const blob = sealShipping(address, store.publicKey);
      expect(blob[0]).to.equal(1);
      expect(blob.length).to.be.at.most(MAX_SHIPPING_BLOB);
      expect(openShipping(blob, store.secretKey)).to.deep.equal(address);
    });

    it("keeps unicode and markup as plain text", () => {
      const store = x25519.keygen();
      const hostile = { ...address, name: "Zoë <script>alert(1)</script>", city: "Łódź" };
      expect(openShipping(sealShipping(hostile, store.publicKey), store.secretKey)).to.deep.equal(hostile);
    });

    it("uses a fresh ephemeral key and nonce for every seal", () => {
      const store = x25519.keygen();
      const a = sealShipping(address, store.publicKey);
      const b = sealShipping(address, store.publicKey);
      expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(false);
      expect(a.length).to.equal(b.length);
    });

    it("rejects a blob with any byte flipped", () => {
      const store = x25519.keygen();
      const blob = sealShipping(address, store.publicKey);
      for (const at of [1, 40, 60, blob.length - 1]) {
        const tampered = blob.slice();
        tampered[at] = (tampered[at] ?? 0) ^ 0x01;
        expect(() => openShipping(tampered, store.secretKey), `byte ${at}`).to.throw(ShippingCryptoError);
      }
    });

    it("rejects another store's key", () => {
      const store = x25519.keygen();
      const other = x25519.keygen();
      expect(() => openShipping(sealShipping(address, store.publicKey), other.secretKey)).to.throw(
        ShippingCryptoError,
        /not sealed to this key/,
      );
    });

    it("rejects an unknown version and truncated blobs", () => {
      const store = x25519.keygen();
      const blob = sealShipping(address, store.publicKey);
      const v2 = blob.slice();
      v2[0] = 2;
      expect(() => openShipping(v2, store.secretKey)).to.throw(ShippingCryptoError, /version 2/);
      expect(() => openShipping(blob.subarray(0, 60), store.secretKey)).to.throw(ShippingCryptoError);
    });

    it("refuses an address that would exceed the contract's 512-byte cap", () => {
      const store = x25519.keygen();
      expect(() => sealShipping({ ...address, line2: "x".repeat(400) }, store.publicKey)).to.throw(
        ShippingCryptoError,
        /too long/,
      );
    });

    it("refuses a store without a shipping key", () => {
      expect(() => sealShipping(address, new Uint8Array(32))).to.throw(ShippingCryptoError, /no shipping key/);
      expect(() => sealShipping(address, new Uint8Array(31))).to.throw(ShippingCryptoError, /32 bytes/);
    });
  });

  describe("deriveShippingKey", () => {
    it("signs the documented message text", () => {
      expect(shippingKeyMessage(SELLER.address.toLowerCase(), 31337n)).to.equal(
        `Merchstand shipping key v1\nAccount: ${SELLER.address}\nChain: 31337`,
      );
    });

    it("derives the same key pair from the same wallet every time", async () => {
      const message = shippingKeyMessage(SELLER.address, 31337);
      const first = deriveShippingKey(await SELLER.signMessage(message));
      const second = deriveShippingKey(await SELLER.signMessage(message));
      expect(Buffer.from(first.secretKey).toString("hex")).to.equal(Buffer.from(second.secretKey).toString("hex"));
      expect(Buffer.from(first.publicKey).toString("hex")).to.equal(
        Buffer.from(x25519.getPublicKey(first.secretKey)).toString("hex"),
      );
    });

    it("derives different keys on another chain or for another wallet", async () => {
      const here = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 31337)));
      const there = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 11155111)));
      const other = Wallet.createRandom();
      const theirs = deriveShippingKey(await other.signMessage(shippingKeyMessage(other.address, 31337)));
      const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
      expect(hex(here.publicKey)).to.not.equal(hex(there.publicKey));
      expect(hex(here.publicKey)).to.not.equal(hex(theirs.publicKey));
    });

    it("opens what a buyer sealed to the derived public key", async () => {
      const keys = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 31337)));
      expect(openShipping(sealShipping(address, keys.publicKey), keys.secretKey)).to.deep.equal(address);
    });

    it("rejects input that is not a 65-byte hex signature", () => {
      expect(() => deriveShippingKey("0x1234")).to.throw(ShippingCryptoError, /65-byte/);
      expect(() => deriveShippingKey("hello")).to.throw(ShippingCryptoError, /hex/);
    });
  });
});
