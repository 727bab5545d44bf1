// A credit to collect, end to end, in Chromium against the real local stack: a USDC-style token that blocklists the
// fan after paying (contracts/mocks/attack/BlocklistToken.sol), allowed as a currency by the stack's admin and listed
// in the build manifest; a store that sells in it. The store's partial refund and then the fan's own cancel (in the
// dapp, once the ship window has passed) can't be paid to the fan, so the contract credits them (Credited); every
// page then says "You have 20 bUSD to collect". A malformed address, and the fan's own blocked address, each get a
// sentence and send nothing; the fan then sends the credit to a second address they type: the notice goes away and
// that address holds exactly the credit. axe-core finds no violation in the open notice.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { expect } from "chai";
import {
  Contract,
  ContractFactory,
  type HDNodeWallet,
  hexlify,
  Interface,
  type JsonRpcProvider,
  type TransactionReceipt,
} from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type Order, orderArg, orderFromPlaced, packLine } from "../../frontend/src/client/protocol.ts";
import { deriveShippingKey, sealShipping, shippingKeyMessage } from "../../frontend/src/client/shipping-crypto.ts";
import { ROOT } from "../../scripts/cli/root.ts";
import { rpcProvider } from "../../scripts/cli/rpc.ts";
import { castWallet, testWallet } from "../../scripts/stack/accounts.ts";
import { axeViolations } from "./support/axe.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { eventArgs, merchstand, protocolCalls } from "./support/chain.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const TOKEN_ARTIFACT = resolve(ROOT, "artifacts/contracts/mocks/attack/BlocklistToken.sol/BlocklistToken.json");
const DAY = 86_400;
/** 20 bUSD (6 decimals). */
const PRICE = 20_000_000n;
const PARTIAL_REFUND = 5_000_000n;
// The deployer holds the admin roles (CURRENCY_ROLE among them) and deploys the token, so it is its issuer.
const ADMIN = castWallet("deployer");
// Accounts the demo seed leaves alone (it uses 0..8); this suite has its own stack.
const SELLER = testWallet(17);
const FAN = testWallet(18);
/** The fan's other address, which the token does not block. */
const SECOND = testWallet(19);
const ARBITER = castWallet("arbiter");
const ADDRESS = {
  name: "Rosa Parks",
  line1: "1 Bus Street",
  line2: "",
  city: "Montgomery",
  region: "",
  postalCode: "36104",
  country: "United States",
  email: "",
};

