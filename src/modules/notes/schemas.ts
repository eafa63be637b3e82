// The case notes module's inputs, declared once: the API validates and documents them with `.schema`, the pages and
// the API read them through `readNote` (the schema's rules plus "not in the future" to the minute), and the service
// takes the typed input. Messages name the field and the fix.
import type { CaseNoteType } from '../../db/schema.ts';
import { type Body, type FieldErrors, ValidationError } from '../../http/forms.ts';
import { type Check, f, type InputOf, input, type Reading } from '../../http/schema-input.ts';

/** The kinds of contact a note records, in the order the form offers them. */
export const NOTE_TYPES: Record<CaseNoteType, string> = {
  visit: 'Visit',
  phone_call: 'Phone call',
  meeting: 'Meeting',
  observation: 'Observation',
  direct_work: 'Direct work',
};
const TYPE_KEYS = Object.keys(NOTE_TYPES) as CaseNoteType[];
const TYPE_LIST = 'visit, phone call, meeting, observation or direct work';

const notFuture: Check<string> = (v, { today }) =>
  v <= today ? { ok: true, value: v } : { ok: false, message: 'Date of the contact must be today or in the past' };

const TIME_EXAMPLE = 'for example 14:30 or 2:30pm';
/** '14:30', '9:05', '14.30', '2pm', '2:30 pm', '12am' → 'HH:MM' (24-hour), or null. */
export function parseTime(v: string): string | null {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(v.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3]?.replace(/\./g, '').toLowerCase();
  if (m[2] === undefined && !half) return null;
  if (minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
const time: Check<string> = (v) => {
  const t = parseTime(v);
  return t
    ? { ok: true, value: t }
    : { ok: false, message: `Time of the contact must be a real time, ${TIME_EXAMPLE}` };
};

const oneLine: Check<string> = (v) =>
  /[\r\n]/.test(v)
    ? { ok: false, message: 'Summary of the significant event must be one line, without line breaks' }
    : { ok: true, value: v };

const NoteFields = {
  note_type: f.choice('Type of note', TYPE_KEYS, {
    required: true,
    missing: `Choose the type of note: ${TYPE_LIST}`,
    invalid: `Choose the type of note: ${TYPE_LIST}`,
  }),
  contact_date: f.date('Date of the contact', {
    required: true,
    missing: 'Enter the date of the contact, for example 20 11 2026',
    invalid: 'Date of the contact must be a real date, for example 20 11 2026',
    check: notFuture,
  }),
  contact_time: f.text('Time of the contact', 10, {
    required: true,
    missing: `Enter the time of the contact, ${TIME_EXAMPLE}`,
    hint: `24-hour or 12-hour time, ${TIME_EXAMPLE}`,
    check: time,
  }),
  present: f.text('Who was present', 1000),
  what_happened: f.text('What happened', 20_000, {
    required: true,
    missing: 'Enter what happened: what you saw, heard and did',
  }),
  voice: f.text('The young person’s voice', 20_000, { hint: 'What they said, and how they felt' }),
  significant: f.yesno('Significant event', {
    required: true,
    missing: 'Choose yes if this is a significant event for the chronology, or no',
  }),
  summary: f.text('Summary of the significant event', 200, {
    hint: 'One line for the chronology, for example Disclosed bullying at school',
    check: oneLine,
  }),
};

const summaryWhenSignificant = (v: { significant?: boolean | null; summary?: string | null }): FieldErrors =>
  v.significant && !v.summary
    ? { summary: 'Enter a one-line summary of the significant event for the chronology' }
    : {};

/** A new case note. */
export const NoteInput = input(NoteFields, { check: summaryWhenSignificant });
export type NoteInput = InputOf<typeof NoteInput>;

/** A correction: the note as it should read, why it is corrected, and the version the worker read. */
export const CorrectionInput = input(
  {
    ...NoteFields,
    reason: f.text('Reason for the correction', 500, {
      required: true,
      missing: 'Enter why the note is being corrected, for example Wrong date recorded',
    }),
    version: f.integer('Version', 1, 2_147_483_647, {
      required: true,
      missing: 'version is required: send the version of the note you read',
      invalid: 'version is required: send the version of the note you read',
    }),
  },
  { check: summaryWhenSignificant },
);
export type CorrectionInput = InputOf<typeof CorrectionInput>;

/** Where the clock is, in London: today's date and the time (HH:MM). */
export interface LondonNow {
  today: string;
  time: string;
}

/**
 * Reads a note or correction with every message at once, including a time later today than now (the contact has
 * not happened yet); throws a ValidationError naming each field, or returns the typed input.
 */
export function readNote<V extends { contact_date: string; contact_time: string }>(
  decl: { read(body: Body, ctx: { today: string }): Reading<V> },
  body: Body,
  now: LondonNow,
): V {
  const { input: v, errors } = decl.read(body, { today: now.today });
  if (!errors.contact_date && !errors.contact_time && v.contact_date === now.today && v.contact_time > now.time)
    errors.contact_time = `Time of the contact must be now or earlier: it is ${now.time} now`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return v;
}

/** The chronology's filter: a date range and a type, each optional. */
export const ChronologyFilter = input(
  {
    from_date: f.date('From', { invalid: 'From must be a real date, for example 1 9 2026' }),
    to_date: f.date('To', { invalid: 'To must be a real date, for example 30 11 2026' }),
    note_type: f.choice('Type of note', TYPE_KEYS, { invalid: `Choose the type of note: ${TYPE_LIST}` }),
  },
  {
    check: (v): FieldErrors =>
      v.from_date && v.to_date && v.from_date > v.to_date ? { to_date: 'To must be the same as or after From' } : {},
  },
);
export type ChronologyFilter = InputOf<typeof ChronologyFilter>;

/** A page of a list (from 1). */
export const PageQuery = input({
  page: f.integer('Page', 1, 100_000, { fallback: () => 1 }),
});

/**
 * A draft's fields, as typed in the form (the date in its three boxes): none is required and none is checked but
 * for its length, because a draft may be half-written. The limits are the note's own (the date boxes: 4).
 */
export const DRAFT_FIELDS: Record<string, { label: string; max: number }> = {
  note_type: { label: 'Type of note', max: 40 },
  'contact_date-day': { label: 'Day of the contact', max: 4 },
  'contact_date-month': { label: 'Month of the contact', max: 4 },
  'contact_date-year': { label: 'Year of the contact', max: 4 },
  contact_time: { label: 'Time of the contact', max: 10 },
  present: { label: 'Who was present', max: 1000 },
  what_happened: { label: 'What happened', max: 20_000 },
  voice: { label: 'The young person’s voice', max: 20_000 },
  significant: { label: 'Significant event', max: 3 },
  summary: { label: 'Summary of the significant event', max: 200 },
};
export type DraftFields = Record<string, string>;

/** The draft fields of a form or API body (others ignored); too long → a ValidationError naming the field. */
export function readDraft(body: Body): DraftFields {
  const fields: DraftFields = {};
  const errors: FieldErrors = {};
  for (const [name, { label, max }] of Object.entries(DRAFT_FIELDS)) {
    const raw = body[name];
    const value = typeof raw === 'string' ? raw : Array.isArray(raw) ? String(raw[0] ?? '') : '';
    if (value.length > max) errors[name] = `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`;
    else if (value.trim()) fields[name] = value;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return fields;
}

/** A draft as the form shows it: the date in its three boxes. */
export function draftValues(d: DraftFields) {
  return {
    note_type: d.note_type ?? '',
    contact_date: {
      day: d['contact_date-day'] ?? '',
      month: d['contact_date-month'] ?? '',
      year: d['contact_date-year'] ?? '',
    },
    contact_time: d.contact_time ?? '',
    present: d.present ?? '',
    what_happened: d.what_happened ?? '',
    voice: d.voice ?? '',
    significant: d.significant ?? '',
    summary: d.summary ?? '',
  };
}
