// P6 (quality.md): the CSV import of people against raw COPY of the same rows into the same table, in the same run
// on a private PostgreSQL. The import is timed end to end: parsing the CSV, checking every row (the page's rules,
// then NHS numbers against the database), writing the records, a timeline line each and the audit rows chained in
// bulk; COPY loads the same rows, already in the table's columns, from a file on the server. Rounds alternate, each
// starting from an empty council; the audit chain must still verify at the end.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb, type Db, migrateToLatest } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { ImportService } from '../src/modules/import/service.ts';
import { type BenchRow, freePort, median } from './kit.ts';

export interface P6Result {
  rows: number;
  importMs: number[];
  copyMs: number[];
  ratio: number;
  chainVerifies: boolean;
  row: BenchRow;
}

/** A valid NHS number (modulus 11) from a 9-digit stem, or null when the stem has no valid check digit. */
function nhs(stem: number): string | null {
  const d = String(stem).padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(d[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return `${d}${check === 11 ? 0 : check}`;
}

const GIVEN = ['Ada', 'Bo', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kit', 'Lu', 'Mo', 'Nia', 'Oz'];
const FAMILY = ['Quill', 'Rook', 'Starling', 'Teal', 'Umber', 'Vane', 'Wren', 'Yarrow', 'Zephyr', 'Ash', 'Birch'];

/** `n` fictional young people: source id, names, date of birth, NHS number, postcode. */
function people(n: number) {
  const rows: string[][] = [];
  for (let i = 0, stem = 400_000_000; rows.length < n; i++) {
    let number = nhs(stem++);
    while (number === null) number = nhs(stem++);
    const dob = `${2001 + (i % 25)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    rows.push([
      `P6-${i}`,
      GIVEN[i % GIVEN.length] as string,
      `${FAMILY[i % FAMILY.length]}${i}`,
      dob,
      number,
      `EX${1 + (i % 9)} ${i % 10}AB`,
    ]);
  }
  return rows;
}

async function emptyCouncil(db: Db, authorityId: string) {
  await sql`DELETE FROM people WHERE authority_id = ${authorityId}`.execute(db);
  await sql`VACUUM ANALYZE people, events`.execute(db);
}

export async function benchImport(opts: { rows?: number; rounds?: number; log?: (l: string) => void } = {}) {
  const n = opts.rows ?? 20_000;
  const rounds = opts.rounds ?? 3;
  const say = opts.log ?? (() => {});
  const dir = path.join(os.tmpdir(), `handover-p6-${randomBytes(4).toString('hex')}`);
  say(`P6: import of ${n.toLocaleString('en-GB')} people vs COPY; starting a private PostgreSQL in ${dir}…`);
  const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'p6' });
  const db = createDb(cluster.url('p6'), 2);
  try {
    await migrateToLatest(db);
    const { id: authorityId } = await db
      .insertInto('authorities')
      .values({ code: 'P6', name: 'P6 benchmark council' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = people(n);
    const csv = `source_id,given_name,family_name,date_of_birth,nhs_number,postcode\n${rows.map((r) => r.join(',')).join('\n')}\n`;
    const copyFile = path.join(dir, 'p6-copy.csv');
    await fs.writeFile(copyFile, rows.map((r, i) => [authorityId, `HO${200_000 + i}`, ...r].join(',')).join('\n'));
    const service = new ImportService(db, () => '2026-11-23');
    const importMs: number[] = [];
    const copyMs: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      await emptyCouncil(db, authorityId);
      let t = performance.now();
      const report = await service.run(authorityId, 'people', csv);
      const imported = performance.now() - t;
      if (report.created !== n) throw new Error(`P6: the import created ${report.created} of ${n} people`);
      await emptyCouncil(db, authorityId);
      t = performance.now();
      await sql`COPY people (authority_id, case_number, source_id, given_name, family_name, date_of_birth, nhs_number, postcode)
        FROM ${sql.lit(copyFile)} WITH (FORMAT csv)`.execute(db);
      const copied = performance.now() - t;
      // Round 0 warms caches and connections; it is not counted.
      if (round > 0) {
        importMs.push(imported);
        copyMs.push(copied);
      }
      say(
        `  round ${round}: import ${imported.toFixed(0)} ms, COPY ${copied.toFixed(0)} ms${round ? '' : ' (warm-up)'}`,
      );
    }
    await emptyCouncil(db, authorityId);
    const chain = await verifyAuditChain(db);
    const im = median(importMs);
    const cp = median(copyMs);
    const ratio = cp / im;
    const perSec = (ms: number) => Math.round((n * 1000) / ms).toLocaleString('en-GB');
    const result: P6Result = {
      rows: n,
      importMs,
      copyMs,
      ratio,
      chainVerifies: chain.ok,
      row: {
        id: 'P6',
        benchmark: `CSV import of ${n.toLocaleString('en-GB')} people (checks, timeline, audit chained in bulk) vs raw COPY`,
        measured: `${perSec(im)} rows/s`,
        floor: `${perSec(cp)} rows/s`,
        ratio: `${(100 * ratio).toFixed(1)} %`,
        target: '≥ 50 %',
        pass: ratio >= 0.5 && chain.ok,
        absolute: `import ${im.toFixed(0)} ms, COPY ${cp.toFixed(0)} ms (medians of ${rounds}); audit chain ${chain.ok ? 'verifies' : 'BROKEN'}`,
      },
    };
    return result;
  } finally {
    await db.destroy();
    await cluster.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
