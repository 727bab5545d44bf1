// One store's dashboard: orders to ship, disputes, withdrawable and escrowed money first (with Withdraw), then the
// shipping key check (can this browser open the addresses?) and the store's terms.
import { formatAmount, formatDate, shortAddress } from "../../client/format.ts";
import { TermsCache } from "../../client/history.ts";
import { escrowed, shipBy } from "../../client/order-state.ts";
import { loadStoreOrders, type OrderRecord } from "../../client/orders.ts";
import { DAY } from "../../client/protocol.ts";
import { setStoreShippingKeyTx, withdrawStoreBalanceTx } from "../../client/seller-actions.ts";
import { keyMatchesStore } from "../../client/shipping-keys.ts";
import type { Page, PageContext } from "../../page.ts";
import { lockIcon } from "../../ui/components.ts";
import { button, h, link, replace } from "../../ui/dom.ts";
import { routes } from "../../urls.ts";
import { doorSection } from "./door-link.ts";
import {
  notStaffNotice,
  PRIVACY_SENTENCE,
  relative,
  runTx,
  type StaffContext,
  stat,
  unlockShippingKey,
} from "./shared.ts";
import { storePage } from "./store-page.ts";

export default function storeOverview(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const terms = new TermsCache(app.chain);

  const render = async (staff: StaffContext, body: HTMLElement, reload: () => Promise<HTMLElement>) => {
    const { store, currency } = staff;
    const [orders, now, feeBps] = await Promise.all([
      loadStoreOrders(app.chain, store.id, app.manifest.deploymentBlock),
      app.chain.blockTimestamp(),
      app.chain.read("feeBps"),
    ]);
    const toShip: { o: OrderRecord; by: bigint }[] = [];
    for (const o of orders.filter((x) => x.status === "Paid")) {
      toShip.push({ o, by: shipBy(o.order, await terms.get(store.id, o.order.termsVersion)) });
    }
    toShip.sort((a, b) => (a.by < b.by ? -1 : 1));
    const disputed = orders.filter((o) => o.status === "Disputed");
    const held = escrowed(orders).get(store.currency.toLowerCase()) ?? { amount: 0n, orders: 0 };

    const withdrawStatus = h("div", { attrs: { "aria-live": "polite" } });
    const withdraw = button(
      "Withdraw",
      async () => {
        withdraw.disabled = true;
        await runTx(app, withdrawStatus, withdrawStoreBalanceTx(store, currency), {
          done: `${formatAmount(store.balance, currency)} sent to ${shortAddress(store.payout)}.`,
          errorContext: { currency },
        });
        await reload();
      },
      { class: "btn small withdraw", attrs: { disabled: store.balance === 0n } },
    );

    replace(
      body,
      staff.role ? null : notStaffNotice(app, store),
      h(
        "div",
        { class: "stat-grid" },
        stat(
          "Orders to ship",
          String(toShip.length),
          toShip[0] ? `Next ship-by ${formatDate(toShip[0].by)} (${relative(toShip[0].by, now)})` : "All caught up",
          link(routes.sellerOrders(store.id, { filter: "to-ship" }), { class: "small" }, "See orders"),
        ),
        stat(
          "Open disputes",
          String(disputed.length),
          disputed.length ? `Arbiter ${shortAddress(store.terms.arbiter)} decides` : "None",
          disputed.length
            ? link(routes.sellerOrders(store.id, { filter: "disputed" }), { class: "small" }, "See disputes")
            : null,
        ),
        stat(
          "Withdrawable",
          h("span", { class: "withdrawable", text: formatAmount(store.balance, currency) }),
          `Goes to the payout address ${shortAddress(store.payout)}`,
          h("div", null, withdraw, withdrawStatus),
        ),
        stat(
          "In escrow",
          h("span", { class: "escrowed", text: formatAmount(held.amount, currency) }),
          `${held.orders} open order(s), before the ${feeBps / 100}% platform fee. Released to you when fans confirm, or once the dispute window ends (anyone can then release it), or by the arbiter's ruling.`,
        ),
      ),
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "earn-title" } },
        h("h2", { attrs: { id: "earn-title" }, text: "How you get paid" }),
        h("p", {
          text: `Fans pay into escrow. When a buyer confirms delivery, or once ${store.terms.deliveryWindow / DAY} days have passed since you shipped with no dispute (then anyone, you too, can release it from the orders page), the payment less the platform fee (${feeBps / 100}% for new orders) is added to "Withdrawable". Anyone can trigger a withdrawal, but the money only ever goes to the store's payout address.`,
        }),
      ),
      doorSection(app, store.id, ctx.signal),
      keySection(ctx, staff),
      h(
        "section",
        { class: "section", attrs: { "aria-labelledby": "terms-title" } },
        h("h2", { attrs: { id: "terms-title" }, text: "Store terms" }),
        h(
          "dl",
          { class: "facts" },
          h("dt", { text: "Owner" }),
          h("dd", null, h("code", { text: store.owner })),
          h("dt", { text: "Payout address" }),
          h("dd", null, h("code", { text: store.payout })),
          h("dt", { text: "Currency" }),
          h("dd", { text: currency.symbol }),
          h("dt", { text: "Arbiter" }),
          h("dd", null, h("code", { text: store.terms.arbiter })),
          h("dt", { text: "Time to ship" }),
          h("dd", { text: `${store.terms.shipWindow / DAY} days` }),
          h("dt", { text: "Dispute window after shipping" }),
          h("dd", { text: `${store.terms.deliveryWindow / DAY} days` }),
          h("dt", { text: "Terms version" }),
          h("dd", { text: String(store.termsVersion) }),
        ),
      ),
    );
  };

  return storePage(ctx, {
    tab: "overview",
    className: "store-overview",
    title: (staff) => `${staff.store.name} · Seller dashboard`,
    loading: "Loading…",
    render,
    live: true,
  });
}

