// "You have 0.006 ETH to collect", on every page (ui/layout.ts mounts it under the banners) while the connected
// account holds credits in the contract (`credits(account, currency)`). A cancelled order's payment, a store's refund
// and the fan's share of a dispute are sent straight to the fan's address (Merchstand.cancel, refund, resolveDispute,
// resolveExpiredDispute); they land here only when that payment failed (a contract wallet that refuses it, a token
// that blocks the address), and stay until withdrawn. Read on each account change, after each transaction, and on
// new blocks at most every CREDITS_MIN_INTERVAL_MS.
import type { App } from "../app.ts";
import { formatAmount } from "../client/format.ts";
import type { Currency } from "../client/manifest.ts";
import { onTransactionDone } from "./balances.ts";
import { button, h, replace } from "./dom.ts";

/** Someone else's refund can credit the fan at any block; reading every block would be one call per currency each. */
const CREDITS_MIN_INTERVAL_MS = 10_000;

type Credit = { currency: Currency; amount: bigint };

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

  const render = (account: string, credits: Credit[]) => {
    if (credits.length === 0) {
      replace(slot);
      return;
    }
    replace(
      slot,
      h(
        "section",
        { class: "notice credit-notice", attrs: { "aria-labelledby": "credit-notice-title" } },
        h("h2", {
          class: "credit-notice-title",
          attrs: { id: "credit-notice-title" },
          text: `You have ${credits.map((c) => formatAmount(c.amount, c.currency)).join(" and ")} to collect`,
        }),
        h("p", {
          class: "muted small",
          text: "Refunds, cancelled orders and disputes settled in your favour are paid straight to your wallet. This payment couldn't be delivered to it, so it waits in the Merchstand contract until you collect it, to any address you choose.",
        }),
        h(
          "p",
          { class: "credit-actions" },
          credits.map(({ currency, amount }) => {
            const collect = button(
              credits.length > 1 ? `Collect ${formatAmount(amount, currency)}` : "Collect",
              async () => {
                collect.disabled = true;
                // The send path (ABI encoding included) loads on the first Collect, not with every page.
                const [{ runTx }, { withdrawTx }] = await Promise.all([
                  import("./tx.ts"),
                  import("../client/buyer-actions.ts"),
                ]);
                const receipt = await runTx(app, withdrawTx(currency, account, amount), {
                  status: null,
                  done: `${formatAmount(amount, currency)} sent to your wallet.`,
                  explain: (error) => app.explain(error, { currency }),
                });
                if (!receipt) collect.disabled = false;
              },
              { class: "btn small collect" },
            );
            return collect;
          }),
        ),
      ),
    );
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
      replace(slot);
      return;
    }
    try {
      const credits = await readCredits(app, account);
      if (mine === generation && app.account === account) render(account, credits);
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
