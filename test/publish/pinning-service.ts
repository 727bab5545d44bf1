import { expect } from "chai";
import { pinToPinningService } from "../../scripts/publish/pinning-service.ts";
import type { RetryOptions } from "../../scripts/publish/retry.ts";
import { failure } from "./support/fixtures.ts";
import { type MockPinningService, startMockPinningService } from "./support/servers.ts";

const FAST: RetryOptions = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const POLL = { intervalMs: 5, timeoutMs: 5_000 };
const CID = "bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4";
const TOKEN = "psa-token-123";

describe("scripts/publish/pinning-service.ts: pinToPinningService", () => {
  let psa: MockPinningService | undefined;
  afterEach(async () => {
    await psa?.close();
    psa = undefined;
  });

  describe("when the service pins the CID", () => {
    it("looks for an existing request, POSTs /pins, then polls GET /pins until pinned", async () => {
      psa = await startMockPinningService({ token: TOKEN });
      const result = await pinToPinningService(
        { endpoint: `${psa.url}/`, token: TOKEN },
        { cid: CID, name: "merchstand-sepolia", origins: ["/ip4/203.0.113.7/tcp/4001/p2p/X"] },
        FAST,
        POLL,
      );
      expect(result).to.deep.equal({ endpoint: psa.url, requestid: "req-1", status: "pinned", reused: false });
      expect(psa.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
        "GET /pins",
        "POST /pins",
        "GET /pins", // queued
        "GET /pins", // pinning
        "GET /pins", // pinned
      ]);
      for (const req of psa.requests) {
        expect(req.headers.authorization).to.equal(`Bearer ${TOKEN}`);
        if (req.method === "GET") {
          expect(req.query.get("cid")).to.equal(CID);
          expect(req.query.get("status")).to.equal("queued,pinning,pinned,failed");
        }
      }
      const post = psa.requests.find((r) => r.method === "POST")!;
      expect(post.headers["content-type"]).to.equal("application/json");
      expect(JSON.parse(post.body.toString())).to.deep.equal({
        cid: CID,
        name: "merchstand-sepolia",
        origins: ["/ip4/203.0.113.7/tcp/4001/p2p/X"],
      });
    });

    it("reuses a request that is already pinned instead of stacking a duplicate", async () => {
      psa = await startMockPinningService({
        token: TOKEN,
        pins: [
          { requestid: "old", status: "pinned", created: "2026-01-01T00:00:00Z", pin: { cid: CID }, delegates: [] },
        ],
      });
      const result = await pinToPinningService(
        { endpoint: psa.url, token: TOKEN },
        { cid: CID, name: "x" },
        FAST,
        POLL,
      );
      expect(result).to.include({ requestid: "old", status: "pinned", reused: true });
      expect(psa.requests.filter((r) => r.method === "POST")).to.have.length(0);
    });

    it("retries POST /pins after two 503s and succeeds on the third", async () => {
      const busy = { status: 503, json: { error: { reason: "UNAVAILABLE", details: "try again" } } };
      psa = await startMockPinningService({ token: TOKEN, script: { "POST /pins": { replies: [busy, busy] } } });
      const log: string[] = [];
      const result = await pinToPinningService(
        { endpoint: psa.url, token: TOKEN },
        { cid: CID, name: "x" },
        FAST,
        POLL,
        (l) => log.push(l),
      );
      expect(result.status).to.equal("pinned");
      expect(psa.requests.filter((r) => r.method === "POST")).to.have.length(3);
      expect(log.filter((l) => l.includes("failed (HTTP 503: UNAVAILABLE: try again)"))).to.have.length(2);
    });
  });

  describe("when the service fails", () => {
    it("gives up after the configured attempts with the service's own error", async () => {
      const broken = {
        status: 500,
        json: { error: { reason: "INTERNAL_SERVER_ERROR", details: "pin queue is full" } },
      };
      psa = await startMockPinningService({ token: TOKEN, script: { "POST /pins": { always: broken } } });
      const error = await failure(
        pinToPinningService({ endpoint: psa.url, token: TOKEN }, { cid: CID, name: "x" }, FAST, POLL),
      );
      expect(error.message).to.contain("POST /pins failed after 4 attempts");
      expect(error.message).to.contain("INTERNAL_SERVER_ERROR: pin queue is full");
      expect(psa.requests.filter((r) => r.method === "POST")).to.have.length(4);
    });

    it("does not retry a rejected token (401) and quotes the reason", async () => {
      psa = await startMockPinningService({ token: TOKEN });
      const error = await failure(
        pinToPinningService({ endpoint: psa.url, token: "wrong" }, { cid: CID, name: "x" }, FAST, POLL),
      );
      expect(error.message).to.contain("HTTP 401: UNAUTHORIZED: Access token is missing or invalid");
      expect(psa.requests).to.have.length(1);
    });

    it("fails when the pin ends in status failed", async () => {
      psa = await startMockPinningService({ token: TOKEN, finalStatus: "failed" });
      const error = await failure(
        pinToPinningService({ endpoint: psa.url, token: TOKEN }, { cid: CID, name: "x" }, FAST, POLL),
      );
      expect(error.message).to.match(/request req-1 failed/);
    });

    it("stops waiting after the timeout and says the service is still working on it", async () => {
      psa = await startMockPinningService({ token: TOKEN });
      const error = await failure(
        pinToPinningService({ endpoint: psa.url, token: TOKEN }, { cid: CID, name: "x" }, FAST, {
          intervalMs: 50,
          timeoutMs: 0,
        }),
      );
      expect(error.message).to.match(/request req-1 is still "queued" after 0s; the service keeps working on it/);
    });
  });
});
