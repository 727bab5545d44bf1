// Seeds the demo catalog through the contracts, as real users would: sellers open stores with shipping keys
// derived from their own signatures, the verifier attests the official store, buyers pay (ETH, and mUSD with an
// EIP-2612 permit), sellers ship or deliver (tickets sealed to the buyer's delivery key), buyers complete and
// review. Pictures and metadata JSON go to IPFS first, so every CID on-chain resolves on the stack's gateway.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  Contract,
  type HDNodeWallet,
  hexlify,
  type JsonRpcProvider,
  parseUnits,
  Signature,
  type TransactionReceipt,
} from "ethers";
import { NO_CODE } from "../../frontend/src/client/code-text.ts";
import {
  type DeliveredItem,
  deliveryKeyMessage,
  deriveDeliveryKey,
  sealDelivery,
} from "../../frontend/src/client/delivery-crypto.ts";
import { type DownloadEntry, prepareDownload } from "../../frontend/src/client/digital.ts";
import { orderArg, orderFromPlaced } from "../../frontend/src/client/protocol.ts";
import { deriveShippingKey, sealShipping, shippingKeyMessage } from "../../frontend/src/client/shipping-crypto.ts";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { ROOT } from "../cli/root.ts";
import { type CastRole, castWallet } from "../stack/accounts.ts";
import { productImages, storeBanner, storeLogo } from "./art.ts";
import { CATEGORY, DEMO_ADDRESSES, DEMO_ORDERS, DEMO_STORES, type DemoStore } from "./catalog.ts";
import { type DropsSummary, seedDrops } from "./drops.ts";

const ETH = "0x0000000000000000000000000000000000000000";
const DAY = 24 * 60 * 60;
/** Store terms of every demo store: a week to ship, two weeks to dispute after shipping. */
const TERMS = { shipWindow: 7 * DAY, deliveryWindow: 14 * DAY };
/** mUSD minted to each demo buyer. */
const BUYER_MUSD = parseUnits("1000", 6);

/** Where the seed puts pictures and metadata: the embedded node or a Kubo node. */
export type ContentSink = { addBytes(bytes: Uint8Array): Promise<string> };

export type SeedTarget = {
  provider: JsonRpcProvider;
  chainId: number;
  merchstand: string;
  mockUsd: string;
};

export type SeedSummary = {
  stores: Array<{ id: bigint; name: string; owner: string; currency: string; official: boolean; products: number }>;
  /** Product id by catalog key. */
  productIds: Record<string, bigint>;
  products: number;
  orders: number;
  /** The id of each of DEMO_ORDERS, in its order (ids are made from the product and its sales, see IMerchstand). */
  orderIds: bigint[];
  /** The Order each of DEMO_ORDERS ends with (protocol.ts orderArg), as a buyer or the store passes it back. */
  orderArgs: ReturnType<typeof orderArg>[];
  reviews: number;
  images: number;
  /** Secret shipping keys by store id, so a test can open the sealed addresses like the seller's browser does. */
  shippingSecrets: Record<string, Uint8Array>;
  /** The timed drop, its presale code and link (scripts/seed/drops.ts). */
  drops: DropsSummary | null;
};

async function loadAbi(artifact: string): Promise<unknown[]> {
  const json = JSON.parse(await readFile(join(ROOT, "artifacts", artifact), "utf8")) as { abi: unknown[] };
  return json.abi;
}

/** Builds the demo catalog on a freshly deployed Merchstand. */
export type DemoContent = {
  /** Store metadata CID by store key. */
  storeCids: Map<string, string>;
  /** Product metadata CID by product key. */
  productCids: Map<string, string>;
  images: number;
};

/**
 * Draws the demo pictures and writes the store and product metadata (docs/FORMATS.md) to IPFS. Separate from
 * {@link seedDemo} so the stack can do it while the contracts compile and deploy.
 */
