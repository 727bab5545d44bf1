// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IMerchstand, IMerchstandDrops} from "../interfaces/IMerchstand.sol";
import {MerchstandPurchase} from "./MerchstandPurchase.sol";

/// @title MerchstandDrops
/// @notice Cart checkouts and the drop toolkit of {Merchstand} (docs/DROPS.md): timed drops and pre-orders,
/// shipping zones, discount and presale codes, ticket check-in, and their views.
/// @dev Lives in its own contract because {Merchstand} and {MerchstandCatalog} are at the EIP-170 code size limit,
/// and {Merchstand}'s creation code (which carries the catalog's) at the EIP-3860 limit, so this one is deployed
/// first and its address fixed in {Merchstand}'s constructor (an immutable: no upgrade path). {Merchstand}'s
/// fallback runs it with `delegatecall` on its own storage, whose layout it shares by inheriting
/// {MerchstandStorage}. Called directly, every state-changing function reverts (NotDelegated, or no role in this
/// contract's own storage); the views without `onlyDelegated` answer from that storage, which is empty, so only the
/// {Merchstand} address tells the truth (test/security/ModuleRoute.ts).
contract MerchstandDrops is IMerchstandDrops, MerchstandPurchase {
    /// @dev This contract's own address, to tell a direct call from a `delegatecall`.
    address private immutable _SELF = address(this);

    /// @notice The function was called on the module itself instead of through {Merchstand}.
    error NotDelegated();
    /// @notice No function has this selector.
    error UnknownCall(bytes4 selector);

    modifier onlyDelegated() {
        if (address(this) == _SELF) revert NotDelegated();
        _;
    }

    /// @dev What {Merchstand}'s fallback passes on that no function here answers.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        revert UnknownCall(msg.sig);
    }

    // ─────────────────────────────────────────── Buying ───────────────────────────────────────────

    /// @inheritdoc IMerchstandDrops
    function checkout(IMerchstand.CartOrder[] calldata cart)
        external
        payable
        onlyDelegated
        nonReentrant
        whenNotPaused
        returns (uint256[] memory orderIds)
    {
        address currency;
        uint256 total;
        (orderIds, currency, total) = _checkout(cart);
        _collect(currency, total, msg.value);
    }

    /// @inheritdoc IMerchstandDrops
    function checkoutWithPermit(IMerchstand.CartOrder[] calldata cart, IMerchstand.Permit calldata permit)
        external
        onlyDelegated
        nonReentrant
        whenNotPaused
        returns (uint256[] memory orderIds)
    {
        address currency;
        uint256 total;
        (orderIds, currency, total) = _checkout(cart);
        if (currency == address(0)) revert IMerchstand.CurrencyNotAllowed(address(0));
        if (permit.value < total) revert IMerchstand.PermitTooSmall(permit.value, total);
        // A permit that fails (already used, e.g. front-run from the mempool) is fine as long as the allowance it
        // granted is in place; if it is not, the transfer below reverts.
        try IERC20Permit(currency)
            .permit(msg.sender, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
            catch {}
        _collect(currency, total, 0);
    }

    // ─────────────────────────────────────────── Drops ───────────────────────────────────────────

    /// @notice See {IMerchstandDrops-setDrop}.
    /// @dev A new ship date starts a new terms version (a copy of the current terms): buys in flight carry the old
    /// version and revert {IMerchstand-TermsChanged}, so the date a buyer saw is the date the order gets.
    function setDrop(uint64 productId, IMerchstand.Drop calldata drop) external onlyDelegated nonReentrant {
        Product storage p = _staffProduct(productId);
        if (
            // solhint-disable-next-line gas-strict-inequalities
            (drop.presaleAt != 0 && drop.presaleAt >= drop.opensAt)
                // solhint-disable-next-line gas-strict-inequalities
                || (drop.closesAt != 0 && drop.closesAt <= drop.opensAt)
                || drop.shipsFrom > block.timestamp + MAX_PREORDER_DELAY
        ) revert IMerchstand.InvalidDrop(productId, drop.presaleAt, drop.opensAt, drop.closesAt, drop.shipsFrom);
        uint64 storeId = p.storeId;
        if (_drops[productId].shipsFrom != drop.shipsFrom) {
            StoreHot storage hot = _storeHot[storeId];
            uint32 version = hot.termsVersion + 1;
            hot.termsVersion = version;
            IMerchstand.StoreTerms memory terms = _terms[storeId][version - 1];
            _terms[storeId][version] = terms;
            emit IMerchstand.StoreTermsSet(storeId, version, terms);
        }
        _drops[productId] = drop;
        uint8 timed = _timedFlag(productId);
        uint256 count = p.variantCount;
        for (uint256 i; i < count; ++i) {
            Variant storage v = _variants[_variantKey(productId, uint8(i))];
            v.flags = (v.flags & ~_TIMED) | timed;
        }
        emit IMerchstand.DropSet(productId, drop);
    }

    /// @notice See {IMerchstandDrops-setShippingZones}.
    function setShippingZones(uint64 storeId, IMerchstand.ShippingZone[] calldata zones)
        external
        onlyDelegated
        nonReentrant
    {
        _requireStaff(storeId);
        uint256 n = zones.length;
        if (n > MAX_ZONES) revert IMerchstand.TooManyZones(n, MAX_ZONES);
        for (uint256 k; k < n; ++k) {
            _zones[_zoneKey(storeId, k + 1)] = zones[k];
        }
        _storeHot[storeId].zoneCount = uint8(n);
        emit IMerchstand.ShippingZonesSet(storeId, zones);
    }

    /// @notice See {IMerchstandDrops-revokeCode}.
    function revokeCode(uint64 storeId, uint32 codeId) external onlyDelegated nonReentrant {
        _requireStaff(storeId);
        (uint256 key, uint256 shift) = _codeLane(storeId, codeId);
        _codeUses[key] |= _LANE_REVOKED << shift;
        emit IMerchstand.CodeRevoked(storeId, codeId);
    }

    /// @notice See {IMerchstandDrops-prepareCodes}.
    function prepareCodes(uint64 storeId, uint32 fromId, uint32 count) external onlyDelegated nonReentrant {
        _requireStaff(storeId);
        if (count == 0 || count > MAX_PREPARED_CODES) revert IMerchstand.TooManyCodes(count, MAX_PREPARED_CODES);
        uint256 last = (uint256(fromId) + count - 1) >> 3;
        if (last > type(uint32).max >> 3) revert IMerchstand.TooManyCodes(count, MAX_PREPARED_CODES);
        uint256 base = uint256(storeId) << 32;
        // solhint-disable-next-line gas-strict-inequalities
        for (uint256 w = fromId >> 3; w <= last; ++w) {
            _codeUses[base | w] |= _WORD_PREPARED;
        }
        emit IMerchstand.CodesPrepared(storeId, fromId, count);
    }

    /// @notice See {IMerchstandDrops-checkIn}.
    /// @dev The check-in is the {_CHECKED_IN} flag in the order's state bits, in the slot read for the commitment: a
    /// warm nonzero-to-nonzero write (2,900 gas) instead of a new slot (22,100). Every later status change keeps it
    /// ({Merchstand-_storeOrder} keeps the flags), and the hash bits are untouched, so the buyer's Order stays valid.
    function checkIn(uint256 orderId, IMerchstand.Order calldata order) external onlyDelegated nonReentrant {
        bytes32 stored = _checkedOrder(orderId, order);
        _requireStaff(order.storeId);
        uint64 productId = order.lines[0].productId;
        if (_products[productId].category != _CATEGORY_TICKETS) revert IMerchstand.NotATicket(orderId, productId);
        uint256 state = uint48(uint256(stored));
        IMerchstand.OrderStatus status = IMerchstand.OrderStatus(state & _STATUS_MASK);
        // Delivered and still the buyer's: not refunded, cancelled or disputed; resolved only with the store keeping
        // something (a ruling that gave the whole price back is flagged). A partial ruling is the arbiter's call: the
        // ticket still gets in, whatever the review minimum says.
        if (
            status != IMerchstand.OrderStatus.Shipped && status != IMerchstand.OrderStatus.Completed
                && (status != IMerchstand.OrderStatus.Resolved || state & _UNREVIEWABLE != 0)
        ) revert IMerchstand.InvalidOrderStatus(orderId, status);
        if (state & _CHECKED_IN != 0) revert IMerchstand.AlreadyCheckedIn(orderId);
        _orders[orderId] = stored | bytes32(_CHECKED_IN);
        emit IMerchstand.TicketCheckedIn(orderId, order.storeId, msg.sender, uint40(block.timestamp));
    }

    /// @notice See {IMerchstandDrops-replyToReview}.
    function replyToReview(uint256 orderId, IMerchstand.Order calldata order, uint64 productId, string calldata text)
        external
        onlyDelegated
        notEntered
    {
        uint256 state = uint48(uint256(_checkedOrder(orderId, order)));
        _requireStaff(order.storeId);
        _checkText(bytes(text), 1, MAX_TEXT_BYTES);
        // A store may reply again, up to three replies an order: the latest reply is the one shown (an edited reply).
        // The count sits in the state bits, outside the hash, so a reply never touches what the buyer holds; it
        // bounds what replies can add to the product's review history by what verified reviews paid for.
        if (
            state & (_REVIEWED_FLAG << _lineOf(orderId, order.lines, productId)) == 0
                || state & _REPLY_COUNT_MASK == _REPLY_COUNT_MASK
        ) revert IMerchstand.CannotReply(orderId, productId);
        // unchecked: the count is below its maximum, so adding one stays inside its two bits.
        unchecked {
            _orders[orderId] = bytes32(uint256(_orders[orderId]) + _REPLY_COUNT_ONE);
        }
        // A reply joins the product's review history, so the walk that finds the reviews finds the replies too.
        (uint32 previousReviewBlock, uint32[3] memory earlierReviewBlocks) = _pushReviewBlock(_products[productId]);
        emit IMerchstand.ReviewReplied(productId, orderId, previousReviewBlock, earlierReviewBlocks, text);
    }

    /// @notice See {IMerchstandDrops-isReviewed}.
    function isReviewed(uint256 orderId, IMerchstand.Order calldata order, uint64 productId)
        external
        view
        onlyDelegated
        returns (bool)
    {
        uint256 state = uint48(uint256(_checkedOrder(orderId, order)));
        return state & (_REVIEWED_FLAG << _lineOf(orderId, order.lines, productId)) != 0;
    }

    /// @notice See {IMerchstandDrops-getDrop}.
    function getDrop(uint64 productId) external view onlyDelegated returns (IMerchstand.Drop memory) {
        return _drops[productId];
    }

    /// @notice See {IMerchstandDrops-shippingZones}.
    function shippingZones(uint64 storeId)
        external
        view
        onlyDelegated
        returns (IMerchstand.ShippingZone[] memory zones)
    {
        uint256 n = _storeHot[storeId].zoneCount;
        zones = new IMerchstand.ShippingZone[](n);
        for (uint256 k; k < n; ++k) {
            zones[k] = _zones[_zoneKey(storeId, k + 1)];
        }
    }

    /// @notice See {IMerchstandDrops-codeState}.
    function codeState(uint64 storeId, uint32 codeId) external view onlyDelegated returns (uint256 uses, bool revoked) {
        (uint256 key, uint256 shift) = _codeLane(storeId, codeId);
        uint256 lane = _codeUses[key] >> shift;
        return (lane & _LANE_USES, lane & _LANE_REVOKED != 0);
    }

    /// @notice See {IMerchstandDrops-hashCode}.
    function hashCode(IMerchstand.DiscountCode calldata code) external view onlyDelegated returns (bytes32) {
        return _codeDigest(code);
    }

    /// @notice See {IMerchstandDrops-orderStatus}.
    function orderStatus(uint256 orderId) external view onlyDelegated returns (IMerchstand.OrderStatus) {
        return IMerchstand.OrderStatus(uint256(_orders[orderId]) & _STATUS_MASK);
    }

    /// @notice See {IMerchstandDrops-refundedUnits}.
    function refundedUnits(uint256 orderId) external view onlyDelegated returns (uint256) {
        return (uint256(_orders[orderId]) >> _REFUND_UNITS_SHIFT) & _REFUND_UNITS_MAX;
    }

    /// @notice See {IMerchstandDrops-isCheckedIn}.
    function isCheckedIn(uint256 orderId) external view onlyDelegated returns (bool) {
        return uint256(_orders[orderId]) & _CHECKED_IN != 0;
    }

    // ─────────────────────────────────────────── Platform and small views ───────────────────────────────────────────

    /// @inheritdoc IMerchstandDrops
    function setFee(uint16 feeBps_) external nonReentrant onlyRole(FEE_ROLE) {
        if (feeBps_ > MAX_FEE_BPS) revert IMerchstand.FeeTooHigh(feeBps_, MAX_FEE_BPS);
        _feeBps = feeBps_;
        emit IMerchstand.FeeSet(feeBps_);
    }

    /// @inheritdoc IMerchstandDrops
    function setFeeRecipient(address recipient) external nonReentrant onlyRole(FEE_ROLE) {
        if (recipient == address(0)) revert IMerchstand.ZeroAddress();
        _feeRecipient = recipient;
        emit IMerchstand.FeeRecipientSet(recipient);
    }

    /// @inheritdoc IMerchstandDrops
    function setMinReviewValue(address currency, uint128 value) external nonReentrant onlyRole(CURRENCY_ROLE) {
        _minReviewValue[currency] = value;
        emit IMerchstand.MinReviewValueSet(currency, value);
    }

    /// @inheritdoc IMerchstandDrops
    /// @dev Removing a token stops new stores and purchases in it; existing escrow, balances and credits in it can
    /// still be refunded, completed and withdrawn.
    function setCurrencyAllowed(address token, bool allowed) external nonReentrant onlyRole(CURRENCY_ROLE) {
        if (token == address(0)) revert IMerchstand.ZeroAddress();
        _allowedCurrencies[token] = allowed;
        emit IMerchstand.CurrencyAllowed(token, allowed);
    }

    /// @inheritdoc IMerchstandDrops
    function pause() external nonReentrant onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IMerchstandDrops
    function unpause() external nonReentrant onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc IMerchstandDrops
    function hashOrder(IMerchstand.Order calldata order) external pure returns (bytes32) {
        return keccak256(abi.encode(order)) & _HASH_MASK;
    }

    /// @inheritdoc IMerchstandDrops
    function storeTerms(uint64 storeId, uint32 version) external view returns (IMerchstand.StoreTerms memory) {
        return _terms[storeId][version];
    }

    /// @inheritdoc IMerchstandDrops
    function pendingStoreOwner(uint64 storeId) external view returns (address) {
        return _stores[storeId].pendingOwner;
    }

    /// @inheritdoc IMerchstandDrops
    function minReviewValue(address currency) external view returns (uint256) {
        return _minReviewValue[currency];
    }

    /// @inheritdoc IMerchstandDrops
    function isStoreStaff(uint64 storeId, address account) external view returns (bool) {
        return _isStaff(storeId, account);
    }

    /// @inheritdoc IMerchstandDrops
    function boughtBy(uint64 productId, address buyer) external view returns (uint256) {
        return _bought[productId][buyer];
    }

    /// @inheritdoc IMerchstandDrops
    function storeFeesOwed(uint64 storeId) external view returns (uint256) {
        return _storeFunds[storeId].fees;
    }

    /// @inheritdoc IMerchstandDrops
    function credits(address account, address currency) external view returns (uint256) {
        return _credits[account][currency];
    }

    /// @inheritdoc IMerchstandDrops
    function feeBps() external view returns (uint16) {
        return _feeBps;
    }

    /// @inheritdoc IMerchstandDrops
    function feeRecipient() external view returns (address) {
        return _feeRecipient;
    }

    /// @inheritdoc IMerchstandDrops
    function isCurrencyAllowed(address token) external view returns (bool) {
        return _allowedCurrencies[token];
    }

    // ─────────────────────────────────────────── Internals ───────────────────────────────────────────

    function _staffProduct(uint64 productId) private view returns (Product storage p) {
        p = _products[productId];
        uint64 storeId = p.storeId;
        if (storeId == 0) revert IMerchstand.ProductNotFound(productId);
        _requireStaff(storeId);
    }

    /// @dev The stored commitment of `orderId`, after checking `order` against it (else {IMerchstand-OrderMismatch}).
    /// `abi.encode` re-encodes the calldata canonically, so the check is on the decoded values.
    function _checkedOrder(uint256 orderId, IMerchstand.Order calldata order) private view returns (bytes32 stored) {
        stored = _orders[orderId];
        if ((keccak256(abi.encode(order)) ^ stored) & _HASH_MASK != 0) revert IMerchstand.OrderMismatch(orderId);
    }
}
