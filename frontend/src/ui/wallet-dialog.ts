// The "Connect wallet" dialog ("Connect wallet", "Buy now", "Pay now" all open it): every wallet found through
// EIP-6963; with none, what a wallet is, where to get one, and a way forward on this device: "Open in <wallet>"
// links on a phone (client/wallet-links.ts), a QR code of this page on a desktop. On the local development chain
// the demo accounts (client/demo-accounts.ts) come last, marked as such. Browsing never needs any of it.
import type { App } from "../app.ts";
import { DEMO_MARK, isDemoWallet } from "../client/demo-accounts.ts";
import type { WalletInfo } from "../client/wallet.ts";
import { isPhone, KNOWN_WALLETS, openInWalletLinks } from "../client/wallet-links.ts";
import { button, externalLink, h, replace } from "./dom.ts";

/** One sentence: what a wallet is, and why paying needs one. */
export const WALLET_EXPLAINED =
  "A wallet is an app that holds your account on the network and asks you to approve each payment, so you pay the artist directly with no shop or card company in between.";

function onPhone(): boolean {
  return isPhone({ userAgent: navigator.userAgent, coarsePointer: matchMedia("(pointer: coarse)").matches });
}

export async function openWalletDialog(app: App): Promise<void> {
  const dialog = h("dialog", { class: "dialog wallet-dialog", attrs: { "aria-labelledby": "wallet-title" } });
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
  const injected = wallets.filter((w) => !isDemoWallet(w));
  const demo = wallets.filter(isDemoWallet);
  replace(list);
  if (injected.length > 0) for (const wallet of injected) list.append(walletOption(app, wallet, dialog));
  else list.append(noWallet());
  if (demo.length > 0) {
    list.append(
      h(
        "section",
        { class: "demo-accounts", attrs: { "aria-labelledby": "demo-title" } },
        h("h3", { attrs: { id: "demo-title" }, text: "Try it on this local test chain" }),
        h("p", {
          class: "muted small",
          text: "Use a demo account: a seeded account of this development chain, with test money only. Its key is public; never use it anywhere else.",
        }),
        demo.map((wallet) => walletOption(app, wallet, dialog, DEMO_MARK)),
      ),
    );
  }
  (list.querySelector("button, a[href]") as HTMLElement | null)?.focus();
}

/** What a fan with no wallet reads: what a wallet is, where to get one, and how to go on from this device. */
function noWallet(): HTMLElement {
  const page = location.href;
  const phone = onPhone();
  const install = h(
    "ul",
    { class: "wallet-install" },
    KNOWN_WALLETS.map((w) => h("li", null, externalLink(w.install, `Get ${w.name}`))),
  );
  const next = phone
    ? h(
        "div",
        { class: "wallet-open-in" },
        h("p", { text: "Have a wallet app on this phone? Open this page in it:" }),
        h(
          "ul",
          { class: "open-in-list" },
          openInWalletLinks(page).map((l) =>
            h("li", null, h("a", { class: "btn secondary open-in", attrs: { href: l.href } }, `Open in ${l.name}`)),
          ),
        ),
        h("p", { class: "muted small", text: "No wallet app yet? Install one, then come back to this page:" }),
        install,
      )
    : h(
        "div",
        { class: "wallet-desktop" },
        h("p", { text: "Install a wallet extension in this browser, then reload this page:" }),
        install,
        qrFigure(page),
      );
  return h(
    "div",
    { class: "no-wallet" },
    h("p", { class: "no-wallet-title", text: "No wallet found in this browser." }),
    h("p", { class: "wallet-explained", text: WALLET_EXPLAINED }),
    next,
    h("p", { class: "muted small", text: "You can browse every store without a wallet." }),
  );
}

/** The page's QR code for a phone's camera; the encoder loads only when a desktop fan with no wallet needs it. */
function qrFigure(page: string): HTMLElement {
  const figure = h(
    "figure",
    { class: "wallet-qr" },
    h("figcaption", {
      class: "muted small",
      text: "Or scan this with your phone's camera and open the page in a wallet app there.",
    }),
  );
  void import("./qr-code.ts").then(({ qrCode }) => figure.prepend(qrCode(page, "QR code of this page")));
  return figure;
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

function walletOption(app: App, wallet: WalletInfo, dialog: HTMLDialogElement, mark?: string): HTMLElement {
  const icon = wallet.icon
    ? h("img", { attrs: { alt: "", width: 28, height: 28 } })
    : h("span", { class: "wallet-icon", attrs: { "aria-hidden": "true" }, text: "◎" });
  if (icon instanceof HTMLImageElement) icon.src = wallet.icon;
  const name = mark
    ? h(
        "span",
        { class: "wallet-name" },
        h("span", { text: wallet.name }),
        h("span", { class: "demo-mark", text: mark }),
      )
    : h("span", { text: wallet.name });
  const option = button(
    h("span", { class: "wallet-option" }, icon, name),
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
