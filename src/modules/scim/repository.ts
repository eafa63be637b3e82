// The SQL of provisioning: the council's SCIM secrets (hashes only), its department → team mapping, and the staff
// accounts as the directory sees them (always within the secret's council).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

// ---- secrets ----

export async function listSecrets(db: Executor, authorityId: string) {
  return db
    .selectFrom('scim_secrets as s')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .where('s.authority_id', '=', authorityId)
    .orderBy('s.revoked_at', (ob) => ob.desc().nullsFirst())
    .orderBy('s.created_at', 'desc')
    .select(['s.id', 's.label', 's.created_at', 's.last_used_at', 's.revoked_at', 'u.display_name as created_by_name'])
    .execute();
}

export async function insertSecret(
  db: Executor,
  row: { authority_id: string; label: string; secret_hash: string; created_by: string; created_at: Date },
) {
  const r = await db.insertInto('scim_secrets').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Revokes a live secret of the council; false when there is none with that id (or it was already revoked). */
export async function revokeSecret(db: Executor, authorityId: string, id: string, at: Date) {
  const res = await db
    .updateTable('scim_secrets')
    .set({ revoked_at: at })
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function findSecret(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('scim_secrets')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select(['id', 'label', 'revoked_at'])
    .executeTakeFirst();
}

/** The live secret with this hash, and its use recorded (to the minute, so each call does not write). */
export async function useSecret(db: Executor, secretHash: string, at: Date) {
  const row = await db
    .selectFrom('scim_secrets')
    .where('secret_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .select(['id', 'authority_id', 'last_used_at'])
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || at.getTime() - row.last_used_at.getTime() >= 60_000)
    await db.updateTable('scim_secrets').set({ last_used_at: at }).where('id', '=', row.id).execute();
  return { id: row.id, authorityId: row.authority_id };
}

// ---- department → team ----

export async function listMappings(db: Executor, authorityId: string) {
  return db
    .selectFrom('scim_department_teams as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .where('m.authority_id', '=', authorityId)
    .orderBy(sql`lower(m.department)`)
    .select(['m.id', 'm.department', 'm.team_id', 't.name as team_name'])
    .execute();
}

export async function findMapping(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('scim_department_teams')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select(['id', 'department', 'team_id'])
    .executeTakeFirst();
}

/** The team a department goes to, matched without regard to case; null when it has none. */
export async function teamOfDepartment(db: Executor, authorityId: string, department: string | null) {
  if (!department) return null;
  const row = await db
    .selectFrom('scim_department_teams')
    .where('authority_id', '=', authorityId)
    .where(sql`lower(department)`, '=', department.toLowerCase())
    .select('team_id')
    .executeTakeFirst();
  return row?.team_id ?? null;
}

/** Sets the department's team (one per department), replacing any earlier one. */
export async function saveMapping(db: Executor, authorityId: string, department: string, teamId: string) {
  await db
    .deleteFrom('scim_department_teams')
    .where('authority_id', '=', authorityId)
    .where(sql`lower(department)`, '=', department.toLowerCase())
    .execute();
  await db
    .insertInto('scim_department_teams')
    .values({ authority_id: authorityId, department, team_id: teamId })
    .execute();
}

export async function deleteMapping(db: Executor, authorityId: string, id: string) {
  const res = await db
    .deleteFrom('scim_department_teams')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

// ---- users as the directory sees them ----

const scimColumns = [
  'u.id',
  'u.email',
  'u.display_name',
  'u.job_title',
  'u.external_id',
  'u.department',
  'u.line_manager_id',
  'u.active',
  'u.created_at',
  'u.version',
] as const;

/**
 * Never the directory's (F2 of the review): an administrator, a setting's account, or anyone in an outside
 * organisation's service. Those are managed in Handover only, whatever the directory holds.
 */
const outOfReach = sql<boolean>`('admin' = ANY(u.roles) OR 'setting_user' = ANY(u.roles)
  OR EXISTS (SELECT 1 FROM services s WHERE s.id = u.service_id AND s.external))`;

/**
 * The accounts the directory manages: within reach, and either carrying a directory id (set by an earlier
 * provisioning or by an administrator's single sign-on approval), created by the directory, or existing staff an
 * administrator let it take over. Every other account is, to SCIM, not there.
 */
const managed = sql<boolean>`(NOT ${outOfReach} AND (u.external_id IS NOT NULL
  OR EXISTS (SELECT 1 FROM scim_managed_users m WHERE m.user_id = u.id)))`;

export type ScimRow = Awaited<ReturnType<typeof findScimUser>> & {};

export async function findScimUser(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('users as u')
    .where('u.authority_id', '=', authorityId)
    .where('u.id', '=', id)
    .where(managed)
    .select(scimColumns)
    .executeTakeFirst();
}

/** Records that the directory manages an account (it created it, or an administrator let it take it over). */
export async function markManaged(
  db: Executor,
  row: {
    user_id: string;
    authority_id: string;
    reason: 'created' | 'marked';
    marked_by: string | null;
    created_at: Date;
  },
) {
  await db
    .insertInto('scim_managed_users')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function managedReason(db: Executor, userId: string) {
  const row = await db
    .selectFrom('scim_managed_users')
    .where('user_id', '=', userId)
    .select('reason')
    .executeTakeFirst();
  return row?.reason ?? null;
}

/**
 * Existing staff an administrator may let the directory take over: within reach, with no directory id, no single
 * sign-on identity linked yet and not already managed. Their ids.
 */
export async function takeoverCandidates(db: Executor, authorityId: string) {
  const rows = await db
    .selectFrom('users as u')
    .where('u.authority_id', '=', authorityId)
    .where('u.active', '=', true)
    .where('u.external_id', 'is', null)
    .where(sql<boolean>`NOT ${outOfReach}`)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id)`)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM scim_managed_users m WHERE m.user_id = u.id)`)
    .select('u.id')
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a single sign-on identity is linked to the account (its directory id then never changes by SCIM). */
export async function hasIdentity(db: Executor, userId: string) {
  const row = await db.selectFrom('user_identities').where('user_id', '=', userId).select('user_id').executeTakeFirst();
  return Boolean(row);
}

/** Who closed the account last: 'scim' when the directory did, 'person' when anyone else did, null if never closed. */
export async function lastDeactivation(db: Executor, authorityId: string, userId: string) {
  const row = await db
    .selectFrom('audit_log')
    .where('authority_id', '=', authorityId)
    .where('entity', '=', 'user')
    .where('entity_id', '=', userId)
    .where('action', '=', 'deactivate')
    .orderBy('seq', 'desc')
    .select(sql<string | null>`detail->>'via'`.as('via'))
    .executeTakeFirst();
  if (!row) return null;
  return row.via === 'scim' ? 'scim' : 'person';
}

export type UserFilter = { attribute: 'userName' | 'externalId' | 'id'; value: string } | null;

/** One page of the council's accounts (oldest first, so pages are stable), and how many match in all. */
export async function listScimUsers(
  db: Executor,
  authorityId: string,
  filter: UserFilter,
  page: { offset: number; limit: number },
) {
  let q = db.selectFrom('users as u').where('u.authority_id', '=', authorityId).where(managed);
  if (filter?.attribute === 'userName') q = q.where('u.email', '=', filter.value.toLowerCase());
  if (filter?.attribute === 'externalId') q = q.where('u.external_id', '=', filter.value);
  if (filter?.attribute === 'id') q = q.where(sql`u.id::text`, '=', filter.value.toLowerCase());
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = page.limit
    ? await q
        .select(scimColumns)
        .orderBy('u.created_at')
        .orderBy('u.id')
        .offset(page.offset)
        .limit(page.limit)
        .execute()
    : [];
  return { total: Number(total.n), rows };
}

/** Whether the address signs anyone in, in any council (email is the sign-in name, unique everywhere). */
export async function emailHolder(db: Executor, email: string) {
  return db.selectFrom('users').where('email', '=', email).select(['id', 'authority_id']).executeTakeFirst();
}

export async function externalIdHolder(db: Executor, authorityId: string, externalId: string) {
  return db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('external_id', '=', externalId)
    .select('id')
    .executeTakeFirst();
}

/** A joiner: no roles (no case access) and no password (they sign in through the council's single sign-on). */
export async function insertProvisionedUser(
  db: Executor,
  row: {
    authority_id: string;
    email: string;
    display_name: string;
    job_title: string | null;
    external_id: string | null;
    department: string | null;
    line_manager_id: string | null;
    active: boolean;
    created_at: Date;
  },
) {
  const r = await db
    .insertInto('users')
    .values({ ...row, roles: [], password_hash: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** The directory's own fields, which the administrator's account form does not hold. */
export async function updateDirectoryFields(
  db: Executor,
  authorityId: string,
  id: string,
  set: { email?: string; external_id?: string | null; department?: string | null },
) {
  if (!Object.keys(set).length) return;
  await db.updateTable('users').set(set).where('authority_id', '=', authorityId).where('id', '=', id).execute();
}

export async function teamsOfUser(db: Executor, userId: string) {
  const rows = await db.selectFrom('team_members').where('user_id', '=', userId).select('team_id').execute();
  return rows.map((r) => r.team_id);
}

export async function addTeamMember(db: Executor, teamId: string, userId: string) {
  await db
    .insertInto('team_members')
    .values({ team_id: teamId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The active managers of a team (members holding a managing role), for a leaver with no line manager. */
export async function teamManagers(db: Executor, teamId: string, roles: readonly string[]) {
  const rows = await db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', '=', teamId)
    .where('u.active', '=', true)
    .where((eb) => eb.or(roles.map((r) => eb(eb.val(r), '=', eb.fn.any('u.roles')))))
    .select('u.id')
    .execute();
  return rows.map((r) => r.id);
}

export async function teamName(db: Executor, authorityId: string, teamId: string) {
  const row = await db
    .selectFrom('teams')
    .where('authority_id', '=', authorityId)
    .where('id', '=', teamId)
    .select('name')
    .executeTakeFirst();
  return row?.name ?? null;
}
