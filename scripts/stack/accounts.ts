// The local stack's cast, taken from Hardhat's well-known test mnemonic. These keys are public: every Hardhat and
// Anvil user has them, and anything sent to them on a real network is taken at once.
import { HDNodeWallet, type Provider } from "ethers";

export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** Who does what in the demo, by account index of the test mnemonic. */
export const CAST = {
  deployer: 0, // deploys, holds every admin role
  sellerA: 1, // "The Midnight Owls", the official store (ETH)
  sellerB: 2, // "Velvet Static" (mUSD)
  buyer: 3,
  arbiter: 4, // named in the stores' terms
  verifier: 5, // VERIFIER_ROLE: attests official stores
  feeRecipient: 6,
  impostor: 7, // "The Midnlght 0wls — Official Store"
  secondBuyer: 8,
} as const;

export type CastRole = keyof typeof CAST;

let base: HDNodeWallet | undefined;

/** The wallet of test account `index` (m/44'/60'/0'/0/index), connected to `provider` when given. */
export function testWallet(index: number, provider?: Provider): HDNodeWallet {
  // One PBKDF2 run for the whole cast: children are derived from the account-level node.
  base ??= HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, "m/44'/60'/0'/0");
  const wallet = base.deriveChild(index);
  return provider === undefined ? wallet : wallet.connect(provider);
}

export function castWallet(role: CastRole, provider?: Provider): HDNodeWallet {
  return testWallet(CAST[role], provider);
}
