import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import {
  BUYER_KEY,
  bytesOf,
  CID,
  type Fx,
  listProduct,
  load,
  packLine,
  productInput,
  productTuple,
  SHIPPING,
  variant,
  variantTuple,
} from "./support/helpers.ts";

const ETH = 10n ** 18n;

describe("Catalog", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  describe("listProduct", () => {
    it("lists a product with its variants and emits ProductListed", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const product = productInput({ name: "Hoodie", category: 0, maxPerBuyer: 3 });
      const variants = [variant("S", ETH / 20n, 5), variant("Black / XL", ETH / 10n, 0)];
      const [, total] = await merchstand.getProducts(0, 0);
      const id = total + 1n;
      const before = (await merchstand.getStore(ethStoreId)).productCount;
      await expect(merchstand.connect(seller).listProduct(ethStoreId, product, variants))
        .to.emit(merchstand, "ProductListed")
        .withArgs(id, ethStoreId, productTuple(product), variants.map(variantTuple));

      const p = await merchstand.getProduct(id);
      expect(p.id).to.equal(id);
      expect(p.storeId).to.equal(ethStoreId);
      expect(p.category).to.equal(0);
      expect(p.active).to.equal(true);
      expect(p.digital).to.equal(false);
      expect(p.maxPerBuyer).to.equal(3);
      expect(p.ratingCount).to.equal(0);
      expect(p.ratingSum).to.equal(0);
      expect(p.name).to.equal("Hoodie");
      expect(p.metadataCid).to.equal(CID);
      expect(p.variants.length).to.equal(2);
      expect(p.variants[1]?.label).to.equal("Black / XL");
      expect(p.variants[1]?.price).to.equal(ETH / 10n);
      expect(p.variants[1]?.stock).to.equal(0);
      expect(p.variants[1]?.sold).to.equal(0);
      expect(p.variants[1]?.active).to.equal(true);
      expect((await merchstand.getStore(ethStoreId)).productCount).to.equal(before + 1n);
    });

    it("returns the new product id", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const [, total] = await merchstand.getProducts(0, 0);
      expect(
        await merchstand
          .connect(seller)
          .listProduct.staticCall(ethStoreId, productInput(), [variant("One size", 1n, 1)]),
      ).to.equal(total + 1n);
    });

    it("lets a manager list", async () => {
      const { merchstand, manager, ethStoreId } = fx;
      await expect(merchstand.connect(manager).listProduct(ethStoreId, productInput(), [variant("M", 1n, 1)])).to.emit(
        merchstand,
        "ProductListed",
      );
    });

    it("accepts exactly MAX_VARIANTS variants", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const max = await merchstand.MAX_VARIANTS();
      const variants = Array.from({ length: Number(max) }, (_, i) => variant(`V${i}`, 1n, 1));
      const id = await listProduct(fx, seller, ethStoreId, productInput(), variants);
      expect((await merchstand.getProduct(id)).variants.length).to.equal(max);
    });

    describe("when the caller is not store staff", () => {
      it("reverts with NotStoreStaff", async () => {
        const { merchstand, other, ethStoreId } = fx;
        await expect(merchstand.connect(other).listProduct(ethStoreId, productInput(), [variant("M", 1n, 1)]))
          .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
          .withArgs(ethStoreId, other.address);
      });
    });

    describe("when the store does not exist", () => {
      it("reverts with StoreNotFound, not a misleading NotStoreStaff", async () => {
        const { merchstand, seller } = fx;
        await expect(merchstand.connect(seller).listProduct(999, productInput(), [variant("M", 1n, 1)]))
          .to.be.revertedWithCustomError(merchstand, "StoreNotFound")
          .withArgs(999);
      });
    });

    describe("when the store is closed", () => {
      it("reverts with StoreIsClosed", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        await merchstand.connect(seller).closeStore(ethStoreId);
        await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput(), [variant("M", 1n, 1)]))
          .to.be.revertedWithCustomError(merchstand, "StoreIsClosed")
          .withArgs(ethStoreId);
      });
    });

    describe("when the protocol is paused", () => {
      it("reverts with EnforcedPause", async () => {
        const { merchstand, seller, admin, ethStoreId } = fx;
        await merchstand.connect(admin).pause();
        await expect(
          merchstand.connect(seller).listProduct(ethStoreId, productInput(), [variant("M", 1n, 1)]),
        ).to.be.revertedWithCustomError(merchstand, "EnforcedPause");
      });
    });

    describe("when the name is empty or over 64 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        const v = [variant("M", 1n, 1)];
        await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput({ name: "" }), v))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, 64);
        await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput({ name: bytesOf(65) }), v))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(65, 64);
      });
    });

    describe("when the metadata CID is over 100 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        await expect(
          merchstand
            .connect(seller)
            .listProduct(ethStoreId, productInput({ metadataCid: bytesOf(101) }), [variant("M", 1n, 1)]),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(101, 100);
      });
    });

    describe("when the category is not defined", () => {
      it("reverts with InvalidCategory; 6 (other) is the last valid one", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        await expect(
          merchstand.connect(seller).listProduct(ethStoreId, productInput({ category: 7 }), [variant("M", 1n, 1)]),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidCategory")
          .withArgs(7);
        const id = await listProduct(fx, seller, ethStoreId, productInput({ category: 6 }), [variant("M", 1n, 1)]);
        expect((await merchstand.getProduct(id)).category).to.equal(6);
      });
    });

    describe("when there are no variants or more than MAX_VARIANTS", () => {
      it("reverts with InvalidVariantCount", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        const max = await merchstand.MAX_VARIANTS();
        await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput(), []))
          .to.be.revertedWithCustomError(merchstand, "InvalidVariantCount")
          .withArgs(0, max);
        const tooMany = Array.from({ length: Number(max) + 1 }, (_, i) => variant(`V${i}`, 1n, 1));
        await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput(), tooMany))
          .to.be.revertedWithCustomError(merchstand, "InvalidVariantCount")
          .withArgs(max + 1n, max);
      });
    });

    describe("when a variant has a zero price", () => {
      it("reverts with ZeroPrice", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        await expect(
          merchstand
            .connect(seller)
            .listProduct(ethStoreId, productInput(), [variant("S", 1n, 1), variant("M", 0n, 1)]),
        ).to.be.revertedWithCustomError(merchstand, "ZeroPrice");
      });
    });

    describe("when a variant label is empty or over 32 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput(), [variant("", 1n, 1)]))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, 32);
        await expect(merchstand.connect(seller).listProduct(ethStoreId, productInput(), [variant(bytesOf(33), 1n, 1)]))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(33, 32);
      });
    });
  });

  describe("updateProduct", () => {
    it("changes name, metadata and category and emits ProductUpdated", async () => {
      const { merchstand, manager, shirtId } = fx;
      await expect(merchstand.connect(manager).updateProduct(shirtId, "Tour Tee 2026", "bafyother", 4))
        .to.emit(merchstand, "ProductUpdated")
        .withArgs(shirtId, "Tour Tee 2026", "bafyother", 4);
      const p = await merchstand.getProduct(shirtId);
      expect(p.name).to.equal("Tour Tee 2026");
      expect(p.metadataCid).to.equal("bafyother");
      expect(p.category).to.equal(4);
    });

    it("validates like listProduct", async () => {
      const { merchstand, seller, shirtId } = fx;
      await expect(merchstand.connect(seller).updateProduct(shirtId, "", CID, 0))
        .to.be.revertedWithCustomError(merchstand, "InvalidLength")
        .withArgs(0, 64);
      await expect(merchstand.connect(seller).updateProduct(shirtId, "x", bytesOf(101), 0))
        .to.be.revertedWithCustomError(merchstand, "InvalidLength")
        .withArgs(101, 100);
      await expect(merchstand.connect(seller).updateProduct(shirtId, "x", CID, 7))
        .to.be.revertedWithCustomError(merchstand, "InvalidCategory")
        .withArgs(7);
    });

    it("is staff only, per store", async () => {
      const { merchstand, other, seller, shirtId, ethStoreId, usdStoreId, mugId } = fx;
      await expect(merchstand.connect(other).updateProduct(shirtId, "x", CID, 0))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
      // Staff of one store is nobody in another.
      await merchstand.connect(seller).setStoreManager(ethStoreId, other.address, true);
      await expect(merchstand.connect(other).updateProduct(mugId, "x", CID, 0))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(usdStoreId, other.address);
    });
  });

  describe("setProductActive", () => {
    it("deactivates and reactivates with ProductActiveSet; an inactive product is NotForSale", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      await expect(merchstand.connect(seller).setProductActive(shirtId, false))
        .to.emit(merchstand, "ProductActiveSet")
        .withArgs(shirtId, false);
      expect((await merchstand.getProduct(shirtId)).active).to.equal(false);
      const price = (await merchstand.getProduct(shirtId)).variants[0]?.price ?? 0n;
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), SHIPPING, { value: price }))
        .to.be.revertedWithCustomError(merchstand, "NotForSale")
        .withArgs(shirtId, 0);
      await expect(merchstand.connect(seller).setProductActive(shirtId, true))
        .to.emit(merchstand, "ProductActiveSet")
        .withArgs(shirtId, true);
      await expect(
        merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), SHIPPING, { value: price }),
      ).to.emit(merchstand, "OrderPlaced");
    });

    it("is staff only", async () => {
      const { merchstand, other, shirtId, ethStoreId } = fx;
      await expect(merchstand.connect(other).setProductActive(shirtId, false))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
    });
  });

  describe("setProductLimit", () => {
    it("sets the per-buyer limit and emits ProductLimitSet", async () => {
      const { merchstand, seller, shirtId } = fx;
      await expect(merchstand.connect(seller).setProductLimit(shirtId, 2))
        .to.emit(merchstand, "ProductLimitSet")
        .withArgs(shirtId, 2);
      expect((await merchstand.getProduct(shirtId)).maxPerBuyer).to.equal(2);
    });

    it("is staff only", async () => {
      const { merchstand, other, shirtId, ethStoreId } = fx;
      await expect(merchstand.connect(other).setProductLimit(shirtId, 2))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
    });
  });

  describe("addVariant", () => {
    it("appends a variant at the next index and emits VariantAdded", async () => {
      const { merchstand, seller, shirtId } = fx;
      const before = (await merchstand.getProduct(shirtId)).variants.length;
      const input = variant("XL", ETH / 40n, 7);
      await expect(merchstand.connect(seller).addVariant(shirtId, input))
        .to.emit(merchstand, "VariantAdded")
        .withArgs(shirtId, before, variantTuple(input));
      const v = (await merchstand.getProduct(shirtId)).variants[before];
      expect(v?.label).to.equal("XL");
      expect(v?.price).to.equal(ETH / 40n);
      expect(v?.stock).to.equal(7);
      expect(v?.active).to.equal(true);
    });

    it("inherits the product's state: not for sale while the product is inactive, digital if it is", async () => {
      const { merchstand, seller, buyer, shirtId, ebookId, ethStoreId } = fx;
      await merchstand.connect(seller).setProductActive(shirtId, false);
      await merchstand.connect(seller).addVariant(shirtId, variant("XL", 7n, 3));
      const xl = (await merchstand.getProduct(shirtId)).variants.length - 1;
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, xl, 1, 7n), SHIPPING, { value: 7n }))
        .to.be.revertedWithCustomError(merchstand, "NotForSale")
        .withArgs(shirtId, xl);
      await merchstand.connect(seller).setProductActive(shirtId, true);
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, xl, 1, 7n), SHIPPING, { value: 7n })).to.emit(
        merchstand,
        "OrderPlaced",
      );

      await merchstand.connect(seller).addVariant(ebookId, variant("EPUB", 9n, 3));
      const epub = (await merchstand.getProduct(ebookId)).variants.length - 1;
      // Digital: a sealed address is refused, the buyer's 32-byte key is what it takes.
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(ebookId, epub, 1, 9n), SHIPPING, { value: 9n }))
        .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
        .withArgs(ethStoreId, 200, 32);
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(ebookId, epub, 1, 9n), BUYER_KEY, { value: 9n }))
        .to.emit(merchstand, "OrderPlaced")
        // The new variant's first order: id productId << 40 | variant << 32 | 0 units sold before it.
        .withArgs((ebookId << 40n) | (BigInt(epub) << 32n), buyer.address, ethStoreId, anyValue, anyValue, BUYER_KEY);
    });

    describe("when the product already has MAX_VARIANTS variants", () => {
      it("reverts with InvalidVariantCount", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        const max = await merchstand.MAX_VARIANTS();
        const variants = Array.from({ length: Number(max) }, (_, i) => variant(`V${i}`, 1n, 1));
        const id = await listProduct(fx, seller, ethStoreId, productInput(), variants);
        await expect(merchstand.connect(seller).addVariant(id, variant("one more", 1n, 1)))
          .to.be.revertedWithCustomError(merchstand, "InvalidVariantCount")
          .withArgs(max + 1n, max);
      });
    });

    it("rejects a zero price and a bad label", async () => {
      const { merchstand, seller, shirtId } = fx;
      await expect(merchstand.connect(seller).addVariant(shirtId, variant("XL", 0n, 1))).to.be.revertedWithCustomError(
        merchstand,
        "ZeroPrice",
      );
      await expect(merchstand.connect(seller).addVariant(shirtId, variant(bytesOf(33), 1n, 1)))
        .to.be.revertedWithCustomError(merchstand, "InvalidLength")
        .withArgs(33, 32);
    });

    it("is staff only and refuses unknown products", async () => {
      const { merchstand, seller, other, shirtId, ethStoreId } = fx;
      await expect(merchstand.connect(other).addVariant(shirtId, variant("XL", 1n, 1)))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
      await expect(merchstand.connect(seller).addVariant(999, variant("XL", 1n, 1)))
        .to.be.revertedWithCustomError(merchstand, "ProductNotFound")
        .withArgs(999);
    });

    describe("when the protocol is paused", () => {
      it("reverts with EnforcedPause", async () => {
        const { merchstand, seller, admin, shirtId } = fx;
        await merchstand.connect(admin).pause();
        await expect(
          merchstand.connect(seller).addVariant(shirtId, variant("XL", 1n, 1)),
        ).to.be.revertedWithCustomError(merchstand, "EnforcedPause");
      });
    });

    describe("when the store is closed", () => {
      it("reverts with StoreIsClosed", async () => {
        const { merchstand, seller, shirtId, ethStoreId } = fx;
        await merchstand.connect(seller).closeStore(ethStoreId);
        await expect(merchstand.connect(seller).addVariant(shirtId, variant("XL", 1n, 1)))
          .to.be.revertedWithCustomError(merchstand, "StoreIsClosed")
          .withArgs(ethStoreId);
      });
    });
  });

  describe("setVariantPrice", () => {
    it("sets the price and emits VariantPriceSet", async () => {
      const { merchstand, seller, shirtId } = fx;
      await expect(merchstand.connect(seller).setVariantPrice(shirtId, 1, ETH / 50n))
        .to.emit(merchstand, "VariantPriceSet")
        .withArgs(shirtId, 1, ETH / 50n);
      expect((await merchstand.getProduct(shirtId)).variants[1]?.price).to.equal(ETH / 50n);
    });

    it("rejects zero with ZeroPrice and a missing variant with VariantNotFound", async () => {
      const { merchstand, seller, shirtId } = fx;
      await expect(merchstand.connect(seller).setVariantPrice(shirtId, 0, 0)).to.be.revertedWithCustomError(
        merchstand,
        "ZeroPrice",
      );
      const n = (await merchstand.getProduct(shirtId)).variants.length;
      await expect(merchstand.connect(seller).setVariantPrice(shirtId, n, 1))
        .to.be.revertedWithCustomError(merchstand, "VariantNotFound")
        .withArgs(shirtId, n);
    });

    it("is staff only", async () => {
      const { merchstand, other, shirtId, ethStoreId } = fx;
      await expect(merchstand.connect(other).setVariantPrice(shirtId, 0, 1))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
    });
  });

  describe("setVariantStock", () => {
    it("restocks and emits VariantStockSet", async () => {
      const { merchstand, manager, shirtId } = fx;
      await expect(merchstand.connect(manager).setVariantStock(shirtId, 2, 99))
        .to.emit(merchstand, "VariantStockSet")
        .withArgs(shirtId, 2, 99);
      expect((await merchstand.getProduct(shirtId)).variants[2]?.stock).to.equal(99);
    });

    it("refuses a missing variant and non-staff", async () => {
      const { merchstand, seller, other, shirtId, ethStoreId } = fx;
      await expect(merchstand.connect(seller).setVariantStock(shirtId, 200, 1))
        .to.be.revertedWithCustomError(merchstand, "VariantNotFound")
        .withArgs(shirtId, 200);
      await expect(merchstand.connect(other).setVariantStock(shirtId, 0, 1))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
    });

    it("still works while paused, so staff can prepare a relaunch", async () => {
      const { merchstand, seller, admin, shirtId } = fx;
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(seller).setVariantStock(shirtId, 0, 3))
        .to.emit(merchstand, "VariantStockSet")
        .withArgs(shirtId, 0, 3);
    });
  });

  describe("setVariantActive", () => {
    it("deactivates one variant with VariantActiveSet; buying it is NotForSale, other sizes still sell", async () => {
      const { merchstand, seller, buyer, shirtId } = fx;
      await expect(merchstand.connect(seller).setVariantActive(shirtId, 1, false))
        .to.emit(merchstand, "VariantActiveSet")
        .withArgs(shirtId, 1, false);
      const p = await merchstand.getProduct(shirtId);
      expect(p.variants[1]?.active).to.equal(false);
      const price = p.variants[1]?.price ?? 0n;
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 1, 1, price), SHIPPING, { value: price }))
        .to.be.revertedWithCustomError(merchstand, "NotForSale")
        .withArgs(shirtId, 1);
      await expect(
        merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), SHIPPING, { value: price }),
      ).to.emit(merchstand, "OrderPlaced");
      await expect(merchstand.connect(seller).setVariantActive(shirtId, 1, true))
        .to.emit(merchstand, "VariantActiveSet")
        .withArgs(shirtId, 1, true);
    });

    it("refuses a missing variant, an unknown product and non-staff", async () => {
      const { merchstand, seller, other, shirtId, ethStoreId } = fx;
      await expect(merchstand.connect(seller).setVariantActive(shirtId, 200, false))
        .to.be.revertedWithCustomError(merchstand, "VariantNotFound")
        .withArgs(shirtId, 200);
      await expect(merchstand.connect(seller).setVariantActive(999, 0, false))
        .to.be.revertedWithCustomError(merchstand, "ProductNotFound")
        .withArgs(999);
      await expect(merchstand.connect(other).setVariantActive(shirtId, 0, false))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
    });
  });

  describe("staff calls on a product that does not exist", () => {
    it("revert with ProductNotFound", async () => {
      const { merchstand, seller } = fx;
      const calls = [
        () => merchstand.connect(seller).updateProduct(999, "x", CID, 0),
        () => merchstand.connect(seller).setProductActive(999, false),
        () => merchstand.connect(seller).setProductLimit(999, 1),
        () => merchstand.connect(seller).setVariantPrice(999, 0, 1),
        () => merchstand.connect(seller).setVariantStock(999, 0, 1),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(merchstand, "ProductNotFound").withArgs(999);
      }
    });
  });
});
