// A delivered ticket order's QR, for the fan's phone at the door: the order id signed by the buyer's wallet
// (client/tickets.ts, no gas), drawn as an SVG picture. The signature is kept on this device (it is the same every time:
// the wallet signs deterministically), so the QR shows again offline at the venue without a second prompt.
import encodeQR from "qr";
import type { App } from "../app.ts";
import type { OrderRecord } from "../client/orders.ts";
import { signTicket } from "../client/tickets.ts";
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
 * The ticket box of a delivered ticket order, for its buyer; null for anything else. `isTicket` says whether the
 * order holds a ticket (the order page knows its products).
 */
export function ticketQrBox(app: App, record: OrderRecord, isTicket: boolean): HTMLElement | null {
  const delivered = record.status === "Shipped" || record.status === "Completed";
  const isBuyer = app.account?.toLowerCase() === record.order.buyer.toLowerCase();
  if (!isTicket || !delivered || record.delivery === null || !isBuyer) return null;
  const box = h("section", { class: "ticket-box", attrs: { "aria-labelledby": "ticket-title" } });
  const status = h("div", { attrs: { "aria-live": "polite" } });
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
  if (kept) {
    show(kept);
    return box;
  }
  const sign = async () => {
    const wallet = app.wallet;
    if (!wallet?.account) return;
    try {
      const text = await signTicket(
        (typed) => wallet.signTypedData(typed),
        app.manifest.chainId,
        app.manifest.merchstand,
        record.id,
      );
      try {
        localStorage.setItem(storageKey(app, record.id), text);
      } catch {
        // Not kept: the next visit asks for the signature again.
      }
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
