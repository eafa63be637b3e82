// The pseudonymised register of solutions as CSV: the category, the solution, its result and learning, and dates;
// no name, date of birth, address or identifier (not even a case number). Cells are formula-safe.
import { csvCell as cell } from '../kit/csv.ts';
import { CATEGORIES, RESULTS } from './schemas.ts';

export interface RegisterRow {
  category: string | null;
  solution: string;
  result: string | null;
  learning: string | null;
  started_on: string;
  review_date: string;
  reviewed_on: string | null;
}

const word = (list: Record<string, string>, k: string | null) => (k ? (list[k] ?? k) : '');

export function registerCsv(rows: readonly RegisterRow[]): string {
  const head = ['Problem category', 'Solution tested', 'Result', 'Learning', 'Started', 'Review date', 'Reviewed'];
  const lines = rows.map((r) =>
    [
      word(CATEGORIES, r.category),
      r.solution,
      r.result ? word(RESULTS, r.result) : 'Under test',
      r.learning,
      r.started_on,
      r.review_date,
      r.reviewed_on,
    ]
      .map(cell)
      .join(','),
  );
  return `${[head.map(cell).join(','), ...lines].join('\r\n')}\r\n`;
}
