// `npx handover restore FILE`: rebuilds an empty database from a backup (quality.md R7). Checks every section's
// checksum first, migrates the database with this code's migrations (so the schema is the app's own), refuses a
// migration level other than the backup's, then, in one transaction as the tables' owner: refuses a database
// holding any data, switches the tables' own triggers off (the audit chain trigger would re-chain the rows and the
// append-only and unchanged-version triggers refuse the clearing), COPYs every table in foreign-key order, sets
// the sequences and switches the triggers back on. The audit rows come back byte for byte, their hashes with them.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../db/connect.ts';
import {
  appTables,
  type CatalogTable,
  columnList,
  fixSessionFormats,
  migrationLevel,
  quoted,
} from './backup-catalog.ts';
import type { BackupTarget } from './backup-connect.ts';
import { checkSections, type Manifest, readManifest, type TableSection } from './backup-format.ts';
import { UserError } from './user-error.ts';

/** Rows the migrations themselves write: a database holding only these is empty. */
const MIGRATION_ROWS: Record<string, string> = {
  audit_chain_head: 'seq <> 0',
  protocol_versions: "origin <> 'built-in'",
};

async function refuseNonEmpty(client: pg.Client, tables: CatalogTable[]): Promise<void> {
  const holding: string[] = [];
  for (const t of tables) {
    const where = MIGRATION_ROWS[t.name] ?? 'true';
    const r = await client.query(`SELECT 1 FROM ${quoted(client, t.name)} WHERE ${where} LIMIT 1`);
    if (r.rowCount) holding.push(t.name);
  }
  if (holding.length === 0) return;
  const named = holding.slice(0, 3).join(', ') + (holding.length > 3 ? ` and ${holding.length - 3} more` : '');
  throw new UserError(
    `The database is not empty (rows in ${named}): restore only into a new, empty database; nothing was changed.`,
  );
}

function sameLevel(manifest: Manifest, here: string[], file: string): void {
  const theirs = manifest.migrations.join('\n');
  if (theirs === here.join('\n')) return;
  const last = (l: string[]) => l[l.length - 1] ?? 'none';
  throw new UserError(
    `${file} was taken at migration level ${last(manifest.migrations)} (${manifest.migrations.length} migrations) but this Handover is at ${last(here)} (${here.length}): restore it with the Handover version that wrote it, then upgrade.`,
  );
}

function sameSchema(manifest: Manifest, tables: CatalogTable[], file: string): Map<string, TableSection> {
  const sections = new Map(manifest.tables.map((t) => [t.name, t]));
  const names = (l: { name: string }[]) => l.map((t) => t.name).sort();
  const differs =
    names(tables).join() !== names(manifest.tables).join() ||
    tables.some((t) => sections.get(t.name)?.columns.join() !== t.columns.join());
  if (differs) {
    throw new UserError(`${file} holds other tables or columns than this database's schema: nothing was restored.`);
  }
  return sections;
}

async function copyIn(client: pg.Client, file: string, table: CatalogTable, section: TableSection): Promise<void> {
  const hash = createHash('sha256');
  const source =
    section.bytes === 0
      ? Readable.from([])
      : createReadStream(file, { start: section.offset, end: section.offset + section.bytes - 1 });
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const sink = client.query(
    copyFrom(`COPY ${quoted(client, table.name)} (${columnList(client, table.columns)}) FROM STDIN`),
  );
  await pipeline(source, tap, sink);
  if (hash.digest('hex') !== section.sha256 || sink.rowCount !== section.rows) {
    throw new UserError(`${file} changed while it was being restored (table ${table.name}): nothing was restored.`);
  }
}

async function load(client: pg.Client, file: string, manifest: Manifest): Promise<void> {
  await client.query('BEGIN');
  try {
    await fixSessionFormats(client);
    const tables = await appTables(client);
    const sections = sameSchema(manifest, tables, file);
    await refuseNonEmpty(client, tables);
    const all = tables.map((t) => quoted(client, t.name));
    for (const t of all) await client.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
    // The rows the migrations wrote (the chain head at zero, the built-in protocols) are in the backup too.
    await client.query(`TRUNCATE ${all.join(', ')}`);
    for (const t of tables) await copyIn(client, file, t, sections.get(t.name) as TableSection);
    for (const s of manifest.sequences) {
      await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [
        quoted(client, s.name),
        s.lastValue,
        s.isCalled,
      ]);
    }
    for (const t of all) await client.query(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

export async function restoreBackup(target: BackupTarget, file: string): Promise<Manifest> {
  const manifest = await readManifest(file);
  await checkSections(file, manifest);
  const opened = await openDatabase(target.config, { migrate: true, poolSize: 1 });
  await opened.close();
  const client = new pg.Client({ connectionString: target.ownerUrl });
  await client.connect();
  try {
    sameLevel(manifest, await migrationLevel(client), file);
    await load(client, file, manifest);
    return manifest;
  } finally {
    await client.end().catch(() => {});
  }
}
