// The ERC-20s a deployment allows from day one, read from the tokens themselves so the manifest cannot drift from
// the chain.
import { Contract, getAddress, type Provider, ZeroAddress } from "ethers";
import type { Currency } from "../publish/chain-manifest.ts";

/** ERC-20s stores may sell in from day one, per chain. Sepolia: Circle's official test USDC (faucet.circle.com). */
export const DEFAULT_CURRENCIES: Record<number, string[]> = {
  11155111: ["0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238"],
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
