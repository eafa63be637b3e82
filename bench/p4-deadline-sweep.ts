// P4: the deadline sweep with 1,000,000 open deadlines takes < 1 s, and its cost grows with the due items, not
// with all open ones.
//
// Two databases on one private embedded cluster (a temporary directory, removed afterwards): 1,000,000 open
// deadlines spread over the next year, and the floor, 10,000 open; both with the same 1,000 due now. Each round
// re-opens the due rows (and vacuums, so neither side carries the dead index entries of earlier rounds), then times
// sweepDue with a handler that does nothing, on each database in turn so machine noise hits both. The ratio of the
// medians is what the partial index deadlines_due_idx buys: ≈ 1 when the sweep reads only what is due.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type Db, migrateToLatest } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { type JobLog, registerDeadlineHandler, sweepDue } from '../src/jobs/deadlines.ts';
import { dueDeadlinesQuery } from '../src/modules/timers/repository.ts';
import { type BenchRow, freePort, median } from './kit.ts';

const SUBJECT = 'p4_bench';
const TARGET_MS = 1000;
const TARGET_RATIO = 2;

export interface P4Result {
  name: string;
  /** Median time of one sweep of the due rows with `open` open deadlines, ms. */
  measuredMs: number;
  /** The same with `floorOpen` open deadlines, ms. */
  floorMs: number;
  ratio: number;
  target: string;
  pass: boolean;
  open: number;
  floorOpen: number;
  due: number;
  sweepsMs: number[];
  floorSweepsMs: number[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the sweep's claim query on the large database. */
  plan: string[];
  usesIndex: boolean;
  setupSeconds: number;
  /** The line for the runner's table. */
  row: BenchRow;
}

/** `open` open deadlines, `due` of them due by `now` (within the past week), the rest over the next year. */
async function populate(db: Db, open: number, due: number, now: Date): Promise<void> {
  await migrateToLatest(db);
  const { id: authorityId } = await db
    .insertInto('authorities')
    .values({ code: 'P4', name: 'P4 benchmark council' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    INSERT INTO deadlines (authority_id, subject_type, subject_id, rung, due_at, action)
    SELECT ${authorityId}, ${SUBJECT}, gen_random_uuid(), 0,
           CASE WHEN g <= ${due}
             THEN ${now}::timestamptz - random() * interval '7 days'
             ELSE ${now}::timestamptz + interval '1 minute' + random() * interval '365 days' END,
           '{"rung":0}'::jsonb
    FROM generate_series(1, ${open}) g
  `.execute(db);
  await sql`VACUUM ANALYZE deadlines`.execute(db);
}

/** Re-opens the rows the last sweep fired, and clears the dead index entries that left. */
async function reopen(db: Db): Promise<void> {
  await sql`UPDATE deadlines SET fired_at = NULL WHERE fired_at IS NOT NULL`.execute(db);
  await sql`VACUUM deadlines`.execute(db);
}

async function timedSweep(db: Db, now: Date, due: number, log: JobLog): Promise<number> {
  const t0 = performance.now();
  const r = await sweepDue(db, now, { log });
  const ms = performance.now() - t0;
  if (r.fired !== due || r.failed !== 0)
    throw new Error(`P4: the sweep fired ${r.fired} and failed ${r.failed}; expected ${due} and 0`);
  return ms;
}

export async function benchDeadlineSweep(
  opts: { log?: (line: string) => void; open?: number; floorOpen?: number; due?: number; rounds?: number } = {},
): Promise<P4Result> {
  const open = opts.open ?? 1_000_000;
  const floorOpen = opts.floorOpen ?? 10_000;
  const due = opts.due ?? 1_000;
  const rounds = opts.rounds ?? 7;
  const say = opts.log ?? (() => {});
  const quiet: JobLog = { info: () => {}, warn: () => {}, error: (obj, msg) => say(`${msg} ${JSON.stringify(obj)}`) };
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const dir = path.join(os.tmpdir(), `handover-p4-${randomBytes(4).toString('hex')}`);
  const started = performance.now();
  say(`P4: deadline sweep; starting a private PostgreSQL in ${dir}…`);
  const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'p4_large' });
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE p4_floor');
  await admin.end();
  const large = createDb(cluster.url('p4_large'), 4);
  const floor = createDb(cluster.url('p4_floor'), 4);
  const unregister = registerDeadlineHandler(SUBJECT, async () => {});
  try {
    say(`  inserting ${open.toLocaleString('en-GB')} and ${floorOpen.toLocaleString('en-GB')} open deadlines…`);
    await Promise.all([populate(large, open, due, now), populate(floor, floorOpen, due, now)]);
    const setupSeconds = (performance.now() - started) / 1000;
    say(`  set up in ${setupSeconds.toFixed(1)} s; ${rounds} rounds of ${due.toLocaleString('en-GB')} due…`);

    // One untimed round each: connections made, caches warm.
    await timedSweep(large, now, due, quiet);
    await timedSweep(floor, now, due, quiet);
    const sweepsMs: number[] = [];
    const floorSweepsMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await Promise.all([reopen(large), reopen(floor)]);
      sweepsMs.push(await timedSweep(large, now, due, quiet));
      floorSweepsMs.push(await timedSweep(floor, now, due, quiet));
    }

    await reopen(large);
    const explained = await dueDeadlinesQuery(large, now, 500).explain('text', sql`analyze, buffers`);
    const plan = explained.map((r) => String(Object.values(r)[0]));
    const usesIndex = plan.some((l) => /Index (Only )?Scan using deadlines_due_idx/.test(l));

    const measuredMs = median(sweepsMs);
    const floorMs = median(floorSweepsMs);
    const ratio = measuredMs / floorMs;
    const pass = measuredMs < TARGET_MS && ratio <= TARGET_RATIO && usesIndex;
    const target = `< 1 s per sweep; ≤ ${TARGET_RATIO}× the ${floorOpen.toLocaleString('en-GB')}-open floor`;
    const n = (x: number) => x.toLocaleString('en-GB');
    const f = (x: number) => `${x.toFixed(1)} ms`;
    return {
      name: `P4 deadline sweep: ${n(due)} due of ${n(open)} open`,
      measuredMs,
      floorMs,
      ratio,
      target,
      pass,
      open,
      floorOpen,
      due,
      sweepsMs,
      floorSweepsMs,
      plan,
      usesIndex,
      setupSeconds,
      row: {
        id: 'P4',
        benchmark: `Deadline sweep of ${n(due)} due, ${n(open)} open vs ${n(floorOpen)} open (floor)`,
        measured: f(measuredMs),
        floor: f(floorMs),
        ratio: `${ratio.toFixed(2)}×`,
        target,
        pass,
        absolute: `${((1000 * measuredMs) / due).toFixed(0)} µs per deadline; range ${f(Math.min(...sweepsMs))}–${f(Math.max(...sweepsMs))}; ${usesIndex ? 'Index Scan using deadlines_due_idx' : 'NOT using deadlines_due_idx'}`,
      },
    };
  } finally {
    unregister();
    await Promise.all([large.destroy(), floor.destroy()]);
    await cluster.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
