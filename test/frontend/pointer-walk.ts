// History by the contract's pointers (client/pointer-walk.ts), against a deployed Merchstand: the seller's orders
// walked back from each variant's last order block and a product's reviews from its last review block, one batched
// request per round, through a provider that serves one block per eth_getLogs; and the scan where a walk breaks.
import { expect } from "chai";
import { Chain, type RawLog } from "../../frontend/src/client/chain.ts";
import { loadOrder, loadReviews, loadStoreOrders } from "../../frontend/src/client/orders.ts";
import { fullBlock, previousOrderBlock, walkReviews } from "../../frontend/src/client/pointer-walk.ts";
import { packLine } from "../../frontend/src/client/protocol.ts";
import type { FetchLike } from "../../frontend/src/client/rpc.ts";
import { connection, deployCatalog, ethers, networkHelpers, providerFetch, SHIRT_PRICE } from "./support/fixture.ts";

/** A provider that refuses eth_getLogs over more than `cap` blocks, as a node does ("query exceeds max block range"). */
function capped(inner: FetchLike, cap: number): FetchLike {
  return async (url, init) => {
    type Call = { id: number; method: string; params: { fromBlock: string; toBlock: string }[] };
    const payload = JSON.parse(init.body) as Call | Call[];
    const calls = Array.isArray(payload) ? payload : [payload];
    const wide = (c: Call) =>
      c.method === "eth_getLogs" &&
      Number(BigInt(c.params[0]?.toBlock ?? "0x0") - BigInt(c.params[0]?.fromBlock ?? "0x0")) + 1 > cap;
    if (!calls.some(wide)) return inner(url, init);
    // Answered call by call: the wide ones refused, the rest from the node.
    const answers = await Promise.all(
      calls.map(async (c) => {
        if (wide(c))
          return { jsonrpc: "2.0", id: c.id, error: { code: -32602, message: `query exceeds max block range ${cap}` } };
        const response = await inner(url, { ...init, body: JSON.stringify(c) });
        return response.json();
      }),
    );
    const body = Array.isArray(payload) ? answers : answers[0];
    return { ok: true, status: 200, json: async () => body };
  };
}

