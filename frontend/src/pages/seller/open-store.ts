// Open a store: name, bio and logo (uploaded to IPFS with the store metadata JSON), payout address, currency, time
// windows within the protocol bounds, arbiter, and the X25519 shipping key derived from a wallet signature — only
// its public key goes on-chain.

import { formatNumber } from "../../client/format.ts";
import { toHex } from "../../client/hex.ts";
import { openedStoreId } from "../../client/history.ts";
import { randomShippingKey } from "../../client/key-backup.ts";
import { MAX_BIO, storeMetadata } from "../../client/metadata.ts";
import { DAY, LIMITS, ZERO_ADDRESS } from "../../client/protocol.ts";
import { loadBounds, openStoreTx } from "../../client/seller-actions.ts";
import { NondeterministicSignerError, type ShippingKeys, sessionKeyring } from "../../client/shipping-keys.ts";
import { UploadError, uploadJson } from "../../client/upload.ts";
import { checkStoreForm } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { lockIcon } from "../../ui/components.ts";
import { button, h, link, replace } from "../../ui/dom.ts";
import { go, routes } from "../../urls.ts";
import { imageField } from "./image-field.ts";
import { passphrasePair, saveBackupFile } from "./key-backup.ts";
import {
  byteCounter,
  charCounter,
  connectPrompt,
  field,
  onAccountChange,
  PRIVACY_SENTENCE,
  runTx,
  unlockShippingKey,
} from "./shared.ts";

const days = (seconds: number) => formatNumber(BigInt(Math.round((seconds / DAY) * 100)), 2);

