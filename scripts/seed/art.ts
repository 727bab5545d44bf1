// Pictures for the demo catalog, drawn from the catalog data: a silhouette of the item in the band's colours with
// a caption, a second "back" view, a store logo and a banner. Deterministic, so a second run adds the same CIDs.
import { Canvas, type Rgb } from "./png.ts";

export type ArtKind =
  | "tee"
  | "hoodie"
  | "vinyl"
  | "cassette"
  | "poster"
  | "ticket"
  | "pin"
  | "beanie"
  | "tote"
  | "download";

export type Palette = { background: Rgb; ink: Rgb; accent: Rgb };

const SIZE = 480;

function shade(colour: Rgb, factor: number): Rgb {
  const f = (c: number) => Math.max(0, Math.min(255, Math.round(c * factor)));
  return [f(colour[0]), f(colour[1]), f(colour[2])];
}

/** Draws the item's silhouette filling roughly the middle of a SIZE x SIZE canvas. */
function silhouette(c: Canvas, kind: ArtKind, body: Rgb, detail: Rgb): void {
  switch (kind) {
    case "tee":
    case "hoodie": {
      const sleeve = kind === "hoodie" ? 150 : 105;
      c.polygon(
        [
          [150, 70],
          [200, 60],
          [280, 60],
          [330, 70],
          [420, sleeve],
          [390, sleeve + 70],
          [340, sleeve + 45],
          [340, 385],
          [140, 385],
          [140, sleeve + 45],
          [90, sleeve + 70],
          [60, sleeve],
        ],
        body,
      );
      if (kind === "hoodie") {
        c.polygon(
          [
            [190, 62],
            [240, 40],
            [290, 62],
            [270, 110],
            [210, 110],
          ],
          shade(body, 0.8),
        );
        c.rect(195, 300, 90, 50, shade(body, 0.85));
      } else {
        c.circle(240, 62, 26, detail);
      }
      return;
    }
    case "vinyl":
      c.circle(240, 210, 160, [20, 20, 20]);
      for (const r of [140, 115, 90]) {
        c.circle(240, 210, r, [34, 34, 34]);
        c.circle(240, 210, r - 3, [20, 20, 20]);
      }
      c.circle(240, 210, 55, body);
      c.circle(240, 210, 8, detail);
      return;
    case "cassette":
      c.rect(70, 110, 340, 210, body);
      c.rect(100, 135, 280, 90, detail);
      c.circle(180, 180, 24, shade(body, 0.6));
      c.circle(300, 180, 24, shade(body, 0.6));
      c.polygon(
        [
          [130, 320],
          [150, 270],
          [330, 270],
          [350, 320],
        ],
        shade(body, 0.8),
      );
      return;
    case "poster":
      c.rect(110, 40, 260, 360, detail);
      c.rect(125, 55, 230, 330, body);
      c.circle(240, 170, 70, detail);
      c.rect(125, 250, 230, 12, detail);
      return;
    case "ticket":
      c.rect(50, 130, 380, 180, body);
      c.circle(50, 220, 28, detail);
      c.circle(430, 220, 28, detail);
      for (let y = 140; y < 300; y += 18) c.rect(330, y, 6, 9, detail);
      return;
    case "pin":
      c.circle(240, 200, 130, shade(detail, 0.8));
      c.circle(240, 200, 118, body);
      c.circle(195, 180, 30, detail);
      c.circle(285, 180, 30, detail);
      c.circle(195, 180, 12, [20, 20, 20]);
      c.circle(285, 180, 12, [20, 20, 20]);
      c.polygon(
        [
          [225, 230],
          [255, 230],
          [240, 260],
        ],
        detail,
      );
      return;
    case "beanie":
      c.fill(
        (x, y) => y <= 300 && (x - 240) ** 2 / 170 ** 2 + (y - 300) ** 2 / 200 ** 2 <= 1,
        body,
        [70, 100, 411, 301],
      );
      c.rect(60, 280, 360, 80, shade(body, 0.8));
      for (let x = 75; x < 420; x += 24) c.rect(x, 280, 8, 80, shade(body, 0.7));
      c.circle(240, 100, 30, detail);
      return;
    case "tote":
      c.rect(110, 150, 260, 235, body);
      c.rect(160, 60, 16, 100, detail);
      c.rect(304, 60, 16, 100, detail);
      c.rect(160, 60, 160, 16, detail);
      return;
    case "download":
      c.rect(90, 50, 300, 300, body);
      c.rect(220, 110, 40, 120, detail);
      c.polygon(
        [
          [170, 220],
          [310, 220],
          [240, 300],
        ],
        detail,
      );
      return;
  }
}

/** The product's pictures: the front view, then a back view in inverted colours. */
export function productImages(kind: ArtKind, palette: Palette, caption: [string, string], mark: string): Uint8Array[] {
  const front = new Canvas(SIZE, SIZE, palette.background);
  silhouette(front, kind, palette.ink, palette.accent);
  front.text(caption[0], SIZE / 2, 404, 5, palette.accent);
  front.text(caption[1], SIZE / 2, 448, 3, palette.ink);

  const back = new Canvas(SIZE, SIZE, palette.accent);
  silhouette(back, kind, palette.background, palette.ink);
  back.text(mark, SIZE / 2, 404, scaleFor(mark, SIZE - 40, 6), palette.background);
  back.text("MERCHSTAND DEMO", SIZE / 2, 452, 2, palette.ink);
  return [front.toPng(), back.toPng()];
}

export function storeLogo(palette: Palette, mark: string): Uint8Array {
  const c = new Canvas(256, 256, palette.background);
  c.circle(128, 128, 110, palette.ink);
  c.circle(128, 128, 96, palette.background);
  const initials = mark
    .split(" ")
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 3);
  c.text(initials, 128, 100, 9, palette.accent);
  return c.toPng();
}

export function storeBanner(palette: Palette, mark: string, tagline: string): Uint8Array {
  const c = new Canvas(1200, 400, palette.background);
  for (let i = 0; i < 6; i++)
    c.circle(1000 - i * 40, 200, 170 - i * 25, i % 2 === 0 ? palette.ink : palette.background);
  c.text(mark, 420, 130, scaleFor(mark, 760, 10), palette.accent);
  c.text(tagline, 420, 260, scaleFor(tagline, 760, 4), palette.ink);
  return c.toPng();
}

function scaleFor(text: string, width: number, max: number): number {
  for (let s = max; s > 1; s--) if (Canvas.textWidth(text, s) <= width) return s;
  return 1;
}
