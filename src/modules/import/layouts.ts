// The column layouts of the CSV import (docs/import.md), and how one row is read: the same declared inputs and
// messages as the pages (people/schemas.ts), so a bad cell gets the message a form would give. Nothing here touches
// the database; references (a person's, a team's, a worker's) are checked by the repository in one query per file.
import { PERSON_STATUSES } from '../../domain/roles.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { f, input } from '../../http/schema-input.ts';
import { PersonFields } from '../people/schemas.ts';

export type Kind = 'people' | 'teams' | 'involvements' | 'statuses';
export const KINDS: Kind[] = ['people', 'teams', 'involvements', 'statuses'];

export interface Column {
  name: string;
  required: boolean;
  about: string;
}

const SOURCE: Column = {
  name: 'source_id',
  required: true,
  about: 'the row’s id in the council’s case system; a re-run matches on it',
};

/** The columns of each kind of file, in the order docs/import.md gives them. */
export const COLUMNS: Record<Kind, Column[]> = {
  people: [
    SOURCE,
    { name: 'given_name', required: true, about: 'first name' },
    { name: 'family_name', required: true, about: 'last name' },
    { name: 'preferred_name', required: false, about: '' },
    { name: 'date_of_birth', required: true, about: 'YYYY-MM-DD or DD/MM/YYYY' },
    { name: 'gender', required: false, about: '' },
    { name: 'nhs_number', required: false, about: '10 digits with a valid check digit' },
    { name: 'upn', required: false, about: '13 characters with a valid check letter' },
    { name: 'address', required: false, about: '' },
    { name: 'postcode', required: false, about: '' },
    { name: 'school', required: false, about: '' },
  ],
  teams: [
    SOURCE,
    { name: 'name', required: true, about: 'unique in the council' },
    { name: 'service', required: true, about: 'the name of a service already set up in Handover' },
    { name: 'min_age', required: false, about: '0 to 25, default 0' },
    { name: 'max_age', required: false, about: '0 to 25, default 25' },
  ],
  involvements: [
    SOURCE,
    { name: 'person_source_id', required: true, about: 'the source_id of an imported person' },
    { name: 'team', required: true, about: 'the source_id or the name of a team' },
    { name: 'worker_email', required: false, about: 'the allocated worker: a member of that team' },
    { name: 'reason', required: true, about: 'why the team is involved' },
    { name: 'start_date', required: true, about: 'YYYY-MM-DD or DD/MM/YYYY' },
    { name: 'end_date', required: false, about: 'YYYY-MM-DD or DD/MM/YYYY' },
  ],
  statuses: [
    SOURCE,
    { name: 'person_source_id', required: true, about: 'the source_id of an imported person' },
    { name: 'status', required: true, about: Object.keys(PERSON_STATUSES).join(', ') },
    { name: 'start_date', required: true, about: 'YYYY-MM-DD or DD/MM/YYYY' },
    { name: 'end_date', required: false, about: 'YYYY-MM-DD or DD/MM/YYYY' },
    { name: 'end_reason', required: false, about: 'why it ended' },
  ],
};

/** DD/MM/YYYY (the way UK case systems export dates) as YYYY-MM-DD; anything else is left for the check. */
function isoDate(v: string | undefined): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v ?? '');
  return m ? `${m[3]}-${(m[2] as string).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}` : v;
}

const sourceId = f.text('source_id', 100, { required: true, missing: 'Enter the row’s id in the case system' });
const dates = { invalid: 'must be a real date, YYYY-MM-DD or DD/MM/YYYY' };
const endAfterStart = (v: { start_date?: string | null; end_date?: string | null }): FieldErrors =>
  v.start_date && v.end_date && v.end_date < v.start_date
    ? { end_date: 'End date must be on or after the start date' }
    : {};

const { locality_id: _locality, ...personFields } = PersonFields;
export const PersonRow = input({ source_id: sourceId, ...personFields });
export const TeamRow = input({
  source_id: sourceId,
  name: f.text('Name', 200, { required: true, missing: 'Enter the team’s name' }),
  service: f.text('Service', 200, { required: true, missing: 'Enter the name of the team’s service' }),
  min_age: f.integer('min_age', 0, 25, { invalid: 'min_age must be a whole number from 0 to 25' }),
  max_age: f.integer('max_age', 0, 25, { invalid: 'max_age must be a whole number from 0 to 25' }),
});
export const InvolvementRow = input(
  {
    source_id: sourceId,
    person_source_id: f.text('person_source_id', 100, { required: true, missing: 'Enter the person’s source_id' }),
    team: f.text('Team', 200, { required: true, missing: 'Enter the team’s source_id or name' }),
    worker_email: f.text('worker_email', 320),
    reason: f.text('Reason', 500, { required: true, missing: 'Enter why the team is involved' }),
    start_date: f.date('Start date', {
      required: true,
      missing: 'Enter the start date',
      invalid: `Start date ${dates.invalid}`,
    }),
    end_date: f.date('End date', { invalid: `End date ${dates.invalid}` }),
  },
  { check: endAfterStart },
);
export const StatusRow = input(
  {
    source_id: sourceId,
    person_source_id: f.text('person_source_id', 100, { required: true, missing: 'Enter the person’s source_id' }),
    status: f.choice('Status', Object.keys(PERSON_STATUSES) as (keyof typeof PERSON_STATUSES)[], {
      required: true,
      missing: `Enter the status: ${Object.keys(PERSON_STATUSES).join(', ')}`,
      invalid: `Status must be one of ${Object.keys(PERSON_STATUSES).join(', ')}`,
    }),
    start_date: f.date('Start date', {
      required: true,
      missing: 'Enter the start date',
      invalid: `Start date ${dates.invalid}`,
    }),
    end_date: f.date('End date', { invalid: `End date ${dates.invalid}` }),
    end_reason: f.text('end_reason', 500),
  },
  { check: endAfterStart },
);

const READERS = { people: PersonRow, teams: TeamRow, involvements: InvolvementRow, statuses: StatusRow };

/** The dates of a row in ISO form, then the kind's declared input: the typed row, or one message per column. */
export function readRow(kind: Kind, record: Record<string, string>, today: string) {
  const body: Record<string, string> = { ...record };
  for (const k of ['date_of_birth', 'start_date', 'end_date']) {
    const v = isoDate(body[k]);
    if (v !== undefined) body[k] = v;
  }
  return READERS[kind].read(body, { today });
}

export type PersonRowT = ReturnType<typeof PersonRow.parse>;
export type TeamRowT = ReturnType<typeof TeamRow.parse>;
export type InvolvementRowT = ReturnType<typeof InvolvementRow.parse>;
export type StatusRowT = ReturnType<typeof StatusRow.parse>;
