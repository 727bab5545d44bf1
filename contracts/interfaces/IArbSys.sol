// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IArbSys
/// @notice The one function of Arbitrum's ArbSys system contract (address 100 on Arbitrum One and Arbitrum Sepolia)
/// that Merchstand calls: on Arbitrum `block.number` is an L1 block number, and this is the chain's own.
interface IArbSys {
    /// @notice The number of the current L2 block, as `eth_getLogs` counts blocks on Arbitrum.
    /// @return The block number.
    function arbBlockNumber() external view returns (uint256);
}
