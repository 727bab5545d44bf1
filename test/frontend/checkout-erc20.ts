// The mUSD payment paths of payCart, end to end through the client layer: the permit path (eth_signTypedData_v4 +
// checkoutWithPermit) and the approve-then-buy path (a one-line cart goes through buy_oT9la), with a wallet stand-in that signs the typed data with the
// buyer's own key the way a browser wallet does, and sends transactions from the buyer's (unlocked) account.
import { expect } from "chai";
import { HDNodeWallet, Wallet } from "ethers";
import type { CartLine } from "../../frontend/src/client/cart.ts";
import { groupByStore } from "../../frontend/src/client/cart.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import { buildCartOrders, cartTotal, type PayStage, payCart } from "../../frontend/src/client/checkout.ts";
import type { Currency } from "../../frontend/src/client/manifest.ts";
import { loadOrder } from "../../frontend/src/client/orders.ts";
import { type Eip1193Provider, WalletSession } from "../../frontend/src/client/wallet.ts";
import {
  ADDRESS,
  connection,
  deployCatalog,
  ethers,
  MUG_PRICE,
  networkHelpers,
  providerFetch,
  STORE_KEY,
} from "./support/fixture.ts";

// Hardhat's default accounts come from this mnemonic; the buyer is the third one (see deployCatalog).
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const BUYER_PATH = "m/44'/60'/0'/0/2";

type TypedDataJson = {
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  domain: Record<string, unknown>;
  message: Record<string, unknown>;
};

/**
 * An EIP-1193 wallet for one account. Typed data is signed with the account's key by ethers (not by the node), so a
 * typed-data payload a real wallet would hash differently fails here too; transactions go to the in-process node,
 * whose accounts are unlocked, after checking they come from the wallet's account.
 */
function buyerWallet(key: Wallet): Eip1193Provider & { calls: string[] } {
  const calls: string[] = [];
  const own = (from: unknown) => {
    if (typeof from !== "string" || from.toLowerCase() !== key.address.toLowerCase()) {
      throw Object.assign(new Error(`not this wallet's account: ${String(from)}`), { code: 4100 });
    }
  };
  return {
    calls,
    async request({ method, params }) {
      calls.push(method);
      const args = (params ?? []) as unknown[];
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [key.address];
        case "eth_signTypedData_v4": {
          own(args[0]);
          const typed = JSON.parse(String(args[1])) as TypedDataJson;
          const { EIP712Domain, ...types } = typed.types;
          // Wallets hash the domain with exactly the fields EIP712Domain lists: they must be the domain's fields.
          expect(EIP712Domain?.map((f) => f.name)).to.have.members(Object.keys(typed.domain));
          expect(Object.keys(types)).to.include(typed.primaryType);
          return key.signTypedData(typed.domain, types, typed.message);
        }
        case "eth_sendTransaction":
          own((args[0] as { from?: unknown }).from);
          return connection.provider.request({ method, params: args });
        default:
          return connection.provider.request({ method, params: args });
      }
    },
  };
}

function mugLine(usd: string, quantity: number): CartLine {
  return {
    storeId: "2",
    productId: "2",
    variant: 0,
    quantity,
    unitPrice: MUG_PRICE.toString(),
    currency: usd,
    productName: "Mug",
    variantLabel: "One size",
    digital: false,
  };
}

