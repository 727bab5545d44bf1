// Load: 50 buyers fire 500 purchases of one variant with a stock of 100 at the node, all before a single block is
// mined (automine off), the way a drop goes when a link is shared. The node then mines them into as many blocks as
// they need. Exactly 100 must succeed, the other 400 must revert with InsufficientStock (read from each failed
// transaction's own trace, not replayed), and every wei must be accounted for on both sides.
//
// It runs on its own simulated network (not the fixture's), deployed with the production Ignition module.
import { expect } from "chai";
import { type TransactionReceipt, Wallet } from "ethers";
import { network } from "hardhat";
import MerchstandModule from "../../ignition/modules/Merchstand.ts";

const ACCOUNTS = 50;
const PER_ACCOUNT = 10;
const STOCK = 100;
// Generous (a purchase uses ~65k), so the test also holds under coverage instrumentation, which inflates gas.
const GAS_LIMIT = 1_000_000n;

describe("Security: load", function () {
  // Measured at ~10 s on a quiet 2-core machine; the margin is for a busy one.
  this.timeout(180_000);

  it("500 purchases sent at once against a stock of 100: exactly 100 succeed, 400 revert with InsufficientStock", async () => {
    const { ethers, ignition, provider } = await network.create();
    const [admin, seller, feeRecipient] = await ethers.getSigners();
    if (admin === undefined || seller === undefined || feeRecipient === undefined) throw new Error("need 3 accounts");

    const { merchstand: deployed } = await ignition.deploy(MerchstandModule, {
      defaultSender: admin.address,
      parameters: {
        Merchstand: { admin: admin.address, feeBps: 250, feeRecipient: feeRecipient.address, allowedCurrencies: [] },
      },
    });
    const target = await deployed.getAddress();
    const merchstand = await ethers.getContractAt("MerchstandDeployed", target);
    await (
      await merchstand.connect(seller).openStore({
        name: "Drop",
        metadataCid: "",
        payout: seller.address,
        currency: ethers.ZeroAddress,
        shippingKey: ethers.keccak256(ethers.toUtf8Bytes("load test key")),
        terms: { arbiter: admin.address, shipWindow: 7 * 86_400, deliveryWindow: 14 * 86_400 },
      })
    ).wait();
    const storeId = 1n;
    const price = ethers.parseEther("0.01");
    await (
      await merchstand
        .connect(seller)
        .listProduct(storeId, { name: "Limited Tee", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
          { label: "M", price, stock: STOCK },
        ])
    ).wait();
    const productId = 1n;

    // 50 fresh accounts, funded through the node's own RPC.
    const wallets = Array.from(
      { length: ACCOUNTS },
      (_, i) => new Wallet(ethers.keccak256(ethers.toUtf8Bytes(`merchstand load buyer ${i}`))),
    );
    const funding = ethers.parseEther("1");
    for (const w of wallets) {
      await provider.request({ method: "hardhat_setBalance", params: [w.address, ethers.toQuantity(funding)] });
    }

    // Every transaction is signed up front with an explicit gas limit, so no doomed transaction needs (or fails)
    // gas estimation. The fee cap leaves room for the base fee to rise over the blocks this takes.
    const latest = await ethers.provider.getBlock("latest");
    const baseFee = latest?.baseFeePerGas ?? 1_000_000_000n;
    const maxPriorityFeePerGas = 1_000_000_000n;
    const maxFeePerGas = baseFee * 4n + maxPriorityFeePerGas;
    const { chainId } = await ethers.provider.getNetwork();
    const shipping = `0x01${"ab".repeat(199)}`;
    // One unit of variant 0 at `price`, packed as buy_oT9la takes it: productId | variant << 64 | quantity << 72 |
    // maxUnitPrice << 104 | termsVersion << 200 (the new store is on its first terms).
    const line = productId | (0n << 64n) | (1n << 72n) | (price << 104n) | (1n << 200n);
    const data = merchstand.interface.encodeFunctionData("buy_oT9la", [line, shipping]);
    const raw: string[] = [];
    // Round-robin over accounts, as independent buyers would arrive.
    for (let nonce = 0; nonce < PER_ACCOUNT; nonce++) {
      for (const w of wallets) {
        raw.push(
          await w.signTransaction({
            type: 2,
            chainId,
            nonce,
            to: target,
            data,
            value: price,
            gasLimit: GAS_LIMIT,
            maxFeePerGas,
            maxPriorityFeePerGas,
          }),
        );
      }
    }

    const heldBefore = await ethers.provider.getBalance(target);
    // Small blocks (the node fills them by gas used), so the drop spans several: the outcome must not depend on
    // how the purchases are split across blocks.
    await provider.request({ method: "evm_setBlockGasLimit", params: [ethers.toQuantity(8_000_000)] });
    await provider.request({ method: "evm_setAutomine", params: [false] });
    let hashes: string[];
    try {
      hashes = (await Promise.all(
        raw.map((tx) => provider.request({ method: "eth_sendRawTransaction", params: [tx] })),
      )) as string[];
      expect(new Set(hashes).size).to.equal(ACCOUNTS * PER_ACCOUNT);
      expect(await ethers.provider.getBlockNumber()).to.equal(latest?.number, "nothing was mined while sending");

      // Mine until the pool is empty.
      let blocks = 0;
      for (;;) {
        const pending = (await provider.request({ method: "eth_getBlockByNumber", params: ["pending", false] })) as {
          transactions: string[];
        };
        if (pending.transactions.length === 0) break;
        await provider.request({ method: "evm_mine" });
        if (++blocks > 50) throw new Error("the pool did not drain in 50 blocks");
      }
    } finally {
      await provider.request({ method: "evm_setAutomine", params: [true] });
    }

    const receipts = (await Promise.all(
      hashes.map((h) => ethers.provider.getTransactionReceipt(h)),
    )) as (TransactionReceipt | null)[];
    expect(receipts.every((r) => r !== null)).to.equal(true, "every purchase was mined");
    const mined = receipts as TransactionReceipt[];
    const succeeded = mined.filter((r) => r.status === 1);
    const failed = mined.filter((r) => r.status === 0);
    expect(succeeded.length).to.equal(STOCK);
    expect(failed.length).to.equal(ACCOUNTS * PER_ACCOUNT - STOCK);
    expect(new Set(mined.map((r) => r.blockNumber)).size).to.be.greaterThan(1, "the load spanned several blocks");

    // Why each failed one failed: its own revert data, from its trace.
    const insufficient = merchstand.interface.getError("InsufficientStock");
    if (insufficient === null) throw new Error("no InsufficientStock error in the ABI");
    for (const r of failed) {
      const trace = (await provider.request({
        method: "debug_traceTransaction",
        params: [r.hash, { disableStack: true, disableMemory: true, disableStorage: true }],
      })) as { failed: boolean; returnValue: string };
      expect(trace.failed).to.equal(true);
      const revertData = trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`;
      const decoded = merchstand.interface.parseError(revertData);
      expect(decoded?.name).to.equal("InsufficientStock");
      expect(decoded?.args.map((a: bigint) => BigInt(a))).to.deep.equal([productId, 0n, 1n, 0n]);
    }
    // And every success came before any failure within the order the node executed them.
    const position = (r: TransactionReceipt) => r.blockNumber * 100_000 + r.index;
    const lastSuccess = Math.max(...succeeded.map(position));
    const firstFailure = Math.min(...failed.map(position));
    expect(lastSuccess).to.be.lessThan(firstFailure);

    // Stock and orders.
    const variant = (await merchstand.getProduct(productId)).variants[0];
    expect(variant?.stock).to.equal(0n);
    expect(variant?.sold).to.equal(BigInt(STOCK));
    const placed = await merchstand.queryFilter(merchstand.filters.OrderPlaced());
    expect(placed.length).to.equal(STOCK);
    // An order's id is productId << 40 | variant << 32 | the variant's sold count before it: in execution order the
    // 100 orders are numbered 0..99 under product 1, variant 0, with no gap and no repeat.
    const inOrder = [...placed].sort(
      (a, b) => a.blockNumber - b.blockNumber || a.transactionIndex - b.transactionIndex,
    );
    expect(inOrder.map((ev) => ev.args.orderId)).to.deep.equal(
      Array.from({ length: STOCK }, (_, k) => (productId << 40n) | BigInt(k)),
    );
    // Each log carries one packed line: productId | variant << 64 | quantity << 72 | unitPrice << 104.
    const escrowed = placed.reduce((sum, ev) => {
      expect(ev.args.lines.length).to.equal(1);
      const w = ev.args.lines[0] as bigint;
      expect(w & ((1n << 72n) - 1n)).to.equal(productId, "line's product and variant");
      return sum + ((w >> 72n) & 0xffffffffn) * ((w >> 104n) & ((1n << 96n) - 1n));
    }, 0n);

    // Money, on the contract's side: it holds exactly the escrow of the 100 orders, nothing else.
    const held = (await ethers.provider.getBalance(target)) - heldBefore;
    expect(held).to.equal(price * BigInt(STOCK));
    expect(escrowed).to.equal(held);
    expect((await merchstand.getStore(storeId)).balance).to.equal(0n);
    // And on the buyers' side: each paid gas for all its transactions and the price only for its successes.
    const byFrom = new Map<string, TransactionReceipt[]>();
    for (const r of mined) byFrom.set(r.from, [...(byFrom.get(r.from) ?? []), r]);
    let spentOnGoods = 0n;
    for (const w of wallets) {
      const own = byFrom.get(w.address) ?? [];
      expect(own.length).to.equal(PER_ACCOUNT);
      const gas = own.reduce((sum, r) => sum + r.gasUsed * r.gasPrice, 0n);
      const goods = price * BigInt(own.filter((r) => r.status === 1).length);
      spentOnGoods += goods;
      expect(await ethers.provider.getBalance(w.address)).to.equal(funding - gas - goods, w.address);
    }
    expect(spentOnGoods).to.equal(held);
  });
});
