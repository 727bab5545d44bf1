// The frame of a store's dashboard page (./sales.ts, ./zones.ts, ./codes.ts): the store header with its tab, a body
// that `render` fills from the chain, an error box with Retry when a read fails, and a reload when the connected
// account changes (the staff role decides what the page lets you do).
import type { Page, PageContext } from "../../page.ts";
import { errorBox, spinner } from "../../ui/components.ts";
import { h, replace } from "../../ui/dom.ts";
import { loadStoreForStaff, onAccountChange, type StaffContext, type StoreTab, storeHeader } from "./shared.ts";

export type StorePageOptions = {
  tab: StoreTab;
  /** The page's class, beside `seller-page`. */
  className: string;
  title: (staff: StaffContext) => string;
  loading: string;
  /** Fills `body` for `staff` (read fresh before each render); `reload` renders again (after a save). */
  render: (staff: StaffContext, body: HTMLElement, reload: () => Promise<void>) => Promise<void>;
  /** Render again on every new block. */
  live?: boolean;
};

export async function storePage(ctx: PageContext, options: StorePageOptions): Promise<Page> {
  const { app } = ctx;
  let staff = await loadStoreForStaff(ctx);
  const root = h("div", { class: `seller-page ${options.className}` });
  const body = h("div", null, spinner(options.loading));
  const load = async (): Promise<void> => {
    try {
      staff = await loadStoreForStaff(ctx);
      replace(root, storeHeader(staff, options.tab), body);
      await options.render(staff, body, load);
    } catch (error) {
      if (!ctx.signal.aborted)
        replace(
          body,
          errorBox(app.explain(error), () => void load()),
        );
    }
  };
  replace(root, storeHeader(staff, options.tab), body);
  void load();
  const unsubscribe = onAccountChange(ctx, () => void load());
  return {
    title: options.title(staff),
    el: root,
    refresh: options.live ? () => void load() : undefined,
    dispose: unsubscribe,
  };
}
