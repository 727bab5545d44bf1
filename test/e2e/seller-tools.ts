// The seller's drop tools in a real browser against the real local stack (`npm start` on random ports): the sales
// page on orders placed in this test (its figures match them, a refunded order left out), a Shopify CSV import with
// bad rows (each shown with its row and column, the good products listed, one transaction each, checked on chain
// and on the gateway), shipping zones saved and read back (and an order whose address lies in a cheaper zone than the
// one paid for, flagged to the seller and refunded the difference), and a code signed in the page, checked against the
// contract's EIP-712 digest, then revoked.
import { expect } from "chai";
import { type HDNodeWallet, hexlify, JsonRpcProvider, parseEther, recoverAddress, Signature } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { decodeCodeText } from "../../frontend/src/client/code-text.ts";
import { orderArg, orderFromPlaced, packLine, refundUnit } from "../../frontend/src/client/protocol.ts";
import {
  deriveShippingKey,
  type ShippingAddress,
  sealShipping,
  shippingKeyMessage,
} from "../../frontend/src/client/shipping-crypto.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { eventArgs, protocolCalls } from "./support/chain.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const SELLER = testWallet(12);
const BUYER = testWallet(13);
const IMPORTER = testWallet(14);
const ZONER = testWallet(15);
const CODER = testWallet(16);
const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400;
const ADDRESS: ShippingAddress = {
  name: "Ada Lovelace",
  line1: "12 Analytical Row",
  line2: "",
  city: "Leeds",
  region: "",
  postalCode: "LS1 1AA",
  country: "GB",
  email: "",
};

