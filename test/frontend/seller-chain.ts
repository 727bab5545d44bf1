// The seller client against a deployed Merchstand (in-process chain, JSON-RPC through the dapp's own transport): the
// orders a store sees and their money, the Order structs rebuilt from logs that the contract accepts back, the
// arbiter's disputes found through storeTerms, staff and managers, the deployed bounds, and the verifier's queue.
import { expect } from "chai";
import { loadAllStores } from "../../frontend/src/client/catalog.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import { encodeCall } from "../../frontend/src/client/contract.ts";
import {
  loadArbiterDisputes,
  loadManagers,
  loadOfficialHistory,
  loadStaffStores,
  verificationQueue,
} from "../../frontend/src/client/history.ts";
import { escrowed, escrowedIn, splitRuling } from "../../frontend/src/client/order-state.ts";
import { loadStoreOrders } from "../../frontend/src/client/orders.ts";
import { orderArg, packLine, refundUnit, ZERO_ADDRESS } from "../../frontend/src/client/protocol.ts";
import {
  isVerifier,
  loadBounds,
  markShippedTx,
  refundPlan,
  refundTx,
  resolveDisputeTx,
} from "../../frontend/src/client/seller-actions.ts";
import { sealShipping } from "../../frontend/src/client/shipping-crypto.ts";
import { openOrderAddress } from "../../frontend/src/client/shipping-keys.ts";
import type { TxRequest } from "../../frontend/src/client/transactions.ts";
import {
  ADDRESS,
  deployCatalog,
  ethers,
  networkHelpers,
  providerFetch,
  SHIRT_PRICE,
  STORE_KEY,
} from "./support/fixture.ts";

const ETH = { address: ZERO_ADDRESS, symbol: "ETH", decimals: 18, permit: false };

// Order ids are productId << 40 | variant << 32 | the variant's sold counter before the order (IMerchstand's NatSpec):
// product 1, variant 0, first sold 0 units before, then 1.
const FIRST = 1n << 40n;
const SECOND = FIRST + 1n;

