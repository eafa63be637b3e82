// The SQL of information-sharing decisions, and nothing else. Rows are only ever inserted (the table refuses UPDATE).

import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { SharingRecordTable } from '../../db/schema.ts';

export { personHeader } from '../kit/person-header.ts';

type Values = Omit<Insertable<SharingRecordTable>, 'id' | 'recorded_at'>;

export async function insertRecord(db: Executor, v: Values): Promise<string> {
  const row = await db.insertInto('sharing_records').values(v).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Whether an entry is on this record (what a correction may name). */
/** The entry a correction names, locked (so two corrections of one entry queue), and whether a later entry already
 *  corrects it; undefined when it is not on this record. */
export async function lockForCorrection(db: Executor, authorityId: string, personId: string, id: string) {
  const r = await db
    .selectFrom('sharing_records')
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .select('id')
    .forUpdate()
    .executeTakeFirst();
  if (!r) return undefined;
  const later = await db.selectFrom('sharing_records').where('corrects_id', '=', id).select('id').executeTakeFirst();
  return { corrected: later !== undefined };
}

const recorder = (db: Executor) =>
  db
    .selectFrom('sharing_records as s')
    .leftJoin('users as u', 'u.id', 's.recorded_by')
    .selectAll('s')
    .select('u.display_name as recorded_by_name');

/** One entry on this record (for its correction form), or undefined. */
export function entryOnRecord(db: Executor, authorityId: string, personId: string, id: string) {
  return recorder(db)
    .where('s.id', '=', id)
    .where('s.authority_id', '=', authorityId)
    .where('s.person_id', '=', personId)
    .executeTakeFirst();
}

/** The entries on one young person's record, newest decision first. */
export function listForPerson(db: Executor, authorityId: string, personId: string) {
  return recorder(db)
    .where('s.authority_id', '=', authorityId)
    .where('s.person_id', '=', personId)
    .orderBy('s.decided_on', 'desc')
    .orderBy('s.recorded_at', 'desc')
    .limit(1000)
    .execute();
}

export interface CouncilFilter {
  from: string | null;
  to: string | null;
  decision: string | null;
  lawfulBasis: string | null;
  organisation: string | null;
}

/** The council's entries (the data protection officer's register), newest first, with the case number. */
export function listForCouncil(db: Executor, authorityId: string, f: CouncilFilter) {
  let q = recorder(db)
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select('p.case_number')
    .where('s.authority_id', '=', authorityId);
  if (f.from) q = q.where('s.decided_on', '>=', f.from);
  if (f.to) q = q.where('s.decided_on', '<=', f.to);
  if (f.decision) q = q.where('s.decision', '=', f.decision as SharingRecordTable['decision']);
  if (f.lawfulBasis) q = q.where('s.lawful_basis', '=', f.lawfulBasis as SharingRecordTable['lawful_basis']);
  if (f.organisation) {
    const like = `%${f.organisation.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where('s.recipient_organisation', 'ilike', like);
  }
  return q.orderBy('s.decided_on', 'desc').orderBy('s.recorded_at', 'desc').limit(10_000).execute();
}

/** A screening on this record: its level decision, to prefill a sharing decision. */
export function screeningOnRecord(db: Executor, authorityId: string, personId: string, id: string) {
  return db
    .selectFrom('screenings')
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .select([
      'id',
      'screened_on',
      'proposed_level',
      'proposed_reason',
      'confirmed_level',
      'confirmed_reason',
      'suggested_level',
      'summary',
    ])
    .executeTakeFirst();
}

/**
 * A meeting decision about this young person, with its panel and meeting date: a High Risk Exploitation Meeting's or
 * the Exploitation Hub's (exploitation_decisions, whose form opens the sharing form), or another panel's.
 */
export async function meetingDecisionOnRecord(db: Executor, authorityId: string, personId: string, id: string) {
  const exploitation = await db
    .selectFrom('exploitation_decisions as d')
    .innerJoin('panel_meetings as m', 'm.id', 'd.meeting_id')
    .innerJoin('panels as pn', 'pn.id', 'm.panel_id')
    .where('d.id', '=', id)
    .where('d.authority_id', '=', authorityId)
    .where('d.person_id', '=', personId)
    .select(['d.id', 'd.decision', 'd.created_at', 'pn.name as panel_name', 'm.meeting_date'])
    .executeTakeFirst();
  if (exploitation) return exploitation;
  return db
    .selectFrom('panel_decisions as d')
    .innerJoin('panel_items as i', 'i.id', 'd.item_id')
    .innerJoin('panels as pn', 'pn.id', 'i.panel_id')
    .leftJoin('panel_meetings as m', 'm.id', 'd.meeting_id')
    .where('d.id', '=', id)
    .where('d.authority_id', '=', authorityId)
    .where('i.person_id', '=', personId)
    .select(['d.id', 'd.decision', 'd.created_at', 'pn.name as panel_name', 'm.meeting_date'])
    .executeTakeFirst();
}
