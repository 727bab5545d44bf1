// A QR code as an <svg> element built node by node from the encoder's module matrix (qr's "raw" output), so no
// markup string ever reaches the page.
import encodeQR from "qr";

const SVG_NS = "http://www.w3.org/2000/svg";
/** The quiet zone the QR standard asks for around the code, in modules. */
const QUIET_ZONE = 4;

export function qrCode(text: string, label: string): SVGSVGElement {
  const rows = encodeQR(text, "raw", { ecc: "medium", border: QUIET_ZONE });
  const size = rows.length;
  // One path of unit squares: a few hundred bytes for a page URL, where one <rect> per module would be thousands.
  let d = "";
  rows.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("class", "qr-code");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  const modules = document.createElementNS(SVG_NS, "path");
  modules.setAttribute("d", d);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  return svg;
}
