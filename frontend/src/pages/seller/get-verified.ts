// "Get verified": what evidence an artist publishes so a verifier can mark the store official, the
// statement to publish, the request itself (requestVerification, owner only), and the store's verification history.
// A store dashboard page on the frame of ./store-page.ts (header, account changes, Retry), which keeps the evidence
// being typed over a re-render (ui/kept-edits.ts). A new block updates the verification state and history in place,
// so the form and the sentence its last request ended with stay as they are.
import { loadOfficialHistory, type OfficialEvent } from "../../client/history.ts";
import { LIMITS, type Store } from "../../client/protocol.ts";
import { requestVerificationTx } from "../../client/seller-actions.ts";
import { checkEvidence } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { errorBox, officialWithEvidence, spinner } from "../../ui/components.ts";
import { button, h, replace } from "../../ui/dom.ts";
import { heldEdit } from "../../ui/kept-edits.ts";
import { Latest } from "../../ui/latest.ts";
import { byteCounter, field, notStaffNotice, runTx, type StaffContext } from "./shared.ts";
import { storePage } from "./store-page.ts";

export default async function getVerifiedPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const storeId = BigInt(ctx.params.storeId as string);
  // The status reads (each render's, each new block's, the one after a request) overlap: only the latest writes.
  const refreshes = new Latest(ctx.signal);
  /** Where the status goes: the state and history boxes of the newest render, and the store that render read. */
  type Target = { state: HTMLElement; history: HTMLElement; store: Store };
  let current: Target | null = null;
  // The latest status read, for a render to wait until the newest one wrote.
  let reading: Promise<void> = Promise.resolve();

  /**
   * Reads the store's mark and verification history into the target's `state` and `history` (an error box with
   * Retry in `state`). A store the chain doesn't answer for is shown as the render read it.
   */
  const fillStatus = async ({ state, history, store: known }: Target, signal: AbortSignal): Promise<void> => {
    try {
      const events = await loadOfficialHistory(app.chain, app.manifest.deploymentBlock, storeId);
      const store = (await app.chain.getStore(storeId)) ?? known;
      if (signal.aborted) return;
      const last = events.at(-1);
      const pending = last?.kind === "requested";
      replace(
        state,
        store.official
          ? h(
              "div",
              { class: "notice ok", attrs: { role: "status" } },
              h(
                "p",
                null,
                h("strong", { text: "Verified. " }),
                "Fans see the Official badge on your store, products and checkout.",
              ),
              officialWithEvidence(store),
            )
          : pending
            ? h("p", {
                class: "notice",
                attrs: { role: "status" },
                text: `Request sent ${last ? `in block ${last.blockNumber}` : ""}. A verifier will check the evidence; this page updates when they decide.`,
              })
            : h("p", {
                class: "notice unverified",
                text: "This store is not verified as the artist's official store. Fans see a warning at checkout.",
              }),
      );
      replace(
        history,
        events.length === 0
          ? null
          : h(
              "section",
              { class: "section", attrs: { "aria-labelledby": "vh-title" } },
              h("h2", { attrs: { id: "vh-title" }, text: "History" }),
              h(
                "ol",
                { class: "timeline" },
                events.map((e) => h("li", { class: "step" }, historyLine(e))),
              ),
            ),
      );
    } catch (error) {
      if (!signal.aborted)
        replace(
          state,
          errorBox(app.explain(error), () => void refresh()),
        );
    }
  };

  /** Reads the state and history again into the newest render (an older read still going writes nothing). */
  const refresh = (): Promise<void> => {
    const signal = refreshes.start();
    const mine = current ? fillStatus(current, signal) : Promise.resolve();
    reading = mine;
    return mine;
  };

  const requestForm = (staff: StaffContext): HTMLElement => {
    const evidence = h("input", {
      attrs: {
        name: "evidence",
        spellcheck: "false",
        autocomplete: "off",
        placeholder: "https://yourband.example/merch",
      },
    });
    const send = h("button", { class: "btn", attrs: { type: "submit" }, text: "Request verification" });
    const status = h("div", { attrs: { "aria-live": "assertive" } });
    const form = h(
      "form",
      { class: "seller-form", attrs: { novalidate: true } },
      field(
        "Link to your evidence",
        evidence,
        h("span", null, "An https:// link or an IPFS CID. ", byteCounter(evidence, LIMITS.evidence)),
      ),
      send,
      status,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        const checked = checkEvidence(evidence.value);
        if (!checked.ok) {
          replace(
            status,
            h("p", { class: "notice danger error-sentence", attrs: { role: "alert" }, text: checked.message }),
          );
          evidence.focus();
          return;
        }
        send.disabled = true;
        const ok = await runTx(app, status, requestVerificationTx(staff.store.id, checked.value), {
          done: "Request sent. A Merchstand verifier will check your evidence.",
        });
        send.disabled = false;
        if (ok) await refresh();
      })();
    });
    return form;
  };

  const render = async (
    staff: StaffContext,
    body: HTMLElement,
    _reload: unknown,
    shown: HTMLElement,
  ): Promise<void> => {
    const state = h("div", { class: "verify-state" }, spinner());
    const history = h("div", { class: "verify-history" });
    const copyStatus = h("span", { class: "muted small", attrs: { "aria-live": "polite" } });
    const text = `Our official merch store on Merchstand is store #${staff.store.id} "${staff.store.name}" — contract ${app.manifest.merchstand} on ${app.manifest.chainName} (chain ${app.manifest.chainId}), owned by ${staff.store.owner}.`;
    replace(
      body,
      staff.role ? null : notStaffNotice(app, staff.store),
      h("h2", { text: "Get the Official badge" }),
      h("p", {
        class: "lead",
        text: "Anyone can open a store with any name, so fans look for the Official badge before they pay. A Merchstand verifier gives it once public evidence shows this store belongs to the artist.",
      }),
      state,
      h(
        "section",
        { class: "section steps", attrs: { "aria-labelledby": "how-title" } },
        h("h2", { attrs: { id: "how-title" }, text: "What to publish" }),
        h(
          "ol",
          null,
          h(
            "li",
            null,
            h("strong", { text: "Post a statement where fans already trust you: " }),
            "your band's own website (best), or the official, verified social media account everyone links to. A post from a new or unofficial account is not evidence.",
          ),
          h(
            "li",
            null,
            h("strong", { text: "Name this exact store: " }),
            "its number, its name and the Merchstand contract address, so the statement can't be reused for a look-alike store. For example:",
          ),
        ),
        h("pre", { class: "statement" }, h("code", { text })),
        button(
          "Copy the statement",
          async () => {
            await navigator.clipboard?.writeText(text).then(
              () => {
                copyStatus.textContent = " Copied.";
              },
              () => {
                copyStatus.textContent = " Copy failed; select the text instead.";
              },
            );
          },
          { class: "btn secondary small" },
        ),
        copyStatus,
        h(
          "ol",
          { attrs: { start: 3 } },
          h(
            "li",
            null,
            h("strong", { text: "Send the link below. " }),
            "Keep the statement online: the verifier checks it, fans can open it from your badge, and the mark can be revoked if it disappears.",
          ),
          h(
            "li",
            null,
            h("strong", { text: "What removes the mark: " }),
            "renaming the store or giving it to another owner clears it at once (the evidence named this name and these people), and a verifier can revoke it. Changing the logo, bio, payout address or shipping key does not.",
          ),
        ),
      ),
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "req-title" } },
        h("h2", { attrs: { id: "req-title" }, text: "Ask for verification" }),
        staff.role === "owner"
          ? requestForm(staff)
          : h(
              "p",
              { class: "muted" },
              "Only the store's owner can ask for verification.",
              // Evidence the owner was typing is held (hidden, never sent) for when the owner's account is back.
              heldEdit(shown, 'input[name="evidence"]'),
            ),
      ),
      history,
    );
    // The page is shown while the state is read (at once for the first render); a failed read shows in `state` with
    // Retry, and the form stays usable. A new block's read that starts meanwhile replaces this one: the render waits
    // for the latest to write.
    current = { state, history, store: staff.store };
    void refresh();
    for (let awaited: Promise<void> | null = null; awaited !== reading; ) {
      awaited = reading;
      await awaited;
    }
  };

  const page = await storePage(ctx, {
    tab: "verify",
    className: "get-verified",
    title: (staff) => `Get verified · ${staff.store.name}`,
    loading: "Loading…",
    render,
  });
  return { ...page, refresh: () => void refresh() };
}

function historyLine(e: OfficialEvent): HTMLElement {
  const at = h("span", { class: "muted small", text: ` · block ${e.blockNumber}` });
  switch (e.kind) {
    case "requested":
      return h(
        "span",
        null,
        h("strong", { text: "Requested" }),
        " with ",
        h("code", { class: "break", text: e.evidence }),
        at,
      );
    case "attested":
      return h("span", null, h("strong", { text: "Marked official" }), " by ", h("code", { text: e.by }), at);
    case "revoked":
      return h("span", null, h("strong", { text: "Mark removed" }), `: ${e.reason}`, at);
  }
}
