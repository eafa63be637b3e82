// One checker per input, shared by the Set up pages and the API: messages name the field and the fix.
// Form posts send strings (and arrays for checkboxes); the API sends JSON numbers, booleans and arrays.
import { PERSON_STATUSES, type PersonStatus, ROLES, type Role, SERVICE_KINDS } from '../../domain/roles.ts';
import { type Body, EMAIL, type FieldErrors, list, text, UUID } from '../../http/forms.ts';
import { passwordProblem } from '../auth/passwords.ts';

export type ServiceKind = keyof typeof SERVICE_KINDS;
export const MIN_AGE = 0;
export const MAX_AGE = 25;

function limit(errors: FieldErrors, field: string, value: string, label: string, max: number) {
  if (value.length > max && !errors[field]) errors[field] = `${label} must be ${max} characters or fewer`;
}

/** A checkbox or a JSON boolean: 'yes', 'true', true. */
function flag(body: Body, field: string): boolean {
  const v = text(body, field).toLowerCase();
  return v === 'yes' || v === 'true' || v === 'on';
}

function has(body: Body, field: string) {
  return Object.hasOwn(body, field);
}

/** '' or a UUID; anything else is an error with the given message. */
function optionalId(errors: FieldErrors, body: Body, field: string, message: string): string | null {
  const v = text(body, field);
  if (!v) return null;
  if (!UUID.test(v)) errors[field] = message;
  return v.toLowerCase();
}

export interface AuthorityInput {
  name: string;
}

export function readAuthorityInput(body: Body): { input: AuthorityInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = text(body, 'name');
  if (!name) errors.name = 'Enter the council’s name, for example Devon County Council';
  limit(errors, 'name', name, 'Name', 200);
  return { input: { name }, errors };
}

export interface ServiceInput {
  name: string;
  kind: ServiceKind;
  organisation: string | null;
  external: boolean;
}

export function readServiceInput(body: Body): { input: ServiceInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = text(body, 'name');
  if (!name) errors.name = 'Enter the service’s name, for example Children’s Social Care';
  limit(errors, 'name', name, 'Name', 200);
  const kind = text(body, 'kind');
  if (!Object.hasOwn(SERVICE_KINDS, kind)) errors.kind = 'Choose what kind of service it is';
  const organisation = text(body, 'organisation');
  limit(errors, 'organisation', organisation, 'Organisation', 200);
  const external = flag(body, 'external');
  if (external && !organisation)
    errors.organisation = 'Enter the outside organisation it belongs to, for example Devon Partnership NHS Trust';
  return {
    input: { name, kind: kind as ServiceKind, organisation: organisation || null, external },
    errors,
  };
}

export function readLocalityInput(body: Body): { input: { name: string }; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = text(body, 'name');
  if (!name) errors.name = 'Enter the locality’s name, for example North Devon';
  limit(errors, 'name', name, 'Name', 200);
  return { input: { name }, errors };
}

export function readHubInput(body: Body): { input: { name: string; locality_id: string }; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = text(body, 'name');
  if (!name) errors.name = 'Enter the hub’s name, for example SEND Support Hub: Barnstaple';
  limit(errors, 'name', name, 'Name', 200);
  const locality = text(body, 'locality_id');
  if (!UUID.test(locality)) errors.locality_id = 'Choose the locality the hub belongs to';
  return { input: { name, locality_id: locality.toLowerCase() }, errors };
}

function age(errors: FieldErrors, body: Body, field: string, label: string, fallback: number): number {
  const v = text(body, field);
  if (!v) return fallback;
  if (!/^\d{1,3}$/.test(v) || Number(v) < MIN_AGE || Number(v) > MAX_AGE) {
    errors[field] = `${label} must be a whole number from ${MIN_AGE} to ${MAX_AGE}`;
    return fallback;
  }
  return Number(v);
}

export interface TeamInput {
  name: string;
  service_id: string;
  remit_min_age: number;
  remit_max_age: number;
  remit_case_types: PersonStatus[];
  locality_id: string | null;
  hub_id: string | null;
}

