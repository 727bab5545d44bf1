// "Get verified": what evidence an artist publishes so a verifier can mark the store official, the
// statement to publish, the request itself (requestVerification, owner only), and the store's verification history.
import { loadOfficialHistory, type OfficialEvent } from "../../client/history.ts";
import { LIMITS } from "../../client/protocol.ts";
import { requestVerificationTx } from "../../client/seller-actions.ts";
import { checkEvidence } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { errorBox, officialWithEvidence, spinner } from "../../ui/components.ts";
import { button, h, keepDraft, replace } from "../../ui/dom.ts";
import {
  byteCounter,
  field,
  loadStoreForStaff,
  notStaffNotice,
  onAccountChange,
  runTx,
  storeHeader,
} from "./shared.ts";

export default async function getVerifiedPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  let staff = await loadStoreForStaff(ctx);
  const root = h("div", { class: "seller-page get-verified" });
  const state = h("div", null, spinner());
  const history = h("div");

  const statement = () =>
    `Our official merch store on Merchstand is store #${staff.store.id} "${staff.store.name}" — contract ${app.manifest.merchstand} on ${app.manifest.chainName} (chain ${app.manifest.chainId}), owned by ${staff.store.owner}.`;

  const render = async () => {
    const events = await loadOfficialHistory(app.chain, app.manifest.deploymentBlock, staff.store.id);
    const store = (await app.chain.getStore(staff.store.id)) ?? staff.store;
    if (ctx.signal.aborted) return;
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
  };

  const load = () =>
    render().catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          state,
          errorBox(app.explain(error), () => void load()),
        );
    });

  // The evidence link being typed survives a re-render (a new block, the wallet connecting).
  const drafts = new Map<string, string>();
  const requestForm = () => {
    const evidence = h("input", {
      attrs: {
        name: "evidence",
        spellcheck: "false",
        autocomplete: "off",
        placeholder: "https://yourband.example/merch",
      },
    });
    keepDraft(drafts, evidence, "evidence");
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
        if (ok) await load();
      })();
    });
    return form;
  };

  const mount = () => {
    const copyStatus = h("span", { class: "muted small", attrs: { "aria-live": "polite" } });
    const text = statement();
    replace(
      root,
      storeHeader(staff, "verify"),
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
          ? requestForm()
          : h("p", { class: "muted", text: "Only the store's owner can ask for verification." }),
      ),
      history,
    );
  };
  mount();
  void load();
  const unsubscribe = onAccountChange(ctx, () => {
    void loadStoreForStaff(ctx).then((s) => {
      staff = s;
      mount();
      void load();
    });
  });
  return { title: `Get verified · ${staff.store.name}`, el: root, refresh: () => void load(), dispose: unsubscribe };
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
