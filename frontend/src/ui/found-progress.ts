// The progress of a history read that shows its results as they are found (client/orders.ts `onPartial`): the
// scan's spinner (ui/history.ts historyProgress, "Loading orders… 40%") and a count of what was found so far
// ("Found 40 orders so far…"), so a long read on a capped provider is visibly moving before its first percent.
import type { App } from "../app.ts";
import { h } from "./dom.ts";
import { historyProgress } from "./history.ts";

export type FoundProgress = {
  el: HTMLElement;
  /** Says how many were found so far (nothing while none was). */
  found(count: number): void;
  /** Detaches the spinner from the scan's progress. */
  stop(): void;
};

/** `label` for the spinner; `noun` and `plural` name what is counted ("order", "orders"). */
export function foundProgress(app: App, label: string, noun: string, plural = `${noun}s`): FoundProgress {
  const spinner = historyProgress(app, label);
  const count = h("p", { class: "muted small found-so-far", attrs: { hidden: true } });
  return {
    el: h("div", { class: "found-progress", attrs: { "aria-live": "polite" } }, spinner.el, count),
    found(n) {
      count.hidden = n === 0;
      count.textContent = n === 0 ? "" : `Found ${n.toLocaleString("en")} ${n === 1 ? noun : plural} so far…`;
    },
    stop: spinner.stop,
  };
}
