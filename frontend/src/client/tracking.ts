// Tracking references are free text the seller typed when shipping. When one has the shape of a common carrier's
// number, the page links that carrier's tracking page; anything else stays plain text (never a guessed link).

export type CarrierLink = { carrier: string; number: string; url: string };

type Carrier = { name: string; pattern: RegExp; url: (number: string) => string };

// Most specific shapes first: a Royal Mail or USPS international number has letters a plain-digits rule can't take.
const CARRIERS: Carrier[] = [
  {
    name: "UPS",
    pattern: /^1Z[0-9A-Z]{16}$/,
    url: (n) => `https://www.ups.com/track?tracknum=${n}`,
  },
  {
    name: "Royal Mail",
    pattern: /^[A-Z]{2}\d{9}GB$/,
    url: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
  },
  {
    name: "USPS",
    pattern: /^(?:9[1-5]\d{18,20}|[A-Z]{2}\d{9}US)$/,
    url: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  },
  {
    name: "FedEx",
    pattern: /^(?:\d{12}|\d{15})$/,
    url: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  },
  {
    name: "DHL",
    pattern: /^\d{10}$/,
    url: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
  },
];

/**
 * The carrier and tracking page of a reference such as "1Z999AA10123456784", "Royal Mail AB123456789GB" or
 * "9400 1000 0000 0000 0000 00"; null when no carrier's format matches.
 */
export function carrierLink(reference: string): CarrierLink | null {
  const text = reference.trim().toUpperCase();
  // The whole reference with its spaces taken out (numbers are often grouped), then each word on its own.
  const candidates = [text.replace(/[\s-]+/g, ""), ...text.split(/[\s,;:()]+/)];
  for (const candidate of candidates) {
    if (candidate.length < 10 || candidate.length > 34) continue;
    for (const carrier of CARRIERS) {
      if (carrier.pattern.test(candidate))
        return { carrier: carrier.name, number: candidate, url: carrier.url(candidate) };
    }
  }
  return null;
}
