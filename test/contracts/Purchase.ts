import { expect } from "chai";
import {
  buyEth,
  buyUsd,
  expectConserved,
  type Fx,
  fee,
  listProduct,
  load,
  MAX_SHIPPING,
  openStore,
  orderTuple,
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
} from "./helpers.ts";

describe("Purchase", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  describe("buy", () => {
    describe("with ETH", () => {
      it("escrows the exact price, takes stock and emits OrderPlaced with the full order", async () => {
        const { merchstand, buyer, shirtId, ethStoreId, ethers } = fx;
        const price = await priceOf(fx, shirtId, 1);
        const stock = await stockOf(fx, shirtId, 1);
        const feeBps = await merchstand.feeBps();
        const id = (await merchstand.orderCount()) + 1n;
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
          lines: [{ productId: BigInt(shirtId), variant: 1n, quantity: 2n, unitPrice: price }],
        };
        const tx = merchstand.connect(buyer).buy(shirtId, 1, 2, price, SHIPPING, { value: price * 2n });
        await expect(tx)
          .to.emit(merchstand, "OrderPlaced")
          .withArgs(id, buyer.address, ethStoreId, orderTuple(expected), SHIPPING);
        await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [-price * 2n, price * 2n]);

        expect(await merchstand.orderStatus(id)).to.equal(Status.Paid);
        expect(await merchstand.orderCount()).to.equal(id);
        const v = (await merchstand.getProduct(shirtId)).variants[1];
        expect(v?.stock).to.equal(stock - 2n);
        expect(v?.sold).to.equal(2);
        await expectConserved(fx, ZERO);
      });

      it("returns the new order id", async () => {
        const { merchstand, buyer, shirtId } = fx;
        const price = await priceOf(fx, shirtId);
        const id = await merchstand.connect(buyer).buy.staticCall(shirtId, 0, 1, price, SHIPPING, { value: price });
        expect(id).to.equal((await merchstand.orderCount()) + 1n);
      });

      it("charges the current price when the buyer accepted a higher one", async () => {
        const { merchstand, buyer, shirtId } = fx;
        const price = await priceOf(fx, shirtId);
        const { order } = await placed(
          merchstand,
          merchstand.connect(buyer).buy(shirtId, 0, 1, price * 2n, SHIPPING, { value: price }),
        );
        expect(order.amount).to.equal(price);
        expect(order.lines[0]?.unitPrice).to.equal(price);
      });

      describe("when the ETH sent is not exactly the price", () => {
        it("reverts with IncorrectPayment, both short and over", async () => {
          const { merchstand, buyer, shirtId } = fx;
          const price = await priceOf(fx, shirtId);
          await expect(merchstand.connect(buyer).buy(shirtId, 0, 2, price, SHIPPING, { value: price * 2n - 1n }))
            .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
            .withArgs(price * 2n, price * 2n - 1n);
          await expect(merchstand.connect(buyer).buy(shirtId, 0, 2, price, SHIPPING, { value: price * 2n + 1n }))
            .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
            .withArgs(price * 2n, price * 2n + 1n);
        });
      });

      describe("when the price rose above the buyer's maximum", () => {
        it("reverts with PriceAboveMax", async () => {
          const { merchstand, buyer, seller, shirtId } = fx;
          const seen = await priceOf(fx, shirtId);
          await merchstand.connect(seller).setVariantPrice(shirtId, 0, seen + 1n);
          await expect(merchstand.connect(buyer).buy(shirtId, 0, 1, seen, SHIPPING, { value: seen + 1n }))
            .to.be.revertedWithCustomError(merchstand, "PriceAboveMax")
            .withArgs(shirtId, 0, seen + 1n, seen);
        });
      });

      describe("when the quantity is zero", () => {
        it("reverts with ZeroQuantity", async () => {
          const { merchstand, buyer, shirtId } = fx;
          const price = await priceOf(fx, shirtId);
          await expect(merchstand.connect(buyer).buy(shirtId, 0, 0, price, SHIPPING))
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
            merchstand.connect(buyer).buy(shirtId, 0, stock + 1n, price, SHIPPING, { value: price * (stock + 1n) }),
          )
            .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
            .withArgs(shirtId, 0, stock + 1n, stock);
          await buyEth(fx, buyer, shirtId, { quantity: stock });
          expect(await stockOf(fx, shirtId)).to.equal(0);
          await expect(merchstand.connect(buyer2).buy(shirtId, 0, 1, price, SHIPPING, { value: price }))
            .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
            .withArgs(shirtId, 0, 1, 0);
          expect((await merchstand.getProduct(shirtId)).variants[0]?.sold).to.equal(stock);
        });
      });

      describe("when the product or variant does not exist", () => {
        it("reverts with ProductNotFound or VariantNotFound", async () => {
          const { merchstand, buyer, shirtId } = fx;
          for (const id of [0, 999]) {
            await expect(merchstand.connect(buyer).buy(id, 0, 1, 1, SHIPPING, { value: 1 }))
              .to.be.revertedWithCustomError(merchstand, "ProductNotFound")
              .withArgs(id);
          }
          const n = (await merchstand.getProduct(shirtId)).variants.length;
          await expect(merchstand.connect(buyer).buy(shirtId, n, 1, 1, SHIPPING, { value: 1 }))
            .to.be.revertedWithCustomError(merchstand, "VariantNotFound")
            .withArgs(shirtId, n);
        });
      });

      describe("when the store is closed", () => {
        it("reverts with StoreIsClosed", async () => {
          const { merchstand, buyer, seller, shirtId, ethStoreId } = fx;
          const price = await priceOf(fx, shirtId);
          await merchstand.connect(seller).closeStore(ethStoreId);
          await expect(merchstand.connect(buyer).buy(shirtId, 0, 1, price, SHIPPING, { value: price }))
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
            merchstand.connect(buyer).buy(shirtId, 0, 1, price, SHIPPING, { value: price }),
          ).to.be.revertedWithCustomError(merchstand, "EnforcedPause");
        });
      });
    });

    describe("shipping blob", () => {
      it("is required for a physical product (InvalidShippingBlob with length 0)", async () => {
        const { merchstand, buyer, shirtId, ethStoreId } = fx;
        const price = await priceOf(fx, shirtId);
        await expect(merchstand.connect(buyer).buy(shirtId, 0, 1, price, "0x", { value: price }))
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 0, MAX_SHIPPING);
      });

      it("may be 512 bytes but not 513", async () => {
        const { merchstand, buyer, shirtId, ethStoreId } = fx;
        const price = await priceOf(fx, shirtId);
        const blob = shippingBlob(512);
        await expect(merchstand.connect(buyer).buy(shirtId, 0, 1, price, blob, { value: price }))
          .to.emit(merchstand, "OrderPlaced")
          .withArgs(
            (await merchstand.orderCount()) + 1n,
            buyer.address,
            ethStoreId,
            (o: unknown) => o !== undefined,
            blob,
          );
        await expect(merchstand.connect(buyer).buy(shirtId, 0, 1, price, shippingBlob(513), { value: price }))
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 513, MAX_SHIPPING);
      });

      it("is forbidden for a digital product (InvalidShippingBlob)", async () => {
        const { merchstand, buyer, ebookId, ethStoreId } = fx;
        const price = await priceOf(fx, ebookId);
        await expect(merchstand.connect(buyer).buy(ebookId, 0, 1, price, SHIPPING, { value: price }))
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 200, MAX_SHIPPING);
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
      it("completes at purchase: the store is credited the price less the fee", async () => {
        const { merchstand, buyer, ebookId, ethStoreId, feeRecipient } = fx;
        const price = await priceOf(fx, ebookId);
        const feeBps = BigInt(await merchstand.feeBps());
        const id = (await merchstand.orderCount()) + 1n;
        const storeBefore = (await merchstand.getStore(ethStoreId)).balance;
        const feeBefore = await merchstand.credits(feeRecipient.address, ZERO);
        await expect(merchstand.connect(buyer).buy(ebookId, 0, 1, price, "0x", { value: price }))
          .to.emit(merchstand, "OrderCompleted")
          .withArgs(id, ethStoreId, price - fee(price, feeBps), fee(price, feeBps));
        expect(await merchstand.orderStatus(id)).to.equal(Status.Completed);
        expect((await merchstand.getStore(ethStoreId)).balance).to.equal(storeBefore + price - fee(price, feeBps));
        expect(await merchstand.credits(feeRecipient.address, ZERO)).to.equal(feeBefore + fee(price, feeBps));
        await expectConserved(fx, ZERO);
      });
    });

    describe("units sold", () => {
      it("saturate at the uint32 maximum without spilling into the rest of the variant", async () => {
        const { merchstand, seller, buyer, ethStoreId } = fx;
        const max = 2n ** 32n - 1n;
        const productId = await listProduct(fx, seller, ethStoreId, productInput({ digital: true, category: 5 }), [
          variant("PDF", 1n, Number(max)),
        ]);
        await merchstand.connect(buyer).buy(productId, 0, max, 1n, "0x", { value: max });
        await merchstand.connect(seller).setVariantStock(productId, 0, 5);
        await merchstand.connect(buyer).buy(productId, 0, 2, 1n, "0x", { value: 2n });
        const p = await merchstand.getProduct(productId);
        expect(p.variants[0]?.sold).to.equal(max);
        expect(p.variants[0]?.stock).to.equal(3);
        expect(p.variants[0]?.price).to.equal(1);
        expect(p.variants[0]?.active).to.equal(true);
        expect(p.storeId).to.equal(ethStoreId);
        // The variant still knows its store: a cart naming another store is refused, naming its own is accepted.
        await expect(
          merchstand.connect(buyer).checkout([
            {
              storeId: fx.usdStoreId,
              lines: [{ productId, variant: 0, quantity: 1, maxUnitPrice: 1n }],
              shipping: "0x",
            },
          ]),
        )
          .to.be.revertedWithCustomError(merchstand, "ProductNotInStore")
          .withArgs(productId, fx.usdStoreId);
        await expect(
          merchstand.connect(buyer).checkout(
            [
              {
                storeId: ethStoreId,
                lines: [{ productId, variant: 0, quantity: 1, maxUnitPrice: 1n }],
                shipping: "0x",
              },
            ],
            {
              value: 1n,
            },
          ),
        ).to.emit(merchstand, "OrderCompleted");
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
        await expect(merchstand.connect(buyer).buy(shirtId, 2, 1, price, SHIPPING, { value: price }))
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
        await expect(merchstand.connect(buyer).buy(shirtId, 0, 3, price, SHIPPING, { value: price * 3n }))
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
            lines: [
              { productId: shirtId, variant: 0, quantity: 2, maxUnitPrice: price },
              { productId: shirtId, variant: 1, quantity: 1, maxUnitPrice: price },
            ],
            shipping: SHIPPING,
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
      it("pulls the exact price with transferFrom", async () => {
        const { merchstand, usd, buyer, mugId, usdStoreId, ethers } = fx;
        const price = await priceOf(fx, mugId);
        await usd.mint(buyer.address, price);
        await usd.connect(buyer).approve(await merchstand.getAddress(), price);
        const tx = merchstand.connect(buyer).buy(mugId, 0, 1, price, SHIPPING);
        await expect(tx).to.changeTokenBalances(ethers, usd, [buyer, merchstand], [-price, price]);
        const [event] = await merchstand.queryFilter(merchstand.filters.OrderPlaced(undefined, buyer.address));
        expect(event?.args.order.currency).to.equal(await usd.getAddress());
        expect(event?.args.storeId).to.equal(usdStoreId);
        await expectConserved(fx, await usd.getAddress());
      });

      it("rejects ETH sent along with IncorrectPayment", async () => {
        const { merchstand, usd, buyer, mugId } = fx;
        const price = await priceOf(fx, mugId);
        await usd.mint(buyer.address, price);
        await usd.connect(buyer).approve(await merchstand.getAddress(), price);
        await expect(merchstand.connect(buyer).buy(mugId, 0, 1, price, SHIPPING, { value: 1 }))
          .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
          .withArgs(0, 1);
      });

      it("fails without allowance (the token's own error)", async () => {
        const { merchstand, usd, buyer, mugId } = fx;
        const price = await priceOf(fx, mugId);
        await usd.mint(buyer.address, price);
        await usd.connect(buyer).approve(await merchstand.getAddress(), 0);
        await expect(merchstand.connect(buyer).buy(mugId, 0, 1, price, SHIPPING))
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
          await expect(merchstand.connect(buyer).buy(mugId, 0, 1, price, SHIPPING))
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
          await expect(merchstand.connect(buyer).buy(productId, 0, 1, 10_000n, SHIPPING))
            .to.be.revertedWithCustomError(merchstand, "FeeOnTransferToken")
            .withArgs(token, 10_000n, 9_900n);
          expect(await stockOf(fx, productId)).to.equal(5);
        });
      });
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

    it("places one order per store, with consecutive ids, for the exact total", async () => {
      const { merchstand, buyer, shirtId, ebookId, ethStoreId, ethers } = fx;
      const { storeId, capId } = await secondEthStore();
      const shirt = await priceOf(fx, shirtId, 2);
      const ebook = await priceOf(fx, ebookId);
      const cap = await priceOf(fx, capId);
      const cart = [
        {
          storeId: ethStoreId,
          lines: [
            { productId: shirtId, variant: 2, quantity: 2, maxUnitPrice: shirt },
            { productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook },
          ],
          shipping: SHIPPING,
        },
        {
          storeId,
          lines: [{ productId: capId, variant: 0, quantity: 3, maxUnitPrice: cap }],
          shipping: shippingBlob(150),
        },
      ];
      const total = shirt * 2n + ebook + cap * 3n;
      const first = (await merchstand.orderCount()) + 1n;
      expect(await merchstand.connect(buyer).checkout.staticCall(cart, { value: total })).to.equal(first);
      const tx = merchstand.connect(buyer).checkout(cart, { value: total });
      await expect(tx).to.changeEtherBalances(ethers, [buyer, merchstand], [-total, total]);
      const receipt = await (await tx).wait();
      if (receipt === null) throw new Error("no receipt");
      const orders = placedAll(merchstand, receipt);
      expect(orders.map((o) => o.orderId)).to.deep.equal([first, first + 1n]);
      expect(orders[0]?.order.amount).to.equal(shirt * 2n + ebook);
      expect(orders[0]?.order.lines.length).to.equal(2);
      expect(orders[1]?.order.amount).to.equal(cap * 3n);
      expect(orders[1]?.order.storeId).to.equal(storeId);
      // A mixed order (physical + digital) waits for shipping.
      expect(await merchstand.orderStatus(first)).to.equal(Status.Paid);
      expect(await stockOf(fx, capId)).to.equal(1);
      await expectConserved(fx, ZERO);
    });

    it("completes an all-digital order at once and leaves the physical one paid", async () => {
      const { merchstand, buyer, ebookId, ethStoreId } = fx;
      const { storeId, capId } = await secondEthStore();
      const ebook = await priceOf(fx, ebookId);
      const cap = await priceOf(fx, capId);
      const cart = [
        {
          storeId: ethStoreId,
          lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
          shipping: "0x",
        },
        { storeId, lines: [{ productId: capId, variant: 0, quantity: 1, maxUnitPrice: cap }], shipping: SHIPPING },
      ];
      const first = (await merchstand.orderCount()) + 1n;
      await (await merchstand.connect(buyer).checkout(cart, { value: ebook + cap })).wait();
      expect(await merchstand.orderStatus(first)).to.equal(Status.Completed);
      expect(await merchstand.orderStatus(first + 1n)).to.equal(Status.Paid);
    });

    describe("when one order of the cart fails", () => {
      it("reverts the whole cart: no stock taken, no order placed", async () => {
        const { merchstand, buyer, shirtId, ethStoreId } = fx;
        const { storeId, capId } = await secondEthStore();
        const shirt = await priceOf(fx, shirtId);
        const cap = await priceOf(fx, capId);
        const shirtStock = await stockOf(fx, shirtId);
        const count = await merchstand.orderCount();
        const cart = [
          {
            storeId: ethStoreId,
            lines: [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt }],
            shipping: SHIPPING,
          },
          { storeId, lines: [{ productId: capId, variant: 0, quantity: 5, maxUnitPrice: cap }], shipping: SHIPPING },
        ];
        await expect(merchstand.connect(buyer).checkout(cart, { value: shirt + cap * 5n }))
          .to.be.revertedWithCustomError(merchstand, "InsufficientStock")
          .withArgs(capId, 0, 5, 4);
        expect(await stockOf(fx, shirtId)).to.equal(shirtStock);
        expect(await merchstand.orderCount()).to.equal(count);
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
            lines: [
              { productId: shirtId, variant: 0, quantity: half, maxUnitPrice: price },
              { productId: shirtId, variant: 0, quantity: half, maxUnitPrice: price },
            ],
            shipping: SHIPPING,
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
            lines: [{ productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt }],
            shipping: SHIPPING,
          },
          {
            storeId: usdStoreId,
            lines: [{ productId: mugId, variant: 0, quantity: 1, maxUnitPrice: mug }],
            shipping: SHIPPING,
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
          merchstand.connect(buyer).checkout([{ storeId: ethStoreId, lines: lines(max + 1n), shipping: "0x" }], {
            value: 1000n * (max + 1n),
          }),
        )
          .to.be.revertedWithCustomError(merchstand, "CartTooLarge")
          .withArgs(max + 1n, max);
        // The cap counts lines across all orders of the cart.
        const half = max / 2n + 1n;
        await expect(
          merchstand.connect(buyer).checkout(
            [
              { storeId: ethStoreId, lines: lines(half), shipping: "0x" },
              { storeId: ethStoreId, lines: lines(half), shipping: "0x" },
            ],
            { value: 1000n * half * 2n },
          ),
        )
          .to.be.revertedWithCustomError(merchstand, "CartTooLarge")
          .withArgs(half * 2n, max);
        await expect(
          merchstand
            .connect(buyer)
            .checkout([{ storeId: ethStoreId, lines: lines(max), shipping: "0x" }], { value: 1000n * max }),
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
        const id = (await merchstand.orderCount()) + 1n;
        await expect(merchstand.connect(buyer).checkout([{ storeId: usdStoreId, lines, shipping: SHIPPING }]))
          .to.be.revertedWithCustomError(merchstand, "InvalidAmount")
          .withArgs(id, amount, 2n ** 128n - 1n);
      });
    });

    describe("when the cart or one of its orders is empty", () => {
      it("reverts with EmptyCart", async () => {
        const { merchstand, buyer, ethStoreId } = fx;
        await expect(merchstand.connect(buyer).checkout([])).to.be.revertedWithCustomError(merchstand, "EmptyCart");
        await expect(
          merchstand.connect(buyer).checkout([{ storeId: ethStoreId, lines: [], shipping: SHIPPING }]),
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
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: "0x",
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
      it("is required when any line is physical and forbidden when all are digital", async () => {
        const { merchstand, buyer, shirtId, ebookId, ethStoreId } = fx;
        const shirt = await priceOf(fx, shirtId);
        const ebook = await priceOf(fx, ebookId);
        const mixed = [
          { productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook },
          { productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt },
        ];
        await expect(
          merchstand
            .connect(buyer)
            .checkout([{ storeId: ethStoreId, lines: mixed, shipping: "0x" }], { value: ebook + shirt }),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 0, MAX_SHIPPING);
        await expect(
          merchstand
            .connect(buyer)
            .checkout([{ storeId: ethStoreId, lines: [mixed[0] as (typeof mixed)[0]], shipping: shippingBlob(10) }], {
              value: ebook,
            }),
        )
          .to.be.revertedWithCustomError(merchstand, "InvalidShippingBlob")
          .withArgs(ethStoreId, 10, MAX_SHIPPING);
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
            lines: [
              { productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: shirt },
              { productId: ebookId, variant: 0, quantity: 2, maxUnitPrice: ebook },
            ],
            shipping: SHIPPING,
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
            lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
            shipping: "0x",
          },
          { storeId, lines: [{ productId: capId, variant: 0, quantity: 1, maxUnitPrice: cap }], shipping: SHIPPING },
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
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: "0x",
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
            lines: [{ productId: mugId, variant: 0, quantity: 3, maxUnitPrice: mug }],
            shipping: SHIPPING,
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
            lines: [{ productId: mugId, variant: 0, quantity: 1, maxUnitPrice: mug }],
            shipping: SHIPPING,
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
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: "0x",
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
            lines: [{ productId: fx.mugId, variant: 0, quantity, maxUnitPrice: mug }],
            shipping: SHIPPING,
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
        const count = await merchstand.orderCount();
        const balance = await usd.balanceOf(buyer.address);
        await expect(merchstand.connect(buyer).checkoutWithPermit(cart, forged))
          .to.be.revertedWithCustomError(usd, "ERC20InsufficientAllowance")
          .withArgs(spender, 0, total);
        expect(await usd.balanceOf(buyer.address)).to.equal(balance);
        expect(await merchstand.orderCount()).to.equal(count);
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
                lines: [{ productId: ebookId, variant: 0, quantity: 1, maxUnitPrice: ebook }],
                shipping: "0x",
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
