// What a store or product page says about the code its link carried (client/code-link.ts): that it is kept for the
// checkout, or, for a malformed one, why it can't be used.
import type { DecodedCode } from "../client/code-text.ts";
import { formatDate } from "../client/format.ts";
import { h } from "./dom.ts";

export function codeLinkNotice(linked: DecodedCode | null): HTMLElement | null {
  if (!linked) return null;
  if (!linked.ok)
    return h("p", {
      class: "notice danger code-link",
      attrs: { role: "alert" },
      text: `The code in this link can't be used. ${linked.reason}`,
    });
  const { code } = linked.value;
  const what = code.value === 0n ? "Presale code" : "Discount code";
  const until = code.expiresAt !== 0n ? ` It is valid until ${formatDate(code.expiresAt)}.` : "";
  return h("p", {
    class: "notice code-link",
    attrs: { role: "status" },
    text: `${what} ready: it is filled in at checkout.${until}`,
  });
}
