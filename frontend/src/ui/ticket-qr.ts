// A delivered ticket order's live QR, for the fan's phone at the door (client/tickets.ts, docs/FORMATS.md "Ticket
// QR"): the buyer's wallet binds a key made on this phone to the order once (no gas), then that key signs the current
// 30-second step with no prompt, so the QR changes every 30 seconds and a screenshot stops working at the door
// within about 2½ minutes (the door accepts its own step ±2). The binding is kept on this device, so the QR shows
// again offline at the venue without a second prompt; an old static ticket kept here (versions 1 and 2) is not
// reused. An order whose ticket is not its first line can't be checked in (client/door.ts ticketOffer): the box says
// so instead.
import encodeQR from "qr";
import type { App } from "../app.ts";
import { ticketOffer } from "../client/door.ts";
import type { OrderRecord } from "../client/orders.ts";
import {
  bindTicketKey,
  liveTicketText,
  readBinding,
  TICKET_STEP_SECONDS,
  type TicketBinding,
  ticketStep,
} from "../client/tickets.ts";
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

/** The stop of each order's live code now drawing (ticketQrBox), by storage key. */
const running = new Map<string, () => void>();

function storageKey(app: App, orderId: bigint): string {
  return `merchstand.ticket.${app.manifest.chainId}.${app.manifest.merchstand.toLowerCase()}.${orderId}`;
}

/**
 * The ticket box of an order holding a ticket, for its buyer; null for anything else. The QR exactly when the door
 * would let the ticket in (client/door.ts ticketOffer). With the ticket on a later line (orders placed before the
 * checkout put tickets first): a sentence that the door can't check it in, while the order still stands.
 * `categoryOf`: each product's category (the order page knows its products). `signal`: the page's navigation; the
 * live code stops redrawing when it aborts.
 */
export function ticketQrBox(
  app: App,
  record: OrderRecord,
  categoryOf: (productId: bigint) => number | undefined,
  signal: AbortSignal,
): HTMLElement | null {
  const offer = ticketOffer(record, categoryOf);
  const isBuyer = app.account?.toLowerCase() === record.order.buyer.toLowerCase();
  if (offer === "none" || !isBuyer) return null;
  if (offer === "later") {
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
  const deployment = { chainId: app.manifest.chainId, contract: app.manifest.merchstand };
  const placedBlock = record.timeline[0]?.blockNumber || null;
  const box = h("section", { class: "ticket-box", attrs: { "aria-labelledby": "ticket-title" } });
  const status = h("div", { attrs: { "aria-live": "polite" } });

  /** Draws the code of the current step, and again at each step (a countdown each second) until the page is left. */
  const showLive = (binding: TicketBinding) => {
    const figure = h("figure", { class: "ticket-qr-wrap" });
    const countdown = h("p", { class: "ticket-countdown muted" });
    const code = h("code", { class: "ticket-text" });
    replace(
      box,
      h("h2", { attrs: { id: "ticket-title" }, text: "Your ticket" }),
      h("p", {
        text: "Show this code at the door. Live code: it changes every 30 seconds, so a screenshot stops working within a couple of minutes. It is checked in once.",
      }),
      figure,
      countdown,
      h("details", null, h("summary", { text: "Ticket text" }), code),
    );
    let drawn = -1;
    let shown = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One live code per order at a time: the order page draws a new box on every re-render (pages/order.ts), so the
    // box it replaces stops here, timer and listener, and its QR pictures can be freed.
    const key = storageKey(app, record.id);
    const stop = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
      if (running.get(key) === stop) running.delete(key);
    };
    running.get(key)?.();
    running.set(key, stop);
    const tick = () => {
      if (shown && !box.isConnected) return stop();
      shown ||= box.isConnected;
      const now = Date.now();
      const step = ticketStep(now);
      if (step !== drawn) {
        drawn = step;
        const text = liveTicketText(binding, deployment, record.id, placedBlock, step);
        figure.replaceChildren(qrImage(text, `Live ticket QR code for order ${record.id}`));
        code.textContent = text;
      }
      const left = Math.ceil(((step + 1) * TICKET_STEP_SECONDS * 1000 - now) / 1000);
      countdown.textContent = `Changes in ${left} s`;
      // Next at the next whole second of the clock, where the countdown (and, every 30 s, the step) moves.
      timer = setTimeout(tick, 1000 - (now % 1000));
    };
    signal.addEventListener("abort", stop, { once: true });
    if (signal.aborted) stop();
    else tick();
  };

  const kept = readBinding(localStorage.getItem(storageKey(app, record.id)), deployment, record.id, record.order.buyer);
  if (kept) {
    showLive(kept);
    return box;
  }
  const bind = async () => {
    const wallet = app.wallet;
    if (!wallet?.account) return;
    try {
      const binding = await bindTicketKey(
        (typed) => wallet.signTypedData(typed),
        deployment.chainId,
        deployment.contract,
        record.id,
      );
      try {
        localStorage.setItem(storageKey(app, record.id), JSON.stringify(binding));
      } catch {
        // Not kept: the next visit asks for the signature again.
      }
      // A box the page replaced during the wallet prompt draws nothing: the page's next render reads the kept binding.
      if (box.isConnected) showLive(binding);
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
      text: "Sign with your wallet (no gas) to make the live QR code you show at the door on this phone. It proves the ticket is yours.",
    }),
    button("Show my ticket QR", () => void bind(), { class: "btn show-ticket" }),
    status,
  );
  return box;
}
