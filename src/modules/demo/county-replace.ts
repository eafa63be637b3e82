// --replace: deleting a demo authority, and only a demo authority, before building it again.
import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';
import { insertAudit } from '../audit/repository.ts';

/** The audit entity that marks an authority as built by a demo builder, and so safe to replace. */
export const DEMO_ENTITY = 'demo_organisation';

/** An authority with this code already exists and `replace` was not asked for. */
export class CountyExists extends Error {}
/** The authority with this code was not made by the demo builder, so it is never deleted. */
export class CountyNotDemo extends Error {}
/** The old demo could not be deleted (a table that refers to it and cannot be emptied); nothing was changed. */
export class CountyNotDeleted extends Error {}

export async function findAuthority(db: Db | Tx, code: string) {
  return db.selectFrom('authorities').where('code', '=', code).select(['id', 'name']).executeTakeFirst();
}

/** Deleted in a fixed order by deleteDemoAuthority; any other table with an authority_id is found at run time. */
const CORE_TABLES = new Set([
  'people',
  'person_statuses',
  'contacts',
  'involvements',
  'events',
  'break_glass',
  'alerts',
  'users',
  'teams',
  'hubs',
  'localities',
  'services',
]);

/**
 * Deletes a demo authority and everything in it. Refuses any authority the demo builder did not create.
 * The audit and access logs are append-only and have no foreign keys: their rows about the demo stay.
 */
export async function deleteDemoAuthority(tx: Tx, authorityId: string, code: string): Promise<void> {
  const made = await tx
    .selectFrom('audit_log')
    .where('entity', '=', DEMO_ENTITY)
    .where('action', '=', 'create')
    .where('entity_id', '=', authorityId)
    .select('seq')
    .executeTakeFirst();
  if (!made) {
    throw new CountyNotDemo(
      `Authority ${code} was not created as demo data, so it will not be deleted. Use another code for the demo.`,
    );
  }
  // Tables added by other capabilities (plans, protocols, transfers, …) first, found in the catalogue: every table
  // with an authority_id that references authorities. Their foreign keys among themselves decide the order, so
  // retry until all are empty; a delete refused by a foreign key is undone to a savepoint and tried again later.
  const owned = await sql<{ name: string }>`
    SELECT DISTINCT c.conrelid::regclass::text AS name
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'f' AND c.confrelid = 'authorities'::regclass AND a.attname = 'authority_id'`.execute(tx);
  let pending = owned.rows.map((r) => r.name).filter((t) => !CORE_TABLES.has(t));
  while (pending.length) {
    const refused: string[] = [];
    let last: unknown = null;
    for (const table of pending) {
      await sql`SAVEPOINT demo_delete`.execute(tx);
      try {
        // The name comes from the catalogue, already quoted where needed.
        await sql`DELETE FROM ${sql.raw(table)} WHERE authority_id = ${authorityId}`.execute(tx);
        await sql`RELEASE SAVEPOINT demo_delete`.execute(tx);
      } catch (e) {
        if ((e as { code?: string }).code !== '23503') throw e;
        await sql`ROLLBACK TO SAVEPOINT demo_delete`.execute(tx);
        refused.push(table);
        last = e;
      }
    }
    if (refused.length === pending.length) throw last;
    pending = refused;
  }
  // Then the core: people cascade to statuses, contacts, involvements, events and break-glass grants; users to
  // team memberships, sessions and API tokens. Deleting the users is the slow step (about half a minute for the
  // county): each one is checked against events.actor_id and involvements.worker_id, which have no index for it.
  await tx.deleteFrom('people').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('alerts').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('break_glass').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('involvements').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('events').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('users').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('teams').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('hubs').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('localities').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('services').where('authority_id', '=', authorityId).execute();
  await tx.deleteFrom('authorities').where('id', '=', authorityId).execute();
  await insertAudit(tx, {
    authorityId,
    actorId: null,
    action: 'delete',
    entity: DEMO_ENTITY,
    entityId: authorityId,
    detail: { code, scale: 'county' },
  });
}