export async function publishDemoContent(ipfs: ContentSink, options: { chainId?: number } = {}): Promise<DemoContent> {
  const storeCids = new Map<string, string>();
  const productCids = new Map<string, string>();
  let images = 0;
  for (const store of DEMO_STORES) {
    const logo = await ipfs.addBytes(storeLogo(store.palette, store.mark));
    const banner = await ipfs.addBytes(storeBanner(store.palette, store.mark, tagline(store)));
    images += 2;
    storeCids.set(
      store.key,
      await ipfs.addBytes(
        json({
          schema: "merchstand/store@1",
          bio: store.bio,
          logo,
          banner,
          links: store.links,
          // Which countries form each shipping zone (client/zones.ts); the rates go on chain (scripts/seed/drops.ts).
          ...(store.zones ? { zones: store.zones.map(({ name, countries }) => ({ name, countries })) } : {}),
        }),
      ),
    );
    for (const product of store.products) {
      const pictures: string[] = [];
      for (const png of productImages(product.art, store.palette, product.caption, store.mark)) {
        pictures.push(await ipfs.addBytes(png));
        images++;
      }
      // A download is encrypted under a fresh content key sealed to the store's shipping key, which the owner's
      // signature on this chain makes: with no chain id known, the product simply has no download yet.
      let download: DownloadEntry | undefined;
      if (product.download && options.chainId !== undefined) {
        const owner = castWallet(store.owner);
        const key = deriveShippingKey(await owner.signMessage(shippingKeyMessage(owner.address, options.chainId)));
        download = await prepareDownload(
          new TextEncoder().encode(product.download.text),
          product.download.name,
          key.publicKey,
          (ciphertext) => ipfs.addBytes(ciphertext),
        );
      }
      productCids.set(
        product.key,
        await ipfs.addBytes(
          json({
            schema: "merchstand/product@1",
            description: product.description,
            images: pictures,
            details: product.details,
            ...(download ? { download } : {}),
          }),
        ),
      );
    }
  }
  return { storeCids, productCids, images };
}

/**
 * Builds the demo catalog on a freshly deployed Merchstand. `content` is what {@link publishDemoContent} returned
 * (or the sink to publish it to first).
 */
