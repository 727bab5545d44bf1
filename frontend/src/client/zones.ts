// Shipping zones at checkout: which countries form each of a store's zones comes from its IPFS metadata (hostile
// until validated here), the rate of each zone and the free-shipping threshold from the chain. The fan's country
// (an ISO 3166-1 alpha-2 code, client/countries.ts) picks the zone; the zone's number is what the order carries.
// Metadata (`merchstand/store@1`, beside bio and links): `"zones": [{ "name": "UK", "countries": ["GB"] }, …]`, zone k
// being `zones[k - 1]`, as on chain (IMerchstand shippingZones); `"*"` stands for every country no zone lists.
// No DOM here.
import type { IpfsClient } from "./ipfs.ts";
import { MAX_METADATA_BYTES, type Validated } from "./metadata.ts";

/** Most zones a store may have; the contract keeps a rate for each index below it. */
export const MAX_ZONES = 8;
const MAX_ZONE_NAME = 40;
/** "Everywhere else": the zone of any country no other zone lists. */
export const REST_OF_WORLD = "*";

/** A zone of the store's metadata; `number` is its number on chain (1-based). */
export type Zone = { number: number; name: string; countries: string[] };
/** IMerchstand ShippingZone: the zone's charge (0 ships free) and the goods total from which it ships free (0 never). */
export type ZoneRate = { rate: bigint; freeFrom: bigint };

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** The `zones` of a store's metadata (docs/FORMATS.md): a list of `{ name, countries }`, at most MAX_ZONES. */
export function validateZones(input: unknown): Validated<Zone[]> {
  if (input === undefined) return { ok: true, value: [] };
  if (!Array.isArray(input) || input.length > MAX_ZONES) return fail(`zones must be a list of at most ${MAX_ZONES}`);
  const zones: Zone[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of input.entries()) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail("a zone is not an object");
    const { name, countries } = raw as Record<string, unknown>;
    if (typeof name !== "string" || name.trim().length === 0 || name.length > MAX_ZONE_NAME)
      return fail("a zone name is empty or too long");
    if (!Array.isArray(countries) || countries.length === 0 || countries.length > 250)
      return fail(`zone ${name} lists no countries`);
    const codes: string[] = [];
    for (const code of countries) {
      if (typeof code !== "string" || !(code === REST_OF_WORLD || /^[A-Z]{2}$/.test(code)))
        return fail(`zone ${name} lists something that is not a country code`);
      // A country in two zones would make the fan's rate depend on the order of the list: refuse it.
      if (seen.has(code)) return fail(`${code} is in more than one zone`);
      seen.add(code);
      codes.push(code);
    }
    zones.push({ number: index + 1, name: name.trim(), countries: codes });
  }
  return { ok: true, value: zones };
}

/** The zone a country code belongs to: the zone listing it, else the rest-of-world zone, else none. */
export function zoneOf(zones: readonly Zone[], countryCode: string): Zone | null {
  const code = countryCode.toUpperCase();
  return (
    zones.find((z) => z.countries.includes(code)) ?? zones.find((z) => z.countries.includes(REST_OF_WORLD)) ?? null
  );
}

/**
 * The shipping an order pays in zone `zone` (1-based) when its goods come to `goods` after any discount: free from the
 * zone's threshold (when set), as the contract charges it; null for a zone the chain doesn't have.
 */
export function shippingFor(rates: readonly ZoneRate[], zone: number, goods: bigint): bigint | null {
  const z = rates[zone - 1];
  if (!z) return null;
  if (z.freeFrom > 0n && goods >= z.freeFrom) return 0n;
  return z.rate;
}

/** Reads the zones of a store's metadata document; a store without metadata or zones has none. */
export async function loadZones(ipfs: IpfsClient, metadataCid: string): Promise<Validated<Zone[]>> {
  if (!metadataCid) return { ok: true, value: [] };
  try {
    const bytes = await ipfs.fetchBytes(metadataCid, MAX_METADATA_BYTES);
    const doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return fail("metadata is not an object");
    return validateZones((doc as Record<string, unknown>).zones);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** What the seller learns by comparing the zone an order paid for with the country of its (decrypted) address. */
export type ZoneVerdict =
  /** The address is in the zone paid for. */
  | { kind: "match"; zone: Zone }
  /** No zone of the store covers the address's country (the store's zones changed, or the address was typed so). */
  | { kind: "uncovered"; country: string }
  /**
   * The address is in another zone: `due` is what that zone charges for the order's goods at today's rates; when the
   * buyer paid more (`paid > due`), `difference` is what the seller may refund, else 0.
   */
  | { kind: "other-zone"; zone: Zone; paidZone: Zone | null; paid: bigint; due: bigint; difference: bigint };

/**
 * Checks an order's zone against the country of its address (an ISO code): null when the order paid no zone (the
 * store had none, or a digital order). The goods for the free-shipping threshold are the lines less the discount,
 * as the contract counts them (MerchstandPurchase `_shippingCharge`).
 */
export function checkOrderZone(
  zones: readonly Zone[],
  rates: readonly ZoneRate[],
  order: {
    zone: number;
    shipping: bigint;
    discount: bigint;
    lines: readonly { quantity: number | bigint; unitPrice: bigint }[];
  },
  country: string,
): ZoneVerdict | null {
  if (order.zone === 0) return null;
  const zone = zoneOf(zones, country);
  if (!zone) return { kind: "uncovered", country: country.toUpperCase() };
  if (zone.number === order.zone) return { kind: "match", zone };
  const goods = order.lines.reduce((sum, l) => sum + BigInt(l.quantity) * l.unitPrice, 0n) - order.discount;
  const due = shippingFor(rates, zone.number, goods) ?? 0n;
  const paidZone = zones.find((z) => z.number === order.zone) ?? null;
  const paid = order.shipping;
  return { kind: "other-zone", zone, paidZone, paid, due, difference: paid > due ? paid - due : 0n };
}
