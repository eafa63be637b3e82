// Documents on a young person's record, or on an advice request, transfer, referral or meeting on it. An upload is
// checked in this order, nothing stored until every check passes: the fields, the size, the type read from the
// content, the virus scan (clamd), then that what it is about is on the record. An infected file leaves an audit
// row (the signature's name and the SHA-256, never the file) and nothing else. Every download writes its
// access-log row in the same transaction as the read.
import type { DocumentsConfig } from '../../config.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { DocumentTargetKind } from '../../db/schema.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AdviceAccess, AuthUser, PersonAccess } from '../../http/types.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import * as repo from './repository.ts';
import { ScannerUnavailable, type ScanResult, scan } from './scanner.ts';
import { TARGET_KINDS, type UploadInput } from './schemas.ts';
import { ALLOWED_WORDS, type Kind, labelOf, sniff } from './sniff.ts';
import { DocumentStore, sha256 } from './storage.ts';
import * as targets from './targets.ts';
import { attachedTo, type Target } from './targets.ts';

type Channel = 'page' | 'api';
/** An upload that passed every check, ready to store. */
interface Checked {
  kind: Kind;
  digest: string;
  scannedWith: string | null;
}
const GONE = 'No document with that reference here.';

type Row = Awaited<ReturnType<typeof repo.listForTarget>>[number];

