// The kill -9 harness (issue 15 "Done"): `handover serve` on its own embedded database, with concurrent API writers
// posting case notes, is killed with SIGKILL at a random moment — the Node process or the PostgreSQL postmaster, in
// turn — and started again, KILLS times. Then, on a last start: every write that was answered 201 is there with its
// text (0 lost); every note has its current version row and its audit row, written in one transaction (0
// half-applied); the audit chain verifies; and every restart succeeded. The figures are printed at the end.
// KILL_HARNESS_KILLS and KILL_HARNESS_SEED change the number of kills and the random moments.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { DATABASE_LOST_EXIT_CODE } from '../src/db/watch.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { AuthService } from '../src/modules/auth/service.ts';
import { testConfig } from './helpers.ts';
import {
  alive,
  appDb,
  dataDir,
  demoWorkerAndPerson,
  type Exit,
  freePort,
  noteBody,
  postmasterPid,
  type Served,
  spawnServe,
} from './serve-process.ts';

const KILLS = Number(process.env.KILL_HARNESS_KILLS ?? 20);
const SEED = Number(process.env.KILL_HARNESS_SEED ?? Date.now() % 1_000_000);
const WRITERS = 6;

/** A small seeded generator (mulberry32), so a failing run can be repeated with KILL_HARNESS_SEED. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = await dataDir('kill-harness');
const port = await freePort();
const pgPort = await freePort();
const env = {
  HANDOVER_DATA_DIR: dir,
  PORT: String(port),
  EMBEDDED_PG_PORT: String(pgPort),
  DEMO_MODE: 'true',
  LOG_LEVEL: 'fatal',
};
const started: Served[] = [];
after(async () => {
  for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  const pid = postmasterPid(dir);
  if (pid !== null && alive(pid)) process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 500));
  await fs.rm(dir, { recursive: true, force: true });
});

/** Starts serve and waits until it runs; how long that took. A restart that fails fails the test. The first start
 *  builds the demo council (its 200 EHC plans take a minute or more on a busy machine); a restart only migrates. */
async function start(): Promise<{ s: Served; ms: number }> {
  const t = Date.now();
  const s = spawnServe(env);
  const first = started.length === 0;
  started.push(s);
  await s.running(first ? 300_000 : 90_000);
  return { s, ms: Date.now() - t };
}

function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())]);
}

interface Acked {
  id: string;
  text: string;
}

