// Every failure a fan or a seller can meet becomes one sentence they understand. Reverts are decoded from the
// deployed contract's ABI (its own and OpenZeppelin's errors) and the token ABI; wallet errors by EIP-1193 code.
import type { ErrorDescription, Interface } from "ethers/abi";
import { erc20, merchstand } from "./contract.ts";
import { explainDropRevert } from "./drop-errors.ts";
import { chainName, formatAmount, formatDate, variantPhrase } from "./format.ts";
import type { Currency } from "./manifest.ts";
import { NetworkError, RpcError } from "./rpc.ts";

export type ErrorKind =
  | "rejected"
  | "insufficient-funds"
  | "sold-out"
  | "price-changed"
  | "terms-changed"
  | "wrong-network"
  | "unreachable"
  | "limit"
  | "not-for-sale"
  | "too-early"
  | "too-late"
  | "stale-order"
  | "paused"
  | "revert"
  | "wallet"
  | "unknown";

export type FanError = {
  kind: ErrorKind;
  message: string;
  /** The page should offer a retry button (and may retry by itself). */
  retry: boolean;
  /** The cart must be re-checked against the chain (sold out, price changed, no longer for sale). */
  refreshCart: boolean;
  /** The decoded custom error, when the failure was a revert. */
  revert?: { name: string; args: readonly unknown[] };
};

/** What the page knows that makes a sentence concrete. */
export type ErrorContext = {
  currency?: Pick<Currency, "symbol" | "decimals">;
  describeVariant?: (productId: bigint, variant: number) => { product: string; label: string } | undefined;
  expectedChain?: { chainId: number; chainName: string };
};

/** The wallet is on another chain than the store. */
export class WrongNetworkError extends Error {
  override name = "WrongNetworkError";
  readonly walletChainId: number;
  constructor(walletChainId: number) {
    super(`Wallet is on chain ${walletChainId}`);
    this.walletChainId = walletChainId;
  }
}

/** Checked before asking the wallet, so the fan sees both amounts instead of a node's message. */
export class InsufficientFundsError extends Error {
  override name = "InsufficientFundsError";
  readonly needed: bigint;
  readonly balance: bigint;
  readonly currency: Pick<Currency, "symbol" | "decimals">;
  readonly plusGas: boolean;
  constructor(needed: bigint, balance: bigint, currency: Pick<Currency, "symbol" | "decimals">, plusGas: boolean) {
    super(`Needs ${needed}, has ${balance}`);
    this.needed = needed;
    this.balance = balance;
    this.currency = currency;
    this.plusGas = plusGas;
  }
}

/** A sentence the page composed itself, passed through unchanged. */
export class FanFacingError extends Error {
  override name = "FanFacingError";
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/** Finds revert data however a node or wallet nested it (`data`, `data.data`, `error.data`, `cause`, ...). */
export function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || error === undefined) return undefined;
  if (typeof error === "string") return HEX.test(error) && error.length >= 10 ? error : undefined;
  if (typeof error !== "object") return undefined;
  const record = error as Record<string, unknown>;
  for (const key of ["data", "originalError", "error", "cause", "info", "payload"]) {
    const found = findRevertData(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

const DECODERS: Interface[] = [merchstand, erc20];

export function decodeRevert(data: string): { name: string; args: readonly unknown[] } | undefined {
  for (const iface of DECODERS) {
    let parsed: ErrorDescription | null = null;
    try {
      parsed = iface.parseError(data);
    } catch {
      parsed = null;
    }
    if (parsed) return { name: parsed.name, args: Array.from(parsed.args) };
  }
  return undefined;
}

function errorCode(error: unknown): number | undefined {
  if (error instanceof RpcError) return error.code;
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "number") return code;
    const inner = (error as { error?: unknown }).error;
    if (inner && inner !== error) return errorCode(inner);
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message;
  }
  return String(error);
}

function base(kind: ErrorKind, message: string, extra: Partial<FanError> = {}): FanError {
  return { kind, message, retry: false, refreshCart: false, ...extra };
}

function variantName(ctx: ErrorContext, productId: bigint, variant: number): string {
  const known = ctx.describeVariant?.(productId, variant);
  if (!known) return "An item in your cart";
  return known.label ? variantPhrase(known.label) : known.product;
}

function productName(ctx: ErrorContext, productId: bigint, variant: number): string {
  return ctx.describeVariant?.(productId, variant)?.product ?? "This item";
}

function money(ctx: ErrorContext, value: bigint): string {
  return ctx.currency ? formatAmount(value, ctx.currency) : value.toString();
}

