// Code size of the uninstrumented contracts, next to the gas budget for the same reason: `npm run coverage`
// instruments the contracts (larger code, and its network lifts the size limits), so size is only measured here,
// on what `npm run deploy` sends.
import { expect } from "chai";
import { artifacts } from "hardhat";
import { MAX_DEPLOY_CURRENCIES } from "../../scripts/deploy/args.ts";
import { ethers } from "../contracts/support/fixtures.ts";

const EIP170_RUNTIME_LIMIT = 24_576;

describe("Code size", () => {
  it("keeps Merchstand and MerchstandDrops within EIP-170's 24,576-byte runtime limit", async () => {
    for (const name of ["Merchstand", "MerchstandDrops"]) {
      const runtime = ethers.getBytes((await artifacts.readArtifact(name)).deployedBytecode).length;
      expect(runtime, `${name} runtime bytes`).to.be.within(1, EIP170_RUNTIME_LIMIT);
    }
  });

  // The creation code is close to EIP-3860's initcode limit: the deploy command allows MAX_DEPLOY_CURRENCIES tokens at
  // construction (scripts/deploy/args.ts), and this is the proof that that many fit, and one more not.
  it("deploys with MAX_DEPLOY_CURRENCIES tokens allowed at construction; one more passes the initcode limit", async () => {
    const [admin, feeRecipient] = await ethers.getSigners();
    const drops = await ethers.deployContract("MerchstandDrops");
    const tokens = Array.from({ length: MAX_DEPLOY_CURRENCIES + 1 }, (_, i) => `0x${String(i + 1).padStart(40, "0")}`);
    const args = (n: number) => [admin!.address, 100, feeRecipient!.address, tokens.slice(0, n), drops] as const;
    const deployed = await ethers.deployContract("Merchstand", [...args(MAX_DEPLOY_CURRENCIES)]);
    const merged = await ethers.getContractAt("MerchstandDeployed", await deployed.getAddress());
    expect(await merged.isCurrencyAllowed(tokens[MAX_DEPLOY_CURRENCIES - 1]!)).to.equal(true);
    let refused = "";
    await ethers.deployContract("Merchstand", [...args(MAX_DEPLOY_CURRENCIES + 1)]).catch((e: Error) => {
      refused = e.message;
    });
    expect(refused).to.match(/initcode size/);
  });
});
