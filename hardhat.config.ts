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
  networks: {
    // `hardhat` (in-process) and `localhost` (a running `hardhat node`) are built in.
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
});
