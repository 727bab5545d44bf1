// Turns the checked cart lines of one currency into CartOrder[] (per store, one physical order with the address
// sealed to that store's key and one digital order with the buyer's delivery key) and pays: ETH with value, a permit token with one signature + one transaction
// (checkoutWithPermit), any other token with approve + checkout. A cart of one line goes through `buy_oT9la`, the
// protocol's cheapest purchase (about a third less gas than a one-line checkout).

import type { StoreGroup } from "./cart.ts";
import type { Chain } from "./chain.ts";
import { NO_CODE } from "./code-text.ts";
import { decodeEvent, type MerchstandCall } from "./contract.ts";
import { FanFacingError, InsufficientFundsError } from "./errors.ts";
import { formatAmount } from "./format.ts";
import { bytes32ToBytes, toHex } from "./hex.ts";
import type { Currency } from "./manifest.ts";
import { type CartOrder, cartArg, packLine, TICKET_CATEGORY, ZERO_ADDRESS } from "./protocol.ts";
import { type ShippingAddress, sealShipping } from "./shipping-crypto.ts";
import { type Receipt, sendContractTx, type TxStage } from "./transactions.ts";
import type { WalletSession } from "./wallet.ts";

/** What checkout needs of each store: the key addresses are sealed to, and the terms version the fan was shown. */
export type CheckoutStore = { shippingKey: string; termsVersion: number };

/**
 * The CartOrders of the checked groups: one per store for its physical lines (the address sealed to that store's
 * key) and one for its digital lines (the buyer's 32-byte delivery key, docs/FORMATS.md), since an order is all one
 * or all the other. Each carries the terms version the fan was shown; each line's max unit price is the price the
 * fan saw. Ticket lines (`categoryOf` says TICKET_CATEGORY) come first in each order, the rest in cart order: the
 * door's checkIn reads only an order's first line (client/door.ts ticketPlacement), so an order with a ticket can
 * always be checked in. Nothing else reads the order of the lines (prices, codes and zones go by product and order).
 */
export function buildCartOrders(
  groups: readonly StoreGroup[],
  shipping: ShippingAddress | null,
  stores: ReadonlyMap<string, CheckoutStore>,
  deliveryKey: Uint8Array | null,
  categoryOf: (productId: bigint) => number | undefined = () => undefined,
): CartOrder[] {
  const out: CartOrder[] = [];
  const isTicket = (l: StoreGroup["lines"][number]) => categoryOf(BigInt(l.productId)) === TICKET_CATEGORY;
  for (const group of groups) {
    const store = stores.get(group.storeId);
    if (!store) throw new FanFacingError("not-for-sale", "This store can't be reached right now.");
    const toInput = (l: StoreGroup["lines"][number]) => ({
      productId: BigInt(l.productId),
      variant: l.variant,
      quantity: l.quantity,
      maxUnitPrice: BigInt(l.unitPrice),
    });
    const lines = [...group.lines.filter(isTicket), ...group.lines.filter((l) => !isTicket(l))];
    const physical = lines.filter((l) => !l.digital);
    const digital = lines.filter((l) => l.digital);
    if (physical.length > 0) {
      if (!shipping) throw new FanFacingError("revert", "Please fill in your shipping address.");
      if (!store.shippingKey || /^0x0*$/.test(store.shippingKey)) {
        throw new FanFacingError("not-for-sale", "This store can't receive shipping addresses right now.");
      }
      const sealed = toHex(sealShipping(shipping, bytes32ToBytes(store.shippingKey)));
      out.push({
        storeId: BigInt(group.storeId),
        termsVersion: store.termsVersion,
        lines: physical.map(toInput),
        shipping: sealed,
      });
    }
    if (digital.length > 0) {
      if (deliveryKey?.length !== 32) {
        throw new FanFacingError("wallet", "Sign the delivery-key message in your wallet so the band can deliver.");
      }
      out.push({
        storeId: BigInt(group.storeId),
        termsVersion: store.termsVersion,
        lines: digital.map(toInput),
        shipping: toHex(deliveryKey),
      });
    }
  }
  return out;
}

export function cartTotal(groups: readonly StoreGroup[]): bigint {
  return groups.reduce((sum, g) => sum + g.subtotal, 0n);
}

function splitSignature(signature: string): { v: number; r: string; s: string } {
  const body = signature.replace(/^0x/, "");
  if (body.length !== 130) throw new FanFacingError("wallet", "Your wallet returned an unexpected signature.");
  let v = Number.parseInt(body.slice(128, 130), 16);
  if (v < 27) v += 27;
  return { r: `0x${body.slice(0, 64)}`, s: `0x${body.slice(64, 128)}`, v };
}

