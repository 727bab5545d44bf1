// A store's shipping zones: each zone's name and countries (ISO codes, named in the seller's language as they type)
// go into the store's IPFS metadata, its rate and free-from threshold on chain (client/zone-form.ts). Saving is up
// to two transactions, each only when its half changed: the store profile with the new metadata CID, then the rates.
import { countryName, isCountryCode } from "../../client/countries.ts";
import { formatNumber } from "../../client/format.ts";
import { MAX_METADATA_BYTES } from "../../client/metadata.ts";
import { UploadError, uploadJson } from "../../client/upload.ts";
import {
  checkZones,
  setShippingZonesTx,
  setStoreProfileTx,
  splitCountries,
  withZones,
  type ZoneForm,
  zoneRows,
} from "../../client/zone-form.ts";
import { MAX_ZONES, REST_OF_WORLD, validateZones, type ZoneRate } from "../../client/zones.ts";
import type { Page, PageContext } from "../../page.ts";
import { button, h, replace } from "../../ui/dom.ts";
import "./tools.css";
import { notStaffNotice, runTx, type StaffContext } from "./shared.ts";
import { storePage } from "./store-page.ts";

type ZoneRow = { name: HTMLInputElement; countries: HTMLInputElement; rate: HTMLInputElement; free: HTMLInputElement };

/** The store's metadata document as JSON, or null when it has none (or it can't be read: then nothing is kept). */
async function loadMetadataDoc(ctx: PageContext, cid: string): Promise<Record<string, unknown> | null> {
  if (!cid) return null;
  const bytes = await ctx.app.ipfs.fetchBytes(cid, MAX_METADATA_BYTES);
  const doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  return typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
}

