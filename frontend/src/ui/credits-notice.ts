// "You have 20 bUSD to collect", on every page (ui/layout.ts mounts it under the banners) while the connected
// account holds credits in the contract (`credits(account, currency)`). A cancelled order's payment, a store's refund
// and the fan's share of a dispute are sent straight to the fan's address (Merchstand.cancel, refund, resolveDispute,
// resolveExpiredDispute); they land here only when that payment failed (a contract wallet that refuses it, a token
// that blocks the address), and stay until withdrawn. Merchstand.withdraw sends the whole credit to any address, so
// the notice asks where: the fan's own address is filled in, and a fan whose address the token blocks types another
// (checked by client/withdraw.ts before anything is sent). Read on each account change, after each transaction, and
// on new blocks at most every CREDITS_MIN_INTERVAL_MS; drawn again only when the credits change, so a new block
// never wipes an address being typed.
import type { App } from "../app.ts";
import { formatAmount } from "../client/format.ts";
import type { Currency } from "../client/manifest.ts";
import { onTransactionDone } from "./balances.ts";
import { button, h, keepDraft, replace, uid } from "./dom.ts";

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
  /** What is drawn (account and credits), so an unchanged read leaves the notice, its field and its status be. */
  let drawn = "";
  /** The address typed for each account, kept across redraws. */
  const drafts = new Map<string, string>();

  const render = (account: string, credits: Credit[]) => {
    const key = `${account}:${credits.map((c) => `${c.currency.address}=${c.amount}`).join(",")}`;
    if (key === drawn) return;
    drawn = key;
    if (credits.length === 0) {
      replace(slot);
      return;
    }
    const inputId = uid("credit-to");
    const hintId = uid("credit-to-hint");
    // A text area, so that a phone shows the whole address (on two lines) for the fan to check before sending; it
    // takes no line breaks, and Enter collects as a form would (when there is one currency to collect).
    const to = h("textarea", {
      class: "credit-to",
      attrs: {
        id: inputId,
        rows: 2,
        autocomplete: "off",
        spellcheck: "false",
        autocapitalize: "off",
        "aria-describedby": hintId,
      },
    });
    to.value = account;
    to.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (buttons.length === 1) buttons[0]?.click();
    });
    keepDraft(drafts, to, account.toLowerCase());
    const status = h("div", { class: "credit-status", attrs: { "aria-live": "polite" } });
    const refuse = (message: string) => {
      to.setAttribute("aria-invalid", "true");
      replace(status, h("p", { class: "error-sentence danger", attrs: { role: "alert" }, text: message }));
      to.focus();
    };
    to.addEventListener("input", () => to.removeAttribute("aria-invalid"));
    const buttons = credits.map(({ currency, amount }) => {
      const collect = button(
        credits.length > 1 ? `Collect ${formatAmount(amount, currency)}` : "Collect",
        async () => {
          for (const b of buttons) b.disabled = true;
          try {
            // The send path (ABI encoding included) loads on the first Collect, not with every page.
            const [{ runTx }, withdraw] = await Promise.all([import("./tx.ts"), import("../client/withdraw.ts")]);
            const checked = withdraw.checkPayoutAddress(to.value, { merchstand: app.manifest.merchstand, currency });
            if (!checked.ok) {
              refuse(checked.message);
              return;
            }
            to.value = checked.address;
            drafts.set(account.toLowerCase(), checked.address);
            const receipt = await runTx(app, withdraw.withdrawTx(currency, checked.address, amount), {
              status,
              explain: (error) =>
                withdraw.explainWithdrawFailure(app.explain(error, { currency }), {
                  currency,
                  to: checked.address,
                  amount,
                }),
            });
            if (receipt) {
              const sent = withdraw.withdrawnAmount(receipt, app.manifest.merchstand) ?? amount;
              const done = `${formatAmount(sent, currency)} sent to ${checked.address}.`;
              replace(status, h("p", { class: "stage tx-stage ok", attrs: { role: "status" }, text: done }));
              app.toast({ kind: "success", message: done });
            }
          } finally {
            for (const b of buttons) b.disabled = false;
          }
        },
        { class: "btn small collect" },
      );
      return collect;
    });
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
          text: "The Merchstand contract holds this for your address: a refund, a cancelled order or a dispute settled in your favour that couldn't be paid straight to your wallet (they normally are), a store's earnings its payout address refused, or platform fees. It stays there until you collect it, to any address you choose.",
        }),
        h(
          "div",
          { class: "field credit-field" },
          h("label", { attrs: { for: inputId }, text: "Send to" }),
          to,
          h("p", {
            class: "muted small",
            attrs: { id: hintId },
            text: "Your wallet's address is filled in. If it can't take this payment (a token that blocks it, a wallet that refuses ETH), type another address you control.",
          }),
        ),
        h("p", { class: "credit-actions" }, buttons),
        status,
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
      drawn = "";
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
