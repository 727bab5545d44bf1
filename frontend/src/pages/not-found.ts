// Unknown routes and ids that name nothing.
import type { Page } from "../page.ts";
import { h, link } from "../ui/dom.ts";
import { routes } from "../urls.ts";

export default function notFound(): Page {
  return {
    title: "Not found",
    el: h(
      "div",
      { class: "empty not-found" },
      h("h1", { text: "We couldn't find that page" }),
      h("p", { text: "The link may be wrong, or the store or item doesn't exist on this network." }),
      link(routes.home(), { class: "btn" }, "Back to the stores"),
    ),
  };
}