describe("ERC-20 checkout through the client layer", () => {
  async function setup(permit: boolean) {
    const f = await networkHelpers.loadFixture(deployCatalog);
    const chain = Chain.fromManifest({ rpcUrl: "http://in-process", merchstand: f.address }, providerFetch());
    const key = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, BUYER_PATH);
    expect(key.address).to.equal(f.buyer.address);
    const provider = buyerWallet(new Wallet(key.privateKey));
    const wallet = new WalletSession({ uuid: "test", name: "Test wallet", icon: "", rdns: "test", provider }, () => {});
    await wallet.connect();
    const chainId = Number((await ethers.provider.getNetwork()).chainId);
    const currency: Currency = { address: f.usdAddress, symbol: "mUSD", decimals: 6, permit };
    const groups = groupByStore([mugLine(f.usdAddress, 3)]);
    const cart = buildCartOrders(
      groups,
      ADDRESS,
      new Map([["2", { shippingKey: ethers.hexlify(STORE_KEY.publicKey), termsVersion: 1 }]]),
      null,
    );
    return { ...f, chain, wallet, provider, chainId, currency, cart, total: cartTotal(groups) };
  }

  async function expectOrderPlaced(s: Awaited<ReturnType<typeof setup>>, orderIds: bigint[], buyerBefore: bigint) {
    expect(s.total).to.equal(3n * MUG_PRICE);
    // The mug's first sale: productId << 40 | variant 0 << 32 | sold 0 (IMerchstand's NatSpec).
    const line = s.cart[0]!.lines[0]!;
    expect(orderIds).to.deep.equal([line.productId << 40n]);
    const record = await loadOrder(s.chain, line.productId << 40n, s.deploymentBlock);
    expect(record?.status).to.equal("Paid");
    expect(record?.order.amount).to.equal(s.total);
    expect(record?.order.buyer.toLowerCase()).to.equal(s.buyer.address.toLowerCase());
    expect(record?.order.storeId).to.equal(2n);
    expect(buyerBefore - (await s.usd.balanceOf(s.buyer.address))).to.equal(s.total);
    expect(await s.usd.balanceOf(s.address)).to.equal(s.total);
    // Nothing is left approved to the contract after the purchase.
    expect(await s.usd.allowance(s.buyer.address, s.address)).to.equal(0n);
  }

  it("pays with one permit signature and one checkoutWithPermit transaction", async () => {
    const s = await setup(true);
    const before = await s.usd.balanceOf(s.buyer.address);
    const stages: PayStage["stage"][] = [];
    const { receipt, orderIds } = await payCart(s.chain, s.wallet, s.chainId, s.currency, s.cart, s.total, (st) =>
      stages.push(st.stage),
    );
    expect(receipt.status).to.equal("0x1");
    expect(stages[0]).to.equal("permit");
    expect(stages).to.not.include("approve");
    expect(s.provider.calls.filter((m) => m === "eth_signTypedData_v4")).to.have.length(1);
    expect(s.provider.calls.filter((m) => m === "eth_sendTransaction")).to.have.length(1);
    const tx = await ethers.provider.getTransaction(receipt.transactionHash);
    expect(s.merchstand.interface.parseTransaction({ data: tx!.data })?.name).to.equal("checkoutWithPermit");
    expect(await s.usd.nonces(s.buyer.address)).to.equal(1n);
    await expectOrderPlaced(s, orderIds, before);
  });

  it("approves the exact total, then buys, for a token without permit", async () => {
    const s = await setup(false);
    const before = await s.usd.balanceOf(s.buyer.address);
    const stages: PayStage["stage"][] = [];
    const { receipt, orderIds } = await payCart(s.chain, s.wallet, s.chainId, s.currency, s.cart, s.total, (st) =>
      stages.push(st.stage),
    );
    expect(receipt.status).to.equal("0x1");
    expect(stages[0]).to.equal("approve");
    expect(stages.filter((st) => st === "mined")).to.have.length(2);
    expect(s.provider.calls).to.not.include("eth_signTypedData_v4");
    expect(s.provider.calls.filter((m) => m === "eth_sendTransaction")).to.have.length(2);
    const tx = await ethers.provider.getTransaction(receipt.transactionHash);
    // One line, so the cheapest purchase call: buy_oT9la, not checkout.
    expect(s.merchstand.interface.parseTransaction({ data: tx!.data })?.name).to.equal("buy_oT9la");
    await expectOrderPlaced(s, orderIds, before);
  });

  it("skips the approval when the allowance already covers the total", async () => {
    const s = await setup(false);
    await s.usd.connect(s.buyer).approve(s.address, s.total);
    const before = await s.usd.balanceOf(s.buyer.address);
    const stages: PayStage["stage"][] = [];
    const { orderIds } = await payCart(s.chain, s.wallet, s.chainId, s.currency, s.cart, s.total, (st) =>
      stages.push(st.stage),
    );
    expect(stages).to.not.include("approve");
    expect(s.provider.calls.filter((m) => m === "eth_sendTransaction")).to.have.length(1);
    await expectOrderPlaced(s, orderIds, before);
  });
});
