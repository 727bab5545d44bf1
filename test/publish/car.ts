import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { computeDirectoryCid } from "../../scripts/ipfs/add.ts";
import { packDirectory } from "../../scripts/ipfs/car.ts";
import { readCar } from "./support/car-reader.ts";
import { makeFixtureDist, ROOT, tempDir } from "./support/fixtures.ts";

const run = promisify(execFile);
const IPFS_CAR = join(ROOT, "node_modules", ".bin", "ipfs-car");

async function ipfsCarCid(dir: string): Promise<string> {
  const out = join(await tempDir("ipfs-car"), "out.car");
  const { stdout } = await run(IPFS_CAR, ["pack", dir, "--no-wrap", "--output", out]);
  return stdout.trim();
}

async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listTree(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe("scripts/ipfs/car.ts: packDirectory", () => {
  let fixture: string;
  before(async () => {
    fixture = await makeFixtureDist(await tempDir("dist"));
  });

  it("gives the root CID that `ipfs-car pack DIR --no-wrap` gives", async function () {
    this.timeout(30_000);
    const packed = await packDirectory(fixture);
    const expected = await ipfsCarCid(fixture);
    expect(expected).to.match(/^bafy[a-z2-7]{55}$/);
    expect(packed.root.toString()).to.equal(expected);
  });

  it("gives the CID the embedded node's importer computes (scripts/ipfs/add.ts)", async () => {
    const packed = await packDirectory(fixture);
    expect(packed.root.toString()).to.equal((await computeDirectoryCid(fixture)).toString());
  });

  it("writes a CARv1 whose single root is that CID and whose every block hashes to its CID", async () => {
    const packed = await packDirectory(fixture);
    const car = await readCar(packed.car);
    expect(car.version).to.equal(1);
    expect(car.roots.map(String)).to.deep.equal([packed.root.toString()]);
    expect(car.blocks.size).to.equal(packed.blocks.length);
    expect(car.blocks.has(packed.root.toString())).to.equal(true);
  });

  it("stores shared leaves once (two identical files, one set of blocks)", async () => {
    const packed = await packDirectory(fixture);
    const keys = packed.blocks.map((b) => b.cid.toString());
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it("round-trips through ipfs-car unpack to the same files, minus the dotfile", async function () {
    this.timeout(30_000);
    const packed = await packDirectory(fixture);
    const work = await tempDir("unpack");
    await writeFile(join(work, "site.car"), packed.car);
    await run(IPFS_CAR, ["unpack", join(work, "site.car"), "--output", join(work, "out")]);
    const expected = (await listTree(fixture)).filter((p) => !p.split("/").some((s) => s.startsWith(".")));
    expect(await listTree(join(work, "out"))).to.deep.equal(expected);
    for (const file of expected) {
      expect(Buffer.compare(await readFile(join(work, "out", file)), await readFile(join(fixture, file)))).to.equal(0);
    }
  });

  it("ignores modification times: a copy with other mtimes has the same CID and the same CAR bytes", async () => {
    const copy = await tempDir("copy");
    await cp(fixture, copy, { recursive: true });
    await utimes(join(copy, "index.html"), new Date("2001-01-01"), new Date("2001-01-01"));
    const [a, b] = [await packDirectory(fixture), await packDirectory(copy)];
    expect(b.root.toString()).to.equal(a.root.toString());
    expect(Buffer.compare(Buffer.from(a.car), Buffer.from(b.car))).to.equal(0);
  });

  it("changes the CID when one byte of one file changes", async () => {
    const copy = await tempDir("edit");
    await cp(fixture, copy, { recursive: true });
    await writeFile(join(copy, "index.html"), "<!doctype html><title>Merchstand!</title>\n");
    expect((await packDirectory(copy)).root.toString()).to.not.equal((await packDirectory(fixture)).root.toString());
  });

  it("refuses an empty folder", async () => {
    const empty = await tempDir("empty");
    let error: Error | undefined;
    await packDirectory(empty).catch((e: Error) => {
      error = e;
    });
    expect(error?.message).to.match(/has no files/);
  });
});

describe("reproducible dapp build", () => {
  // Two separate builds of the same source must give one CID. When the dapp cannot be built yet (no
  // frontend/index.html), a fixture folder is written twice instead; the test says which one it measured.
  it("two builds of the same source give the same CID", async function () {
    this.timeout(300_000);
    const frontendBuilds = existsSync(join(ROOT, "frontend", "index.html"));
    const cids: string[] = [];
    for (let i = 0; i < 2; i++) {
      let dir: string;
      if (frontendBuilds) {
        await run("npm", ["run", "build", "-w", "frontend"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
        dir = join(await tempDir(`build-${i}`), "dist");
        await cp(join(ROOT, "frontend", "dist"), dir, { recursive: true });
      } else {
        dir = await makeFixtureDist(await tempDir(`fixture-build-${i}`));
      }
      cids.push((await packDirectory(dir)).root.toString());
      await rm(dir, { recursive: true, force: true });
    }
    if (!frontendBuilds) console.log("      (frontend/index.html missing: compared two fixture builds, not the dapp)");
    expect(cids[0]).to.match(/^bafy/);
    expect(cids[1]).to.equal(cids[0]);
  });
});
