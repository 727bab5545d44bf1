// What a store's terms mean for a fan, in sentences that match the contract: who settles a dispute (and whether
// that is the store itself), how long the store has to ship or deliver, and when the escrow is released
// (contracts/interfaces/IMerchstand.sol: markShipped, deliver, cancel, complete, dispute, resolveExpiredDispute).
import type { Chain } from "./chain.ts";
import { formatDays, shortAddress } from "./format.ts";
import type { Store, StoreTerms } from "./protocol.ts";

type ArbiterOf = Pick<Store, "id" | "owner" | "payout" | "terms">;

/**
 * The part of `arbiterIsStore` the store's record answers alone: the arbiter is its owner or its payout wallet. A
 * `true` here is final; a `false` still needs the managers checked.
 */
export function arbiterIsStoreWallet(store: Omit<ArbiterOf, "id">): boolean {
  const arbiter = store.terms.arbiter.toLowerCase();
  return arbiter === store.owner.toLowerCase() || arbiter === store.payout.toLowerCase();
}

/**
 * The one rule for "the arbiter is the store itself", used by the checkout's terms and the store and product pages'
 * note (ui/components.ts selfArbitrated): the arbiter is one of the store's own wallets, its owner, its payout
 * wallet or any of its managers (`isStoreStaff`). Such a store may rule on its own disputes; fans are told.
 */
export async function arbiterIsStore(chain: Pick<Chain, "read">, store: ArbiterOf): Promise<boolean> {
  if (arbiterIsStoreWallet(store)) return true;
  if (/^0x0{40}$/i.test(store.terms.arbiter)) return false;
  return chain.read("isStoreStaff", [store.id, store.terms.arbiter]);
}

function days(seconds: number): string {
  const d = formatDays(seconds);
  return `${d} day${d === "1" ? "" : "s"}`;
}

/**
 * The terms a fan is shown before paying a store. `digital` / `physical`: what this store's part of the cart holds.
 * `arbiterWindow` is ARBITER_WINDOW in seconds.
 */
export function termsSentences(
  terms: StoreTerms,
  options: { storeIsArbiter: boolean; digital: boolean; physical: boolean; arbiterWindow: number },
): string[] {
  const out: string[] = [];
  const ship = days(terms.shipWindow);
  const delivery = days(terms.deliveryWindow);
  if (options.physical) {
    out.push(`The band has ${ship} to ship. If it hasn't shipped by then, you can cancel for a full refund.`);
  }
  if (options.digital) {
    out.push(
      `Digital items are delivered encrypted to a key only your wallet can open. If they aren't delivered within ${ship}, you can cancel for a full refund.`,
    );
  }
  out.push(
    `Your payment stays in escrow until you confirm you received your order, or until anyone (you too) releases it ${delivery} after it ${options.physical ? "ships" : "is delivered"}; only then is the band paid. Once it has ${options.physical ? "shipped" : "been delivered"}, you can open a dispute until then.`,
  );
  out.push(
    options.storeIsArbiter
      ? `Disputes are decided by the store itself (${shortAddress(terms.arbiter)}), not by an independent arbiter. If it hasn't ruled after ${days(options.arbiterWindow)}, you (or anyone) can settle the dispute in your favour: the whole payment is sent back to you. Until someone does, it can still rule.`
      : `Disputes are decided by the arbiter ${shortAddress(terms.arbiter)}. If the arbiter hasn't ruled after ${days(options.arbiterWindow)}, you (or anyone) can settle the dispute in your favour: the whole payment is sent back to you. Until someone does, the arbiter can still rule.`,
  );
  return out;
}
