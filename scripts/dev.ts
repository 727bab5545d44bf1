// `npm run dev`: the same chain, contracts, demo catalog and IPFS gateway as `npm start`, with the dapp served by a
// Vite dev server (hot reload) instead of from IPFS. The manifest the dapp fetches (./manifest.json) is answered
// from memory by a small Vite plugin, so nothing is written into frontend/.
import type { ServerResponse } from "node:http";
import { DEMO_ACCOUNTS_FILE } from "../frontend/src/client/demo-accounts.ts";
import { serializeDappManifest } from "./publish/dapp-manifest.ts";
import { main } from "./stack/cli.ts";
import { FRONTEND_DIR } from "./stack/dapp.ts";
import { demoAccountsFile } from "./stack/demo-accounts.ts";

await main("dev", {
  startDevServer: async (manifest, devPort) => {
    const { createServer } = await import("vite");
    const body = serializeDappManifest(manifest);
    const demo = demoAccountsFile(manifest);
    const server = await createServer({
      root: FRONTEND_DIR,
      clearScreen: false,
      server: { host: "127.0.0.1", port: devPort, strictPort: true },
      plugins: [
        {
          name: "merchstand-manifest",
          configureServer(dev) {
            // Any path ending in /manifest.json: the dapp asks relative to the page it is on.
            dev.middlewares.use((req, res: ServerResponse, next) => {
              const path = (req.url ?? "").split("?")[0]!;
              const served = path.endsWith("/manifest.json")
                ? body
                : demo && path.endsWith(`/${DEMO_ACCOUNTS_FILE}`)
                  ? JSON.stringify(demo)
                  : null;
              if (served === null) return next();
              res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
              res.end(served);
            });
          },
        },
      ],
    });
    await server.listen();
    return { url: `http://127.0.0.1:${devPort}/`, close: () => server.close() };
  },
});
