// The "Connect wallet" dialog: every wallet found through EIP-6963 (client/wallet.ts), or how to get one. Tab stays
// inside it, Escape closes it, and focus returns to what opened it. Loaded on demand by ui/layout.ts
// openWalletDialog.
import type { App } from "../app.ts";
import type { WalletInfo } from "../client/wallet.ts";
import { button, h, replace } from "./dom.ts";

/** The "Connect wallet" dialog: every wallet found through EIP-6963, or how to get one. */
export async function showWalletDialog(app: App): Promise<void> {
  const dialog = h("dialog", { class: "dialog", attrs: { "aria-labelledby": "wallet-title" } });
  const list = h("div", { class: "wallet-list" }, h("p", { class: "muted", text: "Looking for wallets…" }));
  const close = button("Close", () => dialog.close(), { class: "btn secondary" });
  dialog.append(
    h("h2", { attrs: { id: "wallet-title" }, text: "Connect a wallet" }),
    list,
    h("div", { class: "dialog-actions" }, close),
  );
  const opener = document.activeElement as HTMLElement | null;
  dialog.addEventListener("close", () => {
    dialog.remove();
    // Focus goes back where it was: the button that opened the dialog, or the account button that replaced it.
    const back = opener?.isConnected ? opener : document.querySelector<HTMLElement>(".wallet-slot button");
    back?.focus();
  });
  trapFocus(dialog);
  document.body.append(dialog);
  dialog.showModal();
  const wallets = await app.discover();
  replace(list);
  if (wallets.length === 0) {
    list.append(
      h("p", { text: "No wallet found in this browser." }),
      h("p", {
        class: "muted",
        text: "To buy, install a browser wallet (for example a wallet extension that supports Ethereum), then reload this page. You can browse the stores without one.",
      }),
    );
    return;
  }
  for (const wallet of wallets) list.append(walletOption(app, wallet, dialog));
  (list.querySelector("button") as HTMLButtonElement | null)?.focus();
}

/** Tab and Shift+Tab cycle through the dialog's own controls instead of leaving it (Escape still closes it). */
function trapFocus(dialog: HTMLDialogElement): void {
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const focusable = Array.from(
      dialog.querySelectorAll<HTMLElement>("button:not([disabled]), a[href], input:not([disabled]), [tabindex]"),
    ).filter((el) => el.tabIndex >= 0);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey ? active === first || !dialog.contains(active) : active === last) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });
}

function walletOption(app: App, wallet: WalletInfo, dialog: HTMLDialogElement): HTMLElement {
  const icon = wallet.icon
    ? h("img", { attrs: { alt: "", width: 28, height: 28 } })
    : h("span", { class: "wallet-icon", attrs: { "aria-hidden": "true" }, text: "◎" });
  if (icon instanceof HTMLImageElement) icon.src = wallet.icon;
  const option = button(
    h("span", { class: "wallet-option" }, icon, h("span", { text: wallet.name })),
    async () => {
      option.disabled = true;
      try {
        await app.connect(wallet);
        dialog.close();
      } catch (error) {
        app.toast({ kind: "error", message: app.explain(error).message });
        option.disabled = false;
      }
    },
    { class: "btn wallet-choice" },
  );
  return option;
}