export function readTeamInput(body: Body): { input: TeamInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = text(body, 'name');
  if (!name) errors.name = 'Enter the team’s name, for example Disabled Children’s Team North';
  limit(errors, 'name', name, 'Name', 200);
  const service = text(body, 'service_id');
  if (!UUID.test(service)) errors.service_id = 'Choose the service the team belongs to';
  const min = age(errors, body, 'remit_min_age', 'Youngest age', MIN_AGE);
  const max = age(errors, body, 'remit_max_age', 'Oldest age', MAX_AGE);
  if (!errors.remit_min_age && !errors.remit_max_age && min > max)
    errors.remit_max_age = `Oldest age must be the same as or more than the youngest age (${min})`;
  const types = [...new Set(list(body, 'remit_case_types'))];
  const unknown = types.filter((t) => !Object.hasOwn(PERSON_STATUSES, t));
  if (unknown.length) errors.remit_case_types = 'Choose case types from the list';
  const locality = optionalId(errors, body, 'locality_id', 'Choose a locality from the list');
  const hub = optionalId(errors, body, 'hub_id', 'Choose a SEND hub from the list');
  return {
    input: {
      name,
      service_id: service.toLowerCase(),
      remit_min_age: min,
      remit_max_age: max,
      remit_case_types: types as PersonStatus[],
      locality_id: locality,
      hub_id: hub,
    },
    errors,
  };
}

function readRoles(errors: FieldErrors, body: Body): Role[] {
  const roles = [...new Set(list(body, 'roles'))];
  if (roles.some((r) => !Object.hasOwn(ROLES, r))) errors.roles = 'Choose roles from the list';
  else if (!roles.length) errors.roles = 'Choose at least one role';
  return roles as Role[];
}

function readTeamIds(errors: FieldErrors, body: Body): string[] {
  const ids = [...new Set(list(body, 'team_ids').map((t) => t.toLowerCase()))];
  if (ids.some((t) => !UUID.test(t))) errors.team_ids = 'Choose teams from the list';
  return ids;
}

function readPhone(errors: FieldErrors, body: Body): string | null {
  const phone = text(body, 'phone');
  if (phone && !/^[+\d][\d\s()-]{5,20}$/.test(phone))
    errors.phone = 'Enter a phone number, like 01632 960 001 or +44 7700 900 982';
  return phone || null;
}

function readName(errors: FieldErrors, body: Body): string {
  const name = text(body, 'display_name');
  if (!name) errors.display_name = 'Enter the person’s full name';
  limit(errors, 'display_name', name, 'Full name', 200);
  return name;
}

function readJobTitle(errors: FieldErrors, body: Body): string | null {
  const title = text(body, 'job_title');
  limit(errors, 'job_title', title, 'Job title', 200);
  return title || null;
}

export interface NewUserInput {
  email: string;
  display_name: string;
  job_title: string | null;
  phone: string | null;
  roles: Role[];
  team_ids: string[];
  line_manager_id: string | null;
  password: string;
}

export function readNewUserInput(body: Body): { input: NewUserInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const email = text(body, 'email').toLowerCase();
  if (!email) errors.email = 'Enter their work email address, like name@council.gov.uk';
  else if (email.length > 254 || !EMAIL.test(email))
    errors.email = 'Enter an email address in the correct format, like name@council.gov.uk';
  const display_name = readName(errors, body);
  const job_title = readJobTitle(errors, body);
  const phone = readPhone(errors, body);
  const roles = readRoles(errors, body);
  const team_ids = readTeamIds(errors, body);
  const line_manager_id = optionalId(errors, body, 'line_manager_id', 'Choose a line manager from the list');
  // Passwords are never trimmed: spaces in a passphrase count.
  const password = typeof body.password === 'string' ? body.password : '';
  if (!password) errors.password = 'Enter an initial password for them';
  else {
    const problem = passwordProblem(password);
    if (problem) errors.password = problem;
  }
  return {
    input: { email, display_name, job_title, phone, roles, team_ids, line_manager_id, password },
    errors,
  };
}

/** A change to a user: only the keys present are changed (the page sends them all; the API may send some). */
export interface UserChange {
  display_name?: string;
  job_title?: string | null;
  phone?: string | null;
  roles?: Role[];
  team_ids?: string[];
  line_manager_id?: string | null;
  active?: boolean;
}

export function readUserChange(body: Body, opts: { partial: boolean }): { input: UserChange; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: UserChange = {};
  const wants = (field: string) => !opts.partial || has(body, field);
  if (wants('display_name')) input.display_name = readName(errors, body);
  if (wants('job_title')) input.job_title = readJobTitle(errors, body);
  if (wants('phone')) input.phone = readPhone(errors, body);
  if (wants('roles')) input.roles = readRoles(errors, body);
  if (wants('team_ids')) input.team_ids = readTeamIds(errors, body);
  if (wants('line_manager_id'))
    input.line_manager_id = optionalId(errors, body, 'line_manager_id', 'Choose a line manager from the list');
  if (opts.partial && has(body, 'active')) {
    if (typeof body.active !== 'boolean') errors.active = 'active must be true or false';
    else input.active = body.active;
  }
  return { input, errors };
}
