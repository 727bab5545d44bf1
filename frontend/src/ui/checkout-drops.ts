// The checkout's drop parts (pages/checkout.ts hooks them in): the fan's country turned into each store's shipping
// zone and rate (client/zones.ts), the "Discount or presale code" field (pre-filled from a link, client/code-link.ts),
// the discount and shipping in the totals before paying, a pre-order's ship date on its lines, and the zone, the
// rate the fan saw (their maximum) and the code set on each order paid (client/protocol.ts CartOrder).
import type { App } from "../app.ts";
import type { CartLine, StoreGroup } from "../client/cart.ts";
import { linkedCode } from "../client/code-link.ts";
import { decodeCodeText, MAX_CODE_TEXT, type SignedCodeText, signedCodeArg } from "../client/code-text.ts";
import { countryName } from "../client/countries.ts";
import { type DropTimes, preOrderText } from "../client/drops.ts";
import { formatAmount } from "../client/format.ts";
import { codeLabel, codeProblem, discountFor } from "../client/order-extras.ts";
import type { CartOrder, Store } from "../client/protocol.ts";
import { loadZones, shippingFor, type Zone, type ZoneRate, zoneOf } from "../client/zones.ts";
import { h, replace, uid } from "./dom.ts";
import "./drops.css";

type StoreShipping = { zones: Zone[]; rates: ZoneRate[]; zonesError: string | null };
/** One store's extras as the totals show them. */
type GroupExtras = {
  zone: Zone | null;
  /** null: the store doesn't ship to the fan's country (or the country isn't chosen yet). */
  shipping: bigint | null;
  discount: bigint;
  problem: string | null;
};

export type CheckoutDrops = {
  /** The code field, for the side column. */
  codeField: HTMLElement;
  /** Shipping, discount and pre-order rows under a store's lines. */
  groupRows(group: StoreGroup): HTMLElement;
  /** The total to pay: goods less discounts plus shipping. */
  total(groups: readonly StoreGroup[]): bigint;
  /** The first reason the checkout can't be paid as it stands (no zone for the country, a bad code), or null. */
  problem(groups: readonly StoreGroup[], physical: boolean): string | null;
  /** The orders with their zone, maximum shipping and code set. */
  apply(orders: CartOrder[], groups: readonly StoreGroup[]): CartOrder[];
};

