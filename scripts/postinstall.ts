// Completes Hardhat's native EVM package after `npm install`/`npm ci`.
//
// npm running on Node 20 treats `@nomicfoundation/edr-<platform>` (engines
// node >= 22) as unsupported and silently skips it. This script runs from the
// root `postinstall` hook, where npm has put node_modules/.bin (and so the
// pinned Node 24 from the `node` package) first on PATH. If the native package
// cannot be loaded, it runs one nested `npm install --no-save`, which now sees
// Node 24 and installs the package without touching package-lock.json.
import { spawnSync } from "node:child_process";

const GUARD = "MERCHSTAND_POSTINSTALL_NESTED";

// Checked in a child process: Node caches a failed resolution, so a second
// require() in this process would still fail after the package is installed.
function edrLoads(): boolean {
  const probe = spawnSync(process.execPath, ["-e", 'require("@nomicfoundation/edr")'], { stdio: "ignore" });
  return probe.status === 0;
}

if (!edrLoads() && process.env[GUARD] === undefined) {
  console.log(
    `postinstall: Hardhat's native EVM package is missing (npm ran on Node ${process.versions.node}); installing it with Node ${process.version}`,
  );
  const result = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund"], {
    stdio: "inherit",
    env: { ...process.env, [GUARD]: "1" },
  });
  if (result.status !== 0 || !edrLoads()) {
    console.error(
      "postinstall: could not install @nomicfoundation/edr's platform package; run `npm install` again with Node >= 22.13 on PATH.",
    );
    process.exit(1);
  }
}
