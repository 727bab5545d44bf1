// The module route as a spec: Merchstand runs MerchstandCatalog (its stubs and paged views) and MerchstandDrops (its
// fallback) by `delegatecall` on its own storage. What makes that safe is checked here from the compiler's own output
// and on a live deployment: one storage layout for all three, no immutable in the code they share, no selector
// answered by two of them, modules that refuse to act on their own storage and cannot be removed or changed, ETH that
// only a payable function of the route accepts, reverts that reach the caller unchanged, pausing that stops only new
// business, and EIP-712 codes whose domain is the Merchstand address, never the module's. The argument is in
// docs/SECURITY.md ("The module route").
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import {
  type FunctionFragment,
  getAddress,
  getCreateAddress,
  Interface,
  Signature,
  TypedDataEncoder,
  toBeHex,
} from "ethers";
import { artifacts } from "hardhat";
import type { MaliciousToken, MerchstandDeployed } from "../../types/ethers-contracts/index.ts";
import { CODE_TYPES, type Code, codeDomain, NO_CODE, signCode } from "../contracts/support/drops.ts";
import {
  BUYER_KEY,
  buyEth,
  type Fx,
  listProduct,
  load,
  openStore,
  packLine,
  priceOf,
  productInput,
  SHIPPING,
  termsVersionOf,
  variant,
  ZERO,
} from "../contracts/support/helpers.ts";
import { zeroOf } from "./support/abi.ts";
import { deliveredTicket } from "./support/tickets.ts";

const DAY = 86_400n;
/** The tag {Merchstand-_viaViews} puts in front of a view's calldata on its STATICCALL to itself. */
const VIEW_CALL = "0x6d737476";
/** secp256k1's group order: `n - s` is the other valid `s` of a signature (EIP-2 forbids the upper half). */
/** MaliciousToken.Mode.ReenterOnTransferFrom. */
const REENTER_ON_TRANSFER_FROM = 2;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

// ─────────────────────────────────────────── The compiler's view ───────────────────────────────────────────

type AstNode = {
  nodeType: string;
  id: number;
  name?: string;
  nodes?: AstNode[];
  linearizedBaseContracts?: number[];
  stateVariable?: boolean;
  mutability?: string;
  typeDescriptions?: { typeString: string };
};

/** Every contract definition of the build that compiled `contract`, by AST id. */
async function contractsOfBuild(contract: string): Promise<Map<number, AstNode>> {
  const id = await artifacts.getBuildInfoId(contract);
  if (id === undefined) throw new Error(`no build info for ${contract}: run npx hardhat compile`);
  const path = await artifacts.getBuildInfoOutputPath(id);
  if (path === undefined) throw new Error(`no build output for ${contract}`);
  const { output } = JSON.parse(await readFile(path, "utf8")) as {
    output: { sources: Record<string, { ast: AstNode }> };
  };
  const byId = new Map<number, AstNode>();
  for (const { ast } of Object.values(output.sources)) {
    for (const node of ast.nodes ?? []) if (node.nodeType === "ContractDefinition") byId.set(node.id, node);
  }
  return byId;
}

type StateVariable = { owner: string; name: string; type: string; mutability: string };

/** The state variables of `contract` and its bases in storage order (most base first), constants left out. */
async function stateOf(contract: string): Promise<StateVariable[]> {
  const byId = await contractsOfBuild(contract);
  const leaf = [...byId.values()].find((c) => c.name === contract);
  if (leaf?.linearizedBaseContracts === undefined) throw new Error(`${contract} not in its own build`);
  const out: StateVariable[] = [];
  for (const baseId of [...leaf.linearizedBaseContracts].reverse()) {
    const base = byId.get(baseId);
    if (base === undefined) throw new Error(`base ${baseId} of ${contract} not in the build`);
    for (const v of base.nodes ?? []) {
      if (v.nodeType !== "VariableDeclaration" || !v.stateVariable || v.mutability === "constant") continue;
      out.push({
        owner: base.name ?? "?",
        name: v.name ?? "?",
        type: v.typeDescriptions?.typeString ?? "?",
        mutability: v.mutability ?? "?",
      });
    }
  }
  return out;
}

