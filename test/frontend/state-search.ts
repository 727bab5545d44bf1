// An order's later events found from the chain's state (client/state-search.ts) instead of a scan: an order shipped,
// partly refunded and completed far apart is rebuilt through a provider that serves `eth_getLogs`
// one block at a time, in a handful of requests; a provider that cannot answer calls at past blocks gets the scan.
import { expect } from "chai";
import { Chain } from "../../frontend/src/client/chain.ts";
import { loadOrder } from "../../frontend/src/client/orders.ts";
import { orderArg, orderFromPlaced, packLine } from "../../frontend/src/client/protocol.ts";
import type { FetchLike } from "../../frontend/src/client/rpc.ts";
import { findChangeBlocks, type SearchStats } from "../../frontend/src/client/state-search.ts";
import { connection, deployCatalog, networkHelpers, providerFetch, SHIRT_PRICE } from "./support/fixture.ts";

const GAP = 1_000;

type Call = { id: number; method: string; params: unknown[] };

/** A provider whose `eth_getLogs` serves at most `cap` blocks (as hosted free tiers do), or refuses calls at past blocks. */
function limited(inner: FetchLike, options: { cap?: number; archive?: boolean }): FetchLike {
  return async (url, init) => {
    const payload = JSON.parse(init.body) as Call | Call[];
    const calls = Array.isArray(payload) ? payload : [payload];
    const refusal = (c: Call) => {
      if (c.method === "eth_getLogs" && options.cap !== undefined) {
        const f = c.params[0] as { fromBlock?: string; toBlock?: string };
        const span = Number(BigInt(f.toBlock ?? "0x0")) - Number(BigInt(f.fromBlock ?? "0x0")) + 1;
        if (span > options.cap) return { code: -32600, message: `query exceeds max block range ${options.cap}` };
      }
      if (c.method === "eth_call" && options.archive === false && c.params[1] !== "latest") {
        return { code: -32000, message: "missing trie node" };
      }
      return null;
    };
    if (!calls.some(refusal)) return inner(url, init);
    const answered = await Promise.all(
      calls.map(async (c) => {
        const error = refusal(c);
        if (error) return { jsonrpc: "2.0", id: c.id, error };
        const r = await inner(url, { ...init, body: JSON.stringify(c) });
        return r.json();
      }),
    );
    return { ok: true, status: 200, json: async () => (Array.isArray(payload) ? answered : answered[0]) };
  };
}

describe("order changes found from the chain's state (client/state-search.ts)", function () {
  this.timeout(120_000);

  /** One order, placed, then shipped, partly refunded and completed with GAP empty blocks between each. */
  async function aged() {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const store = await chain.getStore(1n);
    if (!store) throw new Error("no store");
    const line = packLine({ productId: 1n, variant: 0, quantity: 1, maxUnitPrice: SHIRT_PRICE }, store.termsVersion);
    const tx = await f.merchstand.connect(f.buyer).buy_oT9la(line, `0x01${"ab".repeat(100)}`, { value: SHIRT_PRICE });
    const receipt = await tx.wait();
    if (!receipt) throw new Error("no receipt");
    const placedLog = receipt.logs.find((l) => l.address.toLowerCase() === f.address.toLowerCase());
    const parsed = f.merchstand.interface.parseLog(placedLog as never);
    if (!parsed) throw new Error("no OrderPlaced");
    const id = BigInt(parsed.args.orderId);
    let order = orderFromPlaced(parsed.args as never, store.currency);
    // Real blocks, one evm_mine each: Hardhat's `hardhat_mine` reserves blocks whose past state its node does not
    // answer for (an `eth_call` there returns 0x), which no real chain does.
    const gap = async () => {
      for (let i = 0; i < GAP; i++) await connection.provider.request({ method: "evm_mine", params: [] });
    };
    await gap();
    const shipped = await (
      await f.merchstand.connect(f.seller).markShipped(id, orderArg(order) as never, "DHL 1")
    ).wait();
    const shippedAt = BigInt((await shipped?.getBlock())?.timestamp ?? 0);
    order = { ...order, shippedAt };
    await gap();
    await (await f.merchstand.connect(f.seller).refund(id, orderArg(order) as never, SHIRT_PRICE / 4n)).wait();
    await gap();
    const completed = await (await f.merchstand.connect(f.buyer).complete(id, orderArg(order) as never)).wait();
    await gap();
    return {
      ...f,
      id,
      placed: receipt.blockNumber,
      changes: [receipt.blockNumber, shipped?.blockNumber, completed?.blockNumber],
      shippedAt,
    };
  }

  it("finds every block where the order changed, in a few rounds", async () => {
    const f = await aged();
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const head = await chain.blockNumber();
    const stats: SearchStats = { rounds: 0, calls: 0 };
    const found = await findChangeBlocks(chain, [{ id: f.id, placed: f.placed }], head, stats);
    const blocks = found.get(f.id) ?? [];
    // Shipped, partly refunded, completed: three blocks, the refund between shipping and completion (the placing
    // block is not listed: nothing changed in it).
    expect(blocks).to.have.length(3);
    expect(blocks[0]).to.equal(f.changes[1]);
    expect(blocks[2]).to.equal(f.changes[2]);
    expect(blocks[1])
      .to.be.greaterThan(blocks[0] as number)
      .and.lessThan(blocks[2] as number);
    // 4 × 1,000 blocks: log16 is 3, so every change is found in about 3 rounds, all at once.
    expect(stats.rounds).to.be.at.most(4);
  });

  it("rebuilds the order through a provider serving one block per eth_getLogs, in a few requests", async () => {
    const f = await aged();
    const fetch = providerFetch();
    const chain = Chain.fromManifest(
      { rpcUrl: "http://in-process", merchstand: f.address },
      limited(fetch, { cap: 1 }),
    );
    const record = await loadOrder(chain, f.id, f.deploymentBlock, { block: f.placed });
    expect(record?.status).to.equal("Completed");
    expect(record?.order.shippedAt).to.equal(f.shippedAt);
    expect(record?.refunded).to.equal(SHIRT_PRICE / 4n);
    expect(record?.timeline.map((e) => e.kind)).to.deep.equal(["placed", "shipped", "partially-refunded", "completed"]);
    // A scan at one block per request would need 4,000 requests.
    expect(fetch.count).to.be.at.most(12);
  });

  it("scans instead on a provider that cannot answer calls at past blocks", async () => {
    const f = await aged();
    const fetch = providerFetch();
    const chain = Chain.fromManifest(
      { rpcUrl: "http://in-process", merchstand: f.address },
      limited(fetch, { archive: false }),
    );
    const record = await loadOrder(chain, f.id, f.deploymentBlock, { block: f.placed });
    expect(record?.status).to.equal("Completed");
    expect(record?.refunded).to.equal(SHIRT_PRICE / 4n);
    expect(fetch.methods.eth_getLogs ?? 0, "the later events came from a scan").to.be.greaterThan(1);
  });
});
