// Shown when a page could not load (RPC down, unexpected answer), with a retry; when the network was the problem,
// it also retries by itself as soon as the app finds the network back.
import type { Page, PageContext } from "../page.ts";
import { h } from "../ui/dom.ts";
import { retryWhenBackOnline } from "./shared.ts";

export default function errorPage(ctx: PageContext, error: unknown, retry: () => void): Page {
  const fan = ctx.app.explain(error);
  const message = fan.kind === "unreachable" ? "Can't reach the network right now." : fan.message;
  if (fan.retry) retryWhenBackOnline(ctx.app, ctx.signal, retry);
  return {
    title: "Something went wrong",
    el: h(
      "div",
      { class: "empty" },
      h("h1", { text: "This page didn't load" }),
      h("p", { attrs: { role: "alert" }, text: message }),
      h("button", { class: "btn", attrs: { type: "button" }, text: "Retry", on: { click: retry } }),
    ),
  };
}
