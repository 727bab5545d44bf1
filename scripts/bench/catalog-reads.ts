// Catalog reads through the dapp's own client layer (frontend/src/client), over HTTP to a real node, with every
// request the layer makes counted at the transport: the figures are what a fan's browser pays, not what a
// benchmark-only reader would.
import { request } from "node:http";
import { loadAllProducts, loadCatalogPage } from "../../frontend/src/client/catalog.ts";
import { Chain } from "../../frontend/src/client/chain.ts";
import type { FetchLike } from "../../frontend/src/client/rpc.ts";
import { repeat, type Summary, summarize, timed } from "./stats.ts";

/**
 * A fetch-like transport over node:http with a request counter, handed to the client layer. Each request opens its
 * own connection (on loopback that costs well under a millisecond): the client layer decodes large pages
 * synchronously, and a keep-alive socket the node closed during such a pause would otherwise fail the next request
 * ("other side closed"), a race a browser hides by retrying and a benchmark must not count.
 */
export function countingTransport(): { fetch: FetchLike; count(): number; reset(): void } {
  let requests = 0;
  const fetchFn: FetchLike = (url, init) => {
    requests++;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: init.method, headers: init.headers, agent: false, signal: init.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) as unknown });
          });
        },
      );
      req.on("error", reject);
      req.end(init.body);
    });
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

/** Loads page 1 and then the whole catalog `reps` times each; checks every load returned what the chain holds. */
export async function measureCatalogReads(
  target: { rpcUrl: string; merchstand: string },
  expectedProducts: number,
  reps: number,
): Promise<CatalogReads> {
  const transport = countingTransport();
  const chain = Chain.fromManifest(target, transport.fetch);

  // One untimed load of each kind first: the first call pays for JIT and the TCP connection, not the catalog.
  await loadCatalogPage(chain, 0);
  await loadAllProducts(chain);

  const run = async (load: () => Promise<number>) => {
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

  const page1 = await run(async () => {
    const page = await loadCatalogPage(chain, 0);
    if (page.total !== expectedProducts)
      throw new Error(`the chain has ${page.total} products, not ${expectedProducts}`);
    return page.products.length;
  });
  const all = await run(async () => {
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
