// The SQL of the consultation forums, and nothing else. Who may see which consultation is decided here in one place
// (`scoped`): an unnamed one by its booker, the owners of its follow-ups and the forum; a named one by those with a
// relationship to the young person (relationshipConditions, the one rule of modules/access) and the forum. A row
// carries the young person's name only when the viewer has a relationship with them.
import type { ExpressionBuilder, Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ConsultationFollowUpTable, ConsultationTable, Database, PersonTable } from '../../db/schema.ts';
import { relationshipConditions, type Viewer } from '../access/repository.ts';

export async function insertConsultation(db: Executor, v: Insertable<ConsultationTable>): Promise<string> {
  return (await db.insertInto('consultations').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertFollowUp(db: Executor, v: Insertable<ConsultationFollowUpTable>): Promise<string> {
  return (await db.insertInto('consultation_follow_ups').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

type Scope = ExpressionBuilder<Database & { c: ConsultationTable; p: PersonTable }, 'c' | 'p'>;

// biome-ignore lint/suspicious/noExplicitAny: the builder has the join's scope; the rule reads only `p`
const related = (eb: Scope, viewer: Viewer) => eb.or(relationshipConditions(eb as any, viewer));

/** Which consultations the viewer may see (the forum: every one in the council). */
function visibleTo(eb: Scope, viewer: Viewer, forum: boolean) {
  if (forum) return eb.and([]);
  return eb.or([
    eb.and([
      eb('c.person_id', 'is', null),
      eb.or([
        eb('c.booked_by', '=', viewer.id),
        eb.exists(
          eb
            .selectFrom('consultation_follow_ups as o')
            .whereRef('o.consultation_id', '=', 'c.id')
            .where('o.owner_user_id', '=', viewer.id)
            .select('o.id'),
        ),
      ]),
    ]),
    eb.and([eb('c.person_id', 'is not', null), related(eb, viewer)]),
  ]);
}

function scoped(db: Executor, viewer: Viewer, forum: boolean) {
  return db
    .selectFrom('consultations as c')
    .innerJoin('users as b', 'b.id', 'c.booked_by')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .where('c.authority_id', '=', viewer.authorityId)
    .where((eb) => visibleTo(eb as Scope, viewer, forum));
}

interface Raw {
  person_id: string | null;
  given_name: string | null;
  family_name: string | null;
  case_number: string | null;
  related: unknown;
}
/** The young person as the viewer may see them: named (with a relationship), "someone you do not work with", or
 *  nobody (an unnamed consultation). */
export type Named = { kind: 'unnamed' } | { kind: 'other' } | { kind: 'known'; name: string; caseNumber: string };
function named(r: Raw): Named {
  if (!r.person_id) return { kind: 'unnamed' };
  if (!r.related) return { kind: 'other' };
  return { kind: 'known', name: `${r.given_name} ${r.family_name}`, caseNumber: r.case_number ?? '' };
}
function strip<R extends Raw>(r: R) {
  const { given_name: _g, family_name: _f, case_number: _c, related: _r, ...rest } = r;
  return { ...rest, person: named(r) };
}

/** The consultations the viewer may see, newest forum date first (at most 500). */
export async function visible(db: Executor, viewer: Viewer, forum: boolean) {
  const rows = await scoped(db, viewer, forum)
    .select((eb) => [
      'c.id',
      'c.person_id',
      'c.booked_by',
      'c.forum',
      'c.forum_date',
      'c.advice',
      'c.advised_at',
      'b.display_name as booked_by_name',
      'p.given_name',
      'p.family_name',
      'p.case_number',
      related(eb as Scope, viewer).as('related'),
    ])
    .orderBy('c.forum_date', 'desc')
    .orderBy('c.booked_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(strip);
}

/** The follow-ups not yet done on the consultations the viewer may see, soonest due first (at most 500). */
export async function openFollowUps(db: Executor, viewer: Viewer, forum: boolean) {
  const rows = await scoped(db, viewer, forum)
    .innerJoin('consultation_follow_ups as f', 'f.consultation_id', 'c.id')
    .innerJoin('users as o', 'o.id', 'f.owner_user_id')
    .where('f.done_on', 'is', null)
    .select((eb) => [
      'f.id',
      'f.action',
      'f.due_on',
      'f.owner_user_id',
      'o.display_name as owner_name',
      'c.id as consultation_id',
      'c.forum',
      'c.person_id',
      'p.given_name',
      'p.family_name',
      'p.case_number',
      related(eb as Scope, viewer).as('related'),
    ])
    .orderBy('f.due_on')
    .orderBy('f.created_at')
    .limit(500)
    .execute();
  return rows.map(strip);
}

/** One consultation in the council, whoever may see it (the service decides), with whether the viewer has a
 *  relationship with the young person it names. */
export function find(db: Executor, viewer: Viewer, id: string, lock = false) {
  const q = db
    .selectFrom('consultations as c')
    .innerJoin('users as b', 'b.id', 'c.booked_by')
    .leftJoin('users as a', 'a.id', 'c.advised_by')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .where('c.id', '=', id)
    .where('c.authority_id', '=', viewer.authorityId)
    .selectAll('c')
    .select((eb) => [
      'b.display_name as booked_by_name',
      'a.display_name as advised_by_name',
      'p.given_name',
      'p.family_name',
      'p.case_number',
      related(eb as Scope, viewer).as('related'),
      eb
        .exists(
          eb
            .selectFrom('consultation_follow_ups as o')
            .whereRef('o.consultation_id', '=', 'c.id')
            .where('o.owner_user_id', '=', viewer.id)
            .select('o.id'),
        )
        .as('owns_follow_up'),
    ]);
  return (lock ? q.forUpdate('c') : q).executeTakeFirst();
}

export function followUps(db: Executor, consultationId: string) {
  return db
    .selectFrom('consultation_follow_ups as f')
    .innerJoin('users as o', 'o.id', 'f.owner_user_id')
    .select([
      'f.id',
      'f.action',
      'f.owner_user_id',
      'f.due_on',
      'f.done_on',
      'f.protocol_instance_id',
      'o.display_name as owner_name',
    ])
    .where('f.consultation_id', '=', consultationId)
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute();
}

export function followUp(db: Executor, consultationId: string, id: string) {
  return db
    .selectFrom('consultation_follow_ups')
    .where('id', '=', id)
    .where('consultation_id', '=', consultationId)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export async function recordAdvice(db: Executor, id: string, advice: string, by: string, at: Date) {
  await db
    .updateTable('consultations')
    .set((eb) => ({ advice, advised_by: by, advised_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function markDone(db: Executor, id: string, on: string) {
  await db.updateTable('consultation_follow_ups').set({ done_on: on }).where('id', '=', id).execute();
}

export async function setFollowUpInstance(db: Executor, id: string, instanceId: string) {
  await db
    .updateTable('consultation_follow_ups')
    .set({ protocol_instance_id: instanceId })
    .where('id', '=', id)
    .execute();
}
