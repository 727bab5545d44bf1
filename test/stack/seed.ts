import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { expect } from "chai";
import { Contract, id, type JsonRpcProvider, parseUnits } from "ethers";
import {
  decryptFile,
  deliveryKeyMessage,
  deriveDeliveryKey,
  openDelivery,
} from "../../frontend/src/client/delivery-crypto.ts";
import { openContentKey } from "../../frontend/src/client/digital.ts";
import { deriveShippingKey, openShipping, shippingKeyMessage } from "../../frontend/src/client/shipping-crypto.ts";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { rpcProvider } from "../../scripts/cli/rpc.ts";
import { addBytes } from "../../scripts/ipfs/add.ts";
import { type Gateway, startGateway } from "../../scripts/ipfs/gateway.ts";
import { type IpfsNode, openIpfsNode } from "../../scripts/ipfs/node.ts";
import { CATEGORY, DEMO_ADDRESSES, DEMO_ORDERS, DEMO_STORES } from "../../scripts/seed/catalog.ts";
import { type SeedSummary, seedDemo } from "../../scripts/seed/seed.ts";
import { castWallet } from "../../scripts/stack/accounts.ts";
import { type Deployment, deployProtocol } from "../../scripts/stack/deploy.ts";
import { type Chain, startHardhatNode } from "../../scripts/stack/hardhat-node.ts";
import { freePort } from "../../scripts/stack/ports.ts";

const STATUS = { Paid: 1n, Shipped: 2n, Completed: 3n };

type VariantView = { label: string; price: bigint; stock: bigint; sold: bigint };
type ProductView = {
  id: bigint;
  storeId: bigint;
  category: bigint;
  digital: boolean;
  maxPerBuyer: bigint;
  ratingCount: bigint;
  ratingSum: bigint;
  name: string;
  metadataCid: string;
  variants: VariantView[];
};

/** Width and height from a PNG's IHDR, after checking the signature and that the image data inflates. */
function pngSize(bytes: Uint8Array): [number, number] {
  const buf = Buffer.from(bytes);
  expect(buf.subarray(0, 8).toString("hex")).to.equal("89504e470d0a1a0a");
  expect(buf.subarray(12, 16).toString("ascii")).to.equal("IHDR");
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idatAt = buf.indexOf("IDAT");
  const idatLength = buf.readUInt32BE(idatAt - 4);
  const raw = inflateSync(buf.subarray(idatAt + 4, idatAt + 4 + idatLength));
  expect(raw.length).to.equal((width * 3 + 1) * height);
  return [width, height];
}

