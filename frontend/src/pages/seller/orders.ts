// A store's orders for its staff, rebuilt from logs: filters (to ship, shipped, disputed, completed, closed), the
// buyers' addresses decrypted in this browser only (one wallet signature per session), mark shipped with a tracking
// reference, full or partial refunds (a disputed order only in full: the store concedes), disputes with their reason
// and arbiter, releasing a payment once the delivery window has passed, a CSV of the orders to ship for a label
// printer, and one `deliver` transaction for every digital order waiting (client/digital.ts).

import { loadStoreProducts } from "../../client/catalog.ts";
import { shippingCsv } from "../../client/csv.ts";
import type { DeliveredItem } from "../../client/delivery-crypto.ts";
import { DeliveryProblem, type DigitalProduct, deliverTx, deliveryItems } from "../../client/digital.ts";
import { formatAmount, formatDate, shortAddress } from "../../client/format.ts";
import { TermsCache } from "../../client/history.ts";
import { orderLabel, orderReference } from "../../client/order-ref.ts";
import {
  escrowedIn,
  isOpen,
  items,
  ORDER_FILTERS,
  type OrderFilter,
  orderFilterOf,
  shipBy,
} from "../../client/order-state.ts";
import { isDigitalOrder, loadStoreOrders, type OrderRecord } from "../../client/orders.ts";
import type { Product } from "../../client/protocol.ts";
import { LIMITS, largestPartialRefund, refundUnit } from "../../client/protocol.ts";
import { loadBounds, markShippedTx, refundPlan, refundTx, releasePaymentTx } from "../../client/seller-actions.ts";
import type { ShippingAddress } from "../../client/shipping-crypto.ts";
import {
  addressLines,
  keyMatchesStore,
  NondeterministicSignerError,
  openOrderAddress,
  type ShippingKeys,
} from "../../client/shipping-keys.ts";
import { checkText, parseAmount } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { emptyState, lockIcon, trackingReference } from "../../ui/components.ts";
import { button, h, keepDraft, replace, uid } from "../../ui/dom.ts";
import { type FoundProgress, foundProgress } from "../../ui/found-progress.ts";
import { fallbackNotice, historyErrorBox } from "../../ui/history.ts";
import { orderDropLines } from "../../ui/order-drops.ts";
import { shippedMailLink } from "../../ui/shipped-mail.ts";
import { storeZonesLoader, zoneCheckNote } from "../../ui/zone-check.ts";
import { replaceRoute, routes } from "../../urls.ts";
import { statusLabel } from "../order-status.ts";
import { keyBackupTools, nondeterministicNotice } from "./key-backup.ts";
import {
  hasShippingKey,
  loadStoreForStaff,
  notStaffNotice,
  onAccountChange,
  PRIVACY_SENTENCE,
  relative,
  runTx,
  storeHeader,
  unlockShippingKey,
} from "./shared.ts";

const noop = () => {};

