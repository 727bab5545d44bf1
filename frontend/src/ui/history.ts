// What pages show while history is read from logs (client/log-scan.ts): a progress line fed by
// Chain.onHistoryProgress, and an error box that offers another network provider (pages/settings.ts) when the
// provider can't be reached or can't serve the history.
import type { App } from "../app.ts";
import type { FanError } from "../client/errors.ts";
import { routes } from "../urls.ts";
import { errorBox, spinner } from "./components.ts";
import { link } from "./dom.ts";

/** A spinner whose label reads "`label` 40%" while a scan runs; `stop` detaches it. */
export function historyProgress(app: App, label: string): { el: HTMLElement; stop: () => void } {
  const el = spinner(label);
  const text = el.lastChild;
  const stop = app.chain.onHistoryProgress((p) => {
    if (!text) return;
    text.textContent = p && p.total > 0 ? `${label} ${Math.floor((100 * p.done) / p.total)}%` : label;
  });
  return { el, stop };
}

/** errorBox, plus a link to choose another network provider when the failure is the provider's. */
export function historyErrorBox(error: FanError, onRetry?: () => void): HTMLElement {
  const box = errorBox({ ...error, retry: error.retry || error.kind === "unreachable" }, onRetry);
  if (error.kind === "unreachable") {
    box.append(link(routes.settings(), { class: "btn secondary rpc-choice" }, "Choose another network provider"));
  }
  return box;
}
