// Seeds a large synthetic catalog (stores, products with 3 variants each, metadata and pictures on IPFS) on a
// running node, fast: transactions are signed by the node's unlocked accounts and go out as JSON-RPC batches of a
// hundred, so a thousand listings cost ten HTTP round trips instead of a thousand sign-send-wait cycles.
import { Interface, type JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";
import { merchstandAbi } from "../../frontend/src/generated/merchstand-abi.ts";
import { rpcOnce, rpcProvider } from "../cli/rpc.ts";
import { productImages, storeLogo } from "../seed/art.ts";
import { DEMO_STORES } from "../seed/catalog.ts";

const merchstand = new Interface(merchstandAbi);
const DAY = 24 * 60 * 60;
/** Batches of this many JSON-RPC calls per HTTP request keep each request small enough for the node. */
const BATCH = 100;
/** Sellers are taken from this account index on, past the accounts the demo cast uses (0..8). */
const FIRST_SELLER_ACCOUNT = 10;
const ITEMS = ["Tour Tee", "Logo Hoodie", "Live LP", "Poster", "Tote Bag", "Beanie", "Enamel Pin", "Cassette"];
const CATEGORY_OF = [0, 0, 1, 2, 4, 0, 4, 1];
const KIND_OF = ["tee", "hoodie", "vinyl", "poster", "tote", "beanie", "pin", "cassette"] as const;

/** The total a paged view reports (`getStores` or `getProducts` with an empty page). */
async function countOf(provider: JsonRpcProvider, to: string, view: "getStores" | "getProducts"): Promise<number> {
  const result = await provider.call({ to, data: merchstand.encodeFunctionData(view, [0, 0]) });
  return Number(merchstand.decodeFunctionResult(view, result)[1]);
}

export type SeedOptions = {
  rpcUrl: string;
  merchstand: string;
  products: number;
  stores: number;
  /** Adds and pins bytes on the stack's IPFS node; returns the CID. */
  addBytes(bytes: Uint8Array): Promise<string>;
  log?: (line: string) => void;
};

export type SeededCatalog = { stores: number; products: number; variantsPerProduct: number };

/** Pictures and metadata JSON (FORMATS.md) that the seeded products and stores point at. */
async function seedContent(addBytes: SeedOptions["addBytes"]) {
  const productCids: string[] = [];
  for (let i = 0; i < ITEMS.length; i++) {
    const store = DEMO_STORES[i % DEMO_STORES.length]!;
    const item = ITEMS[i]!;
    const [front] = productImages(KIND_OF[i]!, store.palette, [item.toUpperCase(), "BENCHMARK"], store.mark);
    const image = await addBytes(front!);
    const metadata = {
      schema: "merchstand/product@1",
      description: `${item} from the benchmark catalog: printed on demand, shipped in recycled packaging.`,
      images: [image],
      details: { Material: "100% cotton" },
    };
    productCids.push(await addBytes(toUtf8Bytes(JSON.stringify(metadata))));
  }
  const storeCids: string[] = [];
  for (const store of DEMO_STORES) {
    const logo = await addBytes(storeLogo(store.palette, store.mark));
    const metadata = { schema: "merchstand/store@1", bio: store.bio, logo, links: [] };
    storeCids.push(await addBytes(toUtf8Bytes(JSON.stringify(metadata))));
  }
  return { productCids, storeCids };
}

/**
 * Sends `txs` in JSON-RPC batches (the provider batches the calls sent together). The node automines, so each transaction is mined as it arrives and a revert
 * comes back as an error answer, which fails the seed. (Automining off is slower here: the node re-runs the whole
 * pending pool for every transaction it accepts, so a batch costs O(n²).)
 */
async function sendAll(provider: JsonRpcProvider, txs: ReadonlyArray<Record<string, string>>): Promise<void> {
  if ((await provider.send("hardhat_getAutomine", [])) !== true) throw new Error("the node does not automine");
  for (let i = 0; i < txs.length; i += BATCH) {
    await Promise.all(txs.slice(i, i + BATCH).map((tx) => provider.send("eth_sendTransaction", [tx])));
  }
}

/** Opens `stores` stores and lists `products` products (3 variants each) spread over them; checks the totals. */
export async function seedCatalog(options: SeedOptions): Promise<SeededCatalog> {
  const chainId = await rpcOnce<string>(options.rpcUrl, "eth_chainId");
  const provider = rpcProvider(options.rpcUrl, {
    chainId: BigInt(chainId),
    batchMaxCount: BATCH,
    freshConnections: true,
  });
  try {
    return await seedWith(provider, options);
  } finally {
    provider.destroy();
  }
}

async function seedWith(provider: JsonRpcProvider, options: SeedOptions): Promise<SeededCatalog> {
  const to = options.merchstand;
  const accounts = (await provider.send("eth_accounts", [])) as string[];
  const sellers = accounts.slice(FIRST_SELLER_ACCOUNT, FIRST_SELLER_ACCOUNT + options.stores);
  if (sellers.length < options.stores) {
    throw new Error(`the node unlocks ${accounts.length} accounts; ${FIRST_SELLER_ACCOUNT + options.stores} needed`);
  }
  const arbiter = accounts[4] ?? sellers[0]!;
  const storesBefore = await countOf(provider, to, "getStores");
  const productsBefore = await countOf(provider, to, "getProducts");
  const log = options.log ?? (() => {});
  let phase = performance.now();
  const lap = (what: string) => {
    log(`${what} (${((performance.now() - phase) / 1000).toFixed(1)} s)`);
    phase = performance.now();
  };
  const { productCids, storeCids } = await seedContent(options.addBytes);
  lap(`${productCids.length} product and ${storeCids.length} store metadata files with pictures added to IPFS`);

  const storeTxs = sellers.map((from, i) => ({
    from,
    to,
    // Explicit gas: estimating each one would double the round trips.
    gas: "0x7a120",
    data: merchstand.encodeFunctionData("openStore", [
      {
        name: `Benchmark Band ${String(i + 1).padStart(2, "0")}`,
        metadataCid: storeCids[i % storeCids.length]!,
        payout: from,
        currency: "0x0000000000000000000000000000000000000000",
        shippingKey: keccak256(toUtf8Bytes(`merchstand bench store ${i}`)),
        terms: { arbiter, shipWindow: 7 * DAY, deliveryWindow: 14 * DAY },
      },
    ]),
  }));
  await sendAll(provider, storeTxs);
  lap(`${storeTxs.length} stores opened`);

  const opened = (await countOf(provider, to, "getStores")) - storesBefore;
  if (opened !== sellers.length) throw new Error(`seeding opened ${opened} stores, ${sellers.length} expected`);
  const firstStoreId = storesBefore + 1;

  const productTxs: Array<Record<string, string>> = [];
  for (let p = 0; p < options.products; p++) {
    const s = p % sellers.length;
    const item = p % ITEMS.length;
    const price = 10_000_000_000_000_000n + BigInt(p % 50) * 1_000_000_000_000_000n;
    productTxs.push({
      from: sellers[s]!,
      to,
      gas: "0x7a120",
      data: merchstand.encodeFunctionData("listProduct", [
        firstStoreId + s,
        {
          name: `${ITEMS[item]} No. ${p + 1}`,
          metadataCid: productCids[item]!,
          category: CATEGORY_OF[item]!,
          maxPerBuyer: 0,
          digital: false,
        },
        ["S", "M", "L"].map((label, v) => ({ label, price: price + BigInt(v) * 1_000_000_000_000_000n, stock: 50 })),
      ]),
    });
  }
  await sendAll(provider, productTxs);
  lap(`${productTxs.length} products listed`);

  const listed = (await countOf(provider, to, "getProducts")) - productsBefore;
  if (listed !== options.products) {
    throw new Error(`seeding listed ${listed} products, ${options.products} expected (a listing reverted?)`);
  }
  return { stores: sellers.length, products: listed, variantsPerProduct: 3 };
}
