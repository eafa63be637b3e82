// The benchmarks' database: an embedded PostgreSQL in bench/.data holding the county-sized demo. Built once
// (a few minutes at most) and reused by later runs while it still has the county's sizes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb, type Db, migrateToLatest } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { hashPassword } from '../src/modules/auth/passwords.ts';
import { buildCounty, COUNTY_CODE, COUNTY_SIZES, type CountySummary } from '../src/modules/demo/county.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/seed.ts';
import { freePort } from './kit.ts';

export const BENCH_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '.data');

export interface BenchDatabase {
  db: Db;
  url: string;
  /** How the county got there: built by this run (with its timing), or reused from an earlier run. */
  county: { source: 'built'; summary: CountySummary } | { source: 'reused'; people: number; staff: number };
  close(): Promise<void>;
}

async function countySize(db: Db): Promise<{ people: number; staff: number } | null> {
  const a = await db.selectFrom('authorities').where('code', '=', COUNTY_CODE).select('id').executeTakeFirst();
  if (!a) return null;
  const [people, staff] = await Promise.all(
    (['people', 'users'] as const).map(async (t) => {
      const row = await db
        .selectFrom(t)
        .where('authority_id', '=', a.id)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }),
  );
  return { people: people as number, staff: staff as number };
}

export interface BenchCluster {
  /** Replaced by `recreate`: read it from the object each time. */
  db: Db;
  url: string;
  /** Drops and creates the database again, migrated. */
  recreate(): Promise<void>;
  close(): Promise<void>;
}

/** An embedded cluster in `dir` with a migrated database `bench` (recreated when the migrations do not fit it). */
export async function openBenchCluster(opts: {
  dir: string;
  poolSize: number;
  log: (line: string) => void;
  fresh?: boolean;
  /** Throw when the migrations do not fit, instead of recreating the database. */
  keep?: boolean;
}): Promise<BenchCluster> {
  const cluster = await startEmbeddedPostgres({ dir: opts.dir, port: await freePort(), database: 'bench' });
  const url = cluster.url('bench');
  const c: BenchCluster = {
    db: createDb(url, opts.poolSize),
    url,
    async recreate() {
      await c.db.destroy();
      const admin = new pg.Client({ connectionString: cluster.url('postgres') });
      await admin.connect();
      try {
        await admin.query('DROP DATABASE IF EXISTS bench WITH (FORCE)');
        await admin.query('CREATE DATABASE bench');
      } finally {
        await admin.end();
      }
      c.db = createDb(url, opts.poolSize);
      await migrateToLatest(c.db);
    },
    async close() {
      await c.db.destroy();
      await cluster.stop();
    },
  };
  try {
    if (opts.fresh) await c.recreate();
    else {
      try {
        await migrateToLatest(c.db);
      } catch (e) {
        // Migrations landed out of order while this cache was built (branches, concurrent work): it is only a
        // cache, so start it again rather than ask anyone to repair it — unless told to keep it (a national
        // council takes minutes to build; someone mid-change would rather see the failing migration).
        if (opts.keep) throw e;
        opts.log(`The benchmarks database does not match the migrations (${(e as Error).message}); recreating it.`);
        await c.recreate();
      }
    }
    return c;
  } catch (e) {
    await c.close();
    throw e;
  }
}

export async function openBenchDatabase(opts: {
  dir?: string;
  rebuild?: boolean;
  poolSize: number;
  log: (line: string) => void;
}): Promise<BenchDatabase> {
  const c = await openBenchCluster({ dir: opts.dir ?? BENCH_DATA_DIR, poolSize: opts.poolSize, log: opts.log });
  const { url, close } = c;
  const db = c.db;
  try {
    const found = await countySize(db);
    if (!opts.rebuild && found && found.people === COUNTY_SIZES.people && found.staff === COUNTY_SIZES.staff) {
      opts.log(`Reusing the county in ${opts.dir ?? BENCH_DATA_DIR} (delete it, or pass --rebuild, for a fresh one).`);
      return { db, url, county: { source: 'reused', ...found }, close };
    }
    opts.log('Building the county-sized demo for the benchmarks (once; later runs reuse it)…');
    let lastTenth = -1;
    const summary = await buildCounty(db, {
      passwordHash: await hashPassword(DEMO_PASSWORD),
      now: new Date(),
      replace: found !== null,
      onProgress: (p) => {
        const tenth = Math.floor((10 * p.done) / p.total);
        if (tenth !== lastTenth) opts.log(`  ${p.phase}: ${Math.round((100 * p.done) / p.total)}%`);
        lastTenth = tenth;
      },
    });
    const secs = (summary.ms - summary.deleteMs) / 1000;
    opts.log(
      `  built in ${secs.toFixed(1)} s: ${summary.rows.toLocaleString('en-GB')} rows, ${Math.round(summary.rows / secs).toLocaleString('en-GB')} rows/s`,
    );
    return { db, url, county: { source: 'built', summary }, close };
  } catch (e) {
    await close();
    throw e;
  }
}
