// The SQL of case notes, and nothing else. A note's current text is the version whose number the note row holds.
import { type ExpressionBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { CaseNoteType, Database } from '../../db/schema.ts';

/** Who the pages are about (shared with the other record sub-pages). */
export { personHeader } from '../kit/person-header.ts';

const VERSION_COLUMNS = [
  'v.id as version_id',
  'v.version',
  'v.note_type',
  'v.contact_date',
  'v.contact_time',
  'v.present',
  'v.what_happened',
  'v.voice',
  'v.significant',
  'v.summary',
  'v.correction_reason',
  'v.written_at',
] as const;

/** The writer of a version, by name. */
const writer = (eb: ExpressionBuilder<Database & { v: Database['case_note_versions'] }, 'v'>) =>
  eb.selectFrom('users as u').whereRef('u.id', '=', 'v.written_by').select('u.display_name').as('written_by_name');

/** Notes with their current version, for one young person. */
function current(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('case_notes as n')
    .innerJoin('case_note_versions as v', (j) => j.onRef('v.note_id', '=', 'n.id').onRef('v.version', '=', 'n.version'))
    .where('n.authority_id', '=', authorityId)
    .where('n.person_id', '=', personId);
}

export async function countNotes(db: Executor, authorityId: string, personId: string): Promise<number> {
  const r = await db
    .selectFrom('case_notes')
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A page of notes, newest contact first (then newest written). */
export function listNotes(db: Executor, authorityId: string, personId: string, limit: number, offset: number) {
  return current(db, authorityId, personId)
    .select(['n.id', 'n.created_at', ...VERSION_COLUMNS])
    .select(writer)
    .orderBy('v.contact_date', 'desc')
    .orderBy('v.contact_time', 'desc')
    .orderBy('n.created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function findNote(db: Executor, authorityId: string, personId: string, noteId: string) {
  return db
    .selectFrom('case_notes')
    .where('id', '=', noteId)
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .select(['id', 'version', 'created_at'])
    .executeTakeFirst();
}

/** Every version of a note, the current one first. */
export function versionsOf(db: Executor, noteId: string) {
  return db
    .selectFrom('case_note_versions as v')
    .where('v.note_id', '=', noteId)
    .select([...VERSION_COLUMNS])
    .select(writer)
    .orderBy('v.version', 'desc')
    .execute();
}

export interface VersionValues {
  note_type: CaseNoteType;
  contact_date: string;
  contact_time: string;
  present: string | null;
  what_happened: string;
  voice: string | null;
  significant: boolean;
  summary: string | null;
}

export async function insertNote(
  db: Executor,
  n: { authorityId: string; personId: string; userId: string; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('case_notes')
    .values({ authority_id: n.authorityId, person_id: n.personId, created_by: n.userId, created_at: n.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertVersion(
  db: Executor,
  v: VersionValues & {
    authorityId: string;
    personId: string;
    noteId: string;
    version: number;
    reason: string | null;
    userId: string;
    at: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('case_note_versions')
    .values({
      authority_id: v.authorityId,
      person_id: v.personId,
      note_id: v.noteId,
      version: v.version,
      note_type: v.note_type,
      contact_date: v.contact_date,
      contact_time: v.contact_time,
      present: v.present,
      what_happened: v.what_happened,
      voice: v.voice,
      significant: v.significant,
      summary: v.significant ? v.summary : null,
      correction_reason: v.reason,
      written_by: v.userId,
      written_at: v.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves the note to its next version if it is still at `from`; the new number, or null when someone else did. */
export async function nextVersion(db: Executor, noteId: string, from: number): Promise<number | null> {
  const row = await db
    .updateTable('case_notes')
    .set({ version: sql<number>`version + 1` })
    .where('id', '=', noteId)
    .where('version', '=', from)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

export interface ChronologyCriteria {
  from: string | null;
  to: string | null;
  type: CaseNoteType | null;
}

/** The significant events (notes whose current version is significant), oldest first, as a chronology reads. */
export function significantEvents(db: Executor, authorityId: string, personId: string, c: ChronologyCriteria) {
  let q = current(db, authorityId, personId).where('v.significant', '=', true);
  if (c.from) q = q.where('v.contact_date', '>=', c.from);
  if (c.to) q = q.where('v.contact_date', '<=', c.to);
  if (c.type) q = q.where('v.note_type', '=', c.type);
  return q
    .select(['n.id', 'v.version', 'v.note_type', 'v.contact_date', 'v.contact_time', 'v.summary'])
    .select((eb) =>
      eb.selectFrom('users as u').whereRef('u.id', '=', 'n.created_by').select('u.display_name').as('recorded_by'),
    )
    .orderBy('v.contact_date', 'asc')
    .orderBy('v.contact_time', 'asc')
    .orderBy('n.created_at', 'asc')
    .limit(2000)
    .execute();
}

/** The writer's draft of a note on this record, if they have one. */
export function findDraft(db: Executor, authorityId: string, personId: string, userId: string) {
  return db
    .selectFrom('case_note_drafts')
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .where('user_id', '=', userId)
    .select(['fields', 'saved_at'])
    .executeTakeFirst();
}

/** Keeps the writer's draft (one per writer per record: a later save replaces it). */
export async function saveDraft(
  db: Executor,
  d: { authorityId: string; personId: string; userId: string; fields: Record<string, string>; at: Date },
) {
  await db
    .insertInto('case_note_drafts')
    .values({ authority_id: d.authorityId, person_id: d.personId, user_id: d.userId, fields: d.fields, saved_at: d.at })
    .onConflict((oc) => oc.columns(['user_id', 'person_id']).doUpdateSet({ fields: d.fields, saved_at: d.at }))
    .execute();
}

/** Removes the writer's draft (saved as a note, or discarded); true if there was one. */
export async function deleteDraft(db: Executor, authorityId: string, personId: string, userId: string) {
  const r = await db
    .deleteFrom('case_note_drafts')
    .where('authority_id', '=', authorityId)
    .where('person_id', '=', personId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
