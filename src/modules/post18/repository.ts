// The SQL of joint transition plans, and nothing else.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { TransitionPlanTable } from '../../db/schema.ts';

export { personHeader } from '../kit/person-header.ts';

export interface Candidate {
  person_id: string;
  authority_id: string;
  date_of_birth: string;
  /** The latest screening (null: never screened). */
  instrument_id: string | null;
  instrument_version: number | null;
  rank: number | null;
  /** The screening's protocol instance ended `closed` (no further concern). */
  closed: boolean;
  involvement_id: string | null;
  worker_id: string | null;
}

/**
 * Young people born in (bornAfter, bornBy] (under 18, at or over the start age) with no transition plan, each with
 * their latest screening if any and their children's involvement (open, allocated; a children's service first).
 */
export async function candidates(db: Executor, bornBy: string, bornAfter: string, personId?: string) {
  const one = personId ? sql`AND p.id = ${personId}` : sql``;
  const r = await sql<Candidate>`
    SELECT p.id AS person_id, p.authority_id, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
           s.instrument_id, s.instrument_version, coalesce(s.confirmed_rank, s.proposed_rank) AS rank,
           coalesce(pi.status = 'ended' AND pi.result = 'closed', false) AS closed,
           i.id AS involvement_id, i.worker_id
      FROM people p
      LEFT JOIN LATERAL (SELECT * FROM screenings x WHERE x.person_id = p.id
                     ORDER BY x.screened_on DESC, x.created_at DESC LIMIT 1) s ON true
      LEFT JOIN protocol_instances pi ON pi.id = s.protocol_instance_id
      LEFT JOIN LATERAL (SELECT v.id, v.worker_id FROM involvements v
                           JOIN teams t ON t.id = v.team_id JOIN services sv ON sv.id = t.service_id
                          WHERE v.person_id = p.id AND v.end_date IS NULL
                          ORDER BY (sv.kind = 'childrens') DESC, (v.worker_id IS NOT NULL) DESC, v.start_date
                          LIMIT 1) i ON true
     WHERE p.date_of_birth <= ${bornBy} AND p.date_of_birth > ${bornAfter} ${one}
       AND NOT EXISTS (SELECT 1 FROM transition_plans tp WHERE tp.person_id = p.id)
     ORDER BY p.date_of_birth
     LIMIT 5000`.execute(db);
  return r.rows;
}

type NewPlan = Pick<
  TransitionPlanTable,
  'authority_id' | 'person_id' | 'protocol_instance_id' | 'started_by' | 'started_how' | 'pre18_owner_id'
>;

export async function insertPlan(db: Executor, v: NewPlan): Promise<string> {
  const row = await db
    .insertInto('transition_plans')
    .values(v)
    .onConflict((oc) => oc.column('person_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? '';
}

/** The plan on a record, with the owners' names. */
export function findPlan(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('transition_plans as tp')
    .leftJoin('users as pre', 'pre.id', 'tp.pre18_owner_id')
    .leftJoin('users as post', 'post.id', 'tp.post18_owner_id')
    .leftJoin('users as dec', 'dec.id', 'tp.no_owner_decided_by')
    .where('tp.authority_id', '=', authorityId)
    .where('tp.person_id', '=', personId)
    .selectAll('tp')
    .select(['pre.display_name as pre18_owner_name', 'post.display_name as post18_owner_name'])
    .select('dec.display_name as no_owner_decided_by_name')
    .executeTakeFirst();
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

/** Locks the plan for a change; undefined when there is none. */
export function lockPlan(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('transition_plans')
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

type Change = Partial<Omit<TransitionPlanTable, 'id' | 'authority_id' | 'person_id' | 'version' | 'created_at'>>;

/** Writes a change if the plan is still at `version`; false when someone else changed it first. */
export async function updatePlan(db: Executor, id: string, version: number, change: Change): Promise<boolean> {
  const r = await db
    .updateTable('transition_plans')
    .set((eb) => ({ ...change, updated_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** An active user in the council (an owner chosen on a form or through the API). */
export function activeUser(db: Executor, authorityId: string, userId: string) {
  return db
    .selectFrom('users')
    .where('id', '=', userId)
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .select(['id', 'display_name', 'service_id'])
    .executeTakeFirst();
}

/** The open involvement being ended, with its service kind. */
export function involvementKind(db: Executor, involvementId: string) {
  return db
    .selectFrom('involvements as v')
    .innerJoin('teams as t', 't.id', 'v.team_id')
    .innerJoin('services as s', 's.id', 't.service_id')
    .where('v.id', '=', involvementId)
    .select(['v.person_id', 's.kind'])
    .executeTakeFirst();
}

/** The service a team named like `name` belongs to, for the owner picker (the Exploitation Hub, say). */
export function serviceNamed(db: Executor, authorityId: string, pattern: string) {
  return db
    .selectFrom('services')
    .where('authority_id', '=', authorityId)
    .where('name', 'ilike', pattern)
    .select('id')
    .executeTakeFirst();
}
