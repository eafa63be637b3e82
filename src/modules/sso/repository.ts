// SQL for single sign-on (migration 2026_12_11_0200_sso): sign-in attempts, identities, tenants, role mappings,
// access requests and the id token kept with an OIDC session. Every council's row is read within its authority.
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';

// ---- Sign-in attempts (one-time, ten minutes, bound to the browser) ----

export async function insertLogin(
  db: Executor,
  row: { state_hash: string; browser_hash: string; nonce: string; code_verifier: string; expires_at: Date },
  at: Date,
) {
  // Old attempts go as new ones come: nothing else needs them once they have expired.
  await db
    .deleteFrom('oidc_logins')
    .where('expires_at', '<', new Date(at.getTime() - 86_400_000))
    .execute();
  await db.insertInto('oidc_logins').values(row).execute();
}

/** Marks the attempt used and returns it, or null when it is unknown or already used (a replayed state). */
export async function takeLogin(db: Executor, stateHash: string, at: Date) {
  return (
    (await db
      .updateTable('oidc_logins')
      .set({ used_at: at })
      .where('state_hash', '=', stateHash)
      .where('used_at', 'is', null)
      .returning(['browser_hash', 'nonce', 'code_verifier', 'expires_at'])
      .executeTakeFirst()) ?? null
  );
}

// ---- Tenants, identities, users ----

export async function tenantByTid(db: Executor, tid: string) {
  return (await db.selectFrom('sso_tenants').selectAll().where('tid', '=', tid).executeTakeFirst()) ?? null;
}

export async function identityUser(db: Executor, tid: string, oid: string) {
  return (
    (await db
      .selectFrom('user_identities as i')
      .innerJoin('users as u', 'u.id', 'i.user_id')
      .where('i.tid', '=', tid)
      .where('i.oid', '=', oid)
      .select(['i.id as identity_id', 'u.id', 'u.authority_id', 'u.display_name', 'u.roles', 'u.active'])
      .executeTakeFirst()) ?? null
  );
}

/**
 * An active user of the council provisioned from the directory with this object id (SCIM externalId = oid), that a
 * first sign-in may link to on its own: never an administrator, an outside organisation's account or one already
 * linked (those only an administrator links, by approving a request).
 */
export async function provisionedUser(db: Executor, authorityId: string, oid: string) {
  return (
    (await db
      .selectFrom('users as u')
      .leftJoin('services as s', 's.id', 'u.service_id')
      .where('u.authority_id', '=', authorityId)
      .where('u.external_id', '=', oid)
      .where('u.active', '=', true)
      .where((eb) => eb.not(eb(eb.val('admin'), '=', eb.fn.any('u.roles'))))
      .where((eb) => eb.or([eb('s.external', 'is', null), eb('s.external', '=', false)]))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('user_identities as i').whereRef('i.user_id', '=', 'u.id').select('i.id'))),
      )
      .select(['u.id', 'u.authority_id', 'u.display_name', 'u.roles', 'u.active'])
      .executeTakeFirst()) ?? null
  );
}

export async function insertIdentity(
  db: Executor,
  row: { authority_id: string; user_id: string; tid: string; oid: string },
) {
  await db.insertInto('user_identities').values(row).execute();
}

export async function touchIdentity(db: Executor, tid: string, oid: string, at: Date) {
  await db
    .updateTable('user_identities')
    .set({ last_sign_in_at: at })
    .where('tid', '=', tid)
    .where('oid', '=', oid)
    .execute();
}

export async function teamIdsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').where('user_id', '=', userId).select('team_id').execute();
  return rows.map((r) => r.team_id);
}

export async function setRoles(db: Executor, userId: string, roles: string[]) {
  await db.updateTable('users').set({ roles, version: sql`version + 1` }).where('id', '=', userId).execute();
}

/**
 * The Handover roles the given app roles map to for a tenant (unique, in a fixed order): a partner tenant's own
 * mappings only; the council's own tenants, the council-wide ones (no tenant) and any naming that tenant.
 */
export async function mappedRoles(
  db: Executor,
  tenant: { id: string; authority_id: string; service_id: string | null },
  appRoles: string[],
): Promise<string[]> {
  if (appRoles.length === 0) return [];
  const rows = await db
    .selectFrom('sso_role_mappings')
    .where('authority_id', '=', tenant.authority_id)
    .where((eb) =>
      tenant.service_id
        ? eb('tenant_id', '=', tenant.id)
        : eb.or([eb('tenant_id', 'is', null), eb('tenant_id', '=', tenant.id)]),
    )
    .where('app_role', 'in', appRoles)
    .select('role')
    .distinct()
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role);
}

