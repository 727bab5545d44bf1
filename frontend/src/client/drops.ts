// Timed drops and pre-orders as a fan sees them: whether a product is open yet, how long until it opens or closes,
// and the ship-from date of a pre-order. Times are unix seconds of the chain's clock (what the contract compares
// with), never the browser's: a page keeps the offset between the two (`ChainClock`). No DOM here.

/** A product's sale window and pre-order date; 0 means "none" (always open, never closes, ships now). */
export type DropTimes = { opensAt: bigint; closesAt: bigint; shipsFrom: bigint };

export type DropPhase =
  | { phase: "always" }
  | { phase: "upcoming"; opensAt: bigint; secondsLeft: number }
  | { phase: "open"; closesAt: bigint | null; secondsLeft: number | null }
  | { phase: "closed"; closedAt: bigint };

export const NO_DROP: DropTimes = { opensAt: 0n, closesAt: 0n, shipsFrom: 0n };

/** Where a drop stands at chain time `now`. */
export function dropPhase(times: DropTimes, now: bigint): DropPhase {
  const { opensAt, closesAt } = times;
  if (opensAt === 0n && closesAt === 0n) return { phase: "always" };
  if (opensAt !== 0n && now < opensAt) return { phase: "upcoming", opensAt, secondsLeft: Number(opensAt - now) };
  if (closesAt !== 0n && now >= closesAt) return { phase: "closed", closedAt: closesAt };
  return closesAt === 0n
    ? { phase: "open", closesAt: null, secondsLeft: null }
    : { phase: "open", closesAt, secondsLeft: Number(closesAt - now) };
}

/** True when a buy mined at `now` would pass the window check. */
export function isOnSale(times: DropTimes, now: bigint): boolean {
  const p = dropPhase(times, now).phase;
  return p === "always" || p === "open";
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

/** The drop times of a product as the chain reads it (client/protocol.ts Product); a plain product has none. */
export function dropTimesOf(product: object): DropTimes {
  const p = product as Partial<Record<keyof DropTimes, bigint | number>>;
  return { opensAt: BigInt(p.opensAt ?? 0), closesAt: BigInt(p.closesAt ?? 0), shipsFrom: BigInt(p.shipsFrom ?? 0) };
}