export default async function openStorePage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const bounds = await loadBounds(app.chain);
  const root = h("div", { class: "seller-page open-store" });

  const render = () => {
    if (!app.account) {
      replace(
        root,
        h("h1", { text: "Open a store" }),
        connectPrompt(
          app,
          "Connect the wallet that will own the store",
          "The store belongs to the wallet that opens it: only it can change the store's terms, payout and managers.",
        ),
      );
      return;
    }
    const name = h("input", { attrs: { name: "store-name", required: true, autocomplete: "organization" } });
    const bio = h("textarea", { attrs: { name: "bio", rows: 3, maxlength: MAX_BIO } });
    const logo = imageField(app, { label: "Logo", max: 1 });
    // With uploads off (manifest ipfsUpload: null) the seller pins the store metadata JSON elsewhere and pastes it.
    const metaCid = h("input", {
      attrs: { name: "metadata-cid", spellcheck: "false", autocomplete: "off", placeholder: "bafy…" },
    });
    const payout = h("input", { attrs: { name: "payout", required: true, spellcheck: "false", autocomplete: "off" } });
    payout.value = app.account ?? "";
    const currency = h(
      "select",
      { attrs: { name: "currency" } },
      app.manifest.currencies.map((c) => h("option", { attrs: { value: c.address }, text: c.symbol })),
    );
    const ship = h("input", {
      attrs: {
        name: "ship-days",
        type: "number",
        min: days(bounds.minShipWindow),
        max: days(bounds.maxShipWindow),
        step: "any",
        required: true,
      },
    });
    ship.value = String(Math.min(Math.max(7, bounds.minShipWindow / DAY), bounds.maxShipWindow / DAY));
    const delivery = h("input", {
      attrs: {
        name: "delivery-days",
        type: "number",
        min: days(bounds.minDeliveryWindow),
        max: days(bounds.maxDeliveryWindow),
        step: "any",
        required: true,
      },
    });
    delivery.value = String(Math.min(Math.max(14, bounds.minDeliveryWindow / DAY), bounds.maxDeliveryWindow / DAY));
    const arbiter = h("input", {
      attrs: { name: "arbiter", required: true, spellcheck: "false", autocomplete: "off", placeholder: "0x…" },
    });
    const status = h("div", { class: "form-status", attrs: { "aria-live": "assertive" } });
    // A wallet that doesn't sign the same way twice (NondeterministicSignerError), or a seller who prefers it: a
    // random key, published with the store and saved as a backup file (pages/seller/key-backup.ts), kept in this
    // tab's keyring as a restored key is, so the store's Orders page unlocks with it.
    const pair = passphrasePair();
    const randomKey = h(
      "details",
      { class: "random-key" },
      h("summary", { text: "Use a random key kept in a backup file instead" }),
      h("p", {
        class: "muted small",
        text: "For a wallet that doesn't sign the same way twice. A new key is made in this browser and published with the store; when it is open, the key is saved encrypted under your passphrase as a file you download. You (or a manager) restore the file on the Orders page to read addresses. Lose the file or the passphrase and the addresses sealed to it can't be read.",
      }),
      pair.el,
    );
    let fresh: ShippingKeys | null = null;
    const submit = h("button", { class: "btn", attrs: { type: "submit" }, text: "Open store" });

    const form = h(
      "form",
      { class: "seller-form", attrs: { novalidate: true } },
      h(
        "fieldset",
        null,
        h("legend", { text: "Your store" }),
        field("Store name", name, byteCounter(name, LIMITS.name)),
        app.manifest.ipfsUpload
          ? [
              field("About the store (optional)", bio, [
                "A line or two fans see on your store page. ",
                charCounter(bio, MAX_BIO),
              ]),
              logo.el,
            ]
          : field(
              "Store metadata CID (optional)",
              metaCid,
              "Uploads are turned off in this build: add your store's metadata JSON (bio, logo) to IPFS yourself and paste its CID.",
            ),
      ),
      h(
        "fieldset",
        null,
        h("legend", { text: "Getting paid" }),
        field(
          "Payout address",
          payout,
          "Where your earnings are sent when you withdraw. It can be a different wallet from this one.",
        ),
        field("Currency", currency, "Every price in this store is in this currency. It can't be changed later."),
      ),
      h(
        "fieldset",
        null,
        h("legend", { text: "Terms fans buy under" }),
        field(
          "Days to ship",
          ship,
          `If an order isn't shipped (or a digital one delivered) within this time, the buyer can cancel for a full refund, and it can no longer be marked shipped. Between ${days(bounds.minShipWindow)} and ${days(bounds.maxShipWindow)} days.`,
        ),
        field(
          "Days to raise a problem after shipping",
          delivery,
          `After shipping, the buyer can open a dispute for this long; once it ends, anyone (you too) can release the payment to you, if the buyer hasn't confirmed before. Between ${days(bounds.minDeliveryWindow)} and ${days(bounds.maxDeliveryWindow)} days.`,
        ),
        field(
          "Arbiter",
          arbiter,
          `The address of someone you and your fans trust to settle disputes: they split the escrowed payment between the buyer and you. If they don't rule within ${days(bounds.arbiterWindow)} days, the buyer gets everything back.`,
        ),
        arbiterGuide(arbiter, app.account),
      ),
      h(
        "section",
        { class: "key-box", attrs: { "aria-labelledby": "key-title" } },
        h("h2", { attrs: { id: "key-title" } }, lockIcon(), " Your shipping key"),
        h("p", {
          text: "Fans' shipping addresses are encrypted to your store's key before they go on-chain. When you press Open store, your wallet asks you to sign a message; the key is computed from that signature in this browser.",
        }),
        h("p", {
          text: "The secret key never leaves this browser and is never stored. You can re-create it on any device by signing with the same wallet. Only the public key goes on-chain.",
        }),
        h("p", { class: "muted small", text: PRIVACY_SENTENCE }),
        randomKey,
      ),
      status,
      submit,
    );

    const showProblem = (message: string, fieldName?: string) => {
      replace(status, h("p", { class: "notice danger error-sentence", attrs: { role: "alert" }, text: message }));
      const target = fieldName ? (form.querySelector(`[data-field="${fieldName}"]`) as HTMLElement | null) : null;
      target?.focus();
    };
    name.dataset.field = "name";
    payout.dataset.field = "payout";
    arbiter.dataset.field = "arbiter";
    ship.dataset.field = "ship";
    delivery.dataset.field = "delivery";
    currency.dataset.field = "currency";

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void (async () => {
        const checked = checkStoreForm(
          {
            name: name.value,
            metadataCid: app.manifest.ipfsUpload ? "" : metaCid.value,
            payout: payout.value,
            currency: currency.value,
            arbiter: arbiter.value,
            shipDays: ship.value,
            deliveryDays: delivery.value,
          },
          bounds,
          app.manifest.currencies,
        );
        if (!checked.ok) return showProblem(checked.message, checked.field);
        const random = randomKey.open;
        const weak = random ? pair.problem() : null;
        if (weak) return showProblem(weak);
        if (logo.busy()) {
          replace(status, h("p", { class: "tx-stage", text: "Waiting for the logo upload…" }));
          await logo.settled();
        }
        submit.disabled = true;
        try {
          let metadataCid = checked.value.metadataCid;
          const logoCid = logo.cids()[0] ?? null;
          if (app.manifest.ipfsUpload && (bio.value.trim() || logoCid)) {
            replace(status, h("p", { class: "tx-stage", text: "Step 1 of 3: uploading the store details to IPFS…" }));
            metadataCid = await uploadJson(
              app.manifest.ipfsUpload,
              storeMetadata({ bio: bio.value.slice(0, 2000), logo: logoCid }),
            );
          }
          let keys: ShippingKeys;
          if (random) {
            fresh ??= randomShippingKey();
            keys = fresh;
          } else {
            replace(
              status,
              h("p", {
                class: "tx-stage",
                text: "Step 2 of 3: sign the message in your wallet to create your shipping key…",
              }),
            );
            keys = await unlockShippingKey(app);
          }
          const input = { ...checked.value, metadataCid, shippingKey: toHex(keys.publicKey) };
          const receipt = await runTx(app, status, openStoreTx(input), {
            done: `"${input.name}" is open.`,
            errorContext: { currency: app.currency(input.currency) },
          });
          const id = receipt ? openedStoreId(receipt.logs) : null;
          if (id !== null && random && app.account) {
            sessionKeyring.install(app.account, app.manifest.chainId, keys);
            replace(
              status,
              h("p", { class: "tx-stage", text: `"${input.name}" is open. Encrypting the key's backup…` }),
            );
            fresh = null;
            try {
              await saveBackupFile(app, id, keys, pair.value());
              pair.clear();
            } catch {
              // The key is in this tab's keyring: the Orders page's key tools (keyBackupTools) can still save it.
              go(routes.sellerOrders(id));
              return;
            }
          }
          if (id !== null) go(routes.newProduct(id));
        } catch (error) {
          if (error instanceof NondeterministicSignerError) {
            randomKey.open = true;
            return showProblem(
              "Your wallet signed the same message two different ways, so it can't re-create the same shipping key each time. Use a random key kept in a backup file: type a passphrase twice below and press Open store again.",
            );
          }
          const message =
            error instanceof UploadError
              ? error.message
              : app.explain(error).kind === "rejected"
                ? "You cancelled the signature in your wallet. The store needs a shipping key, so it wasn't opened. Nothing was charged."
                : app.explain(error).message;
          showProblem(message);
        } finally {
          submit.disabled = false;
        }
      })();
    });
    currency.value = app.manifest.currencies[0]?.address ?? ZERO_ADDRESS;

    replace(
      root,
      h(
        "nav",
        { class: "breadcrumb", attrs: { "aria-label": "Breadcrumb" } },
        link(routes.sell(), null, "Seller dashboard"),
        " / ",
        h("span", { attrs: { "aria-current": "page" }, text: "Open a store" }),
      ),
      h("h1", { text: "Open a store" }),
      h("p", {
        class: "lead",
        text: "Sell your merch straight to fans: they pay into escrow, and the money is released to you when they confirm receipt, or, once the dispute window after shipping ends, when you (or anyone) release it.",
      }),
      form,
    );
  };

  render();
  const unsubscribe = onAccountChange(ctx, render);
  return { title: "Open a store", el: root, dispose: unsubscribe };
}

