import { defineConfig } from "vite";

// `base: "./"` keeps every asset URL relative, so the same build works under an IPFS path gateway
// (/ipfs/<cid>/), a subdomain gateway and a plain static server.
export default defineConfig({
  base: "./",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // The budget is checked on the gzip figure Vite prints; this only flags a runaway chunk.
    chunkSizeWarningLimit: 300,
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
