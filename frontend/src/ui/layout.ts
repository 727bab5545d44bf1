// The frame around every page: header (brand, search, orders, cart, wallet), the wrong-network banner, the
// offline banner, toasts, and the footer with the contract address and the dapp's own CID.
import type { App } from "../app.ts";
import { chainName, shortAddress } from "../client/format.ts";
import { go, routes } from "../urls.ts";
import { balanceLine, demoMark } from "./balances.ts";
import { mountCreditsNotice } from "./credits-notice.ts";
import { button, externalLink, h, link, replace } from "./dom.ts";

/** The "Connect wallet" dialog (ui/wallet-dialog.ts), loaded the first time a fan opens it. */
export async function openWalletDialog(app: App): Promise<void> {
  const dialog = await import("./wallet-dialog.ts");
  return dialog.openWalletDialog(app);
}

export type Layout = { main: HTMLElement; setSearch(query: string): void };

export function mountLayout(app: App, root: HTMLElement): Layout {
  const search = h("input", {
    class: "search-input",
    attrs: {
      type: "search",
      name: "q",
      placeholder: "Search bands, stores and merch",
      "aria-label": "Search bands, stores and merch",
      autocomplete: "off",
    },
  });
  const searchForm = h("form", { class: "search", attrs: { role: "search", id: "site-search" } }, search);
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = search.value.trim();
    setSearchOpen(false);
    go(routes.home(q));
  });
  // On a phone the search bar folds behind this button, so the sticky header stays one row (styles.css hides the
  // button and shows the bar on wider screens).
  const searchToggle = button(searchIcon(), () => setSearchOpen(!header.classList.contains("search-open")), {
    class: "btn icon search-toggle",
    attrs: { "aria-label": "Search", "aria-expanded": "false", "aria-controls": "site-search" },
  });
  const setSearchOpen = (open: boolean) => {
    header.classList.toggle("search-open", open);
    searchToggle.setAttribute("aria-expanded", String(open));
    if (open) search.focus();
  };
  search.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("search-open")) {
      setSearchOpen(false);
      searchToggle.focus();
    }
  });
  const cartCount = h("span", { class: "count", attrs: { "aria-live": "polite" } });
  const cartLink = link(routes.cart(), { class: "nav-link cart-link" }, "Cart ", cartCount);
  const walletSlot = h("div", { class: "wallet-slot" });
  const header = h(
    "header",
    { class: "site-header" },
    h(
      "div",
      { class: "header-inner" },
      link(
        "/",
        { class: "brand", attrs: { "aria-label": "Merchstand home" } },
        h("span", { class: "brand-mark", attrs: { "aria-hidden": "true" } }, "◆"),
        h("span", { class: "brand-name", text: "Merchstand" }),
      ),
      searchToggle,
      searchForm,
      h(
        "nav",
        { class: "nav", attrs: { "aria-label": "Main" } },
        link(routes.sell(), { class: "nav-link" }, "Sell"),
        link(routes.orders(), { class: "nav-link" }, "Orders"),
        cartLink,
        walletSlot,
      ),
    ),
  );
  const banners = h("div", { class: "banners" });
  const main = h("main", { class: "page", attrs: { id: "main", tabindex: "-1" } });
  const toasts = h("div", { class: "toasts", attrs: { "aria-live": "polite", role: "status" } });
  const skip = h("a", { class: "skip-link", attrs: { href: "#main" }, text: "Skip to content" });
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    main.focus();
  });
  root.replaceChildren(skip, header, banners, mountCreditsNotice(app), main, footer(app), toasts);

  const renderCart = () => {
    const n = app.cart.count;
    cartCount.textContent = n > 0 ? String(n) : "";
    cartLink.setAttribute("aria-label", n > 0 ? `Cart, ${n} ${n === 1 ? "item" : "items"}` : "Cart, empty");
  };
  const renderWallet = () => replace(walletSlot, walletButton(app));
  const renderBanners = () => {
    replace(banners);
    if (app.wrongChain && app.wallet) {
      const switchButton = button(
        "Switch network",
        async () => {
          switchButton.disabled = true;
          try {
            await app.switchNetwork();
          } catch (error) {
            app.toast({ kind: "error", message: app.explain(error).message });
          } finally {
            switchButton.disabled = false;
          }
        },
        { class: "btn small" },
      );
      banners.append(
        h(
          "div",
          { class: "banner warning", attrs: { role: "alert" } },
          h("span", {
            text: `Your wallet is on ${chainName(app.wallet.chainId ?? 0)}; this store is on ${app.manifest.chainName}.`,
          }),
          switchButton,
        ),
      );
    }
    if (app.offline) {
      const retry = button("Retry", () => location.reload(), { class: "btn small secondary" });
      banners.append(
        h(
          "div",
          { class: "banner danger", attrs: { role: "alert" } },
          h("span", { text: app.offline.message }),
          retry,
          link(routes.settings(), { class: "btn small secondary" }, "Choose another network provider"),
        ),
      );
    }
  };
  app.cart.subscribe(renderCart);
  app.onChange(() => {
    renderWallet();
    renderBanners();
  });
  app.onToast((toast) => {
    const el = h("div", { class: `toast ${toast.kind}` }, h("span", { text: toast.message }));
    if (toast.link) el.append(" ", externalLink(toast.link.href, toast.link.label));
    const close = button("×", () => el.remove(), { class: "toast-close", attrs: { "aria-label": "Dismiss" } });
    el.append(close);
    toasts.append(el);
    setTimeout(() => el.remove(), toast.kind === "error" ? 12_000 : 8_000);
  });
  renderCart();
  renderWallet();
  renderBanners();
  return {
    main,
    setSearch(query: string) {
      search.value = query;
    },
  };
}

