// The screenings chart on the single view of risk: server-rendered SVG (no script), one point per screening at its
// level (the confirmed level where there is one, else the proposed), joined by a line, oldest on the left. The SVG
// is role="img" with a title and a description that says the trend in words; the page has a table of the same data.

export interface ChartPoint {
  screened_on: string;
  level: string;
  rank: number;
  confirmed: boolean;
}

const W = 600;
const H = 220;
const PAD = { left: 90, right: 20, top: 20, bottom: 40 };
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const word = (l: string) => l.charAt(0).toUpperCase() + l.slice(1);

/** The levels in rank order, from the points (the instrument's levels that were used). */
function levels(points: ChartPoint[]) {
  const byRank = new Map<number, string>();
  for (const p of points) byRank.set(p.rank, p.level);
  return [...byRank.entries()].sort((a, b) => a[0] - b[0]);
}

/** A sentence for the description: first and latest level, and the direction. */
export function trendWords(points: ChartPoint[]): string {
  if (points.length === 0) return 'No screenings yet.';
  const first = points[0] as ChartPoint;
  const last = points[points.length - 1] as ChartPoint;
  const n = points.length === 1 ? '1 screening' : `${points.length} screenings`;
  const dir = last.rank > first.rank ? 'risen' : last.rank < first.rank ? 'fallen' : 'stayed the same';
  return `${n}. First ${word(first.level)} on ${first.screened_on}; latest ${word(last.level)} on ${last.screened_on}; the level has ${dir}.`;
}

export function screeningChart(points: ChartPoint[]): string {
  if (points.length === 0) return '';
  const ranks = levels(points);
  const minR = ranks[0]?.[0] ?? 0;
  const maxR = ranks[ranks.length - 1]?.[0] ?? 0;
  const span = Math.max(1, maxR - minR);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const y = (r: number) => PAD.top + plotH - (plotH * (r - minR)) / span;
  const grid = ranks
    .map(
      ([r, l]) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(r)}" y2="${y(r)}" stroke="#b1b4b6"/>` +
        `<text x="${PAD.left - 8}" y="${y(r) + 5}" text-anchor="end" font-size="16" fill="#0b0c0c">${esc(word(l))}</text>`,
    )
    .join('');
  const line = points.map((p, i) => `${x(i)},${y(p.rank)}`).join(' ');
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${x(i)}" cy="${y(p.rank)}" r="6" fill="${p.confirmed ? '#0b0c0c' : '#ffffff'}" stroke="#0b0c0c" stroke-width="2"/>`,
    )
    .join('');
  const first = points[0] as ChartPoint;
  const last = points[points.length - 1] as ChartPoint;
  const axis =
    `<text x="${PAD.left}" y="${H - 10}" font-size="14" fill="#0b0c0c">${esc(first.screened_on)}</text>` +
    (points.length > 1
      ? `<text x="${W - PAD.right}" y="${H - 10}" text-anchor="end" font-size="14" fill="#0b0c0c">${esc(last.screened_on)}</text>`
      : '');
  return (
    `<svg class="app-risk-chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="risk-chart-title risk-chart-desc" focusable="false">` +
    `<title id="risk-chart-title">Screening levels over time</title>` +
    `<desc id="risk-chart-desc">${esc(trendWords(points))} Filled points are confirmed levels, open points proposed levels. The table below has the same screenings.</desc>` +
    `<g aria-hidden="true">${grid}<polyline points="${line}" fill="none" stroke="#1d70b8" stroke-width="3"/>${dots}${axis}</g></svg>`
  );
}
