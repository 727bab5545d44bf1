// The ERC-20s a deployment allows from day one, read from the tokens themselves so the manifest cannot drift from
// the chain.
import { Contract, getAddress, type Provider, ZeroAddress } from "ethers";
import type { Currency } from "../publish/chain-manifest.ts";

/**
 * ERC-20s stores may sell in from day one, per chain: Circle's native USDC on each chain (on testnets, Circle's test
 * USDC from faucet.circle.com), as listed in Circle's "USDC contract addresses". Checked at deploy: `readCurrency`
 * reads symbol and decimals from the address, so a wrong entry fails the plan instead of reaching the manifest.
 */
export const DEFAULT_CURRENCIES: Record<number, string[]> = {
  11155111: ["0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238"], // Sepolia
  8453: ["0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"], // Base
  84532: ["0x036CbD53842c5426634e7929541eC2318f3dCF7e"], // Base Sepolia
  10: ["0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85"], // OP Mainnet
  11155420: ["0x5fd84259d66Cd46123540766Be93DFE6D43130D7"], // OP Sepolia
  42161: ["0xaf88d065e77c8cC2239327C5EDb3A432268e5831"], // Arbitrum One
  421614: ["0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d"], // Arbitrum Sepolia
};

export const ETH: Currency = { address: ZeroAddress, symbol: "ETH", decimals: 18 };

const ERC20 = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
  "function nonces(address) view returns (uint256)",
];

/** Symbol, decimals and EIP-2612 support of the token at `address`. */
export async function readCurrency(provider: Provider, address: string): Promise<Currency> {
  const token = new Contract(address, ERC20, provider);
  let symbol: string;
  let decimals: number;
  try {
    symbol = String(await token.getFunction("symbol")());
    decimals = Number(await token.getFunction("decimals")());
  } catch (e) {
    throw new Error(
      `${address} does not answer symbol()/decimals() like an ERC-20 on this chain: ${(e as Error).message}`,
    );
  }
  if (!/^[\x20-\x7e]{1,16}$/.test(symbol)) {
    throw new Error(`${address} has an unusable symbol ${JSON.stringify(symbol)}`);
  }
  let permit = false;
  try {
    await token.getFunction("DOMAIN_SEPARATOR")();
    await token.getFunction("nonces")(ZeroAddress);
    permit = true;
  } catch {
    // no EIP-2612: buyers approve, then buy
  }
  return { address: getAddress(address), symbol, decimals, ...(permit ? { permit: true } : {}) };
}
