// The seller's drop tools with no chain: the sales figures the charts draw (client/sales.ts), the CSV reader's
// additions (client/csv.ts), hostile HTML reduced to text (client/html-text.ts), a Shopify product export mapped to
// listProduct calls with one error per bad row (client/shopify-csv.ts), the shipping zones form (client/zone-form.ts)
// and discount codes as staff make them (client/codes.ts).
import { expect } from "chai";
import { Wallet } from "ethers";
import {
  codeTypedData,
  compactSignature,
  decodeCodeText,
  encodeCodeText,
  ZERO_BUYER,
} from "../../frontend/src/client/code-text.ts";
import {
  type CodeForm,
  checkCodeForm,
  codeRoute,
  describeCode,
  loadSavedCodes,
  nextCodeId,
  saveCode,
} from "../../frontend/src/client/codes.ts";
import { parseCsv } from "../../frontend/src/client/csv.ts";
import { htmlToText } from "../../frontend/src/client/html-text.ts";
import type { OrderRecord } from "../../frontend/src/client/orders.ts";
import type { Line, Product } from "../../frontend/src/client/protocol.ts";
import { barFraction, netOfOrder, salesSummary, utcDay } from "../../frontend/src/client/sales.ts";
import { categoryOf, planShopifyImport, SHOPIFY_COLUMNS } from "../../frontend/src/client/shopify-csv.ts";
import { checkZones, withZones, zoneRows } from "../../frontend/src/client/zone-form.ts";
import { validateZones } from "../../frontend/src/client/zones.ts";

const ETH = { symbol: "ETH", decimals: 18 };
const MILLI = 10n ** 15n;
const DAY = 86_400n;
// 2026-12-03 12:00 UTC
const NOW = 1_796_299_200n;

function product(id: bigint, name: string, variants: [string, number, number][]): Product {
  return {
    id,
    storeId: 1n,
    category: 0,
    active: true,
    digital: false,
    maxPerBuyer: 0,
    ratingCount: 0,
    ratingSum: 0n,
    lastReviewBlock: 0,
    name,
    metadataCid: "",
    variants: variants.map(([label, stock, sold], index) => ({
      index,
      label,
      price: 20n * MILLI,
      stock,
      sold,
      active: true,
      lastOrderBlock: 0,
    })),
  };
}

let nextId = 1n;
function order(status: OrderRecord["status"], placedAt: bigint, lines: Line[], extra: Partial<OrderRecord> = {}) {
  const amount = lines.reduce((sum, l) => sum + l.unitPrice * BigInt(l.quantity), 0n);
  const record: OrderRecord = {
    id: nextId++,
    status,
    shipping: "0x",
    tracking: null,
    delivery: null,
    refunded: 0n,
    timeline: [],
    order: {
      buyer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
      storeId: 1n,
      termsVersion: 1,
      feeBps: 250,
      currency: "0x0000000000000000000000000000000000000000",
      placedAt,
      shippedAt: 0n,
      disputedAt: 0n,
      amount,
      shipsFrom: 0n,
      zone: 0,
      shipping: 0n,
      discount: 0n,
      lines,
    },
    ...extra,
  };
  return record;
}
const line = (productId: bigint, variant: number, quantity: number, milli = 20n): Line => ({
  productId,
  variant,
  quantity,
  unitPrice: milli * MILLI,
});

