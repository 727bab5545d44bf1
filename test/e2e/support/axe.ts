// axe-core run in the page (injected as a script tag: open the context with `bypassCSP: true`, since the dapp's
// Content-Security-Policy, script-src 'self', refuses it otherwise), its violations reduced to what a failure message
// needs.
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "../../../scripts/cli/root.ts";

const AXE = resolve(ROOT, "node_modules/axe-core/axe.min.js");

export type Violation = { id: string; impact: string | null; help: string; targets: string[] };

/** axe-core's violations inside the elements `selector` matches (the whole document when omitted). */
export async function axeViolations(page: Page, selector?: string): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (include) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
    const axe = (window as any).axe;
    const result = await axe.run(include ? { include: [include] } : document, { resultTypes: ["violations"] });
    return result.violations.map(
      (v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      }),
    );
  }, selector ?? null);
}
