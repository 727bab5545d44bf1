// The seller side in a real browser against the real local stack (`npm start` on random ports), the dapp opened
// from the IPFS gateway's subdomain URL with one injected wallet that switches between seller, buyer, arbiter and
// verifier: a seller opens a store and lists a product with a picture uploaded through the gateway's /api/v0/add,
// a fan buys it, the seller reads the address in the browser and ships, the fan confirms, the seller withdraws; a
// dispute settled 50/50 in the arbiter view; a verification request (its evidence kept over an account switch)
// attested and revoked. Every money movement is checked on chain.
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import {
  Contract,
  type ContractTransactionResponse,
  formatEther,
  type HDNodeWallet,
  hexlify,
  Interface,
  JsonRpcProvider,
  parseEther,
  type TransactionReceipt,
} from "ethers";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { parseCsv } from "../../frontend/src/client/csv.ts";
import { orderArg, orderFromPlaced, packLine } from "../../frontend/src/client/protocol.ts";
import {
  deriveShippingKey,
  type ShippingAddress,
  sealShipping,
  shippingKeyMessage,
} from "../../frontend/src/client/shipping-crypto.ts";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { productImages, storeLogo } from "../../scripts/seed/art.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { controlsHolding, HELD } from "./support/held-text.ts";
import { orderIdOf } from "./support/orders.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const account = (index: number) => testWallet(index);
// Accounts the demo seed and the storefront tests leave alone (they use 0..11), so balances start clean.
const SELLER = account(12);
const BUYER = account(13);
const ARBITER = account(14);
const PAYOUT = account(15);
const DISPUTING_BUYER = account(16);
const SECOND_SELLER = account(17);
const THIRD_SELLER = account(18);
// The stack's verifier (scripts/stack/accounts.ts: verifier).
const VERIFIER = account(5);
const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400;

const ADDRESS: ShippingAddress = {
  name: "Grace Hopper",
  line1: "7 Cobol Court",
  line2: "Apt 2B",
  city: "Arlington",
  region: "Virginia",
  postalCode: "22201",
  country: "US",
  email: "grace@example.org",
};

const merchstand = new Interface(merchstandAbi);
const PALETTE = { background: [24, 22, 48], ink: [240, 236, 226], accent: [228, 87, 46] } as const;