export default function zonesPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const render = async (
    staff: StaffContext,
    body: HTMLElement,
    reload: () => Promise<HTMLElement>,
    shown: HTMLElement,
  ) => {
    const { store, currency } = staff;
    const [doc, chainRates] = await Promise.all([
      loadMetadataDoc(ctx, store.metadataCid),
      app.chain.read("shippingZones", [store.id]),
    ]);
    if (ctx.signal.aborted) return;
    const rates: ZoneRate[] = chainRates.map((z) => ({ rate: z.rate, freeFrom: z.freeFrom }));
    const saved = validateZones(doc?.zones);
    const zones = saved.ok ? saved.value : [];
    const format = (v: bigint) => formatNumber(v, currency.decimals).replace(/,/g, "");
    const initial = zoneRows(zones, rates, format);

    const rows: ZoneRow[] = [];
    const list = h("div", { class: "zone-rows" });
    const status = h("div", { class: "form-status", attrs: { "aria-live": "assertive" } });
    const addRow = (v: ZoneForm = { name: "", countries: "", rate: "", freeFrom: "" }) => {
      const i = rows.length;
      const input = (label: string, value: string, field: string, extra: Record<string, string> = {}) => {
        const el = h("input", { attrs: { "aria-label": `Zone ${i + 1} ${label}`, "data-field": field, ...extra } });
        el.value = value;
        return el;
      };
      const row: ZoneRow = {
        name: input("name", v.name, `zone-${i}-name`, { placeholder: "Europe", maxlength: "40" }),
        countries: input("countries", v.countries, `zone-${i}-countries`, {
          placeholder: "FR, DE, IE or * for the rest",
        }),
        rate: input(`rate (${currency.symbol})`, v.rate, `zone-${i}-rate`, {
          inputmode: "decimal",
          placeholder: "0.005",
        }),
        free: input(`free from (${currency.symbol})`, v.freeFrom, `zone-${i}-free`, {
          inputmode: "decimal",
          placeholder: "never",
        }),
      };
      const names = h("p", { class: "muted small zone-country-names", attrs: { "aria-live": "polite" } });
      const showNames = () => {
        const codes = splitCountries(row.countries.value);
        names.textContent = codes
          .map((c) => (c === REST_OF_WORLD ? "everywhere else" : isCountryCode(c) ? countryName(c) : `${c}?`))
          .join(", ");
      };
      row.countries.addEventListener("input", showNames);
      showNames();
      const el = h(
        "div",
        { class: "zone-row card" },
        h("div", { class: "variant-row" }, row.name, row.countries, row.rate, row.free),
        names,
      );
      const remove = button(
        "Remove",
        () => {
          rows.splice(rows.indexOf(row), 1);
          el.remove();
        },
        { class: "btn link small", attrs: { "aria-label": `Remove zone ${i + 1}` } },
      );
      el.append(remove);
      rows.push(row);
      list.append(el);
      return row;
    };
    for (const v of initial) addRow(v);
    // Rows the seller added to the shown form stay through a re-render (their fields carry over by themselves).
    while (rows.length < shown.querySelectorAll(".zone-row").length) addRow();

    const save = button(
      "Save zones",
      () =>
        void (async () => {
          const values = rows.map((r) => ({
            name: r.name.value,
            countries: r.countries.value,
            rate: r.rate.value,
            freeFrom: r.free.value,
          }));
          const checked = checkZones(values, currency);
          if (!checked.ok) {
            replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: checked.message }));
            if (checked.field) (list.querySelector(`[data-field="${checked.field}"]`) as HTMLElement | null)?.focus();
            return;
          }
          save.disabled = true;
          try {
            const sameZones =
              JSON.stringify(zones.map(({ name, countries }) => ({ name, countries }))) ===
              JSON.stringify(checked.value.zones);
            const sameRates =
              rates.length === checked.value.rates.length &&
              rates.every(
                (r, i) => r.rate === checked.value.rates[i]?.rate && r.freeFrom === checked.value.rates[i]?.freeFrom,
              );
            const steps = Number(!sameZones) + Number(!sameRates);
            if (steps === 0) {
              replace(status, h("p", { class: "tx-stage ok", text: "Nothing changed." }));
              return;
            }
            let step = 0;
            const prefix = () => (steps > 1 ? `Step ${++step} of ${steps}: ` : "");
            if (!sameZones) {
              const target = app.manifest.ipfsUpload;
              if (!target) {
                replace(
                  status,
                  h("p", {
                    class: "notice danger",
                    text: "Uploads are turned off in this build: the countries can't be saved.",
                  }),
                );
                return;
              }
              replace(status, h("p", { class: "tx-stage", text: "Uploading the zones' countries to IPFS…" }));
              const cid = await uploadJson(target, withZones(doc, checked.value.zones));
              const request = setStoreProfileTx(store.id, store.name, cid);
              const ok = await runTx(
                app,
                status,
                { ...request, what: `${prefix()}${request.what}` },
                {
                  done: "The zones' countries are saved.",
                },
              );
              if (!ok) return;
            }
            if (!sameRates) {
              const request = setShippingZonesTx(store.id, checked.value.rates);
              const ok = await runTx(
                app,
                status,
                { ...request, what: `${prefix()}${request.what}` },
                {
                  done: "The zones' rates are saved.",
                  errorContext: { currency },
                },
              );
              if (!ok) return;
            }
            const now = await reload();
            replace(
              now.querySelector(".form-status") ?? status,
              h("p", { class: "notice ok zones-saved", attrs: { role: "status" }, text: "Shipping zones saved." }),
            );
          } catch (error) {
            replace(
              status,
              h("p", {
                class: "notice danger",
                attrs: { role: "alert" },
                text: error instanceof UploadError ? error.message : app.explain(error).message,
              }),
            );
          } finally {
            save.disabled = false;
          }
        })(),
      { class: "btn", attrs: { disabled: !staff.role } },
    );
    const add = button(
      "Add a zone",
      () => {
        if (rows.length >= MAX_ZONES) {
          replace(
            status,
            h("p", {
              class: "notice danger",
              attrs: { role: "alert" },
              text: `A store can have at most ${MAX_ZONES} zones.`,
            }),
          );
          return;
        }
        addRow().name.focus();
      },
      { class: "btn secondary small" },
    );

    replace(
      body,
      staff.role ? null : notStaffNotice(app, store),
      h("p", {
        class: "lead",
        text: `Fans pick their country at checkout; its zone's rate is added to the order once (not per item) and held in escrow with it. Countries are two-letter ISO codes (GB, IE, JP); "*" is everywhere no other zone lists. With no zone, the store ships free everywhere. Leave "free from" empty to always charge the rate.`,
      }),
      saved.ok
        ? null
        : h("p", {
            class: "notice",
            text: `The zones in the store's metadata could not be read (${saved.reason}); saving replaces them.`,
          }),
      h(
        "div",
        { class: "variant-row head", attrs: { "aria-hidden": "true" } },
        h("span", { text: "Zone" }),
        h("span", { text: "Countries" }),
        h("span", { text: `Rate (${currency.symbol})` }),
        h("span", { text: `Free from (${currency.symbol})` }),
      ),
      list,
      add,
      status,
      save,
    );
  };

  return storePage(ctx, {
    tab: "zones",
    className: "seller-zones",
    title: (staff) => `Shipping zones · ${staff.store.name}`,
    loading: "Reading the store's zones…",
    render,
  });
}
