// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMerchstand} from "../interfaces/IMerchstand.sol";
import {MerchstandStorage} from "./MerchstandStorage.sol";

/// @title MerchstandCatalog
/// @notice Store and catalog management and the paged views of {Merchstand}: the code no purchase or order runs.
/// @dev Lives in its own contract only because {Merchstand} with this code inlined exceeds the EIP-170 code size
/// limit. {Merchstand} deploys it in its constructor (so its code is as fixed as {Merchstand}'s own) and runs it
/// with `delegatecall` on its own storage: the state-changing functions from {Merchstand}'s stubs, the views from
/// inside a STATICCALL (see {Merchstand}'s fallback). It shares the storage layout by inheriting
/// {MerchstandStorage}. Called directly, every function reverts.
contract MerchstandCatalog is MerchstandStorage {
    /// @dev This contract's own address, to tell a direct call from a `delegatecall`.
    address private immutable _SELF = address(this);

    /// @notice The function was called on the module itself instead of through {Merchstand}.
    error NotDelegated();

    modifier onlyDelegated() {
        if (address(this) == _SELF) revert NotDelegated();
        _;
    }

    // ─────────────────────────────────────────── Stores ───────────────────────────────────────────

    /// @notice See {IMerchstand-openStore}.
    function openStore(IMerchstand.StoreInput calldata input)
        external
        onlyDelegated
        nonReentrant
        whenNotPaused
        returns (uint64 storeId)
    {
        _checkText(bytes(input.name), 1, MAX_NAME_BYTES);
        _checkText(bytes(input.metadataCid), 0, MAX_CID_BYTES);
        if (input.payout == address(0)) revert IMerchstand.ZeroAddress();
        if (input.currency != address(0) && !_allowedCurrencies[input.currency]) {
            revert IMerchstand.CurrencyNotAllowed(input.currency);
        }
        _checkTerms(input.terms);
        // unchecked: a uint64 store counter cannot realistically wrap.
        unchecked {
            storeId = ++_storeCount;
        }
        // Variant slots keep a store id in 32 bits ({MerchstandStorage-Variant}).
        if (storeId > type(uint32).max) revert IMerchstand.TooManyStores(type(uint32).max);
        _storeHot[storeId] = StoreHot({currency: input.currency, termsVersion: 1, closed: false, zoneCount: 0});
        _storeFunds[storeId] = StoreFunds({balance: 0, fees: 0, opened: true});
        StoreInfo storage info = _stores[storeId];
        info.owner = msg.sender;
        info.payout = input.payout;
        info.shippingKey = input.shippingKey;
        info.name = input.name;
        info.metadataCid = input.metadataCid;
        _terms[storeId][1] = input.terms;
        emit IMerchstand.StoreOpened(
            storeId, msg.sender, input.currency, input.name, input.metadataCid, input.payout, input.shippingKey
        );
        emit IMerchstand.StoreTermsSet(storeId, 1, input.terms);
    }

    /// @notice See {IMerchstand-setStoreTerms}.
    function setStoreTerms(uint64 storeId, IMerchstand.StoreTerms calldata terms) external onlyDelegated nonReentrant {
        _requireOwner(storeId);
        _checkTerms(terms);
        StoreHot storage hot = _storeHot[storeId];
        uint32 version = hot.termsVersion + 1;
        hot.termsVersion = version;
        _terms[storeId][version] = terms;
        emit IMerchstand.StoreTermsSet(storeId, version, terms);
    }

    /// @notice See {IMerchstand-setStoreProfile}.
    /// @dev A new name clears the official mark: the verifier attested that this name belongs to this artist, and
    /// a renamed store could otherwise carry the badge for another artist's name. A metadata change does not clear
    /// it: the same accountable owner keeps the name fans were told about.
    function setStoreProfile(uint64 storeId, string calldata name, string calldata metadataCid)
        external
        onlyDelegated
        nonReentrant
    {
        _requireOwner(storeId);
        _checkText(bytes(name), 1, MAX_NAME_BYTES);
        _checkText(bytes(metadataCid), 0, MAX_CID_BYTES);
        StoreInfo storage info = _stores[storeId];
        if (keccak256(bytes(info.name)) != keccak256(bytes(name))) {
            info.name = name;
            _clearOfficial(storeId, info, "store renamed");
        }
        info.metadataCid = metadataCid;
        emit IMerchstand.StoreProfileSet(storeId, name, metadataCid);
    }

    /// @notice See {IMerchstand-setStorePayout}.
    /// @dev Does not clear the official mark: where the accountable owner takes its earnings is its own business.
    function setStorePayout(uint64 storeId, address payout) external onlyDelegated nonReentrant {
        _requireOwner(storeId);
        if (payout == address(0)) revert IMerchstand.ZeroAddress();
        _stores[storeId].payout = payout;
        emit IMerchstand.StorePayoutSet(storeId, payout);
    }

    /// @notice See {IMerchstand-setStoreShippingKey}.
    /// @dev Does not clear the official mark: rotating a key is routine for the same owner.
    function setStoreShippingKey(uint64 storeId, bytes32 shippingKey) external onlyDelegated nonReentrant {
        _requireOwner(storeId);
        _stores[storeId].shippingKey = shippingKey;
        emit IMerchstand.StoreShippingKeySet(storeId, shippingKey);
    }

    /// @notice See {IMerchstand-setStoreManager}.
    function setStoreManager(uint64 storeId, address manager, bool enabled) external onlyDelegated nonReentrant {
        _requireOwner(storeId);
        if (manager == address(0)) revert IMerchstand.ZeroAddress();
        _managers[storeId][_stores[storeId].ownerTerm][manager] = enabled;
        emit IMerchstand.StoreManagerSet(storeId, manager, enabled);
    }

    /// @notice See {IMerchstand-transferStoreOwnership}.
    /// @dev Two steps, so a store is never handed to an address nobody controls.
    function transferStoreOwnership(uint64 storeId, address newOwner) external onlyDelegated nonReentrant {
        _requireOwner(storeId);
        _stores[storeId].pendingOwner = newOwner;
        emit IMerchstand.StoreOwnershipProposed(storeId, msg.sender, newOwner);
    }

    /// @notice See {IMerchstand-acceptStoreOwnership}.
    /// @dev Clears the official mark: the attestation vouched for the people behind the store, and those change.
    /// Managers appointed by the previous owner lose their role (they were the previous owner's choice), for good:
    /// a new owner term starts, so they do not come back if the store returns to that owner.
    function acceptStoreOwnership(uint64 storeId) external onlyDelegated nonReentrant {
        StoreInfo storage info = _stores[storeId];
        address newOwner = info.pendingOwner;
        if (newOwner == address(0) || newOwner != msg.sender) revert IMerchstand.NotPendingOwner(storeId, msg.sender);
        address previousOwner = info.owner;
        info.pendingOwner = address(0);
        info.owner = newOwner;
        // unchecked: a uint64 count of transfers cannot wrap.
        unchecked {
            ++info.ownerTerm;
        }
        emit IMerchstand.StoreOwnershipTransferred(storeId, previousOwner, newOwner);
        _clearOfficial(storeId, info, "ownership transferred");
    }

    /// @notice See {IMerchstand-closeStore}.
    function closeStore(uint64 storeId) external onlyDelegated nonReentrant {
        _requireOwner(storeId);
        StoreHot storage hot = _storeHot[storeId];
        if (hot.closed) revert IMerchstand.StoreIsClosed(storeId);
        hot.closed = true;
        emit IMerchstand.StoreClosed(storeId);
    }

    /// @notice See {IMerchstand-requestVerification}.
    function requestVerification(uint64 storeId, string calldata evidence) external onlyDelegated nonReentrant {
        _requireOwner(storeId);
        _checkText(bytes(evidence), 1, MAX_EVIDENCE_BYTES);
        emit IMerchstand.VerificationRequested(storeId, evidence);
    }

    /// @notice See {IMerchstand-attestOfficial}.
    function attestOfficial(uint64 storeId, string calldata evidence)
        external
        onlyDelegated
        nonReentrant
        onlyRole(VERIFIER_ROLE)
    {
        StoreInfo storage info = _stores[storeId];
        if (info.owner == address(0)) revert IMerchstand.StoreNotFound(storeId);
        _checkText(bytes(evidence), 1, MAX_EVIDENCE_BYTES);
        info.official = true;
        info.officialEvidence = evidence;
        emit IMerchstand.OfficialAttested(storeId, msg.sender, evidence);
    }

    /// @notice See {IMerchstand-revokeOfficial}.
    function revokeOfficial(uint64 storeId, string calldata reason)
        external
        onlyDelegated
        nonReentrant
        onlyRole(VERIFIER_ROLE)
    {
        StoreInfo storage info = _stores[storeId];
        if (info.owner == address(0)) revert IMerchstand.StoreNotFound(storeId);
        if (!info.official) revert IMerchstand.NotOfficial(storeId);
        _checkText(bytes(reason), 1, MAX_TEXT_BYTES);
        _clearOfficial(storeId, info, reason);
    }

    // ─────────────────────────────────────────── Catalog ───────────────────────────────────────────

    /// @notice See {IMerchstand-listProduct}.
    function listProduct(
        uint64 storeId,
        IMerchstand.ProductInput calldata product,
        IMerchstand.VariantInput[] calldata variants
    ) external onlyDelegated nonReentrant whenNotPaused returns (uint64 productId) {
        _requireStaff(storeId);
        if (_storeHot[storeId].closed) revert IMerchstand.StoreIsClosed(storeId);
        _checkText(bytes(product.name), 1, MAX_NAME_BYTES);
        _checkText(bytes(product.metadataCid), 0, MAX_CID_BYTES);
        if (product.category > MAX_CATEGORY) revert IMerchstand.InvalidCategory(product.category);
        uint256 count = variants.length;
        if (count == 0 || count > MAX_VARIANTS) revert IMerchstand.InvalidVariantCount(count, MAX_VARIANTS);
        // unchecked: a uint64 product counter cannot realistically wrap.
        unchecked {
            productId = ++_productCount;
        }
        Product storage p = _products[productId];
        // Store ids stop at 2^32 - 1 ({IMerchstand-TooManyStores}), and this one exists: the cast keeps it whole.
        p.storeId = uint32(storeId);
        p.category = product.category;
        p.variantCount = uint8(count);
        p.active = true;
        p.digital = product.digital;
        p.maxPerBuyer = product.maxPerBuyer;
        p.name = product.name;
        p.metadataCid = product.metadataCid;
        uint8 productFlags = _PRODUCT_ACTIVE | (product.digital ? _DIGITAL : 0);
        for (uint256 i; i < count; ++i) {
            _writeVariant(productId, uint8(i), storeId, product.maxPerBuyer, productFlags, variants[i]);
        }
        _storeProducts[storeId].push(productId);
        emit IMerchstand.ProductListed(productId, storeId, product, variants);
    }

    /// @notice See {IMerchstand-updateProduct}.
    function updateProduct(uint64 productId, string calldata name, string calldata metadataCid, uint8 category)
        external
        onlyDelegated
        nonReentrant
    {
        Product storage p = _staffProduct(productId);
        _checkText(bytes(name), 1, MAX_NAME_BYTES);
        _checkText(bytes(metadataCid), 0, MAX_CID_BYTES);
        if (category > MAX_CATEGORY) revert IMerchstand.InvalidCategory(category);
        p.name = name;
        p.metadataCid = metadataCid;
        p.category = category;
        emit IMerchstand.ProductUpdated(productId, name, metadataCid, category);
    }

    /// @notice See {IMerchstand-setProductActive}.
    function setProductActive(uint64 productId, bool active) external onlyDelegated nonReentrant {
        Product storage p = _staffProduct(productId);
        p.active = active;
        uint256 count = p.variantCount;
        for (uint256 i; i < count; ++i) {
            Variant storage v = _variants[_variantKey(productId, uint8(i))];
            v.flags = active ? v.flags | _PRODUCT_ACTIVE : v.flags & ~_PRODUCT_ACTIVE;
        }
        emit IMerchstand.ProductActiveSet(productId, active);
    }

    /// @notice See {IMerchstand-setProductLimit}.
    function setProductLimit(uint64 productId, uint16 maxPerBuyer) external onlyDelegated nonReentrant {
        Product storage p = _staffProduct(productId);
        p.maxPerBuyer = maxPerBuyer;
        uint256 count = p.variantCount;
        for (uint256 i; i < count; ++i) {
            _variants[_variantKey(productId, uint8(i))].maxPerBuyer = maxPerBuyer;
        }
        emit IMerchstand.ProductLimitSet(productId, maxPerBuyer);
    }

    /// @notice See {IMerchstand-addVariant}.
    function addVariant(uint64 productId, IMerchstand.VariantInput calldata input)
        external
        onlyDelegated
        nonReentrant
        whenNotPaused
    {
        Product storage p = _staffProduct(productId);
        uint64 storeId = p.storeId;
        if (_storeHot[storeId].closed) revert IMerchstand.StoreIsClosed(storeId);
        uint8 index = p.variantCount;
        if (index + 1 > MAX_VARIANTS) revert IMerchstand.InvalidVariantCount(uint256(index) + 1, MAX_VARIANTS);
        p.variantCount = index + 1;
        uint8 productFlags = (p.active ? _PRODUCT_ACTIVE : 0) | (p.digital ? _DIGITAL : 0) | _timedFlag(productId);
        _writeVariant(productId, index, storeId, p.maxPerBuyer, productFlags, input);
        emit IMerchstand.VariantAdded(productId, index, input);
    }

    /// @notice See {IMerchstand-setVariantPrice}.
    function setVariantPrice(uint64 productId, uint8 variant, uint96 price) external onlyDelegated nonReentrant {
        Variant storage v = _staffVariant(productId, variant);
        if (price == 0) revert IMerchstand.ZeroPrice();
        v.price = price;
        emit IMerchstand.VariantPriceSet(productId, variant, price);
    }

    /// @notice See {IMerchstand-setVariantStock}.
    function setVariantStock(uint64 productId, uint8 variant, uint32 stock) external onlyDelegated nonReentrant {
        _staffVariant(productId, variant).stock = stock;
        emit IMerchstand.VariantStockSet(productId, variant, stock);
    }

    /// @notice See {IMerchstand-setVariantActive}.
    function setVariantActive(uint64 productId, uint8 variant, bool active) external onlyDelegated nonReentrant {
        Variant storage v = _staffVariant(productId, variant);
        v.flags = active ? v.flags | _VARIANT_ACTIVE : v.flags & ~_VARIANT_ACTIVE;
        emit IMerchstand.VariantActiveSet(productId, variant, active);
    }

    // ─────────────────────────────────────────── Views ───────────────────────────────────────────

    /// @notice See {IMerchstand-getStore}.
    function getStore(uint64 storeId) external view onlyDelegated returns (IMerchstand.StoreView memory) {
        if (storeId == 0 || storeId > _storeCount) revert IMerchstand.StoreNotFound(storeId);
        return _storeView(storeId);
    }

    /// @notice See {IMerchstand-getStores}.
    function getStores(uint256 offset, uint256 limit)
        external
        view
        onlyDelegated
        returns (IMerchstand.StoreView[] memory page, uint256 total)
    {
        total = _storeCount;
        uint256 n = _pageSize(offset, limit, total);
        page = new IMerchstand.StoreView[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = _storeView(uint64(offset + i + 1));
        }
    }

    /// @notice See {IMerchstand-getProduct}.
    function getProduct(uint64 productId) external view onlyDelegated returns (IMerchstand.ProductView memory) {
        if (productId == 0 || productId > _productCount) revert IMerchstand.ProductNotFound(productId);
        return _productView(productId);
    }

    /// @notice See {IMerchstand-getProducts}.
    function getProducts(uint256 offset, uint256 limit)
        external
        view
        onlyDelegated
        returns (IMerchstand.ProductView[] memory page, uint256 total)
    {
        total = _productCount;
        uint256 n = _pageSize(offset, limit, total);
        page = new IMerchstand.ProductView[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = _productView(uint64(offset + i + 1));
        }
    }

    /// @notice See {IMerchstand-getStoreProducts}.
    function getStoreProducts(uint64 storeId, uint256 offset, uint256 limit)
        external
        view
        onlyDelegated
        returns (IMerchstand.ProductView[] memory page, uint256 total)
    {
        if (storeId == 0 || storeId > _storeCount) revert IMerchstand.StoreNotFound(storeId);
        uint64[] storage ids = _storeProducts[storeId];
        total = ids.length;
        uint256 n = _pageSize(offset, limit, total);
        page = new IMerchstand.ProductView[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = _productView(ids[offset + i]);
        }
    }

    // ─────────────────────────────────────────── View internals ───────────────────────────────────────────

    function _pageSize(uint256 offset, uint256 limit, uint256 total) private pure returns (uint256) {
        if (total > offset) {
            // unchecked: offset < total.
            unchecked {
                uint256 left = total - offset;
                return limit < left ? limit : left;
            }
        }
        return 0;
    }

    function _storeView(uint64 storeId) private view returns (IMerchstand.StoreView memory s) {
        StoreHot memory hot = _storeHot[storeId];
        StoreFunds memory funds = _storeFunds[storeId];
        StoreInfo storage info = _stores[storeId];
        s.id = storeId;
        s.owner = info.owner;
        s.payout = info.payout;
        s.currency = hot.currency;
        s.closed = hot.closed;
        s.official = info.official;
        s.termsVersion = hot.termsVersion;
        s.terms = _terms[storeId][hot.termsVersion];
        s.shippingKey = info.shippingKey;
        s.balance = funds.balance;
        s.productCount = uint64(_storeProducts[storeId].length);
        s.name = info.name;
        s.metadataCid = info.metadataCid;
        s.officialEvidence = info.officialEvidence;
    }

    function _productView(uint64 productId) private view returns (IMerchstand.ProductView memory pv) {
        Product storage p = _products[productId];
        pv.id = productId;
        pv.storeId = p.storeId;
        pv.category = p.category;
        pv.active = p.active;
        pv.digital = p.digital;
        pv.maxPerBuyer = p.maxPerBuyer;
        pv.ratingCount = p.ratingCount;
        pv.ratingSum = p.ratingSum;
        pv.lastReviewBlock = p.lastReviewBlock;
        pv.name = p.name;
        pv.metadataCid = p.metadataCid;
        uint256 count = p.variantCount;
        pv.variants = new IMerchstand.VariantView[](count);
        for (uint256 i; i < count; ++i) {
            uint256 key = _variantKey(productId, uint8(i));
            Variant memory v = _variants[key];
            pv.variants[i] = IMerchstand.VariantView({
                label: _labels[key],
                price: v.price,
                stock: v.stock,
                sold: v.sold,
                active: v.flags & _VARIANT_ACTIVE != 0,
                lastOrderBlock: v.lastOrderBlock
            });
        }
    }

    // ─────────────────────────────────────────── Internals ───────────────────────────────────────────

    function _requireOwner(uint64 storeId) private view {
        address owner = _stores[storeId].owner;
        if (owner == address(0)) revert IMerchstand.StoreNotFound(storeId);
        if (owner != msg.sender) revert IMerchstand.NotStoreOwner(storeId, msg.sender);
    }

    function _clearOfficial(uint64 storeId, StoreInfo storage info, string memory reason) private {
        if (!info.official) return;
        info.official = false;
        delete info.officialEvidence;
        emit IMerchstand.OfficialRevoked(storeId, msg.sender, reason);
    }

    function _checkTerms(IMerchstand.StoreTerms calldata terms) private pure {
        if (terms.arbiter == address(0)) revert IMerchstand.ZeroAddress();
        if (terms.shipWindow < MIN_SHIP_WINDOW || terms.shipWindow > MAX_SHIP_WINDOW) {
            revert IMerchstand.InvalidWindow(terms.shipWindow, MIN_SHIP_WINDOW, MAX_SHIP_WINDOW);
        }
        if (terms.deliveryWindow < MIN_DELIVERY_WINDOW || terms.deliveryWindow > MAX_DELIVERY_WINDOW) {
            revert IMerchstand.InvalidWindow(terms.deliveryWindow, MIN_DELIVERY_WINDOW, MAX_DELIVERY_WINDOW);
        }
    }

    function _staffProduct(uint64 productId) private view returns (Product storage p) {
        p = _products[productId];
        uint64 storeId = p.storeId;
        if (storeId == 0) revert IMerchstand.ProductNotFound(productId);
        _requireStaff(storeId);
    }

    function _staffVariant(uint64 productId, uint8 variant) private view returns (Variant storage v) {
        v = _variants[_variantKey(productId, variant)];
        if (v.price == 0) {
            if (_products[productId].storeId == 0) revert IMerchstand.ProductNotFound(productId);
            revert IMerchstand.VariantNotFound(productId, variant);
        }
        _requireStaff(v.storeId);
    }

    function _writeVariant(
        uint64 productId,
        uint8 index,
        uint64 storeId,
        uint16 maxPerBuyer,
        uint8 productFlags,
        IMerchstand.VariantInput calldata input
    ) private {
        _checkText(bytes(input.label), 1, MAX_LABEL_BYTES);
        if (input.price == 0) revert IMerchstand.ZeroPrice();
        uint256 key = _variantKey(productId, index);
        _variants[key] = Variant({
            price: input.price,
            stock: input.stock,
            sold: 0,
            storeId: uint32(storeId),
            lastOrderBlock: 0,
            maxPerBuyer: maxPerBuyer,
            flags: productFlags | _VARIANT_ACTIVE
        });
        _labels[key] = input.label;
    }
}
