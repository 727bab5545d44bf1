// Tracking references (frontend/src/client/tracking.ts carrierLink): a known carrier's format links its tracking
// page; anything else gets no link.
import { expect } from "chai";
import { carrierLink } from "../../frontend/src/client/tracking.ts";

describe("tracking references", () => {
  it("links the common carriers when the number has their format", () => {
    const cases: [string, string, string][] = [
      ["1Z999AA10123456784", "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456784"],
      ["1z999aa10123456784", "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456784"],
      ["AB123456789GB", "Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB"],
      [
        "Royal Mail AB123456789GB",
        "Royal Mail",
        "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB",
      ],
      [
        "9400 1000 0000 0000 0000 00",
        "USPS",
        "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000",
      ],
      ["EA123456789US", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels=EA123456789US"],
      ["123456789012", "FedEx", "https://www.fedex.com/fedextrack/?trknbr=123456789012"],
      ["FedEx: 123456789012345", "FedEx", "https://www.fedex.com/fedextrack/?trknbr=123456789012345"],
      [
        "DHL 1234567890",
        "DHL",
        "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890",
      ],
    ];
    for (const [reference, carrier, url] of cases) {
      expect(carrierLink(reference), reference).to.deep.include({ carrier, url });
    }
  });

  it("leaves anything else as plain text", () => {
    for (const reference of [
      "Hand-delivered at the gig",
      "ABC123",
      "12345",
      "1Z999",
      "https://evil.example/track",
      "",
    ]) {
      expect(carrierLink(reference), reference).to.equal(null);
    }
  });
});
