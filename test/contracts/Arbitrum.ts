// The chain's own block number (MerchstandStorage._blockNumber; docs/FORMATS.md, "History pointers"): on Arbitrum
// (chain id 42161 or 421614) `block.number` is an L1 block number, so the history pointers and the deployment block
// come from ArbSys at address 100; on any other chain from `block.number`, without asking ArbSys. Each case runs on its
// own simulated network with that chain id and MockArbSys's code (block.number + 1,000,000) at address 100.
import { expect } from "chai";
import { network } from "hardhat";
import type { MerchstandDeployed as Merchstand } from "../../types/ethers-contracts/index.ts";
import { packLine, SHIPPING_KEY } from "./support/fixtures.ts";
import { placed, SHIPPING } from "./support/helpers.ts";

const ARB_SYS = "0x0000000000000000000000000000000000000064";
const L2_OFFSET = 1_000_000;

/** Deploys Merchstand on a new network with chain id `chainId`, sells one shirt and has it reviewed and replied to. */
async function history(chainId: number) {
  const connection = await network.create({ override: { chainId } });
  try {
    const { ethers } = connection;
    const [admin, seller, buyer] = await ethers.getSigners();
    if (!admin || !seller || !buyer) throw new Error("need 3 accounts");
    const mock = await ethers.deployContract("MockArbSys");
    const code = await ethers.provider.getCode(await mock.getAddress());
    await connection.provider.request({ method: "hardhat_setCode", params: [ARB_SYS, code] });
    const drops = await ethers.deployContract("MerchstandDrops");
    const deployed = await ethers.deployContract("Merchstand", [
      admin.address,
      250,
      admin.address,
      [],
      await drops.getAddress(),
    ]);
    const deployedAt = (await deployed.deploymentTransaction()?.wait())?.blockNumber as number;
    const merchstand = (await ethers.getContractAt(
      "MerchstandDeployed",
      await deployed.getAddress(),
    )) as unknown as Merchstand;
    const terms = { arbiter: admin.address, shipWindow: 7n * 86_400n, deliveryWindow: 14n * 86_400n };
    await (
      await merchstand.connect(seller).openStore({
        name: "Night Tapes",
        metadataCid: "",
        payout: seller.address,
        currency: ethers.ZeroAddress,
        shippingKey: SHIPPING_KEY,
        terms,
      })
    ).wait();
    const price = ethers.parseEther("0.01");
    await (
      await merchstand
        .connect(seller)
        .listProduct(1n, { name: "Tee", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
          { label: "M", price, stock: 5 },
        ])
    ).wait();
    const bought = await placed(
      merchstand,
      merchstand.connect(buyer).buy_oT9la(packLine(1n, 0, 1, price), SHIPPING, { value: price }),
    );
    const shippedAt = (await (await merchstand.connect(seller).markShipped(bought.orderId, bought.order, "DHL")).wait())
      ?.blockNumber as number;
    const order = { ...bought.order, shippedAt: BigInt((await ethers.provider.getBlock(shippedAt))?.timestamp ?? 0) };
    await (await merchstand.connect(buyer).complete(bought.orderId, order)).wait();
    const reviewed = await (await merchstand.connect(buyer).review(bought.orderId, order, 1n, 5, "great")).wait();
    const replied = await (await merchstand.connect(seller).replyToReview(bought.orderId, order, 1n, "thanks")).wait();
    const [reply] = await merchstand.queryFilter(merchstand.filters.ReviewReplied(1n));
    const product = await merchstand.getProduct(1n);
    return {
      blocks: {
        deployed: deployedAt,
        bought: bought.receipt.blockNumber,
        reviewed: reviewed?.blockNumber as number,
        replied: replied?.blockNumber as number,
      },
      pointers: {
        deployed: Number(await merchstand.deploymentBlock()),
        bought: Number(product.variants[0]?.lastOrderBlock),
        reviewed: Number(reply?.args.previousReviewBlock),
        replied: Number(product.lastReviewBlock),
      },
    };
  } finally {
    await connection.close();
  }
}

describe("the chain's block number", () => {
  for (const [name, chainId] of [
    ["Arbitrum One", 42_161],
    ["Arbitrum Sepolia", 421_614],
  ] as const) {
    describe(`on ${name} (chain id ${chainId})`, () => {
      it("takes the L2 block number from ArbSys for the pointers and the deployment block", async () => {
        const { blocks, pointers } = await history(chainId);
        expect(pointers).to.deep.equal({
          deployed: blocks.deployed + L2_OFFSET,
          bought: blocks.bought + L2_OFFSET,
          reviewed: blocks.reviewed + L2_OFFSET,
          replied: blocks.replied + L2_OFFSET,
        });
      });
    });
  }

  describe("on any other chain (OP Mainnet's id here)", () => {
    it("takes block.number and never asks ArbSys", async () => {
      const { blocks, pointers } = await history(10);
      expect(pointers).to.deep.equal(blocks);
    });
  });
});
