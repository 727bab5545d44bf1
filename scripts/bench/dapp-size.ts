// First-load weight of the dapp build: what index.html makes the browser fetch before any route runs (its module
// script, the module preloads and the stylesheets), in gzip bytes at level 9, the size a gateway that compresses
// would send. Lazily imported route chunks are not in it; the browser measurement reports what the home route
// really pulled in.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

export type AssetSize = { path: string; bytes: number; gzip: number };
export type FirstLoad = { html: AssetSize; js: AssetSize[]; css: AssetSize[]; jsGzip: number; cssGzip: number };

export async function gzipSize(path: string): Promise<AssetSize & { absolute: string }> {
  const bytes = await readFile(path);
  return { path, absolute: path, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** The attribute `name` of an HTML tag's source text, or null. */
function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match === null ? null : (match[1] ?? match[2] ?? match[3] ?? null);
}

/** Local asset URLs in index.html: module scripts, modulepreloads, stylesheets. External URLs are an error. */
export function firstLoadAssets(html: string): { js: string[]; css: string[] } {
  const js: string[] = [];
  const css: string[] = [];
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const isScript = /^<script/i.test(tag);
    const url = isScript ? attribute(tag, "src") : attribute(tag, "href");
    if (url === null) continue;
    const rel = isScript ? null : (attribute(tag, "rel") ?? "").toLowerCase();
    const kind = isScript || rel === "modulepreload" ? js : rel === "stylesheet" ? css : null;
    if (kind === null) continue;
    if (/^[a-z]+:/i.test(url) || url.startsWith("//")) {
      // The dapp is served from IPFS: an asset from another origin would be neither pinned nor content-addressed.
      if (url.startsWith("data:")) continue;
      throw new Error(`index.html loads ${url} from another origin`);
    }
    if (!kind.includes(url)) kind.push(url);
  }
  return { js, css };
}

/** Maps a relative asset URL of index.html (`./assets/x.js`, `assets/x.js`, `/assets/x.js`) to its file in `dist`. */
export function assetFile(dist: string, url: string): string {
  const path = decodeURIComponent(url.split(/[?#]/)[0] ?? "").replace(/^\.?\//, "");
  const file = resolve(dist, path);
  if (!file.startsWith(resolve(dist))) throw new Error(`asset ${url} points outside the build`);
  return file;
}

export async function measureFirstLoad(dist: string): Promise<FirstLoad> {
  const htmlPath = join(dist, "index.html");
  const html = await readFile(htmlPath, "utf8");
  const { js, css } = firstLoadAssets(html);
  if (js.length === 0) throw new Error("index.html loads no script: is frontend/dist a Vite build?");
  const size = async (url: string) => {
    const s = await gzipSize(assetFile(dist, url));
    return { path: url, bytes: s.bytes, gzip: s.gzip };
  };
  const jsSizes = await Promise.all(js.map(size));
  const cssSizes = await Promise.all(css.map(size));
  const htmlSize = await gzipSize(htmlPath);
  return {
    html: { path: "index.html", bytes: htmlSize.bytes, gzip: htmlSize.gzip },
    js: jsSizes,
    css: cssSizes,
    jsGzip: jsSizes.reduce((n, a) => n + a.gzip, 0),
    cssGzip: cssSizes.reduce((n, a) => n + a.gzip, 0),
  };
}
