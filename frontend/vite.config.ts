import { defineConfig, type Plugin } from "vite";

// The dev server injects CSS as inline <style> tags (hot reload), which the page's `style-src 'self'` policy
// blocks. Only `vite` (serve) relaxes it; the built dapp keeps the strict policy.
const devStylePolicy: Plugin = {
  name: "merchstand-dev-style-policy",
  apply: "serve",
  transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

// `base: "./"` keeps every asset URL relative, so the same build works under an IPFS path gateway
// (/ipfs/<cid>/), a subdomain gateway and a plain static server.
export default defineConfig({
  base: "./",
  plugins: [devStylePolicy],
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