describe("a credit to collect, through a token that blocklists the fan, in Chromium (e2e)", function () {
  this.timeout(420_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let provider: JsonRpcProvider;
  let protocol: ReturnType<typeof protocolCalls>;
  let token: Contract;
  let tokenAddress: string;
  let storeId: bigint;
  let orderId: bigint;
  let order: Order;
  let manifest: Record<string, unknown>;

  const tokenAs = async (who: HDNodeWallet) => token.connect(await provider.getSigner(who.address)) as Contract;
  const mined = async (tx: Promise<{ wait(): Promise<TransactionReceipt | null> }>) => {
    const receipt = await (await tx).wait();
    if (receipt?.status !== 1) throw new Error("transaction failed");
    return receipt;
  };
  const credits = async (who: string) => BigInt((await protocol.call("credits", [who, tokenAddress]))[0]);
  const balance = async (who: string) => BigInt(await token.getFunction("balanceOf")(who));

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
    provider = rpcProvider(stack.rpcUrl);
    provider.pollingInterval = 100;
    protocol = protocolCalls(provider, stack.merchstand);

    // The token, allowed as a currency by the admin, and listed in the manifest the dapp is served with (a
    // deployment lists the currencies its stores sell in; docs/FORMATS.md, "Build manifest").
    const artifact = JSON.parse(await readFile(TOKEN_ARTIFACT, "utf8")) as { abi: never; bytecode: string };
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, await provider.getSigner(ADMIN.address));
    const deployed = await factory.deploy();
    await deployed.waitForDeployment();
    tokenAddress = await deployed.getAddress();
    token = new Contract(tokenAddress, new Interface(artifact.abi), provider);
    await protocol.send(ADMIN, "setCurrencyAllowed", [tokenAddress, true]);
    const served = (await (await fetch(`${stack.gatewayUrl}/ipfs/${stack.dappCid}/manifest.json`)).json()) as {
      currencies: unknown[];
    };
    manifest = {
      ...served,
      currencies: [...served.currencies, { address: tokenAddress, symbol: "bUSD", decimals: 6, permit: false }],
    };

    // A store selling in it (7 days to ship), with one shirt.
    const keys = deriveShippingKey(await SELLER.signMessage(shippingKeyMessage(SELLER.address, 31337)));
    const opened = await protocol.send(SELLER, "openStore", [
      [
        "Blocklist Merch",
        "",
        SELLER.address,
        tokenAddress,
        hexlify(keys.publicKey),
        [ARBITER.address, 7 * DAY, 14 * DAY],
      ],
    ]);
    storeId = BigInt(eventArgs(opened, "StoreOpened").storeId);
    const listed = await protocol.send(SELLER, "listProduct", [
      storeId,
      ["Blocklist Tee", "", 0, 0, false],
      [["M", PRICE, 10]],
    ]);
    const productId = BigInt(eventArgs(listed, "ProductListed").productId);

    // The fan pays in bUSD (approve, then the one-line buy the dapp sends for a single item).
    await mined((await tokenAs(FAN)).getFunction("mint")(FAN.address, PRICE));
    await mined((await tokenAs(FAN)).getFunction("approve")(stack.merchstand, PRICE));
    const termsVersion = Number((await protocol.call("getStore", [storeId]))[0].termsVersion);
    const bought = await protocol.send(FAN, "buy_oT9la", [
      packLine({ productId, variant: 0, quantity: 1, maxUnitPrice: PRICE }, termsVersion),
      hexlify(sealShipping(ADDRESS, keys.publicKey)),
    ]);
    const placed = eventArgs(bought, "OrderPlaced");
    orderId = BigInt(placed.orderId);
    order = orderFromPlaced(placed as never, tokenAddress);
    expect(await balance(FAN.address)).to.equal(0n);

    // Then the token blocklists the fan: nothing can be paid to that address any more.
    await mined((await tokenAs(ADMIN)).getFunction("setBlocklisted")(FAN.address, true));
  });

  after(async () => {
    provider?.destroy();
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) {
      const path = await screenshot(page, `e2e-credits-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
    context = undefined;
  });

  /** The dapp, with the manifest that lists bUSD, and the test wallet connected as the fan. */
  async function openAsFan(hash: string) {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await context.route("**/manifest.json", (route) => route.fulfill({ json: manifest }));
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: FAN.address }) });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${hash}`);
    await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
  }

  async function go(hash: string) {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await page.locator("#main:not([aria-busy])").waitFor();
  }

  const notice = () => page.locator(".credit-notice");
  const noticeTitle = () => notice().getByRole("heading", { level: 2 });
  /** Transactions the test wallet was asked to send. */
  const sendRequests = () =>
    page.evaluate(
      () =>
        (window as unknown as { __testWallet: { state: { requests: string[] } } }).__testWallet.state.requests.filter(
          (m) => m === "eth_sendTransaction",
        ).length,
    );

  /** Pixels scrolled out of view: of the page across, of the address field either way (the whole address shows). */
  const hidden = () =>
    page.evaluate(() => {
      const field = document.querySelector<HTMLTextAreaElement>(".credit-notice .credit-to");
      return {
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        field: field ? field.scrollWidth - field.clientWidth + field.scrollHeight - field.clientHeight : -1,
      };
    });
  const axeOnNotice = () => axeViolations(page, ".credit-notice");

  async function creditedLogs(): Promise<bigint[]> {
    const logs = await provider.getLogs({
      address: stack.merchstand,
      topics: [merchstand.getEvent("Credited")?.topicHash ?? "", null, null],
      fromBlock: 0,
    });
    return logs
      .map((log) => merchstand.parseLog(log))
      .filter((parsed) => parsed?.args.account === FAN.address && parsed?.args.currency === tokenAddress)
      .map((parsed) => BigInt(parsed?.args.amount));
  }

  it("a store refund the token refuses to pay is credited, and every page says so", async () => {
    await openAsFan("#/");
    expect(await notice().count()).to.equal(0);

    // The store refunds 5 bUSD while the fan is on the page: the push to the fan fails, so the contract credits it.
    const refunded = await protocol.send(SELLER, "refund", [orderId, orderArg(order), PARTIAL_REFUND]);
    const credited = eventArgs(refunded, "Credited");
    expect([credited.account, credited.currency, credited.amount]).to.deep.equal([
      FAN.address,
      tokenAddress,
      PARTIAL_REFUND,
    ]);
    expect(await credits(FAN.address)).to.equal(PARTIAL_REFUND);

    // The notice appears without a reload (read on new blocks), and it is on every page.
    await noticeTitle().filter({ hasText: "You have 5 bUSD to collect" }).waitFor({ timeout: 30_000 });
    for (const hash of [`#/store/${storeId}`, "#/orders", "#/cart", "#/settings", "#/sell", "#/"]) {
      await go(hash);
      expect(await noticeTitle().textContent(), hash).to.equal("You have 5 bUSD to collect");
    }
  });

  it("the fan's cancel after the ship window is credited too, and the notice follows at once", async () => {
    const shipDeadline = Number(order.placedAt) + 7 * DAY;
    const latest = await provider.getBlock("latest");
    await provider.send("evm_increaseTime", [shipDeadline - Number(latest?.timestamp ?? 0) + 60]);
    await provider.send("evm_mine", []);

    await openAsFan(`#/orders/${orderId}`);
    await noticeTitle().filter({ hasText: "You have 5 bUSD to collect" }).waitFor();
    await page.getByRole("button", { name: "Cancel and refund" }).click();
    await page.locator(".tx-stage.ok", { hasText: "Order cancelled." }).waitFor({ timeout: 60_000 });
    // The rest of the escrow (20 - 5) could not be paid either: credited, and the notice shows the total.
    expect(await creditedLogs()).to.deep.equal([PARTIAL_REFUND, PRICE - PARTIAL_REFUND]);
    expect(await credits(FAN.address)).to.equal(PRICE);
    await noticeTitle().filter({ hasText: "You have 20 bUSD to collect" }).waitFor({ timeout: 15_000 });
  });

  it("a bad address, or the fan's own blocked one, gets a sentence and sends nothing", async () => {
    await openAsFan("#/");
    await noticeTitle().filter({ hasText: "You have 20 bUSD to collect" }).waitFor();
    const to = notice().getByLabel("Send to");
    // The fan's own address is filled in, all of it in view.
    expect(await to.inputValue()).to.equal(FAN.address);
    expect(await hidden()).to.deep.equal({ page: 0, field: 0 });
    await screenshot(page, "credits-notice-open");
    expect(await axeOnNotice()).to.deep.equal([]);

    const refusal = notice().getByRole("alert");
    const tries: [string, RegExp][] = [
      ["0x12345", /^That isn't an Ethereum address: .* Nothing was sent\.$/],
      [SECOND.address.toLowerCase().replace(/^0x/, "0y"), /^That isn't an Ethereum address: /],
      [
        // One capital flipped: the EIP-55 checksum catches a mistyped address.
        SECOND.address.replace(/[a-f]/, (c) => c.toUpperCase()),
        /^That address has a typo: .* Nothing was sent\.$/,
      ],
      ["0x0000000000000000000000000000000000000000", /^That is the zero address/],
      [stack.merchstand, /^That is the Merchstand contract itself/],
      [tokenAddress, /^That is the bUSD token's own contract/],
    ];
    for (const [typed, sentence] of tries) {
      await to.fill(typed);
      await notice().getByRole("button", { name: "Collect" }).click();
      await refusal.filter({ hasText: sentence }).waitFor();
      expect(await to.getAttribute("aria-invalid"), typed).to.equal("true");
    }
    expect(await axeOnNotice()).to.deep.equal([]);

    // The fan's own address, which the token now refuses: the dapp checks first, and says what happened.
    await to.fill(FAN.address);
    expect(await to.getAttribute("aria-invalid")).to.equal(null);
    await notice().getByRole("button", { name: "Collect" }).click();
    const short = `${FAN.address.slice(0, 6)}…${FAN.address.slice(-4)}`;
    await refusal
      .filter({
        hasText: `The bUSD token refused to pay ${short} (a token can block addresses). Nothing was sent: your 20 bUSD is still here to collect. Type another address you control.`,
      })
      .waitFor({ timeout: 30_000 });
    expect(await sendRequests()).to.equal(0);
    expect(await credits(FAN.address)).to.equal(PRICE);
    expect(await noticeTitle().textContent()).to.equal("You have 20 bUSD to collect");
  });

  it("the fan sends the credit to a second address they type: the notice goes, and that address holds it", async () => {
    await openAsFan(`#/store/${storeId}`);
    await noticeTitle().filter({ hasText: "You have 20 bUSD to collect" }).waitFor();
    // On a phone: the notice fits the width, the whole address shows in its field, and axe is still satisfied.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await hidden()).to.deep.equal({ page: 0, field: 0 });
    expect(await axeOnNotice()).to.deep.equal([]);
    await screenshot(page, "credits-notice-phone");
    const before = await balance(SECOND.address);
    await notice().getByLabel("Send to").fill(`  ${SECOND.address.toLowerCase()} `);
    await notice().getByRole("button", { name: "Collect" }).click();
    await notice().waitFor({ state: "detached", timeout: 60_000 });
    await page.locator(".toasts").getByText(`20 bUSD sent to ${SECOND.address}.`).waitFor();
    expect(await sendRequests()).to.equal(1);
    expect((await balance(SECOND.address)) - before).to.equal(PRICE);
    expect(await credits(FAN.address)).to.equal(0n);
    expect(await balance(FAN.address)).to.equal(0n);

    // Nothing left: no notice on the next page either.
    await go("#/orders");
    expect(await notice().count()).to.equal(0);
  });
});
