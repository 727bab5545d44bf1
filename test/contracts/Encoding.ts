// The bytes of what the contract takes back: the ABI encoding of an Order passed to an order call (offsets, padding,
// trailing bytes), and the packed line of buy_oT9la (every field's bits, the terms version, the bits that must be
// zero). The contract hashes the Order's calldata bytes as they are (Merchstand._loadOrder), so anything but the
// canonical encoding of the committed values must fail, and nothing else may matter.
import { expect } from "chai";
import { previousOrderBlock, unpackLine } from "../../frontend/src/client/protocol.ts";
import { buyEth, type Fx, load, packLine, priceOf, SHIPPING, Status, ship } from "./support/helpers.ts";

const WORD = 64; // hex characters per 32-byte word

describe("Encoding", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  /** Calldata of `complete(orderId, order)` for a shipped order, split into its selector and 32-byte words. */
  async function completeCall() {
    const { merchstand, buyer, shirtId } = fx;
    const { orderId, order } = await buyEth(fx, buyer, shirtId);
    const shipped = await ship(fx, orderId, order);
    const data = merchstand.interface.encodeFunctionData("complete", [orderId, shipped]);
    const selector = data.slice(0, 10);
    const words = data
      .slice(10)
      .match(new RegExp(`.{${WORD}}`, "g"))
      ?.map((w) => w);
    if (words === undefined) throw new Error("no words");
    return { orderId, order: shipped, selector, words };
  }

  const send = (data: string) =>
    fx.buyer.sendTransaction({ to: fx.merchstand.getAddress(), data, gasLimit: 1_000_000 });
  const word = (n: bigint) => n.toString(16).padStart(WORD, "0");

  describe("the Order passed back", () => {
    it("is laid out as the spec says: id, offset 0x40, 14 head words, lines offset 0x1c0, length, 4 words a line", async () => {
      const { orderId, order, words } = await completeCall();
      expect(BigInt(`0x${words[0]}`)).to.equal(orderId);
      expect(BigInt(`0x${words[1]}`), "offset of the Order tuple").to.equal(0x40n);
      expect(BigInt(`0x${words[2]}`), "buyer").to.equal(BigInt(order.buyer));
      expect(BigInt(`0x${words[8]}`), "shippedAt").to.equal(order.shippedAt);
      expect(BigInt(`0x${words[10]}`), "amount").to.equal(order.amount);
      expect(BigInt(`0x${words[11]}`), "shipsFrom").to.equal(order.shipsFrom);
      expect(BigInt(`0x${words[14]}`), "discount").to.equal(order.discount);
      expect(BigInt(`0x${words[15]}`), "offset of the lines, from the tuple's start").to.equal(0x1c0n);
      expect(BigInt(`0x${words[16]}`), "lines length").to.equal(1n);
      expect(words.length, "2 + 14 + 1 + 4 words").to.equal(21);
    });

    it("is accepted in its canonical encoding, and with bytes after it (the decoder ignores them)", async () => {
      const { merchstand } = fx;
      const { orderId, selector, words } = await completeCall();
      await expect(send(`${selector}${words.join("")}${"ff".repeat(40)}`))
        .to.emit(merchstand, "OrderCompleted")
        .withArgs(
          orderId,
          fx.ethStoreId,
          (v: bigint) => v > 0n,
          (v: bigint) => v > 0n,
        );
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Completed);
    });

    it("is refused with OrderMismatch when a field's padding is dirty (the hashed bytes differ)", async () => {
      const { merchstand } = fx;
      const { orderId, selector, words } = await completeCall();
      // The feeBps word (uint16): a bit above its 16 bits.
      const dirty = [...words];
      dirty[5] = word(BigInt(`0x${words[5]}`) | (1n << 100n));
      await expect(send(`${selector}${dirty.join("")}`))
        .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
        .withArgs(orderId);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Shipped);
    });

    it("is refused with OrderMismatch when the lines sit at another offset (the offset word is hashed too)", async () => {
      const { merchstand } = fx;
      const { orderId, selector, words } = await completeCall();
      // Same values, lines moved one word further with a spare word in between: decodes to the same Order.
      const moved = [...words.slice(0, 15), word(0x1e0n), word(0n), ...words.slice(16)];
      const decoded = merchstand.interface.decodeFunctionData("complete", `${selector}${moved.join("")}`);
      expect(decoded[1].amount).to.equal(BigInt(`0x${words[10]}`));
      await expect(send(`${selector}${moved.join("")}`))
        .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
        .withArgs(orderId);
    });

    it("is refused when the lines length claims more lines than the calldata holds", async () => {
      const { merchstand } = fx;
      const { orderId, selector, words } = await completeCall();
      const longer = [...words];
      longer[16] = word(2n);
      // The ABI decoder itself refuses it (no error data), before any hashing.
      await expect(send(`${selector}${longer.join("")}`)).to.revert(fx.ethers);
      expect(await merchstand.orderStatus(orderId)).to.equal(Status.Shipped);
    });

    it("is refused with OrderMismatch for a line with one more unit (a changed line word)", async () => {
      const { merchstand } = fx;
      const { orderId, selector, words } = await completeCall();
      const more = [...words];
      more[19] = word(BigInt(`0x${words[19]}`) + 1n);
      await expect(send(`${selector}${more.join("")}`))
        .to.be.revertedWithCustomError(merchstand, "OrderMismatch")
        .withArgs(orderId);
    });
  });

  describe("the packed line of buy_oT9la", () => {
    it("puts productId in bits 0..63, variant in 64..71, quantity in 72..103, price in 104..199, terms in 200..231", () => {
      const line = packLine(0x0102030405060708n, 0x09n, 0x0a0b0c0dn, 0x0e0f101112131415161718n, 0x191a1b1cn);
      expect(line & ((1n << 64n) - 1n)).to.equal(0x0102030405060708n);
      expect((line >> 64n) & 0xffn).to.equal(0x09n);
      expect((line >> 72n) & 0xffffffffn).to.equal(0x0a0b0c0dn);
      expect((line >> 104n) & ((1n << 96n) - 1n)).to.equal(0x0e0f101112131415161718n);
      expect((line >> 200n) & 0xffffffffn).to.equal(0x191a1b1cn);
      expect(line >> 232n).to.equal(0n);
    });

    for (const bit of [232n, 240n, 248n, 255n]) {
      it(`refuses bit ${bit} (bits 232..255 must be zero) with InvalidLine`, async () => {
        const { merchstand, buyer, shirtId } = fx;
        const price = await priceOf(fx, shirtId);
        const line = packLine(shirtId, 0, 1, price) | (1n << bit);
        await expect(merchstand.connect(buyer).buy_oT9la(line, SHIPPING, { value: price }))
          .to.be.revertedWithCustomError(merchstand, "InvalidLine")
          .withArgs(line);
      });
    }

    it("reads the terms version at full width: version 1 with a bit 32 places higher is no version 1", async () => {
      const { merchstand, buyer, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      // Bit 232 is the first bit above the version: InvalidLine, not a version of 2^32 + 1 truncated to 1.
      const line = packLine(shirtId, 0, 1, price, 1) | (1n << 232n);
      await expect(merchstand.connect(buyer).buy_oT9la(line, SHIPPING, { value: price }))
        .to.be.revertedWithCustomError(merchstand, "InvalidLine")
        .withArgs(line);
    });
  });

  describe("the line words of OrderPlaced", () => {
    it("carry the line in bits 0..199, the variant's previous order block in 200..231, and zero above", async () => {
      const { merchstand, buyer, shirtId } = fx;
      const first = await buyEth(fx, buyer, shirtId, { variant: 2, quantity: 3n });
      const second = await buyEth(fx, buyer, shirtId, { variant: 2 });
      const [log] = await merchstand.queryFilter(merchstand.filters.OrderPlaced(second.orderId), "latest");
      const w = log?.args.lines[0] as bigint;
      const price = await priceOf(fx, shirtId, 2);
      expect(w & ((1n << 200n) - 1n)).to.equal(packLine(shirtId, 2, 1, price, 0));
      expect((w >> 200n) & 0xffffffffn).to.equal(BigInt(first.receipt.blockNumber));
      expect(w >> 232n).to.equal(0n);
      // The dapp's codec reads the same fields, and leaves the pointer out of the Line it passes back.
      expect(unpackLine(w)).to.deep.equal({ productId: shirtId, variant: 2, quantity: 1, unitPrice: price });
      expect(previousOrderBlock(w)).to.equal(first.receipt.blockNumber);
    });
  });
});
