// The way to the door page (pages/door.ts) from the dashboard, for a store that sells tickets: a section on the
// store's overview (./overview.ts) once its products are read, and the same link in a ticket's product editor
// (./product-editor.ts). A store with no ticket gets nothing.
import type { App } from "../../app.ts";
import { loadStoreProducts } from "../../client/catalog.ts";
import { TICKET_CATEGORY } from "../../client/protocol.ts";
import { h, link, replace } from "../../ui/dom.ts";
import { routes } from "../../urls.ts";

const DOOR_SENTENCE =
  "On the night, open it on a phone or laptop at the door: it scans each fan's ticket QR with the camera, checks it on chain and lets each ticket in once, across every door device.";

/** The link itself, with what the door page does. */
export function doorLink(storeId: bigint): HTMLElement {
  return h(
    "div",
    { class: "door-link" },
    link(routes.door(storeId), { class: "btn secondary" }, "Open the door page"),
    h("p", { class: "muted small", text: DOOR_SENTENCE }),
  );
}

/** The overview's "Event door" section, filled in when one of the store's products is a ticket. */
export function doorSection(app: App, storeId: bigint, signal: AbortSignal): HTMLElement {
  const el = h("div");
  void loadStoreProducts(app.chain, storeId)
    .then((products) => {
      if (signal.aborted || !products.some((p) => p.category === TICKET_CATEGORY)) return;
      replace(
        el,
        h(
          "section",
          { class: "section door-section", attrs: { "aria-labelledby": "door-title" } },
          h("h2", { attrs: { id: "door-title" }, text: "Event door" }),
          doorLink(storeId),
        ),
      );
    })
    .catch(() => {
      // The overview's own reads show the network error; the link comes back with the next render.
    });
  return el;
}
