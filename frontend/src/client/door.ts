// What the door page (pages/door.ts) decides about a scanned ticket before it asks the chain to check it in: the live
// code is signed by the ticket's device key for the door's current step, the key is bound by the order's buyer, and
// the order is this store's, a ticket on its first line, delivered, and not refunded, cancelled or ruled void.
// Also the door device's own log of check-ins, so a second scan on this device is answered even offline.
// No DOM here.
import type { Chain } from "./chain.ts";
import { loadOrder, type OrderRecord, rulingState } from "./orders.ts";
import { TICKET_CATEGORY } from "./protocol.ts";
import { codeSigner, TICKET_STEP_TOLERANCE, type TicketPass, ticketStep } from "./tickets.ts";

export type Verdict = { ok: true } | { ok: false; message: string };
/** `stale`: a genuine code of another time (the staff ask for the live one), not a forged one. */
export type CodeVerdict = { ok: true } | { ok: false; stale: boolean; message: string };

/**
 * Where an order's ticket is: "first" when its first line is a ticket, the only order checkIn accepts (it reads the
 * first line's product, NotATicket otherwise); "later" when a ticket sits on another line only (the checkout puts
 * tickets first, client/checkout.ts buildCartOrders, but orders placed before it may not); "none" without a ticket.
 */
export function ticketPlacement(
  lines: readonly { productId: bigint }[],
  categoryOf: (productId: bigint) => number | undefined,
): "first" | "later" | "none" {
  const [first] = lines;
  if (first !== undefined && categoryOf(first.productId) === TICKET_CATEGORY) return "first";
  return lines.some((line) => categoryOf(line.productId) === TICKET_CATEGORY) ? "later" : "none";
}

/**
 * What the order page offers the buyer of `record` for the door: "qr" exactly when the door's own verdict on the
 * buyer's ticket would let it in (ticketVerdict: delivered or shipped, completed, or ruled with the store keeping
 * something); "later" for a ticket on a later line of an order still standing (not refunded, cancelled, or ruled
 * wholly back to the buyer), which checkIn can't take; "none" otherwise.
 */
export function ticketOffer(
  record: OrderRecord,
  categoryOf: (productId: bigint) => number | undefined,
): "qr" | "later" | "none" {
  const placement = ticketPlacement(record.order.lines, categoryOf);
  if (placement === "first") {
    return ticketVerdict(record, record.order.buyer, record.order.storeId, categoryOf).ok ? "qr" : "none";
  }
  if (placement === "none" || record.status === "Refunded" || record.status === "Cancelled") return "none";
  return record.status === "Resolved" && rulingState(record).keptNothing ? "none" : "later";
}

/** Said of a code older than the door's step allows. */
export const EXPIRED_CODE =
  "This ticket code has expired: ask the fan to show the live code on their order page. If it keeps expiring, the phone's clock may be wrong.";
/** Said of a code for a step after the door's own. */
export const EARLY_CODE =
  "This ticket code is dated ahead of this door's clock: ask the fan to show the live code on their order page. If it happens again, the phone's clock (or this device's) may be wrong.";

/**
 * Whether a ticket's live code holds at the door's time `nowMs` (Date.now()), before any chain read: its code is
 * signed by the device key the ticket names, for a step within TICKET_STEP_TOLERANCE of the door's own (clock skew),
 * so a screenshot or a copied text stops working within about 2½ minutes of being shown. The key's binding to the
 * buyer is ticketVerdict's (it needs the order).
 */
export function ticketCodeVerdict(pass: TicketPass, nowMs: number): CodeVerdict {
  if (codeSigner(pass)?.toLowerCase() !== pass.key.toLowerCase()) {
    return { ok: false, stale: false, message: "This ticket code wasn't made by the fan's ticket. Don't let it in." };
  }
  const drift = pass.step - ticketStep(nowMs);
  if (drift < -TICKET_STEP_TOLERANCE) return { ok: false, stale: true, message: EXPIRED_CODE };
  if (drift > TICKET_STEP_TOLERANCE) return { ok: false, stale: true, message: EARLY_CODE };
  return { ok: true };
}

