// Case notes on a young person's record: written, read, corrected by a new version (the old ones kept), and the
// significant ones as a chronology. Every read writes its access-log row in the same transaction; every write
// records a timeline line (without the note's text) and an audit row (ids only) through recordChange.
import type { Db, Executor, Tx } from '../../db/database.ts';
import type { CaseNoteType } from '../../db/schema.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import * as repo from './repository.ts';
import {
  type ChronologyFilter,
  type CorrectionInput,
  type DraftFields,
  type LondonNow,
  NOTE_TYPES,
  type NoteInput,
} from './schemas.ts';

type Channel = 'page' | 'api' | 'print';
/** Notes on a page of the list. */
export const PAGE_SIZE = 20;

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 'Visit' → 'visit': how a type reads inside a sentence ("Case note added (visit)"). */
const typeWords = (t: CaseNoteType) => NOTE_TYPES[t].toLowerCase();
/** '14:30:00' → '14:30'. */
const hhmm = (t: string) => t.slice(0, 5);
/** '14:30' → '2:30pm', '09:00' → '9am', '12:00' → 'midday' (GOV.UK style for times). */
export function timeLabel(t: string): string {
  const [h = 0, m = 0] = t.split(':').map(Number);
  if (m === 0 && h === 12) return 'midday';
  if (m === 0 && h === 0) return 'midnight';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

type Version = Awaited<ReturnType<typeof repo.versionsOf>>[number];
const shape = <V extends { contact_time: string; note_type: CaseNoteType }>(v: V) => ({
  ...v,
  contact_time: hhmm(v.contact_time),
  contact_time_label: timeLabel(v.contact_time),
  type_label: NOTE_TYPES[v.note_type],
});

export class NotesService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** Today and the time now, in London: what "not in the future" is measured against. */
  clock(): LondonNow {
    const at = this.now();
    return { today: londonToday(at), time: londonClock.format(at) };
  }

  /** Reads in one transaction with the read's access-log row; the young person's header comes with it. */
  private async logged<T>(
    user: AuthUser,
    access: PersonAccess,
    channel: Channel,
    purpose: string,
    read: (tx: Executor) => Promise<T>,
  ) {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, purpose);
      return { person, ...(await read(tx)) };
    });
  }

  /** Who a new note is about (the add form shows the name: a read of the record, logged). */
  header(user: AuthUser, access: PersonAccess) {
    return this.logged(user, access, 'page', 'case-note-form', async () => ({}));
  }

  /** A page of the young person's notes, newest contact first. */
  list(user: AuthUser, access: PersonAccess, page: number, channel: Channel) {
    return this.logged(user, access, channel, 'case-notes', async (tx) => {
      const total = await repo.countNotes(tx, user.authorityId, access.personId);
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const at = Math.min(Math.max(1, page), pages);
      const rows = await repo.listNotes(tx, user.authorityId, access.personId, PAGE_SIZE, (at - 1) * PAGE_SIZE);
      return { notes: rows.map(shape), total, page: at, pages };
    });
  }

  /** One note: its current version and every earlier one. */
  note(user: AuthUser, access: PersonAccess, noteId: string, channel: Channel) {
    return this.logged(user, access, channel, 'case-note', async (tx) => {
      const note = await repo.findNote(tx, user.authorityId, access.personId, noteId);
      if (!note) throw new NotFound('No case note with that reference on this record.');
      const [current, ...earlier] = (await repo.versionsOf(tx, note.id)).map(shape);
      if (!current) throw new NotFound('No case note with that reference on this record.');
      return { note: { id: note.id, version: note.version, created_at: note.created_at, current, earlier } };
    });
  }

  /** The significant events, oldest first, filtered by date range and type. */
  chronology(user: AuthUser, access: PersonAccess, filter: Partial<ChronologyFilter>, channel: Channel) {
    return this.logged(user, access, channel, 'chronology', async (tx) => {
      const events = await repo.significantEvents(tx, user.authorityId, access.personId, {
        from: filter.from_date ?? null,
        to: filter.to_date ?? null,
        type: filter.note_type ?? null,
      });
      return { events: events.map(shape) };
    });
  }

  /** Writes a new note (version 1); returns its id. */
  async add(user: AuthUser, personId: string, input: NoteInput): Promise<string> {
    const at = this.now();
    return this.db.transaction().execute(async (tx) => {
      const noteId = await repo.insertNote(tx, { authorityId: user.authorityId, personId, userId: user.id, at });
      await writeVersion(tx, user, { personId, noteId, version: 1, reason: null, at, values: input });
      await repo.deleteDraft(tx, user.authorityId, personId, user.id);
      return noteId;
    });
  }

  /** The user's own draft of a note on this record (nobody else's is ever read), or undefined. */
  draft(user: AuthUser, personId: string) {
    return repo.findDraft(this.db, user.authorityId, personId, user.id);
  }

  /**
   * The user's own draft read on its own (the API): with its access-log row in the same transaction, marked when the
   * record is reached by break-glass (S6); no row when there is no draft, since nothing was read.
   */
  readDraft(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const found = await repo.findDraft(tx, user.authorityId, access.personId, user.id);
      if (found) await logRead(tx, user, access, channel, 'case-note-draft');
      return found;
    });
  }

  /**
   * Keeps the user's draft as typed, with an audit row (ids only: the draft's text stays out of the audit log);
   * returns when it was saved. An empty draft removes the one kept.
   */
  async saveDraft(user: AuthUser, personId: string, fields: DraftFields): Promise<Date> {
    const at = this.now();
    await this.db.transaction().execute(async (tx) => {
      if (Object.keys(fields).length)
        await repo.saveDraft(tx, { authorityId: user.authorityId, personId, userId: user.id, fields, at });
      else await repo.deleteDraft(tx, user.authorityId, personId, user.id);
      await auditBy(tx, user, {
        action: 'save-draft',
        entity: 'case_note_draft',
        personId,
        detail: { fields: Object.keys(fields) },
      });
    });
    return at;
  }

  /** Throws the user's draft away; false if there was none. */
  async discardDraft(user: AuthUser, personId: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const gone = await repo.deleteDraft(tx, user.authorityId, personId, user.id);
      if (gone) await auditBy(tx, user, { action: 'discard-draft', entity: 'case_note_draft', personId });
      return gone;
    });
  }

  /**
   * Corrects a note by writing its next version with the reason; the earlier versions stay as they were. The
   * version the worker read must still be the current one (else Conflict), and something must change.
   */
  async correct(user: AuthUser, personId: string, noteId: string, c: CorrectionInput): Promise<number> {
    const { reason, version: read, ...values } = c;
    const at = this.now();
    return this.db.transaction().execute(async (tx) => {
      const note = await repo.findNote(tx, user.authorityId, personId, noteId);
      if (!note) throw new NotFound('No case note with that reference on this record.');
      const [current] = await repo.versionsOf(tx, note.id);
      if (current && note.version === read && unchanged(current, values))
        throw new ValidationError({
          what_happened: 'Nothing in the note has changed: change what is wrong, or go back to the note',
        });
      const version = await repo.nextVersion(tx, note.id, read);
      if (version === null)
        throw new Conflict(
          'Someone else corrected this note since you opened it. Read the latest version, then correct that if needed.',
        );
      await writeVersion(tx, user, { personId, noteId: note.id, version, reason, at, values });
      return version;
    });
  }
}

