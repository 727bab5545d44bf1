// The demo catalog `npm start` seeds: four stores, seventeen products, prices in ETH and mUSD.
//
// The cast tells the story the dapp has to handle (official stores and look-alikes): The Midnight Owls run the official store (attested
// by the platform verifier); someone else opened "The Midnlght 0wls — Official Store", a look-alike that differs
// only by an l for an i and a zero for an O; Velvet Static sells in the stablecoin. Stock is uneven on purpose, so
// the store shows sold-out sizes, "only N left" and per-buyer limits.
import type { CastRole } from "../stack/accounts.ts";
import type { ArtKind, Palette } from "./art.ts";

/** Category codes of `ProductInput.category` (IMerchstand). */
export const CATEGORY = {
  apparel: 0,
  music: 1,
  posters: 2,
  tickets: 3,
  accessories: 4,
  digital: 5,
  other: 6,
} as const;

export type DemoVariant = {
  label: string;
  /** Decimal price in the store's currency ("0.02" ETH, "25" mUSD). */
  price: string;
  stock: number;
};

export type DemoProduct = {
  /** Key used by the demo orders below. */
  key: string;
  name: string;
  category: keyof typeof CATEGORY;
  art: ArtKind;
  /** Two lines printed on the product picture. */
  caption: [string, string];
  description: string;
  details: Record<string, string>;
  variants: DemoVariant[];
  maxPerBuyer?: number;
  digital?: boolean;
  /** A digital download's file (its name and text), encrypted and pinned by the seed as the dashboard does. */
  download?: { name: string; text: string };
  /**
   * A timed drop, in seconds from the moment the seed runs (scripts/seed/drops.ts): a presale from `presaleIn`, open
   * from `opensIn` to `closesIn`, a pre-order shipping from `shipsIn` (IMerchstand Drop).
   */
  drop?: { presaleIn?: number; opensIn?: number; closesIn?: number; shipsIn?: number };
};

/** A shipping zone: its countries go in the store's metadata, its rate on chain (docs/DROPS.md). */
export type DemoZone = { name: string; countries: string[]; rate: string; freeFrom?: string };

export type DemoStore = {
  key: string;
  owner: CastRole;
  name: string;
  /** Short name printed on pictures. */
  mark: string;
  currency: "ETH" | "mUSD";
  official: boolean;
  /** Evidence a verifier attests (or the store submits when asking). */
  evidence: string;
  bio: string;
  links: Array<{ label: string; url: string }>;
  palette: Palette;
  products: DemoProduct[];
  zones?: DemoZone[];
};

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;
/** Europe as the demo's zone lists it: the EU, the EEA and Switzerland (ISO 3166-1 alpha-2). */
const EUROPE = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO IS LI CH".split(
  " ",
);

const APPAREL_SIZES = (price: string, stock: [number, number, number, number]): DemoVariant[] =>
  ["S", "M", "L", "XL"].map((label, i) => ({ label, price, stock: stock[i]! }));

