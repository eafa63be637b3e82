// Issue 15 item 2: stopping `npm start` — SIGTERM (what a process manager sends) or SIGKILL — stops everything it
// started: npm runs Handover through a shell and passes no signal on, so Handover watches npm (src/cli/lifecycle.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allGone, healthy, ownerPid, place, serverProcesses, start } from './lifecycle-kit.ts';

for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
  test(`${sig} to npm start: within 15 s neither Handover's node nor its PostgreSQL runs`, async () => {
    const p = await place();
    const npm = start(p, [], { npm: true, env: { JOBS: 'false' } });
    await healthy(p, npm);
    const node = ownerPid(p.dataDir) ?? 0;
    assert.notEqual(node, npm.child.pid, 'npm runs Handover as a separate process');
    assert.ok(serverProcesses(p.dataDir).length > 0, 'PostgreSQL runs');
    npm.child.kill(sig);
    await npm.exited;
    const ms = await allGone(p.dataDir, [node], 15_000);
    console.log(`${sig} to npm: node and PostgreSQL gone in ${ms} ms`);
    await assert.rejects(fetch(`http://127.0.0.1:${p.port}/health`), 'nothing answers on the port');
    assert.equal(ownerPid(p.dataDir), null, 'Handover stopped in order (it removed handover.pid)');
  });
}
