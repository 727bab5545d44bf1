import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import type { RevertingReceiver } from "../../types/ethers-contracts/index.ts";
import {
  BUYER_KEY,
  buyDigitalAndConfirm,
  buyEth,
  buyUsd,
  disputeOrder,
  expectConserved,
  type Fx,
  fee,
  fixtureTerms,
  listProduct,
  load,
  type Order,
  openStore,
  packLine,
  placed,
  placedAll,
  priceOf,
  productInput,
  SHIPPING,
  Status,
  ship,
  variant,
  ZERO,
} from "./support/helpers.ts";

describe("Money", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  async function completed(buyer = fx.buyer, productId = fx.shirtId, quantity = 1n) {
    const { orderId, order } = await buyEth(fx, buyer, productId, { quantity });
    const sent = await ship(fx, orderId, order);
    await (await fx.merchstand.connect(buyer).complete(orderId, sent)).wait();
    return { orderId, order: sent };
  }

  type Puppet = Pick<RevertingReceiver, "execute">;

  /** An attacker contract driven through Puppet.execute buys one shirt; returns the order it placed. */
  async function puppetBuys(puppet: Puppet) {
    const { merchstand, shirtId } = fx;
    const price = await priceOf(fx, shirtId);
    const data = merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(shirtId, 0, 1, price), SHIPPING]);
    const receipt = await (await puppet.execute(await merchstand.getAddress(), price, data, { value: price })).wait();
    if (receipt === null) throw new Error("no receipt");
    const [placed] = await placedAll(merchstand, receipt);
    if (placed === undefined) throw new Error("no order");
    return placed;
  }

  describe("platform fee", () => {
    it("is taken at completion at the rate the order was placed under, even after a fee change", async () => {
      const { merchstand, admin, buyer, feeRecipient, ethStoreId } = fx;
      const oldFee = BigInt(await merchstand.feeBps());
      const max = BigInt(await merchstand.MAX_FEE_BPS());
      const newFee = oldFee === max ? 0n : max;
      const { orderId, order } = await buyEth(fx, buyer, fx.shirtId, { quantity: 3n });
      expect(order.feeBps).to.equal(oldFee);
      await expect(merchstand.connect(admin).setFee(newFee)).to.emit(merchstand, "FeeSet").withArgs(newFee);
      expect(await merchstand.feeBps()).to.equal(newFee);
      const fresh = await buyEth(fx, buyer, fx.shirtId);
      expect(fresh.order.feeBps).to.equal(newFee);

      const sent = await ship(fx, orderId, order);
      const f = fee(order.amount, oldFee);
      await expect(merchstand.connect(buyer).complete(orderId, sent))
        .to.emit(merchstand, "OrderCompleted")
        .withArgs(orderId, ethStoreId, order.amount - f, f);
      // Owed by the store until its funds are withdrawn, then credited to the fee recipient.
      expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(f);
      expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(0);
      await merchstand.withdrawStoreBalance(ethStoreId);
      expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(0);
      expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(f);
    });

    it("rounds down in the store's favour", async () => {
      const { merchstand, admin, seller, buyer, ethStoreId } = fx;
      await merchstand.connect(admin).setFee(333);
      const productId = await listProduct(fx, seller, ethStoreId, productInput({ digital: true, category: 5 }), [
        variant("PDF", 1_001n, 10),
      ]);
      // 1001 * 333 / 10000 = 33.33 -> 33.
      await expect(buyDigitalAndConfirm(fx, buyer, productId))
        .to.emit(merchstand, "OrderCompleted")
        .withArgs(anyValue, ethStoreId, 968, 33);
    });

    describe("setFee", () => {
      it("accepts MAX_FEE_BPS and rejects more with FeeTooHigh", async () => {
        const { merchstand, admin } = fx;
        const max = await merchstand.MAX_FEE_BPS();
        await expect(merchstand.connect(admin).setFee(max)).to.emit(merchstand, "FeeSet").withArgs(max);
        await expect(merchstand.connect(admin).setFee(max + 1n))
          .to.be.revertedWithCustomError(merchstand, "FeeTooHigh")
          .withArgs(max + 1n, max);
      });
    });

    describe("setFeeRecipient", () => {
      it("sends later fees to the new recipient; fees already credited stay with the old one", async () => {
        const { merchstand, admin, feeRecipient, other, ethStoreId } = fx;
        const first = await completed();
        const f1 = fee(first.order.amount, first.order.feeBps);
        await merchstand.withdrawStoreBalance(ethStoreId);
        await expect(merchstand.connect(admin).setFeeRecipient(other.address))
          .to.emit(merchstand, "FeeRecipientSet")
          .withArgs(other.address);
        expect(await merchstand.feeRecipient()).to.equal(other.address);
        const second = await completed();
        const f2 = fee(second.order.amount, second.order.feeBps);
        // Fees still owed by a store go to the recipient of the moment the store's funds are withdrawn.
        await merchstand.withdrawStoreBalance(ethStoreId);
        expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(f1);
        expect(await merchstand.credits(other.address, ZERO)).to.equal(f2);
        await expectConserved(fx, ZERO);
      });

      it("rejects the zero address with ZeroAddress", async () => {
        const { merchstand, admin } = fx;
        await expect(merchstand.connect(admin).setFeeRecipient(ZERO)).to.be.revertedWithCustomError(
          merchstand,
          "ZeroAddress",
        );
      });
    });
  });

  describe("withdrawStoreBalance", () => {
    it("lets anyone send the store's whole balance to its payout address", async () => {
      const { merchstand, other, seller, ethStoreId, ethers } = fx;
      await completed();
      await completed(fx.buyer2);
      const balance = (await merchstand.getStore(ethStoreId)).balance;
      const payout = (await merchstand.getStore(ethStoreId)).payout;
      expect(balance).to.be.greaterThan(0n);
      const tx = merchstand.connect(other).withdrawStoreBalance(ethStoreId);
      await expect(tx).to.emit(merchstand, "StoreWithdrawal").withArgs(ethStoreId, payout, ZERO, balance);
      await expect(tx).to.changeEtherBalances(ethers, [payout, merchstand], [balance, -balance]);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(0);
      expect(payout).to.not.equal(other.address);
      expect(seller.address).to.not.equal(other.address);
      await expectConserved(fx, ZERO);
    });

    it("pays to the payout address in force at withdrawal", async () => {
      const { merchstand, seller, other, ethStoreId, ethers } = fx;
      await completed();
      const balance = (await merchstand.getStore(ethStoreId)).balance;
      await merchstand.connect(seller).setStorePayout(ethStoreId, other.address);
      await expect(merchstand.withdrawStoreBalance(ethStoreId)).to.changeEtherBalance(ethers, other, balance);
    });

    it("pays an ERC-20 store in its token", async () => {
      const { merchstand, usd, buyer, usdStoreId, ethers } = fx;
      const { orderId, order } = await buyUsd(fx, buyer, 4n);
      const sent = await ship(fx, orderId, order);
      await merchstand.connect(buyer).complete(orderId, sent);
      const { balance, payout } = await merchstand.getStore(usdStoreId);
      expect(balance).to.equal(order.amount - fee(order.amount, order.feeBps));
      const tx = merchstand.withdrawStoreBalance(usdStoreId);
      await expect(tx)
        .to.emit(merchstand, "StoreWithdrawal")
        .withArgs(usdStoreId, payout, await usd.getAddress(), balance);
      await expect(tx).to.changeTokenBalances(
        ethers,
        usd,
        [payout, await merchstand.getAddress()],
        [balance, -balance],
      );
      await expectConserved(fx, await usd.getAddress());
    });

    describe("when the balance is zero", () => {
      it("reverts with NothingToWithdraw", async () => {
        const { merchstand, ethStoreId } = fx;
        const { payout, currency } = await merchstand.getStore(ethStoreId);
        await expect(merchstand.withdrawStoreBalance(ethStoreId))
          .to.be.revertedWithCustomError(merchstand, "NothingToWithdraw")
          .withArgs(payout, currency);
      });
    });
  });

  describe("withdraw", () => {
    it("sends the caller's credits to any address and zeroes them", async () => {
      const { merchstand, seller, buyer, other, ethers } = fx;
      const refuser = await ethers.deployContract("RevertingReceiver");
      const address = await refuser.getAddress();
      const { orderId, order } = await puppetBuys(refuser);
      await merchstand.connect(seller).refund(orderId, order, order.amount);
      expect(await merchstand.credits(address, ZERO)).to.equal(order.amount);
      const data = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      const tx = refuser.execute(await merchstand.getAddress(), 0, data);
      await expect(tx).to.emit(merchstand, "Withdrawal").withArgs(address, other.address, ZERO, order.amount);
      await expect(tx).to.changeEtherBalances(ethers, [other, merchstand, address], [order.amount, -order.amount, 0]);
      expect(await merchstand.credits(address, ZERO)).to.equal(0);
      expect(buyer.address).to.not.equal(address);
      await expectConserved(fx, ZERO, [address]);
    });

    it("lets the fee recipient collect fees", async () => {
      const { merchstand, feeRecipient, ethers, ethStoreId } = fx;
      const { order } = await completed(fx.buyer, fx.shirtId, 5n);
      const f = fee(order.amount, order.feeBps);
      // Anyone, the fee recipient too, moves the fees a store owes to the fee recipient's credits.
      await merchstand.connect(feeRecipient).withdrawStoreBalance(ethStoreId);
      await expect(merchstand.connect(feeRecipient).withdraw(ZERO, feeRecipient.address)).to.changeEtherBalance(
        ethers,
        feeRecipient,
        f,
      );
    });

    it("keeps currencies apart", async () => {
      const { merchstand, seller, buyer, usd, ethers } = fx;
      const token = await usd.getAddress();
      const a = await buyUsd(fx, buyer, 2n);
      // Refunds are paid straight to the buyer, each in its order's currency.
      await expect(merchstand.connect(seller).refund(a.orderId, a.order, a.order.amount)).to.changeTokenBalance(
        ethers,
        usd,
        buyer,
        a.order.amount,
      );
      const b = await buyEth(fx, buyer, fx.shirtId);
      await expect(merchstand.connect(seller).refund(b.orderId, b.order, b.order.amount)).to.changeEtherBalance(
        ethers,
        buyer,
        b.order.amount,
      );
      expect(await merchstand.credits(buyer.address, ZERO)).to.equal(0);
      expect(await merchstand.credits(buyer.address, token)).to.equal(0);
      await expectConserved(fx, token);
      await expectConserved(fx, ZERO);
    });

    describe("when there is nothing to withdraw", () => {
      it("reverts with NothingToWithdraw", async () => {
        const { merchstand, other } = fx;
        await expect(merchstand.connect(other).withdraw(ZERO, other.address))
          .to.be.revertedWithCustomError(merchstand, "NothingToWithdraw")
          .withArgs(other.address, ZERO);
      });
    });

    describe("when the destination is the zero address", () => {
      it("reverts with ZeroAddress", async () => {
        const { merchstand, seller, buyer } = fx;
        const { orderId, order } = await buyEth(fx, buyer, fx.shirtId);
        await merchstand.connect(seller).refund(orderId, order, order.amount);
        await expect(merchstand.connect(buyer).withdraw(ZERO, ZERO)).to.be.revertedWithCustomError(
          merchstand,
          "ZeroAddress",
        );
      });
    });

    it("works while paused", async () => {
      const { merchstand, admin, seller, buyer, ethers } = fx;
      const refuser = await ethers.deployContract("RevertingReceiver");
      const { orderId, order } = await puppetBuys(refuser);
      await merchstand.connect(seller).refund(orderId, order, order.amount);
      await completed(fx.buyer2);
      await merchstand.connect(admin).pause();
      const data = merchstand.interface.encodeFunctionData("withdraw", [ZERO, buyer.address]);
      await expect(refuser.execute(await merchstand.getAddress(), 0, data)).to.emit(merchstand, "Withdrawal");
      await expect(merchstand.withdrawStoreBalance(fx.ethStoreId)).to.emit(merchstand, "StoreWithdrawal");
    });
  });

  describe("a payout address that refuses ETH", () => {
    it("is credited the balance, so it holds back neither the fees nor another store", async () => {
      const { merchstand, seller, other, feeRecipient, ethStoreId, ethers } = fx;
      const refuser = await ethers.deployContract("RevertingReceiver");
      const refuserAddress = await refuser.getAddress();
      await merchstand.connect(seller).setStorePayout(ethStoreId, refuserAddress);
      const { order } = await completed();
      const balance = (await merchstand.getStore(ethStoreId)).balance;
      const f = fee(order.amount, order.feeBps);
      await expect(merchstand.withdrawStoreBalance(ethStoreId))
        .to.emit(merchstand, "Credited")
        .withArgs(refuserAddress, ZERO, balance);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(0);
      expect(await merchstand.credits(refuserAddress, ZERO)).to.equal(balance);
      expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(f);

      // Another store in the same currency is unaffected.
      const storeId = await openStore(fx, other, { payout: other.address });
      const productId = await listProduct(fx, other, storeId, productInput({ digital: true, category: 5 }), [
        variant("PDF", 10n ** 15n, 10),
      ]);
      await (await buyDigitalAndConfirm(fx, fx.buyer2, productId)).wait();
      await expect(merchstand.withdrawStoreBalance(storeId)).to.emit(merchstand, "StoreWithdrawal");

      const toSeller = merchstand.interface.encodeFunctionData("withdraw", [ZERO, seller.address]);
      await expect(refuser.execute(await merchstand.getAddress(), 0, toSeller)).to.changeEtherBalance(
        ethers,
        seller,
        balance,
      );
      await expectConserved(fx, ZERO, [refuserAddress]);
    });
  });

  describe("a payout address that burns all gas", () => {
    it("makes only its own withdrawal fail", async () => {
      const { merchstand, seller, other, ethStoreId, ethers } = fx;
      const burner = await ethers.deployContract("GasBurner");
      const burnerAddress = await burner.getAddress();
      await merchstand.connect(seller).setStorePayout(ethStoreId, burnerAddress);
      await completed();
      const balance = (await merchstand.getStore(ethStoreId)).balance;
      // The payment burns 63/64 of the gas: at 1,000,000 the 1/64 left cannot write the fallback credit.
      await expect(merchstand.withdrawStoreBalance(ethStoreId, { gasLimit: 1_000_000 })).to.be.revert(ethers);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(balance);
      // With enough gas for the 1/64 to write it, the balance is credited to the payout address.
      await expect(merchstand.withdrawStoreBalance(ethStoreId, { gasLimit: 4_000_000 }))
        .to.emit(merchstand, "Credited")
        .withArgs(burnerAddress, ZERO, balance);

      const storeId = await openStore(fx, other, { payout: other.address });
      const productId = await listProduct(fx, other, storeId, productInput({ digital: true, category: 5 }), [
        variant("PDF", 10n ** 15n, 10),
      ]);
      await (await buyDigitalAndConfirm(fx, fx.buyer2, productId)).wait();
      await expect(merchstand.withdrawStoreBalance(storeId, { gasLimit: 1_000_000 })).to.emit(
        merchstand,
        "StoreWithdrawal",
      );
      await expectConserved(fx, ZERO, [burnerAddress]);
    });
  });

  describe("a buyer contract that refuses ETH", () => {
    it("cancels anyway, the escrow credited to it, and takes credits to another address", async () => {
      const { merchstand, seller, other, ethers } = fx;
      const refuser = await ethers.deployContract("RevertingReceiver");
      const address = await refuser.getAddress();
      const a = await puppetBuys(refuser);
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
      const cancel = merchstand.interface.encodeFunctionData("cancel", [a.orderId, a.order]);
      await expect(refuser.execute(await merchstand.getAddress(), 0, cancel))
        .to.emit(merchstand, "Credited")
        .withArgs(address, ZERO, a.order.amount);
      expect(await merchstand.orderStatus(a.orderId)).to.equal(Status.Cancelled);
      await expect(
        refuser.execute(
          await merchstand.getAddress(),
          0,
          merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]),
        ),
      ).to.changeEtherBalance(ethers, other, a.order.amount);

      // A refund the buyer refuses is credited, so the store never depends on the buyer accepting ETH.
      await refuser.setRefusing(true);
      const b = await puppetBuys(refuser);
      const refund = merchstand.connect(seller).refund(b.orderId, b.order, b.order.amount);
      await expect(refund).to.emit(merchstand, "OrderRefunded");
      await expect(refund).to.emit(merchstand, "Credited").withArgs(address, ZERO, b.order.amount);
      const toSelf = merchstand.interface.encodeFunctionData("withdraw", [ZERO, address]);
      await expect(refuser.execute(await merchstand.getAddress(), 0, toSelf))
        .to.be.revertedWithCustomError(merchstand, "EthTransferFailed")
        .withArgs(address, b.order.amount);
      const toOther = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      await expect(refuser.execute(await merchstand.getAddress(), 0, toOther)).to.changeEtherBalance(
        ethers,
        other,
        b.order.amount,
      );
      await expectConserved(fx, ZERO, [address]);
    });
  });

  describe("re-entrancy from a malicious receiver", () => {
    async function attacker() {
      const receiver = await fx.ethers.deployContract("ReentrantReceiver", [await fx.merchstand.getAddress()]);
      return { receiver, address: await receiver.getAddress(), target: await fx.merchstand.getAddress() };
    }
    const guardSelector = () => fx.merchstand.interface.getError("ReentrancyGuardReentrantCall")?.selector;

    it("cannot cancel twice from inside the cancel payment", async () => {
      const { merchstand, ethers } = fx;
      const { receiver, address, target } = await attacker();
      const { orderId, order } = await puppetBuys(receiver);
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
      await receiver.armCancel(orderId, order, false);
      const cancel = merchstand.interface.encodeFunctionData("cancel", [orderId, order]);
      await expect(receiver.execute(target, 0, cancel)).to.changeEtherBalances(
        ethers,
        [address, target],
        [order.amount, -order.amount],
      );
      expect(await receiver.receivedCount()).to.equal(1);
      expect(await receiver.reentrySucceeded()).to.equal(0);
      expect(await receiver.reentryFailed()).to.equal(1);
      expect(await receiver.lastRevertData()).to.equal(guardSelector());
      await expectConserved(fx, ZERO, [address]);
    });

    it("gets a credit instead of the payment when the attacker reverts on the guard's error", async () => {
      const { merchstand } = fx;
      const { receiver, address, target } = await attacker();
      const { orderId, order } = await puppetBuys(receiver);
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
      await receiver.armCancel(orderId, order, true);
      const cancel = merchstand.interface.encodeFunctionData("cancel", [orderId, order]);
      await expect(receiver.execute(target, 0, cancel))
        .to.emit(merchstand, "Credited")
        .withArgs(address, ZERO, order.amount);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Cancelled);
      expect(await receiver.reentrySucceeded()).to.equal(0);
      await expectConserved(fx, ZERO, [address]);
    });

    it("cannot withdraw credits twice", async () => {
      const { merchstand, seller, ethers } = fx;
      const { receiver, address, target } = await attacker();
      const a = await puppetBuys(receiver);
      const b = await puppetBuys(receiver);
      await merchstand.connect(seller).refund(a.orderId, a.order, a.order.amount);
      await receiver.armWithdraw(ZERO, false);
      const withdraw = merchstand.interface.encodeFunctionData("withdraw", [ZERO, address]);
      await expect(receiver.execute(target, 0, withdraw)).to.changeEtherBalance(ethers, address, a.order.amount);
      expect(await receiver.reentrySucceeded()).to.equal(0);
      expect(await receiver.lastRevertData()).to.equal(guardSelector());
      expect(await merchstand.credits(address, ZERO)).to.equal(0);
      // The other order's escrow is untouched.
      expect(await merchstand.orderStatus(b.orderId)).to.equal(Status.Paid);
      await expectConserved(fx, ZERO, [address]);
    });

    it("cannot withdraw a store balance twice as its payout", async () => {
      const { merchstand, seller, ethStoreId, ethers } = fx;
      const { receiver, address } = await attacker();
      await merchstand.connect(seller).setStorePayout(ethStoreId, address);
      await completed();
      await completed(fx.buyer2);
      const balance = (await merchstand.getStore(ethStoreId)).balance;
      await receiver.armWithdrawStoreBalance(ethStoreId, false);
      await expect(merchstand.withdrawStoreBalance(ethStoreId)).to.changeEtherBalance(ethers, address, balance);
      expect(await receiver.reentrySucceeded()).to.equal(0);
      expect(await receiver.reentryFailed()).to.equal(1);
      expect((await merchstand.getStore(ethStoreId)).balance).to.equal(0);
      await expectConserved(fx, ZERO, [address]);
    });

    it("cannot buy or complete someone else's order from inside a payment", async () => {
      const { merchstand, buyer, shirtId } = fx;
      const { receiver, address, target } = await attacker();
      const victim = await buyEth(fx, buyer, shirtId);
      const victimShipped: Order = await ship(fx, victim.orderId, victim.order);
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).deliveryWindow);
      const price = await priceOf(fx, shirtId);
      const reentries = [
        merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(shirtId, 0, 1, price), SHIPPING]),
        merchstand.interface.encodeFunctionData("complete", [victim.orderId, victimShipped]),
      ];
      // The attempt is made from inside the payment of the attacker's own cancel (paid with all gas).
      for (const [i, data] of reentries.entries()) {
        const own = await puppetBuys(receiver);
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        await receiver.armCall(data, false);
        await receiver.execute(target, 0, merchstand.interface.encodeFunctionData("cancel", [own.orderId, own.order]));
        expect(await merchstand.orderStatus(own.orderId)).to.equal(Status.Cancelled);
        expect(await receiver.reentryFailed()).to.equal(i + 1);
        expect(await receiver.lastRevertData()).to.equal(guardSelector());
      }
      expect(await receiver.reentrySucceeded()).to.equal(0);
      // Outside a payment the same completion is allowed (the delivery window has passed), so only the guard
      // stopped it above.
      expect(await merchstand.orderStatus(victim.orderId)).to.equal(Status.Shipped);
      await expect(merchstand.complete(victim.orderId, victimShipped)).to.emit(merchstand, "OrderCompleted");
      await expectConserved(fx, ZERO, [address]);
    });
  });

  describe("re-entrancy from a malicious allow-listed token", () => {
    it("cannot re-enter from inside the purchase's transferFrom", async () => {
      const { merchstand, admin, seller, buyer, ethers } = fx;
      const token = await ethers.deployContract("MaliciousToken");
      const tokenAddress = await token.getAddress();
      await merchstand.connect(admin).setCurrencyAllowed(tokenAddress, true);
      const storeId = await openStore(fx, seller, { currency: tokenAddress });
      const productId = await listProduct(fx, seller, storeId, productInput({ digital: true, category: 5 }), [
        variant("PDF", 1_000n, 10),
      ]);
      await token.mint(buyer.address, 10_000n);
      await token.connect(buyer).approve(await merchstand.getAddress(), 10_000n);
      await merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1_000n), BUYER_KEY);
      // Mid-purchase the order is placed but not yet paid for: a re-entry must not run at all.
      const reentry = merchstand.interface.encodeFunctionData("withdrawStoreBalance", [storeId]);
      await token.armReentry(2, await merchstand.getAddress(), reentry, false);
      await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1_000n), BUYER_KEY)).to.emit(
        merchstand,
        "OrderPlaced",
      );
      expect(await token.reentrySucceeded()).to.equal(0);
      expect(await token.reentryFailed()).to.equal(1);
      expect(await token.lastRevertData()).to.equal(
        merchstand.interface.getError("ReentrancyGuardReentrantCall")?.selector,
      );
      await expectConserved(fx, tokenAddress);
    });
  });

  describe("conservation", () => {
    it("holds per currency after a mixed run of every money path", async () => {
      const { merchstand, seller, buyer, buyer2, arbiter, feeRecipient, usd, ethStoreId, usdStoreId } = fx;
      const token = await usd.getAddress();
      // ETH: completed, partially refunded then completed, fully refunded, cancelled, resolved by the arbiter,
      // resolved by default, open, digital.
      await completed();
      const p = await buyEth(fx, buyer2, fx.shirtId, { quantity: 2n });
      await merchstand.connect(seller).refund(p.orderId, p.order, 7n);
      const pShipped = await ship(fx, p.orderId, p.order);
      await merchstand.connect(buyer2).complete(p.orderId, pShipped);
      const r = await buyEth(fx, buyer, fx.shirtId);
      await merchstand.connect(seller).refund(r.orderId, r.order, r.order.amount);
      const c = await buyEth(fx, buyer, fx.shirtId);
      const d1 = await buyEth(fx, buyer, fx.shirtId);
      const d1d = await disputeOrder(fx, d1.orderId, await ship(fx, d1.orderId, d1.order));
      await merchstand.connect(arbiter).resolveDispute(d1.orderId, d1d, d1d.amount / 3n);
      const d2 = await buyEth(fx, buyer2, fx.shirtId);
      const d2d = await disputeOrder(fx, d2.orderId, await ship(fx, d2.orderId, d2.order), buyer2);
      await buyEth(fx, buyer, fx.shirtId);
      await buyEth(fx, buyer, fx.ebookId, { shipping: BUYER_KEY });
      await fx.networkHelpers.time.increase(
        Number((await fixtureTerms(fx)).shipWindow) + Number(await merchstand.ARBITER_WINDOW()),
      );
      await merchstand.connect(buyer).cancel(c.orderId, c.order);
      await merchstand.resolveExpiredDispute(d2.orderId, d2d);
      await expectConserved(fx, ZERO);
      // Buyers were paid straight away; the fees reach the fee recipient with the store's withdrawal.
      await merchstand.withdrawStoreBalance(ethStoreId);
      await merchstand.connect(feeRecipient).withdraw(ZERO, feeRecipient.address);
      await expectConserved(fx, ZERO);

      // ERC-20: completed, refunded, open.
      const u1 = await buyUsd(fx, buyer, 2n);
      await merchstand.connect(buyer).complete(u1.orderId, await ship(fx, u1.orderId, u1.order));
      const u2 = await buyUsd(fx, buyer2);
      await merchstand.connect(seller).refund(u2.orderId, u2.order, u2.order.amount / 2n);
      await buyUsd(fx, buyer);
      await expectConserved(fx, token);
      await merchstand.withdrawStoreBalance(usdStoreId);
      await merchstand.connect(feeRecipient).withdraw(token, feeRecipient.address);
      await expectConserved(fx, token);
      await expectConserved(fx, ZERO);
    });
  });

  describe("earnings that do not fit in a store balance (120 bits)", () => {
    async function hugeOrder(quantity: bigint, price = 2n ** 96n - 1n) {
      const { merchstand, seller, buyer, usd, usdStoreId } = fx;
      const productId = await listProduct(fx, seller, usdStoreId, productInput({ name: "Gold record" }), [
        variant("One", price, Number(quantity)),
      ]);
      await usd.mint(buyer.address, price * quantity);
      await usd.connect(buyer).approve(await merchstand.getAddress(), price * quantity);
      const { orderId, order } = await placed(
        merchstand,
        merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, quantity, price), SHIPPING),
      );
      return { orderId, order: await ship(fx, orderId, order) };
    }

    it("are credited to the payout address instead of blocking completion of a huge order", async () => {
      const { merchstand, buyer, seller, usd, usdStoreId } = fx;
      const token = await usd.getAddress();
      const { orderId, order } = await hugeOrder(2n ** 25n);
      const f = fee(order.amount, order.feeBps);
      expect(order.amount - f).to.be.greaterThan(2n ** 120n);
      const tx = merchstand.connect(buyer).complete(orderId, order);
      await expect(tx)
        .to.emit(merchstand, "OrderCompleted")
        .withArgs(orderId, usdStoreId, order.amount - f, f);
      await expect(tx)
        .to.emit(merchstand, "Credited")
        .withArgs(seller.address, token, order.amount - f);
      expect((await merchstand.getStore(usdStoreId)).balance).to.equal(0);
      expect(await merchstand.credits(seller.address, token)).to.equal(order.amount - f);
      await expectConserved(fx, token);
      await expect(merchstand.connect(seller).withdraw(token, seller.address)).to.emit(merchstand, "Withdrawal");
      await expectConserved(fx, token);
    });

    it("are credited to the payout address when the balance is full, and the balance stays as it was", async () => {
      const { merchstand, admin, buyer, seller, usd, usdStoreId } = fx;
      const token = await usd.getAddress();
      // At a zero fee the whole amount, (2^90 + 2^60 + 2^30 + 1)(2^30 - 1) = 2^120 - 1, lands in the balance: it is
      // then exactly full.
      await merchstand.connect(admin).setFee(0);
      const first = await hugeOrder(2n ** 30n - 1n, 2n ** 90n + 2n ** 60n + 2n ** 30n + 1n);
      await merchstand.connect(buyer).complete(first.orderId, first.order);
      expect((await merchstand.getStore(usdStoreId)).balance).to.equal(2n ** 120n - 1n);
      const { orderId, order } = await buyUsd(fx, fx.buyer2);
      const sent = await ship(fx, orderId, order);
      await expect(merchstand.connect(fx.buyer2).complete(orderId, sent))
        .to.emit(merchstand, "Credited")
        .withArgs(seller.address, token, order.amount);
      expect((await merchstand.getStore(usdStoreId)).balance).to.equal(2n ** 120n - 1n);
      expect(await merchstand.credits(seller.address, token)).to.equal(order.amount);
      await expectConserved(fx, token);
    });
  });
});
