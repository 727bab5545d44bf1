// A deployed Merchstand on an in-process Hardhat network, and a fetch-like transport onto it, so the dapp's client
// layer runs exactly as in the browser (JSON-RPC over `fetch`) with every request counted. No tests here.
import { x25519 } from "@noble/curves/ed25519.js";
import { network } from "hardhat";
import type { FetchLike } from "../../../frontend/src/client/rpc.ts";
import MerchstandModule, { MockUSDModule } from "../../../ignition/modules/Merchstand.ts";
import type { MerchstandDeployed as Merchstand, MockUSD } from "../../../types/ethers-contracts/index.ts";

export const connection = await network.create();
export const { ethers, ignition, networkHelpers } = connection;

/** A fetch that answers JSON-RPC from the in-process provider, counting the requests the client makes. */
export function providerFetch(): FetchLike & { count: number } {
  const fn = async (_url: string, init: { body: string }) => {
    fn.count++;
    const { id, method, params } = JSON.parse(init.body) as { id: number; method: string; params: unknown[] };
    let body: unknown;
    try {
      body = { jsonrpc: "2.0", id, result: await connection.provider.request({ method, params }) };
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      body = { jsonrpc: "2.0", id, error: { code: e.code ?? -32603, message: e.message ?? "error", data: e.data } };
    }
    return { ok: true, status: 200, json: async () => body };
  };
  fn.count = 0;
  return fn;
}

export const STORE_KEY = x25519.keygen();

/** The fan's shipping address the chain tests seal to the store's key (non-ASCII on purpose). */
export const ADDRESS = {
  name: "Zoë Ōtsuka",
  line1: "1 Chapel Street",
  line2: "",
  city: "Leeds",
  region: "",
  postalCode: "LS1 1AA",
  country: "GB",
  email: "",
};
export const SHIRT_PRICE = ethers.parseEther("0.02");
export const MUG_PRICE = 15_000_000n;

export async function deployCatalog() {
  const [admin, seller, buyer, impostor] = await ethers.getSigners();
  if (!admin || !seller || !buyer || !impostor) throw new Error("need 4 accounts");
  const { usd: usdDeployed } = await ignition.deploy(MockUSDModule);
  const usdAddress = await usdDeployed.getAddress();
  const { merchstand: deployed } = await ignition.deploy(MerchstandModule, {
    parameters: { Merchstand: { allowedCurrencies: [usdAddress] } },
  });
  const address = await deployed.getAddress();
  const merchstand = (await ethers.getContractAt("MerchstandDeployed", address)) as unknown as Merchstand;
  const usd = (await ethers.getContractAt("MockUSD", usdAddress)) as unknown as MockUSD;
  const deploymentBlock = Number(await merchstand.deploymentBlock());
  const terms = { arbiter: admin.address, shipWindow: 7 * 86400, deliveryWindow: 14 * 86400 };
  const key = ethers.hexlify(STORE_KEY.publicKey);
  const asSeller = merchstand.connect(seller);
  await asSeller.openStore({
    name: "The Band",
    metadataCid: "",
    payout: seller.address,
    currency: ethers.ZeroAddress,
    shippingKey: key,
    terms,
  });
  await asSeller.openStore({
    name: "The Band Mugs",
    metadataCid: "",
    payout: seller.address,
    currency: usdAddress,
    shippingKey: key,
    terms,
  });
  await merchstand.connect(impostor).openStore({
    name: "THE BAND — 0fficial",
    metadataCid: "",
    payout: impostor.address,
    currency: ethers.ZeroAddress,
    shippingKey: key,
    terms,
  });
  // The verifier role is separate from admin; the admin grants it to itself for the fixture.
  await merchstand.connect(admin).grantRole(await merchstand.VERIFIER_ROLE(), admin.address);
  await merchstand.connect(admin).attestOfficial(1n, "https://theband.example/merch");
  await asSeller.listProduct(1n, { name: "Tour Shirt", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
    { label: "S", price: SHIRT_PRICE, stock: 5 },
    { label: "M", price: SHIRT_PRICE, stock: 1 },
    { label: "L", price: SHIRT_PRICE + 1n, stock: 0 },
  ]);
  await asSeller.listProduct(2n, { name: "Mug", metadataCid: "", category: 4, maxPerBuyer: 0, digital: false }, [
    { label: "One size", price: MUG_PRICE, stock: 50 },
  ]);
  await usd.mint(buyer.address, 1_000_000_000n);
  return { merchstand, usd, usdAddress, address, deploymentBlock, admin, seller, buyer, impostor };
}
