// The organisations module's inputs, declared once: the API validates and documents them with `.schema`, the Set up
// pages and the API read them with `.read`/`.parse`, and the service takes the typed input. Messages name the field
// and the fix (quality.md A-bar, GOV.UK error messages). Rules that need the database (a name already taken, a
// service of this council, a line manager who is not managed by the user) stay in service.ts.
import { PERSON_STATUSES, type PersonStatus, ROLE_NAMES, SERVICE_KINDS } from '../../domain/roles.ts';
import { EMAIL, type FieldErrors } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { versionField as version } from '../../http/versions.ts';
import { MAX_PASSWORD_LENGTH, passwordProblem } from '../auth/passwords.ts';

export type ServiceKind = keyof typeof SERVICE_KINDS;
export const MIN_AGE = 0;
export const MAX_AGE = 25;

const PHONE = /^[+\d][\d\s()-]{5,20}$/;

/** Ids are stored and compared lower-case. */
const lowerId: Check<string> = (v) => ({ ok: true, value: v.toLowerCase() });

/** A name of up to 200 characters, with an example in the message when it is left empty. */
const name = (what: string, example: string) =>
  f.text('Name', 200, { required: true, missing: `Enter the ${what}’s name, for example ${example}` });

/** Renaming the council (its code is fixed), with the version the administrator read. */
export const AuthorityInput = input({ name: name('council', 'Devon County Council'), version });
export type AuthorityInput = InputOf<typeof AuthorityInput>;

/** A service of the council or of an outside organisation (NHS trust, school, police, provider). */
const serviceFields = {
  name: name('service', 'Children’s Social Care'),
  kind: f.choice('Kind', Object.keys(SERVICE_KINDS) as ServiceKind[], {
    required: true,
    missing: 'Choose what kind of service it is',
    invalid: 'Choose what kind of service it is',
    hint: 'The kind of service',
  }),
  organisation: f.text('Organisation', 200, { hint: 'The outside organisation it belongs to' }),
  external: f.yesno('Run by an outside organisation', {
    fallback: () => false,
    invalid: 'Choose whether the service is run by an outside organisation',
    hint: 'Run by an outside organisation (NHS trust, school, police, provider): it needs its organisation',
  }),
};
const serviceCheck = {
  check: (v: { external?: boolean; organisation?: string | null }): FieldErrors =>
    v.external && !v.organisation
      ? { organisation: 'Enter the outside organisation it belongs to, for example Devon Partnership NHS Trust' }
      : {},
};
export const ServiceInput = input(serviceFields, serviceCheck);
export type ServiceInput = InputOf<typeof ServiceInput>;
/** A change to a service, with the version the administrator read. */
export const ServiceUpdateInput = input({ ...serviceFields, version }, serviceCheck);
export type ServiceUpdateInput = InputOf<typeof ServiceUpdateInput>;

export const LocalityInput = input({ name: name('locality', 'North Devon') });
export type LocalityInput = InputOf<typeof LocalityInput>;

/** A SEND support hub in a locality. */
export const HubInput = input({
  name: name('hub', 'SEND Support Hub: Barnstaple'),
  locality_id: f.id('Locality', {
    required: true,
    missing: 'Choose the locality the hub belongs to',
    invalid: 'Choose the locality the hub belongs to',
    check: lowerId,
  }),
});
export type HubInput = InputOf<typeof HubInput>;

