// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title MockUSD
/// @notice A 6-decimal dollar stand-in with EIP-2612 permit for tests, the local stack and testnets.
/// @dev Anyone may mint: it has no value by design. Never allow-list it on a production deployment.
contract MockUSD is ERC20, ERC20Permit {
    constructor() ERC20("Mock USD", "mUSD") ERC20Permit("Mock USD") {}

    /// @notice Mints `amount` to `to`; open to anyone so demos and tests can fund buyers.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
