// The open "You have … to collect" notice (mounted by ui/credits-notice.ts, which loads this module only when the
// connected account holds credits): the credit, where it comes from, a "Send to" field with the fan's own address
// filled in, and one Collect per currency. Merchstand.withdraw sends the whole credit to any address; the address
// typed is checked first (client/withdraw.ts), and a refusal says nothing was sent and the credit is still there.
import type { App } from "../app.ts";
import { formatAmount } from "../client/format.ts";
import { checkPayoutAddress, explainWithdrawFailure, withdrawnAmount, withdrawTx } from "../client/withdraw.ts";
import type { Credit } from "./credits-notice.ts";
import { button, h, keepDraft, replace, uid } from "./dom.ts";
import { runTx } from "./tx.ts";

/**
 * The notice for `account`'s `credits` (at least one). `drafts` belongs to the caller and outlives the notice: the
 * address typed comes back when the notice is drawn again (the credits changed).
 */
export function creditsNotice(app: App, account: string, credits: Credit[], drafts: Map<string, string>): HTMLElement {
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
          const checked = checkPayoutAddress(to.value, { merchstand: app.manifest.merchstand, currency });
          if (!checked.ok) {
            refuse(checked.message);
            return;
          }
          to.value = checked.address;
          drafts.set(account.toLowerCase(), checked.address);
          const receipt = await runTx(app, withdrawTx(currency, checked.address, amount), {
            status,
            explain: (error) =>
              explainWithdrawFailure(app.explain(error, { currency }), {
                currency,
                to: checked.address,
                amount,
              }),
          });
          if (receipt) {
            const sent = withdrawnAmount(receipt, app.manifest.merchstand) ?? amount;
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
  return h(
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
  );
}
