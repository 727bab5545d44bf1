// A store's managers: who they are (from StoreManagerSet logs, confirmed on chain), adding and removing them (owner
// only), and what a manager can and cannot do. Below them, the store's ownership in two steps: the owner proposes a
// new owner (or withdraws the proposal), and nothing changes until that address accepts from its own dashboard.
import { loadManagers } from "../../client/history.ts";
import { ZERO_ADDRESS } from "../../client/protocol.ts";
import { proposeOwnerTx, setStoreManagerTx, withdrawOwnerProposalTx } from "../../client/seller-actions.ts";
import { checkAddress } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { errorBox, spinner } from "../../ui/components.ts";
import { button, h, replace } from "../../ui/dom.ts";
import { field, loadStoreForStaff, notStaffNotice, onAccountChange, runTx, storeHeader } from "./shared.ts";

export default async function managersPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  let staff = await loadStoreForStaff(ctx);
  const root = h("div", { class: "seller-page seller-managers" });
  const listEl = h("div", null, spinner());
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const ownershipEl = h("div", { class: "ownership" });
  const ownershipStatus = h("div", { attrs: { "aria-live": "polite" } });

  const renderOwnership = async () => {
    const pending = await app.chain.read("pendingStoreOwner", [staff.store.id]);
    if (ctx.signal.aborted) return;
    const owner = staff.role === "owner";
    const hasPending = pending !== ZERO_ADDRESS;
    const withdraw = button(
      "Withdraw the proposal",
      async () => {
        withdraw.disabled = true;
        const ok = await runTx(app, ownershipStatus, withdrawOwnerProposalTx(staff.store), {
          done: "The proposal is withdrawn. You remain the owner.",
        });
        if (ok) await loadOwnership();
        else withdraw.disabled = false;
      },
      { class: "btn secondary small withdraw-proposal" },
    );
    const newOwner = h("input", {
      attrs: { name: "new-owner", spellcheck: "false", autocomplete: "off", placeholder: "0x…" },
    });
    const propose = h("button", { class: "btn", attrs: { type: "submit" }, text: "Propose new owner" });
    const form = h(
      "form",
      { class: "seller-form inline-form", attrs: { novalidate: true } },
      field("New owner's wallet address", newOwner),
      propose,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        const checked = checkAddress(newOwner.value, "The new owner's address");
        if (!checked.ok || checked.value.toLowerCase() === staff.store.owner.toLowerCase()) {
          const text = checked.ok ? "That is already the owner's address." : checked.message;
          replace(ownershipStatus, h("p", { class: "notice danger", attrs: { role: "alert" }, text }));
          newOwner.focus();
          return;
        }
        propose.disabled = true;
        const ok = await runTx(app, ownershipStatus, proposeOwnerTx(staff.store, checked.value), {
          done: `${checked.value} is proposed. The store is theirs once they accept it from their dashboard.`,
        });
        propose.disabled = false;
        if (ok) await loadOwnership();
      })();
    });
    replace(
      ownershipEl,
      h("p", null, "Owner: ", h("code", { class: "break store-owner", text: staff.store.owner })),
      hasPending
        ? h(
            "p",
            { class: "pending-owner" },
            "Proposed new owner, waiting for them to accept: ",
            h("code", { class: "break", text: pending }),
          )
        : h("p", { class: "muted small", text: "No new owner is proposed." }),
      owner && hasPending ? withdraw : null,
      owner ? form : h("p", { class: "muted small", text: "Only the owner can hand the store over." }),
    );
  };
  const loadOwnership = () =>
    renderOwnership().catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          ownershipEl,
          errorBox(app.explain(error), () => void loadOwnership()),
        );
    });

  const render = async () => {
    const managers = await loadManagers(app.chain, staff.store.id, app.manifest.deploymentBlock);
    if (ctx.signal.aborted) return;
    const owner = staff.role === "owner";
    replace(
      listEl,
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
                  const ok = await runTx(app, status, setStoreManagerTx(staff.store.id, m, false), {
                    done: `${m} is no longer a manager.`,
                  });
                  if (ok) await load();
                  else remove.disabled = false;
                },
                { class: "btn secondary small", attrs: { "aria-label": `Remove manager ${m}` } },
              );
              return h("li", { class: "manager" }, h("code", { class: "break", text: m }), owner ? remove : null);
            }),
          ),
    );
  };

  const load = () =>
    render().catch((error) => {
      if (!ctx.signal.aborted)
        replace(
          listEl,
          errorBox(app.explain(error), () => void load()),
        );
    });

  const addForm = () => {
    const address = h("input", {
      attrs: { name: "manager", spellcheck: "false", autocomplete: "off", placeholder: "0x…" },
    });
    const add = h("button", { class: "btn", attrs: { type: "submit" }, text: "Add manager" });
    const form = h(
      "form",
      { class: "seller-form inline-form", attrs: { novalidate: true } },
      field("Manager's wallet address", address),
      add,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        const checked = checkAddress(address.value, "The manager's address");
        if (!checked.ok) {
          replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: checked.message }));
          address.focus();
          return;
        }
        if (checked.value.toLowerCase() === staff.store.owner.toLowerCase()) {
          replace(
            status,
            h("p", { class: "notice danger", attrs: { role: "alert" }, text: "That is the owner's own address." }),
          );
          return;
        }
        add.disabled = true;
        const ok = await runTx(app, status, setStoreManagerTx(staff.store.id, checked.value, true), {
          done: `${checked.value} is now a manager.`,
        });
        add.disabled = false;
        if (ok) {
          address.value = "";
          await load();
        }
      })();
    });
    return form;
  };

  const mount = () => {
    replace(
      root,
      storeHeader(staff, "managers"),
      staff.role ? null : notStaffNotice(app, staff.store),
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
        listEl,
        staff.role === "owner"
          ? addForm()
          : h("p", { class: "muted small", text: "Only the owner can add or remove managers." }),
        status,
      ),
      h(
        "section",
        { class: "section" },
        h("h2", { text: "Ownership" }),
        h("p", {
          text: "Handing the store over takes two steps: you propose a new owner, and nothing changes until that address accepts the store from its own dashboard. Until then you can withdraw the proposal. When they accept, every manager is removed and the official mark is cleared. The shipping key stays the old owner's until the new owner sets their own, so buyers' addresses stay readable only by the old owner's wallet until then.",
        }),
        ownershipEl,
        ownershipStatus,
      ),
    );
  };
  mount();
  void load();
  void loadOwnership();
  const unsubscribe = onAccountChange(ctx, () => {
    void loadStoreForStaff(ctx).then((s) => {
      staff = s;
      mount();
      void load();
      void loadOwnership();
    });
  });
  return { title: `Managers · ${staff.store.name}`, el: root, dispose: unsubscribe };
}
