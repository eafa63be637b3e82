// CSV cells for every export: a cell starting with =, +, -, @, a tab or a carriage return gets a leading ' so a
// spreadsheet never runs it as a formula; csvCell also quotes every cell (doubling its quotes).

/** The text of a value, formula-safe (not quoted). */
export function formulaSafe(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** A quoted, formula-safe CSV cell. */
export function csvCell(v: unknown): string {
  return `"${formulaSafe(v).replace(/"/g, '""')}"`;
}
