import { expect } from "chai";
import {
  bytesOf,
  CID,
  type Fx,
  fixtureTerms,
  handOver,
  KEY,
  load,
  openStore,
  productInput,
  storeInput,
  termsTuple,
  variant,
  ZERO,
} from "./support/helpers.ts";

describe("Stores", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  describe("openStore", () => {
    it("opens an ETH store owned by the caller and emits StoreOpened and StoreTermsSet", async () => {
      const { merchstand, other, arbiter } = fx;
      const input = await storeInput(fx, { payout: arbiter.address, name: "Night Owls" });
      const total = (await merchstand.getStores(0, 0))[1];
      const expectedId = total + 1n;
      await expect(merchstand.connect(other).openStore(input))
        .to.emit(merchstand, "StoreOpened")
        .withArgs(expectedId, other.address, ZERO, "Night Owls", CID, arbiter.address, KEY)
        .and.to.emit(merchstand, "StoreTermsSet")
        .withArgs(expectedId, 1, termsTuple(input.terms));

      const s = await merchstand.getStore(expectedId);
      expect(s.id).to.equal(expectedId);
      expect(s.owner).to.equal(other.address);
      expect(s.payout).to.equal(arbiter.address);
      expect(s.currency).to.equal(ZERO);
      expect(s.closed).to.equal(false);
      expect(s.official).to.equal(false);
      expect(s.termsVersion).to.equal(1);
      expect(s.terms.arbiter).to.equal(input.terms.arbiter);
      expect(s.terms.shipWindow).to.equal(input.terms.shipWindow);
      expect(s.terms.deliveryWindow).to.equal(input.terms.deliveryWindow);
      expect(s.shippingKey).to.equal(KEY);
      expect(s.balance).to.equal(0);
      expect(s.productCount).to.equal(0);
      expect(s.name).to.equal("Night Owls");
      expect(s.metadataCid).to.equal(CID);
      expect(s.officialEvidence).to.equal("");
      expect((await merchstand.getStores(0, 0))[1]).to.equal(expectedId);
    });

    it("returns the new id, counting from the fixture's stores", async () => {
      const { merchstand, other, usdStoreId } = fx;
      const id = await merchstand.connect(other).openStore.staticCall(await storeInput(fx));
      expect(id).to.equal(BigInt(usdStoreId) + 1n);
    });

    it("makes the opener the only staff", async () => {
      const { merchstand, other, seller } = fx;
      const id = await openStore(fx, other);
      expect(await merchstand.isStoreStaff(id, other.address)).to.equal(true);
      expect(await merchstand.isStoreStaff(id, seller.address)).to.equal(false);
    });

    it("opens a store in an allow-listed ERC-20", async () => {
      const { merchstand, other, usd } = fx;
      const token = await usd.getAddress();
      const id = await openStore(fx, other, { currency: token });
      expect((await merchstand.getStore(id)).currency).to.equal(token);
    });

    it("accepts a zero shipping key (a digital-only store)", async () => {
      const { merchstand, other } = fx;
      const id = await openStore(fx, other, { shippingKey: `0x${"00".repeat(32)}` });
      expect((await merchstand.getStore(id)).shippingKey).to.equal(`0x${"00".repeat(32)}`);
    });

    describe("when the currency is not allow-listed", () => {
      it("reverts with CurrencyNotAllowed", async () => {
        const { merchstand, other, usd, admin } = fx;
        const token = await usd.getAddress();
        await merchstand.connect(admin).setCurrencyAllowed(token, false);
        await expect(merchstand.connect(other).openStore(await storeInput(fx, { currency: token })))
          .to.be.revertedWithCustomError(merchstand, "CurrencyNotAllowed")
          .withArgs(token);
      });
    });

    describe("when the name is empty or longer than 64 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, other } = fx;
        await expect(merchstand.connect(other).openStore(await storeInput(fx, { name: "" })))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, 64);
        await expect(merchstand.connect(other).openStore(await storeInput(fx, { name: bytesOf(65) })))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(65, 64);
        // 64 bytes of UTF-8 is the limit, counted in bytes, not characters.
        await expect(merchstand.connect(other).openStore(await storeInput(fx, { name: "é".repeat(33) })))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(66, 64);
        await expect(merchstand.connect(other).openStore(await storeInput(fx, { name: bytesOf(64) }))).to.emit(
          merchstand,
          "StoreOpened",
        );
      });
    });

    describe("when the metadata CID is longer than 100 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, other } = fx;
        await expect(merchstand.connect(other).openStore(await storeInput(fx, { metadataCid: bytesOf(101) })))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(101, 100);
        await expect(merchstand.connect(other).openStore(await storeInput(fx, { metadataCid: bytesOf(100) }))).to.emit(
          merchstand,
          "StoreOpened",
        );
      });
    });

    describe("when the payout is the zero address", () => {
      it("reverts with ZeroAddress", async () => {
        const { merchstand, other } = fx;
        await expect(
          merchstand.connect(other).openStore(await storeInput(fx, { payout: ZERO })),
        ).to.be.revertedWithCustomError(merchstand, "ZeroAddress");
      });
    });

    describe("when the arbiter is the zero address", () => {
      it("reverts with ZeroAddress", async () => {
        const { merchstand, other } = fx;
        const terms = { ...(await fixtureTerms(fx)), arbiter: ZERO };
        await expect(
          merchstand.connect(other).openStore(await storeInput(fx, { terms })),
        ).to.be.revertedWithCustomError(merchstand, "ZeroAddress");
      });
    });

    describe("when a window lies outside the protocol bounds", () => {
      it("reverts with InvalidWindow for a ship window below the minimum or above the maximum", async () => {
        const { merchstand, other } = fx;
        const [min, max] = [await merchstand.MIN_SHIP_WINDOW(), await merchstand.MAX_SHIP_WINDOW()];
        const base = await fixtureTerms(fx);
        await expect(
          merchstand.connect(other).openStore(await storeInput(fx, { terms: { ...base, shipWindow: min - 1n } })),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidWindow")
          .withArgs(min - 1n, min, max);
        await expect(
          merchstand.connect(other).openStore(await storeInput(fx, { terms: { ...base, shipWindow: max + 1n } })),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidWindow")
          .withArgs(max + 1n, min, max);
        // The bounds themselves are inside.
        await openStore(fx, other, { terms: { ...base, shipWindow: min } });
        const id = await openStore(fx, other, { terms: { ...base, shipWindow: max } });
        expect((await merchstand.getStore(id)).terms.shipWindow).to.equal(max);
      });

      it("reverts with InvalidWindow for a delivery window below the minimum or above the maximum", async () => {
        const { merchstand, other } = fx;
        const [min, max] = [await merchstand.MIN_DELIVERY_WINDOW(), await merchstand.MAX_DELIVERY_WINDOW()];
        const base = await fixtureTerms(fx);
        await expect(
          merchstand.connect(other).openStore(await storeInput(fx, { terms: { ...base, deliveryWindow: min - 1n } })),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidWindow")
          .withArgs(min - 1n, min, max);
        await expect(
          merchstand.connect(other).openStore(await storeInput(fx, { terms: { ...base, deliveryWindow: max + 1n } })),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidWindow")
          .withArgs(max + 1n, min, max);
        await openStore(fx, other, { terms: { ...base, deliveryWindow: min } });
        const id = await openStore(fx, other, { terms: { ...base, deliveryWindow: max } });
        expect((await merchstand.getStore(id)).terms.deliveryWindow).to.equal(max);
      });
    });

    // A variant slot keeps its store's id in 32 bits (docs/FORMATS.md, "History pointers").
    describe("when store ids have reached 2^32 - 1", () => {
      it("reverts with TooManyStores, and opens the last id before that", async () => {
        const { merchstand, other, ethers } = fx;
        const address = await merchstand.getAddress();
        // Slot 1 packs Pausable's flag, the fee, the fee recipient and then the store counter, in bits 184..247
        // (MerchstandStorage's layout): checked against the views before it is rewritten.
        const slot = BigInt(await ethers.provider.getStorage(address, 1));
        const [, stores] = await merchstand.getStores(0, 0);
        const mask = (2n ** 64n - 1n) << 184n;
        expect((slot & mask) >> 184n).to.equal(stores);
        const max = 2n ** 32n - 1n;
        const set = (count: bigint) =>
          ethers.provider.send("hardhat_setStorageAt", [
            address,
            "0x1",
            ethers.toBeHex((slot & ~mask) | (count << 184n), 32),
          ]);
        await set(max - 1n);
        expect(await merchstand.connect(other).openStore.staticCall(await storeInput(fx))).to.equal(max);
        await set(max);
        await expect(merchstand.connect(other).openStore(await storeInput(fx)))
          .to.be.revertedWithCustomError(merchstand, "TooManyStores")
          .withArgs(max);
      });
    });

    describe("when the protocol is paused", () => {
      it("reverts with EnforcedPause", async () => {
        const { merchstand, other, admin } = fx;
        await merchstand.connect(admin).pause();
        await expect(merchstand.connect(other).openStore(await storeInput(fx))).to.be.revertedWithCustomError(
          merchstand,
          "EnforcedPause",
        );
      });
    });
  });

  describe("setStoreTerms", () => {
    it("starts a new terms version and keeps the old one readable", async () => {
      const { merchstand, seller, ethStoreId, other } = fx;
      const old = await fixtureTerms(fx);
      const terms = {
        arbiter: other.address,
        shipWindow: old.shipWindow + 1n,
        deliveryWindow: old.deliveryWindow + 1n,
      };
      await expect(merchstand.connect(seller).setStoreTerms(ethStoreId, terms))
        .to.emit(merchstand, "StoreTermsSet")
        .withArgs(ethStoreId, 2, termsTuple(terms));
      const s = await merchstand.getStore(ethStoreId);
      expect(s.termsVersion).to.equal(2);
      expect(s.terms.arbiter).to.equal(other.address);
      const v1 = await merchstand.storeTerms(ethStoreId, 1);
      expect(v1.arbiter).to.equal(old.arbiter);
      expect(v1.shipWindow).to.equal(old.shipWindow);
      const v2 = await merchstand.storeTerms(ethStoreId, 2);
      expect(v2.deliveryWindow).to.equal(terms.deliveryWindow);
    });

    describe("when the caller is not the owner (a manager included)", () => {
      it("reverts with NotStoreOwner", async () => {
        const { merchstand, manager, other, ethStoreId } = fx;
        const terms = await fixtureTerms(fx);
        for (const who of [manager, other]) {
          await expect(merchstand.connect(who).setStoreTerms(ethStoreId, terms))
            .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
            .withArgs(ethStoreId, who.address);
        }
      });
    });

    describe("when a window is out of bounds", () => {
      it("reverts with InvalidWindow", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        const [min, max] = [await merchstand.MIN_SHIP_WINDOW(), await merchstand.MAX_SHIP_WINDOW()];
        const terms = { ...(await fixtureTerms(fx)), shipWindow: min - 1n };
        await expect(merchstand.connect(seller).setStoreTerms(ethStoreId, terms))
          .to.be.revertedWithCustomError(merchstand, "InvalidWindow")
          .withArgs(min - 1n, min, max);
      });
    });

    describe("when the arbiter is zero", () => {
      it("reverts with ZeroAddress", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        const terms = { ...(await fixtureTerms(fx)), arbiter: ZERO };
        await expect(merchstand.connect(seller).setStoreTerms(ethStoreId, terms)).to.be.revertedWithCustomError(
          merchstand,
          "ZeroAddress",
        );
      });
    });

    describe("when the store does not exist", () => {
      it("reverts with StoreNotFound", async () => {
        const { merchstand, seller } = fx;
        await expect(merchstand.connect(seller).setStoreTerms(999, await fixtureTerms(fx)))
          .to.be.revertedWithCustomError(merchstand, "StoreNotFound")
          .withArgs(999);
      });
    });
  });

  describe("setStoreProfile", () => {
    it("sets name and metadata and emits StoreProfileSet", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      await expect(merchstand.connect(seller).setStoreProfile(ethStoreId, "New Name", "bafynew"))
        .to.emit(merchstand, "StoreProfileSet")
        .withArgs(ethStoreId, "New Name", "bafynew");
      const s = await merchstand.getStore(ethStoreId);
      expect(s.name).to.equal("New Name");
      expect(s.metadataCid).to.equal("bafynew");
    });

    it("validates lengths like openStore", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      await expect(merchstand.connect(seller).setStoreProfile(ethStoreId, "", CID))
        .to.be.revertedWithCustomError(merchstand, "InvalidLength")
        .withArgs(0, 64);
      await expect(merchstand.connect(seller).setStoreProfile(ethStoreId, "ok", bytesOf(101)))
        .to.be.revertedWithCustomError(merchstand, "InvalidLength")
        .withArgs(101, 100);
    });

    it("is owner only", async () => {
      const { merchstand, manager, ethStoreId } = fx;
      await expect(merchstand.connect(manager).setStoreProfile(ethStoreId, "x", CID))
        .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
        .withArgs(ethStoreId, manager.address);
    });
  });

  describe("setStorePayout", () => {
    it("sets the payout and emits StorePayoutSet", async () => {
      const { merchstand, seller, other, ethStoreId } = fx;
      await expect(merchstand.connect(seller).setStorePayout(ethStoreId, other.address))
        .to.emit(merchstand, "StorePayoutSet")
        .withArgs(ethStoreId, other.address);
      expect((await merchstand.getStore(ethStoreId)).payout).to.equal(other.address);
    });

    it("rejects the zero address with ZeroAddress", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      await expect(merchstand.connect(seller).setStorePayout(ethStoreId, ZERO)).to.be.revertedWithCustomError(
        merchstand,
        "ZeroAddress",
      );
    });

    it("is owner only", async () => {
      const { merchstand, manager, ethStoreId } = fx;
      await expect(merchstand.connect(manager).setStorePayout(ethStoreId, manager.address))
        .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
        .withArgs(ethStoreId, manager.address);
    });
  });

  describe("setStoreShippingKey", () => {
    it("sets the key and emits StoreShippingKeySet", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const key = `0x${"cd".repeat(32)}`;
      await expect(merchstand.connect(seller).setStoreShippingKey(ethStoreId, key))
        .to.emit(merchstand, "StoreShippingKeySet")
        .withArgs(ethStoreId, key);
      expect((await merchstand.getStore(ethStoreId)).shippingKey).to.equal(key);
    });

    it("is owner only", async () => {
      const { merchstand, manager, ethStoreId } = fx;
      await expect(merchstand.connect(manager).setStoreShippingKey(ethStoreId, KEY))
        .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
        .withArgs(ethStoreId, manager.address);
    });
  });

  describe("setStoreManager", () => {
    it("adds and removes a manager with StoreManagerSet", async () => {
      const { merchstand, seller, other, ethStoreId } = fx;
      await expect(merchstand.connect(seller).setStoreManager(ethStoreId, other.address, true))
        .to.emit(merchstand, "StoreManagerSet")
        .withArgs(ethStoreId, other.address, true);
      expect(await merchstand.isStoreStaff(ethStoreId, other.address)).to.equal(true);
      await expect(merchstand.connect(seller).setStoreManager(ethStoreId, other.address, false))
        .to.emit(merchstand, "StoreManagerSet")
        .withArgs(ethStoreId, other.address, false);
      expect(await merchstand.isStoreStaff(ethStoreId, other.address)).to.equal(false);
    });

    it("gives a manager staff rights in that store only", async () => {
      const { merchstand, seller, other, ethStoreId, usdStoreId } = fx;
      await merchstand.connect(seller).setStoreManager(ethStoreId, other.address, true);
      expect(await merchstand.isStoreStaff(usdStoreId, other.address)).to.equal(false);
    });

    describe("when a manager tries to add a manager", () => {
      it("reverts with NotStoreOwner", async () => {
        const { merchstand, manager, other, ethStoreId } = fx;
        await expect(merchstand.connect(manager).setStoreManager(ethStoreId, other.address, true))
          .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
          .withArgs(ethStoreId, manager.address);
      });
    });

    describe("when the manager is the zero address", () => {
      it("reverts with ZeroAddress", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        await expect(merchstand.connect(seller).setStoreManager(ethStoreId, ZERO, true)).to.be.revertedWithCustomError(
          merchstand,
          "ZeroAddress",
        );
      });
    });
  });

  describe("transferStoreOwnership and acceptStoreOwnership", () => {
    it("only proposes: the owner stays until the proposed owner accepts", async () => {
      const { merchstand, seller, other, ethStoreId } = fx;
      await expect(merchstand.connect(seller).transferStoreOwnership(ethStoreId, other.address))
        .to.emit(merchstand, "StoreOwnershipProposed")
        .withArgs(ethStoreId, seller.address, other.address);
      expect((await merchstand.getStore(ethStoreId)).owner).to.equal(seller.address);
      expect(await merchstand.pendingStoreOwner(ethStoreId)).to.equal(other.address);
    });

    it("lets only the proposed owner accept (NotPendingOwner)", async () => {
      const { merchstand, seller, other, buyer, ethStoreId } = fx;
      await expect(merchstand.connect(buyer).acceptStoreOwnership(ethStoreId))
        .to.be.revertedWithCustomError(merchstand, "NotPendingOwner")
        .withArgs(ethStoreId, buyer.address);
      await (await merchstand.connect(seller).transferStoreOwnership(ethStoreId, other.address)).wait();
      await expect(merchstand.connect(buyer).acceptStoreOwnership(ethStoreId))
        .to.be.revertedWithCustomError(merchstand, "NotPendingOwner")
        .withArgs(ethStoreId, buyer.address);
    });

    it("withdraws a proposal when the owner proposes the zero address", async () => {
      const { merchstand, seller, other, ethStoreId } = fx;
      await (await merchstand.connect(seller).transferStoreOwnership(ethStoreId, other.address)).wait();
      await expect(merchstand.connect(seller).transferStoreOwnership(ethStoreId, ZERO))
        .to.emit(merchstand, "StoreOwnershipProposed")
        .withArgs(ethStoreId, seller.address, ZERO);
      await expect(merchstand.connect(other).acceptStoreOwnership(ethStoreId))
        .to.be.revertedWithCustomError(merchstand, "NotPendingOwner")
        .withArgs(ethStoreId, other.address);
      expect(await merchstand.pendingStoreOwner(ethStoreId)).to.equal(ZERO);
    });

    it("hands the store over on acceptance and emits StoreOwnershipTransferred", async () => {
      const { merchstand, seller, other, ethStoreId } = fx;
      await (await merchstand.connect(seller).transferStoreOwnership(ethStoreId, other.address)).wait();
      await expect(merchstand.connect(other).acceptStoreOwnership(ethStoreId))
        .to.emit(merchstand, "StoreOwnershipTransferred")
        .withArgs(ethStoreId, seller.address, other.address);
      expect(await merchstand.pendingStoreOwner(ethStoreId)).to.equal(ZERO);
      expect((await merchstand.getStore(ethStoreId)).owner).to.equal(other.address);
      expect(await merchstand.isStoreStaff(ethStoreId, other.address)).to.equal(true);
      expect(await merchstand.isStoreStaff(ethStoreId, seller.address)).to.equal(false);
      // The old owner lost owner rights; the new owner has them.
      await expect(merchstand.connect(seller).closeStore(ethStoreId))
        .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
        .withArgs(ethStoreId, seller.address);
      await expect(merchstand.connect(other).closeStore(ethStoreId)).to.emit(merchstand, "StoreClosed");
    });

    it("drops the managers the previous owner appointed", async () => {
      const { merchstand, seller, manager, other, ethStoreId, shirtId } = fx;
      expect(await merchstand.isStoreStaff(ethStoreId, manager.address)).to.equal(true);
      await handOver(fx, ethStoreId, seller, other);
      expect(await merchstand.isStoreStaff(ethStoreId, manager.address)).to.equal(false);
      await expect(merchstand.connect(manager).setVariantStock(shirtId, 0, 1))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, manager.address);
    });

    it("does not bring old managers back when the store returns to the owner who appointed them", async () => {
      const { merchstand, seller, manager, other, buyer, ethStoreId, shirtId } = fx;
      await handOver(fx, ethStoreId, seller, other);
      // The new owner's own manager, who must not survive the next transfer either.
      await merchstand.connect(other).setStoreManager(ethStoreId, buyer.address, true);
      expect(await merchstand.isStoreStaff(ethStoreId, buyer.address)).to.equal(true);
      await handOver(fx, ethStoreId, other, seller);
      expect(await merchstand.isStoreStaff(ethStoreId, seller.address)).to.equal(true);
      expect(await merchstand.isStoreStaff(ethStoreId, manager.address)).to.equal(false);
      expect(await merchstand.isStoreStaff(ethStoreId, buyer.address)).to.equal(false);
      await expect(merchstand.connect(manager).setVariantStock(shirtId, 0, 1))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, manager.address);
      // Appointed again in the new term, the manager is back.
      await merchstand.connect(seller).setStoreManager(ethStoreId, manager.address, true);
      expect(await merchstand.isStoreStaff(ethStoreId, manager.address)).to.equal(true);
    });

    it("is owner only", async () => {
      const { merchstand, manager, ethStoreId } = fx;
      await expect(merchstand.connect(manager).transferStoreOwnership(ethStoreId, manager.address))
        .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
        .withArgs(ethStoreId, manager.address);
    });
  });

  describe("closeStore", () => {
    it("closes the store and emits StoreClosed", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      await expect(merchstand.connect(seller).closeStore(ethStoreId))
        .to.emit(merchstand, "StoreClosed")
        .withArgs(ethStoreId);
      expect((await merchstand.getStore(ethStoreId)).closed).to.equal(true);
    });

    it("is owner only", async () => {
      const { merchstand, manager, ethStoreId } = fx;
      await expect(merchstand.connect(manager).closeStore(ethStoreId))
        .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
        .withArgs(ethStoreId, manager.address);
    });

    describe("when the store is already closed", () => {
      it("reverts with StoreIsClosed", async () => {
        const { merchstand, seller, ethStoreId } = fx;
        await merchstand.connect(seller).closeStore(ethStoreId);
        await expect(merchstand.connect(seller).closeStore(ethStoreId))
          .to.be.revertedWithCustomError(merchstand, "StoreIsClosed")
          .withArgs(ethStoreId);
      });
    });
  });

  describe("owner and staff calls on a store that does not exist", () => {
    it("revert with StoreNotFound", async () => {
      const { merchstand, seller, other } = fx;
      const missing = 999;
      const calls = [
        () => merchstand.connect(seller).setStoreProfile(missing, "x", CID),
        () => merchstand.connect(seller).setStorePayout(missing, other.address),
        () => merchstand.connect(seller).setStoreShippingKey(missing, KEY),
        () => merchstand.connect(seller).setStoreManager(missing, other.address, true),
        () => merchstand.connect(seller).transferStoreOwnership(missing, other.address),
        () => merchstand.connect(seller).closeStore(missing),
        () => merchstand.connect(seller).requestVerification(missing, CID),
        () => merchstand.connect(seller).listProduct(missing, productInput(), [variant("M", 1n, 1)]),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(merchstand, "StoreNotFound").withArgs(missing);
      }
    });
  });
});
