// The frame of a store's dashboard page (./overview.ts, ./products.ts, ./sales.ts, ./zones.ts, ./codes.ts,
// ./managers.ts, ./reviews.ts, ./get-verified.ts): the store header with its tab, a body that `render` fills from
// the chain, an error box with Retry when a read fails, and a render again when the connected account changes (the
// staff role decides what the page lets you do) and, for live pages, on every new block.
//
// Renders overlap (a wallet connects while the first one still reads), so each one builds into a fresh element and
// only the latest one (ui/latest.ts) puts it in the page, header and body together: an older render that finishes
// last writes nothing the page shows. The swap keeps what the seller typed into the shown render
// (ui/kept-edits.ts); when a failed render left an error box in its place, or a render shown early was cut short
// (a second Retry, an account change) or failed too, the next render takes what was typed from the last render that
// completed.
import type { Page, PageContext } from "../../page.ts";
import { errorBox, spinner } from "../../ui/components.ts";
import { type Child, h, replace } from "../../ui/dom.ts";
import { swapKeepingEdits, trackEdits } from "../../ui/kept-edits.ts";
import { Latest } from "../../ui/latest.ts";
import { loadStoreForStaff, onAccountChange, type StaffContext, type StoreTab, storeHeader } from "./shared.ts";

export type StorePageOptions = {
  tab: StoreTab;
  /** The page's class, beside `seller-page`. */
  className: string;
  title: (staff: StaffContext) => string;
  loading: string;
  /**
   * Fills `body` for `staff` (read fresh before each render). `body` is a fresh element holding the spinner: the
   * page shows it at once when no render is shown yet, else once this render finishes, if no newer one started.
   * `reload` renders again (after a save) and resolves to the body then shown. `shown` is the body the seller sees
   * now (rows they added, tables they opened, boxes they opened), or the last completed render shown when an error
   * box or a render that never completed stands in its place; edited fields carry over by themselves. A page reading
   * `shown` for what to reopen reads it as its render ends, so what the seller opened meanwhile counts (./reviews.ts).
   */
  render: (
    staff: StaffContext,
    body: HTMLElement,
    reload: () => Promise<HTMLElement>,
    shown: HTMLElement,
  ) => Promise<void>;
  /** Render again on every new block. */
  live?: boolean;
};

export async function storePage(ctx: PageContext, options: StorePageOptions): Promise<Page> {
  const { app } = ctx;
  const first = await loadStoreForStaff(ctx);
  const root = h("div", { class: `seller-page ${options.className}` });
  const placeholder = (...children: Child[]): HTMLElement => h("div", null, ...children);
  // What the page shows under the header, and whether it is a render's body (not the spinner or an error box).
  let shown = placeholder(spinner(options.loading));
  let rendered = false;
  // Whether the render of the shown body completed (a render shown early, see `run`, is shown before it did).
  let shownComplete = false;
  // The body of the last render that completed and was shown (kept while an error box, or a render shown early that
  // never completed, stands in its place).
  let last: HTMLElement | null = null;
  replace(root, storeHeader(first, options.tab), shown);
  trackEdits(root);
  const renders = new Latest(ctx.signal);
  let settled: Promise<void> = Promise.resolve();
  // The first render uses the read the title needed.
  let fresh: StaffContext | null = first;

  const show = (staff: StaffContext, body: HTMLElement, complete: boolean) => {
    shown = body;
    rendered = true;
    shownComplete = complete;
    replace(root, storeHeader(staff, options.tab), body);
  };
  /** `body`'s render completed and the page shows it: it is what the next render carries edits from. */
  const completed = (body: HTMLElement) => {
    shownComplete = true;
    last = body;
  };
  const run = async (signal: AbortSignal): Promise<void> => {
    try {
      const staff = fresh ?? (await loadStoreForStaff(ctx));
      fresh = null;
      if (signal.aborted) return;
      // The spinner stays in `body` until the render writes; with no render shown yet, the page shows `body` at once
      // (a render that reports progress as it reads is seen doing so). Otherwise the shown render stays, usable,
      // until this one is complete.
      const body = placeholder(spinner(options.loading));
      const previous = rendered && shownComplete ? shown : (last ?? shown);
      const early = !rendered;
      if (early) show(staff, body, false);
      await options.render(staff, body, load, previous);
      if (signal.aborted) return;
      // Shown early (first render, or after an error box): what was typed into the last completed render moves into
      // this one now that it is complete.
      if (early) swapKeepingEdits(previous, body, () => {});
      else {
        // The shown body is a render shown early that never completed: the edits come from the last completed one
        // (the swap below still moves anything typed into the shown body, and the focus).
        if (previous !== shown) swapKeepingEdits(previous, body, () => {});
        swapKeepingEdits(shown, body, () => show(staff, body, true));
      }
      completed(body);
    } catch (error) {
      if (signal.aborted) return;
      const box = placeholder(errorBox(app.explain(error), () => void load()));
      shown.replaceWith(box);
      shown = box;
      rendered = false;
      shownComplete = false;
    }
  };
  /** Renders again; resolves once the page shows a render at least this recent (or its error). */
  const load = async (): Promise<HTMLElement> => {
    const mine = run(renders.start());
    settled = mine;
    let awaited = mine;
    await awaited;
    while (settled !== awaited) {
      awaited = settled;
      await awaited;
    }
    return shown;
  };

  void load();
  const unsubscribe = onAccountChange(ctx, () => void load());
  return {
    title: options.title(first),
    el: root,
    refresh: options.live ? () => void load() : undefined,
    dispose: () => {
      unsubscribe();
      renders.stop();
    },
  };
}
