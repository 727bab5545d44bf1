// What changed in a fan's orders, with no server: the status of each order as the fan last saw it is kept in this
// browser (localStorage, per chain, contract and account), "Your orders" marks what differs, and while the dapp is
// open a watcher polls the open orders' statuses and reports changes (ui/order-notices.ts). No DOM here.
import type { Chain } from "./chain.ts";
import { isOpen } from "./order-state.ts";
import { isDigitalOrder, loadBuyerOrders } from "./orders.ts";
import { ORDER_STATUS, type OrderStatus } from "./protocol.ts";

/** Order id (decimal) → status, as the fan last saw it. */
export type SeenStatuses = Map<string, OrderStatus>;

/** An order that is new or whose status differs from what the fan last saw. */
export type OrderChange = { id: bigint; from: OrderStatus | null; to: OrderStatus; digital?: boolean };

/** How many polls of OrderWatch between two full reads of an account's orders from logs. */
const RELOAD_EVERY = 10;

/** Most orders kept per account: beyond it the oldest entries are dropped (localStorage is small). */
const MAX_KEPT = 2_000;

/**
 * The changes between what was seen and now. A first visit (nothing kept) marks nothing: every order would
 * otherwise read as new.
 */
export function diffStatuses(
  seen: SeenStatuses | null,
  current: readonly { id: bigint; status: OrderStatus }[],
): Map<string, OrderChange> {
  const out = new Map<string, OrderChange>();
  if (seen === null) return out;
  for (const { id, status } of current) {
    const before = seen.get(id.toString()) ?? null;
    if (before !== status) out.set(id.toString(), { id, from: before, to: status });
  }
  return out;
}

function isStatus(value: unknown): value is OrderStatus {
  return typeof value === "string" && (ORDER_STATUS as readonly string[]).includes(value);
}

/** The statuses last seen, per account, in one storage entry per chain + contract + account. */
export class SeenOrders {
  private readonly storage: Pick<Storage, "getItem" | "setItem">;
  private readonly prefix: string;

  constructor(storage: Pick<Storage, "getItem" | "setItem">, chainId: number, contract: string) {
    this.storage = storage;
    this.prefix = `merchstand.seen.${chainId}.${contract.toLowerCase()}`;
  }

  private key(account: string): string {
    return `${this.prefix}.${account.toLowerCase()}`;
  }

  /** What the account last saw, or null on a first visit (or when the entry is unreadable). */
  load(account: string): SeenStatuses | null {
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.key(account));
    } catch {
      return null;
    }
    if (raw === null) return null;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
      const out: SeenStatuses = new Map();
      for (const [id, status] of Object.entries(parsed)) {
        if (/^\d{1,78}$/.test(id) && isStatus(status)) out.set(id, status);
      }
      return out;
    } catch {
      return null;
    }
  }

  /** Records `orders` (newest first) as seen now. A full or refused storage keeps the old entry. */
  save(account: string, orders: readonly { id: bigint; status: OrderStatus }[]): void {
    const entry: Record<string, OrderStatus> = {};
    for (const o of orders.slice(0, MAX_KEPT)) entry[o.id.toString()] = o.status;
    try {
      this.storage.setItem(this.key(account), JSON.stringify(entry));
    } catch {
      // Private mode or a full storage: marks fall back to "nothing changed" next time.
    }
  }
}

type WatchChain = Pick<Chain, "orderStatus"> & Parameters<typeof loadBuyerOrders>[0];

/**
 * While the dapp is open: the statuses of one account's orders, polled at most every `minIntervalMs`. The first
 * poll for an account reads its orders from logs (the log cache makes that cheap on a return visit); later polls ask
 * only each open order's status (one `eth_call` each), since only open orders can still change.
 */
export class OrderWatch {
  private readonly chain: WatchChain;
  private readonly deploymentBlock: number;
  private readonly minIntervalMs: number;
  private readonly clock: () => number;
  private account: string | null = null;
  private statuses = new Map<bigint, OrderStatus>();
  private readonly digital = new Set<bigint>();
  private lastPoll = -Infinity;
  private polls = 0;
  private running = false;

  constructor(chain: WatchChain, deploymentBlock: number, options: { minIntervalMs?: number; clock?: () => number }) {
    this.chain = chain;
    this.deploymentBlock = deploymentBlock;
    this.minIntervalMs = options.minIntervalMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Orders this tab knows the fan placed (e.g. just now at checkout), so their later changes are reported too. */
  track(id: bigint, status: OrderStatus): void {
    if (!this.statuses.has(id)) this.statuses.set(id, status);
  }

  /** Milliseconds until a poll would run (0: now); a caller that was told "too soon" tries again then. */
  nextPollIn(): number {
    return Math.max(0, this.lastPoll + this.minIntervalMs - this.clock());
  }

  /** The changes since the last poll for `account` (none on its first poll, or when polled too soon). */
  async poll(account: string | null): Promise<OrderChange[]> {
    if (account?.toLowerCase() !== this.account?.toLowerCase()) {
      this.account = account;
      this.statuses = new Map();
      this.lastPoll = -Infinity;
      this.polls = 0;
    }
    if (!account || this.running) return [];
    const now = this.clock();
    if (now - this.lastPoll < this.minIntervalMs) return [];
    this.lastPoll = now;
    this.running = true;
    try {
      // Every RELOAD_EVERY polls (and the first), the orders are read from logs again to learn of orders placed
      // meanwhile (in another tab or device); a status they bring is compared like any other.
      if (this.polls++ % RELOAD_EVERY === 0) {
        const first = this.polls === 1;
        const orders = await loadBuyerOrders(this.chain, account, this.deploymentBlock);
        if (this.account !== account) return [];
        const changes: OrderChange[] = [];
        for (const o of orders) {
          const before = this.statuses.get(o.id);
          if (isDigitalOrder(o)) this.digital.add(o.id);
          if (!first && before !== undefined && before !== o.status) {
            changes.push({ id: o.id, from: before, to: o.status, digital: this.digital.has(o.id) });
          }
          this.statuses.set(o.id, o.status);
        }
        return changes;
      }
      const open = [...this.statuses].filter(([, status]) => isOpen(status));
      const fresh = await Promise.all(
        open.map(async ([id, before]) => ({ id, before, after: ORDER_STATUS[await this.chain.orderStatus(id)] })),
      );
      if (this.account !== account) return [];
      const changes: OrderChange[] = [];
      for (const { id, before, after } of fresh) {
        if (!after || after === "None" || after === before) continue;
        this.statuses.set(id, after);
        changes.push({ id, from: before, to: after, digital: this.digital.has(id) });
      }
      return changes;
    } finally {
      this.running = false;
    }
  }
}
