// The people module's inputs, declared once: the API validates and documents them with `.schema`, the pages and the
// API read them with `.read(body, { today })`, and the service takes the typed input. Messages name the field and
// the fix (quality.md A-bar, GOV.UK error messages).
import { checkNhsNumber, checkUpn } from '../../domain/identifiers.ts';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import { hasWords, visibleText } from '../../domain/words.ts';
import type { FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

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
  address: f.text('Address', 500),
  postcode: f.text('Postcode', 10, {
    check: pattern(POSTCODE, 'Enter a real postcode, for example EX1 1AA', (v) => v.toUpperCase()),
  }),
  school: f.text('School or setting', 200),
  locality_id: f.id('Locality'),
};

/** A young person's details (create and change). */
export const PersonInput = input(PersonFields);
export type PersonInput = InputOf<typeof PersonInput>;

const version = f.integer('Version', 1, 2_147_483_647, {
  required: true,
  missing: 'version is required: send the version you read',
  invalid: 'version is required: send the version you read',
});

/** A new record, with the involvement of one of the creator's teams that it starts with. */
export const NewPersonInput = input({
  ...PersonFields,
  team_id: f.id('Team', { required: true, missing: 'Choose one of your teams', invalid: 'Choose one of your teams' }),
  reason: f.text('Reason', 500, { fallback: () => 'New record' }),
  allocate_to_me: f.yesno('Allocate to me'),
});
export type NewPersonInput = InputOf<typeof NewPersonInput>;

/** A change to a record's details, with the version the editor read. */
export const PersonUpdateInput = input({ ...PersonFields, version });
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

/** The search form: any one of name, date of birth, NHS number, UPN or case number. */
export const SearchInput = input(
  {
    name: f.text('Name', 100),
    date_of_birth: f.date('Date of birth', { invalid: 'Date of birth must be a real date, for example 27 3 2010' }),
    nhs_number: f.text('NHS number', 20, { check: (v) => checkNhsNumber(v) }),
    upn: f.text('UPN', 20, { check: (v) => checkUpn(v) }),
    case_number: f.text('Case number', 30, { check: (v) => ({ ok: true, value: v.toUpperCase() }) }),
  },
  {
    check: (v): FieldErrors =>
      Object.values(v).some((x) => x !== null && x !== undefined)
        ? {}
        : { name: 'Enter a name, date of birth, NHS number, UPN or case number to search' },
  },
);
export type SearchInput = InputOf<typeof SearchInput>;
