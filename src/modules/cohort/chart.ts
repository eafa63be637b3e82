// The cohort's counts by level over time as a server-rendered stacked bar chart (one bar a month, one segment a
// level): geometry only; the template draws it with a title and description, and a table beside it holds the same
// numbers for anyone who cannot see the chart.
const WIDTH = 640;
const HEIGHT = 240;
const LEFT = 36;
const BOTTOM = 28;
/** Colours from the GOV.UK palette, lowest level first (the legend and the table name every level too). */
const COLOURS = ['#00703c', '#ffdd00', '#d4351c', '#4c2c92', '#1d70b8', '#505a5f'];

export interface Segment {
  x: number;
  y: number;
  width: number;
  height: number;
  colour: string;
  label: string;
}

export function stackedBars(levels: string[], history: { month: string; counts: Record<string, number> }[]) {
  const max = Math.max(1, ...history.map((h) => levels.reduce((a, l) => a + (h.counts[l] ?? 0), 0)));
  const plotH = HEIGHT - BOTTOM - 10;
  const step = (WIDTH - LEFT) / Math.max(1, history.length);
  const bars = history.map((h, i) => {
    let top = HEIGHT - BOTTOM;
    const segments: Segment[] = [];
    levels.forEach((level, j) => {
      const n = h.counts[level] ?? 0;
      if (!n) return;
      const height = (n / max) * plotH;
      top -= height;
      segments.push({
        x: LEFT + i * step + step * 0.15,
        y: top,
        width: step * 0.7,
        height,
        colour: COLOURS[j % COLOURS.length] as string,
        label: `${h.month}: ${level} ${n}`,
      });
    });
    return { month: h.month, labelX: LEFT + i * step + step / 2, segments };
  });
  const legend = levels.map((level, j) => ({ level, colour: COLOURS[j % COLOURS.length] }));
  return { width: WIDTH, height: HEIGHT, baseline: HEIGHT - BOTTOM, left: LEFT, max, bars, legend };
}
