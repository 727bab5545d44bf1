// History by the contract's pointers (client/pointer-walk.ts), against a deployed Merchstand: the seller's orders
// walked back from each variant's last order block and a product's reviews from its last review block, one batched
// request per round, through a provider that serves one block per eth_getLogs; and the scan where a walk breaks.
import { expect } from "chai";
import { Chain, type RawLog } from "../../frontend/src/client/chain.ts";
import { loadOrder, loadReviews, loadStoreOrders } from "../../frontend/src/client/orders.ts";
import { fullBlock, previousOrderBlock } from "../../frontend/src/client/pointer-walk.ts";
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
    // Two blocks walked, then the replies read by scan from the oldest review (one block per call at this cap).
    expect(fetch.methods.eth_getLogs).to.be.below(200);
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
