// `npx handover backup FILE`: a consistent snapshot of the whole database in one file (quality.md R7). One
// REPEATABLE READ, READ ONLY transaction reads every table of the app's schema through COPY, so every table is as
// it was at the same instant while the app goes on writing. Written to FILE.partial and renamed when complete:
// a failed backup leaves nothing that looks like a backup. `restore` is in ./restore.ts.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { readConfig } from '../config.ts';
import { appSequences, appTables, columnList, fixSessionFormats, migrationLevel, quoted } from './backup-catalog.ts';
import { backupTarget } from './backup-connect.ts';
import { FORMAT_VERSION, MAGIC, type Manifest, type TableSection, trailer } from './backup-format.ts';
import { restoreBackup } from './restore.ts';
import { UserError } from './user-error.ts';

async function writable(file: string): Promise<void> {
  if (existsSync(file)) {
    throw new UserError(
      `${file} already exists: give a new file name (e.g. with the date in it); nothing was written.`,
    );
  }
  const dir = path.dirname(path.resolve(file));
  try {
    await fs.access(dir, fs.constants.W_OK);
  } catch {
    throw new UserError(`Cannot write ${file}: the folder ${dir} does not exist or is not writable.`);
  }
}

async function snapshot(client: pg.Client, out: fs.FileHandle): Promise<Manifest> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await fixSessionFormats(client);
  const takenAt = (await client.query<{ t: Date }>('SELECT now() AS t')).rows[0]?.t ?? new Date();
  const migrations = await migrationLevel(client);
  let offset = MAGIC.length;
  await out.write(MAGIC);
  const tables: TableSection[] = [];
  for (const table of await appTables(client)) {
    const hash = createHash('sha256');
    const stream = client.query(
      copyTo(`COPY (SELECT ${columnList(client, table.columns)} FROM ${quoted(client, table.name)}) TO STDOUT`),
    );
    let bytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      await out.write(chunk);
      bytes += chunk.length;
    }
    tables.push({ ...table, rows: stream.rowCount, sha256: hash.digest('hex'), offset, bytes });
    offset += bytes;
  }
  const sequences: Manifest['sequences'] = [];
  for (const name of await appSequences(client)) {
    const r = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text, is_called FROM ${quoted(client, name)}`,
    );
    const row = r.rows[0];
    if (row) sequences.push({ name, lastValue: row.last_value, isCalled: row.is_called });
  }
  await client.query('COMMIT');
  return {
    format: 'handover-backup',
    version: FORMAT_VERSION,
    takenAt: takenAt.toISOString(),
    migrations,
    tables,
    sequences,
  };
}

export async function writeBackup(ownerUrl: string, file: string): Promise<Manifest> {
  await writable(file);
  const partial = `${file}.partial`;
  const out = await fs.open(partial, 'w', 0o600);
  const client = new pg.Client({ connectionString: ownerUrl });
  try {
    await client.connect();
    const manifest = await snapshot(client, out);
    const { size } = await out.stat();
    const body = Buffer.from(JSON.stringify(manifest, null, 1), 'utf8');
    await out.write(body);
    await out.write(trailer(size, body.length));
    await out.sync();
    await out.close();
    await fs.rename(partial, file);
    return manifest;
  } catch (e) {
    await out.close().catch(() => {});
    await fs.rm(partial, { force: true });
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The app role may not read the migration list or switch triggers off: say which role to use instead. */
function ownerNeeded(e: unknown): never {
  if ((e as { code?: string }).code === '42501') {
    throw new UserError(
      `Backup and restore run as the role that owns the tables, and this one may not (${(e as Error).message}): set DATABASE_OWNER_URL (docs/database-roles.md).`,
    );
  }
  throw e;
}

export function registerBackupCommands(program: Command) {
  program
    .command('backup')
    .description('write a consistent snapshot of the whole database to FILE (restore it with "handover restore")')
    .argument('<file>', 'the backup file to write; must not exist yet')
    .action(async (file: string) => {
      const target = await backupTarget(readConfig());
      try {
        const manifest = await writeBackup(target.ownerUrl, file).catch(ownerNeeded);
        const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
        console.log(
          `Backed up ${manifest.tables.length} tables, ${rows} rows, taken at ${manifest.takenAt}, to ${file}.`,
        );
      } finally {
        await target.stop();
      }
    });
  program
    .command('restore')
    .description('rebuild an empty database from a backup FILE (refuses a database that holds any data)')
    .argument('<file>', 'a file written by "handover backup"')
    .action(async (file: string) => {
      const target = await backupTarget(readConfig());
      try {
        const manifest = await restoreBackup(target, file).catch(ownerNeeded);
        const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
        console.log(
          `Restored ${manifest.tables.length} tables, ${rows} rows, from the backup taken at ${manifest.takenAt}. Check it with "npx handover audit verify".`,
        );
      } finally {
        await target.stop();
      }
    });
}
