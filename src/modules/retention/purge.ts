// The retention run (`npx handover retention run`, and the daily job): for each council, what its schedules make due
// today, and — when asked — the purge of it. Each young person's record is purged in its own transaction, locked and
// checked again inside it (still closed, still due, no hold: the hold's ON DELETE RESTRICT key refuses it anyway), so
// a record that changed since the list is kept and one failure leaves the others' purges standing. Stored files go
// after the transaction commits. Every purge and every run writes an audit row: ids, codes and counts only.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { insertAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';

export interface RunOptions {
  /** Purge what is due; otherwise only list it (a dry run). */
  purge: boolean;
  /** Who asked: the command line, or the daily job (which purges only where the council turned automatic purge on). */
  trigger: 'cli' | 'schedule';
  /** One council, by its code; every council when absent. */
  authorityCode?: string;
}

export interface AuthorityRun {
  code: string;
  /** Whether this council's run purged (false: a dry run, or the job where automatic purge is off). */
  purging: boolean;
  personSchedule: { years: number; minimum_age: number | null } | null;
  due: repo.DueRecord[];
  held: repo.DueRecord[];
  purged: string[];
  failed: { case_number: string; reason: string }[];
  notificationsDue: number;
  notificationsPurged: number;
  files: number;
}

export interface RunReport {
  authorities: AuthorityRun[];
}

/** Files that could not be deleted after the purge committed (named by document id, never by anything personal). */
async function removeFiles(dir: string | null, ids: string[]): Promise<void> {
  if (!dir) return;
  for (const id of ids) await rm(path.join(dir, id), { force: true });
}

async function purgeOne(
  db: Db,
  dir: string | null,
  authorityId: string,
  record: repo.DueRecord,
  schedule: { years: number; minimum_age: number | null },
  trigger: RunOptions['trigger'],
  today: string,
): Promise<number> {
  const files = await db.transaction().execute(async (tx) => {
    const person = await repo.lockPerson(tx, record.person_id);
    if (!person || person.held) throw new Error(person ? 'under a legal hold' : 'no longer there');
    const still = await repo.dueRecords(
      tx,
      authorityId,
      { years: schedule.years, minimumAge: schedule.minimum_age },
      today,
      record.person_id,
    );
    if (still.length !== 1 || still[0]?.held) throw new Error('no longer due');
    const stored = (await repo.storedFiles(tx, record.person_id)).map((d) => d.id);
    const ids = await repo.idsAbout(tx, await repo.personTables(tx), record.person_id);
    const rows = await repo.purgePerson(tx, record.person_id, ids);
    await insertAudit(tx, {
      authorityId,
      actorId: null,
      action: 'purge',
      entity: 'person',
      entityId: record.person_id,
      personId: record.person_id,
      detail: {
        record_type: 'person',
        years: schedule.years,
        minimum_age: schedule.minimum_age,
        trigger,
        rows,
        files: stored.length,
      },
    });
    return stored;
  });
  await removeFiles(dir, files);
  return files.length;
}

async function runAuthority(
  db: Db,
  dir: string | null,
  a: { id: string; code: string },
  today: string,
  options: RunOptions,
): Promise<AuthorityRun> {
  const schedules = await repo.allSchedules(db, a.id);
  const settings = await repo.settings(db, a.id);
  const purging = options.purge && (options.trigger === 'cli' || settings?.automatic_purge === true);
  const person = schedules.find((s) => s.record_type === 'person') ?? null;
  const notification = schedules.find((s) => s.record_type === 'notification') ?? null;
  const listed = person
    ? await repo.dueRecords(db, a.id, { years: person.years, minimumAge: person.minimum_age }, today)
    : [];
  const run: AuthorityRun = {
    code: a.code,
    purging,
    personSchedule: person ? { years: person.years, minimum_age: person.minimum_age } : null,
    due: listed.filter((r) => !r.held),
    held: listed.filter((r) => r.held),
    purged: [],
    failed: [],
    notificationsDue: 0,
    notificationsPurged: 0,
    files: 0,
  };
  if (purging && person) {
    for (const record of run.due) {
      try {
        run.files += await purgeOne(
          db,
          dir,
          a.id,
          record,
          run.personSchedule as AuthorityRun['personSchedule'] & {},
          options.trigger,
          today,
        );
        run.purged.push(record.case_number);
      } catch (e) {
        run.failed.push({ case_number: record.case_number, reason: (e as Error).message });
      }
    }
  }
  if (notification) {
    const ids = await repo.dueNotifications(db, a.id, notification.years, today);
    run.notificationsDue = ids.length;
    if (purging && ids.length)
      run.notificationsPurged = await db.transaction().execute(async (tx) => {
        const n = await repo.deleteNotifications(tx, ids);
        await insertAudit(tx, {
          authorityId: a.id,
          actorId: null,
          action: 'purge',
          entity: 'notifications',
          detail: { record_type: 'notification', years: notification.years, trigger: options.trigger, rows: n },
        });
        return n;
      });
  }
  await insertAudit(db, {
    authorityId: a.id,
    actorId: null,
    action: purging ? 'purge-run' : 'list-run',
    entity: 'retention',
    detail: {
      trigger: options.trigger,
      due: run.due.length,
      held: run.held.length,
      purged: run.purged.length,
      failed: run.failed.length,
      notifications_due: run.notificationsDue,
      notifications_purged: run.notificationsPurged,
    },
  });
  return run;
}

export async function runRetention(db: Db, dir: string | null, now: Date, options: RunOptions): Promise<RunReport> {
  const today = londonToday(now);
  const all = await repo.authorities(db);
  const chosen = options.authorityCode ? all.filter((a) => a.code === options.authorityCode) : all;
  if (options.authorityCode && chosen.length === 0)
    throw new RangeError(
      `No council has the code ${options.authorityCode}: the codes are ${all.map((a) => a.code).join(', ')}`,
    );
  const authorities: AuthorityRun[] = [];
  for (const a of chosen) authorities.push(await runAuthority(db, dir, a, today, options));
  return { authorities };
}
