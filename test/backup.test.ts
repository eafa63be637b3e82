// Backup and restore (quality.md R7, issue 15 item 10): the demo council backed up through the command line,
// restored into a fresh database, every table equal row for row, the audit chain verifying and still appending;
// a database with data, a damaged file, another migration level and bad arguments refused in one line.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { readManifest } from '../src/cli/backup-format.ts';
import { ensureDemo } from '../src/modules/demo/seed.ts';
import { fixedClock, testConfig, testDatabase } from './helpers.ts';

const source = await testDatabase({ demo: true });
const target = await testDatabase();
const spare = await testDatabase();
const live = await testDatabase();
await ensureDemo(source.db, { config: testConfig(), now: fixedClock().now });
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'handover-backup-'));
after(() => fs.rm(dir, { recursive: true, force: true }));

const roles = (d: { url: string; ownerUrl: string }) => ({ DATABASE_URL: d.url, DATABASE_OWNER_URL: d.ownerUrl });

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', MAIL_TRANSPORT: 'off', DEMO_MODE: 'false', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function oneLine(r: { status: number | null; stderr: string }, pattern: RegExp) {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

/** Every table's row count and a digest of its rows in a fixed order, read independently of the backup code. */
async function fingerprint(adminUrl: string): Promise<Record<string, { rows: number; digest: string }>> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const tables = await c.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely%'
       ORDER BY tablename`,
    );
    const out: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of tables.rows) {
      const t = c.escapeIdentifier(name);
      const r = await c.query<{ rows: number; digest: string | null }>(
        `SELECT count(*)::int AS rows, md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS digest FROM ${t} x`,
      );
      out[name] = { rows: r.rows[0]?.rows ?? -1, digest: r.rows[0]?.digest ?? '' };
    }
    return out;
  } finally {
    await c.end();
  }
}

async function auditRows(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
  await c.end();
  return r.rows[0]?.n ?? -1;
}

const file = path.join(dir, 'county.backup');

test('the demo council round-trips: every table equal, the audit chain verifying and still appending', async () => {
  const backup = cli(['backup', file], roles(source));
  assert.equal(backup.status, 0, backup.stderr);
  assert.match(backup.stdout, /Backed up \d+ tables, \d+ rows/);
  const before = await fingerprint(source.adminUrl);
  const manifest = await readManifest(file);
  assert.deepEqual(
    Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows])),
    Object.fromEntries(Object.entries(before).map(([name, f]) => [name, f.rows])),
    'the manifest counts every table of the schema',
  );
  assert.ok(before.audit_log && before.audit_log.rows > 10, 'the demo wrote audit rows');
  assert.ok(before.people && before.people.rows > 0, 'the demo wrote people');
  assert.ok(manifest.migrations.length > 10);

  const restore = cli(['restore', file], roles(target));
  assert.equal(restore.status, 0, restore.stderr);
  assert.match(restore.stdout, /Restored \d+ tables/);
  assert.deepEqual(await fingerprint(target.adminUrl), before);

  const verify = cli(['audit', 'verify'], roles(target));
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, new RegExp(`Audit chain verified: ${before.audit_log.rows} rows, no breaks`));

  // The triggers are back on: a new audit row is chained after the restored ones, and the log stays append-only.
  const app = new pg.Client({ connectionString: target.url });
  await app.connect();
  await app.query(`INSERT INTO audit_log (action, entity, detail) VALUES ('test.after_restore', 'test', '{}')`);
  await assert.rejects(app.query('DELETE FROM audit_log'), /permission denied|append-only/);
  await app.end();
  const again = cli(['audit', 'verify'], roles(target));
  assert.equal(again.status, 0, again.stdout);
  assert.match(again.stdout, new RegExp(`verified: ${before.audit_log.rows + 1} rows`));
});

test('a backup taken while the app writes is one snapshot: the chain head matches the last audit row restored', async () => {
  const during = path.join(dir, 'during.backup');
  let writing = true;
  let written = 0;
  const writer = (async () => {
    const c = new pg.Client({ connectionString: source.url });
    await c.connect();
    while (writing) {
      await c.query(`INSERT INTO audit_log (action, entity, detail) VALUES ('test.during_backup', 'test', '{}')`);
      written++;
    }
    await c.end();
  })();
  const backup = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'backup', during], {
      env: { ...process.env, LOG_LEVEL: 'silent', MAIL_TRANSPORT: 'off', DEMO_MODE: 'false', ...roles(source) },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stderr }));
  });
  writing = false;
  await writer;
  assert.equal(backup.status, 0, backup.stderr);
  assert.ok(written > 0, 'audit rows were written during the backup');
  const restore = cli(['restore', during], roles(live));
  assert.equal(restore.status, 0, restore.stderr);
  const c = new pg.Client({ connectionString: live.adminUrl });
  await c.connect();
  const r = await c.query<{ head: string; last: string; n: string }>(
    'SELECT (SELECT seq FROM audit_chain_head)::text AS head, max(seq)::text AS last, count(*)::text AS n FROM audit_log',
  );
  await c.end();
  assert.equal(r.rows[0]?.head, r.rows[0]?.last);
  assert.equal(r.rows[0]?.n, r.rows[0]?.last, 'no gap in the chain');
  const verify = cli(['audit', 'verify'], roles(live));
  assert.equal(verify.status, 0, verify.stdout);
});

test('a database holding data is refused in one line and left as it was', async () => {
  const rows = await auditRows(source.adminUrl);
  oneLine(cli(['restore', file], roles(source)), /The database is not empty \(rows in \w+, \w+, \w+ and \d+ more\)/);
  assert.equal(await auditRows(source.adminUrl), rows);
});

test('a damaged file or another migration level is refused before anything is written', async () => {
  const manifest = await readManifest(file);
  const people = manifest.tables.find((t) => t.name === 'people');
  assert.ok(people && people.bytes > 10);
  const bytes = await fs.readFile(file);
  const damaged = Buffer.from(bytes);
  damaged[people.offset + 5] = (damaged[people.offset + 5] as number) ^ 1;
  const damagedFile = path.join(dir, 'damaged.backup');
  await fs.writeFile(damagedFile, damaged);
  oneLine(cli(['restore', damagedFile], roles(spare)), /damaged: the data of table people does not match its checksum/);

  // The same data, but a manifest from a database one migration behind.
  const older = { ...manifest, migrations: manifest.migrations.slice(0, -1) };
  const body = Buffer.from(JSON.stringify(older), 'utf8');
  const manifestAt =
    people.offset +
    people.bytes +
    manifest.tables.slice(manifest.tables.indexOf(people) + 1).reduce((n, t) => n + t.bytes, 0);
  const trailer = Buffer.from(`${`HANDOVER-MANIFEST ${manifestAt} ${body.length}`.padEnd(63, ' ')}\n`);
  const olderFile = path.join(dir, 'older.backup');
  await fs.writeFile(olderFile, Buffer.concat([bytes.subarray(0, manifestAt), body, trailer]));
  oneLine(cli(['restore', olderFile], roles(spare)), /was taken at migration level .* but this Handover is at /);
  assert.equal(await auditRows(spare.adminUrl), 0, 'nothing was restored');
});

test('bad arguments get one clear line', async () => {
  const none = cli(['backup'], roles(source));
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /missing required argument 'file'/);
  oneLine(cli(['backup', file], roles(source)), /already exists: give a new file name/);
  oneLine(cli(['backup', path.join(dir, 'no-such-folder', 'x.backup')], roles(source)), /folder .* does not exist/);
  oneLine(cli(['restore', path.join(dir, 'missing.backup')], roles(spare)), /Cannot read .*: no such file/);
  oneLine(cli(['restore', 'package.json'], roles(spare)), /package\.json is not a Handover backup/);
  oneLine(
    cli(['backup', path.join(dir, 'app-role.backup')], { DATABASE_URL: source.url }),
    /run as the role that owns the tables.*set DATABASE_OWNER_URL/,
  );
  await assert.rejects(fs.access(path.join(dir, 'app-role.backup.partial')), 'nothing half-written');
  await assert.rejects(fs.access(path.join(dir, 'no-such-folder')));
});
