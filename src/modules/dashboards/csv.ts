// A dashboard table as CSV (issue 14 part 2): its columns, then a row per line, every cell quoted and formula-safe
// (kit/csv.ts); counts only, so the CSV names no young person.
import { csvCell } from '../kit/csv.ts';
import type { FigureTable } from './figures.ts';
import type { CsvKey } from './schemas.ts';
import type { Dashboard } from './service.ts';
import { trendTable } from './views/dashboard.ts';

type Lines = Pick<FigureTable, 'columns' | 'rows'>;

export function tableCsv(t: Lines): string {
  const rows: unknown[][] = [t.columns, ...t.rows.map((r) => [r.label, ...r.values])];
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The table (or trend) a CSV key names, from a dashboard. */
export function csvOf(d: Dashboard, key: CsvKey): string {
  if (key.startsWith('trend-')) {
    const trend = d.trends.find((t) => `trend-${t.key}` === key);
    return tableCsv(trend ? trendTable(trend) : { columns: [], rows: [] });
  }
  return tableCsv(d.tables.find((t) => t.key === key) ?? { columns: [], rows: [] });
}
