// Documents on a young person's record, or on an advice request, transfer, referral or meeting on it. An upload is
// checked in this order, nothing stored until every check passes: the fields, the size, the type read from the
// content, the virus scan (clamd), then that what it is about is on the record. An infected file leaves an audit
// row (the signature's name and the SHA-256, never the file) and nothing else. Every download writes its
// access-log row in the same transaction as the read.
import type { DocumentsConfig } from '../../config.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { DocumentTargetKind } from '../../db/schema.ts';
import { londonToday } from '../../domain/calendar.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AdviceAccess, AuthUser, PersonAccess } from '../../http/types.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import * as repo from './repository.ts';
import { ScannerUnavailable, type ScanResult, scan } from './scanner.ts';
import { TARGET_KINDS, type UploadInput } from './schemas.ts';
import { ALLOWED_WORDS, type Kind, labelOf, sniff } from './sniff.ts';
import { DocumentStore, sha256 } from './storage.ts';

type Channel = 'page' | 'api';
const GONE = 'No document with that reference here.';

/** A document as the pages and the API show it. */
const shape = (d: Awaited<ReturnType<typeof repo.listForPerson>>[number]) => ({
  ...d,
  type_label: labelOf(d.media_type),
  size_label: sizeLabel(d.size_bytes),
  about: TARGET_KINDS[d.target_kind],
});

/** 834 bytes → "834 bytes", 52,300 → "51 KB", 3,500,000 → "3.3 MB". */
export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
export type DocumentView = ReturnType<typeof shape>;

export class DocumentsService {
  private readonly store: DocumentStore;

  constructor(
    private readonly db: Db,
    readonly config: DocumentsConfig,
    private readonly now: () => Date,
  ) {
    this.store = new DocumentStore(config.dir);
  }

  today(): string {
    return londonToday(this.now());
  }

