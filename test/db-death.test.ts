// Issue 15 item 4: PostgreSQL dying under a running Handover. /health turns 503 at once; the embedded database's
// death ends serve with exit code 70 (the process manager starts it again, and the restart succeeds); a DATABASE_URL
// server going away leaves serve up and unhealthy until the server is back, then it serves and writes again.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, test } from 'node:test';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { DATABASE_LOST_EXIT_CODE } from '../src/db/watch.ts';
import { AuthService } from '../src/modules/auth/service.ts';
import { testConfig } from './helpers.ts';
import {
  alive,
  appDb,
  dataDir,
  demoWorkerAndPerson,
  freePort,
  health,
  noteBody,
  postmasterPid,
  type Served,
  spawnServe,
  waitForHealth,
} from './serve-process.ts';

const UNHEALTHY = { status: 'unhealthy', database: 'unreachable' };
const HEALTHY = { status: 'ok', database: 'ok' };
const started: Served[] = [];
const dirs: string[] = [];
after(async () => {
  for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  for (const dir of dirs) {
    const pid = postmasterPid(dir);
    if (pid !== null && alive(pid)) process.kill(pid, 'SIGKILL');
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

function serve(env: Record<string, string>): Served {
  const s = spawnServe(env);
  started.push(s);
  return s;
}

async function waitFor(ok: () => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    assert.ok(Date.now() < until, `not so after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes one note through the API with a token made for the demo social worker; the status. */
async function writeNote(db: ReturnType<typeof appDb>, port: number, text: string): Promise<number> {
  const { email, personId } = await demoWorkerAndPerson(db);
  const made = await new AuthService(db, testConfig(), () => new Date()).createApiToken(email, 'db-death test');
  assert.ok(made);
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/people/${personId}/notes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${made.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(noteBody(text)),
  });
  return res.status;
}

test('embedded PostgreSQL killed: /health 503 at once, serve exits 70, and the restart serves and writes', async () => {
  const dir = await dataDir('db-death-embedded');
  dirs.push(dir);
  const port = await freePort();
  const pgPort = await freePort();
  const env = { HANDOVER_DATA_DIR: dir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DEMO_MODE: 'true' };
  const first = serve(env);
  await first.running(300_000); // the first start builds the demo council
  assert.deepEqual(await health(port), { status: 200, body: HEALTHY });

  const pid = postmasterPid(dir);
  assert.ok(pid !== null && alive(pid), 'the postmaster runs');
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  const unhealthyMs = await waitForHealth(port, (h) => h?.status === 503, 5000);
  assert.deepEqual(await health(port).then((h) => h ?? { status: 0, body: 'nothing answered' }), {
    status: 503,
    body: UNHEALTHY,
  });
  const exit = await Promise.race([first.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000).unref())]);
  const exitMs = Date.now() - killedAt;
  assert.ok(exit, `serve still running 20 s after its database was killed:\n${first.out()}`);
  assert.deepEqual(exit, { code: DATABASE_LOST_EXIT_CODE, signal: null }, first.out());
  assert.match(first.out(), /The embedded PostgreSQL stopped answering: Handover exits with code 70/);
  console.log(`db-death: 503 after ${unhealthyMs} ms, exit ${DATABASE_LOST_EXIT_CODE} after ${exitMs} ms`);

  // What the process manager does next: start it again, on the same data directory.
  const second = serve(env);
  await second.running();
  assert.deepEqual(await health(port), { status: 200, body: HEALTHY });
  const db = appDb(dir, pgPort);
  try {
    assert.equal(await writeNote(db, port, 'Written after the database was restarted.'), 201);
  } finally {
    await db.destroy();
  }
  second.child.kill('SIGTERM');
  assert.deepEqual(await second.exited, { code: 0, signal: null }, second.out());
});

test('a DATABASE_URL server going away: serve stays up, /health 503 until it is back, then 200 and writes', async () => {
  const dir = await dataDir('db-death-server');
  dirs.push(dir);
  const pgPort = await freePort();
  const start = () => startEmbeddedPostgres({ dir, port: pgPort, database: 'handover' });
  let cluster = await start();
  const port = await freePort();
  const s = serve({
    DATABASE_URL: cluster.appUrl('handover'),
    DATABASE_OWNER_URL: cluster.ownerUrl('handover'),
    PORT: String(port),
    DEMO_MODE: 'true',
    LOG_LEVEL: 'warn',
  });
  try {
    await s.running(300_000); // builds the demo council on this new database
    assert.deepEqual(await health(port), { status: 200, body: HEALTHY });

    await cluster.stop();
    await waitForHealth(port, (h) => h?.status === 503, 5000);
    assert.deepEqual(await health(port), { status: 503, body: UNHEALTHY });
    // Longer than the embedded case needs to exit (3 failed pings a second apart): a server is waited for.
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(s.child.exitCode, null, `serve stopped while the server was away:\n${s.out()}`);
    assert.deepEqual(await health(port), { status: 503, body: UNHEALTHY });
    assert.match(s.out(), /The PostgreSQL server at DATABASE_URL does not answer/);

    cluster = await start();
    const backMs = await waitForHealth(port, (h) => h?.status === 200, 15_000);
    assert.deepEqual(await health(port), { status: 200, body: HEALTHY });
    // The watch pings once a second: its line follows /health's 200 by at most that.
    await waitFor(() => s.out().includes('The PostgreSQL server at DATABASE_URL answers again'), 3000);
    console.log(`db-death: DATABASE_URL server back, /health 200 after ${backMs} ms`);
    const db = appDb(dir, pgPort);
    try {
      assert.equal(await writeNote(db, port, 'Written after the server came back.'), 201);
    } finally {
      await db.destroy();
    }
    s.child.kill('SIGTERM');
    assert.deepEqual(await s.exited, { code: 0, signal: null }, s.out());
  } finally {
    await cluster.stop();
  }
});