function keySection(ctx: PageContext, staff: StaffContext): HTMLElement {
  const { app } = ctx;
  const { store } = staff;
  const status = h("div", { attrs: { "aria-live": "polite" } });
  const zeroKey = /^0x0+$/.test(store.shippingKey);
  const check = button(
    "Check that this browser can read addresses",
    async () => {
      check.disabled = true;
      try {
        const keys = await unlockShippingKey(app);
        if (!zeroKey && keyMatchesStore(keys.publicKey, store.shippingKey)) {
          replace(
            status,
            h("p", { class: "notice ok", text: "Yes: your wallet re-creates this store's key. Addresses open here." }),
          );
          return;
        }
        const canReplace = staff.role === "owner";
        const replaceButton = button(
          "Use this wallet's key for new orders",
          async () => {
            replaceButton.disabled = true;
            await runTx(app, status, setStoreShippingKeyTx(store.id, keys.publicKey), {
              done: "Shipping key updated. New orders are sealed to it.",
            });
          },
          { class: "btn small" },
        );
        replace(
          status,
          h(
            "div",
            { class: "notice danger", attrs: { role: "alert" } },
            h("p", {
              text: zeroKey
                ? "This store has no shipping key, so fans can't send it an address."
                : "Your wallet's key is not the one this store publishes, so addresses sealed to it won't open here. They were sealed to the key of the wallet that set it (usually the owner's).",
            }),
            canReplace
              ? h("p", {
                  class: "small",
                  text: "Replacing the key only affects new orders; existing ones stay sealed to the old key.",
                })
              : null,
            canReplace ? replaceButton : null,
          ),
        );
      } catch (error) {
        const fan = app.explain(error);
        replace(
          status,
          h("p", {
            class: "notice danger",
            attrs: { role: "alert" },
            text:
              fan.kind === "rejected"
                ? "You cancelled the signature in your wallet. Nothing was changed."
                : fan.message,
          }),
        );
      } finally {
        check.disabled = false;
      }
    },
    { class: "btn secondary small", attrs: { disabled: !staff.role } },
  );
  return h(
    "section",
    { class: "section key-box", attrs: { "aria-labelledby": "skey-title" } },
    h("h2", { attrs: { id: "skey-title" } }, lockIcon(), " Shipping key"),
    h("p", null, "Public key on-chain: ", h("code", { class: "break", text: store.shippingKey })),
    h("p", { class: "muted small", text: PRIVACY_SENTENCE }),
    check,
    status,
  );
}
