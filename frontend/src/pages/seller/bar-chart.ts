// A horizontal bar chart drawn as SVG by hand (no charting dependency), with the same figures as a table beside it:
// the SVG is an image with a title and a one-sentence description for screen readers, the table is the text
// alternative anyone can open, copy or read aloud. Labels are on-chain names: they go in as text nodes only.
import "./tools.css";
import { withoutBidiControls } from "../../client/names.ts";
import { barFraction } from "../../client/sales.ts";
import { h, uid } from "../../ui/dom.ts";

export type ChartRow = {
  label: string;
  /** What the bar's length is proportional to. */
  value: bigint;
  /** The figure written at the end of the bar and in the table ("0.06 ETH · 3 units"). */
  text: string;
  /** Extra table cells, one per `columns` entry after the first two. */
  cells?: string[];
  /** Drawn in the warning colour (sold out, nothing sold). */
  warn?: boolean;
};

export type ChartOptions = {
  title: string;
  /** A sentence under the title: what is counted. */
  note?: string;
  /** Table headings: the label column, the figure column, then one per `cells` entry. */
  columns: string[];
  rows: ChartRow[];
  /** Shown instead of the chart when there are no rows. */
  empty: string;
  /** The table starts open (the page re-renders on each block and keeps what the seller opened). */
  open?: boolean;
};

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const ROW = 26;
const BAR = 16;
const LABEL_WIDTH = 210;
const BAR_START = LABEL_WIDTH + 10;
const BAR_MAX = 250;
const MAX_LABEL_CHARS = 30;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = withoutBidiControls(text);
  return el;
}

function shorten(label: string): string {
  const chars = Array.from(label);
  return chars.length > MAX_LABEL_CHARS ? `${chars.slice(0, MAX_LABEL_CHARS - 1).join("")}…` : label;
}

/** The chart and its table, in a `figure` headed by `title`. */
export function barChart(options: ChartOptions): HTMLElement {
  const titleId = uid("chart-title");
  const descId = uid("chart-desc");
  const { rows } = options;
  const figure = h(
    "figure",
    { class: "bar-chart section" },
    h("figcaption", null, h("h2", { attrs: { id: titleId }, text: options.title })),
    options.note ? h("p", { class: "muted small", text: options.note }) : null,
  );
  if (rows.length === 0) {
    figure.append(h("p", { class: "muted chart-empty", text: options.empty }));
    return figure;
  }
  const max = rows.reduce((m, r) => (r.value > m ? r.value : m), 0n);
  const height = rows.length * ROW + 8;
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: "100%",
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
    class: "bar-chart-svg",
  });
  const top = [...rows].sort((a, b) => (a.value < b.value ? 1 : a.value > b.value ? -1 : 0))[0];
  chart.append(
    svg(
      "desc",
      { id: descId },
      `${rows.length} bars. ${top && top.value > 0n ? `Largest: ${top.label}, ${top.text}.` : "All zero."} The table below lists every figure.`,
    ),
  );
  rows.forEach((row, i) => {
    const y = i * ROW + 4;
    const length = Math.max(row.value > 0n ? 2 : 0, Math.round(barFraction(row.value, max) * BAR_MAX));
    const group = svg("g", { class: `bar${row.warn ? " warn" : ""}` });
    group.append(
      svg("title", {}, `${row.label}: ${row.text}`),
      svg("text", { x: LABEL_WIDTH, y: y + BAR - 3, "text-anchor": "end", class: "bar-label" }, shorten(row.label)),
      svg("rect", { x: BAR_START, y, width: length, height: BAR, rx: 3, class: "bar-rect" }),
      svg("text", { x: BAR_START + length + 6, y: y + BAR - 3, class: "bar-value" }, row.text),
    );
    chart.append(group);
  });
  const table = h(
    "table",
    { class: "variant-table chart-table" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        options.columns.map((c) => h("th", { attrs: { scope: "col" }, text: c })),
      ),
    ),
    h(
      "tbody",
      null,
      rows.map((r) =>
        h(
          "tr",
          null,
          h("th", { attrs: { scope: "row" }, text: r.label }),
          h("td", { text: r.text }),
          (r.cells ?? []).map((c) => h("td", { text: c })),
        ),
      ),
    ),
  );
  figure.append(
    chart,
    h(
      "details",
      { class: "chart-details", attrs: { open: options.open ?? false }, dataset: { chart: options.title } },
      h("summary", { text: "Show as a table" }),
      h("div", { class: "table-scroll" }, table),
    ),
  );
  return figure;
}
