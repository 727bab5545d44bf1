// Reading an order off the page: links and rows carry the order's full id in `data-order-id`, while their text is
// the short reference (frontend/src/client/order-ref.ts), so tests never parse digits out of a label.
import { expect } from "chai";
import type { Locator } from "playwright-core";
import { orderLabel } from "../../../frontend/src/client/order-ref.ts";

/** The order id a link or row names, checked against the reference it shows ("Order MS-XXXX-XXXX"). */
export async function orderIdOf(locator: Locator): Promise<bigint> {
  const id = await locator.getAttribute("data-order-id");
  if (!id || !/^\d+$/.test(id)) throw new Error(`no data-order-id on ${locator}`);
  const orderId = BigInt(id);
  expect(((await locator.textContent()) ?? "").trim()).to.contain(orderLabel(orderId));
  return orderId;
}
