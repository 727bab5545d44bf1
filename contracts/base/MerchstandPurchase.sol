// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IMerchstand} from "../interfaces/IMerchstand.sol";
import {MerchstandStorage} from "./MerchstandStorage.sol";

/// @title MerchstandPurchase
/// @notice The purchase internals shared by {Merchstand} (the one-variant buys) and {MerchstandDrops} (the cart
/// checkouts): taking a line from stock, the drop, zone and code checks, building the order's commitment and its
/// {IMerchstand-OrderPlaced} log in one buffer, and collecting the payment.
/// @dev Internal functions only: each contract compiles in what it calls. Split out of {Merchstand} because both
/// contracts with the checkout inlined exceed the EIP-170 code size limit.
abstract contract MerchstandPurchase is MerchstandStorage {
    using SafeERC20 for IERC20;

    /// @dev Places every order of a cart (all or nothing) and returns what the caller must then collect.
    // solhint-disable-next-line function-max-lines
    function _checkout(IMerchstand.CartOrder[] calldata cart)
        internal
        returns (uint256[] memory orderIds, address currency, uint256 total)
    {
        uint256 orders = cart.length;
        if (orders == 0) revert IMerchstand.EmptyCart();
        uint256 lineCount;
        for (uint256 i; i < orders; ++i) {
            uint256 n = cart[i].lines.length;
            if (n == 0) revert IMerchstand.EmptyCart();
            lineCount += n;
        }
        if (lineCount > MAX_CART_LINES) revert IMerchstand.CartTooLarge(lineCount, MAX_CART_LINES);
        uint16 fee = _feeBps;
        orderIds = new uint256[](orders);
        for (uint256 i; i < orders; ++i) {
            IMerchstand.CartOrder calldata co = cart[i];
            uint64 storeId = co.storeId;
            StoreHot memory hot = _openStore(storeId, co.termsVersion);
            if (i == 0) currency = hot.currency;
            else if (hot.currency != currency) revert IMerchstand.CurrencyMismatch(currency, hot.currency);
            uint256 n = co.lines.length;
            uint256 c = co.code.code;
            uint256 buf = _newOrderBuffer(n, co.shipping.length, c == 0 ? 0 : 1);
            uint64 bound = uint64(c >> _CODE_PRODUCT);
            uint256 amount;
            uint256 boundGoods;
            uint256 orderId;
            uint256 digital;
            uint256 shipsFrom;
            for (uint256 j; j < n; ++j) {
                IMerchstand.LineInput calldata li = co.lines[j];
                (uint256 raw, uint256 lineShipsFrom) =
                    _takeLine(li.productId, li.variant, li.quantity, li.maxUnitPrice, c != 0 && bound == li.productId);
                if (uint32(raw >> _AT_STORE) != storeId) revert IMerchstand.ProductNotInStore(li.productId, storeId);
                // One rule for a cart order: all its lines are digital, or none (see {CartOrder}).
                if (j == 0) (orderId, digital) = (_orderId(li.productId, li.variant, raw), raw & _DIGITAL_FLAG);
                else if (raw & _DIGITAL_FLAG != digital) revert IMerchstand.MixedOrder(storeId, li.productId);
                if (lineShipsFrom > shipsFrom) shipsFrom = lineShipsFrom;
                // unchecked: each line is below 2^128 and there are at most MAX_CART_LINES of them.
                unchecked {
                    uint256 cost = uint96(raw) * uint256(li.quantity);
                    amount += cost;
                    if (li.productId == bound) boundGoods += cost;
                }
                _writeLine(buf, n, j, li.productId, li.variant, li.quantity, raw);
            }
            _checkShipping(storeId, co.shipping.length, digital == 0);
            uint256 discount;
            if (c != 0) {
                // Every line costs something (prices are never 0), so no bound goods means no bound product.
                if (bound != 0 && boundGoods == 0) revert IMerchstand.CodeNotForProduct(storeId, uint32(c), bound);
                discount = _redeem(storeId, c, co.code.r, co.code.vs, bound == 0 ? amount : boundGoods);
            }
            uint256 extras;
            // unchecked: discount <= the goods (see {_redeem}); the rate is below 2^96.
            unchecked {
                uint256 rate = _shippingCharge(
                    storeId,
                    hot.zoneCount,
                    digital == 0,
                    uint256(co.zone) | uint256(co.maxShipping) << 8,
                    amount - discount
                );
                amount = amount - discount + rate;
                extras = uint256(co.zone) << _INFO_ZONE | shipsFrom << _INFO_SHIPS_FROM | rate << _INFO_SHIPPING;
            }
            if (c != 0) extras |= _INFO_CODE_USED;
            if (amount > type(uint128).max) revert IMerchstand.InvalidAmount(orderId, amount, type(uint128).max);
            orderIds[i] = orderId;
            _placeOrder(buf, n, orderId, storeId, hot, fee, amount, extras, _codeWord(discount, c), co.shipping);
            // unchecked: total is a sum of at most MAX_CART_LINES amounts below 2^128.
            unchecked {
                total += amount;
            }
        }
    }

    /// @dev Checks one line against its variant and takes the units out of stock, with one SLOAD and one SSTORE of
    /// the packed {Variant} slot, which also records this block as the variant's last order block. Returns the slot as
    /// it was (price, storeId, flags and the previous order block are read from it), and the
    /// product's pre-order ship date when it is still ahead (else 0). `presale`: the purchase carries a code bound to
    /// this product (checked by {_redeem} in the same purchase), which opens its presale ({_checkDrop}).
    function _takeLine(uint64 productId, uint8 variant, uint32 quantity, uint96 maxUnitPrice, bool presale)
        internal
        returns (uint256 raw, uint256 shipsFrom)
    {
        Variant storage slot = _variants[_variantKey(productId, variant)];
        assembly ("memory-safe") {
            raw := sload(slot.slot)
        }
        uint256 price = uint96(raw);
        if (price == 0) {
            if (productId == 0 || productId > _productCount) revert IMerchstand.ProductNotFound(productId);
            revert IMerchstand.VariantNotFound(productId, variant);
        }
        if ((raw >> _AT_FLAGS) & _ON_SALE != _ON_SALE) revert IMerchstand.NotForSale(productId, variant);
        // Products without a drop pay only this test of a flag in the slot just read.
        if (raw & _TIMED_FLAG != 0) shipsFrom = _checkDrop(productId, presale);
        if (quantity == 0) revert IMerchstand.ZeroQuantity(productId, variant);
        if (price > maxUnitPrice) revert IMerchstand.PriceAboveMax(productId, variant, price, maxUnitPrice);
        uint256 stock = uint32(raw >> _AT_STOCK);
        if (quantity > stock) revert IMerchstand.InsufficientStock(productId, variant, quantity, stock);
        uint256 limit = uint16(raw >> _AT_LIMIT);
        if (limit != 0) {
            uint256 already = _bought[productId][msg.sender];
            if (already + quantity > limit) {
                revert IMerchstand.PerBuyerLimitExceeded(productId, limit, already, quantity);
            }
            // unchecked: already + quantity <= limit < 2^16.
            unchecked {
                _bought[productId][msg.sender] = uint32(already + quantity);
            }
        }
        uint256 sold = uint32(raw >> _AT_SOLD) + uint256(quantity);
        // Order ids are made from `sold` (see {_orderId}), so it must keep growing: it may not wrap or saturate.
        if (sold > type(uint32).max) revert IMerchstand.SoldCounterFull(productId, variant);
        uint256 next;
        // unchecked: quantity <= stock, so subtracting it from the stock field cannot borrow from the next field, and
        // quantity added to `sold` stays inside its 32-bit field (checked above).
        unchecked {
            next = raw - (uint256(quantity) << _AT_STOCK) + (uint256(quantity) << _AT_SOLD);
        }
        // The history pointer ({Variant-lastOrderBlock}): the low 32 bits of the block number, in the same write.
        next = (next & ~(uint256(type(uint32).max) << _AT_LAST_ORDER))
            | (uint256(uint32(_blockNumber())) << _AT_LAST_ORDER);
        assembly ("memory-safe") {
            sstore(slot.slot, next)
        }
    }

    /// @dev The id of an order whose first line is `variant` of `productId`, from that variant's slot as it was before
    /// the order took its units: unique because {_takeLine} raises the sold counter by at least one and never lets it
    /// wrap. Costs no storage, unlike a global counter (a warm write, 2,900 gas, on every purchase).
    function _orderId(uint64 productId, uint8 variant, uint256 raw) internal pure returns (uint256) {
        return (uint256(productId) << 40) | (uint256(variant) << 32) | uint32(raw >> _AT_SOLD);
    }

    /// @dev The hot slot of a store that exists, takes orders, and still has the terms version the buyer was shown.
    function _openStore(uint64 storeId, uint32 termsVersion) internal view returns (StoreHot memory hot) {
        hot = _storeHot[storeId];
        if (hot.termsVersion == 0) revert IMerchstand.StoreNotFound(storeId);
        if (hot.closed) revert IMerchstand.StoreIsClosed(storeId);
        if (hot.termsVersion != termsVersion) revert IMerchstand.TermsChanged(storeId, termsVersion, hot.termsVersion);
        if (hot.currency != address(0) && !_allowedCurrencies[hot.currency]) {
            revert IMerchstand.CurrencyNotAllowed(hot.currency);
        }
    }

    /// @dev A physical order carries a sealed address of 1..MAX_SHIPPING_BYTES; a digital one the buyer's key.
    function _checkShipping(uint64 storeId, uint256 length, bool physical) internal pure {
        if (physical) {
            if (length == 0 || length > MAX_SHIPPING_BYTES) {
                revert IMerchstand.InvalidShippingBlob(storeId, length, MAX_SHIPPING_BYTES);
            }
        } else if (length != _BUYER_KEY_BYTES) {
            revert IMerchstand.InvalidShippingBlob(storeId, length, _BUYER_KEY_BYTES);
        }
    }

    /// @dev Allocates the memory a new order is built in, once, for both its commitment and its {OrderPlaced} log:
    /// `[0x20][abi tuple of the Order: 14 head words, lines length, 4 words per line]` (which is `abi.encode(order)`)
    /// followed by the log data `[info][0x60][offset of shipping][words length][1 word per line][code word, if any]
    /// [shipping length][shipping, zero-padded]`. `code`: 1 when the order used a code (its {_codeWord} follows the
    /// lines in the log), else 0.
    function _newOrderBuffer(uint256 lines, uint256 shippingLength, uint256 code) internal pure returns (uint256 buf) {
        assembly ("memory-safe") {
            buf := mload(0x40)
            let size :=
                add(
                    add(add(_ORDER_BUFFER_FIXED_SIZE, mul(_ORDER_BUFFER_LINE_SIZE, lines)), shl(5, code)),
                    and(add(shippingLength, 31), not(31))
                )
            mstore(0x40, add(buf, size))
        }
    }

    /// @dev The word {OrderPlaced} carries after the lines of an order that used code `c`: `discount | codeId << 224`
    /// (a discount is at most the order's goods, below 2^133; see {IMerchstand-OrderPlaced}). 0 without a code.
    function _codeWord(uint256 discount, uint256 c) internal pure returns (uint256) {
        return c == 0 ? 0 : discount | uint256(uint32(c)) << _CODE_WORD_ID;
    }

    /// @dev Writes line `j` of an order of `lines` lines in `buf`: in full in the tuple, packed in the log data with
    /// the variant's previous order block. `raw` is the variant's slot as {_takeLine} found it: its unit price and
    /// its last order block.
    function _writeLine(
        uint256 buf,
        uint256 lines,
        uint256 j,
        uint64 productId,
        uint8 variant,
        uint32 quantity,
        uint256 raw
    ) internal pure {
        uint256 unitPrice = uint96(raw);
        uint256 previous = uint32(raw >> _AT_LAST_ORDER);
        assembly ("memory-safe") {
            let at := add(buf, add(_ORDER_LINES_offset, shl(_LINE_SIZE_SHIFT, j)))
            productId := and(productId, 0xffffffffffffffff)
            variant := and(variant, 0xff)
            quantity := and(quantity, 0xffffffff)
            mstore(at, productId)
            mstore(add(at, _LINE_VARIANT_offset), variant)
            mstore(add(at, _LINE_QUANTITY_offset), quantity)
            mstore(add(at, _LINE_PRICE_offset), unitPrice)
            let packed :=
                or(
                    or(or(productId, shl(64, variant)), or(shl(72, quantity), shl(104, unitPrice))),
                    shl(_LINE_PREVIOUS_BLOCK, previous)
                )
            let log := add(buf, add(_ORDER_LINES_offset, shl(_LINE_SIZE_SHIFT, lines)))
            mstore(add(log, add(_LOG_LINES_offset, shl(5, j))), packed)
        }
    }

    /// @dev Fills in the order in `buf`, stores its commitment as Paid, emits {OrderPlaced}. Digital orders too: they
    /// wait in escrow for {deliver}. `code` is the order's {_codeWord} (its discount in the low 224 bits), written
    /// after the lines in the log when `extras` has {_INFO_CODE_USED}.
    function _placeOrder(
        uint256 buf,
        uint256 lines,
        uint256 orderId,
        uint64 storeId,
        StoreHot memory hot,
        uint16 fee,
        uint256 amount,
        uint256 extras,
        uint256 code,
        bytes calldata shipping
    ) internal {
        uint256 status = uint8(IMerchstand.OrderStatus.Paid);
        uint256 store = storeId;
        uint256 terms = hot.termsVersion;
        uint256 feeWord = fee;
        address currency = hot.currency;
        bytes32 mask = _HASH_MASK;
        uint256 discount = code & _CODE_WORD_DISCOUNT;
        uint256 e;
        uint256 words;
        assembly ("memory-safe") {
            mstore(buf, _ORDER_HEAD_offset)
            mstore(add(buf, _ORDER_BUYER_offset), caller())
            mstore(add(buf, _ORDER_STORE_offset), store)
            mstore(add(buf, _ORDER_TERMS_offset), terms)
            mstore(add(buf, _ORDER_FEE_offset), feeWord)
            mstore(add(buf, _ORDER_CURRENCY_offset), and(currency, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(buf, _ORDER_PLACED_AT_offset), timestamp())
            mstore(add(buf, _ORDER_SHIPPED_AT_offset), 0)
            mstore(add(buf, _ORDER_DISPUTED_AT_offset), 0)
            mstore(add(buf, _ORDER_AMOUNT_offset), amount)
            mstore(add(buf, _ORDER_SHIPS_FROM_offset), and(shr(_INFO_SHIPS_FROM, extras), 0xffffffffff))
            mstore(add(buf, _ORDER_ZONE_offset), and(shr(_INFO_ZONE, extras), 0xff))
            // Masked to its 96 bits: `extras` carries the code-used bit (_INFO_CODE_USED) above the rate.
            mstore(add(buf, _ORDER_SHIPPING_offset), and(shr(_INFO_SHIPPING, extras), 0xffffffffffffffffffffffff))
            mstore(add(buf, _ORDER_DISCOUNT_offset), discount)
            mstore(add(buf, _ORDER_LINES_HEAD_offset), _ORDER_LINES_REL)
            mstore(add(buf, _ORDER_LINES_LENGTH_offset), lines)
            // keccak256(abi.encode(order)) is the hash of [0x20][tuple].
            e := add(buf, add(_ORDER_LINES_offset, shl(_LINE_SIZE_SHIFT, lines)))
            let h := keccak256(buf, sub(e, buf))
            mstore(0, orderId)
            mstore(0x20, _orders.slot)
            sstore(keccak256(0, 0x40), or(and(h, mask), status))
            // The code word goes right after the line words. Written without a branch: without a code, this word is
            // where {_emitPlaced} writes the shipping length next, and `words` stays `lines`.
            mstore(add(e, add(_LOG_LINES_offset, shl(5, lines))), code)
            words := add(lines, and(shr(_INFO_CODE_BIT, extras), 1))
        }
        _emitPlaced(e, words, orderId, store, terms | (feeWord << 32) | (block.timestamp << 48) | extras, shipping);
    }

    /// @dev Emits {OrderPlaced} from the log data {_placeOrder} laid out at `e` (its packed lines already written by
    /// {_writeLine}, and the code word after them): `abi.encode(info, words, shipping)`, `lines` words long.
    function _emitPlaced(
        uint256 e,
        uint256 lines,
        uint256 orderId,
        uint256 store,
        uint256 info,
        bytes calldata shipping
    ) internal {
        bytes32 topic = IMerchstand.OrderPlaced.selector;
        assembly ("memory-safe") {
            mstore(add(e, _LOG_INFO_offset), info)
            mstore(add(e, _LOG_LINES_HEAD_offset), _LOG_LINES_REL)
            let shipAt := add(_LOG_LINES_offset, shl(5, lines))
            mstore(add(e, _LOG_SHIPPING_HEAD_offset), shipAt)
            mstore(add(e, _LOG_LINES_LENGTH_offset), lines)
            let sp := add(e, shipAt)
            let len := shipping.length
            let padded := and(add(len, 31), not(31))
            mstore(sp, len)
            if padded { mstore(add(sp, padded), 0) }
            calldatacopy(add(sp, 0x20), shipping.offset, len)
            log4(e, add(add(shipAt, 0x20), padded), topic, orderId, caller(), store)
        }
    }

    /// @dev Checks a timed product's drop ({Drop}) and returns its ship date when still ahead (a pre-order), else 0.
    function _checkDrop(uint64 productId, bool presale) internal view returns (uint256) {
        IMerchstand.Drop memory d = _drops[productId];
        uint256 t = block.timestamp;
        if (t < d.opensAt && (!presale || d.presaleAt == 0 || t < d.presaleAt)) {
            revert IMerchstand.DropNotOpen(productId, d.opensAt, d.closesAt, t);
        }
        // solhint-disable-next-line gas-strict-inequalities
        if (d.closesAt != 0 && t >= d.closesAt) revert IMerchstand.DropClosed(productId, d.opensAt, d.closesAt, t);
        return d.shipsFrom > t ? d.shipsFrom : 0;
    }

    /// @dev The shipping charge of an order: `options` is `zone | maxShipping << 8`; `goods` what its goods cost
    /// after any discount (for the zone's free-shipping threshold).
    function _shippingCharge(uint64 storeId, uint8 zoneCount, bool physical, uint256 options, uint256 goods)
        internal
        view
        returns (uint256 rate)
    {
        uint8 zone = uint8(options);
        if (!physical || zoneCount == 0) {
            if (zone != 0) revert IMerchstand.InvalidZone(storeId, zone, physical ? zoneCount : 0);
            return 0;
        }
        if (zone == 0 || zone > zoneCount) revert IMerchstand.InvalidZone(storeId, zone, zoneCount);
        // The packed {IMerchstand-ShippingZone} slot, read once: `rate` in bits 0..95, `freeFrom` in bits 96..191.
        IMerchstand.ShippingZone storage z = _zones[_zoneKey(storeId, zone)];
        uint256 raw;
        assembly ("memory-safe") {
            raw := sload(z.slot)
        }
        uint256 freeFrom = uint96(raw >> 96);
        // solhint-disable-next-line gas-strict-inequalities
        if (freeFrom != 0 && goods >= freeFrom) return 0;
        rate = uint96(raw);
        uint256 maxShipping = options >> 8;
        if (rate > maxShipping) revert IMerchstand.ShippingAboveMax(storeId, zone, rate, maxShipping);
    }

    /// @dev Checks a signed code (packed `c`, signature `r`, `vs`: {IMerchstand-SignedCode}) for an order of `storeId`
    /// and counts its use; returns what it takes off `base` (the goods it applies to). The code's `storeId` and
    /// `buyer` are not in the packed code: they are taken from the purchase, so a code signed for another store or
    /// buyer recovers to a stranger and is refused.
    function _redeem(uint64 storeId, uint256 c, bytes32 r, bytes32 vs, uint256 base)
        internal
        returns (uint256 discount)
    {
        uint32 id = uint32(c);
        uint256 flags = uint8(c >> _CODE_FLAGS);
        uint256 value = uint80(c >> _CODE_VALUE);
        if (flags > (_CODE_AMOUNT | _CODE_BOUND) || (flags & _CODE_AMOUNT == 0 && value > _BPS)) {
            revert IMerchstand.InvalidCode(c);
        }
        uint256 expiresAt = uint40(c >> _CODE_EXPIRES);
        // solhint-disable-next-line gas-strict-inequalities
        if (block.timestamp >= expiresAt) revert IMerchstand.CodeExpired(storeId, id, expiresAt, block.timestamp);
        uint256 maxUses = uint32(c >> _CODE_MAX_USES);
        address signer =
            _recoverCompact(_packedCodeDigest(storeId, c, flags & _CODE_BOUND != 0 ? msg.sender : address(0)), r, vs);
        if (signer == address(0) || !_isStaff(storeId, signer)) {
            revert IMerchstand.InvalidCodeSignature(storeId, id, signer);
        }
        (uint256 key, uint256 shift) = _codeLane(storeId, id);
        uint256 word = _codeUses[key];
        uint256 lane = word >> shift;
        if (lane & _LANE_REVOKED != 0) revert IMerchstand.CodeIsRevoked(storeId, id);
        uint256 uses = lane & _LANE_USES;
        // The counter is raised here, in the purchase: a second use in the same block sees the first.
        // solhint-disable-next-line gas-strict-inequalities
        if (uses >= maxUses || uses == _LANE_USES) revert IMerchstand.CodeUsedUp(storeId, id, uses, maxUses);
        // unchecked: uses < _LANE_USES, so adding one stays inside the lane.
        unchecked {
            _codeUses[key] = word + (1 << shift);
        }
        if (flags & _CODE_AMOUNT != 0) discount = value < base ? value : base;
        else discount = base * value / _BPS;
    }

    /// @dev {_collect} of a token payment under the re-entrancy lock, for {buy_oT9la}, which does not hold it.
    function _collectLocked(address currency, uint256 total) internal nonReentrant {
        _collect(currency, total, msg.value);
    }

    /// @dev Takes payment for a purchase: exact ETH, or an exact ERC-20 pull that must arrive in full.
    function _collect(address currency, uint256 total, uint256 value) internal {
        if (currency == address(0)) {
            if (value != total) revert IMerchstand.IncorrectPayment(total, value);
            return;
        }
        if (value != 0) revert IMerchstand.IncorrectPayment(0, value);
        IERC20 token = IERC20(currency);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), total);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != total) revert IMerchstand.FeeOnTransferToken(currency, total, received);
    }
}
