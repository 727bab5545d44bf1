// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Event fields are indexed only where clients filter on them (ids, accounts, currencies): a topic costs more gas than
// a data word and hides the value from the log data, so amounts, flags and times stay unindexed.
// solhint-disable gas-indexed-events

/// @title Merchstand
/// @notice A merch store protocol: artists open stores, list products with per-size stock, and sell to fans
/// through escrowed orders that anyone can settle once their windows pass (no order waits on the store). There is
/// no company server: the catalog and every order live here, shipping addresses travel encrypted to the store's
/// X25519 key, and only buyers of completed or settled orders (a ticket: once delivered) can review.
/// @dev Gas design. An order is kept as one storage slot: the keccak256 of its ABI-encoded {Order}, whose low 48
/// bits are overwritten with its state: its {OrderStatus} (low 4 bits), internal flags, the review flag of each line
/// and the partial refunds counted in refund units ({orderStatus}, {refundedUnits} and
/// {IMerchstandDrops-isReviewed} read them; docs/FORMATS.md, "Order commitment"). Every call that acts on an
/// order takes the {Order} back as calldata
/// and is checked against that commitment. {OrderPlaced} carries what is needed to rebuild the {Order}; later
/// events say how it changed ({OrderShipped} and {OrderDelivered} set `shippedAt`, {OrderDisputed} sets
/// `disputedAt`), so any client can rebuild the current {Order} from logs alone. Refunds never change the
/// commitment: what was refunded is counted beside it ({refundedUnits}), so no refund mined in front of a buyer's cancel,
/// dispute or confirmation can void it (docs/SECURITY.md, "Counterparty moves first").
/// Order ids cost no storage either: an order's id is `productId << 40 | variant << 32 | sold`, where `productId`
/// and `variant` are its first line's and `sold` is that variant's sold counter just before the order took its units.
/// The counter only grows, by at least one unit per order, so no two orders share an id.
interface IMerchstand {
    // ─────────────────────────────────────────── Types ───────────────────────────────────────────

    /// @notice Lifecycle of an order. Completed, Refunded, Cancelled and Resolved are terminal.
    enum OrderStatus {
        None,
        Paid,
        Shipped,
        Completed,
        Refunded,
        Cancelled,
        Disputed,
        Resolved
    }

    /// @notice What a store promises a buyer; orders keep the version in force when they were placed.
    /// @param arbiter Who settles disputes of orders placed under these terms.
    /// @param shipWindow Seconds the store has to ship after payment before the buyer may cancel.
    /// @param deliveryWindow Seconds after shipping during which the buyer may dispute; after it anyone may complete.
    struct StoreTerms {
        address arbiter;
        uint32 shipWindow;
        uint32 deliveryWindow;
    }

    /// @notice Arguments of {openStore}.
    /// @param name Display name, 1..64 bytes.
    /// @param metadataCid IPFS CID of the store's metadata JSON (logo, banner, bio), at most 100 bytes.
    /// @param payout Where {withdrawStoreBalance} sends the store's earnings.
    /// @param currency address(0) for ETH, otherwise an ERC-20 on the allow-list. Fixed for the store's life.
    /// @param shippingKey X25519 public key buyers encrypt shipping addresses to (zero only for digital-only stores).
    /// @param terms Arbiter and time windows; windows must lie within the protocol bounds.
    struct StoreInput {
        string name;
        string metadataCid;
        address payout;
        address currency;
        bytes32 shippingKey;
        StoreTerms terms;
    }

    /// @notice A store as returned by the views.
    struct StoreView {
        uint64 id;
        address owner;
        address payout;
        address currency;
        bool closed;
        bool official;
        uint32 termsVersion;
        StoreTerms terms;
        bytes32 shippingKey;
        uint256 balance;
        uint64 productCount;
        string name;
        string metadataCid;
        string officialEvidence;
    }

    /// @notice Arguments of {listProduct}.
    /// @param name On-chain name, 1..64 bytes.
    /// @param metadataCid IPFS CID of the product metadata JSON (description, images), at most 100 bytes.
    /// @param category 0 apparel, 1 music, 2 posters & prints, 3 tickets, 4 accessories, 5 digital, 6 other.
    /// @param maxPerBuyer Units one address may hold in open or completed orders; 0 means no limit. Units of a
    /// cancelled or fully refunded order count no more.
    /// @param digital Digital products (downloads, tickets) go through the escrow like shipped goods: the order
    /// carries the buyer's X25519 key instead of a sealed address, and the store delivers with {deliver}.
    struct ProductInput {
        string name;
        string metadataCid;
        uint8 category;
        uint16 maxPerBuyer;
        bool digital;
    }

    /// @notice Arguments for one variant (a size, a colour) of {listProduct} and {addVariant}.
    /// @param label Display label such as "M" or "Black / XL", 1..32 bytes.
    /// @param price Unit price in the store's currency's smallest unit; must be > 0.
    /// @param stock Units available.
    struct VariantInput {
        string label;
        uint96 price;
        uint32 stock;
    }

    /// @notice A variant as returned by the views.
    struct VariantView {
        string label;
        uint96 price;
        uint32 stock;
        uint32 sold;
        bool active;
        /// @dev The block of the variant's latest order (low 32 bits of its number; 0 before the first): where a
        /// walk back through {OrderPlaced} starts (see {OrderPlaced}, `lines`).
        uint32 lastOrderBlock;
    }

    /// @notice A product with its variants and rating as returned by the views (one `eth_call` per page).
    struct ProductView {
        uint64 id;
        uint64 storeId;
        uint8 category;
        bool active;
        bool digital;
        uint16 maxPerBuyer;
        uint32 ratingCount;
        uint64 ratingSum;
        /// @dev The block of the product's latest review or reply (low 32 bits of its number; 0 before the first):
        /// where a walk back through {ReviewPosted} and {ReviewReplied} starts.
        uint32 lastReviewBlock;
        string name;
        string metadataCid;
        VariantView[] variants;
    }

    /// @notice One line of a purchase request.
    /// @param maxUnitPrice The highest unit price the buyer accepts (normally the price they saw).
    struct LineInput {
        uint64 productId;
        uint8 variant;
        uint32 quantity;
        uint96 maxUnitPrice;
    }

    /// @notice The part of a cart that goes to one store: it becomes one order. An order is either all physical or
    /// all digital (else {MixedOrder}); a cart that has both for one store sends two {CartOrder}s for it.
    /// @param termsVersion The store's terms version the buyer was shown; a different current one reverts
    /// {TermsChanged}.
    /// @param shipping For a physical order, the shipping address encrypted to the store's `shippingKey` (1..512
    /// bytes); for a digital one, exactly 32 bytes: the buyer's X25519 public key the store delivers to
    /// (docs/FORMATS.md).
    /// @param zone The store's shipping zone the buyer picked, 1..zone count ({shippingZones}); 0 when the store has
    /// no zones or the order is digital (else {InvalidZone}).
    /// @param maxShipping The highest shipping charge the buyer accepts for this order (normally the rate they saw);
    /// a higher current rate reverts {ShippingAboveMax}.
    /// @param code A discount or presale code signed by the store's staff, or all zero for none (docs/DROPS.md).
    // solhint-disable-next-line gas-struct-packing
    struct CartOrder {
        uint64 storeId;
        uint32 termsVersion;
        LineInput[] lines;
        bytes shipping;
        uint8 zone;
        uint96 maxShipping;
        SignedCode code;
    }

