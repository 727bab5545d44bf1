// What a page module is, apart from the router that loads it (./router.ts), so pages never import the router.
import type { App } from "./app.ts";
import type { Layout } from "./ui/layout.ts";

export type PageContext = {
  app: App;
  layout: Layout;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The connected account when the navigation started (what the page first loads for). */
  account: string | null;
  /** Aborted when the fan navigates away: pages stop async work that would render into a detached page. */
  signal: AbortSignal;
};

export type Page = {
  title: string;
  el: HTMLElement;
  /** Called on every new block while the page is shown (live stock, order status). */
  refresh?(block: number): void | Promise<void>;
  dispose?(): void;
};

export type PageModule = { default: (ctx: PageContext) => Page | Promise<Page> };

/** Thrown by a page when its ids name nothing; the router shows the not-found page. */
export class NotFound extends Error {
  override name = "NotFound";
}
