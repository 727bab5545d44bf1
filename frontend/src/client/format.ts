// How amounts, addresses and dates look to a fan. Pure functions, shared by pages and error sentences.
import type { Currency } from "./manifest.ts";
import { DAY } from "./protocol.ts";

/** "0.025 ETH", "25.50 mUSD": no float rounding, trailing zeros trimmed, cents kept for small-decimal tokens. */
export function formatAmount(value: bigint, currency: Pick<Currency, "symbol" | "decimals">): string {
  return `${formatNumber(value, currency.decimals)} ${currency.symbol}`;
}

/** At most `maxFraction` decimals (truncated, never rounded up), for compact figures such as a wallet balance. */
export function formatAmountCompact(
  value: bigint,
  currency: Pick<Currency, "symbol" | "decimals">,
  maxFraction = 4,
): string {
  return `${formatNumber(value, currency.decimals, maxFraction)} ${currency.symbol}`;
}

export function formatNumber(value: bigint, decimals: number, maxFraction = decimals): string {
  const negative = value < 0n;
  // Exact bigint arithmetic (no ethers formatUnits: its FixedNumber would ride along in the first page's script).
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  let whole = (abs / unit).toString();
  let fraction = decimals > 0 ? (abs % unit).toString().padStart(decimals, "0") : "";
  fraction = fraction.slice(0, maxFraction).replace(/0+$/, "");
  if (decimals <= 8 && fraction.length > 0 && fraction.length < 2) fraction = fraction.padEnd(2, "0");
  whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** 0x1234…abcd */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A duration in seconds as whole days, or days to two decimals ("2", "0.50"). */
export function formatDays(seconds: number): string {
  const days = seconds / DAY;
  return Number.isInteger(days) ? String(days) : days.toFixed(2);
}

export function formatDate(unixSeconds: bigint | number): string {
  return new Date(Number(unixSeconds) * 1000).toLocaleString(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

const KNOWN_CHAINS: Record<number, string> = {
  1: "Ethereum Mainnet",
  10: "OP Mainnet",
  137: "Polygon",
  8453: "Base",
  17000: "Holesky",
  42161: "Arbitrum One",
  31337: "Hardhat local",
  11155111: "Sepolia",
};

export function chainName(chainId: number, known: { chainId: number; chainName: string } | null = null): string {
  if (known && known.chainId === chainId) return known.chainName;
  return KNOWN_CHAINS[chainId] ?? `network ${chainId}`;
}

/** Variant labels that are sizes read as "Size M"; others ("Black / XL") stand alone. */
export function variantPhrase(label: string): string {
  return /^(X{0,3}S|M|X{0,4}L|\d{1,3}(\.\d)?)$/i.test(label.trim()) ? `Size ${label.trim()}` : label;
}
