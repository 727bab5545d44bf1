// The ETH / USD price feed each chain's manifest names (docs/FORMATS.md, "usdFeed"), so the dapp can show
// "≈ $41.20" beside ETH prices (frontend/src/client/usd.ts). Chainlink's AggregatorV3Interface feeds, as listed in
// Chainlink's "Price Feed Contract Addresses" (data.chain.link): 8 decimals each. `heartbeat` is the feed's
// published heartbeat on mainnets; the testnets are given their mainnet's (shorter is the safe side: a stale answer
// then shows no figure rather than a wrong one). Checked at deploy by `readUsdFeed`.
import { Contract, getAddress, type Provider } from "ethers";
import type { UsdFeed } from "../../frontend/src/client/usd.ts";

export const USD_FEEDS: Record<number, UsdFeed> = {
  1: { address: "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419", decimals: 8, heartbeat: 3_600 }, // Ethereum
  11155111: { address: "0x694AA1769357215DE4FAC081bf1f309aDC325306", decimals: 8, heartbeat: 3_600 }, // Sepolia
  8453: { address: "0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70", decimals: 8, heartbeat: 1_200 }, // Base
  84532: { address: "0x4aDC67696bA383F43DD60A9e78F2C97Fbbfc7cb1", decimals: 8, heartbeat: 1_200 }, // Base Sepolia
  10: { address: "0x13e3Ee699D1909E989722E753853AE30b17e08c5", decimals: 8, heartbeat: 1_200 }, // OP Mainnet
  11155420: { address: "0x61Ec26aA57019C486B10502285c5A3D4A4750AD7", decimals: 8, heartbeat: 1_200 }, // OP Sepolia
  42161: { address: "0x639Fe6ab55C921f74e7fac1ee960C0B6293ba612", decimals: 8, heartbeat: 86_400 }, // Arbitrum One
  421614: { address: "0xd30e2101a97dcbAeBCBC04F14C3f624E67A35165", decimals: 8, heartbeat: 86_400 }, // Arbitrum Sepolia
};

const AGGREGATOR = ["function decimals() view returns (uint8)", "function description() view returns (string)"];

/**
 * The chain's feed, checked against the chain (its decimals and that it prices ETH in USD), or null when the chain
 * has none listed or the check fails: the manifest then names no feed and the dapp shows no dollar figure for ETH.
 */
export async function readUsdFeed(
  provider: Provider,
  chainId: number,
  log: (line: string) => void = () => {},
): Promise<UsdFeed | null> {
  const feed = USD_FEEDS[chainId];
  if (!feed) return null;
  try {
    const aggregator = new Contract(feed.address, AGGREGATOR, provider);
    const decimals = Number(await aggregator.getFunction("decimals")());
    const description = String(await aggregator.getFunction("description")());
    if (decimals !== feed.decimals || !/^ETH \/ USD$/.test(description)) {
      log(`  no USD feed: ${feed.address} answers "${description}" with ${decimals} decimals`);
      return null;
    }
  } catch (error) {
    log(`  no USD feed: ${feed.address} does not answer like a price feed (${(error as Error).message})`);
    return null;
  }
  return { ...feed, address: getAddress(feed.address) };
}
