// What the seller typed survives a re-render. A store page (pages/seller/store-page.ts) builds each render into a
// fresh element and swaps it for the shown one; `swapKeepingEdits` first copies every control the seller changed in
// the shown render onto the same control of the new one, and moves the focus and caret across, so a wallet connect
// or a new block never wipes a half-filled form.

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Controls the user changed (typed into, picked, ticked): only these carry over, the rest show the new render. */
const edited = new WeakSet<Element>();

function isControl(target: EventTarget | null): target is Control {
  return (
    target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement
  );
}

function isToggle(control: Control): control is HTMLInputElement {
  return control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio");
}

/** Marks each control the user changes under `root`, whichever render is shown in it. */
export function trackEdits(root: HTMLElement): void {
  const mark = (event: Event) => {
    if (isControl(event.target)) edited.add(event.target);
  };
  root.addEventListener("input", mark, true);
  root.addEventListener("change", mark, true);
}

/**
 * The controls under `root` by what names them in the page (`name`, `data-field` or `aria-label`, then their
 * order among controls named alike), so the same field of two renders has the same key.
 */
function controlsByKey(root: HTMLElement): Map<string, Control> {
  const byKey = new Map<string, Control>();
  const seen = new Map<string, number>();
  for (const control of Array.from(root.querySelectorAll<Control>("input, select, textarea"))) {
    const name =
      control.getAttribute("name") || control.getAttribute("data-field") || control.getAttribute("aria-label") || "";
    const base = `${control.tagName}:${control.getAttribute("type") ?? ""}:${name}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    byKey.set(`${base}:${n}`, control);
  }
  return byKey;
}

/**
 * Runs `swap` (which puts `next` in the page in place of `shown`), after copying the edited controls of `shown`
 * onto `next` (with the input/change event their own listeners expect, so counters and previews follow), and then
 * gives focus back to the control that had it, caret included. `next` may already be in the page (`swap` then does
 * nothing): a control the user edited there is left as it is.
 */
export function swapKeepingEdits(shown: HTMLElement, next: HTMLElement, swap: () => void): void {
  const target = controlsByKey(next);
  const active = document.activeElement;
  let focus: { control: Control; start: number | null; end: number | null } | null = null;
  for (const [key, old] of controlsByKey(shown)) {
    const control = target.get(key);
    if (!control) continue;
    // A control already edited in `next` (a render shown early, see pages/seller/store-page.ts) keeps its own value.
    if (edited.has(old) && !edited.has(control) && !(old instanceof HTMLInputElement && old.type === "file")) {
      if (isToggle(old) && isToggle(control)) control.checked = old.checked;
      else control.value = old.value;
      edited.add(control);
      const event = control instanceof HTMLSelectElement || isToggle(control) ? "change" : "input";
      control.dispatchEvent(new Event(event, { bubbles: true }));
    }
    if (old === active) focus = { control, start: selectionOf(old, "start"), end: selectionOf(old, "end") };
  }
  swap();
  if (!focus) return;
  focus.control.focus({ preventScroll: true });
  if (focus.start !== null && focus.end !== null && !(focus.control instanceof HTMLSelectElement)) {
    try {
      focus.control.setSelectionRange(focus.start, focus.end);
    } catch {
      // Number and date inputs have no caret to place.
    }
  }
}

function selectionOf(control: Control, edge: "start" | "end"): number | null {
  if (control instanceof HTMLSelectElement) return null;
  try {
    return edge === "start" ? control.selectionStart : control.selectionEnd;
  } catch {
    return null;
  }
}

/**
 * For a render that doesn't show the control `selector` finds in `shown` (the account connected now can't use it):
 * a hidden, disabled stand-in named like it, when the user edited it, for the page to put outside any form. The swap
 * carries the typed value onto it, and from it onto the control of a later render that shows it again; nothing
 * submits or shows it meanwhile.
 */
export function heldEdit(shown: HTMLElement, selector: string): Control | null {
  const old = shown.querySelector(selector);
  if (!isControl(old) || !edited.has(old)) return null;
  const held = document.createElement(old.tagName.toLowerCase()) as Control;
  for (const name of ["name", "data-field", "aria-label", "type"])
    if (old.hasAttribute(name)) held.setAttribute(name, old.getAttribute(name) as string);
  held.hidden = true;
  held.disabled = true;
  held.className = "held-edit";
  return held;
}
