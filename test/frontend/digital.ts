// The client code of digital goods and of the new protocol's purchase shapes, without a chain: the buyer's delivery
// key, the delivery payload, download encryption, the store's sealed content key, ticket codes, the per-order items
// and the one `deliver` call, the metadata `download` entry, the packed line's terms version, and the split of a
// store's cart into a physical and a digital order.
import { x25519 } from "@noble/curves/ed25519.js";
import { expect } from "chai";
import { Interface, Wallet } from "ethers";
import { groupByStore } from "../../frontend/src/client/cart.ts";
import { buildCartOrders } from "../../frontend/src/client/checkout.ts";
import {
  type DeliveredItem,
  decryptFile,
  deliveryKeyMessage,
  deriveDeliveryKey,
  encryptFile,
  MAX_DELIVERY_PAYLOAD,
  newContentKey,
  openDelivery,
  openDownload,
  sealDelivery,
} from "../../frontend/src/client/delivery-crypto.ts";
import {
  DeliveryProblem,
  deliverTx,
  deliveryItems,
  openContentKey,
  prepareDownload,
  SEALED_CONTENT_KEY_BYTES,
  ticketCode,
} from "../../frontend/src/client/digital.ts";
import { toHex } from "../../frontend/src/client/hex.ts";
import { parseProductMetadata, productMetadata } from "../../frontend/src/client/metadata.ts";
import { isDigitalOrder, type OrderRecord } from "../../frontend/src/client/orders.ts";
import { packLine, TICKET_CATEGORY, ZERO_ADDRESS } from "../../frontend/src/client/protocol.ts";
import {
  deriveShippingKey,
  openShipping,
  ShippingCryptoError,
  shippingKeyMessage,
} from "../../frontend/src/client/shipping-crypto.ts";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";

