// Where a text typed into a control is, over the whole page: a value is never in innerText and a control held by
// frontend/src/ui/kept-edits.ts heldEdit has no label, so only the controls' values tell whether it shows.
import type { Page } from "playwright-core";

/** How a control holding the text stands. */
export type Holder = { visible: boolean; hidden: boolean; disabled: boolean; inForm: boolean };

/** Every input and textarea of `page` whose value contains `text`, as it stands. */
export function controlsHolding(page: Page, text: string): Promise<Holder[]> {
  return page.evaluate(
    (wanted) =>
      Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea"))
        .filter((control) => control.value.includes(wanted))
        .map((control) => ({
          visible: control.checkVisibility(),
          hidden: control.hidden,
          disabled: control.disabled,
          inForm: control.closest("form") !== null,
        })),
    text,
  );
}

/** What a held edit must be: one control, hidden, disabled and outside any form, so nothing shows or sends it. */
export const HELD: Holder[] = [{ visible: false, hidden: true, disabled: true, inForm: false }];
