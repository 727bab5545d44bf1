// Digital goods through the escrow, and the store's side of disputes and ownership, in a real browser against the
// real local stack: a seller uploads an album (encrypted in the browser), a fan buys it with the delivery key their
// wallet signature makes, the seller delivers from the dashboard in one transaction, and the fan downloads and
// decrypts it, byte for byte. Then a disputed order conceded in full, the store handed over in two steps, and a
// shipment refused once the ship window has passed.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import {
  Contract,
  type ContractTransactionResponse,
  type HDNodeWallet,
  hexlify,
  Interface,
  JsonRpcProvider,
  parseEther,
  type TransactionReceipt,
} from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  decryptFile,
  deliveryKeyMessage,
  deriveDeliveryKey,
  openDelivery,
} from "../../frontend/src/client/delivery-crypto.ts";
import { openContentKey } from "../../frontend/src/client/digital.ts";
import { orderReference } from "../../frontend/src/client/order-ref.ts";
import { orderArg, orderFromPlaced, packLine } from "../../frontend/src/client/protocol.ts";
import { deriveShippingKey, sealShipping, shippingKeyMessage } from "../../frontend/src/client/shipping-crypto.ts";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { launchChromium, screenshot } from "./support/browser.ts";
import { orderIdOf } from "./support/orders.ts";
import { startTestStack, type TestStack } from "./support/stack.ts";
import { testWalletScript } from "./support/wallet.ts";

const account = (index: number) => testWallet(index);
// Accounts the demo seed leaves alone (it uses 0..8); this suite has its own stack.
const SELLER = account(12);
const FAN = account(13);
const ARBITER = account(14);
const NEW_OWNER = account(15);
const DISPUTING_FAN = account(16);
const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 86_400;
const ADDRESS = {
  name: "Grace Hopper",
  line1: "7 Cobol Court",
  line2: "",
  city: "Arlington",
  region: "",
  postalCode: "22201",
  country: "United States",
  email: "",
};

const merchstand = new Interface(merchstandAbi);