describe("sales at a glance (client/sales.ts)", () => {
  const tee = product(1n, "Tour tee", [
    ["S", 4, 1],
    ["M", 0, 5],
  ]);
  const vinyl = product(2n, "Vinyl", [["LP", 10, 2]]);

  it("sums net sales per UTC day, with zero days inside the window and older orders outside it", () => {
    const orders = [
      order("Paid", NOW - 60n, [line(1n, 1, 2)]), // today: 0.04
      order("Shipped", NOW - 3600n * 13n, [line(1n, 0, 1), line(2n, 0, 1, 30n)]), // yesterday 23:00: 0.05
      order("Completed", NOW - 20n * DAY, [line(1n, 1, 3)]), // outside 14 days: 0.06
      order("Refunded", NOW - 120n, [line(2n, 0, 1, 30n)]), // left out
      order("Cancelled", NOW - 120n, [line(2n, 0, 1, 30n)]), // left out
    ];
    const s = salesSummary(orders, [tee, vinyl], NOW);
    expect(s.byDay).to.have.length(14);
    expect(s.byDay.at(-1)?.key).to.equal("2026-12-03");
    expect(s.byDay.at(-1)?.amount).to.equal(40n * MILLI);
    expect(s.byDay.at(-1)?.orders).to.equal(1);
    expect(s.byDay.at(-2)?.key).to.equal("2026-12-02");
    expect(s.byDay.at(-2)?.amount).to.equal(50n * MILLI);
    expect(s.byDay.at(-2)?.units).to.equal(2);
    expect(s.byDay.slice(0, -2).every((d) => d.amount === 0n && d.orders === 0)).to.equal(true);
    expect(s.orders).to.equal(3);
    expect(s.units).to.equal(7);
    expect(s.net).to.equal(150n * MILLI);
    expect(s.undone).to.equal(2);
  });

  it("ranks products and sizes by units sold, with their value at the price paid", () => {
    const orders = [
      order("Paid", NOW, [line(1n, 1, 2), line(2n, 0, 1, 30n)]),
      order("Paid", NOW, [line(1n, 1, 1, 25n), line(1n, 0, 1)]),
    ];
    const s = salesSummary(orders, [tee, vinyl], NOW);
    expect(s.byProduct.map((p) => [p.label, p.units, p.amount, p.orders])).to.deep.equal([
      ["Tour tee", 4, 85n * MILLI, 2],
      ["Vinyl", 1, 30n * MILLI, 1],
    ]);
    expect(s.byVariant.map((v) => [v.label, v.units])).to.deep.equal([
      ["Tour tee · M", 3],
      // One unit each: the higher value first.
      ["Vinyl · LP", 1],
      ["Tour tee · S", 1],
    ]);
  });

  it("lists the stock left of every variant, sold out included", () => {
    const s = salesSummary([], [tee, vinyl], NOW);
    expect(s.stock.map((v) => [v.label, v.stock, v.sold])).to.deep.equal([
      ["Tour tee · S", 4, 1],
      ["Tour tee · M", 0, 5],
      ["Vinyl · LP", 10, 2],
    ]);
    expect(s.byProduct).to.deep.equal([]);
  });

  it("counts shipping charged and what codes took off in the orders that count", () => {
    const shipped = order("Paid", NOW, [line(1n, 0, 1)]);
    shipped.order = { ...shipped.order, zone: 2, shipping: 5n * MILLI, discount: 2n * MILLI, amount: 23n * MILLI };
    const cancelled = order("Cancelled", NOW, [line(1n, 0, 1)]);
    cancelled.order = { ...cancelled.order, shipping: 5n * MILLI };
    const s = salesSummary([shipped, cancelled], [tee], NOW);
    expect([s.net, s.shipping, s.discount]).to.deep.equal([23n * MILLI, 5n * MILLI, 2n * MILLI]);
  });

  it("takes partial refunds and a ruling's buyer share off the net", () => {
    const partly = order("Shipped", NOW, [line(1n, 0, 2)], { refunded: 5n * MILLI });
    expect(netOfOrder(partly)).to.equal(35n * MILLI);
    const ruled = order("Resolved", NOW, [line(1n, 0, 2)]);
    ruled.timeline.push({
      kind: "resolved",
      blockNumber: 1,
      txHash: "0x",
      at: null,
      detail: { toBuyer: 30n * MILLI, toStore: 10n * MILLI, byArbiter: true },
    });
    expect(netOfOrder(ruled)).to.equal(10n * MILLI);
    expect(netOfOrder(order("Refunded", NOW, [line(1n, 0, 2)]))).to.equal(0n);
  });

  it("names a product it can't find by id, and scales bars exactly", () => {
    const s = salesSummary([order("Paid", NOW, [line(9n, 2, 1)])], [], NOW);
    expect(s.byVariant[0]?.label).to.equal("Product #9 · variant 3");
    expect(barFraction(1n, 4n)).to.equal(0.25);
    expect(barFraction(10n ** 30n, 10n ** 30n)).to.equal(1);
    expect(barFraction(5n, 0n)).to.equal(0);
    expect(utcDay(0)).to.equal("1970-01-01");
  });
});

describe("parseCsv additions (client/csv.ts)", () => {
  it("drops a byte-order mark and keeps quoted line breaks and commas", () => {
    expect(parseCsv('\uFEFFHandle,Title\r\ntee,"A, ""quoted""\nline"\r\n')).to.deep.equal([
      ["Handle", "Title"],
      ["tee", 'A, "quoted"\nline'],
    ]);
  });
  it("names the line where an unclosed quote starts", () => {
    expect(() => parseCsv('a,b\r\nc,d\r\ne,"open\nstill')).to.throw(/starts on line 3/);
  });
});

