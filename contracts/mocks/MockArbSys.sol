// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IArbSys} from "../interfaces/IArbSys.sol";

/// @title MockArbSys
/// @notice An ArbSys stand-in for tests: its code is put at address 100 on a network with Arbitrum's chain id, where
/// {MerchstandStorage-_blockNumber} asks it for the L2 block number. It answers `block.number + L2_OFFSET`, so a
/// test can tell the two apart.
contract MockArbSys is IArbSys {
    /// @notice What the mock adds to `block.number`.
    uint256 public constant L2_OFFSET = 1_000_000;

    /// @inheritdoc IArbSys
    function arbBlockNumber() external view returns (uint256) {
        return block.number + L2_OFFSET;
    }
}
