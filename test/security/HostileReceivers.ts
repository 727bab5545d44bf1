// Accounts that refuse ETH or burn all the gas they are given, in every role that can receive money: buyer (cancel),
// store payout (withdrawStoreBalance, callable by anyone), fee recipient, and withdrawal target. Each must harm only
// itself: every other order, store and account keeps working, and the hostile account's money is parked, not lost.
import { expect } from "chai";
import type { GasBurner, RevertingReceiver } from "../../types/ethers-contracts/index.ts";
import {
  buyDigitalAndConfirm,
  buyEth,
  disputeOrder,
  expectConserved,
  type Fx,
  fee,
  fixtureTerms,
  load,
  type Order,
  packLine,
  placed,
  priceOf,
  SHIPPING,
  Status,
  ship,
  ZERO,
} from "../contracts/support/helpers.ts";

describe("Security: hostile receivers", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  type PuppetContract = RevertingReceiver | GasBurner;

  async function puppetBuys(puppet: PuppetContract): Promise<{ orderId: bigint; order: Order }> {
    const price = await priceOf(fx, fx.shirtId);
    const data = fx.merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(fx.shirtId, 0, 1, price), SHIPPING]);
    const target = await fx.merchstand.getAddress();
    const { orderId, order } = await placed(fx.merchstand, puppet.execute(target, price, data, { value: price }));
    return { orderId, order };
  }

  describe("a buyer contract that burns all gas", () => {
    it("still gets out of its own cancel, as a credit it withdraws elsewhere; the store and other buyers carry on", async () => {
      const { merchstand, seller, buyer, other, ethers } = fx;
      const burner = (await ethers.deployContract("GasBurner")) as unknown as GasBurner;
      const burnerAddress = await burner.getAddress();
      const target = await merchstand.getAddress();
      const mine = await puppetBuys(burner);
      const refundable = await puppetBuys(burner);
      const theirs = await buyEth(fx, buyer, fx.shirtId);
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);

      const cancel = merchstand.interface.encodeFunctionData("cancel", [mine.orderId, mine.order]);
      // Merchstand forwards all gas to the push; the 1/64 the EVM keeps back is enough to credit the buyer instead.
      await expect(burner.execute(target, 0, cancel, { gasLimit: 3_000_000 }))
        .to.emit(merchstand, "Credited")
        .withArgs(burnerAddress, ZERO, mine.order.amount);
      expect(await merchstand.orderStatus(mine.orderId)).to.equal(Status.Cancelled);

      await expect(merchstand.connect(buyer).cancel(theirs.orderId, theirs.order)).to.changeEtherBalance(
        ethers,
        buyer,
        theirs.order.amount,
      );
      // The store refunds into credits, which the burner can take to any address it likes.
      await (
        await merchstand.connect(seller).refund(refundable.orderId, refundable.order, refundable.order.amount)
      ).wait();
      const toOther = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      await expect(burner.execute(target, 0, toOther)).to.changeEtherBalance(
        ethers,
        other,
        mine.order.amount + refundable.order.amount,
      );
      await expectConserved(fx, ZERO, [burnerAddress]);
    });
  });

  describe("a store payout that burns all gas", () => {
    for (const gasLimit of [200_000, 1_000_000, 10_000_000]) {
      it(`for a caller sending ${gasLimit.toLocaleString("en")} gas, either reverts with the balance kept or credits the payout`, async () => {
        const { merchstand, seller, buyer2, ethStoreId, ethers } = fx;
        const burner = (await ethers.deployContract("GasBurner")) as unknown as GasBurner;
        const burnerAddress = await burner.getAddress();
        await (await merchstand.connect(seller).setStorePayout(ethStoreId, burnerAddress)).wait();
        await (await buyDigitalAndConfirm(fx, buyer2, fx.ebookId)).wait();
        const balance = (await merchstand.getStore(ethStoreId)).balance;
        const tx = merchstand.connect(fx.other).withdrawStoreBalance(ethStoreId, { gasLimit });
        if (gasLimit <= 1_000_000) {
          // The payment burns 63/64 of the gas; the 1/64 left cannot write the fallback credit, so nothing moves.
          await expect(tx).to.be.revert(ethers);
          expect((await merchstand.getStore(ethStoreId)).balance).to.equal(balance);
        } else {
          await expect(tx).to.emit(merchstand, "Credited").withArgs(burnerAddress, ZERO, balance);
          expect(await merchstand.credits(burnerAddress, ZERO)).to.equal(balance);
        }
        await expectConserved(fx, ZERO, [burnerAddress]);
      });
    }
  });

  describe("a fee recipient that refuses ETH", () => {
    it("never holds up a completion or a dispute; its fees wait as credits it can send elsewhere", async () => {
      const { merchstand, admin, buyer, buyer2, arbiter, other, ethers } = fx;
      const refuser = (await ethers.deployContract("RevertingReceiver")) as unknown as RevertingReceiver;
      const refuserAddress = await refuser.getAddress();
      await (await merchstand.connect(admin).setFeeRecipient(refuserAddress)).wait();

      const a = await buyEth(fx, buyer, fx.shirtId);
      const aShipped = await ship(fx, a.orderId, a.order);
      await expect(merchstand.connect(buyer).complete(a.orderId, aShipped)).to.emit(merchstand, "OrderCompleted");
      const b = await buyEth(fx, buyer2, fx.shirtId);
      const bDisputed = await disputeOrder(fx, b.orderId, await ship(fx, b.orderId, b.order), buyer2);
      await expect(merchstand.connect(arbiter).resolveDispute(b.orderId, bDisputed, 0n)).to.emit(
        merchstand,
        "DisputeResolved",
      );
      const fees = fee(a.order.amount, a.order.feeBps) + fee(b.order.amount, b.order.feeBps);
      // The store owes them until its funds are withdrawn; then they are credited, never pushed.
      expect(await merchstand.storeFeesOwed(fx.ethStoreId)).to.equal(fees);
      await expect(merchstand.withdrawStoreBalance(fx.ethStoreId)).to.emit(merchstand, "StoreWithdrawal");
      expect(await merchstand.credits(refuserAddress, ZERO)).to.equal(fees);

      const target = await merchstand.getAddress();
      const toSelf = merchstand.interface.encodeFunctionData("withdraw", [ZERO, refuserAddress]);
      await expect(refuser.execute(target, 0, toSelf)).to.be.revertedWithCustomError(merchstand, "EthTransferFailed");
      const toOther = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      await expect(refuser.execute(target, 0, toOther)).to.changeEtherBalance(ethers, other, fees);
      await expectConserved(fx, ZERO, [refuserAddress]);
    });
  });

  describe("a buyer contract that refuses ETH, in a dispute", () => {
    it("is credited by both the arbiter's ruling and the expiry path when their push fails", async () => {
      const { merchstand, arbiter, other, ethers } = fx;
      const refuser = (await ethers.deployContract("RevertingReceiver")) as unknown as RevertingReceiver;
      const refuserAddress = await refuser.getAddress();
      const target = await merchstand.getAddress();
      const ruled = await puppetBuys(refuser);
      const expired = await puppetBuys(refuser);
      const disputed: Order[] = [];
      for (const o of [ruled, expired]) {
        const shipped = await ship(fx, o.orderId, o.order);
        const data = merchstand.interface.encodeFunctionData("dispute", [o.orderId, shipped, "never came"]);
        const receipt = await (await refuser.execute(target, 0, data)).wait();
        if (receipt === null) throw new Error("no receipt");
        disputed.push(fx.applyOrderEvents(merchstand, o.orderId, shipped, receipt));
      }
      const [ruledOrder, expiredOrder] = disputed as [Order, Order];
      await (await merchstand.connect(arbiter).resolveDispute(ruled.orderId, ruledOrder, ruledOrder.amount)).wait();
      await fx.networkHelpers.time.increase(await merchstand.ARBITER_WINDOW());
      await (await merchstand.connect(other).resolveExpiredDispute(expired.orderId, expiredOrder)).wait();
      const owed = ruledOrder.amount + expiredOrder.amount;
      expect(await merchstand.credits(refuserAddress, ZERO)).to.equal(owed);
      const toOther = merchstand.interface.encodeFunctionData("withdraw", [ZERO, other.address]);
      await expect(refuser.execute(target, 0, toOther)).to.changeEtherBalance(ethers, other, owed);
      await expectConserved(fx, ZERO, [refuserAddress]);
    });
  });

  describe("a withdrawal sent to an address that burns gas", () => {
    it("fails for the account that chose it, keeps its credits, and works when sent elsewhere", async () => {
      const { merchstand, seller, buyer, ethers } = fx;
      const burner = await ethers.deployContract("GasBurner");
      const burnerAddress = await burner.getAddress();
      // A buyer contract that refuses ETH holds its refund as a credit.
      const refuser = (await ethers.deployContract("RevertingReceiver")) as unknown as RevertingReceiver;
      const refuserAddress = await refuser.getAddress();
      const target = await merchstand.getAddress();
      const o = await puppetBuys(refuser);
      await (await merchstand.connect(seller).refund(o.orderId, o.order, o.order.amount)).wait();
      const toBurner = merchstand.interface.encodeFunctionData("withdraw", [ZERO, burnerAddress]);
      await expect(refuser.execute(target, 0, toBurner, { gasLimit: 2_000_000 }))
        .to.be.revertedWithCustomError(merchstand, "EthTransferFailed")
        .withArgs(burnerAddress, o.order.amount);
      expect(await merchstand.credits(refuserAddress, ZERO)).to.equal(o.order.amount);
      const toBuyer = merchstand.interface.encodeFunctionData("withdraw", [ZERO, buyer.address]);
      await expect(refuser.execute(target, 0, toBuyer)).to.changeEtherBalance(ethers, buyer, o.order.amount);
      await expectConserved(fx, ZERO, [refuserAddress]);
    });
  });
});
