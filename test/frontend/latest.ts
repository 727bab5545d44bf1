// Only the latest of overlapping jobs may write (frontend/src/ui/latest.ts): two renders whose reads are deferred
// promises, settled newest first, leave the newer one's result; the page's own signal stops whichever is current.
import { expect } from "chai";
import { Latest } from "../../frontend/src/ui/latest.ts";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("Latest", () => {
  it("leaves the newer job's result when the older one finishes last", async () => {
    const renders = new Latest();
    let shown = "";
    const job = async (read: Promise<string>) => {
      const signal = renders.start();
      const value = await read;
      if (!signal.aborted) shown = value;
    };
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = job(older.promise);
    const second = job(newer.promise);
    newer.resolve("owner");
    await second;
    expect(shown).to.equal("owner");
    older.resolve("visitor");
    await first;
    expect(shown).to.equal("owner");
  });

  it("aborts only the jobs before the newest", () => {
    const renders = new Latest();
    const a = renders.start();
    const b = renders.start();
    expect([a.aborted, b.aborted]).to.deep.equal([true, false]);
  });

  it("aborts the current job when the page's signal aborts, and every job started after", () => {
    const page = new AbortController();
    const renders = new Latest(page.signal);
    const current = renders.start();
    page.abort();
    expect(current.aborted).to.equal(true);
    expect(renders.start().aborted).to.equal(true);
  });

  it("stop() makes the current job stale", () => {
    const renders = new Latest();
    const current = renders.start();
    renders.stop();
    expect(current.aborted).to.equal(true);
  });
});
