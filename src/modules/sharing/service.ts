// Information-sharing decisions on a young person's record (issue 12 part 10, domain-notes.md §2): recorded whether
// or not the information is shared, never changed (a correction is a new entry naming the old), one timeline line
// and one audit row (ids only) per entry; reads write their access-log row in the same transaction.
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import * as repo from './repository.ts';
import { DECISIONS, type RegisterFilter, type SharingInput } from './schemas.ts';

type Channel = 'page' | 'api';

export class SharingService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** The young person's entries, with who they are; the read is logged. */
  list(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, 'sharing-records');
      return { person, records: await repo.listForPerson(tx, user.authorityId, access.personId) };
    });
  }

  /** Records a decision (or a correction of an earlier one on the same record); returns its id. */
  async add(user: AuthUser, personId: string, input: SharingInput): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      if (input.corrects_id && !(await repo.onRecord(tx, user.authorityId, personId, input.corrects_id)))
        throw new ValidationError({
          corrects_id: 'Entry corrected must be the id of an earlier entry on this record',
        });
      const special = input.special_category;
      const id = await repo.insertRecord(tx, {
        ...input,
        authority_id: user.authorityId,
        person_id: personId,
        art9_condition: special ? input.art9_condition : null,
        schedule1_condition: special ? input.schedule1_condition : null,
        not_told_reason: input.person_told ? null : input.not_told_reason,
        recorded_by: user.id,
      });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'record',
        title: `Information-sharing decision recorded (${DECISIONS[input.decision].toLowerCase()})`,
        audit: {
          action: input.corrects_id ? 'correct' : 'create',
          entity: 'sharing_record',
          entityId: id,
          detail: input.corrects_id ? { corrects_id: input.corrects_id } : {},
        },
      });
      return id;
    });
  }

  /** The council's register for the data protection officer; the read is audited (ids only). */
  register(user: AuthUser, filter: Partial<RegisterFilter>, channel: Channel | 'csv') {
    return this.db.transaction().execute(async (tx) => {
      const rows = await repo.listForCouncil(tx, user.authorityId, filter.from_date ?? null, filter.to_date ?? null);
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
}
