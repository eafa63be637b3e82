// The county build against raw COPY of the same rows (quality.md P6, issue 16 part 6), on a private PostgreSQL:
// the county demo is built (audit history included, chained by the triggers), every table is copied out, and the
// same rows are COPYed into a freshly migrated database with the tables' own triggers off (foreign keys and indexes
// kept), as `handover restore` loads a backup. The share is raw COPY's time over the build's.
//   node --import tsx bench/county-share.ts [--scale 0.1]     (1 = county-sized: 30,000 people, 2,000,000 audit rows)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { appTables, quoted } from '../src/cli/backup-catalog.ts';
import { createDb, migrateToLatest } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { hashPassword } from '../src/modules/auth/passwords.ts';
import { buildCounty, COUNTY_SIZES } from '../src/modules/demo/county.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/seed.ts';
import { freePort } from './kit.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.1' } } });
const scale = Number(values.scale);
const sizes = {
  people: Math.round(COUNTY_SIZES.people * scale),
  staff: Math.max(60, Math.round(COUNTY_SIZES.staff * scale)),
  teams: COUNTY_SIZES.teams,
  actions: Math.round(COUNTY_SIZES.actions * scale),
  audit: Math.round(COUNTY_SIZES.audit * scale),
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function main() {
  const dir = path.join(os.tmpdir(), `handover-county-share-${randomBytes(4).toString('hex')}`);
  // The server writes and reads the tables' files: a directory it may use whichever user it runs as.
  const files = await fs.mkdtemp(path.join(os.tmpdir(), 'handover-county-files-'));
  await fs.chmod(files, 0o777);
  const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'built' });
  try {
    console.log(
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}; sizes ${JSON.stringify(sizes)}`,
    );
    let db = createDb(cluster.url('built'), 2);
    await migrateToLatest(db);
    await db.destroy();
    db = createDb(cluster.url('built'), 2);
    const summary = await buildCounty(db, {
      passwordHash: await hashPassword(DEMO_PASSWORD),
      now: new Date(),
      sizes,
    });
    const verdict = await verifyAuditChain(db);
    await db.destroy();
    const buildS = (summary.ms - summary.deleteMs) / 1000;
    console.log(
      `build: ${summary.rows.toLocaleString('en-GB')} rows in ${buildS.toFixed(1)} s (${Math.round(summary.rows / buildS).toLocaleString('en-GB')} rows/s), of which audit history ${(summary.auditMs / 1000).toFixed(1)} s for ${sizes.audit.toLocaleString('en-GB')} rows (${Math.round((sizes.audit * 1000) / summary.auditMs).toLocaleString('en-GB')} rows/s); audit verify ${verdict.ok ? 'clean' : 'BROKEN'}`,
    );

    // Out: every table with rows, in the catalog's order (parents before children).
    const { all, tables } = await withClient(cluster.url('built'), async (c) => {
      const all = (await appTables(c)).map((t) => t.name);
      const out: { name: string; file: string; rows: number }[] = [];
      for (const name of all) {
        const file = path.join(files, `${name}.copy`);
        const r = await c.query(`COPY ${quoted(c, name)} TO '${file}'`);
        if ((r.rowCount ?? 0) > 0) out.push({ name, file, rows: r.rowCount ?? 0 });
      }
      return { all, tables: out };
    });
    await withClient(cluster.url('postgres'), (c) => c.query('CREATE DATABASE raw'));
    const raw = createDb(cluster.url('raw'), 1);
    await migrateToLatest(raw);
    await raw.destroy();

    // In: one transaction, the tables' own triggers off, the rows the migrations wrote replaced.
    const { rows, ms } = await withClient(cluster.url('raw'), async (c) => {
      await c.query('BEGIN');
      for (const name of all) await c.query(`ALTER TABLE ${quoted(c, name)} DISABLE TRIGGER USER`);
      await c.query(`TRUNCATE ${all.map((name) => quoted(c, name)).join(', ')}`);
      await c.query('CHECKPOINT');
      const t0 = performance.now();
      let n = 0;
      for (const t of tables) n += (await c.query(`COPY ${quoted(c, t.name)} FROM '${t.file}'`)).rowCount ?? 0;
      const took = performance.now() - t0;
      await c.query('ROLLBACK');
      return { rows: n, ms: took };
    });
    const rawS = ms / 1000;
    console.log(
      `raw COPY: ${rows.toLocaleString('en-GB')} rows in ${rawS.toFixed(1)} s (${Math.round(rows / rawS).toLocaleString('en-GB')} rows/s)`,
    );
    console.log(`P6 share (raw COPY time / build time): ${((100 * rawS) / buildS).toFixed(1)} % (target ≥ 50 %)`);
  } finally {
    await cluster.stop();
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(files, { recursive: true, force: true });
  }
}

await main();
