// Sentences for the reverts only store staff, arbiters and verifiers meet (roles, bounds, amounts); anything else
// falls through to the fan sentences of ./errors.ts. Apart from errors.ts so a fan's first load does not carry them.
import { decodeRevert, type ErrorContext, explainError, type FanError, findRevertData } from "./errors.ts";
import { formatAmount, formatDate, formatDays } from "./format.ts";
import { orderReference } from "./order-ref.ts";

/**
 * explainError speaks to fans; staff meet other reverts (roles, bounds, amounts). Those get their own sentence
 * here, and anything else falls through to explainError.
 */
export function explainSellerError(error: unknown, ctx: ErrorContext = {}): FanError {
  const data = findRevertData(error);
  const decoded = data ? decodeRevert(data) : undefined;
  if (decoded) {
    const sentence = sellerRevert(decoded.name, decoded.args, ctx);
    if (sentence) {
      return { kind: "revert", message: sentence, retry: false, refreshCart: false, revert: decoded };
    }
    if (decoded.name === "InvalidOrderStatus" || decoded.name === "OrderMismatch") {
      return {
        kind: "stale-order",
        message:
          "This order changed in the meantime (the buyer may have confirmed or cancelled it). The list was refreshed.",
        retry: false,
        refreshCart: false,
        revert: decoded,
      };
    }
  }
  return explainError(error, ctx);
}

function sellerRevert(name: string, args: readonly unknown[], ctx: ErrorContext): string | null {
  const n = (i: number) => BigInt(args[i] as bigint);
  const money = (v: bigint) => (ctx.currency ? formatAmount(v, ctx.currency) : v.toString());
  switch (name) {
    case "NotStoreOwner":
      return "Only the store's owner can do that. Connect the owner's wallet and try again.";
    case "NotStoreStaff":
      return "Only the store's owner or one of its managers can do that. Is the right account connected?";
    case "TooManyStores":
      return "This Merchstand contract has opened as many stores as it can hold (4,294,967,295); no new store can open here.";
    case "NotArbiter":
      return "Only the arbiter named in this order's terms can rule on it. Is the right account connected?";
    case "InvalidWindow":
      return `That time window is outside what Merchstand allows: between ${formatDays(Number(n(1)))} and ${formatDays(Number(n(2)))} days.`;
    case "InvalidAmount":
      if (n(1) === 0n) return "Enter an amount above zero.";
      // Below what is escrowed: only a disputed order refuses that (the store may concede only in full).
      if (n(1) < n(2)) {
        return `Order ${orderReference(n(0))} is in dispute: it can only be refunded in full (${money(n(2))}), which closes the dispute. Otherwise the arbiter decides.`;
      }
      return `That is more than the ${money(n(2))} still held in escrow for order ${orderReference(n(0))}.`;
    case "TooLate":
      return `The ship-by time of order ${orderReference(n(0))} passed on ${formatDate(n(1))}: it can no longer be marked shipped or delivered, and the buyer may cancel for a full refund. You can still refund it.`;
    case "NotPendingOwner":
      return "Only the address the owner proposed can accept this store. Is the right account connected?";
    case "LengthMismatch":
      return "The delivery batch was put together wrongly. Nothing was sent; reload the page and try again.";
    case "CannotReply":
      return "This order's reviews can't take another reply: either there is no review of this product in it, or the store has already replied three times to this order (a reply and two edits). Reload the page to see the reviews as they are now.";
    case "ExpectedPause":
      return "Merchstand isn't paused, so there is nothing to lift.";
    case "FeeTooHigh":
      return `That fee is above Merchstand's cap of ${Number(n(1)) / 100}%.`;
    case "AccessControlBadConfirmation":
      return "A role can only be renounced by the account that holds it.";
    case "ZeroPrice":
      return "Every variant needs a price above zero.";
    case "InvalidVariantCount":
      return `A product needs between 1 and ${n(1)} variants.`;
    case "InvalidCategory":
      return "Choose one of the listed categories.";
    case "ZeroAddress":
      return "An address is missing (it can't be the zero address).";
    case "CurrencyNotAllowed":
      return "Merchstand doesn't accept that currency for new stores. Choose another.";
    case "AccessControlUnauthorizedAccount":
      return "Your account doesn't hold the Merchstand role this needs (for example, verifier). Nothing was changed.";
    case "NotOfficial":
      return "This store isn't marked official, so there is nothing to revoke.";
    case "InvalidLength":
      return n(0) === 0n ? "A required text field is empty." : `That text is too long: ${n(0)} bytes, at most ${n(1)}.`;
    case "NothingToWithdraw":
      return "There is nothing to withdraw yet.";
    case "StoreIsClosed":
      return "This store is closed, so it can't list or sell anything new.";
    case "EnforcedPause":
      return "Merchstand is paused for maintenance: new stores, listings and purchases wait until it's lifted. Nothing was changed.";
    case "EthTransferFailed":
      return `The payout address refused the ${money(n(1))}. Set a payout address that can receive ETH.`;
    case "VariantNotFound":
      return "That variant doesn't exist any more. Reload the page.";
    case "ProductNotFound":
      return "That product doesn't exist. Reload the page.";
    default:
      return null;
  }
}