    /// @notice One line of a placed order, at the price actually charged.
    struct Line {
        uint64 productId;
        uint8 variant;
        uint32 quantity;
        uint96 unitPrice;
    }

    /// @notice An order, as committed to in storage and passed back to every call that acts on it.
    /// @param amount What the buyer paid. Never lowered: partial refunds are counted beside the commitment, in the
    /// order's refund unit ({refundedUnits}), and what is still escrowed is `amount - refundedUnits(orderId) * unit`.
    /// @param shippedAt 0 until shipped.
    /// @param disputedAt 0 unless disputed.
    /// @param shipsFrom 0, or for a pre-order the latest `shipsFrom` of its products' drops when it was placed: the
    /// ship window (and with it the buyer's right to cancel) runs from `max(placedAt, shipsFrom)`.
    /// @param zone The shipping zone paid for (1..8), 0 for none.
    /// @param shipping The shipping charge included in `amount` (0 when free or zone-less).
    /// @param discount What a discount code took off the goods; `amount` is the lines' sum plus `shipping` minus
    /// `discount`.
    struct Order {
        address buyer;
        uint64 storeId;
        uint32 termsVersion;
        uint16 feeBps;
        address currency;
        uint40 placedAt;
        uint40 shippedAt;
        uint40 disputedAt;
        uint128 amount;
        uint40 shipsFrom;
        uint8 zone;
        uint96 shipping;
        uint96 discount;
        Line[] lines;
    }

    /// @notice An EIP-2612 permit signed by the buyer for the cart total.
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The sale window and ship date of a product (a "drop"), set with {setDrop}. All times are unix seconds;
    /// 0 leaves that limit out. Products without one (all zero) are on sale whenever active, and pay nothing for it.
    /// @param presaleAt From here until `opensAt` only buyers with a code bound to this product may buy (fan-club
    /// presale); 0 for no presale. Needs `opensAt`, and must be before it.
    /// @param opensAt Buys before it revert {DropNotOpen} (unless in the presale).
    /// @param closesAt Buys from it on revert {DropClosed}. Must be after `opensAt`.
    /// @param shipsFrom A pre-order's ship date: orders placed before it carry it ({Order}), and their ship window
    /// starts there instead of at purchase. At most MAX_PREORDER_DELAY after the moment it is set. Changing it starts
    /// a new terms version of the store, so a buy carrying the old version reverts {TermsChanged}: no ship date can
    /// be moved under a buyer in flight.
    struct Drop {
        uint40 presaleAt;
        uint40 opensAt;
        uint40 closesAt;
        uint40 shipsFrom;
    }

    /// @notice The shipping charge of one zone of a store (which countries form the zone is in the store's metadata,
    /// docs/FORMATS.md). Charged once per physical order, not per line.
    /// @param rate The charge in the store's currency's smallest unit; 0 ships free.
    /// @param freeFrom Orders whose goods (after any discount) come to at least this ship free; 0 never.
    struct ShippingZone {
        uint96 rate;
        uint96 freeFrom;
    }

    /// @notice A discount or presale code, as staff sign it (EIP-712, domain `{name: "Merchstand", version: "1",
    /// chainId, verifyingContract: this contract}`, type `DiscountCode(uint64 storeId,uint32 id,uint8 kind,uint80
    /// value,uint40 expiresAt,uint32 maxUses,address buyer,uint64 productId)`). The buyer passes it packed
    /// ({SignedCode}); see docs/DROPS.md.
    /// @param storeId The store whose staff signs it; the contract takes it from the order, so a code works nowhere
    /// else.
    /// @param id The code's number in its store: uses are counted (and revoked) per id, so two codes must not share
    /// one (if they do, they share one counter).
    /// @param kind 0: `value` is a percentage in basis points (0..10,000); 1: `value` is an amount in the store's
    /// currency's smallest unit. 0 with value 0 is a pure presale code.
    /// @param value Percentage or amount off the goods (of the bound product's lines only, when `productId` is set),
    /// never more than they cost, never off shipping.
    /// @param expiresAt Unix time from which the code is refused ({CodeExpired}).
    /// @param maxUses How many orders may use it; the next reverts {CodeUsedUp}, in the same block too.
    /// @param buyer address(0) for anyone; otherwise only this address may use it (a presale list sends one code per
    /// fan), so a copy taken from the mempool is useless to anyone else.
    /// @param productId 0 for any product of the store; otherwise the order must contain this product, and the
    /// code opens its presale.
    struct DiscountCode {
        uint64 storeId;
        uint32 id;
        uint8 kind;
        uint80 value;
        uint40 expiresAt;
        uint32 maxUses;
        address buyer;
        uint64 productId;
    }

    /// @notice A {DiscountCode} as a purchase carries it: the fields that cannot be taken from the purchase, packed,
    /// and the staff's signature in EIP-2098 compact form. All zero means no code.
    /// @param code `id | flags << 32 | value << 40 | expiresAt << 120 | maxUses << 160 | productId << 192`, where
    /// flags bit 0 is `kind` and bit 1 says the code is bound to a buyer: the contract then signs-checks it with
    /// `buyer = msg.sender`, else with `buyer = address(0)`. Other flag bits must be zero.
    /// @param r The signature's r.
    /// @param vs The signature's s with the parity of v in its top bit (EIP-2098).
    struct SignedCode {
        uint256 code;
        bytes32 r;
        bytes32 vs;
    }

    // ─────────────────────────────────────────── Events ───────────────────────────────────────────

    /// @notice A store was opened.
    /// @param storeId The new store's id.
    /// @param owner Who opened it and now owns it.
    /// @param currency address(0) for ETH, otherwise the ERC-20 it sells in.
    /// @param name Its display name.
    /// @param metadataCid Its metadata CID.
    /// @param payout Its payout address.
    /// @param shippingKey Its X25519 public key.
    event StoreOpened(
        uint64 indexed storeId,
        address indexed owner,
        address indexed currency,
        string name,
        string metadataCid,
        address payout,
        bytes32 shippingKey
    );
    /// @notice A store's terms changed; orders placed from now on use `version`.
    /// @param storeId The store.
    /// @param version The new terms version (the first is 1).
    /// @param terms The new terms.
    event StoreTermsSet(uint64 indexed storeId, uint32 version, StoreTerms terms);
    /// @notice A store's name or metadata changed.
    /// @param storeId The store.
    /// @param name The new name.
    /// @param metadataCid The new metadata CID.
    event StoreProfileSet(uint64 indexed storeId, string name, string metadataCid);
    /// @notice A store's payout address changed.
    /// @param storeId The store.
    /// @param payout The new payout address.
    event StorePayoutSet(uint64 indexed storeId, address payout);
    /// @notice A store's shipping key changed.
    /// @param storeId The store.
    /// @param shippingKey The new X25519 public key.
    event StoreShippingKeySet(uint64 indexed storeId, bytes32 shippingKey);
    /// @notice A store manager was added or removed.
    /// @param storeId The store.
    /// @param manager The manager's address.
    /// @param enabled True when added, false when removed.
    event StoreManagerSet(uint64 indexed storeId, address indexed manager, bool enabled);
    /// @notice The owner proposed a new owner, who must accept ({acceptStoreOwnership}); zero withdraws a proposal.
    /// @param storeId The store.
    /// @param owner The current owner.
    /// @param pendingOwner Who may accept, or address(0) when the proposal was withdrawn.
    event StoreOwnershipProposed(uint64 indexed storeId, address indexed owner, address indexed pendingOwner);
    /// @notice A store changed owner (the proposed owner accepted).
    /// @param storeId The store.
    /// @param previousOwner The old owner.
    /// @param newOwner The new owner.
    event StoreOwnershipTransferred(uint64 indexed storeId, address indexed previousOwner, address indexed newOwner);
    /// @notice A store was closed for good: no new orders; existing orders run to their end.
    /// @param storeId The store.
    event StoreClosed(uint64 indexed storeId);

