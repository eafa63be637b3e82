// All the SQL for authorities, services, localities, hubs, teams and users. Every query is scoped by
// authority_id: another council's rows are never read or written. No query returns password_hash.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ServiceInput, TeamInput } from './schemas.ts';

// ---- authority

export async function findAuthority(db: Executor, authorityId: string) {
  return db
    .selectFrom('authorities')
    .where('id', '=', authorityId)
    .select(['id', 'code', 'name', 'version'])
    .executeTakeFirst();
}

/**
 * The write of a versioned record (issue 15 item 8): only if it is still at the version the editor read, and the
 * version moves on. False when someone else saved it first (a concurrent save waits for theirs, then finds it moved).
 */
const written = (res: { numUpdatedRows: bigint }) => Number(res.numUpdatedRows) === 1;

export async function renameAuthority(db: Executor, authorityId: string, name: string, version: number) {
  return written(
    await db
      .updateTable('authorities')
      .set((eb) => ({ name, version: eb('version', '+', 1) }))
      .where('id', '=', authorityId)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

export async function countsOf(db: Executor, authorityId: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('services')
        .where('authority_id', '=', authorityId)
        .select(eb.fn.countAll<number>().as('n'))
        .as('services'),
      eb
        .selectFrom('localities')
        .where('authority_id', '=', authorityId)
        .select(eb.fn.countAll<number>().as('n'))
        .as('localities'),
      eb.selectFrom('hubs').where('authority_id', '=', authorityId).select(eb.fn.countAll<number>().as('n')).as('hubs'),
      eb
        .selectFrom('teams')
        .where('authority_id', '=', authorityId)
        .select(eb.fn.countAll<number>().as('n'))
        .as('teams'),
      eb
        .selectFrom('users')
        .where('authority_id', '=', authorityId)
        .where('active', '=', true)
        .select(eb.fn.countAll<number>().as('n'))
        .as('users'),
    ])
    .executeTakeFirstOrThrow();
  return {
    services: Number(row.services),
    localities: Number(row.localities),
    hubs: Number(row.hubs),
    teams: Number(row.teams),
    users: Number(row.users),
  };
}

// ---- services

const serviceColumns = ['id', 'name', 'kind', 'organisation', 'external', 'version'] as const;

export async function listServices(db: Executor, authorityId: string) {
  return db
    .selectFrom('services')
    .where('authority_id', '=', authorityId)
    .orderBy('name')
    .select(serviceColumns)
    .execute();
}

export async function findService(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('services')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select(serviceColumns)
    .executeTakeFirst();
}

