// Countries as ISO 3166-1 alpha-2 codes ("GB", "US"): what a checkout stores in the sealed address, what a seller's
// CSV exports and what shipping zones list. Names are never stored: they come from `Intl.DisplayNames` in the
// reader's language, so a fan in Berlin reads "Vereinigtes Königreich" where a fan in Leeds reads "United Kingdom".
// Addresses sealed before codes were used hold the country as typed; `countryCode` reads those back
// (docs/FORMATS.md, "Encrypted shipping address"). No DOM here: the seed script and Node tests import it.

/**
 * The 249 officially assigned ISO 3166-1 alpha-2 codes, plus XK (Kosovo: user-assigned in the standard, but used by
 * CLDR, the EU and the major carriers, and a place fans live). `Intl.supportedValuesOf` has no list of regions, so
 * the list is written out.
 */
export const COUNTRY_CODES = [
  ..."AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ".split(" "),
  ..."BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ".split(" "),
  ..."CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ".split(" "),
  ..."DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR".split(" "),
  ..."GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY".split(" "),
  ..."HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP".split(" "),
  ..."KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY".split(" "),
  ..."MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ".split(" "),
  ..."NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA".split(" "),
  ..."RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ".split(" "),
  ..."TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ".split(" "),
  ..."VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW".split(" "),
] as const;

const KNOWN = new Set<string>(COUNTRY_CODES);

/** True for a code in `COUNTRY_CODES` (upper case, as stored). */
export function isCountryCode(value: string): boolean {
  return KNOWN.has(value);
}

export type Country = { code: string; name: string };

const displayNames = new Map<string, Intl.DisplayNames>();

function namesIn(locale?: string | readonly string[]): Intl.DisplayNames {
  const key = [locale ?? ""].flat().join(",");
  let names = displayNames.get(key);
  if (!names) {
    names = new Intl.DisplayNames(locale as string | string[] | undefined, { type: "region", fallback: "code" });
    displayNames.set(key, names);
  }
  return names;
}

/** The country's name in `locale` (the runtime's language when omitted: the fan's browser language). */
export function countryName(code: string, locale?: string | readonly string[]): string {
  return namesIn(locale).of(code) ?? code;
}

/** Every country, sorted by its name in `locale` (the order a fan scans a list in, and types ahead in). */
export function countries(locale?: string | readonly string[]): Country[] {
  const collator = new Intl.Collator(locale as string | string[] | undefined, { sensitivity: "base" });
  return COUNTRY_CODES.map((code) => ({ code, name: countryName(code, locale) })).sort((a, b) =>
    collator.compare(a.name, b.name),
  );
}

/** Names people type that `Intl.DisplayNames` does not give (checked after the names in English and `locale`). */
const ALIASES: Record<string, string> = {
  uk: "GB",
  "great britain": "GB",
  britain: "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  usa: "US",
  "u.s.a.": "US",
  "u.s.": "US",
  america: "US",
  "united states of america": "US",
  holland: "NL",
  "the netherlands": "NL",
  deutschland: "DE",
  "south korea": "KR",
  "czech republic": "CZ",
  russia: "RU",
  "ivory coast": "CI",
};

const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[\s\u00a0]+/g, " ")
    .trim();

const byName = new Map<string, Map<string, string>>();

function nameIndex(locale?: string | readonly string[]): Map<string, string> {
  const key = [locale ?? ""].flat().join(",");
  let index = byName.get(key);
  if (!index) {
    index = new Map(COUNTRY_CODES.map((code) => [fold(countryName(code, locale)), code]));
    byName.set(key, index);
  }
  return index;
}

/**
 * The code a stored or typed country stands for: a code as is (any case), else a name in English or `locale`, else
 * a common alias ("UK", "USA"). Null when nothing matches: the text is then shown as typed (`countryLabel`).
 */
export function countryCode(value: string, locale?: string | readonly string[]): string | null {
  const text = value.trim();
  if (text === "") return null;
  const upper = text.toUpperCase();
  if (isCountryCode(upper)) return upper;
  const folded = fold(text);
  return nameIndex("en").get(folded) ?? nameIndex(locale).get(folded) ?? ALIASES[folded] ?? null;
}

/** What to show for a stored country: the name in the reader's language, or an old free-text entry as it was typed. */
export function countryLabel(value: string, locale?: string | readonly string[]): string {
  const code = countryCode(value, locale);
  return code ? countryName(code, locale) : value.trim();
}
