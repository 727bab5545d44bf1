// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Puppet} from "./Puppet.sol";

/// @title GasBurner
/// @notice Test-only account whose `receive` burns every unit of gas it is given (while `burning`): as a buyer,
/// payout address or withdrawal target it must harm only itself and leave the caller enough gas to finish.
contract GasBurner is Puppet {
    /// @notice Whether `receive` burns all gas; starts true.
    bool public burning = true;

    /// @notice Start or stop burning (to show that the funds were parked, not lost).
    function setBurning(bool burning_) external {
        if (msg.sender != CONTROLLER) revert NotController(msg.sender);
        burning = burning_;
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (!burning) return;
        // `invalid` consumes all gas forwarded to this frame, the worst a receiver can do to its caller.
        assembly ("memory-safe") {
            invalid()
        }
    }
}
