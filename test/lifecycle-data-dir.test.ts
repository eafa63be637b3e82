// Issue 15 item 9 (part): a data directory Handover cannot use is refused at once in one line that says what to do
// (it used to be a raw EROFS path, or a 120 s wait). Read-only and full need a real file system that is so: as root
// (which chmod does not stop) a tmpfs is mounted read-only, or with 1 MB; without mount, those cases say so in the
// test's name rather than pass without asserting.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const root = process.getuid?.() === 0;

function migrate(dataDir: string) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('DATABASE_') && !k.startsWith('HANDOVER_')) env[k] = v;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], {
    env: { ...env, HANDOVER_DATA_DIR: dataDir, EMBEDDED_PG_PORT: '54999', LOG_LEVEL: 'silent', MAIL_TRANSPORT: 'off' },
    encoding: 'utf8',
    timeout: 50_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, ms: Date.now() - started };
}

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'handover-datadir-'));
  after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A tmpfs mounted on a new directory with `options`, or null where this process may not mount. */
async function tmpfs(options: string): Promise<string | null> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'handover-datadir-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  after(async () => {
    if (r.status === 0) spawnSync('umount', [dir]);
    await fs.rm(dir, { recursive: true, force: true });
  });
  return r.status === 0 ? dir : null;
}

function assertOneLine(r: ReturnType<typeof migrate>, pattern: RegExp) {
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, / {4}at /, 'no stack trace');
  assert.ok(r.ms < 20_000, `answered in ${r.ms} ms`);
}

test('a data directory under a regular file: one line saying part of the path is a file', async () => {
  const file = path.join(await tempDir(), 'not-a-folder');
  await fs.writeFile(file, 'x');
  const r = migrate(path.join(file, 'data'));
  assertOneLine(r, /The data directory .*not-a-folder\/data cannot be made: part of that path is a file, not a folder/);
});

// Decided before the tests are named, so a case this machine cannot make says so in the name.
const readOnly = root ? await tmpfs('ro,size=1m') : await tempDir();
if (readOnly && !root) await fs.chmod(readOnly, 0o500);
const full = root ? await tmpfs('size=1m') : null;

if (readOnly) {
  test(
    root
      ? 'a read-only file system (a tmpfs mounted ro): one line naming it and what to do'
      : 'a data directory without write permission (chmod 0500): one line naming it and what to do',
    () => {
      const r = migrate(path.join(readOnly, 'data'));
      assertOneLine(
        r,
        root
          ? /The data directory .*\/data is on a read-only file system: remount it read-write, or set HANDOVER_DATA_DIR/
          : /Handover cannot write to the data directory .* \(permission denied\): give the user .* write access/,
      );
    },
  );
} else {
  test('read-only data directory: not made here (root, and mount is not permitted), so the ENOTDIR case above stands for it', () => {
    assert.equal(root, true);
  });
}

if (full) {
  test('a full disk (a 1 MB tmpfs): one line saying how much is free and what to do, at once', () => {
    const r = migrate(path.join(full, 'data'));
    assertOneLine(r, /The disk holding the data directory .*\/data is full \(\d+\.\d MB free; .*needs 64 MB/);
  });
} else {
  test(`full disk: not made here (${root ? 'mount is not permitted' : 'not root, so no tmpfs'}); the free-space check is in src/db/data-dir.ts`, () => {
    assert.equal(full, null);
  });
}
