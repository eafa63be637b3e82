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

/** Why a record was not purged, in words that quote nothing from the record (a database error gives its code). */
class Kept extends Error {}
function reasonOf(e: unknown): string {
  if (e instanceof Kept) return e.message;
  const pg = e as { code?: string; constraint?: string };
  return `the database refused it (${pg.code ?? 'error'}${pg.constraint ? `, ${pg.constraint}` : ''}); nothing of it was deleted`;
}

/** Deletes a purged record's stored files, once its transaction has committed (each named by its document's id). */
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
  tables: repo.PersonTable[],
): Promise<number> {
  const files = await db.transaction().execute(async (tx) => {
    const person = await repo.lockPerson(tx, record.person_id);
    if (!person || person.held) throw new Kept(person ? 'under a legal hold' : 'no longer there');
    const still = await repo.dueRecords(
      tx,
      authorityId,
      { years: schedule.years, minimumAge: schedule.minimum_age },
      today,
      record.person_id,
    );
    if (still.length !== 1 || still[0]?.held) throw new Kept('no longer due: it changed since the list');
    const stored = (await repo.storedFiles(tx, record.person_id)).map((d) => d.id);
    const ids = await repo.idsAbout(tx, tables, record.person_id);
    const rows = await repo.purgePerson(tx, record.person_id, ids, tables);
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

async function purgeRecords(
  db: Db,
  dir: string | null,
  authorityId: string,
  run: AuthorityRun,
  o: RunOptions,
  today: string,
) {
  const schedule = run.personSchedule;
  if (!schedule) return;
  // The tables that hold a person's rows, read once for the run (not twice a record from the catalogue).
  const tables = await repo.personTables(db);
  for (const record of run.due) {
    try {
      run.files += await purgeOne(db, dir, authorityId, record, schedule, o.trigger, today, tables);
      run.purged.push(record.case_number);
    } catch (e) {
      run.failed.push({ case_number: record.case_number, reason: reasonOf(e) });
    }
  }
}

/** Notifications read or resolved longer ago than their schedule: counted, and deleted when purging. */
async function purgeNotifications(
  db: Db,
  authorityId: string,
  years: number,
  run: AuthorityRun,
  o: RunOptions,
  today: string,
) {
  const ids = await repo.dueNotifications(db, authorityId, years, today);
  run.notificationsDue = ids.length;
  if (!run.purging || ids.length === 0) return;
  run.notificationsPurged = await db.transaction().execute(async (tx) => {
    const n = await repo.deleteNotifications(tx, ids);
    await insertAudit(tx, {
      authorityId,
      actorId: null,
      action: 'purge',
      entity: 'notifications',
      detail: { record_type: 'notification', years, trigger: o.trigger, rows: n },
    });
    return n;
  });
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
  const person = schedules.find((s) => s.record_type === 'person') ?? null;
  const notification = schedules.find((s) => s.record_type === 'notification') ?? null;
  const listed = person
    ? await repo.dueRecords(db, a.id, { years: person.years, minimumAge: person.minimum_age }, today)
    : [];
  const run: AuthorityRun = {
    code: a.code,
    purging: options.purge && (options.trigger === 'cli' || settings?.automatic_purge === true),
    personSchedule: person ? { years: person.years, minimum_age: person.minimum_age } : null,
    due: listed.filter((r) => !r.held),
    held: listed.filter((r) => r.held),
    purged: [],
    failed: [],
    notificationsDue: 0,
    notificationsPurged: 0,
    files: 0,
  };
  if (run.purging) await purgeRecords(db, dir, a.id, run, options, today);
  if (notification) await purgeNotifications(db, a.id, notification.years, run, options, today);
  await insertAudit(db, {
    authorityId: a.id,
    actorId: null,
    action: run.purging ? 'purge-run' : 'list-run',
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
