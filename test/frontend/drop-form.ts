// The seller's drop form without a browser (client/drop-form.ts): times typed in the seller's time zone become the
// unix seconds setDrop takes and come back the same, each rule MerchstandDrops.setDrop enforces is refused in words
// before sending (the edges on the side the contract allows), and an InvalidDrop revert names the rule it broke.
import { expect } from "chai";
import {
  checkDropForm,
  type DropFormValues,
  invalidDropSentence,
  parseLocalTime,
  setDropTx,
  toLocalInput,
} from "../../frontend/src/client/drop-form.ts";

const YEAR = 365 * 86_400;
const EMPTY: DropFormValues = { presaleAt: "", opensAt: "", closesAt: "", shipsFrom: "" };

describe("the seller's drop form (client/drop-form.ts)", () => {
  let zone: string | undefined;
  before(() => {
    // Tokyo is UTC+9 all year: a time typed there is 9 hours ahead of the same digits in UTC.
    zone = process.env.TZ;
    process.env.TZ = "Asia/Tokyo";
  });
  after(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("reads a datetime-local value in the seller's time zone and writes it back the same", () => {
    const t = Date.UTC(2027, 2, 12, 9, 30) / 1000 - 9 * 3_600;
    expect(parseLocalTime("2027-03-12T09:30")).to.equal(t);
    expect(toLocalInput(t)).to.equal("2027-03-12T09:30");
    expect(toLocalInput(0)).to.equal("");
    expect(parseLocalTime("2027-02-31T10:00")).to.equal(null);
    expect(parseLocalTime("12/03/2027 10:00")).to.equal(null);
    expect(parseLocalTime("")).to.equal(null);
  });

  it("checks the rules setDrop enforces, on the contract's side of each edge", () => {
    const now = BigInt(parseLocalTime("2026-12-03T12:00") ?? 0);
    const at = (text: string) => parseLocalTime(text) ?? 0;
    const check = (v: Partial<DropFormValues>) => checkDropForm({ ...EMPTY, ...v }, now, YEAR);

    expect(check({})).to.deep.equal({ ok: true, value: { presaleAt: 0, opensAt: 0, closesAt: 0, shipsFrom: 0 } });
    const full = check({
      presaleAt: "2026-12-04T10:00",
      opensAt: "2026-12-04T12:00",
      closesAt: "2026-12-05T12:00",
      shipsFrom: "2027-03-01T00:00",
    });
    expect(full).to.deep.equal({
      ok: true,
      value: {
        presaleAt: at("2026-12-04T10:00"),
        opensAt: at("2026-12-04T12:00"),
        closesAt: at("2026-12-05T12:00"),
        shipsFrom: at("2027-03-01T00:00"),
      },
    });
    // A close with no opening is allowed (the contract compares it with 0), and so is an opening in the past.
    expect(check({ closesAt: "2026-12-05T12:00", opensAt: "2026-01-01T00:00" }).ok).to.equal(true);

    const refused = (v: Partial<DropFormValues>) => {
      const r = check(v);
      if (r.ok) throw new Error(`accepted ${JSON.stringify(v)}`);
      return [r.field, r.message];
    };
    expect(refused({ presaleAt: "2026-12-04T10:00" })[0]).to.equal("opensAt");
    expect(refused({ presaleAt: "2026-12-04T12:00", opensAt: "2026-12-04T12:00" })).to.deep.equal([
      "presaleAt",
      "The presale must start before the drop opens to everyone.",
    ]);
    expect(refused({ opensAt: "2026-12-04T12:00", closesAt: "2026-12-04T12:00" })).to.deep.equal([
      "closesAt",
      "The drop must close after it opens.",
    ]);
    expect(refused({ opensAt: "2026-12-04T12:61" })[0]).to.equal("opensAt");
    // The ship date: exactly MAX_PREORDER_DELAY ahead passes, a minute more is refused with the last date allowed.
    expect(check({ shipsFrom: toLocalInput(Number(now) + YEAR) }).ok).to.equal(true);
    const [field, message] = refused({ shipsFrom: toLocalInput(Number(now) + YEAR + 60) });
    expect(field).to.equal("shipsFrom");
    expect(message).to.match(/^A pre-order can ship at most 365 days ahead: .+ at the latest\.$/);
  });

  it("names the rule an InvalidDrop revert broke, and words the transaction", () => {
    expect(invalidDropSentence([1n, 200n, 200n, 0n, 0n], YEAR)).to.match(/^The presale must start before/);
    expect(invalidDropSentence([1n, 5n, 0n, 0n, 0n], YEAR)).to.match(/^The presale must start before/);
    expect(invalidDropSentence([1n, 0n, 300n, 300n, 0n], YEAR)).to.match(/^The drop must close after it opens/);
    expect(invalidDropSentence([1n, 0n, 0n, 0n, 10n ** 12n], YEAR)).to.match(/^The ship date is more than 365 days/);
    const drop = { presaleAt: 0, opensAt: 10, closesAt: 0, shipsFrom: 0 };
    expect(setDropTx(7n, "Tee", drop)).to.deep.equal({
      fn: "setDrop",
      args: [7n, drop],
      what: 'Set the drop times of "Tee"',
    });
    expect(setDropTx(7n, "Tee", { presaleAt: 0, opensAt: 0, closesAt: 0, shipsFrom: 0 }).what).to.equal(
      'Remove the drop times of "Tee"',
    );
  });
});
