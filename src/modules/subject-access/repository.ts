// The SQL of subject access: the requests, the review decisions, the released export, and what the export holds —
// every table that keeps rows about one young person, named here one by one (test/subject-access.test.ts finds the
// tables with a person_id, or a foreign key to people, on its own, so a table added later and not named here fails).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { RequesterRelationship, ReviewTable } from '../../db/schema.ts';
import type { ReviewItemDecision } from './schemas.ts';

export function personByCaseNumber(db: Executor, authorityId: string, caseNumber: string) {
  return db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where(sql<string>`lower(case_number)`, '=', caseNumber.trim().toLowerCase())
    .select(['id', 'given_name', 'family_name', 'case_number'])
    .executeTakeFirst();
}

export async function insertRequest(
  db: Executor,
  r: {
    authority_id: string;
    person_id: string;
    requester_name: string;
    requester_relationship: RequesterRelationship;
    received_on: string;
    logged_by: string;
    logged_at: Date;
  },
): Promise<string> {
  const row = await db.insertInto('subject_access_requests').values(r).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

const requestColumns = [
  'r.id',
  'r.person_id',
  'r.requester_name',
  'r.requester_relationship',
  'r.received_on',
  'r.extension_months',
  'r.extension_reason',
  'r.logged_at',
  'r.released_at',
  'r.version',
  'p.given_name',
  'p.family_name',
  'p.case_number',
  'lb.display_name as logged_by_name',
  'rb.display_name as released_by_name',
] as const;

function requests(db: Executor, authorityId: string) {
  return db
    .selectFrom('subject_access_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('users as lb', 'lb.id', 'r.logged_by')
    .leftJoin('users as rb', 'rb.id', 'r.released_by')
    .where('r.authority_id', '=', authorityId)
    .select(requestColumns);
}

export function findRequest(db: Executor, authorityId: string, id: string) {
  return requests(db, authorityId).where('r.id', '=', id).executeTakeFirst();
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/** Open requests first (oldest received first), then released ones (newest first); at most 500. */
export function listRequests(db: Executor, authorityId: string) {
  return requests(db, authorityId)
    .orderBy(sql`r.released_at IS NOT NULL`)
    .orderBy(sql`CASE WHEN r.released_at IS NULL THEN r.received_on END`, 'asc')
    .orderBy('r.released_at', 'desc')
    .limit(500)
    .execute();
}

/** Sets the extension if the version read is current; returns whether it was. */
export async function extend(
  db: Executor,
  id: string,
  e: { months: number; reason: string; version: number },
): Promise<boolean> {
  const r = await db
    .updateTable('subject_access_requests')
    .set({ extension_months: e.months, extension_reason: e.reason, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', e.version)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markReleased(db: Executor, id: string, by: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('subject_access_requests')
    .set({ released_by: by, released_at: at, version: sql`version + 1` })
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ReviewItem {
  item_table: ReviewTable;
  item_id: string;
  /** What the officer reads to recognise the item ("Visit on 2026-11-20, written by Sam Social-Worker"). */
  kind: string;
  at: string;
  by: string | null;
  label: string;
}

/**
 * Third parties' data to review before release: every case note (written by staff, and often naming others), every
 * document (uploaded by staff or third parties) and every contact (another person's name and details).
 */
export async function reviewItems(db: Executor, personId: string): Promise<ReviewItem[]> {
  const res = await sql<Omit<ReviewItem, 'label'>>`
    SELECT 'case_notes' AS item_table, n.id AS item_id, v.note_type AS kind, v.contact_date::text AS at,
           u.display_name AS by
      FROM case_notes n
      JOIN case_note_versions v ON v.note_id = n.id AND v.version = n.version
      LEFT JOIN users u ON u.id = n.created_by
     WHERE n.person_id = ${personId}
    UNION ALL
    SELECT 'documents', d.id, d.title, to_char(d.uploaded_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'),
           u.display_name
      FROM documents d LEFT JOIN users u ON u.id = d.uploaded_by
     WHERE d.person_id = ${personId}
    UNION ALL
    SELECT 'contacts', c.id, c.relationship, to_char(c.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'),
           NULL
      FROM contacts c
     WHERE c.person_id = ${personId}
    ORDER BY 1, 4, 2`.execute(db);
  return res.rows.map((r) => ({ ...r, label: labelOf(r) }));
}

const NOTE_WORDS: Record<string, string> = {
  visit: 'visit',
  phone_call: 'phone call',
  meeting: 'meeting',
  observation: 'observation',
  direct_work: 'direct work',
};
function labelOf(r: Omit<ReviewItem, 'label'>): string {
  if (r.item_table === 'case_notes') return `the case note (${NOTE_WORDS[r.kind] ?? r.kind}) of ${r.at}`;
  if (r.item_table === 'documents') return `the document “${r.kind}”`;
  return `the contact (${r.kind})`;
}

export function decisionsOf(db: Executor, requestId: string) {
  return db
    .selectFrom('subject_access_reviews as d')
    .innerJoin('users as u', 'u.id', 'd.decided_by')
    .where('d.request_id', '=', requestId)
    .select([
      'd.item_table',
      'd.item_id',
      'd.decision',
      'd.reason',
      'd.decided_at',
      'u.display_name as decided_by_name',
    ])
    .execute();
}

export async function saveDecisions(
  db: Executor,
  requestId: string,
  by: string,
  at: Date,
  decisions: ReviewItemDecision[],
): Promise<void> {
  if (decisions.length === 0) return;
  await db
    .insertInto('subject_access_reviews')
    .values(decisions.map((d) => ({ request_id: requestId, ...d, decided_by: by, decided_at: at })))
    .onConflict((oc) =>
      oc.columns(['request_id', 'item_table', 'item_id']).doUpdateSet((eb) => ({
        decision: eb.ref('excluded.decision'),
        reason: eb.ref('excluded.reason'),
        decided_by: eb.ref('excluded.decided_by'),
        decided_at: eb.ref('excluded.decided_at'),
      })),
    )
    .execute();
}

/**
 * Every table holding rows about one young person, with the heading the export gives it. `where` picks the rows
 * (most by person_id); `order` keeps the export in a readable order.
 */
export const SECTIONS: readonly { table: string; title: string; where?: string; order: string }[] = [
  { table: 'people', title: 'The record', where: 'id', order: 'id' },
  { table: 'person_statuses', title: 'Statuses', order: 'start_date' },
  { table: 'contacts', title: 'Contacts', order: 'created_at' },
  { table: 'involvements', title: 'Teams and workers involved', order: 'start_date' },
  { table: 'events', title: 'Timeline', order: 'at' },
  { table: 'case_notes', title: 'Case notes', order: 'created_at' },
  { table: 'case_note_versions', title: 'Case notes: every version as written', order: 'written_at' },
  { table: 'case_note_drafts', title: 'Case note drafts not yet saved', order: 'saved_at' },
  { table: 'documents', title: 'Documents', order: 'uploaded_at' },
  { table: 'plans', title: 'Plan', order: 'id' },
  { table: 'plan_goals', title: 'Plan goals', order: 'id' },
  { table: 'plan_actions', title: 'Plan actions', order: 'created_at' },
  { table: 'plan_reviews', title: 'Plan reviews', order: 'id' },
  { table: 'referrals', title: 'Referrals', order: 'id' },
  { table: 'panel_items', title: 'Meetings and panels: the items about them', order: 'created_at' },
  { table: 'audience_summaries', title: 'Summaries written for panels', order: 'id' },
  { table: 'protocol_instances', title: 'Processes (protocols)', order: 'started_at' },
  { table: 'protocol_steps', title: 'Process steps', order: 'entered_at' },
  { table: 'assessments', title: 'Assessments', order: 'id' },
  { table: 'transfers', title: 'Transfers', where: 'person_id', order: 'id' },
  { table: 'generated_documents', title: 'Documents Handover generated', order: 'id' },
  { table: 'case_tasks', title: 'Tasks on the case', order: 'id' },
  { table: 'capacity_escalations', title: 'Capacity escalations', order: 'id' },
  { table: 'information_sharing', title: 'Information shared with others', order: 'id' },
  { table: 'ehcp_assessments', title: 'EHC needs assessments', order: 'id' },
  { table: 'ehc_plans', title: 'EHC plans', order: 'created_at' },
  { table: 'ehc_plan_versions', title: 'EHC plan versions', order: 'created_at' },
  { table: 'ehc_plan_representations', title: 'Representations on draft EHC plans', order: 'created_at' },
  { table: 'ehc_setting_consultations', title: 'Schools and colleges consulted for EHC plans', order: 'created_at' },
  { table: 'ehc_reviews', title: 'EHC plan annual reviews', order: 'created_at' },
  { table: 'ehc_review_advice_requests', title: 'Advice requested for EHC plan reviews', order: 'created_at' },
  { table: 'ehc_plan_amendments', title: 'EHC plan amendments', order: 'created_at' },
  {
    table: 'ehc_plan_amendment_representations',
    title: 'Representations on proposed EHC plan amendments',
    order: 'created_at',
  },
  { table: 'ehc_plan_cessations', title: 'Ceasing EHC plans', order: 'created_at' },
  { table: 'ehc_plan_transfers_in', title: 'EHC plans transferred in from another council', order: 'created_at' },
  { table: 'ehcp_exceptions', title: 'EHC needs assessment exceptions', order: 'id' },
  { table: 'ehcp_advice_requests', title: 'Advice requested for the EHC needs assessment', order: 'id' },
  { table: 'ehcp_advice_submissions', title: 'Advice given for the EHC needs assessment', order: 'id' },
  { table: 'ehcp_delay_notices', title: 'EHC needs assessment delay notices', order: 'id' },
  { table: 'legal_holds', title: 'Legal holds on the record', order: 'set_at' },
  { table: 'break_glass', title: 'Emergency access to the record (break-glass)', order: 'created_at' },
  { table: 'access_log', title: 'Who viewed the record', order: 'at' },
  { table: 'audit_log', title: 'Audit log of changes', order: 'seq' },
  { table: 'subject_access_requests', title: 'Subject access requests', order: 'received_on' },
  { table: 'sharing_records', title: 'Information-sharing decisions', order: 'recorded_at' },
  { table: 'screenings', title: 'Exploitation screenings', order: 'created_at' },
  { table: 'risk_events', title: 'Missing episodes, placement moves and new intelligence', order: 'created_at' },
  { table: 'place_people', title: 'Places of concern linked to the young person', order: 'linked_at' },
  { table: 'peer_group_people', title: 'Peer groups linked to the young person', order: 'linked_at' },
  { table: 'concern_links', title: 'Persons of concern linked to the young person', order: 'linked_at' },
  { table: 'transition_plans', title: 'Joint transition plan for after 18', order: 'created_at' },
  {
    table: 'risk_partner_entries',
    title: 'Partner agencies’ entries on the single view of risk',
    order: 'recorded_at',
  },
  { table: 'solution_cases', title: 'Creative Solutions Board cases', order: 'referred_at' },
  { table: 'solution_tests', title: 'Solutions tested by the board', order: 'created_at' },
  { table: 'consultations', title: 'Consultations with a forum', order: 'booked_at' },
  { table: 'consultation_follow_ups', title: 'Consultation follow-ups', order: 'created_at' },
  { table: 'exploitation_cases', title: 'Next High Risk Exploitation Meeting date', order: 'updated_at' },
  { table: 'exploitation_updates', title: 'Agencies’ updates to exploitation meetings', order: 'created_at' },
  { table: 'exploitation_decisions', title: 'Exploitation meetings’ decisions', order: 'created_at' },
  { table: 'exploitation_actions', title: 'Exploitation meetings’ actions', order: 'created_at' },
  { table: 'mentoring_referrals', title: 'Mentoring referrals, matches and endings', order: 'created_at' },
  { table: 'mentoring_goals', title: 'Mentoring goals', order: 'created_at' },
  { table: 'mentoring_sessions', title: 'Mentoring sessions', order: 'created_at' },
  { table: 'system_block_cases', title: 'System blocks that occurred on the case', order: 'linked_at' },
  { table: 'support_requests', title: 'Requests for SEND support to a SEND hub', order: 'created_at' },
  { table: 'support_request_contacts', title: 'SEND hub contacts with the family and setting', order: 'contact_on' },
  { table: 'advice_calls', title: 'SEND hub telephone advice linked to the record', order: 'created_at' },
];

export type Row = Record<string, unknown>;

/** Each section's rows as stored (every column, in the table's order). */
export async function sectionRows(db: Executor, personId: string): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const s of SECTIONS) {
    const col = sql.ref(`t.${s.where ?? 'person_id'}`);
    // Transfers also name the new record a young person moves to (to_person_id): both ends are about them.
    const extra = s.table === 'transfers' ? sql` OR t.to_person_id = ${personId}` : sql``;
    const res = await sql<{ row: Row }>`
      SELECT row_to_json(t) AS row FROM ${sql.table(s.table)} t
       WHERE ${col} = ${personId}${extra} ORDER BY ${sql.ref(`t.${s.order}`)}`.execute(db);
    out[s.table] = res.rows.map((r) => r.row);
  }
  return out;
}

/** The meetings where they were discussed (date, panel, status: never the minutes, which name others). */
export async function meetingsOf(db: Executor, personId: string): Promise<Row[]> {
  const res = await sql<{ row: Row }>`
    SELECT jsonb_build_object('meeting_id', m.id, 'panel', pa.name, 'meeting_date', m.meeting_date,
             'status', m.status, 'item_id', i.id) AS row
      FROM panel_items i JOIN panel_meetings m ON m.id = i.meeting_id JOIN panels pa ON pa.id = m.panel_id
     WHERE i.person_id = ${personId} ORDER BY m.meeting_date`.execute(db);
  return res.rows.map((r) => r.row);
}

/** The decisions taken on their items (only theirs). */
export async function panelDecisionsOf(db: Executor, personId: string): Promise<Row[]> {
  const res = await sql<{ row: Row }>`
    SELECT row_to_json(d) AS row FROM panel_decisions d JOIN panel_items i ON i.id = d.item_id
     WHERE i.person_id = ${personId} ORDER BY d.created_at`.execute(db);
  return res.rows.map((r) => r.row);
}

/** Names for the ids of staff and teams the rows mention, so the readable pages say who, not an id. */
export async function namesOf(db: Executor, authorityId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const res = await sql<{ id: string; name: string }>`
    SELECT id::text, display_name AS name FROM users WHERE authority_id = ${authorityId} AND id = ANY(${ids}::uuid[])
    UNION ALL
    SELECT id::text, name FROM teams WHERE authority_id = ${authorityId} AND id = ANY(${ids}::uuid[])`.execute(db);
  return new Map(res.rows.map((r) => [r.id, r.name]));
}

export async function insertExport(
  db: Executor,
  e: { request_id: string; bytes: Buffer; sha256: string; size_bytes: number; created_at: Date },
): Promise<void> {
  await db.insertInto('subject_access_exports').values(e).execute();
}

export function exportOf(db: Executor, requestId: string) {
  return db
    .selectFrom('subject_access_exports')
    .where('request_id', '=', requestId)
    .select(['bytes', 'sha256', 'size_bytes', 'created_at'])
    .executeTakeFirst();
}
