import { expect } from "chai";
import { CID, type Fx, fixtureTerms, KEY, load, openStore } from "./support/helpers.ts";

const EVIDENCE = "https://nighttapes.example/merch — our only store is Merchstand store #1";
const nonEmpty = (s: string) => typeof s === "string" && s.length > 0;

describe("Official stores", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  async function attested() {
    const { merchstand, verifier, ethStoreId } = fx;
    await (await merchstand.connect(verifier).attestOfficial(ethStoreId, EVIDENCE)).wait();
    return ethStoreId;
  }

  describe("requestVerification", () => {
    it("lets the owner ask, with evidence, and emits VerificationRequested without marking the store", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      await expect(merchstand.connect(seller).requestVerification(ethStoreId, EVIDENCE))
        .to.emit(merchstand, "VerificationRequested")
        .withArgs(ethStoreId, EVIDENCE);
      expect((await merchstand.getStore(ethStoreId)).official).to.equal(false);
    });

    it("is owner only", async () => {
      const { merchstand, manager, ethStoreId } = fx;
      await expect(merchstand.connect(manager).requestVerification(ethStoreId, EVIDENCE))
        .to.be.revertedWithCustomError(merchstand, "NotStoreOwner")
        .withArgs(ethStoreId, manager.address);
    });

    it("needs 1..MAX_EVIDENCE_BYTES of evidence", async () => {
      const { merchstand, seller, ethStoreId } = fx;
      const max = await merchstand.MAX_EVIDENCE_BYTES();
      await expect(merchstand.connect(seller).requestVerification(ethStoreId, ""))
        .to.be.revertedWithCustomError(merchstand, "InvalidLength")
        .withArgs(0, max);
      await expect(merchstand.connect(seller).requestVerification(ethStoreId, "e".repeat(Number(max) + 1)))
        .to.be.revertedWithCustomError(merchstand, "InvalidLength")
        .withArgs(max + 1n, max);
    });
  });

  describe("attestOfficial", () => {
    it("marks the store official with its evidence and emits OfficialAttested", async () => {
      const { merchstand, verifier, ethStoreId } = fx;
      await expect(merchstand.connect(verifier).attestOfficial(ethStoreId, EVIDENCE))
        .to.emit(merchstand, "OfficialAttested")
        .withArgs(ethStoreId, verifier.address, EVIDENCE);
      const s = await merchstand.getStore(ethStoreId);
      expect(s.official).to.equal(true);
      expect(s.officialEvidence).to.equal(EVIDENCE);
      const [page] = await merchstand.getStores(0, 10);
      const listed = page.find((p) => p.id === BigInt(ethStoreId));
      expect(listed?.official).to.equal(true);
      expect(listed?.officialEvidence).to.equal(EVIDENCE);
    });

    it("replaces the evidence when attested again", async () => {
      const { merchstand, verifier } = fx;
      const storeId = await attested();
      await expect(merchstand.connect(verifier).attestOfficial(storeId, CID))
        .to.emit(merchstand, "OfficialAttested")
        .withArgs(storeId, verifier.address, CID);
      expect((await merchstand.getStore(storeId)).officialEvidence).to.equal(CID);
    });

    describe("when the caller lacks VERIFIER_ROLE", () => {
      it("reverts with AccessControlUnauthorizedAccount, for the store owner too", async () => {
        const { merchstand, seller, other, ethStoreId } = fx;
        const role = await merchstand.VERIFIER_ROLE();
        for (const who of [seller, other]) {
          await expect(merchstand.connect(who).attestOfficial(ethStoreId, EVIDENCE))
            .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
            .withArgs(who.address, role);
        }
      });
    });

    describe("the platform admin", () => {
      it("is not a verifier by default (the role is separate from admin)", async () => {
        const { merchstand, admin, ethStoreId } = fx;
        const role = await merchstand.VERIFIER_ROLE();
        expect(await merchstand.hasRole(role, admin.address)).to.equal(false);
        await expect(merchstand.connect(admin).attestOfficial(ethStoreId, EVIDENCE))
          .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
          .withArgs(admin.address, role);
      });

      it("can attest only once it grants itself VERIFIER_ROLE, and loses that power when it is revoked", async () => {
        const { merchstand, admin, ethStoreId } = fx;
        const role = await merchstand.VERIFIER_ROLE();
        await merchstand.connect(admin).grantRole(role, admin.address);
        await expect(merchstand.connect(admin).attestOfficial(ethStoreId, EVIDENCE))
          .to.emit(merchstand, "OfficialAttested")
          .withArgs(ethStoreId, admin.address, EVIDENCE);
        await merchstand.connect(admin).revokeRole(role, admin.address);
        expect(await merchstand.hasRole(await merchstand.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
        await expect(merchstand.connect(admin).revokeOfficial(ethStoreId, "x"))
          .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
          .withArgs(admin.address, role);
      });
    });

    describe("when the store does not exist", () => {
      it("reverts with StoreNotFound", async () => {
        const { merchstand, verifier } = fx;
        await expect(merchstand.connect(verifier).attestOfficial(999, EVIDENCE))
          .to.be.revertedWithCustomError(merchstand, "StoreNotFound")
          .withArgs(999);
      });
    });

    describe("when the evidence is empty or too long", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, verifier, ethStoreId } = fx;
        const max = await merchstand.MAX_EVIDENCE_BYTES();
        await expect(merchstand.connect(verifier).attestOfficial(ethStoreId, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, max);
        await expect(merchstand.connect(verifier).attestOfficial(ethStoreId, "e".repeat(Number(max) + 1)))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(max + 1n, max);
      });
    });
  });

  describe("revokeOfficial", () => {
    it("removes the mark and the evidence and emits OfficialRevoked with the verifier and reason", async () => {
      const { merchstand, verifier } = fx;
      const storeId = await attested();
      await expect(merchstand.connect(verifier).revokeOfficial(storeId, "band announced a new store"))
        .to.emit(merchstand, "OfficialRevoked")
        .withArgs(storeId, verifier.address, "band announced a new store");
      const s = await merchstand.getStore(storeId);
      expect(s.official).to.equal(false);
      expect(s.officialEvidence).to.equal("");
    });

    describe("when the store is not official", () => {
      it("reverts with NotOfficial", async () => {
        const { merchstand, verifier, usdStoreId } = fx;
        await expect(merchstand.connect(verifier).revokeOfficial(usdStoreId, "x"))
          .to.be.revertedWithCustomError(merchstand, "NotOfficial")
          .withArgs(usdStoreId);
      });
    });

    describe("when the store does not exist", () => {
      it("reverts with StoreNotFound", async () => {
        const { merchstand, verifier } = fx;
        await expect(merchstand.connect(verifier).revokeOfficial(999, "x"))
          .to.be.revertedWithCustomError(merchstand, "StoreNotFound")
          .withArgs(999);
      });
    });

    describe("when the reason is empty or over 280 bytes", () => {
      it("reverts with InvalidLength", async () => {
        const { merchstand, verifier } = fx;
        const storeId = await attested();
        await expect(merchstand.connect(verifier).revokeOfficial(storeId, ""))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, 280);
        await expect(merchstand.connect(verifier).revokeOfficial(storeId, "r".repeat(281)))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(281, 280);
      });
    });

    it("is VERIFIER_ROLE only", async () => {
      const { merchstand, seller } = fx;
      const storeId = await attested();
      await expect(merchstand.connect(seller).revokeOfficial(storeId, "giving it up"))
        .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
        .withArgs(seller.address, await merchstand.VERIFIER_ROLE());
    });
  });

  describe("changes that clear the mark", () => {
    it("a change of owner clears it, reported as revoked by the new owner who accepted", async () => {
      const { merchstand, seller, other } = fx;
      const storeId = await attested();
      await (await merchstand.connect(seller).transferStoreOwnership(storeId, other.address)).wait();
      expect((await merchstand.getStore(storeId)).official, "a proposal alone keeps the mark").to.equal(true);
      await expect(merchstand.connect(other).acceptStoreOwnership(storeId))
        .to.emit(merchstand, "OfficialRevoked")
        .withArgs(storeId, other.address, nonEmpty);
      const s = await merchstand.getStore(storeId);
      expect(s.official).to.equal(false);
      expect(s.officialEvidence).to.equal("");
    });

    it("a new name clears it", async () => {
      const { merchstand, seller } = fx;
      const storeId = await attested();
      await expect(merchstand.connect(seller).setStoreProfile(storeId, "Night Tapes (Official)", CID))
        .to.emit(merchstand, "OfficialRevoked")
        .withArgs(storeId, seller.address, nonEmpty);
      expect((await merchstand.getStore(storeId)).official).to.equal(false);
    });
  });

  describe("changes that keep the mark", () => {
    it("metadata under the same name, payout, shipping key, terms and managers", async () => {
      const { merchstand, seller, other } = fx;
      const storeId = await attested();
      const name = (await merchstand.getStore(storeId)).name;
      const terms = await fixtureTerms(fx);
      const changes = [
        () => merchstand.connect(seller).setStoreProfile(storeId, name, CID),
        () => merchstand.connect(seller).setStorePayout(storeId, other.address),
        () => merchstand.connect(seller).setStoreShippingKey(storeId, KEY),
        () => merchstand.connect(seller).setStoreTerms(storeId, terms),
        () => merchstand.connect(seller).setStoreManager(storeId, other.address, true),
      ];
      for (const change of changes) {
        await expect(change()).not.to.emit(merchstand, "OfficialRevoked");
      }
      const s = await merchstand.getStore(storeId);
      expect(s.official).to.equal(true);
      expect(s.officialEvidence).to.equal(EVIDENCE);
    });

    it("transferring a store that is not official emits no OfficialRevoked", async () => {
      const { merchstand, other, buyer } = fx;
      const storeId = await openStore(fx, other);
      await (await merchstand.connect(other).transferStoreOwnership(storeId, buyer.address)).wait();
      await expect(merchstand.connect(buyer).acceptStoreOwnership(storeId)).not.to.emit(merchstand, "OfficialRevoked");
    });
  });

  describe("an impostor", () => {
    it("can copy the official store's name but not its mark", async () => {
      const { merchstand, other } = fx;
      const storeId = await attested();
      const official = await merchstand.getStore(storeId);
      const fake = await openStore(fx, other, { name: official.name, metadataCid: official.metadataCid });
      const s = await merchstand.getStore(fake);
      expect(s.name).to.equal(official.name);
      expect(s.official).to.equal(false);
      expect(s.officialEvidence).to.equal("");
    });
  });
});
