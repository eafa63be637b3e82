// Retention and legal hold (quality.md R8): the council's administrator sets how long each type of record is kept
// once closed and whether the daily run purges by itself, and places and releases legal holds. `run` lists what is
// due and, when asked, purges it (purge.ts); a held record is never purged. Every change writes an audit row (ids,
// codes and counts only: never a hold's reason or anything about the young person).
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { RetentionRecordType } from '../../db/schema.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { type RunOptions, type RunReport, runRetention } from './purge.ts';
import * as repo from './repository.ts';
import {
  type HoldInput,
  RECORD_TYPE_KEYS,
  RECORD_TYPES,
  type ReleaseInput,
  type ScheduleInput,
  type SettingsInput,
} from './schemas.ts';

/** Due records the page lists (the command line lists them all). */
const SHOWN = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STALE =
  'Someone else changed this setting while you were looking at it: reload the page and make your change again';

/** '7 years after closure, and until at least age 25'. */
function keptWords(s: { years: number; minimum_age: number | null }): string {
  const years = `${s.years} ${s.years === 1 ? 'year' : 'years'} after closure`;
  return s.minimum_age === null ? years : `${years}, and until at least age ${s.minimum_age}`;
}

export class RetentionService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    readonly now: () => Date,
  ) {}

  today(): string {
    return londonToday(this.now());
  }

  /** The retention page: each record type's schedule, the automatic purge setting and what is due today. */
  async overview(actor: AuthUser) {
    const [stored, settings, holds] = await Promise.all([
      repo.schedules(this.db, actor.authorityId),
      repo.settings(this.db, actor.authorityId),
      repo.holds(this.db, actor.authorityId),
    ]);
    const schedules = RECORD_TYPE_KEYS.map((type) => {
      const schedule = stored.find((s) => s.record_type === type) ?? null;
      return { type, ...RECORD_TYPES[type], schedule, kept: schedule ? keptWords(schedule) : 'Kept: no schedule set' };
    });
    const person = stored.find((s) => s.record_type === 'person');
    const due = person
      ? await repo.dueRecords(
          this.db,
          actor.authorityId,
          { years: person.years, minimumAge: person.minimum_age },
          this.today(),
        )
      : [];
    return {
      schedules,
      automaticPurge: settings?.automatic_purge ?? false,
      settings: settings ?? null,
      due: due.filter((d) => !d.held).slice(0, SHOWN),
      dueCount: due.filter((d) => !d.held).length,
      dueHeld: due.filter((d) => d.held),
      openHolds: holds.filter((h) => !h.released_at).length,
    };
  }

  async schedule(actor: AuthUser, type: RetentionRecordType) {
    const stored = await repo.schedules(this.db, actor.authorityId);
    return { type, ...RECORD_TYPES[type], schedule: stored.find((s) => s.record_type === type) ?? null };
  }

  async setSchedule(actor: AuthUser, type: RetentionRecordType, x: ScheduleInput): Promise<void> {
    const minimumAge = type === 'person' ? x.minimum_age : null;
    if (type !== 'person' && x.minimum_age !== null)
      throw new ValidationError({
        minimum_age: 'Keep until at least this age is for young people’s records only: leave it empty',
      });
    await this.db.transaction().execute(async (tx) => {
      const saved = await repo.saveSchedule(
        tx,
        { authorityId: actor.authorityId, recordType: type, years: x.years, minimumAge, by: actor.id },
        x.version,
      );
      if (!saved) throw new Conflict(STALE);
      await auditBy(tx, actor, {
        action: 'set',
        entity: 'retention_schedule',
        entityId: type,
        detail: { years: x.years, minimum_age: minimumAge },
      });
    });
  }

  async settings(actor: AuthUser) {
    return (await repo.settings(this.db, actor.authorityId)) ?? null;
  }

  async setSettings(actor: AuthUser, x: SettingsInput): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const saved = await repo.saveSettings(
        tx,
        { authorityId: actor.authorityId, automaticPurge: x.automatic_purge, by: actor.id },
        x.version,
      );
      if (!saved) throw new Conflict(STALE);
      await auditBy(tx, actor, {
        action: 'set',
        entity: 'retention_settings',
        detail: { automatic_purge: x.automatic_purge },
      });
    });
  }

  // ---- legal holds

  holds(actor: AuthUser) {
    return repo.holds(this.db, actor.authorityId);
  }

  async hold(actor: AuthUser, holdId: string) {
    const h = UUID.test(holdId) ? await repo.hold(this.db, actor.authorityId, holdId) : undefined;
    if (!h) throw new NotFound('No legal hold with this id in your council');
    return h;
  }

  /** Places a hold on the record with this case number; returns the hold's id. */
  async placeHold(actor: AuthUser, x: HoldInput): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.personByCaseNumber(tx, actor.authorityId, x.case_number);
      if (!person)
        throw new ValidationError({
          case_number: `No young person in your council has case number ${x.case_number}: check the case number`,
        });
      if (await repo.openHoldOf(tx, person.id))
        throw new ValidationError({
          case_number: `The record with case number ${person.case_number} is already under a legal hold: release that hold first to change its reason`,
        });
      const id = await repo.insertHold(tx, {
        authorityId: actor.authorityId,
        personId: person.id,
        reason: x.reason,
        by: actor.id,
      });
      await auditBy(tx, actor, { action: 'hold', entity: 'legal_hold', entityId: id, personId: person.id });
      return id;
    });
  }

  async releaseHold(actor: AuthUser, holdId: string, x: ReleaseInput): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const released = await repo.releaseHold(tx, {
        authorityId: actor.authorityId,
        holdId,
        reason: x.release_reason,
        by: actor.id,
        at: this.now(),
      });
      if (!released) {
        if (!(await repo.hold(tx, actor.authorityId, holdId)))
          throw new NotFound('No legal hold with this id in your council');
        throw new Conflict('This legal hold has already been released: reload the list of holds');
      }
      await auditBy(tx, actor, {
        action: 'release',
        entity: 'legal_hold',
        entityId: holdId,
        personId: released.person_id,
      });
    });
  }

  // ---- the run

  /** Lists what is due in every council (or one), and purges it when `purge` (see purge.ts). */
  run(options: RunOptions): Promise<RunReport> {
    return runRetention(this.db, this.config.documents.dir, this.now(), options);
  }
}
