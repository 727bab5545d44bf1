// The verifier's queue: every store that asked to be verified, from VerificationRequested events, with its
// evidence, owner and any official store its name looks like; attest or revoke in one action. Official stores that
// never asked (attested directly) are listed too, so their mark can be revoked from here.

import { loadAllStores } from "../../client/catalog.ts";
import { normalizeCidRef } from "../../client/cid.ts";
import { shortAddress } from "../../client/format.ts";
import { loadOfficialHistory, type VerificationQueueItem, verificationQueue } from "../../client/history.ts";
import { namesLookAlike } from "../../client/names.ts";
import type { Store } from "../../client/protocol.ts";
import { LIMITS } from "../../client/protocol.ts";
import { attestOfficialTx, isVerifier, revokeOfficialTx } from "../../client/seller-actions.ts";
import { checkEvidence, checkText } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { emptyState, errorBox, officialBadge, spinner } from "../../ui/components.ts";
import { button, externalLink, h, link, replace, uid } from "../../ui/dom.ts";
import { routes } from "../../urls.ts";
import { connectPrompt, onAccountChange, runTx } from "./shared.ts";

export default function verifierPage(ctx: PageContext): Page {
  const { app } = ctx;
  const body = h("div", null, spinner("Loading verification requests…"));

  const render = async () => {
    const account = app.account;
    if (!account) {
      replace(
        body,
        connectPrompt(
          app,
          "Connect a verifier wallet",
          "Verifiers hold Merchstand's verifier role. Connect that wallet to attest or revoke official stores.",
        ),
      );
      return;
    }
    // Read fresh rather than app.stores(): that cache lives until the next polled block, so it would miss a
    // store opened or attested a moment ago.
    const [events, stores, verifier] = await Promise.all([
      loadOfficialHistory(app.chain, app.manifest.deploymentBlock),
      loadAllStores(app.chain),
      isVerifier(app.chain, account),
    ]);
    if (ctx.signal.aborted || account !== app.account) return;
    const queue = verificationQueue(events);
    const byId = new Map(stores.map((s) => [s.id, s]));
    const asked = new Set(queue.map((q) => q.storeId));
    const officialOnly = stores.filter((s) => s.official && !asked.has(s.id));
    replace(
      body,
      verifier
        ? null
        : h("p", {
            class: "notice danger",
            attrs: { role: "alert" },
            text: `The connected account (${shortAddress(account)}) is not a Merchstand verifier. You can read the queue, but attesting and revoking will be refused.`,
          }),
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "queue-title" } },
        h("h2", { attrs: { id: "queue-title" }, text: "Stores that asked" }),
        queue.length === 0
          ? emptyState("No requests", "When a store asks to be verified, it appears here.")
          : h(
              "ul",
              { class: "verify-list" },
              queue.flatMap((item) => {
                const store = byId.get(item.storeId);
                return store ? [requestCard(ctx, item, store, stores, () => void load())] : [];
              }),
            ),
      ),
      officialOnly.length
        ? h(
            "section",
            { class: "section", attrs: { "aria-labelledby": "official-title" } },
            h("h2", { attrs: { id: "official-title" }, text: "Other official stores" }),
            h(
              "ul",
              { class: "verify-list" },
              officialOnly.map((s) => requestCard(ctx, null, s, stores, () => void load())),
            ),
          )
        : null,
    );
  };

  const load = () =>
    render().catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          body,
          errorBox(app.explain(error), () => void load()),
        );
    });
  const unsubscribe = onAccountChange(ctx, () => void load());
  void load();
  return {
    title: "Verification requests",
    el: h(
      "div",
      { class: "seller-page verifier" },
      h("h1", { text: "Verification requests" }),
      h("p", {
        class: "lead",
        text: "Attest a store only when its evidence is on the artist's own channels (their website, their long-standing verified account) and names this exact store number and contract. Renaming or transferring a store clears the mark by itself.",
      }),
      body,
    ),
    dispose: unsubscribe,
  };
}

