import { expect } from "chai";
import { id } from "ethers";
import { NO_CODE } from "./support/drops.ts";
import {
  buyEth,
  CID,
  type Fx,
  fixtureTerms,
  load,
  packLine,
  priceOf,
  productInput,
  SHIPPING,
  ship,
  signPermit,
  storeInput,
  variant,
  ZERO,
} from "./support/helpers.ts";

describe("Platform", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  describe("roles", () => {
    it("are the keccak256 of their names, separate from the admin role", async () => {
      const { merchstand } = fx;
      expect(await merchstand.PAUSER_ROLE()).to.equal(id("PAUSER_ROLE"));
      expect(await merchstand.CURRENCY_ROLE()).to.equal(id("CURRENCY_ROLE"));
      expect(await merchstand.FEE_ROLE()).to.equal(id("FEE_ROLE"));
      expect(await merchstand.VERIFIER_ROLE()).to.equal(id("VERIFIER_ROLE"));
      expect(await merchstand.DEFAULT_ADMIN_ROLE()).to.equal(`0x${"00".repeat(32)}`);
    });

    it("are administered by the admin, who holds DEFAULT_ADMIN_ROLE", async () => {
      const { merchstand, admin, other } = fx;
      expect(await merchstand.hasRole(await merchstand.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
      const role = await merchstand.PAUSER_ROLE();
      await expect(merchstand.connect(admin).grantRole(role, other.address))
        .to.emit(merchstand, "RoleGranted")
        .withArgs(role, other.address, admin.address);
      await expect(merchstand.connect(other).pause()).to.emit(merchstand, "Paused").withArgs(other.address);
      await expect(merchstand.connect(admin).revokeRole(role, other.address))
        .to.emit(merchstand, "RoleRevoked")
        .withArgs(role, other.address, admin.address);
      await expect(merchstand.connect(other).unpause())
        .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, role);
    });

    it("cannot be granted by a non-admin", async () => {
      const { merchstand, other } = fx;
      const adminRole = await merchstand.DEFAULT_ADMIN_ROLE();
      await expect(merchstand.connect(other).grantRole(await merchstand.FEE_ROLE(), other.address))
        .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, adminRole);
    });

    describe("each role-gated call from an account without the role", () => {
      it("reverts with AccessControlUnauthorizedAccount naming the missing role", async () => {
        const { merchstand, other, seller, usd } = fx;
        const [pauser, currency, feeRole, verifier] = await Promise.all([
          merchstand.PAUSER_ROLE(),
          merchstand.CURRENCY_ROLE(),
          merchstand.FEE_ROLE(),
          merchstand.VERIFIER_ROLE(),
        ]);
        const token = await usd.getAddress();
        const cases: [typeof other, (who: typeof other) => Promise<unknown>, string][] = [
          [other, (who) => merchstand.connect(who).pause(), pauser],
          [other, (who) => merchstand.connect(who).unpause(), pauser],
          [other, (who) => merchstand.connect(who).setFee(1), feeRole],
          [other, (who) => merchstand.connect(who).setFeeRecipient(who.address), feeRole],
          [other, (who) => merchstand.connect(who).setCurrencyAllowed(token, false), currency],
          [other, (who) => merchstand.connect(who).attestOfficial(fx.ethStoreId, CID), verifier],
          [other, (who) => merchstand.connect(who).revokeOfficial(fx.ethStoreId, "x"), verifier],
          // A store owner has no platform role either.
          [seller, (who) => merchstand.connect(who).setFee(1), feeRole],
          [seller, (who) => merchstand.connect(who).pause(), pauser],
          [seller, (who) => merchstand.connect(who).attestOfficial(fx.ethStoreId, CID), verifier],
        ];
        for (const [who, call, role] of cases) {
          await expect(call(who))
            .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
            .withArgs(who.address, role);
        }
      });
    });
  });

  describe("setCurrencyAllowed", () => {
    it("adds and removes a token with CurrencyAllowed and isCurrencyAllowed follows", async () => {
      const { merchstand, admin, ethers } = fx;
      const token = await (await ethers.deployContract("MockUSD")).getAddress();
      expect(await merchstand.isCurrencyAllowed(token)).to.equal(false);
      await expect(merchstand.connect(admin).setCurrencyAllowed(token, true))
        .to.emit(merchstand, "CurrencyAllowed")
        .withArgs(token, true);
      expect(await merchstand.isCurrencyAllowed(token)).to.equal(true);
      await expect(merchstand.connect(admin).setCurrencyAllowed(token, false))
        .to.emit(merchstand, "CurrencyAllowed")
        .withArgs(token, false);
      expect(await merchstand.isCurrencyAllowed(token)).to.equal(false);
    });

    it("rejects address(0), which stands for ETH, with ZeroAddress", async () => {
      const { merchstand, admin } = fx;
      await expect(merchstand.connect(admin).setCurrencyAllowed(ZERO, true)).to.be.revertedWithCustomError(
        merchstand,
        "ZeroAddress",
      );
    });

    it("starts with the deployment's allow-list", async () => {
      const { merchstand, usd } = fx;
      expect(await merchstand.isCurrencyAllowed(await usd.getAddress())).to.equal(true);
    });
  });

  describe("pause", () => {
    it("emits Paused, and unpause emits Unpaused", async () => {
      const { merchstand, admin } = fx;
      await expect(merchstand.connect(admin).pause()).to.emit(merchstand, "Paused").withArgs(admin.address);
      expect(await merchstand.paused()).to.equal(true);
      await expect(merchstand.connect(admin).pause()).to.be.revertedWithCustomError(merchstand, "EnforcedPause");
      await expect(merchstand.connect(admin).unpause()).to.emit(merchstand, "Unpaused").withArgs(admin.address);
      expect(await merchstand.paused()).to.equal(false);
      await expect(merchstand.connect(admin).unpause()).to.be.revertedWithCustomError(merchstand, "ExpectedPause");
    });

    it("stops new stores, listings, variants and every kind of purchase", async () => {
      const { merchstand, admin, seller, buyer, usd, shirtId, mugId, ethStoreId, usdStoreId } = fx;
      const shirt = await priceOf(fx, shirtId);
      const mug = await priceOf(fx, mugId);
      await usd.mint(buyer.address, mug);
      const permit = await signPermit(
        usd,
        buyer,
        await merchstand.getAddress(),
        mug,
        BigInt(await fx.networkHelpers.time.latest()) + 3600n,
      );
      await merchstand.connect(admin).pause();
      const blocked = [
        async () => merchstand.connect(seller).openStore(await storeInput(fx)),
        () => merchstand.connect(seller).listProduct(ethStoreId, productInput(), [variant("M", 1n, 1)]),
        () => merchstand.connect(seller).addVariant(shirtId, variant("XL", 1n, 1)),
        () => merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, shirt), SHIPPING, { value: shirt }),
        () =>
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt }],
                shipping: SHIPPING,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            { value: shirt },
          ),
        () =>
          merchstand.connect(buyer).checkoutWithPermit(
            [
              {
                storeId: usdStoreId,
                termsVersion: 1,
                lines: [{ productId: mugId, variant: 0, quantity: 1, maxUnitPrice: mug }],
                shipping: SHIPPING,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            permit,
          ),
      ];
      for (const call of blocked) {
        await expect(call()).to.be.revertedWithCustomError(merchstand, "EnforcedPause");
      }
      await merchstand.connect(admin).unpause();
      await expect(
        merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, shirt), SHIPPING, { value: shirt }),
      ).to.emit(merchstand, "OrderPlaced");
    });

    it("never stops an order in flight: ship, complete, refund, cancel, dispute, resolve, review, withdraw", async () => {
      const { merchstand, admin, seller, buyer, buyer2, arbiter, feeRecipient, shirtId, ethStoreId } = fx;
      const a = await buyEth(fx, buyer, shirtId);
      const b = await buyEth(fx, buyer, shirtId);
      const c = await buyEth(fx, buyer2, shirtId);
      const d = await buyEth(fx, buyer2, shirtId);
      await merchstand.connect(admin).pause();

      const aShipped = await ship(fx, a.orderId, a.order);
      await expect(merchstand.connect(buyer).complete(a.orderId, aShipped)).to.emit(merchstand, "OrderCompleted");
      await expect(merchstand.connect(buyer).review(a.orderId, aShipped, shirtId, 5, "")).to.emit(
        merchstand,
        "ReviewPosted",
      );
      await expect(merchstand.connect(seller).refund(b.orderId, b.order, b.order.amount)).to.emit(
        merchstand,
        "OrderRefunded",
      );
      const dShipped = await ship(fx, d.orderId, d.order);
      await expect(merchstand.connect(buyer2).dispute(d.orderId, dShipped, "wrong size")).to.emit(
        merchstand,
        "OrderDisputed",
      );
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
      await expect(merchstand.connect(buyer2).cancel(c.orderId, c.order)).to.emit(merchstand, "OrderCancelled");
      const [ev] = await merchstand.queryFilter(merchstand.filters.OrderDisputed(d.orderId));
      const dDisputed = { ...dShipped, disputedAt: BigInt(ev?.args.disputedAt ?? 0) };
      await expect(merchstand.connect(arbiter).resolveDispute(d.orderId, dDisputed, 0)).to.emit(
        merchstand,
        "DisputeResolved",
      );
      // Refunds and rulings were paid straight to the buyer; the fees reach the fee recipient's credits with the
      // store's withdrawal, and the fee recipient withdraws them.
      expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0n);
      await expect(merchstand.withdrawStoreBalance(ethStoreId)).to.emit(merchstand, "StoreWithdrawal");
      await expect(merchstand.connect(feeRecipient).withdraw(ZERO, feeRecipient.address)).to.emit(
        merchstand,
        "Withdrawal",
      );
      expect(await merchstand.paused()).to.equal(true);
    });

    it("leaves store administration open", async () => {
      const { merchstand, admin, seller, other, ethStoreId, shirtId } = fx;
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(seller).setStorePayout(ethStoreId, other.address)).to.emit(
        merchstand,
        "StorePayoutSet",
      );
      await expect(merchstand.connect(seller).setVariantPrice(shirtId, 0, 1n)).to.emit(merchstand, "VariantPriceSet");
      await expect(merchstand.connect(seller).closeStore(ethStoreId)).to.emit(merchstand, "StoreClosed");
    });
  });

  describe("deployment", () => {
    it("records the block it was deployed in", async () => {
      const { merchstand, ethers } = fx;
      const block = Number(await merchstand.deploymentBlock());
      const address = await merchstand.getAddress();
      // The code appears exactly at that block, so clients scanning logs from it miss nothing.
      expect(await ethers.provider.getCode(address, block - 1)).to.equal("0x");
      expect(await ethers.provider.getCode(address, block)).to.not.equal("0x");
    });

    it("starts with the configured fee and fee recipient", async () => {
      const { merchstand, feeRecipient } = fx;
      expect(await merchstand.feeRecipient()).to.equal(feeRecipient.address);
      expect(await merchstand.feeBps()).to.be.lessThanOrEqual(await merchstand.MAX_FEE_BPS());
    });

    it("refuses a zero admin, a zero fee recipient, a fee over the cap and a zero currency", async () => {
      const { merchstand, ethers, admin, feeRecipient } = fx;
      const factory = await ethers.getContractFactory("Merchstand");
      const max = await merchstand.MAX_FEE_BPS();
      const drops = await (await ethers.deployContract("MerchstandDrops")).getAddress();
      await expect(factory.deploy(ZERO, 100, feeRecipient.address, [], drops)).to.be.revertedWithCustomError(
        merchstand,
        "ZeroAddress",
      );
      await expect(factory.deploy(admin.address, 100, ZERO, [], drops)).to.be.revertedWithCustomError(
        merchstand,
        "ZeroAddress",
      );
      await expect(factory.deploy(admin.address, max + 1n, feeRecipient.address, [], drops))
        .to.be.revertedWithCustomError(merchstand, "FeeTooHigh")
        .withArgs(max + 1n, max);
      await expect(
        factory.deploy(admin.address, 100, feeRecipient.address, [ZERO], drops),
      ).to.be.revertedWithCustomError(merchstand, "ZeroAddress");
      // The drop toolkit's module must be a contract (an address without code would make every cart a no-op).
      await expect(
        factory.deploy(admin.address, 100, feeRecipient.address, [], admin.address),
      ).to.be.revertedWithCustomError(merchstand, "ZeroAddress");
    });

    it("grants the admin the admin, pauser, currency and fee roles at construction and announces the settings", async () => {
      const { ethers, admin, feeRecipient, usd } = fx;
      const token = await usd.getAddress();
      const drops = await (await ethers.deployContract("MerchstandDrops")).getAddress();
      const fresh = await ethers.deployContract("Merchstand", [
        admin.address,
        250,
        feeRecipient.address,
        [token],
        drops,
      ]);
      const tx = fresh.deploymentTransaction();
      if (tx === null) throw new Error("no deployment transaction");
      await expect(tx).to.emit(fresh, "FeeSet").withArgs(250);
      await expect(tx).to.emit(fresh, "FeeRecipientSet").withArgs(feeRecipient.address);
      await expect(tx).to.emit(fresh, "CurrencyAllowed").withArgs(token, true);
      // VERIFIER_ROLE is deliberately not in this list: see Official.ts.
      for (const role of [fresh.DEFAULT_ADMIN_ROLE(), fresh.PAUSER_ROLE(), fresh.CURRENCY_ROLE(), fresh.FEE_ROLE()]) {
        expect(await fresh.hasRole(await role, admin.address)).to.equal(true);
      }
    });
  });

  describe("code split (catalog module run by delegatecall)", () => {
    async function catalog() {
      const { merchstand, ethers } = fx;
      // The module is the first contract Merchstand's constructor creates, so it sits at CREATE nonce 1.
      const address = ethers.getCreateAddress({ from: await merchstand.getAddress(), nonce: 1 });
      expect(await ethers.provider.getCode(address)).to.not.equal("0x");
      return ethers.getContractAt("MerchstandCatalog", address);
    }

    it("refuses direct calls to the module, state-changing and view alike, with NotDelegated", async () => {
      const { other, ethStoreId } = fx;
      const module = await catalog();
      await expect(module.connect(other).openStore(await storeInput(fx))).to.be.revertedWithCustomError(
        module,
        "NotDelegated",
      );
      await expect(module.getStore(ethStoreId)).to.be.revertedWithCustomError(module, "NotDelegated");
      await expect(module.getStores(0, 10)).to.be.revertedWithCustomError(module, "NotDelegated");
    });

    it("reverts plain ETH transfers, unknown selectors and outside calls to the internal view entry", async () => {
      const { merchstand, other } = fx;
      const to = await merchstand.getAddress();
      // ETH comes in only with a purchase: a plain transfer bounces off the receive function.
      await expect(other.sendTransaction({ to, value: 1 }))
        .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
        .withArgs(0, 1);
      // An unknown selector goes on to MerchstandDrops (the fallback's second route), which names it.
      const drops = await fx.ethers.getContractAt("MerchstandDrops", to);
      await expect(other.sendTransaction({ to, data: "0xdeadbeef" }))
        .to.be.revertedWithCustomError(drops, "UnknownCall")
        .withArgs("0xdeadbeef");
      // The tag Merchstand prefixes to its own view self-calls, followed by getStores(0, 10) calldata: only the
      // contract itself may use that entry.
      const inner = merchstand.interface.encodeFunctionData("getStores", [0, 10]);
      await expect(other.sendTransaction({ to, data: `0x6d737476${inner.slice(2)}` }))
        .to.be.revertedWithCustomError(drops, "UnknownCall")
        .withArgs("0x6d737476");
    });
  });

  describe("supportsInterface", () => {
    it("reports ERC-165 and AccessControl", async () => {
      const { merchstand } = fx;
      expect(await merchstand.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await merchstand.supportsInterface("0x7965db0b")).to.equal(true);
      expect(await merchstand.supportsInterface("0xffffffff")).to.equal(false);
    });
  });
});
