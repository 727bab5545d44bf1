// Seller client units with no chain: the label-printer CSV, picture checks and the upload request, the shipping key
// re-derived from a wallet signature (and kept per session), input checks, the arbiter's split, the verification
// queue, and the sentences staff see for reverts.
import { x25519 } from "@noble/curves/ed25519.js";
import { expect } from "chai";
import { Wallet } from "ethers";
import { merchstand } from "../../frontend/src/client/contract.ts";
import { csvCell, parseCsv, SHIPPING_CSV_HEADER, shippingCsv, toCsv } from "../../frontend/src/client/csv.ts";
import { toHex } from "../../frontend/src/client/hex.ts";
import { verificationQueue } from "../../frontend/src/client/history.ts";
import { productMetadata, storeMetadata } from "../../frontend/src/client/metadata.ts";
import { orderReference } from "../../frontend/src/client/order-ref.ts";
import { afterFee, escrowed, orderFilterOf, splitRuling } from "../../frontend/src/client/order-state.ts";
import type { OrderRecord } from "../../frontend/src/client/orders.ts";
import type { Line, Order } from "../../frontend/src/client/protocol.ts";
import { RpcError } from "../../frontend/src/client/rpc.ts";
import { explainSellerError } from "../../frontend/src/client/seller-errors.ts";
import {
  deriveShippingKey,
  type ShippingAddress,
  sealShipping,
  shippingKeyMessage,
} from "../../frontend/src/client/shipping-crypto.ts";
import {
  addressLines,
  keyMatchesStore,
  openOrderAddress,
  ShippingKeyring,
} from "../../frontend/src/client/shipping-keys.ts";
import {
  addFile,
  checkImageBytes,
  checkImageFile,
  MAX_UPLOAD_IMAGE_BYTES,
  UploadError,
  type UploadFetch,
  uploadImage,
  uploadJson,
} from "../../frontend/src/client/upload.ts";
import {
  checkEvidence,
  checkStoreForm,
  checkText,
  checkVariants,
  parseAmount,
  parseWindow,
} from "../../frontend/src/client/validation.ts";
import { encodePng } from "../../scripts/seed/png.ts";