export async function insertService(db: Executor, authorityId: string, input: ServiceInput) {
  const row = await db
    .insertInto('services')
    .values({ authority_id: authorityId, ...input })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateService(
  db: Executor,
  authorityId: string,
  id: string,
  input: ServiceInput,
  version: number,
) {
  return written(
    await db
      .updateTable('services')
      .set((eb) => ({ ...input, version: eb('version', '+', 1) }))
      .where('authority_id', '=', authorityId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

/** Names are unique in an authority; compared without case so "north team" cannot sit beside "North Team". */
export async function nameTaken(
  db: Executor,
  table: 'services' | 'localities' | 'hubs' | 'teams',
  authorityId: string,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db
    .selectFrom(table)
    .where('authority_id', '=', authorityId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return Boolean(await q.select('id').executeTakeFirst());
}

// ---- localities and hubs

export async function listLocalities(db: Executor, authorityId: string) {
  return db
    .selectFrom('localities')
    .where('authority_id', '=', authorityId)
    .orderBy('name')
    .select(['id', 'name'])
    .execute();
}

export async function findLocality(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('localities')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select(['id', 'name'])
    .executeTakeFirst();
}

export async function insertLocality(db: Executor, authorityId: string, name: string) {
  const row = await db
    .insertInto('localities')
    .values({ authority_id: authorityId, name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listHubs(db: Executor, authorityId: string) {
  return db
    .selectFrom('hubs as h')
    .innerJoin('localities as l', 'l.id', 'h.locality_id')
    .where('h.authority_id', '=', authorityId)
    .orderBy('h.name')
    .select(['h.id', 'h.name', 'h.locality_id', 'l.name as locality_name'])
    .execute();
}

export async function findHub(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('hubs')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select(['id', 'name', 'locality_id'])
    .executeTakeFirst();
}

export async function insertHub(db: Executor, authorityId: string, input: { name: string; locality_id: string }) {
  const row = await db
    .insertInto('hubs')
    .values({ authority_id: authorityId, ...input })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ---- teams

function teamsQuery(db: Executor, authorityId: string) {
  return db
    .selectFrom('teams as t')
    .innerJoin('services as s', 's.id', 't.service_id')
    .leftJoin('localities as l', 'l.id', 't.locality_id')
    .leftJoin('hubs as h', 'h.id', 't.hub_id')
    .where('t.authority_id', '=', authorityId)
    .select((eb) => [
      't.id',
      't.name',
      't.service_id',
      's.name as service_name',
      't.remit_min_age',
      't.remit_max_age',
      't.remit_case_types',
      't.locality_id',
      'l.name as locality_name',
      't.hub_id',
      'h.name as hub_name',
      't.version',
      eb
        .selectFrom('team_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .whereRef('m.team_id', '=', 't.id')
        .where('u.active', '=', true)
        .select(eb.fn.countAll<number>().as('n'))
        .as('member_count'),
    ]);
}

export async function listTeams(db: Executor, authorityId: string) {
  return teamsQuery(db, authorityId).orderBy('t.name').execute();
}

export async function findTeam(db: Executor, authorityId: string, id: string) {
  return teamsQuery(db, authorityId).where('t.id', '=', id).executeTakeFirst();
}

export async function insertTeam(db: Executor, authorityId: string, input: TeamInput) {
  const row = await db
    .insertInto('teams')
    .values({ authority_id: authorityId, ...input })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTeam(db: Executor, authorityId: string, id: string, input: TeamInput, version: number) {
  return written(
    await db
      .updateTable('teams')
      .set((eb) => ({ ...input, version: eb('version', '+', 1) }))
      .where('authority_id', '=', authorityId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

export async function teamMembers(db: Executor, teamId: string) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', '=', teamId)
    .orderBy('u.active', 'desc')
    .orderBy('u.display_name')
    .select(['u.id', 'u.display_name', 'u.job_title', 'u.email', 'u.roles', 'u.active'])
    .execute();
}

/** How many of these ids are teams of the authority (to refuse another council's teams). */
export async function countTeams(db: Executor, authorityId: string, ids: string[]) {
  if (!ids.length) return 0;
  const row = await db
    .selectFrom('teams')
    .where('authority_id', '=', authorityId)
    .where('id', 'in', ids)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- users

const userColumns = [
  'u.id',
  'u.email',
  'u.display_name',
  'u.job_title',
  'u.phone',
  'u.roles',
  'u.line_manager_id',
  'u.active',
  'u.version',
] as const;

export async function listUsers(db: Executor, authorityId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('users as m', 'm.id', 'u.line_manager_id')
    .where('u.authority_id', '=', authorityId)
    .orderBy('u.active', 'desc')
    .orderBy('u.display_name')
    .select([...userColumns, 'm.display_name as line_manager_name'])
    .execute();
}

export async function findUser(db: Executor, authorityId: string, id: string, opts: { lock?: boolean } = {}) {
  let q = db
    .selectFrom('users as u')
    .leftJoin('users as m', 'm.id', 'u.line_manager_id')
    .where('u.authority_id', '=', authorityId)
    .where('u.id', '=', id)
    .select([...userColumns, 'm.display_name as line_manager_name']);
  if (opts.lock) q = q.forUpdate('u');
  return q.executeTakeFirst();
}

/** Team memberships of the authority's users: user id → teams. */
export async function membershipsOf(db: Executor, authorityId: string, userIds?: string[]) {
  if (userIds && !userIds.length) return [];
  let q = db
    .selectFrom('team_members as tm')
    .innerJoin('teams as t', 't.id', 'tm.team_id')
    .where('t.authority_id', '=', authorityId);
  if (userIds) q = q.where('tm.user_id', 'in', userIds);
  return q.orderBy('t.name').select(['tm.user_id', 't.id', 't.name']).execute();
}

export async function activeUserOptions(db: Executor, authorityId: string) {
  return db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .orderBy('display_name')
    .select(['id', 'display_name', 'job_title'])
    .execute();
}

export async function emailTaken(db: Executor, email: string) {
  // Email is unique across every authority (it is the sign-in name), so this check is not scoped.
  return Boolean(await db.selectFrom('users').where('email', '=', email).select('id').executeTakeFirst());
}

export async function insertUser(
  db: Executor,
  row: {
    authority_id: string;
    email: string;
    display_name: string;
    job_title: string | null;
    phone: string | null;
    roles: string[];
    line_manager_id: string | null;
    password_hash: string;
  },
) {
  const r = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateUser(
  db: Executor,
  authorityId: string,
  id: string,
  set: {
    display_name?: string;
    job_title?: string | null;
    phone?: string | null;
    roles?: string[];
    line_manager_id?: string | null;
    active?: boolean;
  },
) {
  // The version moves on with every save, even one that changes only teams (the row is locked by the caller).
  await db
    .updateTable('users')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .execute();
}

export async function setTeamsOfUser(db: Executor, userId: string, teamIds: string[]) {
  await db.deleteFrom('team_members').where('user_id', '=', userId).execute();
  if (teamIds.length)
    await db
      .insertInto('team_members')
      .values(teamIds.map((team_id) => ({ team_id, user_id: userId })))
      .execute();
}

/**
 * The chain of line managers above `startId` (startId first), up to a cycle or the top. Used to refuse
 * a change that would make someone their own manager's manager.
 */
export async function managerChain(db: Executor, authorityId: string, startId: string): Promise<string[]> {
  const res = await sql<{ id: string }>`
    WITH RECURSIVE chain(id, line_manager_id, depth, path) AS (
      SELECT id, line_manager_id, 0, ARRAY[id] FROM users WHERE id = ${startId} AND authority_id = ${authorityId}
      UNION ALL
      SELECT u.id, u.line_manager_id, c.depth + 1, c.path || u.id
      FROM users u JOIN chain c ON u.id = c.line_manager_id
      WHERE u.authority_id = ${authorityId} AND NOT u.id = ANY(c.path) AND c.depth < 1000
    )
    SELECT id FROM chain ORDER BY depth`.execute(db);
  return res.rows.map((r) => r.id);
}

/** Line-manager changes in one authority run one at a time, so two concurrent changes cannot make a loop. */
export async function lockLineManagement(db: Executor, authorityId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`line-management:${authorityId}`}))`.execute(db);
}

export async function revokeTokensOfUser(db: Executor, userId: string, at: Date) {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function countSessionsOfUser(db: Executor, userId: string) {
  const row = await db
    .selectFrom('sessions')
    .where('user_id', '=', userId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