function evidenceLink(app: PageContext["app"], evidence: string): HTMLElement {
  if (/^https:\/\//i.test(evidence)) return externalLink(evidence, h("code", { class: "break", text: evidence }));
  // A CID (optionally ipfs:// and a path) opens on the first gateway the build knows.
  const ref = evidence.replace(/^ipfs:\/\//, "");
  const gateway = app.manifest.ipfsGateways[0];
  if (gateway && normalizeCidRef(ref.split("/")[0] ?? "")) {
    return externalLink(`${gateway}/ipfs/${ref}`, h("code", { class: "break", text: evidence }));
  }
  return h("code", { class: "break", text: evidence });
}

function requestCard(
  ctx: PageContext,
  item: VerificationQueueItem | null,
  store: Store,
  stores: readonly Store[],
  reload: () => void,
): HTMLElement {
  const { app } = ctx;
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const lookalikes = stores.filter((o) => o.id !== store.id && namesLookAlike(o.name, store.name));
  const actions = h("div", { class: "verify-actions" });
  if (!store.official) {
    const id = uid("evidence");
    const evidence = h("input", { attrs: { id, spellcheck: "false", autocomplete: "off" } });
    evidence.value = item?.evidence ?? "";
    const attest = button(
      "Attest official",
      async () => {
        const checked = checkEvidence(evidence.value);
        if (!checked.ok) {
          replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: checked.message }));
          return;
        }
        attest.disabled = true;
        const ok = await runTx(app, status, attestOfficialTx(store.id, store.name, checked.value), {
          done: `"${store.name}" is marked official.`,
        });
        if (ok) reload();
        else attest.disabled = false;
      },
      { class: "btn small attest" },
    );
    actions.append(
      h(
        "div",
        { class: "field inline-field" },
        h("label", { attrs: { for: id }, text: "Evidence the mark rests on" }),
        h("div", { class: "inline" }, evidence, attest),
      ),
    );
  } else {
    const id = uid("reason");
    const reason = h("input", { attrs: { id, maxlength: LIMITS.text, placeholder: "Evidence was taken down" } });
    const revoke = button(
      "Revoke",
      async () => {
        const checked = checkText(reason.value, "The reason", 1, LIMITS.text);
        if (!checked.ok) {
          replace(
            status,
            h("p", {
              class: "notice danger",
              attrs: { role: "alert" },
              text: `${checked.message} Say why the mark is removed; the store sees it.`,
            }),
          );
          reason.focus();
          return;
        }
        revoke.disabled = true;
        const ok = await runTx(app, status, revokeOfficialTx(store.id, store.name, checked.value), {
          done: `"${store.name}" is no longer marked official.`,
        });
        if (ok) reload();
        else revoke.disabled = false;
      },
      { class: "btn secondary small revoke" },
    );
    actions.append(
      h(
        "div",
        { class: "field inline-field" },
        h("label", { attrs: { for: id }, text: "Reason for revoking" }),
        h("div", { class: "inline" }, reason, revoke),
      ),
    );
  }
  return h(
    "li",
    { class: "card verify-card", dataset: { storeId: store.id.toString() } },
    h(
      "div",
      { class: "verify-head" },
      h("h3", null, link(routes.store(store.id), null, store.name), " ", officialBadge(store)),
      item?.pending ? h("span", { class: "status-pill paid", text: "Waiting" }) : null,
    ),
    h("p", {
      class: "muted small",
      text: `Store #${store.id} · owner ${store.owner}${item ? ` · asked ${item.requests} time(s), last in block ${item.lastRequestBlock}` : ""}`,
    }),
    item ? h("p", null, "Evidence: ", evidenceLink(app, item.evidence)) : null,
    store.official && store.officialEvidence
      ? h("p", { class: "small" }, "Attested on: ", evidenceLink(app, store.officialEvidence))
      : null,
    lookalikes.length
      ? h(
          "p",
          { class: "notice danger lookalike", attrs: { role: "note" } },
          h("strong", { text: "Look-alike name: " }),
          lookalikes.map((o) => `"${o.name}" (#${o.id}${o.official ? ", official" : ""})`).join(", "),
          ". Make sure the evidence names this store's number.",
        )
      : null,
    actions,
    status,
  );
}
