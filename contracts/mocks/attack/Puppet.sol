// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Puppet
/// @notice Test-only base for attacker contracts: the deployer drives it as if it were an externally owned account
/// (it buys, cancels and withdraws through {execute}), so the attack code in `receive` runs when Merchstand pays it.
abstract contract Puppet {
    /// @notice Only the deployer may drive the puppet.
    error NotController(address caller);

    address public immutable CONTROLLER;

    constructor() {
        CONTROLLER = msg.sender;
    }

    /// @notice Calls `target` with `data` and `value` as this contract, bubbling up any revert unchanged so tests
    /// can match the original custom error.
    function execute(address target, uint256 value, bytes calldata data)
        external
        payable
        returns (bytes memory result)
    {
        if (msg.sender != CONTROLLER) revert NotController(msg.sender);
        bool ok;
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
