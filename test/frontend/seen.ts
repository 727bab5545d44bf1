// What changed since the fan's last visit (frontend/src/client/seen.ts): the diff of statuses, and what is kept in
// storage per chain, contract and account, read back defensively.
import { expect } from "chai";
import { diffStatuses, SeenOrders } from "../../frontend/src/client/seen.ts";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

const CONTRACT = "0xE7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const FAN = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OTHER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("seen", () => {
  describe("diffStatuses", () => {
    const seen = new Map([
      ["1", "Paid"],
      ["2", "Shipped"],
    ] as const);
    it("marks a changed status with what it was, and a new order as new", () => {
      const changes = diffStatuses(new Map(seen), [
        { id: 3n, status: "Paid" },
        { id: 2n, status: "Completed" },
        { id: 1n, status: "Paid" },
      ]);
      expect([...changes.values()]).to.deep.equal([
        { id: 3n, from: null, to: "Paid" },
        { id: 2n, from: "Shipped", to: "Completed" },
      ]);
    });
    it("marks nothing on a first visit", () => {
      expect(diffStatuses(null, [{ id: 1n, status: "Paid" }]).size).to.equal(0);
    });
  });

  describe("SeenOrders", () => {
    it("keeps statuses per account and reads them back", () => {
      const storage = memoryStorage();
      const seen = new SeenOrders(storage, 31337, CONTRACT);
      expect(seen.load(FAN)).to.equal(null);
      seen.save(FAN, [
        { id: 12n, status: "Shipped" },
        { id: 11n, status: "Refunded" },
      ]);
      expect(Object.fromEntries(seen.load(FAN.toLowerCase()) ?? [])).to.deep.equal({
        "11": "Refunded",
        "12": "Shipped",
      });
      expect(seen.load(OTHER)).to.equal(null);
      // Another chain or contract has its own entry.
      expect(new SeenOrders(storage, 1, CONTRACT).load(FAN)).to.equal(null);
      expect(new SeenOrders(storage, 31337, OTHER).load(FAN)).to.equal(null);
    });
    it("drops entries that are not an id and a known status, and survives garbage", () => {
      const storage = memoryStorage();
      const seen = new SeenOrders(storage, 31337, CONTRACT);
      const key = `merchstand.seen.31337.${CONTRACT.toLowerCase()}.${FAN.toLowerCase()}`;
      storage.items.set(key, JSON.stringify({ "5": "Shipped", "6": "Exploded", __proto__: "Paid", x: "Paid" }));
      expect([...(seen.load(FAN) ?? [])]).to.deep.equal([["5", "Shipped"]]);
      storage.items.set(key, "{not json");
      expect(seen.load(FAN)).to.equal(null);
      storage.items.set(key, "[1,2]");
      expect(seen.load(FAN)).to.equal(null);
    });
    it("keeps the old entry when storage refuses to write", () => {
      const storage = memoryStorage();
      const seen = new SeenOrders(storage, 31337, CONTRACT);
      seen.save(FAN, [{ id: 1n, status: "Paid" }]);
      const full = {
        getItem: storage.getItem,
        setItem: () => {
          throw new Error("QuotaExceededError");
        },
      };
      new SeenOrders(full, 31337, CONTRACT).save(FAN, [{ id: 1n, status: "Shipped" }]);
      expect(seen.load(FAN)?.get("1")).to.equal("Paid");
    });
  });
});
