// Store pages (frontend/src/pages/seller/store-page.ts) render again when the wallet connects and on new blocks, so
// renders overlap. In Chromium, on a store page whose chain is a fake the test steers (./support/render-harness.ts):
// a render that started earlier but finishes last writes nothing (the header's role badge and the body always come
// from the same, newest render), and a re-render keeps what the seller typed, with the focus and caret, also when a
// failed render's error box stood in its place until Retry. The "Get verified" page on a fake chain: the status read
// that started last is the one shown, and a store the chain stops answering for still gets its status.
import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, screenshot } from "./support/browser.ts";
import { mountGetVerified, mountHarness, STORE_OWNER, startDevServer } from "./support/render-harness.ts";

describe("store pages where only the latest render writes, in Chromium (e2e)", function () {
  this.timeout(180_000);
  let dev: Awaited<ReturnType<typeof startDevServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    dev = await startDevServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await dev?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await mountHarness(page, dev.url);
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `e2e-seller-render-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
  });

  const connect = (account: string) => page.evaluate(`window.harness.connect(${JSON.stringify(account)})`);
  const settle = (render: number) => page.evaluate(`window.harness.settle(${render})`);
  const started = () => page.evaluate("window.harness.started()");

  it("shows the newer render when an older one finishes last: the Owner badge never sits beside a visitor's page", async () => {
    // The first render (no wallet yet) is still reading when the owner's wallet connects and a second one starts.
    expect(await started()).to.equal(1);
    // With nothing rendered yet, the first render is shown as it reads (its progress is seen).
    expect(await page.locator(".reading").allTextContents()).to.deep.equal(["Reading render 1"]);
    await connect(STORE_OWNER);
    expect(await started()).to.equal(2);
    // The newer render is built aside: the page keeps showing the one it shows until the newer one is complete.
    expect(await page.locator(".reading").allTextContents()).to.deep.equal(["Reading render 1"]);
    // The newer render finishes first: the owner's page, header and body.
    await settle(1);
    expect(await page.locator(".rendered-for").textContent()).to.equal("owner");
    expect(await page.locator(".seller-head .badge.role").textContent()).to.equal("Owner");
    // The older one finishes last and must write nothing.
    await settle(0);
    expect(await page.locator(".rendered-for").allTextContents()).to.deep.equal(["owner"]);
    expect(await page.locator(".seller-head .badge.role").allTextContents()).to.deep.equal(["Owner"]);
    expect(await page.getByRole("button", { name: "Sign" }).isEnabled()).to.equal(true);
  });

  it("keeps what the seller typed, the focus and the caret when the wallet connects and the page renders again", async () => {
    await page.evaluate("window.harness.autoSettle()");
    const note = page.getByLabel("Note");
    await note.waitFor();
    expect(await page.getByRole("button", { name: "Sign" }).isDisabled()).to.equal(true);
    await page.getByLabel("Kind").selectOption("amount");
    await note.fill("Fan club");
    await note.press("Home");

    await connect(STORE_OWNER);
    // The render for the owner is in: its Sign button is enabled, and it holds what was typed in the visitor's.
    await page.locator(".rendered-for", { hasText: "owner" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign" }).isEnabled()).to.equal(true);
    expect(await note.inputValue()).to.equal("Fan club");
    expect(await page.getByLabel("Kind").inputValue()).to.equal("amount");
    // Typing goes on where the caret was, in the new render's field.
    await page.keyboard.type("The ");
    expect(await note.inputValue()).to.equal("The Fan club");
  });

  it("brings back what the seller typed when a render fails and Retry renders the page again", async () => {
    await page.evaluate("window.harness.autoSettle()");
    const note = page.getByLabel("Note");
    await note.waitFor();
    await page.getByLabel("Kind").selectOption("amount");
    await note.fill("Fan club");

    await page.evaluate("window.harness.failNext()");
    await connect(STORE_OWNER);
    // The render for the owner failed: its error box, with Retry, stands where the form was.
    const retry = page.getByRole("button", { name: "Retry" });
    await retry.waitFor();
    expect(await page.locator("[role=alert]").textContent()).to.contain("The chain didn't answer.");
    expect(await note.count()).to.equal(0);

    await retry.click();
    await page.locator(".rendered-for", { hasText: "owner" }).waitFor();
    expect(await note.inputValue()).to.equal("Fan club");
    expect(await page.getByLabel("Kind").inputValue()).to.equal("amount");
    // The carried value is the seller's: a further render keeps it too.
    await note.press("End");
    await page.keyboard.type("!");
    await connect("0x00000000000000000000000000000000000000bb");
    await page.locator(".rendered-for", { hasText: "visitor" }).waitFor();
    expect(await note.inputValue()).to.equal("Fan club!");
  });

  it("brings back what the seller typed when the render after Retry fails too, at the next Retry", async () => {
    await page.evaluate("window.harness.autoSettle()");
    const note = page.getByLabel("Note");
    await note.waitFor();
    await note.fill("Fan club");

    await page.evaluate("window.harness.failNext()");
    await connect(STORE_OWNER);
    const retry = page.getByRole("button", { name: "Retry" });
    await retry.waitFor();
    expect(await started()).to.equal(2);
    // The render Retry starts is shown at once (no render is shown) and fails as well: the error box again.
    await page.evaluate("window.harness.failNext()");
    await retry.click();
    await page.waitForFunction("window.harness.started() === 3");
    await retry.waitFor();
    expect(await page.locator("[role=alert]").textContent()).to.contain("The chain didn't answer.");
    expect(await note.count()).to.equal(0);

    // The second Retry succeeds, with what was typed before the first failure.
    await retry.click();
    await page.locator(".rendered-for", { hasText: "owner" }).waitFor();
    expect(await note.inputValue()).to.equal("Fan club");
  });

  it("brings back what the seller typed when an account connects while the render after Retry still reads", async () => {
    await page.evaluate("window.harness.autoSettle()");
    const note = page.getByLabel("Note");
    await note.waitFor();
    await note.fill("Fan club");

    await page.evaluate("window.harness.failNext()");
    await connect(STORE_OWNER);
    const retry = page.getByRole("button", { name: "Retry" });
    await retry.waitFor();
    // Retry's render (the third) is shown at once and waits; another account connects meanwhile, and a fourth starts.
    await page.evaluate("window.harness.hold()");
    await retry.click();
    await page.waitForFunction("window.harness.started() === 3");
    expect(await page.locator(".reading").allTextContents()).to.deep.equal(["Reading render 3"]);
    await connect("0x00000000000000000000000000000000000000bb");
    await page.waitForFunction("window.harness.started() === 4");

    // The fourth render completes: it holds what was typed before the failure, not the third one's empty body.
    await settle(3);
    await page.locator(".rendered-for", { hasText: "visitor" }).waitFor();
    expect(await note.inputValue()).to.equal("Fan club");
    // The third one, cut short, finishes last and writes nothing.
    await settle(2);
    expect(await page.locator(".rendered-for").allTextContents()).to.deep.equal(["visitor"]);
    expect(await note.inputValue()).to.equal("Fan club");
  });

  describe("the Get verified page's status", () => {
    // These mount the real page (frontend/src/pages/seller/get-verified.ts) in place of the harness page.
    beforeEach(() => mountGetVerified(page, dev.url));
    const state = () => page.locator(".verify-state");
    const answer = (read: number, what: "unverified" | "official" | "gone") =>
      page.evaluate(`window.harness.answer(${read}, ${JSON.stringify(what)})`);

    it("shows the newest read when the render's older read answers last", async () => {
      // The first render is shown at once and reads the status; a new block reads it again before that answers.
      await page.waitForFunction("window.harness.reads() === 1");
      await page.evaluate("window.harness.block()");
      expect(await page.evaluate("window.harness.reads()")).to.equal(2);
      // The block's read (the store is now official) answers first, then the render's (not yet) answers last.
      await answer(1, "official");
      await state().getByText("Verified.").waitFor();
      await answer(0, "unverified");
      expect(await state().locator(".notice.ok").count()).to.equal(1);
      expect(await state().locator(".notice.unverified").count()).to.equal(0);
    });

    it("shows the store as the render read it when the status read finds no store", async () => {
      await page.waitForFunction("window.harness.reads() === 1");
      await answer(0, "gone");
      await state().locator(".notice.unverified").waitFor();
      expect(await state().locator(".loading").count()).to.equal(0);
    });
  });
});
