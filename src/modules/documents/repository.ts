// The SQL of uploaded documents, and nothing else.
import type { Executor } from '../../db/database.ts';
import type { DocumentTargetKind } from '../../db/schema.ts';

/** Who the documents are about, as the pages head them. */
export function personHeader(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('people')
    .where('id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'given_name', 'family_name', 'case_number'])
    .executeTakeFirst();
}

const LIST_COLUMNS = [
  'd.id',
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

/** Every document on a young person's record (and on what is on it), newest first. */
export function listForPerson(db: Executor, authorityId: string, personId: string) {
  return documents(db, authorityId)
    .where('d.person_id', '=', personId)
    .select(LIST_COLUMNS)
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

/** One document with where its bytes are, if it is on this young person's record. */
export function findDocument(db: Executor, authorityId: string, personId: string, documentId: string) {
  return documents(db, authorityId)
    .where('d.id', '=', documentId)
    .where('d.person_id', '=', personId)
    .select([...LIST_COLUMNS, 'd.storage', 'd.person_id'])
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
