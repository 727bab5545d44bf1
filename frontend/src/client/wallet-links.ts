// Where a fan with no wallet can get one, and how a phone reopens this very page inside a wallet app's own browser
// (a phone browser has no extensions, so the wallet app's in-app browser is where the dapp finds a wallet).
// No DOM: ui/wallet-dialog.ts shows these; test/frontend/wallet-links.ts checks them.

/** A widely used wallet: its official download page and, for the mobile apps that have one, the deep link. */
export type KnownWallet = {
  name: string;
  install: string;
  /** The documented link that opens `pageUrl` in the app's in-app browser; absent for desktop-only wallets. */
  openIn?: (pageUrl: string) => string;
};

/** The page URL without its scheme, unencoded: MetaMask's documented form (`https://link.metamask.io/dapp/{dappUrl}`,
 * e.g. `app.uniswap.org`). An http: page keeps its scheme, since MetaMask would otherwise assume https. */
function metamaskDappPath(pageUrl: string): string {
  const url = new URL(pageUrl);
  return url.protocol === "https:" ? pageUrl.slice("https://".length) : pageUrl;
}

/**
 * Deep links as each wallet documents them:
 * - MetaMask: https://docs.metamask.io (Use deeplinks, "Open a dapp inside the MetaMask in-app browser");
 * - Coinbase Wallet: https://docs.cdp.coinbase.com/coinbase-wallet/developer-guidance/mobile-dapp-integration
 *   ("Dapp browser": `https://go.cb-w.com/dapp?cb_url=`, percent-encoded);
 * - Trust Wallet: https://developer.trustwallet.com/developer/develop-for-trust/deeplinking ("DApp Browser":
 *   `open_url?coin_id=60&url=`, 60 being Ethereum's SLIP-44 index).
 */
export const KNOWN_WALLETS: readonly KnownWallet[] = [
  {
    name: "MetaMask",
    install: "https://metamask.io/download/",
    openIn: (pageUrl) => `https://link.metamask.io/dapp/${metamaskDappPath(pageUrl)}`,
  },
  {
    name: "Coinbase Wallet",
    install: "https://www.coinbase.com/wallet/downloads",
    openIn: (pageUrl) => `https://go.cb-w.com/dapp?cb_url=${encodeURIComponent(pageUrl)}`,
  },
  {
    name: "Trust Wallet",
    install: "https://trustwallet.com/download",
    openIn: (pageUrl) => `https://link.trustwallet.com/open_url?coin_id=60&url=${encodeURIComponent(pageUrl)}`,
  },
  { name: "Rabby", install: "https://rabby.io/" },
];

/** The "Open in <wallet>" links for `pageUrl` (hash included, so the wallet opens this exact page). */
export function openInWalletLinks(pageUrl: string): { name: string; href: string }[] {
  return KNOWN_WALLETS.flatMap((w) => (w.openIn ? [{ name: w.name, href: w.openIn(pageUrl) }] : []));
}

/**
 * Whether this is a phone or tablet, where browser extensions can't be installed: a touch-first pointer
 * (`(pointer: coarse)`) or a mobile user agent.
 */
export function isPhone(env: { userAgent: string; coarsePointer: boolean }): boolean {
  return env.coarsePointer || /Android|iPhone|iPad|iPod|Mobile/i.test(env.userAgent);
}