/** A magnifying glass drawn by styles.css (.icon-search), like every icon: no emoji font, no <svg> element. */
function searchIcon(): HTMLElement {
  return h("span", { class: "icon icon-search", attrs: { "aria-hidden": "true" } });
}

function walletButton(app: App): HTMLElement {
  const account = app.account;
  if (!account) {
    // "Connect" alone on a phone (styles.css .wide-only), where the header must stay one row; the name stays whole.
    return button(["Connect", h("span", { class: "wide-only", text: " wallet" })], () => openWalletDialog(app), {
      class: "btn connect",
      attrs: { "aria-label": "Connect wallet" },
    });
  }
  const label = h(
    "span",
    { class: "account" },
    h("span", { class: "address", text: shortAddress(account) }),
    balanceLine(app, account),
    demoMark(app),
  );
  const menu = h("div", { class: "menu", attrs: { hidden: true, role: "menu" } });
  const toggle = button(
    label,
    () => {
      const open = menu.hidden;
      menu.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      if (open) (menu.querySelector("button, a") as HTMLElement | null)?.focus();
    },
    { class: "btn account-btn", attrs: { "aria-haspopup": "menu", "aria-expanded": "false" } },
  );
  const copy = button(
    "Copy address",
    async () => {
      await navigator.clipboard?.writeText(account).catch(() => {});
      app.toast({ kind: "info", message: "Address copied." });
      menu.hidden = true;
    },
    { attrs: { role: "menuitem" } },
  );
  menu.append(copy);
  const explorer = app.explorerAddress(account);
  if (explorer) {
    const a = externalLink(explorer, "View on explorer");
    a.setAttribute("role", "menuitem");
    menu.append(a);
  }
  menu.append(button("Disconnect", () => app.disconnect(), { attrs: { role: "menuitem" } }));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      menu.hidden = true;
      toggle.focus();
    }
  });
  return h("div", { class: "wallet-menu" }, toggle, menu);
}

/** The dapp's CID when it is served from an IPFS gateway: `<cid>.ipfs.host` or `/ipfs/<cid>/`. */
export function servedCid(loc: Pick<Location, "hostname" | "pathname">): string | null {
  const sub = /^([a-z0-9]{20,})\.ipfs\./i.exec(loc.hostname);
  if (sub?.[1]) return sub[1];
  const path = /^\/ipfs\/([A-Za-z0-9]{20,})/.exec(loc.pathname);
  return path?.[1] ?? null;
}

function footer(app: App): HTMLElement {
  const cid = servedCid(location);
  const contract = app.explorerAddress(app.manifest.merchstand);
  return h(
    "footer",
    { class: "site-footer" },
    h(
      "div",
      { class: "footer-inner" },
      h(
        "p",
        null,
        h("strong", { text: "Merchstand" }),
        " — merch sold by artists, paid into escrow on-chain, released to the band when the fan confirms receipt, or by anyone once the dispute window ends. No company in between.",
      ),
      h(
        "dl",
        { class: "proof" },
        h("dt", { text: "Contract" }),
        h(
          "dd",
          null,
          contract
            ? externalLink(contract, h("code", { text: app.manifest.merchstand }))
            : h("code", { text: app.manifest.merchstand }),
        ),
        h("dt", { text: "Network" }),
        h(
          "dd",
          null,
          app.manifest.chainName,
          " · ",
          link(routes.settings(), { class: "footer-settings" }, "Network provider"),
        ),
        h("dt", { text: "This app" }),
        h(
          "dd",
          null,
          cid
            ? h("code", { class: "dapp-cid", text: cid })
            : h("span", { class: "muted", text: "not served from IPFS" }),
        ),
      ),
    ),
  );
}
