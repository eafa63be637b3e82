// The transitional safeguarding cohort and the system blocks register (issue 12 part 11). The cohort is aggregate
// only: counts by level now and at the end of each of the last 12 months, with filters; no names, dates of birth or
// identifiers ever leave this service. System blocks are the council's records, linked to the cases where they
// occurred (the register shows counts; the record shows the link). The register is one list with the gap-vs-capacity
// register of plan actions (modules/transitions), labelled by source, so governance sees one list.
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { refuseIdentifiers } from '../contextual/identifiers.ts';
import { recordChange } from '../kit/record.ts';
import { register as gapRegister } from '../transitions/repository.ts';
import * as repo from './repository.ts';
import { BLOCK_KINDS, type BlockCaseInput, type BlockInput, type CohortFilter, type ResolveInput } from './schemas.ts';

type Channel = 'page' | 'api' | 'csv';

/** The last day of each of the 12 months up to today (today itself for this month), oldest first. */
export function monthEnds(today: string): { month: string; asOf: string }[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const out: { month: string; asOf: string }[] = [];
  for (let i = 11; i >= 0; i--) {
    const first = new Date(Date.UTC(y, m - 1 - i, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    out.push({ month: first.toISOString().slice(0, 7), asOf: last < today ? last : today });
  }
  return out;
}

export class CohortService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** Counts by level now (open screenings) and over the last 12 months, with the filters; the read is audited. */
  cohort(user: AuthUser, filter: Partial<CohortFilter>, channel: Channel) {
    const { today } = this.today();
    return this.db.transaction().execute(async (tx) => {
      const levels = (await repo.levels(tx, user.authorityId)).map((l) => l.level);
      if (filter.level && !levels.includes(filter.level))
        throw new ValidationError({
          level: `Choose a level from the list: ${levels.join(', ') || 'none recorded yet'}`,
        });
      const toMap = (rows: { level: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.level, r.n]));
      const now = toMap(await repo.countsByLevel(tx, user.authorityId, today, filter, true));
      const history = [];
      for (const m of monthEnds(today))
        history.push({ ...m, counts: toMap(await repo.countsByLevel(tx, user.authorityId, m.asOf, filter, false)) });
      const total = Object.values(now).reduce((a, b) => a + b, 0);
      await auditBy(tx, user, { action: 'read', entity: 'cohort', entityId: null, detail: { channel, filter } });
      return { levels, now, total, history };
    });
  }

  /** The one register: system blocks and the gap-vs-capacity register, each row labelled by source. */
  register(user: AuthUser, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const blocks = await repo.blocks(tx, user.authorityId);
      const gaps = (await gapRegister(tx, user.authorityId, this.today().today)).map((r) => ({
        ...r,
        total: Number(r.total),
        open: Number(r.open),
        overdue: Number(r.overdue),
        people: Number(r.people),
      }));
      await auditBy(tx, user, { action: 'read', entity: 'system_blocks', entityId: null, detail: { channel } });
      return { blocks, gaps };
    });
  }

  raise(user: AuthUser, input: BlockInput) {
    return this.db.transaction().execute(async (tx) => {
      refuseIdentifiers({
        description: { label: 'What stood in the way', text: input.description },
      });
      const id = await repo.insertBlock(tx, {
        ...input,
        authority_id: user.authorityId,
        raised_by: user.id,
        raised_on: this.today().today,
      });
      await auditBy(tx, user, { action: 'create', entity: 'system_block', entityId: id, detail: { kind: input.kind } });
      return id;
    });
  }

  resolve(user: AuthUser, id: string, input: ResolveInput) {
    return this.db.transaction().execute(async (tx) => {
      const block = UUID.test(id) ? await repo.findBlock(tx, user.authorityId, id) : undefined;
      if (!block) throw new NotFound('No system block with that reference.');
      if (block.status === 'resolved') throw new ValidationError({ what_changed: 'This block is already resolved' });
      refuseIdentifiers({
        what_changed: { label: 'What changed', text: input.what_changed },
      });
      const ok = await repo.resolveBlock(tx, user.authorityId, id, input.version, {
        what_changed: input.what_changed,
        resolved_on: this.today().today,
      });
      if (!ok) throw new Conflict('Someone else changed this block meanwhile. Open the register again.');
      await auditBy(tx, user, { action: 'resolve', entity: 'system_block', entityId: id });
    });
  }

  /** Links a block to the case where it occurred (from the young person's record). */
  linkCase(user: AuthUser, personId: string, input: BlockCaseInput) {
    return this.db.transaction().execute(async (tx) => {
      const block = await repo.findBlock(tx, user.authorityId, input.block_id);
      if (!block) throw new ValidationError({ block_id: 'Choose the system block from the list' });
      await repo.linkCase(tx, { ...input, authority_id: user.authorityId, person_id: personId, linked_by: user.id });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'record',
        title: `System block recorded on the case: ${BLOCK_KINDS[block.kind]}`,
        audit: { action: 'link', entity: 'system_block', entityId: block.id },
      });
    });
  }

  /** The blocks on a young person's case and the open ones that can be linked (the caller has logged the read). */
  async forPerson(user: AuthUser, personId: string) {
    const blocks = await repo.blocksOfPerson(this.db, user.authorityId, personId);
    const open = (await repo.blocks(this.db, user.authorityId)).filter((b) => b.status === 'open');
    return { blocks, openBlocks: open.map((b) => ({ id: b.id, kind: b.kind, description: b.description })) };
  }
}