export async function seedDemo(
  target: SeedTarget,
  contentOrSink: ContentSink | DemoContent | Promise<DemoContent>,
  options: { log?: (line: string) => void } = {},
): Promise<SeedSummary> {
  const content =
    "addBytes" in contentOrSink
      ? publishDemoContent(contentOrSink, { chainId: target.chainId })
      : Promise.resolve(contentOrSink as DemoContent);
  const log = options.log ?? (() => {});
  const { provider } = target;
  const musdAbi = await loadAbi("contracts/mocks/MockUSD.sol/MockUSD.json");
  const wallet = (role: CastRole) => castWallet(role, provider);
  const market = new Contract(target.merchstand, merchstandAbi as never, provider);
  const usd = new Contract(target.mockUsd, musdAbi as never, provider);
  // Fees and nonces are tracked here rather than asked for before each transaction (ethers would make eight RPC
  // calls per transaction; this makes three). A few dozen transactions to a local node do not move the base fee.
  const feeData = await provider.getFeeData();
  const fees =
    feeData.maxFeePerGas !== null
      ? { type: 2, maxFeePerGas: feeData.maxFeePerGas, maxPriorityFeePerGas: feeData.maxPriorityFeePerGas ?? 0n }
      : { type: 0, gasPrice: feeData.gasPrice ?? 0n };
  const nonces = new Map<CastRole, number>();
  /** Sends `contract.method(...args)` from `role` and returns its receipt; throws with the revert reason. */
  const mined = async (
    role: CastRole,
    contract: Contract,
    method: string,
    args: unknown[],
    value = 0n,
  ): Promise<TransactionReceipt> => {
    const from = wallet(role);
    const nonce = nonces.get(role) ?? (await provider.getTransactionCount(from.address, "pending"));
    const call = await contract.getFunction(method).populateTransaction(...args);
    // estimateGas reverts with the contract's custom error when the call would fail, before anything is sent.
    const gasLimit = await provider.estimateGas({ ...call, from: from.address, value });
    const raw = await from.signTransaction({ ...call, ...fees, value, nonce, gasLimit, chainId: target.chainId });
    nonces.set(role, nonce + 1);
    const hash = (await provider.send("eth_sendRawTransaction", [raw])) as string;
    // Local nodes mine on receipt of the transaction, so the receipt is there at once.
    let receipt = await provider.getTransactionReceipt(hash);
    if (receipt === null) receipt = await provider.waitForTransaction(hash, 1, 60_000);
    if (receipt === null || receipt.status !== 1) throw new Error(`${method} failed in transaction ${hash}`);
    return receipt;
  };

  const summary: SeedSummary = {
    stores: [],
    productIds: {},
    products: 0,
    orders: 0,
    orderIds: [],
    orderArgs: [],
    reviews: 0,
    images: 0,
    shippingSecrets: {},
    drops: null,
  };

  const { storeCids, productCids } = await content;
  summary.images = (await content).images;

  // Buyers get stablecoins; MockUSD's mint is open by design.
  for (const buyer of ["buyer", "secondBuyer"] as const) {
    await mined("deployer", usd, "mint", [wallet(buyer).address, BUYER_MUSD]);
  }

  const storeIds = new Map<string, bigint>();
  const variantIndex = new Map<string, number>();
  for (const store of DEMO_STORES) {
    const owner = wallet(store.owner);
    const signature = await owner.signMessage(shippingKeyMessage(owner.address, target.chainId));
    const key = deriveShippingKey(signature);
    const receipt = await mined(store.owner, market, "openStore", [
      {
        name: store.name,
        metadataCid: storeCids.get(store.key)!,
        payout: owner.address,
        currency: store.currency === "ETH" ? ETH : target.mockUsd,
        shippingKey: hexlify(key.publicKey),
        terms: { arbiter: wallet("arbiter").address, ...TERMS },
      },
    ]);
    const storeId = eventArg(market, receipt, "StoreOpened", "storeId") as bigint;
    storeIds.set(store.key, storeId);
    summary.shippingSecrets[storeId.toString()] = key.secretKey;

    if (store.official) {
      await mined("verifier", market, "attestOfficial", [storeId, store.evidence]);
    } else if (store.key !== "impostor") {
      // A pending request, so the verifier's queue has something in it.
      await mined(store.owner, market, "requestVerification", [storeId, store.evidence]);
    }

    const decimals = store.currency === "ETH" ? 18 : 6;
    for (const product of store.products) {
      const listed = await mined(store.owner, market, "listProduct", [
        storeId,
        {
          name: product.name,
          metadataCid: productCids.get(product.key)!,
          category: CATEGORY[product.category],
          maxPerBuyer: product.maxPerBuyer ?? 0,
          digital: product.digital ?? false,
        },
        product.variants.map((v) => ({ label: v.label, price: parseUnits(v.price, decimals), stock: v.stock })),
      ]);
      const productId = eventArg(market, listed, "ProductListed", "productId") as bigint;
      summary.productIds[product.key] = productId;
      product.variants.forEach((v, i) => {
        variantIndex.set(`${product.key}/${v.label}`, i);
      });
      summary.products++;
    }
    summary.stores.push({
      id: storeId,
      name: store.name,
      owner: owner.address,
      currency: store.currency,
      official: store.official,
      products: store.products.length,
    });
  }
  log(`${summary.stores.length} stores and ${summary.products} products listed`);

  for (const demo of DEMO_ORDERS) {
    const store = DEMO_STORES.find((s) => s.key === demo.store)!;
    const storeId = storeIds.get(store.key)!;
    const onChain = (await market.getFunction("getStore")(storeId)) as {
      shippingKey: string;
      currency: string;
      termsVersion: bigint;
    };
    const storeKey = onChain.shippingKey;
    const physical = demo.lines.some((l) => !productOf(store, l.product).digital);
    if (physical && demo.lines.some((l) => productOf(store, l.product).digital)) {
      throw new Error("a demo order is all physical or all digital (MixedOrder)");
    }
    const decimals = store.currency === "ETH" ? 18 : 6;
    const lines = demo.lines.map((l) => {
      const variant = productOf(store, l.product).variants[variantIndex.get(`${l.product}/${l.variant}`)!]!;
      return {
        productId: summary.productIds[l.product]!,
        variant: variantIndex.get(`${l.product}/${l.variant}`)!,
        quantity: l.quantity,
        maxUnitPrice: parseUnits(variant.price, decimals),
      };
    });
    const total = lines.reduce((sum, l) => sum + l.maxUnitPrice * BigInt(l.quantity), 0n);
    // A digital order carries the buyer's delivery key, derived from their signature as the dapp derives it.
    const buyer = wallet(demo.buyer);
    const deliveryKey = physical
      ? null
      : deriveDeliveryKey(await buyer.signMessage(deliveryKeyMessage(buyer.address, target.chainId)));
    const shipping = deliveryKey ? deliveryKey.publicKey : sealShipping(DEMO_ADDRESSES[demo.buyer]!, bytes32(storeKey));
    // No shipping zone (the demo's zones are set after its orders, scripts/seed/drops.ts) and no code.
    const cart = [
      { storeId, termsVersion: onChain.termsVersion, lines, shipping, zone: 0, maxShipping: 0n, code: NO_CODE },
    ];

    let receipt: TransactionReceipt;
    if (store.currency === "ETH") {
      receipt = await mined(demo.buyer, market, "checkout", [cart], total);
    } else {
      const permit = await signPermit(buyer, usd, {
        spender: target.merchstand,
        value: total,
        chainId: target.chainId,
      });
      receipt = await mined(demo.buyer, market, "checkoutWithPermit", [cart, permit]);
    }
    const placed = findEvent(market, receipt, "OrderPlaced");
    const orderId = placed.args.orderId as bigint;
    // Rebuilt from the log exactly as the dapp does it; the currency is the store's.
    const order = orderFromPlaced(placed.args as never, onChain.currency);
    summary.orders++;
    summary.orderIds.push(orderId);

    if (demo.stage !== "paid") {
      if (deliveryKey) {
        const payload = sealDelivery(demoTickets(store, demo, orderId, lines), deliveryKey.publicKey);
        const delivered = await mined(store.owner, market, "deliver", [[orderId], [orderArg(order)], [payload]]);
        order.shippedAt = eventArg(market, delivered, "OrderDelivered", "deliveredAt") as bigint;
      } else {
        const shipped = await mined(store.owner, market, "markShipped", [
          orderId,
          orderArg(order),
          demo.tracking ?? "",
        ]);
        order.shippedAt = eventArg(market, shipped, "OrderShipped", "shippedAt") as bigint;
      }
      if (demo.stage === "completed") await mined(demo.buyer, market, "complete", [orderId, orderArg(order)]);
    }
    for (const review of demo.reviews ?? []) {
      const productId = summary.productIds[review.product]!;
      await mined(demo.buyer, market, "review", [orderId, orderArg(order), productId, review.rating, review.text]);
      summary.reviews++;
      if (review.reply !== undefined) {
        await mined(store.owner, market, "replyToReview", [orderId, orderArg(order), productId, review.reply]);
      }
    }
    summary.orderArgs.push(orderArg(order));
  }
  log(`${summary.orders} orders placed, ${summary.reviews} reviews written`);
  summary.drops = await seedDrops({
    market,
    mined,
    wallet,
    chainId: target.chainId,
    storeIds,
    productIds: summary.productIds,
  });
  return summary;
}

