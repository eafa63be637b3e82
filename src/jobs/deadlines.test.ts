// The deadline sweep against a real database (quality.md R5): exactly once across concurrent sweepers, crashes,
// clock changes, failures and cancellations; and the pg-boss wiring end to end. The clock is always fixed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { beforeEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { testConfig, testDatabase } from '../../test/helpers.ts';
import { createDb, type Db } from '../db/database.ts';
import {
  cancelDeadlines,
  type Deadline,
  dueDeadlinesQuery,
  endOfLondonDay,
  scheduleDeadlines,
} from '../modules/timers/repository.ts';
import { type DeadlineHandler, type JobLog, RETRY_DELAY_MS, registerDeadlineHandler, sweepDue } from './deadlines.ts';
import { startJobs } from './index.ts';
import { registerScheduledJob, retireScheduledJob, scheduledJobs } from './scheduled.ts';

const NOW = new Date('2026-11-23T10:00:00Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const MIN = 60_000;

const { db, url, asOwner } = await testDatabase();
const { id: authorityId } = await db
  .insertInto('authorities')
  .values({ code: 'TJOBS', name: 'Jobs test council' })
  .returning('id')
  .executeTakeFirstOrThrow();
// Every firing leaves a row here, in the sweep's transaction: duplicates would show as repeated deadline ids.
// Made by the owner role (the app role creates no tables); default privileges let the app role write to it.
await sql`CREATE TABLE test_firings (
  deadline_id bigint NOT NULL,
  subject_type text NOT NULL,
  sweeper text NOT NULL,
  fired_at timestamptz NOT NULL
)`.execute(asOwner());

beforeEach(async () => {
  await sql`DELETE FROM deadlines`.execute(db);
  await sql`DELETE FROM test_firings`.execute(db);
});

/** A handler that records each firing; `then` runs after the record, inside the same savepoint. */
function recorder(then?: (tx: Parameters<DeadlineHandler>[0], row: Deadline) => Promise<void>): DeadlineHandler {
  return async (tx, row, now) => {
    await sql`INSERT INTO test_firings VALUES (${row.id}, ${row.subject_type}, current_setting('application_name'), ${now})`.execute(
      tx,
    );
    await then?.(tx, row);
  };
}

/** `n` open deadlines, the first due at `from`, one every `stepMs`; `action(g)` is SQL for row g's action. */
async function insertDeadlines(subjectType: string, n: number, from: Date, stepMs: number, actionSql = sql`'{}'`) {
  await sql`
    INSERT INTO deadlines (authority_id, subject_type, subject_id, rung, due_at, action)
    SELECT ${authorityId}, ${subjectType}, gen_random_uuid(), 0,
           ${from}::timestamptz + g * ${stepMs}::bigint * interval '1 millisecond', (${actionSql})::jsonb
    FROM generate_series(0, ${n - 1}) g
  `.execute(db);
}

async function firings(subjectType?: string) {
  const r = await sql<{ total: number; distinct: number }>`
    SELECT count(*)::int AS total, count(DISTINCT deadline_id)::int AS distinct FROM test_firings
    WHERE ${subjectType ?? null}::text IS NULL OR subject_type = ${subjectType ?? null}`.execute(db);
  return r.rows[0]!;
}

async function countWhere(subjectType: string, fired: boolean) {
  const r = await db
    .selectFrom('deadlines')
    .where('subject_type', '=', subjectType)
    .where('fired_at', fired ? 'is not' : 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function sweeperDb(name: string): Db {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return createDb(u.toString(), 4);
}

function collectingLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const log: JobLog = {
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
  return { log, lines };
}

test('two sweepers at once fire 1,000 due deadlines exactly once between them, and leave the not-yet-due alone', async () => {
  const off = registerDeadlineHandler('a_fire', recorder());
  try {
    await insertDeadlines('a_fire', 1000, at(-1000 * 1000), 1000); // due from NOW-1000 s to NOW-1 s
    await insertDeadlines('a_fire', 1000, at(1000), 1000); // due from NOW+1 s
    const [a, b] = [sweeperDb('sweeper_a'), sweeperDb('sweeper_b')];
    try {
      const [ra, rb] = await Promise.all([sweepDue(a, NOW, { batch: 50 }), sweepDue(b, NOW, { batch: 50 })]);
      assert.equal(ra.fired + rb.fired, 1000);
      assert.equal(ra.failed + rb.failed, 0);
      assert.deepEqual(await firings('a_fire'), { total: 1000, distinct: 1000 });
      const bySweeper = await sql<{ sweeper: string; n: number }>`
        SELECT sweeper, count(*)::int AS n FROM test_firings GROUP BY sweeper ORDER BY sweeper`.execute(db);
      assert.deepEqual(
        bySweeper.rows.map((r) => r.sweeper),
        ['sweeper_a', 'sweeper_b'],
        'both sweepers took a share of the work',
      );
      assert.deepEqual(
        bySweeper.rows.map((r) => r.n),
        [ra.fired, rb.fired],
      );
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
    const notDue = await db
      .selectFrom('deadlines')
      .where('due_at', '>', NOW)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('fired_at').as('fired')])
      .executeTakeFirstOrThrow();
    assert.deepEqual([Number(notDue.n), Number(notDue.fired)], [1000, 0]);
    const due = await db
      .selectFrom('deadlines')
      .where('due_at', '<=', NOW)
      .where('fired_at', '=', NOW)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(due.n), 1000, 'every due row carries the sweep instant as fired_at');
  } finally {
    off();
  }
});

/**
 * Runs a sweeper in a child process that kills itself (SIGKILL, as a crash or `kill -9` would) while firing the
 * row whose action says crash: after the batches before it committed, in the middle of its own batch.
 */
async function sweepUntilKilled(name: string): Promise<NodeJS.Signals | null> {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  const code = `
    const { sql } = await import(${JSON.stringify(import.meta.resolve('kysely'))});
    const { createDb } = await import(${JSON.stringify(import.meta.resolve('../db/database.ts'))});
    const { registerDeadlineHandler, sweepDue } = await import(${JSON.stringify(import.meta.resolve('./deadlines.ts'))});
    const db = createDb(${JSON.stringify(u.toString())}, 2);
    registerDeadlineHandler('b_fire', async (tx, row, now) => {
      await sql\`INSERT INTO test_firings VALUES (\${row.id}, \${row.subject_type}, '${name}', \${now})\`.execute(tx);
      if (row.action.crash === true) process.kill(process.pid, 'SIGKILL');
    });
    await sweepDue(db, new Date(${JSON.stringify(NOW.toISOString())}), { batch: 100 });
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'inherit' });
  const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  // The server rolls the dead connection's transaction back as soon as it sees the socket close; wait for that,
  // so its row locks are gone before the next sweeper looks.
  for (let i = 0; i < 100; i++) {
    const r = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${name}`.execute(db);
    if (r.rows[0]!.n === 0) break;
    await sleep(50);
  }
  return signal;
}