    /// @notice A store asked to be verified as an artist's official store.
    /// @param storeId The store.
    /// @param evidence An IPFS CID or URL of public evidence (e.g. the band's site naming this store).
    event VerificationRequested(uint64 indexed storeId, string evidence);
    /// @notice A verifier attested that a store is an artist's official store.
    /// @param storeId The store.
    /// @param verifier Who attested.
    /// @param evidence The evidence the attestation rests on.
    event OfficialAttested(uint64 indexed storeId, address indexed verifier, string evidence);
    /// @notice A store lost its official mark.
    /// @param storeId The store.
    /// @param by Who revoked it (a verifier), or the store owner whose change cleared it.
    /// @param reason Why, in words.
    event OfficialRevoked(uint64 indexed storeId, address indexed by, string reason);

    /// @notice A product was listed.
    /// @param productId The new product's id.
    /// @param storeId The store it belongs to.
    /// @param product Its attributes.
    /// @param variants Its variants, by index.
    event ProductListed(
        uint64 indexed productId, uint64 indexed storeId, ProductInput product, VariantInput[] variants
    );
    /// @notice A product's name, metadata or category changed.
    /// @param productId The product.
    /// @param name The new name.
    /// @param metadataCid The new metadata CID.
    /// @param category The new category.
    event ProductUpdated(uint64 indexed productId, string name, string metadataCid, uint8 category);
    /// @notice A product was activated or deactivated.
    /// @param productId The product.
    /// @param active Whether it can be bought.
    event ProductActiveSet(uint64 indexed productId, bool active);
    /// @notice A product's per-buyer limit changed.
    /// @param productId The product.
    /// @param maxPerBuyer The new limit; 0 means none.
    event ProductLimitSet(uint64 indexed productId, uint16 maxPerBuyer);
    /// @notice A variant was added to a product.
    /// @param productId The product.
    /// @param variant The new variant's index.
    /// @param input Its label, price and stock.
    event VariantAdded(uint64 indexed productId, uint8 variant, VariantInput input);
    /// @notice A variant's price changed.
    /// @param productId The product.
    /// @param variant The variant index.
    /// @param price The new unit price.
    event VariantPriceSet(uint64 indexed productId, uint8 variant, uint96 price);
    /// @notice A variant's stock changed by staff (restock or correction).
    /// @param productId The product.
    /// @param variant The variant index.
    /// @param stock The new stock.
    event VariantStockSet(uint64 indexed productId, uint8 variant, uint32 stock);
    /// @notice A variant was activated or deactivated.
    /// @param productId The product.
    /// @param variant The variant index.
    /// @param active Whether it can be bought.
    event VariantActiveSet(uint64 indexed productId, uint8 variant, bool active);

    /// @notice An order was placed and paid; its funds are in escrow. The log carries only what the chain does not
    /// already know, packed, because every byte of it is paid by the buyer. A client rebuilds the {Order} as:
    /// `buyer` and `storeId` from the topics; `termsVersion = uint32(info)`, `feeBps = uint16(info >> 32)`,
    /// `placedAt = uint40(info >> 48)`, `zone = uint8(info >> 88)`, `shipsFrom = uint40(info >> 96)` and
    /// `shipping = uint96(info >> 136)`, and bit 232 set when the order used a code; `currency` is the store's currency (fixed when the store opened);
    /// `shippedAt = disputedAt = 0`; line j is `productId = uint64(w)`, `variant = uint8(w >> 64)`,
    /// `quantity = uint32(w >> 72)`, `unitPrice = uint96(w >> 104)` for `w = lines[j]`, j below the order's line
    /// count; when bit 232 of `info` is set (the order used a code), `lines` holds one more word after the lines, the
    /// code word `c`: `discount = c & (2^224 - 1)` and `codeId = uint32(c >> 224)` (else `discount = 0` and there is
    /// no such word); and `amount` is the sum of `quantity * unitPrice` over the lines, plus `shipping`, minus
    /// `discount`. (The code word rides in this log instead of a log of its own: a second log cost a code purchase
    /// about 2,000 gas, this word 256.)
    /// Each line word also carries, in bits 200..231, `previousOrderBlock = uint32(w >> 200)`: the block of the
    /// previous order of the same variant (0 if none; the current block when an earlier order or line in the same
    /// block took that variant). From {VariantView-lastOrderBlock}, `eth_getLogs` of that one block for the store
    /// gives the next block back, so a client lists every order of a variant one block at a time, on any provider,
    /// at any chain age (docs/FORMATS.md, "History pointers").
    /// @param orderId The new order's id (how ids are made: see this interface's NatSpec).
    /// @param buyer Who paid.
    /// @param storeId The store it was placed with.
    /// @param info `termsVersion | feeBps << 32 | placedAt << 48 | zone << 88 | shipsFrom << 96 | shipping << 136 |
    /// codeUsed << 232`.
    /// @param lines One word per line: `productId | variant << 64 | quantity << 72 | unitPrice << 104 |
    /// previousOrderBlock << 200`; then, only when `info` bit 232 is set, the code word `discount | codeId << 224`.
    /// @param shipping The shipping address encrypted to the store's key, or for a digital order the buyer's 32-byte
    /// X25519 public key.
    event OrderPlaced(
        uint256 indexed orderId,
        address indexed buyer,
        uint64 indexed storeId,
        uint256 info,
        uint256[] lines,
        bytes shipping
    );
    /// @notice Staff marked an order shipped; `order.shippedAt` is now `shippedAt`.
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param shippedAt When.
    /// @param tracking Carrier and tracking reference, free text, at most 128 bytes.
    event OrderShipped(uint256 indexed orderId, uint64 indexed storeId, uint40 shippedAt, string tracking);
    /// @notice Staff delivered a digital order: `payload` is its content keys or tickets, encrypted to the buyer's
    /// X25519 key from {OrderPlaced} (docs/FORMATS.md); `order.shippedAt` is now `deliveredAt`, and from here the
    /// order runs as a shipped one (delivery window, disputes, completion).
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param deliveredAt When.
    /// @param payload The sealed keys or tickets, 1..MAX_DELIVERY_BYTES bytes.
    event OrderDelivered(uint256 indexed orderId, uint64 indexed storeId, uint40 deliveredAt, bytes payload);
    /// @notice An order completed and its escrow was released to the store, less the platform fee.
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param toStore Credited to the store's balance.
    /// @param fee Added to the fees the store owes the platform ({storeFeesOwed}).
    event OrderCompleted(uint256 indexed orderId, uint64 indexed storeId, uint256 toStore, uint256 fee);
    /// @notice Staff refunded part of an order; `remaining` is still escrowed (`order.amount` does not change).
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param amount Paid to the buyer directly, or credited to the buyer ({Credited}) when that payment fails ({refund}).
    /// @param remaining Still escrowed.
    event OrderPartiallyRefunded(uint256 indexed orderId, uint64 indexed storeId, uint256 amount, uint256 remaining);
    /// @notice Staff refunded an order in full (a disputed one too: the store conceded); its stock and the buyer's
    /// per-buyer allowance returned.
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param amount Paid to the buyer directly, or credited to the buyer ({Credited}) when that payment fails ({refund}).
    event OrderRefunded(uint256 indexed orderId, uint64 indexed storeId, uint256 amount);
    /// @notice The buyer cancelled an order that was not shipped in time; stock and per-buyer allowance returned.
    /// The escrow is paid back to the buyer directly, or credited to the buyer ({Credited}) when that payment fails.
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param amount Paid back (or credited) to the buyer.
    event OrderCancelled(uint256 indexed orderId, uint64 indexed storeId, uint256 amount);
    /// @notice The buyer disputed a shipped order; `order.disputedAt` is now `disputedAt`.
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param disputedAt When.
    /// @param reason The buyer's reason, at most 280 bytes.
    event OrderDisputed(uint256 indexed orderId, uint64 indexed storeId, uint40 disputedAt, string reason);
    /// @notice A dispute was settled, by the arbiter or (after the arbiter window) by default in the buyer's favour.
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param toBuyer Paid to the buyer directly, or credited to the buyer ({Credited}) when that payment fails ({refund}).
    /// @param toStore Credited to the store's balance.
    /// @param fee Added to the fees the store owes the platform ({storeFeesOwed}; taken from the store's share only).
    /// @param byArbiter True when the arbiter ruled, false when the arbiter window ran out.
    event DisputeResolved(
        uint256 indexed orderId, uint64 indexed storeId, uint256 toBuyer, uint256 toStore, uint256 fee, bool byArbiter
    );

