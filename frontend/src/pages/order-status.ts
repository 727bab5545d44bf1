// Words for order states and timeline steps, shared by the orders list and the order page.

import type { TimelineEvent } from "../client/orders.ts";
import type { OrderStatus } from "../client/protocol.ts";

/** `digital`: a digital order is delivered (encrypted to the buyer's key), not shipped. */
export function statusLabel(status: OrderStatus, digital = false): string {
  switch (status) {
    case "Paid":
      return digital ? "Paid · awaiting delivery" : "Paid · awaiting shipment";
    case "Shipped":
      return digital ? "Delivered" : "Shipped";
    case "Completed":
      return "Completed";
    case "Refunded":
      return "Refunded";
    case "Cancelled":
      return "Cancelled";
    case "Disputed":
      return "In dispute";
    case "Resolved":
      return "Dispute settled";
    default:
      return status;
  }
}

export function stepLabel(kind: TimelineEvent["kind"]): string {
  switch (kind) {
    case "placed":
      return "Paid into escrow";
    case "shipped":
      return "Shipped";
    case "delivered":
      return "Delivered to you, encrypted to your key";
    case "completed":
      return "Completed · payment released to the band";
    case "partially-refunded":
      return "Partly refunded";
    case "refunded":
      return "Refunded";
    case "cancelled":
      return "Cancelled · refunded";
    case "disputed":
      return "Dispute opened";
    case "resolved":
      return "Dispute settled";
  }
}