describe("the demo catalog, read back through the contracts", function () {
  this.timeout(180_000);
  let work: string;
  let chain: Chain;
  let node: IpfsNode;
  let gateway: Gateway;
  let provider: JsonRpcProvider;
  let deployment: Deployment;
  let seed: SeedSummary;
  let market: Contract;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "merchstand-stack-seed-"));
    chain = await startHardhatNode(await freePort());
    node = await openIpfsNode(join(work, "repo"));
    gateway = await startGateway({ helia: node, port: 0 });
    deployment = await deployProtocol(chain.rpcUrl);
    provider = rpcProvider(chain.rpcUrl, { chainId: deployment.chainId });
    seed = await seedDemo({ provider, ...deployment }, { addBytes: async (b) => (await addBytes(node, b)).toString() });
    market = new Contract(deployment.merchstand, merchstandAbi as never, provider);
  });

  after(async () => {
    provider?.destroy();
    await gateway?.close();
    await node?.stop();
    await chain?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const productKey = (id: bigint) => Object.entries(seed.productIds).find(([, v]) => v === id)![0];
  const catalogProduct = (key: string) => DEMO_STORES.flatMap((s) => s.products).find((p) => p.key === key)!;

  it("has every demo store, with its owner, currency and official mark", async () => {
    const [stores, total] = (await market.getFunction("getStores")(0, 50)) as [
      Array<{ id: bigint; owner: string; currency: string; official: boolean; name: string; officialEvidence: string }>,
      bigint,
    ];
    expect(total).to.equal(BigInt(DEMO_STORES.length));
    expect(DEMO_STORES.length).to.be.at.least(2);
    DEMO_STORES.forEach((demo, i) => {
      const store = stores[i]!;
      expect(store.name).to.equal(demo.name);
      expect(store.owner).to.equal(castWallet(demo.owner).address);
      expect(store.currency).to.equal(
        demo.currency === "ETH" ? "0x0000000000000000000000000000000000000000" : deployment.mockUsd,
      );
      expect(store.official).to.equal(demo.official);
      if (demo.official) expect(store.officialEvidence).to.equal(demo.evidence);
    });
  });

  it("has exactly one official store and a look-alike impostor that is not official", async () => {
    const [stores] = (await market.getFunction("getStores")(0, 50)) as [Array<{ name: string; official: boolean }>];
    const official = stores.filter((s) => s.official);
    expect(official).to.have.length(1);
    // Folding the look-alike characters the impostor uses makes the two names one.
    const fold = (name: string) =>
      name
        .toLowerCase()
        .replace(/—.*$/, "")
        .replace(/0/g, "o")
        .replace(/l(?=ght)/g, "i")
        .trim();
    const impostor = stores.find((s) => !s.official && fold(s.name) === fold(official[0]!.name));
    expect(impostor, "an unofficial store whose name folds to the official one").to.not.equal(undefined);
    expect(impostor!.name).to.not.equal(official[0]!.name);
  });

  it("lists at least 12 products across at least 5 categories, with their variants", async () => {
    const [products, total] = (await market.getFunction("getProducts")(0, 100)) as [ProductView[], bigint];
    expect(Number(total)).to.be.at.least(12);
    expect(new Set(products.map((p) => p.category)).size).to.be.at.least(5);
    for (const product of products) {
      const demo = catalogProduct(productKey(product.id));
      const store = DEMO_STORES.find((s) => s.products.includes(demo))!;
      expect(product.name).to.equal(demo.name);
      expect(product.category).to.equal(BigInt(CATEGORY[demo.category]));
      expect(product.digital).to.equal(demo.digital ?? false);
      expect(product.maxPerBuyer).to.equal(BigInt(demo.maxPerBuyer ?? 0));
      expect(product.variants.map((v) => v.label)).to.deep.equal(demo.variants.map((v) => v.label));
      const decimals = store.currency === "ETH" ? 18 : 6;
      expect(product.variants.map((v) => v.price)).to.deep.equal(
        demo.variants.map((v) => parseUnits(v.price, decimals)),
      );
    }
    const apparel = products.filter((p) => p.category === BigInt(CATEGORY.apparel));
    expect(apparel.some((p) => p.variants.map((v) => v.label).join(",") === "S,M,L,XL")).to.equal(true);
  });

  it("takes the demo orders' units out of stock, and shows a sold-out size", async () => {
    const [products] = (await market.getFunction("getProducts")(0, 100)) as [ProductView[]];
    const ordered = new Map<string, number>();
    for (const order of DEMO_ORDERS) {
      for (const line of order.lines) {
        ordered.set(
          `${line.product}/${line.variant}`,
          (ordered.get(`${line.product}/${line.variant}`) ?? 0) + line.quantity,
        );
      }
    }
    let soldOut = 0;
    for (const product of products) {
      const demo = catalogProduct(productKey(product.id));
      demo.variants.forEach((variant, i) => {
        const sold = ordered.get(`${demo.key}/${variant.label}`) ?? 0;
        expect(product.variants[i]!.sold, `${demo.key}/${variant.label} sold`).to.equal(BigInt(sold));
        expect(product.variants[i]!.stock, `${demo.key}/${variant.label} stock`).to.equal(BigInt(variant.stock - sold));
        if (variant.stock - sold === 0) soldOut++;
      });
    }
    expect(soldOut).to.be.at.least(1);
  });

  it("carries the ratings of the demo reviews", async () => {
    const expected = new Map<string, { count: number; sum: number }>();
    for (const order of DEMO_ORDERS) {
      for (const review of order.reviews ?? []) {
        const entry = expected.get(review.product) ?? { count: 0, sum: 0 };
        expected.set(review.product, { count: entry.count + 1, sum: entry.sum + review.rating });
      }
    }
    expect(expected.size).to.be.at.least(3);
    const [products] = (await market.getFunction("getProducts")(0, 100)) as [ProductView[]];
    for (const product of products) {
      const want = expected.get(productKey(product.id)) ?? { count: 0, sum: 0 };
      expect([product.ratingCount, product.ratingSum]).to.deep.equal([BigInt(want.count), BigInt(want.sum)]);
    }
  });

  it("leaves each demo order at its stage, with the store's replies recorded", async () => {
    expect(seed.orderIds).to.have.length(DEMO_ORDERS.length);
    expect(new Set(seed.orderIds).size).to.equal(DEMO_ORDERS.length);
    for (const [i, demo] of DEMO_ORDERS.entries()) {
      const orderId = seed.orderIds[i]!;
      const want =
        demo.stage === "completed" ? STATUS.Completed : demo.stage === "shipped" ? STATUS.Shipped : STATUS.Paid;
      expect(await market.getFunction("orderStatus")(orderId), `order ${orderId}`).to.equal(want);
      for (const review of demo.reviews ?? []) {
        const productId = seed.productIds[review.product]!;
        expect(await market.getFunction("isReviewed")(orderId, seed.orderArgs[i]!, productId)).to.equal(true);
        // A reply writes nothing to the order (a store may edit it): it is only its ReviewReplied log.
        const replies = await market.queryFilter(market.filters.ReviewReplied!(productId, orderId));
        expect(replies.length, `replies to order ${orderId}`).to.equal(review.reply === undefined ? 0 : 1);
      }
    }
  });

  it("paid the mUSD orders with a permit (no approve transaction)", async () => {
    const musdStore = seed.stores.find((s) => s.currency === "mUSD")!;
    const musdOrders = DEMO_ORDERS.filter((o) => DEMO_STORES.find((s) => s.key === o.store)!.currency === "mUSD");
    expect(musdOrders.length).to.be.at.least(1);
    const approvals = await provider.getLogs({
      address: deployment.mockUsd,
      topics: [id("Approval(address,address,uint256)")],
      fromBlock: 0,
    });
    // A permit emits Approval inside the purchase transaction; an approve() would be a transaction to the token.
    expect(approvals.length).to.be.at.least(musdOrders.length);
    for (const log of approvals) {
      const tx = await provider.getTransaction(log.transactionHash);
      expect(tx!.to).to.equal(deployment.merchstand);
    }
    const store = (await market.getFunction("getStore")(musdStore.id)) as { currency: string };
    expect(store.currency).to.equal(deployment.mockUsd);
  });

  it("gives each store the shipping key its owner's wallet re-derives, and seals addresses only the store opens", async () => {
    for (const summary of seed.stores) {
      const demo = DEMO_STORES.find((s) => s.name === summary.name)!;
      const owner = castWallet(demo.owner);
      const derived = deriveShippingKey(await owner.signMessage(shippingKeyMessage(owner.address, deployment.chainId)));
      const onChain = ((await market.getFunction("getStore")(summary.id)) as { shippingKey: string }).shippingKey;
      expect(onChain).to.equal(`0x${Buffer.from(derived.publicKey).toString("hex")}`);
    }
    const placed = await market.queryFilter(market.filters.OrderPlaced!(), 0);
    expect(placed).to.have.length(DEMO_ORDERS.length);
    for (const [i, event] of placed.entries()) {
      const demo = DEMO_ORDERS[i]!;
      const args = (event as unknown as { args: { storeId: bigint; shipping: string } }).args;
      const digitalOnly = demo.lines.every((l) => catalogProduct(l.product).digital === true);
      if (digitalOnly) {
        // A digital order carries the buyer's delivery key, which their wallet re-derives (docs/FORMATS.md).
        const buyer = castWallet(demo.buyer);
        const key = deriveDeliveryKey(await buyer.signMessage(deliveryKeyMessage(buyer.address, deployment.chainId)));
        expect(args.shipping).to.equal(`0x${Buffer.from(key.publicKey).toString("hex")}`);
        continue;
      }
      const blob = Uint8Array.from(Buffer.from(args.shipping.slice(2), "hex"));
      expect(openShipping(blob, seed.shippingSecrets[args.storeId.toString()]!)).to.deep.equal(
        DEMO_ADDRESSES[demo.buyer],
      );
      const otherStore = seed.stores.find((s) => s.id !== args.storeId)!;
      expect(() => openShipping(blob, seed.shippingSecrets[otherStore.id.toString()]!)).to.throw();
    }
  });

  it("delivers the digital demo orders past 'paid' with ticket codes only the buyer's delivery key opens", async () => {
    const delivered = await market.queryFilter(market.filters.OrderDelivered!(), 0);
    const digital = DEMO_ORDERS.map((demo, i) => ({ demo, id: seed.orderIds[i]! })).filter(({ demo }) =>
      demo.lines.every((l) => catalogProduct(l.product).digital === true),
    );
    expect(digital.map((d) => d.demo.stage)).to.include.members(["paid", "completed"]);
    const deliveredIds = delivered.map((e) => (e as unknown as { args: { orderId: bigint } }).args.orderId);
    for (const { demo, id } of digital) {
      const i = deliveredIds.indexOf(id);
      if (demo.stage === "paid") {
        expect(i, `order ${id} waits for the dashboard`).to.equal(-1);
        continue;
      }
      expect(i, `order ${id} delivered`).to.be.at.least(0);
      const payload = (delivered[i] as unknown as { args: { payload: string } }).args.payload;
      const buyer = castWallet(demo.buyer);
      const key = deriveDeliveryKey(await buyer.signMessage(deliveryKeyMessage(buyer.address, deployment.chainId)));
      const items = openDelivery(Buffer.from(payload.slice(2), "hex"), key.secretKey);
      const units = demo.lines.reduce((n, l) => n + l.quantity, 0);
      expect(items).to.have.length(units);
      for (const item of items) expect(item.ticket).to.match(/^MS-[0-9A-Z]+-\d+$/);
      const other = castWallet(demo.buyer === "buyer" ? "secondBuyer" : "buyer");
      const otherKey = deriveDeliveryKey(
        await other.signMessage(deliveryKeyMessage(other.address, deployment.chainId)),
      );
      expect(() => openDelivery(Buffer.from(payload.slice(2), "hex"), otherKey.secretKey)).to.throw();
    }
  });

  it("puts store and product metadata on IPFS per docs/FORMATS.md, with real PNG pictures", async () => {
    const fetchIpfs = async (cid: string) => {
      const response = await fetch(`${gateway.url}/ipfs/${cid}`);
      expect(response.status, cid).to.equal(200);
      return response;
    };
    const [stores] = (await market.getFunction("getStores")(0, 50)) as [Array<{ metadataCid: string }>];
    for (const store of stores) {
      const meta = (await (await fetchIpfs(store.metadataCid)).json()) as Record<string, unknown>;
      expect(meta.schema).to.equal("merchstand/store@1");
      expect(String(meta.bio).length).to.be.within(1, 2000);
      for (const link of meta.links as Array<{ url: string }>) expect(link.url).to.match(/^https:\/\//);
      for (const picture of [meta.logo, meta.banner] as string[]) {
        const response = await fetchIpfs(picture);
        expect(response.headers.get("content-type")).to.equal("image/png");
        pngSize(new Uint8Array(await response.arrayBuffer()));
      }
    }
    const [products] = (await market.getFunction("getProducts")(0, 100)) as [ProductView[]];
    const seen = new Set<string>();
    for (const product of products) {
      const response = await fetchIpfs(product.metadataCid);
      const text = await response.text();
      expect(text.length).to.be.below(64 * 1024);
      const meta = JSON.parse(text) as { schema: string; description: string; images: string[]; details: object };
      expect(meta.schema).to.equal("merchstand/product@1");
      expect(meta.description.length).to.be.within(1, 5000);
      expect(meta.images.length).to.be.within(1, 8);
      expect(Object.keys(meta.details).length).to.be.at.most(20);
      for (const image of meta.images) {
        const picture = await fetchIpfs(image);
        expect(picture.headers.get("content-type")).to.equal("image/png");
        expect(pngSize(new Uint8Array(await picture.arrayBuffer()))).to.deep.equal([480, 480]);
        seen.add(image);
      }
    }
    // Every picture is its own (front and back of each product, varied colours and captions), not one image reused.
    expect(seen.size).to.equal(products.length * 2);
  });

  it("pins the demo album's download encrypted, with a content key only the store's shipping key opens", async () => {
    const album = DEMO_STORES.flatMap((s) => s.products).find((p) => p.download)!;
    const owner = DEMO_STORES.find((s) => s.products.includes(album))!.owner;
    const product = (await market.getFunction("getProduct")(seed.productIds[album.key]!)) as ProductView;
    const meta = (await (await fetch(`${gateway.url}/ipfs/${product.metadataCid}`)).json()) as {
      download: { cid: string; name: string; size: number; key: string };
    };
    expect(meta.download).to.include({ name: album.download!.name });
    const pinned = new Uint8Array(await (await fetch(`${gateway.url}/ipfs/${meta.download.cid}`)).arrayBuffer());
    const text = new TextEncoder().encode(album.download!.text);
    expect(Buffer.from(pinned).includes(Buffer.from(text.subarray(0, 20)))).to.equal(false);
    const wallet = castWallet(owner);
    const key = deriveShippingKey(await wallet.signMessage(shippingKeyMessage(wallet.address, deployment.chainId)));
    expect(decryptFile(pinned, openContentKey(meta.download.key, key.secretKey))).to.deep.equal(text);
  });

  it("grants the demo verifier VERIFIER_ROLE", async () => {
    const roles = new Contract(
      deployment.merchstand,
      ["function hasRole(bytes32,address) view returns (bool)"],
      provider,
    );
    expect(await roles.getFunction("hasRole")(id("VERIFIER_ROLE"), castWallet("verifier").address)).to.equal(true);
  });
});
