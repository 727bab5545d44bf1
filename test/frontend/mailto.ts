// The seller's ready email to a buyer (frontend/src/client/mailto.ts): a hostile email or tracking text can't add
// a header or a recipient, and the parts decode back to what was meant.
import { expect } from "chai";
import { plainEmail, shippedMailto } from "../../frontend/src/client/mailto.ts";
import { orderReference } from "../../frontend/src/client/order-ref.ts";

const base = {
  to: "ada.fan+owls@example.org",
  orderId: 4_398_046_511_105n,
  storeName: "The Midnight Owls & Co",
  buyerName: "Zoë",
  tracking: "Royal Mail RM123456789GB?x=1&cc=a@b.c",
  orderUrl: "http://bafy.ipfs.localhost:8080/#/orders/4398046511105",
};

function parse(url: string) {
  const m = /^mailto:([^?]*)\?subject=([^&]*)&body=([^&]*)$/.exec(url);
  if (!m) throw new Error(`not the expected shape: ${url}`);
  return {
    to: decodeURIComponent(m[1] ?? ""),
    subject: decodeURIComponent(m[2] ?? ""),
    body: decodeURIComponent(m[3] ?? ""),
  };
}

describe("mailto", () => {
  it("addresses the buyer, with the order, tracking and link in the body, CRLF line ends", () => {
    const mail = parse(shippedMailto(base));
    expect(mail.to).to.equal("ada.fan+owls@example.org");
    expect(mail.subject).to.equal(
      `Your order ${orderReference(4398046511105n)} from The Midnight Owls & Co has shipped`,
    );
    expect(mail.body).to.contain("Tracking: Royal Mail RM123456789GB?x=1&cc=a@b.c\r\n");
    expect(mail.body).to.contain(`\r\n${base.orderUrl}\r\n`);
    expect(mail.body.startsWith("Hi Zoë,\r\n")).to.equal(true);
  });
  it("percent-encodes everything that could end a part (&, ?, =, #, newlines)", () => {
    const url = shippedMailto({ ...base, storeName: "A&B?c=d#e\r\nBcc: x@y.z" });
    expect(url.slice("mailto:".length)).to.not.match(/[\r\n#]/);
    expect(url.split("&")).to.have.length(2);
    expect(url.split("?")).to.have.length(2);
    expect(parse(url).subject).to.contain("A&B?c=d#e\r\nBcc: x@y.z");
  });
  it("leaves the recipient empty when the email is not a plain address", () => {
    for (const hostile of ["a@b.c?cc=evil@x.y", "a@b.c,evil@x.y", "Ada <a@b.c>", "a b@c.d", "no-at-sign", ""]) {
      expect(plainEmail(hostile), hostile).to.equal(null);
      expect(shippedMailto({ ...base, to: hostile }).startsWith("mailto:?subject="), hostile).to.equal(true);
    }
  });
});
