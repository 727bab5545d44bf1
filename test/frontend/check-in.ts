// When a ticket was checked in (frontend/src/client/check-in.ts), as the door page asks on a second scan: the chain's
// isCheckedIn flag first (a ticket not checked in reads no log); then the check-in's block searched with isCheckedIn
// at past blocks and its log read alone; where the chain keeps no past state, the order's TicketCheckedIn log read by
// scan from the order's delivery on (checkInFloor), never from the deployment: on a capped provider over an old chain
// a scan from the deployment is what made a second scan at the door slow. Likewise the door reads a ticket's
// order from the one block its QR names (client/door.ts loadTicketOrder), and a cart order with a ticket is placed
// ticket first (client/checkout.ts buildCartOrders), the only order checkIn accepts.
import { expect } from "chai";
import { groupByStore } from "../../frontend/src/client/cart.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import { checkedInAt, checkInFloor } from "../../frontend/src/client/check-in.ts";
import { buildCartOrders, cartTotal, orderIdsFromReceipt } from "../../frontend/src/client/checkout.ts";
import { topicOf } from "../../frontend/src/client/contract.ts";
import { loadTicketOrder, ticketPlacement } from "../../frontend/src/client/door.ts";
import { loadOrder } from "../../frontend/src/client/orders.ts";
import { cartArg, orderArg, packLine, TICKET_CATEGORY } from "../../frontend/src/client/protocol.ts";
import type { FetchLike } from "../../frontend/src/client/rpc.ts";
import { bindTicketKey, liveTicketText, parseTicket, ticketStep } from "../../frontend/src/client/tickets.ts";
import type { Receipt } from "../../frontend/src/client/transactions.ts";
import { ADDRESS, connection, deployCatalog, networkHelpers, providerFetch, SHIRT_PRICE } from "./support/fixture.ts";
import { walletSigner } from "./support/wallet-sign.ts";

type Call = {
  id: number;
  method: string;
  params: { fromBlock?: string; toBlock?: string; topics?: (string | string[] | null)[] }[];
};
type Range = { from: number; to: number };
const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * A transport that notes the block range of every `eth_getLogs` the client sends, batched or not (`placed`: those
 * that read OrderPlaced).
 */
function noting(inner: FetchLike): FetchLike & { ranges: Range[]; placed: Range[] } {
  const fn = async (url: string, init: Parameters<FetchLike>[1]) => {
    const payload = JSON.parse(init.body) as Call | Call[];
    for (const c of Array.isArray(payload) ? payload : [payload]) {
      if (c.method !== "eth_getLogs") continue;
      const f = c.params[0] ?? {};
      const range = { from: Number(BigInt(f.fromBlock ?? "0x0")), to: Number(BigInt(f.toBlock ?? "0x0")) };
      fn.ranges.push(range);
      if (f.topics?.[0] === topicOf("OrderPlaced")) fn.placed.push(range);
    }
    return inner(url, init);
  };
  fn.ranges = [] as Range[];
  fn.placed = [] as Range[];
  return fn;
}

/**
 * `blocks` empty blocks. `real`: one evm_mine each, so every block has its state; otherwise one hardhat_mine, whose
 * reserved blocks Hardhat's node gives no past state for (an `eth_call` there answers 0x), like a node that is not an
 * archive.
 */
async function mine(blocks: number, real = false): Promise<void> {
  if (!real) {
    await connection.provider.request({ method: "hardhat_mine", params: [`0x${blocks.toString(16)}`] });
    return;
  }
  for (let i = 0; i < blocks; i++) await connection.provider.request({ method: "evm_mine", params: [] });
}

