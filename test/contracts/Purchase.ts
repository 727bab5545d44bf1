import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { NO_CODE } from "./support/drops.ts";
import {
  BUYER_KEY,
  buyEth,
  buyUsd,
  expectConserved,
  type Fx,
  fee,
  fixtureTerms,
  listProduct,
  load,
  MAX_SHIPPING,
  openStore,
  packLine,
  pinNextTimestamp,
  placed,
  placedAll,
  priceOf,
  productInput,
  SHIPPING,
  Status,
  shippingBlob,
  signPermit,
  stockOf,
  variant,
  ZERO,
} from "./support/helpers.ts";

/** The id rule: `productId << 40 | variant << 32 | sold`, `sold` being the variant's sold counter before the order. */
function orderIdOf(productId: bigint, variantIndex: bigint | number, sold: bigint): bigint {
  return (productId << 40n) | (BigInt(variantIndex) << 32n) | sold;
}

/** OrderPlaced's `info` word: `termsVersion | feeBps << 32 | placedAt << 48`. */
function infoWord(termsVersion: bigint, feeBps: bigint, placedAt: bigint): bigint {
  return termsVersion | (feeBps << 32n) | (placedAt << 48n);
}

/**
 * One word of OrderPlaced's `lines`: `productId | variant << 64 | quantity << 72 | unitPrice << 104 |
 * previousOrderBlock << 200`.
 */
function lineWord(
  productId: bigint,
  variantIndex: bigint | number,
  quantity: bigint,
  unitPrice: bigint,
  previousOrderBlock = 0n,
): bigint {
  return (
    productId | (BigInt(variantIndex) << 64n) | (quantity << 72n) | (unitPrice << 104n) | (previousOrderBlock << 200n)
  );
}

/** The variant's last order block as getProduct reports it: what its next order's line word carries. */
async function lastOrderOf(fx: Fx, productId: bigint, variantIndex = 0): Promise<bigint> {
  const p = await fx.merchstand.getProduct(productId);
  const v = p.variants[variantIndex];
  if (v === undefined) throw new Error("no such variant");
  return v.lastOrderBlock;
}

async function soldOf(fx: Fx, productId: bigint, variantIndex = 0): Promise<bigint> {
  const v = (await fx.merchstand.getProduct(productId)).variants[variantIndex];
  if (v === undefined) throw new Error(`no variant ${variantIndex}`);
  return BigInt(v.sold);
}

