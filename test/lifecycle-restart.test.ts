// Issue 15 item 1: a crashed Handover does not block its own restart, and a live one's database is never touched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRunning } from '../src/db/processes.ts';
import { allGone, healthy, ownerPid, place, postmasterPid, serverProcesses, signal, start } from './lifecycle-kit.ts';

test('after kill -9 of Handover its PostgreSQL is left running; the next start stops it and serves; a second Handover on the same directory is refused without touching the first', async () => {
  const p = await place();
  p.env.JOBS = 'false'; // not what this test is about, and each start is quicker without
  const first = start(p, ['serve']);
  await healthy(p, first);
  const node = first.child.pid ?? 0;
  assert.equal(ownerPid(p.dataDir), node, 'handover.pid names the serving process');
  const orphan = postmasterPid(p.dataDir) ?? 0;
  signal(node, 'SIGKILL');
  await first.exited;
  assert.ok(isRunning(orphan), 'the embedded PostgreSQL outlived the killed Handover (what used to block the restart)');

  const second = start(p, ['serve']);
  await healthy(p, second);
  assert.ok(!isRunning(orphan), 'the left-over PostgreSQL was stopped');
  assert.match(second.output(), new RegExp(`A PostgreSQL \\(process ${orphan}\\) was left running`));
  const live = postmasterPid(p.dataDir) ?? 0;
  assert.notEqual(live, orphan);

  // A second Handover on the same data directory: one line, and the first one's database goes on serving.
  const third = start(p, ['serve']);
  const refused = await third.exited;
  assert.equal(refused.code, 1, third.output());
  assert.match(third.output(), /is in use by another Handover \(process \d+\)\. Stop that Handover first/);
  assert.equal(third.output().trim().split('\n').length, 1, third.output());
  assert.ok(isRunning(live), 'the live Handover’s PostgreSQL was not touched');
  assert.equal((await fetch(`http://127.0.0.1:${p.port}/health`)).status, 200);

  second.child.kill('SIGTERM');
  assert.deepEqual(await second.exited, { code: 0, signal: null });
  await allGone(p.dataDir, [second.child.pid ?? 0], 15_000);
  assert.equal(ownerPid(p.dataDir), null, 'a clean stop removes handover.pid');
});

test('kill -9 of Handover and its postmaster together (server processes linger): the next start waits for them and serves', async () => {
  const p = await place();
  const first = start(p, ['serve'], { env: { JOBS: 'false' } });
  await healthy(p, first);
  const before = serverProcesses(p.dataDir);
  assert.ok(before.length > 1, `the server runs as several processes (${before.length})`);
  signal(first.child.pid ?? 0, 'SIGKILL');
  signal(postmasterPid(p.dataDir) ?? 0, 'SIGKILL');
  await first.exited;
  const second = start(p, ['serve'], { env: { JOBS: 'false' } });
  await healthy(p, second);
  assert.ok(
    before.every((pid) => !isRunning(pid)),
    'none of the old server processes is left',
  );
  second.child.kill('SIGTERM');
  assert.equal((await second.exited).code, 0, second.output());
  await allGone(p.dataDir, [second.child.pid ?? 0], 15_000);
});
