// A cart in several currencies (client/checkout-plan.ts): one payment per currency in cart order, the fan told so
// up front, and told exactly what happened when a later payment fails after an earlier one went through.
import { expect } from "chai";
import type { CartLine } from "../../frontend/src/client/cart.ts";
import {
  partialFailureText,
  paymentPrefix,
  planPayments,
  sequenceNotice,
} from "../../frontend/src/client/checkout-plan.ts";
import type { Currency } from "../../frontend/src/client/manifest.ts";

const ETH: Currency = {
  address: "0x0000000000000000000000000000000000000000",
  symbol: "ETH",
  decimals: 18,
} as Currency;
const MUSD: Currency = {
  address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  symbol: "mUSD",
  decimals: 6,
  permit: true,
} as Currency;

const line = (productId: string, currency: string): CartLine => ({
  storeId: "1",
  productId,
  variant: 0,
  quantity: 1,
  unitPrice: "1",
  currency,
  productName: `Item ${productId}`,
  variantLabel: "One size",
  digital: false,
});

describe("checkout plan (client/checkout-plan.ts)", () => {
  it("makes one payment per currency, in the order the cart first names each", () => {
    const lines = [line("1", MUSD.address), line("2", ETH.address), line("3", MUSD.address.toLowerCase())];
    const plan = planPayments(lines);
    expect(plan.map((p) => p.currency)).to.deep.equal([MUSD.address, ETH.address]);
    expect(plan[0]?.lines.map((l) => l.productId)).to.deep.equal(["1", "3"]);
    expect(plan[1]?.lines.map((l) => l.productId)).to.deep.equal(["2"]);
    expect(planPayments(lines, ETH.address).map((p) => p.currency)).to.deep.equal([ETH.address]);
    expect(planPayments([])).to.deep.equal([]);
  });

  it("numbers the payments only when there is more than one, and says so before paying", () => {
    expect(paymentPrefix(0, 1, ETH)).to.equal("");
    expect(paymentPrefix(1, 2, MUSD)).to.equal("Payment 2 of 2 (mUSD): ");
    expect(sequenceNotice([{ amount: 10n ** 16n, currency: ETH }])).to.equal(null);
    expect(
      sequenceNotice([
        { amount: 2n * 10n ** 16n, currency: ETH },
        { amount: 5_000_000n, currency: MUSD },
      ]),
    ).to.equal(
      "Your cart is in 2 currencies, so you'll make 2 payments, one after the other (1. 0.02 ETH, 2. 5 mUSD), each confirmed in your wallet. One address is used for all of them.",
    );
  });

  it("says which payment went through, with its orders, and that the failed one charged nothing", () => {
    const text = partialFailureText([{ amount: 2n * 10n ** 16n, currency: ETH, orderLabels: ["Order MS-AAAA-BBBB"] }], {
      index: 1,
      count: 2,
      amount: 5_000_000n,
      currency: MUSD,
    });
    expect(text).to.equal(
      "Payment 1 of 2 went through: 0.02 ETH paid, Order MS-AAAA-BBBB placed. Payment 2 of 2 (5 mUSD) did not go through, and nothing was charged for it. Its items are still in your cart: press Pay to pay for them alone.",
    );
  });
});
