// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Merchstand} from "./Merchstand.sol";
import {IMerchstandDrops} from "./interfaces/IMerchstand.sol";

/// @title MerchstandDeployed
/// @notice What a deployed {Merchstand} address answers: its own functions and those its fallback runs in
/// {MerchstandDrops} ({IMerchstandDrops}). Never deployed: it exists so that typed clients and tests get one ABI
/// (e.g. `ethers.getContractAt("MerchstandDeployed", address)`); scripts/generate-abi.ts builds the dapp's the same way.
abstract contract MerchstandDeployed is Merchstand, IMerchstandDrops {}
