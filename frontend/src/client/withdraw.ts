// Collecting a credit (Merchstand.withdraw): the contract credits a fan's refund, cancel or dispute share when paying
// the fan's own address failed (a token that blocks it, a wallet that refuses ETH), and `withdraw(currency, to)` sends
// the whole credit to any address the fan names. This module checks the address the fan typed before anything is sent
// and words what can go wrong; ui/credits-notice.ts shows it.
import { getAddress, isAddress } from "ethers/address";
import { decodeEvent } from "./contract.ts";
import type { FanError } from "./errors.ts";
import { formatAmount, shortAddress } from "./format.ts";
import type { Currency } from "./manifest.ts";
import { ZERO_ADDRESS } from "./protocol.ts";
import type { Receipt, TxRequest } from "./transactions.ts";

/** Sends the caller's whole credit in `currency` to `to`. */
export function withdrawTx(currency: Currency, to: string, amount: bigint): TxRequest {
  return {
    fn: "withdraw",
    args: [currency.address, to],
    what: `Send ${formatAmount(amount, currency)} to ${shortAddress(to)}`,
  };
}

export type PayoutCheck = { ok: true; address: string } | { ok: false; message: string };

/**
 * The address the fan typed, checked: an address (with a correct checksum when it has capitals), not the zero
 * address, and not a contract that would keep the money (Merchstand itself, the token's own contract).
 */
export function checkPayoutAddress(text: string, context: { merchstand: string; currency: Currency }): PayoutCheck {
  const typed = text.trim();
  if (typed === "") return { ok: false, message: "Type the address to send it to. Nothing was sent." };
  if (!/^0x[0-9a-fA-F]{40}$/.test(typed)) {
    return {
      ok: false,
      message:
        "That isn't an Ethereum address: one is 0x followed by 40 digits and letters a to f. Copy it from your wallet. Nothing was sent.",
    };
  }
  // Mixed case is a checksum (EIP-55): a wrong one means a mistyped character.
  if (!isAddress(typed)) {
    return {
      ok: false,
      message:
        "That address has a typo: its capital letters don't match the address's checksum. Copy it again from your wallet. Nothing was sent.",
    };
  }
  const address = getAddress(typed);
  if (address === ZERO_ADDRESS) {
    return { ok: false, message: "That is the zero address: nobody can spend what is sent there. Nothing was sent." };
  }
  const same = (other: string) => other.toLowerCase() === address.toLowerCase();
  if (same(context.merchstand)) {
    return {
      ok: false,
      message: "That is the Merchstand contract itself, not a wallet: type an address you control. Nothing was sent.",
    };
  }
  if (context.currency.address !== ZERO_ADDRESS && same(context.currency.address)) {
    return {
      ok: false,
      message: `That is the ${context.currency.symbol} token's own contract, which would keep it: type an address you control. Nothing was sent.`,
    };
  }
  return { ok: true, address };
}

/** What the Withdrawal event of a withdraw receipt says was sent (the whole credit, which may have grown). */
export function withdrawnAmount(receipt: Receipt, merchstand: string): bigint | null {
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== merchstand.toLowerCase()) continue;
    const event = decodeEvent(log);
    if (event?.name === "Withdrawal") return event.args.amount;
  }
  return null;
}

/**
 * A failed collect in the fan's words. `general` is the sentence client/errors.ts made (kept for a wallet refusal,
 * the network, a wrong chain); a revert is worded for a withdrawal: nothing left the contract.
 */
export function explainWithdrawFailure(
  general: FanError,
  context: { currency: Currency; to: string; amount: bigint },
): FanError {
  const { currency, to, amount } = context;
  const kept = `Nothing was sent: your ${formatAmount(amount, currency)} is still here to collect.`;
  const revertName = general.revert?.name;
  if (revertName === "NothingToWithdraw") {
    return { ...general, message: `There is no ${currency.symbol} left to collect: it was collected already.` };
  }
  if (general.kind !== "revert" && general.kind !== "unknown") return general;
  const refused =
    currency.address === ZERO_ADDRESS
      ? `The address ${shortAddress(to)} refused the ETH (a contract that doesn't accept it).`
      : `The ${currency.symbol} token refused to pay ${shortAddress(to)} (a token can block addresses).`;
  return { ...general, message: `${refused} ${kept} Type another address you control.` };
}