describe("seller tools in Chromium (e2e)", function () {
  this.timeout(420_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let provider: JsonRpcProvider;
  let call: ReturnType<typeof protocolCalls>["call"];
  let send: ReturnType<typeof protocolCalls>["send"];

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 100;
    ({ call, send } = protocolCalls(provider, stack.merchstand));
  });

  after(async () => {
    provider?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `e2e-seller-tools-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
  });

  async function openDapp(as: string, hash: string, { connect = true } = {}) {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: as }) });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${hash}`);
    if (connect) await connectWallet();
  }

  async function connectWallet() {
    await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
  }

  async function openStore(owner: HDNodeWallet, name: string) {
    const keys = deriveShippingKey(await owner.signMessage(shippingKeyMessage(owner.address, 31337)));
    const opened = await send(owner, "openStore", [
      [name, "", owner.address, ETH, hexlify(keys.publicKey), [owner.address, 7 * DAY, 14 * DAY]],
    ]);
    return { storeId: BigInt(eventArgs(opened, "StoreOpened").storeId), keys };
  }

  /** Rows of the table alternative of the chart headed `title`, as cell texts. */
  async function chartTable(title: string): Promise<string[][]> {
    const figure = page.locator("figure.bar-chart", { has: page.getByRole("heading", { name: title }) });
    await figure.locator("summary").click();
    return figure
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => Array.from(r.children, (c) => (c.textContent ?? "").trim())));
  }

  it("charts the sales made in this test: net, orders, units by product and size, stock left", async () => {
    const { storeId, keys } = await openStore(SELLER, "Sales Chart Records");
    const tee = BigInt(
      eventArgs(
        await send(SELLER, "listProduct", [
          storeId,
          ["Chart Tee", "", 0, 0, false],
          [
            ["S", parseEther("0.02"), 5],
            ["M", parseEther("0.02"), 6],
          ],
        ]),
        "ProductListed",
      ).productId,
    );
    const vinyl = BigInt(
      eventArgs(
        await send(SELLER, "listProduct", [storeId, ["Chart Vinyl", "", 1, 0, false], [["LP", parseEther("0.03"), 4]]]),
        "ProductListed",
      ).productId,
    );
    const sealed = hexlify(sealShipping(ADDRESS, keys.publicKey));
    const buy = async (productId: bigint, variant: number, quantity: number, unit: bigint) => {
      const line = packLine({ productId, variant, quantity, maxUnitPrice: unit }, 1);
      return send(BUYER, "buy_oT9la", [line, sealed], unit * BigInt(quantity));
    };
    await buy(tee, 1, 2, parseEther("0.02"));
    await buy(vinyl, 0, 1, parseEther("0.03"));
    await buy(tee, 0, 1, parseEther("0.02"));
    // A fourth order, refunded in full: left out of every figure but the "refunded or cancelled" count.
    const refunded = eventArgs(await buy(vinyl, 0, 1, parseEther("0.03")), "OrderPlaced");
    await send(SELLER, "refund", [
      BigInt(refunded.orderId),
      orderArg(orderFromPlaced(refunded as never, ETH)),
      parseEther("0.03"),
    ]);

    await openDapp(SELLER.address, `#/sell/store/${storeId}`);
    await page.locator(".seller-tabs").getByRole("link", { name: "Sales" }).click();
    await page.locator(".sales-net").waitFor({ timeout: 30_000 });
    // 0.04 + 0.03 + 0.02 ETH in three orders of 2 + 1 + 1 units.
    expect(await page.locator(".sales-net").textContent()).to.equal("0.09 ETH");
    expect(await page.locator(".sales-orders").textContent()).to.equal("3");
    expect(await page.locator(".sales-units").textContent()).to.equal("4");
    expect(await page.locator(".sales-undone").textContent()).to.equal("1");

    // Every bar is an SVG image with its name; the table alternative carries the same figures.
    const charts = page.locator("svg.bar-chart-svg[role=img]");
    expect(await charts.count()).to.equal(4);
    expect(await page.locator("svg.bar-chart-svg .bar-label", { hasText: "Chart Tee · M" }).count()).to.be.greaterThan(
      0,
    );
    expect(await chartTable("By product")).to.deep.equal([
      ["Chart Tee", "3 units", "0.06 ETH", "2"],
      ["Chart Vinyl", "1 unit", "0.03 ETH", "1"],
    ]);
    expect(await chartTable("By size and variant")).to.deep.equal([
      ["Chart Tee · M", "2 units", "0.04 ETH"],
      ["Chart Vinyl · LP", "1 unit", "0.03 ETH"],
      ["Chart Tee · S", "1 unit", "0.02 ETH"],
    ]);
    const days = await chartTable("Sales by day (last 14 days, UTC)");
    expect(days).to.have.length(14);
    // All orders were placed on the chain's today: the last day holds them all.
    expect(days.at(-1)?.slice(1)).to.deep.equal(["0.09 ETH", "3", "4"]);
    // Stock left is the chain's, variant by variant.
    const stockRows = await chartTable("Stock left");
    for (const [id, name] of [
      [tee, "Chart Tee"],
      [vinyl, "Chart Vinyl"],
    ] as const) {
      const onChain = (await call("getProduct", [id]))[0];
      for (const v of onChain.variants) {
        const row = stockRows.find((r) => r[0] === `${name} · ${v.label}`);
        expect(row, `${name} ${v.label}`).to.not.equal(undefined);
        expect(row?.[1]).to.equal(Number(v.stock) === 0 ? "Sold out" : `${v.stock} left`);
        expect(row?.[2]).to.equal(String(v.sold));
      }
    }
  });

  it("imports a Shopify CSV: bad rows shown by row and column, the good products listed one transaction each", async () => {
    const { storeId } = await openStore(IMPORTER, "Import Test Merch");
    const header =
      "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Variant Requires Shipping,Image Src,Status";
    const rows = [
      // row 2-4: a good tee in three sizes, a hostile body and a CDN picture
      'night-tee,Night Tee,"<p>Glow <b>ink</b></p><script>alert(1)</script><img src=x onerror=alert(2)>",Night Shift,T-Shirt,tour,TRUE,Size,S,NT-S,5,0.02,TRUE,https://cdn.shopify.com/night.jpg,active',
      "night-tee,,,,,,,,M,NT-M,7,0.02,TRUE,,",
      "night-tee,,,,,,,,L,NT-L,0,0.025,TRUE,,",
      // row 5: a good single-variant record
      "live-lp,Live LP,<p>Recorded live</p>,Night Shift,Vinyl,,TRUE,Title,Default Title,LP-1,30,0.05,TRUE,,active",
      // rows 6-7: a product with a bad price on its second row: not listed at all
      "bad-cap,Bad Cap,,,Hat,,TRUE,Size,One,CAP-1,3,0.01,TRUE,,active",
      "bad-cap,,,,,,,,Two,CAP-2,3,ten,TRUE,,",
      // row 8: no handle
      ",Orphan,,,,,TRUE,Size,M,,1,0.01,TRUE,,active",
      // row 9: a title over 64 bytes
      `long-name,${"Extended Edition ".repeat(4)},,,,,TRUE,Size,M,,1,0.01,TRUE,,active`,
    ];
    await openDapp(IMPORTER.address, `#/sell/store/${storeId}/products`);
    await page.getByRole("link", { name: "Import a Shopify CSV" }).click();
    await page.getByLabel("Shopify product export (CSV)").setInputFiles({
      name: "products_export.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`\uFEFF${[header, ...rows].join("\r\n")}\r\n`),
    });
    await page.locator(".import-summary").waitFor();
    expect(await page.locator(".import-summary").textContent()).to.match(
      /^2 products ready to list, in 2 transactions/,
    );
    const errors = await page
      .locator("tr.import-error")
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c.textContent ?? "").trim())));
    expect(errors.map((e) => e.slice(0, 3))).to.deep.equal([
      ["7", "Variant Price", "bad-cap"],
      ["8", "Handle", ""],
      ["9", "Title", "long-name"],
    ]);
    expect(errors[0]?.[3]).to.match(/must be a number/);
    expect(errors[2]?.[3]).to.match(/too long: 67 characters, at most 64/);
    // The preview shows the body as text and says the picture is not fetched.
    const teeCard = page.locator('.import-product[data-handle="night-tee"]');
    expect(await teeCard.locator(".import-description").textContent()).to.equal("Glow ink");
    expect(await teeCard.locator(".import-warnings").textContent()).to.contain("not downloaded");
    expect(await page.locator(".import-product").count()).to.equal(2);

    const before = await provider.getTransactionCount(IMPORTER.address);
    await page.getByRole("button", { name: "List 2 products" }).click();
    await page.getByText("Done: 2 products listed, one transaction each.").waitFor({ timeout: 60_000 });
    expect(await provider.getTransactionCount(IMPORTER.address)).to.equal(before + 2);

    const [products] = await call("getStoreProducts", [storeId, 0, 10]);
    expect(products.map((p: { name: string }) => p.name)).to.deep.equal(["Night Tee", "Live LP"]);
    const tee = products[0];
    expect(
      tee.variants.map((v: { label: string; price: bigint; stock: bigint }) => [v.label, v.price, Number(v.stock)]),
    ).to.deep.equal([
      ["S", parseEther("0.02"), 5],
      ["M", parseEther("0.02"), 7],
      ["L", parseEther("0.025"), 0],
    ]);
    expect(products[1].variants.map((v: { label: string }) => v.label)).to.deep.equal(["One size"]);
    const response = await fetch(`${stack.gatewayUrl}/ipfs/${tee.metadataCid}`);
    const meta = (await response.json()) as { description: string; details: Record<string, string> };
    expect(meta.description).to.equal("Glow ink");
    expect(meta.details["Picture 1 (not fetched)"]).to.equal("https://cdn.shopify.com/night.jpg");
    // Each listed product links to its editor.
    expect(await teeCard.locator(".import-result a").getAttribute("href")).to.match(
      new RegExp(`#/sell/store/${storeId}/products/${tee.id}$`),
    );
  });

  it("saves shipping zones: countries in the store's metadata, rates on chain, read back after a reload", async () => {
    const { storeId, keys: zonerKeys } = await openStore(ZONER, "Zone Test Merch");
    await openDapp(ZONER.address, `#/sell/store/${storeId}`);
    await page.locator(".seller-tabs").getByRole("link", { name: "Shipping" }).click();
    await page.getByRole("button", { name: "Add a zone" }).click();
    await page.getByLabel("Zone 1 name").fill("UK");
    await page.getByLabel("Zone 1 countries").fill("gb");
    await page.getByLabel("Zone 1 rate (ETH)").fill("0.002");
    await page.getByLabel("Zone 1 free from (ETH)").fill("0.1");
    await page.getByRole("button", { name: "Add a zone" }).click();
    await page.getByLabel("Zone 2 name").fill("Japan");
    // Not an ISO code: refused before the wallet opens.
    await page.getByLabel("Zone 2 countries").fill("JP, XX");
    await page.getByLabel("Zone 2 rate (ETH)").fill("0.01");
    // The wallet switches to an account that doesn't run the store, then back: each switch renders the page again,
    // and the zones added and typed stay.
    await page.evaluate(`window.__testWallet.setAccount(${JSON.stringify(BUYER.address)})`);
    await page.locator(".seller-zones .notice", { hasText: "doesn't run" }).waitFor();
    expect(await page.getByLabel("Zone 2 name").inputValue()).to.equal("Japan");
    await page.evaluate(`window.__testWallet.setAccount(${JSON.stringify(ZONER.address)})`);
    await page.locator(".seller-zones .seller-head .badge.role", { hasText: "Owner" }).waitFor();
    expect(await page.getByLabel("Zone 1 free from (ETH)").inputValue()).to.equal("0.1");
    expect(await page.getByLabel("Zone 2 countries").inputValue()).to.equal("JP, XX");
    await page.getByRole("button", { name: "Save zones" }).click();
    await page.getByText('"XX" in zone "Japan" is not an ISO 3166 country code').waitFor();
    expect((await call("shippingZones", [storeId]))[0]).to.have.length(0);
    await page.getByLabel("Zone 2 countries").fill("JP");
    expect(await page.locator(".zone-country-names").nth(1).textContent()).to.equal("Japan");
    await page.getByRole("button", { name: "Save zones" }).click();
    await page.locator(".zones-saved").waitFor({ timeout: 60_000 });

    const zones = (await call("shippingZones", [storeId]))[0];
    expect(zones.map((z: { rate: bigint; freeFrom: bigint }) => [z.rate, z.freeFrom])).to.deep.equal([
      [parseEther("0.002"), parseEther("0.1")],
      [parseEther("0.01"), 0n],
    ]);
    const store = (await call("getStore", [storeId]))[0];
    const meta = (await (await fetch(`${stack.gatewayUrl}/ipfs/${store.metadataCid}`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta.zones).to.deep.equal([
      { name: "UK", countries: ["GB"] },
      { name: "Japan", countries: ["JP"] },
    ]);
    expect(store.name).to.equal("Zone Test Merch");

    await page.reload();
    await page.getByLabel("Zone 2 name").waitFor();
    expect(await page.getByLabel("Zone 1 countries").inputValue()).to.equal("GB");
    expect(await page.getByLabel("Zone 1 free from (ETH)").inputValue()).to.equal("0.1");
    expect(await page.getByLabel("Zone 2 name").inputValue()).to.equal("Japan");
    expect(await page.getByLabel("Zone 2 rate (ETH)").inputValue()).to.equal("0.01");

    // A buyer pays the Japan rate (zone 2) for an address in Leeds (zone 1): only the seller, who opens the sealed
    // address, can see it. The orders page says so and refunds the 0.008 ETH difference in one click.
    const poster = BigInt(
      eventArgs(
        await send(ZONER, "listProduct", [storeId, ["Zone Poster", "", 2, 0, false], [["A2", parseEther("0.03"), 5]]]),
        "ProductListed",
      ).productId,
    );
    const line = packLine({ productId: poster, variant: 0, quantity: 1, maxUnitPrice: parseEther("0.03") }, 1);
    const options = 2n | (parseEther("0.01") << 8n);
    const noCode = [0n, `0x${"0".repeat(64)}`, `0x${"0".repeat(64)}`];
    const placedOrder = eventArgs(
      await send(
        BUYER,
        "buyWith",
        [line, options, noCode, hexlify(sealShipping(ADDRESS, zonerKeys.publicKey))],
        parseEther("0.04"),
      ),
      "OrderPlaced",
    );
    const orderId = BigInt(placedOrder.orderId);
    await page.locator(".seller-tabs").getByRole("link", { name: "Orders" }).click();
    await page.getByRole("button", { name: "Show addresses (sign in your wallet)" }).click();
    const card = page.locator(`.seller-order[data-order-id="${orderId}"]`);
    await card.locator(".shipping-line", { hasText: "Shipping: Japan" }).waitFor();
    const note = card.locator(".zone-check .notice");
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).to.equal(
      "The address is in United Kingdom, but the buyer paid for zone Japan (0.01 ETH); zone UK charges 0.002 ETH for this order at today's rates, so 0.008 ETH was paid too much.",
    );
    expect(await card.textContent()).to.contain("Paid 0.04 ETH");
    await card.getByRole("button", { name: "Refund the 0.008 ETH difference" }).click();
    await page
      .locator(".tx-stage.ok", { hasText: "0.008 ETH of shipping refunded to the buyer" })
      .waitFor({ timeout: 60_000 });
    // Counted on chain in the order's refund unit (10^11 wei for 0.04 ETH): 0.008 ETH is exactly 80,000 units.
    expect((await call("refundedUnits", [orderId]))[0]).to.equal(parseEther("0.008") / refundUnit(parseEther("0.04")));
    expect(refundUnit(parseEther("0.04"))).to.equal(10n ** 11n);
  });

  it("makes a code signed by the staff wallet, shows it as text and link, lists it with its uses, and revokes it", async () => {
    const { storeId } = await openStore(CODER, "Code Test Merch");
    // The seller fills the form before connecting: the page renders again for the staff wallet (the role decides
    // what it allows), and that render keeps what was typed.
    await openDapp(CODER.address, `#/sell/store/${storeId}/codes`, { connect: false });
    await page.getByLabel("Value").fill("15");
    await page.getByLabel("Uses").fill("3");
    await page.getByLabel("Only for this fan (optional)").fill(BUYER.address);
    await page.getByLabel("Note (kept on this device only)").fill("Fan club");
    expect(await page.getByRole("button", { name: "Sign the code" }).isDisabled()).to.equal(true);
    await connectWallet();
    await page.locator(".seller-codes .seller-head .badge.role", { hasText: "Owner" }).waitFor();
    expect(await page.getByLabel("Value").inputValue()).to.equal("15");
    expect(await page.getByLabel("Note (kept on this device only)").inputValue()).to.equal("Fan club");
    await page.getByRole("button", { name: "Sign the code" }).click();
    const textInput = page.locator('input[name="made-code-text"]');
    await textInput.waitFor({ timeout: 30_000 });
    const text = await textInput.inputValue();
    const decoded = decodeCodeText(text);
    if (!decoded.ok) throw new Error(decoded.reason);
    const { code, r, vs } = decoded.value;
    expect([code.storeId, code.kind, code.value, code.maxUses, code.buyer.toLowerCase()]).to.deep.equal([
      storeId,
      0,
      1500n,
      3,
      BUYER.address.toLowerCase(),
    ]);
    // The contract's own EIP-712 digest of the code recovers the staff wallet that signed in the page.
    const digest = (await call("hashCode", [code]))[0];
    expect(recoverAddress(digest, Signature.from({ r, yParityAndS: vs }))).to.equal(CODER.address);
    expect(await page.locator('input[name="made-code-link"]').inputValue()).to.contain(
      `#/store/${storeId}?code=${encodeURIComponent(text)}`,
    );
    const row = page.locator(`tr.code-row[data-code-id="${code.id}"]`);
    expect(await row.locator(".code-uses").textContent()).to.equal("0 of 3");
    expect(await row.locator(".code-status").textContent()).to.equal("Active");

    await row.getByRole("button", { name: "Revoke" }).click();
    await row.locator(".code-status", { hasText: "Revoked" }).waitFor({ timeout: 60_000 });
    const state = await call("codeState", [storeId, code.id]);
    expect(state.revoked).to.equal(true);
    // The list is this device's: a reload keeps it.
    await page.reload();
    await page.locator(`tr.code-row[data-code-id="${code.id}"] .code-status`, { hasText: "Revoked" }).waitFor();
  });
});
