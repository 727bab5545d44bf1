// A store's reviews, newest first, and the store's replies: every review of the store's products (from verified
// buyers, by construction) with its stars, text, date and the store's current reply, read through the contract's
// pointers (client/store-reviews.ts) with progress while they are walked. Staff reply, or edit the reply: the
// contract keeps every reply and the product page shows the latest (client/orders.ts reviewsOf), so a new reply
// replaces the one fans see. Sending needs the whole order, rebuilt as the Orders page rebuilds it
// (client/orders.ts loadStoreOrders), read once, when a reply is first sent. A reply box the seller opened stays open
// over a re-render of the page (another account, Retry), also one opened while the re-render reads, with what was
// typed (ui/kept-edits.ts carries it).
import { loadStoreProducts } from "../../client/catalog.ts";
import { formatDate, shortAddress } from "../../client/format.ts";
import { orderLabel } from "../../client/order-ref.ts";
import { loadStoreOrders, type OrderRecord } from "../../client/orders.ts";
import { loadStoreReviews, replyToReviewTx, type StoreReview } from "../../client/store-reviews.ts";
import { checkText } from "../../client/validation.ts";
import type { Page, PageContext } from "../../page.ts";
import { emptyState, stars } from "../../ui/components.ts";
import { button, h, link, replace, uid } from "../../ui/dom.ts";
import { foundProgress } from "../../ui/found-progress.ts";
import { heldEdit } from "../../ui/kept-edits.ts";
import { routes } from "../../urls.ts";
import { byteCounter, notStaffNotice, runTx, type StaffContext } from "./shared.ts";
import { storePage } from "./store-page.ts";

