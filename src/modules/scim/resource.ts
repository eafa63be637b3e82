// SCIM 2.0 (RFC 7643/7644) as Handover speaks it: the User resource made from a staff account, a User body read
// into the fields Handover keeps, and SCIM's error format. Attribute names are matched without regard to case, as
// the RFC says; a bad value names the attribute and what to send instead.
import type { ScimRow } from './repository.ts';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_TYPE = 'application/scim+json; charset=utf-8';

/** A refusal in SCIM's error format: status as a string, scimType where RFC 7644 §3.12 has one. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?:
      | 'invalidFilter'
      | 'uniqueness'
      | 'invalidSyntax'
      | 'invalidPath'
      | 'invalidValue'
      | 'noTarget'
      | 'mutability',
  ) {
    super(detail);
  }

  body() {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

/** What Handover keeps of a User; a field left undefined is not being set. */
export interface UserFields {
  userName?: string;
  externalId?: string | null;
  displayName?: string;
  givenName?: string | null;
  familyName?: string | null;
  title?: string | null;
  department?: string | null;
  managerId?: string | null;
  active?: boolean;
}

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = (detail: string) => new ScimError(400, detail, 'invalidValue');

function text(attribute: string, value: unknown, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw invalid(`${attribute} must be a string of text, like "Social Worker"`);
  const v = value.trim();
  if (v.length > max) throw invalid(`${attribute} must be ${max} characters or fewer`);
  return v === '' ? null : v;
}

/** userName: the sign-in address, kept in lower case. */
export function userNameOf(value: unknown): string {
  const v = text('userName', value, 254)?.toLowerCase() ?? '';
  if (!v) throw invalid('userName is required: send the person’s work email address, like name@council.gov.uk');
  if (!EMAIL.test(v))
    throw invalid('userName must be an email address, like name@council.gov.uk (map userPrincipalName or mail to it)');
  return v;
}

/** active: a boolean, or Entra's "True"/"False" as strings. */
export function activeOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalid('active must be true or false');
}

/** The manager's SCIM id: the value itself, or `{ "value": id }`; empty or null takes the manager away. */
export function managerOf(value: unknown): string | null {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).value : value;
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'string' || !UUID.test(v))
    throw invalid('manager must be the manager’s SCIM id (the "id" Handover gave them), like {"value": "<id>"}');
  return v.toLowerCase();
}

/** The work email of `emails`: checked, though the account's address is its userName. */
function checkEmails(value: unknown) {
  if (value === null || value === undefined) return;
  const list = Array.isArray(value) ? value : [value];
  for (const e of list) {
    const v = e !== null && typeof e === 'object' ? (e as Record<string, unknown>).value : e;
    if (v !== undefined && v !== null && (typeof v !== 'string' || !EMAIL.test(v.trim())))
      throw invalid('emails[type eq "work"].value must be an email address, like name@council.gov.uk');
  }
}

/** Sets one attribute (a lower-cased path, without the core schema's prefix) on `out`. */
export function setAttribute(out: UserFields, path: string, value: unknown): boolean {
  switch (path) {
    case 'username':
      out.userName = userNameOf(value);
      return true;
    case 'externalid':
      out.externalId = text('externalId', value, 200);
      return true;
    case 'displayname':
      out.displayName = text('displayName', value, 200) ?? '';
      return true;
    case 'name.givenname':
      out.givenName = text('name.givenName', value, 100);
      return true;
    case 'name.familyname':
      out.familyName = text('name.familyName', value, 100);
      return true;
    case 'name.formatted':
      out.displayName = text('name.formatted', value, 200) ?? '';
      return true;
    case 'title':
      out.title = text('title', value, 200);
      return true;
    case 'active':
      out.active = activeOf(value);
      return true;
    case 'emails':
    case 'emails[type eq "work"].value':
    case 'emails[type eq "work"]':
      checkEmails(value);
      return true;
    case `${ENTERPRISE_USER.toLowerCase()}:department`:
      out.department = text('department', value, 200);
      return true;
    case `${ENTERPRISE_USER.toLowerCase()}:manager`:
    case `${ENTERPRISE_USER.toLowerCase()}:manager.value`:
      out.managerId = managerOf(value);
      return true;
    default:
      return ignored(path);
  }
}

/**
 * SCIM attributes Handover does not keep, accepted and left alone (Entra's default mappings send several of them, and
 * refusing would stop provisioning); an attribute that is in neither schema is refused, named.
 */
