// The connected account's balances in the header: ETH and every token of the manifest it holds. They are read
// again on each new block (App.startPolling's tick, which has just refreshed `app.balance`) and right after every
// transaction this page sends (ui/tx.ts calls {@link transactionDone}), so a payment or a withdrawal shows at once.
import type { App } from "../app.ts";
import { DEMO_MARK, isDemoWallet } from "../client/demo-accounts.ts";
import { formatAmountCompact } from "../client/format.ts";
import type { Currency } from "../client/manifest.ts";
import { ZERO_ADDRESS } from "../client/protocol.ts";
import { h, replace } from "./dom.ts";

const ETH: Pick<Currency, "symbol" | "decimals"> = { symbol: "ETH", decimals: 18 };

type TokenBalance = { currency: Currency; amount: bigint };

const doneListeners = new WeakMap<App, Set<() => void>>();

/** Listens for transactions this page sent (mined, failed or refused); returns the unsubscribe. */
export function onTransactionDone(app: App, listener: () => void): () => void {
  let set = doneListeners.get(app);
  if (!set) {
    set = new Set();
    doneListeners.set(app, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

/** Called by ui/tx.ts after every transaction: the balances and credits on the page are read again. */
export function transactionDone(app: App): void {
  for (const l of doneListeners.get(app) ?? []) l();
}

/** The last token balances read for each account, so a header re-render shows them at once instead of blank. */
const lastTokens = new Map<string, TokenBalance[]>();

async function readTokens(app: App, account: string): Promise<TokenBalance[]> {
  const tokens = app.manifest.currencies.filter((c) => c.address !== ZERO_ADDRESS);
  return Promise.all(
    tokens.map(async (currency) => ({ currency, amount: await app.chain.balanceOf(account, currency.address) })),
  );
}

/**
 * The balance line under the short address: ETH, then each token with a balance. It keeps itself current and stops
 * listening once the header replaced it.
 */
export function balanceLine(app: App, account: string): HTMLElement {
  const el = h("span", { class: "balance", attrs: { "data-account": account } });
  const render = () => {
    const tokens = (lastTokens.get(account.toLowerCase()) ?? []).filter((t) => t.amount > 0n);
    replace(
      el,
      app.balance !== null ? h("span", { class: "balance-eth", text: formatAmountCompact(app.balance, ETH) }) : null,
      tokens.map((t) =>
        h("span", { class: "balance-token", text: ` · ${formatAmountCompact(t.amount, t.currency, 2)}` }),
      ),
    );
  };
  let reading = false;
  const refresh = async (eth: boolean) => {
    if (reading) return;
    reading = true;
    try {
      if (eth) await app.refreshBalance();
      const tokens = await readTokens(app, account);
      lastTokens.set(account.toLowerCase(), tokens);
    } catch {
      // An unreachable RPC already shows its banner (ui/layout.ts); the line keeps the last figures.
    } finally {
      reading = false;
    }
    if (el.isConnected && app.account === account) render();
  };
  const stopBlocks = app.onBlock(() => (el.isConnected ? void refresh(false) : stop()));
  const stopTx = onTransactionDone(app, () => (el.isConnected ? void refresh(true) : stop()));
  const stop = () => {
    stopBlocks();
    stopTx();
  };
  render();
  if (!lastTokens.has(account.toLowerCase())) void refresh(false);
  return el;
}

/** "Demo account" under the address while a demo account (client/demo-accounts.ts) is connected. */
export function demoMark(app: App): HTMLElement | null {
  return app.wallet && isDemoWallet(app.wallet.info) ? h("span", { class: "demo-mark", text: DEMO_MARK }) : null;
}
