// A fan with no wallet, and a developer with nothing installed: the "Open in <wallet>" deep links carry this exact
// page (frontend/src/client/wallet-links.ts); demo accounts are offered only on the local development chain through
// a local RPC, on both sides (frontend/src/client/demo-accounts.ts decides, scripts/stack/demo-accounts.ts writes);
// and a demo account is a working wallet (frontend/src/client/demo-wallet.ts) that signs and sends like an
// injected one, through WalletSession.
import { expect } from "chai";
import { getAddress, TypedDataEncoder, verifyMessage, verifyTypedData } from "ethers";
import {
  type DemoAccount,
  demoAccountsAllowed,
  demoWalletInfo,
  isDemoWallet,
  isLocalRpc,
  LOCAL_CHAIN_ID,
  loadDemoAccounts,
  parseDemoAccounts,
} from "../../frontend/src/client/demo-accounts.ts";
import { demoProvider } from "../../frontend/src/client/demo-wallet.ts";
import type { Manifest } from "../../frontend/src/client/manifest.ts";
import { HttpRpc } from "../../frontend/src/client/rpc.ts";
import { WalletSession } from "../../frontend/src/client/wallet.ts";
import { isPhone, KNOWN_WALLETS, openInWalletLinks } from "../../frontend/src/client/wallet-links.ts";
import { testWallet } from "../../scripts/stack/accounts.ts";
import { demoAccountsFile } from "../../scripts/stack/demo-accounts.ts";
import { connection, ethers, providerFetch } from "./support/fixture.ts";

const PAGE = "https://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi.ipfs.dweb.link/#/store/1/product/2";

function manifest(fields: Partial<Manifest> = {}): Manifest {
  return {
    version: 1,
    chainId: LOCAL_CHAIN_ID,
    chainName: "Hardhat local",
    rpcUrl: "http://127.0.0.1:8545",
    explorerUrl: null,
    merchstand: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    deploymentBlock: 0,
    currencies: [{ address: "0x0000000000000000000000000000000000000000", symbol: "ETH", decimals: 18, permit: false }],
    ipfsGateways: ["http://127.0.0.1:8080"],
    ipfsUpload: null,
    ...fields,
  };
}