describe("htmlToText (client/html-text.ts)", () => {
  it("keeps text and paragraph breaks and drops scripts, styles, handlers and comments", () => {
    const html =
      '<p>Heavy <b>cotton</b> tee&nbsp;&amp; print</p><script>alert("x")</script><style>p{}</style>' +
      '<img src=x onerror="steal()"><!-- hidden --><ul><li>Unisex</li><li>5 &lt; 6 &#x263A;</li></ul>';
    expect(htmlToText(html)).to.equal("Heavy cotton tee & print\n\n• Unisex\n• 5 < 6 ☺");
  });
  it("does not decode control characters and leaves a bare < as text", () => {
    expect(htmlToText("a&#0;b&#27;c 5 < 6")).to.equal("abc 5 < 6");
  });
});

const HEADER = [
  "Handle",
  "Title",
  "Body (HTML)",
  "Vendor",
  "Product Category",
  "Type",
  "Tags",
  "Published",
  "Option1 Name",
  "Option1 Value",
  "Option2 Name",
  "Option2 Value",
  "Variant SKU",
  "Variant Inventory Qty",
  "Variant Price",
  "Variant Requires Shipping",
  "Image Src",
  "Status",
];
type Cells = Partial<Record<(typeof HEADER)[number], string>>;
/** A file as Shopify writes it: RFC 4180 quoting, and no formula guard (toCsv would turn "-2" into "'-2"). */
const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const file = (rows: Cells[]) =>
  [HEADER, ...rows.map((r) => HEADER.map((h) => r[h] ?? ""))].map((row) => row.map(quote).join(",")).join("\r\n");
const CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