    /// @notice A verified buyer reviewed a product of a completed order.
    /// @param productId The product.
    /// @param orderId The order that proves the purchase.
    /// @param reviewer The buyer.
    /// @param rating 1..5.
    /// @param previousReviewBlock The block of the product's previous review or reply (low 32 bits; 0 if none; this
    /// block when another review or reply of the product came earlier in it): with {ProductView-lastReviewBlock}, a
    /// client walks back through every review and reply of a product one block at a time.
    /// @param earlierReviewBlocks The three distinct blocks of the product's reviews or replies before
    /// `previousReviewBlock`, newest first (low 32 bits; 0 from the first one not known on: none, or 2^24 blocks or
    /// more from the next newer one). A client reads them in the same round as `previousReviewBlock`, about four
    /// blocks a round (docs/FORMATS.md, "History pointers").
    /// @param text At most 280 bytes, or an IPFS CID of a longer review.
    event ReviewPosted(
        uint64 indexed productId,
        uint256 indexed orderId,
        address indexed reviewer,
        uint8 rating,
        uint32 previousReviewBlock,
        uint32[3] earlierReviewBlocks,
        string text
    );
    /// @notice The store replied to a review.
    /// @param productId The product.
    /// @param orderId The reviewed order.
    /// @param previousReviewBlock As in {ReviewPosted}: a reply is a step of its product's review history.
    /// @param earlierReviewBlocks As in {ReviewPosted}.
    /// @param text At most 280 bytes.
    event ReviewReplied(
        uint64 indexed productId,
        uint256 indexed orderId,
        uint32 previousReviewBlock,
        uint32[3] earlierReviewBlocks,
        string text
    );

    /// @notice A store's balance was sent to its payout address.
    /// @param storeId The store.
    /// @param to The payout address.
    /// @param currency The store's currency.
    /// @param amount How much.
    event StoreWithdrawal(uint64 indexed storeId, address indexed to, address indexed currency, uint256 amount);
    /// @notice An account's credits (refunds, dispute shares, fees) were sent to it.
    /// @param account Whose credits.
    /// @param to Where they were sent.
    /// @param currency Which currency.
    /// @param amount How much.
    event Withdrawal(address indexed account, address indexed to, address indexed currency, uint256 amount);
    /// @notice An account was credited: a buyer's refund or dispute share that could not be paid to the buyer's
    /// address, store earnings its payout address refused, or (rarely) earnings that did not fit the store's 120-bit
    /// balance. Fees are not announced with this event: the `fee` of {OrderCompleted} and {DisputeResolved} is owed by
    /// the store ({storeFeesOwed}) and credited to the fee recipient of the moment by {withdrawStoreBalance}.
    /// @param account Who.
    /// @param currency Which currency.
    /// @param amount How much.
    event Credited(address indexed account, address indexed currency, uint256 amount);

    /// @notice The platform fee for new orders changed.
    /// @param feeBps The new fee in basis points.
    event FeeSet(uint16 feeBps);
    /// @notice The fee recipient changed.
    /// @param recipient The new recipient.
    event FeeRecipientSet(address recipient);
    /// @notice The least a store must keep from an order in `currency` for its buyer to review.
    /// @param currency address(0) for ETH, otherwise the ERC-20.
    /// @param value The minimum, in the currency's smallest unit.
    event MinReviewValueSet(address indexed currency, uint128 value);
    /// @notice An ERC-20 was added to or removed from the allow-list.
    /// @param token The token.
    /// @param allowed Whether new stores and purchases may use it.
    event CurrencyAllowed(address indexed token, bool allowed);

    /// @notice A product's sale window or ship date changed ({setDrop}).
    /// @param productId The product.
    /// @param drop The new settings (all zero: none).
    event DropSet(uint64 indexed productId, Drop drop);
    /// @notice A store's shipping zones changed; zone k is `zones[k - 1]`. Empty: the store ships free everywhere.
    /// @param storeId The store.
    /// @param zones The rates, at most MAX_ZONES.
    event ShippingZonesSet(uint64 indexed storeId, ShippingZone[] zones);
    /// @notice Staff revoked a code: it is refused from now on, whatever its cap and expiry.
    /// @param storeId The store.
    /// @param codeId The code's id.
    event CodeRevoked(uint64 indexed storeId, uint32 codeId);
    /// @notice Staff paid ahead for the use counters of codes `fromId .. fromId + count - 1` ({prepareCodes}).
    /// @param storeId The store.
    /// @param fromId The first code id.
    /// @param count How many ids (rounded out to whole counter words).
    event CodesPrepared(uint64 indexed storeId, uint32 fromId, uint32 count);
    /// @notice Staff at the door checked in a ticket order (all its units: a group). For door devices to follow.
    /// @param orderId The order.
    /// @param storeId Its store.
    /// @param staff Who checked it in.
    /// @param checkedInAt When.
    event TicketCheckedIn(uint256 indexed orderId, uint64 indexed storeId, address indexed staff, uint40 checkedInAt);

    // ─────────────────────────────────────────── Errors ───────────────────────────────────────────

