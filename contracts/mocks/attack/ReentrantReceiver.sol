// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMerchstand} from "../../interfaces/IMerchstand.sol";
import {Puppet} from "./Puppet.sol";

/// @title ReentrantReceiver
/// @notice Test-only attacker: when Merchstand sends it ETH, `receive` calls Merchstand again with a prepared call
/// (a second withdraw, cancel or withdrawStoreBalance) to try to be paid twice.
/// @dev With `bubble` off, a failed re-entry is swallowed and recorded, so a test can check both that the outer
/// payment went through once and why the inner one failed. With `bubble` on, the inner revert aborts the whole
/// transaction, so a test can match the guard's error on the outer call.
contract ReentrantReceiver is Puppet {
    IMerchstand public immutable MERCHSTAND;

    /// @notice The call `receive` re-enters with; empty means "do not re-enter".
    bytes public reentryCall;
    /// @notice Whether a failed re-entry reverts the outer call.
    bool public bubble;
    /// @notice How many times `receive` ran.
    uint256 public receivedCount;
    /// @notice How many re-entries Merchstand accepted (must stay 0).
    uint256 public reentrySucceeded;
    /// @notice How many re-entries Merchstand refused.
    uint256 public reentryFailed;
    /// @notice Revert data of the last refused re-entry.
    bytes public lastRevertData;

    constructor(IMerchstand merchstand_) {
        MERCHSTAND = merchstand_;
    }

    /// @notice Re-enter `withdraw(currency, address(this))` on the next payment.
    function armWithdraw(address currency, bool bubble_) external {
        _arm(abi.encodeCall(IMerchstand.withdraw, (currency, address(this))), bubble_);
    }

    /// @notice Re-enter `withdrawStoreBalance(storeId)` on the next payment.
    function armWithdrawStoreBalance(uint64 storeId, bool bubble_) external {
        _arm(abi.encodeCall(IMerchstand.withdrawStoreBalance, (storeId)), bubble_);
    }

    /// @notice Re-enter `cancel(orderId, order)` on the next payment.
    function armCancel(uint256 orderId, IMerchstand.Order calldata order, bool bubble_) external {
        _arm(abi.encodeCall(IMerchstand.cancel, (orderId, order)), bubble_);
    }

    /// @notice Re-enter with any Merchstand calldata on the next payment.
    function armCall(bytes calldata data, bool bubble_) external {
        _arm(data, bubble_);
    }

    /// @notice Stop re-entering.
    function disarm() external {
        if (msg.sender != CONTROLLER) revert NotController(msg.sender);
        delete reentryCall;
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        ++receivedCount;
        bytes memory data = reentryCall;
        if (data.length == 0) return;
        // One attempt per payment: a successful re-entry would pay again and recurse; the counters are the proof.
        delete reentryCall;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(MERCHSTAND).call(data);
        if (ok) {
            ++reentrySucceeded;
            return;
        }
        ++reentryFailed;
        lastRevertData = ret;
        if (bubble) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }

    function _arm(bytes memory data, bool bubble_) private {
        if (msg.sender != CONTROLLER) revert NotController(msg.sender);
        reentryCall = data;
        bubble = bubble_;
    }
}
