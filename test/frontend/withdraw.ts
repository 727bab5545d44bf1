// Collecting a credit (frontend/src/client/withdraw.ts): the address a fan types is checked before anything is sent,
// and a failed withdrawal is worded as one (nothing left the contract). test/e2e/credits.ts runs it in the browser.
import { expect } from "chai";
import { getAddress, Wallet } from "ethers";
import { merchstand } from "../../frontend/src/client/contract.ts";
import { explainError, type FanError } from "../../frontend/src/client/errors.ts";
import type { Currency } from "../../frontend/src/client/manifest.ts";
import {
  checkPayoutAddress,
  explainWithdrawFailure,
  withdrawnAmount,
  withdrawTx,
} from "../../frontend/src/client/withdraw.ts";

const TOKEN: Currency = { address: getAddress(`0x${"b".repeat(40)}`), symbol: "bUSD", decimals: 6, permit: false };
const ETH: Currency = {
  address: "0x0000000000000000000000000000000000000000",
  symbol: "ETH",
  decimals: 18,
  permit: false,
};
const MERCHSTAND = getAddress(`0x${"5".repeat(40)}`);
const FRIEND = Wallet.createRandom().address;
const check = (text: string, currency = TOKEN) => checkPayoutAddress(text, { merchstand: MERCHSTAND, currency });
const refusal = (text: string, currency = TOKEN) => {
  const result = check(text, currency);
  if (result.ok) throw new Error(`${text} was accepted`);
  return result.message;
};

describe("collecting a credit (client/withdraw.ts)", () => {
  describe("checkPayoutAddress", () => {
    it("accepts an address typed in lower case, checksummed, or with spaces around it, and checksums it", () => {
      for (const typed of [FRIEND, FRIEND.toLowerCase(), `  ${FRIEND}\n`, `0x${FRIEND.slice(2).toUpperCase()}`]) {
        expect(check(typed)).to.deep.equal({ ok: true, address: FRIEND });
      }
    });

    it("refuses what isn't an address, and says nothing was sent", () => {
      for (const typed of ["", "   ", "0x1234", `${FRIEND}00`, FRIEND.slice(2), "vitalik.eth", `0x${"g".repeat(40)}`]) {
        expect(refusal(typed), typed).to.match(/(isn't an Ethereum address|Type the address).* Nothing was sent\.$/);
      }
    });

    it("refuses a wrong checksum: one capital flipped is a typo", () => {
      const lower = FRIEND.search(/[a-f]/);
      const upper = FRIEND.search(/[A-F]/);
      const flip = (i: number, up: boolean) =>
        FRIEND.slice(0, i) + (up ? FRIEND[i]?.toUpperCase() : FRIEND[i]?.toLowerCase()) + FRIEND.slice(i + 1);
      const typos = [lower > 1 ? flip(lower, true) : null, upper > 1 ? flip(upper, false) : null].filter(
        (t): t is string => t !== null,
      );
      expect(typos).to.not.be.empty;
      for (const typo of typos) expect(refusal(typo)).to.match(/^That address has a typo/);
    });

    it("refuses the zero address, Merchstand itself and the token's own contract", () => {
      expect(refusal("0x0000000000000000000000000000000000000000")).to.match(/^That is the zero address/);
      expect(refusal(MERCHSTAND.toLowerCase())).to.match(/^That is the Merchstand contract itself/);
      expect(refusal(TOKEN.address)).to.equal(
        "That is the bUSD token's own contract, which would keep it: type an address you control. Nothing was sent.",
      );
      // For ETH there is no token contract: the zero address is refused as such.
      expect(refusal(ETH.address, ETH)).to.match(/^That is the zero address/);
    });
  });

  it("withdrawTx sends the whole credit in the currency to the address given", () => {
    expect(withdrawTx(TOKEN, FRIEND, 20_000_000n)).to.deep.equal({
      fn: "withdraw",
      args: [TOKEN.address, FRIEND],
      what: `Send 20 bUSD to ${FRIEND.slice(0, 6)}…${FRIEND.slice(-4)}`,
    });
  });

  it("withdrawnAmount reads the Withdrawal event of Merchstand's log, not another contract's", () => {
    const fragment = merchstand.getEvent("Withdrawal");
    if (!fragment) throw new Error("no Withdrawal event");
    const { data, topics } = merchstand.encodeEventLog(fragment, [FRIEND, FRIEND, TOKEN.address, 21_000_000n]);
    const log = (address: string) => ({
      address,
      topics,
      data,
      blockNumber: "0x1",
      transactionHash: "0x",
      logIndex: "0x0",
    });
    const receipt = (logs: ReturnType<typeof log>[]) => ({
      status: "0x1",
      blockNumber: "0x1",
      transactionHash: "0x",
      logs,
    });
    expect(withdrawnAmount(receipt([log(MERCHSTAND)]), MERCHSTAND)).to.equal(21_000_000n);
    expect(withdrawnAmount(receipt([log(TOKEN.address)]), MERCHSTAND)).to.equal(null);
  });

  describe("explainWithdrawFailure", () => {
    const context = { currency: TOKEN, to: FRIEND, amount: 20_000_000n };
    const short = `${FRIEND.slice(0, 6)}…${FRIEND.slice(-4)}`;

    it("a token that refuses the address: says so, and that the credit is still there", () => {
      // The token's own custom error (BlocklistToken's Blocklisted(address)), which no ABI of the dapp knows.
      const general = explainError({ code: 3, message: "execution reverted", data: `0x1234abcd${"0".repeat(64)}` });
      expect(explainWithdrawFailure(general, context).message).to.equal(
        `The bUSD token refused to pay ${short} (a token can block addresses). Nothing was sent: your 20 bUSD is still here to collect. Type another address you control.`,
      );
    });

    it("an address that refuses ETH", () => {
      const data = merchstand.encodeErrorResult("EthTransferFailed", [FRIEND, 1n]);
      const general = explainError({ code: 3, message: "execution reverted", data });
      expect(explainWithdrawFailure(general, { ...context, currency: ETH, amount: 10n ** 16n }).message).to.equal(
        `The address ${short} refused the ETH (a contract that doesn't accept it). Nothing was sent: your 0.01 ETH is still here to collect. Type another address you control.`,
      );
    });

    it("nothing left to collect, a wallet refusal and an unreachable network keep their own sentences", () => {
      const data = merchstand.encodeErrorResult("NothingToWithdraw", [FRIEND, TOKEN.address]);
      expect(explainWithdrawFailure(explainError({ data }), context).message).to.equal(
        "There is no bUSD left to collect: it was collected already.",
      );
      const rejected: FanError = explainError({ code: 4001, message: "User rejected" });
      expect(explainWithdrawFailure(rejected, context)).to.deep.equal(rejected);
      const offline = explainError(new TypeError("Failed to fetch"));
      expect(explainWithdrawFailure(offline, context)).to.deep.equal(offline);
    });
  });
});