describe("seller dashboard in Chromium (e2e)", function () {
  this.timeout(420_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let provider: JsonRpcProvider;
  const uploads: string[] = [];

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    // No response cache: balances are compared across transactions mined within milliseconds.
    provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 100;
  });

  after(async () => {
    provider?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `e2e-seller-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
  });

  // ── helpers ──

  async function openDapp(as: string, hash = "", width = 1280) {
    context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: as }) });
    page = await context.newPage();
    page.on("request", (r: Request) => {
      if (r.method() === "POST" && r.url().includes("/api/v0/add")) uploads.push(r.url());
    });
    await page.goto(`${stack.dappUrl}${hash}`);
    await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
  }

  /** Switches the wallet's account, as a user picks another account in their wallet, and waits for the header. */
  async function switchTo(who: HDNodeWallet) {
    await page.evaluate(
      (a) => (window as unknown as { __testWallet: { setAccount(a: string): void } }).__testWallet.setAccount(a),
      who.address,
    );
    const short = `${who.address.slice(0, 6)}…${who.address.slice(-4)}`;
    await page.locator(".account .address", { hasText: short }).waitFor();
  }

  async function go(hash: string) {
    await page.goto(`${stack.dappUrl}#${hash}`);
  }

  const call = async (fn: string, args: unknown[]) =>
    merchstand.decodeFunctionResult(
      fn,
      await provider.call({ to: stack.merchstand, data: merchstand.encodeFunctionData(fn, args) }),
    );
  const getStore = async (id: bigint) => (await call("getStore", [id]))[0];
  const orderStatus = async (id: bigint) => Number((await call("orderStatus", [id]))[0]);
  const credits = async (who: string) => BigInt((await call("credits", [who, ETH]))[0]);
  // Refunds and rulings are paid straight to the buyer (credited only when that fails): what reached the buyer is
  // its balance plus its credits.
  const received = async (who: string) => (await provider.getBalance(who)) + (await credits(who));

  async function gatewayJson(cid: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${stack.gatewayUrl}/ipfs/${cid}`);
    expect(response.status, `gateway serves ${cid}`).to.equal(200);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Sends a contract call from an unlocked node account (setup the UI is not under test for). */
  async function send(from: HDNodeWallet, fn: string, args: unknown[], value = 0n): Promise<TransactionReceipt> {
    const signer = await provider.getSigner(from.address);
    const contract = new Contract(stack.merchstand, merchstandAbi as never, signer);
    const tx = (await contract.getFunction(fn)(...args, { value })) as ContractTransactionResponse;
    const receipt = await tx.wait();
    if (receipt?.status !== 1) throw new Error(`${fn} failed`);
    return receipt;
  }

  /** The arguments of the first `name` event in a receipt. */
  function eventArgs(receipt: TransactionReceipt, name: string) {
    for (const log of receipt.logs) {
      const parsed = merchstand.parseLog(log);
      if (parsed?.name === name) return parsed.args;
    }
    throw new Error(`no ${name} event in ${receipt.hash}`);
  }

  async function storeKey(owner: HDNodeWallet) {
    return deriveShippingKey(await owner.signMessage(shippingKeyMessage(owner.address, 31337)));
  }

  /** A store with one product and one paid, shipped order, set up directly on chain. */
  async function shippedOrder(owner: HDNodeWallet, buyer: HDNodeWallet, arbiter: string, price: bigint) {
    const keys = await storeKey(owner);
    const opened = await send(owner, "openStore", [
      [
        `Dispute Test ${owner.address.slice(2, 6)}`,
        "",
        owner.address,
        ETH,
        hexlify(keys.publicKey),
        [arbiter, 7 * DAY, 14 * DAY],
      ],
    ]);
    const storeId = BigInt(
      opened.logs.map((l) => merchstand.parseLog(l)).find((l) => l?.name === "StoreOpened")!.args.storeId,
    );
    const listed = await send(owner, "listProduct", [storeId, ["Static Hoodie", "", 0, 0, false], [["L", price, 3]]]);
    const productId = BigInt(
      listed.logs.map((l) => merchstand.parseLog(l)).find((l) => l?.name === "ProductListed")!.args.productId,
    );
    const sealed = hexlify(sealShipping(ADDRESS, keys.publicKey));
    const line = packLine({ productId, variant: 0, quantity: 1, maxUnitPrice: price }, 1);
    const bought = await send(buyer, "buy_oT9la", [line, sealed], price);
    const placed = eventArgs(bought, "OrderPlaced");
    const orderId = BigInt(placed.orderId);
    const order = orderFromPlaced(placed as never, ETH);
    await send(owner, "markShipped", [orderId, orderArg(order), "DHL 00340434"]);
    return { storeId, productId, orderId, feeBps: order.feeBps };
  }

  // ── tests ──

  it("opens a store, lists a product with a picture, sells it, reads the address, ships, and withdraws", async () => {
    await openDapp(SELLER.address, "#/sell");
    await page.getByRole("heading", { name: "You don't run a store yet" }).waitFor();
    await page.getByRole("link", { name: "Open a store" }).first().click();

    // 1. Open the store: name, bio, logo upload (CID shown), payout, arbiter; the key comes from a signature.
    await page.getByLabel("Store name").fill("Night Shift Records");
    await page.getByLabel("About the store (optional)").fill("Late-night synth pop from Glasgow.");
    const logo = storeLogo(PALETTE as never, "Night Shift");
    await page
      .locator(".image-field input[type=file]")
      .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from(logo) });
    const logoCid = (await page.locator(".upload-item code.cid").textContent({ timeout: 20_000 })) ?? "";
    expect(logoCid).to.match(/^bafk/);
    await page.getByLabel("Payout address").fill(PAYOUT.address);
    await page.getByLabel("Arbiter").fill(ARBITER.address);
    expect(await page.locator(".key-box").textContent()).to.contain("The secret key never leaves this browser");
    await page.getByRole("button", { name: "Open store" }).click();
    await page.waitForURL(/#\/sell\/store\/\d+\/products\/new$/, { timeout: 30_000 });
    const storeId = BigInt(/store\/(\d+)\//.exec(page.url())![1]!);

    const store = await getStore(storeId);
    expect(store.owner).to.equal(SELLER.address);
    expect(store.payout).to.equal(PAYOUT.address);
    expect(store.currency).to.equal(ETH);
    expect(store.terms.arbiter).to.equal(ARBITER.address);
    expect(Number(store.terms.shipWindow)).to.equal(7 * DAY);
    expect(Number(store.terms.deliveryWindow)).to.equal(14 * DAY);
    // Only the public key went on chain, and it is the one the owner's signature re-derives.
    const keys = await storeKey(SELLER);
    expect(store.shippingKey).to.equal(hexlify(keys.publicKey));
    const storeMeta = await gatewayJson(store.metadataCid);
    expect(storeMeta).to.deep.equal({
      schema: "merchstand/store@1",
      bio: "Late-night synth pop from Glasgow.",
      logo: logoCid,
    });

    // 2. List a product. Wrong files are refused before any upload, with the limit stated.
    await page.getByRole("heading", { name: "New product" }).waitFor();
    const uploadsBefore = uploads.length;
    const fileInput = page.locator(".image-field input[type=file]");
    await fileInput.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a picture") });
    expect(await page.locator(".upload-error").textContent()).to.contain(
      "Pictures must be PNG, JPEG, WebP or GIF, at most 2 MB.",
    );
    const huge = Buffer.alloc(2 * 1024 * 1024 + 1);
    huge.set([0x89, 0x50, 0x4e, 0x47]);
    await fileInput.setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: huge });
    expect(await page.locator(".upload-error").textContent()).to.contain('"huge.png" is 2.1 MB');
    expect(await page.locator(".upload-error").textContent()).to.contain("at most 2 MB");
    expect(uploads.length, "refused files are never uploaded").to.equal(uploadsBefore);

    const [front] = productImages("tee", PALETTE as never, ["NIGHT SHIFT", "TOUR 2026"], "NIGHT SHIFT");
    await fileInput.setInputFiles({ name: "tee.png", mimeType: "image/png", buffer: Buffer.from(front!) });
    const imageCid = (await page.locator(".upload-item code.cid").first().textContent({ timeout: 20_000 })) ?? "";
    expect(imageCid).to.match(/^bafk/);
    await page.getByLabel("Name", { exact: true }).fill("Night Shift Tour Tee");
    await page.getByLabel("Description").fill("Glow-in-the-dark print.\nPrinted in Glasgow.");
    await page.getByLabel("Variant 1 label").fill("M");
    await page.getByLabel("Variant 1 price (ETH)").fill("0.01");
    await page.getByLabel("Variant 1 stock").fill("5");
    await page.getByRole("button", { name: "Add a variant" }).click();
    await page.getByLabel("Variant 2 label").fill("L");
    await page.getByLabel("Variant 2 price (ETH)").fill("0.012");
    await page.getByLabel("Variant 2 stock").fill("0");
    // The live preview follows the form: "from" price, sold-out size struck through, the description.
    expect(await page.locator(".preview-price").textContent()).to.equal("From 0.01 ETH");
    expect(await page.locator(".preview .variant.sold-out").textContent()).to.equal("L");
    expect(await page.locator(".preview-description").textContent()).to.equal(
      "Glow-in-the-dark print.\nPrinted in Glasgow.",
    );
    await screenshot(page, "seller-product-editor");
    await page.getByRole("button", { name: "List product" }).click();
    await page.waitForURL(/products\/\d+\?listed=1$/, { timeout: 30_000 });
    const productId = BigInt(/products\/(\d+)/.exec(page.url())![1]!);
    const product = (await call("getProduct", [productId]))[0];
    expect(product.name).to.equal("Night Shift Tour Tee");
    expect(product.storeId).to.equal(storeId);
    expect(product.variants.map((v: { label: string }) => v.label)).to.deep.equal(["M", "L"]);
    expect(product.variants[0].price).to.equal(parseEther("0.01"));
    expect(await gatewayJson(product.metadataCid)).to.deep.equal({
      schema: "merchstand/product@1",
      description: "Glow-in-the-dark print.\nPrinted in Glasgow.",
      images: [imageCid],
    });

    // 3. A fan buys size M from the shop (same page, the wallet switched to the buyer's account).
    await switchTo(BUYER);
    await go(`/store/${storeId}/product/${productId}`);
    await page.getByRole("radio", { name: "M", exact: true }).click();
    await page.getByRole("button", { name: "Add to cart" }).click();
    await go("/checkout");
    await page.getByLabel("Full name").fill(ADDRESS.name);
    await page
      .getByLabel("Email (optional: sealed with your address, so the band can contact you)")
      .fill(ADDRESS.email);
    await page.getByLabel("Address", { exact: true }).fill(ADDRESS.line1);
    await page.getByLabel("Apartment, suite, etc. (optional)").fill(ADDRESS.line2);
    await page.getByLabel("City").fill(ADDRESS.city);
    await page.getByLabel("State / county (optional)").fill(ADDRESS.region);
    await page.getByLabel("Postcode / ZIP").fill(ADDRESS.postalCode);
    await page.getByLabel("Country").selectOption({ label: "United States" });
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 30_000 });
    const orderId = await orderIdOf(page.locator(".success .order-link").first());
    expect(await orderStatus(orderId)).to.equal(1);

    // 4. The seller reads the address in the browser (it must be what the fan typed), exports the CSV, and ships.
    // A reload starts a new session: the key derived when the store was opened is gone from memory.
    await switchTo(SELLER);
    await go(`/sell/store/${storeId}/orders`);
    await page.reload();
    await page.locator(".account .address").waitFor();
    await page.locator(".seller-head .badge.role", { hasText: "Owner" }).waitFor();
    const card = page.locator(`.seller-order[data-order-id="${orderId}"]`);
    await card.locator(".locked").waitFor();
    expect(await card.locator(".locked").count()).to.equal(1);
    expect(await page.locator(".key-box").textContent()).to.contain("decrypted only in this browser");
    await page.getByRole("button", { name: "Show addresses (sign in your wallet)" }).click();
    const shipTo = card.locator(".ship-to");
    await shipTo.waitFor();
    const lines = await shipTo.locator(".line").allTextContents();
    expect(lines).to.deep.equal([
      ADDRESS.name,
      ADDRESS.line1,
      ADDRESS.line2,
      `${ADDRESS.city}, ${ADDRESS.region}`,
      ADDRESS.postalCode,
      "United States",
      ADDRESS.email,
    ]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export orders to ship (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).to.equal(`merchstand-store-${storeId}-to-ship.csv`);
    const rows = parseCsv(await readFile((await download.path())!, "utf8"));
    expect(rows[0]).to.include.members(["Order", "Name", "Address line 1", "Postcode"]);
    expect(rows).to.have.length(2);
    const row = rows[1]!;
    expect(row.slice(0, 1).concat(row.slice(2, 11))).to.deep.equal([
      orderId.toString(),
      ADDRESS.name,
      ADDRESS.line1,
      ADDRESS.line2,
      ADDRESS.city,
      ADDRESS.region,
      ADDRESS.postalCode,
      ADDRESS.country,
      "United States",
      ADDRESS.email,
    ]);
    expect(row[11]).to.equal("1 × Night Shift Tour Tee (M)");
    await screenshot(page, "seller-orders-unlocked");
    await card.getByLabel("Carrier and tracking reference").fill("Royal Mail RM123456789GB");
    await card.getByRole("button", { name: "Mark shipped" }).click();
    await page.locator('[data-filter="shipped"]', { hasText: "Shipped (1)" }).waitFor({ timeout: 30_000 });
    expect(await orderStatus(orderId)).to.equal(2);

    // 5. The fan confirms receipt: the store is credited the amount less the fee.
    await switchTo(BUYER);
    await go(`/orders/${orderId}`);
    await page.getByRole("button", { name: "Confirm receipt" }).click();
    await page.locator('[data-status="Completed"]').waitFor({ timeout: 30_000 });
    const feeBps = BigInt((await call("feeBps", []))[0]);
    const price = parseEther("0.01");
    const net = price - (price * feeBps) / 10_000n;
    expect((await getStore(storeId)).balance).to.equal(net);

    // 6. The seller withdraws: the payout address receives exactly that, and the store balance is empty.
    await switchTo(SELLER);
    await go(`/sell/store/${storeId}`);
    await page.locator(".withdrawable", { hasText: `${formatEther(net)} ETH` }).waitFor();
    const payoutBefore = await provider.getBalance(PAYOUT.address);
    await page.getByRole("button", { name: "Withdraw" }).click();
    await page
      .getByText(`sent to ${PAYOUT.address.slice(0, 6)}…${PAYOUT.address.slice(-4)}`)
      .first()
      .waitFor({ timeout: 30_000 });
    expect((await provider.getBalance(PAYOUT.address)) - payoutBefore).to.equal(net);
    expect((await getStore(storeId)).balance).to.equal(0n);
    await page.locator(".withdrawable", { hasText: /^0 ETH$/ }).waitFor();
  });

  it("settles a dispute 50/50 from the arbiter view, and the money lands as ruled", async () => {
    const price = parseEther("0.02");
    const { storeId, orderId, feeBps } = await shippedOrder(SECOND_SELLER, DISPUTING_BUYER, ARBITER.address, price);

    // The buyer disputes from the order page.
    await openDapp(DISPUTING_BUYER.address, `#/orders/${orderId}`);
    await page.getByLabel("What went wrong?").fill("Arrived with a torn sleeve.");
    await page.getByRole("button", { name: "Open a dispute" }).click();
    await page.locator('[data-status="Disputed"]').waitFor({ timeout: 30_000 });

    // The seller sees it under Disputed, with the reason and who decides.
    await switchTo(SECOND_SELLER);
    await go(`/sell/store/${storeId}/orders?filter=disputed`);
    const sellerCard = page.locator(`.seller-order[data-order-id="${orderId}"]`);
    await sellerCard.waitFor();
    expect(await sellerCard.locator(".dispute-reason").textContent()).to.contain("Arrived with a torn sleeve.");
    await sellerCard.locator(".deadline", { hasText: "The arbiter" }).waitFor();

    // The arbiter sees the dispute assigned to them, 50/50 by default, and rules.
    const receivedBefore = await received(DISPUTING_BUYER.address);
    await switchTo(ARBITER);
    await go("/arbiter");
    const card = page.locator(`.dispute-card[data-order-id="${orderId}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator(".dispute-reason").textContent()).to.equal("Arrived with a torn sleeve.");
    expect(await card.getByLabel("To the buyer (ETH)").inputValue()).to.equal("0.01");
    expect(await card.getByLabel("To the store (ETH)").inputValue()).to.equal("0.01");
    expect(await card.locator(".split-summary").textContent()).to.contain("Buyer gets 0.01 ETH (50%)");
    await screenshot(page, "seller-arbiter-view");
    await card.getByRole("button", { name: "Rule and settle" }).click();
    await page.locator(`.task[data-order-id="${orderId}"]`).waitFor({ timeout: 30_000 });

    // On chain: Resolved, half paid to the buyer, the other half less the fee to the store.
    const half = price / 2n;
    const fee = (half * BigInt(feeBps)) / 10_000n;
    expect(await orderStatus(orderId)).to.equal(7);
    expect((await received(DISPUTING_BUYER.address)) - receivedBefore).to.equal(half);
    expect((await getStore(storeId)).balance).to.equal(half - fee);
    const [resolved] = await provider.getLogs({
      address: stack.merchstand,
      topics: [merchstand.getEvent("DisputeResolved")!.topicHash, `0x${orderId.toString(16).padStart(64, "0")}`],
      fromBlock: 0,
    });
    const args = merchstand.parseLog(resolved!)!.args;
    expect([args.toBuyer, args.toStore, args.fee, args.byArbiter]).to.deep.equal([half, half - fee, fee, true]);
  });

  it("asks for verification, and a verifier attests then revokes the Official mark", async () => {
    const keys = await storeKey(THIRD_SELLER);
    const opened = await send(THIRD_SELLER, "openStore", [
      ["Glasgow Glow", "", THIRD_SELLER.address, ETH, hexlify(keys.publicKey), [ARBITER.address, 7 * DAY, 14 * DAY]],
    ]);
    const storeId = BigInt(
      opened.logs.map((l) => merchstand.parseLog(l)).find((l) => l?.name === "StoreOpened")!.args.storeId,
    );
    const evidence = "https://glasgowglow.example/official-merch";

    await openDapp(THIRD_SELLER.address, `#/sell/store/${storeId}/verify`);
    expect(await page.locator(".statement").textContent()).to.contain(`store #${storeId} "Glasgow Glow"`);
    await page.getByLabel("Link to your evidence").fill("http://insecure.example");
    await page.getByRole("button", { name: "Request verification" }).click();
    expect(await page.locator(".error-sentence").textContent()).to.contain("https:// link or an IPFS CID");
    await page.getByLabel("Link to your evidence").fill(evidence);
    // The wallet switches to an account that isn't the owner (the page renders again with no form, and the link is
    // nowhere on it), then back: the link typed is still there.
    await switchTo(VERIFIER);
    await page.getByText("Only the store's owner can ask for verification.").waitFor();
    expect(await page.getByLabel("Link to your evidence").count()).to.equal(0);
    expect(await page.locator("body").innerText()).to.not.contain(evidence);
    // innerText leaves out values: the control that holds the link is hidden, disabled and outside any form.
    expect(await controlsHolding(page, evidence)).to.deep.equal(HELD);
    await switchTo(THIRD_SELLER);
    await page.locator(".get-verified .seller-head .badge.role", { hasText: "Owner" }).waitFor();
    expect(await page.getByLabel("Link to your evidence").inputValue()).to.equal(evidence);
    await page.getByRole("button", { name: "Request verification" }).click();
    await page.getByText("Request sent", { exact: false }).first().waitFor({ timeout: 30_000 });

    await switchTo(VERIFIER);
    await go("/verify");
    const card = page.locator(`.verify-card[data-store-id="${storeId}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator(".status-pill").textContent()).to.equal("Waiting");
    expect(await card.getByLabel("Evidence the mark rests on").inputValue()).to.equal(evidence);
    await card.getByRole("button", { name: "Attest official" }).click();
    await card.locator(".badge.official").waitFor({ timeout: 30_000 });
    let store = await getStore(storeId);
    expect([store.official, store.officialEvidence]).to.deep.equal([true, evidence]);

    await card.getByLabel("Reason for revoking").fill("Evidence page was taken down");
    await card.getByRole("button", { name: "Revoke" }).click();
    await page.locator(`.verify-card[data-store-id="${storeId}"] .attest`).waitFor({ timeout: 30_000 });
    store = await getStore(storeId);
    expect(store.official).to.equal(false);
  });

  it("refunds part of an order, then the rest, and adds and removes a manager", async () => {
    const owner = account(10);
    const buyer = account(11);
    const manager = account(9);
    const price = parseEther("0.02");
    const { storeId, orderId } = await shippedOrder(owner, buyer, ARBITER.address, price);
    const before = await received(buyer.address);

    await openDapp(owner.address, `#/sell/store/${storeId}/orders?filter=shipped`);
    // The page has reloaded for the connected owner (its role shows in the header) before the form is used.
    await page.locator(".seller-head .badge.role", { hasText: "Owner" }).waitFor();
    const card = page.locator(`.seller-order[data-order-id="${orderId}"]`);
    await card.locator("summary", { hasText: "Refund…" }).click();
    const amount = card.getByLabel(/Amount to refund \(ETH\), at most 0\.02 ETH/);
    expect(await amount.inputValue()).to.equal("0.02");
    await amount.fill("0.025");
    await card.getByRole("button", { name: "Refund" }).click();
    expect(await card.locator(".notice.danger").textContent()).to.contain("at most the escrowed 0.02 ETH");
    await amount.fill("0.005");
    await card.getByRole("button", { name: "Refund" }).click();
    await card.getByText("0.015 ETH still in escrow").waitFor({ timeout: 30_000 });
    expect((await received(buyer.address)) - before).to.equal(parseEther("0.005"));
    expect(await orderStatus(orderId)).to.equal(2);

    await card.locator("summary", { hasText: "Refund…" }).click();
    expect(await card.getByLabel(/Amount to refund/).inputValue()).to.equal("0.015");
    await card.getByRole("button", { name: "Refund" }).click();
    await page.locator('[data-filter="closed"]', { hasText: "Refunded & cancelled (1)" }).waitFor({ timeout: 30_000 });
    expect(await orderStatus(orderId)).to.equal(4);
    expect((await received(buyer.address)) - before).to.equal(price);

    await go(`/sell/store/${storeId}/managers`);
    await page.getByLabel("Manager's wallet address").fill(manager.address);
    await page.getByRole("button", { name: "Add manager" }).click();
    await page.locator(".manager", { hasText: manager.address }).waitFor({ timeout: 30_000 });
    expect((await call("isStoreStaff", [storeId, manager.address]))[0]).to.equal(true);
    await page.getByRole("button", { name: `Remove manager ${manager.address}` }).click();
    await page.getByText("No managers. Only the owner runs this store.").waitFor({ timeout: 30_000 });
    expect((await call("isStoreStaff", [storeId, manager.address]))[0]).to.equal(false);
  });

  it("shows the seller pages at phone width without sideways scrolling", async () => {
    const owner = account(19);
    const { storeId, productId } = await shippedOrder(owner, DISPUTING_BUYER, ARBITER.address, parseEther("0.005"));
    await openDapp(owner.address, "#/sell", 375);
    await page.locator(".seller-store-card").first().waitFor({ timeout: 30_000 });
    const pages = [
      `/sell/store/${storeId}`,
      `/sell/store/${storeId}/orders?filter=shipped`,
      `/sell/store/${storeId}/products`,
      `/sell/store/${storeId}/products/${productId}`,
      `/sell/store/${storeId}/products/new`,
      `/sell/store/${storeId}/managers`,
      `/sell/store/${storeId}/verify`,
      "/sell/new",
      "/arbiter",
      "/verify",
      "/sell",
    ];
    for (const hash of pages) {
      // Mark the page on screen, so the wait below is for the next page rather than the one being left.
      await page.evaluate(() => document.querySelector("#main > *")?.setAttribute("data-left", ""));
      await go(hash);
      await page.locator("#main > .seller-page:not([data-left])").waitFor();
      await page.waitForFunction(() => !document.querySelector(".loading, #main[aria-busy]"));
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      await screenshot(page, `seller-375${hash.replace(/[^a-z0-9]+/gi, "-")}`);
      expect(overflow, `${hash} scrolls sideways by ${overflow}px`).to.be.at.most(0);
    }
  });
});