    /// @notice No store has this id.
    error StoreNotFound(uint64 storeId);
    /// @notice Store ids stop at `max` (a variant slot keeps its store's id in 32 bits).
    error TooManyStores(uint256 max);
    /// @notice The store is closed to new business.
    error StoreIsClosed(uint64 storeId);
    /// @notice `account` is not the store's owner.
    error NotStoreOwner(uint64 storeId, address account);
    /// @notice `account` is neither the store's owner nor one of its managers.
    error NotStoreStaff(uint64 storeId, address account);
    /// @notice The store is not marked official, so there is nothing to revoke.
    error NotOfficial(uint64 storeId);
    /// @notice No product has this id.
    error ProductNotFound(uint64 productId);
    /// @notice The product has no variant with this index.
    error VariantNotFound(uint64 productId, uint8 variant);
    /// @notice The product or variant is deactivated.
    error NotForSale(uint64 productId, uint8 variant);
    /// @notice A packed purchase line has bits set above its 232 bits.
    error InvalidLine(uint256 line);
    /// @notice The store's terms changed after the buyer saw them: `expected` is the version the purchase carried.
    error TermsChanged(uint64 storeId, uint32 expected, uint32 current);
    /// @notice An order mixes digital and physical lines; `productId` is the first line that differs from the first.
    error MixedOrder(uint64 storeId, uint64 productId);
    /// @notice Only the proposed owner may accept a store.
    error NotPendingOwner(uint64 storeId, address account);
    /// @notice The store keeps less from this order than the minimum a verified review needs.
    error ReviewValueTooLow(uint256 orderId, uint256 kept, uint256 minimum);
    /// @notice Two arrays that must pair up have different lengths.
    error LengthMismatch(uint256 expected, uint256 actual);
    /// @notice The variant's 32-bit sold counter, which order ids are made from, would overflow.
    error SoldCounterFull(uint64 productId, uint8 variant);
    /// @notice Fewer units are in stock than requested.
    error InsufficientStock(uint64 productId, uint8 variant, uint256 requested, uint256 available);
    /// @notice The price rose above what the buyer accepted.
    error PriceAboveMax(uint64 productId, uint8 variant, uint256 price, uint256 maxUnitPrice);
    /// @notice The purchase would take the buyer past the product's per-buyer limit.
    error PerBuyerLimitExceeded(uint64 productId, uint256 limit, uint256 alreadyBought, uint256 requested);
    /// @notice A line asks for zero units.
    error ZeroQuantity(uint64 productId, uint8 variant);
    /// @notice A product in the cart belongs to another store than the cart order names.
    error ProductNotInStore(uint64 productId, uint64 storeId);
    /// @notice The cart is empty, or one of its orders has no lines.
    error EmptyCart();
    /// @notice The cart has more lines than allowed.
    error CartTooLarge(uint256 lines, uint256 max);
    /// @notice The cart mixes currencies.
    error CurrencyMismatch(address expected, address actual);
    /// @notice The ETH sent differs from the amount due (or ETH was sent for an ERC-20 purchase).
    error IncorrectPayment(uint256 expected, uint256 received);
    /// @notice The token is not on the allow-list.
    error CurrencyNotAllowed(address token);
    /// @notice The token delivered less than was transferred (a fee-on-transfer token).
    error FeeOnTransferToken(address token, uint256 expected, uint256 received);
    /// @notice The permit's value does not cover the amount due.
    error PermitTooSmall(uint256 value, uint256 required);
    /// @notice A physical order needs an encrypted shipping blob (1..`max` bytes); a digital one exactly 32 bytes
    /// (`max` = 32), the buyer's X25519 key.
    error InvalidShippingBlob(uint64 storeId, uint256 length, uint256 max);

    /// @notice The order passed does not match the stored commitment.
    error OrderMismatch(uint256 orderId);
    /// @notice The order is not in a status that allows this action.
    error InvalidOrderStatus(uint256 orderId, OrderStatus status);
    /// @notice Only the order's buyer may do this.
    error NotBuyer(uint256 orderId, address account);
    /// @notice Only the order's arbiter may do this.
    error NotArbiter(uint256 orderId, address account);
    /// @notice The action is only allowed from `opensAt`.
    error TooEarly(uint256 orderId, uint256 opensAt);
    /// @notice The action was only allowed until `closedAt`.
    error TooLate(uint256 orderId, uint256 closedAt);
    /// @notice The refund or split is larger than what is escrowed (or a partial refund of zero).
    error InvalidAmount(uint256 orderId, uint256 amount, uint256 escrowed);

    /// @notice The rating is not 1..5.
    error InvalidRating(uint8 rating);
    /// @notice This order's buyer already reviewed this product.
    error AlreadyReviewed(uint256 orderId, uint64 productId);
    /// @notice There is no review of `productId` in this order to reply to, or the store already replied three times to
    /// this order's reviews.
    error CannotReply(uint256 orderId, uint64 productId);
    /// @notice The product is not part of the order.
    error ProductNotInOrder(uint256 orderId, uint64 productId);

    /// @notice A string is empty when it must not be, or longer than `max` bytes.
    error InvalidLength(uint256 length, uint256 max);
    /// @notice A time window is outside the protocol bounds.
    error InvalidWindow(uint256 value, uint256 min, uint256 max);
    /// @notice A product must have 1..`max` variants (an added variant may not exceed it either).
    error InvalidVariantCount(uint256 count, uint256 max);
    /// @notice A price of zero.
    error ZeroPrice();
    /// @notice The category is not one of the defined values.
    error InvalidCategory(uint8 category);
    /// @notice The fee is above the hard cap.
    error FeeTooHigh(uint256 feeBps, uint256 max);
    /// @notice An address that must be set is zero.
    error ZeroAddress();
    /// @notice There is nothing to withdraw.
    error NothingToWithdraw(address account, address currency);

    /// @notice The product's drop has not opened (or, in its presale, the buy carries no code bound to it).
    error DropNotOpen(uint64 productId, uint256 opensAt, uint256 closesAt, uint256 now);
    /// @notice The product's drop has closed.
    error DropClosed(uint64 productId, uint256 opensAt, uint256 closesAt, uint256 now);
    /// @notice Drop settings that do not hold together: presale not before opening, opening not before closing, a
    /// presale without an opening, or a ship date more than MAX_PREORDER_DELAY ahead.
    error InvalidDrop(uint64 productId, uint256 presaleAt, uint256 opensAt, uint256 closesAt, uint256 shipsFrom);
    /// @notice A physical order of a store with zones must pick one of them (1..`zoneCount`); a zone-less store's or a
    /// digital order must pick 0.
    error InvalidZone(uint64 storeId, uint8 zone, uint8 zoneCount);
    /// @notice The zone's rate rose above what the buyer accepted.
    error ShippingAboveMax(uint64 storeId, uint8 zone, uint256 rate, uint256 maxShipping);
    /// @notice More zones than MAX_ZONES.
    error TooManyZones(uint256 count, uint256 max);
    /// @notice A packed code or options word with bits set where none may be, or a percentage above 10,000.
    error InvalidCode(uint256 code);
    /// @notice The code's signature does not come from the store's staff (a code bound to another buyer, or for
    /// another store, recovers to a stranger); `signer` is who it recovers to.
    error InvalidCodeSignature(uint64 storeId, uint32 codeId, address signer);
    /// @notice The code expired.
    error CodeExpired(uint64 storeId, uint32 codeId, uint256 expiresAt, uint256 now);
    /// @notice The code was used as often as its cap allows.
    error CodeUsedUp(uint64 storeId, uint32 codeId, uint256 uses, uint256 maxUses);
    /// @notice Staff revoked the code.
    error CodeIsRevoked(uint64 storeId, uint32 codeId);
    /// @notice The code is bound to a product the order does not contain.
    error CodeNotForProduct(uint64 storeId, uint32 codeId, uint64 productId);
    /// @notice {prepareCodes} of too many ids at once.
    error TooManyCodes(uint256 count, uint256 max);
    /// @notice The order's first product is not a ticket (category 3).
    error NotATicket(uint256 orderId, uint64 productId);
    /// @notice The ticket order was checked in already. When is in its {TicketCheckedIn} log: the contract keeps only
    /// a flag beside the order's status (a new slot for the time would cost every check-in 19,200 gas more).
    error AlreadyCheckedIn(uint256 orderId);
    /// @notice Sending ETH failed.
    error EthTransferFailed(address to, uint256 amount);