describe("digital goods, disputes conceded and two-step ownership in Chromium (e2e)", function () {
  this.timeout(420_000);
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let provider: JsonRpcProvider;

  before(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
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
      const path = await screenshot(page, `e2e-digital-${this.currentTest.title}`).catch(() => null);
      if (path) console.log(`    screenshot: ${path}`);
    }
    await context?.close();
  });

  async function openDapp(as: string, hash = "") {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await context.addInitScript({ content: testWalletScript({ rpcUrl: stack.rpcUrl, account: as }) });
    page = await context.newPage();
    await page.goto(`${stack.dappUrl}${hash}`);
    await page.locator(".site-header").getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "Test Wallet" }).click();
    await page.locator(".account .address").waitFor();
  }

  async function switchTo(who: HDNodeWallet) {
    await page.evaluate(
      (a) => (window as unknown as { __testWallet: { setAccount(a: string): void } }).__testWallet.setAccount(a),
      who.address,
    );
    const short = `${who.address.slice(0, 6)}…${who.address.slice(-4)}`;
    await page.locator(".account .address", { hasText: short }).waitFor();
  }

  const go = (hash: string) => page.goto(`${stack.dappUrl}#${hash}`);

  const call = async (fn: string, args: unknown[]) =>
    merchstand.decodeFunctionResult(
      fn,
      await provider.call({ to: stack.merchstand, data: merchstand.encodeFunctionData(fn, args) }),
    );
  const orderStatus = async (id: bigint) => Number((await call("orderStatus", [id]))[0]);
  const credits = async (who: string) => BigInt((await call("credits", [who, ETH]))[0]);
  // Refunds and rulings are paid straight to the buyer (credited only when that fails): what reached the buyer is
  // its balance plus its credits.
  const received = async (who: string) => (await provider.getBalance(who)) + (await credits(who));

  async function send(from: HDNodeWallet, fn: string, args: unknown[], value = 0n): Promise<TransactionReceipt> {
    const signer = await provider.getSigner(from.address);
    const contract = new Contract(stack.merchstand, merchstandAbi as never, signer);
    const tx = (await contract.getFunction(fn)(...args, { value })) as ContractTransactionResponse;
    const receipt = await tx.wait();
    if (receipt?.status !== 1) throw new Error(`${fn} failed`);
    return receipt;
  }

  function eventArgs(receipt: TransactionReceipt, name: string) {
    for (const log of receipt.logs) {
      const parsed = merchstand.parseLog(log);
      if (parsed?.name === name) return parsed.args;
    }
    throw new Error(`no ${name} event in ${receipt.hash}`);
  }

  const storeKey = async (owner: HDNodeWallet) =>
    deriveShippingKey(await owner.signMessage(shippingKeyMessage(owner.address, 31337)));

  /** A store owned by `owner` (arbiter ARBITER, 7 days to ship, 14 to dispute) with one product. */
  async function storeWithProduct(owner: HDNodeWallet, product: { name: string; category: number; digital: boolean }) {
    const keys = await storeKey(owner);
    const opened = await send(owner, "openStore", [
      [`${product.name} Store`, "", owner.address, ETH, hexlify(keys.publicKey), [ARBITER.address, 7 * DAY, 14 * DAY]],
    ]);
    const storeId = BigInt(eventArgs(opened, "StoreOpened").storeId);
    const listed = await send(owner, "listProduct", [
      storeId,
      [product.name, "", product.category, 0, product.digital],
      [["One", parseEther("0.01"), 100]],
    ]);
    return { storeId, productId: BigInt(eventArgs(listed, "ProductListed").productId), keys };
  }

  /** A paid physical order of `buyer` with `owner`'s new store, placed directly on chain. */
  async function paidOrder(owner: HDNodeWallet, buyer: HDNodeWallet, name: string) {
    const { storeId, productId, keys } = await storeWithProduct(owner, { name, category: 0, digital: false });
    const price = parseEther("0.01");
    const bought = await send(
      buyer,
      "buy_oT9la",
      [
        packLine({ productId, variant: 0, quantity: 1, maxUnitPrice: price }, 1),
        hexlify(sealShipping(ADDRESS, keys.publicKey)),
      ],
      price,
    );
    const placed = eventArgs(bought, "OrderPlaced");
    return { storeId, orderId: BigInt(placed.orderId), order: orderFromPlaced(placed as never, ETH), price };
  }

  it("sells a digital album through the escrow: encrypted upload, one-transaction delivery, byte-equal download", async () => {
    const { storeId, productId } = await storeWithProduct(SELLER, {
      name: "Night Drive — Digital Album",
      category: 1,
      digital: true,
    });
    // 1. The seller uploads the album in the product editor: encrypted here, pinned, its key sealed to the store.
    const album = Buffer.concat([Buffer.from("fLaC night drive\n"), randomBytes(300_000)]);
    await openDapp(SELLER.address, "#/sell");
    await go(`/sell/store/${storeId}/products/${productId}`);
    await page.locator(".seller-head .badge.role", { hasText: "Owner" }).waitFor();
    await page.getByLabel("Download (the file fans get)").setInputFiles({
      name: "night-drive.flac",
      mimeType: "audio/flac",
      buffer: album,
    });
    await page.getByRole("button", { name: "Save details" }).click();
    await page
      .locator(".tx-stage.ok", { hasText: '"Night Drive — Digital Album" is saved.' })
      .waitFor({ timeout: 60_000 });
    const product = (await call("getProduct", [productId]))[0];
    const meta = (await (await fetch(`${stack.gatewayUrl}/ipfs/${product.metadataCid}`)).json()) as {
      download: { cid: string; name: string; size: number; key: string };
    };
    expect(meta.download).to.include({ name: "night-drive.flac", size: album.length });
    // IPFS holds only ciphertext; the content key in the metadata opens only with the store's key.
    const pinned = new Uint8Array(await (await fetch(`${stack.gatewayUrl}/ipfs/${meta.download.cid}`)).arrayBuffer());
    expect(Buffer.from(pinned).includes(Buffer.from("fLaC night drive"))).to.equal(false);
    const contentKey = openContentKey(meta.download.key, (await storeKey(SELLER)).secretKey);
    expect(Buffer.from(decryptFile(pinned, contentKey)).equals(album)).to.equal(true);

    // 2. The fan buys it: checkout says how it is delivered, and the order carries the fan's delivery key.
    await switchTo(FAN);
    await go(`/store/${storeId}/product/${productId}`);
    await page.getByRole("button", { name: "Buy now" }).click();
    const terms = page.locator(".summary .store-terms");
    await terms.waitFor();
    expect(await terms.textContent()).to.contain(
      "Digital items are delivered encrypted to a key only your wallet can open. If they aren't delivered within 7 days, you can cancel for a full refund.",
    );
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByText("Thank you! Your order is confirmed.").waitFor({ timeout: 30_000 });
    const orderId = await orderIdOf(page.locator(".success .order-link").first());
    const fanKey = deriveDeliveryKey(await FAN.signMessage(deliveryKeyMessage(FAN.address, 31337)));
    const [placedLog] = await provider.getLogs({
      address: stack.merchstand,
      topics: [merchstand.getEvent("OrderPlaced")!.topicHash, `0x${orderId.toString(16).padStart(64, "0")}`],
      fromBlock: 0,
    });
    expect(merchstand.parseLog(placedLog!)!.args.shipping).to.equal(hexlify(fanKey.publicKey));
    expect(await orderStatus(orderId)).to.equal(1);

    // 3. The seller delivers every pending digital order in one transaction from the dashboard.
    await switchTo(SELLER);
    await go(`/sell/store/${storeId}/orders`);
    await page.reload();
    await page.locator(".seller-head .badge.role", { hasText: "Owner" }).waitFor();
    await page.getByRole("button", { name: "Deliver 1 digital order" }).click();
    await page.locator(".tx-stage.ok", { hasText: "Delivered 1 digital order" }).waitFor({ timeout: 30_000 });
    expect(await orderStatus(orderId)).to.equal(2);
    const [deliveredLog] = await provider.getLogs({
      address: stack.merchstand,
      topics: [merchstand.getEvent("OrderDelivered")!.topicHash, `0x${orderId.toString(16).padStart(64, "0")}`],
      fromBlock: 0,
    });
    const payload = merchstand.parseLog(deliveredLog!)!.args.payload as string;
    const [item] = openDelivery(Buffer.from(payload.slice(2), "hex"), fanKey.secretKey);
    expect(item).to.include({ productId: productId.toString(), cid: meta.download.cid, key: contentKey, ticket: "" });

    // 4. The fan opens the delivery and downloads the album, decrypted in the browser: the same bytes.
    await switchTo(FAN);
    await go(`/orders/${orderId}`);
    await page.locator('[data-status="Shipped"]').waitFor();
    expect(await page.locator(".timeline").textContent()).to.contain("Delivered to you, encrypted to your key");
    await page.getByRole("button", { name: "Open your delivery" }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 60_000 }),
      page.getByRole("button", { name: "Download Night Drive — Digital Album" }).click(),
    ]);
    expect(download.suggestedFilename()).to.equal("night-drive.flac");
    const saved = await readFile((await download.path())!);
    expect(saved.equals(album), "the downloaded file is the album, byte for byte").to.equal(true);
  });

  it("refunds a disputed order in full from the dashboard, which closes the dispute", async () => {
    const owner = account(17);
    const { storeId, orderId, order, price } = await paidOrder(owner, DISPUTING_FAN, "Dispute Tee");
    const shipped = await send(owner, "markShipped", [orderId, orderArg(order), "DHL 1"]);
    order.shippedAt = BigInt(eventArgs(shipped, "OrderShipped").shippedAt);
    await send(DISPUTING_FAN, "dispute", [orderId, orderArg(order), "Wrong size"]);
    const before = await received(DISPUTING_FAN.address);

    await openDapp(owner.address, `#/sell/store/${storeId}/orders?filter=disputed`);
    await page.locator(".seller-head .badge.role", { hasText: "Owner" }).waitFor();
    const card = page.locator(`.seller-order[data-order-id="${orderId}"]`);
    expect(await card.textContent()).to.contain("A disputed order can only be refunded in full");
    await card.getByRole("button", { name: "Refund in full and close the dispute" }).click();
    await page.locator('[data-filter="closed"]', { hasText: "Refunded & cancelled (1)" }).waitFor({ timeout: 30_000 });
    expect(await orderStatus(orderId)).to.equal(4);
    expect((await received(DISPUTING_FAN.address)) - before).to.equal(price);
  });

  it("hands a store over in two steps: propose, withdraw, propose again, and the new owner accepts", async () => {
    const owner = account(18);
    const { storeId } = await storeWithProduct(owner, { name: "Handover Poster", category: 2, digital: false });
    await openDapp(owner.address, `#/sell/store/${storeId}/managers`);
    await page.locator(".seller-head .badge.role", { hasText: "Owner" }).waitFor();
    await page.getByLabel("New owner's wallet address").fill(NEW_OWNER.address);
    await page.getByRole("button", { name: "Propose new owner" }).click();
    await page.locator(".pending-owner", { hasText: NEW_OWNER.address }).waitFor({ timeout: 30_000 });
    expect((await call("pendingStoreOwner", [storeId]))[0]).to.equal(NEW_OWNER.address);
    expect((await call("getStore", [storeId]))[0].owner).to.equal(owner.address);
    await page.getByRole("button", { name: "Withdraw the proposal" }).click();
    await page.getByText("No new owner is proposed.").waitFor({ timeout: 30_000 });
    expect((await call("pendingStoreOwner", [storeId]))[0]).to.equal(ETH);
    await page.getByLabel("New owner's wallet address").fill(NEW_OWNER.address);
    await page.getByRole("button", { name: "Propose new owner" }).click();
    await page.locator(".pending-owner", { hasText: NEW_OWNER.address }).waitFor({ timeout: 30_000 });

    await switchTo(NEW_OWNER);
    await go("/sell");
    const offer = page.locator(".offered-stores .task", { hasText: "Handover Poster Store" });
    await offer.waitFor({ timeout: 30_000 });
    await offer.getByRole("button", { name: "Accept this store" }).click();
    await page
      .locator(".tx-stage.ok", { hasText: '"Handover Poster Store" is now yours.' })
      .waitFor({ timeout: 30_000 });
    expect((await call("getStore", [storeId]))[0].owner).to.equal(NEW_OWNER.address);
    expect((await call("pendingStoreOwner", [storeId]))[0]).to.equal(ETH);
  });

  // Last: it moves the chain's clock past every open order's ship window.
  it("refuses to mark an order shipped after its ship window, in words the seller understands", async () => {
    const owner = account(19);
    const { storeId, orderId } = await paidOrder(owner, DISPUTING_FAN, "Late Hoodie");
    await provider.send("evm_increaseTime", [8 * DAY]);
    await provider.send("evm_mine", []);
    await openDapp(owner.address, `#/sell/store/${storeId}/orders`);
    await page.locator(".seller-head .badge.role", { hasText: "Owner" }).waitFor();
    const card = page.locator(`.seller-order[data-order-id="${orderId}"]`);
    expect(await card.locator(".deadline").textContent()).to.contain("the buyer can now cancel for a full refund");
    await card.getByLabel("Carrier and tracking reference").fill("Royal Mail RM1");
    await card.getByRole("button", { name: "Mark shipped" }).click();
    const sentence = card.locator(".error-sentence");
    await sentence.waitFor({ timeout: 30_000 });
    expect(await sentence.textContent()).to.match(
      new RegExp(
        `^The ship-by time of order ${orderReference(orderId)} passed on .+: it can no longer be marked shipped or delivered, and the buyer may cancel for a full refund\\. You can still refund it\\.$`,
      ),
    );
    expect(await orderStatus(orderId)).to.equal(1);
  });
});
