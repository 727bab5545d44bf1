// A store's managers: who they are (from StoreManagerSet logs, confirmed on chain), adding and removing them (owner
// only), and what a manager can and cannot do. Below them, the store's ownership in two steps: the owner proposes a
// new owner (or withdraws the proposal), and nothing changes until that address accepts from its own dashboard.
import { loadManagers } from "../../client/history.ts";
import { ZERO_ADDRESS } from "../../client/protocol.ts";
import { proposeOwnerTx, setStoreManagerTx, withdrawOwnerProposalTx } from "../../client/seller-actions.ts";
import { checkAddress } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { button, h, replace } from "../../ui/dom.ts";
import { field, notStaffNotice, runTx, type StaffContext } from "./shared.ts";
import { storePage } from "./store-page.ts";

export default function managersPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const render = async (staff: StaffContext, body: HTMLElement, reload: () => Promise<HTMLElement>) => {
    const { store } = staff;
    const [managers, pending] = await Promise.all([
      loadManagers(app.chain, store.id, app.manifest.deploymentBlock),
      app.chain.read("pendingStoreOwner", [store.id]),
    ]);
    const owner = staff.role === "owner";
    const status = h("div", { attrs: { "aria-live": "polite" }, dataset: { status: "managers" } });
    const ownershipStatus = h("div", { attrs: { "aria-live": "polite" }, dataset: { status: "ownership" } });
    // After a transaction the page renders again (./store-page.ts); the sentence it ended with moves into that render.
    const reloadKeeping = async (sentence: HTMLElement) => {
      const now = await reload();
      now
        .querySelector(`[data-status="${sentence.dataset.status}"]`)
        ?.replaceChildren(...Array.from(sentence.childNodes));
    };

    const hasPending = pending !== ZERO_ADDRESS;
    const withdraw = button(
      "Withdraw the proposal",
      async () => {
        withdraw.disabled = true;
        const ok = await runTx(app, ownershipStatus, withdrawOwnerProposalTx(store), {
          done: "The proposal is withdrawn. You remain the owner.",
        });
        if (ok) await reloadKeeping(ownershipStatus);
        else withdraw.disabled = false;
      },
      { class: "btn secondary small withdraw-proposal" },
    );
    const newOwner = h("input", {
      attrs: { name: "new-owner", spellcheck: "false", autocomplete: "off", placeholder: "0x…" },
    });
    const propose = h("button", { class: "btn", attrs: { type: "submit" }, text: "Propose new owner" });
    const proposeForm = h(
      "form",
      { class: "seller-form inline-form", attrs: { novalidate: true } },
      field("New owner's wallet address", newOwner),
      propose,
    );
    proposeForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        const checked = checkAddress(newOwner.value, "The new owner's address");
        if (!checked.ok || checked.value.toLowerCase() === store.owner.toLowerCase()) {
          const text = checked.ok ? "That is already the owner's address." : checked.message;
          replace(ownershipStatus, h("p", { class: "notice danger", attrs: { role: "alert" }, text }));
          newOwner.focus();
          return;
        }
        propose.disabled = true;
        const ok = await runTx(app, ownershipStatus, proposeOwnerTx(store, checked.value), {
          done: `${checked.value} is proposed. The store is theirs once they accept it from their dashboard.`,
        });
        propose.disabled = false;
        if (ok) {
          newOwner.value = "";
          await reloadKeeping(ownershipStatus);
        }
      })();
    });

    const address = h("input", {
      attrs: { name: "manager", spellcheck: "false", autocomplete: "off", placeholder: "0x…" },
    });
    const add = h("button", { class: "btn", attrs: { type: "submit" }, text: "Add manager" });
    const addForm = h(
      "form",
      { class: "seller-form inline-form", attrs: { novalidate: true } },
      field("Manager's wallet address", address),
      add,
    );
    addForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        const checked = checkAddress(address.value, "The manager's address");
        if (!checked.ok) {
          replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: checked.message }));
          address.focus();
          return;
        }
        if (checked.value.toLowerCase() === store.owner.toLowerCase()) {
          replace(
            status,
            h("p", { class: "notice danger", attrs: { role: "alert" }, text: "That is the owner's own address." }),
          );
          return;
        }
        add.disabled = true;
        const ok = await runTx(app, status, setStoreManagerTx(store.id, checked.value, true), {
          done: `${checked.value} is now a manager.`,
        });
        add.disabled = false;
        if (ok) {
          address.value = "";
          await reloadKeeping(status);
        }
      })();
    });

    const list =
      managers.length === 0
        ? h("p", { class: "muted", text: "No managers. Only the owner runs this store." })
        : h(
            "ul",
            { class: "manager-list" },
            managers.map((m) => {
              const remove = button(
                "Remove",
                async () => {
                  remove.disabled = true;
                  const ok = await runTx(app, status, setStoreManagerTx(store.id, m, false), {
                    done: `${m} is no longer a manager.`,
                  });
                  if (ok) await reloadKeeping(status);
                  else remove.disabled = false;
                },
                { class: "btn secondary small", attrs: { "aria-label": `Remove manager ${m}` } },
              );
              return h("li", { class: "manager" }, h("code", { class: "break", text: m }), owner ? remove : null);
            }),
          );

    replace(
      body,
      staff.role ? null : notStaffNotice(app, store),
      h(
        "section",
        { class: "section" },
        h("h2", { text: "Managers" }),
        h("p", {
          text: "Managers can list and edit products, restock, ship and refund orders. Only the owner can change the payout address, the terms, the shipping key and the managers, and earnings always go to the payout address.",
        }),
        h("p", {
          class: "muted small",
          text: "Shipping addresses are sealed to the key of the owner's wallet, so a manager can only read them in a browser where the owner's wallet signs.",
        }),
        list,
        owner ? addForm : h("p", { class: "muted small", text: "Only the owner can add or remove managers." }),
        status,
      ),
      h(
        "section",
        { class: "section" },
        h("h2", { text: "Ownership" }),
        h("p", {
          text: "Handing the store over takes two steps: you propose a new owner, and nothing changes until that address accepts the store from its own dashboard. Until then you can withdraw the proposal. When they accept, every manager is removed and the official mark is cleared. The shipping key stays the old owner's until the new owner sets their own, so buyers' addresses stay readable only by the old owner's wallet until then.",
        }),
        h(
          "div",
          { class: "ownership" },
          h("p", null, "Owner: ", h("code", { class: "break store-owner", text: store.owner })),
          hasPending
            ? h(
                "p",
                { class: "pending-owner" },
                "Proposed new owner, waiting for them to accept: ",
                h("code", { class: "break", text: pending }),
              )
            : h("p", { class: "muted small", text: "No new owner is proposed." }),
          owner && hasPending ? withdraw : null,
          owner ? proposeForm : h("p", { class: "muted small", text: "Only the owner can hand the store over." }),
        ),
        ownershipStatus,
      ),
    );
  };

  return storePage(ctx, {
    tab: "managers",
    className: "seller-managers",
    title: (staff) => `Managers · ${staff.store.name}`,
    loading: "Reading the store's managers…",
    render,
  });
}