test('a sweeper killed mid-batch loses nothing and doubles nothing: the next one finishes the job', async () => {
  // Row 450 (in the fifth batch of 100) kills its sweeper after the first four batches committed.
  await insertDeadlines(
    'b_fire',
    1000,
    at(-1000 * 1000),
    1000,
    sql`CASE WHEN g = 450 THEN '{"crash":true}' ELSE '{}' END`,
  );
  assert.equal(await sweepUntilKilled('sweeper_killed'), 'SIGKILL');
  assert.equal(await countWhere('b_fire', true), 400, 'the four committed batches stay fired');
  assert.deepEqual(await firings('b_fire'), { total: 400, distinct: 400 }, 'the dead batch left no actions');

  const off = registerDeadlineHandler('b_fire', recorder());
  try {
    const second = sweeperDb('sweeper_second');
    try {
      assert.deepEqual(await sweepDue(second, NOW, { batch: 100 }), { fired: 600, failed: 0 });
    } finally {
      await second.destroy();
    }
    assert.equal(await countWhere('b_fire', true), 1000);
    assert.deepEqual(await firings('b_fire'), { total: 1000, distinct: 1000 });
    assert.deepEqual(await sweepDue(db, at(MIN)), { fired: 0, failed: 0 }, 'nothing left to fire');
  } finally {
    off();
  }
});