export const DEMO_STORES: DemoStore[] = [
  {
    key: "owls",
    owner: "sellerA",
    name: "The Midnight Owls",
    mark: "MIDNIGHT OWLS",
    currency: "ETH",
    official: true,
    evidence: "https://midnightowls.example/merch",
    bio: "Four-piece post-punk from Leeds. Night drives, cold synths, loud guitars. Every item here ships from our rehearsal room.",
    links: [
      { label: "Website", url: "https://midnightowls.example" },
      { label: "Bandcamp", url: "https://midnightowls.bandcamp.example" },
    ],
    palette: { background: [18, 24, 54], ink: [246, 178, 60], accent: [236, 236, 244] },
    products: [
      {
        key: "owl-tee",
        name: "Owl Moon Tee",
        category: "apparel",
        art: "tee",
        caption: ["OWL MOON", "TOUR 2026"],
        description:
          "Heavyweight cotton tee with the owl-and-moon print on the front and the 2026 tour dates on the back.",
        details: { Material: "100% organic cotton, 220 gsm", Fit: "Regular", Print: "Screen printed in Leeds" },
        variants: APPAREL_SIZES("0.02", [12, 20, 3, 0]),
      },
      {
        key: "owl-hoodie",
        name: "Night Flight Hoodie",
        category: "apparel",
        art: "hoodie",
        caption: ["NIGHT", "FLIGHT"],
        description: "Brushed-back fleece hoodie, embroidered chest owl, night-flight back print.",
        details: { Material: "80% cotton, 20% recycled polyester", Fit: "Relaxed" },
        variants: APPAREL_SIZES("0.045", [5, 2, 8, 6]),
      },
      {
        key: "owl-vinyl",
        name: 'Nocturne — 12" Vinyl',
        category: "music",
        art: "vinyl",
        caption: ["NOCTURNE", "LP"],
        description: "The second album on 180 g vinyl, with a printed inner sleeve and a download code.",
        details: { Format: '12" LP, 33 rpm', Tracks: "10" },
        variants: [
          { label: "Black", price: "0.03", stock: 40 },
          { label: "Amber splatter", price: "0.04", stock: 4 },
        ],
        maxPerBuyer: 2,
      },
      {
        key: "owl-album",
        name: "Nocturne — Digital Album",
        category: "digital",
        art: "download",
        caption: ["NOCTURNE", "FLAC+MP3"],
        description: "The whole album in FLAC and 320k MP3, with the liner notes as a PDF.",
        details: { Format: "FLAC 24/48 + MP3 320k" },
        variants: [{ label: "Download", price: "0.008", stock: 10000 }],
        digital: true,
        download: {
          name: "nocturne-liner-notes.txt",
          text: "Nocturne, by The Midnight Owls. Liner notes and track list of the demo album: 1 Owl Moon, 2 Brudenell, 3 Night Bus, 4 Headingley Lights, 5 Kirkstall, 6 Street Lamp, 7 Nocturne.\n",
        },
      },
      {
        key: "owl-poster",
        name: "Tour Poster 2026",
        category: "posters",
        art: "poster",
        caption: ["UK TOUR", "2026"],
        description: "Two-colour screen print of the 2026 tour poster. The A2 prints are signed by the band.",
        details: { Paper: "Munken 300 gsm" },
        variants: [
          { label: "A3", price: "0.012", stock: 30 },
          { label: "A2 signed", price: "0.03", stock: 5 },
        ],
      },
      {
        key: "owl-ticket",
        name: "Live at Brudenell — Ticket",
        category: "tickets",
        art: "ticket",
        caption: ["LIVE", "BRUDENELL"],
        description: "General admission to the hometown show at the Brudenell Social Club, Leeds. E-ticket.",
        details: { Venue: "Brudenell Social Club, Leeds", Doors: "19:30" },
        variants: [{ label: "General admission", price: "0.025", stock: 150 }],
        maxPerBuyer: 4,
        digital: true,
      },
      {
        key: "owl-pin",
        name: "Owl Enamel Pin",
        category: "accessories",
        art: "pin",
        caption: ["OWL", "PIN"],
        description: "Hard enamel pin, gold plating, two rubber clutches.",
        details: { Size: "30 mm" },
        variants: [{ label: "One size", price: "0.006", stock: 60 }],
      },
    ],
  },
  {
    key: "velvet",
    owner: "sellerB",
    name: "Velvet Static",
    mark: "VELVET STATIC",
    currency: "mUSD",
    official: false,
    evidence: "https://velvetstatic.example/shop",
    bio: "Shoegaze from Glasgow. Walls of fuzz, half-heard vocals. Prices in dollars, paid with a stablecoin.",
    links: [{ label: "Website", url: "https://velvetstatic.example" }],
    palette: { background: [252, 214, 224], ink: [33, 118, 124], accent: [120, 30, 72] },
    products: [
      {
        key: "velvet-tee",
        name: "Static Bloom Tee",
        category: "apparel",
        art: "tee",
        caption: ["STATIC", "BLOOM"],
        description: "Washed pink tee with the Static Bloom flower in teal.",
        details: { Material: "100% cotton", Fit: "Boxy" },
        variants: APPAREL_SIZES("25", [10, 10, 10, 4]),
      },
      {
        key: "velvet-beanie",
        name: "Fuzz Beanie",
        category: "accessories",
        art: "beanie",
        caption: ["FUZZ", "BEANIE"],
        description: "Ribbed knit beanie with a woven label.",
        details: { Material: "Recycled acrylic" },
        variants: [{ label: "One size", price: "18", stock: 25 }],
      },
      {
        key: "velvet-tape",
        name: "Feedback Loop — Cassette",
        category: "music",
        art: "cassette",
        caption: ["FEEDBACK", "LOOP"],
        description: "The debut EP on a pink cassette, limited to 200 copies.",
        details: { Format: "C30 cassette", Tracks: "6" },
        variants: [{ label: "Cassette", price: "9", stock: 1 }],
      },
      {
        key: "velvet-print",
        name: "Glasgow Skyline Print",
        category: "posters",
        art: "poster",
        caption: ["GLASGOW", "SKYLINE"],
        description: "Risograph print of the Glasgow skyline from the cover of Feedback Loop.",
        details: { Paper: "Recycled 170 gsm" },
        variants: [
          { label: "A4", price: "15", stock: 20 },
          { label: "A3", price: "22", stock: 12 },
        ],
      },
      {
        key: "velvet-tote",
        name: "Tote Bag",
        category: "accessories",
        art: "tote",
        caption: ["VELVET", "STATIC"],
        description: "Heavy canvas tote, long handles, printed both sides.",
        details: { Material: "12 oz cotton canvas" },
        variants: [{ label: "One size", price: "12", stock: 40 }],
      },
    ],
  },
  {
    // The drop toolkit (scripts/seed/drops.ts): shipping zones, a timed drop with a presale, a pre-order, a ticket.
    key: "lanterns",
    owner: "sellerB",
    name: "Lantern Parade",
    mark: "LANTERN PARADE",
    currency: "ETH",
    official: false,
    evidence: "https://lanternparade.example/shop",
    bio: "Indie-folk from Bristol. Drops on Fridays at noon, fan club first, shipped worldwide from the van.",
    links: [{ label: "Website", url: "https://lanternparade.example" }],
    palette: { background: [28, 40, 34], ink: [250, 204, 102], accent: [236, 120, 80] },
    zones: [
      { name: "UK", countries: ["GB"], rate: "0.002", freeFrom: "0.1" },
      { name: "Europe", countries: EUROPE, rate: "0.004" },
      { name: "Japan and rest of world", countries: ["JP", "*"], rate: "0.009" },
    ],
    products: [
      {
        key: "lantern-drop-tee",
        name: "Friday Drop Tee",
        category: "apparel",
        art: "tee",
        caption: ["FRIDAY", "DROP"],
        description:
          "This week's drop: a glow-in-the-dark lantern print. Fan club presale now with the code, on sale to everyone ten minutes after the stack starts, for one week.",
        details: { Material: "100% organic cotton", Print: "Glow-in-the-dark ink" },
        variants: APPAREL_SIZES("0.02", [10, 10, 10, 10]),
        drop: { presaleIn: 0, opensIn: 10 * MINUTE, closesIn: 7 * DAY },
      },
      {
        key: "lantern-vinyl",
        name: 'Paper Moons — 12" Vinyl (pre-order)',
        category: "music",
        art: "vinyl",
        caption: ["PAPER", "MOONS"],
        description: "The new album on 180 g vinyl. Pre-order now; it ships from the release date.",
        details: { Format: '12" LP, 33 rpm', Tracks: "11" },
        variants: [{ label: "Black", price: "0.03", stock: 100 }],
        drop: { shipsIn: 60 * DAY },
      },
      {
        key: "lantern-ticket",
        name: "Lantern Parade at the Fleece — Ticket",
        category: "tickets",
        art: "ticket",
        caption: ["LIVE", "THE FLEECE"],
        description: "General admission at The Fleece, Bristol. Show the ticket's QR code at the door.",
        details: { Venue: "The Fleece, Bristol", Doors: "19:00" },
        variants: [{ label: "General admission", price: "0.015", stock: 200 }],
        maxPerBuyer: 4,
        digital: true,
      },
    ],
  },
  {
    key: "impostor",
    owner: "impostor",
    name: "The Midnlght 0wls — Official Store",
    mark: "MIDNLGHT 0WLS",
    currency: "ETH",
    official: false,
    evidence: "https://midnlght0wls-official.example",
    bio: "The official store of The Midnight Owls. Lowest prices guaranteed!",
    links: [{ label: "Website", url: "https://midnlght0wls-official.example" }],
    palette: { background: [22, 26, 58], ink: [240, 170, 56], accent: [230, 230, 240] },
    products: [
      {
        key: "fake-tee",
        name: "Owl Moon Tee (Official)",
        category: "apparel",
        art: "tee",
        caption: ["OWL MOON", "OFFICIAL"],
        description: "Official Midnight Owls tee. Fast shipping.",
        details: { Material: "Cotton" },
        variants: APPAREL_SIZES("0.012", [50, 50, 50, 50]),
      },
      {
        key: "fake-vinyl",
        name: "Nocturne Vinyl — Official",
        category: "music",
        art: "vinyl",
        caption: ["NOCTURNE", "OFFICIAL"],
        description: "Official vinyl. Limited!",
        details: { Format: "12 inch" },
        variants: [{ label: "Black", price: "0.015", stock: 100 }],
      },
    ],
  },
];

