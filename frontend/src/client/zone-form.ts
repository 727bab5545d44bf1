// The seller's shipping zones editor, without the DOM: what staff type (a name, country codes, a rate and a
// free-from threshold per zone) checked into the two halves the protocol keeps apart: the countries go into the
// store's IPFS metadata (`zones`, read back by client/zones.ts validateZones), the rates on chain
// (IMerchstand setShippingZones, zone k = zones[k - 1] in both).
import { isCountryCode } from "./countries.ts";
import type { Currency } from "./manifest.ts";
import type { TxRequest } from "./transactions.ts";
import { type Checked, checkText, parseAmount } from "./validation.ts";
import { MAX_ZONES, REST_OF_WORLD, validateZones, type Zone, type ZoneRate } from "./zones.ts";

/** A zone as its form row holds it. */
export type ZoneForm = { name: string; countries: string; rate: string; freeFrom: string };
export type CheckedZones = { zones: { name: string; countries: string[] }[]; rates: ZoneRate[] };

const MAX_ZONE_NAME = 40;

/** "gb, IE; fr" → ["GB", "IE", "FR"]; "*" stands for every country no other zone lists. */
export function splitCountries(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

/** Every zone row checked; the first problem as a sentence naming the zone and the field. */
export function checkZones(
  rows: readonly ZoneForm[],
  currency: Pick<Currency, "symbol" | "decimals">,
): Checked<CheckedZones> {
  if (rows.length > MAX_ZONES) return { ok: false, message: `A store can have at most ${MAX_ZONES} zones.` };
  const zones: CheckedZones["zones"] = [];
  const rates: ZoneRate[] = [];
  const seen = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    const n = i + 1;
    const name = checkText(row.name, `The name of zone ${n}`, 1, MAX_ZONE_NAME, `zone-${i}-name`);
    if (!name.ok) return { ...name, message: name.message.replace("bytes", "characters") };
    const codes = splitCountries(row.countries);
    if (codes.length === 0)
      return { ok: false, message: `Zone "${name.value}" lists no country.`, field: `zone-${i}-countries` };
    for (const code of codes) {
      if (code !== REST_OF_WORLD && !isCountryCode(code))
        return {
          ok: false,
          message: `"${code}" in zone "${name.value}" is not an ISO 3166 country code (two letters, like GB or JP).`,
          field: `zone-${i}-countries`,
        };
      const other = seen.get(code);
      if (other !== undefined)
        return {
          ok: false,
          message: `${code === REST_OF_WORLD ? "Everywhere else (*)" : code} is in zone "${other}" and in zone "${name.value}": a country can be in one zone only.`,
          field: `zone-${i}-countries`,
        };
      seen.set(code, name.value);
    }
    const rate = parseAmount(row.rate || "0", currency, `The rate of zone "${name.value}"`, {
      allowZero: true,
      field: `zone-${i}-rate`,
    });
    if (!rate.ok) return rate;
    const freeFrom = parseAmount(row.freeFrom || "0", currency, `The free-shipping threshold of zone "${name.value}"`, {
      allowZero: true,
      field: `zone-${i}-free`,
    });
    if (!freeFrom.ok) return freeFrom;
    zones.push({ name: name.value, countries: [...new Set(codes)] });
    rates.push({ rate: rate.value, freeFrom: freeFrom.value });
  }
  // The metadata reader (client/zones.ts) must take back exactly what is written.
  const readBack = validateZones(zones);
  if (!readBack.ok) return { ok: false, message: `These zones would not read back: ${readBack.reason}.` };
  return { ok: true, value: { zones, rates } };
}

/**
 * The store's metadata document with `zones` replaced, every other field (bio, logo, links, ...) kept as it was.
 * `current` is the parsed document, or null for a store without metadata.
 */
export function withZones(current: Record<string, unknown> | null, zones: CheckedZones["zones"]) {
  const doc: Record<string, unknown> = { ...(current ?? {}), schema: "merchstand/store@1" };
  if (zones.length > 0) doc.zones = zones;
  else delete doc.zones;
  return doc;
}

/** The rows of the form for the zones a store has: metadata zone k beside chain rate k. */
export function zoneRows(
  zones: readonly Zone[],
  rates: readonly ZoneRate[],
  format: (value: bigint) => string,
): ZoneForm[] {
  const count = Math.max(zones.length, rates.length);
  return Array.from({ length: count }, (_, i) => ({
    name: zones[i]?.name ?? `Zone ${i + 1}`,
    countries: zones[i]?.countries.join(", ") ?? "",
    rate: rates[i] ? format(rates[i].rate) : "",
    freeFrom: rates[i] && rates[i].freeFrom > 0n ? format(rates[i].freeFrom) : "",
  }));
}

export function setShippingZonesTx(storeId: bigint, rates: readonly ZoneRate[]): TxRequest {
  return {
    fn: "setShippingZones",
    args: [storeId, rates.map((r) => ({ rate: r.rate, freeFrom: r.freeFrom }))],
    what: rates.length
      ? `Set the rates of ${rates.length} shipping zone${rates.length === 1 ? "" : "s"}`
      : "Ship free everywhere",
  };
}

/** Points the store at a new metadata document (its name unchanged). */
export function setStoreProfileTx(storeId: bigint, name: string, metadataCid: string): TxRequest {
  return {
    fn: "setStoreProfile",
    args: [storeId, name, metadataCid],
    what: "Save the zones' countries in the store's details",
  };
}
