// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev The packed purchase line `buy_oT9la` takes (see IMerchstand).
function packLine(uint64 productId, uint8 variant, uint32 quantity, uint96 maxUnitPrice) pure returns (uint256) {
    return uint256(productId) | uint256(variant) << 64 | uint256(quantity) << 72 | uint256(maxUnitPrice) << 104;
}
