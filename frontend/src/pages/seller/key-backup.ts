// The shipping key kept in a backup file (client/key-backup.ts), on the seller's orders page: restore it (the
// owner on a new device, or a manager the owner handed it to: docs/SHIPPING-KEYS.md), make a backup of the key in
// use, and, for a wallet that doesn't sign the same way twice, create a random key, save its backup and publish it.
import type { App } from "../../app.ts";
import {
  createBackup,
  KeyBackupError,
  parseBackup,
  passphraseProblem,
  randomShippingKey,
  restoreBackup,
  serializeBackup,
} from "../../client/key-backup.ts";
import { setStoreShippingKeyTx } from "../../client/seller-actions.ts";
import { keyMatchesStore, type ShippingKeys, sessionKeyring } from "../../client/shipping-keys.ts";
import { downloadText } from "../../ui/calendar.ts";
import { button, h, replace, uid } from "../../ui/dom.ts";
import { runTx, type StaffContext } from "./shared.ts";

function passwordField(label: string, autocomplete: string): { el: HTMLElement; input: HTMLInputElement } {
  const id = uid("passphrase");
  const input = h("input", { attrs: { id, type: "password", autocomplete, minlength: 10 } });
  return { el: h("div", { class: "field" }, h("label", { attrs: { for: id }, text: label }), input), input };
}

function say(status: HTMLElement, text: string, kind: "ok" | "danger" | "progress") {
  replace(
    status,
    h("p", {
      class: kind === "progress" ? "tx-stage" : `notice ${kind}`,
      attrs: { role: kind === "danger" ? "alert" : "status" },
      text,
    }),
  );
}

function backupName(storeId: bigint, app: App): string {
  return `merchstand-store-${storeId}-chain-${app.manifest.chainId}-shipping-key.json`;
}

/** A new passphrase typed twice: its fields, the problem with it (or null), and clearing both. */
export function passphrasePair(): {
  el: HTMLElement[];
  problem: () => string | null;
  value: () => string;
  clear: () => void;
} {
  const pass = passwordField("Passphrase (at least 10 characters)", "new-password");
  const again = passwordField("The passphrase again", "new-password");
  return {
    el: [pass.el, again.el],
    problem: () =>
      passphraseProblem(pass.input.value) ??
      (pass.input.value === again.input.value ? null : "The two passphrases differ."),
    value: () => pass.input.value,
    clear: () => {
      pass.input.value = "";
      again.input.value = "";
    },
  };
}

/** Encrypts `keys` under `passphrase` for store `storeId` and downloads the backup file. */
export async function saveBackupFile(app: App, storeId: bigint, keys: ShippingKeys, passphrase: string): Promise<void> {
  const backup = await createBackup(keys, passphrase, { chainId: app.manifest.chainId, storeId });
  downloadText(serializeBackup(backup), backupName(storeId, app), "application/json");
}

/**
 * The restore form: a backup file and its passphrase. On success the key is used in this tab for the connected
 * account (client/shipping-keys.ts install) and handed to `onKeys`.
 */
export function restoreForm(app: App, staff: StaffContext, onKeys: (keys: ShippingKeys) => void): HTMLElement {
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const fileId = uid("backup-file");
  const file = h("input", { attrs: { id: fileId, type: "file", accept: "application/json,.json" } });
  const pass = passwordField("Backup passphrase", "current-password");
  const open = button(
    "Open the backup",
    async () => {
      const chosen = file.files?.[0];
      const account = app.account;
      if (!chosen) return say(status, "Choose the backup file first.", "danger");
      if (!account) return say(status, "Connect your wallet first.", "danger");
      open.disabled = true;
      say(status, "Opening the backup…", "progress");
      try {
        const backup = parseBackup(await chosen.text());
        if (backup.chainId !== app.manifest.chainId) {
          throw new KeyBackupError(`This backup is for another network (chain ${backup.chainId}).`);
        }
        const keys = await restoreBackup(backup, pass.input.value);
        if (!keyMatchesStore(keys.publicKey, staff.store.shippingKey)) {
          throw new KeyBackupError(
            "This backup opened, but its key is not the one this store publishes, so it won't open these addresses.",
          );
        }
        sessionKeyring.install(account, app.manifest.chainId, keys);
        pass.input.value = "";
        say(status, "The backup opened: addresses are unlocked in this tab.", "ok");
        onKeys(keys);
      } catch (error) {
        say(status, error instanceof KeyBackupError ? error.message : "This file couldn't be read.", "danger");
      } finally {
        open.disabled = false;
      }
    },
    { class: "btn secondary small open-backup" },
  );
  return h(
    "form",
    { class: "key-restore", on: { submit: (e) => e.preventDefault() } },
    h("h3", { text: "Restore the shipping key from a backup file" }),
    h("p", {
      class: "muted small",
      text: "For a store whose key is kept in a backup file, or a manager the owner gave the backup and its passphrase to. The file and passphrase stay in this browser.",
    }),
    h("div", { class: "field" }, h("label", { attrs: { for: fileId }, text: "Backup file" }), file),
    pass.el,
    open,
    status,
  );
}