async function permitDomain(chain: Chain, token: string, chainId: number) {
  try {
    const { name, version } = await chain.readToken(token, "eip712Domain");
    return { name, version, chainId, verifyingContract: token };
  } catch {
    // Tokens older than EIP-5267 do not describe their domain; OpenZeppelin's ERC20Permit uses version "1".
    const name = await chain.readToken(token, "name");
    return { name, version: "1", chainId, verifyingContract: token };
  }
}

/** The EIP-2612 typed data for a permit of `value` from `owner` to the Merchstand contract. */
export async function permitTypedData(chain: Chain, token: string, owner: string, value: bigint, chainId: number) {
  const [domain, nonce, latest] = await Promise.all([
    permitDomain(chain, token, chainId),
    chain.readToken(token, "nonces", [owner]),
    chain.blockTimestamp(),
  ]);
  // Chain time, not the browser clock: a local chain can run ahead of the wall clock.
  const deadline = latest + 1800n;
  return {
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    domain,
    message: {
      owner,
      spender: chain.address,
      value: value.toString(),
      nonce: nonce.toString(),
      deadline: deadline.toString(),
    },
  };
}

export type PayStage = TxStage | { stage: "approve" } | { stage: "permit" };

/** The first order id the receipt's OrderPlaced logs name. */
export function orderIdsFromReceipt(receipt: Receipt, contract: string): bigint[] {
  const ids: bigint[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== contract.toLowerCase()) continue;
    const parsed = decodeEvent(log);
    if (parsed?.name === "OrderPlaced") ids.push(parsed.args.orderId);
  }
  return ids;
}

/**
 * The call that places `cart`: `buy_oT9la` for a single line, `buyShipped_eaaaa` for a single line with a shipping zone
 * and no code, `buyWith` for a single line with a code (docs/DROPS.md), `checkout` otherwise.
 */
export function purchaseCall(cart: CartOrder[]): MerchstandCall {
  const [only] = cart;
  const [line] = only?.lines ?? [];
  if (cart.length === 1 && only?.lines.length === 1 && line !== undefined) {
    const zone = only.zone ?? 0;
    const code = only.code ?? NO_CODE;
    if (zone === 0 && code.code === 0n)
      return { fn: "buy_oT9la", args: [packLine(line, only.termsVersion), only.shipping] };
    const options = BigInt(zone) | ((only.maxShipping ?? 0n) << 8n);
    if (code.code === 0n)
      return { fn: "buyShipped_eaaaa", args: [packLine(line, only.termsVersion), options, only.shipping] };
    return { fn: "buyWith", args: [packLine(line, only.termsVersion), options, code, only.shipping] };
  }
  return { fn: "checkout", args: [cartArg(cart)] };
}

/** Pays for `cart` (all in `currency`): checks the balance, then ETH, permit, or approve + buy/checkout. */
export async function payCart(
  chain: Chain,
  wallet: WalletSession,
  chainId: number,
  currency: Currency,
  cart: CartOrder[],
  total: bigint,
  onStage: (stage: PayStage) => void = () => {},
): Promise<{ receipt: Receipt; orderIds: bigint[] }> {
  const account = wallet.account;
  if (!account) throw new FanFacingError("wallet", "Connect your wallet first.");
  const isEth = currency.address === ZERO_ADDRESS;
  const balance = await chain.balanceOf(account, currency.address);
  if (balance < total) throw new InsufficientFundsError(total, balance, currency, isEth);
  // Each wallet step says what is asked and how much: "Confirm the payment of 0.02 ETH" (pages/checkout.ts adds
  // "in your wallet").
  const amountText = formatAmount(total, currency);
  let receipt: Receipt;
  if (isEth) {
    receipt = await sendContractTx(
      chain,
      wallet,
      chainId,
      { ...purchaseCall(cart), value: total, what: `Confirm the payment of ${amountText}` },
      onStage,
    );
  } else if (currency.permit) {
    onStage({ stage: "permit" });
    const typed = await permitTypedData(chain, currency.address, account, total, chainId);
    const signature = await wallet.signTypedData(typed);
    const { v, r, s } = splitSignature(signature);
    receipt = await sendContractTx(
      chain,
      wallet,
      chainId,
      {
        fn: "checkoutWithPermit",
        args: [cartArg(cart), { value: total, deadline: BigInt(typed.message.deadline), v, r, s }],
        what: `Confirm the payment of ${amountText}`,
      },
      onStage,
    );
  } else {
    if ((await chain.allowance(account, currency.address)) < total) {
      onStage({ stage: "approve" });
      await sendContractTx(
        chain,
        wallet,
        chainId,
        {
          token: currency.address,
          fn: "approve",
          args: [chain.address, total],
          what: `Allow Merchstand to take ${amountText}`,
        },
        onStage,
      );
    }
    receipt = await sendContractTx(
      chain,
      wallet,
      chainId,
      { ...purchaseCall(cart), what: `Confirm the payment of ${amountText}` },
      onStage,
    );
  }
  return { receipt, orderIds: orderIdsFromReceipt(receipt, chain.address) };
}
