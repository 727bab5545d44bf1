// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Merchstand} from "../../contracts/Merchstand.sol";
import {MerchstandDeployed} from "../../contracts/MerchstandDeployed.sol";
import {MerchstandDrops} from "../../contracts/base/MerchstandDrops.sol";
import {IMerchstand} from "../../contracts/interfaces/IMerchstand.sol";
import {MockUSD} from "../../contracts/mocks/MockUSD.sol";
import {Seeds, Units} from "./invariant/MerchstandHandler.sol";
import {Vm, vm} from "./support/Vm.sol";
import {packLine} from "./support/PackedLine.sol";

/// @title Merchstand money-path fuzz tests
/// @notice Each test takes amounts, fees, splits and times from the fuzzer and checks the exact arithmetic of one
/// money path end to end, down to what each party can withdraw. The invariant suite checks the same ledgers
/// over random sequences; these pin the edges (rounding, window boundaries, bounds of every amount).
contract MerchstandFuzzTest {
    using Seeds for uint256;

    address internal constant ETH = address(0);
    uint32 internal constant SHIP = 7 days;
    uint32 internal constant DELIVERY = 14 days;

    MerchstandDeployed internal ms;
    MockUSD internal usd;
    address internal seller = vm.addr(0x5E11);
    address internal payout = vm.addr(0x9A1);
    address internal buyer = vm.addr(0xB1);
    address internal arbiter = vm.addr(0xAB);
    address internal feeTo = vm.addr(0xFE);
    address internal stranger = vm.addr(0x57);
    uint64 internal ethStore;
    uint64 internal usdStore;

    function setUp() public {
        usd = new MockUSD();
        address[] memory allowed = new address[](1);
        allowed[0] = address(usd);
        // This contract is the admin, so it can set the fee directly.
        ms = MerchstandDeployed(
            payable(address(new Merchstand(address(this), 250, feeTo, allowed, address(new MerchstandDrops()))))
        );
        ethStore = _open(ETH);
        usdStore = _open(address(usd));
    }

    // ═══════════════════════════════ Purchase and completion ═══════════════════════════════

    /// @notice Completion splits the escrow into the store's share and a floor-rounded fee at the order's rate;
    /// both can be withdrawn and the contract ends holding nothing.
    function testFuzz_completionSplitsEscrowIntoStoreShareAndFee(
        uint256 priceSeed,
        uint256 qtySeed,
        uint256 feeSeed,
        bool inUsd
    ) public {
        uint96 price = uint96(priceSeed.bound(1, inUsd ? 1e15 : 1e24));
        uint32 qty = uint32(qtySeed.bound(1, 1000));
        uint16 fee = uint16(feeSeed.bound(0, ms.MAX_FEE_BPS()));
        ms.setFee(fee);
        address currency = inUsd ? address(usd) : ETH;
        (uint256 id, IMerchstand.Order memory o) = _buy(inUsd ? usdStore : ethStore, price, qty);
        uint256 amount = uint256(price) * qty;
        vm.assertEq(o.amount, amount, "escrowed amount");
        vm.assertEq(_held(currency), amount, "held after purchase");

        o = _ship(id, o);
        vm.prank(buyer);
        ms.complete(id, o);

        uint256 feeAmount = amount * fee / 10_000;
        uint64 storeId = inUsd ? usdStore : ethStore;
        vm.assertEq(ms.getStore(storeId).balance, amount - feeAmount, "store share");
        vm.assertEq(ms.storeFeesOwed(storeId), feeAmount, "fee owed by the store");

        ms.withdrawStoreBalance(storeId);
        vm.assertEq(_balance(currency, payout), amount - feeAmount, "payout received the share");
        vm.assertEq(ms.storeFeesOwed(storeId), 0, "fees moved on withdrawal");
        vm.assertEq(ms.credits(feeTo, currency), feeAmount, "fee credited to the fee recipient");
        if (feeAmount != 0) {
            vm.prank(feeTo);
            ms.withdraw(currency, feeTo);
        }
        vm.assertEq(_balance(currency, feeTo), feeAmount, "fee recipient received the fee");
        vm.assertEq(_held(currency), 0, "nothing left behind");
    }

    /// @notice An ETH purchase takes exactly the price times the quantity: any other value is refused and nothing
    /// changes.
    function testFuzz_ethPaymentMustBeExact(uint256 priceSeed, uint256 qtySeed, uint256 sent) public {
        uint96 price = uint96(priceSeed.bound(1, 1e24));
        uint32 qty = uint32(qtySeed.bound(1, 1000));
        uint256 amount = uint256(price) * qty;
        sent = sent.bound(0, amount * 2);
        if (sent == amount) sent = amount + 1;
        uint64 pid = _list(ethStore, price, qty, false);
        vm.deal(buyer, sent);
        vm.expectRevert(abi.encodeWithSelector(IMerchstand.IncorrectPayment.selector, amount, sent));
        vm.prank(buyer);
        ms.buy_oT9la{value: sent}(packLine(pid, 0, qty, price), hex"01");
        vm.assertEq(ms.getProduct(pid).variants[0].stock, qty, "stock untouched");
        vm.assertEq(_held(ETH), 0, "nothing held");
    }

    /// @notice An ERC-20 purchase pulls exactly the total, and refuses ETH sent along with it.
    function testFuzz_tokenPaymentPullsExactlyTheTotal(uint256 priceSeed, uint256 qtySeed, uint256 extra) public {
        uint96 price = uint96(priceSeed.bound(1, 1e15));
        uint32 qty = uint32(qtySeed.bound(1, 1000));
        uint256 amount = uint256(price) * qty;
        extra = extra.bound(0, 1e18);
        uint64 pid = _list(usdStore, price, qty, false);
        usd.mint(buyer, amount + extra);
        vm.prank(buyer);
        usd.approve(address(ms), type(uint256).max);

        vm.deal(buyer, 1);
        vm.expectRevert(abi.encodeWithSelector(IMerchstand.IncorrectPayment.selector, 0, 1));
        vm.prank(buyer);
        ms.buy_oT9la{value: 1}(packLine(pid, 0, qty, price), hex"01");

        vm.prank(buyer);
        ms.buy_oT9la(packLine(pid, 0, qty, price), hex"01");
        vm.assertEq(usd.balanceOf(buyer), extra, "buyer paid exactly the total");
        vm.assertEq(_held(address(usd)), amount, "contract holds exactly the total");
    }

    /// @notice A cart charges the sum of its lines at the prices charged, and takes each line out of stock.
    function testFuzz_cartChargesTheSumOfItsLines(uint256[5] memory prices, uint256[5] memory qtys) public {
        IMerchstand.CartOrder[] memory cart = new IMerchstand.CartOrder[](1);
        cart[0].storeId = ethStore;
        cart[0].termsVersion = 1;
        cart[0].shipping = hex"01";
        cart[0].lines = new IMerchstand.LineInput[](5);
        uint256 total;
        for (uint256 i; i < 5; ++i) {
            uint96 price = uint96(prices[i].bound(1, 1e22));
            uint32 qty = uint32(qtys[i].bound(1, 500));
            uint64 pid = _list(ethStore, price, qty + 1, false);
            cart[0].lines[i] = IMerchstand.LineInput(pid, 0, qty, price);
            total += uint256(price) * qty;
        }
        vm.deal(buyer, total);
        vm.recordLogs();
        vm.prank(buyer);
        uint256 id = ms.checkout{value: total}(cart)[0];
        IMerchstand.Order memory o = _placedOrder();
        vm.assertEq(o.amount, total, "order amount");
        vm.assertEq(_held(ETH), total, "held");
        for (uint256 i; i < 5; ++i) {
            vm.assertEq(ms.getProduct(cart[0].lines[i].productId).variants[0].stock, 1, "line taken out of stock");
            vm.assertEq(o.lines[i].unitPrice, cart[0].lines[i].maxUnitPrice, "unit price");
        }
        vm.assertEq(uint256(ms.orderStatus(id)), uint256(IMerchstand.OrderStatus.Paid), "paid");
    }

    /// @notice Every order that can be bought can also be completed, whatever its size: the store side of the escrow
    /// always has a way out, and its whole share reaches the payout (through the 120-bit store balance, or as
    /// credits to the payout address for what does not fit).
    function testFuzz_everyPurchasableOrderCanComplete(uint256 priceSeed, uint256 qtySeed) public {
        uint96 price = uint96(priceSeed.bound(1, type(uint96).max));
        uint32 qty = uint32(qtySeed.bound(1, type(uint32).max));
        uint256 amount = uint256(price) * qty;
        uint256 feeAmount = amount * ms.feeBps() / 10_000;
        (uint256 id, IMerchstand.Order memory o) = _buy(usdStore, price, qty);
        o = _ship(id, o);
        vm.warp(block.timestamp + DELIVERY);
        vm.prank(stranger);
        ms.complete(id, o);
        vm.assertEq(uint256(ms.orderStatus(id)), uint256(IMerchstand.OrderStatus.Completed), "completed");
        vm.assertEq(
            ms.getStore(usdStore).balance + ms.credits(payout, address(usd)), amount - feeAmount, "store share kept"
        );
        vm.assertEq(ms.storeFeesOwed(usdStore) + ms.credits(feeTo, address(usd)), feeAmount, "fee");

        if (ms.getStore(usdStore).balance != 0 || ms.storeFeesOwed(usdStore) != 0) ms.withdrawStoreBalance(usdStore);
        vm.assertEq(ms.credits(feeTo, address(usd)), feeAmount, "the fee recipient is credited the whole fee");
        if (ms.credits(payout, address(usd)) != 0) {
            vm.prank(payout);
            ms.withdraw(address(usd), payout);
        }
        vm.assertEq(usd.balanceOf(payout), amount - feeAmount, "the payout received the whole share");
        vm.assertEq(_held(address(usd)), feeAmount, "only the fee is left inside");
    }

    // ═══════════════════════════════ Refunds ═══════════════════════════════

    /// @notice Two partial refunds pay the buyer what was asked rounded up to the order's refund unit (never less,
    /// less than one unit more), keep the stock sold, and the rest completes with the fee taken from the remainder.
    function testFuzz_partialRefundsThenCompletion(
        uint256 priceSeed,
        uint256 qtySeed,
        uint256 r1Seed,
        uint256 r2Seed,
        uint256 feeSeed
    ) public {
        uint96 price = uint96(priceSeed.bound(3, 1e24));
        uint32 qty = uint32(qtySeed.bound(1, 100));
        uint16 fee = uint16(feeSeed.bound(0, ms.MAX_FEE_BPS()));
        ms.setFee(fee);
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, price, qty);
        uint256 amount = o.amount;
        uint256 unit = Units.refundUnit(amount);
        // The most units partial refunds may reach: something must stay escrowed.
        uint256 most = (amount - 1) / unit;
        uint128 r1 = uint128(r1Seed.bound(1, (most - 1) * unit));
        uint256 p1 = Units.roundUp(r1, unit);
        uint128 r2 = uint128(r2Seed.bound(1, most * unit - p1));
        uint256 p2 = Units.roundUp(r2, unit);
        uint256 before = buyer.balance;

        vm.prank(seller);
        ms.refund(id, o, r1);
        // The order struct does not change with a refund: the same one is passed back throughout.
        o = _ship(id, o);
        vm.prank(seller);
        ms.refund(id, o, r2);
        vm.assertEq(ms.refundedUnits(id) * unit, p1 + p2, "refunds counted beside the order, in units");
        vm.assertEq(buyer.balance - before, p1 + p2, "buyer paid both refunds, rounded up");
        vm.assertGe(p1 + p2, uint256(r1) + r2, "never less than asked");
        vm.assertLt(p1 + p2 - r1 - r2, 2 * unit, "less than a unit more per refund");
        vm.assertEq(ms.credits(buyer, ETH), 0, "nothing left waiting as a credit");
        vm.assertEq(ms.getProduct(o.lines[0].productId).variants[0].stock, 0, "partial refunds keep the stock sold");
        vm.assertEq(uint256(ms.orderStatus(id)), uint256(IMerchstand.OrderStatus.Shipped), "still shipped");

        vm.prank(buyer);
        ms.complete(id, o);
        uint256 remaining = amount - p1 - p2;
        uint256 feeAmount = remaining * fee / 10_000;
        vm.assertEq(ms.getStore(ethStore).balance, remaining - feeAmount, "store share of the remainder");
        vm.assertEq(ms.storeFeesOwed(ethStore), feeAmount, "fee on the remainder only");
        vm.assertEq(_held(ETH), remaining, "the remainder inside until withdrawn");
    }

    /// @notice The refund unit is the smallest power of ten with unit * 2^20 >= amount, whatever the amount.
    function testFuzz_refundUnitBoundsTheCount(uint256 priceSeed, uint256 qtySeed, uint256 rSeed) public {
        uint96 price = uint96(priceSeed.bound(1, 1e24));
        uint32 qty = uint32(qtySeed.bound(1, 100));
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, price, qty);
        uint256 amount = o.amount;
        uint256 unit = Units.refundUnit(amount);
        vm.assertGe(unit << 20, amount, "2^20 units cover the amount");
        if (unit > 1) vm.assertLt((unit / 10) << 20, amount, "no smaller power of ten would");
        uint256 most = (amount - 1) / unit;
        vm.assertLt(most, 1 << 20, "the count fits its 20 bits");
        if (most == 0) return;
        // The largest partial refund possible leaves less than two units and at least one wei escrowed.
        uint128 r = uint128(rSeed.bound((most - 1) * unit + 1, most * unit));
        vm.prank(seller);
        ms.refund(id, o, r);
        vm.assertEq(ms.refundedUnits(id), most, "counted up to the last whole unit");
        vm.assertEq(_held(ETH), amount - most * unit, "the rest still escrowed");
        // One wei more than the escrow could hold in whole units is refused, not rounded into a full refund.
        if (amount - most * unit > 1) {
            vm.prank(seller);
            vm.expectRevert(abi.encodeWithSelector(IMerchstand.InvalidAmount.selector, id, 1, amount - most * unit));
            ms.refund(id, o, 1);
        }
    }

    /// @notice A refund of zero or of more than is escrowed is refused; a full refund returns the stock.
    function testFuzz_refundMustLieWithinEscrow(uint256 priceSeed, uint256 qtySeed, uint256 over) public {
        uint96 price = uint96(priceSeed.bound(1, 1e24));
        uint32 qty = uint32(qtySeed.bound(1, 100));
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, price, qty);
        uint128 tooMuch = uint128(over.bound(uint256(o.amount) + 1, type(uint128).max));
        vm.expectRevert(abi.encodeWithSelector(IMerchstand.InvalidAmount.selector, id, tooMuch, o.amount));
        vm.prank(seller);
        ms.refund(id, o, tooMuch);
        vm.expectRevert(abi.encodeWithSelector(IMerchstand.InvalidAmount.selector, id, 0, o.amount));
        vm.prank(seller);
        ms.refund(id, o, 0);

        uint256 before = buyer.balance;
        vm.prank(seller);
        ms.refund(id, o, o.amount);
        vm.assertEq(buyer.balance - before, o.amount, "full refund paid to the buyer");
        vm.assertEq(ms.getProduct(o.lines[0].productId).variants[0].stock, qty, "full refund returns the stock");
        vm.assertEq(uint256(ms.orderStatus(id)), uint256(IMerchstand.OrderStatus.Refunded), "refunded");
    }

    // ═══════════════════════════════ Disputes ═══════════════════════════════

    /// @notice The arbiter's split gives the buyer exactly `toBuyer`, the store the rest less the fee (taken from
    /// the store's share only), and loses nothing; a split above the escrow is refused.
    function testFuzz_disputeSplit(uint256 priceSeed, uint256 qtySeed, uint256 toBuyerSeed, uint256 feeSeed) public {
        uint96 price = uint96(priceSeed.bound(1, 1e24));
        uint32 qty = uint32(qtySeed.bound(1, 100));
        uint16 fee = uint16(feeSeed.bound(0, ms.MAX_FEE_BPS()));
        ms.setFee(fee);
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, price, qty);
        o = _ship(id, o);
        vm.prank(buyer);
        ms.dispute(id, o, "arrived torn");
        o.disputedAt = uint40(block.timestamp);
        uint256 amount = o.amount;
        uint128 toBuyer = uint128(toBuyerSeed.bound(0, amount));

        vm.expectRevert(abi.encodeWithSelector(IMerchstand.InvalidAmount.selector, id, amount + 1, amount));
        vm.prank(arbiter);
        ms.resolveDispute(id, o, uint128(amount + 1));

        uint256 before = buyer.balance;
        vm.prank(arbiter);
        ms.resolveDispute(id, o, toBuyer);
        uint256 share = amount - toBuyer;
        uint256 feeAmount = share * fee / 10_000;
        vm.assertEq(buyer.balance - before, toBuyer, "buyer's part, paid");
        vm.assertEq(ms.getStore(ethStore).balance, share - feeAmount, "store's part");
        vm.assertEq(ms.storeFeesOwed(ethStore), feeAmount, "fee from the store's part");
        vm.assertEq(toBuyer + (share - feeAmount) + feeAmount, amount, "the split adds up");
        vm.assertEq(_held(ETH), share, "the store's part and the fee held until withdrawn");
    }

    // ═══════════════════════════════ Time windows ═══════════════════════════════

    /// @notice The buyer's cancel opens exactly when the ship window closes, pays back the full amount and returns
    /// the stock.
    function testFuzz_cancelOpensAtTheShipWindow(uint256 elapsed) public {
        elapsed = elapsed.bound(0, 2 * uint256(SHIP));
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, 1 ether, 2);
        vm.warp(uint256(o.placedAt) + elapsed);
        vm.prank(buyer);
        if (elapsed < SHIP) {
            vm.expectRevert(abi.encodeWithSelector(IMerchstand.TooEarly.selector, id, uint256(o.placedAt) + SHIP));
            ms.cancel(id, o);
            return;
        }
        ms.cancel(id, o);
        vm.assertEq(buyer.balance, 2 ether, "paid back in full");
        vm.assertEq(ms.getProduct(o.lines[0].productId).variants[0].stock, 2, "stock returned");
        vm.assertEq(_held(ETH), 0, "nothing held");
    }

    /// @notice Anyone may complete once the delivery window has passed, not a second earlier; the buyer any time.
    function testFuzz_strangerCompletesOnlyAfterTheDeliveryWindow(uint256 elapsed) public {
        elapsed = elapsed.bound(0, 2 * uint256(DELIVERY));
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, 1 ether, 1);
        o = _ship(id, o);
        vm.warp(uint256(o.shippedAt) + elapsed);
        vm.prank(stranger);
        if (elapsed < DELIVERY) {
            vm.expectRevert(abi.encodeWithSelector(IMerchstand.TooEarly.selector, id, uint256(o.shippedAt) + DELIVERY));
            ms.complete(id, o);
            vm.prank(buyer);
        }
        ms.complete(id, o);
        vm.assertEq(uint256(ms.orderStatus(id)), uint256(IMerchstand.OrderStatus.Completed), "completed");
    }

    /// @notice The buyer may dispute only while the delivery window is open.
    function testFuzz_disputeClosesWithTheDeliveryWindow(uint256 elapsed) public {
        elapsed = elapsed.bound(0, 2 * uint256(DELIVERY));
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, 1 ether, 1);
        o = _ship(id, o);
        vm.warp(uint256(o.shippedAt) + elapsed);
        vm.prank(buyer);
        if (elapsed >= DELIVERY) {
            vm.expectRevert(abi.encodeWithSelector(IMerchstand.TooLate.selector, id, uint256(o.shippedAt) + DELIVERY));
        }
        ms.dispute(id, o, "");
    }

    /// @notice An unruled dispute can be settled by anyone exactly ARBITER_WINDOW after it was raised: all to the
    /// buyer, nothing to the store or in fees.
    function testFuzz_expiredDisputeRefundsTheBuyer(uint256 elapsed, uint256 feeSeed) public {
        ms.setFee(uint16(feeSeed.bound(0, ms.MAX_FEE_BPS())));
        uint256 window = ms.ARBITER_WINDOW();
        elapsed = elapsed.bound(0, 2 * window);
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, 1 ether, 1);
        o = _ship(id, o);
        vm.prank(buyer);
        ms.dispute(id, o, "");
        o.disputedAt = uint40(block.timestamp);
        vm.warp(uint256(o.disputedAt) + elapsed);
        vm.prank(stranger);
        if (elapsed < window) {
            vm.expectRevert(abi.encodeWithSelector(IMerchstand.TooEarly.selector, id, uint256(o.disputedAt) + window));
            ms.resolveExpiredDispute(id, o);
            return;
        }
        uint256 before = buyer.balance;
        ms.resolveExpiredDispute(id, o);
        vm.assertEq(buyer.balance - before, 1 ether, "buyer gets everything");
        vm.assertEq(ms.getStore(ethStore).balance, 0, "store gets nothing");
        vm.assertEq(ms.storeFeesOwed(ethStore), 0, "no fee");
    }

    // ═══════════════════════════════ Commitment ═══════════════════════════════

    /// @notice Changing any field of the order passed back (by any non-zero amount) is caught by the commitment.
    function testFuzz_tamperedOrderIsRejected(uint256 field, uint256 delta) public {
        (uint256 id, IMerchstand.Order memory o) = _buy(ethStore, 1 ether, 2);
        // Any non-zero XOR changes a field; every field is at least 16 bits wide.
        uint16 d = uint16(delta.bound(1, type(uint16).max));
        field %= 11;
        if (field == 0) o.buyer = address(uint160(o.buyer) ^ d);
        else if (field == 1) o.storeId ^= d;
        else if (field == 2) o.termsVersion ^= d;
        else if (field == 3) o.feeBps ^= d;
        else if (field == 4) o.currency = address(uint160(o.currency) ^ d);
        else if (field == 5) o.placedAt ^= d;
        else if (field == 6) o.shippedAt ^= d;
        else if (field == 7) o.disputedAt ^= d;
        else if (field == 8) o.amount ^= d;
        else if (field == 9) o.lines[0].quantity ^= d;
        else o.lines[0].unitPrice ^= d;
        vm.warp(block.timestamp + SHIP);
        vm.expectRevert(abi.encodeWithSelector(IMerchstand.OrderMismatch.selector, id));
        vm.prank(buyer);
        ms.cancel(id, o);
    }

    /// @notice The per-buyer limit holds over separate purchases, counting every unit ever bought.
    function testFuzz_perBuyerLimitHolds(uint256 limitSeed, uint256 q1Seed, uint256 q2Seed) public {
        uint16 limit = uint16(limitSeed.bound(1, 20));
        uint32 q1 = uint32(q1Seed.bound(1, limit));
        uint32 q2 = uint32(q2Seed.bound(1, 20));
        vm.prank(seller);
        uint64 pid = ms.listProduct(
            ethStore, IMerchstand.ProductInput("Signed LP", "", 1, limit, false), _variants(1 ether, 100)
        );
        vm.deal(buyer, uint256(q1 + q2) * 1 ether);
        vm.prank(buyer);
        ms.buy_oT9la{value: uint256(q1) * 1 ether}(packLine(pid, 0, q1, 1 ether), hex"01");
        vm.prank(buyer);
        if (uint256(q1) + q2 > limit) {
            vm.expectRevert(abi.encodeWithSelector(IMerchstand.PerBuyerLimitExceeded.selector, pid, limit, q1, q2));
        }
        ms.buy_oT9la{value: uint256(q2) * 1 ether}(packLine(pid, 0, q2, 1 ether), hex"01");
        vm.assertLe(ms.boughtBy(pid, buyer), limit, "limit held");
    }

    // ═══════════════════════════════ Helpers ═══════════════════════════════

    function _open(address currency) internal returns (uint64) {
        vm.prank(seller);
        return ms.openStore(
            IMerchstand.StoreInput({
                name: "Fuzz Records",
                metadataCid: "",
                payout: payout,
                currency: currency,
                shippingKey: bytes32(uint256(1)),
                terms: IMerchstand.StoreTerms(arbiter, SHIP, DELIVERY)
            })
        );
    }

    function _variants(uint96 price, uint32 stock) internal pure returns (IMerchstand.VariantInput[] memory vs) {
        vs = new IMerchstand.VariantInput[](1);
        vs[0] = IMerchstand.VariantInput("One size", price, stock);
    }

    function _list(uint64 storeId, uint96 price, uint32 stock, bool digital) internal returns (uint64) {
        vm.prank(seller);
        return ms.listProduct(storeId, IMerchstand.ProductInput("Tour Tee", "", 0, 0, digital), _variants(price, stock));
    }

    /// @dev Lists a physical product with exactly `qty` in stock and buys all of it; returns the committed order.
    function _buy(uint64 storeId, uint96 price, uint32 qty) internal returns (uint256 id, IMerchstand.Order memory o) {
        uint64 pid = _list(storeId, price, qty, false);
        uint256 amount = uint256(price) * qty;
        uint256 value;
        if (storeId == usdStore) {
            usd.mint(buyer, amount);
            vm.prank(buyer);
            usd.approve(address(ms), amount);
        } else {
            vm.deal(buyer, amount);
            value = amount;
        }
        vm.recordLogs();
        vm.prank(buyer);
        id = ms.buy_oT9la{value: value}(packLine(pid, 0, qty, price), hex"01");
        o = _placedOrder();
    }

    /// @dev The Order of the last OrderPlaced event recorded, decoded as a client would.
    function _placedOrder() internal returns (IMerchstand.Order memory o) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = logs.length; i > 0; --i) {
            Vm.Log memory log = logs[i - 1];
            if (log.emitter == address(ms) && log.topics[0] == IMerchstand.OrderPlaced.selector) {
                (uint256 info, uint256[] memory packed,) = abi.decode(log.data, (uint256, uint256[], bytes));
                o.buyer = address(uint160(uint256(log.topics[2])));
                o.storeId = uint64(uint256(log.topics[3]));
                o.termsVersion = uint32(info);
                o.feeBps = uint16(info >> 32);
                o.currency = ms.getStore(o.storeId).currency;
                o.placedAt = uint40(info >> 48);
                o.lines = new IMerchstand.Line[](packed.length);
                for (uint256 j; j < packed.length; ++j) {
                    uint256 w = packed[j];
                    o.lines[j] = IMerchstand.Line(uint64(w), uint8(w >> 64), uint32(w >> 72), uint96(w >> 104));
                    o.amount += uint128(uint256(uint32(w >> 72)) * uint96(w >> 104));
                }
                vm.assertEq(ms.orderStatus(uint256(log.topics[1])) != IMerchstand.OrderStatus.None, true, "placed");
                return o;
            }
        }
        vm.assertTrue(false, "no OrderPlaced event");
    }

    function _ship(uint256 id, IMerchstand.Order memory o) internal returns (IMerchstand.Order memory) {
        vm.prank(seller);
        ms.markShipped(id, o, "DHL 123");
        o.shippedAt = uint40(block.timestamp);
        return o;
    }

    function _held(address currency) internal view returns (uint256) {
        return _balance(currency, address(ms));
    }

    function _balance(address currency, address account) internal view returns (uint256) {
        return currency == ETH ? account.balance : usd.balanceOf(account);
    }
}