describe("seller client against a deployed Merchstand", () => {
  async function setup() {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const sealed = ethers.hexlify(sealShipping(ADDRESS, STORE_KEY.publicKey));
    const asBuyer = f.merchstand.connect(f.buyer);
    // Two orders with the store: FIRST will be shipped then disputed, SECOND stays to ship.
    await asBuyer.buy_oT9la(
      packLine({ productId: 1n, variant: 0, quantity: 1, maxUnitPrice: SHIRT_PRICE }, 1),
      sealed,
      {
        value: SHIRT_PRICE,
      },
    );
    await asBuyer.buy_oT9la(
      packLine({ productId: 1n, variant: 0, quantity: 2, maxUnitPrice: SHIRT_PRICE }, 1),
      sealed,
      {
        value: SHIRT_PRICE * 2n,
      },
    );
    /** Sends a TxRequest the dashboard built, from `signer`, exactly as sendContractTx encodes it. */
    const send = async (signer: typeof f.seller, request: TxRequest) => {
      return (await signer.sendTransaction(encodeCall(request, f.address))).wait();
    };
    return { ...f, chain, send };
  }

  it("rebuilds a store's orders from logs, newest first, with the address the seller's key opens", async () => {
    const { chain, deploymentBlock } = await setup();
    const orders = await loadStoreOrders(chain, 1n, deploymentBlock);
    expect(orders.map((o) => [o.id, o.status, o.order.amount])).to.deep.equal([
      [SECOND, "Paid", SHIRT_PRICE * 2n],
      [FIRST, "Paid", SHIRT_PRICE],
    ]);
    expect(openOrderAddress(orders[0]!, STORE_KEY.secretKey)).to.deep.equal({ ok: true, address: ADDRESS });
    expect(escrowed(orders).get(ZERO_ADDRESS)).to.deep.equal({ amount: SHIRT_PRICE * 3n, orders: 2 });
    expect(await loadStoreOrders(chain, 2n, deploymentBlock)).to.deep.equal([]);
  });

  it("builds markShipped, refund and resolveDispute calls the contract accepts, and finds the arbiter's disputes", async () => {
    const { chain, deploymentBlock, send, seller, buyer, admin, merchstand } = await setup();
    let [second, first] = await loadStoreOrders(chain, 1n, deploymentBlock);
    await send(seller, markShippedTx(first!, "DHL 123"));
    await send(seller, refundTx(second!, SHIRT_PRICE / 2n, ETH));
    [second, first] = await loadStoreOrders(chain, 1n, deploymentBlock);
    expect(first?.status).to.equal("Shipped");
    expect(first?.tracking).to.equal("DHL 123");
    // A partial refund never changes the Order (its commitment): it is counted beside it, as refundedUnits(orderId).
    expect(second?.order.amount).to.equal(SHIRT_PRICE * 2n);
    expect(second?.refunded).to.equal(SHIRT_PRICE / 2n);
    expect((await chain.read("refundedUnits", [SECOND])) * refundUnit(SHIRT_PRICE * 2n)).to.equal(SHIRT_PRICE / 2n);
    expect(escrowedIn(second!)).to.equal(SHIRT_PRICE * 2n - SHIRT_PRICE / 2n);
    expect(escrowed([second!, first!]).get(ZERO_ADDRESS)).to.deep.equal({
      amount: SHIRT_PRICE * 3n - SHIRT_PRICE / 2n,
      orders: 2,
    });
    // The rebuilt Order still acts: a second partial refund with it is accepted.
    // 1 wei asked is one refund unit paid: the form sends the rounded amount, as the contract pays it.
    const plan = refundPlan(second!, 1n, ETH);
    const unit = refundUnit(SHIRT_PRICE * 2n);
    expect(plan).to.deep.equal({ ok: true, amount: unit, full: false });
    await send(seller, refundTx(second!, unit, ETH));
    expect((await loadStoreOrders(chain, 1n, deploymentBlock))[0]?.refunded).to.equal(SHIRT_PRICE / 2n + unit);

    // The buyer disputes with the Order as rebuilt from logs (shippedAt set by OrderShipped).
    await merchstand.connect(buyer).dispute(FIRST, orderArg(first!.order) as never, "Never arrived");
    // The store's arbiter is `admin`; nobody else sees the dispute.
    expect(await loadArbiterDisputes(chain, buyer.address, deploymentBlock)).to.deep.equal([]);
    const [dispute] = await loadArbiterDisputes(chain, admin.address, deploymentBlock);
    expect(dispute?.record.id).to.equal(FIRST);
    expect(dispute?.reason).to.equal("Never arrived");
    expect(dispute?.terms.arbiter).to.equal(admin.address);

    const { toBuyer } = splitRuling(dispute!.record.order.amount, 50);
    const balanceBefore = (await chain.getStore(1n))!.balance;
    const buyerBefore = await merchstand.runner!.provider!.getBalance(buyer.address);
    await send(admin, resolveDisputeTx(dispute!.record, toBuyer, ETH));
    // The refunds and the buyer's share were paid straight to the buyer's address: nothing waits as a credit.
    expect((await merchstand.runner!.provider!.getBalance(buyer.address)) - buyerBefore).to.equal(toBuyer);
    expect(await chain.credits(buyer.address, ZERO_ADDRESS)).to.equal(0n);
    const toStore = SHIRT_PRICE - toBuyer;
    const fee = (toStore * BigInt(dispute!.record.order.feeBps)) / 10_000n;
    expect((await chain.getStore(1n))!.balance - balanceBefore).to.equal(toStore - fee);
    const [settled] = await loadArbiterDisputes(chain, admin.address, deploymentBlock);
    expect(settled?.record.status).to.equal("Resolved");
  });

  it("lists the stores an account runs, as owner or manager, and the managers of a store", async () => {
    const { chain, deploymentBlock, merchstand, seller, buyer, impostor } = await setup();
    await merchstand.connect(seller).setStoreManager(1n, buyer.address, true);
    await merchstand.connect(seller).setStoreManager(2n, impostor.address, true);
    await merchstand.connect(seller).setStoreManager(2n, impostor.address, false);
    const stores = await loadAllStores(chain);
    const own = await loadStaffStores(chain, stores, seller.address, deploymentBlock);
    expect(own.map((s) => [s.store.id, s.role])).to.deep.equal([
      [1n, "owner"],
      [2n, "owner"],
    ]);
    const managed = await loadStaffStores(chain, stores, buyer.address, deploymentBlock);
    expect(managed.map((s) => [s.store.id, s.role])).to.deep.equal([[1n, "manager"]]);
    // Added then removed as manager of store 2: only the store it owns is left.
    const impostors = await loadStaffStores(chain, stores, impostor.address, deploymentBlock);
    expect(impostors.map((s) => [s.store.id, s.role])).to.deep.equal([[3n, "owner"]]);
    expect(await loadManagers(chain, 1n, deploymentBlock)).to.deep.equal([buyer.address]);
    expect(await loadManagers(chain, 2n, deploymentBlock)).to.deep.equal([]);
    // A new owner drops the old owner's managers, with no StoreManagerSet log: isStoreStaff has the last word.
    // Ownership moves in two steps: a proposal changes nothing until the proposed owner accepts.
    await merchstand.connect(seller).transferStoreOwnership(1n, impostor.address);
    expect(await loadManagers(chain, 1n, deploymentBlock)).to.deep.equal([buyer.address]);
    await merchstand.connect(impostor).acceptStoreOwnership(1n);
    expect(await loadManagers(chain, 1n, deploymentBlock)).to.deep.equal([]);
  });

  it("reads the deployed window bounds and the verifier role", async () => {
    const { chain, admin, buyer } = await setup();
    expect(await loadBounds(chain)).to.deep.equal({
      minShipWindow: 86_400,
      maxShipWindow: 60 * 86_400,
      minDeliveryWindow: 3 * 86_400,
      maxDeliveryWindow: 90 * 86_400,
      arbiterWindow: 30 * 86_400,
    });
    expect(await isVerifier(chain, admin.address)).to.equal(true);
    expect(await isVerifier(chain, buyer.address)).to.equal(false);
  });

  it("queues verification requests from events until a verifier decides", async () => {
    const { chain, deploymentBlock, merchstand, seller, admin } = await setup();
    await merchstand.connect(seller).requestVerification(2n, "https://theband.example/mugs");
    let queue = verificationQueue(await loadOfficialHistory(chain, deploymentBlock));
    expect(queue.map((q) => [q.storeId, q.pending, q.evidence])).to.deep.equal([
      [2n, true, "https://theband.example/mugs"],
    ]);
    await merchstand.connect(admin).attestOfficial(2n, "https://theband.example/mugs");
    queue = verificationQueue(await loadOfficialHistory(chain, deploymentBlock));
    expect(queue[0]?.pending).to.equal(false);
    const history = await loadOfficialHistory(chain, deploymentBlock, 2n);
    expect(history.map((e) => e.kind)).to.deep.equal(["requested", "attested"]);
  });
});