/** Saves a backup of `keys` under a passphrase typed twice. */
function backupForm(
  app: App,
  staff: StaffContext,
  title: string,
  note: string,
  action: string,
  keys: () => ShippingKeys,
  after: (keys: ShippingKeys) => Promise<void> | void,
): HTMLElement {
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const pair = passphrasePair();
  const save = button(
    action,
    async () => {
      const problem = pair.problem();
      if (problem) return say(status, problem, "danger");
      save.disabled = true;
      say(status, "Encrypting the key…", "progress");
      try {
        const k = keys();
        await saveBackupFile(app, staff.store.id, k, pair.value());
        pair.clear();
        say(status, "Backup saved. Keep the file and its passphrase apart, and somewhere safe.", "ok");
        await after(k);
      } catch (error) {
        say(status, error instanceof KeyBackupError ? error.message : "The backup couldn't be made.", "danger");
      } finally {
        save.disabled = false;
      }
    },
    { class: "btn secondary small save-backup" },
  );
  return h(
    "form",
    { class: "key-backup", on: { submit: (e) => e.preventDefault() } },
    h("h3", { text: title }),
    h("p", { class: "muted small", text: note }),
    pair.el,
    save,
    status,
  );
}

/** A backup of the key in use, to keep or to hand a manager (docs/SHIPPING-KEYS.md). */
export function exportForm(app: App, staff: StaffContext, keys: ShippingKeys): HTMLElement {
  return backupForm(
    app,
    staff,
    "Save a backup of this key",
    "Give the file to a manager (and the passphrase separately): they restore it here and can read addresses without your wallet. Anyone with both can read this store's addresses.",
    "Save a backup file",
    () => keys,
    () => {},
  );
}

/**
 * For a wallet that doesn't sign the same way twice: a new random key, saved as a backup file, then published as
 * the store's shipping key (the owner's transaction). Orders placed before keep their old key.
 */
export function randomKeyForm(app: App, staff: StaffContext, onKeys: (keys: ShippingKeys) => void): HTMLElement {
  if (staff.role !== "owner") {
    return h("p", {
      class: "muted",
      text: "Only the store's owner can publish a new shipping key. Ask them for a backup file of the store's key and restore it below.",
    });
  }
  const status = h("div", { attrs: { "aria-live": "polite" } });
  let fresh: ShippingKeys | null = null;
  const form = backupForm(
    app,
    staff,
    "Use a random key kept in a backup file",
    "A new key made in this browser, saved encrypted under your passphrase, then published as this store's shipping key. You (or a manager) restore the file to read addresses. Lose the file or the passphrase and the addresses sealed to it can't be read.",
    "Create the key and save its backup",
    () => {
      fresh ??= randomShippingKey();
      return fresh;
    },
    async (keys) => {
      const account = app.account;
      if (!account) return;
      const receipt = await runTx(app, status, setStoreShippingKeyTx(staff.store.id, keys.publicKey), {
        done: "The new shipping key is published. New orders are sealed to it.",
      });
      if (receipt) {
        sessionKeyring.install(account, app.manifest.chainId, keys);
        onKeys(keys);
      }
    },
  );
  form.classList.add("random-key");
  form.append(status);
  return form;
}

/** What the orders page shows when the wallet's two signatures differed: the plain reason and the way forward. */
export function nondeterministicNotice(
  app: App,
  staff: StaffContext,
  message: string,
  onKeys: (keys: ShippingKeys) => void,
): HTMLElement {
  return h(
    "div",
    { class: "nondeterministic" },
    h("p", { class: "notice danger", attrs: { role: "alert" }, text: message }),
    randomKeyForm(app, staff, onKeys),
    restoreForm(app, staff, onKeys),
  );
}

/**
 * The key's backup tools under the addresses box, folded away: restore when the key isn't unlocked (or isn't the
 * store's), save a backup when it is.
 */
export function keyBackupTools(
  app: App,
  staff: StaffContext,
  keys: ShippingKeys | null,
  onKeys: (keys: ShippingKeys) => void,
): HTMLElement | null {
  if (!staff.role) return null;
  const matches = keys !== null && keyMatchesStore(keys.publicKey, staff.store.shippingKey);
  return h(
    "details",
    { class: "key-tools" },
    h("summary", {
      text: matches ? "Back up this key, or give a manager access" : "Restore the key from a backup file",
    }),
    matches && keys ? exportForm(app, staff, keys) : restoreForm(app, staff, onKeys),
  );
}
