// Store names are free text, so an impostor can call itself "The Band — 0fficial Store". These helpers reduce a
// name to a skeleton that ignores case, spacing, punctuation, accents and common look-alike characters, so the
// dapp can warn when an unverified store's name is close to an official store's, and search can match
// names the same way.
import type { Store } from "./protocol.ts";

// Characters that render (nearly) like a Latin letter: Cyrillic and Greek homoglyphs, digits and symbols used
// as letters. Applied after NFKC, which already folds full-width and stylised mathematical letters.
const CONFUSABLES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  "0": "o",
  "1": "l",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "9": "g",
  $: "s",
  "@": "a",
  "!": "i",
  "|": "l",
  "€": "e",
  ı: "i",
  ł: "l",
  ø: "o",
  đ: "d",
  ß: "ss",
  æ: "ae",
  œ: "oe",
};
// Letter pairs that read as one letter at a glance.
const DIGRAPHS: [RegExp, string][] = [
  [/rn/g, "m"],
  [/vv/g, "w"],
  [/cl/g, "d"],
  [/[il]/g, "l"],
];
// Words an impostor adds or drops without changing who the store claims to be.
const GENERIC_WORDS = new Set(["the", "official", "offical", "store", "shop", "merch", "merchandise", "and"]);

// Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they reorder the text that follows
// them, so "\u202Eslwo thgindim ehT" displays as "The midnight owls" while its bytes (and every check on them) say
// otherwise. Legitimate right-to-left names need none of them: the Unicode bidi algorithm orders Arabic or Hebrew
// letters by itself. The marks (LRM, RLM, ALM) stay: they cannot reorder letters.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Seller-chosen text as the page may show it: without bidi controls, so what a fan reads is the order the bytes
 * are in, which is also what search and the look-alike check compare.
 */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

function fold(name: string): string {
  const lowered = name
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}+/gu, "");
  let out = "";
  for (const ch of lowered) out += CONFUSABLES[ch] ?? ch;
  return out;
}

/** Lower-case letters and digits only, accents and look-alikes folded: for search and comparisons. */
export function skeleton(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]+/gu, "");
}

/** The part of a name that says who the store is: skeleton words without generic ones, look-alike pairs merged. */
export function identityKey(name: string): string {
  const words = fold(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !GENERIC_WORDS.has(w));
  let key = words.join("");
  for (const [pattern, replacement] of DIGRAPHS) key = key.replace(pattern, replacement);
  return key;
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Whether two store names would be easy to mistake for each other. */
export function namesLookAlike(a: string, b: string): boolean {
  const ka = identityKey(a);
  const kb = identityKey(b);
  if (ka.length === 0 || kb.length === 0) return skeleton(a) === skeleton(b) && skeleton(a).length > 0;
  if (ka === kb) return true;
  // One typo-sized edit only counts on names long enough that it is not a different short word.
  return Math.min(ka.length, kb.length) >= 5 && editDistanceAtMostOne(ka, kb);
}

/** The official store an unverified store's name imitates, if any. */
export function impersonatedStore(store: Store, stores: readonly Store[]): Store | undefined {
  if (store.official) return undefined;
  return stores.find((other) => other.official && other.id !== store.id && namesLookAlike(store.name, other.name));
}
