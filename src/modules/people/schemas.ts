// The people module's inputs, declared once: the API validates and documents them with `.schema`, the pages and the
// API read them with `.read(body, { today })`, and the service takes the typed input. Messages name the field and
// the fix (quality.md A-bar, GOV.UK error messages).
import { checkNhsNumber, checkUpn } from '../../domain/identifiers.ts';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { hasWords, visibleText } from '../../domain/words.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { UPN_UNKNOWN, UPN_UNKNOWN_CODES } from '../sen2/codes.ts';

const REASON_NEEDED =
  'Explain why you need this record now: a reason in words, at least 10 characters, like Police called about a missing child';
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;
const PHONE = /^[+\d][\d\s()-]{5,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const pattern =
  (re: RegExp, message: string, normalise = (v: string) => v): Check<string> =>
  (v) =>
    re.test(v) ? { ok: true, value: normalise(v) } : { ok: false, message };

const notFuture =
  (label: string, example: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` + example };

const dateOfBirth: Check<string> = (v, { today }) => {
  if (v > today) return { ok: false, message: 'Date of birth must be today or in the past' };
  if (Number(today.slice(0, 4)) - Number(v.slice(0, 4)) > 26)
    return {
      ok: false,
      message: 'Date of birth must be within the last 26 years: Handover is for people aged 0 to 25',
    };
  return { ok: true, value: v };
};

export const PersonFields = {
  given_name: f.text('First name', 100, { required: true }),
  family_name: f.text('Last name', 100, { required: true }),
  preferred_name: f.text('Preferred name', 100),
  date_of_birth: f.date('Date of birth', {
    required: true,
    missing: 'Enter the date of birth, for example 27 3 2010',
    invalid: 'Date of birth must be a real date, for example 27 3 2010',
    check: dateOfBirth,
  }),
  gender: f.text('Gender', 50),
  nhs_number: f.text('NHS number', 20, {
    hint: '10 digits with a valid modulus-11 check digit',
    check: (v) => checkNhsNumber(v),
  }),
  upn: f.text('UPN', 20, { hint: '13 characters with a valid check letter', check: (v) => checkUpn(v) }),
  upn_unknown: f.choice('Why the UPN is not known', UPN_UNKNOWN_CODES, {
    hint: `Only when there is no UPN. ${UPN_UNKNOWN_CODES.map((c) => `${c}: ${UPN_UNKNOWN[c]}`).join('; ')}`,
    invalid: `Choose why the UPN is not known from the list (${UPN_UNKNOWN_CODES.join(', ')}), or leave it empty`,
  }),
  address: f.text('Address', 500),
  postcode: f.text('Postcode', 10, {
    check: pattern(POSTCODE, 'Enter a real postcode, for example EX1 1AA', (v) => v.toUpperCase()),
  }),
  school: f.text('School or setting', 200),
  locality_id: f.id('Locality'),
};

/** A UPN, or why it is not known: never both (the SEN2 return writes one or the other). */
const upnOrReason = (v: { upn?: string | null; upn_unknown?: string | null }): FieldErrors =>
  v.upn && v.upn_unknown
    ? {
        upn_unknown:
          'Give a UPN or why it is not known, not both: remove the UPN, or choose None for why it is not known',
      }
    : {};

/** A young person's details (create and change). */
export const PersonInput = input(PersonFields, { check: upnOrReason });
export type PersonInput = InputOf<typeof PersonInput>;

const version = f.integer('Version', 1, 2_147_483_647, {
  required: true,
  missing: 'version is required: send the version you read',
  invalid: 'version is required: send the version you read',
});

/** A new record, with the involvement of one of the creator's teams that it starts with. */
export const NewPersonInput = input(
  {
    ...PersonFields,
    team_id: f.id('Team', { required: true, missing: 'Choose one of your teams', invalid: 'Choose one of your teams' }),
    reason: f.text('Reason', 500, { fallback: () => 'New record' }),
    allocate_to_me: f.yesno('Allocate to me'),
    create_anyway: f.yesno('Create a new record anyway', {
      hint: 'true after a warning that a record may already exist (409): the choice is recorded',
    }),
  },
  { check: upnOrReason },
);
export type NewPersonInput = InputOf<typeof NewPersonInput>;

/** A change to a record's details, with the version the editor read. */
export const PersonUpdateInput = input({ ...PersonFields, version }, { check: upnOrReason });
export type PersonUpdateInput = InputOf<typeof PersonUpdateInput>;

/** A status (child in need, child protection plan, child in care…) starting on a date (default today). */
export const StatusInput = input({
  status: f.choice('Status', Object.keys(PERSON_STATUSES) as (keyof typeof PERSON_STATUSES)[], {
    required: true,
    missing: `Choose a status from the list: ${Object.values(PERSON_STATUSES).join(', ')}`,
    invalid: `Choose a status from the list: ${Object.values(PERSON_STATUSES).join(', ')}`,
  }),
  start_date: f.date('Start date', {
    invalid: 'Start date must be a real date, for example 1 9 2026',
    check: notFuture('Start date', ''),
    fallback: ({ today }) => today,
  }),
});
export type StatusInput = InputOf<typeof StatusInput>;

/** A status ending: on a date (default today; not in the future; not before it started, checked by the service), why. */
export const StatusEndInput = input({
  end_date: f.date('End date', {
    invalid: 'End date must be a real date, for example 9 12 2026',
    check: notFuture('End date', ''),
    fallback: ({ today }) => today,
  }),
  reason: f.text('Reason', 500, {
    required: true,
    missing: 'Enter why the status is ending, for example Child in need plan closed at review',
  }),
});
export type StatusEndInput = InputOf<typeof StatusEndInput>;

/** A contact: family member, carer or professional. */
export const ContactInput = input({
  name: f.text('Name', 200, { required: true, missing: 'Enter the contact’s name' }),
  relationship: f.text('Relationship', 100, {
    required: true,
    missing: 'Enter how they are related, for example Mother or Foster carer',
  }),
  phone: f.text('Phone', 30, {
    check: pattern(PHONE, 'Enter a phone number, like 01632 960 001 or +44 7700 900 982'),
  }),
  email: f.text('Email', 320, {
    check: pattern(EMAIL, 'Enter an email address in the correct format, like name@example.com'),
  }),
  address: f.text('Address', 500),
  parental_responsibility: f.yesno('Parental responsibility'),
});
export type ContactInput = InputOf<typeof ContactInput>;

/** A team's involvement with the young person, with the worker allocated (or nobody yet). */
export const InvolvementInput = input({
  team_id: f.id('Team', {
    required: true,
    missing: 'Choose the team that is working with this young person',
    invalid: 'Choose the team that is working with this young person',
  }),
  worker_id: f.id('Worker', { invalid: 'Choose a worker from the list, or leave it unallocated' }),
  reason: f.text('Reason', 500, {
    required: true,
    missing: 'Enter why the team is involved, for example Child in need assessment',
  }),
  start_date: f.date('Start date', {
    invalid: 'Start date must be a real date, for example 1 9 2026',
    fallback: ({ today }) => today,
  }),
});
export type InvolvementInput = InputOf<typeof InvolvementInput>;

/**
 * Who holds the case on a team's involvement. Leaving nobody allocated is an explicit choice with a reason (a form
 * saved without a change must never unallocate a young person); the version is the one the editor read.
 */
export const AllocateInput = input(
  {
    worker_id: f.id('Allocated worker', { invalid: 'Choose a worker from the list, or Remove the allocated worker' }),
    remove: f.yesno('Remove the allocated worker'),
    reason: f.text('Reason for removing the allocated worker', 500),
    version,
  },
  {
    check: (v): FieldErrors => {
      if (v.remove && v.worker_id) return { worker_id: 'Choose a worker, or Remove the allocated worker, not both' };
      if (!v.remove && !v.worker_id)
        return { worker_id: 'Choose the allocated worker, or choose Remove the allocated worker and give a reason' };
      if (v.remove && !v.reason)
        return { reason: 'Enter why nobody will be allocated, for example Worker left; team manager holding the case' };
      return {};
    },
  },
);
export type AllocateInput = InputOf<typeof AllocateInput>;

/** Emergency access to a record: the reason, in words (quality.md S5). */
export const BreakGlassInput = input({
  reason: f.text('Reason', 1000, {
    required: true,
    missing: REASON_NEEDED,
    check: (v) =>
      visibleText(v).length >= 10 && hasWords(v) ? { ok: true, value: v } : { ok: false, message: REASON_NEEDED },
  }),
});
export type BreakGlassInput = InputOf<typeof BreakGlassInput>;

/** Age bands of the filter (issue 11 capability 11): the ages a young person may be on the day of the search. */
export const AGE_BANDS = {
  '0-4': { text: '0 to 4', from: 0, to: 4 },
  '5-10': { text: '5 to 10', from: 5, to: 10 },
  '11-15': { text: '11 to 15', from: 11, to: 15 },
  '16-17': { text: '16 and 17', from: 16, to: 17 },
  '18-25': { text: '18 to 25', from: 18, to: 25 },
} as const;
/** The orders a list of people can be shown in. */
export const SORTS = {
  name: 'Last name, A to Z',
  youngest: 'Youngest first',
  oldest: 'Oldest first',
  updated: 'Recently updated',
} as const;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AGE_KEYS = Object.keys(AGE_BANDS) as (keyof typeof AGE_BANDS)[];
const SORT_KEYS = Object.keys(SORTS) as (keyof typeof SORTS)[];
const STATUS_KEYS = Object.keys(PERSON_STATUSES) as (keyof typeof PERSON_STATUSES)[];

/** The filters of the list of people: nothing personal, so they may be in a URL (GET /people, GET /api/v1/people). */
export const FilterFields = {
  team_id: f.id('Team', { invalid: 'Choose a team from the list' }),
  worker: f.text('Allocated worker', 36, {
    hint: 'a worker’s id, or unallocated for people with no allocated worker',
    check: (v) =>
      v === 'unallocated' || UUID_TEXT.test(v)
        ? { ok: true, value: v.toLowerCase() }
        : { ok: false, message: 'Choose an allocated worker from the list, or Nobody allocated' },
  }),
  status: f.choice('Status', STATUS_KEYS, {
    invalid: `Choose a status from the list: ${Object.values(PERSON_STATUSES).join(', ')}`,
  }),
  age: f.choice('Age', AGE_KEYS, { invalid: `Choose an age band: ${AGE_KEYS.join(', ')}` }),
  sort: f.choice('Sort by', SORT_KEYS, {
    invalid: `Choose how to sort: ${SORT_KEYS.join(', ')}`,
    fallback: () => 'name' as const,
  }),
  page: f.integer('Page', 1, 100_000, { invalid: 'Page must be a whole number from 1', fallback: () => 1 }),
};
export const FilterInput = input(FilterFields);
export type FilterInput = InputOf<typeof FilterInput>;

const SEARCH_NEEDED = 'Enter a name, date of birth, NHS number, UPN or case number to search';
/** The search form: name, date of birth, NHS number, UPN or case number, with the list's filters. */
export const SearchInput = input(
  {
    name: f.text('Name', 100),
    date_of_birth: f.date('Date of birth', { invalid: 'Date of birth must be a real date, for example 27 3 2010' }),
    nhs_number: f.text('NHS number', 20, { check: (v) => checkNhsNumber(v) }),
    upn: f.text('UPN', 20, { check: (v) => checkUpn(v) }),
    case_number: f.text('Case number', 30, { check: (v) => ({ ok: true, value: v.toUpperCase() }) }),
    ...FilterFields,
  },
  {
    check: (v): FieldErrors =>
      [v.name, v.date_of_birth, v.nhs_number, v.upn, v.case_number, v.team_id, v.worker, v.status, v.age].some(
        (x) => x !== null && x !== undefined,
      )
        ? {}
        : { name: SEARCH_NEEDED },
  },
);
export type SearchInput = InputOf<typeof SearchInput>;

/** Whether a search has anything personal in it (then it is never put in a URL). */
export function hasPersonalTerms(s: Partial<SearchInput>): boolean {
  return [s.name, s.date_of_birth, s.nhs_number, s.upn, s.case_number].some((x) => x !== null && x !== undefined);
}
