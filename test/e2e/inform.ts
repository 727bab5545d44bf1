// Staying informed without a server, in Chromium against the real local stack (`npm start` on random ports), at
// desktop and phone widths: dollar figures from the stack's mock ETH / USD feed (and none once it is stale), the
// order's calendar file, "Your orders" marking what changed since the last visit, the seller's ready email after
// "Mark shipped" with the buyer's live notice, and a seller wallet whose signatures vary: a random key, its backup
// file, and restoring it.
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { loadAllStores } from "../../frontend/src/client/catalog.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import { icsDate } from "../../frontend/src/client/ics.ts";
import { orderReference } from "../../frontend/src/client/order-ref.ts";
import { isDigitalOrder, loadBuyerOrders } from "../../frontend/src/client/orders.ts";
import { staleAfter } from "../../frontend/src/client/usd.ts";
import { CAST, testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const BUYER = testWallet(CAST.buyer);
const SECOND_BUYER = testWallet(CAST.secondBuyer);
const OWLS_OWNER = testWallet(CAST.sellerA);
const VELVET_OWNER = testWallet(CAST.sellerB);
const WIDTHS = [1280, 390] as const;
const PASSPHRASE = "owls at midnight, twice";

describe("staying informed in Chromium (e2e)", function () {
  this.timeout(400_000);
  let stack: TestStack;
  let browser: Browser;
  let chain: Chain;
  const contexts: BrowserContext[] = [];
  let page: Page;

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    chain = Chain.fromManifest({ rpcUrl: stack.rpcUrl, merchstand: stack.merchstand });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `inform-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    for (const c of contexts.splice(0)) await c.close();
  });

  async function open(account: string, hash: string, width = 1280, init?: (c: BrowserContext) => Promise<void>) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account }) });
    if (init) await init(context);
    const p = await context.newPage();
    await p.goto(`${stack.dappUrl}${hash}`);
    page = p;
    return p;
  }

  async function connect(p: Page) {
    await p.getByRole("button", { name: "Connect wallet" }).first().click();
    await p.getByRole("button", { name: "Test Wallet" }).click();
    await p.locator(".account .address").first().waitFor();
  }

  async function storeId(name: string, owner: string): Promise<bigint> {
    const store = (await loadAllStores(chain)).find((s) => s.name === name && s.owner === owner);
    if (!store) throw new Error(`no store ${name}`);
    return store.id;
  }

  async function rpc(method: string, params: unknown[] = []) {
    const response = await fetch(stack.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return ((await response.json()) as { result: unknown }).result;
  }

  // A signer that randomises its signatures (as some hardware wallets and passkeys do): personal_sign answers a
  // different 65-byte value every time, everything else goes to the node.
  const varying = async (context: BrowserContext) => {
    let n = 0;
    await context.route(stack.rpcUrl, async (route) => {
      const body = route.request().postData();
      const call = body ? (JSON.parse(body) as { id?: number; method?: string }) : null;
      if (call && !Array.isArray(call) && call.method === "personal_sign") {
        n++;
        const sig = `0x${n.toString(16).padStart(2, "0").repeat(65)}`;
        return route.fulfill({
          headers: { "access-control-allow-origin": "*", "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: call.id, result: sig }),
        });
      }
      return route.continue();
    });
  };

  it("shows ≈ dollars beside ETH prices from the mock feed, and dollars for mUSD, at both widths", async () => {
    const owls = await storeId("The Midnight Owls", OWLS_OWNER.address);
    const velvet = await storeId("Velvet Static", VELVET_OWNER.address);
    for (const width of WIDTHS) {
      const p = await open(BUYER.address, `#/store/${owls}`, width);
      await p.locator(".product-card", { hasText: "Owl Moon Tee" }).first().click();
      const note = p.locator(".price .usd-note[data-usd]").first();
      await note.waitFor({ state: "attached" });
      // 0.02 ETH at the mock feed's $2,000.00 (ignition/modules/Merchstand.ts MockPriceFeedModule).
      expect((await p.locator(".price").first().textContent())?.replace(/\s+/g, " ")).to.match(/0\.02 ETH ≈ \$40\.00/);
      expect(await note.isVisible()).to.equal(true);
      await p.goto(`${stack.dappUrl}#/store/${velvet}`);
      await p.locator(".product-card").first().click();
      const usd = p.locator(".price .usd-note[data-usd]").first();
      await usd.waitFor({ state: "attached" });
      const price = (await p.locator(".price").first().textContent()) ?? "";
      const musd = /([\d.]+) mUSD/.exec(price)?.[1];
      expect(musd, price).to.be.a("string");
      expect(await usd.textContent()).to.equal(` $${Number(musd).toFixed(2)}`);
      await screenshot(p, `inform-usd-${width}`);
    }
  });

  it("downloads the order's deadlines as an .ics with the order's link", async () => {
    const orders = await loadBuyerOrders(chain, BUYER.address, 0);
    const shipped = orders.find((o) => o.status === "Shipped" && !isDigitalOrder(o));
    if (!shipped) throw new Error("the demo has a shipped order for the buyer");
    const terms = await chain.storeTerms(shipped.order.storeId, shipped.order.termsVersion);
    for (const width of WIDTHS) {
      const p = await open(BUYER.address, `#/orders/${shipped.id}`, width);
      const button = p.getByRole("button", { name: "Add to calendar" });
      await button.waitFor();
      const [download] = await Promise.all([p.waitForEvent("download"), button.click()]);
      expect(download.suggestedFilename()).to.equal(`merchstand-order-${shipped.id}.ics`);
      const text = await readFile(await download.path(), "utf8");
      const lines = text.replace(/\r\n /g, "").split("\r\n");
      expect(lines[0]).to.equal("BEGIN:VCALENDAR");
      const due = icsDate(shipped.order.shippedAt + BigInt(terms.deliveryWindow));
      expect(lines.filter((l) => l.startsWith("DTSTART:"))).to.deep.equal([`DTSTART:${due}`, `DTSTART:${due}`]);
      expect(lines).to.include(`URL:${stack.dappUrl}#/orders/${shipped.id}`);
      expect(lines.some((l) => l.startsWith("SUMMARY:Last moment to dispute"))).to.equal(true);
    }
  });

  it("marks what changed since the last visit to Your orders, once, at both widths", async () => {
    const orders = await loadBuyerOrders(chain, BUYER.address, 0);
    const shipped = orders.find((o) => o.status === "Shipped" && !isDigitalOrder(o));
    if (!shipped) throw new Error("no shipped order");
    for (const width of WIDTHS) {
      const p = await open(BUYER.address, "#/orders", width);
      await connect(p);
      await p.locator(".order-row").first().waitFor();
      // Whatever this browser saw before, what is shown now is kept as seen: a reload marks nothing.
      await p.reload();
      await p.locator(".order-row").first().waitFor();
      expect(await p.locator(".changed-mark").count()).to.equal(0);
      // The page records what it showed once the whole history is read: wait for that before editing the record.
      await p.getByText(/Reading your order history/).waitFor({ state: "detached", timeout: 120_000 });
      // As if the last visit had seen the shipped order still waiting for shipment. The orders page is left first,
      // so none of its renders records what it shows over this.
      await p.goto(`${stack.dappUrl}#/cart`);
      await p.getByRole("heading", { name: /cart/i }).first().waitFor();
      await p.evaluate(
        ({ account, id }) => {
          const key = Object.keys(localStorage).find((k) => k.startsWith("merchstand.seen.") && k.endsWith(account));
          if (!key) throw new Error("nothing was kept");
          const seen = JSON.parse(localStorage.getItem(key) ?? "{}");
          seen[id] = "Paid";
          localStorage.setItem(key, JSON.stringify(seen));
        },
        { account: BUYER.address.toLowerCase(), id: shipped.id.toString() },
      );
      await p.goto(`${stack.dappUrl}#/orders`);
      const row = p.locator(".order-row", { hasText: `Order ${orderReference(shipped.id)}` });
      await row.locator(".changed-mark").waitFor();
      expect(await row.locator(".changed-mark").textContent()).to.equal("Updated · was Paid · awaiting shipment");
      expect(await p.locator(".changed-mark").count()).to.equal(1);
      await screenshot(p, `inform-changed-${width}`);
      await p.reload();
      await p.locator(".order-row").first().waitFor();
      expect(await p.locator(".changed-mark").count()).to.equal(0);
    }
  });

  it("offers the seller a ready email after Mark shipped, and tells the buyer while their page is open", async () => {
    const owls = await storeId("The Midnight Owls", OWLS_OWNER.address);
    const paid = (await loadBuyerOrders(chain, SECOND_BUYER.address, 0)).find(
      (o) => o.status === "Paid" && o.order.storeId === owls && o.shipping.length > 66,
    );
    if (!paid) throw new Error("the demo has a paid physical order for the second buyer");

    const fan = await open(SECOND_BUYER.address, "#/orders", 390);
    await connect(fan);
    await fan.locator(".order-row").first().waitFor();

    const seller = await open(OWLS_OWNER.address, `#/sell/store/${owls}/orders`);
    await connect(seller);
    await seller.getByRole("button", { name: "Show addresses (sign in your wallet)" }).click();
    await seller.locator(".key-box .notice.ok").waitFor();
    const card = seller.locator(".seller-order", {
      has: seller.getByRole("heading", { name: `Order ${orderReference(paid.id)}` }),
    });
    await card.getByLabel("Carrier and tracking reference").fill("Royal Mail RM 555 & co?");
    await card.getByRole("button", { name: "Mark shipped" }).click();
    const mail = seller.locator(".mail-notice a.email-buyer");
    await mail.waitFor({ timeout: 60_000 });
    const href = (await mail.getAttribute("href")) ?? "";
    const m = /^mailto:([^?]*)\?subject=([^&]*)&body=([^&]*)$/.exec(href);
    expect(m, href).to.not.equal(null);
    // This demo buyer left no email in their address: the link opens the mail app with "To" empty.
    expect(m?.[1]).to.equal("");
    expect(await mail.textContent()).to.equal("Write to the buyer (no email in the address)");
    expect(decodeURIComponent(m?.[2] ?? "")).to.equal(
      `Your order ${orderReference(paid.id)} from The Midnight Owls has shipped`,
    );
    const body = decodeURIComponent(m?.[3] ?? "");
    expect(body).to.contain("Tracking: Royal Mail RM 555 & co?\r\n");
    expect(body).to.contain(`${stack.dappUrl}#/orders/${paid.id}`);
    expect(body.startsWith("Hi Sam Listener,\r\n")).to.equal(true);

    // A shipped order whose sealed address has an email: its card keeps the link, addressed to the buyer.
    const hoodie = (await loadBuyerOrders(chain, BUYER.address, 0)).find(
      (o) => o.status === "Shipped" && o.order.storeId === owls,
    );
    if (!hoodie) throw new Error("the demo has a shipped order for the buyer");
    await seller.goto(`${stack.dappUrl}#/sell/store/${owls}/orders?filter=shipped`);
    const shippedCard = seller.locator(".seller-order", {
      has: seller.getByRole("heading", { name: `Order ${orderReference(hoodie.id)}` }),
    });
    const link = shippedCard.locator("a.email-buyer");
    await link.waitFor();
    const to = /^mailto:([^?]*)\?/.exec((await link.getAttribute("href")) ?? "")?.[1] ?? "";
    expect(decodeURIComponent(to)).to.equal("robin@example.org");
    expect(await link.textContent()).to.equal("Email the buyer");

    // The fan's open page polls their open orders' statuses on new blocks (ui/order-notices.ts).
    const notice = fan.locator(".order-notices .order-notice", {
      hasText: `Order ${orderReference(paid.id)}: Shipped`,
    });
    await notice.waitFor({ timeout: 90_000 });
    expect(await fan.locator(".order-notices").getAttribute("aria-live")).to.equal("polite");
    await screenshot(fan, "inform-order-notice-390");
  });

  it("refuses a seller wallet whose signatures vary, makes a random key with a backup, and restores it", async () => {
    const velvet = await storeId("Velvet Static", VELVET_OWNER.address);
    for (const width of WIDTHS) {
      const p = await open(VELVET_OWNER.address, `#/sell/store/${velvet}/orders`, width, varying);
      await connect(p);
      await p.getByRole("button", { name: "Show addresses (sign in your wallet)" }).click();
      const alert = p.locator(".nondeterministic .notice.danger");
      await alert.waitFor();
      expect(await alert.textContent()).to.contain("signed the same message two different ways");
      if (width === 390) break;
      const form = p.locator("form.random-key");
      await form.getByLabel("Passphrase (at least 10 characters)").fill(PASSPHRASE);
      await form.getByLabel("The passphrase again").fill(PASSPHRASE);
      expect(await form.getByLabel("Passphrase (at least 10 characters)").inputValue()).to.equal(PASSPHRASE);
      // scrypt (N = 2^17) runs in the page: allow for a machine with every core busy.
      const [download] = await Promise.all([
        p.waitForEvent("download", { timeout: 180_000 }),
        form.getByRole("button", { name: "Create the key and save its backup" }).click(),
      ]);
      const backupPath = await download.path();
      const backup = JSON.parse(await readFile(backupPath, "utf8"));
      expect(backup).to.include({ format: "merchstand-shipping-key", version: 1, storeId: velvet.toString() });
      await p.locator(".key-box .notice.ok", { hasText: "Addresses are unlocked" }).waitFor({ timeout: 120_000 });
      const store = (await loadAllStores(chain)).find((s) => s.id === velvet);
      expect(store?.shippingKey.toLowerCase()).to.equal(backup.publicKey);

      // A fresh tab (the owner on another device, or a manager handed the file): the wallet can't help, the file can.
      const q = await open(VELVET_OWNER.address, `#/sell/store/${velvet}/orders`, 390, varying);
      await connect(q);
      await q.getByText("Restore the key from a backup file").click();
      const restore = q.locator("form.key-restore");
      await restore.getByLabel("Backup file").setInputFiles(backupPath);
      await restore.getByLabel("Backup passphrase").fill("not the passphrase");
      await restore.getByRole("button", { name: "Open the backup" }).click();
      await restore.locator(".notice.danger", { hasText: "Wrong passphrase" }).waitFor({ timeout: 180_000 });
      await restore.getByLabel("Backup passphrase").fill(PASSPHRASE);
      await restore.getByRole("button", { name: "Open the backup" }).click();
      await q.locator(".key-box .notice.ok", { hasText: "Addresses are unlocked" }).waitFor({ timeout: 180_000 });
      await screenshot(q, "inform-key-restored-390");
    }
  });

  it("opens a store for a seller wallet whose signatures vary, with a random key saved as a backup", async () => {
    const p = await open(VELVET_OWNER.address, "#/sell/new", 1280, varying);
    await connect(p);
    const name = "Random Key Records";
    await p.getByLabel("Store name").fill(name);
    await p.getByLabel("Arbiter").fill(OWLS_OWNER.address);
    await p.getByRole("button", { name: "Open store" }).click();
    const alert = p.locator(".form-status .notice.danger");
    await alert.waitFor();
    expect(await alert.textContent()).to.contain("signed the same message two different ways");
    const form = p.locator("details.random-key");
    expect(await form.getAttribute("open")).to.not.equal(null);
    await form.getByLabel("Passphrase (at least 10 characters)").fill(PASSPHRASE);
    await form.getByLabel("The passphrase again").fill(PASSPHRASE);
    const [download] = await Promise.all([
      p.waitForEvent("download", { timeout: 180_000 }),
      p.getByRole("button", { name: "Open store" }).click(),
    ]);
    const backup = JSON.parse(await readFile(await download.path(), "utf8"));
    const id = await storeId(name, VELVET_OWNER.address);
    expect(backup).to.include({ format: "merchstand-shipping-key", version: 1, storeId: id.toString() });
    expect(download.suggestedFilename()).to.equal(`merchstand-store-${id}-chain-${backup.chainId}-shipping-key.json`);
    const store = (await loadAllStores(chain)).find((s) => s.id === id);
    expect(store?.shippingKey.toLowerCase()).to.equal(backup.publicKey);
    // The same tab's Orders page finds the key without asking the wallet.
    await p.evaluate((hash) => {
      location.hash = hash;
    }, `#/sell/store/${id}/orders`);
    await p.locator(".key-box .notice.ok", { hasText: "Addresses are unlocked" }).waitFor({ timeout: 60_000 });
  });

  it("shows no dollar figure once the mock feed is stale, at both widths", async () => {
    // Move the chain's clock past the feed's heartbeat and margin (the stack's manifest: 3,600 s).
    await rpc("evm_increaseTime", [staleAfter(3_600) + 60]);
    await rpc("evm_mine");
    const owls = await storeId("The Midnight Owls", OWLS_OWNER.address);
    for (const width of WIDTHS) {
      const p = await open(BUYER.address, `#/store/${owls}`, width);
      await p.locator(".product-card", { hasText: "Owl Moon Tee" }).first().click();
      const note = p.locator(".price .usd-note[data-usd]").first();
      await note.waitFor({ state: "attached" });
      expect(await note.getAttribute("data-usd")).to.equal("none");
      expect(await note.isVisible()).to.equal(false);
      expect(await p.locator(".price").first().textContent()).to.not.contain("$");
    }
  });
});
