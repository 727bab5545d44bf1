// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MockPriceFeed
/// @notice A Chainlink AggregatorV3Interface stand-in (ETH / USD, 8 decimals) for tests and the local stack: the
/// dapp reads `decimals()` and `latestRoundData()` exactly as it does from Chainlink's feeds on real chains
/// (frontend/src/client/usd.ts).
/// @dev Anyone may set the answer: it has no value by design. Never name it in a real chain's manifest.
contract MockPriceFeed {
    uint8 private immutable _DECIMALS;
    string private _description;

    uint80 private _roundId;
    int256 private _answer;
    uint256 private _startedAt;
    uint256 private _updatedAt;
    uint80 private _answeredInRound;

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer) {
        _DECIMALS = decimals_;
        _description = description_;
        setAnswer(initialAnswer);
    }

    /// @notice Starts a new round with `answer`, updated now.
    function setAnswer(int256 answer) public {
        setRound(_roundId + 1, answer, block.timestamp, _roundId + 1);
    }

    /// @notice Sets every field of the latest round, so tests can make it stale or inconsistent.
    function setRound(uint80 roundId, int256 answer, uint256 updatedAt, uint80 answeredInRound) public {
        _roundId = roundId;
        _answer = answer;
        _startedAt = updatedAt;
        _updatedAt = updatedAt;
        _answeredInRound = answeredInRound;
    }

    /// @notice Decimals of the answer (Chainlink's ETH / USD feeds: 8).
    function decimals() external view returns (uint8) {
        return _DECIMALS;
    }

    /// @notice What the feed prices, e.g. "ETH / USD".
    function description() external view returns (string memory) {
        return _description;
    }

    /// @notice The latest round, in AggregatorV3Interface's order.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (_roundId, _answer, _startedAt, _updatedAt, _answeredInRound);
    }
}