/** A document as the pages and the API show it. */
const shape = (d: Row) => ({
  ...d,
  type_label: labelOf(d.media_type),
  size_label: sizeLabel(d.size_bytes),
  about: TARGET_KINDS[d.target_kind],
  aboutHref: null as string | null,
});
/** On the record's list: saying what each document is attached to, with a link to it. */
const shapeOnRecord = (d: Awaited<ReturnType<typeof repo.listForPerson>>[number]) => ({
  ...shape(d),
  ...attachedTo(d),
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
      return { person, documents: rows.map(shapeOnRecord) };
    });
  }

  /**
   * The documents for the record page's panel: its caller has just read the record through a person policy and
   * logged that read, so this adds no access-log row of its own (one row per page, quality.md S6).
   */
  async forRecordPage(user: AuthUser, access: PersonAccess) {
    return (await repo.listForPerson(this.db, user.authorityId, access.personId)).map(shapeOnRecord);
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

  // ---- a transfer, a referral, a young person's item on a meeting (targets.ts says who may see and act on each)

  transferTarget(user: AuthUser, access: PersonAccess, transferId: string): Promise<Target> {
    return targets.transferTarget(this.db, user, access, transferId);
  }
  referralTarget(user: AuthUser, access: PersonAccess, referralId: string): Promise<Target> {
    return targets.referralTarget(this.db, user, access, referralId);
  }
  meetingTarget(user: AuthUser, meeting: { id: string; pseudonymised: boolean }, itemId: string): Promise<Target> {
    return targets.meetingTarget(this.db, user, meeting, itemId);
  }

  /** The documents on a transfer, referral or meeting item, for its own documents page (the read is logged). */
  listOnTarget(user: AuthUser, target: Target, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      await logRead(tx, user, target, channel, `${target.kind}-documents`);
      return (await repo.listForTarget(tx, user.authorityId, target.kind, target.id)).map(shape);
    });
  }

  /** The panel on the transfer's or referral's page: that page's own read is logged already (S6). */
  async forTargetPage(user: AuthUser, target: Target) {
    return (await repo.listForTarget(this.db, user.authorityId, target.kind, target.id)).map(shape);
  }

  /** What the upload form says: whether scanning is on, the size limit, the types taken. */
  rules() {
    return {
      scanning: this.config.scanning,
      maxMb: Math.round(this.config.maxBytes / 1024 / 1024),
      allowedWords: ALLOWED_WORDS,
    };
  }

  /** The documents panel of a transfer's or referral's page (documents/views/_target-panel.njk's docPanel). */
  async panel(user: AuthUser, target: Target) {
    return { documents: await this.forTargetPage(user, target), ...this.panelOf(target.base, target.canUpload) };
  }

  /**
   * The documents panel under each young person's item on a meeting page, by item (none on a pseudonymised panel:
   * a document would say who the young person is). Titles only: each download is logged.
   */
  async meetingPanels(user: AuthUser, meeting: { id: string; pseudonymised: boolean }, itemIds: readonly string[]) {
    if (meeting.pseudonymised) return {};
    const rows = await repo.listForItems(this.db, user.authorityId, itemIds);
    return Object.fromEntries(
      itemIds.map((id) => [
        id,
        {
          documents: rows.filter((d) => d.target_id === id).map(shape),
          ...this.panelOf(targets.meetingItemBase(meeting.id, id), targets.mayUploadToMeeting(user)),
          heading: 'Documents',
          headingLevel: 4,
          headingId: `documents-${id}`,
          fileId: `file-${id}`,
          titleId: `title-${id}`,
        },
      ]),
    );
  }

  private panelOf(base: string, canUpload: boolean) {
    return { base, canUpload, ...this.rules() };
  }

  /** One document on a transfer, referral or meeting item (the read is logged against its young person). */
  downloadOnTarget(user: AuthUser, target: Target, documentId: string, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const doc = await repo.findOnTarget(tx, user.authorityId, target.kind, target.id, documentId);
      if (!doc) throw new NotFound(GONE);
      await logRead(tx, user, target, channel, 'document');
      return { document: shape(doc), bytes: await this.store.get(tx, doc) };
    });
  }

  /** Uploads to a transfer, referral or meeting item, if the caller may act on it; returns the document's id. */
  uploadToTarget(user: AuthUser, target: Target, input: Omit<UploadInput, 'target'>): Promise<string> {
    if (!target.canUpload)
      throw new Forbidden(`You may see this ${TARGET_KINDS[target.kind].toLowerCase()}, not add to it.`);
    return this.store_(user, target.personId, { ...input, target: { kind: target.kind, id: target.id } });
  }

  /** Uploads to the record (or to something on it); returns the new document's id. */
  upload(user: AuthUser, personId: string, input: UploadInput): Promise<string> {
    return this.store_(user, personId, input);
  }

  /** An advice giver uploads to the request addressed to them (their advice, as a document). */
  uploadAdvice(user: AuthUser, access: AdviceAccess, input: Omit<UploadInput, 'target'>): Promise<string> {
    return this.store_(user, access.personId, { ...input, target: { kind: 'advice_request', id: access.requestId } });
  }

  /**
   * The advice giver's advice as a document, sent with their advice: checked and scanned now (a virus refuses the
   * whole submission), stored by the returned function inside the advice's own transaction, so the advice and its
   * document land together or not at all.
   */
  async adviceAttachment(
    user: AuthUser,
    access: AdviceAccess,
    input: Omit<UploadInput, 'target'>,
  ): Promise<(tx: Executor) => Promise<string>> {
    const full: UploadInput = { ...input, target: { kind: 'advice_request', id: access.requestId } };
    const checked = await this.check(user, access.personId, full);
    return (tx) => this.save(tx, user, access.personId, full, checked);
  }

  private async store_(user: AuthUser, personId: string, input: UploadInput): Promise<string> {
    const checked = await this.check(user, personId, input);
    return this.db.transaction().execute((tx) => this.save(tx, user, personId, input, checked));
  }

  /** The type from the content, the SHA-256 and the virus scan: refused before anything is stored. */
  private async check(user: AuthUser, personId: string, input: UploadInput): Promise<Checked> {
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
    return { kind, digest, scannedWith: result.scannedWith };
  }

  /** Stores a checked upload in `tx`: the row, the bytes, the timeline line and the audit row. */
  private async save(tx: Executor, user: AuthUser, personId: string, input: UploadInput, checked: Checked) {
    const { kind, digest, scannedWith } = checked;
    const bytes = input.upload.bytes;
    const scan = scannedWith ? 'clean' : 'not_scanned';
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
      scanResult: scan,
      scannedWith,
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
          scan,
        },
      },
    });
    return id;
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
