// One order: status timeline, lines, tracking, and the buyer's next actions with their dates: confirm receipt,
// cancel when not shipped in time, dispute within the delivery window, claim after an unanswered dispute, review.

import {
  cancelOrderTx,
  confirmReceiptTx,
  disputeTx,
  resolveExpiredDisputeTx,
  reviewTx,
} from "../client/buyer-actions.ts";
import { deviceStorage, SealedAddressCopies } from "../client/checkout-draft.ts";
import { countryLabel } from "../client/countries.ts";
import { type DeliveredItem, openDelivery, openDownload } from "../client/delivery-crypto.ts";
import { formatAmount, formatDate, shortAddress } from "../client/format.ts";
import { hexToBytes } from "../client/hex.ts";
import { orderLabel } from "../client/order-ref.ts";
import { escrowedIn, isOpen } from "../client/order-state.ts";
import { buyerActions, isDigitalOrder, loadOrder, type OrderRecord } from "../client/orders.ts";
import { ARBITER_WINDOW, LIMITS, type Product, TICKET_CATEGORY } from "../client/protocol.ts";
import { type ShippingAddress, ShippingCryptoError } from "../client/shipping-crypto.ts";
import { deliveryKeyring } from "../client/shipping-keys.ts";
import type { TxRequest } from "../client/transactions.ts";
import { byteLength } from "../client/validation.ts";
import type { Page, PageContext } from "../page.ts";
import { calendarBox } from "../ui/calendar.ts";
import { trackingReference } from "../ui/components.ts";
import { button, externalLink, h, keepDraft, link, replace, uid } from "../ui/dom.ts";
import { orderLinkBox } from "../ui/history.ts";
import { orderDropLines } from "../ui/order-drops.ts";
import { orderLink, orderNumberLine } from "../ui/order-ref.ts";
import { type OrderHint, orderOrScan } from "../ui/order-scan.ts";
import { ticketQrBox } from "../ui/ticket-qr.ts";
import { runTx } from "../ui/tx.ts";
import { usdNote } from "../ui/usd.ts";
import { parseOrderBlock, routes } from "../urls.ts";
import { statusLabel, stepLabel } from "./order-status.ts";

const MAX_TEXT_BYTES = LIMITS.text;

export default function orderPage(ctx: PageContext): Promise<Page> {
  const orderId = BigInt(ctx.params.orderId as string);
  // An order link carries the block of OrderPlaced (urls.ts routes.order `block`); a wrong one falls back to a scan,
  // whose progress shows while it runs (ui/order-scan.ts).
  const hint = parseOrderBlock(ctx.query);
  return orderOrScan(ctx, orderId, hint, (record, linkNote) => orderView(ctx, orderId, hint, record, linkNote));
}