/**
 * Writes a version of a note (1: the note as first written; later: a correction with its reason) and records it:
 * a timeline line without the note's text, an audit row with ids only.
 */
async function writeVersion(
  tx: Tx,
  user: AuthUser,
  v: { personId: string; noteId: string; version: number; reason: string | null; at: Date; values: repo.VersionValues },
) {
  const versionId = await repo.insertVersion(tx, {
    ...v.values,
    authorityId: user.authorityId,
    personId: v.personId,
    noteId: v.noteId,
    version: v.version,
    reason: v.reason,
    userId: user.id,
    at: v.at,
  });
  const corrected = v.version > 1;
  await recordChange(tx, {
    actor: user,
    personId: v.personId,
    kind: 'note',
    title: `Case note ${corrected ? 'corrected' : 'added'} (${typeWords(v.values.note_type)})`,
    audit: {
      action: corrected ? 'correct' : 'create',
      entity: 'case_note',
      entityId: v.noteId,
      detail: { version: v.version, version_id: versionId },
    },
  });
}

/** Whether a correction says exactly what the current version says. */
function unchanged(current: Version, next: repo.VersionValues): boolean {
  const summary = next.significant ? next.summary : null;
  return (
    current.note_type === next.note_type &&
    current.contact_date === next.contact_date &&
    hhmm(current.contact_time) === next.contact_time &&
    current.present === next.present &&
    current.what_happened === next.what_happened &&
    current.voice === next.voice &&
    current.significant === next.significant &&
    current.summary === summary
  );
}
