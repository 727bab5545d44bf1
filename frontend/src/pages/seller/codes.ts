// Discount and presale codes: staff fill in what the code gives (a percentage or an amount off, or presale access to
// one product), its expiry, cap and optional fan; their wallet signs it off chain (EIP-712, eth_signTypedData_v4),
// nothing is sent to the chain. The code is shown as text and as a link the fan opens (client/codes.ts codeRoute);
// codes made on this device are listed with their uses read from the chain, and can be revoked (one transaction).
import { loadStoreProducts } from "../../client/catalog.ts";
import { codeTypedData, compactSignature, encodeCodeText } from "../../client/code-text.ts";
import {
  type CodeForm,
  chainCodeIds,
  checkCodeForm,
  codeRoute,
  describeCode,
  loadSavedCodes,
  nextCodeId,
  PREPARE_BATCH,
  prepareCodesTx,
  revokeCodeTx,
  type SavedCode,
  saveCode,
} from "../../client/codes.ts";
import { formatAmount, formatDate, shortAddress } from "../../client/format.ts";
import type { Page, PageContext } from "../../page.ts";
import { button, h, replace } from "../../ui/dom.ts";
import { hashHref } from "../../urls.ts";
import "./tools.css";
import { field, notStaffNotice, runTx, type StaffContext } from "./shared.ts";
import { storePage } from "./store-page.ts";

const DAY_MS = 86_400_000;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The full URL of a hash route of this dapp (wherever it is served from: a gateway path or subdomain). */
function dappUrl(route: string): string {
  return `${location.origin}${location.pathname}${hashHref(route)}`;
}

