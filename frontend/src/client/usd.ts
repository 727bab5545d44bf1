// What an amount is in US dollars, for a fan who doesn't think in ETH. ETH amounts are priced with a Chainlink
// AggregatorV3Interface feed (ETH / USD) on the store's own chain, named in the manifest (docs/FORMATS.md,
// "usdFeed"); stablecoins are shown as dollars directly. Any doubt about the feed gives no figure, never a wrong one:
// see `checkRound` for the rules. No DOM here, so Node tests import it.
import { Interface } from "ethers/abi";
import type { Currency } from "./manifest.ts";
import { ZERO_ADDRESS } from "./protocol.ts";

/** The manifest's price feed: where it is, the decimals its answer must have, and its heartbeat in seconds. */
export type UsdFeed = { address: string; decimals: number; heartbeat: number };

/** `latestRoundData()` as the feed answers it. */
export type Round = { roundId: bigint; answer: bigint; startedAt: bigint; updatedAt: bigint; answeredInRound: bigint };

/**
 * A round that passed every check: `answer` dollars per ETH with `decimals` decimals, as of `updatedAt`;
 * `checkedAt` is the chain's time when it was checked.
 */
export type UsdQuote = { answer: bigint; decimals: number; updatedAt: bigint; heartbeat: number; checkedAt: bigint };

export type RoundCheck = { ok: true; quote: UsdQuote } | { ok: false; reason: string };

/**
 * How long after `updatedAt` a round still counts: the feed's heartbeat (the longest it goes without an update when
 * the price is calm) plus 10% of it, at least 5 minutes, for a late transmission and block times. Older: stale.
 */
export function staleAfter(heartbeat: number): number {
  return heartbeat + Math.max(300, Math.ceil(heartbeat / 10));
}

/** Symbols shown as dollars directly (one token = one dollar); anything else but ETH gets no dollar figure. */
export const DOLLAR_SYMBOLS: ReadonlySet<string> = new Set(["USDC", "USDC.e", "USDbC", "USDT", "DAI", "PYUSD", "mUSD"]);

/**
 * The rules a round must pass before its answer prices anything: the feed's own `decimals()` is the manifest's;
 * the answer is positive; the round is complete (`answeredInRound >= roundId`, `updatedAt > 0`); it is not from
 * the future (more than a minute past `now`, the chain's clock) and not stale ({@link staleAfter}).
 */
export function checkRound(round: Round, onChainDecimals: number, feed: UsdFeed, now: bigint): RoundCheck {
  if (onChainDecimals !== feed.decimals) {
    return { ok: false, reason: `the feed has ${onChainDecimals} decimals, the manifest says ${feed.decimals}` };
  }
  if (round.answer <= 0n) return { ok: false, reason: "the answer is not positive" };
  if (round.roundId === 0n || round.updatedAt === 0n) return { ok: false, reason: "the round is not complete" };
  if (round.answeredInRound < round.roundId) return { ok: false, reason: "the answer is from an earlier round" };
  if (round.updatedAt > now + 60n) return { ok: false, reason: "the round is dated in the future" };
  const age = now - round.updatedAt;
  if (age > BigInt(staleAfter(feed.heartbeat))) return { ok: false, reason: `the answer is ${age} s old` };
  return {
    ok: true,
    quote: {
      answer: round.answer,
      decimals: feed.decimals,
      updatedAt: round.updatedAt,
      heartbeat: feed.heartbeat,
      checkedAt: now,
    },
  };
}

/** Whether a quote read earlier still counts at `now` (the chain's clock, advanced by the time since reading). */
export function isFresh(quote: UsdQuote, now: bigint): boolean {
  return now - quote.updatedAt <= BigInt(staleAfter(quote.heartbeat));
}

function isEth(currency: Pick<Currency, "address" | "symbol" | "decimals">): boolean {
  return currency.address.toLowerCase() === ZERO_ADDRESS && currency.symbol === "ETH" && currency.decimals === 18;
}

/** Rounds `numerator / denominator` half up (both non-negative). */
function roundDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator / 2n) / denominator;
}

