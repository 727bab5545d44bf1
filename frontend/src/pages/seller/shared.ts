// Pieces every seller page uses: the wallet gate, the store's tab bar, the staff check, a transaction runner that
// shows each stage and ends in a sentence, labelled fields, and the shipping-key unlock.
import "./seller.css";
import type { App } from "../../app.ts";
import type { ErrorContext } from "../../client/errors.ts";
import { shortAddress } from "../../client/format.ts";
import type { Currency } from "../../client/manifest.ts";
import type { Store } from "../../client/protocol.ts";
import { explainSellerError } from "../../client/seller-errors.ts";
import { type ShippingKeys, sessionKeyring } from "../../client/shipping-keys.ts";
import type { Receipt, TxRequest } from "../../client/transactions.ts";
import { byteLength } from "../../client/validation.ts";
import { NotFound, type PageContext } from "../../page.ts";
import { emptyState, officialBadge } from "../../ui/components.ts";
import { button, type Child, h, link, uid } from "../../ui/dom.ts";
import { openWalletDialog } from "../../ui/layout.ts";
import { runTx as runStagedTx } from "../../ui/tx.ts";
import { routes } from "../../urls.ts";

export const PRIVACY_SENTENCE =
  "Shipping addresses are decrypted only in this browser, with a key re-created from your wallet's signature. The key and the addresses are never stored or sent anywhere.";

/** The prompt shown instead of a seller page while no wallet is connected. */
export function connectPrompt(app: App, title: string, body: string): HTMLElement {
  return emptyState(
    title,
    body,
    button("Connect wallet", () => void openWalletDialog(app), { class: "btn" }),
  );
}

export type StaffContext = { store: Store; currency: Currency; role: "owner" | "manager" | null };

/** The store a seller page is about, and the connected account's role in it (null: not staff). */
export async function loadStoreForStaff(ctx: PageContext): Promise<StaffContext> {
  const { app } = ctx;
  const storeId = BigInt(ctx.params.storeId as string);
  const store = await app.chain.getStore(storeId);
  if (!store) throw new NotFound();
  const account = app.account;
  let role: StaffContext["role"] = null;
  if (account) {
    if (store.owner.toLowerCase() === account.toLowerCase()) role = "owner";
    else if (await app.chain.read("isStoreStaff", [storeId, account])) role = "manager";
  }
  return { store, currency: app.currency(store.currency), role };
}

export function notStaffNotice(app: App, store: Store): HTMLElement {
  return h(
    "div",
    { class: "notice", attrs: { role: "note" } },
    h("p", {
      text: app.account
        ? `The connected account (${shortAddress(app.account)}) doesn't run "${store.name}". Connect the wallet of its owner (${shortAddress(store.owner)}) or one of its managers to make changes.`
        : `Connect the wallet of the owner of "${store.name}" or one of its managers to make changes.`,
    }),
  );
}

export type StoreTab =
  | "overview"
  | "sales"
  | "products"
  | "orders"
  | "reviews"
  | "zones"
  | "codes"
  | "managers"
  | "verify";

const TABS: { key: StoreTab; label: string; route: (storeId: bigint) => string }[] = [
  { key: "overview", label: "Overview", route: routes.sellerStore },
  { key: "sales", label: "Sales", route: routes.sellerSales },
  { key: "products", label: "Products", route: routes.sellerProducts },
  { key: "orders", label: "Orders", route: (id) => routes.sellerOrders(id) },
  { key: "reviews", label: "Reviews", route: routes.sellerReviews },
  { key: "zones", label: "Shipping", route: routes.shippingZones },
  { key: "codes", label: "Codes", route: routes.storeCodes },
  { key: "managers", label: "Managers", route: routes.managers },
  { key: "verify", label: "Get verified", route: routes.getVerified },
];

/** Store name, badge, role and the tab bar, at the top of every store page of the dashboard. */
export function storeHeader(staff: StaffContext, active: StoreTab): HTMLElement {
  const { store } = staff;
  return h(
    "header",
    { class: "seller-head" },
    h(
      "nav",
      { class: "breadcrumb", attrs: { "aria-label": "Breadcrumb" } },
      link(routes.sell(), null, "Seller dashboard"),
      " / ",
      h("span", { attrs: { "aria-current": "page" }, text: store.name }),
    ),
    h(
      "div",
      { class: "seller-title" },
      h("h1", { text: store.name }),
      officialBadge(store),
      store.closed ? h("span", { class: "badge", text: "Closed" }) : null,
      staff.role ? h("span", { class: "badge role", text: staff.role === "owner" ? "Owner" : "Manager" }) : null,
      link(routes.store(store.id), { class: "muted small view-shop" }, "View in the shop →"),
    ),
    h(
      "nav",
      { class: "seller-tabs", attrs: { "aria-label": "Store sections" } },
      TABS.map((t) =>
        link(t.route(store.id), {
          class: `seller-tab${t.key === active ? " active" : ""}`,
          attrs: { "aria-current": t.key === active ? "page" : null },
          text: t.label,
        }),
      ),
    ),
  );
}

