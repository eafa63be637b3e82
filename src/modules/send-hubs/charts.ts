// SEND hubs (issue 13 part 8): horizontal bar charts for the dashboard, drawn as SVG by the view
// (views/dashboard-chart.njk) from this geometry. Each bar carries its label above it and its count after it as text,
// so nothing depends on colour; the SVG scales with its viewBox (no sideways scroll at 320px), and each chart is
// followed by a table giving the same numbers.

export interface ChartBar {
  label: string;
  count: number;
  /** Where the label's baseline is. */
  labelY: number;
  barY: number;
  barWidth: number;
  /** Where the count is written: just after the bar. */
  countX: number;
  countY: number;
}

export interface BarChart {
  width: number;
  height: number;
  barHeight: number;
  max: number;
  bars: ChartBar[];
}

const WIDTH = 400;
/** Room left after the longest bar for its count. */
const COUNT_ROOM = 48;
const LABEL_HEIGHT = 18;
const BAR_HEIGHT = 16;
const GAP = 10;

/** The geometry of a bar chart of `items`, the longest bar the largest count (an all-zero chart draws no bars). */
export function barChart(items: readonly { label: string; count: number }[]): BarChart {
  const max = Math.max(0, ...items.map((i) => i.count));
  const row = LABEL_HEIGHT + BAR_HEIGHT + GAP;
  const room = WIDTH - COUNT_ROOM;
  const bars = items.map((item, n) => {
    const top = n * row;
    const barWidth = max ? Math.round((item.count / max) * room) : 0;
    return {
      label: item.label,
      count: item.count,
      labelY: top + LABEL_HEIGHT - 4,
      barY: top + LABEL_HEIGHT,
      barWidth,
      countX: barWidth + 6,
      countY: top + LABEL_HEIGHT + BAR_HEIGHT - 3,
    };
  });
  return { width: WIDTH, height: Math.max(row, items.length * row), barHeight: BAR_HEIGHT, max, bars };
}