describe("Purchase", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  describe("buy", () => {
    describe("with ETH", () => {
      it("escrows the exact price, takes stock and emits OrderPlaced with the full order", async () => {
        const { merchstand, buyer, buyer2, seller, shirtId, ethStoreId, ethers } = fx;
        // Someone bought this size before, so the new order's id is not the first of its variant.
        await buyEth(fx, buyer2, shirtId, { variant: 1 });
        const price = await priceOf(fx, shirtId, 1);
        const stock = await stockOf(fx, shirtId, 1);
        const sold = await soldOf(fx, shirtId, 1);
        expect(sold).to.equal(1n);
        const feeBps = BigInt(await merchstand.feeBps());
        const id = orderIdOf(shirtId, 1, sold);
        const t = await pinNextTimestamp(fx);
        const expected = {
          buyer: buyer.address,
          storeId: BigInt(ethStoreId),
          termsVersion: 1n,
          feeBps: BigInt(feeBps),
          currency: ZERO,
          placedAt: t,
          shippedAt: 0n,
          disputedAt: 0n,
          amount: price * 2n,
          shipsFrom: 0n,
          zone: 0n,
          shipping: 0n,
          discount: 0n,
          lines: [{ productId: BigInt(shirtId), variant: 1n, quantity: 2n, unitPrice: price }],
        };
        const previous = await lastOrderOf(fx, shirtId, 1);
        expect(previous).to.not.equal(0n);
        const tx = merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 1, 2, price), SHIPPING, { value: price * 2n });
        await expect(tx)
          .to.emit(merchstand, "OrderPlaced")
          .withArgs(
            id,
            buyer.address,
            ethStoreId,
            infoWord(1n, feeBps, t),
            [lineWord(shirtId, 1, 2n, price, previous)],
            SHIPPING,
          );
        await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [-price * 2n, price * 2n]);

        expect(await merchstand.orderStatus(id)).to.equal(Status.Paid);
        // The order committed to is the one expected: the contract acts on it, and refuses it with one field off.
        await merchstand.connect(seller).markShipped.staticCall(id, expected, "DHL 1");
        await expect(merchstand.connect(seller).markShipped(id, { ...expected, amount: price }, "DHL 1"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(id);
        const v = (await merchstand.getProduct(shirtId)).variants[1];
        expect(v?.stock).to.equal(stock - 2n);
        expect(v?.sold).to.equal(sold + 2n);
        await expectConserved(fx, ZERO);
      });

      it("returns the new order id: productId << 40 | variant << 32 | units of the variant sold before", async () => {
        const { merchstand, buyer, shirtId } = fx;
        const price = await priceOf(fx, shirtId, 2);
        await buyEth(fx, buyer, shirtId, { variant: 2, quantity: 3n });
        const sold = await soldOf(fx, shirtId, 2);
        expect(sold).to.equal(3n);
        const line = packLine(shirtId, 2, 1, price);
        const id = await merchstand.connect(buyer).buy_oT9la.staticCall(line, SHIPPING, { value: price });
        expect(id).to.equal((shirtId << 40n) | (2n << 32n) | 3n);
        const { orderId } = await placed(
          merchstand,
          merchstand.connect(buyer).buy_oT9la(line, SHIPPING, { value: price }),
        );
        expect(orderId).to.equal(id);
        expect(await merchstand.orderStatus(id)).to.equal(Status.Paid);
      });

      it("charges the current price when the buyer accepted a higher one", async () => {
        const { merchstand, buyer, shirtId } = fx;
        const price = await priceOf(fx, shirtId);
        const { order } = await placed(
          merchstand,
          merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price * 2n), SHIPPING, { value: price }),
        );
        expect(order.amount).to.equal(price);
        expect(order.lines[0]?.unitPrice).to.equal(price);
      });

      describe("when the ETH sent is not exactly the price", () => {
        it("reverts with IncorrectPayment, both short and over", async () => {
          const { merchstand, buyer, shirtId } = fx;
          const price = await priceOf(fx, shirtId);
          await expect(
            merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 2, price), SHIPPING, { value: price * 2n - 1n }),
          )
            .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
            .withArgs(price * 2n, price * 2n - 1n);
          await expect(
            merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 2, price), SHIPPING, { value: price * 2n + 1n }),
          )
            .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
            .withArgs(price * 2n, price * 2n + 1n);
        });
      });

      describe("when the price rose above the buyer's maximum", () => {
        it("reverts with PriceAboveMax", async () => {
          const { merchstand, buyer, seller, shirtId } = fx;
          const seen = await priceOf(fx, shirtId);
          await merchstand.connect(seller).setVariantPrice(shirtId, 0, seen + 1n);
          await expect(
            merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, seen), SHIPPING, { value: seen + 1n }),
          )
            .to.be.revertedWithCustomError(merchstand, "PriceAboveMax")
            .withArgs(shirtId, 0, seen + 1n, seen);
        });
      });

      describe("when the quantity is zero", () => {
        it("reverts with ZeroQuantity", async () => {
          const { merchstand, buyer, shirtId } = fx;
          const price = await priceOf(fx, shirtId);
          await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 0, price), SHIPPING))
            .to.be.revertedWithCustomError(merchstand, "ZeroQuantity")
            .withArgs(shirtId, 0);
        });
      });

      describe("when the variant is sold out or short", () => {
        it("reverts with InsufficientStock and never lets stock go below zero", async () => {
          const { merchstand, buyer, buyer2, shirtId } = fx;
          const price = await priceOf(fx, shirtId);
          const stock = await stockOf(fx, shirtId);
          await expect(
            merchstand
              .connect(buyer)
              .buy_oT9la(packLine(shirtId, 0, stock + 1n, price), SHIPPING, { value: price * (stock + 1n) }),
          )
            .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
            .withArgs(shirtId, 0, stock + 1n, stock);
          await buyEth(fx, buyer, shirtId, { quantity: stock });
          expect(await stockOf(fx, shirtId)).to.equal(0);
          await expect(merchstand.connect(buyer2).buy_oT9la(packLine(shirtId, 0, 1, price), SHIPPING, { value: price }))
            .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
            .withArgs(shirtId, 0, 1, 0);
          expect((await merchstand.getProduct(shirtId)).variants[0]?.sold).to.equal(stock);
        });
      });

      describe("when the product or variant does not exist", () => {
        it("reverts with ProductNotFound or VariantNotFound", async () => {
          const { merchstand, buyer, shirtId } = fx;
          for (const id of [0, 999]) {
            await expect(merchstand.connect(buyer).buy_oT9la(packLine(id, 0, 1, 1), SHIPPING, { value: 1 }))
              .to.be.revertedWithCustomError(merchstand, "ProductNotFound")
              .withArgs(id);
          }
          const n = (await merchstand.getProduct(shirtId)).variants.length;
          await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, n, 1, 1), SHIPPING, { value: 1 }))
            .to.be.revertedWithCustomError(merchstand, "VariantNotFound")
            .withArgs(shirtId, n);
        });
      });

      describe("when the store is closed", () => {
        it("reverts with StoreIsClosed", async () => {
          const { merchstand, buyer, seller, shirtId, ethStoreId } = fx;
          const price = await priceOf(fx, shirtId);
          await merchstand.connect(seller).closeStore(ethStoreId);
          await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), SHIPPING, { value: price }))
            .to.be.revertedWithCustomError(merchstand, "StoreIsClosed")
            .withArgs(ethStoreId);
        });
      });

      describe("when the protocol is paused", () => {
        it("reverts with EnforcedPause", async () => {
          const { merchstand, buyer, admin, shirtId } = fx;
          const price = await priceOf(fx, shirtId);
          await merchstand.connect(admin).pause();
          await expect(
            merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), SHIPPING, { value: price }),
          ).to.be.revertedWithCustomError(merchstand, "EnforcedPause");
        });
      });
    });

    describe("shipping blob", () => {
      it("is required for a physical product (InvalidShippingBlob with length 0)", async () => {
        const { merchstand, buyer, shirtId, ethStoreId } = fx;
        const price = await priceOf(fx, shirtId);
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), "0x", { value: price }))
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 0, MAX_SHIPPING);
      });

      it("may be 512 bytes but not 513", async () => {
        const { merchstand, buyer, shirtId, ethStoreId } = fx;
        const price = await priceOf(fx, shirtId);
        const feeBps = BigInt(await merchstand.feeBps());
        const id = orderIdOf(shirtId, 0, await soldOf(fx, shirtId));
        const blob = shippingBlob(512);
        const t = await pinNextTimestamp(fx);
        const previous = await lastOrderOf(fx, shirtId, 0);
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), blob, { value: price }))
          .to.emit(merchstand, "OrderPlaced")
          .withArgs(
            id,
            buyer.address,
            ethStoreId,
            infoWord(1n, feeBps, t),
            [lineWord(shirtId, 0, 1n, price, previous)],
            blob,
          );
        await expect(
          merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 1, price), shippingBlob(513), { value: price }),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 513, MAX_SHIPPING);
      });

      it("is replaced by the buyer's 32-byte key for a digital product (else InvalidShippingBlob, max 32)", async () => {
        const { merchstand, buyer, ebookId, ethStoreId } = fx;
        const price = await priceOf(fx, ebookId);
        for (const blob of [SHIPPING, "0x", shippingBlob(31), shippingBlob(33)]) {
          await expect(merchstand.connect(buyer).buy_oT9la(packLine(ebookId, 0, 1, price), blob, { value: price }))
            .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
            .withArgs(ethStoreId, (blob.length - 2) / 2, 32);
        }
        await expect(
          merchstand.connect(buyer).buy_oT9la(packLine(ebookId, 0, 1, price), BUYER_KEY, { value: price }),
        ).to.emit(merchstand, "OrderPlaced");
      });

      it("is never written to storage: it travels only in the event", async () => {
        const { merchstand, buyer, shirtId, ethers } = fx;
        const blob = shippingBlob(320);
        const { receipt } = await buyEth(fx, buyer, shirtId, { shipping: blob });
        const [event] = await merchstand.queryFilter(merchstand.filters.OrderPlaced(), receipt.blockNumber);
        expect(event?.args.shipping).to.equal(blob);
        // Every SSTORE of the purchase, from the EVM trace: none may hold a word of the blob.
        const trace = (await ethers.provider.send("debug_traceTransaction", [
          receipt.hash,
          { disableMemory: true },
        ])) as {
          structLogs: { op: string; stack: string[] }[];
        };
        const words = new Set<bigint>();
        for (let i = 2; i + 64 <= blob.length; i += 64) words.add(BigInt(`0x${blob.slice(i, i + 64)}`));
        const stored = trace.structLogs
          .filter((l) => l.op === "SSTORE")
          .map((l) => BigInt(`0x${l.stack.at(-2)?.replace(/^0x/, "")}`));
        expect(stored.length).to.be.greaterThan(0);
        for (const value of stored) expect(words.has(value), "a blob word was stored").to.equal(false);
      });
    });

    describe("a digital product", () => {
      it("waits in escrow until the store delivers it, then runs as a shipped order", async () => {
        const { merchstand, seller, buyer, ebookId, ethStoreId, feeRecipient } = fx;
        const price = await priceOf(fx, ebookId);
        const feeBps = BigInt(await merchstand.feeBps());
        const storeBefore = (await merchstand.getStore(ethStoreId)).balance;
        const feeBefore = await merchstand.storeFeesOwed(ethStoreId);
        const creditedBefore = await merchstand.credits(feeRecipient.address, ZERO);
        const id = orderIdOf(ebookId, 0, await soldOf(fx, ebookId));
        const t = await pinNextTimestamp(fx);
        const previous = await lastOrderOf(fx, ebookId, 0);
        const tx = merchstand.connect(buyer).buy_oT9la(packLine(ebookId, 0, 1, price), BUYER_KEY, { value: price });
        // The OrderPlaced log carries the buyer's key the store will seal the content key to.
        await expect(tx)
          .to.emit(merchstand, "OrderPlaced")
          .withArgs(
            id,
            buyer.address,
            ethStoreId,
            infoWord(1n, feeBps, t),
            [lineWord(ebookId, 0, 1n, price, previous)],
            BUYER_KEY,
          );
        await expect(tx).not.to.emit(merchstand, "OrderCompleted");
        expect(await merchstand.orderStatus(id)).to.equal(Status.Paid);
        expect((await merchstand.getStore(ethStoreId)).balance).to.equal(storeBefore);
        const { order } = await placed(merchstand, tx);

        const sealed = shippingBlob(120);
        const d = await pinNextTimestamp(fx);
        await expect(merchstand.connect(seller).deliver([id], [order], [sealed]))
          .to.emit(merchstand, "OrderDelivered")
          .withArgs(id, ethStoreId, d, sealed);
        expect(await merchstand.orderStatus(id)).to.equal(Status.Shipped);
        const delivered = { ...order, shippedAt: d };
        await expect(merchstand.connect(buyer).complete(id, delivered))
          .to.emit(merchstand, "OrderCompleted")
          .withArgs(id, ethStoreId, price - fee(price, feeBps), fee(price, feeBps));
        expect((await merchstand.getStore(ethStoreId)).balance).to.equal(storeBefore + price - fee(price, feeBps));
        expect(await merchstand.storeFeesOwed(ethStoreId)).to.equal(feeBefore + fee(price, feeBps));
        expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(creditedBefore);
        await expectConserved(fx, ZERO);
      });

      it("may be cancelled by the buyer when the store does not deliver within the ship window", async () => {
        const { merchstand, buyer, ebookId, ethStoreId } = fx;
        const { orderId, order } = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
        await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
        await expect(merchstand.connect(buyer).cancel(orderId, order))
          .to.emit(merchstand, "OrderCancelled")
          .withArgs(orderId, ethStoreId, order.amount);
      });
    });

    describe("deliver", () => {
      it("delivers many orders in one call, skipping those cancelled or refunded meanwhile", async () => {
        const { merchstand, seller, buyer, buyer2, ebookId, ethStoreId } = fx;
        const a = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
        const b = await buyEth(fx, buyer2, ebookId, { shipping: BUYER_KEY });
        const c = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
        await (await merchstand.connect(seller).refund(b.orderId, b.order, b.order.amount)).wait();
        const d = await pinNextTimestamp(fx);
        const tx = merchstand
          .connect(seller)
          .deliver([a.orderId, b.orderId, c.orderId], [a.order, b.order, c.order], ["0x01", "0x02", "0x03"]);
        await expect(tx).to.emit(merchstand, "OrderDelivered").withArgs(a.orderId, ethStoreId, d, "0x01");
        await expect(tx).to.emit(merchstand, "OrderDelivered").withArgs(c.orderId, ethStoreId, d, "0x03");
        const receipt = await (await tx).wait();
        const delivered = receipt?.logs.filter((l) => merchstand.interface.parseLog(l)?.name === "OrderDelivered");
        expect(delivered?.length, "the refunded order was skipped").to.equal(2);
        expect(await merchstand.orderStatus(a.orderId)).to.equal(Status.Shipped);
        expect(await merchstand.orderStatus(b.orderId)).to.equal(Status.Refunded);
        expect(await merchstand.orderStatus(c.orderId)).to.equal(Status.Shipped);
      });

      it("reverts with LengthMismatch, NotStoreStaff, InvalidLength and OrderMismatch", async () => {
        const { merchstand, seller, buyer, ebookId, ethStoreId } = fx;
        const a = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
        await expect(merchstand.connect(seller).deliver([a.orderId], [], ["0x01"]))
          .to.be.revertedWithCustomError(merchstand, "LengthMismatch")
          .withArgs(1, 0);
        await expect(merchstand.connect(seller).deliver([a.orderId], [a.order], []))
          .to.be.revertedWithCustomError(merchstand, "LengthMismatch")
          .withArgs(1, 0);
        await expect(merchstand.connect(buyer).deliver([a.orderId], [a.order], ["0x01"]))
          .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
          .withArgs(ethStoreId, buyer.address);
        await expect(merchstand.connect(seller).deliver([a.orderId], [a.order], ["0x"]))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(0, 512);
        await expect(merchstand.connect(seller).deliver([a.orderId], [a.order], [shippingBlob(513)]))
          .to.be.revertedWithCustomError(merchstand, "InvalidLength")
          .withArgs(513, 512);
        await expect(merchstand.connect(seller).deliver([a.orderId], [{ ...a.order, amount: 1n }], ["0x01"]))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(a.orderId);
      });
    });

    describe("units sold (the counter order ids are made from)", () => {
      const max = 2n ** 32n - 1n;

      /** A 1-wei digital variant with the largest stock a variant can have. */
      async function fullStockProduct(): Promise<bigint> {
        return listProduct(fx, fx.seller, fx.ethStoreId, productInput({ digital: true, category: 5 }), [
          variant("PDF", 1n, Number(max)),
        ]);
      }

      it("may reach the uint32 maximum in one purchase; past it SoldCounterFull refuses and changes nothing", async () => {
        const { merchstand, seller, buyer, ethStoreId, usdStoreId, ethers } = fx;
        const productId = await fullStockProduct();
        // All 2^32 - 1 units in one purchase, at 1 wei each: the variant's first order.
        const all = await placed(
          merchstand,
          merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, max, 1n), BUYER_KEY, { value: max }),
        );
        expect(all.orderId).to.equal(productId << 40n);
        expect(all.order.amount).to.equal(max);
        expect(await merchstand.orderStatus(all.orderId)).to.equal(Status.Paid);
        expect(await soldOf(fx, productId)).to.equal(max);
        expect(await stockOf(fx, productId)).to.equal(0n);

        await merchstand.connect(seller).setVariantStock(productId, 0, 5);
        const held = await ethers.provider.getBalance(merchstand);
        const storeBalance = (await merchstand.getStore(ethStoreId)).balance;
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1n), BUYER_KEY, { value: 1n }))
          .to.be.revertedWithCustomError(merchstand, "SoldCounterFull")
          .withArgs(productId, 0);
        const cart = [
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [{ productId, variant: 0, quantity: 1, maxUnitPrice: 1n }],
            shipping: BUYER_KEY,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: 1n }))
          .to.be.revertedWithCustomError(merchstand, "SoldCounterFull")
          .withArgs(productId, 0);

        // Nothing moved, and the full counter did not spill into the rest of the variant's slot.
        expect(await ethers.provider.getBalance(merchstand)).to.equal(held);
        expect((await merchstand.getStore(ethStoreId)).balance).to.equal(storeBalance);
        const p = await merchstand.getProduct(productId);
        expect(p.variants[0]?.sold).to.equal(max);
        expect(p.variants[0]?.stock).to.equal(5);
        expect(p.variants[0]?.price).to.equal(1);
        expect(p.variants[0]?.active).to.equal(true);
        expect(p.storeId).to.equal(ethStoreId);

        // The counter is per variant: a new variant of the same product sells, with ids of its own.
        await merchstand.connect(seller).addVariant(productId, variant("EPUB", 1n, 5));
        const epub = await placed(
          merchstand,
          merchstand.connect(buyer).buy_oT9la(packLine(productId, 1, 2, 1n), BUYER_KEY, { value: 2n }),
        );
        expect(epub.orderId).to.equal((productId << 40n) | (1n << 32n));
        // And it still knows its store: a cart naming another store is refused.
        await expect(
          merchstand.connect(buyer).checkout([
            {
              storeId: usdStoreId,
              termsVersion: 1,
              lines: [{ productId, variant: 1, quantity: 1, maxUnitPrice: 1n }],
              shipping: BUYER_KEY,
              zone: 0,
              maxShipping: 0n,
              code: NO_CODE,
            },
          ]),
        )
          .to.be.revertedWithCustomError(merchstand, "ProductNotInStore")
          .withArgs(productId, usdStoreId);
        await expectConserved(fx, ZERO);
      });

      it("counts up to exactly the maximum: the unit that fills it is sold, under the last id", async () => {
        const { merchstand, seller, buyer } = fx;
        const productId = await fullStockProduct();
        await (
          await merchstand
            .connect(buyer)
            .buy_oT9la(packLine(productId, 0, max - 1n, 1n), BUYER_KEY, { value: max - 1n })
        ).wait();
        await merchstand.connect(seller).setVariantStock(productId, 0, 5);
        // Two would take the counter one past the maximum.
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 2, 1n), BUYER_KEY, { value: 2n }))
          .to.be.revertedWithCustomError(merchstand, "SoldCounterFull")
          .withArgs(productId, 0);
        const last = await placed(
          merchstand,
          merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1n), BUYER_KEY, { value: 1n }),
        );
        expect(last.orderId).to.equal((productId << 40n) | (max - 1n));
        expect(await soldOf(fx, productId)).to.equal(max);
        expect(await stockOf(fx, productId)).to.equal(4n);
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 1n), BUYER_KEY, { value: 1n }))
          .to.be.revertedWithCustomError(merchstand, "SoldCounterFull")
          .withArgs(productId, 0);
        expect(await stockOf(fx, productId)).to.equal(4n);
      });
    });

    describe("per-buyer limit", () => {
      it("holds across variants and orders, per buyer, and is reported by boughtBy", async () => {
        const { merchstand, seller, buyer, buyer2, shirtId } = fx;
        await merchstand.connect(seller).setProductLimit(shirtId, 2);
        await buyEth(fx, buyer, shirtId, { variant: 0 });
        await buyEth(fx, buyer, shirtId, { variant: 1 });
        expect(await merchstand.boughtBy(shirtId, buyer.address)).to.equal(2);
        const price = await priceOf(fx, shirtId, 2);
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 2, 1, price), SHIPPING, { value: price }))
          .to.be.revertedWithCustomError(merchstand, "PerBuyerLimitExceeded")
          .withArgs(shirtId, 2, 2, 1);
        // Another fan has their own allowance.
        await buyEth(fx, buyer2, shirtId, { quantity: 2n });
        expect(await merchstand.boughtBy(shirtId, buyer2.address)).to.equal(2);
      });

      it("counts a single purchase over the limit", async () => {
        const { merchstand, seller, buyer, shirtId } = fx;
        await merchstand.connect(seller).setProductLimit(shirtId, 2);
        const price = await priceOf(fx, shirtId);
        await expect(
          merchstand.connect(buyer).buy_oT9la(packLine(shirtId, 0, 3, price), SHIPPING, { value: price * 3n }),
        )
          .to.be.revertedWithCustomError(merchstand, "PerBuyerLimitExceeded")
          .withArgs(shirtId, 2, 0, 3);
      });

      it("holds across lines of one cart", async () => {
        const { merchstand, seller, buyer, shirtId, ethStoreId } = fx;
        await merchstand.connect(seller).setProductLimit(shirtId, 2);
        const price = await priceOf(fx, shirtId);
        const cart = [
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [
              { productId: shirtId, variant: 0, quantity: 2, maxUnitPrice: price },
              { productId: shirtId, variant: 1, quantity: 1, maxUnitPrice: price },
            ],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: price * 3n }))
          .to.be.revertedWithCustomError(merchstand, "PerBuyerLimitExceeded")
          .withArgs(shirtId, 2, 2, 1);
      });

      it("is not tracked while the product has no limit", async () => {
        const { merchstand, buyer, shirtId } = fx;
        await buyEth(fx, buyer, shirtId);
        expect(await merchstand.boughtBy(shirtId, buyer.address)).to.equal(0);
      });
    });

    describe("with an ERC-20", () => {
      it("pulls the exact price with transferFrom; the order is in the store's token", async () => {
        const { merchstand, usd, buyer, seller, mugId, usdStoreId, ethers } = fx;
        const price = await priceOf(fx, mugId);
        const token = await usd.getAddress();
        await usd.mint(buyer.address, price);
        await usd.connect(buyer).approve(await merchstand.getAddress(), price);
        const feeBps = BigInt(await merchstand.feeBps());
        const id = orderIdOf(mugId, 0, await soldOf(fx, mugId));
        const t = await pinNextTimestamp(fx);
        const previous = await lastOrderOf(fx, mugId, 0);
        const tx = merchstand.connect(buyer).buy_oT9la(packLine(mugId, 0, 1, price), SHIPPING);
        await expect(tx).to.changeTokenBalances(ethers, usd, [buyer, merchstand], [-price, price]);
        await expect(tx)
          .to.emit(merchstand, "OrderPlaced")
          .withArgs(
            id,
            buyer.address,
            usdStoreId,
            infoWord(1n, feeBps, t),
            [lineWord(mugId, 0, 1n, price, previous)],
            SHIPPING,
          );
        // The log does not carry the currency: the order committed to has the store's, and no other.
        const order = {
          buyer: buyer.address,
          storeId: usdStoreId,
          termsVersion: 1n,
          feeBps,
          currency: token,
          placedAt: t,
          shippedAt: 0n,
          disputedAt: 0n,
          amount: price,
          shipsFrom: 0n,
          zone: 0n,
          shipping: 0n,
          discount: 0n,
          lines: [{ productId: mugId, variant: 0n, quantity: 1n, unitPrice: price }],
        };
        await merchstand.connect(seller).markShipped.staticCall(id, order, "DHL 1");
        await expect(merchstand.connect(seller).markShipped(id, { ...order, currency: ZERO }, "DHL 1"))
          .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
          .withArgs(id);
        await expectConserved(fx, token);
      });

      it("rejects ETH sent along with IncorrectPayment", async () => {
        const { merchstand, usd, buyer, mugId } = fx;
        const price = await priceOf(fx, mugId);
        await usd.mint(buyer.address, price);
        await usd.connect(buyer).approve(await merchstand.getAddress(), price);
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(mugId, 0, 1, price), SHIPPING, { value: 1 }))
          .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
          .withArgs(0, 1);
      });

      it("fails without allowance (the token's own error)", async () => {
        const { merchstand, usd, buyer, mugId } = fx;
        const price = await priceOf(fx, mugId);
        await usd.mint(buyer.address, price);
        await usd.connect(buyer).approve(await merchstand.getAddress(), 0);
        await expect(merchstand.connect(buyer).buy_oT9la(packLine(mugId, 0, 1, price), SHIPPING))
          .to.be.revertedWithCustomError(usd, "ERC20InsufficientAllowance")
          .withArgs(await merchstand.getAddress(), 0, price);
      });

      describe("when the currency was removed from the allow-list after the store opened", () => {
        it("reverts with CurrencyNotAllowed; existing orders still settle", async () => {
          const { merchstand, usd, admin, buyer, mugId } = fx;
          const { orderId, order } = await buyUsd(fx, buyer);
          await merchstand.connect(admin).setCurrencyAllowed(await usd.getAddress(), false);
          const price = await priceOf(fx, mugId);
          await usd.mint(buyer.address, price);
          await usd.connect(buyer).approve(await merchstand.getAddress(), price);
          await expect(merchstand.connect(buyer).buy_oT9la(packLine(mugId, 0, 1, price), SHIPPING))
            .to.be.revertedWithCustomError(merchstand, "CurrencyNotAllowed")
            .withArgs(await usd.getAddress());
          await expect(merchstand.connect(fx.seller).refund(orderId, order, order.amount)).to.emit(
            merchstand,
            "OrderRefunded",
          );
        });
      });

      describe("when the token takes a fee on transfer", () => {
        it("reverts with FeeOnTransferToken even though it is allow-listed", async () => {
          const { merchstand, admin, seller, buyer, ethers } = fx;
          const fot = await ethers.deployContract("FeeOnTransferToken");
          const token = await fot.getAddress();
          await expect(merchstand.connect(admin).setCurrencyAllowed(token, true))
            .to.emit(merchstand, "CurrencyAllowed")
            .withArgs(token, true);
          const storeId = await openStore(fx, seller, { currency: token });
          const productId = await listProduct(fx, seller, storeId, productInput(), [variant("M", 10_000n, 5)]);
          await fot.mint(buyer.address, 10_000n);
          await fot.connect(buyer).approve(await merchstand.getAddress(), 10_000n);
          await expect(merchstand.connect(buyer).buy_oT9la(packLine(productId, 0, 1, 10_000n), SHIPPING))
            .to.be.revertedWithCustomError(merchstand, "FeeOnTransferToken")
            .withArgs(token, 10_000n, 9_900n);
          expect(await stockOf(fx, productId)).to.equal(5);
        });
      });
    });
  });

  describe("buy_oT9la's packed line", () => {
    for (const bit of [232n, 255n]) {
      it(`refuses a line with bit ${bit} set with InvalidLine, and changes nothing`, async () => {
        const { merchstand, buyer, shirtId, ethStoreId, ethers } = fx;
        const price = await priceOf(fx, shirtId);
        const valid = packLine(shirtId, 0, 1, price);
        const line = valid | (1n << bit);
        const stock = await stockOf(fx, shirtId);
        const sold = await soldOf(fx, shirtId);
        const held = await ethers.provider.getBalance(merchstand);
        const storeBalance = (await merchstand.getStore(ethStoreId)).balance;
        await expect(merchstand.connect(buyer).buy_oT9la(line, SHIPPING, { value: price }))
          .to.be.revertedWithCustomError(merchstand, "InvalidLine")
          .withArgs(line);
        expect(await stockOf(fx, shirtId)).to.equal(stock);
        expect(await soldOf(fx, shirtId)).to.equal(sold);
        expect(await ethers.provider.getBalance(merchstand)).to.equal(held);
        expect((await merchstand.getStore(ethStoreId)).balance).to.equal(storeBalance);
        expect(await merchstand.orderStatus(orderIdOf(shirtId, 0, sold))).to.equal(Status.None);
        // The same line without the stray bit is a good purchase.
        const { orderId } = await placed(
          merchstand,
          merchstand.connect(buyer).buy_oT9la(valid, SHIPPING, { value: price }),
        );
        expect(orderId).to.equal(orderIdOf(shirtId, 0, sold));
      });
    }

    it("refuses a stray high bit in an ERC-20 purchase before any token moves", async () => {
      const { merchstand, usd, buyer, mugId } = fx;
      const price = await priceOf(fx, mugId);
      const spender = await merchstand.getAddress();
      await usd.connect(buyer).approve(spender, price);
      const line = packLine(mugId, 0, 1, price) | (1n << 232n);
      const balance = await usd.balanceOf(buyer.address);
      const held = await usd.balanceOf(spender);
      const stock = await stockOf(fx, mugId);
      await expect(merchstand.connect(buyer).buy_oT9la(line, SHIPPING))
        .to.be.revertedWithCustomError(merchstand, "InvalidLine")
        .withArgs(line);
      expect(await usd.balanceOf(buyer.address)).to.equal(balance);
      expect(await usd.balanceOf(spender)).to.equal(held);
      expect(await usd.allowance(buyer.address, spender)).to.equal(price);
      expect(await stockOf(fx, mugId)).to.equal(stock);
    });

    it("reads each field at its own width, with no carry into the next", async () => {
      const { merchstand, buyer, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      const stock = await stockOf(fx, shirtId);
      // Each field at its maximum, written by hand: productId bits 0..63, variant 64..71, quantity 72..103.
      const maxProduct = 2n ** 64n - 1n;
      const one = 1n << 72n;
      const atPrice = price << 104n;
      await expect(merchstand.connect(buyer).buy_oT9la(maxProduct | one | atPrice, SHIPPING, { value: price }))
        .to.be.revertedWithCustomError(merchstand, "ProductNotFound")
        .withArgs(maxProduct);
      await expect(
        merchstand.connect(buyer).buy_oT9la(shirtId | (255n << 64n) | one | atPrice, SHIPPING, { value: price }),
      )
        .to.be.revertedWithCustomError(merchstand, "VariantNotFound")
        .withArgs(shirtId, 255);
      const maxQuantity = 2n ** 32n - 1n;
      await expect(
        merchstand
          .connect(buyer)
          .buy_oT9la(shirtId | (maxQuantity << 72n) | atPrice, SHIPPING, { value: price * maxQuantity }),
      )
        .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
        .withArgs(shirtId, 0, maxQuantity, stock);
      // A quantity of 2^32 does not fit its field: it is a zero quantity with one unit of price above it.
      await expect(merchstand.connect(buyer).buy_oT9la(shirtId + ((2n ** 32n) << 72n) + atPrice, SHIPPING))
        .to.be.revertedWithCustomError(merchstand, "ZeroQuantity")
        .withArgs(shirtId, 0);
    });

    it("reads the terms version from bits 200..231: any other version than the store's reverts TermsChanged", async () => {
      const { merchstand, buyer, shirtId, ethStoreId } = fx;
      const price = await priceOf(fx, shirtId);
      const body = packLine(shirtId, 0, 1, price, 0);
      expect(body >> 200n, "packLine(…, 0) leaves the version bits clear").to.equal(0n);
      for (const version of [0n, 2n, 2n ** 31n, 2n ** 32n - 1n]) {
        await expect(merchstand.connect(buyer).buy_oT9la(body | (version << 200n), SHIPPING, { value: price }))
          .to.be.revertedWithCustomError(merchstand, "TermsChanged")
          .withArgs(ethStoreId, version, 1);
      }
      expect(packLine(shirtId, 0, 1, price, 1)).to.equal(body | (1n << 200n));
      await expect(merchstand.connect(buyer).buy_oT9la(body | (1n << 200n), SHIPPING, { value: price })).to.emit(
        merchstand,
        "OrderPlaced",
      );
    });

    it("takes every bit below 200 as the line: a maxUnitPrice of 2^96 - 1 is just a generous maximum", async () => {
      const { merchstand, buyer, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      const line = packLine(shirtId, 0, 1, 2n ** 96n - 1n);
      // Bits 104..199 (the whole price field) are set; above them only the terms version (1).
      expect((line >> 104n) & (2n ** 96n - 1n)).to.equal(2n ** 96n - 1n);
      expect(line >> 200n).to.equal(1n);
      const { order } = await placed(merchstand, merchstand.connect(buyer).buy_oT9la(line, SHIPPING, { value: price }));
      expect(order.amount).to.equal(price);
      expect(order.lines[0]?.unitPrice).to.equal(price);
    });
  });

  describe("order ids", () => {
    it("differ for two orders of one variant and never repeat after a refund or cancel returns stock", async () => {
      const { merchstand, seller, buyer, buyer2, shirtId } = fx;
      const sold = await soldOf(fx, shirtId);
      const a = await buyEth(fx, buyer, shirtId, { quantity: 2n });
      const b = await buyEth(fx, buyer2, shirtId);
      expect(a.orderId).to.equal(orderIdOf(shirtId, 0, sold));
      expect(b.orderId).to.equal(orderIdOf(shirtId, 0, sold + 2n));

      // A full refund puts a's two units back in stock; the sold counter does not go down.
      const stock = await stockOf(fx, shirtId);
      await (await merchstand.connect(seller).refund(a.orderId, a.order, a.order.amount)).wait();
      expect(await stockOf(fx, shirtId)).to.equal(stock + 2n);
      expect(await soldOf(fx, shirtId)).to.equal(sold + 3n);
      // So does a cancel of b once the ship window has passed.
      await fx.networkHelpers.time.increase((await fixtureTerms(fx)).shipWindow);
      await (await merchstand.connect(buyer2).cancel(b.orderId, b.order)).wait();
      expect(await stockOf(fx, shirtId)).to.equal(stock + 3n);
      expect(await soldOf(fx, shirtId)).to.equal(sold + 3n);

      // The next order of the variant gets a fresh id, and the ended orders keep theirs.
      const c = await buyEth(fx, buyer, shirtId, { quantity: 3n });
      expect(c.orderId).to.equal(orderIdOf(shirtId, 0, sold + 3n));
      expect(new Set([a.orderId, b.orderId, c.orderId]).size).to.equal(3);
      expect(await merchstand.orderStatus(a.orderId)).to.equal(Status.Refunded);
      expect(await merchstand.orderStatus(b.orderId)).to.equal(Status.Cancelled);
      expect(await merchstand.orderStatus(c.orderId)).to.equal(Status.Paid);
      await expectConserved(fx, ZERO);
    });

    it("are told apart by product and variant: the same sold count under another variant is another id", async () => {
      const { buyer, shirtId, ebookId } = fx;
      const s0 = await buyEth(fx, buyer, shirtId, { variant: 0 });
      const s1 = await buyEth(fx, buyer, shirtId, { variant: 1 });
      const e0 = await buyEth(fx, buyer, ebookId, { shipping: BUYER_KEY });
      expect([s0.orderId, s1.orderId, e0.orderId]).to.deep.equal([
        orderIdOf(shirtId, 0, 0n),
        orderIdOf(shirtId, 1, 0n),
        orderIdOf(ebookId, 0, 0n),
      ]);
      expect(new Set([s0.orderId, s1.orderId, e0.orderId]).size).to.equal(3);
    });
  });

  describe("checkout", () => {
    async function secondEthStore() {
      const { other } = fx;
      const storeId = await openStore(fx, other, { name: "Second Store" });
      const capId = await listProduct(fx, other, storeId, productInput({ name: "Cap" }), [
        variant("One", 3n * 10n ** 15n, 4),
      ]);
      return { storeId, capId };
    }

    it("places one order per store, each id made from its first line's variant, for the exact total", async () => {
      const { merchstand, buyer, buyer2, shirtId, ethStoreId, ethers } = fx;
      const { storeId, capId } = await secondEthStore();
      // Earlier sales, so neither id is its variant's first.
      await buyEth(fx, buyer2, shirtId, { variant: 2 });
      await buyEth(fx, buyer2, capId);
      const capStock = await stockOf(fx, capId);
      const shirt = await priceOf(fx, shirtId, 2);
      const medium = await priceOf(fx, shirtId, 1);
      const cap = await priceOf(fx, capId);
      const cart = [
        {
          storeId: ethStoreId,
          termsVersion: 1,
          lines: [
            { productId: shirtId, variant: 2, quantity: 2, maxUnitPrice: shirt },
            { productId: shirtId, variant: 1, quantity: 1, maxUnitPrice: medium },
          ],
          shipping: SHIPPING,
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
        {
          storeId,
          termsVersion: 1,
          lines: [{ productId: capId, variant: 0, quantity: 3, maxUnitPrice: cap }],
          shipping: shippingBlob(150),
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
      ];
      const total = shirt * 2n + medium + cap * 3n;
      const ids = [orderIdOf(shirtId, 2, await soldOf(fx, shirtId, 2)), orderIdOf(capId, 0, await soldOf(fx, capId))];
      expect(ids[0]).to.equal((shirtId << 40n) | (2n << 32n) | 1n);
      expect(ids[1]).to.equal((capId << 40n) | 1n);
      expect(Array.from(await merchstand.connect(buyer).checkout.staticCall(cart, { value: total }))).to.deep.equal(
        ids,
      );
      const feeBps = BigInt(await merchstand.feeBps());
      const t = await pinNextTimestamp(fx);
      const previous = [
        await lastOrderOf(fx, shirtId, 2),
        await lastOrderOf(fx, shirtId, 1),
        await lastOrderOf(fx, capId, 0),
      ] as const;
      const tx = merchstand.connect(buyer).checkout(cart, { value: total });
      await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [-total, total]);
      await expect(tx)
        .to.emit(merchstand, "OrderPlaced")
        .withArgs(
          ids[0],
          buyer.address,
          ethStoreId,
          infoWord(1n, feeBps, t),
          [lineWord(shirtId, 2, 2n, shirt, previous[0]), lineWord(shirtId, 1, 1n, medium, previous[1])],
          SHIPPING,
        );
      await expect(tx)
        .to.emit(merchstand, "OrderPlaced")
        .withArgs(
          ids[1],
          buyer.address,
          storeId,
          infoWord(1n, feeBps, t),
          [lineWord(capId, 0, 3n, cap, previous[2])],
          shippingBlob(150),
        );
      const receipt = await (await tx).wait();
      if (receipt === null) throw new Error("no receipt");
      const orders = await placedAll(merchstand, receipt);
      expect(orders.map((o) => o.orderId)).to.deep.equal(ids);
      expect(orders[0]?.order.amount).to.equal(shirt * 2n + medium);
      expect(orders[0]?.order.lines.length).to.equal(2);
      expect(orders[1]?.order.amount).to.equal(cap * 3n);
      expect(orders[1]?.order.storeId).to.equal(storeId);
      expect(await merchstand.orderStatus(ids[0] as bigint)).to.equal(Status.Paid);
      expect(await merchstand.orderStatus(ids[1] as bigint)).to.equal(Status.Paid);
      expect(await stockOf(fx, capId)).to.equal(capStock - 3n);
      expect(await soldOf(fx, capId)).to.equal(4n);
      await expectConserved(fx, ZERO);
    });

    it("gives two orders of one cart that start with the same variant different ids", async () => {
      const { merchstand, buyer, shirtId, ethStoreId } = fx;
      const price = await priceOf(fx, shirtId);
      const sold = await soldOf(fx, shirtId);
      const line = (quantity: number) => ({ productId: shirtId, variant: 0, quantity, maxUnitPrice: price });
      const cart = [
        {
          storeId: ethStoreId,
          termsVersion: 1,
          lines: [line(2)],
          shipping: SHIPPING,
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
        {
          storeId: ethStoreId,
          termsVersion: 1,
          lines: [line(1)],
          shipping: shippingBlob(100),
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
      ];
      // The second order's id is taken after the first took its two units.
      const ids = [orderIdOf(shirtId, 0, sold), orderIdOf(shirtId, 0, sold + 2n)];
      expect(
        Array.from(await merchstand.connect(buyer).checkout.staticCall(cart, { value: price * 3n })),
      ).to.deep.equal(ids);
      const receipt = await (await merchstand.connect(buyer).checkout(cart, { value: price * 3n })).wait();
      if (receipt === null) throw new Error("no receipt");
      const orders = await placedAll(merchstand, receipt);
      expect(orders.map((o) => o.orderId)).to.deep.equal(ids);
      expect(orders.map((o) => o.order.amount)).to.deep.equal([price * 2n, price]);
      for (const id of ids) expect(await merchstand.orderStatus(id)).to.equal(Status.Paid);
      expect(await soldOf(fx, shirtId)).to.equal(sold + 3n);
    });

    it("keeps an all-digital order in escrow beside the physical one: both Paid", async () => {
      const { merchstand, buyer, ebookId, ethStoreId } = fx;
      const { storeId, capId } = await secondEthStore();
      const ebook = await priceOf(fx, ebookId);
      const cap = await priceOf(fx, capId);
      const cart = [
        {
          storeId: ethStoreId,
          termsVersion: 1,
          lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
          shipping: BUYER_KEY,
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
        {
          storeId,
          termsVersion: 1,
          lines: [{ productId: capId, variant: 0, quantity: 1, maxUnitPrice: cap }],
          shipping: SHIPPING,
          zone: 0,
          maxShipping: 0n,
          code: NO_CODE,
        },
      ];
      const digital = orderIdOf(ebookId, 0, await soldOf(fx, ebookId));
      const physical = orderIdOf(capId, 0, await soldOf(fx, capId));
      await expect(merchstand.connect(buyer).checkout(cart, { value: ebook + cap }))
        .to.emit(merchstand, "OrderPlaced")
        .withArgs(digital, buyer.address, ethStoreId, anyValue, anyValue, BUYER_KEY);
      expect(await merchstand.orderStatus(digital)).to.equal(Status.Paid);
      expect(await merchstand.orderStatus(physical)).to.equal(Status.Paid);
    });

    it("refuses an order that mixes digital and physical lines with MixedOrder, naming the first odd line", async () => {
      const { merchstand, buyer, shirtId, ebookId, ethStoreId } = fx;
      const ebook = await priceOf(fx, ebookId);
      const shirt = await priceOf(fx, shirtId);
      const lines = [
        { productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt },
        { productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook },
      ];
      for (const [ordered, odd] of [
        [lines, ebookId],
        [[...lines].reverse(), shirtId],
      ] as const) {
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: ordered,
                shipping: SHIPPING,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            {
              value: ebook + shirt,
            },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "MixedOrder")
          .withArgs(ethStoreId, odd);
      }
      // Split in two orders of the same store, the same cart goes through.
      await expect(
        merchstand.connect(buyer).checkout(
          [
            {
              storeId: ethStoreId,
              termsVersion: 1,
              lines: [lines[0] as (typeof lines)[0]],
              shipping: SHIPPING,
              zone: 0,
              maxShipping: 0n,
              code: NO_CODE,
            },
            {
              storeId: ethStoreId,
              termsVersion: 1,
              lines: [lines[1] as (typeof lines)[0]],
              shipping: BUYER_KEY,
              zone: 0,
              maxShipping: 0n,
              code: NO_CODE,
            },
          ],
          { value: ebook + shirt },
        ),
      ).to.emit(merchstand, "OrderPlaced");
    });

    describe("when one order of the cart fails", () => {
      it("reverts the whole cart: no stock taken, no order placed", async () => {
        const { merchstand, buyer, shirtId, ethStoreId } = fx;
        const { storeId, capId } = await secondEthStore();
        const shirt = await priceOf(fx, shirtId);
        const cap = await priceOf(fx, capId);
        const shirtStock = await stockOf(fx, shirtId);
        const shirtSold = await soldOf(fx, shirtId);
        // The id the shirt order would have had.
        const wouldBe = orderIdOf(shirtId, 0, shirtSold);
        const cart = [
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
          {
            storeId,
            termsVersion: 1,
            lines: [{ productId: capId, variant: 0, quantity: 5, maxUnitPrice: cap }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: shirt + cap * 5n }))
          .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
          .withArgs(capId, 0, 5, 4);
        expect(await stockOf(fx, shirtId)).to.equal(shirtStock);
        expect(await soldOf(fx, shirtId)).to.equal(shirtSold);
        expect(await merchstand.orderStatus(wouldBe)).to.equal(Status.None);
      });
    });

    describe("when two lines ask for the same variant", () => {
      it("checks stock against both together", async () => {
        const { merchstand, buyer, shirtId, ethStoreId } = fx;
        const price = await priceOf(fx, shirtId);
        const stock = await stockOf(fx, shirtId);
        const half = stock / 2n + 1n;
        const cart = [
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [
              { productId: shirtId, variant: 0, quantity: half, maxUnitPrice: price },
              { productId: shirtId, variant: 0, quantity: half, maxUnitPrice: price },
            ],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: price * half * 2n }))
          .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
          .withArgs(shirtId, 0, half, stock - half);
      });
    });

    describe("when the cart mixes currencies", () => {
      it("reverts with CurrencyMismatch", async () => {
        const { merchstand, usd, buyer, shirtId, mugId, ethStoreId, usdStoreId } = fx;
        const shirt = await priceOf(fx, shirtId);
        const mug = await priceOf(fx, mugId);
        const cart = [
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
          {
            storeId: usdStoreId,
            termsVersion: 1,
            lines: [{ productId: mugId, variant: 0, quantity: 1, maxUnitPrice: mug }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: shirt }))
          .to.be.revertedWithCustomError(merchstand, "CurrencyMismatch")
          .withArgs(ZERO, await usd.getAddress());
      });
    });

    describe("when the cart has more lines than MAX_CART_LINES", () => {
      it("reverts with CartTooLarge; exactly the cap is accepted", async () => {
        const { merchstand, seller, buyer, ethStoreId } = fx;
        const max = await merchstand.MAX_CART_LINES();
        const variants = Array.from({ length: Number(await merchstand.MAX_VARIANTS()) }, (_, i) =>
          variant(`V${i}`, 1000n, 100),
        );
        const productId = await listProduct(
          fx,
          seller,
          ethStoreId,
          productInput({ digital: true, category: 5 }),
          variants,
        );
        const line = (i: number) => ({ productId, variant: i % variants.length, quantity: 1, maxUnitPrice: 1000n });
        const lines = (n: bigint) => Array.from({ length: Number(n) }, (_, i) => line(i));
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: lines(max + 1n),
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            {
              value: 1000n * (max + 1n),
            },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "CartTooLarge")
          .withArgs(max + 1n, max);
        // The cap counts lines across all orders of the cart.
        const half = max / 2n + 1n;
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: lines(half),
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: lines(half),
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            { value: 1000n * half * 2n },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "CartTooLarge")
          .withArgs(half * 2n, max);
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: lines(max),
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            {
              value: 1000n * max,
            },
          ),
        ).to.emit(merchstand, "OrderPlaced");
      });
    });

    describe("when one order of the cart would escrow more than a uint128", () => {
      it("reverts with InvalidAmount", async () => {
        const { merchstand, seller, buyer, usd, usdStoreId } = fx;
        const price = 2n ** 96n - 1n;
        const units = 2n ** 32n - 1n;
        const productId = await listProduct(fx, seller, usdStoreId, productInput({ name: "Vault" }), [
          variant("A", price, Number(units)),
          variant("B", price, Number(units)),
        ]);
        const amount = price * units * 2n;
        await usd.mint(buyer.address, amount);
        await usd.connect(buyer).approve(await merchstand.getAddress(), amount);
        const lines = [0, 1].map((v) => ({ productId, variant: v, quantity: units, maxUnitPrice: price }));
        // The id the order would have had: its first line is variant A, of which nothing was sold.
        const id = orderIdOf(productId, 0, 0n);
        await expect(
          merchstand.connect(buyer).checkout([
            {
              storeId: usdStoreId,
              termsVersion: 1,
              lines,
              shipping: SHIPPING,
              zone: 0,
              maxShipping: 0n,
              code: NO_CODE,
            },
          ]),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(id, amount, 2n ** 128n - 1n);
      });
    });

    describe("when the cart or one of its orders is empty", () => {
      it("reverts with EmptyCart", async () => {
        const { merchstand, buyer, ethStoreId } = fx;
        await expect(merchstand.connect(buyer).checkout([])).to.be.revertedWithCustomError(merchstand, "EmptyCart");
        await expect(
          merchstand.connect(buyer).checkout([
            {
              storeId: ethStoreId,
              termsVersion: 1,
              lines: [],
              shipping: SHIPPING,
              zone: 0,
              maxShipping: 0n,
              code: NO_CODE,
            },
          ]),
        ).to.be.revertedWithCustomError(merchstand, "EmptyCart");
      });
    });

    describe("when a product belongs to another store than the cart order names", () => {
      it("reverts with ProductNotInStore", async () => {
        const { merchstand, buyer, ebookId } = fx;
        const { storeId } = await secondEthStore();
        const ebook = await priceOf(fx, ebookId);
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId,
                termsVersion: 1,
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            { value: ebook },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "ProductNotInStore")
          .withArgs(ebookId, storeId);
      });
    });

    describe("shipping blob per order", () => {
      it("is a sealed address (1..512 bytes) for a physical order and the buyer's 32-byte key for a digital one", async () => {
        const { merchstand, buyer, shirtId, ebookId, ethStoreId } = fx;
        const shirt = await priceOf(fx, shirtId);
        const ebook = await priceOf(fx, ebookId);
        const physical = [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt }];
        const digital = [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }];
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: physical,
                shipping: "0x",
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            { value: shirt },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 0, MAX_SHIPPING);
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: digital,
                shipping: shippingBlob(10),
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            {
              value: ebook,
            },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 10, 32);
      });
    });

    describe("when the ETH sent is not the cart total", () => {
      it("reverts with IncorrectPayment", async () => {
        const { merchstand, buyer, shirtId, ebookId, ethStoreId } = fx;
        const shirt = await priceOf(fx, shirtId);
        const ebook = await priceOf(fx, ebookId);
        const cart = [
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [{ productId: ebookId, variant: 0, quantity: 2, maxUnitPrice: ebook }],
            shipping: BUYER_KEY,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: shirt + ebook }))
          .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
          .withArgs(shirt + ebook * 2n, shirt + ebook);
      });
    });

    describe("when a store in the cart is closed", () => {
      it("reverts with StoreIsClosed", async () => {
        const { merchstand, buyer, other, ebookId, ethStoreId } = fx;
        const { storeId, capId } = await secondEthStore();
        await merchstand.connect(other).closeStore(storeId);
        const ebook = await priceOf(fx, ebookId);
        const cap = await priceOf(fx, capId);
        const cart = [
          {
            storeId: ethStoreId,
            termsVersion: 1,
            lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
            shipping: BUYER_KEY,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
          {
            storeId,
            termsVersion: 1,
            lines: [{ productId: capId, variant: 0, quantity: 1, maxUnitPrice: cap }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: ebook + cap }))
          .to.be.revertedWithCustomError(merchstand, "StoreIsClosed")
          .withArgs(storeId);
      });
    });

    describe("when the store does not exist", () => {
      it("reverts with StoreNotFound", async () => {
        const { merchstand, buyer, ebookId } = fx;
        const ebook = await priceOf(fx, ebookId);
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: 999,
                termsVersion: 1,
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            {
              value: ebook,
            },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "StoreNotFound")
          .withArgs(999);
      });
    });

    describe("in an ERC-20", () => {
      it("pulls the cart total once", async () => {
        const { merchstand, usd, buyer, mugId, usdStoreId, ethers } = fx;
        const mug = await priceOf(fx, mugId);
        await usd.mint(buyer.address, mug * 3n);
        await usd.connect(buyer).approve(await merchstand.getAddress(), mug * 3n);
        const cart = [
          {
            storeId: usdStoreId,
            termsVersion: 1,
            lines: [{ productId: mugId, variant: 0, quantity: 3, maxUnitPrice: mug }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart)).to.changeTokenBalances(
          ethers,
          usd,
          [buyer, merchstand],
          [-mug * 3n, mug * 3n],
        );
        await expectConserved(fx, await usd.getAddress());
      });

      it("rejects ETH sent along with IncorrectPayment", async () => {
        const { merchstand, usd, buyer, mugId, usdStoreId } = fx;
        const mug = await priceOf(fx, mugId);
        await usd.mint(buyer.address, mug);
        await usd.connect(buyer).approve(await merchstand.getAddress(), mug);
        const cart = [
          {
            storeId: usdStoreId,
            termsVersion: 1,
            lines: [{ productId: mugId, variant: 0, quantity: 1, maxUnitPrice: mug }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: 5 }))
          .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
          .withArgs(0, 5);
      });
    });

    describe("when the protocol is paused", () => {
      it("reverts with EnforcedPause", async () => {
        const { merchstand, admin, buyer, ebookId, ethStoreId } = fx;
        const ebook = await priceOf(fx, ebookId);
        await merchstand.connect(admin).pause();
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            {
              value: ebook,
            },
          ),
        ).to.be.revertedWithCustomError(merchstand, "EnforcedPause");
      });
    });
  });

  describe("checkoutWithPermit", () => {
    async function mugCart(quantity: bigint) {
      const mug = await priceOf(fx, fx.mugId);
      return {
        total: mug * quantity,
        cart: [
          {
            storeId: fx.usdStoreId,
            termsVersion: 1,
            lines: [{ productId: fx.mugId, variant: 0, quantity, maxUnitPrice: mug }],
            shipping: SHIPPING,
            zone: 0,
            maxShipping: 0n,
            code: NO_CODE,
          },
        ],
      };
    }

    async function deadline(): Promise<bigint> {
      return BigInt(await fx.networkHelpers.time.latest()) + 3600n;
    }

    it("pays with one signature and no prior approval", async () => {
      const { merchstand, usd, buyer, ethers } = fx;
      const { cart, total } = await mugCart(2n);
      await usd.mint(buyer.address, total);
      const spender = await merchstand.getAddress();
      expect(await usd.allowance(buyer.address, spender)).to.equal(0);
      const permit = await signPermit(usd, buyer, spender, total, await deadline());
      const tx = merchstand.connect(buyer).checkoutWithPermit(cart, permit);
      await expect(tx).to.changeTokenBalances(ethers, usd, [buyer, merchstand], [-total, total]);
      await expect(tx).to.emit(merchstand, "OrderPlaced");
      expect(await usd.nonces(buyer.address)).to.equal(1);
      expect(await usd.allowance(buyer.address, spender)).to.equal(0);
      await expectConserved(fx, await usd.getAddress());
    });

    describe("when the permit was already used (front-run) and the allowance covers the total", () => {
      it("skips the permit and still pays", async () => {
        const { merchstand, usd, buyer, other, ethers } = fx;
        const { cart, total } = await mugCart(1n);
        await usd.mint(buyer.address, total);
        const spender = await merchstand.getAddress();
        const permit = await signPermit(usd, buyer, spender, total, await deadline());
        // Someone copies the permit from the mempool and submits it first.
        await usd
          .connect(other)
          .permit(buyer.address, spender, permit.value, permit.deadline, permit.v, permit.r, permit.s);
        expect(await usd.allowance(buyer.address, spender)).to.equal(total);
        await expect(merchstand.connect(buyer).checkoutWithPermit(cart, permit)).to.changeTokenBalances(
          ethers,
          usd,
          [buyer, merchstand],
          [-total, total],
        );
      });
    });

    describe("when the permit fails and the allowance does not cover the total", () => {
      it("reverts and takes nothing", async () => {
        const { merchstand, usd, buyer, buyer2 } = fx;
        const { cart, total } = await mugCart(1n);
        await usd.mint(buyer.address, total);
        const spender = await merchstand.getAddress();
        // Signed by someone else: the token rejects it, and there is no allowance to fall back on.
        const forged = await signPermit(usd, buyer2, spender, total, await deadline());
        const sold = await soldOf(fx, fx.mugId);
        const balance = await usd.balanceOf(buyer.address);
        await expect(merchstand.connect(buyer).checkoutWithPermit(cart, forged))
          .to.be.revertedWithCustomError(usd, "ERC20InsufficientAllowance")
          .withArgs(spender, 0, total);
        expect(await usd.balanceOf(buyer.address)).to.equal(balance);
        expect(await soldOf(fx, fx.mugId)).to.equal(sold);
        expect(await merchstand.orderStatus(orderIdOf(fx.mugId, 0, sold))).to.equal(Status.None);
      });
    });

    describe("when the permit is for less than the total", () => {
      it("reverts with PermitTooSmall", async () => {
        const { merchstand, usd, buyer } = fx;
        const { cart, total } = await mugCart(2n);
        await usd.mint(buyer.address, total);
        const permit = await signPermit(usd, buyer, await merchstand.getAddress(), total - 1n, await deadline());
        await expect(merchstand.connect(buyer).checkoutWithPermit(cart, permit))
          .to.be.revertedWithCustomError(merchstand, "PermitTooSmall")
          .withArgs(total - 1n, total);
      });
    });

    describe("when the permit is for more than the total", () => {
      it("takes only the total", async () => {
        const { merchstand, usd, buyer, ethers } = fx;
        const { cart, total } = await mugCart(1n);
        await usd.mint(buyer.address, total * 2n);
        const permit = await signPermit(usd, buyer, await merchstand.getAddress(), total * 2n, await deadline());
        await expect(merchstand.connect(buyer).checkoutWithPermit(cart, permit)).to.changeTokenBalances(
          ethers,
          usd,
          [buyer, merchstand],
          [-total, total],
        );
      });
    });

    describe("when the cart is in ETH", () => {
      it("reverts: there is no permit for ETH", async () => {
        const { merchstand, usd, buyer, ebookId, ethStoreId } = fx;
        const ebook = await priceOf(fx, ebookId);
        const permit = await signPermit(usd, buyer, await merchstand.getAddress(), ebook, await deadline());
        await expect(
          merchstand.connect(buyer).checkoutWithPermit(
            [
              {
                storeId: ethStoreId,
                termsVersion: 1,
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: BUYER_KEY,
                zone: 0,
                maxShipping: 0n,
                code: NO_CODE,
              },
            ],
            permit,
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "CurrencyNotAllowed")
          .withArgs(ZERO);
      });
    });

    describe("when the protocol is paused", () => {
      it("reverts with EnforcedPause", async () => {
        const { merchstand, usd, admin, buyer } = fx;
        const { cart, total } = await mugCart(1n);
        await usd.mint(buyer.address, total);
        const permit = await signPermit(usd, buyer, await merchstand.getAddress(), total, await deadline());
        await merchstand.connect(admin).pause();
        await expect(merchstand.connect(buyer).checkoutWithPermit(cart, permit)).to.be.revertedWithCustomError(
          merchstand,
          "EnforcedPause",
        );
      });
    });
  });
});
