// The seller's Reviews page reads (client/store-reviews.ts), against a deployed Merchstand: every review of a store's
// products, newest first, each with its reply and its block's time, walked through the contract's pointers (every
// eth_getLogs asks one block: no scan from the deployment block), with progress per product; and the reply built for
// replyToReview is one the contract takes.
import { expect } from "chai";
import { Chain } from "../../frontend/src/client/chain.ts";
import { loadOrder } from "../../frontend/src/client/orders.ts";
import { packLine } from "../../frontend/src/client/protocol.ts";
import type { FetchLike } from "../../frontend/src/client/rpc.ts";
import { loadStoreReviews, replyToReviewTx } from "../../frontend/src/client/store-reviews.ts";
import { connection, deployCatalog, networkHelpers, providerFetch, SHIRT_PRICE } from "./support/fixture.ts";

/** `inner`, recording the block range of every eth_getLogs call (in batches too). */
function recordingRanges(inner: FetchLike, ranges: number[]): FetchLike {
  return (url, init) => {
    type Call = { method: string; params: { fromBlock: string; toBlock: string }[] };
    const payload = JSON.parse(init.body) as Call | Call[];
    for (const c of Array.isArray(payload) ? payload : [payload]) {
      const p = c.params[0];
      if (c.method === "eth_getLogs" && p) ranges.push(Number(BigInt(p.toBlock) - BigInt(p.fromBlock)) + 1);
    }
    return inner(url, init);
  };
}

describe("a store's reviews for the seller (loadStoreReviews)", () => {
  it("lists every product's reviews newest first with replies and dates, walking one block at a time", async () => {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const { merchstand, buyer, seller, deploymentBlock } = f;
    const open = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const { termsVersion } = (await open.getStore(1n))!;
    const list = async (name: string, category: number) => {
      const product = { name, metadataCid: "", category, maxPerBuyer: 0, digital: false };
      await merchstand.connect(seller).listProduct(1n, product, [{ label: "M", price: SHIRT_PRICE, stock: 10 }]);
      return BigInt((await open.getProducts(0, 1)).total);
    };
    const hoodie = await list("Tour Hoodie", 0);
    // A third product nobody reviewed: not walked.
    await list("Tour Poster", 2);
    const completed = async (productId: bigint) => {
      const tx = await merchstand
        .connect(buyer)
        .buy_oT9la(
          packLine({ productId, variant: 0, quantity: 1, maxUnitPrice: SHIRT_PRICE }, termsVersion),
          `0x01${"ab".repeat(99)}`,
          { value: SHIRT_PRICE },
        );
      const receipt = await tx.wait();
      const placed = receipt?.logs.find((l) => l.topics[0] === merchstand.interface.getEvent("OrderPlaced")?.topicHash);
      const id = BigInt(placed?.topics[1] ?? "0x0");
      await merchstand
        .connect(seller)
        .markShipped(id, (await loadOrder(open, id, deploymentBlock))!.order as never, "DHL");
      const shipped = (await loadOrder(open, id, deploymentBlock))!;
      await merchstand.connect(buyer).complete(id, shipped.order as never);
      return shipped;
    };
    const mine = (n: number) =>
      connection.provider.request({ method: "hardhat_mine", params: [`0x${n.toString(16)}`] });
    const shirtOrder = await completed(1n);
    const hoodieOrder = await completed(hoodie);
    await mine(30);
    await merchstand.connect(buyer).review(shirtOrder.id, shirtOrder.order as never, 1n, 4, "Shirt review");
    await mine(30);
    await merchstand.connect(buyer).review(hoodieOrder.id, hoodieOrder.order as never, hoodie, 5, "Hoodie review");
    await mine(30);
    // The store's reply, sent exactly as the Reviews page builds it.
    const reply = replyToReviewTx(shirtOrder, 1n, "Thanks for the shirt review!", false);
    expect(reply.fn).to.equal("replyToReview");
    expect(reply.what).to.match(/^Reply to the review of order /);
    const [orderId, order, productId, text] = reply.args as [bigint, never, bigint, string];
    await merchstand.connect(seller).replyToReview(orderId, order, productId, text);

    const ranges: number[] = [];
    const chain = Chain.fromManifest(
      { rpcUrl: "http://in-process", merchstand: f.address },
      recordingRanges(providerFetch(), ranges),
    );
    const products = (await chain.getStoreProducts(1n, 0, 100)).products;
    const progress: [number, number, number][] = [];
    const reviews = await loadStoreReviews(chain, products, deploymentBlock, (p) =>
      progress.push([p.productsRead, p.products, p.found.length]),
    );
    expect(reviews.map((r) => [r.productName, r.text, r.reply])).to.deep.equal([
      ["Tour Hoodie", "Hoodie review", null],
      ["Tour Shirt", "Shirt review", "Thanks for the shirt review!"],
    ]);
    for (const r of reviews) {
      const block = await connection.provider.request({
        method: "eth_getBlockByNumber",
        params: [`0x${r.blockNumber.toString(16)}`, false],
      });
      expect(r.at).to.equal(BigInt((block as { timestamp: string }).timestamp));
    }
    // Two reviewed products of three; the last report has both read.
    expect(progress[0]).to.deep.equal([0, 2, 0]);
    expect(progress.at(-1)).to.deep.equal([2, 2, 2]);
    // Three blocks walked (two reviews, one reply), one block each: nothing scanned.
    expect(ranges).to.deep.equal([1, 1, 1]);
  });
});
