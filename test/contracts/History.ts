// The history pointers (docs/FORMATS.md, "History pointers"): from a variant's lastOrderBlock, or a product's
// lastReviewBlock, a client walks back through OrderPlaced or ReviewPosted one block per `eth_getLogs`, and reaches
// every order of the variant and every review of the product, whatever else happened in between.

import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { NO_CODE } from "./support/drops.ts";
import {
  buyEth,
  type Fx,
  listProduct,
  load,
  openStore,
  priceOf,
  productInput,
  SHIPPING,
  ship,
  variant,
} from "./support/helpers.ts";

/** Gas for each transaction sent while automine is off (no estimate against a block that is still open). */
const GAS = { gasLimit: 1_000_000n };

/** Sends every transaction into one block, in order, and mines it. */
async function inOneBlock(fx: Fx, sends: (() => Promise<ContractTransactionResponse>)[]): Promise<number> {
  const { provider } = fx.ethers;
  await provider.send("evm_setAutomine", [false]);
  const hashes: string[] = [];
  try {
    for (const send of sends) hashes.push((await send()).hash);
    await provider.send("evm_mine", []);
  } finally {
    await provider.send("evm_setAutomine", [true]);
  }
  const blocks = new Set<number>();
  for (const hash of hashes) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt === null || receipt.status !== 1) throw new Error("a transaction failed");
    blocks.add(receipt.blockNumber);
  }
  expect(blocks.size, "all in one block").to.equal(1);
  return [...blocks][0] as number;
}

/** The previous-order pointer of an OrderPlaced line word. */
const previousOf = (word: bigint) => Number((word >> 200n) & 0xffffffffn);

/**
 * Walks back from `start` through the store's OrderPlaced logs, one block per query, collecting the orders with a
 * line of the variant. In each block, the first line of the variant points before the block; later ones point at it.
 */
async function walkOrders(fx: Fx, storeId: bigint, productId: bigint, variantIndex: number, start: number) {
  const filter = fx.merchstand.filters.OrderPlaced(undefined, undefined, storeId);
  const found: bigint[] = [];
  let queries = 0;
  for (let block = start; block !== 0; ) {
    const logs = await fx.merchstand.queryFilter(filter, block, block);
    queries++;
    let next: number | null = null;
    for (const log of logs) {
      const words = log.args.lines.filter(
        (w: bigint) => (w & 0xffffffffffffffffn) === productId && Number((w >> 64n) & 0xffn) === variantIndex,
      );
      if (words.length > 0) found.push(log.args.orderId);
      for (const w of words) if (previousOf(w) !== block) next = previousOf(w);
    }
    if (next === null) throw new Error(`block ${block} holds no order of the variant`);
    block = next;
  }
  return { found, queries };
}

/** Walks back from `start` through a product's ReviewPosted logs, one block per query. */
async function walkReviews(fx: Fx, productId: bigint, start: number) {
  const filter = fx.merchstand.filters.ReviewPosted(productId);
  const found: bigint[] = [];
  for (let block = start; block !== 0; ) {
    const logs = await fx.merchstand.queryFilter(filter, block, block);
    let next: number | null = null;
    for (const log of logs) {
      found.push(log.args.orderId);
      if (Number(log.args.previousReviewBlock) !== block) next = Number(log.args.previousReviewBlock);
    }
    if (next === null) throw new Error(`block ${block} holds no review of the product`);
    block = next;
  }
  return found;
}

