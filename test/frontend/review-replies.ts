// A product's reviews rebuilt from its ReviewPosted and ReviewReplied logs (client/orders.ts reviewsOf): a store may
// reply to a review again, and the latest reply on chain is the one shown, whatever order the logs arrive in (a
// pointer walk reads the newest blocks first; a cache and a scan repeat and interleave them).
import { expect } from "chai";
import type { RawLog } from "../../frontend/src/client/chain.ts";
import { merchstand } from "../../frontend/src/client/contract.ts";
import { reviewsOf } from "../../frontend/src/client/orders.ts";

const PRODUCT = 7n;
const BUYER = "0x00000000000000000000000000000000000000b1";
const NO_EARLIER = [0, 0, 0];

function log(block: number, logIndex: number, encoded: { topics: string[]; data: string }): RawLog {
  return {
    address: "0x00000000000000000000000000000000000000aa",
    topics: encoded.topics,
    data: encoded.data,
    blockNumber: `0x${block.toString(16)}`,
    logIndex: `0x${logIndex.toString(16)}`,
    transactionHash: `0x${block.toString(16).padStart(32, "0")}${logIndex.toString(16).padStart(32, "0")}`,
  };
}

const posted = (block: number, logIndex: number, orderId: bigint, text: string) =>
  log(block, logIndex, merchstand.encodeEventLog("ReviewPosted", [PRODUCT, orderId, BUYER, 5, 0, NO_EARLIER, text]));
const replied = (block: number, logIndex: number, orderId: bigint, text: string) =>
  log(block, logIndex, merchstand.encodeEventLog("ReviewReplied", [PRODUCT, orderId, 0, NO_EARLIER, text]));

/** Every order of `logs` (n! for the few logs used here). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("a product's reviews and the store's replies (reviewsOf)", () => {
  it("shows the latest reply on chain, whatever order the logs come in", () => {
    // The first reply sits at a higher log index in an earlier block than the edit: sorting by log index alone, or
    // keeping the order the logs arrived in, would let the older reply win.
    const logs = [
      posted(10, 0, 1n, "Great shirt."),
      replied(12, 7, 1n, "Thanks! (first reply)"),
      replied(15, 0, 1n, "Thanks, see you at the show! (edited)"),
      replied(15, 3, 1n, "Thanks, see you at the show! (edited twice)"),
    ];
    for (const order of permutations(logs)) {
      const [review, ...rest] = reviewsOf(order);
      expect(rest).to.deep.equal([]);
      expect(review?.text).to.equal("Great shirt.");
      expect(review?.reply).to.equal("Thanks, see you at the show! (edited twice)");
    }
  });

  it("keeps each review's own latest reply, newest review first, and repeats no log", () => {
    const logs = [
      posted(10, 0, 1n, "First review."),
      posted(11, 0, 2n, "Second review."),
      replied(12, 0, 2n, "Reply to the second."),
      replied(13, 0, 1n, "Reply to the first."),
      replied(14, 0, 2n, "Reply to the second, edited."),
    ];
    // Newest block first, as a walk delivers them, with a repeat (a cache's logs come again with the walk).
    const reviews = reviewsOf([...logs].reverse().concat(logs[2] as RawLog));
    expect(reviews.map((r) => [r.orderId, r.text, r.reply])).to.deep.equal([
      [2n, "Second review.", "Reply to the second, edited."],
      [1n, "First review.", "Reply to the first."],
    ]);
  });

  it("leaves a review without a reply at null", () => {
    const [review] = reviewsOf([posted(10, 0, 3n, "No answer yet.")]);
    expect(review?.reply).to.equal(null);
  });
});
