// The product page's drop status: a live countdown to opening ("Opens in 4m 05s"), "Closes in …" while open, the
// closed state, and a pre-order's ship-from date. It ticks every second on the chain's clock (client/drops.ts
// ChainClock, re-read on every block) and tells the page when the phase changes, so the Buy button opens with it.
import type { App } from "../app.ts";
import { ChainClock, countdownText, type DropTimes, dropPhase, isOnSale, preOrderText } from "../client/drops.ts";
import { formatDate } from "../client/format.ts";
import { h, replace } from "./dom.ts";
import "./drops.css";

export type DropBox = {
  el: HTMLElement;
  /** Whether a buy now would pass the contract's window check. */
  onSale(): boolean;
};

export function dropBox(app: App, times: () => DropTimes, signal: AbortSignal, onPhaseChange: () => void): DropBox {
  const clock = new ChainClock();
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
    if (lastPhase !== null && lastPhase !== phase.phase) {
      announce.textContent =
        phase.phase === "open" ? "On sale now." : phase.phase === "closed" ? "This drop has closed." : "";
      onPhaseChange();
    }
    lastPhase = phase.phase;
  };

  const sync = async () => {
    try {
      clock.sync(await app.chain.blockTimestamp());
    } catch {
      // Unreachable network: the countdown keeps the last offset (the page's banner says the network is down).
    }
    if (!signal.aborted) render();
  };
  render();
  void sync();
  const interval = setInterval(render, 1_000);
  const unsubscribe = app.onBlock(() => void sync());
  signal.addEventListener("abort", () => {
    clearInterval(interval);
    unsubscribe();
  });
  return { el, onSale: () => isOnSale(times(), clock.now()) };
}
