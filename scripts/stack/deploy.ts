// Deploys the protocol to the stack's chain with the production Ignition module (plus MockUSD, the local
// stablecoin, and MockPriceFeed, the local ETH / USD feed), then gives the demo verifier its role.
//
// Hardhat runs in-process with the project's config plus one extra network pointing at the stack's RPC URL, so any
// port or external node works without editing hardhat.config.ts. Ignition's journal goes to a throwaway folder:
// every run deploys afresh (the local chain is new each time), and concurrent runs (a developer's `npm start`
// beside the test suite) never share a journal.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract } from "ethers";
import { createHardhatRuntimeEnvironment, importUserConfig, resolveHardhatConfigPath } from "hardhat/hre";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import MerchstandModule, { MockPriceFeedModule, MockUSDModule } from "../../ignition/modules/Merchstand.ts";
import { ROOT } from "../cli/root.ts";
import { rpcProvider } from "../cli/rpc.ts";
import { CAST, castWallet, TEST_MNEMONIC } from "./accounts.ts";

export const DEFAULT_FEE_BPS = 250;

export type Deployment = {
  chainId: number;
  merchstand: string;
  mockUsd: string;
  /** The local ETH / USD feed (contracts/mocks/MockPriceFeed.sol), named in the stack's manifest. */
  usdFeed: string;
  deploymentBlock: number;
};

/** Deploys MockUSD, MockPriceFeed and Merchstand (compiled artifacts must exist) and grants VERIFIER_ROLE to the demo verifier. */
export async function deployProtocol(
  rpcUrl: string,
  options: { log?: (line: string) => void } = {},
): Promise<Deployment> {
  const log = options.log ?? (() => {});
  const configPath = await resolveHardhatConfigPath(join(ROOT, "hardhat.config.ts"));
  const userConfig = await importUserConfig(configPath);
  const journal = await mkdtemp(join(tmpdir(), "merchstand-ignition-"));
  try {
    const hre = await createHardhatRuntimeEnvironment(
      {
        ...userConfig,
        paths: { ...userConfig.paths, ignition: journal },
        networks: {
          ...userConfig.networks,
          merchstandStack: {
            type: "http",
            chainType: "l1",
            url: rpcUrl,
            // The test mnemonic rather than the node's unlocked accounts, so an external node that only has the
            // accounts funded (not unlocked) works too.
            accounts: { mnemonic: TEST_MNEMONIC, count: 10 },
          },
        },
      },
      { config: configPath },
      ROOT,
    );
    const connection = await hre.network.create("merchstandStack");
    try {
      const deployer = castWallet("deployer").address;
      const { usd } = await connection.ignition.deploy(MockUSDModule, { deploymentId: "mock-usd" });
      const mockUsd = await usd.getAddress();
      const { feed } = await connection.ignition.deploy(MockPriceFeedModule, { deploymentId: "mock-price-feed" });
      const usdFeed = await feed.getAddress();
      const { merchstand } = await connection.ignition.deploy(MerchstandModule, {
        deploymentId: "merchstand",
        parameters: {
          Merchstand: {
            admin: deployer,
            feeBps: DEFAULT_FEE_BPS,
            feeRecipient: castWallet("feeRecipient").address,
            allowedCurrencies: [mockUsd],
          },
        },
      });
      const merchstandAddress = await merchstand.getAddress();

      const provider = rpcProvider(rpcUrl, { batchMaxCount: 1 });
      try {
        const chainId = Number((await provider.getNetwork()).chainId);
        const roles = new Contract(merchstandAddress, merchstandAbi, castWallet("deployer", provider));
        const verifierRole = (await roles.getFunction("VERIFIER_ROLE")()) as string;
        const verifier = castWallet("verifier").address;
        if (!((await roles.getFunction("hasRole")(verifierRole, verifier)) as boolean)) {
          await (await roles.getFunction("grantRole")(verifierRole, verifier)).wait();
        }
        const deploymentBlock = Number((await roles.getFunction("deploymentBlock")()) as bigint);
        log(`verifier role granted to account #${CAST.verifier}`);
        return { chainId, merchstand: merchstandAddress, mockUsd, usdFeed, deploymentBlock };
      } finally {
        provider.destroy();
      }
    } finally {
      await connection.close();
    }
  } finally {
    await rm(journal, { recursive: true, force: true });
  }
}
