// The cohort and the register as CSV (aggregate: counts and the council's own records, no personal data).
const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
export const csvOf = (rows: unknown[][]) => `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