// ---- Access requests ----

export async function latestRequest(db: Executor, tid: string, oid: string) {
  return (
    (await db
      .selectFrom('sso_access_requests')
      .where('tid', '=', tid)
      .where('oid', '=', oid)
      .select(['id', 'status'])
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

/** A new pending request, or the pending one brought up to date (name, email, app roles as the token now says). */
export async function upsertPendingRequest(
  db: Executor,
  row: {
    authority_id: string;
    tenant_id: string;
    tid: string;
    oid: string;
    display_name: string;
    email: string | null;
    app_roles: string[];
  },
): Promise<{ id: string; created: boolean }> {
  const r = await db
    .insertInto('sso_access_requests')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tid', 'oid'])
        // A literal, not a parameter: PostgreSQL matches the partial unique index by its predicate, and a generic
        // plan (after five runs of the same statement) cannot prove a parameter equals 'pending'.
        .where(sql<boolean>`status = 'pending'`)
        .doUpdateSet({ display_name: row.display_name, email: row.email, app_roles: row.app_roles }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: r.id, created: r.created };
}

export function requestList(db: Db, authorityId: string, status: 'pending' | 'decided') {
  let q = db
    .selectFrom('sso_access_requests as r')
    .leftJoin('sso_tenants as t', 't.id', 'r.tenant_id')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by')
    .where('r.authority_id', '=', authorityId)
    .select([
      'r.id',
      'r.display_name',
      'r.email',
      'r.app_roles',
      'r.status',
      'r.created_at',
      'r.decided_at',
      sql<string>`coalesce(t.label, 'A removed tenant')`.as('tenant_label'),
      'u.display_name as user_name',
      'd.display_name as decided_by_name',
    ]);
  q =
    status === 'pending'
      ? q.where('r.status', '=', 'pending').orderBy('r.created_at')
      : q.where('r.status', '!=', 'pending').orderBy('r.decided_at', 'desc').limit(20);
  return q.execute();
}

export async function requestById(db: Executor, authorityId: string, id: string, forUpdate = false) {
  let q = db
    .selectFrom('sso_access_requests as r')
    .innerJoin('sso_tenants as t', 't.id', 'r.tenant_id')
    .where('r.authority_id', '=', authorityId)
    .where('r.id', '=', id)
    .select([
      'r.id',
      'r.tid',
      'r.oid',
      'r.display_name',
      'r.email',
      'r.app_roles',
      'r.status',
      'r.created_at',
      't.label as tenant_label',
      't.service_id',
    ]);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function decideRequest(
  db: Executor,
  id: string,
  set: { status: 'approved' | 'refused'; decided_by: string; decided_at: Date; user_id: string | null },
) {
  await db.updateTable('sso_access_requests').set(set).where('id', '=', id).execute();
}

// ---- Tenants and role mappings (the administrator's lists) ----

export function tenantList(db: Executor, authorityId: string) {
  return db
    .selectFrom('sso_tenants as t')
    .leftJoin('services as s', 's.id', 't.service_id')
    .where('t.authority_id', '=', authorityId)
    .select(['t.id', 't.tid', 't.label', 't.service_id', 's.name as service_name', 't.created_at'])
    .orderBy('t.label')
    .execute();
}

export function mappingList(db: Executor, authorityId: string) {
  return db
    .selectFrom('sso_role_mappings as m')
    .leftJoin('sso_tenants as t', 't.id', 'm.tenant_id')
    .where('m.authority_id', '=', authorityId)
    .select(['m.id', 'm.tenant_id', 't.label as tenant_label', 'm.app_role', 'm.role', 'm.created_at'])
    .orderBy('t.label', (ob) => ob.nullsFirst())
    .orderBy('m.app_role')
    .orderBy('m.role')
    .execute();
}

// ---- The id token of an OIDC session ----

export async function insertOidcSession(
  db: Executor,
  row: { session_id_hash: string; authority_id: string; tid: string; id_token: string },
) {
  await db.insertInto('oidc_sessions').values(row).execute();
}

export async function oidcSession(db: Executor, sessionIdHash: string) {
  return (
    (await db
      .selectFrom('oidc_sessions')
      .where('session_id_hash', '=', sessionIdHash)
      .select(['id_token', 'tid'])
      .executeTakeFirst()) ?? null
  );
}
