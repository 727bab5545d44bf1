// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice A test token that burns 1% of every transfer, so the recipient gets less than was sent. Merchstand must
/// reject it: escrow accounting assumes the amount pulled is the amount received.
contract FeeOnTransferToken is ERC20 {
    /// @notice The share of each transfer that is burnt, in basis points.
    uint256 public constant FEE_BPS = 100;

    constructor() ERC20("Fee On Transfer", "FOT") {}

    /// @notice Mints `amount` to `to`; open to anyone (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Burns the fee on every transfer between two accounts (not on mint or burn).
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * FEE_BPS) / 10_000;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
