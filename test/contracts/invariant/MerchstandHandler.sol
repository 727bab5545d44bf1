// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Merchstand} from "../../../contracts/Merchstand.sol";
import {MerchstandDeployed} from "../../../contracts/MerchstandDeployed.sol";
import {MerchstandDrops} from "../../../contracts/base/MerchstandDrops.sol";
import {IMerchstand} from "../../../contracts/interfaces/IMerchstand.sol";
import {MockUSD} from "../../../contracts/mocks/MockUSD.sol";
import {vm} from "../support/Vm.sol";
import {packLine} from "../support/PackedLine.sol";

/// @title MerchstandHandler
/// @notice The invariant fuzzer's only target. Every entry point takes raw fuzz seeds, turns them into one legal
/// (or deliberately illegal) call to Merchstand made by the right actor, and keeps a ghost model of what the call
/// must have done: who holds which money, how much stock each variant has, and every order's status and struct.
/// @dev Run with `failOnRevert`: an entry point never reverts unless Merchstand did something the model says it
/// must not (a legal call that reverts, or an illegal call that succeeds or fails with another error). Calls that
/// must fail are made in try/catch and their exact custom error is checked.
/// The model is written from the spec, not by reading Merchstand's storage: the invariants then compare the two.
contract MerchstandHandler {
    using Seeds for uint256;

    address internal constant ETH = address(0);
    uint256 internal constant MAX_PRODUCTS = 10;

    // Sets of order statuses for {_find}: bit k stands for OrderStatus k.
    uint256 internal constant PAID = 1 << 1;
    uint256 internal constant SHIPPED = 1 << 2;
    uint256 internal constant COMPLETED = 1 << 3;
    uint256 internal constant REFUNDED = 1 << 4;
    uint256 internal constant CANCELLED = 1 << 5;
    uint256 internal constant DISPUTED = 1 << 6;
    uint256 internal constant RESOLVED = 1 << 7;
    uint256 internal constant OPEN = PAID | SHIPPED | DISPUTED;
    uint256 internal constant ENDED = COMPLETED | REFUNDED | CANCELLED | RESOLVED;

    MerchstandDeployed public immutable MS;
    MockUSD public immutable USD;

    // ─────────────────────────────── Actors ───────────────────────────────
    // Plain addresses with no code: they accept ETH like wallets do.
    address public immutable ADMIN = vm.addr(0xAD);
    address public immutable FEE_A = vm.addr(0xFEA);
    address public immutable FEE_B = vm.addr(0xFEB);
    address public immutable OWNER_A = vm.addr(0xA0); // ETH store A, with a manager
    address public immutable MANAGER_A = vm.addr(0xA1);
    address public immutable OWNER_B = vm.addr(0xB0); // ETH store B, the one that may close
    address public immutable OWNER_C = vm.addr(0xC0); // mUSD store C
    address public immutable PAYOUT_1 = vm.addr(0x9A1);
    address public immutable PAYOUT_2 = vm.addr(0x9A2);
    address public immutable ARBITER_1 = vm.addr(0xAB1);
    address public immutable ARBITER_2 = vm.addr(0xAB2);
    address public immutable STRANGER = vm.addr(0x5757);

    address[] public buyers;
    /// @notice Every account that can ever hold credits: buyers (refunds, dispute shares), fee recipients and payouts.
    address[] public creditors;

    uint64 public storeA;
    uint64 public storeB;
    uint64 public storeC;
    uint64[] public storeIds;

    // ─────────────────────────────── Ghost model ───────────────────────────────

    struct StoreGhost {
        address currency;
        address owner;
        address manager; // address(0) when none
        address payout;
        uint32 termsVersion;
        bool closed;
        uint256 balance;
        /// @dev Fees its settled orders owe the platform, credited to the fee recipient on withdrawStoreBalance.
        uint256 fees;
    }

    struct ProductGhost {
        uint64 storeId;
        bool digital;
        bool active;
        uint16 maxPerBuyer;
        uint8 variantCount;
        uint256 ratingCount;
        uint256 ratingSum;
    }

    struct VariantGhost {
        uint96 price;
        bool active;
        uint256 initial;
        uint256 restockedUp; // units added by staff stock changes
        uint256 restockedDown; // units removed by staff stock changes
        uint256 sold; // units taken by purchases (gross; returns do not lower it)
        uint256 returned; // units put back by cancels and full refunds
        uint256 stock; // the stock the model expects
    }

    struct OrderGhost {
        IMerchstand.OrderStatus status;
        uint8 terminalTransitions;
        bytes order; // abi.encode(Order) as it stands now
    }

    mapping(uint64 storeId => StoreGhost) internal _stores;
    mapping(uint64 storeId => mapping(uint32 version => IMerchstand.StoreTerms)) internal _terms;
    uint64[] public productIds;
    mapping(uint64 productId => ProductGhost) internal _products;
    mapping(uint256 variantKey => VariantGhost) internal _variants;
    uint256[] public variantKeys;
    mapping(uint64 productId => mapping(address buyer => uint256 units)) internal _bought;

    /// @notice Every order placed, in the order placed.
    uint256[] public orderIds;
    mapping(uint256 orderId => OrderGhost) internal _orders;
    mapping(uint256 orderId => mapping(uint64 productId => uint8 flags)) internal _reviews; // 1 reviewed (replies: _replies, per order)
    mapping(uint256 orderId => uint8 count) internal _replies;
    uint256[] internal _reviewedOrders;
    uint64[] internal _reviewedProducts;

    /// @notice Paid into Merchstand, per currency.
    mapping(address currency => uint256) public ghostIn;
    /// @notice Paid out of Merchstand (cancels, withdrawals, store payouts), per currency.
    mapping(address currency => uint256) public ghostOut;
    /// @notice Sum of the `amount` of every open (Paid, Shipped, Disputed) order, per currency.
    mapping(address currency => uint256) public ghostEscrow;
    mapping(address account => mapping(address currency => uint256)) public ghostCredits;
    /// @notice Refunded to an order's buyer while open, in whole refund units (after a ruling that left the store
    /// something: the buyer's total, rounded up to the unit, as the contract records it): `amount` never changes.
    mapping(uint256 orderId => uint256) public ghostRefunded;
    mapping(address currency => uint256) public ghostMinReviewValue;
    /// @notice Resolved orders whose store kept nothing (expired disputes, rulings of the whole escrow).
    mapping(uint256 orderId => bool) public ghostUnreviewable;

    uint16 public ghostFeeBps;
    address public ghostFeeRecipient;
    bool public ghostPaused;

    /// @notice How many calls of each kind succeeded, so a scenario test can prove the handler is not vacuous.
    mapping(bytes32 action => uint256) public done;

    /// @dev Deploys the protocol itself so that its admin and fee recipient are the handler's actors.
    constructor() {
        USD = new MockUSD();
        address[] memory allowed = new address[](1);
        allowed[0] = address(USD);
        MS = MerchstandDeployed(
            payable(address(new Merchstand(ADMIN, 250, FEE_A, allowed, address(new MerchstandDrops()))))
        );
        buyers.push(vm.addr(0xB1));
        buyers.push(vm.addr(0xB2));
        buyers.push(vm.addr(0xB3));
        buyers.push(vm.addr(0xB4));
        for (uint256 i; i < buyers.length; ++i) {
            creditors.push(buyers[i]);
        }
        creditors.push(FEE_A);
        creditors.push(FEE_B);
        // Payouts only get credits when a store's earnings overflow its 96-bit balance (whale listings below).
        creditors.push(PAYOUT_1);
        creditors.push(PAYOUT_2);
        _setUpWorld();
    }

    /// @dev Opens the three stores and lists the starting catalog (in the constructor, so the fuzzer cannot call
    /// it again).
    function _setUpWorld() internal {
        ghostFeeBps = MS.feeBps();
        ghostFeeRecipient = MS.feeRecipient();

        storeA = _openStore(OWNER_A, PAYOUT_1, ETH, ARBITER_1, 3 days, 10 days);
        storeB = _openStore(OWNER_B, PAYOUT_2, ETH, ARBITER_2, 1 days, 3 days);
        storeC = _openStore(OWNER_C, PAYOUT_1, address(USD), ARBITER_1, 7 days, 14 days);
        vm.prank(OWNER_A);
        MS.setStoreManager(storeA, MANAGER_A, true);
        _stores[storeA].manager = MANAGER_A;

        _list(OWNER_A, storeA, false, 0, _two(0.01 ether, 20, 0.02 ether, 10));
        _list(OWNER_A, storeA, true, 0, _one(0.005 ether, 50)); // digital: escrowed until delivered
        _list(OWNER_A, storeA, false, 3, _one(1, 30)); // dust price, per-buyer limit 3
        _list(OWNER_B, storeB, false, 0, _one(0.03 ether, 5));
        _list(OWNER_C, storeC, false, 0, _two(15e6, 20, 40e6, 20));
        _list(OWNER_C, storeC, true, 0, _one(5e6, 100));
    }

    // ═══════════════════════════════ Buying ═══════════════════════════════

    /// @notice One buyer buys one variant, possibly with a price limit below the price or while something forbids it.
    function buy(uint256 buyerSeed, uint256 productSeed, uint256 variantSeed, uint256 qtySeed, uint256 extraSeed)
        external
    {
        address buyer = buyers[buyerSeed % buyers.length];
        uint64 pid = productIds[productSeed % productIds.length];
        ProductGhost storage p = _products[pid];
        uint8 vi = uint8(variantSeed % p.variantCount);
        VariantGhost storage v = _variants[_key(pid, vi)];
        StoreGhost storage s = _stores[p.storeId];
        uint32 qty = uint32(qtySeed.bound(1, 4));
        // One in eight buyers names a limit just under the price (the price moved after the page loaded).
        uint96 maxUnitPrice = extraSeed % 8 == 0 ? v.price - 1 : v.price;
        // One in sixteen buyers saw terms that the store has replaced since (the store moved first).
        uint32 shownTerms = extraSeed % 16 == 15 ? s.termsVersion + 1 : s.termsVersion;
        bytes memory shipping = p.digital ? _buyerKey(buyer) : _blob(extraSeed);
        uint256 total = uint256(v.price) * qty;
        uint256 value = _fund(buyer, s.currency, total);

        bytes memory expected;
        if (ghostPaused) {
            expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        } else if (!p.active || !v.active) {
            expected = abi.encodeWithSelector(IMerchstand.NotForSale.selector, pid, vi);
        } else if (maxUnitPrice < v.price) {
            expected = abi.encodeWithSelector(IMerchstand.PriceAboveMax.selector, pid, vi, v.price, maxUnitPrice);
        } else if (qty > v.stock) {
            expected = abi.encodeWithSelector(IMerchstand.InsufficientStock.selector, pid, vi, qty, v.stock);
        } else if (p.maxPerBuyer != 0 && _bought[pid][buyer] + qty > p.maxPerBuyer) {
            expected = abi.encodeWithSelector(
                IMerchstand.PerBuyerLimitExceeded.selector, pid, p.maxPerBuyer, _bought[pid][buyer], qty
            );
        } else if (s.closed) {
            expected = abi.encodeWithSelector(IMerchstand.StoreIsClosed.selector, p.storeId);
        } else if (shownTerms != s.termsVersion) {
            expected = abi.encodeWithSelector(IMerchstand.TermsChanged.selector, p.storeId, shownTerms, s.termsVersion);
        }

        vm.prank(buyer);
        try MS.buy_oT9la{value: value}(packLine(pid, vi, qty, maxUnitPrice, shownTerms), shipping) returns (
            uint256 orderId
        ) {
            _mustHaveFailed(expected, "buy");
            IMerchstand.Line[] memory lines = new IMerchstand.Line[](1);
            lines[0] = IMerchstand.Line({productId: pid, variant: vi, quantity: qty, unitPrice: v.price});
            _placed(orderId, buyer, p.storeId, lines, total);
            _count("buy");
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "buy: wrong error");
        }
    }

    /// @notice A cart of 1..6 legal lines over the stores of one currency, placed all or nothing.
    function checkout(uint256 buyerSeed, uint256 currencySeed, uint256 linesSeed, uint256 extraSeed) external {
        address buyer = buyers[buyerSeed % buyers.length];
        address currency = currencySeed % 3 == 0 ? address(USD) : ETH;
        Cart memory cart = _buildCart(buyer, currency, linesSeed, extraSeed);
        if (cart.orders.length == 0) return;
        uint256 value = _fund(buyer, currency, cart.total);

        vm.prank(buyer);
        try MS.checkout{value: value}(cart.orders) returns (uint256[] memory ids) {
            _mustHaveFailed(cart.expected, "checkout");
            for (uint256 i; i < cart.orders.length; ++i) {
                IMerchstand.CartOrder memory co = cart.orders[i];
                IMerchstand.Line[] memory lines = new IMerchstand.Line[](co.lines.length);
                for (uint256 j; j < co.lines.length; ++j) {
                    IMerchstand.LineInput memory li = co.lines[j];
                    lines[j] = IMerchstand.Line(li.productId, li.variant, li.quantity, li.maxUnitPrice);
                }
                _placed(ids[i], buyer, co.storeId, lines, cart.amounts[i]);
            }
            _count("checkout");
        } catch (bytes memory err) {
            vm.assertEq(err, cart.expected, "checkout: wrong error");
        }
    }

    // ═══════════════════════════════ Orders ═══════════════════════════════

    /// @notice Staff (or a stranger, who must be refused) marks a paid order shipped.
    function markShipped(uint256 orderSeed, uint256 callerSeed, uint256 trackingSeed) external {
        (uint256 id, bool found) = _find(orderSeed, PAID);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        StoreGhost storage s = _stores[o.storeId];
        address caller = _staffOrStranger(s, callerSeed);
        string memory tracking = _text(trackingSeed.bound(1, 128));
        uint256 closesAt = _shipDeadline(o);
        bytes memory expected;
        if (caller == STRANGER) {
            expected = abi.encodeWithSelector(IMerchstand.NotStoreStaff.selector, o.storeId, caller);
        } else if (block.timestamp >= closesAt) {
            // The buyer's cancel is open: a shipment may not be slipped in front of it.
            expected = abi.encodeWithSelector(IMerchstand.TooLate.selector, id, closesAt);
        }
        vm.prank(caller);
        try MS.markShipped(id, o, tracking) {
            _mustHaveFailed(expected, "markShipped");
            o.shippedAt = uint40(block.timestamp);
            _save(id, o, IMerchstand.OrderStatus.Shipped);
            _count("markShipped");
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "markShipped: wrong error");
        }
    }

    /// @notice Staff deliver up to three orders of one store in one call; orders past their ship window are skipped.
    function deliver(uint256 orderSeed, uint256 countSeed, uint256 callerSeed) external {
        (uint256 first, bool found) = _find(orderSeed, PAID);
        if (!found) return;
        uint64 storeId = _order(first).storeId;
        uint256[] memory ids = new uint256[](countSeed.bound(1, 3));
        uint256 n;
        for (uint256 i; i < orderIds.length && n < ids.length; ++i) {
            uint256 id = orderIds[(orderSeed % orderIds.length + i) % orderIds.length];
            if (_orders[id].status == IMerchstand.OrderStatus.Paid && _order(id).storeId == storeId) ids[n++] = id;
        }
        IMerchstand.Order[] memory os = new IMerchstand.Order[](n);
        bytes[] memory payloads = new bytes[](n);
        uint256[] memory batch = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            batch[i] = ids[i];
            os[i] = _order(ids[i]);
            payloads[i] = _blob(countSeed ^ i);
        }
        address caller = _staffOrStranger(_stores[storeId], callerSeed);
        vm.prank(caller);
        try MS.deliver(batch, os, payloads) {
            vm.assertTrue(caller != STRANGER, "a stranger delivered an order");
            for (uint256 i; i < n; ++i) {
                if (block.timestamp >= _shipDeadline(os[i])) {
                    vm.assertEq(uint256(MS.orderStatus(batch[i])), uint256(IMerchstand.OrderStatus.Paid), "skipped");
                    continue;
                }
                os[i].shippedAt = uint40(block.timestamp);
                _save(batch[i], os[i], IMerchstand.OrderStatus.Shipped);
                _count("deliver");
            }
        } catch (bytes memory err) {
            vm.assertEq(err, abi.encodeWithSelector(IMerchstand.NotStoreStaff.selector, storeId, caller), "deliver");
        }
    }

    /// @notice The buyer completes a shipped order at any time; anyone else only after the delivery window.
    function complete(uint256 orderSeed, uint256 callerSeed) external {
        (uint256 id, bool found) = _find(orderSeed, SHIPPED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        address caller = callerSeed % 3 == 0 ? o.buyer : (callerSeed % 3 == 1 ? STRANGER : _stores[o.storeId].owner);
        uint256 opensAt = uint256(o.shippedAt) + _terms[o.storeId][o.termsVersion].deliveryWindow;
        bool allowed = caller == o.buyer || block.timestamp >= opensAt;
        vm.prank(caller);
        try MS.complete(id, o) {
            vm.assertTrue(allowed, "completed before the delivery window by someone other than the buyer");
            _save(id, o, IMerchstand.OrderStatus.Completed);
            uint256 escrowed = _escrowed(id, o);
            ghostEscrow[o.currency] -= escrowed;
            _settle(o.storeId, o.currency, escrowed, o.feeBps);
            _count("complete");
        } catch (bytes memory err) {
            vm.assertEq(err, abi.encodeWithSelector(IMerchstand.TooEarly.selector, id, opensAt), "complete");
        }
    }

    /// @notice Staff refund part or all of a paid or shipped order, or concede a disputed one in full (also: zero,
    /// more than escrowed, and a partial refund of a dispute, refused).
    function refund(uint256 orderSeed, uint256 callerSeed, uint256 amountSeed) external {
        (uint256 id, bool found) = _find(orderSeed, PAID | SHIPPED | DISPUTED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        IMerchstand.OrderStatus status = _orders[id].status;
        StoreGhost storage s = _stores[o.storeId];
        address caller = _staffOrStranger(s, callerSeed);
        uint256 escrowed = _escrowed(id, o);
        uint256 pick = amountSeed % 10;
        uint128 amount;
        if (pick < 3) amount = uint128(escrowed); // full
        else if (pick == 3) amount = 0;
        else if (pick == 4) amount = uint128(escrowed + 1);
        else amount = uint128(amountSeed.bound(1, escrowed));

        bytes memory expected;
        if (caller == STRANGER) {
            expected = abi.encodeWithSelector(IMerchstand.NotStoreStaff.selector, o.storeId, caller);
        } else if (
            amount == 0 || amount > escrowed || (status == IMerchstand.OrderStatus.Disputed && amount != escrowed)
        ) {
            expected = abi.encodeWithSelector(IMerchstand.InvalidAmount.selector, id, amount, escrowed);
        }
        uint256 buyerBefore = _balanceOf(o.currency, o.buyer);
        vm.prank(caller);
        // A partial refund pays whole refund units, rounded up, and must leave something escrowed.
        uint256 paid = amount == escrowed ? amount : Units.roundUp(amount, Units.refundUnit(o.amount));
        if (expected.length == 0 && paid > escrowed - 1 && amount != escrowed) {
            expected = abi.encodeWithSelector(IMerchstand.InvalidAmount.selector, id, amount, escrowed);
        }
        try MS.refund(id, o, amount) {
            _mustHaveFailed(expected, "refund");
            ghostEscrow[o.currency] -= paid;
            _paidToBuyer(o, paid, buyerBefore, "refund");
            vm.assertGe(paid, amount, "refund: never less than asked");
            if (amount == escrowed) {
                _returnStock(o.buyer, o.lines);
                _save(id, o, IMerchstand.OrderStatus.Refunded);
                _count(status == IMerchstand.OrderStatus.Disputed ? bytes32("concede") : bytes32("refundFull"));
            } else {
                // The struct the buyer holds is unchanged: a partial refund never voids the buyer's next call.
                ghostRefunded[id] += paid;
                vm.assertEq(
                    MS.refundedUnits(id) * Units.refundUnit(o.amount), ghostRefunded[id], "refund: units counted"
                );
                _save(id, o, status);
                _count("refundPartial");
            }
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "refund: wrong error");
        }
    }

    /// @notice The buyer cancels a paid order once the ship window passed (refused before, and for others).
    function cancel(uint256 orderSeed, uint256 callerSeed) external {
        (uint256 id, bool found) = _find(orderSeed, PAID);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        address caller = callerSeed % 5 == 0 ? STRANGER : o.buyer;
        uint256 opensAt = _shipDeadline(o);
        bytes memory expected;
        if (caller != o.buyer) {
            expected = abi.encodeWithSelector(IMerchstand.NotBuyer.selector, id, caller);
        } else if (block.timestamp < opensAt) {
            expected = abi.encodeWithSelector(IMerchstand.TooEarly.selector, id, opensAt);
        }

        uint256 before = _balanceOf(o.currency, o.buyer);
        uint256 escrowed = _escrowed(id, o);
        vm.prank(caller);
        try MS.cancel(id, o) {
            _mustHaveFailed(expected, "cancel");
            vm.assertEq(_balanceOf(o.currency, o.buyer) - before, escrowed, "cancel paid the buyer back in full");
            ghostEscrow[o.currency] -= escrowed;
            ghostOut[o.currency] += escrowed;
            _returnStock(o.buyer, o.lines);
            _save(id, o, IMerchstand.OrderStatus.Cancelled);
            _count("cancel");
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "cancel: wrong error");
        }
    }

    /// @notice The counterparty moves first: staff refund part of an open order, then the buyer acts with the struct
    /// it held before the refund (cancel once the ship window passed, confirm, or dispute in the delivery window).
    /// The buyer's call must go through (the campaign fails on any revert).
    function refundThenBuyerActs(uint256 orderSeed, uint256 amountSeed, bool confirm) external {
        (uint256 id, bool found) = _find(orderSeed, PAID | SHIPPED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        IMerchstand.OrderStatus status = _orders[id].status;
        uint256 escrowed = _escrowed(id, o);
        uint256 unit = Units.refundUnit(o.amount);
        // The largest partial refund: whole units, something left escrowed.
        uint256 largest = (o.amount - 1) / unit * unit - ghostRefunded[id];
        if (largest == 0) return;
        uint128 asked = uint128(amountSeed.bound(1, largest));
        uint256 amount = Units.roundUp(asked, unit);
        uint256 buyerBefore = _balanceOf(o.currency, o.buyer);
        vm.prank(_stores[o.storeId].owner);
        MS.refund(id, o, asked);
        ghostEscrow[o.currency] -= amount;
        _paidToBuyer(o, amount, buyerBefore, "partial refund");
        ghostRefunded[id] += amount;
        escrowed -= amount;
        _count("refundPartial");
        if (status == IMerchstand.OrderStatus.Paid) {
            if (block.timestamp < _shipDeadline(o)) return;
            uint256 before = _balanceOf(o.currency, o.buyer);
            vm.prank(o.buyer);
            MS.cancel(id, o);
            vm.assertEq(_balanceOf(o.currency, o.buyer) - before, escrowed, "cancel after a refund pays the rest");
            ghostEscrow[o.currency] -= escrowed;
            ghostOut[o.currency] += escrowed;
            _returnStock(o.buyer, o.lines);
            _save(id, o, IMerchstand.OrderStatus.Cancelled);
            _count("refundThenCancel");
        } else if (confirm) {
            vm.prank(o.buyer);
            MS.complete(id, o);
            ghostEscrow[o.currency] -= escrowed;
            _settle(o.storeId, o.currency, escrowed, o.feeBps);
            _save(id, o, IMerchstand.OrderStatus.Completed);
            _count("refundThenConfirm");
        } else if (block.timestamp < uint256(o.shippedAt) + _terms[o.storeId][o.termsVersion].deliveryWindow) {
            vm.prank(o.buyer);
            MS.dispute(id, o, "dust refunds");
            o.disputedAt = uint40(block.timestamp);
            _save(id, o, IMerchstand.OrderStatus.Disputed);
            _count("refundThenDispute");
        }
    }

    /// @notice The counterparty moves first: staff try to ship an order whose ship window has ended (the buyer's
    /// cancel is open). It must be refused with TooLate, leaving the buyer's cancel intact.
    function shipAfterWindow(uint256 orderSeed) external {
        (uint256 id, bool found) = _find(orderSeed, PAID);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        uint256 closesAt = _shipDeadline(o);
        if (block.timestamp < closesAt) return;
        _expectFail(
            _stores[o.storeId].owner,
            abi.encodeCall(IMerchstand.markShipped, (id, o, "late")),
            abi.encodeWithSelector(IMerchstand.TooLate.selector, id, closesAt),
            "late shipment"
        );
        vm.assertEq(uint256(MS.orderStatus(id)), uint256(IMerchstand.OrderStatus.Paid), "still cancellable");
        _count("lateShipRefused");
    }

    /// @notice The buyer disputes a shipped order within the delivery window (refused after it, and for others).
    function dispute(uint256 orderSeed, uint256 callerSeed, uint256 reasonSeed) external {
        (uint256 id, bool found) = _find(orderSeed, SHIPPED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        address caller = callerSeed % 5 == 0 ? STRANGER : o.buyer;
        uint256 closesAt = uint256(o.shippedAt) + _terms[o.storeId][o.termsVersion].deliveryWindow;
        bytes memory expected;
        if (caller != o.buyer) {
            expected = abi.encodeWithSelector(IMerchstand.NotBuyer.selector, id, caller);
        } else if (block.timestamp >= closesAt) {
            expected = abi.encodeWithSelector(IMerchstand.TooLate.selector, id, closesAt);
        }
        vm.prank(caller);
        try MS.dispute(id, o, _text(reasonSeed.bound(0, 280))) {
            _mustHaveFailed(expected, "dispute");
            o.disputedAt = uint40(block.timestamp);
            _save(id, o, IMerchstand.OrderStatus.Disputed);
            _count("dispute");
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "dispute: wrong error");
        }
    }

    /// @notice The order's arbiter (fixed at purchase) splits a dispute; anyone else, or a split above the escrow,
    /// is refused.
    function resolveDispute(uint256 orderSeed, uint256 callerSeed, uint256 toBuyerSeed) external {
        (uint256 id, bool found) = _find(orderSeed, DISPUTED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        address arbiter = _terms[o.storeId][o.termsVersion].arbiter;
        // The other arbiter is a real arbiter too, just not this order's: it must be refused like a stranger.
        address caller = callerSeed % 4 == 0 ? (arbiter == ARBITER_1 ? ARBITER_2 : ARBITER_1) : arbiter;
        uint256 escrowed = _escrowed(id, o);
        // The edges picked on purpose: above the escrow, all of it back (the store kept nothing), all but 1.
        uint256 pick = toBuyerSeed % 16;
        uint128 toBuyer = uint128(
            pick == 0 ? escrowed + 1 : pick == 1 ? escrowed : pick == 2 ? escrowed - 1 : toBuyerSeed.bound(0, escrowed)
        );
        bytes memory expected;
        if (caller != arbiter) {
            expected = abi.encodeWithSelector(IMerchstand.NotArbiter.selector, id, caller);
        } else if (toBuyer > escrowed) {
            expected = abi.encodeWithSelector(IMerchstand.InvalidAmount.selector, id, toBuyer, escrowed);
        }
        uint256 buyerBefore = _balanceOf(o.currency, o.buyer);
        vm.prank(caller);
        try MS.resolveDispute(id, o, toBuyer) {
            _mustHaveFailed(expected, "resolveDispute");
            ghostEscrow[o.currency] -= escrowed;
            _paidToBuyer(o, toBuyer, buyerBefore, "resolveDispute");
            uint256 kept = escrowed - toBuyer;
            // What the contract records of the ruling for {review}: the buyer's total, rounded up to the unit, or,
            // when that cannot read as the store's share rounded down, "kept nothing".
            if (toBuyer != 0) {
                uint256 units = _ruledUnits(o.amount, kept);
                uint256 unit = Units.refundUnit(o.amount);
                if (kept == 0 || units * unit > o.amount - 1 || units > 2 ** 20 - 1) {
                    // Flagged: the share reads as nothing, whatever the partial refunds before it left recorded.
                    ghostUnreviewable[id] = true;
                } else {
                    ghostRefunded[id] = units * unit;
                    vm.assertLe(_escrowed(id, o), kept, "resolveDispute: the recorded share exceeds what was kept");
                    vm.assertGe(_escrowed(id, o), 1, "resolveDispute: a recorded share reads as something");
                }
                vm.assertEq(MS.refundedUnits(id), ghostRefunded[id] / unit, "resolveDispute: recorded units");
            }
            _settle(o.storeId, o.currency, escrowed - toBuyer, o.feeBps);
            _save(id, o, IMerchstand.OrderStatus.Resolved);
            _count(kept == 0 ? bytes32("resolveDisputeWhole") : bytes32("resolveDispute"));
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "resolveDispute: wrong error");
        }
    }

    /// @notice Anyone settles a dispute the arbiter left alone for ARBITER_WINDOW: all of it back to the buyer.
    function resolveExpiredDispute(uint256 orderSeed, uint256 callerSeed) external {
        (uint256 id, bool found) = _find(orderSeed, DISPUTED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        uint256 opensAt = uint256(o.disputedAt) + MS.ARBITER_WINDOW();
        uint256 buyerBefore = _balanceOf(o.currency, o.buyer);
        vm.prank(callerSeed % 2 == 0 ? STRANGER : _stores[o.storeId].owner);
        try MS.resolveExpiredDispute(id, o) {
            vm.assertGe(block.timestamp, opensAt, "resolved before the arbiter window ran out");
            uint256 escrowed = _escrowed(id, o);
            ghostEscrow[o.currency] -= escrowed;
            _paidToBuyer(o, escrowed, buyerBefore, "resolveExpiredDispute");
            ghostUnreviewable[id] = true;
            _save(id, o, IMerchstand.OrderStatus.Resolved);
            _count("resolveExpiredDispute");
        } catch (bytes memory err) {
            vm.assertEq(err, abi.encodeWithSelector(IMerchstand.TooEarly.selector, id, opensAt), "resolveExpired");
        }
    }

    /// @notice The buyer of a completed or resolved order reviews one of its products, once.
    function review(uint256 orderSeed, uint256 lineSeed, uint256 ratingSeed, uint256 textSeed) external {
        (uint256 id, bool found) = _find(orderSeed, COMPLETED | RESOLVED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        uint64 pid = o.lines[lineSeed % o.lines.length].productId;
        uint8 rating = ratingSeed % 10 == 0 ? uint8(ratingSeed % 20 == 0 ? 0 : 6) : uint8(ratingSeed.bound(1, 5));
        bytes memory expected;
        uint256 kept = ghostUnreviewable[id] ? 0 : _escrowed(id, o);
        if (rating == 0 || rating > 5) {
            expected = abi.encodeWithSelector(IMerchstand.InvalidRating.selector, rating);
        } else if (ghostUnreviewable[id] || kept < ghostMinReviewValue[o.currency]) {
            expected = abi.encodeWithSelector(
                IMerchstand.ReviewValueTooLow.selector, id, kept, ghostMinReviewValue[o.currency]
            );
        } else if (_reviews[id][pid] != 0) {
            expected = abi.encodeWithSelector(IMerchstand.AlreadyReviewed.selector, id, pid);
        }
        vm.prank(o.buyer);
        try MS.review(id, o, pid, rating, _text(textSeed.bound(0, 280))) {
            _mustHaveFailed(expected, "review");
            _reviews[id][pid] = 1;
            _reviewedOrders.push(id);
            _reviewedProducts.push(pid);
            _products[pid].ratingCount += 1;
            _products[pid].ratingSum += rating;
            _count("review");
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "review: wrong error");
        }
    }

    /// @notice Store staff reply to a review, and may reply again (an edit), up to three replies an order.
    function replyToReview(uint256 reviewSeed, uint256 textSeed) external {
        if (_reviewedOrders.length == 0) return;
        uint256 i = reviewSeed % _reviewedOrders.length;
        uint256 id = _reviewedOrders[i];
        uint64 pid = _reviewedProducts[i];
        address staff = _stores[_products[pid].storeId].owner;
        bytes memory expected;
        if (_replies[id] == 3) expected = abi.encodeWithSelector(IMerchstand.CannotReply.selector, id, pid);
        vm.prank(staff);
        try MS.replyToReview(id, _order(id), pid, _text(textSeed.bound(1, 280))) {
            _mustHaveFailed(expected, "replyToReview");
            _replies[id] += 1;
            _count("replyToReview");
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "reply: wrong error");
        }
    }

    // ═══════════════════════════════ Money out ═══════════════════════════════

    /// @notice A creditor withdraws its credits in one currency to itself.
    function withdraw(uint256 accountSeed, uint256 currencySeed) external {
        address account = creditors[accountSeed % creditors.length];
        address currency = currencySeed % 2 == 0 ? ETH : address(USD);
        uint256 owed = ghostCredits[account][currency];
        uint256 before = _balanceOf(currency, account);
        vm.prank(account);
        try MS.withdraw(currency, account) {
            vm.assertTrue(owed != 0, "withdrew with no credits");
            vm.assertEq(_balanceOf(currency, account) - before, owed, "withdrawal paid the credits exactly");
            ghostCredits[account][currency] = 0;
            ghostOut[currency] += owed;
            _count("withdraw");
        } catch (bytes memory err) {
            vm.assertEq(
                err, abi.encodeWithSelector(IMerchstand.NothingToWithdraw.selector, account, currency), "withdraw"
            );
        }
    }

    /// @notice Anyone sends a store's balance to its payout address.
    function withdrawStoreBalance(uint256 storeSeed) external {
        uint64 storeId = storeIds[storeSeed % storeIds.length];
        StoreGhost storage s = _stores[storeId];
        uint256 owed = s.balance;
        uint256 before = _balanceOf(s.currency, s.payout);
        vm.prank(STRANGER);
        try MS.withdrawStoreBalance(storeId) {
            vm.assertTrue(owed != 0 || s.fees != 0, "store withdrew with no balance and no fees owed");
            vm.assertEq(_balanceOf(s.currency, s.payout) - before, owed, "store payout paid the balance exactly");
            s.balance = 0;
            ghostOut[s.currency] += owed;
            // The fees the store owed reach the fee recipient of the moment.
            ghostCredits[ghostFeeRecipient][s.currency] += s.fees;
            s.fees = 0;
            _count("withdrawStoreBalance");
        } catch (bytes memory err) {
            vm.assertEq(
                err,
                abi.encodeWithSelector(IMerchstand.NothingToWithdraw.selector, s.payout, s.currency),
                "withdrawStoreBalance"
            );
        }
    }

    // ═══════════════════════════════ Catalog ═══════════════════════════════

    /// @notice Staff list a new product with 1..3 variants (up to MAX_PRODUCTS in all).
    function listProduct(uint256 storeSeed, uint256 variantsSeed, uint256 priceSeed, uint256 stockSeed) external {
        if (productIds.length >= MAX_PRODUCTS) return;
        uint64 storeId = storeIds[storeSeed % storeIds.length];
        StoreGhost storage s = _stores[storeId];
        uint256 n = variantsSeed.bound(1, 3);
        IMerchstand.VariantInput[] memory vs = new IMerchstand.VariantInput[](n);
        // One mUSD listing in four is priced near the uint96 limit, so store balances overflow into payout credits.
        uint256 maxPrice = s.currency == ETH ? 1 ether : (stockSeed % 4 == 0 ? type(uint96).max : 1e9);
        for (uint256 i; i < n; ++i) {
            vs[i] = IMerchstand.VariantInput({
                label: "V",
                price: uint96(uint256(keccak256(abi.encode(priceSeed, i))).bound(1, maxPrice)),
                stock: uint32(uint256(keccak256(abi.encode(stockSeed, i))).bound(0, 40))
            });
        }
        bool digital = variantsSeed % 4 == 0;
        uint16 limit = uint16(variantsSeed % 3 == 0 ? stockSeed % 6 : 0);
        bytes memory expected;
        if (ghostPaused) expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        else if (s.closed) expected = abi.encodeWithSelector(IMerchstand.StoreIsClosed.selector, storeId);
        if (expected.length == 0) {
            _list(s.owner, storeId, digital, limit, vs);
            _count("listProduct");
            return;
        }
        vm.prank(s.owner);
        try MS.listProduct(storeId, _productInput(digital, limit), vs) {
            vm.assertTrue(false, "listProduct succeeded while paused or closed");
        } catch (bytes memory err) {
            vm.assertEq(err, expected, "listProduct: wrong error");
        }
    }

    /// @notice Staff change a variant's price (orders already placed keep theirs).
    function setPrice(uint256 productSeed, uint256 variantSeed, uint256 priceSeed) external {
        (uint64 pid, uint8 vi) = _pickVariant(productSeed, variantSeed);
        uint96 price = uint96(priceSeed.bound(1, _stores[_products[pid].storeId].currency == ETH ? 1 ether : 1e9));
        vm.prank(_staff(pid, priceSeed));
        MS.setVariantPrice(pid, vi, price);
        _variants[_key(pid, vi)].price = price;
        _count("setPrice");
    }

    /// @notice Staff set a variant's stock (a restock, or a correction down).
    function setStock(uint256 productSeed, uint256 variantSeed, uint256 stockSeed) external {
        (uint64 pid, uint8 vi) = _pickVariant(productSeed, variantSeed);
        VariantGhost storage v = _variants[_key(pid, vi)];
        uint32 stock = uint32(stockSeed.bound(0, 60));
        vm.prank(_staff(pid, stockSeed));
        MS.setVariantStock(pid, vi, stock);
        if (stock >= v.stock) v.restockedUp += stock - v.stock;
        else v.restockedDown += v.stock - stock;
        v.stock = stock;
        _count("setStock");
    }

    /// @notice Staff activate or deactivate a product or one of its variants.
    function setActive(uint256 productSeed, uint256 variantSeed, bool wholeProduct, bool active) external {
        (uint64 pid, uint8 vi) = _pickVariant(productSeed, variantSeed);
        vm.prank(_staff(pid, variantSeed));
        if (wholeProduct) {
            MS.setProductActive(pid, active);
            _products[pid].active = active;
        } else {
            MS.setVariantActive(pid, vi, active);
            _variants[_key(pid, vi)].active = active;
        }
        _count("setActive");
    }

    // ═══════════════════════════════ Stores ═══════════════════════════════

    /// @notice The owner changes arbiter and windows; only orders placed afterwards use them.
    function setStoreTerms(uint256 storeSeed, uint256 arbiterSeed, uint256 shipSeed, uint256 deliverySeed) external {
        uint64 storeId = storeIds[storeSeed % storeIds.length];
        StoreGhost storage s = _stores[storeId];
        IMerchstand.StoreTerms memory t = IMerchstand.StoreTerms({
            arbiter: arbiterSeed % 2 == 0 ? ARBITER_1 : ARBITER_2,
            shipWindow: uint32(shipSeed.bound(MS.MIN_SHIP_WINDOW(), MS.MAX_SHIP_WINDOW())),
            deliveryWindow: uint32(deliverySeed.bound(MS.MIN_DELIVERY_WINDOW(), MS.MAX_DELIVERY_WINDOW()))
        });
        vm.prank(s.owner);
        MS.setStoreTerms(storeId, t);
        s.termsVersion += 1;
        _terms[storeId][s.termsVersion] = t;
        _count("setStoreTerms");
    }

    /// @notice The owner points the payout elsewhere; the next withdrawal goes there.
    function setStorePayout(uint256 storeSeed, bool first) external {
        uint64 storeId = storeIds[storeSeed % storeIds.length];
        address payout = first ? PAYOUT_1 : PAYOUT_2;
        vm.prank(_stores[storeId].owner);
        MS.setStorePayout(storeId, payout);
        _stores[storeId].payout = payout;
        _count("setStorePayout");
    }

    /// @notice Store A's owner adds or removes its manager; a removed manager is refused like a stranger.
    function setManager(bool enabled) external {
        vm.prank(OWNER_A);
        MS.setStoreManager(storeA, MANAGER_A, enabled);
        _stores[storeA].manager = enabled ? MANAGER_A : address(0);
        _count("setManager");
    }

    /// @notice Store B closes for good (rarely, so most runs keep three open stores): open orders run on.
    function closeStoreB(uint256 seed) external {
        if (seed % 8 != 0 || _stores[storeB].closed) return;
        vm.prank(OWNER_B);
        MS.closeStore(storeB);
        _stores[storeB].closed = true;
        _count("closeStore");
    }

    // ═══════════════════════════════ Platform ═══════════════════════════════

    /// @notice The admin sets the least a store must keep from an order for its buyer to review (0 or 0.01 ETH, or
    /// 0 or 20 mUSD).
    function setMinReviewValue(uint256 seed) external {
        address currency = seed % 2 == 0 ? ETH : address(USD);
        uint128 value = seed % 3 == 0 ? 0 : (currency == ETH ? 0.01 ether : 20e6);
        vm.prank(ADMIN);
        MS.setMinReviewValue(currency, value);
        ghostMinReviewValue[currency] = value;
        _count("setMinReviewValue");
    }

    function setFee(uint256 feeSeed) external {
        uint16 fee = uint16(feeSeed.bound(0, MS.MAX_FEE_BPS()));
        vm.prank(ADMIN);
        MS.setFee(fee);
        ghostFeeBps = fee;
        _count("setFee");
    }

    function setFeeRecipient(bool first) external {
        address recipient = first ? FEE_A : FEE_B;
        vm.prank(ADMIN);
        MS.setFeeRecipient(recipient);
        ghostFeeRecipient = recipient;
        _count("setFeeRecipient");
    }

    /// @notice Pauses or unpauses. While paused, purchases and listings must fail and everything else go on.
    function togglePause() external {
        vm.prank(ADMIN);
        if (ghostPaused) MS.unpause();
        else MS.pause();
        ghostPaused = !ghostPaused;
        _count("togglePause");
    }

    /// @notice Time passes: up to 45 days, enough to cross every window in a few steps.
    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + secondsSeed.bound(1, 45 days));
        _count("warp");
    }

    // ═══════════════════════════════ Attacks ═══════════════════════════════

    /// @notice Every order action, by the party entitled to it, on an order that already ended: all must fail
    /// with InvalidOrderStatus, so no order can end twice or leave its terminal state.
    function replayTerminal(uint256 orderSeed) external {
        (uint256 id, bool found) = _find(orderSeed, ENDED);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        IMerchstand.OrderStatus status = _orders[id].status;
        bytes memory expected = abi.encodeWithSelector(IMerchstand.InvalidOrderStatus.selector, id, status);
        address owner = _stores[o.storeId].owner;
        address arbiter = _terms[o.storeId][o.termsVersion].arbiter;

        _expectFail(owner, abi.encodeCall(IMerchstand.markShipped, (id, o, "again")), expected, "re-ship");
        _expectFail(o.buyer, abi.encodeCall(IMerchstand.complete, (id, o)), expected, "re-complete");
        _expectFail(owner, abi.encodeCall(IMerchstand.refund, (id, o, 1)), expected, "refund ended");
        _expectFail(o.buyer, abi.encodeCall(IMerchstand.cancel, (id, o)), expected, "cancel ended");
        _expectFail(o.buyer, abi.encodeCall(IMerchstand.dispute, (id, o, "")), expected, "dispute ended");
        _expectFail(arbiter, abi.encodeCall(IMerchstand.resolveDispute, (id, o, 0)), expected, "resolve ended");
        _expectFail(STRANGER, abi.encodeCall(IMerchstand.resolveExpiredDispute, (id, o)), expected, "expire ended");
        _count("replayTerminal");
    }

    /// @notice Acts on an open order with a struct that differs from the committed one in one field (a stale
    /// amount, another buyer, a lower fee...): it must be refused as OrderMismatch whatever the action.
    function tamperOrder(uint256 orderSeed, uint256 fieldSeed) external {
        (uint256 id, bool found) = _find(orderSeed, OPEN);
        if (!found) return;
        IMerchstand.Order memory o = _order(id);
        uint256 field = fieldSeed % 8;
        if (field == 0) o.amount += 1;
        else if (field == 1) o.amount -= 1;
        else if (field == 2) o.buyer = STRANGER;
        else if (field == 3) o.feeBps = o.feeBps == 0 ? 1 : 0;
        else if (field == 4) o.placedAt -= 1;
        else if (field == 5) o.termsVersion += 1;
        else if (field == 6) o.lines[0].quantity += 1;
        else o.shippedAt = o.shippedAt == 0 ? 1 : 0;
        bytes memory expected = abi.encodeWithSelector(IMerchstand.OrderMismatch.selector, id);
        // The caller each action would need if the struct were right: only the commitment can stop them.
        _expectFail(o.buyer, abi.encodeCall(IMerchstand.complete, (id, o)), expected, "tampered complete");
        _expectFail(o.buyer, abi.encodeCall(IMerchstand.cancel, (id, o)), expected, "tampered cancel");
        _expectFail(
            _stores[o.storeId].owner, abi.encodeCall(IMerchstand.refund, (id, o, 1)), expected, "tampered refund"
        );
        _count("tamperOrder");
    }

    // ═══════════════════════════════ Views for the invariants ═══════════════════════════════

    function buyerCount() external view returns (uint256) {
        return buyers.length;
    }

    function creditorCount() external view returns (uint256) {
        return creditors.length;
    }

    function storeCount() external view returns (uint256) {
        return storeIds.length;
    }

    function productCount() external view returns (uint256) {
        return productIds.length;
    }

    function variantCount() external view returns (uint256) {
        return variantKeys.length;
    }

    function store(uint64 storeId) external view returns (StoreGhost memory) {
        return _stores[storeId];
    }

    function terms(uint64 storeId, uint32 version) external view returns (IMerchstand.StoreTerms memory) {
        return _terms[storeId][version];
    }

    function product(uint64 productId) external view returns (ProductGhost memory) {
        return _products[productId];
    }

    function variant(uint256 key) external view returns (VariantGhost memory) {
        return _variants[key];
    }

    function orderCount() external view returns (uint256) {
        return orderIds.length;
    }

    function orderStatus(uint256 orderId) external view returns (IMerchstand.OrderStatus) {
        return _orders[orderId].status;
    }

    function terminalTransitions(uint256 orderId) external view returns (uint256) {
        return _orders[orderId].terminalTransitions;
    }

    function order(uint256 orderId) external view returns (IMerchstand.Order memory) {
        return _order(orderId);
    }

    function isOpen(IMerchstand.OrderStatus s) public pure returns (bool) {
        return s == IMerchstand.OrderStatus.Paid || s == IMerchstand.OrderStatus.Shipped
            || s == IMerchstand.OrderStatus.Disputed;
    }

    function balanceOf(address currency, address account) external view returns (uint256) {
        return _balanceOf(currency, account);
    }

    // ═══════════════════════════════ Internals ═══════════════════════════════

    struct Cart {
        IMerchstand.CartOrder[] orders;
        uint256[] amounts;
        uint256 total;
        bytes expected;
    }

    /// @dev Picks up to 6 lines of the currency's products that can legally be bought right now (stock and per-buyer
    /// limits counted over the whole cart, so a variant may appear twice), grouped into one order per store.
    function _buildCart(address buyer, address currency, uint256 linesSeed, uint256 extraSeed)
        internal
        view
        returns (Cart memory cart)
    {
        uint256 want = linesSeed.bound(1, 6);
        IMerchstand.LineInput[] memory picked = new IMerchstand.LineInput[](want);
        uint64[] memory pickedStore = new uint64[](want);
        uint256 n;
        uint64[] memory cartStores = new uint64[](storeIds.length);
        uint256 storesUsed;
        for (uint256 k; k < want * 3 && n < want; ++k) {
            uint256 r = uint256(keccak256(abi.encode(linesSeed, k)));
            uint64 pid = productIds[r % productIds.length];
            ProductGhost storage p = _products[pid];
            StoreGhost storage s = _stores[p.storeId];
            if (s.currency != currency || s.closed || !p.active) continue;
            uint8 vi = uint8((r >> 64) % p.variantCount);
            VariantGhost storage v = _variants[_key(pid, vi)];
            uint32 qty = uint32((r >> 128).bound(1, 3));
            uint256 taken;
            uint256 takenByProduct;
            for (uint256 j; j < n; ++j) {
                if (picked[j].productId == pid) {
                    takenByProduct += picked[j].quantity;
                    if (picked[j].variant == vi) taken += picked[j].quantity;
                }
            }
            if (!v.active || taken + qty > v.stock) continue;
            // An order is all digital or all physical: keep each store's lines of one kind.
            bool otherKind;
            for (uint256 j; j < n; ++j) {
                if (pickedStore[j] == p.storeId && _products[picked[j].productId].digital != p.digital) {
                    otherKind = true;
                }
            }
            if (otherKind) continue;
            if (p.maxPerBuyer != 0 && _bought[pid][buyer] + takenByProduct + qty > p.maxPerBuyer) continue;
            picked[n] = IMerchstand.LineInput({productId: pid, variant: vi, quantity: qty, maxUnitPrice: v.price});
            pickedStore[n] = p.storeId;
            ++n;
            bool seen;
            for (uint256 j; j < storesUsed; ++j) {
                if (cartStores[j] == p.storeId) seen = true;
            }
            if (!seen) cartStores[storesUsed++] = p.storeId;
        }
        if (n == 0) return cart;

        cart.orders = new IMerchstand.CartOrder[](storesUsed);
        cart.amounts = new uint256[](storesUsed);
        for (uint256 i; i < storesUsed; ++i) {
            uint256 m;
            for (uint256 j; j < n; ++j) {
                if (pickedStore[j] == cartStores[i]) ++m;
            }
            IMerchstand.LineInput[] memory lines = new IMerchstand.LineInput[](m);
            m = 0;
            bool physical;
            for (uint256 j; j < n; ++j) {
                if (pickedStore[j] != cartStores[i]) continue;
                lines[m++] = picked[j];
                cart.amounts[i] += uint256(picked[j].maxUnitPrice) * picked[j].quantity;
                if (!_products[picked[j].productId].digital) physical = true;
            }
            cart.total += cart.amounts[i];
            cart.orders[i] = IMerchstand.CartOrder({
                storeId: cartStores[i],
                termsVersion: _stores[cartStores[i]].termsVersion,
                lines: lines,
                shipping: physical ? _blob(extraSeed ^ i) : _buyerKey(buyer),
                zone: 0,
                maxShipping: 0,
                code: IMerchstand.SignedCode(0, 0, 0)
            });
        }
        if (ghostPaused) cart.expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
    }

    /// @dev Records a placed order in the model: escrow (digital orders too), stock, per-buyer counts, and the
    /// struct the contract must have committed to.
    function _placed(uint256 orderId, address buyer, uint64 storeId, IMerchstand.Line[] memory lines, uint256 amount)
        internal
    {
        // The id is made from the first line's variant and its sold counter before this order (see IMerchstand).
        uint256 firstSold = _variants[_key(lines[0].productId, lines[0].variant)].sold;
        uint256 expectedId = uint256(lines[0].productId) << 40 | uint256(lines[0].variant) << 32 | firstSold;
        vm.assertEq(orderId, expectedId, "order id");
        vm.assertEq(uint256(_orders[orderId].status), 0, "order id reused");
        orderIds.push(orderId);
        StoreGhost storage s = _stores[storeId];
        IMerchstand.Order memory o = IMerchstand.Order({
            buyer: buyer,
            storeId: storeId,
            termsVersion: s.termsVersion,
            feeBps: ghostFeeBps,
            currency: s.currency,
            placedAt: uint40(block.timestamp),
            shippedAt: 0,
            disputedAt: 0,
            amount: uint128(amount),
            shipsFrom: 0,
            zone: 0,
            shipping: 0,
            discount: 0,
            lines: lines
        });
        for (uint256 i; i < lines.length; ++i) {
            VariantGhost storage v = _variants[_key(lines[i].productId, lines[i].variant)];
            v.stock -= lines[i].quantity;
            v.sold += lines[i].quantity;
            if (_products[lines[i].productId].maxPerBuyer != 0) {
                _bought[lines[i].productId][buyer] += lines[i].quantity;
            }
        }
        ghostIn[s.currency] += amount;
        _orders[orderId].order = abi.encode(o);
        _orders[orderId].status = IMerchstand.OrderStatus.Paid;
        ghostEscrow[s.currency] += amount;
        // The commitment must be exactly the model's struct: the next action on this order passes it back.
        vm.assertEq(uint256(MS.orderStatus(orderId)), uint256(_orders[orderId].status), "placed order status");
    }

    /// @dev The fee is taken from what the store earns, at the rate the order was placed under, and owed by the store
    /// until its funds are withdrawn, when it is credited to whoever is the fee recipient then.
    /// A store balance and its fees owed hold 120 bits each; a share that would overflow is credited instead (to the
    /// payout address, to the fee recipient).
    function _settle(uint64 storeId, address currency, uint256 amount, uint16 feeBps) internal {
        uint256 fee = amount * feeBps / 10_000;
        uint256 toStore = amount - fee;
        StoreGhost storage s = _stores[storeId];
        if (s.balance + toStore < 1 << 120) {
            s.balance += toStore;
        } else {
            ghostCredits[s.payout][currency] += toStore;
            _count("payoutOverflow");
        }
        if (s.fees + fee < 1 << 120) s.fees += fee;
        else ghostCredits[ghostFeeRecipient][currency] += fee;
    }

    /// @dev The buyer's share of a refund or a ruling is pushed to the buyer (the handler's buyers accept ETH and
    /// mUSD), so it leaves the contract at once; the fallback credit is covered by test/security.
    function _paidToBuyer(IMerchstand.Order memory o, uint256 amount, uint256 before, string memory what) internal {
        vm.assertEq(_balanceOf(o.currency, o.buyer) - before, amount, what);
        ghostOut[o.currency] += amount;
    }

    /// @dev Units back in stock, and back in the buyer's per-buyer allowance where the product has a limit.
    function _returnStock(address buyer, IMerchstand.Line[] memory lines) internal {
        for (uint256 i; i < lines.length; ++i) {
            VariantGhost storage v = _variants[_key(lines[i].productId, lines[i].variant)];
            v.returned += lines[i].quantity;
            v.stock += lines[i].quantity;
            if (_products[lines[i].productId].maxPerBuyer != 0) {
                uint256 held = _bought[lines[i].productId][buyer];
                _bought[lines[i].productId][buyer] = held > lines[i].quantity ? held - lines[i].quantity : 0;
            }
        }
    }

    function _escrowed(uint256 id, IMerchstand.Order memory o) internal view returns (uint256) {
        return o.amount - ghostRefunded[id];
    }

    /// @dev The refund units a ruling leaving the store `kept` records: the buyer's total rounded up.
    function _ruledUnits(uint256 amount, uint256 kept) internal pure returns (uint256) {
        uint256 unit = Units.refundUnit(amount);
        return (amount - kept + unit - 1) / unit;
    }

    function _shipDeadline(IMerchstand.Order memory o) internal view returns (uint256) {
        return uint256(o.placedAt) + _terms[o.storeId][o.termsVersion].shipWindow;
    }

    /// @dev A stand-in for the buyer's 32-byte X25519 key a digital order carries.
    function _buyerKey(address buyer) internal pure returns (bytes memory) {
        return abi.encodePacked(keccak256(abi.encode("x25519", buyer)));
    }

    function _save(uint256 id, IMerchstand.Order memory o, IMerchstand.OrderStatus status) internal {
        OrderGhost storage g = _orders[id];
        vm.assertTrue(!_isTerminal(g.status), "an order left a terminal status");
        g.order = abi.encode(o);
        g.status = status;
        if (_isTerminal(status)) ++g.terminalTransitions;
        vm.assertEq(uint256(MS.orderStatus(id)), uint256(status), "order status after the action");
    }

    function _order(uint256 id) internal view returns (IMerchstand.Order memory) {
        return abi.decode(_orders[id].order, (IMerchstand.Order));
    }

    /// @dev The first order at or after a seeded position whose status is in the set `statuses`.
    function _find(uint256 seed, uint256 statuses) internal view returns (uint256 id, bool found) {
        uint256 n = orderIds.length;
        for (uint256 i; i < n; ++i) {
            id = orderIds[(seed % n + i) % n];
            if ((1 << uint8(_orders[id].status)) & statuses != 0) return (id, true);
        }
        return (0, false);
    }

    function _isTerminal(IMerchstand.OrderStatus s) internal pure returns (bool) {
        return s == IMerchstand.OrderStatus.Completed || s == IMerchstand.OrderStatus.Refunded
            || s == IMerchstand.OrderStatus.Cancelled || s == IMerchstand.OrderStatus.Resolved;
    }

    function _expectFail(address caller, bytes memory data, bytes memory expected, string memory what) internal {
        vm.prank(caller);
        (bool ok, bytes memory err) = address(MS).call(data);
        vm.assertTrue(!ok, what);
        vm.assertEq(err, expected, what);
    }

    function _mustHaveFailed(bytes memory expected, string memory what) internal pure {
        if (expected.length != 0) vm.assertTrue(false, string.concat(what, " succeeded where it must fail"));
    }

    function _staffOrStranger(StoreGhost storage s, uint256 seed) internal view returns (address) {
        uint256 pick = seed % 6;
        if (pick == 0) return STRANGER;
        if (pick <= 2 && s.manager != address(0)) return s.manager;
        return s.owner;
    }

    function _staff(uint64 pid, uint256 seed) internal view returns (address) {
        StoreGhost storage s = _stores[_products[pid].storeId];
        return seed % 2 == 0 && s.manager != address(0) ? s.manager : s.owner;
    }

    function _pickVariant(uint256 productSeed, uint256 variantSeed) internal view returns (uint64 pid, uint8 vi) {
        pid = productIds[productSeed % productIds.length];
        vi = uint8(variantSeed % _products[pid].variantCount);
    }

    /// @dev Gives the buyer exactly what the purchase costs; returns the ETH to send along.
    function _fund(address buyer, address currency, uint256 amount) internal returns (uint256 value) {
        if (currency == ETH) {
            vm.deal(buyer, buyer.balance + amount);
            return amount;
        }
        USD.mint(buyer, amount);
        vm.prank(buyer);
        USD.approve(address(MS), amount);
        return 0;
    }

    function _balanceOf(address currency, address account) internal view returns (uint256) {
        return currency == ETH ? account.balance : USD.balanceOf(account);
    }

    function _openStore(address owner, address payout, address currency, address arbiter, uint32 ship, uint32 delivery)
        internal
        returns (uint64 storeId)
    {
        IMerchstand.StoreTerms memory t = IMerchstand.StoreTerms(arbiter, ship, delivery);
        vm.prank(owner);
        storeId = MS.openStore(
            IMerchstand.StoreInput({
                name: "Store",
                metadataCid: "",
                payout: payout,
                currency: currency,
                shippingKey: keccak256(abi.encode(owner)),
                terms: t
            })
        );
        storeIds.push(storeId);
        _stores[storeId] = StoreGhost({
            currency: currency,
            owner: owner,
            manager: address(0),
            payout: payout,
            termsVersion: 1,
            closed: false,
            balance: 0,
            fees: 0
        });
        _terms[storeId][1] = t;
    }

    function _list(address staff, uint64 storeId, bool digital, uint16 limit, IMerchstand.VariantInput[] memory vs)
        internal
    {
        vm.prank(staff);
        uint64 pid = MS.listProduct(storeId, _productInput(digital, limit), vs);
        vm.assertEq(pid, productIds.length + 1, "product ids are consecutive");
        productIds.push(pid);
        _products[pid] = ProductGhost({
            storeId: storeId,
            digital: digital,
            active: true,
            maxPerBuyer: limit,
            variantCount: uint8(vs.length),
            ratingCount: 0,
            ratingSum: 0
        });
        for (uint256 i; i < vs.length; ++i) {
            uint256 key = _key(pid, uint8(i));
            variantKeys.push(key);
            _variants[key] = VariantGhost({
                price: vs[i].price,
                active: true,
                initial: vs[i].stock,
                restockedUp: 0,
                restockedDown: 0,
                sold: 0,
                returned: 0,
                stock: vs[i].stock
            });
        }
    }

    function _productInput(bool digital, uint16 limit) internal pure returns (IMerchstand.ProductInput memory) {
        return IMerchstand.ProductInput({
            name: "Thing", metadataCid: "", category: digital ? 5 : 0, maxPerBuyer: limit, digital: digital
        });
    }

    function _one(uint96 price, uint32 stock) internal pure returns (IMerchstand.VariantInput[] memory vs) {
        vs = new IMerchstand.VariantInput[](1);
        vs[0] = IMerchstand.VariantInput("One", price, stock);
    }

    function _two(uint96 p0, uint32 s0, uint96 p1, uint32 s1)
        internal
        pure
        returns (IMerchstand.VariantInput[] memory vs)
    {
        vs = new IMerchstand.VariantInput[](2);
        vs[0] = IMerchstand.VariantInput("S", p0, s0);
        vs[1] = IMerchstand.VariantInput("L", p1, s1);
    }

    /// @dev A shipping blob of 1..512 bytes (the contract's cap), contents irrelevant to it.
    function _blob(uint256 seed) internal pure returns (bytes memory b) {
        b = new bytes(seed.bound(1, 512));
        b[0] = 0x01;
    }

    function _text(uint256 length) internal pure returns (string memory) {
        bytes memory b = new bytes(length);
        for (uint256 i; i < length; ++i) {
            b[i] = "x";
        }
        return string(b);
    }

    function _key(uint64 pid, uint8 vi) internal pure returns (uint256) {
        return (uint256(pid) << 8) | vi;
    }

    function _count(bytes32 action) internal {
        ++done[action];
    }
}

/// @notice Maps a fuzz seed onto a range without discarding runs (forge-std's `bound`, without the logging).
library Seeds {
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (max <= min) return min;
        return min + (x % (max - min + 1));
    }
}

/// @notice The refund unit and its rounding, computed independently of the contract; the fuzz test uses them too.
library Units {
    /// @dev The smallest power of ten u with u * 2^20 >= amount.
    function refundUnit(uint256 amount) internal pure returns (uint256 unit) {
        unit = 1;
        while (unit * 2 ** 20 < amount) unit *= 10;
    }

    function roundUp(uint256 x, uint256 unit) internal pure returns (uint256) {
        return (x + unit - 1) / unit * unit;
    }
}
