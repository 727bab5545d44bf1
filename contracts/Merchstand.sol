// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerchstandCatalog} from "./base/MerchstandCatalog.sol";
import {MerchstandPurchase} from "./base/MerchstandPurchase.sol";
import {IMerchstand} from "./interfaces/IMerchstand.sol";

/// @title Merchstand
/// @notice Stores, a catalog with per-variant stock, escrowed orders, disputes and verified reviews in one contract.
/// @dev Immutable on purpose: no proxy, no upgrade path. Buyers pay into escrow under terms (fee, arbiter, windows)
/// fixed when they order; an upgradable contract would let whoever holds the upgrade key change those terms, or the
/// code that releases the escrow, under them. A new version deploys to new addresses, and orders placed here finish
/// here. State and its gas-driven layout are in {MerchstandStorage}; store, catalog and paged-view code is in
/// {MerchstandCatalog}, which this contract deploys and runs by `delegatecall` (EIP-170 keeps it out of this one).
contract Merchstand is IMerchstand, MerchstandPurchase {
    using SafeERC20 for IERC20;

    /// @dev Gas an ETH payout pushed to a buyer may use ({_payBuyer}): enough for a smart-contract wallet's
    /// `receive` (a Safe proxy logs the payment in about 3,000), far below what a refund or ruling costs.
    uint256 private constant _PUSH_GAS_ETH = 10_000;
    /// @dev Gas a token payout pushed to a buyer may use ({_payBuyer}): a cold `transfer` of an allow-listed ERC-20
    /// behind a proxy, with a blocklist check and a new balance slot, takes about 60,000.
    uint256 private constant _PUSH_GAS_TOKEN = 100_000;

    /// @dev Selector-sized tag that marks a self-call from {_viaViews} to the fallback.
    bytes4 private constant _VIEW_CALL = 0x6d737476;

    /// @dev The store, catalog and paged-view code, deployed by the constructor; see {_viaCatalog} and {_viaViews}.
    address private immutable _CATALOG;
    /// @dev Carts and the drop toolkit ({MerchstandDrops}), fixed at deployment; see the fallback.
    address private immutable _DROPS;
    uint256 private immutable _DEPLOYMENT_BLOCK;

    // ─────────────────────────────────────────── Setup ───────────────────────────────────────────

    /// @param admin Gets DEFAULT_ADMIN_ROLE, PAUSER_ROLE, CURRENCY_ROLE and FEE_ROLE; meant to be a multisig. It does
    /// not get VERIFIER_ROLE: vouching for artists is a separate duty, which the admin grants to verifiers.
    /// @param feeBps_ The platform fee for new orders, at most MAX_FEE_BPS.
    /// @param feeRecipient_ Who is credited fees.
    /// @param allowedCurrencies ERC-20s stores and buyers may use from the start.
    /// @param drops A {MerchstandDrops} deployed for this contract (its code is public: verify it as this one's).
    constructor(
        address admin,
        uint16 feeBps_,
        address feeRecipient_,
        address[] memory allowedCurrencies,
        address drops
    ) {
        if (admin == address(0) || feeRecipient_ == address(0) || drops.code.length == 0) {
            revert ZeroAddress();
        }
        _DROPS = drops;
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_, MAX_FEE_BPS);
        _DEPLOYMENT_BLOCK = _blockNumber();
        _CATALOG = address(new MerchstandCatalog());
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(CURRENCY_ROLE, admin);
        _grantRole(FEE_ROLE, admin);
        _feeBps = feeBps_;
        _feeRecipient = feeRecipient_;
        emit FeeSet(feeBps_);
        emit FeeRecipientSet(feeRecipient_);
        for (uint256 i; i < allowedCurrencies.length; ++i) {
            address token = allowedCurrencies[i];
            if (token == address(0)) revert ZeroAddress();
            _allowedCurrencies[token] = true;
            emit CurrencyAllowed(token, true);
        }
    }

    // ─────────────────────────────────────────── Stores and catalog ───────────────────────────────────────────
    // These run the code of {MerchstandCatalog}; see {_viaCatalog}.

    /// @inheritdoc IMerchstand
    function openStore(StoreInput calldata) external returns (uint64) {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setStoreTerms(uint64, StoreTerms calldata) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setStoreProfile(uint64, string calldata, string calldata) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setStorePayout(uint64, address) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setStoreShippingKey(uint64, bytes32) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setStoreManager(uint64, address, bool) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function transferStoreOwnership(uint64, address) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function acceptStoreOwnership(uint64) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function closeStore(uint64) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function requestVerification(uint64, string calldata) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function attestOfficial(uint64, string calldata) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function revokeOfficial(uint64, string calldata) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function listProduct(uint64, ProductInput calldata, VariantInput[] calldata) external returns (uint64) {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function updateProduct(uint64, string calldata, string calldata, uint8) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setProductActive(uint64, bool) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setProductLimit(uint64, uint16) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function addVariant(uint64, VariantInput calldata) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setVariantPrice(uint64, uint8, uint96) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setVariantStock(uint64, uint8, uint32) external {
        _viaCatalog();
    }

    /// @inheritdoc IMerchstand
    function setVariantActive(uint64, uint8, bool) external {
        _viaCatalog();
    }

    // ─────────────────────────────────────────── Buying ───────────────────────────────────────────

    /// @inheritdoc IMerchstand
    /// @dev Not `nonReentrant`, to save the two transient writes of the lock: an ETH purchase makes no external call,
    /// so it only has to refuse to run inside another guarded call, and a token purchase takes the lock around the
    /// token calls ({_collectLocked}).
    function buy_oT9la(uint256 line, bytes calldata shipping) external payable whenNotPaused returns (uint256 orderId) {
        if (_reentrancyGuardEntered()) revert ReentrancyGuardReentrantCall();
        if (line >> _LINE_END != 0) revert InvalidLine(line);
        uint64 productId = uint64(line);
        uint8 variant = uint8(line >> 64);
        uint32 quantity = uint32(line >> 72);
        (uint256 raw, uint256 shipsFrom) = _takeLine(productId, variant, quantity, uint96(line >> 104), false);
        uint64 storeId = uint32(raw >> _AT_STORE);
        StoreHot memory hot = _openStore(storeId, uint32(line >> _LINE_TERMS));
        bool physical = raw & _DIGITAL_FLAG == 0;
        _checkShipping(storeId, shipping.length, physical);
        // A store with zones charges shipping: its physical orders go through {buyWith} or {checkout}.
        if (physical && hot.zoneCount != 0) revert InvalidZone(storeId, 0, hot.zoneCount);
        uint256 amount;
        // unchecked: price < 2^96 and quantity < 2^32, so the product is below 2^128.
        unchecked {
            amount = uint96(raw) * uint256(quantity);
        }
        orderId = _orderId(productId, variant, raw);
        uint256 buf = _newOrderBuffer(1, shipping.length, 0);
        _writeLine(buf, 1, 0, productId, variant, quantity, raw);
        _placeOrder(buf, 1, orderId, storeId, hot, _feeBps, amount, shipsFrom << _INFO_SHIPS_FROM, 0, shipping);
        if (hot.currency == address(0)) {
            if (msg.value != amount) revert IncorrectPayment(amount, msg.value);
        } else {
            _collectLocked(hot.currency, amount);
        }
    }

    /// @inheritdoc IMerchstand
    /// @dev {buy_oT9la} with the shipping charge and the code; kept apart so that a plain purchase pays for neither.
    function buyWith(uint256 line, uint256 options, SignedCode calldata code, bytes calldata shipping)
        external
        payable
        whenNotPaused
        returns (uint256 orderId)
    {
        return _buyWith(line, options, code.code, code.r, code.vs, shipping);
    }

    /// @inheritdoc IMerchstand
    /// @dev {buyWith} without the code's three calldata words, which a purchase without a code would pay as zeros.
    function buyShipped_eaaaa(uint256 line, uint256 options, bytes calldata shipping)
        external
        payable
        whenNotPaused
        returns (uint256 orderId)
    {
        return _buyWith(line, options, 0, 0, 0, shipping);
    }

    /// @dev The body of {buyWith} and {buyShipped_eaaaa}: `c`, `r`, `vs` are the {SignedCode}, `c` 0 for none.
    function _buyWith(uint256 line, uint256 options, uint256 c, bytes32 r, bytes32 vs, bytes calldata shipping)
        private
        returns (uint256 orderId)
    {
        if (_reentrancyGuardEntered()) revert ReentrancyGuardReentrantCall();
        if (line >> _LINE_END != 0) revert InvalidLine(line);
        if (options >> _OPTIONS_END != 0) revert InvalidLine(options);
        uint64 productId = uint64(line);
        uint8 variant = uint8(line >> 64);
        uint32 quantity = uint32(line >> 72);
        uint64 bound = uint64(c >> _CODE_PRODUCT);
        (uint256 raw, uint256 shipsFrom) =
            _takeLine(productId, variant, quantity, uint96(line >> 104), c != 0 && bound == productId);
        uint64 storeId = uint32(raw >> _AT_STORE);
        StoreHot memory hot = _openStore(storeId, uint32(line >> _LINE_TERMS));
        bool physical = raw & _DIGITAL_FLAG == 0;
        _checkShipping(storeId, shipping.length, physical);
        uint256 goods;
        // unchecked: price < 2^96 and quantity < 2^32, so the product is below 2^128.
        unchecked {
            goods = uint96(raw) * uint256(quantity);
        }
        orderId = _orderId(productId, variant, raw);
        uint256 discount;
        if (c != 0) {
            if (bound != 0 && bound != productId) revert CodeNotForProduct(storeId, uint32(c), bound);
            discount = _redeem(storeId, c, r, vs, goods);
        }
        uint256 amount;
        uint256 extras;
        // unchecked: discount <= goods (see {_redeem}), and goods and the rate are below 2^128 and 2^96.
        unchecked {
            uint256 rate = _shippingCharge(storeId, hot.zoneCount, physical, options, goods - discount);
            amount = goods - discount + rate;
            extras = (options & 0xff) << _INFO_ZONE | shipsFrom << _INFO_SHIPS_FROM | rate << _INFO_SHIPPING
                | (c == 0 ? 0 : _INFO_CODE_USED);
        }
        uint256 buf = _newOrderBuffer(1, shipping.length, c == 0 ? 0 : 1);
        _writeLine(buf, 1, 0, productId, variant, quantity, raw);
        _placeOrder(buf, 1, orderId, storeId, hot, _feeBps, amount, extras, _codeWord(discount, c), shipping);
        if (hot.currency == address(0)) {
            if (msg.value != amount) revert IncorrectPayment(amount, msg.value);
        } else {
            _collectLocked(hot.currency, amount);
        }
    }

    // ─────────────────────────────────────────── Orders ───────────────────────────────────────────

    /// @inheritdoc IMerchstand
    function markShipped(uint256 orderId, Order calldata order, string calldata tracking) external notEntered {
        (uint256 enc, uint256 state) = _loadOrder(orderId, order, OrderStatus.Paid);
        _requireStaff(order.storeId);
        uint256 closesAt = _shipDeadline(order);
        if (block.timestamp + 1 > closesAt) revert TooLate(orderId, closesAt);
        _checkText(bytes(tracking), 1, MAX_TRACKING_BYTES);
        uint40 shippedAt = uint40(block.timestamp);
        _storeOrder(orderId, enc, _ENC_SHIPPED_AT, shippedAt, state, OrderStatus.Shipped);
        emit OrderShipped(orderId, order.storeId, shippedAt, tracking);
    }

    /// @inheritdoc IMerchstand
    function deliver(uint256[] calldata orderIds, Order[] calldata orders, bytes[] calldata payloads)
        external
        notEntered
    {
        uint256 n = orderIds.length;
        if (orders.length != n) revert LengthMismatch(n, orders.length);
        if (payloads.length != n) revert LengthMismatch(n, payloads.length);
        uint40 deliveredAt = uint40(block.timestamp);
        for (uint256 i; i < n; ++i) {
            uint256 orderId = orderIds[i];
            Order calldata order = orders[i];
            (uint256 enc, uint256 state) = _loadOrder(orderId, order);
            _requireStaff(order.storeId);
            bytes calldata payload = payloads[i];
            _checkText(payload, 1, MAX_DELIVERY_BYTES);
            // Skipped, not reverted: the buyer may have cancelled (or staff refunded) since the batch was built.
            if (_status(state) != OrderStatus.Paid || block.timestamp + 1 > _shipDeadline(order)) continue;
            _storeOrder(orderId, enc, _ENC_SHIPPED_AT, deliveredAt, state, OrderStatus.Shipped);
            emit OrderDelivered(orderId, order.storeId, deliveredAt, payload);
        }
    }

    /// @inheritdoc IMerchstand
    function complete(uint256 orderId, Order calldata order) external notEntered {
        (uint256 enc, uint256 state) = _loadOrder(orderId, order, OrderStatus.Shipped);
        if (msg.sender != order.buyer) {
            uint256 opensAt = uint256(order.shippedAt) + _terms[order.storeId][order.termsVersion].deliveryWindow;
            if (block.timestamp < opensAt) revert TooEarly(orderId, opensAt);
        }
        _storeOrder(orderId, enc, 0, 0, state, OrderStatus.Completed);
        (uint256 toStore, uint256 fee) =
            _settle(order.storeId, order.currency, _escrowedOf(order.amount, state), order.feeBps);
        emit OrderCompleted(orderId, order.storeId, toStore, fee);
    }

    /// @inheritdoc IMerchstand
    /// @dev `nonReentrant`: the buyer's share is pushed to the buyer ({_payBuyer}).
    function refund(uint256 orderId, Order calldata order, uint128 amount) external nonReentrant {
        (uint256 enc, uint256 state) = _loadOrder(orderId, order);
        OrderStatus status = _status(state);
        bool disputed = status == OrderStatus.Disputed;
        if (status != OrderStatus.Paid && status != OrderStatus.Shipped && !disputed) {
            revert InvalidOrderStatus(orderId, status);
        }
        _requireStaff(order.storeId);
        uint256 escrowed = _escrowedOf(order.amount, state);
        // A dispute can only be conceded in full: a partial refund would leave the arbiter less to rule on.
        if (amount == 0 || amount > escrowed || (disputed && amount != escrowed)) {
            revert InvalidAmount(orderId, amount, escrowed);
        }
        if (amount == escrowed) {
            _storeOrder(orderId, enc, 0, 0, state, OrderStatus.Refunded);
            _returnStock(order.buyer, order.lines);
            emit OrderRefunded(orderId, order.storeId, amount);
            _payBuyer(order.currency, order.buyer, amount);
        } else {
            // Counted in the order's refund unit, rounded up (the buyer never gets less than `amount`), in the state
            // bits beside the status: the hash stays as it was, so a cancel or dispute the buyer already sent still
            // matches, and no new slot is written.
            uint256 unit = _refundUnit(order.amount);
            // unchecked: amount < escrowed <= order.amount < 2^128.
            unchecked {
                uint256 units = (amount + unit - 1) / unit;
                uint256 paid = units * unit;
                // Something must stay escrowed, which also keeps the count below 2^20 ({_refundUnit}).
                if (paid > escrowed - 1) revert InvalidAmount(orderId, amount, escrowed);
                _orders[orderId] = bytes32(uint256(_orders[orderId]) + (units << _REFUND_UNITS_SHIFT));
                emit OrderPartiallyRefunded(orderId, order.storeId, paid, escrowed - paid);
                _payBuyer(order.currency, order.buyer, paid);
            }
        }
    }

    /// @inheritdoc IMerchstand
    function cancel(uint256 orderId, Order calldata order) external nonReentrant {
        (uint256 enc, uint256 state) = _loadOrder(orderId, order, OrderStatus.Paid);
        if (msg.sender != order.buyer) revert NotBuyer(orderId, msg.sender);
        uint256 opensAt = _shipDeadline(order);
        if (block.timestamp < opensAt) revert TooEarly(orderId, opensAt);
        _storeOrder(orderId, enc, 0, 0, state, OrderStatus.Cancelled);
        _returnStock(msg.sender, order.lines);
        uint256 amount = _escrowedOf(order.amount, state);
        emit OrderCancelled(orderId, order.storeId, amount);
        // A buyer who cannot receive (blocklisted by the token, a contract refusing ETH) gets a credit instead, to
        // withdraw to any address: the exit never depends on the buyer's address accepting a payment.
        if (!_tryPay(order.currency, msg.sender, amount)) _credit(msg.sender, order.currency, amount);
    }

    /// @inheritdoc IMerchstand
    function dispute(uint256 orderId, Order calldata order, string calldata reason) external notEntered {
        (uint256 enc, uint256 state) = _loadOrder(orderId, order, OrderStatus.Shipped);
        if (msg.sender != order.buyer) revert NotBuyer(orderId, msg.sender);
        uint256 closesAt = uint256(order.shippedAt) + _terms[order.storeId][order.termsVersion].deliveryWindow;
        // The window is [shippedAt, closesAt): at closesAt anyone may complete, so the buyer may no longer dispute.
        if (block.timestamp + 1 > closesAt) revert TooLate(orderId, closesAt);
        _checkText(bytes(reason), 0, MAX_TEXT_BYTES);
        uint40 disputedAt = uint40(block.timestamp);
        _storeOrder(orderId, enc, _ENC_DISPUTED_AT, disputedAt, state, OrderStatus.Disputed);
        emit OrderDisputed(orderId, order.storeId, disputedAt, reason);
    }

    /// @inheritdoc IMerchstand
    /// @dev `nonReentrant`: the buyer's share is pushed to the buyer ({_payBuyer}).
    function resolveDispute(uint256 orderId, Order calldata order, uint128 toBuyer) external nonReentrant {
        (uint256 enc, uint256 state) = _loadOrder(orderId, order, OrderStatus.Disputed);
        if (msg.sender != _terms[order.storeId][order.termsVersion].arbiter) revert NotArbiter(orderId, msg.sender);
        uint256 amount = order.amount;
        uint256 units = (state >> _REFUND_UNITS_SHIFT) & _REFUND_UNITS_MAX;
        // The unit is needed only to read partial refunds or to record a split; computed once.
        uint256 unit = units != 0 || toBuyer != 0 ? _refundUnit(amount) : 1;
        uint256 escrowed;
        // unchecked: fewer units than fit in `amount` are ever recorded ({_refundUnit}).
        unchecked {
            escrowed = amount - units * unit;
        }
        if (toBuyer > escrowed) revert InvalidAmount(orderId, toBuyer, escrowed);
        // unchecked: toBuyer <= escrowed <= amount was checked above.
        unchecked {
            uint256 kept = escrowed - toBuyer;
            // What the store keeps decides whether the buyer may review ({review}); whether it kept anything, whether
            // the ticket gets in ({IMerchstandDrops-checkIn}). It is recorded at no extra storage cost, in the state
            // written anyway: the refund units become what the buyer got back in all, rounded up, so that
            // {_escrowedOf} then gives the store's share rounded down; a share that would read as nothing (nothing at
            // all, or less than about a unit) is the unreviewable flag instead. At most (amount - 1) / unit units
            // leave a share of at least 1 and fit the 20 bits ({_refundUnit}); kept == 0 always needs more.
            if (toBuyer != 0) {
                units = (amount - kept + unit - 1) / unit;
                if (units > (amount - 1) / unit) {
                    state |= _UNREVIEWABLE;
                } else {
                    state = (state & ~(_REFUND_UNITS_MAX << _REFUND_UNITS_SHIFT)) | (units << _REFUND_UNITS_SHIFT);
                }
            }
        }
        _storeOrder(orderId, enc, 0, 0, state, OrderStatus.Resolved);
        uint256 toStore;
        uint256 fee;
        // unchecked: toBuyer <= escrowed was checked above.
        unchecked {
            (toStore, fee) = _settle(order.storeId, order.currency, escrowed - toBuyer, order.feeBps);
        }
        emit DisputeResolved(orderId, order.storeId, toBuyer, toStore, fee, true);
        if (toBuyer != 0) _payBuyer(order.currency, order.buyer, toBuyer);
    }

    /// @inheritdoc IMerchstand
    /// @dev `nonReentrant`: the escrow is pushed to the buyer ({_payBuyer}).
    function resolveExpiredDispute(uint256 orderId, Order calldata order) external nonReentrant {
        (uint256 enc, uint256 state) = _loadOrder(orderId, order, OrderStatus.Disputed);
        uint256 opensAt = uint256(order.disputedAt) + ARBITER_WINDOW;
        if (block.timestamp < opensAt) revert TooEarly(orderId, opensAt);
        // Marked, at no extra storage cost, so that {review} knows the store kept nothing.
        _storeOrder(orderId, enc, 0, 0, state | _UNREVIEWABLE, OrderStatus.Resolved);
        uint256 escrowed = _escrowedOf(order.amount, state);
        emit DisputeResolved(orderId, order.storeId, escrowed, 0, 0, false);
        _payBuyer(order.currency, order.buyer, escrowed);
    }

    // ─────────────────────────────────────────── Reviews ───────────────────────────────────────────

    /// @inheritdoc IMerchstand
    function review(uint256 orderId, Order calldata order, uint64 productId, uint8 rating, string calldata text)
        external
        notEntered
    {
        (, uint256 state) = _loadOrder(orderId, order);
        OrderStatus status = _status(state);
        Product storage p = _products[productId];
        if (
            status != OrderStatus.Completed && status != OrderStatus.Resolved
                && (status != OrderStatus.Shipped || p.category != _CATEGORY_TICKETS)
        ) {
            revert InvalidOrderStatus(orderId, status);
        }
        if (msg.sender != order.buyer) revert NotBuyer(orderId, msg.sender);
        uint256 reviewed = _REVIEWED_FLAG << _lineOf(orderId, order.lines, productId);
        if (rating == 0 || rating > 5) revert InvalidRating(rating);
        _checkText(bytes(text), 0, MAX_TEXT_BYTES);
        bool keptNothing = state & _UNREVIEWABLE != 0;
        uint256 kept = keptNothing ? 0 : _escrowedOf(order.amount, state);
        uint256 minimum = _minReviewValue[order.currency];
        // A store that kept nothing gives no verified review, even with no minimum set.
        if (keptNothing || kept < minimum) revert ReviewValueTooLow(orderId, kept, minimum);
        // Every product's review flags sit in the order's state, in the slot just read: no new slot.
        if (state & reviewed != 0) revert AlreadyReviewed(orderId, productId);
        _orders[orderId] |= bytes32(reviewed);
        // unchecked: more than 2^32 reviews of one product would need more than 2^32 orders to have been reviewed, and
        // 5 x (2^32 - 1) fits the 40-bit sum.
        unchecked {
            ++p.ratingCount;
            p.ratingSum += rating;
        }
        // The history pointers ({Product-lastReviewBlock}) share the rating's slot, so keeping them costs no new write.
        (uint32 previousReviewBlock, uint32[3] memory earlierReviewBlocks) = _pushReviewBlock(p);
        emit ReviewPosted(productId, orderId, msg.sender, rating, previousReviewBlock, earlierReviewBlocks, text);
    }

    // ─────────────────────────────────────────── Money ───────────────────────────────────────────

    /// @inheritdoc IMerchstand
    /// @dev Also moves the fees the store's orders owe ({StoreFunds}) to the fee recipient's credits, so anyone can
    /// bring the platform its fees; the store's earnings go to its payout address, or are credited to it if that
    /// address refuses them, so that no payout address can hold the fees back.
    function withdrawStoreBalance(uint64 storeId) external nonReentrant {
        StoreFunds memory funds = _storeFunds[storeId];
        address payout = _stores[storeId].payout;
        address currency = _storeHot[storeId].currency;
        uint256 amount = funds.balance;
        uint256 fees = funds.fees;
        if (amount == 0 && fees == 0) revert NothingToWithdraw(payout, currency);
        _storeFunds[storeId] = StoreFunds({balance: 0, fees: 0, opened: true});
        if (fees != 0) _credits[_feeRecipient][currency] += fees;
        if (amount != 0) {
            emit StoreWithdrawal(storeId, payout, currency, amount);
            if (!_tryPay(currency, payout, amount)) _credit(payout, currency, amount);
        }
    }

    /// @inheritdoc IMerchstand
    function withdraw(address currency, address to) external nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = _credits[msg.sender][currency];
        if (amount == 0) revert NothingToWithdraw(msg.sender, currency);
        _credits[msg.sender][currency] = 0;
        emit Withdrawal(msg.sender, to, currency, amount);
        _pay(currency, to, amount);
    }

    // ─────────────────────────────────────────── Platform ───────────────────────────────────────────

    // ─────────────────────────────────────────── Views ───────────────────────────────────────────

    // The five paged views below run the code of {MerchstandCatalog}; see {_viaViews}.

    /// @inheritdoc IMerchstand
    function getStore(uint64) external view returns (StoreView memory) {
        _viaViews();
    }

    /// @inheritdoc IMerchstand
    function getStores(uint256, uint256) external view returns (StoreView[] memory, uint256) {
        _viaViews();
    }

    /// @inheritdoc IMerchstand
    function getProduct(uint64) external view returns (ProductView memory) {
        _viaViews();
    }

    /// @inheritdoc IMerchstand
    function getProducts(uint256, uint256) external view returns (ProductView[] memory, uint256) {
        _viaViews();
    }

    /// @inheritdoc IMerchstand
    function getStoreProducts(uint64, uint256, uint256) external view returns (ProductView[] memory, uint256) {
        _viaViews();
    }

    /// @inheritdoc IMerchstand
    function deploymentBlock() external view returns (uint256) {
        return _DEPLOYMENT_BLOCK;
    }

    /// @dev Two routes. From {_viaViews} (this contract calling itself with the {_VIEW_CALL} tag): runs the
    /// {MerchstandCatalog} code of the view named in the rest of the calldata against this contract's storage; the
    /// caller check means that `delegatecall` only ever happens inside the STATICCALL that {_viaViews} makes, where the
    /// EVM itself forbids any state change. Every other call goes to {MerchstandDrops} ({IMerchstandDrops}), whose
    /// functions check their callers as this contract's own do, and which reverts UnknownCall for anything else.
    /// @dev Plain ETH transfers are refused: ETH comes in only with a purchase.
    receive() external payable {
        revert IncorrectPayment(0, msg.value);
    }

    // solhint-disable-next-line no-complex-fallback
    fallback() external payable {
        if (msg.sender != address(this) || msg.sig != _VIEW_CALL) {
            // Carts and the drop toolkit ({IMerchstandDrops}): run {MerchstandDrops} on this contract's storage,
            // as {_viaCatalog} does for the catalog; it reverts UnknownCall for a selector it does not know.
            address drops = _DROPS;
            assembly ("memory-safe") {
                let ptr := mload(0x40)
                calldatacopy(ptr, 0, calldatasize())
                let ok := delegatecall(gas(), drops, ptr, calldatasize(), 0, 0)
                returndatacopy(ptr, 0, returndatasize())
                if iszero(ok) { revert(ptr, returndatasize()) }
                return(ptr, returndatasize())
            }
        }
        address catalog = _CATALOG;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := sub(calldatasize(), 4)
            calldatacopy(ptr, 4, size)
            let ok := delegatecall(gas(), catalog, ptr, size, 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) { revert(ptr, returndatasize()) }
            return(ptr, returndatasize())
        }
    }

    // ─────────────────────────────────────────── Order internals ───────────────────────────────────────────

    /// @dev Checks `order` against the commitment of `orderId` and returns a memory copy of `abi.encode(order)` as
    /// `bytes` (pointer to the length word) that {_storeOrder} edits and rehashes, and the commitment's low 48 bits
    /// (`state`: the status and the flags beside it, see {MerchstandStorage}).
    /// The copy is taken straight from calldata, so it equals `abi.encode(order)` only when the caller encoded the
    /// order canonically (as every ABI library does); any other encoding fails the comparison with OrderMismatch.
    /// That is sound: the hashed bytes include the lines offset and length, so matching bytes decode to the
    /// committed values.
    function _loadOrder(uint256 orderId, Order calldata order) private view returns (uint256 enc, uint256 state) {
        uint256 n = order.lines.length;
        bytes32 h;
        assembly ("memory-safe") {
            enc := mload(0x40)
            let size := add(_ORDER_TUPLE_FIXED_SIZE, shl(_LINE_SIZE_SHIFT, n))
            // [length][0x20][tuple]: the tuple starts _ORDER_HEAD_offset into the encoding, which starts after the
            // length word.
            let tuple := add(add(enc, 0x20), _ORDER_HEAD_offset)
            mstore(enc, add(size, _ORDER_HEAD_offset))
            mstore(add(enc, 0x20), _ORDER_HEAD_offset)
            calldatacopy(tuple, order, size)
            mstore(0x40, add(tuple, size))
            h := keccak256(add(enc, 0x20), add(size, _ORDER_HEAD_offset))
        }
        bytes32 stored = _orders[orderId];
        if ((h ^ stored) & _HASH_MASK != 0) revert OrderMismatch(orderId);
        state = uint48(uint256(stored));
    }

    /// @dev {_loadOrder} that also requires `expected` status.
    function _loadOrder(uint256 orderId, Order calldata order, OrderStatus expected)
        private
        view
        returns (uint256 enc, uint256 state)
    {
        (enc, state) = _loadOrder(orderId, order);
        if (_status(state) != expected) revert InvalidOrderStatus(orderId, _status(state));
    }

    /// @dev The status in a commitment's lowest byte.
    function _status(uint256 state) private pure returns (OrderStatus) {
        return OrderStatus(state & _STATUS_MASK);
    }

    /// @dev Writes the new commitment with `status` and the flags of `state`: optionally sets the field at byte `at`
    /// of the encoding to `value` first.
    function _storeOrder(uint256 orderId, uint256 enc, uint256 at, uint256 value, uint256 state, OrderStatus status)
        private
    {
        bytes32 h;
        assembly ("memory-safe") {
            if at { mstore(add(enc, at), value) }
            h := keccak256(add(enc, 0x20), mload(enc))
        }
        _orders[orderId] = (h & _HASH_MASK) | bytes32((state & _FLAGS_MASK) | uint256(uint8(status)));
    }

    /// @dev Puts the units of a cancelled or fully refunded order back in stock, and back in the buyer's per-buyer
    /// allowance where the product has a limit. Saturates rather than reverts so that a store cannot block a buyer's
    /// cancel by setting stock near the uint32 maximum (or by setting a limit after the purchase).
    function _returnStock(address buyer, Line[] calldata lines) private {
        uint256 n = lines.length;
        for (uint256 i; i < n; ++i) {
            Line calldata line = lines[i];
            Variant storage slot = _variants[_variantKey(line.productId, line.variant)];
            uint256 raw;
            assembly ("memory-safe") {
                raw := sload(slot.slot)
            }
            if (uint16(raw >> _AT_LIMIT) != 0) {
                mapping(address => uint32) storage bought = _bought[line.productId];
                uint32 held = bought[buyer];
                bought[buyer] = held > line.quantity ? held - line.quantity : 0;
            }
            uint256 stock = uint32(raw >> _AT_STOCK) + uint256(line.quantity);
            if (stock > type(uint32).max) stock = type(uint32).max;
            raw = (raw & ~(uint256(type(uint32).max) << _AT_STOCK)) | (stock << _AT_STOCK);
            assembly ("memory-safe") {
                sstore(slot.slot, raw)
            }
        }
    }

    /// @dev Releases `amount` to the store less the fee, and adds the fee to what the store owes the platform
    /// ({StoreFunds}): one slot written. The fee is not announced with {Credited}: the caller's {OrderCompleted} or
    /// {DisputeResolved} carries it, which saves every completion a second log.
    function _settle(uint64 storeId, address currency, uint256 amount, uint16 fee)
        private
        returns (uint256 toStore, uint256 feeAmount)
    {
        // unchecked: fee <= MAX_FEE_BPS < 10_000, so feeAmount <= amount < 2^128.
        unchecked {
            feeAmount = amount * fee / 10_000;
            toStore = amount - feeAmount;
        }
        if (amount == 0) return (0, 0);
        StoreFunds storage funds = _storeFunds[storeId];
        uint256 balance = funds.balance;
        uint256 fees = funds.fees;
        // unchecked: both are below 2^120 and both additions below 2^128.
        unchecked {
            // Each holds 120 bits. What would not fit is credited (to the payout address, to the fee recipient)
            // instead of reverting, so no completion can be blocked by the size of a store's balance or of an order.
            if (balance + toStore < 1 << 120) balance += toStore;
            else _credit(_stores[storeId].payout, currency, toStore);
            if (fees + feeAmount < 1 << 120) fees += feeAmount;
            else _credits[_feeRecipient][currency] += feeAmount;
        }
        _storeFunds[storeId] = StoreFunds({balance: uint120(balance), fees: uint120(fees), opened: true});
    }

    function _credit(address account, address currency, uint256 amount) private {
        _credits[account][currency] += amount;
        emit Credited(account, currency, amount);
    }

    /// @dev Sends ETH or tokens. ETH goes with all gas and without copying return data, so a receiver can only make
    /// its own call fail.
    function _pay(address currency, address to, uint256 amount) private {
        if (currency == address(0)) {
            bool ok;
            assembly ("memory-safe") {
                ok := call(gas(), to, amount, 0, 0, 0, 0)
            }
            if (!ok) revert EthTransferFailed(to, amount);
        } else {
            IERC20(currency).safeTransfer(to, amount);
        }
    }

    /// @dev Pays a buyer's share of a refund or a ruling straight to the buyer, with a fixed gas allowance
    /// ({_PUSH_GAS_ETH}, {_PUSH_GAS_TOKEN}), and credits it (withdrawable to any address, {withdraw}) when the push
    /// fails: ETH refused or out of its allowance, a token that blocklists the buyer, reverts or returns false.
    /// Called last, after every effect, by `nonReentrant` functions: a receiver that calls back finds the lock
    /// taken. The allowance bounds what a receiver can burn of the caller's gas, so a buyer can neither block nor
    /// tax the store's refund or the arbiter's ruling; and the credit runs on the gas the call leaves
    /// (docs/SECURITY.md, "Payouts to the buyer").
    function _payBuyer(address currency, address to, uint256 amount) private {
        bool ok;
        if (currency == address(0)) {
            assembly ("memory-safe") {
                ok := call(_PUSH_GAS_ETH, to, amount, 0, 0, 0, 0)
            }
        } else {
            bytes4 selector = IERC20.transfer.selector;
            // SafeERC20's `trySafeTransfer` with a gas allowance: success is a call that returned true, or returned
            // nothing from an address with code.
            assembly ("memory-safe") {
                let fmp := mload(0x40)
                mstore(0x00, selector)
                mstore(0x04, and(to, shr(96, not(0))))
                mstore(0x24, amount)
                ok := call(_PUSH_GAS_TOKEN, currency, 0, 0x00, 0x44, 0x00, 0x20)
                if iszero(and(ok, eq(mload(0x00), 1))) {
                    ok := and(ok, and(iszero(returndatasize()), gt(extcodesize(currency), 0)))
                }
                mstore(0x40, fmp)
            }
        }
        if (!ok) _credit(to, currency, amount);
    }

    /// @dev {_pay} that reports failure instead of reverting.
    function _tryPay(address currency, address to, uint256 amount) private returns (bool ok) {
        if (currency == address(0)) {
            assembly ("memory-safe") {
                ok := call(gas(), to, amount, 0, 0, 0, 0)
            }
        } else {
            ok = IERC20(currency).trySafeTransfer(to, amount);
        }
    }

    /// @dev When the ship window of `order` ends: staff may ship before, the buyer may cancel from then on.
    /// A pre-order's window runs from its ship date ({Order} `shipsFrom`).
    function _shipDeadline(Order calldata order) private view returns (uint256) {
        uint256 start = order.shipsFrom > order.placedAt ? order.shipsFrom : order.placedAt;
        return start + _terms[order.storeId][order.termsVersion].shipWindow;
    }

    // ─────────────────────────────────────────── Store & catalog internals ───────────────────────────────────────────

    /// @dev Runs the {MerchstandCatalog} function of the same name on this contract's storage and answers with its
    /// result. The catalog address is fixed at deployment, so this is not an upgrade path.
    function _viaCatalog() private {
        address catalog = _CATALOG;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := delegatecall(gas(), catalog, ptr, calldatasize(), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) { revert(ptr, returndatasize()) }
            return(ptr, returndatasize())
        }
    }

    /// @dev Answers the current call with what {MerchstandCatalog} returns for the same calldata, by a STATICCALL to
    /// this contract's fallback (a view may not `delegatecall` directly; the STATICCALL makes that safe).
    function _viaViews() private view {
        address self = address(this);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, _VIEW_CALL)
            calldatacopy(add(ptr, 4), 0, calldatasize())
            let ok := staticcall(gas(), self, ptr, add(calldatasize(), 4), 0, 0)
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) { revert(ptr, returndatasize()) }
            return(ptr, returndatasize())
        }
    }
}
