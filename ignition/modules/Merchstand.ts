import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The production deployment: one immutable Merchstand.
 *
 * Parameters (module id `Merchstand`):
 * - `admin`: gets DEFAULT_ADMIN, PAUSER, CURRENCY and FEE roles (not VERIFIER_ROLE, which it grants to verifiers);
 *   meant to be a multisig. Defaults to the deploying account.
 * - `feeBps`: the platform fee for new orders (≤ 1000). Defaults to 250 (2.5%).
 * - `feeRecipient`: who is credited fees. Defaults to the deploying account.
 * - `allowedCurrencies`: ERC-20 addresses stores may sell in from the start. Defaults to none (ETH only).
 */
const MerchstandModule = buildModule("Merchstand", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const feeBps = m.getParameter("feeBps", 250);
  const feeRecipient = m.getParameter("feeRecipient", m.getAccount(0));
  const allowedCurrencies = m.getParameter<string[]>("allowedCurrencies", []);
  // Carts and the drop toolkit: a module Merchstand runs by delegatecall (contracts/base/MerchstandDrops.sol),
  // deployed first because Merchstand's own creation code has no room left for it.
  const drops = m.contract("MerchstandDrops");
  const merchstand = m.contract("Merchstand", [admin, feeBps, feeRecipient, allowedCurrencies, drops]);
  return { merchstand, drops };
});

export default MerchstandModule;

/**
 * MockUSD (6 decimals, EIP-2612 permit, open mint) for tests, the local stack and testnets. Deploy it first and pass
 * its address in `Merchstand.allowedCurrencies`. Never deploy it next to a production Merchstand.
 */
export const MockUSDModule = buildModule("MockUSD", (m) => {
  const usd = m.contract("MockUSD");
  return { usd };
});
