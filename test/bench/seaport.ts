// The Seaport side of the benchmark (scripts/bench/seaport*.ts): the order the bench signs is the order Seaport
// hashes and fills, a changed order is refused, and the measured gas is the same on every fresh network.
import { expect } from "chai";
import { network } from "hardhat";
import {
  deploySeaportMarket,
  measuredSale,
  measureSeaportGas,
  type SeaportMarket,
} from "../../scripts/bench/seaport.ts";
import { compileSeaport, type SeaportBuild } from "../../scripts/bench/seaport-compile.ts";
import { orderComponents, orderHash, signListing } from "../../scripts/bench/seaport-order.ts";

const PRICES = { eth: 20_000_000_000_000_000n, erc20: 15_000_000n, feeBps: 250n };

describe("the benchmark's Seaport 1.6", function () {
  // A cold cache/seaport/ compiles Seaport with solc's WASM build: ~35 s on one free core, 2m40s seen at load 10.
  this.timeout(600_000);
  let build: SeaportBuild;
  let connection: Awaited<ReturnType<typeof network.create>>;
  let market: SeaportMarket;
  let usdAddress: string;

  before(async () => {
    build = (await compileSeaport()).build;
    connection = await network.create();
    market = await deploySeaportMarket(connection.ethers, build);
    usdAddress = await market.usd.getAddress();
  });
  after(async () => {
    await connection.close();
  });

  it("is Seaport 1.6 as deployed: runtime of 23,981 bytes and the name Seaport", async () => {
    expect(build.contracts.Seaport.runtimeBytes).to.equal(23_981);
    expect(await market.seaport.getFunction("name")()).to.equal("Seaport");
  });

  for (const route of ["eth", "erc20"] as const) {
    describe(`an order paid in ${route === "eth" ? "ETH" : "mUSD"}`, () => {
      const listingOf = (salt: string) =>
        market.listing(
          route === "eth" ? connection.ethers.ZeroAddress : usdAddress,
          PRICES[route],
          PRICES.feeBps,
          salt,
        );

      it("hashes to the order hash Seaport's getOrderHash returns", async () => {
        const listing = await listingOf(`test ${route} hash`);
        const seaportHash = await market.seaport.getFunction("getOrderHash")(orderComponents(listing));
        expect(orderHash(listing)).to.equal(seaportHash);
        const other = await listingOf(`test ${route} hash, another salt`);
        expect(orderHash(other)).to.not.equal(seaportHash);
      });

      it("is filled by fulfillBasicOrder_efficient_6GL6yc, paying the seller and the 2.5% fee recipient", async () => {
        const gas = await measuredSale(market, await listingOf(`test ${route} sale`));
        expect(gas).to.be.greaterThan(21_000);
      });

      it("is refused when the buyer changes the price the seller signed", async () => {
        const listing = await listingOf(`test ${route} tampered`);
        const signature = await signListing(market.seller, listing);
        const cheaper = { ...listing, price: listing.price / 2n };
        await expect(market.fulfil(cheaper, signature)).to.be.revertedWithCustomError(market.seaport, "InvalidSigner");
      });
    });
  }

  it("measures the same gas on two fresh networks", async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const fresh = await network.create();
      try {
        runs.push(await measureSeaportGas(fresh.ethers, PRICES, () => {}, { build, cached: true, seconds: 0 }));
      } finally {
        await fresh.close();
      }
    }
    const [a, b] = runs;
    expect(a?.eth).to.deep.equal(b?.eth);
    expect(a?.erc20).to.deep.equal(b?.erc20);
    expect(a?.eth.steady).to.be.lessThan(a?.eth.firstEver ?? 0);
  });
});