export type RunOptions = {
  /** Shown once mined, and in the toast. */
  done: string;
  errorContext?: ErrorContext;
};

/**
 * Sends one transaction through the dapp's runner (ui/tx.ts) with staff wording for reverts
 * (client/seller-errors.ts). Resolves to the receipt, or null when it failed.
 */
export function runTx(app: App, status: HTMLElement, request: TxRequest, options: RunOptions): Promise<Receipt | null> {
  return runStagedTx(app, request, {
    status,
    done: options.done,
    explain: (error) => explainSellerError(error, app.errorContext(options.errorContext)),
  });
}

/** A labelled control with an optional hint; the hint is tied to the control for screen readers. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: Child,
  extraClass = "",
): HTMLElement {
  const id = control.id || uid("f");
  control.id = id;
  let hintEl: HTMLElement | null = null;
  if (hint) {
    hintEl = h("p", { class: "hint muted small", attrs: { id: `${id}-hint` } }, hint);
    control.setAttribute("aria-describedby", `${id}-hint`);
  }
  return h(
    "div",
    { class: `field ${extraClass}`.trim() },
    h("label", { attrs: { for: id }, text: label }),
    control,
    hintEl,
  );
}

/**
 * A counter "12 / 64 bytes" under a text control whose limit is the contract's, in UTF-8 bytes of the trimmed text
 * (client/validation.ts checkText); it turns red past the limit. When accents or emoji make bytes and characters
 * differ it says so, so "Café" reading "5 bytes" is no surprise.
 */
export function byteCounter(control: HTMLInputElement | HTMLTextAreaElement, max: number): HTMLElement {
  const counter = h("span", { class: "muted small counter", attrs: { "aria-live": "polite" } });
  const update = () => {
    const text = control.value.trim();
    const n = byteLength(text);
    const chars = Array.from(text).length;
    counter.textContent =
      chars === n
        ? `${n} / ${max} bytes`
        : `${n} / ${max} bytes (${chars} ${chars === 1 ? "character" : "characters"}: accents and emoji take 2–4 bytes each)`;
    counter.classList.toggle("over", n > max);
  };
  control.addEventListener("input", update);
  update();
  return counter;
}

/**
 * A counter "120 / 5,000 characters" under a text control whose limit is the metadata reader's (client/metadata.ts
 * counts UTF-16 units, as the control's `maxlength` does), so it never turns away text the reader accepts.
 */
export function charCounter(control: HTMLInputElement | HTMLTextAreaElement, max: number): HTMLElement {
  const counter = h("span", { class: "muted small counter" });
  const update = () => {
    const n = control.value.length;
    counter.textContent = `${n.toLocaleString("en-US")} / ${max.toLocaleString("en-US")} characters`;
    counter.classList.toggle("over", n > max);
  };
  control.addEventListener("input", update);
  update();
  return counter;
}

export function stat(label: string, value: Child, sub?: Child, extra?: Child): HTMLElement {
  return h(
    "div",
    { class: "stat" },
    h("p", { class: "stat-label", text: label }),
    h("p", { class: "stat-value" }, value),
    sub ? h("p", { class: "muted small" }, sub) : null,
    extra ?? null,
  );
}

/** The connected account's shipping key pair for this chain; asks the wallet to sign only once per session. */
export async function unlockShippingKey(app: App): Promise<ShippingKeys> {
  const wallet = app.wallet;
  if (!wallet?.account) throw new Error("no wallet");
  return sessionKeyring.unlock(wallet.account, app.manifest.chainId, (message) => wallet.personalSign(message));
}

export function hasShippingKey(app: App): boolean {
  return app.account ? sessionKeyring.has(app.account, app.manifest.chainId) : false;
}

/** Relative wording for a deadline: "in 3 days", "in 5 hours", "2 days ago". */
export function relative(at: bigint, now: bigint): string {
  const diff = Number(at - now);
  const abs = Math.abs(diff);
  const unit = abs >= 86_400 ? ["day", 86_400] : abs >= 3_600 ? ["hour", 3_600] : ["minute", 60];
  const n = Math.max(1, Math.floor(abs / (unit[1] as number)));
  const text = `${n} ${unit[0]}${n === 1 ? "" : "s"}`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/**
 * Re-runs `load` when the connected account changes (a seller switching wallets, or connecting). The page loaded
 * for the account of its navigation (`ctx.account`): when the wallet connected while it was loading, `load` runs
 * at once, so a page never stays rendered for an account that is no longer connected.
 */
export function onAccountChange(ctx: PageContext, load: () => void): () => void {
  const { app } = ctx;
  let last = ctx.account;
  const check = () => {
    if (app.account !== last) {
      last = app.account;
      load();
    }
  };
  const unsubscribe = app.onChange(check);
  check();
  return unsubscribe;
}
