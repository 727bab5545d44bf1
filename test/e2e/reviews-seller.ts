// The band answers its reviews from the seller dashboard, in a real browser against the real local stack (`npm start`
// on random ports): a fan's completed order is reviewed (with markup in the text, shown as text); the seller opens the
// new Reviews tab, replies (a reply over the contract's byte limit is a sentence and nothing is sent); the product
// page shows the reply. The seller edits it; the product page then shows only the new text. A reply box being typed
// into stays open, with its text, when the wallet switches to a manager (and is held, unsent and unseen, while an
// account that doesn't run the store is connected); the manager sends it. axe-core finds no violation on the page,
// and it works at 375 px.
import { resolve } from "node:path";
import { expect } from "chai";
import { hexlify, JsonRpcProvider, parseEther } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { orderArg, orderFromPlaced, packLine } from "../../frontend/src/client/protocol.ts";
import { deriveShippingKey, sealShipping, shippingKeyMessage } from "../../frontend/src/client/shipping-crypto.ts";
import { ROOT } from "../../scripts/cli/root.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { eventArgs, merchstand, protocolCalls } from "./support/chain.ts";
import { controlsHolding, HELD } from "./support/held-text.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const AXE = resolve(ROOT, "node_modules/axe-core/axe.min.js");
const SELLER = testWallet(17);
const FAN = testWallet(18);
const MANAGER = testWallet(19);
const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400;
const REVIEW = 'Great tee <img src=x onerror="window.__pwned=1"> fits well.';
const FIRST_REPLY = "Thank you! See you at the next show.";
const EDITED_REPLY = "Thank you! Restock of size M lands Friday.";
const MANAGER_REPLY = "Thank you! Size M is back in stock now.";

