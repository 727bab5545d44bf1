// Catalog reads through the dapp's own client layer (frontend/src/client), over HTTP to a real node, with every
// request the layer makes counted at the transport: the figures are what a fan's browser pays, not what a
// benchmark-only reader would.
import { loadAllProducts, loadCatalogPage } from "../../frontend/src/client/catalog.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import type { FetchLike } from "../../frontend/src/client/rpc.ts";
import { post } from "./http.ts";
import { repeat, type Summary, summarize, timed } from "./stats.ts";

/** A fetch-like transport (see ./http.ts for why not `fetch`) with a request counter, for the client layer. */
export function countingTransport(): { fetch: FetchLike; count(): number; reset(): void } {
  let requests = 0;
  const fetchFn: FetchLike = async (url, init) => {
    requests++;
    const { status, text } = await post(url, init);
    return { ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) as unknown };
  };
  return {
    fetch: fetchFn,
    count: () => requests,
    reset: () => {
      requests = 0;
    },
  };
}

export type CatalogReads = {
  page1: { ms: Summary; requests: Summary; products: number };
  all: { ms: Summary; requests: Summary; products: number };
};

/** Loads page 1 and then the whole catalog, `reps` times each; checks every load returned what the chain holds. */
export async function measureCatalogReads(
  target: { rpcUrl: string; merchstand: string },
  expectedProducts: number,
  reps: { page1: number; all: number },
): Promise<CatalogReads> {
  const transport = countingTransport();
  const chain = Chain.fromManifest(target, transport.fetch);

  // One untimed load first: the first call pays for compiling the decoder, not for the catalog. (The page-1 load
  // exercises the same decoder as a full load: Chain.getProducts decodes every page struct by struct, see decodePage.)
  await loadCatalogPage(chain, 0);

  const run = async (reps: number, load: () => Promise<number>) => {
    const samples = await repeat(reps, async () => {
      transport.reset();
      const { ms, value: products } = await timed(load);
      return { ms, requests: transport.count(), products };
    });
    const products = samples[0]!.products;
    if (samples.some((s) => s.products !== products)) throw new Error("catalog loads returned different counts");
    return {
      ms: summarize(samples.map((s) => s.ms)),
      requests: summarize(samples.map((s) => s.requests)),
      products,
    };
  };

  const page1 = await run(reps.page1, async () => {
    const page = await loadCatalogPage(chain, 0);
    if (page.total !== expectedProducts)
      throw new Error(`the chain has ${page.total} products, not ${expectedProducts}`);
    return page.products.length;
  });
  const all = await run(reps.all, async () => {
    const products = await loadAllProducts(chain);
    const short = products.find((p) => p.variants.length !== 3);
    if (short !== undefined) throw new Error(`product ${short.id} came back with ${short.variants.length} variants`);
    return products.length;
  });
  if (all.products !== expectedProducts) {
    throw new Error(`loading every product returned ${all.products}, not ${expectedProducts}`);
  }
  return { page1, all };
}