/** `amount` (in the currency's smallest unit) in US cents, or null when it can't be priced honestly. */
export function usdCents(
  amount: bigint,
  currency: Pick<Currency, "address" | "symbol" | "decimals">,
  quote: UsdQuote | null,
): bigint | null {
  if (amount < 0n) return null;
  if (DOLLAR_SYMBOLS.has(currency.symbol)) {
    const scale = 10n ** BigInt(currency.decimals);
    return roundDiv(amount * 100n, scale);
  }
  if (!isEth(currency) || quote === null) return null;
  // amount wei × answer / 10^(18 + decimals) dollars = … / 10^(16 + decimals) cents.
  return roundDiv(amount * quote.answer, 10n ** BigInt(16 + quote.decimals));
}

/** "$1,234.50" */
export function formatUsd(cents: bigint): string {
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `$${whole}.${(cents % 100n).toString().padStart(2, "0")}`;
}

/**
 * The dollar figure shown beside an amount: "≈ $41.20" for ETH (a market price), "$25.50" for a stablecoin (one
 * token, one dollar), "≈ < $0.01" for dust, null when there is nothing honest to say.
 */
export function usdText(
  amount: bigint,
  currency: Pick<Currency, "address" | "symbol" | "decimals">,
  quote: UsdQuote | null,
): string | null {
  const cents = usdCents(amount, currency, quote);
  if (cents === null) return null;
  const dollars = DOLLAR_SYMBOLS.has(currency.symbol);
  if (cents === 0n && amount > 0n) return dollars ? "< $0.01" : "≈ < $0.01";
  return dollars ? formatUsd(cents) : `≈ ${formatUsd(cents)}`;
}

const aggregator = new Interface([
  "function decimals() view returns (uint8)",
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
]);

type Rpc = { request<T>(method: string, params: unknown[]): Promise<T> };

/** Reads the feed once (decimals, latest round and the chain's time) and checks the round. */
export async function readUsdQuote(rpc: Rpc, feed: UsdFeed): Promise<RoundCheck> {
  const call = (fn: "decimals" | "latestRoundData") =>
    rpc.request<string>("eth_call", [{ to: feed.address, data: aggregator.encodeFunctionData(fn) }, "latest"]);
  try {
    const [decimalsData, roundData, block] = await Promise.all([
      call("decimals"),
      call("latestRoundData"),
      rpc.request<{ timestamp: string } | null>("eth_getBlockByNumber", ["latest", false]),
    ]);
    const decimals = Number(aggregator.decodeFunctionResult("decimals", decimalsData)[0]);
    const r = aggregator.decodeFunctionResult("latestRoundData", roundData);
    const round: Round = {
      roundId: BigInt(r[0]),
      answer: BigInt(r[1]),
      startedAt: BigInt(r[2]),
      updatedAt: BigInt(r[3]),
      answeredInRound: BigInt(r[4]),
    };
    if (!block) return { ok: false, reason: "no latest block" };
    return checkRound(round, decimals, feed, BigInt(block.timestamp));
  } catch (error) {
    // No contract there, a revert, an RPC failure: no figure.
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The page load's one read of the feed, shared by every figure on every page: read at most once (a failed read is
 * not retried until the next page load), and a quote that grows stale while the dapp stays open stops being shown.
 */
export class UsdPrices {
  private readonly feed: UsdFeed | null;
  private readonly rpc: Rpc;
  private reading: Promise<{ check: RoundCheck; at: number }> | null = null;
  private readonly clock: () => number;

  constructor(rpc: Rpc, feed: UsdFeed | null, clock: () => number = Date.now) {
    this.rpc = rpc;
    this.feed = feed;
    this.clock = clock;
  }

  /** The checked quote, or null (no feed, a failed check, or stale by now). */
  async quote(): Promise<UsdQuote | null> {
    const feed = this.feed;
    if (!feed) return null;
    this.reading ??= readUsdQuote(this.rpc, feed).then((check) => ({ check, at: this.clock() }));
    const { check, at } = await this.reading;
    if (!check.ok) return null;
    // The chain's time when it was read, advanced by the wall-clock time since.
    const elapsed = BigInt(Math.max(0, Math.floor((this.clock() - at) / 1000)));
    return isFresh(check.quote, check.quote.checkedAt + elapsed) ? check.quote : null;
  }

  /** The figure for `amount`, or null. Stablecoins need no read. */
  async text(amount: bigint, currency: Pick<Currency, "address" | "symbol" | "decimals">): Promise<string | null> {
    if (DOLLAR_SYMBOLS.has(currency.symbol)) return usdText(amount, currency, null);
    if (!isEth(currency)) return null;
    return usdText(amount, currency, await this.quote());
  }
}