function explainRevert(name: string, args: readonly unknown[], ctx: ErrorContext): FanError {
  const revert = { name, args };
  const a = (i: number) => args[i] as bigint;
  switch (name) {
    case "InsufficientStock": {
      const available = a(3);
      const who = variantName(ctx, a(0), Number(a(1)));
      const message =
        available === 0n
          ? `${who} just sold out. Your cart was updated.`
          : `Only ${available} of ${who.replace(/^Size/, "size")} ${available === 1n ? "is" : "are"} left. Your cart was updated.`;
      return base("sold-out", message, { refreshCart: true, revert });
    }
    case "PriceAboveMax": {
      const price = a(2);
      const seen = a(3);
      const message = ctx.currency
        ? `The price changed from ${formatAmountShort(seen, ctx)} to ${formatAmount(price, ctx.currency)}. Review and try again.`
        : "The price changed. Review and try again.";
      return base("price-changed", message, { refreshCart: true, revert });
    }
    case "TermsChanged":
      return base(
        "terms-changed",
        `The store changed its terms just before you paid (version ${a(1)} -> ${a(2)}). Nothing was charged. Review the new terms and pay again.`,
        { revert },
      );
    case "MixedOrder":
      return base(
        "revert",
        `${productName(ctx, a(1), 0)} was put in one order with items of the other kind (downloads and shipped goods go in separate orders). Nothing was charged; reload the page and try again.`,
        { refreshCart: true, revert },
      );
    case "ReviewValueTooLow":
      return base(
        "revert",
        a(1) === 0n
          ? "This order can't be reviewed as a verified purchase: the store kept nothing of it (the payment went back to you)."
          : `Only orders the store kept at least ${money(ctx, a(2))} from can be reviewed as a verified purchase; this one kept about ${money(ctx, a(1))}.`,
        { revert },
      );
    case "IncorrectPayment":
      return base("price-changed", "The total changed while you were paying. Review and try again.", {
        refreshCart: true,
        revert,
      });
    case "NotForSale":
    case "ProductNotFound":
    case "VariantNotFound":
    case "ProductNotInStore":
      return base(
        "not-for-sale",
        `${productName(ctx, a(0), Number(args[1] ?? 0))} is no longer for sale. Your cart was updated.`,
        {
          refreshCart: true,
          revert,
        },
      );
    case "SoldCounterFull":
      return base(
        "not-for-sale",
        `${productName(ctx, a(0), Number(args[1] ?? 0))} can't take more orders: it sold the most one listing can. Nothing was charged.`,
        { refreshCart: true, revert },
      );
    case "ZeroQuantity":
      return base("revert", "Choose a quantity of at least 1.", { refreshCart: true, revert });
    case "InvalidLine":
      return base(
        "revert",
        "This purchase was put together wrongly. Nothing was charged; reload the page and try again.",
        {
          revert,
        },
      );
    case "PerBuyerLimitExceeded": {
      const limit = a(1);
      const already = a(2);
      return base(
        "limit",
        `${productName(ctx, a(0), 0)} is limited to ${limit} per fan${already > 0n ? `, and you already bought ${already}` : ""}. Lower the quantity and try again.`,
        { refreshCart: true, revert },
      );
    }
    case "StoreIsClosed":
    case "StoreNotFound":
      return base("not-for-sale", "This store has closed and takes no new orders. Nothing was charged.", {
        refreshCart: true,
        revert,
      });
    case "EnforcedPause":
      return base("paused", "Merchstand is paused for maintenance. Nothing was charged; please try again later.", {
        retry: true,
        revert,
      });
    case "InvalidShippingBlob":
      return a(2) === 32n
        ? base("revert", "Your delivery key for this download didn't reach the store intact. Reload and try again.", {
            revert,
          })
        : base("revert", "The shipping address is too long for this store. Please shorten it.", { revert });
    case "TooEarly":
      return base("too-early", `That is possible from ${formatDate(a(1))}.`, { revert });
    case "TooLate":
      return base("too-late", `That was only possible until ${formatDate(a(1))}.`, { revert });
    case "InvalidOrderStatus":
    case "OrderMismatch":
      return base("stale-order", "This order changed in the meantime. The page was refreshed; please check it.", {
        revert,
      });
    case "NotBuyer":
      return base("revert", "Only the fan who placed this order can do that. Is the right account connected?", {
        revert,
      });
    case "AlreadyReviewed":
      return base("revert", "You already reviewed this item for this order.", { revert });
    case "InvalidRating":
      return base("revert", "Choose a rating from 1 to 5 stars.", { revert });
    case "InvalidLength":
      return base("revert", `That text is too long: at most ${a(1)} bytes.`, { revert });
    case "ProductNotInOrder":
      return base("revert", "That item is not part of this order.", { revert });
    case "NothingToWithdraw":
      return base("revert", "There is nothing to withdraw.", { revert });
    case "ERC20InsufficientBalance":
      return base("insufficient-funds", `Your wallet needs ${money(ctx, a(2))}; it has ${money(ctx, a(1))}.`, {
        revert,
      });
    case "ERC20InsufficientAllowance":
      return base("revert", "The payment wasn't approved for the full amount. Please try again.", { revert });
    case "ERC2612ExpiredSignature":
    case "ERC2612InvalidSigner":
    case "PermitTooSmall":
      return base("revert", "The payment signature didn't match. Nothing was charged; please try again.", {
        revert,
      });
    case "CurrencyMismatch":
      return base("revert", "Your cart mixes currencies; pay for each currency separately.", { revert });
    case "EmptyCart":
      return base("revert", "Your cart is empty.", { refreshCart: true, revert });
    case "FeeOnTransferToken":
      return base(
        "revert",
        "This token takes a fee on every transfer, which Merchstand can't accept. Nothing was charged.",
        {
          revert,
        },
      );
    case "SafeERC20FailedOperation":
      return base("revert", "The token refused the transfer. Nothing was charged.", { revert });
    case "ReentrancyGuardReentrantCall":
      return base("revert", "Merchstand refused a call made while it was busy with another. Nothing was charged.", {
        revert,
      });
    case "UnknownCall":
      return base(
        "revert",
        "Merchstand doesn't know this request: this page may be out of date. Reload it and try again.",
        {
          revert,
        },
      );
    case "CartTooLarge":
      return base("revert", `Your cart has too many lines (at most ${a(1)}). Check out in two parts.`, { revert });
    default:
      return (
        explainDropRevert(name, args, ctx) ??
        base("revert", `The store's contract refused this (${name}). Nothing was charged.`, { revert })
      );
  }
}

