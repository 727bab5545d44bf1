// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BlocklistToken
/// @notice Test-only USDC-style token whose issuer can blocklist an account after the fact: a blocklisted account can
/// neither send nor receive. A buyer blocklisted after paying must still get out of an order (as a credit it
/// withdraws to another address).
contract BlocklistToken is ERC20 {
    /// @notice Raised for any transfer from or to a blocklisted account.
    error Blocklisted(address account);
    /// @notice Only the issuer may blocklist.
    error NotIssuer(address caller);

    address public immutable ISSUER;
    mapping(address account => bool) public blocklisted;

    constructor() ERC20("Blocklist USD", "bUSD") {
        ISSUER = msg.sender;
    }

    /// @notice Mints `amount` to `to`; open to anyone (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Blocklists or clears `account` (issuer only).
    function setBlocklisted(address account, bool value) external {
        if (msg.sender != ISSUER) revert NotIssuer(msg.sender);
        blocklisted[account] = value;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocklisted[from]) revert Blocklisted(from);
        if (blocklisted[to]) revert Blocklisted(to);
        super._update(from, to, value);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
