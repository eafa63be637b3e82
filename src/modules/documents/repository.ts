// The SQL of uploaded documents, and nothing else.
import type { Executor } from '../../db/database.ts';
import type { DocumentTargetKind } from '../../db/schema.ts';

/** Who the pages are about (shared with the other record sub-pages). */
export { personHeader } from '../kit/person-header.ts';

const LIST_COLUMNS = [
  'd.id',
  'd.person_id',
  'd.target_kind',
  'd.target_id',
  'd.title',
  'd.media_type',
  'd.extension',
  'd.size_bytes',
  'd.sha256',
  'd.scan_result',
  'd.uploaded_at',
  'u.display_name as uploaded_by_name',
] as const;

function documents(db: Executor, authorityId: string) {
  return db
    .selectFrom('documents as d')
    .innerJoin('users as u', 'u.id', 'd.uploaded_by')
    .where('d.authority_id', '=', authorityId);
}

/**
 * Every document on a young person's record (and on what is on it), newest first, with what each is attached to:
 * the transfer's request date, the referral's service or person and date, the meeting's panel and date.
 */
export function listForPerson(db: Executor, authorityId: string, personId: string) {
  return documents(db, authorityId)
    .leftJoin('transfers as t', (j) => j.onRef('t.id', '=', 'd.target_id').on('d.target_kind', '=', 'transfer'))
    .leftJoin('referrals as r', (j) => j.onRef('r.id', '=', 'd.target_id').on('d.target_kind', '=', 'referral'))
    .leftJoin('services as rs', 'rs.id', 'r.to_service_id')
    .leftJoin('users as ru', 'ru.id', 'r.to_user_id')
    .leftJoin('panel_items as pi', (j) => j.onRef('pi.id', '=', 'd.target_id').on('d.target_kind', '=', 'meeting'))
    .leftJoin('panel_meetings as pm', 'pm.id', 'pi.meeting_id')
    .leftJoin('panels as pn', 'pn.id', 'pi.panel_id')
    .where('d.person_id', '=', personId)
    .select([
      ...LIST_COLUMNS,
      't.requested_at as transfer_requested_at',
      'r.sent_at as referral_sent_at',
      (eb) => eb.fn.coalesce('rs.name', 'ru.display_name').as('referral_to'),
      'pi.meeting_id as meeting_id',
      'pm.meeting_date as meeting_date',
      'pn.name as panel_name',
    ])
    .orderBy('d.uploaded_at', 'desc')
    .orderBy('d.id')
    .execute();
}

/** The documents on one advice request, transfer, referral or meeting, newest first. */
export function listForTarget(db: Executor, authorityId: string, kind: DocumentTargetKind, targetId: string) {
  return documents(db, authorityId)
    .where('d.target_kind', '=', kind)
    .where('d.target_id', '=', targetId)
    .select(LIST_COLUMNS)
    .orderBy('d.uploaded_at', 'desc')
    .orderBy('d.id')
    .execute();
}

/** One document with where its bytes are, if it is attached to this transfer, referral or meeting item. */
export function findOnTarget(
  db: Executor,
  authorityId: string,
  kind: DocumentTargetKind,
  targetId: string,
  documentId: string,
) {
  return documents(db, authorityId)
    .where('d.id', '=', documentId)
    .where('d.target_kind', '=', kind)
    .where('d.target_id', '=', targetId)
    .select([...LIST_COLUMNS, 'd.storage'])
    .executeTakeFirst();
}

/** Who is party to a referral on this record (they, and workers who may edit the record, may attach to it). */
export function referralParties(db: Executor, authorityId: string, personId: string, referralId: string) {
  return db
    .selectFrom('referrals')
    .where('id', '=', referralId)
    .where('person_id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select(['to_user_id', 'referred_by'])
    .executeTakeFirst();
}

/** A named young person's item on a meeting's agenda: whose it is. */
export function meetingItem(db: Executor, authorityId: string, meetingId: string, itemId: string) {
  return db
    .selectFrom('panel_items')
    .where('id', '=', itemId)
    .where('meeting_id', '=', meetingId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'person_id'])
    .executeTakeFirst();
}

/** The documents on a meeting's items, newest first (the meeting page lists them under each item). */
export function listForItems(db: Executor, authorityId: string, itemIds: readonly string[]) {
  if (itemIds.length === 0) return Promise.resolve([]);
  return documents(db, authorityId)
    .where('d.target_kind', '=', 'meeting')
    .where('d.target_id', 'in', itemIds)
    .select(LIST_COLUMNS)
    .orderBy('d.uploaded_at', 'desc')
    .orderBy('d.id')
    .execute();
}

/** One document with where its bytes are, if it is on this young person's record. */
export function findDocument(db: Executor, authorityId: string, personId: string, documentId: string) {
  return documents(db, authorityId)
    .where('d.id', '=', documentId)
    .where('d.person_id', '=', personId)
    .select([...LIST_COLUMNS, 'd.storage'])
    .executeTakeFirst();
}

export function contentOf(db: Executor, documentId: string) {
  return db.selectFrom('document_contents').where('document_id', '=', documentId).select('bytes').executeTakeFirst();
}

/** Whether the advice request, transfer, referral or meeting is on this young person's record. */
export async function targetOnRecord(
  db: Executor,
  authorityId: string,
  personId: string,
  kind: Exclude<DocumentTargetKind, 'person'>,
  targetId: string,
): Promise<boolean> {
  const table = {
    advice_request: 'ehcp_advice_requests',
    transfer: 'transfers',
    referral: 'referrals',
    meeting: 'panel_items',
  } as const;
  const row = await db
    .selectFrom(table[kind] as 'transfers')
    .where('person_id', '=', personId)
    .where('id', '=', targetId)
    .where('authority_id', '=', authorityId)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewDocument {
  authorityId: string;
  personId: string;
  targetKind: DocumentTargetKind;
  targetId: string | null;
  title: string;
  mediaType: string;
  extension: string;
  sizeBytes: number;
  sha256: string;
  storage: 'database' | 'directory';
  scanResult: 'clean' | 'not_scanned';
  scannedWith: string | null;
  userId: string;
  at: Date;
}

export async function insertDocument(db: Executor, d: NewDocument): Promise<string> {
  const { id } = await db
    .insertInto('documents')
    .values({
      authority_id: d.authorityId,
      person_id: d.personId,
      target_kind: d.targetKind,
      target_id: d.targetId,
      title: d.title,
      media_type: d.mediaType,
      extension: d.extension,
      size_bytes: d.sizeBytes,
      sha256: d.sha256,
      storage: d.storage,
      scan_result: d.scanResult,
      scanned_with: d.scannedWith,
      uploaded_by: d.userId,
      uploaded_at: d.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertContent(db: Executor, documentId: string, bytes: Buffer): Promise<void> {
  await db.insertInto('document_contents').values({ document_id: documentId, bytes }).execute();
}