  /** The documents on the record, newest first (the read is logged); the young person's header comes with it. */
  list(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, 'documents');
      const rows = await repo.listForPerson(tx, user.authorityId, access.personId);
      return { person, documents: rows.map(shape) };
    });
  }

  /**
   * The documents for the record page's panel: its caller has just read the record through a person policy and
   * logged that read, so this adds no access-log row of its own (one row per page, quality.md S6).
   */
  async forRecordPage(user: AuthUser, access: PersonAccess) {
    return (await repo.listForPerson(this.db, user.authorityId, access.personId)).map(shape);
  }

  /** The documents on an advice request, for its advice giver (the read is logged against the record). */
  listForAdvice(user: AuthUser, access: AdviceAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      await logRead(tx, user, { personId: access.personId, breakGlassId: null }, channel, 'advice-documents');
      const rows = await repo.listForTarget(tx, user.authorityId, 'advice_request', access.requestId);
      return { documents: rows.map(shape) };
    });
  }

  /** One document's bytes, with what to send them as (the read is logged). */
  download(user: AuthUser, access: PersonAccess, documentId: string, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const doc = await repo.findDocument(tx, user.authorityId, access.personId, documentId);
      if (!doc) throw new NotFound(GONE);
      await logRead(tx, user, access, channel, 'document');
      return { document: shape(doc), bytes: await this.store.get(tx, doc) };
    });
  }

  /** A document on an advice request, for its advice giver. */
  downloadForAdvice(user: AuthUser, access: AdviceAccess, documentId: string, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const doc = await repo.findDocument(tx, user.authorityId, access.personId, documentId);
      if (doc?.target_kind !== 'advice_request' || doc.target_id !== access.requestId) throw new NotFound(GONE);
      await logRead(tx, user, { personId: access.personId, breakGlassId: null }, channel, 'advice-document');
      return { document: shape(doc), bytes: await this.store.get(tx, doc) };
    });
  }

  /** Uploads to the record (or to something on it); returns the new document's id. */
  upload(user: AuthUser, personId: string, input: UploadInput): Promise<string> {
    return this.store_(user, personId, input);
  }

  /** An advice giver uploads to the request addressed to them (their advice, as a document). */
  uploadAdvice(user: AuthUser, access: AdviceAccess, input: Omit<UploadInput, 'target'>): Promise<string> {
    return this.store_(user, access.personId, { ...input, target: { kind: 'advice_request', id: access.requestId } });
  }

  private async store_(user: AuthUser, personId: string, input: UploadInput): Promise<string> {
    const bytes = input.upload.bytes;
    const kind = await sniff(bytes);
    if (!kind)
      throw new ValidationError({
        file: `The selected file must be ${ALLOWED_WORDS}: its content is none of these (the file name does not count)`,
      });
    const digest = sha256(bytes);
    const result = await this.scan(bytes);
    if (!result.clean) {
      await this.db.transaction().execute((tx) =>
        auditBy(tx, user, {
          action: 'refuse-infected',
          entity: 'document',
          personId,
          detail: { signature: result.signature, sha256: digest, size: bytes.length, target: input.target.kind },
        }),
      );
      throw new ValidationError({
        file: 'The selected file contains a virus, so it was not uploaded. Tell your council IT team, and do not open the file',
      });
    }
    return this.db.transaction().execute(async (tx) => {
      await this.checkTarget(tx, user, personId, input.target);
      const id = await repo.insertDocument(tx, {
        authorityId: user.authorityId,
        personId,
        targetKind: input.target.kind,
        targetId: input.target.id,
        title: input.title,
        mediaType: kind.mediaType,
        extension: kind.extension,
        sizeBytes: bytes.length,
        sha256: digest,
        storage: this.store.kind,
        scanResult: result.scannedWith ? 'clean' : 'not_scanned',
        scannedWith: result.scannedWith,
        userId: user.id,
        at: this.now(),
      });
      await this.store.put(tx, id, bytes);
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'document',
        title: uploadedTitle(kind, input.target.kind),
        audit: {
          action: 'create',
          entity: 'document',
          entityId: id,
          detail: {
            sha256: digest,
            size: bytes.length,
            media_type: kind.mediaType,
            target: input.target.kind,
            target_id: input.target.id,
            scan: result.scannedWith ? 'clean' : 'not_scanned',
          },
        },
      });
      return id;
    });
  }

  /** clamd's verdict; with scanning off, "clean" with no scanner named (stored as not scanned). */
  private async scan(bytes: Buffer): Promise<ScanResult | { clean: true; scannedWith: null }> {
    const { scanning, clamd } = this.config;
    if (scanning === 'off') return { clean: true, scannedWith: null };
    if (scanning === 'unavailable' || !clamd)
      throw new ValidationError({
        file: 'Uploads are turned off: no virus scanner is set up. Ask your council IT team to set CLAMD_SOCKET or CLAMD_HOST',
      });
    try {
      return await scan(clamd, bytes);
    } catch (e) {
      if (!(e instanceof ScannerUnavailable)) throw e;
      throw new ValidationError({
        file: 'The file could not be checked for viruses just now, so it was not uploaded. Try again in a few minutes',
      });
    }
  }

  private async checkTarget(
    tx: Executor,
    user: AuthUser,
    personId: string,
    target: { kind: DocumentTargetKind; id: string | null },
  ) {
    const person = await repo.personHeader(tx, user.authorityId, personId);
    if (!person) throw new NotFound('No record with that reference.');
    if (target.kind === 'person' || !target.id) return;
    if (!(await repo.targetOnRecord(tx, user.authorityId, personId, target.kind, target.id)))
      throw new ValidationError({
        target_id: `No ${TARGET_KINDS[target.kind].toLowerCase()} with that reference is on this record`,
      });
  }
}

/** "Document uploaded (PDF, about a transfer)": the timeline line, without the title (it may name people). */
function uploadedTitle(kind: Kind, target: DocumentTargetKind): string {
  const about = target === 'person' ? '' : `, ${TARGET_KINDS[target].toLowerCase()}`;
  return `Document uploaded (${kind.label}${about})`;
}
