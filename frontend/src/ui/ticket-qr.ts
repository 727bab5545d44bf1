// A delivered ticket order's QR, for the fan's phone at the door: the order id signed by the buyer's wallet
// (client/tickets.ts, no gas) with the block the order was placed in, drawn as an SVG picture. The signature is kept on
// this device (it is the same every time: the wallet signs deterministically), so the QR shows again offline at the
// venue without a second prompt; a kept version 1 text comes back as version 2 with the same signature. An order whose
// ticket is not its first line can't be checked in (client/door.ts ticketPlacement): the box says so instead.
import encodeQR from "qr";
import type { App } from "../app.ts";
import { ticketPlacement } from "../client/door.ts";
import type { OrderRecord } from "../client/orders.ts";
import { renewTicketText, signTicket } from "../client/tickets.ts";
import { button, h, replace } from "./dom.ts";
import "./drops.css";

/**
 * The QR of `text` as a picture: the `qr` package's SVG output as a data: URL in an <img>, so no markup is parsed into
 * the page (the page holds no <svg> element, ui/styles.css .icon) and the picture can't run anything.
 */
export function qrImage(text: string, label: string): HTMLImageElement {
  const svg = encodeQR(text, "svg", { ecc: "medium", border: 4, scale: 8 });
  const img = h("img", { class: "ticket-qr", attrs: { alt: label, width: 320, height: 320 } });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return img;
}

function storageKey(app: App, orderId: bigint): string {
  return `merchstand.ticket.${app.manifest.chainId}.${app.manifest.merchstand.toLowerCase()}.${orderId}`;
}

/**
 * The ticket box of an order holding a ticket, for its buyer; null for anything else. Delivered with the ticket as its
 * first line: the QR. With the ticket on a later line (orders placed before the checkout put tickets first): a sentence
 * that the door can't check it in, while the order is not refunded or cancelled. `categoryOf`: each product's category
 * (the order page knows its products).
 */
export function ticketQrBox(
  app: App,
  record: OrderRecord,
  categoryOf: (productId: bigint) => number | undefined,
): HTMLElement | null {
  const placement = ticketPlacement(record.order.lines, categoryOf);
  const isBuyer = app.account?.toLowerCase() === record.order.buyer.toLowerCase();
  if (placement === "none" || !isBuyer) return null;
  if (placement === "later") {
    if (record.status === "Refunded" || record.status === "Cancelled") return null;
    return h(
      "section",
      { class: "ticket-box", attrs: { "aria-labelledby": "ticket-title" } },
      h("h2", { attrs: { id: "ticket-title" }, text: "Your ticket" }),
      h("p", {
        class: "notice danger",
        text: "The door can't check this order in: its ticket isn't the first item of the order, and the chain checks in only an order whose first item is a ticket. Contact the store, or ask it for a refund.",
      }),
    );
  }
  const delivered = record.status === "Shipped" || record.status === "Completed";
  if (!delivered || record.delivery === null) return null;
  const expected = { chainId: app.manifest.chainId, contract: app.manifest.merchstand };
  const placedBlock = record.timeline[0]?.blockNumber || null;
  const box = h("section", { class: "ticket-box", attrs: { "aria-labelledby": "ticket-title" } });
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const keep = (text: string) => {
    try {
      localStorage.setItem(storageKey(app, record.id), text);
    } catch {
      // Not kept: the next visit asks for the signature again.
    }
  };
  const show = (text: string) =>
    replace(
      box,
      h("h2", { attrs: { id: "ticket-title" }, text: "Your ticket" }),
      h("p", {
        text: "Show this code at the door. It is checked in once: whoever shows it first gets in, so don't share it.",
      }),
      h("figure", { class: "ticket-qr-wrap" }, qrImage(text, `Ticket QR code for order ${record.id}`)),
      h("details", null, h("summary", { text: "Ticket text" }), h("code", { class: "ticket-text", text })),
    );
  const kept = localStorage.getItem(storageKey(app, record.id));
  const renewed = kept ? renewTicketText(kept, expected, record.id, placedBlock) : null;
  if (renewed) {
    if (renewed !== kept) keep(renewed);
    show(renewed);
    return box;
  }
  const sign = async () => {
    const wallet = app.wallet;
    if (!wallet?.account) return;
    try {
      const text = await signTicket(
        (typed) => wallet.signTypedData(typed),
        expected.chainId,
        expected.contract,
        record.id,
        placedBlock,
      );
      keep(text);
      show(text);
    } catch (error) {
      const fan = app.explain(error);
      replace(
        status,
        h("p", {
          class: "notice danger",
          attrs: { role: "alert" },
          text:
            fan.kind === "rejected"
              ? "You cancelled the signature, so no ticket code was made. Nothing was charged."
              : fan.message,
        }),
      );
    }
  };
  replace(
    box,
    h("h2", { attrs: { id: "ticket-title" }, text: "Your ticket" }),
    h("p", {
      text: "Sign with your wallet (no gas) to make the QR code you show at the door. It proves the ticket is yours.",
    }),
    button("Show my ticket QR", () => void sign(), { class: "btn show-ticket" }),
    status,
  );
  return box;
}