    // ─────────────────────────────────────────── Stores ───────────────────────────────────────────

    /// @notice Opens a store owned by the caller. Not while paused.
    /// @return storeId The new store's id (ids start at 1).
    function openStore(StoreInput calldata input) external returns (uint64 storeId);

    /// @notice Sets the arbiter and windows for orders placed from now on (owner only).
    function setStoreTerms(uint64 storeId, StoreTerms calldata terms) external;

    /// @notice Sets name and metadata (owner only). A name change clears the official mark.
    function setStoreProfile(uint64 storeId, string calldata name, string calldata metadataCid) external;

    /// @notice Sets where earnings are paid (owner only). Applies to the next withdrawal.
    function setStorePayout(uint64 storeId, address payout) external;

    /// @notice Sets the X25519 key buyers encrypt to (owner only). Applies to new orders.
    function setStoreShippingKey(uint64 storeId, bytes32 shippingKey) external;

    /// @notice Adds or removes a manager (owner only). Managers may list, edit, ship and refund.
    function setStoreManager(uint64 storeId, address manager, bool enabled) external;

    /// @notice Proposes `newOwner` as the store's owner (owner only); nothing changes until they accept. A new
    /// proposal replaces the last; address(0) withdraws it.
    function transferStoreOwnership(uint64 storeId, address newOwner) external;

    /// @notice The proposed owner takes the store. Clears the official mark, and removes every manager for good
    /// (they do not come back if the store returns to a former owner).
    function acceptStoreOwnership(uint64 storeId) external;

    /// @notice Closes the store for good (owner only). Existing orders run to their end.
    function closeStore(uint64 storeId) external;

    /// @notice Asks the verifiers to mark the store official (owner only); emits {VerificationRequested}.
    function requestVerification(uint64 storeId, string calldata evidence) external;

    /// @notice Marks a store as an artist's official store (VERIFIER_ROLE).
    /// @dev The mark vouches for the people behind the store under the name fans were shown, so it is cleared (with
    /// {OfficialRevoked}, `by` = the owner) when either changes: {transferStoreOwnership}, and {setStoreProfile} with a
    /// different name. Changes the same accountable owner makes to payout, shipping key, metadata, managers or terms
    /// keep it: they do not change who answers for the store. A verifier can still revoke at any time.
    function attestOfficial(uint64 storeId, string calldata evidence) external;

    /// @notice Removes a store's official mark (VERIFIER_ROLE).
    function revokeOfficial(uint64 storeId, string calldata reason) external;

    // ─────────────────────────────────────────── Catalog ───────────────────────────────────────────

    /// @notice Lists a product with 1..MAX_VARIANTS variants (staff only). Not while paused.
    /// @return productId The new product's id (ids start at 1).
    function listProduct(uint64 storeId, ProductInput calldata product, VariantInput[] calldata variants)
        external
        returns (uint64 productId);

    /// @notice Changes name, metadata and category (staff only).
    function updateProduct(uint64 productId, string calldata name, string calldata metadataCid, uint8 category) external;

    /// @notice Activates or deactivates a product (staff only).
    function setProductActive(uint64 productId, bool active) external;

    /// @notice Sets the per-buyer limit, 0 for none (staff only).
    function setProductLimit(uint64 productId, uint16 maxPerBuyer) external;

    /// @notice Adds a variant (staff only). Not while paused.
    function addVariant(uint64 productId, VariantInput calldata input) external;

    /// @notice Sets a variant's price; orders already placed keep theirs (staff only).
    function setVariantPrice(uint64 productId, uint8 variant, uint96 price) external;

    /// @notice Sets a variant's stock, e.g. to restock (staff only).
    function setVariantStock(uint64 productId, uint8 variant, uint32 stock) external;

    /// @notice Activates or deactivates one variant (staff only).
    function setVariantActive(uint64 productId, uint8 variant, bool active) external;

    // ─────────────────────────────────────────── Buying ───────────────────────────────────────────

    /// @notice Buys one variant: pays `msg.value` in ETH, or pulls the exact amount of the store's ERC-20
    /// (pre-approved). Not while paused. The cheapest way to buy, so its arguments are packed: a purchase's calldata
    /// is paid by the buyer, and four padded words cost more than one.
    /// The name carries a suffix that gives it the lowest selector (0x000000b6), as Seaport does for its cheapest
    /// fulfilment: the compiler's dispatcher tests selectors in ascending order, so this saves every purchase about
    /// a thousand gas.
    /// @param line `productId | variant << 64 | quantity << 72 | maxUnitPrice << 104 | termsVersion << 200`: the
    /// layout of the lines in {OrderPlaced}, with the highest unit price the buyer accepts in place of the price, and
    /// the store's terms version the buyer was shown (else {TermsChanged}). Bits 232 and up must be zero.
    /// @param shipping The address encrypted to the store's key; for a digital product the buyer's 32-byte X25519
    /// public key.
    /// @return orderId The new order's id.
    function buy_oT9la(uint256 line, bytes calldata shipping) external payable returns (uint256 orderId);

    /// @notice {buy_oT9la} with a shipping zone and/or a discount or presale code: one variant, packed arguments.
    /// Not while paused.
    /// @param line As for {buy_oT9la}.
    /// @param options `zone | maxShipping << 8`: the zone the buyer picked (0 for none, see {CartOrder}) and the
    /// highest shipping charge they accept (else {ShippingAboveMax}). Bits 104 and up must be zero.
    /// @param code The signed code, or all zero for none.
    /// @param shipping As for {buy_oT9la}.
    /// @return orderId The new order's id.
    function buyWith(uint256 line, uint256 options, SignedCode calldata code, bytes calldata shipping)
        external
        payable
        returns (uint256 orderId);

    /// @notice {buyWith} without a code: a shipping zone's purchase, without the code's three calldata words (which a
    /// purchase without a code would pay as zeros). Not while paused. The suffix gives it the second-lowest selector
    /// (0x000b3ad0), right after {buy_oT9la}'s, for the reason given there.
    /// @param line As for {buy_oT9la}.
    /// @param options As for {buyWith}.
    /// @param shipping As for {buy_oT9la}.
    /// @return orderId The new order's id.
    function buyShipped_eaaaa(uint256 line, uint256 options, bytes calldata shipping)
        external
        payable
        returns (uint256 orderId);

