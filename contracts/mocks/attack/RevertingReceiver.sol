// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Puppet} from "./Puppet.sol";

/// @title RevertingReceiver
/// @notice Test-only account that refuses ETH (while `refusing`): as a buyer, payout address or withdrawal target it
/// must harm only itself.
contract RevertingReceiver is Puppet {
    /// @notice Raised by `receive` while refusing.
    error PaymentRefused(uint256 amount);

    /// @notice Whether `receive` reverts; starts true.
    bool public refusing = true;

    /// @notice Start or stop refusing ETH (to show that the funds were parked, not lost).
    function setRefusing(bool refusing_) external {
        if (msg.sender != CONTROLLER) revert NotController(msg.sender);
        refusing = refusing_;
    }

    receive() external payable {
        if (refusing) revert PaymentRefused(msg.value);
    }
}
