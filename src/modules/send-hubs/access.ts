// Who reaches what in the SEND hubs (issue 13).
// - Hub staff (send-hub:work) work the hubs they belong to: a hub's manager and the members of its team; a locality's
//   manager and the members of its locality team reach both of the locality's hubs. Holders of send-hub:manage
//   with none of these (a SEND manager with it, say) reach none. A hub's requests, triage and calls are read through
//   this scope, each read of a named young person logged; the young person's wider record still needs a
//   relationship (the Navigator has one through the open step they own).
// - A setting's organisation account (setting_user, support-request:submit) reaches its own setting's requests and
//   their status only (the settingRequest policy: registered in src/services.ts), never a record.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';

/** The ids of the hubs this member of staff works in (see above). */
export async function hubIdsOf(db: Executor, user: Pick<AuthUser, 'id' | 'authorityId'>): Promise<string[]> {
  const rows = await db
    .selectFrom('hubs as h')
    .innerJoin('localities as l', 'l.id', 'h.locality_id')
    .where('h.authority_id', '=', user.authorityId)
    .where((eb) =>
      eb.or([
        eb('h.manager_user_id', '=', user.id),
        eb('l.manager_user_id', '=', user.id),
        eb.exists(
          eb
            .selectFrom('team_members as tm')
            .whereRef('tm.team_id', '=', 'h.team_id')
            .where('tm.user_id', '=', user.id)
            .select(sql`1`.as('one')),
        ),
        eb.exists(
          eb
            .selectFrom('team_members as tm')
            .whereRef('tm.team_id', '=', 'l.team_id')
            .where('tm.user_id', '=', user.id)
            .select(sql`1`.as('one')),
        ),
      ]),
    )
    .select('h.id')
    .orderBy('h.name')
    .execute();
  return rows.map((r) => r.id);
}

/** The hub, if this member of staff works in it; otherwise not found (a hub they do not work in is not theirs). */
export async function requireHub(db: Executor, user: AuthUser, hubId: string) {
  const ids = await hubIdsOf(db, user);
  if (!ids.includes(hubId)) throw new NotFound('No hub with that reference.');
  const hub = await db
    .selectFrom('hubs as h')
    .innerJoin('localities as l', 'l.id', 'h.locality_id')
    .where('h.id', '=', hubId)
    .select([
      'h.id',
      'h.name',
      'h.locality_id',
      'l.name as locality_name',
      'h.manager_user_id',
      'h.team_id',
      'l.manager_user_id as locality_manager_id',
      'l.team_id as locality_team_id',
      'h.first_response_working_days',
      'h.support_start_working_days',
      'h.triage_weekday',
      'h.version',
    ])
    .executeTakeFirstOrThrow();
  return hub;
}
export type HubRow = Awaited<ReturnType<typeof requireHub>>;

/** The settings whose accounts this user holds. */
export async function settingIdsOf(db: Executor, user: Pick<AuthUser, 'id' | 'authorityId'>): Promise<string[]> {
  const rows = await db
    .selectFrom('setting_members as m')
    .innerJoin('settings as s', 's.id', 'm.setting_id')
    .where('m.user_id', '=', user.id)
    .where('s.authority_id', '=', user.authorityId)
    .where('s.active', '=', true)
    .select('s.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The settingRequest addressee rule: the request, if the user holds an account of its setting. */
export async function findSettingAddressee(
  db: Executor,
  user: { id: string; authorityId: string },
  requestId: string,
): Promise<{ settingId: string } | null> {
  const row = await db
    .selectFrom('support_requests as r')
    .innerJoin('setting_members as m', 'm.setting_id', 'r.setting_id')
    .innerJoin('settings as s', 's.id', 'r.setting_id')
    .where('r.id', '=', requestId)
    .where('r.authority_id', '=', user.authorityId)
    .where('m.user_id', '=', user.id)
    .where('s.active', '=', true)
    .select('r.setting_id')
    .executeTakeFirst();
  return row ? { settingId: row.setting_id } : null;
}
