// The dollar figure beside a price or total ("≈ $41.20"): an empty span filled in when the page load's one read of
// the price feed answers (client/usd.ts UsdPrices), and left empty when there is nothing honest to show.
import type { App } from "../app.ts";
import type { Currency } from "../client/manifest.ts";
import { UsdPrices } from "../client/usd.ts";
import { h } from "./dom.ts";

const prices = new WeakMap<App, UsdPrices>();

/** The app's one reader of the manifest's feed (one read per page load). */
export function usdPrices(app: App): UsdPrices {
  let reader = prices.get(app);
  if (!reader) {
    reader = new UsdPrices(app.chain.rpc, app.manifest.usdFeed ?? null);
    prices.set(app, reader);
  }
  return reader;
}

/** A span that shows " ≈ $41.20" for `amount` once known; stays empty (and hidden) when no figure is honest. */
export function usdNote(app: App, amount: bigint, currency: Pick<Currency, "address" | "symbol" | "decimals">) {
  const el = h("span", { class: "usd-note", attrs: { hidden: true } });
  void usdPrices(app)
    .text(amount, currency)
    .then((text) => {
      // Settled either way, so a test (or a stylesheet) can tell "no figure" from "not read yet".
      el.dataset.usd = text ? "shown" : "none";
      if (!text) return;
      el.textContent = ` ${text}`;
      el.hidden = false;
      el.title = text.startsWith("≈")
        ? "In US dollars at the price on the network's ETH / USD price feed; the amount charged is in ETH."
        : "In US dollars: one token is one dollar.";
    })
    .catch(() => {
      el.dataset.usd = "none";
    });
  return el;
}
