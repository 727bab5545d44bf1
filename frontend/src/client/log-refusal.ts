// How a provider refuses `eth_getLogs`, read from its own words (client/log-scan.ts acts on it), and the one error a
// page shows when no window is small enough. Kept apart from the scanner so that the pages and the RPC choice can
// import them without loading the scanner with the first page (scripts/bench/dapp-size.ts).
import { FanFacingError } from "./errors.ts";
import type { RpcError } from "./rpc.ts";

/** The provider cannot serve the history this page needs (range cap below one block, or no `eth_getLogs`). */
export class HistoryUnavailableError extends FanFacingError {
  override name = "HistoryUnavailableError";
  /** The provider's own words, for the console. */
  readonly providerMessage: string;
  constructor(providerMessage: string) {
    super(
      "unreachable",
      "This network provider can't read the store's order history. Choose another network provider (RPC) in Settings, then try again.",
    );
    this.providerMessage = providerMessage;
  }
}

/** How a provider refused one `eth_getLogs` call. */
export type Refusal =
  | { kind: "range"; cap: number | null; suggested: number | null }
  | { kind: "results"; suggested: number | null }
  | { kind: "rate"; retryAfterMs: number | null }
  | { kind: "unavailable" };

const num = (s: string) => Number(s.replaceAll(",", ""));

/** Reads a provider's refusal of `eth_getLogs`; anything unrecognised is a range refusal of unknown size. */
export function classifyRefusal(error: RpcError): Refusal {
  const m = error.message;
  if (
    error.code === -32601 ||
    /does not exist|not available|not supported|unsupported method|method not found/i.test(m)
  )
    return { kind: "unavailable" };
  if (error.code === 429 || error.code === -32016 || /rate limit|rate exceeded|too many requests|per second/i.test(m)) {
    const backoff = (error.data as { backoff_seconds?: unknown } | undefined)?.backoff_seconds;
    return { kind: "rate", retryAfterMs: typeof backoff === "number" ? backoff * 1000 : null };
  }
  // "[0x100, 0x2f3]": the range the provider says would work.
  const pair = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(m);
  const suggested = pair?.[1] && pair[2] ? Number(BigInt(pair[2]) - BigInt(pair[1])) + 1 : null;
  if (/more than [\d,]+ results|response size|too many (logs|results)|result(s)? limit/i.test(m))
    return { kind: "results", suggested };
  const cap =
    /max(?:imum)? block range(?: of| is)? ([\d,]+)/i.exec(m) ??
    /exceeds limit of ([\d,]+)/i.exec(m) ??
    /up to an? ([\d,]+)[ -]block range/i.exec(m) ??
    /limited to (?:a )?([\d,]+)[ -]block/i.exec(m) ??
    /block range (?:limit|is limited to|cannot exceed|exceeds) ([\d,]+)/i.exec(m);
  return { kind: "range", cap: cap?.[1] ? num(cap[1]) : null, suggested };
}
