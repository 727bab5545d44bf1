// Fan sentences for the reverts of drops, shipping zones, codes and ticket check-in (IMerchstand's errors of the
// Drops section); client/errors.ts explainRevert asks here for any name it doesn't know itself.
import type { ErrorContext, FanError } from "./errors.ts";
import { formatAmount, formatDate } from "./format.ts";
import { orderReference } from "./order-ref.ts";

function fan(kind: FanError["kind"], message: string, revert: FanError["revert"], refreshCart = false): FanError {
  return { kind, message, retry: false, refreshCart, revert };
}

/** The sentence for one of the drop toolkit's custom errors, or null for any other name. */
export function explainDropRevert(name: string, args: readonly unknown[], ctx: ErrorContext): FanError | null {
  const revert = { name, args };
  const n = (i: number) => BigInt(args[i] as bigint);
  const product = () => ctx.describeVariant?.(n(0), 0)?.product ?? "This item";
  const money = (v: bigint) => (ctx.currency ? formatAmount(v, ctx.currency) : v.toString());
  switch (name) {
    case "DropNotOpen":
      return fan(
        "too-early",
        `${product()} isn't on sale yet: it opens ${formatDate(n(1))} (if it has a presale, a presale code for it lets you in earlier). Nothing was charged.`,
        revert,
      );
    case "DropClosed":
      return fan("too-late", `${product()} was on sale until ${formatDate(n(2))}. Nothing was charged.`, revert, true);
    case "InvalidZone":
      return fan(
        "revert",
        "The shipping zone for your country isn't one this store has any more. Nothing was charged; reload the page and pick your country again.",
        revert,
      );
    case "ShippingAboveMax":
      return fan(
        "price-changed",
        `The store changed its shipping rate from ${money(n(3))} to ${money(n(2))}. Nothing was charged. Review and try again.`,
        revert,
      );
    case "InvalidCode":
      return fan("revert", "This code isn't complete or was mistyped. Nothing was charged.", revert);
    case "InvalidCodeSignature":
      return fan(
        "revert",
        "This code wasn't made by this store for your wallet: it may belong to another fan or another store. Nothing was charged.",
        revert,
      );
    case "CodeExpired":
      return fan("revert", `This code expired on ${formatDate(n(2))}. Nothing was charged.`, revert);
    case "CodeUsedUp":
      return fan(
        "revert",
        `This code has been used as often as it can be (${n(3)} ${n(3) === 1n ? "time" : "times"}). Nothing was charged.`,
        revert,
      );
    case "CodeIsRevoked":
      return fan("revert", "The store withdrew this code. Nothing was charged.", revert);
    case "CodeNotForProduct":
      return fan(
        "revert",
        `This code is only for ${ctx.describeVariant?.(n(2), 0)?.product ?? "another product"}, which isn't in this order. Nothing was charged.`,
        revert,
      );
    // Staff settings (the dashboard says these first; here for any page that meets them).
    case "InvalidDrop":
      return fan(
        "revert",
        "Those drop times don't fit together: the presale must come before the opening, the opening before the close, and a pre-order ship date can be at most a year ahead.",
        revert,
      );
    case "TooManyZones":
      return fan("revert", `A store can have at most ${n(1)} shipping zones.`, revert);
    case "TooManyCodes":
      return fan("revert", `At most ${n(1)} codes can be prepared at once.`, revert);
    case "NotATicket":
      return fan("revert", `Order ${orderReference(n(0))} isn't a ticket.`, revert);
    case "AlreadyCheckedIn":
      return fan("revert", "This ticket was already checked in at the door.", revert);
    default:
      return null;
  }
}