describe("History pointers", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  const lastOrderBlock = async (productId: bigint, variantIndex: number) =>
    Number((await fx.merchstand.getProduct(productId)).variants[variantIndex]?.lastOrderBlock);

  describe("lastOrderBlock and OrderPlaced", () => {
    it("starts at 0 and records the block of each purchase of the variant", async () => {
      const { seller, buyer, ethStoreId } = fx;
      const capId = await listProduct(fx, seller, ethStoreId, productInput({ name: "Cap" }), [
        variant("S", 10n ** 15n, 9),
        variant("L", 10n ** 15n, 9),
      ]);
      expect([await lastOrderBlock(capId, 0), await lastOrderBlock(capId, 1)]).to.deep.equal([0, 0]);
      const first = await buyEth(fx, buyer, capId, { variant: 1 });
      expect([await lastOrderBlock(capId, 0), await lastOrderBlock(capId, 1)]).to.deep.equal([
        0,
        first.receipt.blockNumber,
      ]);
      const second = await buyEth(fx, buyer, capId, { variant: 1 });
      expect(await lastOrderBlock(capId, 1)).to.equal(second.receipt.blockNumber);
      const [log] = await fx.merchstand.queryFilter(
        fx.merchstand.filters.OrderPlaced(second.orderId),
        second.receipt.blockNumber,
      );
      expect(previousOf(log?.args.lines[0] as bigint)).to.equal(first.receipt.blockNumber);
    });

    it("reaches every order of a variant, several in one block and across stores, one query per block", async () => {
      const { merchstand, seller, buyer, buyer2, other, shirtId, ethStoreId } = fx;
      const otherStore = await openStore(fx, other);
      const posterId = await listProduct(fx, other, otherStore, productInput({ name: "Poster" }), [
        variant("A2", 10n ** 15n, 100),
      ]);
      const shirt = await priceOf(fx, shirtId, 0);
      const poster = await priceOf(fx, posterId, 0);
      const buy = (who: typeof buyer, productId: bigint, v: number, price: bigint) => () =>
        merchstand
          .connect(who)
          .buy_oT9la(
            (productId | (BigInt(v) << 64n) | (1n << 72n) | (price << 104n) | (1n << 200n)) as bigint,
            SHIPPING,
            { value: price, ...GAS },
          );
      const cart = (lines: { productId: bigint; variant: number }[]) => () =>
        merchstand.connect(buyer2).checkout(
          [
            {
              storeId: ethStoreId,
              termsVersion: 1,
              lines: lines.map((l) => ({ ...l, quantity: 1, maxUnitPrice: shirt })),
              shipping: SHIPPING,
              zone: 0,
              maxShipping: 0n,
              code: NO_CODE,
            },
          ],
          { value: shirt * BigInt(lines.length), ...GAS },
        );

      // Block 1: one order of the shirt's size 0 and one of another store. Block 2: three orders of size 0 (one a
      // cart that takes it on two lines) and one of size 1. Then empty blocks, another store's orders, and one more.
      await inOneBlock(fx, [buy(buyer, shirtId, 0, shirt), buy(buyer2, posterId, 0, poster)]);
      await inOneBlock(fx, [
        buy(buyer, shirtId, 0, shirt),
        buy(buyer, shirtId, 1, shirt),
        cart([
          { productId: shirtId, variant: 0 },
          { productId: shirtId, variant: 1 },
          { productId: shirtId, variant: 0 },
        ]),
        buy(buyer2, shirtId, 0, shirt),
      ]);
      await fx.networkHelpers.mine(500);
      await inOneBlock(fx, [buy(buyer2, posterId, 0, poster), buy(buyer, posterId, 0, poster)]);
      const last = await buyEth(fx, buyer, shirtId, { variant: 0 });
      // A refund returns stock and a restock rewrites the slot: neither moves the pointer.
      await merchstand.connect(seller).refund(last.orderId, last.order, last.order.amount);
      await merchstand.connect(seller).setVariantStock(shirtId, 0, 50);
      expect(await lastOrderBlock(shirtId, 0)).to.equal(last.receipt.blockNumber);

      const all = await merchstand.queryFilter(merchstand.filters.OrderPlaced(undefined, undefined, ethStoreId));
      const expected = all
        .filter((log) =>
          log.args.lines.some((w: bigint) => (w & 0xffffffffffffffffn) === shirtId && ((w >> 64n) & 0xffn) === 0n),
        )
        .map((log) => log.args.orderId);
      expect(expected.length).to.be.at.least(5);
      const { found, queries } = await walkOrders(fx, ethStoreId, shirtId, 0, await lastOrderBlock(shirtId, 0));
      expect([...found].sort()).to.deep.equal([...expected].sort());
      const blocks = new Set(all.filter((log) => expected.includes(log.args.orderId)).map((log) => log.blockNumber));
      expect(queries).to.equal(blocks.size);

      // Size 1 has its own chain through the same blocks.
      const size1 = all
        .filter((log) =>
          log.args.lines.some((w: bigint) => (w & 0xffffffffffffffffn) === shirtId && ((w >> 64n) & 0xffn) === 1n),
        )
        .map((log) => log.args.orderId);
      const walked1 = await walkOrders(fx, ethStoreId, shirtId, 1, await lastOrderBlock(shirtId, 1));
      expect([...walked1.found].sort()).to.deep.equal([...size1].sort());
      // The other store's product walks its own store's logs.
      const posters = await merchstand.queryFilter(merchstand.filters.OrderPlaced(undefined, undefined, otherStore));
      const walkedPosters = await walkOrders(fx, otherStore, posterId, 0, await lastOrderBlock(posterId, 0));
      expect([...walkedPosters.found].sort()).to.deep.equal(posters.map((log) => log.args.orderId).sort());
    });
  });

  describe("lastReviewBlock and ReviewPosted", () => {
    it("reaches every review of a product, two in one block, past reviews of other products", async () => {
      const { merchstand, buyer, buyer2, shirtId, ebookId } = fx;
      const completed = async (who: typeof buyer, productId: bigint) => {
        const { orderId, order } = await buyEth(fx, who, productId, {});
        const sent = await ship(fx, orderId, order);
        await (await merchstand.connect(who).complete(orderId, sent)).wait();
        return { orderId, order: sent };
      };
      expect((await merchstand.getProduct(shirtId)).lastReviewBlock).to.equal(0n);
      const a = await completed(buyer, shirtId);
      const b = await completed(buyer2, shirtId);
      const c = await completed(buyer, shirtId);
      const d = await completed(buyer2, shirtId);
      const first = await (await merchstand.connect(buyer).review(a.orderId, a.order, shirtId, 5, "one")).wait();
      await fx.networkHelpers.mine(100);
      const block = await inOneBlock(fx, [
        () => merchstand.connect(buyer2).review(b.orderId, b.order, shirtId, 4, "two", GAS),
        () => merchstand.connect(buyer).review(c.orderId, c.order, shirtId, 3, "three", GAS),
      ]);
      const second = await merchstand.queryFilter(merchstand.filters.ReviewPosted(shirtId), block, block);
      expect(second.map((log) => Number(log.args.previousReviewBlock))).to.deep.equal([first?.blockNumber, block]);
      await fx.networkHelpers.mine(10);
      const digital = await merchstand.getProduct(ebookId);
      expect(digital.lastReviewBlock).to.equal(0n);
      const last = await (await merchstand.connect(buyer2).review(d.orderId, d.order, shirtId, 2, "four")).wait();
      expect(Number((await merchstand.getProduct(shirtId)).lastReviewBlock)).to.equal(last?.blockNumber);

      const found = await walkReviews(fx, shirtId, Number((await merchstand.getProduct(shirtId)).lastReviewBlock));
      expect([...found].sort()).to.deep.equal([a.orderId, b.orderId, c.orderId, d.orderId].sort());
    });

    it("names the three blocks before the previous one, a reply among them, and 0 past a gap of 2^24 blocks", async () => {
      const { merchstand, buyer, buyer2, seller, shirtId } = fx;
      const orders: { who: typeof buyer; orderId: bigint; order: Awaited<ReturnType<typeof ship>> }[] = [];
      for (let i = 0; i < 8; i++) {
        const who = i % 2 === 0 ? buyer : buyer2;
        const { orderId, order } = await buyEth(fx, who, shirtId, {});
        const sent = await ship(fx, orderId, order);
        await (await merchstand.connect(who).complete(orderId, sent)).wait();
        orders.push({ who, orderId, order: sent });
      }
      const posted = async (i: number) => {
        const o = orders[i]!;
        const receipt = await (await merchstand.connect(o.who).review(o.orderId, o.order, shirtId, 5, `r${i}`)).wait();
        const [log] = await merchstand.queryFilter(merchstand.filters.ReviewPosted(shirtId, o.orderId));
        // The pointer is the block number itself off Arbitrum (MerchstandStorage._blockNumber).
        expect(Number((await merchstand.getProduct(shirtId)).lastReviewBlock)).to.equal(receipt?.blockNumber);
        return {
          block: receipt?.blockNumber as number,
          previous: Number(log?.args.previousReviewBlock),
          earlier: [...(log?.args.earlierReviewBlocks ?? [])].map(Number),
        };
      };
      const b0 = await posted(0);
      expect([b0.previous, b0.earlier]).to.deep.equal([0, [0, 0, 0]]);
      await fx.networkHelpers.mine(5);
      const b1 = await posted(1);
      expect([b1.previous, b1.earlier]).to.deep.equal([b0.block, [0, 0, 0]]);
      await fx.networkHelpers.mine(7);
      // The store's reply is a step of the history too.
      const reply = await (
        await merchstand.connect(seller).replyToReview(orders[0]!.orderId, orders[0]!.order, shirtId, "thanks")
      ).wait();
      const [replied] = await merchstand.queryFilter(merchstand.filters.ReviewReplied(shirtId));
      expect(Number(replied?.args.previousReviewBlock)).to.equal(b1.block);
      expect([...(replied?.args.earlierReviewBlocks ?? [])].map(Number)).to.deep.equal([b0.block, 0, 0]);
      const b3 = await posted(2);
      expect([b3.previous, b3.earlier]).to.deep.equal([reply?.blockNumber, [b1.block, b0.block, 0]]);
      const b4 = await posted(3);
      expect([b4.previous, b4.earlier]).to.deep.equal([b3.block, [reply?.blockNumber, b1.block, b0.block]]);
      const b5 = await posted(4);
      // Three gaps kept: the oldest falls off.
      expect([b5.previous, b5.earlier]).to.deep.equal([b4.block, [b3.block, reply?.blockNumber, b1.block]]);
      // A gap of 2^24 blocks or more is kept as unknown: the exact previous block still leads there.
      await fx.networkHelpers.mine(2 ** 24);
      const b6 = await posted(5);
      expect([b6.previous, b6.earlier]).to.deep.equal([b5.block, [b4.block, b3.block, reply?.blockNumber]]);
      const b7 = await posted(6);
      expect([b7.previous, b7.earlier]).to.deep.equal([b6.block, [0, 0, 0]]);
      await fx.networkHelpers.mine(3);
      const b8 = await posted(7);
      expect([b8.previous, b8.earlier]).to.deep.equal([b7.block, [b6.block, 0, 0]]);
      const product = await merchstand.getProduct(shirtId);
      expect([product.ratingCount, product.ratingSum]).to.deep.equal([8n, 40n]);
    });

    it("keeps the distinct blocks when several reviews share one", async () => {
      const { merchstand, buyer, buyer2, shirtId } = fx;
      const orders: { who: typeof buyer; orderId: bigint; order: Awaited<ReturnType<typeof ship>> }[] = [];
      for (const who of [buyer, buyer2, buyer]) {
        const { orderId, order } = await buyEth(fx, who, shirtId, {});
        const sent = await ship(fx, orderId, order);
        await (await merchstand.connect(who).complete(orderId, sent)).wait();
        orders.push({ who, orderId, order: sent });
      }
      const first = await (
        await merchstand.connect(buyer).review(orders[0]!.orderId, orders[0]!.order, shirtId, 5, "a")
      ).wait();
      await fx.networkHelpers.mine(4);
      const block = await inOneBlock(
        fx,
        orders.slice(1).map((o) => () => merchstand.connect(o.who).review(o.orderId, o.order, shirtId, 4, "b", GAS)),
      );
      const logs = await merchstand.queryFilter(merchstand.filters.ReviewPosted(shirtId), block, block);
      expect(
        logs.map((l) => [Number(l.args.previousReviewBlock), [...l.args.earlierReviewBlocks].map(Number)]),
      ).to.deep.equal([
        [first?.blockNumber, [0, 0, 0]],
        // The second of the block points at the block, and names the blocks before it.
        [block, [first?.blockNumber, 0, 0]],
      ]);
    });
  });
});
