// SEND hubs (issue 13 part 7): the telephone advice log's SQL. Every read is of one hub (the caller has checked the
// hub is the user's); nothing here reads a young person's name except `callPerson`, which the service shows only to
// someone who may open the record.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { CallerType, CallTopic } from '../../db/schema-send-hubs.ts';

export interface CallFilter {
  /** YYYY-MM, or null for every month. */
  month: string | null;
  topic: CallTopic | null;
  caller_type: CallerType | null;
}

/** The first and last day of a YYYY-MM month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

function filtered(db: Executor, hubId: string, f: CallFilter) {
  let q = db.selectFrom('advice_calls as c').where('c.hub_id', '=', hubId);
  if (f.month) {
    const { from, to } = monthRange(f.month);
    q = q.where('c.called_on', '>=', from).where('c.called_on', '<=', to);
  }
  if (f.topic) q = q.where('c.topic', '=', f.topic);
  if (f.caller_type) q = q.where('c.caller_type', '=', f.caller_type);
  return q;
}

/** The log, newest first (at most `limit`), with the setting and follow-up owner's names; no young person's name. */
export function listCalls(db: Executor, hubId: string, f: CallFilter, limit: number) {
  return filtered(db, hubId, f)
    .leftJoin('settings as s', 's.id', 'c.setting_id')
    .leftJoin('users as o', 'o.id', 'c.follow_up_owner_id')
    .orderBy('c.called_on', 'desc')
    .orderBy('c.created_at', 'desc')
    .limit(limit)
    .select([
      'c.id',
      'c.called_on',
      'c.caller_type',
      'c.topic',
      'c.setting_id',
      's.name as setting_name',
      'c.signposted_to',
      'c.follow_up',
      'c.follow_up_due',
      'c.follow_up_done_on',
      'o.display_name as follow_up_owner_name',
      sql<boolean>`c.person_id IS NOT NULL`.as('linked'),
    ])
    .execute();
}

/** How many calls match the filter, by topic and by caller type. */
export async function countCalls(db: Executor, hubId: string, f: CallFilter) {
  const [byTopic, byCaller] = await Promise.all([
    filtered(db, hubId, f)
      .groupBy('c.topic')
      .select(['c.topic as key', (eb) => eb.fn.countAll<string>().as('n')])
      .execute(),
    filtered(db, hubId, f)
      .groupBy('c.caller_type')
      .select(['c.caller_type as key', (eb) => eb.fn.countAll<string>().as('n')])
      .execute(),
  ]);
  const toMap = (rows: { key: string; n: string }[]) => new Map(rows.map((r) => [r.key, Number(r.n)]));
  return { byTopic: toMap(byTopic), byCaller: toMap(byCaller) };
}

/** One call of the hub (undefined when it is not this hub's). */
export function findCall(db: Executor, hubId: string, callId: string, lock = false) {
  let q = db
    .selectFrom('advice_calls as c')
    .leftJoin('settings as s', 's.id', 'c.setting_id')
    .leftJoin('users as o', 'o.id', 'c.follow_up_owner_id')
    .innerJoin('users as r', 'r.id', 'c.recorded_by')
    .where('c.hub_id', '=', hubId)
    .where('c.id', '=', callId)
    .selectAll('c')
    .select(['s.name as setting_name', 'o.display_name as follow_up_owner_name', 'r.display_name as recorded_by_name']);
  if (lock) q = q.forUpdate('c');
  return q.executeTakeFirst();
}
export type CallRow = NonNullable<Awaited<ReturnType<typeof findCall>>>;

/** The linked young person's name and case number (shown only to someone who may open the record). */
export function callPerson(db: Executor, personId: string) {
  return db
    .selectFrom('people')
    .where('id', '=', personId)
    .select(['id', 'given_name', 'family_name', 'case_number'])
    .executeTakeFirstOrThrow();
}

export function insertCall(
  db: Executor,
  row: {
    authority_id: string;
    hub_id: string;
    called_on: string;
    caller_type: CallerType;
    setting_id: string | null;
    topic: CallTopic;
    advice: string;
    signposted_to: string | null;
    follow_up: string | null;
    follow_up_owner_id: string | null;
    follow_up_due: string | null;
    person_id: string | null;
    recorded_by: string;
  },
) {
  return db
    .insertInto('advice_calls')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => r.id);
}

export async function markFollowUpDone(db: Executor, callId: string, on: string) {
  await db.updateTable('advice_calls').set({ follow_up_done_on: on }).where('id', '=', callId).execute();
}

/** The hub's settings, by name (what the call form offers). */
export function hubSettings(db: Executor, hubId: string) {
  return db
    .selectFrom('settings')
    .where('hub_id', '=', hubId)
    .where('active', '=', true)
    .orderBy('name')
    .select(['id', 'name'])
    .execute();
}

/** The hub's staff, who may own a call's follow-up: its manager and team, and its locality's manager and team. */
export function hubStaff(db: Executor, hubId: string) {
  return db
    .selectFrom('users as u')
    .where('u.active', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('hubs as h')
          .innerJoin('localities as l', 'l.id', 'h.locality_id')
          .where('h.id', '=', hubId)
          .whereRef('h.authority_id', '=', 'u.authority_id')
          .where((w) =>
            w.or([
              w('h.manager_user_id', '=', w.ref('u.id')),
              w('l.manager_user_id', '=', w.ref('u.id')),
              w.exists(
                w
                  .selectFrom('team_members as tm')
                  .whereRef('tm.user_id', '=', 'u.id')
                  .where((t) =>
                    t.or([t('tm.team_id', '=', t.ref('h.team_id')), t('tm.team_id', '=', t.ref('l.team_id'))]),
                  )
                  .select(sql`1`.as('one')),
              ),
            ]),
          )
          .select(sql`1`.as('one')),
      ),
    )
    .orderBy('u.display_name')
    .select(['u.id', 'u.display_name', 'u.job_title'])
    .execute();
}

/** Follow-ups of calls the viewer owns that are not done, soonest due first (My work). */
export function openFollowUpsOf(db: Executor, authorityId: string, userId: string, limit: number) {
  return db
    .selectFrom('advice_calls as c')
    .innerJoin('hubs as h', 'h.id', 'c.hub_id')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .where('c.authority_id', '=', authorityId)
    .where('c.follow_up_owner_id', '=', userId)
    .where('c.follow_up', 'is not', null)
    .where('c.follow_up_done_on', 'is', null)
    .orderBy('c.follow_up_due')
    .limit(limit)
    .select(['c.id', 'c.hub_id', 'h.name as hub_name', 'c.topic', 'c.follow_up_due', 'c.person_id', 'p.case_number'])
    .execute();
}
