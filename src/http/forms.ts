// Form and API input checking with GOV.UK-style messages: each names the field and how to fix it.

export type FieldErrors = Record<string, string>;

export class ValidationError extends Error {
  constructor(readonly fields: FieldErrors) {
    super(
      Object.entries(fields)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; '),
    );
  }
}

/** Date fields use the GOV.UK date input, whose first box is `<field>-day`. */
const isDateField = (field: string) => field === 'date_of_birth' || field.endsWith('_date');

/** The GOV.UK error summary list: each message links to its field. */
export function errorList(errors: FieldErrors) {
  return Object.entries(errors).map(([field, text]) => ({
    text,
    href: isDateField(field) ? `#${field}-day` : `#${field}`,
  }));
}

export type Body = Record<string, unknown>;

export function text(body: Body, field: string): string {
  const v = body[field];
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** A list from repeated form fields (checkboxes) or a JSON array. */
export function list(body: Body, field: string): string[] {
  const v = body[field];
  if (Array.isArray(v))
    return v
      .filter((x): x is string => typeof x === 'string')
      .map((s) => s.trim())
      .filter(Boolean);
  if (typeof v === 'string' && v.trim() !== '') return [v.trim()];
  return [];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * Reads a date from the GOV.UK date input (field-day, field-month, field-year) or from an ISO string
 * in `field` (the API). Returns '' when nothing was entered.
 */
export function dateInput(
  body: Body,
  field: string,
): { value: string; parts: { day: string; month: string; year: string } } {
  const iso = text(body, field);
  if (iso) {
    const m = ISO_DATE.exec(iso);
    return { value: iso, parts: { day: m?.[3] ?? '', month: m?.[2] ?? '', year: m?.[1] ?? '' } };
  }
  const day = text(body, `${field}-day`);
  const month = text(body, `${field}-month`);
  const year = text(body, `${field}-year`);
  if (!day && !month && !year) return { value: '', parts: { day, month, year } };
  const value = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return { value, parts: { day, month, year } };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
