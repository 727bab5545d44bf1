import { x25519 } from "@noble/curves/ed25519.js";
import { expect } from "chai";
import { type CartLine, groupByStore, recheckCart } from "../../frontend/src/client/cart.ts";
import { loadAllProducts, loadAllStores, loadCatalogPage, searchCatalog } from "../../frontend/src/client/catalog.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import { buildCartOrders, cartTotal, orderIdsFromReceipt } from "../../frontend/src/client/checkout.ts";
import { explainError } from "../../frontend/src/client/errors.ts";
import { impersonatedStore } from "../../frontend/src/client/names.ts";
import { buyerActions, loadBuyerOrders, loadOrder } from "../../frontend/src/client/orders.ts";
import { cartArg, ZERO_ADDRESS } from "../../frontend/src/client/protocol.ts";
import { openShipping } from "../../frontend/src/client/shipping-crypto.ts";
import type { Receipt } from "../../frontend/src/client/transactions.ts";
import {
  ADDRESS,
  deployCatalog,
  ethers,
  networkHelpers,
  providerFetch,
  SHIRT_PRICE,
  STORE_KEY,
} from "./support/fixture.ts";

function shirtLine(variant: number, quantity: number, unitPrice = SHIRT_PRICE): CartLine {
  return {
    storeId: "1",
    productId: "1",
    variant,
    quantity,
    unitPrice: unitPrice.toString(),
    currency: ZERO_ADDRESS,
    productName: "Tour Shirt",
    variantLabel: ["S", "M", "L"][variant] ?? "?",
    digital: false,
  };
}