test('deadlines due by the end of a London day fire at London midnight, not before, either side of the clock changes', async () => {
  const off = registerDeadlineHandler('c_fire', recorder());
  try {
    const cases: [string, string][] = [
      ['2026-03-28', '2026-03-29T00:00:00.000Z'], // GMT; clocks go forward at 01:00 GMT on the 29th
      ['2026-03-29', '2026-03-29T23:00:00.000Z'], // BST
      ['2026-10-24', '2026-10-24T23:00:00.000Z'], // BST; clocks go back at 01:00 GMT on the 25th
      ['2026-10-25', '2026-10-26T00:00:00.000Z'], // GMT
    ];
    const subjects = cases.map(() => crypto.randomUUID());
    await scheduleDeadlines(
      db,
      cases.map(([date], i) => ({
        authorityId,
        subjectType: 'c_fire',
        subjectId: subjects[i]!,
        rung: 0,
        dueAt: endOfLondonDay(date),
        action: { date },
      })),
    );
    for (const [i, [date, iso]] of cases.entries()) {
      const due = new Date(iso);
      assert.equal(endOfLondonDay(date).toISOString(), iso);
      assert.deepEqual(
        await sweepDue(db, new Date(due.getTime() - MIN)),
        { fired: 0, failed: 0 },
        `${date} a minute early`,
      );
      assert.deepEqual(await sweepDue(db, new Date(due.getTime() - 1)), { fired: 0, failed: 0 }, `${date} 1 ms early`);
      assert.deepEqual(await sweepDue(db, due), { fired: 1, failed: 0 }, `${date} at the instant`);
      const row = await db
        .selectFrom('deadlines')
        .where('subject_id', '=', subjects[i]!)
        .select(['fired_at'])
        .executeTakeFirstOrThrow();
      assert.equal(row.fired_at?.toISOString(), iso, date);
    }
    assert.deepEqual(await firings('c_fire'), { total: 4, distinct: 4 });
  } finally {
    off();
  }
});

test('a failing action does not hold up the others, keeps no personal data, and is retried later', async () => {
  let failing = true;
  const offFlaky = registerDeadlineHandler(
    'd_flaky',
    recorder(async (tx, row) => {
      if (!failing) return;
      // An error whose message quotes a young person's details: it must not reach the row or the log.
      if (row.action.fail === true) throw new TypeError('Could not reach Jane Example, 12 Acacia Avenue');
      // A failing statement leaves the transaction aborted until it is rolled back to the savepoint.
      if (row.action.sqlFail === true) await sql`SELECT 1 / 0`.execute(tx);
    }),
  );
  let offLate: (() => void) | null = null;
  const { log, lines } = collectingLog();
  try {
    await insertDeadlines(
      'd_flaky',
      20,
      at(-20 * MIN),
      MIN,
      sql`CASE WHEN g % 4 = 1 THEN '{"fail":true}' WHEN g = 2 THEN '{"sqlFail":true}' ELSE '{}' END`,
    );
    await insertDeadlines('d_unknown', 1, at(-MIN), 0);

    assert.deepEqual(await sweepDue(db, NOW, { log, batch: 7 }), { fired: 14, failed: 7 });
    assert.deepEqual(await firings(), { total: 14, distinct: 14 }, 'failed actions were rolled back');
    const failed = await db.selectFrom('deadlines').where('fired_at', 'is', null).selectAll().orderBy('id').execute();
    assert.equal(failed.length, 7);
    for (const row of failed) {
      assert.equal(row.due_at.toISOString(), at(RETRY_DELAY_MS).toISOString(), 'retried five minutes later');
      const lastError = row.action.last_error as Record<string, unknown>;
      const sqlFail = row.action.sqlFail === true;
      assert.deepEqual(lastError, {
        error: row.subject_type === 'd_unknown' ? 'NoHandler' : sqlFail ? 'DatabaseError' : 'TypeError',
        code: sqlFail ? '22012' : null,
        at: NOW.toISOString(),
        attempts: 1,
      });
    }
    const everything = JSON.stringify({ failed, lines });
    assert.doesNotMatch(everything, /Jane|Acacia/);
    assert.equal(lines.filter((l) => l.obj.subjectType === 'd_unknown').length, 1);
    assert.equal(lines.filter((l) => l.level === 'warn').length, 6);

    assert.deepEqual(await sweepDue(db, at(RETRY_DELAY_MS - 1), { log }), { fired: 0, failed: 0 }, 'not before');
    assert.deepEqual(await sweepDue(db, at(RETRY_DELAY_MS), { log }), { fired: 0, failed: 7 }, 'still failing');
    assert.equal(lines.filter((l) => l.obj.subjectType === 'd_unknown').length, 1, 'an unknown type is logged once');
    const again = await db.selectFrom('deadlines').where('fired_at', 'is', null).select('action').execute();
    assert.deepEqual(
      again.map((r) => (r.action.last_error as { attempts: number }).attempts),
      [2, 2, 2, 2, 2, 2, 2],
    );

    failing = false;
    offLate = registerDeadlineHandler('d_unknown', recorder());
    assert.deepEqual(await sweepDue(db, at(2 * RETRY_DELAY_MS), { log }), { fired: 7, failed: 0 });
    assert.deepEqual(await firings(), { total: 21, distinct: 21 });
    assert.equal(await countWhere('d_flaky', false), 0);
  } finally {
    offFlaky();
    offLate?.();
  }
});