const IGNORED = new Set([
  'nickname',
  'profileurl',
  'usertype',
  'preferredlanguage',
  'locale',
  'timezone',
  'password',
  'addresses',
  'phonenumbers',
  'ims',
  'photos',
  'groups',
  'entitlements',
  'roles',
  'x509certificates',
  'name.middlename',
  'name.honorificprefix',
  'name.honorificsuffix',
  `${ENTERPRISE_USER.toLowerCase()}:employeenumber`,
  `${ENTERPRISE_USER.toLowerCase()}:costcenter`,
  `${ENTERPRISE_USER.toLowerCase()}:organization`,
  `${ENTERPRISE_USER.toLowerCase()}:division`,
]);

function ignored(path: string): boolean {
  // addresses[type eq "work"].formatted → addresses; name.middleName stays whole; the extension's own names whole.
  const p = path.replace(/\[.*$/, '');
  if (IGNORED.has(p)) return true;
  if (p.startsWith(`${ENTERPRISE_USER.toLowerCase()}:`)) return false;
  return IGNORED.has(p.split('.')[0] ?? '');
}

const CORE_PREFIX = `${CORE_USER.toLowerCase()}:`;

/** A path as setAttribute knows it: lower case, without the core schema's prefix, quotes straightened. */
export function normalPath(path: string): string {
  const p = path.trim().toLowerCase().replace(/[“”]/g, '"').replace(/\s+/g, ' ');
  return p.startsWith(CORE_PREFIX) ? p.slice(CORE_PREFIX.length) : p;
}

/**
 * Every attribute of an object (a POST or PUT body, or a PatchOp's value without a path): nested `name` and the
 * enterprise extension are read as their dotted paths; read-only and unknown attributes are ignored, as SCIM allows.
 */
export function readObject(body: Record<string, unknown>, out: UserFields = {}): UserFields {
  for (const [key, value] of Object.entries(body)) {
    const k = normalPath(key);
    if (k === 'name' && value && typeof value === 'object') {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>))
        setAttribute(out, `name.${sub.toLowerCase()}`, v);
    } else if (k === ENTERPRISE_USER.toLowerCase() && value && typeof value === 'object') {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>))
        setAttribute(out, `${ENTERPRISE_USER.toLowerCase()}:${sub.toLowerCase()}`, v);
    } else {
      setAttribute(out, k, value);
    }
  }
  return out;
}

/** The display name from what was sent: displayName, else the given and family names. */
export function displayNameOf(fields: UserFields, current?: string): string | undefined {
  if (fields.displayName) return fields.displayName;
  if (fields.givenName === undefined && fields.familyName === undefined) return current;
  // Handover keeps one name: a part not sent now is taken from the name as it stands (first word, then the rest).
  const [first = '', ...rest] = (current ?? '').split(' ');
  const given = fields.givenName === undefined ? first : (fields.givenName ?? '');
  const family = fields.familyName === undefined ? rest.join(' ') : (fields.familyName ?? '');
  const name = `${given} ${family}`.trim();
  return name || current;
}

/** A staff account as a SCIM User. */
export function toScimUser(row: NonNullable<ScimRow>, baseUrl: string) {
  const [givenName = '', ...rest] = row.display_name.split(' ');
  const enterprise: Record<string, unknown> = {};
  if (row.department) enterprise.department = row.department;
  if (row.line_manager_id)
    enterprise.manager = { value: row.line_manager_id, $ref: `${baseUrl}/scim/v2/Users/${row.line_manager_id}` };
  return {
    schemas: [CORE_USER, ENTERPRISE_USER],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.email,
    name: { formatted: row.display_name, givenName, ...(rest.length ? { familyName: rest.join(' ') } : {}) },
    displayName: row.display_name,
    ...(row.job_title ? { title: row.job_title } : {}),
    emails: [{ value: row.email, type: 'work', primary: true }],
    active: row.active,
    [ENTERPRISE_USER]: enterprise,
    meta: {
      resourceType: 'User',
      created: new Date(row.created_at).toISOString(),
      location: `${baseUrl}/scim/v2/Users/${row.id}`,
      version: `W/"${row.version}"`,
    },
  };
}

/** `attribute eq "value"` for userName, externalId or id: the filters Entra sends; anything else is refused. */
export function parseFilter(
  filter: string | undefined,
): { attribute: 'userName' | 'externalId' | 'id'; value: string } | null {
  if (filter === undefined || filter.trim() === '') return null;
  const m = /^\s*(\S+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  const attribute = m ? normalPath(m[1] as string) : '';
  const names = { username: 'userName', externalid: 'externalId', id: 'id' } as const;
  if (!m || !(attribute in names))
    throw new ScimError(
      400,
      'filter must be one of: userName eq "name@council.gov.uk", externalId eq "<directory id>", id eq "<id>"',
      'invalidFilter',
    );
  return { attribute: names[attribute as keyof typeof names], value: (m[2] as string).replace(/\\(.)/g, '$1') };
}
