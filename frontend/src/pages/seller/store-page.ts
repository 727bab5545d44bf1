// The frame of a store's dashboard page (./overview.ts, ./sales.ts, ./zones.ts, ./codes.ts): the store header with
// its tab, a body that `render` fills from the chain, an error box with Retry when a read fails, and a render again
// when the connected account changes (the staff role decides what the page lets you do) and, for live pages, on
// every new block.
//
// Renders overlap (a wallet connects while the first one still reads), so each one builds into a fresh element and
// only the latest one (ui/latest.ts) puts it in the page, header and body together: an older render that finishes
// last writes nothing. The swap keeps what the seller typed into the shown render (ui/kept-edits.ts).
import type { Page, PageContext } from "../../page.ts";
import { errorBox, spinner } from "../../ui/components.ts";
import { h, replace } from "../../ui/dom.ts";
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
   * Fills `body`, a fresh element the page shows once this render is the latest to finish, for `staff` (read fresh
   * before each render). `reload` renders again (after a save) and resolves to the body then shown. `shown` is the
   * body the seller sees now (rows they added, say); edited fields carry over by themselves.
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
  let shown = h("div", null, spinner(options.loading));
  replace(root, storeHeader(first, options.tab), shown);
  trackEdits(root);
  const renders = new Latest(ctx.signal);
  // The latest render's run, and whether `first` may stand in for the first read.
  let settled: Promise<void> = Promise.resolve();
  let fresh: StaffContext | null = first;

  const run = async (signal: AbortSignal): Promise<void> => {
    try {
      const staff = fresh ?? (await loadStoreForStaff(ctx));
      fresh = null;
      const body = h("div");
      await options.render(staff, body, load, shown);
      if (signal.aborted) return;
      const previous = shown;
      shown = body;
      swapKeepingEdits(previous, body, () => replace(root, storeHeader(staff, options.tab), body));
    } catch (error) {
      if (signal.aborted) return;
      const box = h(
        "div",
        null,
        errorBox(app.explain(error), () => void load()),
      );
      shown.replaceWith(box);
      shown = box;
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
