// CSV for label printers and spreadsheets (RFC 4180: CRLF records, fields quoted when they hold a comma, quote or
// line break, quotes doubled). Every cell comes from a buyer (names, addresses) or the chain, so a cell that a
// spreadsheet would run as a formula is neutralised with a leading apostrophe (OWASP "CSV injection").
import { countryCode, countryLabel } from "./countries.ts";
import type { OrderRecord } from "./orders.ts";
import type { OpenedAddress } from "./shipping-keys.ts";

/** Characters that make Excel, LibreOffice and Google Sheets treat a cell as a formula or command. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, neutralised and quoted as RFC 4180 requires. */
export function csvCell(value: string | number | bigint | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: a header row, then one row per record, CRLF after each record (the RFC's recommended form). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | bigint | null)[])[]) {
  const width = header.length;
  const lines = [header, ...rows].map((row, i) => {
    if (row.length !== width) throw new Error(`CSV row ${i} has ${row.length} cells, expected ${width}`);
    return row.map(csvCell).join(",");
  });
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * Reads RFC 4180 CSV into rows: round-trip checks, and files sellers import (client/shopify-csv.ts). Accepts CRLF or
 * LF record ends and drops a leading byte-order mark (spreadsheet exports often start with one). An unclosed quote
 * throws, naming the line its field started on.
 */
export function parseCsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: string[][] = [];
  let line = 1;
  let quoteLine = 1;
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "\n") line++;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === "") {
      quoted = true;
      quoteLine = line;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      endRecord();
      line++;
      i++;
    } else if (ch === "\n") endRecord();
    else cell += ch;
    i++;
  }
  if (quoted) throw new Error(`CSV ends inside a quoted field that starts on line ${quoteLine}`);
  if (cell !== "" || row.length > 0) endRecord();
  return rows;

  function endRecord() {
    row.push(cell);
    rows.push(row);
    row = [];
    cell = "";
  }
}

// The label printer's file: one row per order still to ship.

export const SHIPPING_CSV_HEADER = [
  "Order",
  "Ship by (UTC)",
  "Name",
  "Address line 1",
  "Address line 2",
  "City",
  "Region",
  "Postcode",
  "Country",
  "Country name",
  "Email",
  "Items",
] as const;

// "Country" is the ISO 3166-1 code a label printer or carrier form wants ("GB"); "Country name" is for people, in the
// seller's language. An address sealed before codes were used holds the country as typed: its code when the text is a
// known name ("United Kingdom", "UK"), else an empty code beside the text as typed (client/countries.ts countryCode).

export type ShippingCsvRow = { record: OrderRecord; shipBy: bigint; address: OpenedAddress; items: string };

/** The orders still to ship, one row each, with their addresses opened in this browser; names in `locale`. */
export function shippingCsv(rows: readonly ShippingCsvRow[], locale?: string): string {
  return toCsv(
    SHIPPING_CSV_HEADER,
    rows.map(({ record, shipBy: by, address, items: what }) => {
      const a = address.ok
        ? address.address
        : {
            name: `(${address.reason})`,
            line1: "",
            line2: "",
            city: "",
            region: "",
            postalCode: "",
            country: "",
            email: "",
          };
      return [
        record.id.toString(),
        new Date(Number(by) * 1000).toISOString().replace("T", " ").slice(0, 16),
        a.name,
        a.line1,
        a.line2,
        a.city,
        a.region,
        a.postalCode,
        countryCode(a.country, locale) ?? "",
        countryLabel(a.country, locale),
        a.email,
        what,
      ];
    }),
  );
}