/** The runtime opcodes of `code` (PUSH data skipped, Solidity's CBOR metadata trailer cut off). */
function opcodes(code: string): number[] {
  const bytes = Buffer.from(code.slice(2), "hex");
  const metadata = bytes.readUInt16BE(bytes.length - 2) + 2;
  const end = bytes.length - metadata;
  const ops: number[] = [];
  for (let i = 0; i < end; i++) {
    const op = bytes[i] as number;
    ops.push(op);
    if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
  }
  return ops;
}

const SELFDESTRUCT = 0xff;
const DELEGATECALL = 0xf4;
const CALLCODE = 0xf2;

async function abiOf(contract: string): Promise<Interface> {
  return new Interface((await artifacts.readArtifact(contract)).abi as never);
}

function selectors(abi: Interface): Map<string, string> {
  const out = new Map<string, string>();
  abi.forEachFunction((f: FunctionFragment) => {
    out.set(f.selector, f.format("sighash"));
  });
  return out;
}

// ─────────────────────────────────────────── The deployment ───────────────────────────────────────────

/** The module address fixed in Merchstand's code: the `_DROPS` immutable, read where the compiler put it. */
async function dropsAddress(fx: Fx): Promise<string> {
  const byId = await contractsOfBuild("Merchstand");
  const merchstand = [...byId.values()].find((c) => c.name === "Merchstand");
  const decl = merchstand?.nodes?.find((n) => n.nodeType === "VariableDeclaration" && n.name === "_DROPS");
  if (decl === undefined) throw new Error("Merchstand has no _DROPS");
  const { immutableReferences } = await artifacts.readArtifact("Merchstand");
  const at = immutableReferences?.[String(decl.id)]?.[0];
  if (at === undefined) throw new Error("_DROPS is not referenced in the runtime code");
  const code = await fx.ethers.provider.getCode(await fx.merchstand.getAddress());
  const word = code.slice(2 + 2 * at.start, 2 + 2 * (at.start + at.length));
  return getAddress(`0x${word.slice(24)}`);
}

/** The catalog Merchstand's constructor created: its first CREATE (a contract's nonce starts at 1, EIP-161). */
async function catalogAddress(fx: Fx): Promise<string> {
  return getCreateAddress({ from: await fx.merchstand.getAddress(), nonce: 1 });
}

type CartLine = { productId: bigint; variant: number; quantity: number; maxUnitPrice: bigint };
/** A cart of one order of `lines`, zone-less and without a code. */
const cartOf = (storeId: bigint, termsVersion: bigint, lines: CartLine[]) => [
  { storeId, termsVersion, lines, shipping: SHIPPING, zone: 0, maxShipping: 0n, code: NO_CODE },
];

const now = async (fx: Fx): Promise<bigint> => BigInt(await fx.networkHelpers.time.latest());