describe("Shopify product export (client/shopify-csv.ts)", () => {
  it("reads rows sharing a handle as one product with its variants, pictures and details", () => {
    const plan = planShopifyImport(
      file([
        {
          Handle: "tour-tee",
          Title: "Tour Tee 2026",
          "Body (HTML)": "<p>Soft <em>cotton</em>.</p><script>x()</script>",
          Vendor: "The Band",
          "Product Category": "Apparel & Accessories > Clothing > Shirts & Tops",
          Type: "T-Shirt",
          Tags: "tour, 2026",
          Published: "TRUE",
          "Option1 Name": "Size",
          "Option1 Value": "S",
          "Option2 Name": "Color",
          "Option2 Value": "Black",
          "Variant SKU": "TT-S",
          "Variant Inventory Qty": "5",
          "Variant Price": "0.02",
          "Variant Requires Shipping": "TRUE",
          "Image Src": "https://cdn.shopify.com/s/files/tee.jpg",
          Status: "active",
        },
        {
          Handle: "tour-tee",
          "Option1 Value": "M",
          "Option2 Value": "Black",
          "Variant Inventory Qty": "-2",
          "Variant Price": "0.025",
        },
        { Handle: "tour-tee", "Image Src": `ipfs://${CID}` },
        {
          Handle: "live-lp",
          Title: "Live LP",
          Type: "Vinyl",
          "Option1 Value": "Default Title",
          "Variant Inventory Qty": "100",
          "Variant Price": "0.05",
        },
      ]),
      ETH,
    );
    expect(plan.errors).to.deep.equal([]);
    expect(plan.rowCount).to.equal(4);
    const [tee, lp] = plan.products;
    expect(tee?.name).to.equal("Tour Tee 2026");
    expect(tee?.rows).to.deep.equal([2, 3, 4]);
    expect(tee?.category).to.equal(0);
    expect(tee?.digital).to.equal(false);
    expect(tee?.description).to.equal("Soft cotton.");
    expect(tee?.variants).to.deep.equal([
      { label: "S / Black", price: 20n * MILLI, stock: 5 },
      { label: "M / Black", price: 25n * MILLI, stock: 0 },
    ]);
    expect(tee?.images).to.deep.equal([CID]);
    expect(tee?.imageUrls).to.deep.equal(["https://cdn.shopify.com/s/files/tee.jpg"]);
    expect(Object.fromEntries(tee?.details ?? [])).to.deep.include({
      Vendor: "The Band",
      Tags: "tour, 2026",
      SKU: "S / Black: TT-S",
      "Picture 1 (not fetched)": "https://cdn.shopify.com/s/files/tee.jpg",
    });
    expect(tee?.warnings.join(" ")).to.match(/Row 3: the stock -2 is below zero/);
    expect(lp?.variants).to.deep.equal([{ label: "One size", price: 50n * MILLI, stock: 100 }]);
    expect(lp?.category).to.equal(1);
    // No "Variant Requires Shipping" cell: a blank is not "false", so it ships.
    expect(lp?.digital).to.equal(false);
  });

  it("reports each bad row with its column and why, and lists no product in part", () => {
    const tooMany: Cells[] = Array.from({ length: 17 }, (_, i) => ({
      Handle: "big",
      Title: i === 0 ? "Seventeen sizes" : "",
      "Option1 Value": `S${i}`,
      "Variant Inventory Qty": "1",
      "Variant Price": "0.01",
    }));
    const plan = planShopifyImport(
      file([
        { Handle: "good", Title: "Good", "Option1 Value": "M", "Variant Inventory Qty": "3", "Variant Price": "0.01" },
        {
          Handle: "bad-price",
          Title: "Bad",
          "Option1 Value": "M",
          "Variant Inventory Qty": "3",
          "Variant Price": "ten",
        },
        { Handle: "bad-price", "Option1 Value": "L", "Variant Inventory Qty": "3", "Variant Price": "0.01" },
        { Title: "No handle", "Variant Price": "0.01", "Variant Inventory Qty": "1" },
        { Handle: "long", Title: "é".repeat(40), "Variant Inventory Qty": "1", "Variant Price": "0.01" },
        { Handle: "no-stock", Title: "No stock", "Variant Price": "0.01" },
        { Handle: "draft", Title: "Draft", "Variant Price": "0.01", "Variant Inventory Qty": "1", Status: "draft" },
        ...tooMany,
      ]),
      ETH,
    );
    expect(plan.products.map((p) => p.handle)).to.deep.equal(["good"]);
    expect(plan.rejected.map((r) => r.handle)).to.deep.equal(["bad-price", "long", "no-stock", "big"]);
    expect(plan.skipped.map((s) => [s.handle, s.row])).to.deep.equal([["draft", 8]]);
    const byRow = plan.errors.map((e) => [e.row, e.column, e.handle]);
    expect(byRow).to.deep.equal([
      [3, SHOPIFY_COLUMNS.price, "bad-price"],
      [5, SHOPIFY_COLUMNS.handle, ""],
      [6, SHOPIFY_COLUMNS.title, "long"],
      [7, SHOPIFY_COLUMNS.qty, "no-stock"],
      [25, SHOPIFY_COLUMNS.option1, "big"],
    ]);
    expect(plan.errors[0]?.message).to.match(/must be a number/);
    expect(plan.errors[2]?.message).to.equal(
      "The title is too long: 40 characters take 80 bytes, at most 64 bytes (accents and emoji take 2–4 bytes each).",
    );
    expect(plan.errors[4]?.message).to.match(/variant 17 .* at most 16 \(MAX_VARIANTS\)/);
  });

  it("refuses a file that is not a product export, and an unclosed quote, on row 1", () => {
    const notShopify = planShopifyImport("Name,Price\r\nTee,10\r\n", ETH);
    expect(notShopify.products).to.deep.equal([]);
    expect(notShopify.errors[0]?.message).to.match(/no "Handle", "Title", "Variant Price" column/);
    const broken = planShopifyImport('Handle,Title,Variant Price\r\ntee,"Tee', ETH);
    expect(broken.errors[0]?.message).to.match(/quoted field that starts on line 2/);
  });

  it("marks duplicate labels and too many decimals for the store's currency", () => {
    const plan = planShopifyImport(
      file([
        { Handle: "dup", Title: "Dup", "Option1 Value": "M", "Variant Inventory Qty": "1", "Variant Price": "1.50" },
        { Handle: "dup", "Option1 Value": "m", "Variant Inventory Qty": "1", "Variant Price": "1.505" },
      ]),
      { symbol: "mUSD", decimals: 2 },
    );
    expect(plan.errors.map((e) => [e.row, e.column])).to.deep.equal([
      [3, SHOPIFY_COLUMNS.option1],
      [3, SHOPIFY_COLUMNS.price],
    ]);
  });

  it("maps Shopify types and categories onto the store's categories", () => {
    expect(categoryOf("Hoodie", "")).to.equal(0);
    expect(categoryOf("", "Media > Music & Sound Recordings > Vinyl")).to.equal(1);
    expect(categoryOf("Poster", "")).to.equal(2);
    expect(categoryOf("Concert ticket", "")).to.equal(3);
    expect(categoryOf("", "Apparel & Accessories > Handbags > Tote Bags")).to.equal(4);
    expect(categoryOf("Gift card", "")).to.equal(6);
  });
});

