// A product's drop in the product editor (./product-editor.ts): the current sale window and pre-order ship date,
// and a form to change or clear them (setDrop). Times are typed in the seller's own time zone; the rules setDrop
// enforces are checked first (client/drop-form.ts, with MAX_PREORDER_DELAY read from the contract), and a revert
// still becomes a sentence that names the rule.
import type { App } from "../../app.ts";
import {
  checkDropForm,
  type DropArg,
  type DropField,
  type DropFormValues,
  invalidDropSentence,
  NO_DROP_ARG,
  sameDrop,
  setDropTx,
  toLocalInput,
} from "../../client/drop-form.ts";
import { decodeRevert, findRevertData } from "../../client/errors.ts";
import { formatDate } from "../../client/format.ts";
import { explainSellerError } from "../../client/seller-errors.ts";
import { errorBox, spinner } from "../../ui/components.ts";
import { button, h, link, replace } from "../../ui/dom.ts";
import { runTx } from "../../ui/tx.ts";
import { routes } from "../../urls.ts";
import type { ProductAdminContext } from "./product-admin.ts";
import { field } from "./shared.ts";

export const SHIP_DATE_TERMS_SENTENCE =
  "Changing the ship date starts a new version of your store's terms: a fan's purchase already on its way then fails (nothing is charged) and they must look at the product again before buying.";

const FIELDS: { key: DropField; label: string; hint: string }[] = [
  {
    key: "presaleAt",
    label: "Presale starts",
    hint: "Optional. From then until the opening, only fans with a presale code for this product can buy.",
  },
  { key: "opensAt", label: "Opens to everyone", hint: "Empty: on sale now (whenever the product is on sale)." },
  { key: "closesAt", label: "Closes", hint: "Empty: never closes." },
  {
    key: "shipsFrom",
    label: "Pre-order: ships from",
    hint: "Empty: ships as soon as ordered. Orders placed before this date are pre-orders; your time to ship starts on it.",
  },
];

/** What the drop is, in one list ("Opens 3 Dec 2026, 18:00"), or that there is none. */
function describeDrop(drop: DropArg): HTMLElement {
  if (sameDrop(drop, NO_DROP_ARG))
    return h("p", { class: "drop-current none", text: "No drop: fans can buy whenever the product is on sale." });
  const rows: [string, number][] = [
    ["Presale from", drop.presaleAt],
    ["Opens to everyone", drop.opensAt],
    ["Closes", drop.closesAt],
    ["Pre-order, ships from", drop.shipsFrom],
  ];
  return h(
    "dl",
    { class: "facts drop-current" },
    rows
      .filter(([, t]) => t !== 0)
      .flatMap(([label, t]) => [h("dt", { text: label }), h("dd", { attrs: { "data-time": t }, text: formatDate(t) })]),
  );
}

function explain(app: App, error: unknown, maxPreorderDelay: number) {
  const data = findRevertData(error);
  const decoded = data ? decodeRevert(data) : undefined;
  const fan = explainSellerError(error, app.errorContext());
  return decoded?.name === "InvalidDrop"
    ? { ...fan, message: invalidDropSentence(decoded.args, maxPreorderDelay) }
    : fan;
}

/** The drop section of an existing product's editor. */
export function dropSection(ctx: ProductAdminContext): HTMLElement {
  const { app, product } = ctx;
  const body = h("div", null, spinner("Reading the drop…"));
  const status = h("div", { class: "form-status", attrs: { "aria-live": "polite" } });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const render = async (): Promise<void> => {
    const [read, maxPreorderDelay] = await Promise.all([
      app.chain.read("getDrop", [product.id]),
      app.chain.read("MAX_PREORDER_DELAY"),
    ]);
    const current: DropArg = {
      presaleAt: Number(read.presaleAt),
      opensAt: Number(read.opensAt),
      closesAt: Number(read.closesAt),
      shipsFrom: Number(read.shipsFrom),
    };
    const inputs = new Map<DropField, HTMLInputElement>();
    const fields = FIELDS.map(({ key, label, hint }) => {
      const input = h("input", { attrs: { type: "datetime-local", name: `drop-${key}`, "data-field": key } });
      input.value = toLocalInput(current[key]);
      inputs.set(key, input);
      // The presale is for holders of a code bound to this product: those are made on the store's Codes page.
      const codes =
        key === "presaleAt"
          ? [" ", link(routes.storeCodes(product.storeId), null, "Make presale codes on the Codes page.")]
          : [];
      return field(label, input, [hint, ...codes]);
    });
    const values = (): DropFormValues => ({
      presaleAt: inputs.get("presaleAt")?.value ?? "",
      opensAt: inputs.get("opensAt")?.value ?? "",
      closesAt: inputs.get("closesAt")?.value ?? "",
      shipsFrom: inputs.get("shipsFrom")?.value ?? "",
    });
    const problem = (message: string, key?: DropField) => {
      replace(status, h("p", { class: "notice danger error-sentence", attrs: { role: "alert" }, text: message }));
      if (key) inputs.get(key)?.focus();
    };
    const send = async (drop: DropArg, done: string) => {
      const request = setDropTx(product.id, product.name, drop);
      const shipChanged = drop.shipsFrom !== current.shipsFrom;
      save.disabled = true;
      clear.disabled = true;
      const receipt = await runTx(
        app,
        { ...request, what: shipChanged ? `${request.what} (a new ship date: new store terms)` : request.what },
        { status, done, explain: (error) => explain(app, error, maxPreorderDelay) },
      );
      if (receipt) await load(false);
      else {
        save.disabled = false;
        clear.disabled = sameDrop(current, NO_DROP_ARG);
      }
    };
    const save = button(
      "Save drop",
      () =>
        void (async () => {
          const checked = checkDropForm(values(), await app.chain.blockTimestamp(), maxPreorderDelay);
          if (!checked.ok) return problem(checked.message, checked.field);
          if (sameDrop(checked.value, current))
            return void replace(status, h("p", { class: "tx-stage ok", text: "Nothing changed." }));
          await send(
            checked.value,
            sameDrop(checked.value, NO_DROP_ARG) ? "The drop is removed." : "The drop is saved.",
          );
        })(),
      { class: "btn" },
    );
    const clear = button("Remove the drop", () => void send(NO_DROP_ARG, "The drop is removed."), {
      class: "btn secondary",
      attrs: { disabled: sameDrop(current, NO_DROP_ARG) },
    });
    replace(
      body,
      h("h3", { text: "Now" }),
      describeDrop(current),
      h(
        "fieldset",
        { class: "drop-fields" },
        h("legend", { text: `Change it (times in your time zone, ${zone})` }),
        fields,
      ),
      h("p", { class: "notice drop-terms-note", attrs: { role: "note" }, text: SHIP_DATE_TERMS_SENTENCE }),
      h("p", { class: "seller-links" }, save, clear),
    );
  };

  const load = async (clearStatus = true): Promise<void> => {
    if (clearStatus) replace(status);
    try {
      await render();
    } catch (error) {
      replace(
        body,
        errorBox(app.explain(error), () => void load()),
      );
    }
  };
  void load();
  return h(
    "section",
    { class: "section drop-editor", attrs: { "aria-labelledby": "drop-title" } },
    h("h2", { attrs: { id: "drop-title" }, text: "Drop and pre-order" }),
    h("p", {
      class: "muted small",
      text: "A sale window with a countdown on the product page, an optional presale for code holders, and a pre-order ship date. Moving the opening or the close never costs a fan more: a buy outside the window is refused with nothing charged.",
    }),
    body,
    status,
  );
}
