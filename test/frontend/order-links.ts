// Orders found without reading the chain's history: from the payment's receipt (client/placed.ts
// keepPlacedFromReceipt), from an order link's block (findPlaced, urls.ts routes.order `block`), and with no later
// logs for an order the chain still reports Paid (client/batch-read.ts readOrderStates).
import { expect } from "chai";
import { groupByStore } from "../../frontend/src/client/cart.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import { buildCartOrders, cartTotal, orderIdsFromReceipt } from "../../frontend/src/client/checkout.ts";
import { LogCache, MemoryStore } from "../../frontend/src/client/log-cache.ts";
import { HistoryUnavailableError } from "../../frontend/src/client/log-scan.ts";
import { loadBuyerOrders, loadOrder, type OrderRecord } from "../../frontend/src/client/orders.ts";
import { keepPlacedFromReceipt } from "../../frontend/src/client/placed.ts";
import { cartArg, ZERO_ADDRESS } from "../../frontend/src/client/protocol.ts";
import type { FetchLike } from "../../frontend/src/client/rpc.ts";
import type { Receipt } from "../../frontend/src/client/transactions.ts";
import { parseHash, parseOrderBlock, routes } from "../../frontend/src/urls.ts";
import { ADDRESS, deployCatalog, networkHelpers, providerFetch, SHIRT_PRICE } from "./support/fixture.ts";

/** A provider that refuses every eth_getLogs as a node without the method does, and serves the rest. */
function refusingLogs(inner: FetchLike): FetchLike {
  return async (url, init) => {
    const payload = JSON.parse(init.body) as { id: number; method: string } | { id: number; method: string }[];
    const calls = Array.isArray(payload) ? payload : [payload];
    if (!calls.some((c) => c.method === "eth_getLogs")) return inner(url, init);
    const refuse = (c: { id: number }) => ({
      jsonrpc: "2.0",
      id: c.id,
      error: { code: -32601, message: "the method eth_getLogs does not exist/is not available" },
    });
    const body = Array.isArray(payload) ? payload.map(refuse) : refuse(payload);
    return { ok: true, status: 200, json: async () => body };
  };
}

describe("orders from the receipt and from order links", () => {
  async function paid() {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const fetch = providerFetch();
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, fetch);
    const line = {
      storeId: "1",
      productId: "1",
      variant: 0,
      quantity: 1,
      unitPrice: SHIRT_PRICE.toString(),
      currency: ZERO_ADDRESS,
      productName: "Tour Shirt",
      variantLabel: "S",
      digital: false,
    };
    const groups = groupByStore([line]);
    const store = await chain.getStore(1n);
    const cart = buildCartOrders(groups, ADDRESS, new Map([["1", store!]]), null);
    const tx = await f.merchstand.connect(f.buyer).checkout(cartArg(cart) as never, { value: cartTotal(groups) });
    await tx.wait();
    const receipt = await chain.rpc.request<Receipt>("eth_getTransactionReceipt", [tx.hash]);
    const [id] = orderIdsFromReceipt(receipt, f.address);
    if (id === undefined) throw new Error("no order placed");
    return { ...f, fetch, chain, receipt, id, block: Number(BigInt(receipt.blockNumber)) };
  }

  it("shows the order just paid for from the receipt on a provider that refuses eth_getLogs", async () => {
    const { address, buyer, receipt, id, deploymentBlock } = await paid();
    const fetch = providerFetch();
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: address }, refusingLogs(fetch));
    chain.logCache = new LogCache(new MemoryStore(), { chainId: 31337, address });

    // Without the receipt kept, the order page can't find the order on this provider.
    const refused = await loadOrder(chain, id, deploymentBlock).catch((e) => e);
    expect(refused).to.be.instanceOf(HistoryUnavailableError);

    expect(await keepPlacedFromReceipt(chain, receipt)).to.equal(1);
    fetch.methods = {};
    const record = await loadOrder(chain, id, deploymentBlock);
    expect(record?.id).to.equal(id);
    expect(record?.status).to.equal("Paid");
    expect(record?.order.amount).to.equal(SHIRT_PRICE);
    expect(fetch.methods.eth_getLogs ?? 0).to.equal(0);

    // "Your orders" shows it as soon as it is found, before the scan for older orders ends in the fan sentence.
    const partial: OrderRecord[][] = [];
    const all = await loadBuyerOrders(chain, buyer.address, deploymentBlock, {
      onPartial: (r) => partial.push(r),
    }).catch((e) => e);
    expect(all).to.be.instanceOf(HistoryUnavailableError);
    expect(partial.at(-1)?.map((r) => [r.id, r.status])).to.deep.equal([[id, "Paid"]]);
  });

  it("opens an order link with one eth_getLogs of its block; a wrong block falls back to the scan and says so", async () => {
    const { chain, fetch, id, block, deploymentBlock } = await paid();
    fetch.methods = {};
    let missed = 0;
    const onHintMissed = () => missed++;
    // onScan hears a scan before it reads anything (the order page shows its progress, ui/order-scan.ts).
    const scans: { hintMissed: boolean; logCallsBefore: number }[] = [];
    const onScan = (hintMissed: boolean) => scans.push({ hintMissed, logCallsBefore: fetch.methods.eth_getLogs ?? 0 });
    const record = await loadOrder(chain, id, deploymentBlock, { block, onHintMissed, onScan });
    expect(record?.id).to.equal(id);
    expect(fetch.methods.eth_getLogs).to.equal(1);
    expect(missed).to.equal(0);
    expect(scans).to.deep.equal([]);

    for (const wrong of [block - 1, block + 1_000_000, deploymentBlock - 1]) {
      const before = fetch.methods.eth_getLogs ?? 0;
      const found = await loadOrder(chain, id, deploymentBlock, { block: wrong, onHintMissed, onScan });
      expect(found?.id).to.equal(id);
      // The link's block is read only when it is in range; the scan is heard before its first call.
      expect(scans.at(-1)?.logCallsBefore).to.equal(before + (wrong === block - 1 ? 1 : 0));
    }
    expect(missed).to.equal(3);
    expect(scans.map((s) => s.hintMissed)).to.deep.equal([true, true, true]);
  });

  it("reads no later logs for an order the chain reports Paid, and reads them once it changed", async () => {
    const { chain, fetch, id, block, deploymentBlock, merchstand, seller } = await paid();
    fetch.methods = {};
    const placed = await loadOrder(chain, id, deploymentBlock, { block });
    expect(fetch.methods.eth_getLogs).to.equal(1);
    await merchstand.connect(seller).markShipped(id, placed!.order as never, "DHL 1");
    fetch.methods = {};
    const shipped = await loadOrder(chain, id, deploymentBlock, { block });
    expect(shipped?.status).to.equal("Shipped");
    expect(shipped?.tracking).to.equal("DHL 1");
    expect(fetch.methods.eth_getLogs).to.equal(2);
  });

  it("carries the block in the order URL and reads it back; anything else is malformed", () => {
    const route = routes.order(7n, { placed: [7n, 8n], block: 1234 });
    expect(parseOrderBlock(parseHash(`#${route}`).query)).to.equal(1234);
    expect(parseOrderBlock(parseHash("#/orders/7").query)).to.equal(null);
    for (const bad of ["-1", "0x10", "1e3", "", "99999999999999999999"]) {
      expect(parseOrderBlock(new URLSearchParams({ b: bad }))).to.equal("malformed");
    }
  });
});