/** The demo orders: who buys what, and how far each order gets. */
export type DemoOrder = {
  buyer: CastRole;
  store: string;
  lines: Array<{ product: string; variant: string; quantity: number }>;
  /**
   * "paid" stays waiting for the seller (a digital one waits to be delivered from the dashboard); "shipped" waits
   * for the buyer (a digital one is delivered: tickets get their codes); "completed" may carry reviews.
   */
  stage: "paid" | "shipped" | "completed";
  tracking?: string;
  reviews?: Array<{ product: string; rating: number; text: string; reply?: string }>;
};

export const DEMO_ORDERS: DemoOrder[] = [
  {
    buyer: "buyer",
    store: "owls",
    lines: [
      { product: "owl-tee", variant: "M", quantity: 1 },
      { product: "owl-vinyl", variant: "Black", quantity: 1 },
    ],
    stage: "completed",
    tracking: "Royal Mail TT123456785GB",
    reviews: [
      {
        product: "owl-tee",
        rating: 5,
        text: "Print is sharp and the cotton is thick. Fits true to size.",
        reply: "Thank you! See you at the Brudenell.",
      },
      { product: "owl-vinyl", rating: 4, text: "Great pressing, one small scuff on the sleeve." },
    ],
  },
  {
    buyer: "secondBuyer",
    store: "owls",
    lines: [{ product: "owl-tee", variant: "L", quantity: 1 }],
    stage: "completed",
    tracking: "DPD 15501234567890",
    reviews: [{ product: "owl-tee", rating: 4, text: "Lovely shirt, runs slightly long." }],
  },
  {
    buyer: "buyer",
    store: "owls",
    lines: [{ product: "owl-ticket", variant: "General admission", quantity: 2 }],
    stage: "completed",
    reviews: [{ product: "owl-ticket", rating: 5, text: "Hometown show, huge sound. Track 7 live!" }],
  },
  {
    buyer: "buyer",
    store: "velvet",
    lines: [
      { product: "velvet-tee", variant: "S", quantity: 1 },
      { product: "velvet-tape", variant: "Cassette", quantity: 1 },
    ],
    stage: "completed",
    tracking: "Evri H01ABC0001234567",
    reviews: [
      { product: "velvet-tee", rating: 3, text: "Nice colour, but it shrank a little in the wash." },
      { product: "velvet-tape", rating: 5, text: "Pink tape, perfect fuzz. The last one too!" },
    ],
  },
  {
    buyer: "buyer",
    store: "owls",
    lines: [{ product: "owl-hoodie", variant: "M", quantity: 1 }],
    stage: "shipped",
    tracking: "Royal Mail TT987654321GB",
  },
  {
    buyer: "secondBuyer",
    store: "owls",
    lines: [
      { product: "owl-poster", variant: "A2 signed", quantity: 1 },
      { product: "owl-pin", variant: "One size", quantity: 2 },
    ],
    stage: "paid",
  },
  {
    buyer: "buyer",
    store: "velvet",
    lines: [{ product: "velvet-print", variant: "A3", quantity: 1 }],
    stage: "paid",
  },
  {
    buyer: "secondBuyer",
    store: "owls",
    lines: [{ product: "owl-album", variant: "Download", quantity: 1 }],
    stage: "paid",
  },
  // A delivered ticket to show at the door (#/door/<store id> on the seller's device).
  {
    buyer: "buyer",
    store: "lanterns",
    lines: [{ product: "lantern-ticket", variant: "General admission", quantity: 1 }],
    stage: "shipped",
  },
];

/** Where the demo buyers live; sealed to the store's key, so only the seller's browser can read it. */
export const DEMO_ADDRESSES: Record<string, import("../../frontend/src/client/shipping-crypto.ts").ShippingAddress> = {
  buyer: {
    name: "Robin Fan",
    line1: "12 Example Street",
    line2: "Flat 3",
    city: "Leeds",
    region: "West Yorkshire",
    postalCode: "LS6 1AA",
    country: "GB",
    email: "robin@example.org",
  },
  secondBuyer: {
    name: "Sam Listener",
    line1: "4 Sample Road",
    line2: "",
    city: "Glasgow",
    region: "",
    postalCode: "G12 8QQ",
    country: "GB",
    email: "",
  },
};
