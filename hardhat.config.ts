import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The compiler is the official WASM build from the npm `solc` package, pinned
// exactly in package.json, so compiling never downloads anything.
const SOLC_VERSION = "0.8.30";
const solcPath = require.resolve("solc/soljson.js");

// Gas per purchase is a headline figure, so the optimizer is tuned for a
// contract that is called many times and deployed once: via-IR with a high
// `runs` trades deployment size for cheaper calls. The same profile builds
// what the tests measure and what we deploy, so measured gas is deployed gas.
const compiler = {
  version: SOLC_VERSION,
  path: solcPath,
  settings: {
    evmVersion: "prague",
    viaIR: true,
    optimizer: { enabled: true, runs: 10_000 },
  },
};

/** A live network whose RPC URL and deployer key are secrets (environment variable or `hardhat keystore set`). */
function live(name: string, chainId: number, chainType: "l1" | "op" | "generic") {
  return {
    type: "http" as const,
    chainType,
    chainId,
    url: configVariable(`${name}_RPC_URL`),
    accounts: [configVariable(`${name}_PRIVATE_KEY`)],
  };
}

// `npm run coverage` compiles instrumented contracts. They are larger and cost more gas, so they get their own
// artifacts and cache: nothing else (the gas test, `npm start`, a deploy) can then pick them up.
const coverageBuild = process.env.MERCHSTAND_COVERAGE_BUILD === "1";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  paths: coverageBuild ? { artifacts: "coverage/artifacts", cache: "coverage/cache" } : {},
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
  },
  // `hardhat` (in-process) and `localhost` (a running `hardhat node`) are built in. Each live network reads
  // <NAME>_RPC_URL and <NAME>_PRIVATE_KEY from the environment or the keystore; one ETHERSCAN_API_KEY verifies on all
  // of them (Etherscan's v2 API serves every chain below). `chainType: "op"` gives OP-stack receipts their L1 fee.
  networks: {
    sepolia: live("SEPOLIA", 11155111, "l1"),
    base: live("BASE", 8453, "op"),
    baseSepolia: live("BASE_SEPOLIA", 84532, "op"),
    optimism: live("OPTIMISM", 10, "op"),
    optimismSepolia: live("OPTIMISM_SEPOLIA", 11155420, "op"),
    arbitrumOne: live("ARBITRUM_ONE", 42161, "generic"),
    arbitrumSepolia: live("ARBITRUM_SEPOLIA", 421614, "generic"),
  },
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
});