describe("Security: the module route", () => {
  let fx: Fx;
  beforeEach(async () => {
    fx = await load();
  });

  describe("storage", () => {
    it("is laid out alike in Merchstand, MerchstandCatalog and MerchstandDrops (one list of state variables)", async () => {
      const [main, catalog, drops] = await Promise.all(
        ["Merchstand", "MerchstandCatalog", "MerchstandDrops"].map(async (c) =>
          (await stateOf(c)).filter((v) => v.mutability !== "immutable"),
        ),
      );
      // Not vacuous: the list runs from AccessControl's roles to the code counters.
      expect(main?.map((v) => v.name)).to.include.members(["_roles", "_paused", "_feeBps", "_orders", "_codeUses"]);
      expect(catalog, "the catalog sees Merchstand's slots").to.deep.equal(main);
      expect(drops, "the drop module sees Merchstand's slots").to.deep.equal(main);
      expect(
        main?.every((v) => v.owner === "MerchstandStorage" || ["AccessControl", "Pausable"].includes(v.owner)),
        "state is declared in MerchstandStorage (and OpenZeppelin's bases) only",
      ).to.equal(true);
    });

    it("has no immutable in the shared code but the chain's own: each contract's immutables are its own", async () => {
      const immutables = async (c: string) =>
        (await stateOf(c)).filter((v) => v.mutability === "immutable").map((v) => `${v.owner}.${v.name}`);
      // The one shared immutable is set from block.chainid in each contract's own constructor, so the three contracts,
      // deployed on one chain, hold the same value (MerchstandStorage._blockNumber reads it).
      const shared = "MerchstandStorage._ON_ARBITRUM";
      expect(await immutables("Merchstand")).to.have.members([
        "Merchstand._CATALOG",
        "Merchstand._DROPS",
        "Merchstand._DEPLOYMENT_BLOCK",
        shared,
      ]);
      expect(await immutables("MerchstandCatalog")).to.have.members(["MerchstandCatalog._SELF", shared]);
      expect(await immutables("MerchstandDrops")).to.have.members(["MerchstandDrops._SELF", shared]);
    });

    it("shares one re-entrancy lock: a checkout through the route holds the lock Merchstand's own functions test", async () => {
      // A hostile token's transferFrom, called inside a checkout run by the module, re-enters a function of
      // Merchstand's own code and one of the module's: both are refused with the guard's error. (Every function of
      // the merged ABI is re-entered from every payment in test/security/Reentrancy.ts; this pins the route.)
      const { merchstand, admin, seller, buyer } = fx;
      const token = (await fx.ethers.deployContract("MaliciousToken")) as unknown as MaliciousToken;
      const tokenAddress = await token.getAddress();
      await merchstand.connect(admin).setCurrencyAllowed(tokenAddress, true);
      const storeId = await openStore(fx, seller, { currency: tokenAddress, payout: seller.address });
      const productId = await listProduct(fx, seller, storeId, productInput(), [variant("One", 1_000n, 10)]);
      await token.mint(buyer.address, 10_000n);
      await token.connect(buyer).approve(await merchstand.getAddress(), 10_000n);
      const guard = merchstand.interface.getError("ReentrancyGuardReentrantCall")?.selector;
      const cart = cartOf(storeId, 1n, [{ productId, variant: 0, quantity: 1, maxUnitPrice: 1_000n }]);
      for (const reentry of [
        merchstand.interface.encodeFunctionData("withdraw", [tokenAddress, buyer.address]),
        merchstand.interface.encodeFunctionData("setShippingZones", [storeId, []]),
        merchstand.interface.encodeFunctionData("buy_oT9la", [packLine(productId, 0, 1, 1_000n), SHIPPING]),
      ]) {
        await token.armReentry(REENTER_ON_TRANSFER_FROM, await merchstand.getAddress(), reentry, false);
        await expect(merchstand.connect(buyer).checkout(cart)).to.emit(merchstand, "OrderPlaced");
        expect(await token.lastRevertData(), "the re-entry was refused by the shared guard").to.equal(guard);
      }
      expect(await token.reentrySucceeded()).to.equal(0n);
    });
  });

  describe("selectors", () => {
    it("no function of MerchstandDrops is shadowed by one of Merchstand (the fallback only sees what Merchstand lacks)", async () => {
      const main = selectors(await abiOf("Merchstand"));
      const drops = selectors(await abiOf("IMerchstandDrops"));
      expect(drops.size).to.be.greaterThan(20);
      for (const [selector, signature] of drops)
        expect(main.has(selector), `${signature} reaches the module`).to.equal(false);
    });

    it("no two different functions of the three contracts share a selector, and none is the view tag", async () => {
      const seen = new Map<string, string>();
      for (const c of ["Merchstand", "MerchstandCatalog", "MerchstandDrops"]) {
        for (const [selector, signature] of selectors(await abiOf(c))) {
          const other = seen.get(selector);
          expect(other === undefined || other === signature, `${signature} and ${other} share ${selector}`).to.equal(
            true,
          );
          seen.set(selector, signature);
        }
      }
      expect(seen.has(VIEW_CALL), "the view tag is nobody's selector").to.equal(false);
    });

    it("every catalog function has a Merchstand stub of the same selector", async () => {
      const main = selectors(await abiOf("Merchstand"));
      for (const [selector, signature] of selectors(await abiOf("MerchstandCatalog"))) {
        expect(main.get(selector), `Merchstand answers ${signature}`).to.equal(signature);
      }
    });

    it("answers a selector nobody has with UnknownCall, and the view tag from outside the same way", async () => {
      const { merchstand, other } = fx;
      const drops = await fx.ethers.getContractAt("MerchstandDrops", await dropsAddress(fx));
      const to = await merchstand.getAddress();
      await expect(other.sendTransaction({ to, data: "0xdeadbeef" }))
        .to.be.revertedWithCustomError(drops, "UnknownCall")
        .withArgs("0xdeadbeef");
      // The catalog route needs msg.sender == Merchstand (its own STATICCALL): from outside the tag is just unknown,
      // whatever follows it, so no one reaches the catalog's code without its stub.
      const openStore = merchstand.interface.encodeFunctionData("openStore", [
        { name: "x", metadataCid: "", payout: other.address, currency: ZERO, shippingKey: BUYER_KEY, terms: fx.terms },
      ]);
      await expect(other.sendTransaction({ to, data: VIEW_CALL + openStore.slice(2) }))
        .to.be.revertedWithCustomError(drops, "UnknownCall")
        .withArgs(VIEW_CALL);
      // Calldata shorter than a selector goes the same way, and keeps nothing.
      await expect(other.sendTransaction({ to, data: "0x01" })).to.be.revertedWithCustomError(drops, "UnknownCall");
    });
  });

  describe("the modules called directly", () => {
    it("MerchstandDrops refuses every state-changing function (NotDelegated, or no role in its own storage)", async () => {
      const { admin } = fx;
      const address = await dropsAddress(fx);
      const drops = await fx.ethers.getContractAt("MerchstandDrops", address);
      const abi = await abiOf("MerchstandDrops");
      let tried = 0;
      const fragments: FunctionFragment[] = [];
      abi.forEachFunction((f: FunctionFragment) => {
        if (f.stateMutability !== "view" && f.stateMutability !== "pure") fragments.push(f);
      });
      for (const f of fragments) {
        const data = abi.encodeFunctionData(f, f.inputs.map(zeroOf));
        // The admin of Merchstand is a stranger to the module's own storage: no role there.
        const call = admin.sendTransaction({ to: address, data });
        if (
          [
            "checkout",
            "checkoutWithPermit",
            "setDrop",
            "setShippingZones",
            "revokeCode",
            "prepareCodes",
            "checkIn",
            "replyToReview",
          ].includes(f.name)
        ) {
          await expect(call, f.name).to.be.revertedWithCustomError(drops, "NotDelegated");
        } else if (["grantRole", "revokeRole", "renounceRole"].includes(f.name)) {
          // AccessControl's own: nobody holds a role in the module's storage, so nothing can be granted there.
          await expect(call, f.name).to.revert(fx.ethers);
        } else {
          await expect(call, f.name).to.be.revertedWithCustomError(drops, "AccessControlUnauthorizedAccount");
        }
        tried++;
      }
      expect(tried).to.be.greaterThan(12);
    });

    it("MerchstandDrops's unguarded views read only the module's own, empty storage", async () => {
      const drops = await fx.ethers.getContractAt("MerchstandDrops", await dropsAddress(fx));
      expect(await fx.merchstand.feeBps()).to.equal(250n);
      expect(await drops.feeBps(), "the module knows no fee: it is not where Merchstand's state lives").to.equal(0n);
      expect(await drops.isStoreStaff(fx.ethStoreId, fx.seller.address)).to.equal(false);
      await expect(drops.getDrop(fx.shirtId)).to.be.revertedWithCustomError(drops, "NotDelegated");
    });

    it("MerchstandCatalog refuses every function, views included (NotDelegated)", async () => {
      const address = await catalogAddress(fx);
      expect(await fx.ethers.provider.getCode(address)).to.not.equal("0x");
      const catalog = await fx.ethers.getContractAt("MerchstandCatalog", address);
      const abi = await abiOf("MerchstandCatalog");
      const own = new Set((await abiOf("IMerchstand")).fragments.map((f) => (f as FunctionFragment).name));
      let tried = 0;
      const fragments: FunctionFragment[] = [];
      abi.forEachFunction((f: FunctionFragment) => {
        if (own.has(f.name)) fragments.push(f);
      });
      for (const f of fragments) {
        const data = abi.encodeFunctionData(f, f.inputs.map(zeroOf));
        await expect(fx.admin.sendTransaction({ to: address, data }), f.name).to.be.revertedWithCustomError(
          catalog,
          "NotDelegated",
        );
        tried++;
      }
      expect(tried).to.be.greaterThan(20);
    });

    it("hold no code that could remove them or run other code (no SELFDESTRUCT, DELEGATECALL or CALLCODE)", async () => {
      for (const address of [await dropsAddress(fx), await catalogAddress(fx)]) {
        const ops = opcodes(await fx.ethers.provider.getCode(address));
        expect(ops.length).to.be.greaterThan(1000);
        for (const op of [SELFDESTRUCT, DELEGATECALL, CALLCODE]) {
          expect(ops.includes(op), `${address} has opcode 0x${op.toString(16)}`).to.equal(false);
        }
      }
    });

    it("are fixed at deployment: Merchstand refuses a module address without code", async () => {
      const { admin, feeRecipient, other } = fx;
      const Merchstand = await fx.ethers.getContractFactory("Merchstand");
      await expect(
        fx.ethers.deployContract("Merchstand", [admin.address, 250, feeRecipient.address, [], other.address]),
      ).to.be.revertedWithCustomError(Merchstand, "ZeroAddress");
    });
  });

  describe("ETH through the fallback", () => {
    it("is refused by every non-payable function of the module, and none of it stays", async () => {
      const { merchstand, admin } = fx;
      const to = await merchstand.getAddress();
      const before = await fx.ethers.provider.getBalance(to);
      const abi = await abiOf("IMerchstandDrops");
      const fragments: FunctionFragment[] = [];
      abi.forEachFunction((f: FunctionFragment) => {
        if (f.stateMutability !== "payable") fragments.push(f);
      });
      expect(fragments.length).to.be.greaterThan(20);
      for (const f of fragments) {
        const data = abi.encodeFunctionData(f, f.inputs.map(zeroOf));
        await expect(admin.sendTransaction({ to, data, value: 1n }), f.name).to.be.revertedWithoutReason(fx.ethers);
      }
      // With no value the same calls get past the payable check (most then fail on their zero arguments).
      await expect(admin.sendTransaction({ to, data: abi.encodeFunctionData("feeBps", []) })).to.not.revert(fx.ethers);
      // An unknown selector with value, and a plain transfer, are refused too.
      await expect(admin.sendTransaction({ to, data: "0xdeadbeef", value: 1n })).to.be.revertedWithoutReason(fx.ethers);
      await expect(admin.sendTransaction({ to, value: 1n }))
        .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
        .withArgs(0n, 1n);
      expect(await fx.ethers.provider.getBalance(to)).to.equal(before);
    });

    it("pays a checkout exactly: the module's payable checkout takes msg.value once, and refuses any other amount", async () => {
      const { merchstand, buyer, ethStoreId, shirtId } = fx;
      const price = await priceOf(fx, shirtId);
      const cart = cartOf(ethStoreId, await termsVersionOf(fx, shirtId), [
        { productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: price },
        { productId: shirtId, variant: 1, quantity: 1, maxUnitPrice: price },
      ]);
      await expect(merchstand.connect(buyer).checkout(cart, { value: price }))
        .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
        .withArgs(2n * price, price);
      await expect(merchstand.connect(buyer).checkout(cart, { value: 3n * price }))
        .to.be.revertedWithCustomError(merchstand, "IncorrectPayment")
        .withArgs(2n * price, 3n * price);
      await expect(merchstand.connect(buyer).checkout(cart, { value: 2n * price })).to.changeEtherBalances(
        fx.ethers,
        [buyer, merchstand],
        [-2n * price, 2n * price],
      );
    });
  });

  describe("a module function that reverts", () => {
    it("reverts the whole call with the module's own error and arguments, and changes nothing", async () => {
      const { merchstand, other, shirtId, ethStoreId } = fx;
      const drop = { presaleAt: 0n, opensAt: (await now(fx)) + DAY, closesAt: 0n, shipsFrom: 0n };
      await expect(merchstand.connect(other).setDrop(shirtId, drop))
        .to.be.revertedWithCustomError(merchstand, "NotStoreStaff")
        .withArgs(ethStoreId, other.address);
      const stored = await merchstand.getDrop(shirtId);
      expect(stored.opensAt).to.equal(0n);
      // And a module function's result comes back whole through the fallback's return.
      await merchstand.connect(fx.seller).setDrop(shirtId, drop);
      expect((await merchstand.getDrop(shirtId)).opensAt).to.equal(drop.opensAt);
    });
  });

  describe("pausing over the route", () => {
    it("stops the module's checkouts only: codes, zones, drops and the door go on, and so do the exits", async () => {
      const { merchstand, admin, other, seller, buyer, ethStoreId, shirtId } = fx;
      const { orderId, order } = await buyEth(fx, buyer, shirtId);
      await expect(merchstand.connect(other).pause())
        .to.be.revertedWithCustomError(merchstand, "AccessControlUnauthorizedAccount")
        .withArgs(other.address, await merchstand.PAUSER_ROLE());
      await merchstand.connect(admin).pause();
      const price = await priceOf(fx, shirtId);
      const cart = cartOf(ethStoreId, await termsVersionOf(fx, shirtId), [
        { productId: shirtId, variant: 0, quantity: 1, maxUnitPrice: price },
      ]);
      await expect(merchstand.connect(buyer).checkout(cart, { value: price })).to.be.revertedWithCustomError(
        merchstand,
        "EnforcedPause",
      );
      await expect(merchstand.connect(seller).revokeCode(ethStoreId, 7)).to.emit(merchstand, "CodeRevoked");
      await expect(merchstand.connect(seller).setShippingZones(ethStoreId, [])).to.emit(merchstand, "ShippingZonesSet");
      await expect(
        merchstand.connect(seller).setDrop(shirtId, { presaleAt: 0, opensAt: 0, closesAt: 0, shipsFrom: 0 }),
      ).to.emit(merchstand, "DropSet");
      // The fan's exit while paused: a cancel once the ship window is over.
      await fx.networkHelpers.time.increase(fx.terms.shipWindow);
      await expect(merchstand.connect(buyer).cancel(orderId, order)).to.emit(merchstand, "OrderCancelled");
      await merchstand.connect(admin).unpause();
      await expect(merchstand.connect(buyer).checkout(cart, { value: price })).to.emit(merchstand, "OrderPlaced");
    });

    it("keeps the door open while paused: a delivered ticket checks in", async () => {
      const { merchstand, admin, seller } = fx;
      const bought = await deliveredTicket(fx);
      await merchstand.connect(admin).pause();
      await expect(merchstand.connect(seller).checkIn(bought.orderId, bought.order)).to.emit(
        merchstand,
        "TicketCheckedIn",
      );
    });
  });

  describe("EIP-712 codes", () => {
    const code = async (over: Partial<Code> = {}): Promise<Code> => ({
      storeId: fx.ethStoreId,
      id: 1,
      kind: 0,
      value: 1_000n,
      expiresAt: (await now(fx)) + DAY,
      maxUses: 10,
      buyer: ZERO,
      productId: 0n,
      ...over,
    });
    const buyCoded = async (target: MerchstandDeployed, productId: bigint, signed: typeof NO_CODE, value: bigint) => {
      const price = await target.getProduct(productId).then((p) => p.variants[0]?.price ?? 0n);
      return target.connect(fx.buyer).buyWith(packLine(productId, 0, 1, price, 1n), 0n, signed, SHIPPING, { value });
    };

    it("are signed under Merchstand's domain: hashCode through the route is the digest with verifyingContract = Merchstand", async () => {
      const c = await code();
      const digest = await fx.merchstand.hashCode(c);
      expect(digest).to.equal(TypedDataEncoder.hash(await codeDomain(fx), CODE_TYPES, c));
      const { chainId } = await fx.ethers.provider.getNetwork();
      const asModule = { name: "Merchstand", version: "1", chainId, verifyingContract: await dropsAddress(fx) };
      expect(digest).to.not.equal(TypedDataEncoder.hash(asModule, CODE_TYPES, c));
    });

    it("refuse a code signed for the module's address, or for another chain", async () => {
      const { merchstand, seller, ethStoreId, shirtId } = fx;
      const c = await code();
      const price = await priceOf(fx, shirtId);
      const { chainId } = await fx.ethers.provider.getNetwork();
      for (const domain of [
        { name: "Merchstand", version: "1", chainId, verifyingContract: await dropsAddress(fx) },
        { name: "Merchstand", version: "1", chainId: chainId + 1n, verifyingContract: await merchstand.getAddress() },
        { name: "Merchstand", version: "2", chainId, verifyingContract: await merchstand.getAddress() },
      ]) {
        const sig = Signature.from(await seller.signTypedData(domain, CODE_TYPES, c));
        const signed = { code: (await signCode(fx, seller, c)).code, r: sig.r, vs: sig.yParityAndS };
        await expect(buyCoded(merchstand, shirtId, signed, price - price / 10n)).to.be.revertedWithCustomError(
          merchstand,
          "InvalidCodeSignature",
        );
      }
      expect((await merchstand.codeState(ethStoreId, 1)).uses).to.equal(0n);
    });

    it("cannot be malleated: the compact vs has no room for the upper-half s, and uses are counted per id", async () => {
      const { merchstand, seller, ethStoreId, shirtId } = fx;
      const c = await code({ maxUses: 1 });
      const signed = await signCode(fx, seller, c);
      const vs = BigInt(signed.vs);
      const parity = vs >> 255n;
      const s = vs & ((1n << 255n) - 1n);
      // The twin (n - s, other parity) is a valid ECDSA signature of the same digest, but n - s needs bit 255,
      // which EIP-2098 gives to the parity: squeezed into vs it becomes another s, which recovers to a stranger.
      expect((SECP256K1_N - s) >> 255n, "n - s does not fit 255 bits").to.equal(1n);
      const twin = { ...signed, vs: toBeHex(((1n - parity) << 255n) | ((SECP256K1_N - s) & ((1n << 255n) - 1n)), 32) };
      const price = await priceOf(fx, shirtId);
      await expect(buyCoded(merchstand, shirtId, twin, price - price / 10n)).to.be.revertedWithCustomError(
        merchstand,
        "InvalidCodeSignature",
      );
      await expect(buyCoded(merchstand, shirtId, signed, price - price / 10n)).to.emit(merchstand, "OrderPlaced");
      // Even a second valid signature of the same code would meet the same counter.
      await expect(buyCoded(merchstand, shirtId, signed, price - price / 10n))
        .to.be.revertedWithCustomError(merchstand, "CodeUsedUp")
        .withArgs(ethStoreId, 1, 1n, 1n);
    });

    it("do not travel between deployments: a second Merchstand sharing the module refuses the first one's code", async () => {
      const { admin, feeRecipient, seller } = fx;
      const deployed = await fx.ethers.deployContract("Merchstand", [
        admin.address,
        250,
        feeRecipient.address,
        [],
        await dropsAddress(fx),
      ]);
      const second = (await fx.ethers.getContractAt(
        "MerchstandDeployed",
        await deployed.getAddress(),
      )) as unknown as MerchstandDeployed;
      await second.connect(seller).openStore({
        name: "Night Tapes",
        metadataCid: "",
        payout: seller.address,
        currency: ZERO,
        shippingKey: BUYER_KEY,
        terms: fx.terms,
      });
      const price = await priceOf(fx, fx.shirtId);
      await second
        .connect(seller)
        .listProduct(1n, { name: "Shirt", metadataCid: "", category: 0, maxPerBuyer: 0, digital: false }, [
          { label: "S", price, stock: 5 },
        ]);
      // Same store id (1), same product id (1), same staff: only the domain tells the codes apart.
      const c = await code({ storeId: 1n });
      const forFirst = await signCode(fx, seller, c);
      await expect(buyCoded(second, 1n, forFirst, price - price / 10n)).to.be.revertedWithCustomError(
        second,
        "InvalidCodeSignature",
      );
      const forSecond = await signCode({ ethers: fx.ethers, merchstand: second }, seller, c);
      await expect(buyCoded(second, 1n, forSecond, price - price / 10n)).to.emit(second, "OrderPlaced");
      // The module holds nothing of either: each deployment counts its own uses.
      expect((await second.codeState(1n, 1)).uses).to.equal(1n);
      expect((await fx.merchstand.codeState(1n, 1)).uses).to.equal(0n);
    });
  });
});
