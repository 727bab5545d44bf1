// Timed drops and pre-orders as a fan sees them: whether a product is open yet, how long until it opens or closes,
// and the ship-from date of a pre-order. Times are unix seconds of the chain's clock (what the contract compares
// with), never the browser's: a page keeps the offset between the two (`ChainClock`). No DOM here.

/**
 * A product's sale window and pre-order date (IMerchstand Drop); 0 means "none" (always open, never closes, ships
 * now). From `presaleAt` until `opensAt` only fans with a code bound to the product may buy.
 */
export type DropTimes = { presaleAt?: bigint; opensAt: bigint; closesAt: bigint; shipsFrom: bigint };

export type DropPhase =
  | { phase: "always" }
  | { phase: "upcoming"; opensAt: bigint; secondsLeft: number }
  | { phase: "presale"; opensAt: bigint; secondsLeft: number }
  | { phase: "open"; closesAt: bigint | null; secondsLeft: number | null }
  | { phase: "closed"; closedAt: bigint };

export const NO_DROP: DropTimes = { presaleAt: 0n, opensAt: 0n, closesAt: 0n, shipsFrom: 0n };

/** Where a drop stands at chain time `now`. */
export function dropPhase(times: DropTimes, now: bigint): DropPhase {
  const { opensAt, closesAt } = times;
  if (opensAt === 0n && closesAt === 0n) return { phase: "always" };
  const presaleAt = times.presaleAt ?? 0n;
  if (opensAt !== 0n && now < opensAt) {
    const secondsLeft = Number(opensAt - now);
    return presaleAt !== 0n && now >= presaleAt
      ? { phase: "presale", opensAt, secondsLeft }
      : { phase: "upcoming", opensAt, secondsLeft };
  }
  if (closesAt !== 0n && now >= closesAt) return { phase: "closed", closedAt: closesAt };
  return closesAt === 0n
    ? { phase: "open", closesAt: null, secondsLeft: null }
    : { phase: "open", closesAt, secondsLeft: Number(closesAt - now) };
}

/** True when a buy mined at `now` would pass the window check; in a presale, only with a code for the product. */
export function isOnSale(times: DropTimes, now: bigint, presaleCode = false): boolean {
  const p = dropPhase(times, now).phase;
  return p === "always" || p === "open" || (p === "presale" && presaleCode);
}

/** "2d 03h 04m 05s", "04m 05s", "5s": a countdown that never shows a negative or fractional figure. */
export function countdownText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  const secs = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (days > 0) return `${days}d ${pad(hours)}h ${pad(minutes)}m ${pad(secs)}s`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m ${pad(secs)}s`;
  if (minutes > 0) return `${minutes}m ${pad(secs)}s`;
  return `${secs}s`;
}

/** True when the product is a pre-order whose ship-from date is still ahead at `now`. */
export function isPreOrder(times: Pick<DropTimes, "shipsFrom">, now: bigint): boolean {
  return times.shipsFrom !== 0n && times.shipsFrom > now;
}

/** "Pre-order: ships from 12 Mar 2027": the same sentence on the product, cart, checkout and order pages. */
export function preOrderText(shipsFrom: bigint): string {
  return `Pre-order: ships from ${new Date(Number(shipsFrom) * 1000).toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
  })}`;
}

/**
 * The chain's clock seen from the browser: the browser's clock, moved forward by how far the latest block's timestamp
 * was ahead of it when read. A local chain whose time was moved forward (evm_increaseTime) runs ahead of the wall
 * clock; a block that is merely old (no transaction since) says nothing about the next one's time, which is why a
 * block behind the browser's clock moves nothing. `sync` on each new block keeps the countdown on the chain's time.
 */
export class ChainClock {
  private offset = 0;
  private readonly wall: () => number;

  constructor(wall: () => number = () => Date.now() / 1000) {
    this.wall = wall;
  }

  sync(blockTimestamp: bigint): void {
    this.offset = Math.max(0, Number(blockTimestamp) - this.wall());
  }

  now(): bigint {
    return BigInt(Math.floor(this.wall() + this.offset));
  }
}

/** A product's drop as the chain answers it (IMerchstand getDrop). */
export function toDropTimes(d: {
  presaleAt: number | bigint;
  opensAt: number | bigint;
  closesAt: number | bigint;
  shipsFrom: number | bigint;
}): DropTimes {
  return {
    presaleAt: BigInt(d.presaleAt),
    opensAt: BigInt(d.opensAt),
    closesAt: BigInt(d.closesAt),
    shipsFrom: BigInt(d.shipsFrom),
  };
}
