// HTML from somewhere else (a Shopify export's "Body (HTML)") reduced to plain text, without a DOM: the dapp never
// parses foreign markup into a document (no innerHTML, no DOMParser, so no script, handler or image can run or
// load), and Node tests import this module. What survives is text; the page shows it with textContent.

/** Elements whose content is never text a fan should read. */
const DROPPED = /<(script|style|template|noscript|iframe|object|svg|math|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** Elements that end a line or a paragraph in the text. */
const BLOCK_END = /<\/?(p|div|br|ul|ol|h[1-6]|tr|table|section|article|blockquote|pre|hr)\b[^>]*>/gi;

const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  bull: "•",
  middot: "·",
  copy: "©",
  reg: "®",
  trade: "™",
  deg: "°",
  times: "×",
  eacute: "é",
  egrave: "è",
  aacute: "á",
  agrave: "à",
  ouml: "ö",
  uuml: "ü",
  auml: "ä",
  szlig: "ß",
  ntilde: "ñ",
  ccedil: "ç",
  euro: "€",
  pound: "£",
  yen: "¥",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      // Control characters, surrogates and out-of-range code points are dropped rather than decoded.
      if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0xd800 && code < 0xe000) || code > 0x10ffff)
        return "";
      return String.fromCodePoint(code);
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/**
 * The text of an HTML fragment: scripts, styles and other non-text elements dropped with their content, comments
 * dropped, block ends turned into line breaks, every other tag removed, entities decoded, blank runs collapsed
 * (at most one empty line between paragraphs).
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?(-->|$)/g, "")
    .replace(DROPPED, "")
    .replace(/\r\n?/g, "\n")
    // Line breaks in the source are spaces in HTML; block ends become the real breaks.
    .replace(/\s*\n\s*/g, " ")
    .replace(/<li\b[^>]*>/gi, "\n• ")
    .replace(/<\/li\s*>/gi, "")
    .replace(BLOCK_END, "\n")
    // A tag starts with a letter, "/" or "!"; a lone "<" (as in "5 < 6") is text.
    .replace(/<[/!]?[a-z][^>]*>?/gi, "")
    .replace(/<![^>]*>?/g, "");
  return decodeEntities(text)
    .replace(/[^\S\n]+/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