    // ─────────────────────────────────────────── Orders ───────────────────────────────────────────

    /// @notice Marks a paid order shipped (staff only). Starts the delivery window. Only before the ship window ends
    /// (else {TooLate} with that time): from then on the buyer may cancel, and no shipment can be slipped in front.
    function markShipped(uint256 orderId, Order calldata order, string calldata tracking) external;

    /// @notice Delivers digital orders (staff of each order's store): posts each payload (keys or tickets sealed to
    /// the buyer's key) in {OrderDelivered} and starts the order's delivery window, as {markShipped} does. Orders
    /// that are no longer Paid (cancelled or refunded meanwhile) or whose ship window has ended are skipped, so one
    /// buyer's cancel cannot sink a dashboard's batch. Either function may move any paid order; the dapp uses this
    /// one for digital orders and {markShipped} for physical ones.
    function deliver(uint256[] calldata orderIds, Order[] calldata orders, bytes[] calldata payloads) external;

    /// @notice Completes a shipped order: the buyer at any time, anyone once the delivery window has passed.
    /// Credits the store with the amount less the fee it was placed under; the fee is added to what the store owes
    /// the platform ({storeFeesOwed}).
    function complete(uint256 orderId, Order calldata order) external;

    /// @notice Refunds `amount` to the buyer (staff only): any part while Paid or Shipped, only the whole escrow while
    /// Disputed (the store concedes). The amount is sent to the buyer's address with a fixed gas allowance (10,000 for
    /// ETH, 100,000 for a token), or, when that payment fails (a contract that refuses ETH or burns the allowance, a
    /// token that blocklisted the buyer), credited to the buyer, who withdraws it to any address with {withdraw}: no
    /// buyer can block or tax the store's call, and no store can keep the buyer's money. The same holds for the
    /// buyer's share of {resolveDispute} and {resolveExpiredDispute}. A full refund ends the order and returns its stock and the buyer's
    /// per-buyer allowance; a partial one leaves the order, its commitment and its deadlines as they were, with less
    /// in escrow. A partial refund is counted in the order's refund unit, the smallest power of ten `unit` with
    /// `unit * 2^20 >= amount` (10^11 wei for a 0.05 ETH order): `amount` is rounded up to a whole number of units, so
    /// the buyer never gets less than asked, and must leave something escrowed (else {InvalidAmount}).
    function refund(uint256 orderId, Order calldata order, uint128 amount) external;

    /// @notice The buyer cancels a paid order that was not shipped within the ship window. Pays the escrow back to
    /// the buyer directly, or, when that payment fails (a token that blocklisted the buyer, a contract that refuses
    /// ETH), credits it to the buyer, who withdraws it to any address with {withdraw}. Returns the stock.
    function cancel(uint256 orderId, Order calldata order) external;

    /// @notice The buyer disputes a shipped order within the delivery window. Freezes it for the arbiter.
    function dispute(uint256 orderId, Order calldata order, string calldata reason) external;

    /// @notice The arbiter fixed at purchase settles a dispute: `toBuyer` to the buyer (paid or credited as by
    /// {refund}), the rest (less the fee) to the store's balance. What the store keeps is recorded in the order's
    /// state, for {review} and the door: when the buyer gets something, {refundedUnits} becomes what the buyer got back
    /// in all (partial refunds and `toBuyer`), rounded up to the unit, so the store's share reads rounded down; a
    /// share that would then read as nothing (nothing at all, or less than about a unit) is flagged instead,
    /// and the order can neither be reviewed nor get in at the door.
    function resolveDispute(uint256 orderId, Order calldata order, uint128 toBuyer) external;

    /// @notice Anyone settles a dispute the arbiter left unruled for ARBITER_WINDOW: everything back to the buyer
    /// (paid or credited as by {refund}).
    /// @dev The store chose the arbiter, so the cost of an absent arbiter falls on the store.
    function resolveExpiredDispute(uint256 orderId, Order calldata order) external;

    // ─────────────────────────────────────────── Reviews ───────────────────────────────────────────

    /// @notice The buyer of a Completed or Resolved order reviews one of its products, once; a ticket (category 3)
    /// may be reviewed as soon as it is delivered (Shipped). A review costs real money: the store must keep at least
    /// {minReviewValue} of the order's currency when the review is posted (`amount` less partial refunds, else
    /// {ReviewValueTooLow}; for a Resolved order also less the buyer's share, rounded down to the refund unit, and
    /// nothing when the buyer got everything back), so a store reviewing itself through its own wallets pays the platform fee on that much per
    /// review. Refunded and cancelled orders cannot review.
    function review(uint256 orderId, Order calldata order, uint64 productId, uint8 rating, string calldata text)
        external;

    // ─────────────────────────────────────────── Money ───────────────────────────────────────────

    /// @notice Sends the store's whole balance to its payout address (credited to that address if it refuses the
    /// payment), and credits the fees the store owes ({storeFeesOwed}) to the fee recipient of the moment. Anyone may
    /// call, so the fee recipient too can collect the fees a store owes.
    function withdrawStoreBalance(uint64 storeId) external;

    /// @notice Sends the caller's credits in `currency` to `to`.
    function withdraw(address currency, address to) external;

    // ─────────────────────────────────────────── Platform ───────────────────────────────────────────

    // ─────────────────────────────────────────── Views ───────────────────────────────────────────

    /// @notice One store.
    function getStore(uint64 storeId) external view returns (StoreView memory);

    /// @notice A page of stores, ids `offset+1 ..`, and the total count.
    function getStores(uint256 offset, uint256 limit) external view returns (StoreView[] memory page, uint256 total);

    /// @notice One product with variants and rating.
    function getProduct(uint64 productId) external view returns (ProductView memory);

    /// @notice A page of all stores' products, ids `offset+1 ..`, and the total count.
    function getProducts(uint256 offset, uint256 limit) external view returns (ProductView[] memory page, uint256 total);

    /// @notice A page of one store's products in listing order, and that store's product count.
    function getStoreProducts(uint64 storeId, uint256 offset, uint256 limit)
        external
        view
        returns (ProductView[] memory page, uint256 total);

    /// @notice The block this contract was deployed in, where clients start `eth_getLogs`.
    function deploymentBlock() external view returns (uint256);
}

/// @title Merchstand: carts and the drop toolkit
/// @notice The rest of what the deployed {Merchstand} answers: cart checkouts, timed drops and pre-orders, shipping
/// zones, discount and presale codes, ticket check-in (docs/DROPS.md). The types, events and errors are
/// {IMerchstand}'s. These functions run in {MerchstandDrops}, which {Merchstand}'s fallback reaches by
/// `delegatecall`; a client calls them on the {Merchstand} address like any other (the dapp's ABI merges both).
interface IMerchstandDrops {
    // ─────────────────────────────────────────── Buying ───────────────────────────────────────────

    /// @notice Buys a cart: one order per {IMerchstand-CartOrder}, all in one currency, all or nothing. Not while paused.
    /// @return orderIds The new orders' ids, one per {IMerchstand-CartOrder}, in cart order.
    function checkout(IMerchstand.CartOrder[] calldata cart) external payable returns (uint256[] memory orderIds);

