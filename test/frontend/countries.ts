// The country list (client/countries.ts): ISO 3166-1 alpha-2 codes, names from Intl.DisplayNames in the reader's
// language, sorted by name; and old free-text entries read back as codes where they name a country.
import { expect } from "chai";
import {
  COUNTRY_CODES,
  countries,
  countryCode,
  countryLabel,
  countryName,
  isCountryCode,
} from "../../frontend/src/client/countries.ts";

describe("countries (client/countries.ts)", () => {
  it("lists each assigned code once, two capital letters each, with a real name", () => {
    expect(new Set(COUNTRY_CODES).size).to.equal(COUNTRY_CODES.length);
    // 249 assigned by ISO 3166-1, plus XK (Kosovo).
    expect(COUNTRY_CODES.length).to.equal(250);
    for (const code of COUNTRY_CODES) {
      expect(code).to.match(/^[A-Z]{2}$/);
      // A code Intl doesn't know comes back as itself (fallback "code"): every listed one has a name.
      expect(countryName(code, "en"), code).not.to.equal(code);
    }
    expect(isCountryCode("GB")).to.equal(true);
    expect(isCountryCode("UK")).to.equal(false);
    expect(isCountryCode("gb")).to.equal(false);
  });

  it("names countries in the reader's language and sorts by that name", () => {
    expect(countryName("GB", "en")).to.equal("United Kingdom");
    expect(countryName("GB", "de")).to.equal("Vereinigtes Königreich");
    const en = countries("en");
    expect(en).to.have.length(COUNTRY_CODES.length);
    expect(en[0]).to.deep.equal({ code: "AF", name: "Afghanistan" });
    const names = en.map((c) => c.name);
    const collator = new Intl.Collator("en", { sensitivity: "base" });
    expect(names).to.deep.equal([...names].sort(collator.compare));
    // Åland Islands sorts with the A's in English, not after Z.
    expect(names.indexOf("Åland Islands")).to.be.lessThan(names.indexOf("Albania"));
    const de = countries("de").map((c) => c.code);
    expect(de.indexOf("DE")).to.be.lessThan(de.indexOf("FR"));
    expect(de.indexOf("GB")).to.be.greaterThan(de.indexOf("US"));
  });

  it("reads a stored code, an old free-text name or a common alias back as the code", () => {
    expect(countryCode("GB")).to.equal("GB");
    expect(countryCode(" gb ")).to.equal("GB");
    expect(countryCode("United Kingdom")).to.equal("GB");
    expect(countryCode("united  kingdom")).to.equal("GB");
    expect(countryCode("UK")).to.equal("GB");
    expect(countryCode("USA")).to.equal("US");
    expect(countryCode("United States")).to.equal("US");
    expect(countryCode("Vereinigtes Königreich", "de")).to.equal("GB");
    expect(countryCode("Cote d'Ivoire")).to.equal("CI");
    expect(countryCode("Côte d’Ivoire")).to.equal("CI");
    expect(countryCode("Atlantis")).to.equal(null);
    expect(countryCode("")).to.equal(null);
  });

  it("shows a code as its name and an unknown old entry as it was typed", () => {
    expect(countryLabel("GB", "en")).to.equal("United Kingdom");
    expect(countryLabel("US", "fr")).to.equal("États-Unis");
    expect(countryLabel("uk", "en")).to.equal("United Kingdom");
    expect(countryLabel(" Atlantis ", "en")).to.equal("Atlantis");
  });
});