const ETH = { address: "0x0000000000000000000000000000000000000000", symbol: "ETH", decimals: 18, permit: false };
const USD = { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", symbol: "mUSD", decimals: 6, permit: true };
const BOUNDS = {
  minShipWindow: 86_400,
  maxShipWindow: 60 * 86_400,
  minDeliveryWindow: 3 * 86_400,
  maxDeliveryWindow: 90 * 86_400,
  arbiterWindow: 30 * 86_400,
};
// A fixed Hardhat test key (account #1), so key derivation can be compared across runs.
const SELLER = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const ADDRESS: ShippingAddress = {
  name: '=HYPERLINK("http://evil.example","x")',
  line1: '12 "Owl" Lane, Flat 3',
  line2: "",
  city: "Leeds",
  region: "West Yorkshire",
  postalCode: "LS6 1AA",
  country: "United Kingdom",
  email: "@fan",
};
const PNG = encodePng(2, 2, new Uint8Array(12).fill(200));

function record(status: OrderRecord["status"], amount: bigint, extra: Partial<Order> = {}): OrderRecord {
  const line: Line = { productId: 1n, variant: 0, quantity: 1, unitPrice: amount };
  return {
    id: 7n,
    status,
    shipping: "0x",
    tracking: null,
    delivery: null,
    refunded: 0n,
    timeline: [],
    order: {
      buyer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
      storeId: 1n,
      termsVersion: 1,
      feeBps: 250,
      currency: ETH.address,
      placedAt: 1_700_000_000n,
      shippedAt: 0n,
      disputedAt: 0n,
      amount,
      shipsFrom: 0n,
      zone: 0,
      shipping: 0n,
      discount: 0n,
      lines: [line],
      ...extra,
    },
  };
}

/** A fake Kubo RPC that records what the dapp sent and answers like Kubo (NDJSON). */
function fakeKubo(answer: (bytes: Uint8Array) => { status: number; body: string }) {
  const calls: { url: string; field: string | null; name: string | null; type: string | null; bytes: Uint8Array }[] =
    [];
  const fetch: UploadFetch = async (url, init) => {
    const file = init.body.get("file");
    const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
    calls.push({
      url,
      field: file ? "file" : null,
      name: file instanceof File ? file.name : null,
      type: file instanceof Blob ? file.type : null,
      bytes,
    });
    const { status, body } = answer(bytes);
    return { ok: status >= 200 && status < 300, status, text: async () => body };
  };
  return { fetch, calls };
}

/** The CIDv1 (raw, sha256) of `bytes`, computed independently of the code under test. */
async function rawCid(bytes: Uint8Array): Promise<string> {
  const { CID } = await import("multiformats/cid");
  const { sha256 } = await import("multiformats/hashes/sha2");
  return CID.createV1(0x55, await sha256.digest(bytes)).toString();
}

describe("seller client units", () => {
  describe("csv", () => {
    it("quotes commas, quotes and line breaks as RFC 4180 says, with CRLF records", () => {
      const text = toCsv(["a", "b", "c"], [["x,y", 'say "hi"', "two\nlines"]]);
      expect(text).to.equal('a,b,c\r\n"x,y","say ""hi""","two\nlines"\r\n');
      expect(parseCsv(text)).to.deep.equal([
        ["a", "b", "c"],
        ["x,y", 'say "hi"', "two\nlines"],
      ]);
    });

    it("neutralises cells a spreadsheet would run as a formula", () => {
      for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1+1`)).to.match(/^"?'/);
      expect(csvCell("=SUM(A1:A9)")).to.equal("'=SUM(A1:A9)");
      expect(csvCell("-5")).to.equal("'-5");
      expect(csvCell("Leeds")).to.equal("Leeds");
      expect(csvCell("a=b")).to.equal("a=b");
      expect(csvCell(42n)).to.equal("42");
      expect(csvCell(null)).to.equal("");
    });

    it("refuses a row of the wrong width instead of shifting columns", () => {
      expect(() => toCsv(["a", "b"], [["only one"]])).to.throw("expected 2");
    });

    it("exports orders to ship with the decrypted address, neutralised and round-trippable", () => {
      const keys = x25519.keygen();
      const r = { ...record("Paid", 10n), shipping: toHex(sealShipping(ADDRESS, keys.publicKey)) };
      const csv = shippingCsv(
        [{ record: r, shipBy: 1_700_604_800n, address: openOrderAddress(r, keys.secretKey), items: "1 × Tee (M)" }],
        "en",
      );
      const rows = parseCsv(csv);
      expect(rows[0]).to.deep.equal([...SHIPPING_CSV_HEADER]);
      expect(rows[1]).to.deep.equal([
        "7",
        "2023-11-21 22:13",
        `'${ADDRESS.name}`,
        ADDRESS.line1,
        "",
        "Leeds",
        "West Yorkshire",
        "LS6 1AA",
        // An address sealed before the country list holds the name as typed: exported as its code, and the name.
        "GB",
        "United Kingdom",
        "'@fan",
        "1 × Tee (M)",
      ]);
    });

    it("says in the row when an address could not be opened, rather than leaving a blank label", () => {
      const r = { ...record("Paid", 10n), shipping: toHex(sealShipping(ADDRESS, x25519.keygen().publicKey)) };
      const rows = parseCsv(
        shippingCsv([{ record: r, shipBy: 0n, address: openOrderAddress(r, x25519.keygen().secretKey), items: "" }]),
      );
      expect(rows[1]?.[2]).to.match(/^\(This address can't be opened with your key/);
    });
  });

  describe("picture checks before upload", () => {
    it("accepts PNG, JPEG, WebP and GIF up to exactly 2 MB", () => {
      for (const type of ["image/png", "image/jpeg", "image/webp", "image/gif"]) {
        expect(checkImageFile({ name: "a", type, size: MAX_UPLOAD_IMAGE_BYTES })).to.equal(null);
      }
      expect(MAX_UPLOAD_IMAGE_BYTES).to.equal(2 * 1024 * 1024);
    });

    it("refuses one byte over, stating the size and the limit", () => {
      const message = checkImageFile({ name: "big.png", type: "image/png", size: MAX_UPLOAD_IMAGE_BYTES + 1 });
      expect(message).to.equal(
        '"big.png" is 2.1 MB. Pictures must be PNG, JPEG, WebP or GIF, at most 2 MB; please resize it.',
      );
    });

    it("refuses other types (SVG included), stating what is accepted", () => {
      expect(checkImageFile({ name: "logo.svg", type: "image/svg+xml", size: 10 })).to.equal(
        '"logo.svg" is a image/svg+xml file. Pictures must be PNG, JPEG, WebP or GIF, at most 2 MB.',
      );
      expect(checkImageFile({ name: "x", type: "", size: 10 })).to.contain("not a picture type we recognise");
      expect(checkImageFile({ name: "e.png", type: "image/png", size: 0 })).to.equal('"e.png" is empty.');
    });

    it("refuses a file whose bytes are not the type it claims", () => {
      expect(checkImageBytes({ name: "a.png", type: "image/png", size: PNG.length }, PNG)).to.equal(null);
      const fake = new TextEncoder().encode("<html>not a png</html>");
      expect(checkImageBytes({ name: "a.png", type: "image/png", size: fake.length }, fake)).to.contain(
        "says it is PNG but its contents are not",
      );
      expect(checkImageBytes({ name: "a.jpg", type: "image/jpeg", size: PNG.length }, PNG)).to.contain("JPEG");
    });
  });

  describe("upload to the Kubo RPC API", () => {
    const target = { kind: "kubo" as const, url: "http://127.0.0.1:8080/" };

    it("posts the picture as multipart field `file` to /api/v0/add with CIDv1 and pin, and returns the Hash", async () => {
      const cid = await rawCid(PNG);
      const kubo = fakeKubo(() => ({
        status: 200,
        body: `${JSON.stringify({ Name: "tee.png", Hash: cid, Size: "99" })}\n`,
      }));
      const file = new File([PNG as BlobPart], "my tee!.png", { type: "image/png" });
      const result = await uploadImage(target, file, { fetch: kubo.fetch });
      expect(result.cid).to.equal(cid);
      expect(kubo.calls).to.have.length(1);
      expect(kubo.calls[0]).to.deep.include({
        url: "http://127.0.0.1:8080/api/v0/add?cid-version=1&pin=true",
        field: "file",
        name: "my_tee_.png",
        type: "image/png",
      });
      expect(kubo.calls[0]?.bytes).to.deep.equal(PNG);
    });

    it("never calls the API for a file refused by the checks", async () => {
      const kubo = fakeKubo(() => ({ status: 200, body: "{}" }));
      const big = new File([new Uint8Array(MAX_UPLOAD_IMAGE_BYTES + 1)], "big.png", { type: "image/png" });
      await uploadImage(target, big, { fetch: kubo.fetch }).then(
        () => expect.fail("uploaded"),
        (error) => {
          expect(error).to.be.instanceOf(UploadError);
          expect((error as Error).message).to.contain("at most 2 MB");
        },
      );
      const renamed = new File([new TextEncoder().encode("hello")], "a.gif", { type: "image/gif" });
      await uploadImage(target, renamed, { fetch: kubo.fetch }).catch(() => {});
      expect(kubo.calls).to.have.length(0);
    });

    it("reads the file's Hash from Kubo's streamed lines and rejects a CID that names other bytes", async () => {
      const cid = await rawCid(PNG);
      const progress = `${JSON.stringify({ Name: "", Bytes: 10 })}\n${JSON.stringify({ Name: "x", Hash: cid })}\n`;
      expect(
        await addFile(target, PNG, "x", "image/png", {
          fetch: fakeKubo(() => ({ status: 200, body: progress })).fetch,
        }),
      ).to.equal(cid);
      const other = await rawCid(new Uint8Array([1, 2, 3]));
      const liar = fakeKubo(() => ({ status: 200, body: JSON.stringify({ Hash: other }) }));
      await addFile(target, PNG, "x", "image/png", { fetch: liar.fetch }).then(
        () => expect.fail("accepted a wrong CID"),
        (error) => expect((error as Error).message).to.contain("doesn't match the file"),
      );
    });

    it("turns HTTP errors and network failures into sentences", async () => {
      const cases: [number, string][] = [
        [413, "refused the file as too large"],
        [403, "doesn't accept uploads from this page's address"],
        [500, "HTTP 500"],
      ];
      for (const [status, text] of cases) {
        await addFile(target, PNG, "x", "image/png", { fetch: fakeKubo(() => ({ status, body: "no" })).fetch }).then(
          () => expect.fail("no error"),
          (error) => expect((error as Error).message).to.contain(text),
        );
      }
      const down: UploadFetch = async () => {
        throw new TypeError("Failed to fetch");
      };
      await addFile(target, PNG, "x", "image/png", { fetch: down }).then(
        () => expect.fail("no error"),
        (error) =>
          expect((error as Error).message).to.equal(
            "Can't reach the IPFS upload service right now. Check your connection and try again.",
          ),
      );
      const garbage = fakeKubo(() => ({ status: 200, body: "<html>" }));
      await addFile(target, PNG, "x", "image/png", { fetch: garbage.fetch }).then(
        () => expect.fail("no error"),
        (error) => expect((error as Error).message).to.contain("didn't answer with a CID"),
      );
    });

    it("uploads metadata JSON and refuses more than 64 KiB before sending", async () => {
      const doc = productMetadata({ description: "Tee", images: [] });
      let sent = "";
      const kubo = fakeKubo((bytes) => {
        sent = new TextDecoder().decode(bytes);
        return {
          status: 200,
          body: JSON.stringify({ Hash: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy" }),
        };
      });
      await uploadJson(target, doc, { fetch: kubo.fetch }).catch(() => {});
      expect(JSON.parse(sent)).to.deep.equal({ schema: "merchstand/product@1", description: "Tee", images: [] });
      const huge = { schema: "merchstand/product@1", description: "x".repeat(70_000) };
      const before = kubo.calls.length;
      await uploadJson(target, huge, { fetch: kubo.fetch }).then(
        () => expect.fail("uploaded"),
        (error) => expect((error as Error).message).to.contain("at most 64 KB"),
      );
      expect(kubo.calls.length).to.equal(before);
    });
  });

  describe("shipping key from a wallet signature", () => {
    it("derives the FORMATS.md key from personal_sign, once per session, and opens addresses sealed to it", async () => {
      const ring = new ShippingKeyring();
      let signatures = 0;
      const sign = async (message: string) => {
        signatures++;
        return SELLER.signMessage(message);
      };
      const keys = await ring.unlock(SELLER.address, 31337, sign);
      const again = await ring.unlock(SELLER.address.toLowerCase(), 31337, sign);
      expect(signatures).to.equal(1);
      expect(again).to.equal(keys);
      // Same wallet, same key: what a second device derives from a fresh signature.
      const elsewhere = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 31337)));
      expect(toHex(elsewhere.publicKey)).to.equal(toHex(keys.publicKey));
      expect(keyMatchesStore(keys.publicKey, toHex(keys.publicKey))).to.equal(true);
      const sealed = { shipping: toHex(sealShipping(ADDRESS, keys.publicKey)) };
      expect(openOrderAddress(sealed, keys.secretKey)).to.deep.equal({ ok: true, address: ADDRESS });
      // Another chain is another key, so a key leaked on a testnet says nothing about mainnet orders.
      const other = await ring.unlock(SELLER.address, 1, sign);
      expect(signatures).to.equal(2);
      expect(keyMatchesStore(other.publicKey, toHex(keys.publicKey))).to.equal(false);
    });

    it("forgets a refused signature, so the next click asks again", async () => {
      const ring = new ShippingKeyring();
      const refuse = async () => {
        throw new RpcError(4001, "User rejected");
      };
      await ring.unlock(SELLER.address, 31337, refuse).catch(() => {});
      expect(ring.has(SELLER.address, 31337)).to.equal(false);
      await ring.unlock(SELLER.address, 31337, (m) => SELLER.signMessage(m));
      expect(ring.has(SELLER.address, 31337)).to.equal(true);
      ring.forget();
      expect(ring.has(SELLER.address, 31337)).to.equal(false);
    });

    it("says why an address won't open instead of throwing", () => {
      const sealed = { shipping: toHex(sealShipping(ADDRESS, x25519.keygen().publicKey)) };
      const opened = openOrderAddress(sealed, x25519.keygen().secretKey);
      expect(opened.ok).to.equal(false);
      expect(openOrderAddress({ shipping: "0x" }, x25519.keygen().secretKey)).to.deep.equal({
        ok: false,
        reason: "Digital order: no address.",
      });
      expect(openOrderAddress({ shipping: "0x01zz" }, x25519.keygen().secretKey).ok).to.equal(false);
      expect(addressLines(ADDRESS)).to.deep.equal([
        ADDRESS.name,
        ADDRESS.line1,
        "Leeds, West Yorkshire",
        "LS6 1AA",
        "United Kingdom",
      ]);
    });
  });

  describe("input checks", () => {
    it("counts bytes as the contract does", () => {
      expect(checkText("  ok  ", "The name", 1, 64)).to.deep.equal({ ok: true, value: "ok" });
      expect(checkText("", "The name", 1, 64)).to.deep.include({ ok: false, message: "The name can't be empty." });
      expect(checkText("é".repeat(33), "The label", 1, 64)).to.deep.include({
        ok: false,
        message: "The label is too long: 66 bytes, at most 64.",
      });
    });

    it("parses prices in the currency's decimals without float rounding", () => {
      expect(parseAmount("0.1", ETH, "Price")).to.deep.equal({ ok: true, value: 100_000_000_000_000_000n });
      expect(parseAmount("25.50", USD, "Price")).to.deep.equal({ ok: true, value: 25_500_000n });
      expect(parseAmount("0.0000001", USD, "Price")).to.deep.include({ ok: false });
      expect(parseAmount("0", ETH, "Price")).to.deep.include({ message: "Price must be more than zero." });
      expect(parseAmount("0", ETH, "Refund", { allowZero: true })).to.deep.equal({ ok: true, value: 0n });
      expect(parseAmount("1e3", ETH, "Price")).to.deep.include({ ok: false });
      expect(parseAmount("80000000000", ETH, "Price")).to.deep.include({ ok: false });
    });

    it("keeps windows within the deployed bounds and says them in days", () => {
      expect(parseWindow("7", "Ship", BOUNDS.minShipWindow, BOUNDS.maxShipWindow)).to.deep.equal({
        ok: true,
        value: 604_800,
      });
      const tooLong = parseWindow("61", "The time to ship", BOUNDS.minShipWindow, BOUNDS.maxShipWindow);
      expect(tooLong).to.deep.include({ ok: false });
      expect(tooLong.ok ? "" : tooLong.message).to.contain("between 1 and 60 days");
      expect(parseWindow("0.5", "Ship", BOUNDS.minShipWindow, BOUNDS.maxShipWindow).ok).to.equal(false);
    });

    it("checks a whole store form, naming the first field that is wrong", () => {
      const form = {
        name: "Night Shift",
        metadataCid: "",
        payout: SELLER.address.toLowerCase(),
        currency: ETH.address,
        arbiter: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        shipDays: "7",
        deliveryDays: "14",
      };
      const ok = checkStoreForm(form, BOUNDS, [ETH, USD]);
      expect(ok).to.deep.equal({
        ok: true,
        value: {
          name: "Night Shift",
          metadataCid: "",
          payout: SELLER.address,
          currency: ETH.address,
          terms: { arbiter: form.arbiter, shipWindow: 7 * 86_400, deliveryWindow: 14 * 86_400 },
        },
      });
      expect(
        checkStoreForm({ ...form, arbiter: "0x0000000000000000000000000000000000000000" }, BOUNDS, [ETH]),
      ).to.deep.include({
        field: "arbiter",
      });
      expect(checkStoreForm({ ...form, deliveryDays: "2" }, BOUNDS, [ETH])).to.deep.include({ field: "delivery" });
      expect(checkStoreForm({ ...form, currency: USD.address }, BOUNDS, [ETH])).to.deep.include({ field: "currency" });
      expect(checkStoreForm({ ...form, metadataCid: "not-a-cid" }, BOUNDS, [ETH])).to.deep.include({
        field: "metadata",
      });
    });

    it("checks variants: labels unique, prices above zero, whole-number stock", () => {
      expect(checkVariants([{ label: "M", price: "0.02", stock: "5" }], ETH)).to.deep.equal({
        ok: true,
        value: [{ label: "M", price: 20_000_000_000_000_000n, stock: 5 }],
      });
      expect(checkVariants([], ETH).ok).to.equal(false);
      const dup = checkVariants(
        [
          { label: "M", price: "1", stock: "1" },
          { label: "m", price: "1", stock: "1" },
        ],
        ETH,
      );
      expect(dup).to.deep.include({ field: "variant-1-label" });
      expect(checkVariants([{ label: "M", price: "0", stock: "1" }], ETH)).to.deep.include({
        field: "variant-0-price",
      });
      expect(checkVariants([{ label: "M", price: "1", stock: "2.5" }], ETH)).to.deep.include({
        field: "variant-0-stock",
      });
    });

    it("builds metadata that the storefront's validator accepts, and refuses what it would reject", () => {
      expect(storeMetadata({ bio: " hi ", logo: null })).to.deep.equal({ schema: "merchstand/store@1", bio: "hi" });
      expect(() => productMetadata({ description: "x", images: ["not a cid"] })).to.throw("invalid");
      expect(() => productMetadata({ description: "x".repeat(5_001), images: [] })).to.throw("invalid");
    });

    it("accepts https links and IPFS CIDs as verification evidence, nothing else", () => {
      expect(checkEvidence("https://band.example/merch").ok).to.equal(true);
      expect(checkEvidence("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi").ok).to.equal(true);
      expect(checkEvidence("ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/proof.txt").ok).to.equal(
        true,
      );
      for (const bad of [
        "http://band.example",
        "https://localhost/merch",
        "https://band example.com",
        "javascript:alert(1)",
        "trust me",
        "",
        `https://x.example/${"a".repeat(200)}`,
      ]) {
        expect(checkEvidence(bad).ok, bad).to.equal(false);
      }
    });
  });

  describe("orders and money", () => {
    it("files orders under the dashboard's filters", () => {
      expect(
        ["Paid", "Shipped", "Disputed", "Completed", "Resolved", "Refunded", "Cancelled"].map((s) =>
          orderFilterOf(s as never),
        ),
      ).to.deep.equal(["to-ship", "shipped", "disputed", "completed", "completed", "closed", "closed"]);
    });

    it("sums what is still escrowed in open orders, per currency", () => {
      const held = escrowed([
        record("Paid", 10n),
        record("Shipped", 20n),
        record("Disputed", 5n),
        record("Completed", 1000n),
        record("Refunded", 1000n),
        record("Paid", 7n, { currency: USD.address }),
      ]);
      expect(held.get(ETH.address)).to.deep.equal({ amount: 35n, orders: 3 });
      expect(held.get(USD.address.toLowerCase())).to.deep.equal({ amount: 7n, orders: 1 });
    });

    it("rounds the fee down like the contract, and splits a ruling without losing a wei", () => {
      expect(afterFee(10_000_000_000_000_000n, 250)).to.deep.equal({
        toStore: 9_750_000_000_000_000n,
        fee: 250_000_000_000_000n,
      });
      expect(afterFee(399n, 250)).to.deep.equal({ toStore: 390n, fee: 9n });
      expect(splitRuling(20_000_000_000_000_000n, 50)).to.deep.equal({
        toBuyer: 10_000_000_000_000_000n,
        toStore: 10_000_000_000_000_000n,
      });
      expect(splitRuling(3n, 50)).to.deep.equal({ toBuyer: 1n, toStore: 2n });
      expect(splitRuling(100n, 150)).to.deep.equal({ toBuyer: 100n, toStore: 0n });
      expect(splitRuling(100n, -5)).to.deep.equal({ toBuyer: 0n, toStore: 100n });
    });

    it("keeps one queue entry per store, pending until a verifier decides", () => {
      const queue = verificationQueue([
        { kind: "requested", storeId: 2n, evidence: "https://a.example", blockNumber: 10 },
        { kind: "requested", storeId: 3n, evidence: "https://b.example", blockNumber: 11 },
        { kind: "attested", storeId: 3n, evidence: "https://b.example", by: "0x1", blockNumber: 12 },
        { kind: "requested", storeId: 2n, evidence: "https://a2.example", blockNumber: 13 },
        { kind: "attested", storeId: 4n, evidence: "https://c.example", by: "0x1", blockNumber: 14 },
      ]);
      expect(queue.map((q) => [q.storeId, q.pending, q.requests, q.evidence])).to.deep.equal([
        [2n, true, 2, "https://a2.example"],
        [3n, false, 1, "https://b.example"],
      ]);
    });
  });

  describe("error sentences for staff", () => {
    const revert = (name: string, args: unknown[]) => ({ code: 3, data: merchstand.encodeErrorResult(name, args) });
    const zero = "0x0000000000000000000000000000000000000001";

    it("explains role, bound and amount reverts in words", () => {
      expect(explainSellerError(revert("NotStoreStaff", [1, zero])).message).to.equal(
        "Only the store's owner or one of its managers can do that. Is the right account connected?",
      );
      expect(explainSellerError(revert("NotArbiter", [4, zero])).message).to.contain("Only the arbiter named");
      expect(explainSellerError(revert("InvalidAmount", [4, 30n, 20n]), { currency: ETH }).message).to.equal(
        `That is more than the 0.00000000000000002 ETH still held in escrow for order ${orderReference(4n)}.`,
      );
      expect(explainSellerError(revert("InvalidWindow", [100, 86_400, 5_184_000])).message).to.contain(
        "between 1 and 60 days",
      );
      expect(
        explainSellerError(revert("AccessControlUnauthorizedAccount", [zero, `0x${"00".repeat(32)}`])).message,
      ).to.contain("verifier");
      expect(explainSellerError(revert("OrderMismatch", [4])).kind).to.equal("stale-order");
    });

    it("falls back to the fan sentences for everything else", () => {
      expect(explainSellerError(new RpcError(4001, "User rejected")).message).to.equal(
        "You cancelled the request in your wallet. Nothing was charged.",
      );
    });
  });
});