    /// @notice {checkout} in an ERC-20 with an EIP-2612 permit for the total: one signature, one transaction.
    /// A permit that was already used (e.g. front-run) is skipped when the allowance already covers the total.
    function checkoutWithPermit(IMerchstand.CartOrder[] calldata cart, IMerchstand.Permit calldata permit)
        external
        returns (uint256[] memory orderIds);

    // ─────────────────────────────────────────── Drops ───────────────────────────────────────────

    /// @notice Sets a product's sale window and pre-order ship date (staff only); all zero removes them. See {IMerchstand-Drop}.
    function setDrop(uint64 productId, IMerchstand.Drop calldata drop) external;

    /// @notice Sets the store's shipping zones (staff only): zone k is `zones[k - 1]`, at most MAX_ZONES; an empty
    /// list ships free everywhere. Applies to orders placed from now on; a buy in flight is held by its
    /// `maxShipping`.
    function setShippingZones(uint64 storeId, IMerchstand.ShippingZone[] calldata zones) external;

    /// @notice Refuses code `codeId` of the store from now on (staff only). For good: a revoked id stays revoked.
    function revokeCode(uint64 storeId, uint32 codeId) external;

    /// @notice Pays ahead for the use counters of codes `fromId .. fromId + count - 1` (staff only, at most
    /// MAX_PREPARED_CODES ids per call): a counter's first write costs 17,100 gas more than later ones, and this
    /// moves that cost from the fan's first use of the code to the store (counters sit 8 to a storage word).
    function prepareCodes(uint64 storeId, uint32 fromId, uint32 count) external;

    /// @notice The store replies to a review (staff only); it may reply again (an edit: the latest reply is the one
    /// shown), up to three replies an order, so replies add to a product's review history only what its verified
    /// reviews paid for. Takes the {IMerchstand-Order} back, like every call on
    /// an order: the review flags of its products sit in its commitment, by line. Runs in this module (reached through
    /// {Merchstand}'s fallback) because {Merchstand} is at the EIP-170 code size limit.
    function replyToReview(uint256 orderId, IMerchstand.Order calldata order, uint64 productId, string calldata text)
        external;

    /// @notice Whether the buyer of `orderId` reviewed `productId`. Reverts {IMerchstand-OrderMismatch} if `order` is
    /// not the order's current {IMerchstand-Order}, {IMerchstand-ProductNotInOrder} if it has no such line.
    function isReviewed(uint256 orderId, IMerchstand.Order calldata order, uint64 productId)
        external
        view
        returns (bool);

    /// @notice Staff at the door check in a ticket order once. The order's first product must be a ticket (category
    /// 3, else {IMerchstand-NotATicket}); the order must be delivered and still valid: Shipped (delivered, not disputed),
    /// Completed, or Resolved with the store keeping something (not an expired dispute, nor a ruling of the whole escrow
    /// to the buyer), else {IMerchstand-InvalidOrderStatus}. A second check-in reverts {IMerchstand-AlreadyCheckedIn}; the first
    /// one's time is in the order's {IMerchstand-TicketCheckedIn} log (the only one it has).
    function checkIn(uint256 orderId, IMerchstand.Order calldata order) external;

    // ─────────────────────────────────────────── Views ───────────────────────────────────────────

    /// @notice A product's drop settings (all zero: none).
    function getDrop(uint64 productId) external view returns (IMerchstand.Drop memory);

    /// @notice A store's shipping zones; zone k is `zones[k - 1]`.
    function shippingZones(uint64 storeId) external view returns (IMerchstand.ShippingZone[] memory zones);

    /// @notice How often code `codeId` of the store was used, and whether staff revoked it.
    function codeState(uint64 storeId, uint32 codeId) external view returns (uint256 uses, bool revoked);

    /// @notice The EIP-712 digest staff sign for `code` (see {IMerchstand-DiscountCode}).
    function hashCode(IMerchstand.DiscountCode calldata code) external view returns (bytes32);

    /// @notice An order's status and the commitment it is checked against.
    function orderStatus(uint256 orderId) external view returns (IMerchstand.OrderStatus status);

    /// @notice How many refund units ({IMerchstand-refund}: the smallest power of ten `unit` with `unit * 2^20 >= amount`) the
    /// buyer of `orderId` got back by partial refunds; once a ruling left the store something, what the buyer got back
    /// in all, rounded up to the unit ({IMerchstand-resolveDispute}). Never decreases.
    function refundedUnits(uint256 orderId) external view returns (uint256);

    /// @notice Whether a ticket order was checked in. When: its {IMerchstand-TicketCheckedIn} log.
    function isCheckedIn(uint256 orderId) external view returns (bool);

    // ─────────────────────────────────────────── Platform and small views ───────────────────────────────────────────

    /// @notice Sets the fee for new orders, at most MAX_FEE_BPS (FEE_ROLE).
    function setFee(uint16 feeBps) external;

    /// @notice Sets who is credited the fees (FEE_ROLE): all fees credited from then on, including fees already owed
    /// by stores ({storeFeesOwed}) and not yet withdrawn.
    function setFeeRecipient(address recipient) external;

    /// @notice Sets the least a store must keep from an order in `currency` for its buyer to review (CURRENCY_ROLE).
    function setMinReviewValue(address currency, uint128 value) external;

    /// @notice Adds or removes an ERC-20 from the allow-list (CURRENCY_ROLE).
    function setCurrencyAllowed(address token, bool allowed) external;

    /// @notice Stops new stores, listings and purchases (PAUSER_ROLE). Refunds, cancels, completions, disputes and
    /// withdrawals go on.
    function pause() external;

    /// @notice Lifts a pause (PAUSER_ROLE).
    function unpause() external;

    /// @notice The commitment an {IMerchstand-Order} must hash to (its low 48 bits, the order's state, cleared), for
    /// clients that check their rebuild.
    function hashOrder(IMerchstand.Order calldata order) external pure returns (bytes32);

    /// @notice The terms of `storeId` at `version`.
    function storeTerms(uint64 storeId, uint32 version) external view returns (IMerchstand.StoreTerms memory);

    /// @notice Who may accept the store ({acceptStoreOwnership}), or address(0).
    function pendingStoreOwner(uint64 storeId) external view returns (address);

    /// @notice The least a store must keep from an order in `currency` for its buyer to review.
    function minReviewValue(address currency) external view returns (uint256);

    /// @notice Whether `account` is the owner or a manager of the store.
    function isStoreStaff(uint64 storeId, address account) external view returns (bool);

    /// @notice Units of a product `buyer` holds in open or completed orders (tracked only while the product has a
    /// limit).
    function boughtBy(uint64 productId, address buyer) external view returns (uint256);

    /// @notice Platform fees on the store's settled orders, not yet credited to the fee recipient (see
    /// {withdrawStoreBalance}).
    function storeFeesOwed(uint64 storeId) external view returns (uint256);

    /// @notice An account's withdrawable credits in `currency`.
    function credits(address account, address currency) external view returns (uint256);

    /// @notice The fee for new orders, in basis points.
    function feeBps() external view returns (uint16);

    /// @notice Who is credited fees.
    function feeRecipient() external view returns (address);

    /// @notice Whether the ERC-20 may be used by new stores and purchases.
    function isCurrencyAllowed(address token) external view returns (bool);
}