describe("wallet onboarding", () => {
  describe("Open in <wallet> links", () => {
    it("reopen this exact page, hash included, in each wallet's documented form", () => {
      const links = Object.fromEntries(openInWalletLinks(PAGE).map((l) => [l.name, l.href]));
      expect(links.MetaMask).to.equal(`https://link.metamask.io/dapp/${PAGE.slice("https://".length)}`);
      expect(links["Coinbase Wallet"]).to.equal(`https://go.cb-w.com/dapp?cb_url=${encodeURIComponent(PAGE)}`);
      expect(links["Trust Wallet"]).to.equal(
        `https://link.trustwallet.com/open_url?coin_id=60&url=${encodeURIComponent(PAGE)}`,
      );
      // Each encoded link decodes back to the page, so the wallet opens the product and not the home page.
      const cb = new URL(links["Coinbase Wallet"] ?? "");
      expect(cb.searchParams.get("cb_url")).to.equal(PAGE);
      const trust = new URL(links["Trust Wallet"] ?? "");
      expect(trust.searchParams.get("url")).to.equal(PAGE);
      expect(trust.searchParams.get("coin_id")).to.equal("60");
    });

    it("keep the scheme of an http page for MetaMask, which would otherwise assume https", () => {
      const local = "http://bafy.ipfs.localhost:8080/#/cart";
      const link = openInWalletLinks(local).find((l) => l.name === "MetaMask");
      expect(link?.href).to.equal(`https://link.metamask.io/dapp/${local}`);
    });

    it("install links are the wallets' own https sites", () => {
      expect(KNOWN_WALLETS.map((w) => w.name)).to.include.members([
        "MetaMask",
        "Coinbase Wallet",
        "Rabby",
        "Trust Wallet",
      ]);
      for (const w of KNOWN_WALLETS) expect(new URL(w.install).protocol).to.equal("https:");
    });

    it("a phone is a coarse pointer or a mobile user agent", () => {
      const desktop =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
      const iphone =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
      expect(isPhone({ userAgent: desktop, coarsePointer: false })).to.equal(false);
      expect(isPhone({ userAgent: desktop, coarsePointer: true })).to.equal(true);
      expect(isPhone({ userAgent: iphone, coarsePointer: false })).to.equal(true);
    });
  });

  describe("when demo accounts are offered", () => {
    it("only on chain 31337 through an RPC on this machine", () => {
      expect(demoAccountsAllowed(manifest())).to.equal(true);
      expect(demoAccountsAllowed(manifest({ rpcUrl: "http://localhost:8545" }))).to.equal(true);
      expect(demoAccountsAllowed(manifest({ rpcUrl: "http://[::1]:8545" }))).to.equal(true);
      for (const chainId of [1, 10, 8453, 84532, 11155111, 1337, 31338]) {
        expect(demoAccountsAllowed(manifest({ chainId })), `chain ${chainId}`).to.equal(false);
      }
      for (const rpcUrl of [
        "https://rpc.example.org",
        "http://192.168.1.20:8545",
        "http://127.0.0.1.example.org:8545",
        "http://localhost.example.org",
      ]) {
        expect(demoAccountsAllowed(manifest({ rpcUrl })), rpcUrl).to.equal(false);
      }
      expect(isLocalRpc("not a url")).to.equal(false);
    });

    it("the local stack writes them for 31337 with a local RPC, and for nothing else", () => {
      const file = demoAccountsFile({ chainId: LOCAL_CHAIN_ID, rpcUrl: "http://127.0.0.1:8545" });
      expect(file?.accounts.map((a) => a.role)).to.deep.equal(["buyer", "sellerA"]);
      expect(demoAccountsFile({ chainId: 84532, rpcUrl: "http://127.0.0.1:8545" })).to.equal(null);
      expect(demoAccountsFile({ chainId: LOCAL_CHAIN_ID, rpcUrl: "https://rpc.example.org" })).to.equal(null);
    });

    it("the dapp refuses a file on another chain, or one written for another chain", async () => {
      const file = demoAccountsFile({ chainId: LOCAL_CHAIN_ID, rpcUrl: "http://127.0.0.1:8545" });
      expect(parseDemoAccounts(file, manifest())).to.have.length(2);
      expect(parseDemoAccounts(file, manifest({ chainId: 1 }))).to.deep.equal([]);
      expect(parseDemoAccounts(file, manifest({ rpcUrl: "https://rpc.example.org" }))).to.deep.equal([]);
      expect(parseDemoAccounts({ ...file, chainId: 1 }, manifest())).to.deep.equal([]);
      expect(
        parseDemoAccounts(
          { ...file, accounts: [{ role: "buyer", label: "<b>", address: "0x1", privateKey: "0x2" }] },
          manifest(),
        ),
      ).to.deep.equal([]);
      // Off the local chain the file is not even asked for.
      let asked = 0;
      const fetchFn = (async () => {
        asked++;
        return new Response(JSON.stringify(file));
      }) as typeof fetch;
      expect(await loadDemoAccounts(manifest({ chainId: 8453 }), PAGE, fetchFn)).to.deep.equal([]);
      expect(asked).to.equal(0);
      expect(await loadDemoAccounts(manifest(), PAGE, fetchFn)).to.have.length(2);
      expect(asked).to.equal(1);
    });
  });

  describe("a demo account as a wallet", () => {
    // Account 17 of the test mnemonic: funded by the in-process network, used by no other suite here.
    const key = testWallet(17);
    const account: DemoAccount = { role: "buyer", label: "Buyer", address: key.address, privateKey: key.privateKey };
    const local = manifest({ chainId: 31337 });
    const rpc = () => new HttpRpc("http://in-process", { fetch: providerFetch() });

    it("refuses a key that does not belong to its address", () => {
      expect(() => demoProvider({ ...account, address: testWallet(18).address }, local, rpc())).to.throw(
        /does not belong/,
      );
    });

    it("connects through WalletSession, signs as its own key and sends a transaction the node mines", async () => {
      const provider = demoProvider(account, local, rpc());
      const info = { ...demoWalletInfo(account, local), provider };
      expect(isDemoWallet(info)).to.equal(true);
      const session = new WalletSession(info, () => {});
      await session.connect();
      expect(session.account).to.equal(getAddress(key.address));
      expect(session.chainId).to.equal(31337);

      const signature = await session.personalSign("Merchstand shipping key v1");
      expect(verifyMessage("Merchstand shipping key v1", signature)).to.equal(key.address);

      const domain = { name: "Mock", version: "1", chainId: 31337, verifyingContract: local.merchstand };
      const types = {
        Permit: [
          { name: "owner", type: "address" },
          { name: "value", type: "uint256" },
        ],
      };
      const message = { owner: key.address, value: 5n };
      const typed = {
        types: { EIP712Domain: TypedDataEncoder.getPayload(domain, types, message).types.EIP712Domain, ...types },
        primaryType: "Permit",
        domain,
        message,
      };
      const typedSig = await session.signTypedData(typed);
      expect(verifyTypedData(domain, types, message, typedSig)).to.equal(key.address);

      const to = testWallet(19).address;
      const before = await ethers.provider.getBalance(to);
      const hash = await session.sendTransaction({ to, data: "0x", value: 123_456n });
      const receipt = await connection.provider.request({ method: "eth_getTransactionReceipt", params: [hash] });
      expect((receipt as { status: string }).status).to.equal("0x1");
      expect((receipt as { from: string }).from.toLowerCase()).to.equal(key.address.toLowerCase());
      expect(await ethers.provider.getBalance(to)).to.equal(before + 123_456n);
    });

    it("will not switch to another chain or send from another account", async () => {
      const provider = demoProvider(account, local, rpc());
      const refusal = (request: Promise<unknown>) =>
        request.then(
          () => "answered",
          (error: Error) => error.message,
        );
      expect(
        await refusal(provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x1" }] })),
      ).to.match(/only knows the local test chain/);
      expect(
        await refusal(
          provider.request({
            method: "eth_sendTransaction",
            params: [{ from: testWallet(18).address, to: testWallet(19).address }],
          }),
        ),
      ).to.match(/its own account/);
    });
  });
});