/** A `datetime-local` value for a time in the seller's zone. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export default function codesPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const chainId = app.manifest.chainId;
  const contract = app.manifest.merchstand;

  const render = async (staff: StaffContext, body: HTMLElement) => {
    const { store, currency } = staff;
    const money = (v: bigint) => formatAmount(v, currency);
    const [products, now] = await Promise.all([loadStoreProducts(app.chain, store.id), app.chain.blockTimestamp()]);
    if (ctx.signal.aborted) return;

    // ── the form ──
    const kind = h(
      "select",
      { attrs: { name: "code-kind" } },
      h("option", { attrs: { value: "percent" }, text: "Percentage off" }),
      h("option", { attrs: { value: "amount" }, text: `Amount off (${currency.symbol})` }),
    );
    const value = h("input", { attrs: { name: "code-value", inputmode: "decimal", "data-field": "code-value" } });
    value.value = "10";
    const expires = h("input", {
      attrs: { name: "code-expires", type: "datetime-local", "data-field": "code-expires" },
    });
    expires.value = localInput(Number(now) * 1000 + 7 * DAY_MS);
    const maxUses = h("input", {
      attrs: { name: "code-uses", type: "number", min: 1, step: 1, inputmode: "numeric", "data-field": "code-uses" },
    });
    maxUses.value = "100";
    const buyer = h("input", {
      attrs: {
        name: "code-buyer",
        placeholder: "0x… (empty: any fan)",
        autocomplete: "off",
        "data-field": "code-buyer",
      },
    });
    const product = h(
      "select",
      { attrs: { name: "code-product", "data-field": "code-product" } },
      h("option", { attrs: { value: "" }, text: "Any product of the store" }),
      products.map((p) => h("option", { attrs: { value: p.id.toString() }, text: `${p.name} (#${p.id})` })),
    );
    const note = h("input", { attrs: { name: "code-note", maxlength: 100, placeholder: "Fan club presale" } });
    const formStatus = h("div", { class: "form-status", attrs: { "aria-live": "assertive" } });
    const made = h("div", { class: "code-made" });

    const make = button(
      "Sign the code",
      () =>
        void (async () => {
          const form: CodeForm = {
            kind: kind.value === "amount" ? "amount" : "percent",
            value: value.value,
            expires: expires.value,
            maxUses: maxUses.value,
            buyer: buyer.value,
            productId: product.value,
          };
          const saved = loadSavedCodes(storage(), chainId, contract, store.id);
          const onChain = await chainCodeIds(app.chain, store.id, app.manifest.deploymentBlock);
          const checked = checkCodeForm(
            form,
            store.id,
            nextCodeId([...saved.map((c) => c.id), ...onChain]),
            currency,
            await app.chain.blockTimestamp(),
          );
          if (!checked.ok) {
            replace(formStatus, h("p", { class: "notice danger", attrs: { role: "alert" }, text: checked.message }));
            return;
          }
          const wallet = app.wallet;
          if (!wallet?.account) return;
          make.disabled = true;
          replace(
            formStatus,
            h("p", { class: "tx-stage", text: "Sign the code in your wallet. Nothing is sent to the chain." }),
          );
          try {
            const signature = await wallet.signTypedData(codeTypedData(checked.value, chainId, contract));
            const text = encodeCodeText({ code: checked.value, ...compactSignature(signature) });
            saveCode(storage(), chainId, contract, checked.value, text, note.value.trim(), Date.now());
            const url = dappUrl(codeRoute(store.id, checked.value.productId, text));
            replace(formStatus);
            replace(
              made,
              h(
                "div",
                { class: "notice ok", attrs: { role: "status" } },
                h("p", {
                  text: `Code made: ${describeCode(checked.value, money)}, until ${formatDate(checked.value.expiresAt)}.`,
                }),
                field("Code", readonly(text, "made-code-text")),
                field("Link", readonly(url, "made-code-link")),
              ),
            );
            await showList();
          } catch (error) {
            const fan = app.explain(error);
            replace(
              formStatus,
              h("p", {
                class: "notice danger",
                attrs: { role: "alert" },
                text:
                  fan.kind === "rejected"
                    ? "You cancelled the signature in your wallet. No code was made."
                    : fan.message,
              }),
            );
          } finally {
            make.disabled = false;
          }
        })(),
      { class: "btn", attrs: { disabled: !staff.role } },
    );

    // ── codes made on this device ──
    const list = h("div", { class: "code-list" });
    const listStatus = h("div", { attrs: { "aria-live": "polite" } });
    // docs/DROPS.md: a counter's first write costs a fan 17,100 gas more unless the store pays for it ahead.
    const prepare = button(
      `Pay ahead for the next ${PREPARE_BATCH} codes' use counters`,
      async () => {
        prepare.disabled = true;
        const saved = loadSavedCodes(storage(), chainId, contract, store.id);
        const onChain = await chainCodeIds(app.chain, store.id, app.manifest.deploymentBlock);
        const from = nextCodeId([...saved.map((c) => c.id), ...onChain]);
        await runTx(app, listStatus, prepareCodesTx(store.id, from, PREPARE_BATCH), {
          done: `Codes #${from} to #${from + PREPARE_BATCH - 1} are prepared: their first use costs fans no extra gas.`,
        });
        prepare.disabled = false;
      },
      { class: "btn secondary small", attrs: { disabled: !staff.role } },
    );
    const showList = async () => {
      const saved = loadSavedCodes(storage(), chainId, contract, store.id);
      if (saved.length === 0) {
        replace(list, h("p", { class: "muted", text: "No code was made on this device for this store yet." }));
        return;
      }
      const [states, at] = await Promise.all([
        Promise.all(saved.map((c) => app.chain.read("codeState", [store.id, c.id]))),
        app.chain.blockTimestamp(),
      ]);
      replace(list, codeTable(saved, states, at));
    };
    const codeTable = (saved: SavedCode[], states: { uses: bigint; revoked: boolean }[], at: bigint) =>
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "variant-table code-table" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              ["Code", "Gives", "For", "Expires", "Used", "Status", ""].map((t) =>
                h("th", { attrs: { scope: "col" }, text: t }),
              ),
            ),
          ),
          h(
            "tbody",
            null,
            saved.map((c, i) => {
              const state = states[i] ?? { uses: 0n, revoked: false };
              const label = `${c.note || `#${c.id}`}`;
              const status = state.revoked
                ? "Revoked"
                : BigInt(c.expiresAt) <= at
                  ? "Expired"
                  : state.uses >= BigInt(c.maxUses)
                    ? "Used up"
                    : "Active";
              const revoke = button(
                "Revoke",
                async () => {
                  revoke.disabled = true;
                  const ok = await runTx(app, listStatus, revokeCodeTx(store.id, c.id, label), {
                    done: `The code ${label} is revoked: fans can't use it any more.`,
                  });
                  if (ok) await showList();
                  else revoke.disabled = false;
                },
                { class: "btn secondary small", attrs: { disabled: !staff.role } },
              );
              const productName = products.find((p) => p.id.toString() === c.productId)?.name;
              return h(
                "tr",
                { class: "code-row", dataset: { codeId: String(c.id) } },
                h(
                  "td",
                  null,
                  h("strong", { text: label }),
                  h("br"),
                  h("a", {
                    class: "small",
                    attrs: { href: dappUrl(codeRoute(store.id, BigInt(c.productId), c.text)) },
                    text: "Link",
                  }),
                  " · ",
                  button("Copy code", () => void navigator.clipboard?.writeText(c.text), { class: "btn link small" }),
                ),
                h("td", { text: describeCode({ kind: c.kind, value: BigInt(c.value) }, money) }),
                h("td", {
                  text: [
                    c.productId !== "0" ? (productName ?? `product #${c.productId}`) : "any product",
                    c.buyer !== "0x0000000000000000000000000000000000000000"
                      ? `fan ${shortAddress(c.buyer)}`
                      : "any fan",
                  ].join(", "),
                }),
                h("td", { text: formatDate(c.expiresAt) }),
                h("td", { class: "code-uses", text: `${state.uses} of ${c.maxUses}` }),
                h("td", { class: "code-status", text: status }),
                h("td", null, state.revoked ? null : revoke),
              );
            }),
          ),
        ),
      );

    replace(
      body,
      staff.role ? null : notStaffNotice(app, store),
      h("p", {
        class: "lead",
        text: "A code is signed by your wallet, not sent to the chain: it costs nothing to make, and the contract checks the signature and counts uses when a fan pays with it. A code for one fan's address is useless to anyone else, even if they copy it.",
      }),
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "make-code-title" } },
        h("h2", { attrs: { id: "make-code-title" }, text: "Make a code" }),
        h(
          "div",
          { class: "seller-form" },
          field("Kind", kind),
          field(
            "Value",
            value,
            "A percentage (10 = 10% off), or an amount off the goods. 0 with a product: presale access only.",
          ),
          field("Expires", expires, "After this the code is refused."),
          field("Uses", maxUses, "How many orders may use it in all."),
          field("Only for this fan (optional)", buyer, "A fan-club presale: one code per fan's address."),
          field("Product (optional)", product, "A code for one product also opens its presale before the drop."),
          field("Note (kept on this device only)", note),
          formStatus,
          make,
        ),
        made,
      ),
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "codes-title" } },
        h("h2", { attrs: { id: "codes-title" }, text: "Codes made on this device" }),
        h("p", {
          class: "muted small",
          text: "Codes live off chain: this list is kept in this browser only. Uses and revocations are read from the chain.",
        }),
        h(
          "p",
          { class: "muted small" },
          "Optional: the first use of a new code costs the fan about 17,100 gas more than later uses, unless the store pays for its counter ahead (one transaction for the next codes). ",
          prepare,
        ),
        listStatus,
        list,
      ),
    );
    await showList();
  };

  return storePage(ctx, {
    tab: "codes",
    className: "seller-codes",
    title: (staff) => `Codes · ${staff.store.name}`,
    loading: "Loading codes…",
    render,
  });
}

function readonly(text: string, name: string): HTMLInputElement {
  const input = h("input", { class: "code-text", attrs: { readonly: true, name } });
  input.value = text;
  input.addEventListener("focus", () => input.select());
  return input;
}