describe("history by the contract's pointers", () => {
  it("puts back a pointer's high bits from the head, and reads a line word's previous order block", () => {
    expect(fullBlock(0, 5_000_000_000)).to.equal(0);
    expect(fullBlock(100, 1_000)).to.equal(100);
    // Past 2^32 blocks, the low bits name the newest such block at or below the head.
    expect(fullBlock(5, 2 ** 32 + 10)).to.equal(2 ** 32 + 5);
    expect(fullBlock(20, 2 ** 32 + 10)).to.equal(20);
    const word = packLine({ productId: 7n, variant: 2, quantity: 1, maxUnitPrice: 1000n }, 0) | (123_456n << 200n);
    expect(previousOrderBlock(word)).to.equal(123_456);
  });

  it("walks the seller's orders and a product's reviews one block at a time through a one-block cap", async () => {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const { merchstand, buyer, seller, deploymentBlock } = f;
    const open = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const { termsVersion } = (await open.getStore(1n))!;
    await merchstand.connect(seller).listProduct(
      1n,
      { name: "Tour Hoodie", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false },
      ["S", "M"].map((label) => ({ label, price: SHIRT_PRICE, stock: 100 })),
    );
    const productId = BigInt((await open.getProducts(0, 1)).total);
    const asBuyer = merchstand.connect(buyer);
    const shipping = `0x01${"ab".repeat(99)}`;
    const ids: bigint[] = [];
    // Orders of sizes S and M, with blocks mined between them.
    for (const [variant, mine] of [
      [0, 50],
      [1, 70],
      [0, 0],
      [1, 30],
    ] as const) {
      await connection.provider.request({ method: "hardhat_mine", params: [`0x${(mine + 1).toString(16)}`] });
      const tx = await asBuyer.buy_oT9la(
        packLine({ productId, variant, quantity: 1, maxUnitPrice: SHIRT_PRICE }, termsVersion),
        shipping,
        { value: SHIRT_PRICE },
      );
      const receipt = await tx.wait();
      const placed = receipt?.logs.find((l) => l.topics[0] === merchstand.interface.getEvent("OrderPlaced")?.topicHash);
      ids.push(BigInt(placed?.topics[1] ?? "0x0"));
    }

    const fetch = providerFetch();
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, capped(fetch, 1));
    fetch.methods = {};
    const orders = await loadStoreOrders(chain, 1n, deploymentBlock);
    expect(orders.map((o) => o.id).sort()).to.deep.equal([...ids].sort());
    // One eth_getLogs per order block (4), not a scan of every block since the deployment.
    expect(fetch.methods.eth_getLogs).to.equal(4);

    // Reviews: two orders shipped, received and reviewed, 40 blocks apart.
    const reviewed: bigint[] = [];
    for (const id of ids.slice(0, 2)) {
      const placed = await loadOrder(open, id, deploymentBlock);
      await merchstand.connect(seller).markShipped(id, placed!.order as never, "DHL");
      const shipped = await loadOrder(open, id, deploymentBlock);
      await asBuyer.complete(id, shipped!.order as never);
      await connection.provider.request({ method: "hardhat_mine", params: ["0x28"] });
      await asBuyer.review(id, shipped!.order as never, productId, 5, `Review of ${id}`);
      reviewed.push(id);
    }
    fetch.methods = {};
    const shown: number[] = [];
    const reviews = await loadReviews(chain, productId, deploymentBlock, { onReviews: (r) => shown.push(r.length) });
    expect(reviews.map((r) => r.text)).to.deep.equal(reviewed.map((id) => `Review of ${id}`).reverse());
    expect(shown).to.deep.equal([1, 2]);
    // Two blocks walked, one eth_getLogs each, and nothing scanned: replies are steps of the same walk.
    expect(fetch.methods.eth_getLogs).to.equal(2);
  });

  it("reads about four review blocks a round, with the store's replies, and reaches past a gap it cannot name", async () => {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const { merchstand, buyer, seller, deploymentBlock } = f;
    const open = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const { termsVersion } = (await open.getStore(1n))!;
    await merchstand
      .connect(seller)
      .listProduct(1n, { name: "Live LP", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
        { label: "Black", price: SHIRT_PRICE, stock: 100 },
      ]);
    const productId = BigInt((await open.getProducts(0, 1)).total);
    const completed: { id: bigint; order: unknown }[] = [];
    for (let i = 0; i < 10; i++) {
      const tx = await merchstand
        .connect(buyer)
        .buy_oT9la(
          packLine({ productId, variant: 0, quantity: 1, maxUnitPrice: SHIRT_PRICE }, termsVersion),
          `0x01${"ab".repeat(99)}`,
          {
            value: SHIRT_PRICE,
          },
        );
      const receipt = await tx.wait();
      const placed = receipt?.logs.find((l) => l.topics[0] === merchstand.interface.getEvent("OrderPlaced")?.topicHash);
      const id = BigInt(placed?.topics[1] ?? "0x0");
      const order = (await loadOrder(open, id, deploymentBlock))!.order;
      await merchstand.connect(seller).markShipped(id, order as never, "DHL");
      const shipped = (await loadOrder(open, id, deploymentBlock))!.order;
      await merchstand.connect(buyer).complete(id, shipped as never);
      completed.push({ id, order: shipped });
    }
    // Ten reviews in ten blocks, 20 blocks apart, a reply after the second, and a gap of 2^24 blocks (kept as unknown,
    // docs/FORMATS.md) before the sixth.
    for (const [i, o] of completed.entries()) {
      await connection.provider.request({ method: "hardhat_mine", params: [i === 5 ? "0x1000000" : "0x14"] });
      await merchstand.connect(buyer).review(o.id, o.order as never, productId, 4, `Review ${i}`);
      if (i === 1) await merchstand.connect(seller).replyToReview(o.id, o.order as never, productId, "Thank you!");
    }
    const fetch = providerFetch();
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, capped(fetch, 1));
    const product = await open.getProduct(productId);
    const head = await open.blockNumber();
    const { logs, stats } = await walkReviews(
      chain,
      productId,
      Number(product!.lastReviewBlock),
      head,
      deploymentBlock,
    );
    // 11 blocks (10 reviews, 1 reply): the newest names the next four, the oldest of those the four before, and so
    // on: 4 rounds, not 11. The sixth review names the fifth exactly, across the gap.
    expect(stats.blocks).to.equal(11);
    expect(stats.rounds).to.equal(4);
    expect(logs).to.have.length(11);
    fetch.methods = {};
    const reviews = await loadReviews(chain, productId, deploymentBlock);
    expect(reviews.map((r) => r.text)).to.deep.equal(completed.map((_, i) => `Review ${i}`).reverse());
    expect(reviews.find((r) => r.text === "Review 1")?.reply).to.equal("Thank you!");
    expect(fetch.methods.eth_getLogs).to.equal(11);
  });

  it("reads by scan when a pointer leads to a block without the log it promised", async () => {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const { merchstand, buyer, deploymentBlock } = f;
    const open = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const { termsVersion } = (await open.getStore(1n))!;
    const tx = await merchstand
      .connect(buyer)
      .buy_oT9la(
        packLine({ productId: 1n, variant: 0, quantity: 1, maxUnitPrice: SHIRT_PRICE }, termsVersion),
        `0x01${"cd".repeat(99)}`,
        {
          value: SHIRT_PRICE,
        },
      );
    await tx.wait();
    const fetch = providerFetch();
    // A provider that answers every one-block eth_getLogs with nothing (a pruned or lagging node).
    const forgetful: FetchLike = async (url, init) => {
      const payload = JSON.parse(init.body) as {
        id: number;
        method: string;
        params: { fromBlock: string; toBlock: string }[];
      };
      const calls = Array.isArray(payload) ? payload : [payload];
      const oneBlock = (c: (typeof calls)[number]) =>
        c.method === "eth_getLogs" && c.params[0]?.fromBlock === c.params[0]?.toBlock;
      if (!calls.some(oneBlock)) return fetch(url, init);
      const answers = calls.map((c) => ({ jsonrpc: "2.0", id: c.id, result: [] as RawLog[] }));
      return { ok: true, status: 200, json: async () => (Array.isArray(payload) ? answers : answers[0]) };
    };
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, forgetful);
    const orders = await loadStoreOrders(chain, 1n, deploymentBlock);
    expect(orders).to.have.length(1);
    expect(ethers.getAddress(orders[0]!.order.buyer)).to.equal(buyer.address);
  });
});
