// A code carried by a link (`#/store/ID?code=…`, `#/store/ID/product/PID?code=…`): read from the page's query,
// validated (client/code-text.ts), and kept for this tab (sessionStorage, per deployment) so the checkout fills it
// in and the product page opens a presale to it. No DOM here.
import { type DecodedCode, decodeCodeText, type SignedCodeText } from "./code-text.ts";

function key(chainId: number, contract: string): string {
  return `merchstand.code.${chainId}.${contract.toLowerCase()}`;
}

function tab(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The code of a page's `?code=` (decoded, checked, and kept for the checkout), or null when the URL has none. A
 * malformed one answers its reason and keeps nothing.
 */
export function rememberLinkedCode(chainId: number, contract: string, query: URLSearchParams): DecodedCode | null {
  const text = query.get("code");
  if (text === null) return null;
  const decoded = decodeCodeText(text);
  if (decoded.ok) {
    try {
      tab()?.setItem(key(chainId, contract), text.trim());
    } catch {
      // Not kept: the fan can still paste it at checkout.
    }
  }
  return decoded;
}

/** The code text to fill in: the page's own `?code=`, else the last one a link carried in this tab. */
export function linkedCode(chainId: number, contract: string, query: URLSearchParams): string | null {
  const own = query.get("code");
  if (own !== null) return own;
  try {
    return tab()?.getItem(key(chainId, contract)) ?? null;
  } catch {
    return null;
  }
}

/** Forgets the kept code (after paying with it). */
export function forgetLinkedCode(chainId: number, contract: string): void {
  try {
    tab()?.removeItem(key(chainId, contract));
  } catch {
    // Nothing kept.
  }
}

/** The code this tab holds (the page's own `?code=`, else the last a link carried), decoded; null for none or a bad one. */
export function heldCode(chainId: number, contract: string, query: URLSearchParams): SignedCodeText | null {
  const text = linkedCode(chainId, contract, query);
  if (text === null) return null;
  const decoded = decodeCodeText(text);
  return decoded.ok ? decoded.value : null;
}
