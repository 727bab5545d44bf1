// The repository's root folder, for every script and test that names a file in the repo.
import { isAbsolute, relative, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

/** `path` relative to the repo when it is inside it, absolute otherwise: what a script prints. */
export function shown(path: string): string {
  const rel = relative(ROOT, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
