// The dapp's side of the contract's refund unit (IMerchstand `refund`, `refundedUnits`): what a partial refund
// pays, what the seller's form allows, and what the chain's refundedUnits must say of a rebuilt order. The contract
// tests (test/contracts/Orders.ts, test/security/DropRaces.ts) check the contract against the same functions.
import { expect } from "chai";
import { ticketVerdict } from "../../frontend/src/client/door.ts";
import type { OrderRecord } from "../../frontend/src/client/orders.ts";
import { refundedUnitsOf, rulingState } from "../../frontend/src/client/orders.ts";
import { largestPartialRefund, partialRefundPaid, refundUnit } from "../../frontend/src/client/protocol.ts";
import { refundPlan } from "../../frontend/src/client/seller-actions.ts";

const ETH = { symbol: "ETH", decimals: 18, address: "0x0000000000000000000000000000000000000000" } as never;
const E = 10n ** 18n;

function record(amount: bigint, refunded = 0n, ruling?: { toBuyer: bigint; toStore: bigint }): OrderRecord {
  return {
    id: 5n,
    status: ruling ? "Resolved" : "Shipped",
    order: { amount, lines: [] },
    refunded,
    timeline: ruling ? [{ kind: "resolved", at: null, detail: { ...ruling, byArbiter: true } }] : [],
  } as unknown as OrderRecord;
}

describe("refund units", () => {
  it("are the smallest power of ten whose 2^20 multiple covers the amount", () => {
    expect(refundUnit(1n)).to.equal(1n);
    expect(refundUnit(1n << 20n)).to.equal(1n);
    expect(refundUnit((1n << 20n) + 1n)).to.equal(10n);
    // 0.05 ETH: 10^11 wei, so 0.008 ETH is exactly 80,000 units.
    expect(refundUnit(E / 20n)).to.equal(10n ** 11n);
    expect(partialRefundPaid({ amount: E / 20n }, (8n * E) / 1000n)).to.equal((8n * E) / 1000n);
    // 25 USDC (6 decimals): 100 base units, a hundredth of a cent.
    expect(refundUnit(25_000_000n)).to.equal(100n);
  });

  it("round a partial refund up, so the fan never gets less than asked", () => {
    const order = { amount: E / 20n };
    expect(partialRefundPaid(order, 1n)).to.equal(10n ** 11n);
    expect(partialRefundPaid(order, 10n ** 11n + 1n)).to.equal(2n * 10n ** 11n);
    expect(largestPartialRefund(order, 0n)).to.equal(E / 20n - 10n ** 11n);
    expect(largestPartialRefund(order, E / 20n - 10n ** 11n)).to.equal(0n);
  });

  it("let the seller's refund form send a full refund, a rounded partial one, or say why not", () => {
    const r = record(E / 20n, 10n ** 16n);
    expect(refundPlan(r, E / 20n - 10n ** 16n, ETH)).to.deep.equal({
      ok: true,
      amount: E / 20n - 10n ** 16n,
      full: true,
    });
    expect(refundPlan(r, 12_345n, ETH)).to.deep.equal({ ok: true, amount: 10n ** 11n, full: false });
    const close = refundPlan(r, E / 20n - 10n ** 16n - 1n, ETH);
    expect(close.ok).to.equal(false);
    expect(close.ok ? "" : close.message).to.match(/must leave something in escrow: refund at most 0\.0399999 ETH/);
    expect(refundPlan(r, 0n, ETH).ok).to.equal(false);
    expect(refundPlan(r, E, ETH).ok).to.equal(false);
  });

  it("give the chain's refundedUnits for a rebuilt order, rulings included", () => {
    const unit = 10n ** 11n;
    expect(refundedUnitsOf(record(E / 20n, 3n * unit))).to.equal(3n);
    // A ruling that left the store something: the buyer's total, rounded up.
    expect(refundedUnitsOf(record(E / 20n, 3n * unit, { toBuyer: 5n, toStore: 1n }))).to.equal(4n);
    // Nothing to the buyer, or everything: the partial refunds only (the contract flags "kept nothing" instead).
    expect(refundedUnitsOf(record(E / 20n, 3n * unit, { toBuyer: 0n, toStore: 1n }))).to.equal(3n);
    expect(refundedUnitsOf(record(E / 20n, 3n * unit, { toBuyer: E / 20n - 3n * unit, toStore: 0n }))).to.equal(3n);
    // A store left 1 wei of an amount that is not a whole number of units: the buyer's total rounded up would pass
    // the amount, so the ruling is flagged "kept nothing" instead and the count stays.
    const odd = E / 20n + 3n;
    const dust = record(odd, 0n, { toBuyer: odd - 1n, toStore: 1n });
    expect(rulingState(dust)).to.deep.equal({ units: 0n, keptNothing: true });
    // Three wei kept, the remainder: the count reaches the whole units and the share reads 3 wei, as kept.
    const three = record(odd, 0n, { toBuyer: odd - 3n, toStore: 3n });
    expect(rulingState(three)).to.deep.equal({ units: odd / refundUnit(odd), keptNothing: false });
  });

  it("void a ruled ticket at the door only when the ruling left the store nothing", () => {
    const buyer = "0x00000000000000000000000000000000000000b0";
    const ticket = (r: OrderRecord) =>
      ticketVerdict(
        { ...r, order: { ...r.order, buyer, storeId: 1n, lines: [{ productId: 9n }] } } as OrderRecord,
        buyer,
        1n,
        () => 3,
      );
    expect(ticket(record(E / 20n, 0n, { toBuyer: E / 40n, toStore: E / 40n })).ok).to.equal(true);
    const voided = ticket(record(E / 20n, 0n, { toBuyer: E / 20n, toStore: 0n }));
    expect(voided).to.deep.equal({
      ok: false,
      message: "The dispute over this order gave the whole price back to the buyer: the ticket is void.",
    });
  });
});
