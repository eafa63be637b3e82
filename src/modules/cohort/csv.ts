// The cohort and the register as CSV (aggregate: counts and the council's own records, no personal data).
import { formulaSafe } from '../kit/csv.ts';

const cell = (v: unknown) => {
  const safe = formulaSafe(v);
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
export const csvOf = (rows: unknown[][]) => `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