/**
 * The tickets a delivered demo order carries, one code per unit (docs/FORMATS.md, "Digital orders"). Only tickets:
 * a download needs its encrypted file and content key in the product metadata, which the dashboard makes.
 */
function demoTickets(
  store: DemoStore,
  demo: (typeof DEMO_ORDERS)[number],
  orderId: bigint,
  lines: ReadonlyArray<{ productId: bigint; variant: number }>,
): DeliveredItem[] {
  return demo.lines.flatMap((l, i) => {
    if (productOf(store, l.product).category !== "tickets") {
      throw new Error(`demo order of ${l.product}: only tickets are delivered by the seed`);
    }
    return Array.from({ length: l.quantity }, (_, unit) => ({
      productId: lines[i]!.productId.toString(),
      variant: lines[i]!.variant,
      cid: "",
      key: "",
      ticket: `MS-${orderId.toString(36).toUpperCase()}-${unit + 1}`,
    }));
  });
}

function productOf(store: DemoStore, key: string) {
  const product = store.products.find((p) => p.key === key);
  if (product === undefined) throw new Error(`demo order names unknown product ${key}`);
  return product;
}

function tagline(store: DemoStore): string {
  return store.official ? "OFFICIAL STORE" : store.currency === "mUSD" ? "PAY IN MUSD" : "MERCH STORE";
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

function bytes32(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
}

type Parsed = { args: Record<string, unknown> & { [key: string]: unknown } };

function findEvent(contract: Contract, receipt: TransactionReceipt, name: string): Parsed {
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== String(contract.target).toLowerCase()) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) return parsed as unknown as Parsed;
  }
  throw new Error(`transaction ${receipt.hash} emitted no ${name}`);
}

function eventArg(contract: Contract, receipt: TransactionReceipt, event: string, arg: string): unknown {
  return findEvent(contract, receipt, event).args[arg];
}

/** An EIP-2612 permit from `owner` for `value`, valid for an hour, as `checkoutWithPermit` takes it. */
async function signPermit(
  owner: HDNodeWallet,
  token: Contract,
  request: { spender: string; value: bigint; chainId: number },
) {
  const [, name, version] = (await token.getFunction("eip712Domain")()) as [string, string, string];
  const nonce = (await token.getFunction("nonces")(owner.address)) as bigint;
  const latest = await owner.provider!.getBlock("latest");
  const deadline = BigInt((latest?.timestamp ?? Math.floor(Date.now() / 1000)) + 3600);
  const signature = Signature.from(
    await owner.signTypedData(
      { name, version, chainId: request.chainId, verifyingContract: await token.getAddress() },
      {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      { owner: owner.address, spender: request.spender, value: request.value, nonce, deadline },
    ),
  );
  return { value: request.value, deadline, v: signature.v, r: signature.r, s: signature.s };
}
