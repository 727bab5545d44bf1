// The country field: a native <select> of ISO 3166-1 codes (client/countries.ts) with names in the fan's language,
// sorted by name. Native on purpose: typing "uni" jumps to United Kingdom on desktop, phones open their own
// searchable picker, and browser autofill matches the `country` token to the option values.
import { countries, isCountryCode } from "../client/countries.ts";
import { h } from "./dom.ts";

export type CountrySelectOptions = {
  id: string;
  name: string;
  /** The autofill token, e.g. "shipping country" (the code, which is what the options' values are). */
  autocomplete: string;
  required: boolean;
  /**
   * A code to select. Without one nothing is selected: a guess from the browser's language ("en-US" is the default
   * of many browsers far from the US) would ship a parcel to the wrong country when a fan doesn't notice it.
   */
  value?: string | null;
};

export function countrySelect(options: CountrySelectOptions): HTMLSelectElement {
  const select = h(
    "select",
    {
      class: "country-select",
      attrs: { id: options.id, name: options.name, autocomplete: options.autocomplete, required: options.required },
    },
    h("option", { attrs: { value: "" }, text: "Choose a country…" }),
    countries().map(({ code, name }) => h("option", { attrs: { value: code }, text: name })),
  );
  select.value = options.value && isCountryCode(options.value) ? options.value : "";
  return select;
}
