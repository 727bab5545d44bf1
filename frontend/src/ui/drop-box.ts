// The product page's drop status: a live countdown to opening ("Opens in 4m 05s"), "Closes in …" while open, the
// closed state, and a pre-order's ship-from date. It ticks every second on the chain's clock (client/drops.ts
// ChainClock, re-read on every block) and tells the page when the phase changes, so the Buy button opens with it.
import type { App } from "../app.ts";
import {
  ChainClock,
  countdownText,
  type DropTimes,
  dropPhase,
  isOnSale,
  NO_DROP,
  preOrderText,
  toDropTimes,
} from "../client/drops.ts";
import { formatDate } from "../client/format.ts";
import { h, replace } from "./dom.ts";
import "./drops.css";

export type DropBox = {
  el: HTMLElement;
  /** Whether a buy now would pass the contract's window check. */
  onSale(): boolean;
};

/**
 * The drop box of product `productId`; its drop is read from the chain (getDrop) with the block, on every block.
 * `presaleCode`: whether the fan holds a code bound to this product (a link brought one), which opens its presale.
 */
export function dropBox(
  app: App,
  productId: bigint,
  signal: AbortSignal,
  onPhaseChange: () => void,
  presaleCode: boolean,
): DropBox {
  const clock = new ChainClock();
  let drop: DropTimes = NO_DROP;
  // Until the drop is read, Buy stays shut: a product may not be on sale yet.
  let loaded = false;
  const times = () => drop;
  const el = h("div", { class: "drop-box" });
  // The countdown itself is not announced every second; the change of phase is.
  const timer = h("p", { class: "drop-timer", attrs: { role: "timer", "aria-live": "off" } });
  const announce = h("p", { class: "visually-hidden", attrs: { "aria-live": "polite" } });
  let lastPhase: string | null = null;

  const render = () => {
    const t = times();
    const now = clock.now();
    const phase = dropPhase(t, now);
    const preOrder = t.shipsFrom !== 0n ? h("p", { class: "pre-order", text: preOrderText(t.shipsFrom) }) : null;
    switch (phase.phase) {
      case "always":
        replace(timer);
        break;
      case "upcoming":
        replace(
          timer,
          h("strong", { class: "drop-countdown", text: `Opens in ${countdownText(phase.secondsLeft)}` }),
          h("span", { class: "muted small", text: ` · on sale from ${formatDate(phase.opensAt)}` }),
        );
        break;
      case "presale":
        replace(
          timer,
          h("strong", {
            class: "drop-countdown",
            text: `Presale: opens to everyone in ${countdownText(phase.secondsLeft)}`,
          }),
          h("span", {
            class: "muted small",
            text: presaleCode
              ? " · your code opens it to you now"
              : ` · until then, only fans with a presale code · on sale from ${formatDate(phase.opensAt)}`,
          }),
        );
        break;
      case "open":
        replace(
          timer,
          phase.closesAt === null || phase.secondsLeft === null
            ? null
            : h("strong", { class: "drop-countdown", text: `Closes in ${countdownText(phase.secondsLeft)}` }),
          phase.closesAt === null
            ? null
            : h("span", { class: "muted small", text: ` · on sale until ${formatDate(phase.closesAt)}` }),
        );
        break;
      case "closed":
        replace(
          timer,
          h("strong", { class: "drop-closed", text: `This drop closed on ${formatDate(phase.closedAt)}.` }),
        );
        break;
    }
    el.dataset.phase = phase.phase;
    replace(el, phase.phase === "always" ? null : timer, preOrder, announce);
    // A change while the page is shown (not the first read of the drop) is announced, and opens or shuts Buy.
    if (loaded && lastPhase !== null && lastPhase !== phase.phase) {
      announce.textContent =
        phase.phase === "open"
          ? "On sale now."
          : phase.phase === "closed"
            ? "This drop has closed."
            : phase.phase === "presale"
              ? "The presale has started."
              : "";
      onPhaseChange();
    }
    lastPhase = phase.phase;
  };

  const sync = async () => {
    try {
      const [time, read] = await Promise.all([app.chain.blockTimestamp(), app.chain.read("getDrop", [productId])]);
      clock.sync(time);
      drop = toDropTimes(read);
    } catch {
      // Unreachable network: the countdown keeps the last offset (the page's banner says the network is down);
      // the contract still refuses a buy outside the window.
    }
    if (signal.aborted) return;
    render();
    if (!loaded) {
      loaded = true;
      onPhaseChange();
    }
  };
  render();
  void sync();
  const interval = setInterval(render, 1_000);
  const unsubscribe = app.onBlock(() => void sync());
  signal.addEventListener("abort", () => {
    clearInterval(interval);
    unsubscribe();
  });
  return { el, onSale: () => loaded && isOnSale(times(), clock.now(), presaleCode) };
}
