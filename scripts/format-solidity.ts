// Formats the Solidity sources with `forge fmt` (from the npm package @foundry-rs/forge), or checks them with
// `--check`: `node scripts/format-solidity.ts [--check]`. The package's own `forge` launcher exits 0 even when
// `forge fmt --check` finds a difference, so this runs the platform binary it ships and passes its exit code on.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { helpText, orExit, parseOptions, switchOn } from "./cli/options.ts";

const FOLDERS = ["contracts", "test"];
const OPTIONS = {
  check: { type: "boolean", describe: "report unformatted files and exit 1; change nothing" },
} as const;
const USAGE = helpText(
  "Usage: node scripts/format-solidity.ts [--check]",
  `Formats the Solidity in ${FOLDERS.join(", ")}.`,
  OPTIONS,
);

const { help, values } = orExit(() => parseOptions(OPTIONS, process.argv.slice(2), {}), USAGE);
if (help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const check = switchOn(values.check);

const require = createRequire(import.meta.url);
const arch = process.arch === "x64" ? "amd64" : process.arch;
const platformPackage = `@foundry-rs/forge-${process.platform}-${arch}`;
let binary: string;
try {
  binary = join(dirname(require.resolve(`${platformPackage}/package.json`)), "bin", "forge");
} catch {
  console.error(`forge is not installed for ${process.platform}-${process.arch} (${platformPackage}); run npm ci`);
  process.exit(1);
}

const result = spawnSync(binary, ["fmt", ...(check ? ["--check"] : []), ...FOLDERS], { stdio: "inherit" });
if (result.error) {
  console.error(`could not run ${binary}: ${result.error.message}`);
  process.exit(1);
}
if (check && result.status !== 0) console.error("Solidity is not formatted: run `npm run format`");
process.exit(result.status ?? 1);
