// The demo's drop toolkit (docs/DROPS.md), set after the catalog is listed and its orders placed: each store's
// shipping zones (rates on chain; which countries, in its metadata, see publishDemoContent), each product's timed drop
// or pre-order date, and a fan-club presale code for the timed drop, signed by the store's owner as the dashboard
// signs codes. The code and its link go in the ready banner (scripts/stack/stack.ts readyBanner).
import { type Contract, type HDNodeWallet, parseUnits, type TransactionReceipt } from "ethers";
import {
  codeTypedData,
  compactSignature,
  type DiscountCode,
  encodeCodeText,
} from "../../frontend/src/client/code-text.ts";
import type { CastRole } from "../stack/accounts.ts";
import { DEMO_STORES } from "./catalog.ts";

export type DropsSummary = {
  /** The store of the demo's timed drop, and the drop's product. */
  storeId: bigint;
  productId: bigint;
  /** When the drop opens to everyone (chain time, unix seconds). */
  opensAt: bigint;
  /** The presale code's text (client/code-text.ts) and the dapp route that carries it. */
  presaleCode: string;
  presaleRoute: string;
};

type Mined = (role: CastRole, contract: Contract, method: string, args: unknown[]) => Promise<TransactionReceipt>;

/** Percentage the presale code takes off, in basis points. */
const PRESALE_BPS = 1_000n;
const WEEK = 7 * 24 * 60 * 60;

export async function seedDrops(options: {
  market: Contract;
  mined: Mined;
  wallet: (role: CastRole) => HDNodeWallet;
  chainId: number;
  storeIds: ReadonlyMap<string, bigint>;
  productIds: Readonly<Record<string, bigint>>;
}): Promise<DropsSummary | null> {
  const { market, mined, wallet, chainId, storeIds, productIds } = options;
  const latest = await market.runner?.provider?.getBlock("latest");
  const now = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000));
  let summary: DropsSummary | null = null;
  for (const store of DEMO_STORES) {
    const storeId = storeIds.get(store.key);
    if (storeId === undefined) continue;
    const decimals = store.currency === "ETH" ? 18 : 6;
    if (store.zones?.length) {
      await mined(store.owner, market, "setShippingZones", [
        storeId,
        store.zones.map((z) => ({
          rate: parseUnits(z.rate, decimals),
          freeFrom: z.freeFrom ? parseUnits(z.freeFrom, decimals) : 0n,
        })),
      ]);
    }
    for (const product of store.products) {
      if (!product.drop) continue;
      const at = (seconds: number | undefined) => (seconds === undefined ? 0n : now + BigInt(seconds));
      const drop = {
        presaleAt: at(product.drop.presaleIn),
        opensAt: at(product.drop.opensIn),
        closesAt: at(product.drop.closesIn),
        shipsFrom: at(product.drop.shipsIn),
      };
      const productId = productIds[product.key] as bigint;
      await mined(store.owner, market, "setDrop", [productId, drop]);
      if (drop.opensAt === 0n || summary !== null) continue;
      // The fan-club presale code of the drop: anyone holding it, bound to this product, 10% off, 100 uses.
      const code: DiscountCode = {
        storeId,
        id: 1,
        kind: 0,
        value: PRESALE_BPS,
        expiresAt: drop.closesAt || now + BigInt(WEEK),
        maxUses: 100,
        buyer: "0x0000000000000000000000000000000000000000",
        productId,
      };
      const typed = codeTypedData(code, chainId, String(market.target));
      const { EIP712Domain: _, ...types } = typed.types;
      const signature = await wallet(store.owner).signTypedData(typed.domain, types as never, typed.message);
      const text = encodeCodeText({ code, ...compactSignature(signature) });
      summary = {
        storeId,
        productId,
        opensAt: drop.opensAt,
        presaleCode: text,
        presaleRoute: `/store/${storeId}/product/${productId}?code=${text}`,
      };
    }
  }
  return summary;
}