export default async function sellerOrders(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  let staff = await loadStoreForStaff(ctx);
  const terms = new TermsCache(app.chain);
  const wanted = ctx.query.get("filter");
  let filter: OrderFilter = ORDER_FILTERS.some((f) => f.key === wanted) ? (wanted as OrderFilter) : "to-ship";
  const focusOrder = ctx.query.get("order");
  let orders: OrderRecord[] = [];
  let products = new Map<bigint, Product>();
  let keys: ShippingKeys | null = null;
  let now = 0n;
  // The protocol's arbiter window, read once from the contract (after it, the buyer may claim a full refund).
  const arbiterWindow = (await loadBounds(app.chain)).arbiterWindow;
  let signature = "";
  // What the seller is typing survives a re-render (a new block, the wallet connecting): tracking references and
  // open refund forms with their amounts, keyed by order and by what is escrowed (a refund form resets once the
  // escrowed amount changes).
  const drafts = new Map<string, string>();
  const keep = (input: HTMLInputElement, key: string) => keepDraft(drafts, input, key);
  const openRefunds = new Set<string>();
  // The store's zones and rates, read once when the first opened address needs them (ui/zone-check.ts).
  const storeZones = storeZonesLoader(app, staff.store.id, staff.store.metadataCid);

  const root = h("div", { class: "seller-page seller-orders" });
  const keyBox = h("section", { class: "key-box", attrs: { "aria-labelledby": "addr-title" } });
  const tabs = h("div", { class: "filter-tabs", attrs: { role: "group", "aria-label": "Show orders" } });
  // The first load shows the orders as they are found (client/orders.ts `onPartial`) under its progress, the list
  // inert until the whole history is read (a card's actions need the rebuilt order); later loads refresh in place.
  let progress: FoundProgress | null = null;
  let partial = false;
  const loadStatus = h("div", { class: "orders-load" });
  const notice = fallbackNotice(app);
  const list = h("div", { class: "order-cards" });
  const exportStatus = h("div", { attrs: { "aria-live": "polite" } });
  const deliverBox = h("section", { class: "deliver-box", attrs: { "aria-live": "polite" } });
  const deliverStatus = h("div", { attrs: { "aria-live": "polite" } });

  /** Digital orders still waiting, within their ship window (the contract skips the others). */
  const pendingDigital = async () => {
    const out: OrderRecord[] = [];
    for (const o of orders) {
      if (o.status !== "Paid" || !isDigitalOrder(o)) continue;
      if (shipBy(o.order, await terms.get(o.order.storeId, o.order.termsVersion)) > now) out.push(o);
    }
    return out.sort((a, b) => (a.order.placedAt < b.order.placedAt ? -1 : 1));
  };

  const deliverAll = async (pending: OrderRecord[], deliverButton: HTMLButtonElement) => {
    if (!keys && !(await unlock())) return;
    const secret = (keys as ShippingKeys).secretKey;
    deliverButton.disabled = true;
    try {
      const digitalProducts = new Map<bigint, DigitalProduct>();
      for (const id of new Set(pending.flatMap((o) => o.order.lines.map((l) => l.productId)))) {
        const p = products.get(id);
        if (!p) continue;
        const meta = p.metadataCid ? await app.productMeta(p.metadataCid) : null;
        digitalProducts.set(id, { category: p.category, download: meta?.ok ? (meta.value.download ?? null) : null });
      }
      const batch: { record: OrderRecord; items: DeliveredItem[] }[] = [];
      const problems: string[] = [];
      for (const record of pending) {
        try {
          batch.push({ record, items: deliveryItems(record, digitalProducts, secret, (id) => describe(id, 0)) });
        } catch (error) {
          problems.push(error instanceof DeliveryProblem ? error.message : String(error));
        }
      }
      replace(
        deliverStatus,
        problems.map((text) => h("p", { class: "notice danger small", text })),
      );
      if (batch.length === 0) return;
      const ok = await runTx(app, deliverStatus, deliverTx(batch), {
        done: `Delivered ${batch.length} digital order${batch.length === 1 ? "" : "s"}: each fan can now open theirs in their order page.`,
      });
      if (problems.length > 0)
        deliverStatus.prepend(...problems.map((text) => h("p", { class: "notice danger small", text })));
      if (ok) await reload(true);
    } finally {
      deliverButton.disabled = false;
    }
  };

  const renderDeliverBox = async () => {
    const pending = staff.role ? await pendingDigital() : [];
    if (pending.length === 0) {
      replace(deliverBox);
      return;
    }
    const deliverButton = button(
      `Deliver ${pending.length} digital order${pending.length === 1 ? "" : "s"}`,
      () => void deliverAll(pending, deliverButton),
      { class: "btn deliver-digital" },
    );
    replace(
      deliverBox,
      h("h2", { text: "Digital orders to deliver" }),
      h("p", {
        class: "muted small",
        text: "One transaction delivers them all: each fan gets the download keys or ticket codes of their order, sealed to their own key. Your wallet signs once (no gas) to open the download keys here.",
      }),
      deliverButton,
    );
  };

  const describe = (productId: bigint, variant: number) => {
    const p = products.get(productId);
    const label = p?.variants[variant]?.label;
    return p ? `${p.name}${label ? ` (${label})` : ""}` : `Item ${productId}`;
  };

  const unlock = async (): Promise<boolean> => {
    try {
      keys = await unlockShippingKey(app);
      renderKeyBox();
      renderList();
      return true;
    } catch (error) {
      const fan = app.explain(error);
      if (error instanceof NondeterministicSignerError) {
        // Made once: asking again (another click, a re-render) keeps what the seller already typed in it.
        nondeterministic ??= nondeterministicNotice(app, staff, error.message, useKeys);
        replace(keyStatus, nondeterministic);
        return false;
      }
      replace(
        keyStatus,
        h("p", {
          class: "notice danger",
          attrs: { role: "alert" },
          text:
            fan.kind === "rejected"
              ? "You cancelled the signature in your wallet, so the addresses stay locked."
              : fan.message,
        }),
      );
      return false;
    }
  };
  const keyStatus = h("div", { attrs: { "aria-live": "polite" } });
  let nondeterministic: HTMLElement | null = null;
  // A key restored from a backup file or newly created (pages/seller/key-backup.ts): shown at once, then the store
  // is read again (a new key was published).
  const useKeys = (k: ShippingKeys) => {
    keys = k;
    replace(keyStatus);
    void reload(true);
  };
  // After "Mark shipped": the ready email to the buyer (ui/shipped-mail.ts), kept while the order leaves this tab.
  const mailNotice = h("div", { class: "mail-notice", attrs: { "aria-live": "polite" } });

  const renderKeyBox = () => {
    const { store } = staff;
    const mismatch = keys !== null && !keyMatchesStore(keys.publicKey, store.shippingKey);
    replace(
      keyBox,
      h("h2", { attrs: { id: "addr-title" } }, lockIcon(), " Shipping addresses"),
      h("p", { class: "privacy-note", text: PRIVACY_SENTENCE }),
      keys
        ? h(
            "p",
            { class: mismatch ? "notice danger" : "notice ok", attrs: { role: "status" } },
            mismatch
              ? "Your wallet's key is not this store's shipping key, so these addresses won't open here. Connect the wallet that set the key (usually the owner's)."
              : "Addresses are unlocked in this tab. Closing it forgets the key.",
          )
        : null,
      keyStatus,
      staff.role
        ? h(
            "div",
            { class: "key-actions" },
            keys
              ? null
              : button("Show addresses (sign in your wallet)", () => void unlock(), { class: "btn secondary unlock" }),
            button("Export orders to ship (CSV)", () => void exportCsv(), { class: "btn secondary export-csv" }),
          )
        : null,
      staff.role
        ? h("p", {
            class: "muted small",
            text: "The CSV is for a label printer: the addresses are decrypted here, then saved to your computer only.",
          })
        : null,
      exportStatus,
      keyBackupTools(app, staff, keys, useKeys),
    );
  };

  const exportCsv = async () => {
    if (!keys && !(await unlock())) return;
    const secret = (keys as ShippingKeys).secretKey;
    const rows = [];
    for (const record of orders
      .filter((o) => o.status === "Paid" && !isDigitalOrder(o))
      .sort((a, b) => (a.order.placedAt < b.order.placedAt ? -1 : 1))) {
      const t = await terms.get(record.order.storeId, record.order.termsVersion);
      rows.push({
        record,
        shipBy: shipBy(record.order, t),
        address: openOrderAddress(record, secret),
        items: items(record, describe),
      });
    }
    if (rows.length === 0) {
      replace(
        exportStatus,
        h("p", { class: "notice", text: "No order is waiting to ship, so there is nothing to export." }),
      );
      return;
    }
    const csv = shippingCsv(rows);
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = h("a", { attrs: { download: `merchstand-store-${staff.store.id}-to-ship.csv` } });
    a.href = url;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    replace(
      exportStatus,
      h("p", { class: "tx-stage ok", attrs: { role: "status" }, text: `Exported ${rows.length} order(s) to ship.` }),
    );
  };

  const renderTabs = () => {
    const counts = new Map<OrderFilter, number>();
    for (const o of orders) counts.set(orderFilterOf(o.status), (counts.get(orderFilterOf(o.status)) ?? 0) + 1);
    replace(
      tabs,
      ORDER_FILTERS.map((f) =>
        button(
          `${f.label} (${counts.get(f.key) ?? 0})`,
          () => {
            filter = f.key;
            replaceRoute(routes.sellerOrders(staff.store.id, { filter: f.key }));
            renderTabs();
            renderList();
          },
          {
            class: `filter-tab${f.key === filter ? " active" : ""}`,
            attrs: { "aria-pressed": String(f.key === filter), "data-filter": f.key },
          },
        ),
      ),
    );
  };

  const renderList = () => {
    const shown = orders.filter((o) => orderFilterOf(o.status) === filter);
    list.inert = partial;
    list.setAttribute("aria-busy", String(partial));
    if (shown.length === 0 && partial) {
      replace(list);
      return;
    }
    if (shown.length === 0) {
      const label = ORDER_FILTERS.find((f) => f.key === filter)?.label.toLowerCase() ?? "";
      replace(
        list,
        emptyState(
          `No orders ${filter === "to-ship" ? "to ship" : label}`,
          filter === "to-ship" ? "New orders appear here as soon as they're paid." : "Nothing here right now.",
        ),
      );
      return;
    }
    if (filter === "to-ship") shown.sort((a, b) => (a.order.placedAt < b.order.placedAt ? -1 : 1));
    replace(
      list,
      h(
        "ul",
        { class: "seller-order-list" },
        shown.map((o) => orderCard(o)),
      ),
    );
    if (focusOrder) list.querySelector(`[data-order-id="${focusOrder}"]`)?.scrollIntoView({ block: "center" });
  };

  const orderCard = (record: OrderRecord): HTMLElement => {
    const c = app.currency(record.order.currency);
    const status = h("div", { class: "order-status", attrs: { "aria-live": "polite" } });
    const deadline = h("p", { class: "deadline" });
    void terms.get(record.order.storeId, record.order.termsVersion).then((t) => {
      if (record.status === "Paid") {
        const by = shipBy(record.order, t);
        deadline.textContent =
          by < now
            ? `Ship-by passed ${relative(by, now)} (${formatDate(by)}): the buyer can now cancel for a full refund.`
            : `Ship by ${formatDate(by)} (${relative(by, now)}).`;
        deadline.classList.toggle("overdue", by < now);
      } else if (record.status === "Shipped") {
        const until = record.order.shippedAt + BigInt(t.deliveryWindow);
        deadline.textContent = `The buyer can confirm, or dispute until ${formatDate(until)}; after that anyone (you too) can release the payment to you.`;
      } else if (record.status === "Disputed") {
        const by = record.order.disputedAt + BigInt(arbiterWindow);
        deadline.textContent = `The arbiter ${shortAddress(t.arbiter)} decides how to split the ${formatAmount(escrowedIn(record), c)} in escrow. If they don't rule by ${formatDate(by)}, the buyer gets it all back.`;
      }
    });

    let addressBlock: HTMLElement;
    let shipTo: ShippingAddress | null = null;
    if (isDigitalOrder(record)) {
      addressBlock = h("p", {
        class: "muted small",
        text: "Digital order: delivered encrypted to the buyer's key, no address.",
      });
    } else if (!record.shipping || record.shipping === "0x") {
      addressBlock = h("p", { class: "muted small", text: "No address." });
    } else if (keys) {
      const opened = openOrderAddress(record, keys.secretKey);
      if (opened.ok) shipTo = opened.address;
      addressBlock = opened.ok
        ? h(
            "address",
            { class: "ship-to" },
            addressLines(opened.address).map((line) => h("span", { class: "line", text: line })),
            opened.address.email ? h("span", { class: "line muted", text: opened.address.email }) : null,
          )
        : h("p", { class: "notice danger small", text: opened.reason });
    } else {
      addressBlock = h(
        "p",
        { class: "muted small locked" },
        lockIcon(),
        " Address locked. Use “Show addresses” above.",
      );
    }

    const refundDifference = async (difference: bigint, b: HTMLButtonElement) => {
      const plan = refundPlan(record, difference, c);
      if (!plan.ok) {
        replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: plan.message }));
        return;
      }
      b.disabled = true;
      const ok = await runTx(app, status, refundTx(record, plan.amount, c), {
        done: `${formatAmount(plan.amount, c)} of shipping refunded to the buyer of order ${orderReference(record.id)}.`,
        errorContext: { currency: c },
      });
      if (ok) await reload(true);
      else b.disabled = false;
    };
    const zoneNote = shipTo ? zoneCheckNote(record, shipTo, c, storeZones, staff.role ? refundDifference : null) : null;

    const disputed = record.timeline.find((e) => e.kind === "disputed");
    const refunds = record.timeline.filter((e) => e.kind === "partially-refunded");
    const actions = h("div", { class: "order-actions-inline" });
    if (staff.role && record.status === "Paid" && isDigitalOrder(record)) {
      actions.append(
        h("p", { class: "muted small", text: "Deliver it with “Deliver digital orders” above: no tracking needed." }),
      );
    } else if (staff.role && record.status === "Paid") {
      const trackingId = uid("tracking");
      const tracking = h("input", {
        attrs: {
          id: trackingId,
          maxlength: LIMITS.tracking,
          placeholder: "Royal Mail RM123456789GB",
          autocomplete: "off",
        },
      });
      keep(tracking, `tracking:${record.id}`);
      const ship = button(
        "Mark shipped",
        async () => {
          const t = checkText(tracking.value, "The tracking reference", 1, LIMITS.tracking);
          if (!t.ok) {
            replace(
              status,
              h("p", {
                class: "notice danger",
                attrs: { role: "alert" },
                text: `${t.message} Enter the carrier and tracking number.`,
              }),
            );
            tracking.focus();
            return;
          }
          ship.disabled = true;
          const ok = await runTx(app, status, markShippedTx(record, t.value), {
            done: `Order ${orderReference(record.id)} is marked shipped.`,
          });
          if (ok) {
            const mail = shippedMailLink(record, shipTo, staff.store.name, t.value);
            replace(
              mailNotice,
              h("div", { class: "notice ok" }, `Order ${orderReference(record.id)} is marked shipped.`, mail),
            );
            await reload(true);
          } else ship.disabled = false;
        },
        { class: "btn small mark-shipped" },
      );
      actions.append(
        h(
          "div",
          { class: "field inline-field" },
          h("label", { attrs: { for: trackingId }, text: "Carrier and tracking reference" }),
          h("div", { class: "inline" }, tracking, ship),
        ),
      );
    }
    if (staff.role && record.status === "Disputed") {
      const held = escrowedIn(record);
      const concede = button(
        "Refund in full and close the dispute",
        async () => {
          concede.disabled = true;
          const ok = await runTx(app, status, refundTx(record, held, c), {
            done: `Order ${orderReference(record.id)} refunded in full (${formatAmount(held, c)}); the dispute is closed and the stock is back.`,
            errorContext: { currency: c },
          });
          if (ok) await reload(true);
          else concede.disabled = false;
        },
        { class: "btn secondary small concede" },
      );
      actions.append(
        h("p", {
          class: "muted small",
          text: `A disputed order can only be refunded in full: the ${formatAmount(held, c)} in escrow goes back to the buyer and the arbiter has nothing left to decide.`,
        }),
        concede,
      );
    }
    if (staff.role && record.status === "Shipped" && !isDigitalOrder(record)) {
      actions.append(shippedMailLink(record, shipTo, staff.store.name) ?? "");
    }
    if (record.status === "Shipped") {
      void terms.get(record.order.storeId, record.order.termsVersion).then((t) => {
        if (record.order.shippedAt + BigInt(t.deliveryWindow) > now) return;
        const release = button(
          "Release the payment",
          async () => {
            release.disabled = true;
            const ok = await runTx(app, status, releasePaymentTx(record), {
              done: `Order ${orderReference(record.id)} is complete; its payment (less the fee) is in your store's withdrawable balance.`,
            });
            if (ok) await reload(true);
            else release.disabled = false;
          },
          { class: "btn small release" },
        );
        actions.prepend(release);
      });
    }
    if (staff.role && (record.status === "Paid" || record.status === "Shipped")) {
      const amountId = uid("refund");
      const amount = h("input", { attrs: { id: amountId, inputmode: "decimal" } });
      const held = escrowedIn(record);
      amount.value = formatAmount(held, c).replace(` ${c.symbol}`, "").replace(/,/g, "");
      const refundKey = `refund:${record.id}:${held}`;
      keep(amount, refundKey);
      const refund = button(
        "Refund",
        async () => {
          const parsed = parseAmount(amount.value, c, "The refund", { max: held });
          if (!parsed.ok) {
            replace(
              status,
              h("p", {
                class: "notice danger",
                attrs: { role: "alert" },
                text: parsed.message.replace(/can be at most/, "can be at most the escrowed"),
              }),
            );
            return;
          }
          const plan = refundPlan(record, parsed.value, c);
          if (!plan.ok) {
            replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: plan.message }));
            return;
          }
          refund.disabled = true;
          const ok = await runTx(app, status, refundTx(record, plan.amount, c), {
            done: plan.full
              ? `Order ${orderReference(record.id)} refunded in full; the stock is back.`
              : `${formatAmount(plan.amount, c)} refunded to the buyer of order ${orderReference(record.id)}.`,
            errorContext: { currency: c },
          });
          if (ok) await reload(true);
          else refund.disabled = false;
        },
        { class: "btn secondary small" },
      );
      const refundForm = h(
        "details",
        { class: "refund" },
        h("summary", { text: "Refund…" }),
        h(
          "div",
          { class: "field inline-field" },
          h("label", {
            attrs: { for: amountId },
            text: `Amount to refund (${c.symbol}), at most ${formatAmount(held, c)}`,
          }),
          h("div", { class: "inline" }, amount, refund),
          h("p", {
            class: "muted small",
            text: `The full amount ends the order and puts its stock back. ${
              largestPartialRefund(record.order, record.refunded) > 0n
                ? `Less keeps it open with the rest in escrow (at most ${formatAmount(largestPartialRefund(record.order, record.refunded), c)}, counted in steps of ${formatAmount(refundUnit(record.order.amount), c)}).`
                : "What is left is too little to refund in part: only the full amount can be refunded."
            } The refund goes straight to the buyer's wallet; if the wallet refuses it, the buyer collects it from the notice the dapp shows on every page.`,
          }),
        ),
      );
      refundForm.open = openRefunds.has(refundKey);
      refundForm.addEventListener("toggle", () => {
        if (refundForm.open) openRefunds.add(refundKey);
        else openRefunds.delete(refundKey);
      });
      actions.append(refundForm);
    }

    return h(
      "li",
      {
        class: `card seller-order${focusOrder === record.id.toString() ? " focused" : ""}`,
        dataset: { orderId: record.id.toString(), status: record.status },
      },
      h(
        "div",
        { class: "seller-order-head" },
        h("h3", { text: orderLabel(record.id) }),
        h("span", {
          class: `status-pill ${record.status.toLowerCase()}`,
          text: statusLabel(record.status, isDigitalOrder(record)),
        }),
        h("span", {
          class: "muted small",
          text: `Placed ${formatDate(record.order.placedAt)} by ${shortAddress(record.order.buyer)}`,
        }),
      ),
      h(
        "div",
        { class: "seller-order-body" },
        h(
          "div",
          null,
          h(
            "ul",
            { class: "summary-lines" },
            record.order.lines.map((l) =>
              h(
                "li",
                null,
                h("span", { text: `${l.quantity} × ${describe(l.productId, l.variant)}` }),
                h("span", { text: formatAmount(l.unitPrice * BigInt(l.quantity), c) }),
              ),
            ),
          ),
          orderDropLines(app, record, staff.store, c, ctx.signal),
          h(
            "p",
            { class: "small" },
            `Paid ${formatAmount(record.order.amount, c)}`,
            record.refunded > 0n
              ? ` · ${formatAmount(record.refunded, c)} refunded${isOpen(record.status) ? `, ${formatAmount(escrowedIn(record), c)} still in escrow` : ""}`
              : "",
          ),
          refunds.map((e) =>
            h("p", { class: "muted small", text: `Partly refunded ${formatAmount(e.detail.amount as bigint, c)}` }),
          ),
          record.tracking ? h("p", { class: "small" }, "Tracking: ", trackingReference(record.tracking)) : null,
          disputed
            ? h(
                "p",
                { class: "dispute-reason" },
                h("strong", { text: "Buyer's reason: " }),
                h("span", { text: String(disputed.detail.reason ?? "") || "(none given)" }),
              )
            : null,
          deadline,
        ),
        h("div", { class: "ship-to-box" }, h("p", { class: "small strong", text: "Ship to" }), addressBlock, zoneNote),
      ),
      actions,
      status,
    );
  };

  // Loads overlap (a block's refresh while a transaction's reload runs): one that started before the last one
  // shown is dropped, so an older chain state never replaces a newer one on screen.
  let started = 0;
  let shown = 0;
  const load = async (force = false) => {
    const id = ++started;
    const streaming = shown === 0;
    if (streaming && !progress) {
      progress = foundProgress(app, "Loading orders…", "order");
      replace(loadStatus, progress.el);
    }
    const loadedStaff = await loadStoreForStaff(ctx);
    const productsRead = loadStoreProducts(app.chain, loadedStaff.store.id);
    // Found orders name their items as soon as the products are read.
    if (streaming)
      productsRead.then((ps) => {
        if (shown === 0) products = new Map(ps.map((p) => [p.id, p]));
      }, noop);
    const onPartial = (found: OrderRecord[]) => {
      if (ctx.signal.aborted || shown !== 0) return;
      partial = true;
      orders = found;
      progress?.found(found.length);
      renderTabs();
      renderList();
    };
    const [fresh, storeProducts, t] = await Promise.all([
      loadStoreOrders(app.chain, loadedStaff.store.id, app.manifest.deploymentBlock, streaming ? { onPartial } : {}),
      productsRead,
      app.chain.blockTimestamp(),
    ]);
    if (ctx.signal.aborted || id < shown) return;
    shown = id;
    progress?.stop();
    progress = null;
    replace(loadStatus);
    partial = false;
    staff = loadedStaff;
    now = t;
    products = new Map(storeProducts.map((p) => [p.id, p]));
    const next = fresh.map((o) => `${o.id}:${o.status}:${o.refunded}`).join(",");
    if (!force && next === signature) return;
    signature = next;
    orders = fresh;
    if (!keys && hasShippingKey(app)) keys = await unlockShippingKey(app).catch(() => null);
    renderKeyBox();
    renderTabs();
    renderList();
    await renderDeliverBox();
  };
  // An error shows above the list, which keeps what was shown (orders found before a refusal stay, inert).
  const reload = (force = false) =>
    load(force).catch((error) => {
      progress?.stop();
      progress = null;
      if (!ctx.signal.aborted)
        replace(
          loadStatus,
          historyErrorBox(app.explain(error), () => void reload(true)),
        );
    });

  const mount = () => {
    replace(
      root,
      storeHeader(staff, "orders"),
      staff.role ? null : notStaffNotice(app, staff.store),
      keyBox,
      deliverBox,
      deliverStatus,
      mailNotice,
      notice.el,
      loadStatus,
      tabs,
      list,
    );
  };
  renderKeyBox();
  mount();
  void reload(true);
  const unsubscribe = onAccountChange(ctx, () => {
    keys = null;
    void reload(true).then(mount);
  });
  return {
    title: `Orders · ${staff.store.name}`,
    el: root,
    // A new block while the first load reads the history would start a second read of it.
    refresh: () => {
      if (shown > 0) void reload();
    },
    dispose: () => {
      unsubscribe();
      progress?.stop();
      notice.stop();
    },
  };
}
