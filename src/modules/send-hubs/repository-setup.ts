// SEND hubs (issue 13 part 1): the SQL for hubs and localities in use, hub services, settings and their accounts.
// Every query is scoped by authority_id: another council's rows are never read or written.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { HubServiceKind, SettingPosition } from '../../db/schema-send-hubs.ts';
import type { SetupHubInput, SetupLocalityInput, SetupSettingInput } from './schemas-setup.ts';

const written = (res: { numUpdatedRows: bigint }) => Number(res.numUpdatedRows) === 1;

// ---- hubs

function hubsQuery(db: Executor, authorityId: string) {
  return db
    .selectFrom('hubs as h')
    .innerJoin('localities as l', 'l.id', 'h.locality_id')
    .leftJoin('users as m', 'm.id', 'h.manager_user_id')
    .leftJoin('teams as t', 't.id', 'h.team_id')
    .where('h.authority_id', '=', authorityId)
    .select((eb) => [
      'h.id',
      'h.name',
      'h.locality_id',
      'l.name as locality_name',
      'h.manager_user_id',
      'm.display_name as manager_name',
      'h.team_id',
      't.name as team_name',
      'h.first_response_working_days',
      'h.support_start_working_days',
      'h.triage_weekday',
      'h.version',
      eb
        .selectFrom('settings as s')
        .whereRef('s.hub_id', '=', 'h.id')
        .where('s.active', '=', true)
        .select(eb.fn.countAll<string>().as('n'))
        .as('settings_count'),
    ]);
}

export async function listHubs(db: Executor, authorityId: string) {
  return hubsQuery(db, authorityId).orderBy('l.name').orderBy('h.name').execute();
}

export async function findHub(db: Executor, authorityId: string, id: string) {
  return hubsQuery(db, authorityId).where('h.id', '=', id).executeTakeFirst();
}