/** The order's page, once its record is found. */
async function orderView(
  ctx: PageContext,
  orderId: bigint,
  hint: OrderHint,
  found: OrderRecord,
  linkNote: HTMLElement | null,
): Promise<Page> {
  const { app } = ctx;
  let record = found;
  const linkBox = orderLinkBox(orderId, record.timeline[0]?.blockNumber ?? 0);
  const productIds = [...new Set(record.order.lines.map((l) => l.productId))];
  const products = new Map<bigint, Product | null>(
    await Promise.all(productIds.map(async (id) => [id, await app.chain.getProduct(id)] as const)),
  );
  const store = await app.chain.getStore(record.order.storeId);
  const terms = await app.chain.storeTerms(record.order.storeId, record.order.termsVersion);
  const currency = app.currency(record.order.currency);

  const root = h("div", { class: "order-page" });
  const placed = placedBanner(ctx.query.get("placed"), orderId, hint === "malformed" ? null : hint);
  const sealedCopy = new SealedAddressCopies(deviceStorage(), app.manifest.chainId, app.manifest.merchstand).load(
    orderId,
  );
  // What the fan is typing (a dispute reason, a review) survives a re-render (a new block, the wallet connecting).
  const drafts = new Map<string, string>();
  const feedback = h("div", { attrs: { "aria-live": "assertive" } });

  // A delivered digital order: the payload opens with the buyer's delivery key, re-derived from a wallet signature
  // (client/delivery-crypto.ts); downloads are fetched through the CID-verified IPFS client and decrypted here.
  let opened: DeliveredItem[] | null = null;
  let autoOpened = false;
  const deliveryBox = h("section", { class: "delivery-box", attrs: { "aria-labelledby": "delivery-title" } });
  const deliveryStatus = h("div", { attrs: { "aria-live": "polite" } });
  const say = (text: string, danger = false) =>
    replace(deliveryStatus, h("p", { class: danger ? "notice danger" : "tx-stage", attrs: { role: "status" }, text }));
  const openDeliveryNow = async () => {
    const wallet = app.wallet;
    const r = record as OrderRecord;
    if (!wallet?.account || !r.delivery) return;
    const account = wallet.account;
    try {
      const keys = await deliveryKeyring.unlock(account, app.manifest.chainId, (m) => wallet.personalSign(m));
      const payload = hexToBytes(r.delivery);
      if (!payload) throw new ShippingCryptoError("not hex");
      opened = openDelivery(payload, keys.secretKey);
      replace(deliveryStatus);
    } catch (error) {
      const fan = app.explain(error);
      say(
        error instanceof ShippingCryptoError
          ? "This delivery doesn't open with your wallet's key. Is the wallet you paid with connected?"
          : fan.kind === "rejected"
            ? "You cancelled the signature in your wallet, so your delivery stays locked."
            : fan.message,
        true,
      );
    }
    renderDelivery();
  };
  const save = async (item: DeliveredItem, productName: string) => {
    const product = products.get(BigInt(item.productId));
    const meta = product?.metadataCid ? await app.productMeta(product.metadataCid) : null;
    const name = (meta?.ok && meta.value.download?.cid === item.cid ? meta.value.download.name : null) ?? productName;
    say(`Downloading and decrypting ${name}…`);
    try {
      const bytes = await openDownload(item, (cid, max) => app.ipfs.fetchBytes(cid, max));
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
      const a = h("a", { attrs: { download: name.replace(/[\\/:*?"<>|]+/g, "_") || "download" } });
      a.href = url;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      say(`${name} is decrypted and saved (${bytes.length.toLocaleString()} bytes).`);
    } catch (error) {
      say(
        error instanceof ShippingCryptoError
          ? "The file doesn't open with the key the band sent: it may have been replaced. Open a dispute if it stays so."
          : "Can't fetch the file from IPFS right now. Try again in a moment.",
        true,
      );
    }
  };
  const renderDelivery = () => {
    const r = record as OrderRecord;
    const isBuyer = app.account?.toLowerCase() === r.order.buyer.toLowerCase();
    if (!r.delivery || !isBuyer) {
      replace(deliveryBox);
      return;
    }
    // The key is already in this tab (the fan signed at checkout): no second signature is asked for.
    const account = app.account;
    if (!opened && !autoOpened && account && deliveryKeyring.has(account, app.manifest.chainId)) {
      autoOpened = true;
      void openDeliveryNow();
    }
    const nameOf = (id: string) => products.get(BigInt(id))?.name ?? `Item ${id}`;
    replace(
      deliveryBox,
      h("h2", { attrs: { id: "delivery-title" }, text: "Your delivery" }),
      opened
        ? h(
            "ul",
            { class: "delivered-items" },
            opened.map((item) =>
              item.ticket
                ? h(
                    "li",
                    { class: "ticket" },
                    h("span", { text: `Ticket for ${nameOf(item.productId)}: ` }),
                    h("code", { class: "ticket-code", text: item.ticket }),
                  )
                : h(
                    "li",
                    { class: "download" },
                    button(`Download ${nameOf(item.productId)}`, () => void save(item, nameOf(item.productId)), {
                      class: "btn download-button",
                    }),
                  ),
            ),
          )
        : h(
            "div",
            null,
            h("p", {
              text: "The band delivered your order encrypted to your key. Sign in your wallet (no gas) to open it here.",
            }),
            button("Open your delivery", () => void openDeliveryNow(), { class: "btn open-delivery" }),
          ),
      deliveryStatus,
    );
  };

  const run = async (request: TxRequest, done: string) => {
    const receipt = await runTx(app, request, {
      status: feedback,
      done,
      explain: (error) => app.explain(error, { currency }),
      onError: async (fan) => {
        if (fan.kind === "stale-order") await reload();
      },
    });
    if (receipt) await reload();
  };

  const render = async () => {
    const r = record as OrderRecord;
    // The chain's clock (what the contract compares deadlines with), not the computer's.
    const now = await app.chain.blockTimestamp();
    const isBuyer = app.account?.toLowerCase() === r.order.buyer.toLowerCase();
    const digital = isDigitalOrder(r);
    const actions = buyerActions(r, terms);
    // The lines, plus shipping, less a code's discount (client/protocol.ts Order).
    const total = r.order.amount;

    const actionBox = h(
      "section",
      { class: "order-actions", attrs: { "aria-labelledby": "next-title" } },
      h("h2", { attrs: { id: "next-title" }, text: "What you can do" }),
    );
    if (!isBuyer) {
      actionBox.append(
        h("p", {
          class: "muted",
          text: app.account
            ? "This order was placed from another account."
            : "Connect the wallet you paid with to manage this order.",
        }),
      );
    } else {
      if (actions.confirm) {
        actionBox.append(
          h("p", { text: "Got your order? Confirm it to release the payment to the band." }),
          button(
            "Confirm receipt",
            () => void run(confirmReceiptTx(r), "Thanks! The payment was released to the band."),
            {
              class: "btn",
            },
          ),
        );
      }
      if (actions.cancelFrom !== null) {
        if (now >= actions.cancelFrom) {
          actionBox.append(
            h("p", {
              text: digital
                ? "The band didn't deliver in time. You can cancel for a full refund."
                : "The band didn't ship in time. You can cancel for a full refund.",
            }),
            button(
              "Cancel and refund",
              () =>
                void run(
                  cancelOrderTx(r),
                  "Order cancelled. The payment was sent back to your wallet (if your wallet couldn't take it, it is credited to you: collect it from the notice at the top of the page).",
                ),
              { class: "btn secondary" },
            ),
          );
        } else {
          actionBox.append(
            h("p", {
              class: "deadline",
              text: `You can cancel for a full refund from ${formatDate(actions.cancelFrom)} if it hasn't ${digital ? "been delivered" : "shipped"}.`,
            }),
          );
        }
      }
      if (actions.disputeUntil !== null) {
        if (now < actions.disputeUntil) actionBox.append(disputeForm(run, r, actions.disputeUntil, drafts));
        else
          actionBox.append(
            h("p", {
              class: "muted",
              text: "The dispute window has closed: anyone can now complete the order, which releases the payment to the band.",
            }),
          );
      }
      if (r.status === "Disputed") {
        const opens = r.order.disputedAt + BigInt(ARBITER_WINDOW);
        actionBox.append(
          now >= opens
            ? button(
                "Claim your refund",
                () =>
                  void run(
                    resolveExpiredDisputeTx(r),
                    "Dispute settled. The payment was sent back to your wallet (if your wallet couldn't take it, it is credited to you: collect it from the notice at the top of the page).",
                  ),
                { class: "btn" },
              )
            : h("p", {
                class: "deadline",
                text: `The arbiter has until ${formatDate(opens)} to rule. If they don't, you can claim a full refund then.`,
              }),
        );
      }
      // A ticket may be reviewed once it is delivered; everything else once the order is finished.
      const ticketDelivered = r.status === "Shipped" && r.delivery !== null;
      const reviewable = actions.review
        ? productIds
        : ticketDelivered
          ? productIds.filter((id) => products.get(id)?.category === TICKET_CATEGORY)
          : [];
      if (reviewable.length > 0) {
        for (const productId of reviewable) {
          const reviewed = await app.chain.isReviewed(orderId, r.order, productId);
          const name = products.get(productId)?.name ?? `Item ${productId}`;
          actionBox.append(
            reviewed
              ? h("p", { class: "muted", text: `You reviewed ${name}. Thank you!` })
              : reviewForm(run, r, productId, name, drafts),
          );
        }
      }
      if (actionBox.childElementCount === 1)
        actionBox.append(h("p", { class: "muted", text: "Nothing to do: this order is closed." }));
    }

    replace(
      root,
      h(
        "nav",
        { class: "breadcrumb", attrs: { "aria-label": "Breadcrumb" } },
        link(routes.orders(), null, "Your orders"),
        " / ",
        h("span", { attrs: { "aria-current": "page" }, text: orderLabel(orderId) }),
      ),
      h("h1", { text: orderLabel(orderId) }),
      orderNumberLine(orderId),
      placed,
      linkNote,
      linkBox,
      sealedCopy && !isDigitalOrder(r) ? shippingCopy(sealedCopy) : null,
      h("p", {
        class: `status-pill large ${r.status.toLowerCase()}`,
        attrs: { "data-status": r.status },
        text: statusLabel(r.status, isDigitalOrder(r)),
      }),
      h(
        "p",
        { class: "muted" },
        "From ",
        store ? link(routes.store(store.id), null, store.name) : `store ${r.order.storeId}`,
        ` · placed ${formatDate(r.order.placedAt)}`,
      ),
      h(
        "div",
        { class: "order-layout" },
        h(
          "section",
          { class: "timeline-box", attrs: { "aria-labelledby": "timeline-title" } },
          h("h2", { attrs: { id: "timeline-title" }, text: "Status" }),
          h(
            "ol",
            { class: "timeline" },
            r.timeline.map((e) => {
              const href = app.explorerTx(e.txHash);
              return h(
                "li",
                { class: `step ${e.kind}` },
                h("strong", { text: stepLabel(e.kind) }),
                e.at ? h("span", { class: "muted small", text: ` · ${formatDate(e.at)}` }) : null,
                e.kind === "shipped" && r.tracking ? h("p", null, "Tracking: ", trackingReference(r.tracking)) : null,
                e.kind === "disputed"
                  ? h("p", { class: "muted", text: `Reason: ${String(e.detail.reason ?? "")}` })
                  : null,
                typeof e.detail.amount === "bigint" && e.kind !== "placed"
                  ? h("p", { class: "muted", text: `${formatAmount(e.detail.amount, currency)} back to you` })
                  : null,
                h(
                  "p",
                  { class: "muted small" },
                  "Tx ",
                  href ? externalLink(href, shortAddress(e.txHash)) : h("code", { text: shortAddress(e.txHash) }),
                ),
              );
            }),
          ),
        ),
        h(
          "section",
          { class: "order-lines", attrs: { "aria-labelledby": "items-title" } },
          h("h2", { attrs: { id: "items-title" }, text: "Items" }),
          h(
            "ul",
            { class: "summary-lines" },
            r.order.lines.map((l) => {
              const p = products.get(l.productId);
              const label = p?.variants[l.variant]?.label ?? "";
              return h(
                "li",
                null,
                h(
                  "span",
                  null,
                  `${l.quantity} × `,
                  p ? link(routes.product(p.storeId, p.id), null, p.name) : `Item ${l.productId}`,
                  label ? ` (${label})` : "",
                ),
                h("span", { text: formatAmount(l.unitPrice * BigInt(l.quantity), currency) }),
              );
            }),
          ),
          orderDropLines(app, r, store, currency, ctx.signal),
          h(
            "p",
            { class: "total" },
            h("span", { text: "Total paid" }),
            h("strong", { text: formatAmount(total, currency) }, usdNote(app, total, currency)),
          ),
          r.refunded > 0n && r.status !== "Refunded" && r.status !== "Cancelled"
            ? h("p", {
                class: "muted small",
                text: `${formatAmount(r.refunded, currency)} refunded to you${isOpen(r.status) ? `, ${formatAmount(escrowedIn(r), currency)} still in escrow` : ""}.`,
              })
            : null,
        ),
      ),
      deliveryBox,
      ticketQrBox(app, r, (id) => products.get(id)?.category, ctx.signal),
      actionBox,
      calendarBox(r, terms, {
        digital,
        arbiterWindow: ARBITER_WINDOW,
        storeName: store?.name ?? `store ${r.order.storeId}`,
        chainId: app.manifest.chainId,
        contract: app.manifest.merchstand,
      }),
      feedback,
    );
    renderDelivery();
  };

  const reload = async () => {
    const fresh = await loadOrder(app.chain, orderId, app.manifest.deploymentBlock, {
      block: record?.timeline[0]?.blockNumber,
    });
    if (fresh && !ctx.signal.aborted) {
      record = fresh;
      await render();
    }
  };

  await render();
  const unsubscribe = app.onChange(() => void render().catch(() => {}));
  return { title: orderLabel(orderId), el: root, refresh: () => reload().catch(() => {}), dispose: unsubscribe };
}

/**
 * The thank-you shown after paying (pages/checkout.ts opens routes.order(first, { placed })): it lives in the
 * order's own URL, so a reload or Back/Forward shows the paid order, never an empty checkout. Lists every order the
 * payment placed (one per store, and per physical/digital half); null when the URL names none or is malformed.
 */
function placedBanner(query: string | null, orderId: bigint, block: number | null): HTMLElement | null {
  if (!query) return null;
  const ids = query
    .split(",")
    .filter((id) => /^[1-9]\d{0,19}$/.test(id))
    .slice(0, 50);
  if (!ids.includes(orderId.toString())) return null;
  return h(
    "div",
    { class: "success", attrs: { role: "status" } },
    h("h2", { text: "Thank you! Your order is confirmed." }),
    h("p", {
      text: "Your payment is held in escrow. The band sees your order on-chain in its dashboard; the money stays in escrow until you confirm you received it, or until anyone releases it after the delivery window ends.",
    }),
    ids.length > 1
      ? h(
          "ul",
          null,
          // One payment, one block: each order's link carries it (urls.ts routes.order `block`).
          ids.map((id) => h("li", null, orderLink(BigInt(id), block ?? undefined))),
        )
      : h("p", null, orderLink(orderId)),
  );
}

/** The address the fan sealed, from this browser's own copy (client/checkout-draft.ts SealedAddressCopies). */
function shippingCopy(address: Partial<ShippingAddress>): HTMLElement {
  const lines = [
    address.name,
    address.line1,
    address.line2,
    [address.city, address.region, address.postalCode].filter(Boolean).join(", "),
    address.country ? countryLabel(address.country) : undefined,
  ].filter((line): line is string => Boolean(line));
  return h(
    "section",
    { class: "shipping-copy", attrs: { "aria-label": "Shipping address" } },
    h("p", { text: `Shipping to ${lines.join(", ")}.` }),
    h("p", {
      class: "muted small",
      text: "Only you and the band can read this address: it is sealed to the band's key on-chain, and this copy is kept in your browser only.",
    }),
  );
}

type Run = (request: TxRequest, done: string) => Promise<void>;

function disputeForm(run: Run, record: OrderRecord, until: bigint, drafts: Map<string, string>): HTMLElement {
  const id = uid("dispute");
  const reason = h("textarea", { attrs: { id, rows: 3, maxlength: MAX_TEXT_BYTES, required: true } });
  keepDraft(drafts, reason, "dispute");
  const form = h(
    "form",
    { class: "dispute-form" },
    h("p", { text: `Something wrong or not arrived? You can open a dispute until just before ${formatDate(until)}.` }),
    h("label", { attrs: { for: id }, text: "What went wrong?" }),
    reason,
    h("button", { class: "btn secondary", attrs: { type: "submit" }, text: "Open a dispute" }),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = reason.value.trim();
    if (!text || byteLength(text) > MAX_TEXT_BYTES) return reason.focus();
    void run(disputeTx(record, text), "Dispute opened. The payment stays in escrow until it's settled.");
  });
  return form;
}

function reviewForm(
  run: Run,
  record: OrderRecord,
  productId: bigint,
  name: string,
  drafts: Map<string, string>,
): HTMLElement {
  const orderId = record.id;
  const textId = uid("review");
  const counter = h("span", { class: "muted small", text: `0 / ${MAX_TEXT_BYTES}` });
  const text = h("textarea", { attrs: { id: textId, rows: 3, "aria-describedby": `${textId}-count` } });
  keepDraft(drafts, text, `review:${productId}`);
  counter.textContent = `${byteLength(text.value)} / ${MAX_TEXT_BYTES}`;
  counter.id = `${textId}-count`;
  text.addEventListener("input", () => {
    const n = byteLength(text.value);
    counter.textContent = `${n} / ${MAX_TEXT_BYTES}`;
    counter.classList.toggle("over", n > MAX_TEXT_BYTES);
  });
  const group = `rating-${productId}-${orderId}`;
  const starsField = h(
    "fieldset",
    { class: "star-input" },
    h("legend", { text: "Your rating" }),
    [1, 2, 3, 4, 5].map((n) => {
      const rid = uid("star");
      return h(
        "span",
        { class: "star-option" },
        h("input", { attrs: { type: "radio", name: group, id: rid, value: n, required: true } }),
        h("label", { attrs: { for: rid }, text: `${n} ★` }),
      );
    }),
  );
  const form = h(
    "form",
    { class: "review-form" },
    h("h3", { text: `Review ${name}` }),
    starsField,
    h("label", { attrs: { for: textId }, text: "Your review (optional)" }),
    text,
    counter,
    h("button", { class: "btn", attrs: { type: "submit" }, text: "Post review" }),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const rating = Number(
      (form.querySelector(`input[name="${group}"]:checked`) as HTMLInputElement | null)?.value ?? 0,
    );
    if (rating < 1 || rating > 5) return (form.querySelector("input[type=radio]") as HTMLInputElement | null)?.focus();
    if (byteLength(text.value) > MAX_TEXT_BYTES) return text.focus();
    void run(reviewTx(record, productId, rating, text.value.trim()), "Review posted. Thank you!");
  });
  return form;
}
