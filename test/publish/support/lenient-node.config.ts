// A `hardhat node` for the deploy test that lets contracts exceed the EIP-170 size limit. The deploy test checks the
// deploy script (Ignition run, journal, manifest), not the contract's size; a chain that enforces the limit is what
// Sepolia does, and the contracts' own tests own that check.
import { defineConfig } from "hardhat/config";
import config from "../../../hardhat.config.ts";

export default defineConfig({
  ...config,
  networks: {
    ...config.networks,
    node: { type: "edr-simulated", chainType: "l1", allowUnlimitedContractSize: true },
  },
});
