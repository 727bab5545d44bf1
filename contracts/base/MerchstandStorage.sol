// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IMerchstand} from "../interfaces/IMerchstand.sol";
import {IArbSys} from "../interfaces/IArbSys.sol";

/// @title MerchstandStorage
/// @notice The state, constants and storage types shared by {Merchstand} and {MerchstandCatalog}.
/// @dev Both contracts inherit this, so {MerchstandCatalog} code run by `delegatecall` from {Merchstand} sees the same
/// layout. Storage is laid out for the purchase path (check `storageLayout` in the compiler output):
/// - slot 0 is AccessControl's `_roles`; slot 1 holds Pausable's `_paused` and then `_feeBps` and `_feeRecipient`
///   (1 + 2 + 20 bytes), so one SLOAD serves the pause check, the fee snapshot and (for digital orders) the fee
///   recipient. A purchase writes no shared slot: order ids come from the variant's sold counter, not a global one.
/// - A purchase reads one slot per store ({StoreHot}) and reads and writes one slot per variant ({Variant}). The
///   product-level fields a purchase needs (active, digital, maxPerBuyer, storeId) are copied into every variant
///   slot and rewritten on all of a product's variants when they change: that costs the seller a few writes, once,
///   and saves every buyer a cold SLOAD (2,100 gas) per line.
/// - A store's balance and the platform fees its orders owe share a slot ({StoreFunds}), so settling an order writes
///   one slot, and a flag keeps that slot nonzero after a withdrawal, so the next settle is a nonzero-to-nonzero
///   write. The fees reach the fee recipient's credits when the store's funds are withdrawn (which anyone may
///   trigger).
/// - An order is one slot holding a commitment (see {IMerchstand}): a 208-bit hash with the order's state in the low
///   48 bits (its status and flags in the lowest byte, a review flag per line, and what partial refunds returned,
///   counted in the order's refund unit), so a review, a reply or a partial refund writes no new slot.
abstract contract MerchstandStorage is AccessControl, Pausable, ReentrancyGuardTransient {
    // ─────────────────────────────────────────── Constants ───────────────────────────────────────────

    /// @notice May pause and unpause new business.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May add and remove ERC-20s from the allow-list.
    bytes32 public constant CURRENCY_ROLE = keccak256("CURRENCY_ROLE");
    /// @notice May set the fee and its recipient.
    bytes32 public constant FEE_ROLE = keccak256("FEE_ROLE");
    /// @notice May attest and revoke official stores.
    bytes32 public constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");

    /// @notice Hard cap on the platform fee: 10%.
    uint16 public constant MAX_FEE_BPS = 1000;
    /// @notice Most variants a product may have.
    uint8 public constant MAX_VARIANTS = 16;
    /// @notice Most lines a cart may have, over all its orders.
    uint256 public constant MAX_CART_LINES = 20;
    /// @notice Largest encrypted shipping blob.
    uint256 public constant MAX_SHIPPING_BYTES = 512;
    /// @notice Shortest ship window a store may promise.
    uint32 public constant MIN_SHIP_WINDOW = 1 days;
    /// @notice Longest ship window a store may promise.
    uint32 public constant MAX_SHIP_WINDOW = 60 days;
    /// @notice Shortest delivery window a store may promise.
    uint32 public constant MIN_DELIVERY_WINDOW = 3 days;
    /// @notice Longest delivery window a store may promise.
    uint32 public constant MAX_DELIVERY_WINDOW = 90 days;
    /// @notice How long an arbiter has to rule before anyone may settle the dispute in the buyer's favour.
    uint32 public constant ARBITER_WINDOW = 30 days;
    /// @notice Longest store or product name, in bytes.
    uint256 public constant MAX_NAME_BYTES = 64;
    /// @notice Longest variant label, in bytes.
    uint256 public constant MAX_LABEL_BYTES = 32;
    /// @notice Longest metadata CID, in bytes.
    uint256 public constant MAX_CID_BYTES = 100;
    /// @notice Longest delivery payload (keys or tickets sealed to the buyer), in bytes.
    uint256 public constant MAX_DELIVERY_BYTES = 512;
    /// @notice Size of the buyer's X25519 public key a digital order carries in place of a shipping blob.
    uint256 internal constant _BUYER_KEY_BYTES = 32;
    /// @notice Longest tracking reference, in bytes.
    uint256 public constant MAX_TRACKING_BYTES = 128;
    /// @notice Longest review, reply, dispute reason or revocation reason, in bytes.
    uint256 public constant MAX_TEXT_BYTES = 280;
    /// @notice Longest official-store evidence (CID or URL), in bytes.
    uint256 public constant MAX_EVIDENCE_BYTES = 200;
    /// @notice Highest category value (0 apparel .. 6 other).
    uint8 public constant MAX_CATEGORY = 6;
    /// @notice Most shipping zones a store may have.
    uint8 public constant MAX_ZONES = 8;
    /// @notice Furthest ahead a pre-order's ship date may be set.
    uint32 public constant MAX_PREORDER_DELAY = 365 days;
    /// @notice Most code ids one {IMerchstand-prepareCodes} may cover.
    uint32 public constant MAX_PREPARED_CODES = 1024;

    // Bit offsets of the {Variant} fields in its packed slot (Solidity packs the first member lowest).
    uint256 internal constant _AT_STOCK = 96;
    uint256 internal constant _AT_SOLD = 128;
    uint256 internal constant _AT_STORE = 160;
    uint256 internal constant _AT_LAST_ORDER = 192;
    uint256 internal constant _AT_LIMIT = 224;
    uint256 internal constant _AT_FLAGS = 240;

    uint8 internal constant _VARIANT_ACTIVE = 1;
    uint8 internal constant _PRODUCT_ACTIVE = 2;
    uint8 internal constant _DIGITAL = 4;
    /// @dev The product has a {IMerchstand-Drop} (sale window or ship date): only then does a purchase read `_drops`.
    uint8 internal constant _TIMED = 8;
    uint8 internal constant _ON_SALE = _VARIANT_ACTIVE | _PRODUCT_ACTIVE;
    /// @dev {_DIGITAL} where it sits in the packed {Variant} slot.
    uint256 internal constant _DIGITAL_FLAG = uint256(_DIGITAL) << _AT_FLAGS;
    /// @dev {_TIMED} where it sits in the packed {Variant} slot.
    uint256 internal constant _TIMED_FLAG = uint256(_TIMED) << _AT_FLAGS;

    /// @dev The ticket category (see {IMerchstand-ProductInput}): reviewable once delivered.
    uint8 internal constant _CATEGORY_TICKETS = 3;

    // Bit offsets in the packed line of {IMerchstand-buy_oT9la}: the terms version sits above the 200 bits of the
    // {IMerchstand-OrderPlaced} line layout, and every bit from `_LINE_END` up must be zero.
    uint256 internal constant _LINE_TERMS = 200;
    uint256 internal constant _LINE_END = 232;
    /// @dev Where the line words of {IMerchstand-OrderPlaced} carry their variant's previous order block (the bits the
    /// buy input uses for the terms version).
    uint256 internal constant _LINE_PREVIOUS_BLOCK = 200;
    // Bit offsets in the `info` word of {IMerchstand-OrderPlaced} above `termsVersion | feeBps << 32 | placedAt << 48`.
    uint256 internal constant _INFO_ZONE = 88;
    uint256 internal constant _INFO_SHIPS_FROM = 96;
    uint256 internal constant _INFO_SHIPPING = 136;
    /// @dev Set when the order used a code: the log's `lines` then end with one more word, `discount | codeId << 224`,
    /// which carries the discount a client needs to rebuild the {IMerchstand-Order}.
    uint256 internal constant _INFO_CODE_USED = 1 << _INFO_CODE_BIT;
    uint256 internal constant _INFO_CODE_BIT = 232;
    /// @dev The code word of {IMerchstand-OrderPlaced}: the discount in bits 0..223, the code's id from bit 224.
    uint256 internal constant _CODE_WORD_ID = 224;
    uint256 internal constant _CODE_WORD_DISCOUNT = (1 << 224) - 1;
    /// @dev The options word of {IMerchstand-buyWith}: `zone | maxShipping << 8`, nothing from bit 104 up.
    uint256 internal constant _OPTIONS_END = 104;

    // The packed code of {IMerchstand-SignedCode}: `id | flags << 32 | value << 40 | expiresAt << 120 |
    // maxUses << 160 | productId << 192`.
    uint256 internal constant _CODE_FLAGS = 32;
    uint256 internal constant _CODE_VALUE = 40;
    uint256 internal constant _CODE_EXPIRES = 120;
    uint256 internal constant _CODE_MAX_USES = 160;
    uint256 internal constant _CODE_PRODUCT = 192;
    /// @dev Code flag bit 0: `value` is an amount (else basis points).
    uint256 internal constant _CODE_AMOUNT = 1;
    /// @dev Code flag bit 1: the code is bound to the buyer (signed with `buyer = msg.sender`).
    uint256 internal constant _CODE_BOUND = 2;
    uint256 internal constant _BPS = 10_000;
    // A use-counter word holds 8 lanes of 31 bits, lane i at bit 31 i: 30 bits of uses and the revoked bit above
    // them. Bit 255 is set by {IMerchstand-prepareCodes} only to make the word nonzero.
    uint256 internal constant _LANE_BITS = 31;
    uint256 internal constant _LANE_USES = (1 << 30) - 1;
    uint256 internal constant _LANE_REVOKED = 1 << 30;
    uint256 internal constant _WORD_PREPARED = 1 << 255;
    /// @dev EIP-712 type hashes of {IMerchstand-DiscountCode} and of the domain.
    // solhint-disable-next-line gas-small-strings
    bytes32 internal constant _CODE_TYPEHASH = keccak256(
        "DiscountCode(uint64 storeId,uint32 id,uint8 kind,uint80 value,uint40 expiresAt,uint32 maxUses,address buyer,uint64 productId)"
    );
    bytes32 internal constant _DOMAIN_TYPEHASH =
    // solhint-disable-next-line gas-small-strings
    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant _NAME_HASH = keccak256("Merchstand");
    bytes32 internal constant _VERSION_HASH = keccak256("1");

    // An order commitment's low 48 bits (its state): the {IMerchstand-OrderStatus} in bits 0..3, the check-in flag
    // in bit 4, the count of the store's replies in bits 5..6, the unreviewable flag in bit 7, from bit 8 one review flag per line of the order, for the product whose first line
    // it is (up to MAX_CART_LINES lines: bits 8..27), and in bits 28..47 the refund units ({_REFUND_UNITS_SHIFT}).
    // The state is not part of the hash: setting a flag or refunding part of an order leaves the {IMerchstand-Order}
    // a buyer holds valid, and every status change keeps the state. The hash keeps 208 bits: finding two orders with
    // the same commitment takes about 2^104 hashes.
    /// @dev The {IMerchstand-OrderStatus} bits of an order's state.
    uint256 internal constant _STATUS_MASK = 0x0f;
    /// @dev The bits of an order's state besides its status.
    uint256 internal constant _FLAGS_MASK = 0xffff_ffff_fff0;
    /// @dev Where the review flag of line 0 sits in an order's state: `_REVIEWED_FLAG << j` is line j's.
    uint256 internal constant _REVIEWED_FLAG = 0x100;
    /// @dev Flag: the ticket order was checked in at the door ({IMerchstandDrops-checkIn}). Kept in the slot that
    /// check-in reads anyway, so it writes no new slot; when is in the order's {IMerchstand-TicketCheckedIn} log.
    uint256 internal constant _CHECKED_IN = 0x10;
    /// @dev How many times the store replied to the order's reviews, 0..3 ({IMerchstandDrops-replyToReview}).
    uint256 internal constant _REPLY_COUNT_MASK = 0x60;
    uint256 internal constant _REPLY_COUNT_ONE = 0x20;
    /// @dev Flag beside the status of a Resolved order: the store kept nothing (or a share that reads as
    /// nothing once the buyer's total is rounded up to the refund unit), so its buyer may not review and its ticket does not get in.
    uint256 internal constant _UNREVIEWABLE = 0x80;
    /// @dev Where an order's refund units sit in its state: 20 bits. Partial refunds are counted in units of
    /// {_refundUnit} of the order's amount, so the count stays below 2^20 while something is escrowed. After a ruling
    /// that leaves the store something, the count is what the buyer got back in all, rounded up
    /// ({IMerchstand-refundedUnits}), so that the store's share reads rounded down.
    uint256 internal constant _REFUND_UNITS_SHIFT = 28;
    uint256 internal constant _REFUND_UNITS_MAX = 0xf_ffff;
    /// @dev {_refundUnit} makes `unit << _REFUND_UNITS_BITS >= amount`.
    uint256 internal constant _REFUND_UNITS_BITS = 20;

    /// @dev Clears the state bits of an order commitment.
    bytes32 internal constant _HASH_MASK = ~bytes32(uint256(0xffff_ffff_ffff));

    // solhint-disable const-name-snakecase
    // (Seaport's suffix grammar for memory constants, ConsiderationConstants.sol: `_offset` from a base, `_REL` for
    // a value that is itself an offset.)
    // Memory layout of `abi.encode(order)` for an {Order} of n lines, as {Merchstand} builds it for a new order and
    // copies it from calldata for an existing one (Seaport's naming: `_offset` from the start of the encoding).
    // [0x00] 0x20, the offset of the tuple; [0x20 + 32k] head field k; [0x1e0] lines length; [0x200 + 0x80 j] line j.
    uint256 internal constant _ORDER_HEAD_offset = 0x20;
    uint256 internal constant _ORDER_BUYER_offset = 0x20;
    uint256 internal constant _ORDER_STORE_offset = 0x40;
    uint256 internal constant _ORDER_TERMS_offset = 0x60;
    uint256 internal constant _ORDER_FEE_offset = 0x80;
    uint256 internal constant _ORDER_CURRENCY_offset = 0xa0;
    uint256 internal constant _ORDER_PLACED_AT_offset = 0xc0;
    uint256 internal constant _ORDER_SHIPPED_AT_offset = 0xe0;
    uint256 internal constant _ORDER_DISPUTED_AT_offset = 0x100;
    uint256 internal constant _ORDER_AMOUNT_offset = 0x120;
    uint256 internal constant _ORDER_SHIPS_FROM_offset = 0x140;
    uint256 internal constant _ORDER_ZONE_offset = 0x160;
    uint256 internal constant _ORDER_SHIPPING_offset = 0x180;
    uint256 internal constant _ORDER_DISCOUNT_offset = 0x1a0;
    /// @dev The lines' offset word, and its value: the lines start 0x1c0 after the tuple's start.
    uint256 internal constant _ORDER_LINES_HEAD_offset = 0x1c0;
    uint256 internal constant _ORDER_LINES_REL = 0x1c0;
    uint256 internal constant _ORDER_LINES_LENGTH_offset = 0x1e0;
    uint256 internal constant _ORDER_LINES_offset = 0x200;
    /// @dev The tuple's size before its lines (14 head words and the lines length), as copied from calldata.
    uint256 internal constant _ORDER_TUPLE_FIXED_SIZE = 0x1e0;
    /// @dev A line is 4 words (0x80 bytes): index << 7.
    uint256 internal constant _LINE_SIZE_SHIFT = 7;
    uint256 internal constant _LINE_VARIANT_offset = 0x20;
    uint256 internal constant _LINE_QUANTITY_offset = 0x40;
    uint256 internal constant _LINE_PRICE_offset = 0x60;

    // The {OrderPlaced} data a new order's buffer holds right after the encoding: `abi.encode(info, lines, shipping)`
    // with `lines` packed one word each. Offsets from the start of the log data.
    uint256 internal constant _LOG_INFO_offset = 0x00;
    uint256 internal constant _LOG_LINES_HEAD_offset = 0x20;
    uint256 internal constant _LOG_SHIPPING_HEAD_offset = 0x40;
    uint256 internal constant _LOG_LINES_LENGTH_offset = 0x60;
    uint256 internal constant _LOG_LINES_offset = 0x80;
    /// @dev The value of the lines' offset word: after the three head words.
    uint256 internal constant _LOG_LINES_REL = 0x60;
    /// @dev Bytes of a new order's buffer besides its lines and shipping: the encoding up to its lines, the log's
    /// four head words and the shipping length word.
    uint256 internal constant _ORDER_BUFFER_FIXED_SIZE = 0x2a0; // _ORDER_LINES_offset + _LOG_LINES_offset + 0x20
    /// @dev Bytes per line in a new order's buffer: 4 words in the encoding, one packed word in the log.
    uint256 internal constant _ORDER_BUFFER_LINE_SIZE = 0xa0;

    // solhint-enable const-name-snakecase

    // Where {Order} fields sit in a `bytes memory` holding `abi.encode(order)`: after its length word, at their
    // `_ORDER_*_offset` from the encoding's start.
    uint256 internal constant _ENC_SHIPPED_AT = 0x20 + _ORDER_SHIPPED_AT_offset;
    uint256 internal constant _ENC_DISPUTED_AT = 0x20 + _ORDER_DISPUTED_AT_offset;

    // ─────────────────────────────────────────── Types ───────────────────────────────────────────

    /// @dev The store fields every purchase reads: one slot.
    struct StoreHot {
        address currency;
        uint32 termsVersion;
        bool closed;
        /// @dev How many shipping zones the store has (`_zones`); 0: it ships free everywhere.
        uint8 zoneCount;
    }

    /// @dev A store's earnings and the fees its settled orders owe the platform: one slot, so that a settle writes
    /// one slot. `opened` is set when the store opens and never cleared, so the slot is never zero again and crediting
    /// a store is a nonzero-to-nonzero write even right after a withdrawal.
    struct StoreFunds {
        uint120 balance;
        uint120 fees;
        bool opened;
    }

    /// @dev Everything about a store that purchases never touch.
    struct StoreInfo {
        address owner;
        bool official;
        /// @dev Counts ownership transfers; managers are kept per owner term, so a transfer drops them all for good.
        uint64 ownerTerm;
        bytes32 shippingKey;
        string name;
        string metadataCid;
        string officialEvidence;
        /// @dev Proposed by the owner; becomes owner on {IMerchstand-acceptStoreOwnership}.
        address pendingOwner;
        /// @dev Where {IMerchstand-withdrawStoreBalance} sends the store's earnings; read by withdrawals only.
        address payout;
    }

    /// @dev The only catalog slot a purchase touches. `storeId`, `maxPerBuyer` and the product flags are copies of
    /// the product's values (see the contract's NatSpec). `storeId` is 32 bits here (store ids stop at 2^32 - 1,
    /// {IMerchstand-TooManyStores}) to leave room for `lastOrderBlock`: the block of the variant's latest order (low
    /// 32 bits of `block.number`), written by the purchase's own write of this slot, so keeping it costs no storage.
    struct Variant {
        uint96 price;
        uint32 stock;
        uint32 sold;
        uint32 storeId;
        uint32 lastOrderBlock;
        uint16 maxPerBuyer;
        uint8 flags;
    }

    /// @dev The product header, read by views and staff functions only. Its first slot is full (32 + 4 x 8 + 16 + 32 +
    /// 40 + 32 + 72 bits): `storeId` is 32 bits as in {Variant} (store ids stop at 2^32 - 1), `ratingSum` 40 (at most
    /// 5 x (2^32 - 1)), which leaves room for the review history pointers a review writes with the rating.
    struct Product {
        uint32 storeId;
        uint8 category;
        uint8 variantCount;
        bool active;
        bool digital;
        uint16 maxPerBuyer;
        uint32 ratingCount;
        uint40 ratingSum;
        /// @dev The block of the product's latest review or reply (low 32 bits of {_blockNumber}).
        uint32 lastReviewBlock;
        /// @dev The gaps between the distinct blocks of its three reviews or replies before that: `gap i` (bits
        /// 24 i .. 24 i + 23) leads from the block i steps back to the one before it; 0 = unknown (a gap of 2^24
        /// blocks or more, or no such block). See docs/FORMATS.md, "History pointers".
        uint72 reviewGaps;
        string name;
        string metadataCid;
    }

    /// @dev Bits of one gap in {Product-reviewGaps}, and how many gaps it keeps.
    uint256 internal constant _GAP_BITS = 24;
    uint256 internal constant _GAP_MASK = (1 << _GAP_BITS) - 1;
    uint256 internal constant _REVIEW_GAPS = 3;

    /// @dev Arbitrum One and Arbitrum Sepolia, where `block.number` is an L1 block number and the chain's own block
    /// number (the one `eth_getLogs` takes) comes from ArbSys.
    uint256 internal constant _ARBITRUM_ONE = 42_161;
    uint256 internal constant _ARBITRUM_SEPOLIA = 421_614;
    /// @dev ArbSys, the Arbitrum system contract at address 100.
    address internal constant _ARB_SYS = address(100);

    // ─────────────────────────────────────────── Immutables ───────────────────────────────────────────

    /// @dev Set once at deployment: every contract built on this one ({Merchstand} and the modules it delegatecalls)
    /// runs on the chain it was deployed on.
    bool private immutable _ON_ARBITRUM = block.chainid == _ARBITRUM_ONE || block.chainid == _ARBITRUM_SEPOLIA;

    // ─────────────────────────────────────────── Storage ───────────────────────────────────────────

    // These two pack into Pausable's `_paused` slot (1 + 2 + 20 bytes): keep them first and together.
    uint16 internal _feeBps;
    address internal _feeRecipient;

    uint64 internal _storeCount;
    uint64 internal _productCount;

    mapping(address token => bool allowed) internal _allowedCurrencies;

    mapping(uint64 storeId => StoreHot) internal _storeHot;
    mapping(uint64 storeId => StoreFunds) internal _storeFunds;
    mapping(uint64 storeId => StoreInfo) internal _stores;
    mapping(uint64 storeId => mapping(uint32 version => IMerchstand.StoreTerms)) internal _terms;
    /// @dev Keyed by the owner term they were appointed in ({StoreInfo-ownerTerm}), so a change of owner drops them,
    /// even if the store later returns to the owner who appointed them.
    mapping(uint64 storeId => mapping(uint64 ownerTerm => mapping(address manager => bool))) internal _managers;
    mapping(uint64 storeId => uint64[] productIds) internal _storeProducts;

    mapping(uint64 productId => Product) internal _products;
    /// @dev Keyed by `productId << 8 | variant`: one hash per lookup instead of two.
    mapping(uint256 variantKey => Variant) internal _variants;
    mapping(uint256 variantKey => string label) internal _labels;
    mapping(uint64 productId => mapping(address buyer => uint32 units)) internal _bought;

    /// @dev keccak256(abi.encode(order)) with its low 48 bits replaced by the order's state ({_STATUS_MASK}).
    mapping(uint256 orderId => bytes32 commitment) internal _orders;

    mapping(address account => mapping(address currency => uint256 amount)) internal _credits;

    mapping(address currency => uint128 value) internal _minReviewValue;

    /// @dev Read by a purchase only when the variant's {_TIMED} flag is set.
    mapping(uint64 productId => IMerchstand.Drop) internal _drops;
    /// @dev Zone k of a store, 1..`StoreHot.zoneCount`, keyed by `storeId << 8 | k` ({_zoneKey}): one hash per lookup.
    mapping(uint256 zoneKey => IMerchstand.ShippingZone) internal _zones;
    /// @dev Use counters of codes, keyed by `storeId << 32 | id >> 3`: 8 lanes a word (see {_LANE_BITS}).
    mapping(uint256 wordKey => uint256 lanes) internal _codeUses;

    // ─────────────────────────────────────────── Shared helpers ───────────────────────────────────────────

    /// @dev The re-entrancy guard of a function that makes no external call: it refuses to run inside a guarded call,
    /// as `nonReentrant` does, without taking the lock (two transient writes saved). Nothing can re-enter a function
    /// that calls nobody, so the lock would guard nothing.
    modifier notEntered() {
        if (_reentrancyGuardEntered()) revert ReentrancyGuardReentrantCall();
        _;
    }

    function _isStaff(uint64 storeId, address account) internal view returns (bool) {
        StoreInfo storage info = _stores[storeId];
        address owner = info.owner;
        return owner != address(0) && (account == owner || _managers[storeId][info.ownerTerm][account]);
    }

    function _requireStaff(uint64 storeId) internal view {
        if (!_isStaff(storeId, msg.sender)) {
            // Say which: a store that does not exist has no staff at all.
            if (_stores[storeId].owner == address(0)) revert IMerchstand.StoreNotFound(storeId);
            revert IMerchstand.NotStoreStaff(storeId, msg.sender);
        }
    }

    function _checkText(bytes calldata text, uint256 min, uint256 max) internal pure {
        if (text.length < min || text.length > max) revert IMerchstand.InvalidLength(text.length, max);
    }

    /// @dev The EIP-712 digest of a {IMerchstand-DiscountCode}, under the domain of the contract whose storage this
    /// runs on (`address(this)` is {Merchstand} in {MerchstandCatalog}'s delegatecalled code too). For
    /// {IMerchstandDrops-hashCode}; a purchase hashes the packed code itself ({_packedCodeDigest}).
    function _codeDigest(IMerchstand.DiscountCode memory c) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(_CODE_TYPEHASH, c.storeId, c.id, c.kind, c.value, c.expiresAt, c.maxUses, c.buyer, c.productId)
        );
        return MessageHashUtils.toTypedDataHash(_domainSeparator(), structHash);
    }

    /// @dev {_codeDigest} of the packed code `c` of {IMerchstand-SignedCode} (field offsets `_CODE_*`) for a purchase
    /// of `storeId` by `buyer` (the purchase's `msg.sender` for a bound code, else 0): the same EIP-712 encoding,
    /// written in scratch memory past the free memory pointer (nothing is allocated) instead of through a memory
    /// struct and `abi.encode`. Every field is masked to its type's width, as `abi.encode` of the struct would.
    function _packedCodeDigest(uint64 storeId, uint256 c, address buyer) internal view returns (bytes32 digest) {
        bytes32 domain = _domainSeparator();
        bytes32 typeHash = _CODE_TYPEHASH;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), and(storeId, 0xffffffffffffffff))
            mstore(add(m, 0x40), and(c, 0xffffffff))
            mstore(add(m, 0x60), and(shr(_CODE_FLAGS, c), _CODE_AMOUNT))
            mstore(add(m, 0x80), and(shr(_CODE_VALUE, c), 0xffffffffffffffffffff))
            mstore(add(m, 0xa0), and(shr(_CODE_EXPIRES, c), 0xffffffffff))
            mstore(add(m, 0xc0), and(shr(_CODE_MAX_USES, c), 0xffffffff))
            mstore(add(m, 0xe0), and(buyer, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(m, 0x100), shr(_CODE_PRODUCT, c))
            let structHash := keccak256(m, 0x120)
            // MessageHashUtils.toTypedDataHash: keccak256("\x19\x01" || domain || structHash).
            mstore(m, hex"1901")
            mstore(add(m, 0x02), domain)
            mstore(add(m, 0x22), structHash)
            digest := keccak256(m, 0x42)
        }
    }

    /// @dev The EIP-712 domain separator of {Merchstand} (name "Merchstand", version "1", this chain, this address).
    function _domainSeparator() internal view returns (bytes32 domain) {
        (bytes32 typeHash, bytes32 name, bytes32 version) = (_DOMAIN_TYPEHASH, _NAME_HASH, _VERSION_HASH);
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), name)
            mstore(add(m, 0x40), version)
            mstore(add(m, 0x60), chainid())
            mstore(add(m, 0x80), address())
            domain := keccak256(m, 0xa0)
        }
    }

    /// @dev The signer of `digest` under an EIP-2098 compact signature (`r`, `vs`), 0 when none recovers. Refuses an
    /// `s` in the upper half of the curve order, as OpenZeppelin's ECDSA does (no second signature for the same
    /// message). The precompile is called straight from scratch memory, restored after.
    function _recoverCompact(bytes32 digest, bytes32 r, bytes32 vs) internal view returns (address signer) {
        assembly ("memory-safe") {
            let s := and(vs, 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
            if iszero(gt(s, 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0)) {
                let m := mload(0x40)
                mstore(0x00, digest)
                mstore(0x20, add(shr(255, vs), 27))
                mstore(0x40, r)
                mstore(0x60, s)
                let ok := staticcall(gas(), 0x01, 0x00, 0x80, 0x00, 0x20)
                signer := mul(mload(0x00), and(ok, eq(returndatasize(), 0x20)))
                mstore(0x40, m)
                mstore(0x60, 0)
            }
        }
    }

    /// @dev {_TIMED} when the product has a drop, else 0: the flag its variants carry.
    function _timedFlag(uint64 productId) internal view returns (uint8) {
        IMerchstand.Drop storage d = _drops[productId];
        return d.presaleAt | d.opensAt | d.closesAt | d.shipsFrom != 0 ? _TIMED : 0;
    }

    /// @dev Where the use counter of code `id` of a store sits: its word's key and the lane's bit offset.
    function _codeLane(uint64 storeId, uint32 id) internal pure returns (uint256 key, uint256 shift) {
        key = (uint256(storeId) << 32) | (id >> 3);
        shift = uint256(id & 7) * _LANE_BITS;
    }

    /// @dev The first line of `lines` with `productId`, whose review flag in the order's state is the
    /// product's ({_REVIEWED_FLAG}); reverts {IMerchstand-ProductNotInOrder} if there is none.
    function _lineOf(uint256 orderId, IMerchstand.Line[] calldata lines, uint64 productId)
        internal
        pure
        returns (uint256)
    {
        uint256 n = lines.length;
        for (uint256 i; i < n; ++i) {
            if (lines[i].productId == productId) return i;
        }
        revert IMerchstand.ProductNotInOrder(orderId, productId);
    }

    /// @dev The unit an order's partial refunds are counted in: the smallest power of ten `unit` with
    /// `unit << 20 >= amount`, so fewer than 2^20 units are ever refunded while something stays escrowed. A power of
    /// ten keeps the amounts people type exact: 0.008 ETH of a 0.05 ETH order is 80,000 units of 10^11 wei.
    function _refundUnit(uint256 amount) internal pure returns (uint256 unit) {
        unit = 1;
        // unchecked: amount < 2^128, so unit stays below 10^33.
        unchecked {
            while (unit << _REFUND_UNITS_BITS < amount) unit *= 10;
        }
    }

    /// @dev What is still escrowed for an order of `amount` with `state`: `amount` less its refund units. After a
    /// ruling, what the store kept, rounded down to the unit (see {_REFUND_UNITS_SHIFT}).
    function _escrowedOf(uint256 amount, uint256 state) internal pure returns (uint256) {
        uint256 units = (state >> _REFUND_UNITS_SHIFT) & _REFUND_UNITS_MAX;
        if (units == 0) return amount;
        // unchecked: fewer units than fit in `amount` are ever recorded ({_refundUnit}).
        unchecked {
            return amount - units * _refundUnit(amount);
        }
    }

    function _zoneKey(uint64 storeId, uint256 zone) internal pure returns (uint256) {
        return (uint256(storeId) << 8) | zone;
    }

    /// @dev The number of the block this runs in, as the chain's `eth_getLogs` counts blocks: `block.number`, except
    /// on Arbitrum, where that is an L1 block number and ArbSys answers the L2 one. The history pointers
    /// ({Variant-lastOrderBlock}, {Product-lastReviewBlock}) keep its low 32 bits.
    function _blockNumber() internal view returns (uint256) {
        if (_ON_ARBITRUM) return IArbSys(_ARB_SYS).arbBlockNumber();
        return block.number;
    }

    /// @dev Moves product `p`'s review history to this block (a review or a reply) and answers what its event carries:
    /// `previous`, the product's last review block before (this block when an earlier review or reply of the product
    /// came in it; 0 for none), and `earlier`, the three distinct blocks before `previous`, newest first, each 0 from
    /// the first unknown one on. Everything lives in the product's first slot, which a review writes anyway.
    function _pushReviewBlock(Product storage p) internal returns (uint32 previous, uint32[3] memory earlier) {
        previous = p.lastReviewBlock;
        uint256 gaps = p.reviewGaps;
        uint32 here = uint32(_blockNumber());
        // unchecked: block numbers and their gaps are kept modulo 2^32, as the pointers themselves are.
        unchecked {
            uint32 at = previous;
            for (uint256 i; i < _REVIEW_GAPS; ++i) {
                uint32 gap = uint32((gaps >> (_GAP_BITS * i)) & _GAP_MASK);
                if (gap == 0 || at == 0) break;
                at -= gap;
                earlier[i] = at;
            }
            if (here != previous) {
                uint256 gap = uint32(here - previous);
                // A gap that does not fit is kept as 0, "unknown": a client follows `previous` there instead.
                if (previous == 0 || gap > _GAP_MASK) gap = 0;
                // uint72 keeps the three newest gaps: the oldest falls off the top.
                p.reviewGaps = uint72((gaps << _GAP_BITS) | gap);
                p.lastReviewBlock = here;
            }
        }
    }

    function _variantKey(uint64 productId, uint8 variant) internal pure returns (uint256) {
        return (uint256(productId) << 8) | variant;
    }
}
