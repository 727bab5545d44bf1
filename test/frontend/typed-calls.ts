// Contract calls typed from the generated ABI (frontend/src/client/contract.ts): reads answer plain values of the
// types abitype derives (a boolean, a bigint, an object by output name), writes are `{ fn, args }` checked against
// the ABI. The `@ts-expect-error` lines are the compile-time half: `tsc` fails if any of them ever compiles.
import { expect } from "chai";
import { Chain } from "../../frontend/src/client/chain.ts";
import { decodeEvent, encodeCall, merchstand } from "../../frontend/src/client/contract.ts";
import type { TxRequest } from "../../frontend/src/client/transactions.ts";
import { deployCatalog, networkHelpers, providerFetch } from "./support/fixture.ts";

/** Never called: it only has to type-check (and its errors to be the expected ones). */
function compileTimeChecks(chain: Chain): void {
  // @ts-expect-error: no such function
  void chain.read("isStoreStaf", [1n, "0x"]);
  // @ts-expect-error: storeId is a uint64 (bigint), not a string
  void chain.read("isStoreStaff", ["1", "0x"]);
  // @ts-expect-error: an argument is missing
  void chain.read("isStoreStaff", [1n]);
  // @ts-expect-error: a write is not a read
  void chain.read("openStore", [{}]);
  // @ts-expect-error: getStores answers an object by name, not a tuple
  void chain.read("getStores", [0n, 1n]).then((r) => r[0]);
  // @ts-expect-error: a read is not a write
  const read: TxRequest = { fn: "getStore", args: [1n], what: "" };
  // @ts-expect-error: withdraw takes (currency, account)
  const wrong: TxRequest = { fn: "withdraw", args: [1n], what: "" };
  void [read, wrong];
}

describe("typed contract calls", () => {
  it("has its compile-time checks in a function tsc checks and nothing calls", () => {
    // The checks are the `@ts-expect-error` lines above: `npm run typecheck` fails when one of them compiles.
    expect(compileTimeChecks).to.be.a("function");
  });

  async function setup() {
    const f = await networkHelpers.loadFixture(deployCatalog);
    return { ...f, chain: Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch()) };
  }

  it("answers plain typed values: a boolean, a number, a bigint, a bytes32, an object by output name", async () => {
    const { chain, seller, buyer, merchstand: contract } = await setup();
    const staff: boolean = await chain.read("isStoreStaff", [1n, seller.address]);
    expect(staff).to.equal(true);
    expect(await chain.read("isStoreStaff", [1n, buyer.address])).to.equal(false);
    const fee: number = await chain.read("feeBps");
    expect(fee).to.equal(Number(await contract.feeBps()));
    const role: string = await chain.read("VERIFIER_ROLE");
    expect(role).to.equal(await contract.VERIFIER_ROLE());
    const shipWindow: number = await chain.read("MIN_SHIP_WINDOW");
    expect(shipWindow).to.equal(Number(await contract.MIN_SHIP_WINDOW()));
    const { total } = await chain.read("getStores", [0n, 0n]);
    expect(total).to.equal(await contract.getStores(0n, 0n).then((r) => r[1]));
    const store = await chain.read("getStore", [1n]);
    expect([store.id, store.name, store.terms.shipWindow]).to.deep.equal([1n, "The Band", store.terms.shipWindow]);
    expect(typeof store.terms.shipWindow).to.equal("number");
  });

  it("encodes writes from { fn, args } and decodes the protocol's logs narrowed by name", async () => {
    const { address, seller } = await setup();
    const call = encodeCall({ fn: "setStoreManager", args: [1n, seller.address, true] }, address);
    expect(call.to).to.equal(address);
    expect(merchstand.parseTransaction({ data: call.data })?.name).to.equal("setStoreManager");
    const token = encodeCall({ token: seller.address, fn: "approve", args: [address, 5n] }, address);
    expect(token.to).to.equal(seller.address);
    const log = merchstand.encodeEventLog("StoreManagerSet", [1n, seller.address, true]);
    const event = decodeEvent(log);
    expect(event?.name).to.equal("StoreManagerSet");
    if (event?.name === "StoreManagerSet")
      expect(event.args).to.deep.equal({ storeId: 1n, manager: seller.address, enabled: true });
  });
});
