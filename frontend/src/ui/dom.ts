// Element builders. Text always goes in through text nodes (never innerHTML), so on-chain and IPFS strings can
// never become markup; and every string loses its bidi controls on the way in (client/names.ts), so none can
// reorder what a fan reads, in its own element or in the sentence around it.
import { withoutBidiControls } from "../client/names.ts";
import { hashHref } from "../urls.ts";

export type Child = Node | string | number | null | undefined | false | Child[];

type Props = {
  class?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
  dataset?: Record<string, string>;
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) el.className = props.class;
    if (props.text !== undefined) el.textContent = withoutBidiControls(props.text);
    for (const [name, value] of Object.entries(props.attrs ?? {})) {
      if (value === null || value === undefined || value === false) continue;
      el.setAttribute(name, value === true ? "" : withoutBidiControls(String(value)));
    }
    for (const [name, value] of Object.entries(props.dataset ?? {})) el.dataset[name] = value;
    for (const [event, listener] of Object.entries(props.on ?? {})) {
      el.addEventListener(event, listener as EventListener);
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(withoutBidiControls(String(child))));
  }
}

/** Replaces all children of `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** An internal link to a hash route. */
export function link(route: string, props: Props | null, ...children: Child[]): HTMLAnchorElement {
  const a = h("a", props, ...children);
  a.href = hashHref(route);
  return a;
}

/** An external link that cannot reach back into this page. */
export function externalLink(url: string, ...children: Child[]): HTMLAnchorElement {
  const a = h("a", { attrs: { target: "_blank", rel: "noopener noreferrer" } }, ...children);
  a.href = url;
  return a;
}

export function button(label: Child, onClick: (event: MouseEvent) => void, props: Props = {}): HTMLButtonElement {
  const b = h("button", { ...props, attrs: { type: "button", ...(props.attrs ?? {}) } }, label);
  b.addEventListener("click", onClick);
  return b;
}

let idCounter = 0;
export function uid(prefix: string): string {
  idCounter++;
  return `${prefix}-${idCounter}`;
}

/**
 * Keeps what the user typed into `input` across re-renders of its page (a new block, the wallet connecting):
 * `drafts` belongs to the page and outlives the elements; the same `key` on the next render gets the text back.
 */
export function keepDraft(
  drafts: Map<string, string>,
  input: HTMLInputElement | HTMLTextAreaElement,
  key: string,
): void {
  const saved = drafts.get(key);
  if (saved !== undefined) input.value = saved;
  input.addEventListener("input", () => drafts.set(key, input.value));
}
