// A delivered ticket order of the fixture's ETH store, for the security suites that take one to the door
// (test/security/ModuleRoute.ts, test/security/DropRaces.ts).
import {
  BUYER_KEY,
  buyEth,
  deliverDigital,
  type Fx,
  listProduct,
  type Order,
  productInput,
  variant,
} from "../../contracts/support/helpers.ts";

/** Lists a ticket (category 3, digital), has the fixture buyer buy one and the store deliver it. */
export async function deliveredTicket(fx: Fx): Promise<{ orderId: bigint; order: Order }> {
  const ticketId = await listProduct(
    fx,
    fx.seller,
    fx.ethStoreId,
    productInput({ name: "Show, Leeds", category: 3, digital: true }),
    [variant("GA", 1_000_000_000_000_000n, 100)],
  );
  const bought = await buyEth(fx, fx.buyer, ticketId, { shipping: BUYER_KEY });
  return { orderId: bought.orderId, order: await deliverDigital(fx, bought) };
}
