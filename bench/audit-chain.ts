// The audit hash chain in bulk (issue 16 part 6, quality.md P6): rows/s of one statement of 250, 20,000 and
// 200,000 audit rows through the chain trigger (INSERT … SELECT and COPY), against raw COPY of the same rows into a
// copy of the table without triggers (same indexes). A private PostgreSQL; the chain must verify at the end.
//   node --import tsx bench/audit-chain.ts [sizes, default 250,20000,200000] [--timeout 120]
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createDb, type Db, migrateToLatest } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { freePort } from './kit.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { timeout: { type: 'string', default: '120' } },
});
const sizes = (positionals[0] ?? '250,20000,200000').split(',').map(Number);
const timeoutS = Number(values.timeout);

const ROW_SQL = (n: string) =>
  sql.raw(`SELECT a.id, a.id, (ARRAY['create','update','decide'])[1 + g % 3], 'person',
  g::text, a.id, jsonb_build_object('bench', 'audit', 'n', g) FROM generate_series(1, ${n}) g CROSS JOIN a`);

async function timed(fn: () => Promise<unknown>): Promise<number | null> {
  const t = performance.now();
  try {
    await fn();
  } catch (e) {
    if (/statement timeout/.test((e as Error).message)) return null;
    throw e;
  }
  return performance.now() - t;
}

async function main() {
  const dir = path.join(os.tmpdir(), `handover-audit-${randomBytes(4).toString('hex')}`);
  // The server writes and reads the rows' files: a directory it may use whichever user it runs as.
  const files = await fs.mkdtemp(path.join(os.tmpdir(), 'handover-audit-files-'));
  await fs.chmod(files, 0o777);
  const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'auditbench' });
  let db: Db = createDb(cluster.url('auditbench'), 2);
  const rate = (n: number, ms: number | null) =>
    ms === null ? `did not finish in ${timeoutS} s` : `${Math.round((n * 1000) / ms).toLocaleString('en-GB')} rows/s`;
  try {
    await migrateToLatest(db);
    await db.destroy();
    db = createDb(cluster.url('auditbench'), 2);
    await sql`CREATE TABLE audit_raw (LIKE audit_log INCLUDING ALL)`.execute(db);
    await db.connection().execute(async (conn) => {
      await sql`CREATE TEMP TABLE a AS SELECT gen_random_uuid() AS id`.execute(conn);
      await sql.raw(`SET statement_timeout = '${timeoutS}s'`).execute(conn);
      const file = path.join(files, 'rows.csv');
      const inFile = path.join(files, 'in.csv');
      console.log(
        `load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
      for (const n of sizes) {
        // One statement of n rows through the trigger; 250 is repeated to 20,000 rows so the rate is steady.
        const reps = n < 20_000 ? Math.ceil(20_000 / n) : 1;
        let ms: number | null = 0;
        for (let i = 0; i < reps && ms !== null; i++) {
          const one = await timed(() =>
            sql`INSERT INTO audit_log (authority_id, actor_id, action, entity, entity_id, person_id, detail) ${ROW_SQL(String(n))}`.execute(
              conn,
            ),
          );
          ms = one === null ? null : ms + one;
        }
        const insertRate = rate(n * reps, ms);
        // COPY of the entries' own columns through the trigger.
        await sql`COPY (${ROW_SQL(String(n))}) TO ${sql.lit(inFile)} WITH (FORMAT csv)`.execute(conn);
        const copyTrigger = await timed(() =>
          sql`COPY audit_log (authority_id, actor_id, action, entity, entity_id, person_id, detail) FROM ${sql.lit(inFile)} WITH (FORMAT csv)`.execute(
            conn,
          ),
        );
        // Raw COPY: the same number of finished rows (seq and hashes included) into the trigger-less copy.
        await sql`COPY (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ${sql.lit(n)}) TO ${sql.lit(file)} WITH (FORMAT csv)`.execute(
          conn,
        );
        await sql`TRUNCATE audit_raw`.execute(conn);
        await sql`CHECKPOINT`.execute(conn);
        const raw = await timed(() => sql`COPY audit_raw FROM ${sql.lit(file)} WITH (FORMAT csv)`.execute(conn));
        const share =
          copyTrigger === null || raw === null ? '' : ` (${((100 * raw) / copyTrigger).toFixed(1)} % of raw)`;
        console.log(
          `${n.toLocaleString('en-GB')} rows a statement: INSERT…SELECT ${insertRate}; COPY through the chain ${rate(n, copyTrigger)}${share}; raw COPY ${rate(n, raw)}`,
        );
      }
    });
    const v = await verifyAuditChain(db);
    console.log(`audit verify: ${v.ok ? `ok, ${v.rows} rows` : `BROKEN at ${v.firstBrokenSeq}: ${v.reason}`}`);
  } finally {
    await db.destroy();
    await cluster.stop();
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(files, { recursive: true, force: true });
  }
}

await main();
