// Issue 15 item 1: whose data directory is it? handover.pid names the owner by PID and start time, so a PID given to
// another process is not taken for a live Handover; a postmaster.pid naming a process that is not PostgreSQL (a PID
// reused after a reboot) does not block the start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { processInfo } from '../src/db/processes.ts';
import { ownerPid, type Place, place } from './lifecycle-kit.ts';

function migrate(p: Place) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], {
    env: p.env,
    encoding: 'utf8',
    timeout: 50_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}

const me = processInfo(process.pid);

test('a handover.pid naming a running process with another start time is stale; so is a postmaster.pid naming a process that is not PostgreSQL: start goes on', async () => {
  assert.ok(me, 'this test reads /proc');
  const p = await place();
  assert.equal(migrate(p).status, 0, 'the data directory is made');
  // This test's own process stands for "a later process given the dead Handover's PID".
  await fs.writeFile(
    path.join(p.dataDir, 'handover.pid'),
    JSON.stringify({ pid: process.pid, start: (me?.start ?? 0) - 1 }),
  );
  const postmaster = path.join(p.dataDir, 'pg', 'postmaster.pid');
  await fs.writeFile(postmaster, `${process.pid}\n${path.join(p.dataDir, 'pg')}\n0\n${p.pgPort}\n`);
  const r = migrate(p);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, new RegExp(`Removing a stale .*postmaster\\.pid: process ${process.pid} is not a PostgreSQL`));
  assert.equal(ownerPid(p.dataDir), null, 'the finished command released the directory');
});

test('a handover.pid naming a live process (PID and start time) refuses the start in one line and changes nothing', async () => {
  const p = await place();
  assert.equal(migrate(p).status, 0, 'the data directory is made');
  const record = JSON.stringify({ pid: process.pid, start: me?.start ?? null });
  await fs.writeFile(path.join(p.dataDir, 'handover.pid'), record);
  const r = migrate(p);
  assert.equal(r.status, 1, r.out);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`is in use by another Handover \\(process ${process.pid}\\)`));
  assert.equal(await fs.readFile(path.join(p.dataDir, 'handover.pid'), 'utf8'), record, 'the owner’s record stands');
});