// Fixed Hardhat test keys, so derived keys are the same on every run.
const FAN = new Wallet("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
const SELLER = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const ADDRESS = {
  name: "Ada",
  line1: "1 Lane",
  line2: "",
  city: "Leeds",
  region: "",
  postalCode: "LS1",
  country: "GB",
  email: "",
};

function record(lines: OrderRecord["order"]["lines"], shipping: string, id = 77n): OrderRecord {
  return {
    id,
    status: "Paid",
    shipping,
    tracking: null,
    delivery: null,
    refunded: 0n,
    timeline: [],
    order: {
      buyer: FAN.address,
      storeId: 1n,
      termsVersion: 1,
      feeBps: 100,
      currency: ZERO_ADDRESS,
      placedAt: 1n,
      shippedAt: 0n,
      disputedAt: 0n,
      amount: lines.reduce((s, l) => s + l.unitPrice * BigInt(l.quantity), 0n),
      shipsFrom: 0n,
      zone: 0,
      shipping: 0n,
      discount: 0n,
      lines,
    },
  };
}

describe("digital goods client", () => {
  describe("the buyer's delivery key", () => {
    it("signs the documented text and derives a key apart from the shipping key of the same wallet", async () => {
      expect(deliveryKeyMessage(FAN.address.toLowerCase(), 31337)).to.equal(
        `Merchstand delivery key v1\nAccount: ${FAN.address}\nChain: 31337`,
      );
      const a = deriveDeliveryKey(await FAN.signMessage(deliveryKeyMessage(FAN.address, 31337)));
      const b = deriveDeliveryKey(await FAN.signMessage(deliveryKeyMessage(FAN.address, 31337)));
      expect(toHex(a.publicKey)).to.equal(toHex(b.publicKey));
      expect(toHex(a.publicKey)).to.equal(toHex(x25519.getPublicKey(a.secretKey)));
      // Same signature, other derivation info: the two keys of one wallet never coincide.
      const signature = await FAN.signMessage(shippingKeyMessage(FAN.address, 31337));
      expect(toHex(deriveDeliveryKey(signature).publicKey)).to.not.equal(toHex(deriveShippingKey(signature).publicKey));
    });
  });

  describe("delivery payload", () => {
    const items: DeliveredItem[] = [
      { productId: "5", variant: 0, cid: "bafkreigh2akiscaildc", key: newContentKey(), ticket: "" },
      { productId: "6", variant: 1, cid: "", key: "", ticket: "ABCDEF0123456789" },
    ];

    it("opens only with the buyer's key, and any altered byte is refused", () => {
      const fan = x25519.keygen();
      const other = x25519.keygen();
      const payload = sealDelivery(items, fan.publicKey);
      expect(payload.length).to.be.at.most(MAX_DELIVERY_PAYLOAD);
      expect(openDelivery(payload, fan.secretKey)).to.deep.equal(items);
      expect(() => openDelivery(payload, other.secretKey)).to.throw(ShippingCryptoError);
      for (const at of [0, 1, 40, payload.length - 1]) {
        const tampered = Uint8Array.from(payload);
        tampered[at]! ^= 1;
        expect(() => openDelivery(tampered, fan.secretKey), `byte ${at}`).to.throw(ShippingCryptoError);
      }
      // A delivery payload is not a shipping address, even under the same key (the derivation info differs).
      expect(() => openShipping(payload, fan.secretKey)).to.throw(ShippingCryptoError);
    });

    it("refuses a payload over the contract's cap, and an order without a buyer key", () => {
      const many = Array.from({ length: 8 }, (_, i) => ({ ...items[0]!, productId: String(i) }));
      expect(() => sealDelivery(many, x25519.keygen().publicKey)).to.throw(ShippingCryptoError, /too large/);
      expect(() => sealDelivery(items, new Uint8Array(32))).to.throw(ShippingCryptoError, /no delivery key/);
    });

    it("refuses a sealed payload whose items are not in the documented form", () => {
      const fan = x25519.keygen();
      const bad = [{ ...items[0]!, key: "<script>" }];
      expect(() => openDelivery(sealDelivery(bad as never, fan.publicKey), fan.secretKey)).to.throw(
        ShippingCryptoError,
        /expected form/,
      );
    });
  });

  describe("downloads", () => {
    it("encrypts under a content key, decrypts byte-equal, and refuses another key or altered bytes", async () => {
      const file = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
      const key = newContentKey();
      const sealed = encryptFile(file, key);
      expect(sealed.length).to.equal(file.length + 24 + 16);
      expect(decryptFile(sealed, key)).to.deep.equal(file);
      expect(() => decryptFile(sealed, newContentKey())).to.throw(ShippingCryptoError);
      const altered = Uint8Array.from(sealed);
      altered[100]! ^= 1;
      expect(() => decryptFile(altered, key)).to.throw(ShippingCryptoError);
      const fetched: string[] = [];
      const bytes = await openDownload({ cid: "bafyfile", key }, async (cid) => {
        fetched.push(cid);
        return sealed;
      });
      expect(bytes).to.deep.equal(file);
      expect(fetched).to.deep.equal(["bafyfile"]);
    });

    it("pins only ciphertext, and keeps the content key sealed to the store's key in a valid metadata entry", async () => {
      const store = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 31337)));
      const file = new TextEncoder().encode("the album, track one");
      let pinned: Uint8Array = new Uint8Array();
      const entry = await prepareDownload(file, "album.flac", store.publicKey, async (ciphertext) => {
        pinned = ciphertext;
        return "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
      });
      expect(Buffer.from(pinned).includes(Buffer.from("track one"))).to.equal(false);
      expect(entry).to.include({ name: "album.flac", size: file.length });
      expect((entry.key.length - 2) / 2).to.equal(SEALED_CONTENT_KEY_BYTES);
      expect(decryptFile(pinned, openContentKey(entry.key, store.secretKey))).to.deep.equal(file);
      expect(() => openContentKey(entry.key, x25519.keygen().secretKey)).to.throw(ShippingCryptoError);

      const doc = productMetadata({ description: "LP", images: [], download: entry });
      const parsed = parseProductMetadata(new TextEncoder().encode(JSON.stringify(doc)));
      expect(parsed.ok && parsed.value.download).to.deep.equal(entry);
      for (const bad of [{ ...entry, cid: "nope" }, { ...entry, key: "0x00" }, { ...entry, size: -1 }, "x"]) {
        const broken = parseProductMetadata(new TextEncoder().encode(JSON.stringify({ ...doc, download: bad })));
        expect(broken.ok, JSON.stringify(bad)).to.equal(false);
      }
    });
  });

  describe("delivering from the dashboard", () => {
    const storeSecret = x25519.keygen().secretKey;
    const storePublic = x25519.getPublicKey(storeSecret);
    const fan = x25519.keygen();
    const download = {
      cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
      name: "album.flac",
      size: 10,
      key: "",
    };

    it("makes ticket codes only the store's key can make, one per unit", () => {
      const code = ticketCode(storeSecret, 7n, 3n, 1);
      expect(code).to.match(/^[0-9A-F]{16}$/);
      expect(ticketCode(storeSecret, 7n, 3n, 1)).to.equal(code);
      expect(ticketCode(storeSecret, 7n, 3n, 2)).to.not.equal(code);
      expect(ticketCode(x25519.keygen().secretKey, 7n, 3n, 1)).to.not.equal(code);
    });

    it("puts a code per ticket and the opened key per download in each order, and says what is missing", async () => {
      const sealed = (await prepareDownload(new Uint8Array(10), "album.flac", storePublic, async () => download.cid))
        .key;
      const products = new Map([
        [3n, { category: TICKET_CATEGORY, download: null }],
        [5n, { category: 1, download: { ...download, key: sealed } }],
        [9n, { category: 5, download: null }],
      ]);
      const r = record(
        [
          { productId: 3n, variant: 0, quantity: 2, unitPrice: 1n },
          { productId: 5n, variant: 0, quantity: 3, unitPrice: 1n },
        ],
        toHex(fan.publicKey),
      );
      const items = deliveryItems(r, products, storeSecret, (id) => `Item ${id}`);
      expect(items.map((i) => [i.productId, i.ticket !== "", i.cid])).to.deep.equal([
        ["3", true, ""],
        ["3", true, ""],
        ["5", false, download.cid],
      ]);
      expect(items[2]!.key).to.equal(openContentKey(sealed, storeSecret));
      expect(() =>
        deliveryItems(
          record([{ productId: 9n, variant: 0, quantity: 1, unitPrice: 1n }], r.shipping),
          products,
          storeSecret,
          (id) => `Item ${id}`,
        ),
      ).to.throw(DeliveryProblem, "Item 9 has no download yet");
      expect(() => deliveryItems(r, products, x25519.keygen().secretKey, (id) => `Item ${id}`)).to.throw(
        DeliveryProblem,
        /doesn't open with your wallet's key/,
      );

      // One deliver call for every order, each payload sealed to that order's buyer.
      const second = x25519.keygen();
      const other = record([{ productId: 3n, variant: 0, quantity: 1, unitPrice: 1n }], toHex(second.publicKey), 78n);
      const otherItems = deliveryItems(other, products, storeSecret, String);
      const tx = deliverTx([
        { record: r, items },
        { record: other, items: otherItems },
      ]);
      expect(tx.fn).to.equal("deliver");
      const data = new Interface(merchstandAbi).encodeFunctionData("deliver", tx.args as never);
      const [ids, orders, payloads] = new Interface(merchstandAbi).decodeFunctionData("deliver", data);
      expect(ids).to.deep.equal([77n, 78n]);
      expect(orders.length).to.equal(2);
      expect(openDelivery(Buffer.from(payloads[0].slice(2), "hex"), fan.secretKey)).to.deep.equal(items);
      expect(openDelivery(Buffer.from(payloads[1].slice(2), "hex"), second.secretKey)).to.deep.equal(otherItems);
      expect(() => deliverTx([{ record: record(r.order.lines, "0x1234"), items }])).to.throw(DeliveryProblem);
    });
  });

  describe("purchases under the new protocol", () => {
    it("packs the terms version into bits 200..231 of the one-line purchase", () => {
      const line = { productId: 0xabn, variant: 2, quantity: 3, maxUnitPrice: 5n };
      const packed = packLine(line, 0xdeadbeef);
      expect(packed >> 200n).to.equal(0xdeadbeefn);
      expect(packed & ((1n << 200n) - 1n)).to.equal(0xabn | (2n << 64n) | (3n << 72n) | (5n << 104n));
      expect(packed >> 232n).to.equal(0n);
      expect(() => packLine(line, 2 ** 32)).to.throw(RangeError);
    });

    it("sends a store's physical and digital lines as two orders, each with the terms version shown", () => {
      const base = { storeId: "4", unitPrice: "10", currency: ZERO_ADDRESS, variantLabel: "One", quantity: 1 };
      const groups = groupByStore([
        { ...base, productId: "1", variant: 0, productName: "Tee", digital: false },
        { ...base, productId: "2", variant: 0, productName: "Album", digital: true },
      ]);
      const store = x25519.keygen();
      const fan = x25519.keygen();
      const cart = buildCartOrders(
        groups,
        ADDRESS,
        new Map([["4", { shippingKey: toHex(store.publicKey), termsVersion: 3 }]]),
        fan.publicKey,
      );
      expect(cart.map((o) => [o.storeId, o.termsVersion, o.lines.map((l) => l.productId)])).to.deep.equal([
        [4n, 3, [1n]],
        [4n, 3, [2n]],
      ]);
      expect(openShipping(Buffer.from(cart[0]!.shipping.slice(2), "hex"), store.secretKey)).to.deep.equal(ADDRESS);
      expect(cart[1]!.shipping).to.equal(toHex(fan.publicKey));
      expect(isDigitalOrder({ shipping: cart[1]!.shipping })).to.equal(true);
      expect(isDigitalOrder({ shipping: cart[0]!.shipping })).to.equal(false);
      // Without the fan's delivery key a digital order can't be built: the page asks the wallet first.
      expect(() =>
        buildCartOrders(
          groups,
          ADDRESS,
          new Map([["4", { shippingKey: toHex(store.publicKey), termsVersion: 3 }]]),
          null,
        ),
      ).to.throw(/delivery-key/);
    });
  });
});