test('cancelled deadlines never fire; cancelling after a rung fired leaves that rung as it was', async () => {
  const off = registerDeadlineHandler('e_fire', recorder());
  try {
    const [x, y, z] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const rung = (subjectId: string, n: number, dueAt: Date) => ({
      authorityId,
      subjectType: 'e_fire',
      subjectId,
      rung: n,
      dueAt,
      action: { rung: n },
    });
    await scheduleDeadlines(db, [
      rung(x, 0, at(-3 * 3600_000)),
      rung(x, 1, at(-2 * 3600_000)),
      rung(x, 2, at(24 * 3600_000)),
      rung(y, 0, at(-3600_000)),
      rung(y, 1, at(3600_000)),
      rung(z, 0, at(-3600_000)),
      rung(z, 1, at(3600_000)),
    ]);
    await cancelDeadlines(db, 'e_fire', x, at(-4 * 3600_000));
    assert.deepEqual(await sweepDue(db, NOW), { fired: 2, failed: 0 }, 'y0 and z0');
    await cancelDeadlines(db, 'e_fire', z, NOW);
    assert.deepEqual(await sweepDue(db, at(7 * 24 * 3600_000)), { fired: 1, failed: 0 }, 'y1 only');

    const rows = await db
      .selectFrom('deadlines')
      .select(['subject_id', 'rung', 'fired_at', 'cancelled_at'])
      .orderBy('subject_id')
      .orderBy('rung')
      .execute();
    const state = (id: string, n: number) => {
      const r = rows.find((row) => row.subject_id === id && row.rung === n)!;
      return r.fired_at ? 'fired' : r.cancelled_at ? 'cancelled' : 'open';
    };
    assert.deepEqual(
      [state(x, 0), state(x, 1), state(x, 2), state(y, 0), state(y, 1), state(z, 0), state(z, 1)],
      ['cancelled', 'cancelled', 'cancelled', 'fired', 'fired', 'fired', 'cancelled'],
    );
    assert.deepEqual(await firings('e_fire'), { total: 3, distinct: 3 });
  } finally {
    off();
  }
});