describe("the seller answers reviews in Chromium (e2e)", function () {
  this.timeout(420_000);
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  let provider: JsonRpcProvider;
  let storeId: bigint;
  let teeId: bigint;
  let orderId: bigint;

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    provider = new JsonRpcProvider(stack.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 100;
    const { send } = protocolCalls(provider, stack.merchstand);
    const keys = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 31337)));
    const opened = await send(SELLER, "openStore", [
      ["Reply Desk Records", "", SELLER.address, ETH, hexlify(keys.publicKey), [SELLER.address, 7 * DAY, 14 * DAY]],
    ]);
    storeId = BigInt(eventArgs(opened, "StoreOpened").storeId);
    await send(SELLER, "setStoreManager", [storeId, MANAGER.address, true]);
    const price = parseEther("0.02");
    teeId = BigInt(
      eventArgs(
        await send(SELLER, "listProduct", [storeId, ["Reply Desk Tee", "", 0, 0, false], [["M", price, 5]]]),
        "ProductListed",
      ).productId,
    );
    // A fan's order, shipped, completed and reviewed.
    const sealed = hexlify(
      sealShipping(
        {
          name: "Ada Lovelace",
          line1: "12 Analytical Row",
          line2: "",
          city: "Leeds",
          region: "",
          postalCode: "LS1 1AA",
          country: "GB",
          email: "",
        },
        keys.publicKey,
      ),
    );
    const line = packLine({ productId: teeId, variant: 0, quantity: 1, maxUnitPrice: price }, 1);
    const placed = eventArgs(await send(FAN, "buy_oT9la", [line, sealed], price), "OrderPlaced");
    orderId = BigInt(placed.orderId);
    const order = orderFromPlaced(placed as never, ETH);
    const shipped = await send(SELLER, "markShipped", [orderId, orderArg(order), "RM123456789GB"]);
    order.shippedAt = BigInt(eventArgs(shipped, "OrderShipped").shippedAt);
    await send(FAN, "complete", [orderId, orderArg(order)]);
    await send(FAN, "review", [orderId, orderArg(order), teeId, 5, REVIEW]);
  });

  after(async () => {
    provider?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed")
      for (const [i, p] of pages.entries()) {
        const path = await screenshot(p, `e2e-reviews-seller-${i}-${this.currentTest.title}`).catch(() => null);
        if (path) console.log(`    screenshot: ${path}`);
      }
    for (const c of contexts.splice(0)) await c.close();
    pages.splice(0);
  });

  async function open(hash: string, options: { account?: string; width?: number } = {}): Promise<Page> {
    // bypassCSP: axe is injected as a script tag, which the dapp's Content-Security-Policy would refuse.
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      bypassCSP: true,
    });
    if (options.account)
      await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: options.account }) });
    contexts.push(context);
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${stack.dappUrl}${hash}`);
    await page.locator("#main:not([aria-busy])").waitFor();
    if (options.account) {
      await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
      await page.getByRole("button", { name: "Test Wallet" }).click();
      await page.locator(".account .address").waitFor();
    }
    return page;
  }

  /** The seller's Reviews page, reached from the dashboard's tab bar, with the fan's review shown. */
  async function reviewsPage(width?: number): Promise<Page> {
    const page = await open(`#/sell/store/${storeId}`, { account: SELLER.address, width });
    await page.locator(".seller-tabs").getByRole("link", { name: "Reviews" }).click();
    await page.locator(`.seller-review[data-order="${orderId}"]`).waitFor({ timeout: 60_000 });
    return page;
  }

  /** The replies to the fan's review on chain, oldest first. */
  async function repliesOnChain(): Promise<string[]> {
    const event = merchstand.getEvent("ReviewReplied");
    if (!event) throw new Error("no ReviewReplied in the ABI");
    const logs = await provider.getLogs({
      address: stack.merchstand,
      topics: [event.topicHash, `0x${teeId.toString(16).padStart(64, "0")}`],
      fromBlock: 0,
    });
    return logs.map((l) => String(merchstand.parseLog(l)?.args.text));
  }

  /** The product page a fan sees (no wallet): its review replies once the reviews are read. */
  async function productReplies(): Promise<string[]> {
    const page = await open(`#/store/${storeId}/product/${teeId}`);
    await page.locator(".review").first().waitFor({ timeout: 60_000 });
    await page.locator(".reviews .loading").waitFor({ state: "detached", timeout: 60_000 });
    return page.locator(".review-reply").allTextContents();
  }

  /** axe-core's violations on the page, one line each. */
  async function axe(p: Page): Promise<string[]> {
    if (!(await p.evaluate(() => "axe" in window))) await p.addScriptTag({ path: AXE });
    return p.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
      const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map(
        (v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(", ")}`,
      );
    });
  }

  it("lists the review as text, refuses a reply over the byte limit, sends a reply the product page shows", async () => {
    const page = await reviewsPage();
    const item = page.locator(`.seller-review[data-order="${orderId}"]`);
    // Hostile text is text: the markup shows as typed and no element is made from it.
    expect(await item.locator(".review-text").textContent()).to.equal(REVIEW);
    expect(await item.locator(".review-text img").count()).to.equal(0);
    expect(await page.evaluate(() => "__pwned" in window)).to.equal(false);
    expect(await item.locator(".review-product").textContent()).to.equal("Reply Desk Tee");
    expect(await item.locator(".rating").getAttribute("aria-label")).to.equal("Rated 5 out of 5");
    expect(await item.locator(".no-reply").textContent()).to.equal("No reply yet.");
    // The date of the review's block is shown once read.
    await item.locator(".review-date:not(:empty)").waitFor();

    await item.getByRole("button", { name: "Reply", exact: true }).click();
    const box = item.getByLabel(/Your reply to/);
    // 281 bytes: one past the contract's MAX_TEXT_BYTES (280); the counter counts bytes, not characters.
    await box.fill(`${"é".repeat(140)}x`);
    expect(await item.locator(".counter").textContent()).to.match(/^281 \/ 280 bytes/);
    expect(await item.locator(".counter.over").count()).to.equal(1);
    await item.getByRole("button", { name: "Send reply" }).click();
    await item.locator(".reply-status [role=alert]").waitFor();
    expect(await item.locator(".reply-status").textContent()).to.equal(
      "Your reply is too long: 281 bytes, at most 280.",
    );
    expect(await repliesOnChain()).to.deep.equal([]);
    expect(await axe(page)).to.deep.equal([]);

    await box.fill(FIRST_REPLY);
    await item.getByRole("button", { name: "Send reply" }).click();
    await item.locator(".reply-status .tx-stage.ok").waitFor({ timeout: 60_000 });
    expect(await item.locator(".review-reply").textContent()).to.equal(`Your reply: ${FIRST_REPLY}`);
    expect(await item.getByRole("button", { name: "Edit reply" }).count()).to.equal(1);
    expect(await repliesOnChain()).to.deep.equal([FIRST_REPLY]);
    expect(await axe(page)).to.deep.equal([]);

    expect(await productReplies()).to.deep.equal([`Reply Desk Records replied: ${FIRST_REPLY}`]);
  });

  it("edits the reply: the new text replaces the old one on the product page", async () => {
    const page = await reviewsPage();
    const item = page.locator(`.seller-review[data-order="${orderId}"]`);
    // Read back from the chain by a fresh page: the current reply, and Edit instead of Reply.
    expect(await item.locator(".review-reply").textContent()).to.equal(`Your reply: ${FIRST_REPLY}`);
    await item.getByRole("button", { name: "Edit reply" }).click();
    const box = item.getByLabel("Your new reply");
    expect(await box.inputValue()).to.equal(FIRST_REPLY);
    expect(await item.locator(".reply-form .hint").textContent()).to.match(/replaces your current reply/);
    await box.fill(EDITED_REPLY);
    await item.getByRole("button", { name: "Send reply" }).click();
    // The contract's rule for repeated replies (the latest one shows): a second reply is mined.
    await item
      .locator(".reply-status .tx-stage.ok, .reply-status .error-sentence")
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await item.locator(".reply-status .error-sentence").count(), await item.innerText()).to.equal(0);
    expect(await item.locator(".review-reply").textContent()).to.equal(`Your reply: ${EDITED_REPLY}`);
    expect(await repliesOnChain()).to.deep.equal([FIRST_REPLY, EDITED_REPLY]);

    expect(await productReplies()).to.deep.equal([`Reply Desk Records replied: ${EDITED_REPLY}`]);
  });

  it("keeps an open reply box and its text when the account changes; a manager sends it", async () => {
    const page = await reviewsPage();
    const item = page.locator(`.seller-review[data-order="${orderId}"]`);
    const role = page.locator(".seller-reviews-page .seller-head .badge.role");
    const switchTo = (address: string) =>
      page.evaluate(`window.__testWallet.setAccount(${JSON.stringify(address)})`) as Promise<void>;
    await item.getByRole("button", { name: "Edit reply" }).click();
    const box = item.getByLabel("Your new reply");
    await box.fill(MANAGER_REPLY);

    // Another staff account of the store: the page renders again for it, the box still open with the text.
    await switchTo(MANAGER.address);
    await role.filter({ hasText: "Manager" }).waitFor();
    expect(await box.inputValue()).to.equal(MANAGER_REPLY);
    expect(await item.locator(".counter").textContent()).to.match(new RegExp(`^${MANAGER_REPLY.length} / 280 bytes`));

    // An account that doesn't run the store: no box (nothing to send), and the text is nowhere on the page.
    await switchTo(FAN.address);
    await page.locator(".seller-reviews-page .notice", { hasText: "doesn't run" }).waitFor();
    expect(await item.locator(".reply-form, .open-reply").count()).to.equal(0);
    expect(await item.locator("textarea:visible").count()).to.equal(0);
    expect(await page.locator("body").innerText()).to.not.contain(MANAGER_REPLY);
    // innerText leaves out values: the control that holds the reply is hidden, disabled and outside any form.
    expect(await controlsHolding(page, MANAGER_REPLY)).to.deep.equal(HELD);

    // The manager again: the box is back with what was typed, and nothing was sent meanwhile.
    await switchTo(MANAGER.address);
    await role.filter({ hasText: "Manager" }).waitFor();
    expect(await box.inputValue()).to.equal(MANAGER_REPLY);
    expect(await repliesOnChain()).to.deep.equal([FIRST_REPLY, EDITED_REPLY]);

    await item.getByRole("button", { name: "Send reply" }).click();
    await item
      .locator(".reply-status .tx-stage.ok, .reply-status .error-sentence")
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await item.locator(".reply-status .error-sentence").count(), await item.innerText()).to.equal(0);
    expect(await item.locator(".review-reply").textContent()).to.equal(`Your reply: ${MANAGER_REPLY}`);
    expect(await repliesOnChain()).to.deep.equal([FIRST_REPLY, EDITED_REPLY, MANAGER_REPLY]);

    expect(await productReplies()).to.deep.equal([`Reply Desk Records replied: ${MANAGER_REPLY}`]);
  });

  it("keeps a reply box the seller opens, and its text, while the page renders again for another account", async () => {
    const page = await reviewsPage();
    const item = page.locator(`.seller-review[data-order="${orderId}"]`);
    const role = page.locator(".seller-reviews-page .seller-head .badge.role");
    // The render for the next account is held at its read of the store's products (getStoreProducts, an eth_call the
    // page posts to the RPC), after it started: the page it replaces stays shown, and usable, meanwhile.
    const selector = merchstand.getFunction("getStoreProducts")?.selector.slice(2);
    if (!selector) throw new Error("no getStoreProducts in the ABI");
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached = () => {};
    const held = new Promise<void>((resolve) => {
      reached = resolve;
    });
    await page.route("**/*", async (route) => {
      const request = route.request();
      if (request.method() === "POST" && request.postData()?.includes(selector)) {
        reached();
        await gate;
      }
      await route.fallback();
    });
    await page.evaluate(`window.__testWallet.setAccount(${JSON.stringify(MANAGER.address)})`);
    await held;
    // The seller opens the box in the page shown and types while the new render reads.
    expect(await role.textContent()).to.equal("Owner");
    await item.getByRole("button", { name: "Edit reply" }).click();
    await item.getByLabel("Your new reply").fill(EDITED_REPLY);
    release();

    // The manager's render is in: the box is open, with the text.
    await role.filter({ hasText: "Manager" }).waitFor();
    expect(await item.locator(".reply-form textarea").count()).to.equal(1);
    expect(await item.getByLabel("Your new reply").inputValue()).to.equal(EDITED_REPLY);
    await page.unroute("**/*");
  });

  it("works at 375 px: nothing wider than the screen, the reply box usable, no axe violation", async () => {
    const page = await reviewsPage(375);
    const item = page.locator(`.seller-review[data-order="${orderId}"]`);
    await item.locator(".open-reply").click();
    await item.locator(".reply-form textarea").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(375);
    const send = await item.getByRole("button", { name: "Send reply" }).boundingBox();
    expect(send && send.x >= 0 && send.x + send.width <= 375, JSON.stringify(send)).to.equal(true);
    expect(await axe(page)).to.deep.equal([]);
  });
});
