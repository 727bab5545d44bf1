// "You have 20 bUSD to collect", on every page (ui/layout.ts mounts it under the banners) while the connected
// account holds credits in the contract (`credits(account, currency)`). A cancelled order's payment, a store's refund
// and the fan's share of a dispute are sent straight to the fan's address (Merchstand.cancel, refund, resolveDispute,
// resolveExpiredDispute); they land here only when that payment failed (a contract wallet that refuses it, a token
// that blocks the address), and stay until withdrawn. Merchstand.withdraw sends the whole credit to any address, so
// the notice asks where: the fan's own address is filled in, and a fan whose address the token blocks types another
// (ui/credits-collect.ts, loaded when there is something to collect). Read on each account change, after each transaction, and
// on new blocks at most every CREDITS_MIN_INTERVAL_MS; drawn again only when the credits change, so a new block
// never wipes an address being typed.
import type { App } from "../app.ts";
import type { Currency } from "../client/manifest.ts";
import { onTransactionDone } from "./balances.ts";
import { h, replace } from "./dom.ts";

/** Someone else's refund can credit the fan at any block; reading every block would be one call per currency each. */
const CREDITS_MIN_INTERVAL_MS = 10_000;

export type Credit = { currency: Currency; amount: bigint };

export async function readCredits(app: App, account: string): Promise<Credit[]> {
  const all = await Promise.all(
    app.manifest.currencies.map(async (currency) => ({
      currency,
      amount: await app.chain.credits(account, currency.address),
    })),
  );
  return all.filter((c) => c.amount > 0n);
}

export function mountCreditsNotice(app: App): HTMLElement {
  const slot = h("div", { class: "credits-slot" });
  let lastRead = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;
  /** What is drawn (account and credits), so an unchanged read leaves the notice, its field and its status be. */
  let drawn = "";
  /** The address typed for each account, kept across redraws. */
  const drafts = new Map<string, string>();

  const render = async (account: string, credits: Credit[], mine: number) => {
    const key = `${account}:${credits.map((c) => `${c.currency.address}=${c.amount}`).join(",")}`;
    if (key === drawn) return;
    if (credits.length === 0) {
      drawn = key;
      replace(slot);
      return;
    }
    // The notice's form and send path load only when there is something to collect, not with every page.
    const { creditsNotice } = await import("./credits-collect.ts");
    if (mine !== generation || app.account !== account) return;
    drawn = key;
    replace(slot, creditsNotice(app, account, credits, drafts));
  };

  const refresh = async () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const account = app.account;
    const mine = ++generation;
    lastRead = Date.now();
    if (!account) {
      drawn = "";
      replace(slot);
      return;
    }
    try {
      const credits = await readCredits(app, account);
      if (mine === generation && app.account === account) await render(account, credits, mine);
    } catch {
      // The offline banner (ui/layout.ts) says the network is unreachable; the notice keeps what it showed.
    }
  };

  /** On a new block: read now if the last read is old enough, else once the interval has passed. */
  const onBlock = () => {
    if (timer || !app.account) return;
    const wait = lastRead + CREDITS_MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) void refresh();
    else timer = setTimeout(() => void refresh(), wait);
  };

  let account = app.account;
  app.onChange(() => {
    if (app.account === account) return;
    account = app.account;
    void refresh();
  });
  app.onBlock(onBlock);
  onTransactionDone(app, () => void refresh());
  void refresh();
  return slot;
}