test('the sweep reads due rows through deadlines_due_idx, not the whole table', async () => {
  await insertDeadlines('g_plan', 20_000, at(MIN), MIN);
  await insertDeadlines('g_plan', 10, at(-10 * MIN), MIN);
  await sql`ANALYZE deadlines`.execute(db);
  const plan = (await dueDeadlinesQuery(db, NOW, 500).explain()).map((r) => String(Object.values(r)[0]));
  assert.ok(
    plan.some((line) => /Index (Only )?Scan using deadlines_due_idx/.test(line)),
    `expected an index scan on deadlines_due_idx:\n${plan.join('\n')}`,
  );
  assert.ok(!plan.some((line) => /Seq Scan/.test(line)), plan.join('\n'));
});

test('startJobs runs the sweep through pg-boss: a due deadline fires once, later ones too, and stop is clean', async () => {
  const off = registerDeadlineHandler('f_fire', recorder());
  // A module's calendar job (scheduled reports register themselves the same way, in src/modules/subscriptions/jobs.ts).
  const offWeekly = registerScheduledJob({
    name: 'test-weekly',
    cron: '0 7 * * 1',
    tz: 'Europe/London',
    retryLimit: 2,
    run: async () => 0,
    logAs: 'test weekly job',
  });
  assert.throws(() => registerScheduledJob({ ...scheduledJobs()[0]! }), /already registered/);
  const { log, lines } = collectingLog();
  const jobs = await startJobs({ db, url, config: testConfig({ jobIntervalSeconds: 1 }), log, now: () => NOW });
  try {
    const waitForFirings = async (n: number) => {
      const until = Date.now() + 10_000;
      while ((await firings('f_fire')).total < n) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${n} firings; log: ${JSON.stringify(lines)}`);
        await sleep(100);
      }
    };
    await insertDeadlines('f_fire', 1, at(-MIN), 0);
    await waitForFirings(1);
    await insertDeadlines('f_fire', 1, at(-MIN), 0); // picked up by a later trigger, not the first one
    await waitForFirings(2);
    await sleep(1_500); // more triggers: nothing fires twice
    assert.deepEqual(await firings('f_fire'), { total: 2, distinct: 2 });
    assert.equal(await countWhere('f_fire', true), 2);

    const queues = await sql<{ name: string; policy: string }>`
      SELECT name, policy FROM pgboss.queue WHERE name NOT LIKE '\_\_pgboss%' ORDER BY name`.execute(db);
    assert.deepEqual(queues.rows, [
      { name: 'deadline-sweep', policy: 'stately' },
      { name: 'outbox-send', policy: 'stately' },
      { name: 'test-weekly', policy: 'stately' },
    ]);
    const schedules = await sql<{ name: string; cron: string; timezone: string }>`
      SELECT name, cron, timezone FROM pgboss.schedule WHERE name = 'test-weekly'`.execute(db);
    assert.deepEqual(schedules.rows, [{ name: 'test-weekly', cron: '0 7 * * 1', timezone: 'Europe/London' }]);
    assert.deepEqual(await jobs.sweepNow(), { fired: 0, failed: 0 });
    assert.deepEqual(
      lines.filter((l) => l.level === 'error'),
      [],
    );
  } finally {
    await jobs.stop();
    off();
    offWeekly();
  }
  await jobs.stop(); // idempotent

  // Started again without the calendar job: a module retired it, so its schedule is removed; a schedule of a name
  // nobody retired (a newer process's job, in a rolling upgrade) is kept.
  const offNewer = registerScheduledJob({
    name: 'test-newer',
    cron: '0 7 * * 1',
    tz: 'Europe/London',
    retryLimit: 2,
    run: async () => 0,
    logAs: 'test newer job',
  });
  await (await startJobs({ db, url, config: testConfig({ jobIntervalSeconds: 1 }), log, now: () => NOW })).stop();
  offNewer();
  const forget = retireScheduledJob('test-weekly');
  const again = await startJobs({ db, url, config: testConfig({ jobIntervalSeconds: 1 }), log, now: () => NOW });
  try {
    const left = await sql<{ name: string }>`SELECT name FROM pgboss.schedule ORDER BY name`.execute(db);
    assert.deepEqual(
      left.rows.map((r) => r.name),
      ['deadline-sweep', 'outbox-send', 'test-newer'],
    );
  } finally {
    await again.stop();
    forget();
  }
});