function formatAmountShort(value: bigint, ctx: ErrorContext): string {
  // "from 0.02 to 0.025 ETH": the symbol once, on the second figure.
  return ctx.currency ? formatAmount(value, ctx.currency).replace(` ${ctx.currency.symbol}`, "") : value.toString();
}

/** Turns anything thrown by the client layer, the RPC or the wallet into a sentence for the fan. */
export function explainError(error: unknown, ctx: ErrorContext = {}): FanError {
  if (error instanceof FanFacingError) return base(error.kind, error.message);
  if (error instanceof WrongNetworkError) {
    const expected = ctx.expectedChain;
    return base(
      "wrong-network",
      `Your wallet is on ${chainName(error.walletChainId)}; this store is on ${expected ? expected.chainName : "another network"}. Switch network.`,
    );
  }
  if (error instanceof InsufficientFundsError) {
    return base(
      "insufficient-funds",
      `Your wallet needs ${formatAmount(error.needed, error.currency)}${error.plusGas ? " plus gas" : ""}; it has ${formatAmount(error.balance, error.currency)}.`,
    );
  }
  if (error instanceof NetworkError) {
    return base("unreachable", "Can't reach the network right now. Retrying…", { retry: true });
  }
  const code = errorCode(error);
  if (code === 4001) return base("rejected", "You cancelled the request in your wallet. Nothing was charged.");
  if (code === 4100) {
    return base("wallet", "Your wallet hasn't allowed this site to use your account yet. Connect your wallet again.");
  }
  if (code === -32002) {
    return base("wallet", "Your wallet already has a request waiting. Open your wallet to answer it.");
  }
  if (code === 4900 || code === 4901) {
    return base("unreachable", "Your wallet is disconnected from the network. Check your wallet and try again.", {
      retry: true,
    });
  }
  const data = findRevertData(error);
  if (data) {
    const decoded = decodeRevert(data);
    if (decoded) return explainRevert(decoded.name, decoded.args, ctx);
  }
  const message = errorMessage(error);
  if (/insufficient funds|doesn't have enough funds|not enough funds/i.test(message)) {
    return base(
      "insufficient-funds",
      `Your wallet doesn't have enough ${ctx.currency?.symbol ?? "funds"} for this payment plus gas.`,
    );
  }
  if (/user (rejected|denied)|rejected by user/i.test(message)) {
    return base("rejected", "You cancelled the request in your wallet. Nothing was charged.");
  }
  if (/failed to fetch|networkerror|load failed|timeout|timed out|ECONNREFUSED/i.test(message)) {
    return base("unreachable", "Can't reach the network right now. Retrying…", { retry: true });
  }
  if (/revert/i.test(message)) {
    return base("revert", "The store's contract refused this. Nothing was charged.");
  }
  const short = message.length > 160 ? `${message.slice(0, 157)}…` : message;
  return base("unknown", `Something went wrong: ${short}`);
}