/** Writers posting notes with unique text until told to stop; what was answered 201, and what else happened. */
function writers(token: string, personId: string, cycle: number) {
  const acked: Acked[] = [];
  const other: Record<string, number> = {};
  let stop = false;
  const one = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const text = `Kill harness cycle ${cycle} writer ${w} note ${n}.`;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/people/${personId}/notes`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(noteBody(text)),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json().catch(() => null)) as { id?: string } | null;
        if (res.status === 201 && body?.id) acked.push({ id: body.id, text });
        else {
          other[res.status] = (other[res.status] ?? 0) + 1;
          await new Promise((r) => setTimeout(r, 20));
        }
      } catch {
        // The server went away mid-request: the outcome is unknown, so it is not counted as acknowledged.
        other.connection = (other.connection ?? 0) + 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const running = Array.from({ length: WRITERS }, (_, w) => one(w));
  return {
    acked,
    other,
    stop: async () => {
      stop = true;
      await Promise.all(running);
    },
  };
}

async function check(db: Db, acked: Acked[]) {
  const found = new Map<string, string>();
  const ids = acked.map((a) => a.id);
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('case_notes as n')
      .innerJoin('case_note_versions as v', (j) =>
        j.onRef('v.note_id', '=', 'n.id').onRef('v.version', '=', 'n.version'),
      )
      .where('n.id', 'in', ids.slice(i, i + 1000))
      .select(['n.id', 'v.what_happened'])
      .execute();
    for (const r of rows) found.set(r.id, r.what_happened);
  }
  const lost = acked.filter((a) => found.get(a.id) !== a.text);
  // Every note has the version row its `version` names, and the audit row of its creation: one transaction wrote
  // all three, so a note without either was half-applied.
  const noVersion = await sql<{ n: string }>`
    SELECT count(*) AS n FROM case_notes n
    WHERE NOT EXISTS (SELECT 1 FROM case_note_versions v WHERE v.note_id = n.id AND v.version = n.version)`.execute(db);
  const noAudit = await sql<{ n: string }>`
    SELECT count(*) AS n FROM case_notes n
    WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'case_note' AND a.entity_id = n.id::text
                      AND a.action = 'create')`.execute(db);
  const notes = await sql<{ n: string }>`SELECT count(*) AS n FROM case_notes`.execute(db);
  return {
    lost: lost.length,
    halfApplied: Number(noVersion.rows[0]?.n) + Number(noAudit.rows[0]?.n),
    notes: Number(notes.rows[0]?.n),
    chain: await verifyAuditChain(db),
  };
}

// Bounded: about 3 minutes on a quiet 2-core machine; the limit leaves room for a loaded one.
const LIMIT_MS = 15 * 60_000;

test(`${KILLS} kill -9s of the app or its database during concurrent writes: nothing acknowledged lost, nothing half-applied`, {
  timeout: LIMIT_MS,
}, async () => {
  const began = Date.now();
  const rand = random(SEED);
  let { s, ms } = await start();
  const starts = [ms];
  const db = appDb(dir, pgPort);
  let token: string;
  let personId: string;
  try {
    const who = await demoWorkerAndPerson(db);
    personId = who.personId;
    const made = await new AuthService(db, testConfig(), () => new Date()).createApiToken(who.email, 'kill harness');
    assert.ok(made);
    token = made.token;
  } finally {
    await db.destroy();
  }

  const acked: Acked[] = [];
  const other: Record<string, number> = {};
  const kills = { app: 0, database: 0 };
  const exits: number[] = [];
  for (let cycle = 0; cycle < KILLS; cycle++) {
    const target = cycle % 2 === 0 ? 'app' : 'database';
    const w = writers(token, personId, cycle);
    await new Promise((r) => setTimeout(r, 200 + rand() * 1300));
    const killedAt = Date.now();
    if (target === 'app') {
      process.kill(s.pid, 'SIGKILL');
      const exit = await within(s.exited, 10_000);
      assert.deepEqual(exit, { code: null, signal: 'SIGKILL' } satisfies Exit);
    } else {
      const pid = postmasterPid(dir);
      assert.ok(pid !== null && alive(pid), `cycle ${cycle}: no postmaster to kill`);
      process.kill(pid, 'SIGKILL');
      const exit = await within(s.exited, 30_000);
      assert.ok(exit, `cycle ${cycle}: serve still running 30 s after its database was killed:\n${s.out()}`);
      assert.deepEqual(exit, { code: DATABASE_LOST_EXIT_CODE, signal: null }, s.out());
      exits.push(Date.now() - killedAt);
    }
    kills[target]++;
    await w.stop();
    acked.push(...w.acked);
    for (const [k, v] of Object.entries(w.other)) other[k] = (other[k] ?? 0) + v;
    ({ s, ms } = await start());
    starts.push(ms);
  }

  const last = appDb(dir, pgPort);
  let result: Awaited<ReturnType<typeof check>>;
  try {
    result = await check(last, acked);
  } finally {
    await last.destroy();
  }
  s.child.kill('SIGTERM');
  const exit = await within(s.exited, 30_000);
  const sorted = [...starts].sort((a, b) => a - b);
  const figures = {
    seed: SEED,
    kills,
    acknowledged: acked.length,
    otherAnswers: other,
    lost: result.lost,
    halfApplied: result.halfApplied,
    notesInDatabase: result.notes,
    auditChain: result.chain.ok ? `verified, ${result.chain.rows} rows` : JSON.stringify(result.chain),
    restarts: `${starts.length - 1} of ${starts.length - 1} succeeded`,
    startMs: { median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] },
    exit70AfterDatabaseKillMs: exits.length ? { max: Math.max(...exits) } : null,
    totalSeconds: Math.round((Date.now() - began) / 1000),
  };
  console.log(`kill harness: ${JSON.stringify(figures)}`);
  assert.equal(kills.app + kills.database, KILLS);
  assert.ok(acked.length >= KILLS, `too few writes acknowledged to show anything: ${acked.length}`);
  assert.equal(result.lost, 0, 'acknowledged writes lost');
  assert.equal(result.halfApplied, 0, 'notes without their version row or audit row');
  assert.ok(result.notes >= acked.length);
  assert.ok(result.chain.ok, JSON.stringify(result.chain));
  assert.deepEqual(exit, { code: 0, signal: null }, s.out());
});