export async function updateHub(db: Executor, authorityId: string, id: string, input: SetupHubInput, version: number) {
  const { version: _sent, ...set } = input;
  return written(
    await db
      .updateTable('hubs')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('authority_id', '=', authorityId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

export async function hubServices(db: Executor, hubId: string) {
  return db
    .selectFrom('hub_services')
    .where('hub_id', '=', hubId)
    .orderBy('active', 'desc')
    .orderBy('name')
    .select(['id', 'name', 'kind', 'active'])
    .execute();
}

export async function serviceNameTaken(db: Executor, hubId: string, name: string) {
  return Boolean(
    await db
      .selectFrom('hub_services')
      .where('hub_id', '=', hubId)
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .select('id')
      .executeTakeFirst(),
  );
}

export async function insertHubService(
  db: Executor,
  authorityId: string,
  hubId: string,
  name: string,
  kind: HubServiceKind,
) {
  const row = await db
    .insertInto('hub_services')
    .values({ authority_id: authorityId, hub_id: hubId, name, kind })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setHubServiceActive(db: Executor, hubId: string, id: string, active: boolean) {
  return written(
    await db
      .updateTable('hub_services')
      .set({ active })
      .where('hub_id', '=', hubId)
      .where('id', '=', id)
      .where('active', '=', !active)
      .executeTakeFirst(),
  );
}

export async function updateHubService(
  db: Executor,
  hubId: string,
  id: string,
  set: { name: string; kind: HubServiceKind; active: boolean },
) {
  await db.updateTable('hub_services').set(set).where('hub_id', '=', hubId).where('id', '=', id).execute();
}

// ---- localities

export async function findLocality(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('localities as l')
    .leftJoin('users as m', 'm.id', 'l.manager_user_id')
    .leftJoin('teams as t', 't.id', 'l.team_id')
    .where('l.authority_id', '=', authorityId)
    .where('l.id', '=', id)
    .select([
      'l.id',
      'l.name',
      'l.manager_user_id',
      'm.display_name as manager_name',
      'l.team_id',
      't.name as team_name',
      'l.version',
    ])
    .executeTakeFirst();
}

export async function updateLocality(
  db: Executor,
  authorityId: string,
  id: string,
  input: SetupLocalityInput,
  version: number,
) {
  return written(
    await db
      .updateTable('localities')
      .set((eb) => ({ manager_user_id: input.manager_user_id, team_id: input.team_id, version: eb('version', '+', 1) }))
      .where('authority_id', '=', authorityId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

// ---- people and teams to choose from

/** Active users of this council holding one of the roles (the hub or locality managers to choose from). */
export async function usersWithRoles(db: Executor, authorityId: string, roles: string[]) {
  return db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .where(sql<boolean>`roles && ${sql.val(roles)}::text[]`)
    .orderBy('display_name')
    .select(['id', 'display_name', 'job_title', 'email'])
    .execute();
}

export async function teamsOf(db: Executor, authorityId: string) {
  return db
    .selectFrom('teams')
    .where('authority_id', '=', authorityId)
    .orderBy('name')
    .select(['id', 'name', 'locality_id', 'hub_id'])
    .execute();
}

// ---- settings

function settingsQuery(db: Executor, authorityId: string) {
  return db
    .selectFrom('settings as s')
    .innerJoin('hubs as h', 'h.id', 's.hub_id')
    .where('s.authority_id', '=', authorityId)
    .select((eb) => [
      's.id',
      's.name',
      's.kind',
      's.urn',
      's.hub_id',
      'h.name as hub_name',
      's.inbox_email',
      's.active',
      's.version',
      eb
        .selectFrom('setting_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .whereRef('m.setting_id', '=', 's.id')
        .where('u.active', '=', true)
        .select(eb.fn.countAll<string>().as('n'))
        .as('accounts_count'),
    ]);
}

export async function listSettings(db: Executor, authorityId: string, hubId: string | null) {
  let q = settingsQuery(db, authorityId);
  if (hubId) q = q.where('s.hub_id', '=', hubId);
  return q.orderBy('s.name').execute();
}

export async function findSetting(db: Executor, authorityId: string, id: string) {
  return settingsQuery(db, authorityId).where('s.id', '=', id).executeTakeFirst();
}

export async function settingNameTaken(db: Executor, authorityId: string, name: string, exceptId?: string) {
  let q = db
    .selectFrom('settings')
    .where('authority_id', '=', authorityId)
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return Boolean(await q.select('id').executeTakeFirst());
}

export async function insertSetting(db: Executor, authorityId: string, input: SetupSettingInput) {
  const row = await db
    .insertInto('settings')
    .values({ authority_id: authorityId, ...input })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSetting(
  db: Executor,
  authorityId: string,
  id: string,
  input: SetupSettingInput,
  version: number,
) {
  return written(
    await db
      .updateTable('settings')
      .set((eb) => ({ ...input, version: eb('version', '+', 1) }))
      .where('authority_id', '=', authorityId)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
}

export async function settingMembers(db: Executor, settingId: string) {
  return db
    .selectFrom('setting_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.setting_id', '=', settingId)
    .orderBy('u.display_name')
    .select([
      'u.id',
      'u.display_name',
      'u.email',
      'u.active',
      'm.position',
      sql<boolean>`u.password_hash IS NULL`.as('invited'),
    ])
    .execute();
}

/** Active setting accounts of this council that are not yet members of the setting (to link one). */
export async function linkableAccounts(db: Executor, authorityId: string, settingId: string) {
  return db
    .selectFrom('users as u')
    .where('u.authority_id', '=', authorityId)
    .where('u.active', '=', true)
    .where(sql<boolean>`'setting_user' = ANY(u.roles)`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('setting_members as m')
            .whereRef('m.user_id', '=', 'u.id')
            .where('m.setting_id', '=', settingId)
            .select(sql`1`.as('one')),
        ),
      ),
    )
    .orderBy('u.display_name')
    .select(['u.id', 'u.display_name', 'u.email'])
    .execute();
}

export async function findUserByEmail(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .select(['id', 'authority_id', 'roles', 'active'])
    .executeTakeFirst();
}

export async function findSettingAccount(db: Executor, authorityId: string, userId: string) {
  return db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('id', '=', userId)
    .where('active', '=', true)
    .where(sql<boolean>`'setting_user' = ANY(roles)`)
    .select(['id', 'display_name'])
    .executeTakeFirst();
}

export async function insertSettingAccountUser(
  db: Executor,
  row: { authority_id: string; email: string; display_name: string; job_title: string },
) {
  const r = await db
    .insertInto('users')
    .values({ ...row, roles: ['setting_user'], password_hash: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function insertInvite(
  db: Executor,
  row: { authority_id: string; user_id: string; token_hash: string; expires_at: Date; created_by: string },
) {
  await db.insertInto('user_invites').values(row).execute();
}

export async function isMember(db: Executor, settingId: string, userId: string) {
  return Boolean(
    await db
      .selectFrom('setting_members')
      .where('setting_id', '=', settingId)
      .where('user_id', '=', userId)
      .select('user_id')
      .executeTakeFirst(),
  );
}

export async function insertMember(db: Executor, settingId: string, userId: string, position: SettingPosition) {
  await db.insertInto('setting_members').values({ setting_id: settingId, user_id: userId, position }).execute();
}

export async function deleteMember(db: Executor, settingId: string, userId: string) {
  const res = await db
    .deleteFrom('setting_members')
    .where('setting_id', '=', settingId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}