export default function reviewsPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const render = async (staff: StaffContext, body: HTMLElement, _reload: unknown, shown: HTMLElement) => {
    const { store } = staff;
    const progress = foundProgress(app, "Loading reviews…", "review");
    const productsLine = h("p", { class: "muted small reviews-products-read" });
    const list = h("ul", { class: "review-list seller-reviews" });
    replace(
      body,
      h("h2", { text: "Reviews" }),
      h("p", {
        class: "muted",
        text: "Every review of this store's products, newest first. Only fans whose order was completed or settled (a ticket: once delivered) can review what they bought. Your reply shows under the review on the product page; you can edit it, up to three replies an order.",
      }),
      staff.role ? null : notStaffNotice(app, store),
      list,
      progress.el,
      productsLine,
    );
    const [products, maxBytes] = await Promise.all([
      loadStoreProducts(app.chain, store.id),
      app.chain.read("MAX_TEXT_BYTES").then(Number),
    ]);
    if (ctx.signal.aborted) return;

    // The store's orders, rebuilt once for the first reply sent (replyToReview takes the whole order back).
    let orders: Promise<Map<bigint, OrderRecord>> | null = null;
    const orderOf = async (orderId: bigint): Promise<OrderRecord | null> => {
      orders ??= loadStoreOrders(app.chain, store.id, app.manifest.deploymentBlock).then(
        (records) => new Map(records.map((r) => [r.id, r])),
      );
      // A failed read is not kept: the next Send reads again.
      orders.catch(() => {
        orders = null;
      });
      return (await orders).get(orderId) ?? null;
    };

    // Each review keeps its element (and an open reply box) while the list is redrawn as the walks arrive.
    const items = new Map<string, ReviewItem>();
    const itemOf = (review: StoreReview): HTMLElement => {
      const key = `${review.productId}:${review.orderId}`;
      let item = items.get(key);
      if (!item) {
        item = reviewItem(review);
        items.set(key, item);
      } else item.update(review);
      return item.el;
    };
    const show = (found: StoreReview[]) => {
      if (ctx.signal.aborted) return;
      replace(list, found.map(itemOf));
      progress.found(found.length);
    };

    type ReviewItem = { el: HTMLElement; update: (review: StoreReview) => void; reopen: () => void };
    const reviewItem = (initial: StoreReview): ReviewItem => {
      let review = initial;
      // Names the reply box in every render, so a re-render reopens it and the swap finds its text.
      const field = `reply:${review.productId}:${review.orderId}`;
      const when = h("span", { class: "muted small review-date" });
      const replyArea = h("div", { class: "seller-reply" });
      const status = h("div", { class: "reply-status", attrs: { "aria-live": "polite" } });
      let open = false;
      // What this page sent, kept over a walk that read the review before the reply was mined.
      let sent: string | null = null;
      const item = h(
        "li",
        {
          class: "review seller-review",
          dataset: { order: String(review.orderId), product: String(review.productId) },
        },
        h(
          "div",
          { class: "review-head" },
          link(routes.product(store.id, review.productId), { class: "review-product", text: review.productName }),
          stars(review.rating, null),
          h("span", { class: "badge verified", text: "Verified buyer" }),
          h("span", { class: "muted small", text: shortAddress(review.reviewer) }),
          when,
          link(routes.sellerOrders(store.id, { order: review.orderId }), {
            class: "small",
            text: orderLabel(review.orderId),
          }),
        ),
        h("p", { class: "review-text", text: review.text }),
        replyArea,
        status,
      );
      const draw = () => {
        when.textContent = review.at === null ? "" : formatDate(review.at);
        const current = review.reply
          ? h("p", { class: "review-reply" }, h("strong", { text: "Your reply: " }), review.reply)
          : h("p", { class: "muted small no-reply", text: "No reply yet." });
        // An account that doesn't run the store can't send: the box is not shown, and a reply being typed is only
        // held in the page, hidden and disabled (ui/kept-edits.ts heldEdit), for a staff account to go on with.
        if (!staff.role)
          return replace(replyArea, current, open ? heldEdit(shown, `textarea[data-field="${field}"]`) : null);
        if (!open) {
          return replace(
            replyArea,
            current,
            button(
              review.reply ? "Edit reply" : "Reply",
              () => {
                open = true;
                replace(status);
                orderOf(review.orderId).catch(() => null);
                draw();
                replyArea.querySelector("textarea")?.focus();
              },
              { class: "btn secondary small open-reply" },
            ),
          );
        }
        replace(replyArea, current, replyForm());
      };
      const replyForm = (): HTMLElement => {
        const id = uid("reply");
        const text = h("textarea", {
          dataset: { field },
          attrs: { id, rows: 3, maxlength: maxBytes, required: true, "aria-describedby": `${id}-hint` },
        });
        if (review.reply) text.value = review.reply;
        const send = h("button", { class: "btn send-reply", attrs: { type: "submit" }, text: "Send reply" });
        const form = h(
          "form",
          { class: "review-form reply-form" },
          h("label", {
            attrs: { for: id },
            text: review.reply ? "Your new reply" : `Your reply to ${shortAddress(review.reviewer)}`,
          }),
          h("p", {
            class: "hint muted small",
            attrs: { id: `${id}-hint` },
            text: review.reply
              ? "It replaces your current reply: fans see only the latest one. The earlier reply stays in the public history on the chain."
              : "Fans see it under the review on the product page. You can edit it later; the latest reply is the one shown.",
          }),
          text,
          byteCounter(text, maxBytes),
          h(
            "div",
            { class: "row-actions" },
            send,
            button(
              "Cancel",
              () => {
                open = false;
                replace(status);
                draw();
              },
              { class: "btn secondary" },
            ),
          ),
        );
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          void submit(text, send);
        });
        return form;
      };
      const submit = async (text: HTMLTextAreaElement, send: HTMLButtonElement) => {
        const checked = checkText(text.value, "Your reply", 1, maxBytes);
        if (!checked.ok) {
          replace(status, h("p", { class: "notice danger", attrs: { role: "alert" }, text: checked.message }));
          return text.focus();
        }
        if (review.reply !== null && checked.value === review.reply) {
          replace(status, h("p", { class: "notice", attrs: { role: "status" }, text: "That is your reply already." }));
          return text.focus();
        }
        send.disabled = true;
        try {
          replace(status, h("p", { class: "muted small", attrs: { role: "status" }, text: "Finding the order…" }));
          const record = await orderOf(review.orderId);
          if (!record) {
            replace(
              status,
              h("p", {
                class: "notice danger",
                attrs: { role: "alert" },
                text: `${orderLabel(review.orderId)} couldn't be found in the store's history, so nothing was sent. Reload the page and try again.`,
              }),
            );
            return;
          }
          const replacing = review.reply !== null;
          const ok = await runTx(app, status, replyToReviewTx(record, review.productId, checked.value, replacing), {
            done: replacing
              ? "Reply updated. The product page now shows your new reply."
              : "Reply sent. It shows under the review on the product page.",
          });
          if (ok && !ctx.signal.aborted) {
            sent = checked.value;
            review = { ...review, reply: sent };
            open = false;
            draw();
          }
        } catch (error) {
          replace(
            status,
            h("p", { class: "notice danger", attrs: { role: "alert" }, text: app.explain(error).message }),
          );
        } finally {
          send.disabled = false;
        }
      };
      draw();
      return {
        el: item,
        // A redraw of the list brings the review as read now (a reply found later in the walk, the date); an open
        // reply box stays as the seller left it.
        update: (next) => {
          review = { ...next, at: next.at ?? review.at, reply: sent ?? next.reply };
          if (!open || !staff.role) draw();
          else when.textContent = review.at === null ? "" : formatDate(review.at);
        },
        // The box was open in the page when this render completed: open it here too, for the swap to carry its text.
        reopen: () => {
          if (open) return;
          open = true;
          // The order is read while the reply is typed (a failed read is read again on Send).
          if (staff.role) orderOf(review.orderId).catch(() => null);
          draw();
        },
      };
    };

    try {
      const all = await loadStoreReviews(app.chain, products, app.manifest.deploymentBlock, (p) => {
        show(p.found);
        productsLine.textContent = p.products === 0 ? "" : `Read ${p.productsRead} of ${p.products} reviewed products.`;
      });
      if (ctx.signal.aborted) return;
      show(all);
      // The reply boxes open in the render the seller sees now, read as this render completes (so a box opened while
      // it read stays open): reopened here, the swap (./store-page.ts) carries their text, or, for an account that
      // doesn't run the store, holds it (ui/kept-edits.ts heldEdit).
      for (const box of Array.from(shown.querySelectorAll<HTMLTextAreaElement>("textarea[data-field^='reply:']")))
        items.get((box.dataset.field as string).slice("reply:".length))?.reopen();
      progress.el.remove();
      productsLine.remove();
      if (all.length === 0)
        list.replaceWith(
          emptyState(
            "No reviews yet",
            "Fans whose order was completed can review what they bought. Their reviews, and your replies, will be listed here.",
          ),
        );
    } finally {
      progress.stop();
    }
  };
  return storePage(ctx, {
    tab: "reviews",
    className: "seller-reviews-page",
    title: (staff) => `Reviews · ${staff.store.name}`,
    loading: "Loading reviews…",
    render,
  });
}