describe("client layer against a deployed Merchstand", () => {
  async function setup() {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const fetch = providerFetch();
    return { ...f, fetch, chain: Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, fetch) };
  }

  describe("catalog reads", () => {
    it("loads a catalog page in one request, with variants and stock", async () => {
      const { chain, fetch } = await setup();
      const page = await loadCatalogPage(chain, 0);
      expect(fetch.count).to.equal(1);
      expect(page.total).to.equal(2);
      const shirt = page.products[0];
      expect(shirt?.name).to.equal("Tour Shirt");
      expect(shirt?.variants.map((v) => [v.label, v.stock])).to.deep.equal([
        ["S", 5],
        ["M", 1],
        ["L", 0],
      ]);
    });

    it("reads stores with the official mark and evidence", async () => {
      const { chain } = await setup();
      const stores = await loadAllStores(chain);
      expect(stores.map((s) => [s.name, s.official])).to.deep.equal([
        ["The Band", true],
        ["The Band Mugs", false],
        ["THE BAND — 0fficial", false],
      ]);
      expect(stores[0]?.officialEvidence).to.equal("https://theband.example/merch");
      expect(impersonatedStore(stores[2]!, stores)?.id).to.equal(1n);
      const hits = searchCatalog("the band", stores, []);
      expect(hits[0]?.kind === "store" && hits[0].store.official).to.equal(true);
    });

    it("answers null for a store or product that does not exist", async () => {
      const { chain } = await setup();
      expect(await chain.getStore(99n)).to.equal(null);
      expect(await chain.getProduct(99n)).to.equal(null);
    });

    it("loads 230 products in 3 requests at 100 per page", async function () {
      this.timeout(120_000);
      const { chain, fetch, merchstand, seller } = await setup();
      const asSeller = merchstand.connect(seller);
      for (let i = 0; i < 228; i++) {
        await asSeller.listProduct(
          1n,
          { name: `Badge ${i}`, metadataCid: "", category: 4, maxPerBuyer: 0, digital: false },
          [{ label: "One size", price: 1000n, stock: 10 }],
        );
      }
      fetch.count = 0;
      const all = await loadAllProducts(chain);
      expect(all.length).to.equal(230);
      expect(all.map((p) => p.id)).to.deep.equal(Array.from({ length: 230 }, (_, i) => BigInt(i + 1)));
      expect(fetch.count).to.equal(3);
    });
  });

  describe("checkout and orders", () => {
    it("places an ETH order whose sealed address opens with the store's key, and rebuilds it from logs", async () => {
      const { chain, merchstand, buyer, address, deploymentBlock, seller } = await setup();
      const groups = groupByStore([shirtLine(1, 1)]);
      const store = await chain.getStore(1n);
      const cart = buildCartOrders(groups, ADDRESS, new Map([["1", store!]]), null);
      const total = cartTotal(groups);
      const line = cart[0]!.lines[0]!;
      const soldBefore = (await chain.getProduct(line.productId))!.variants[line.variant]!.sold;
      const tx = await merchstand.connect(buyer).checkout(cartArg(cart) as never, { value: total });
      await tx.wait();
      const raw = await chain.rpc.request<Receipt>("eth_getTransactionReceipt", [tx.hash]);
      expect(raw.status).to.equal("0x1");
      const ids = orderIdsFromReceipt(raw, address);
      // productId << 40 | variant << 32 | the variant's sold counter before the order (IMerchstand's NatSpec).
      const id = (line.productId << 40n) | (BigInt(line.variant) << 32n) | BigInt(soldBefore);
      expect(ids).to.deep.equal([id]);

      const [record] = await loadBuyerOrders(chain, buyer.address, deploymentBlock);
      expect(record?.status).to.equal("Paid");
      expect(record?.order.amount).to.equal(SHIRT_PRICE);
      expect(openShipping(ethers.getBytes(record!.shipping), STORE_KEY.secretKey)).to.deep.equal(ADDRESS);
      expect(await chain.hashOrder(record!.order)).to.match(/^0x/);

      // The rebuilt struct is accepted by the contract: ship with it, then rebuild again and complete with it.
      expect(record?.id).to.equal(id);
      await merchstand.connect(seller).markShipped(id, record!.order as never, "DHL 123");
      const shipped = await loadOrder(chain, id, deploymentBlock);
      expect(shipped?.status).to.equal("Shipped");
      expect(shipped?.tracking).to.equal("DHL 123");
      const actions = buyerActions(shipped!, store!.terms);
      expect(actions.confirm).to.equal(true);
      expect(actions.disputeUntil).to.equal(shipped!.order.shippedAt + 14n * 86400n);
      await merchstand.connect(buyer).complete(id, shipped!.order as never);
      expect((await loadOrder(chain, id, deploymentBlock))?.status).to.equal("Completed");
      expect(await loadOrder(chain, id + 1n, deploymentBlock)).to.equal(null);
    });

    it("sends a store's shipped and digital lines as two orders in one checkout, and a terms change reverts it", async () => {
      const { chain, merchstand, buyer, seller, deploymentBlock } = await setup();
      await merchstand
        .connect(seller)
        .listProduct(1n, { name: "Live EP", metadataCid: "", category: 1, maxPerBuyer: 0, digital: true }, [
          { label: "Download", price: 1000n, stock: 10 },
        ]);
      const ep = (await chain.getProducts(0, 10)).products.find((p) => p.name === "Live EP")!;
      const epLine: CartLine = {
        ...shirtLine(0, 1),
        productId: ep.id.toString(),
        unitPrice: "1000",
        productName: "Live EP",
        variantLabel: "Download",
        digital: true,
      };
      const groups = groupByStore([shirtLine(0, 1), epLine]);
      const store = (await chain.getStore(1n))!;
      const fanKey = x25519.keygen();
      const cart = buildCartOrders(groups, ADDRESS, new Map([["1", store]]), fanKey.publicKey);
      expect(cart).to.have.length(2);
      await (await merchstand.connect(buyer).checkout(cartArg(cart) as never, { value: cartTotal(groups) })).wait();
      const orders = await loadBuyerOrders(chain, buyer.address, deploymentBlock);
      const digital = orders.find((o) => o.order.lines[0]!.productId === ep.id)!;
      const physical = orders.find((o) => o.order.lines[0]!.productId === 1n)!;
      expect(digital.shipping).to.equal(ethers.hexlify(fanKey.publicKey));
      expect(openShipping(ethers.getBytes(physical.shipping), STORE_KEY.secretKey)).to.deep.equal(ADDRESS);
      expect([digital.order.termsVersion, physical.order.termsVersion]).to.deep.equal([
        store.termsVersion,
        store.termsVersion,
      ]);

      // The store changes its terms: the same cart, built from what the fan saw, now reverts TermsChanged.
      await merchstand.connect(seller).setStoreTerms(1n, { ...store.terms, shipWindow: 10 * 86_400 });
      const data = merchstand.interface.encodeFunctionData("checkout", [cartArg(cart) as never]);
      let caught: unknown;
      try {
        await chain.rpc.request("eth_call", [
          { from: buyer.address, to: chain.address, data, value: `0x${cartTotal(groups).toString(16)}` },
          "latest",
        ]);
      } catch (error) {
        caught = error;
      }
      const fan = explainError(caught);
      expect(fan.kind).to.equal("terms-changed");
      expect(fan.message).to.contain(`(version ${store.termsVersion} -> ${store.termsVersion + 1})`);
    });

    it("rechecks a cart against the chain and explains a sold-out revert", async () => {
      const { chain, merchstand, buyer } = await setup();
      const stale = [shirtLine(1, 2), shirtLine(2, 1)];
      const shirt = await chain.getProduct(1n);
      const { lines, problems } = recheckCart(stale, new Map([["1", shirt]]));
      expect(problems.map((p) => p.kind)).to.deep.equal(["reduced", "sold-out"]);
      expect(lines.map((l) => l.quantity)).to.deep.equal([1]);

      // Two units of M (one in stock): the simulated call reverts with InsufficientStock.
      const cart = buildCartOrders(
        groupByStore([shirtLine(1, 2)]),
        ADDRESS,
        new Map([["1", { shippingKey: ethers.hexlify(STORE_KEY.publicKey), termsVersion: 1 }]]),
        null,
      );
      const data = merchstand.interface.encodeFunctionData("checkout", [cartArg(cart) as never]);
      let caught: unknown;
      try {
        await chain.rpc.request("eth_call", [
          { from: buyer.address, to: chain.address, data, value: `0x${(SHIRT_PRICE * 2n).toString(16)}` },
          "latest",
        ]);
      } catch (error) {
        caught = error;
      }
      const fan = explainError(caught, { describeVariant: () => ({ product: "Tour Shirt", label: "M" }) });
      expect(fan.kind).to.equal("sold-out");
      expect(fan.message).to.equal("Only 1 of size M is left. Your cart was updated.");
    });
  });
});