/**
 * What an arbiter is and whom to pick, under the arbiter field; a button fills in the seller's own wallet, which the
 * contract allows, with a live note that fans are told (ui/components.ts selfArbitrated on the store and product
 * pages).
 */
function arbiterGuide(arbiter: HTMLInputElement, account: string | null): HTMLElement {
  const own = h("p", { class: "notice own-arbiter", attrs: { hidden: true, role: "note" } });
  own.textContent =
    "You are naming yourself: allowed, but your store and product pages will tell fans that the store settles its own disputes. A neutral arbiter reassures fans more.";
  const update = () => {
    own.hidden = !(account && arbiter.value.trim().toLowerCase() === account.toLowerCase());
  };
  arbiter.addEventListener("input", update);
  return h(
    "details",
    { class: "guide" },
    h("summary", { text: "What is an arbiter, and whom should I choose?" }),
    h("p", {
      text: "When a fan opens a dispute (the order never arrived, or isn't what was described), the payment stays in escrow until the arbiter rules. The arbiter reads both sides and splits the payment between the fan and you, from nothing to everything. Their ruling is final and runs on-chain.",
    }),
    h("p", {
      text: "Pick someone both sides can trust and who will answer: your label or management, a fellow artist, or a dispute service. They need a wallet address, not an account here; they rule from the Arbiter page.",
    }),
    account
      ? button(
          "Use my own wallet",
          () => {
            arbiter.value = account;
            update();
          },
          { class: "btn secondary small" },
        )
      : null,
    own,
  );
}
