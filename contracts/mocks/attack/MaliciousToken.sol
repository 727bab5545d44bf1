// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MaliciousToken
/// @notice Test-only ERC-20 that behaves until told otherwise, then attacks through its transfer hooks.
/// @dev One token with switchable behaviour models an allow-listed token whose implementation is upgraded behind
/// a proxy after stores and orders already use it (as USDC/USDT-style proxies can be).
contract MaliciousToken is ERC20 {
    /// @notice How transfers misbehave.
    /// @dev Honest: a plain ERC-20. ReenterOnTransfer / ReenterOnTransferFrom: call `reentryTarget` with
    /// `reentryCall` before moving balances (once per arming). FalseOnTransfer / FalseOnTransferFrom: return false
    /// without moving anything. RevertOnTransfer: every `transfer` reverts (a blocklist or a paused token).
    enum Mode {
        Honest,
        ReenterOnTransfer,
        ReenterOnTransferFrom,
        FalseOnTransfer,
        FalseOnTransferFrom,
        RevertOnTransfer
    }

    /// @notice Raised by `transfer` in RevertOnTransfer mode.
    error TransferBlocked(address to, uint256 amount);

    Mode public mode;
    address public reentryTarget;
    bytes public reentryCall;
    /// @notice Whether a failed re-entry reverts the transfer (otherwise it is recorded and swallowed).
    bool public bubble;
    uint256 public reentrySucceeded;
    uint256 public reentryFailed;
    bytes public lastRevertData;

    constructor() ERC20("Malicious USD", "mUSD!") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Anyone may mint: it is a test token.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @notice Arm the re-entry: on the next hooked transfer, call `target` with `data`.
    function armReentry(Mode mode_, address target, bytes calldata data, bool bubble_) external {
        mode = mode_;
        reentryTarget = target;
        reentryCall = data;
        bubble = bubble_;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        Mode m = mode;
        if (m == Mode.FalseOnTransfer) return false;
        if (m == Mode.RevertOnTransfer) revert TransferBlocked(to, value);
        if (m == Mode.ReenterOnTransfer) _reenter();
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        Mode m = mode;
        if (m == Mode.FalseOnTransferFrom) return false;
        if (m == Mode.ReenterOnTransferFrom) _reenter();
        return super.transferFrom(from, to, value);
    }

    function _reenter() private {
        bytes memory data = reentryCall;
        if (data.length == 0) return;
        delete reentryCall;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = reentryTarget.call(data);
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
}