describe("shipping zones form (client/zone-form.ts)", () => {
  const rows = [
    { name: "UK", countries: "gb", rate: "0.002", freeFrom: "0.1" },
    { name: "Europe", countries: "FR, de; IE", rate: "0.005", freeFrom: "" },
    { name: "Rest of world", countries: "*", rate: "0.01", freeFrom: "" },
  ];

  it("splits the countries into metadata and the rates onto the chain, zone k in both at k - 1", () => {
    const checked = checkZones(rows, ETH);
    expect(checked.ok).to.equal(true);
    if (!checked.ok) return;
    expect(checked.value.zones).to.deep.equal([
      { name: "UK", countries: ["GB"] },
      { name: "Europe", countries: ["FR", "DE", "IE"] },
      { name: "Rest of world", countries: ["*"] },
    ]);
    expect(checked.value.rates).to.deep.equal([
      { rate: 2n * MILLI, freeFrom: 100n * MILLI },
      { rate: 5n * MILLI, freeFrom: 0n },
      { rate: 10n * MILLI, freeFrom: 0n },
    ]);
    // What is written reads back through the fan side's reader, numbered from 1.
    const back = validateZones(
      withZones({ schema: "merchstand/store@1", bio: "Hi", logo: CID }, checked.value.zones).zones,
    );
    expect(back.ok && back.value.map((z) => [z.number, z.name])).to.deep.equal([
      [1, "UK"],
      [2, "Europe"],
      [3, "Rest of world"],
    ]);
  });

  it("keeps the rest of the store's metadata and drops `zones` when none are left", () => {
    const doc = withZones(
      { schema: "merchstand/store@1", bio: "Hi", links: [], zones: [{ name: "X", countries: ["GB"] }] },
      [],
    );
    expect(doc).to.deep.equal({ schema: "merchstand/store@1", bio: "Hi", links: [] });
  });

  it("refuses a code that is not ISO 3166, a country in two zones, a bad rate, and a ninth zone", () => {
    const bad = (changed: Partial<(typeof rows)[number]>, i = 1) =>
      checkZones(
        rows.map((r, j) => (j === i ? { ...r, ...changed } : r)),
        ETH,
      );
    const notIso = bad({ countries: "FR, UK" });
    expect(!notIso.ok && notIso.message).to.equal(
      '"UK" in zone "Europe" is not an ISO 3166 country code (two letters, like GB or JP).',
    );
    expect(!notIso.ok && notIso.field).to.equal("zone-1-countries");
    const twice = bad({ countries: "FR, GB" });
    expect(!twice.ok && twice.message).to.match(/GB is in zone "UK" and in zone "Europe"/);
    const rate = bad({ rate: "cheap" });
    expect(!rate.ok && rate.field).to.equal("zone-1-rate");
    const none = bad({ countries: " , " });
    expect(!none.ok && none.message).to.equal('Zone "Europe" lists no country.');
    const nine = checkZones(
      Array.from({ length: 9 }, (_, i) => ({
        name: `Z${i}`,
        countries: ["GB", "FR", "DE", "IE", "JP", "US", "CA", "AU", "NZ"][i] ?? "",
        rate: "0",
        freeFrom: "",
      })),
      ETH,
    );
    expect(!nine.ok && nine.message).to.equal("A store can have at most 8 zones.");
  });

  it("fills the form from metadata zones and chain rates", () => {
    const zones = [{ number: 1, name: "UK", countries: ["GB"] }];
    const rates = [
      { rate: 2n * MILLI, freeFrom: 100n * MILLI },
      { rate: 1n * MILLI, freeFrom: 0n },
    ];
    expect(zoneRows(zones, rates, (v) => (Number(v) / 1e18).toString())).to.deep.equal([
      { name: "UK", countries: "GB", rate: "0.002", freeFrom: "0.1" },
      { name: "Zone 2", countries: "", rate: "0.001", freeFrom: "" },
    ]);
  });
});

