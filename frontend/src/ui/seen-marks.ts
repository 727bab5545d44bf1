// "Your orders" marks what changed since the fan's last visit (client/seen.ts): the statuses kept at the last visit
// are the baseline for the whole visit, and what is shown now is kept for the next one.
import type { App } from "../app.ts";
import { deviceStorage } from "../client/checkout-draft.ts";
import { diffStatuses, type OrderChange, SeenOrders, type SeenStatuses } from "../client/seen.ts";
import { statusLabel } from "../pages/order-status.ts";
import { h } from "./dom.ts";

/** A function that answers the changes of `orders` since the last visit, and records them as seen. */
export function seenTracker(app: App) {
  const storage = deviceStorage();
  const seen = storage ? new SeenOrders(storage, app.manifest.chainId, app.manifest.merchstand) : null;
  let baseline: { account: string; statuses: SeenStatuses | null } | null = null;
  return (account: string, orders: readonly { id: bigint; status: OrderChange["to"] }[]) => {
    if (!seen) return new Map<string, OrderChange>();
    if (baseline?.account !== account) baseline = { account, statuses: seen.load(account) };
    const changes = diffStatuses(baseline.statuses, orders);
    seen.save(account, orders);
    return changes;
  };
}

/** "New" or "Updated · was Paid · awaiting shipment", or null when the order is as the fan last saw it. */
export function changedMark(change: OrderChange | undefined, digital: boolean): HTMLElement | null {
  if (!change) return null;
  return h("span", {
    class: "changed-mark",
    text: change.from === null ? "New since your last visit" : `Updated · was ${statusLabel(change.from, digital)}`,
  });
}
