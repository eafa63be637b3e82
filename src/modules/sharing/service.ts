// Information-sharing decisions on a young person's record (issue 12 part 10, domain-notes.md §2): recorded whether
// or not the information is shared, never changed (a correction is a new entry naming the old, with a reason), one
// timeline line and one audit row (ids only) per entry; reads write their access-log row in the same transaction.
// An entry may open from a decision (a screening's level, a meeting's decision): the form is prefilled from it and
// the entry records its source.
import type { Db, Executor } from '../../db/database.ts';
import { primaryReports, type ReportsDb } from '../../db/reports.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { currentWithHistory, formValues, fromMeeting, fromScreening, type SourceKind } from './prefill.ts';
import * as repo from './repository.ts';
import { DECISIONS, type RegisterFilter, type SharingInput } from './schemas.ts';

type Channel = 'page' | 'api';

export class SharingService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    /** The register (page and CSV) reads through it: the read replica when there is one (src/db/reports.ts). */
    private readonly reports: ReportsDb = primaryReports(db),
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** The young person's entries (and the current ones with their history), with who they are; the read is logged. */
  list(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const person = await this.header(tx, user, access.personId);
      await logRead(tx, user, access, channel, 'sharing-records');
      const records = await repo.listForPerson(tx, user.authorityId, access.personId);
      return { person, records, current: currentWithHistory(records) };
    });
  }

  /** The form for a new entry, prefilled from a decision when a source is named (the read is logged). */
  newForm(user: AuthUser, access: PersonAccess, source: { kind?: string; id?: string }) {
    return this.db.transaction().execute(async (tx) => {
      const person = await this.header(tx, user, access.personId);
      await logRead(tx, user, access, 'page', 'sharing-records');
      if (!source.kind && !source.id) return { person, values: {} };
      const values = await this.sourceValues(tx, user, access.personId, source.kind, source.id);
      if (!values) throw new NotFound('No decision with that reference on this record.');
      return { person, values };
    });
  }

  /** The correction form: the entry's values, to change and give a reason (the read is logged). */
  correctionForm(user: AuthUser, access: PersonAccess, entryId: string) {
    return this.db.transaction().execute(async (tx) => {
      const person = await this.header(tx, user, access.personId);
      const entry = await repo.entryOnRecord(tx, user.authorityId, access.personId, entryId);
      if (!entry) throw new NotFound('No entry with that reference on this record.');
      await logRead(tx, user, access, 'page', 'sharing-records');
      return { person, entry, values: { ...formValues(entry), corrects_id: entry.id } };
    });
  }

  /** Records a decision (or a correction of an earlier one on the same record); returns its id. */
  async add(user: AuthUser, personId: string, input: SharingInput): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      await this.checkLinks(tx, user, personId, input);
      const special = input.special_category;
      const id = await repo.insertRecord(tx, {
        ...input,
        authority_id: user.authorityId,
        person_id: personId,
        art9_condition: special ? input.art9_condition : null,
        schedule1_condition: special ? input.schedule1_condition : null,
        not_told_reason: input.person_told ? null : input.not_told_reason,
        correction_reason: input.corrects_id ? input.correction_reason : null,
        recorded_by: user.id,
      });
      const what = DECISIONS[input.decision].toLowerCase();
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'record',
        title: input.corrects_id
          ? `Information-sharing decision corrected (${what})`
          : `Information-sharing decision recorded (${what})`,
        audit: {
          action: input.corrects_id ? 'correct' : 'create',
          entity: 'sharing_record',
          entityId: id,
          detail: {
            ...(input.corrects_id ? { corrects_id: input.corrects_id } : {}),
            ...(input.source_kind ? { source_kind: input.source_kind, source_id: input.source_id } : {}),
          },
        },
      });
      return id;
    });
  }

  /** The council's register for the data protection officer; the read is audited (ids only). */
  async register(user: AuthUser, filter: Partial<RegisterFilter>, channel: Channel | 'csv') {
    const rows = await this.reports.read((db) =>
      repo.listForCouncil(db, user.authorityId, {
        from: filter.from_date ?? null,
        to: filter.to_date ?? null,
        decision: filter.decision ?? null,
        lawfulBasis: filter.lawful_basis ?? null,
        organisation: filter.organisation ?? null,
      }),
    );
    // The read is logged on the primary, whichever database answered.
    return this.db.transaction().execute(async (tx) => {
      await auditBy(tx, user, {
        action: 'read',
        entity: 'sharing_register',
        entityId: null,
        personId: null,
        detail: { channel, rows: rows.length },
      });
      return rows;
    });
  }

  private async header(tx: Executor, user: AuthUser, personId: string) {
    const person = await repo.personHeader(tx, user.authorityId, personId);
    if (!person) throw new NotFound('No record with that reference.');
    return person;
  }

  private async sourceValues(tx: Executor, user: AuthUser, personId: string, kind?: string, id?: string) {
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    if (kind === 'screening') {
      const s = await repo.screeningOnRecord(tx, user.authorityId, personId, id);
      return s && fromScreening(s);
    }
    if (kind === 'meeting') {
      const m = await repo.meetingDecisionOnRecord(tx, user.authorityId, personId, id);
      return m && fromMeeting(m);
    }
    return undefined;
  }

  /** A correction names an entry on this record; a source names a decision on this record. */
  private async checkLinks(tx: Executor, user: AuthUser, personId: string, input: SharingInput) {
    if (input.corrects_id) {
      const target = await repo.lockForCorrection(tx, user.authorityId, personId, input.corrects_id);
      if (!target)
        throw new ValidationError({
          corrects_id: 'Entry corrected must be the id of an earlier entry on this record',
        });
      if (target.corrected)
        throw new Conflict('That entry has already been corrected. Correct its current version instead.');
    }
    const kind = input.source_kind as SourceKind | null;
    if (kind && input.source_id) {
      const found =
        kind === 'screening'
          ? await repo.screeningOnRecord(tx, user.authorityId, personId, input.source_id)
          : await repo.meetingDecisionOnRecord(tx, user.authorityId, personId, input.source_id);
      if (!found)
        throw new ValidationError({
          source_id: 'Source decision must be a screening or a meeting decision on this record',
        });
    }
  }
}
