// Dollar figures (frontend/src/client/usd.ts): the rules a price feed's round must pass (stale, inconsistent,
// non-positive, wrong decimals: no figure), the conversion and its rounding, stablecoins as dollars, one read per
// page load, and the real MockPriceFeed read through JSON-RPC on an in-process chain.
import { expect } from "chai";
import { ZERO_ADDRESS } from "../../frontend/src/client/protocol.ts";
import {
  checkRound,
  formatUsd,
  type Round,
  readUsdQuote,
  staleAfter,
  type UsdFeed,
  UsdPrices,
  type UsdQuote,
  usdText,
} from "../../frontend/src/client/usd.ts";
import { connection, ethers, networkHelpers } from "./support/fixture.ts";

const ETH = { address: ZERO_ADDRESS, symbol: "ETH", decimals: 18 };
const MUSD = { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", symbol: "mUSD", decimals: 6 };
const FEED: UsdFeed = { address: "0x00000000000000000000000000000000000000fe", decimals: 8, heartbeat: 3_600 };
const NOW = 1_800_000_000n;
// $2,060.00 per ETH, 8 decimals.
const round = (over: Partial<Round> = {}): Round => ({
  roundId: 7n,
  answer: 206_000_000_000n,
  startedAt: NOW - 60n,
  updatedAt: NOW - 60n,
  answeredInRound: 7n,
  ...over,
});
const quoteOf = (r: Round = round()): UsdQuote => {
  const check = checkRound(r, 8, FEED, NOW);
  if (!check.ok) throw new Error(check.reason);
  return check.quote;
};

describe("usd", () => {
  describe("checkRound", () => {
    it("accepts a fresh, complete, positive round with the manifest's decimals", () => {
      expect(checkRound(round(), 8, FEED, NOW).ok).to.equal(true);
    });
    it("rejects a round older than the heartbeat plus its margin, and accepts one just inside", () => {
      const limit = BigInt(staleAfter(FEED.heartbeat));
      expect(limit).to.equal(3_960n);
      expect(checkRound(round({ updatedAt: NOW - limit }), 8, FEED, NOW).ok).to.equal(true);
      const stale = checkRound(round({ updatedAt: NOW - limit - 1n }), 8, FEED, NOW);
      expect(stale).to.deep.include({ ok: false });
      expect(stale.ok ? "" : stale.reason).to.match(/old/);
    });
    it("gives short heartbeats at least five minutes of margin", () => {
      expect(staleAfter(1_200)).to.equal(1_500);
      expect(staleAfter(86_400)).to.equal(95_040);
    });
    it("rejects a zero or negative answer", () => {
      expect(checkRound(round({ answer: 0n }), 8, FEED, NOW).ok).to.equal(false);
      expect(checkRound(round({ answer: -1n }), 8, FEED, NOW).ok).to.equal(false);
    });
    it("rejects decimals other than the manifest's", () => {
      const check = checkRound(round(), 18, FEED, NOW);
      expect(check.ok ? "" : check.reason).to.match(/18 decimals/);
    });
    it("rejects an answer carried over from an earlier round, and an incomplete round", () => {
      expect(checkRound(round({ answeredInRound: 6n }), 8, FEED, NOW).ok).to.equal(false);
      expect(checkRound(round({ updatedAt: 0n }), 8, FEED, NOW).ok).to.equal(false);
      expect(checkRound(round({ roundId: 0n, answeredInRound: 0n }), 8, FEED, NOW).ok).to.equal(false);
    });
    it("rejects a round dated in the future", () => {
      expect(checkRound(round({ updatedAt: NOW + 61n }), 8, FEED, NOW).ok).to.equal(false);
      expect(checkRound(round({ updatedAt: NOW + 30n }), 8, FEED, NOW).ok).to.equal(true);
    });
  });

  describe("usdText", () => {
    it("prices ETH at the feed's answer, rounded to the cent", () => {
      const q = quoteOf();
      expect(usdText(ethers.parseEther("0.02"), ETH, q)).to.equal("≈ $41.20");
      expect(usdText(ethers.parseEther("1.5"), ETH, q)).to.equal("≈ $3,090.00");
      // 0.0000025 ETH = $0.00515 → $0.01 (half up).
      expect(usdText(2_500_000_000_000n, ETH, q)).to.equal("≈ $0.01");
      expect(usdText(1_000_000_000n, ETH, q)).to.equal("≈ < $0.01");
    });
    it("shows nothing for ETH without a quote, or for a token it can't price", () => {
      expect(usdText(ethers.parseEther("1"), ETH, null)).to.equal(null);
      expect(usdText(10n ** 18n, { address: MUSD.address, symbol: "OWL", decimals: 18 }, quoteOf())).to.equal(null);
      // An ERC-20 that calls itself ETH is not ETH.
      expect(usdText(10n ** 18n, { address: MUSD.address, symbol: "ETH", decimals: 18 }, quoteOf())).to.equal(null);
    });
    it("shows stablecoins as dollars directly, with no feed", () => {
      expect(usdText(25_500_000n, MUSD, null)).to.equal("$25.50");
      expect(usdText(1_234_567_891n, { ...MUSD, symbol: "USDC" }, null)).to.equal("$1,234.57");
    });
    it("formats cents with separators", () => {
      expect(formatUsd(0n)).to.equal("$0.00");
      expect(formatUsd(123_456_789n)).to.equal("$1,234,567.89");
    });
  });

  describe("UsdPrices", () => {
    function fakeRpc(r: Round, decimals = 8) {
      const iface = new ethers.Interface([
        "function decimals() view returns (uint8)",
        "function latestRoundData() view returns (uint80, int256, uint256, uint256, uint80)",
      ]);
      const rpc = {
        calls: 0,
        async request<T>(method: string, params: unknown[]): Promise<T> {
          rpc.calls++;
          if (method === "eth_getBlockByNumber") return { timestamp: `0x${NOW.toString(16)}` } as T;
          const data = (params[0] as { data: string }).data;
          if (data === iface.getFunction("decimals")?.selector) {
            return iface.encodeFunctionResult("decimals", [decimals]) as T;
          }
          return iface.encodeFunctionResult("latestRoundData", [
            r.roundId,
            r.answer,
            r.startedAt,
            r.updatedAt,
            r.answeredInRound,
          ]) as T;
        },
      };
      return rpc;
    }

    it("reads the feed once per page load, however many figures ask", async () => {
      const rpc = fakeRpc(round());
      const prices = new UsdPrices(rpc, FEED);
      const texts = await Promise.all([
        prices.text(ethers.parseEther("0.02"), ETH),
        prices.text(ethers.parseEther("1"), ETH),
        prices.text(25_000_000n, MUSD),
      ]);
      expect(texts).to.deep.equal(["≈ $41.20", "≈ $2,060.00", "$25.00"]);
      await prices.text(1n, ETH);
      expect(rpc.calls).to.equal(3);
    });
    it("stops showing a quote that grows stale while the page stays open", async () => {
      let clock = 1_000_000;
      const prices = new UsdPrices(fakeRpc(round({ updatedAt: NOW - 3_900n })), FEED, () => clock);
      expect(await prices.text(ethers.parseEther("1"), ETH)).to.equal("≈ $2,060.00");
      clock += 61_000;
      expect(await prices.text(ethers.parseEther("1"), ETH)).to.equal(null);
    });
    it("shows nothing when the feed's decimals are wrong, or there is no feed", async () => {
      expect(await new UsdPrices(fakeRpc(round(), 18), FEED).text(10n ** 18n, ETH)).to.equal(null);
      expect(await new UsdPrices(fakeRpc(round()), null).text(10n ** 18n, ETH)).to.equal(null);
      expect(await new UsdPrices(fakeRpc(round()), null).text(1_000_000n, MUSD)).to.equal("$1.00");
    });
    it("shows nothing when the feed's address is not a contract", async () => {
      const rpc = {
        request: <T>(method: string, params: unknown[]) =>
          connection.provider.request({ method, params }) as Promise<T>,
      };
      const check = await readUsdQuote(rpc, { ...FEED, address: "0x000000000000000000000000000000000000dEaD" });
      expect(check.ok).to.equal(false);
    });
  });

  describe("MockPriceFeed through JSON-RPC", () => {
    const rpc = {
      request: <T>(method: string, params: unknown[]) => connection.provider.request({ method, params }) as Promise<T>,
    };
    async function deployFeed(answer: bigint) {
      const feed = await ethers.deployContract("MockPriceFeed", [8, "ETH / USD", answer]);
      return { feed, spec: { ...FEED, address: await feed.getAddress() } };
    }

    it("reads a fresh answer", async () => {
      const { spec } = await deployFeed(2_000n * 10n ** 8n);
      const check = await readUsdQuote(rpc, spec);
      if (!check.ok) throw new Error(check.reason);
      expect(usdText(ethers.parseEther("0.02"), ETH, check.quote)).to.equal("≈ $40.00");
    });
    it("gives no figure once the chain's time passes the heartbeat and margin", async () => {
      const { spec } = await deployFeed(2_000n * 10n ** 8n);
      await networkHelpers.time.increase(staleAfter(FEED.heartbeat) + 1);
      expect((await readUsdQuote(rpc, spec)).ok).to.equal(false);
    });
    it("gives no figure for a negative answer or an inconsistent round", async () => {
      const { feed, spec } = await deployFeed(2_000n * 10n ** 8n);
      await (await feed.getFunction("setAnswer")(-5n)).wait();
      expect((await readUsdQuote(rpc, spec)).ok).to.equal(false);
      const now = await networkHelpers.time.latest();
      await (await feed.getFunction("setRound")(9n, 2_000n * 10n ** 8n, now, 8n)).wait();
      expect((await readUsdQuote(rpc, spec)).ok).to.equal(false);
    });
  });
});
