// Settings: the fan's own network provider (RPC). Kept in this browser (client/rpc-choice.ts), tried before the
// store's; checked before it is kept. The app reloads to use it, so every reader starts on the same endpoint.
import { checkRpcUrl, clearRpcUrl, savedRpcUrl, saveRpcUrl } from "../client/rpc-choice.ts";
import type { Page, PageContext } from "../page.ts";
import { button, h, replace } from "../ui/dom.ts";

export default function settingsPage(ctx: PageContext): Page {
  const { app } = ctx;
  const { chainId, chainName } = app.manifest;
  const own = savedRpcUrl(localStorage, chainId);
  const status = h("div", { class: "rpc-status", attrs: { "aria-live": "polite" } });
  const input = h("input", {
    attrs: {
      id: "rpc-url",
      name: "rpc-url",
      type: "url",
      inputmode: "url",
      spellcheck: "false",
      autocomplete: "url",
      placeholder: "https://…",
      value: own ?? "",
    },
  });
  const save = h("button", { class: "btn", attrs: { type: "submit" }, text: "Check and use" });
  const form = h(
    "form",
    { class: "rpc-form", attrs: { novalidate: true } },
    h("label", { attrs: { for: "rpc-url" }, text: `Network provider (RPC) address for ${chainName}` }),
    input,
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      save.disabled = true;
      replace(status, h("p", { class: "muted", text: "Checking that provider…" }));
      const checked = await checkRpcUrl(input.value, { chainId, chainName });
      save.disabled = false;
      if (!checked.ok) {
        replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: checked.message }));
        input.focus();
        return;
      }
      saveRpcUrl(localStorage, chainId, checked.url);
      replace(status, h("p", { class: "notice", text: "Saved. Reloading with your provider…" }));
      location.reload();
    })();
  });
  const reset = own
    ? button(
        "Use the store's provider again",
        () => {
          clearRpcUrl(localStorage, chainId);
          location.reload();
        },
        { class: "btn secondary" },
      )
    : null;
  return {
    title: "Settings",
    el: h(
      "div",
      { class: "settings-page" },
      h("h1", { text: "Settings" }),
      h("h2", { text: "Network provider" }),
      h("p", {
        text: "The store reads the blockchain through a network provider (RPC). If pages can't load your orders or reviews, use another one: your own node, or a provider account's address for this network. It is kept in this browser only.",
      }),
      h("p", { class: "muted" }, "Now using: ", h("code", { class: "rpc-current", text: app.rpcUrl })),
      form,
      status,
      reset,
    ),
  };
}