/** A team, its remit (ages, case types; any case type if none) and its locality or SEND hub. */
const teamFields = {
  name: name('team', 'Disabled Children’s Team North'),
  service_id: f.id('Service', {
    required: true,
    missing: 'Choose the service the team belongs to',
    invalid: 'Choose the service the team belongs to',
    check: lowerId,
  }),
  remit_min_age: f.integer('Youngest age', MIN_AGE, MAX_AGE, { fallback: () => MIN_AGE }),
  remit_max_age: f.integer('Oldest age', MIN_AGE, MAX_AGE, { fallback: () => MAX_AGE }),
  remit_case_types: f.choices('Case types', Object.keys(PERSON_STATUSES) as PersonStatus[], {
    fallback: () => [],
    hint: 'None: any case type',
  }),
  locality_id: f.id('Locality', { invalid: 'Choose a locality from the list', check: lowerId }),
  hub_id: f.id('SEND hub', {
    invalid: 'Choose a SEND hub from the list',
    hint: 'A SEND hub; it must be in the locality if both are given (a hub alone sets the locality)',
    check: lowerId,
  }),
};
const teamCheck = {
  check: ({
    remit_min_age: min,
    remit_max_age: max,
  }: {
    remit_min_age?: number;
    remit_max_age?: number;
  }): FieldErrors =>
    min !== undefined && max !== undefined && min > max
      ? { remit_max_age: `Oldest age must be the same as or more than the youngest age (${min})` }
      : {},
};
export const TeamInput = input(teamFields, teamCheck);
export type TeamInput = InputOf<typeof TeamInput>;
/** A change to a team, with the version the administrator read. */
export const TeamUpdateInput = input({ ...teamFields, version }, teamCheck);
export type TeamUpdateInput = InputOf<typeof TeamUpdateInput>;

/** What a user is: their name, job, phone, roles, teams and line manager (the page edits all of these at once). */
const UserFields = {
  display_name: f.text('Full name', 200, { required: true, missing: 'Enter the person’s full name' }),
  job_title: f.text('Job title', 200),
  phone: f.text('Phone', 30, {
    check: (v) =>
      PHONE.test(v)
        ? { ok: true, value: v }
        : { ok: false, message: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982' },
  }),
  roles: f.choices('Roles', ROLE_NAMES, {
    required: true,
    missing: 'Choose at least one role',
    invalid: 'Choose roles from the list',
  }),
  team_ids: f.ids('Teams', { fallback: () => [], invalid: 'Choose teams from the list' }),
  line_manager_id: f.id('Line manager', { invalid: 'Choose a line manager from the list', check: lowerId }),
};

/** A new user, with the initial password they sign in with. */
export const NewUserInput = input({
  email: f.text('Email', 254, {
    required: true,
    missing: 'Enter their work email address, like name@council.gov.uk',
    invalid: 'Enter an email address in the correct format, like name@council.gov.uk',
    hint: 'Their work email address: they sign in with it',
    check: (v) => {
      const email = v.toLowerCase();
      return EMAIL.test(email)
        ? { ok: true, value: email }
        : { ok: false, message: 'Enter an email address in the correct format, like name@council.gov.uk' };
    },
  }),
  ...UserFields,
  // Never trimmed: spaces in a passphrase count.
  password: f.text('Password', MAX_PASSWORD_LENGTH, {
    required: true,
    trim: false,
    missing: 'Enter an initial password for them',
    hint: 'The initial password: at least 12 characters, not a common one. Never returned.',
    check: (v) => {
      const problem = passwordProblem(v);
      return problem ? { ok: false, message: problem } : { ok: true, value: v };
    },
  }),
});
export type NewUserInput = InputOf<typeof NewUserInput>;

/** The Edit user page: every field is sent, and what is left empty is emptied; with the version it was read at. */
export const UserEditInput = input({ ...UserFields, version });
export type UserEditInput = InputOf<typeof UserEditInput>;

/**
 * A change through the API (PATCH): only the fields sent change. team_ids replaces their teams; active: false signs
 * them out everywhere and revokes their API tokens. The version read is required (in the body or If-Match).
 */
export const UserChangeInput = input({
  ...UserFields,
  active: f.yesno('Active', {
    required: true,
    missing: 'active must be true or false',
    invalid: 'active must be true or false',
    hint: 'false ends all their sessions and revokes their API tokens at once',
  }),
  version,
}).partial();
export type UserChangeInput = InputOf<typeof UserChangeInput>;
