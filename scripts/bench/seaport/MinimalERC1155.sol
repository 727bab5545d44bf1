// SPDX-License-Identifier: MIT
// Compiled with Seaport's solc 0.8.24 (scripts/bench/seaport-compile.ts), not the project's 0.8.30.
// solhint-disable-next-line compiler-version
pragma solidity ^0.8.24;

/// @title MinimalERC1155
/// @notice The item a Seaport basic order sells in the benchmark (scripts/bench/seaport.ts): a minimal ERC-1155 in the
///         shape of Solmate's, so that Seaport's measured gas carries as little token overhead as a real collection
///         could. Compiled with Seaport by scripts/bench/seaport-compile.ts, never deployed outside the benchmark.
/// @dev Anyone may mint: it has no value by design.
contract MinimalERC1155 {
    /// @notice Emitted on every mint and transfer of one id.
    event TransferSingle(
        address indexed operator, address indexed from, address indexed to, uint256 id, uint256 amount
    );
    /// @notice Emitted on every batch transfer.
    event TransferBatch(
        address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] amounts
    );
    /// @notice Emitted when `owner` lets `operator` move all its tokens, or stops it.
    // ERC-1155 fixes which of its fields are indexed.
    // solhint-disable-next-line gas-indexed-events
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    /// @notice ERC-1155's metadata pointer; never emitted here (uri is empty).
    event URI(string value, uint256 indexed id);

    /// @notice `operator` may not move `from`'s tokens.
    error NotAuthorized(address operator, address from);
    /// @notice `from` holds `balance` of `id`, less than `amount`.
    error InsufficientBalance(address from, uint256 id, uint256 balance, uint256 amount);
    /// @notice The contract at `to` did not accept the tokens.
    error UnsafeRecipient(address to);
    /// @notice A batch's `ids` and `amounts` differ in length.
    error LengthMismatch(uint256 ids, uint256 amounts);

    mapping(address owner => mapping(uint256 id => uint256)) public balanceOf;
    mapping(address owner => mapping(address operator => bool)) public isApprovedForAll;

    /// @notice Mints `amount` of `id` to `to` (an EOA in the benchmark, so no acceptance check).
    function mint(address to, uint256 id, uint256 amount) external {
        balanceOf[to][id] += amount;
        emit TransferSingle(msg.sender, address(0), to, id, amount);
    }

    /// @notice Lets `operator` move all the caller's tokens, or stops it.
    function setApprovalForAll(address operator, bool approved) external {
        isApprovedForAll[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @notice Moves `amount` of `id` from `from` to `to`; a contract recipient must accept it.
    function safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes calldata data) external {
        if (msg.sender != from && !isApprovedForAll[from][msg.sender]) revert NotAuthorized(msg.sender, from);
        _move(from, to, id, amount);
        emit TransferSingle(msg.sender, from, to, id, amount);
        if (to.code.length != 0) {
            bytes4 accepted = IERC1155Receiver(to).onERC1155Received(msg.sender, from, id, amount, data);
            if (accepted != IERC1155Receiver.onERC1155Received.selector) revert UnsafeRecipient(to);
        }
    }

    /// @notice Moves several ids at once; a contract recipient must accept them.
    function safeBatchTransferFrom(
        address from,
        address to,
        uint256[] calldata ids,
        uint256[] calldata amounts,
        bytes calldata data
    ) external {
        if (ids.length != amounts.length) revert LengthMismatch(ids.length, amounts.length);
        if (msg.sender != from && !isApprovedForAll[from][msg.sender]) revert NotAuthorized(msg.sender, from);
        for (uint256 i = 0; i < ids.length; ++i) {
            _move(from, to, ids[i], amounts[i]);
        }
        emit TransferBatch(msg.sender, from, to, ids, amounts);
        if (to.code.length != 0) {
            bytes4 accepted = IERC1155Receiver(to).onERC1155BatchReceived(msg.sender, from, ids, amounts, data);
            if (accepted != IERC1155Receiver.onERC1155BatchReceived.selector) revert UnsafeRecipient(to);
        }
    }

    /// @notice Balances of several (owner, id) pairs.
    function balanceOfBatch(address[] calldata owners, uint256[] calldata ids)
        external
        view
        returns (uint256[] memory balances)
    {
        if (owners.length != ids.length) revert LengthMismatch(owners.length, ids.length);
        balances = new uint256[](owners.length);
        for (uint256 i = 0; i < owners.length; ++i) {
            balances[i] = balanceOf[owners[i]][ids[i]];
        }
    }

    /// @notice ERC-165: ERC-165 itself, ERC-1155 and its metadata extension.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7 || interfaceId == 0xd9b67a26 || interfaceId == 0x0e89341c;
    }

    /// @notice ERC-1155 metadata: no metadata in the benchmark.
    function uri(uint256) external pure returns (string memory) {
        return "";
    }

    function _move(address from, address to, uint256 id, uint256 amount) private {
        uint256 balance = balanceOf[from][id];
        if (balance < amount) revert InsufficientBalance(from, id, balance, amount);
        unchecked {
            // Cannot underflow: checked just above.
            balanceOf[from][id] = balance - amount;
        }
        balanceOf[to][id] += amount;
    }
}

/// @notice What a contract must answer to receive ERC-1155 tokens.
interface IERC1155Receiver {
    /// @notice Called after a single transfer to a contract; must return its own selector.
    function onERC1155Received(address operator, address from, uint256 id, uint256 amount, bytes calldata data)
        external
        returns (bytes4);

    /// @notice Called after a batch transfer to a contract; must return its own selector.
    function onERC1155BatchReceived(
        address operator,
        address from,
        uint256[] calldata ids,
        uint256[] calldata amounts,
        bytes calldata data
    ) external returns (bytes4);
}