export async function checkoutDrops(
  app: App,
  options: {
    lines: () => CartLine[];
    country: () => string;
    stores: ReadonlyMap<string, Store>;
    query: URLSearchParams;
    onChange: () => void;
  },
): Promise<CheckoutDrops> {
  // A cart may hold several currencies (one payment each): amounts are in their store's currency.
  const moneyOf = (storeId: string | bigint) => {
    const currency = app.currency(
      options.stores.get(storeId.toString())?.currency ?? "0x0000000000000000000000000000000000000000",
    );
    return (v: bigint) => formatAmount(v, currency);
  };
  // The page renders its summary once this resolves; changes before then (a linked code) need no re-render.
  let started = false;
  const changed = () => {
    if (started) changed();
  };
  const storeIds = () => [...new Set(options.lines().map((l) => l.storeId))];
  const shipping = new Map<string, StoreShipping>();
  const drops = new Map<string, DropTimes>();
  let now = await app.chain.blockTimestamp();
  await Promise.all([
    ...storeIds().map(async (id) => {
      const store = options.stores.get(id);
      const [rates, zones] = await Promise.all([
        app.chain.read("shippingZones", [BigInt(id)]),
        loadZones(app.ipfs, store?.metadataCid ?? ""),
      ]);
      shipping.set(id, {
        rates: rates.map((z) => ({ rate: z.rate, freeFrom: z.freeFrom })),
        zones: zones.ok ? zones.value : [],
        zonesError: zones.ok ? null : zones.reason,
      });
    }),
    ...[...new Set(options.lines().map((l) => l.productId))].map(async (id) => {
      const d = await app.chain.read("getDrop", [BigInt(id)]);
      drops.set(id, { opensAt: BigInt(d.opensAt), closesAt: BigInt(d.closesAt), shipsFrom: BigInt(d.shipsFrom) });
    }),
  ]);

  // ── the code ──
  let code: SignedCodeText | null = null;
  let codeState: { uses: bigint; revoked: boolean } = { uses: 0n, revoked: false };
  let codeError: string | null = null;
  const codeId = uid("code");
  const codeInput = h("input", {
    attrs: { id: codeId, name: "code", autocomplete: "off", spellcheck: false, maxlength: MAX_CODE_TEXT },
  });
  const codeStatus = h("p", { class: "code-status", attrs: { "aria-live": "polite" } });
  const applyCode = async (text: string) => {
    codeInput.value = text.trim();
    if (!codeInput.value) {
      code = null;
      codeError = null;
      changed();
      return;
    }
    const decoded = decodeCodeText(codeInput.value);
    if (!decoded.ok) {
      code = null;
      codeError = decoded.reason;
      changed();
      return;
    }
    code = decoded.value;
    codeError = null;
    try {
      const [state, time] = await Promise.all([
        app.chain.read("codeState", [code.code.storeId, code.code.id]),
        app.chain.blockTimestamp(),
      ]);
      codeState = { uses: BigInt(state.uses), revoked: state.revoked };
      now = time;
    } catch (error) {
      codeError = app.explain(error).message;
    }
    changed();
  };
  const codeForm = h(
    "form",
    { class: "code-row", attrs: { "aria-label": "Discount or presale code" } },
    codeInput,
    h("button", { class: "btn secondary small", attrs: { type: "submit" }, text: "Apply" }),
  );
  codeForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void applyCode(codeInput.value);
  });
  const codeField = h(
    "div",
    { class: "checkout-drops" },
    h("label", { attrs: { for: codeId }, text: "Discount or presale code" }),
    codeForm,
    codeStatus,
  );
  const linked = linkedCode(app.manifest.chainId, app.manifest.merchstand, options.query);
  if (linked) await applyCode(linked);

  const productName = (id: bigint) => options.lines().find((l) => l.productId === id.toString())?.productName;
  const storeName = (id: bigint) => options.stores.get(id.toString())?.name;
  /** The problem with the code in this checkout, if any; only the code's own store's orders get it. */
  const checkCode = (): string | null => {
    if (codeError) return codeError;
    if (!code) return null;
    const lines = options.lines();
    return codeProblem(code.code, {
      account: app.account,
      now,
      storeIds: [...new Set(lines.map((l) => BigInt(l.storeId)))],
      productIds: lines.filter((l) => BigInt(l.storeId) === code?.code.storeId).map((l) => BigInt(l.productId)),
      uses: codeState.uses,
      revoked: codeState.revoked,
      productName,
      storeName,
    });
  };

  /** Which lines of the store's group the code applies to: its physical half, else its digital half. */
  const codeLines = (group: StoreGroup) => {
    if (!code || BigInt(group.storeId) !== code.code.storeId || checkCode()) return [];
    const physical = group.lines.filter((l) => !l.digital);
    const digital = group.lines.filter((l) => l.digital);
    const has = (ls: CartLine[]) =>
      code !== null && (code.code.productId === 0n || ls.some((l) => BigInt(l.productId) === code?.code.productId));
    return physical.length > 0 && has(physical) ? physical : has(digital) ? digital : [];
  };
  const priced = (ls: CartLine[]) =>
    ls.map((l) => ({ productId: BigInt(l.productId), quantity: l.quantity, unitPrice: BigInt(l.unitPrice) }));

  const extras = (group: StoreGroup): GroupExtras => {
    const discount = code ? discountFor(code.code, priced(codeLines(group))) : 0n;
    const s = shipping.get(group.storeId);
    const physicalLines = group.lines.filter((l) => !l.digital);
    if (physicalLines.length === 0 || !s || s.rates.length === 0)
      return { zone: null, shipping: 0n, discount, problem: null };
    const country = options.country();
    if (!country) return { zone: null, shipping: null, discount, problem: "Choose your country to see the shipping." };
    const zone = zoneOf(s.zones, country);
    const name = storeName(BigInt(group.storeId)) ?? "This store";
    if (!zone || zone.number > s.rates.length) {
      return {
        zone: null,
        shipping: null,
        discount,
        problem: s.zonesError
          ? `${name}'s shipping zones can't be read right now, so the shipping can't be worked out. Try again in a moment.`
          : `${name} doesn't ship to ${countryName(country)}.`,
      };
    }
    // The threshold counts the physical order's goods after its discount, as the contract does.
    const physicalDiscount = codeLines(group).some((l) => !l.digital) ? discount : 0n;
    const goods = physicalLines.reduce((sum, l) => sum + BigInt(l.unitPrice) * BigInt(l.quantity), 0n);
    return { zone, shipping: shippingFor(s.rates, zone.number, goods - physicalDiscount), discount, problem: null };
  };

  const groupRows = (group: StoreGroup): HTMLElement => {
    const money = moneyOf(group.storeId);
    const x = extras(group);
    const rows: HTMLElement[] = [];
    for (const l of group.lines) {
      const d = drops.get(l.productId);
      if (d && d.shipsFrom > now)
        rows.push(
          h(
            "li",
            { class: "pre-order-line" },
            h("span", { class: "pre-order", text: `${l.productName}: ${preOrderText(d.shipsFrom)}` }),
          ),
        );
    }
    if (x.discount > 0n && code)
      rows.push(
        h(
          "li",
          { class: "discount-line" },
          h("span", { text: `Code: ${codeLabel(code.code, money)}` }),
          h("span", { text: `−${money(x.discount)}` }),
        ),
      );
    if (group.physical && (shipping.get(group.storeId)?.rates.length ?? 0) > 0)
      rows.push(
        h(
          "li",
          { class: "shipping-line" },
          h("span", {
            text: x.zone ? `Shipping to ${countryName(options.country())} (${x.zone.name})` : "Shipping",
          }),
          h("span", {
            text: x.shipping === null ? "—" : x.shipping === 0n ? "Free" : money(x.shipping),
          }),
        ),
      );
    if (x.problem && options.country()) rows.push(h("li", { class: "notice danger", text: x.problem }));
    return h("ul", { class: "summary-lines drop-lines" }, rows);
  };

  const renderCodeStatus = () => {
    const problem = checkCode();
    replace(
      codeStatus,
      problem
        ? h("span", { class: "notice danger", attrs: { role: "alert" }, text: problem })
        : code
          ? h("span", {
              class: "success-text",
              text: `Code applied: ${codeLabel(code.code, moneyOf(code.code.storeId))}.`,
            })
          : null,
    );
  };

  started = true;
  return {
    codeField,
    groupRows: (group) => {
      renderCodeStatus();
      return groupRows(group);
    },
    total: (groups) =>
      groups.reduce((sum, g) => {
        const x = extras(g);
        return sum + g.subtotal - x.discount + (x.shipping ?? 0n);
      }, 0n),
    problem: (groups, physical) => {
      const codeIssue = checkCode();
      if (codeIssue) return codeIssue;
      if (!physical) return null;
      for (const g of groups) {
        const p = extras(g).problem;
        if (p) return p;
      }
      return null;
    },
    apply: (orders, groups) =>
      orders.map((o) => {
        const group = groups.find((g) => BigInt(g.storeId) === o.storeId);
        if (!group) return o;
        const x = extras(group);
        const physical = !/^0x[0-9a-fA-F]{64}$/.test(o.shipping);
        const mine = codeLines(group);
        const takesCode =
          mine.length > 0 && mine.every((l) => o.lines.some((ol) => ol.productId === BigInt(l.productId))) && !!code;
        return {
          ...o,
          zone: physical && x.zone ? x.zone.number : 0,
          maxShipping: physical ? (x.shipping ?? 0n) : 0n,
          code: signedCodeArg(takesCode ? code : null),
        };
      }),
  };
}
