// The seller's drop form (pages/seller/drop-editor.ts) without the DOM: the four times as the seller types them
// (`datetime-local` text, the seller's own time zone) turned into the unix seconds of IMerchstand Drop, checked
// against the rules MerchstandDrops.setDrop enforces before anything is sent, the setDrop request, and the sentence
// for an InvalidDrop revert that names the rule broken.
import { formatDate } from "./format.ts";
import type { TxRequest } from "./transactions.ts";

/** A drop as setDrop takes it: unix seconds (uint40), 0 for "none". */
export type DropArg = { presaleAt: number; opensAt: number; closesAt: number; shipsFrom: number };
/** The form's four `datetime-local` values ("" for none). */
export type DropFormValues = { presaleAt: string; opensAt: string; closesAt: string; shipsFrom: string };
export type DropField = keyof DropFormValues;

export const NO_DROP_ARG: DropArg = { presaleAt: 0, opensAt: 0, closesAt: 0, shipsFrom: 0 };
/** uint40: the contract's time fields. */
const MAX_TIME = 2 ** 40 - 1;

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Unix seconds of a `datetime-local` value in this browser's time zone; null when it isn't one. */
export function parseLocalTime(text: string): number | null {
  const m = LOCAL.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, hh, mm, ss] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (hh > 23 || mm > 59 || ss > 59) return null;
  const date = new Date(y, mo - 1, d, hh, mm, ss);
  // new Date rolls 31 Feb over into March: a date that didn't exist is refused. (A clock time skipped by a
  // daylight-saving change is moved on by the browser, as the input itself does.)
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return Math.floor(date.getTime() / 1000);
}

/** The `datetime-local` value (minutes, this browser's time zone) of unix seconds; "" for 0. */
export function toLocalInput(unixSeconds: number | bigint): string {
  const s = Number(unixSeconds);
  if (s === 0) return "";
  const d = new Date(s * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(d.getFullYear()).padStart(4, "0")}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export type DropCheck = { ok: true; value: DropArg } | { ok: false; message: string; field: DropField };

const LABELS: Record<DropField, string> = {
  presaleAt: "The presale start",
  opensAt: "The opening",
  closesAt: "The close",
  shipsFrom: "The ship date",
};

/**
 * The form's values as a Drop, or the first rule they break, in the seller's words. `now`: the chain's time (what
 * setDrop compares the ship date with); `maxPreorderDelay`: the contract's MAX_PREORDER_DELAY, read from it.
 */
export function checkDropForm(values: DropFormValues, now: bigint, maxPreorderDelay: number): DropCheck {
  const drop: DropArg = { ...NO_DROP_ARG };
  for (const field of ["presaleAt", "opensAt", "closesAt", "shipsFrom"] as const) {
    const text = values[field].trim();
    if (!text) continue;
    const t = parseLocalTime(text);
    if (t === null || t <= 0 || t > MAX_TIME)
      return { ok: false, field, message: `${LABELS[field]} isn't a date and time. Pick one, or leave it empty.` };
    drop[field] = t;
  }
  if (drop.presaleAt !== 0 && drop.opensAt === 0)
    return {
      ok: false,
      field: "opensAt",
      message: "A presale needs an opening time: the presale runs from its start until the drop opens to everyone.",
    };
  if (drop.presaleAt !== 0 && drop.presaleAt >= drop.opensAt)
    return { ok: false, field: "presaleAt", message: "The presale must start before the drop opens to everyone." };
  if (drop.closesAt !== 0 && drop.closesAt <= drop.opensAt)
    return { ok: false, field: "closesAt", message: "The drop must close after it opens." };
  const latestShip = now + BigInt(maxPreorderDelay);
  if (BigInt(drop.shipsFrom) > latestShip)
    return {
      ok: false,
      field: "shipsFrom",
      message: `A pre-order can ship at most ${Math.floor(maxPreorderDelay / 86_400)} days ahead: ${formatDate(latestShip)} at the latest.`,
    };
  return { ok: true, value: drop };
}

export function sameDrop(a: DropArg, b: DropArg): boolean {
  return (
    a.presaleAt === b.presaleAt && a.opensAt === b.opensAt && a.closesAt === b.closesAt && a.shipsFrom === b.shipsFrom
  );
}

export function setDropTx(productId: bigint, productName: string, drop: DropArg): TxRequest {
  const cleared = sameDrop(drop, NO_DROP_ARG);
  return {
    fn: "setDrop",
    args: [productId, drop],
    what: cleared ? `Remove the drop times of "${productName}"` : `Set the drop times of "${productName}"`,
  };
}

/** The sentence for setDrop's InvalidDrop(productId, presaleAt, opensAt, closesAt, shipsFrom), naming the rule. */
export function invalidDropSentence(args: readonly unknown[], maxPreorderDelay: number): string {
  const n = (i: number) => BigInt(args[i] as bigint);
  const [presaleAt, opensAt, closesAt] = [n(1), n(2), n(3)];
  if (presaleAt !== 0n && presaleAt >= opensAt)
    return "The presale must start before the drop opens to everyone (a presale needs an opening time). Nothing was changed.";
  if (closesAt !== 0n && closesAt <= opensAt) return "The drop must close after it opens. Nothing was changed.";
  return `The ship date is more than ${Math.floor(maxPreorderDelay / 86_400)} days ahead of the network's clock. Pick an earlier date. Nothing was changed.`;
}
