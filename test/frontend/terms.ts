// The arbiter-is-the-store rule (client/terms.ts arbiterIsStore): the store's owner, payout wallet or any manager
// is the store's own wallet, and the checkout's terms and the store and product pages' note all read this one rule.
import { expect } from "chai";
import { arbiterIsStore, arbiterIsStoreWallet, termsSentences } from "../../frontend/src/client/terms.ts";

const OWNER = "0x1111111111111111111111111111111111111111";
const PAYOUT = "0x2222222222222222222222222222222222222222";
const MANAGER = "0x3333333333333333333333333333333333333333";
const OUTSIDER = "0x4444444444444444444444444444444444444444";
const ZERO = "0x0000000000000000000000000000000000000000";

const store = (arbiter: string) => ({
  id: 5n,
  owner: OWNER,
  payout: PAYOUT,
  terms: { arbiter, shipWindow: 7 * 86_400, deliveryWindow: 14 * 86_400 },
});

/** A chain whose only staff is MANAGER (and the owner), recording each isStoreStaff read. */
function fakeChain() {
  const reads: unknown[][] = [];
  return {
    reads,
    read: (async (name: string, args: unknown[]) => {
      reads.push([name, ...args]);
      if (name !== "isStoreStaff") throw new Error(`unexpected read ${name}`);
      const account = String(args[1]).toLowerCase();
      return account === MANAGER || account === OWNER;
    }) as never,
  };
}

describe("arbiter is the store (client/terms.ts)", () => {
  it("counts the owner and the payout wallet without a chain read, in any letter case", async () => {
    for (const arbiter of [OWNER, PAYOUT, PAYOUT.toUpperCase().replace("0X", "0x")]) {
      const chain = fakeChain();
      expect(arbiterIsStoreWallet(store(arbiter)), arbiter).to.equal(true);
      expect(await arbiterIsStore(chain, store(arbiter)), arbiter).to.equal(true);
      expect(chain.reads).to.deep.equal([]);
    }
  });

  it("counts a manager, asking the contract's isStoreStaff", async () => {
    const chain = fakeChain();
    expect(arbiterIsStoreWallet(store(MANAGER))).to.equal(false);
    expect(await arbiterIsStore(chain, store(MANAGER))).to.equal(true);
    expect(chain.reads).to.deep.equal([["isStoreStaff", 5n, MANAGER]]);
  });

  it("does not count an outside arbiter or the zero address", async () => {
    const chain = fakeChain();
    expect(await arbiterIsStore(chain, store(OUTSIDER))).to.equal(false);
    expect(await arbiterIsStore(chain, store(ZERO))).to.equal(false);
    expect(chain.reads).to.deep.equal([["isStoreStaff", 5n, OUTSIDER]]);
  });

  it("tells the fan at checkout who decides disputes", () => {
    const options = { digital: false, physical: true, arbiterWindow: 30 * 86_400 };
    const self = termsSentences(store(PAYOUT).terms, { ...options, storeIsArbiter: true });
    expect(self.at(-1)).to.match(/^Disputes are decided by the store itself \(0x2222…2222\)/);
    const independent = termsSentences(store(OUTSIDER).terms, { ...options, storeIsArbiter: false });
    expect(independent.at(-1)).to.match(/^Disputes are decided by the arbiter 0x4444…4444\./);
  });
});