/**
 * The order a scanned ticket names, rebuilt from the chain: the ticket names the block it was placed in, so one
 * `eth_getLogs` of that block finds it (client/placed.ts findPlaced); a ticket without it, or a block that doesn't
 * hold it, is found by a scan from the deployment, and `onScan` hears when that starts.
 */
export function loadTicketOrder(
  chain: Chain,
  pass: Pick<TicketPass, "orderId" | "placedBlock">,
  deploymentBlock: number,
  onScan?: (hintMissed: boolean) => void,
): Promise<OrderRecord | null> {
  return loadOrder(chain, pass.orderId, deploymentBlock, { block: pass.placedBlock, onScan });
}

/**
 * Whether `record` (rebuilt from the chain) is a ticket `signer` (the wallet that bound the ticket's device key,
 * client/tickets.ts ticketSigner) may walk in with at `storeId`'s door. The chain's check-in (checkIn) has the last
 * word; this gives the staff a reason in words first.
 */
export function ticketVerdict(
  record: OrderRecord,
  signer: string | null,
  storeId: bigint,
  categoryOf: (productId: bigint) => number | undefined,
): Verdict {
  if (!signer || signer.toLowerCase() !== record.order.buyer.toLowerCase()) {
    return { ok: false, message: "This ticket wasn't signed by the fan who bought it. Don't let it in." };
  }
  if (record.order.storeId !== storeId) {
    return { ok: false, message: `This ticket is for another store's event (store ${record.order.storeId}).` };
  }
  // checkIn reads the order's first product only (NotATicket otherwise), so a ticket on a later line can't be
  // checked in on chain: the staff are told that, not that there is no ticket.
  const placement = ticketPlacement(record.order.lines, categoryOf);
  if (placement !== "first") {
    return {
      ok: false,
      message:
        placement === "later"
          ? "This order has a ticket, but not as its first item, and the chain checks in only an order whose first item is a ticket: it can't be checked in here."
          : "This order holds no ticket.",
    };
  }
  switch (record.status) {
    case "Paid":
      return { ok: false, message: "This ticket hasn't been delivered yet: the store must deliver it first." };
    case "Refunded":
    case "Cancelled":
      return { ok: false, message: `This order was ${record.status.toLowerCase()}: the ticket is void.` };
    case "Disputed":
      return { ok: false, message: "This order is in dispute: the ticket can't be used until it is settled." };
    case "Resolved":
      // checkIn refuses a ruling that left the store nothing (the whole price went back to the buyer).
      return rulingState(record).keptNothing
        ? {
            ok: false,
            message: "The dispute over this order gave the whole price back to the buyer: the ticket is void.",
          }
        : { ok: true };
    default:
      return { ok: true };
  }
}

/** This door device's check-ins (order id → unix seconds), kept in localStorage per deployment and store. */
export class DeviceCheckIns {
  private readonly key: string;
  private readonly storage: Storage;

  constructor(storage: Storage, chainId: number, contract: string, storeId: bigint) {
    this.storage = storage;
    this.key = `merchstand.door.${chainId}.${contract.toLowerCase()}.${storeId}`;
  }

  private all(): Record<string, number> {
    try {
      const value = JSON.parse(this.storage.getItem(this.key) ?? "{}") as unknown;
      return typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, number>)
        : {};
    } catch {
      return {};
    }
  }

  get(orderId: bigint): number | null {
    const at = this.all()[orderId.toString()];
    return typeof at === "number" && Number.isFinite(at) ? at : null;
  }

  /** Keeps the first time only. */
  save(orderId: bigint, at: number): void {
    const all = this.all();
    if (all[orderId.toString()] !== undefined) return;
    all[orderId.toString()] = at;
    try {
      this.storage.setItem(this.key, JSON.stringify(all));
    } catch {
      // A full or blocked storage loses only this device's note; the chain keeps the check-in.
    }
  }
}
