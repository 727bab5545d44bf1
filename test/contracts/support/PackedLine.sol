// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev The packed purchase line `buy_oT9la` takes (see IMerchstand), with the terms version the buyer was shown.
function packLine(uint64 productId, uint8 variant, uint32 quantity, uint96 maxUnitPrice, uint32 termsVersion)
    pure
    returns (uint256)
{
    return uint256(productId) | uint256(variant) << 64 | uint256(quantity) << 72 | uint256(maxUnitPrice) << 104
        | uint256(termsVersion) << 200;
}

/// @dev {packLine} for a store still on its first terms (version 1), as every store opens.
function packLine(uint64 productId, uint8 variant, uint32 quantity, uint96 maxUnitPrice) pure returns (uint256) {
    return packLine(productId, variant, quantity, maxUnitPrice, 1);
}