describe("discount and presale codes (client/codes.ts)", () => {
  const form = (changed: Partial<CodeForm> = {}): CodeForm => ({
    kind: "percent",
    value: "12.5",
    expires: "2026-12-10T12:00:00Z",
    maxUses: "50",
    buyer: "",
    productId: "",
    ...changed,
  });

  it("turns the form into the DiscountCode staff sign, a percentage in basis points", () => {
    const checked = checkCodeForm(form(), 3n, 77, ETH, NOW);
    expect(checked).to.deep.equal({
      ok: true,
      value: {
        storeId: 3n,
        id: 77,
        kind: 0,
        value: 1250n,
        expiresAt: BigInt(Date.parse("2026-12-10T12:00:00Z") / 1000),
        maxUses: 50,
        buyer: ZERO_BUYER,
        productId: 0n,
      },
    });
    const amount = checkCodeForm(
      form({ kind: "amount", value: "0.005", buyer: "0x90f79bf6eb2c4f870365e785982e1f101e93b906", productId: "4" }),
      3n,
      1,
      ETH,
      NOW,
    );
    expect(
      amount.ok && [amount.value.kind, amount.value.value, amount.value.buyer, amount.value.productId],
    ).to.deep.equal([1, 5n * MILLI, "0x90F79bf6EB2c4f870365E785982E1f101E93b906", 4n]);
  });

  it("refuses past expiries, more than 100%, no uses, bad addresses and an empty non-presale code", () => {
    const message = (changed: Partial<CodeForm>) => {
      const c = checkCodeForm(form(changed), 3n, 1, ETH, NOW);
      return c.ok ? null : c.message;
    };
    expect(message({ expires: "2026-12-01T00:00:00Z" })).to.equal("The expiry is in the past.");
    expect(message({ value: "101" })).to.equal("The percentage can be at most 100.");
    expect(message({ maxUses: "0" })).to.match(/at least 1/);
    expect(message({ buyer: "0x1234" })).to.match(/must be an Ethereum address/);
    expect(message({ value: "0" })).to.match(/must be a presale code/);
    expect(message({ value: "0", productId: "9" })).to.equal(null);
  });

  it("signs as the fan side reads it: the text decodes to the same code, the link carries it", async () => {
    const checked = checkCodeForm(
      form({ buyer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", productId: "4" }),
      3n,
      9,
      ETH,
      NOW,
    );
    if (!checked.ok) throw new Error(checked.message);
    const staff = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    const typed = codeTypedData(checked.value, 31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    const { EIP712Domain: _, ...types } = typed.types;
    const signature = await staff.signTypedData(typed.domain, types as never, typed.message);
    const text = encodeCodeText({ code: checked.value, ...compactSignature(signature) });
    const decoded = decodeCodeText(text);
    expect(decoded.ok && decoded.value.code).to.deep.equal({
      ...checked.value,
      buyer: checked.value.buyer.toLowerCase(),
    });
    expect(codeRoute(3n, 4n, text)).to.equal(`/store/3/product/4?code=${text}`);
    expect(codeRoute(3n, 0n, "a+b")).to.equal("/store/3?code=a%2Bb");
    expect(describeCode(checked.value, (v) => `${v}`)).to.equal("12.5% off");
  });

  it("keeps this device's codes per store and deployment, newest first, and hands out the next id after every one seen", () => {
    const map = new Map<string, string>();
    const store = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    const code = (id: number) => {
      const c = checkCodeForm(form(), 3n, id, ETH, NOW);
      if (!c.ok) throw new Error(c.message);
      return c.value;
    };
    saveCode(store, 31337, "0xAbC", code(1), "t1", "first", 1);
    const all = saveCode(store, 31337, "0xabc", code(2), "t2", "second", 2);
    expect(all.map((c) => c.id)).to.deep.equal([2, 1]);
    expect(loadSavedCodes(store, 31337, "0xABC", 3n).map((c) => c.note)).to.deep.equal(["second", "first"]);
    expect(loadSavedCodes(store, 1, "0xABC", 3n)).to.deep.equal([]);
    map.set([...map.keys()][0] as string, "{not json");
    expect(loadSavedCodes(store, 31337, "0xabc", 3n)).to.deep.equal([]);
    expect(nextCodeId([])).to.equal(1);
    expect(nextCodeId([3, 9, 4])).to.equal(10);
  });
});