describe("check-in time at the door (client/check-in.ts)", function () {
  this.timeout(120_000);

  /** A ticket order placed 1,000 blocks after the deployment and delivered 500 blocks later. */
  async function delivered(real = false) {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    await f.merchstand
      .connect(f.seller)
      .listProduct(
        1n,
        { name: "Lantern Parade", metadataCid: "", category: TICKET_CATEGORY, maxPerBuyer: 0, digital: false },
        [{ label: "Standing", price: SHIRT_PRICE, stock: 100 }],
      );
    const productId = BigInt((await chain.getProducts(0, 1)).total);
    const store = await chain.getStore(1n);
    if (!store) throw new Error("no store");
    await mine(1_000, real);
    const line = packLine({ productId, variant: 0, quantity: 1, maxUnitPrice: SHIRT_PRICE }, store.termsVersion);
    const receipt = await (
      await f.merchstand.connect(f.buyer).buy_oT9la(line, `0x01${"ab".repeat(100)}`, { value: SHIRT_PRICE })
    ).wait();
    if (!receipt) throw new Error("no receipt");
    const placed = receipt.blockNumber;
    const record = await loadOrder(chain, BigInt(receipt.logs[0]?.topics[1] ?? "0x0"), f.deploymentBlock, {
      block: placed,
    });
    if (!record) throw new Error("no order");
    await mine(500, real);
    const shipped = await (
      await f.merchstand.connect(f.seller).markShipped(record.id, orderArg(record.order) as never, "at the door")
    ).wait();
    const order = (await loadOrder(chain, record.id, f.deploymentBlock, { block: placed }))?.order;
    if (!order) throw new Error("no order");
    return { ...f, id: record.id, order, placed, shippedBlock: shipped?.blockNumber ?? 0 };
  }

  /**
   * Another door device scans the ticket: the order from its OrderPlaced block, then `checkedInAt` from the order's
   * floor, answered with what that call alone sent (eth_getLogs ranges, HTTP requests).
   */
  async function secondScan(f: Awaited<ReturnType<typeof delivered>>) {
    const inner = providerFetch();
    const fetch = noting(inner);
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, fetch);
    const record = await loadOrder(chain, f.id, f.deploymentBlock, { block: f.placed });
    if (!record) throw new Error("no order");
    expect(checkInFloor(record)).to.equal(f.shippedBlock);
    fetch.ranges.length = 0;
    const before = inner.count;
    const at = await checkedInAt(chain, f.id, checkInFloor(record));
    return { at, ranges: fetch.ranges, requests: inner.count - before };
  }

  /** The seller checks the ticket in after `gap` blocks, then `after` more are mined; answers its block and time. */
  async function checkedIn(f: Awaited<ReturnType<typeof delivered>>, gap: number, after: number, real = false) {
    await mine(gap, real);
    const receipt = await (await f.merchstand.connect(f.seller).checkIn(f.id, orderArg(f.order) as never)).wait();
    const at = BigInt((await receipt?.getBlock())?.timestamp ?? 0);
    await mine(after, real);
    return { block: receipt?.blockNumber, at };
  }

  it("finds the check-in's block from the chain's state and reads that one block's log", async () => {
    const f = await delivered(true);
    const checkIn = await checkedIn(f, 1_200, 1_000, true);
    const scan = await secondScan(f);
    expect(scan.at).to.equal(checkIn.at);
    // One eth_getLogs, of the check-in's block alone (a scan from the delivery would read 2,200 blocks).
    expect(scan.ranges).to.deep.equal([{ from: checkIn.block, to: checkIn.block }]);
    // isCheckedIn, the head, 3 rounds of 15 probes over 2,200 blocks (log16), the log.
    expect(scan.requests).to.be.at.most(7);
  });

  it("where the chain has no past state, scans from the order's delivery on, never from the deployment", async () => {
    const f = await delivered();
    const checkIn = await checkedIn(f, 1_200, 50);
    const scan = await secondScan(f);
    expect(scan.at).to.equal(checkIn.at);
    expect(
      scan.ranges.some((r) => r.to > r.from),
      "the search failed and the log was scanned",
    ).to.equal(true);
    for (const range of scan.ranges) {
      expect(range.from, "no eth_getLogs starts before the order's delivery").to.be.at.least(f.shippedBlock);
    }
    expect(f.shippedBlock - f.deploymentBlock).to.be.greaterThan(1_500);
  });

  it("reads no log for a ticket not checked in yet (one isCheckedIn call)", async () => {
    const f = await delivered();
    await mine(1_200);
    const scan = await secondScan(f);
    expect(scan.at).to.equal(null);
    expect(scan.ranges).to.deep.equal([]);
    expect(scan.requests).to.equal(1);
  });

  it("floors the search at the placing block for an order never shipped", () => {
    const event = (kind: "placed" | "disputed" | "resolved", blockNumber: number) => ({
      kind,
      blockNumber,
      txHash: "0x",
      at: null,
      detail: {},
    });
    expect(checkInFloor({ timeline: [event("placed", 40)] })).to.equal(40);
    // Disputed before shipping and ruled with something left to the store: checkIn passes from the ruling on.
    expect(checkInFloor({ timeline: [event("placed", 40), event("disputed", 60), event("resolved", 90)] })).to.equal(
      90,
    );
  });

  describe("the door's read of a scanned ticket's order (client/door.ts loadTicketOrder)", () => {
    /** The live ticket of `f`'s order as its QR reads, naming `block` or none (null), parsed as the door does. */
    async function scanned(f: Awaited<ReturnType<typeof delivered>>, block: number | null) {
      const chainId = Number((await connection.provider.request({ method: "eth_chainId", params: [] })) as string);
      const deployment = { chainId, contract: f.address };
      const binding = await bindTicketKey(walletSigner(f.buyer), chainId, f.address, f.id);
      const text = liveTicketText(binding, deployment, f.id, block, ticketStep(Date.now()));
      return parseTicket(text, deployment);
    }

    /** A fresh door device (no log cache) loads the ticket's order: what it got, and the eth_getLogs ranges it sent. */
    async function door(f: Awaited<ReturnType<typeof delivered>>, block: number | null) {
      const pass = await scanned(f, block);
      const fetch = noting(providerFetch());
      const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, fetch);
      let scans = 0;
      const record = await loadTicketOrder(chain, pass, f.deploymentBlock, () => scans++);
      return { record, ranges: fetch.ranges, placed: fetch.placed, scans };
    }

    it("reads a ticket's order from the one block it names: no eth_getLogs spans more than one block", async () => {
      const f = await delivered(true);
      await mine(200, true);
      const v2 = await door(f, f.placed);
      expect(v2.record?.id).to.equal(f.id);
      expect(v2.record?.status).to.equal("Shipped");
      expect(v2.placed).to.deep.equal([{ from: f.placed, to: f.placed }]);
      expect(v2.scans).to.equal(0);
      for (const range of v2.ranges) expect(range.to, "a one-block read").to.equal(range.from);

      // A ticket without the block (the phone didn't know it) still works, by the scan from the deployment.
      const v1 = await door(f, null);
      expect(v1.record?.id).to.equal(f.id);
      expect(v1.scans).to.equal(1);
      expect(Math.min(...v1.placed.map((r) => r.from)), "from the deployment").to.equal(f.deploymentBlock);
      expect(v1.placed.some((r) => r.to > r.from)).to.equal(true);

      // A wrong block (the hint is not signed) costs only the scan: the order found is still the one the log says.
      const wrong = await door(f, f.placed + 1);
      expect(wrong.record?.id).to.equal(f.id);
      expect(wrong.scans).to.equal(1);
      expect(wrong.placed[0]).to.deep.equal({ from: f.placed + 1, to: f.placed + 1 });
    });
  });

  describe("a cart with a ticket after other goods (client/checkout.ts buildCartOrders)", () => {
    /** The fan's cart lists a shirt, then a ticket, of store 1; answers the order placed and what the door reads. */
    async function cartOrder(ticketsFirst: boolean) {
      const f = await networkHelpers.loadFixture(deployCatalog);
      const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
      await f.merchstand
        .connect(f.seller)
        .listProduct(
          1n,
          { name: "Lantern Parade", metadataCid: "", category: TICKET_CATEGORY, maxPerBuyer: 0, digital: false },
          [{ label: "Standing", price: SHIRT_PRICE, stock: 100 }],
        );
      const ticketId = BigInt((await chain.getProducts(0, 1)).total);
      const store = await chain.getStore(1n);
      if (!store) throw new Error("no store");
      const base = { storeId: "1", variant: 0, quantity: 1, unitPrice: SHIRT_PRICE.toString(), currency: ZERO };
      const groups = groupByStore([
        { ...base, productId: "1", productName: "Tour Shirt", variantLabel: "S", digital: false },
        { ...base, productId: ticketId.toString(), productName: "Lantern Parade", variantLabel: "", digital: false },
      ]);
      const categories = new Map<bigint, number>();
      for (const id of [1n, ticketId]) categories.set(id, (await chain.getProduct(id))?.category ?? -1);
      const categoryOf = (id: bigint) => categories.get(id);
      const cart = buildCartOrders(
        groups,
        ADDRESS,
        new Map([["1", store]]),
        null,
        ticketsFirst ? categoryOf : undefined,
      );
      const tx = await f.merchstand.connect(f.buyer).checkout(cartArg(cart) as never, { value: cartTotal(groups) });
      await tx.wait();
      const receipt = await chain.rpc.request<Receipt>("eth_getTransactionReceipt", [tx.hash]);
      const [id] = orderIdsFromReceipt(receipt, f.address);
      const record = id === undefined ? null : await loadOrder(chain, id, f.deploymentBlock);
      if (!record) throw new Error("no order");
      await (
        await f.merchstand.connect(f.seller).markShipped(record.id, orderArg(record.order) as never, "at the door")
      ).wait();
      return { ...f, record, placement: ticketPlacement(record.order.lines, categoryOf) };
    }

    it("places the ticket first, and the chain checks the order in", async () => {
      const f = await cartOrder(true);
      expect(f.placement).to.equal("first");
      const shipped = await loadOrder(
        Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch()),
        f.record.id,
        f.deploymentBlock,
      );
      await (await f.merchstand.connect(f.seller).checkIn(f.record.id, orderArg(shipped!.order) as never)).wait();
      expect(await f.merchstand.isCheckedIn(f.record.id)).to.equal(true);
    });

    it("in cart order (the ticket second), the chain refuses the check-in, as the door page says", async () => {
      const f = await cartOrder(false);
      expect(f.placement).to.equal("later");
      const shipped = await loadOrder(
        Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch()),
        f.record.id,
        f.deploymentBlock,
      );
      let reverted = "";
      try {
        await f.merchstand.connect(f.seller).checkIn(f.record.id, orderArg(shipped!.order) as never);
      } catch (error) {
        reverted = String((error as Error).message);
      }
      expect(reverted).to.match(/NotATicket/);
    });
  });
});
