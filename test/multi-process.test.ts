// Several processes on one database (issue 18 part 3), as a council runs Handover behind a load balancer: two
// `handover serve` and two `handover worker` processes, real child processes of the CLI on one PostgreSQL database,
// migrated by the owner role and running as the app role, sending email to a real SMTP server on 127.0.0.1.
// - a session made on one serve is valid on the other (and signing out on one ends it on both);
// - deadlines made due in three waves fire exactly once, and every email goes exactly once (a second copy only where
//   the outbox itself flagged a possible resend after a kill), while processes are killed with SIGKILL and restarted;
// - two `handover migrate` started together on an empty database: one applies every migration, the other waits
//   for the advisory lock (src/db/migration-lock.ts) and finds nothing left; each migration ran once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { createDb } from '../src/db/database.ts';
import { APP_ROLE, OWNER_ROLE } from '../src/db/roles.ts';
import { messageIdFor } from '../src/domain/mail.ts';
import {
  Browser,
  fixedClock,
  PASSWORD,
  personInTeam,
  seedOrganisation,
  testApp,
  testDatabase,
  userByRole,
} from './helpers.ts';
import { freePort } from './serve-process.ts';

const { db, url, ownerUrl, adminUrl } = await testDatabase();
const org = await seedOrganisation(db, 'mp');
const coordinator = userByRole(org, 'ehcp_coordinator');

// ---- a mail server that keeps the Message-ID of every email it accepts
const received: string[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    let raw = '';
    stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    stream.on('end', () => {
      received.push(/^Message-ID: (.+)$/im.exec(raw)?.[1]?.trim() ?? '');
      callback();
    });
  },
});
smtp.on('error', () => {}); // a killed sender's connection reset
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

// ---- the processes
interface Proc {
  name: string;
  child: ChildProcess;
  out(): string;
}
const running = new Set<ChildProcess>();
after(() => {
  for (const c of running) c.kill('SIGKILL');
});

const baseEnv = (port: number): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('npm_') && !k.startsWith('DATABASE_') && !k.startsWith('HANDOVER_'))
      env[k] = v;
  return {
    ...env,
    DATABASE_URL: url,
    DATABASE_OWNER_URL: ownerUrl,
    DEMO_MODE: 'false',
    NODE_ENV: 'production',
    MAIL_TRANSPORT: 'smtp',
    SMTP_URL: smtpUrl,
    JOB_INTERVAL_SECONDS: '1',
    // A sender killed mid-send leaves its one email claimed until the lease ends: short here, within settled()'s wait.
    OUTBOX_LEASE_SECONDS: '15',
    LOG_LEVEL: 'warn',
    COOKIE_SECURE: 'false',
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
  };
};

/** `handover serve` or `handover worker`, resolved once it says it is running. */
async function start(name: string, command: 'serve' | 'worker', port = 0): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', command], {
    env: baseEnv(port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString('utf8')));
  const ready = command === 'serve' ? 'Handover is running' : 'Handover worker running';
  const until = Date.now() + 120_000;
  while (!text.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before running:\n${text}`);
    if (Date.now() > until) throw new Error(`${name} not running after 120 s:\n${text}`);
    await sleep(100);
  }
  return { name, child, out: () => text };
}

async function kill(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = once(p.child, 'exit');
  p.child.kill('SIGKILL');
  await exited;
}

// ---- deadlines: protocol instances started in this process, their deadlines held back until a wave makes them due
// ---- deadlines: protocol instances started in this process before the others start, their deadlines held back
// until a wave makes them due (the processes' clock is the real one; the instances' dates are of November 2026)
const instances: string[] = [];
const stepsOf = () => sql`SELECT id FROM protocol_steps WHERE instance_id = ANY(${instances}::uuid[])`;

async function startInstances(): Promise<void> {
  const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now });
  const jo = new Browser(app);
  await jo.login(coordinator.email);

  for (let i = 0; i < 6; i++) {
    const personId = await personInTeam(db, {
      authorityId: org.authorityId,
      team: org.teams['send-statutory'] as string,
      worker: coordinator.id,
      caseNumber: `MP-${i}`,
      givenName: 'Morgan',
      familyName: `Process${i}`,
      dateOfBirth: '2014-05-05',
    });
    const started = await jo.post(`/people/${personId}/protocols`, {
      protocol_id: 'cumbria-advice-query',
      protocol_version: '1',
      routes_tried: 'Phoned the setting twice',
    });
    assert.equal(started.statusCode, 303, started.body.slice(0, 300));
    const instanceUrl = String(started.headers.location);
    const instanceId = instanceUrl.split('/').pop() as string;
    // "Unclear": on to the line manager's discussion, whose overdue ladder reminds, then escalates.
    const step = await db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .select(['id', 'version'])
      .executeTakeFirstOrThrow();
    const decided = await jo.post(`${instanceUrl}/steps/${step.id}/decide`, {
      outcome: 'unclear',
      version: String(step.version),
    });
    assert.equal(decided.statusCode, 303, decided.body.slice(0, 300));
    instances.push(instanceId);
  }
  // Held back: nothing is due until a wave says so (the processes' clocks are the real one).
  await sql`UPDATE deadlines SET due_at = 'infinity' WHERE subject_id IN (${stepsOf()})`.execute(db);
}

await startInstances();

const portA = await freePort();
const portB = await freePort();
let [serveA, serveB, worker1, worker2] = (await Promise.all([
  start('serve A', 'serve', portA),
  start('serve B', 'serve', portB),
  start('worker 1', 'worker'),
  start('worker 2', 'worker'),
])) as [Proc, Proc, Proc, Proc];

/** A browser over real HTTP: keeps cookies, sends the CSRF token with forms, follows no redirects. */
class HttpBrowser {
  cookies = new Map<string, string>();
  csrf = '';
  async request(base: string, path: string, form?: Record<string, string>) {
    const body = form ? new URLSearchParams({ _csrf: this.csrf, ...form }).toString() : undefined;
    const res = await fetch(`${base}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        accept: 'text/html',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, i);
      const value = (pair ?? '').slice(i + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1] as string;
    return { status: res.status, location: res.headers.get('location'), text };
  }
}

test('a session made on one serve is valid on the other, and signing out on one ends it on both', async () => {
  const a = `http://127.0.0.1:${portA}`;
  const b = `http://127.0.0.1:${portB}`;
  const browser = new HttpBrowser();
  await browser.request(a, '/login');
  const signedIn = await browser.request(a, '/login', { email: coordinator.email, password: PASSWORD });
  assert.equal(signedIn.status, 303, signedIn.text.slice(0, 300));
  const onB = await browser.request(b, '/');
  assert.equal(onB.status, 200, 'the session cookie from serve A opens serve B');
  assert.match(onB.text, /Sign out/);
  // A form on B with the CSRF token the session carries: signing out there ends the session on A as well.
  const out = await browser.request(b, '/logout', {});
  assert.equal(out.status, 303, out.text.slice(0, 300));
  const onA = await browser.request(a, '/');
  assert.ok([302, 303].includes(onA.status), String(onA.status));
  assert.match(String(onA.location), /\/login/);
});

async function makeDue(wave: string[]): Promise<number> {
  const r = await sql`
    UPDATE deadlines SET due_at = now() - interval '1 minute'
    WHERE fired_at IS NULL AND cancelled_at IS NULL
      AND subject_id IN (SELECT id FROM protocol_steps WHERE instance_id = ANY(${wave}::uuid[]))`.execute(db);
  return Number(r.numAffectedRows);
}

async function settled(ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await sql<{ due: number; unsent: number }>`
      SELECT (SELECT count(*)::int FROM deadlines WHERE fired_at IS NULL AND cancelled_at IS NULL
                AND due_at <= now()) AS due,
             (SELECT count(*)::int FROM outbox WHERE status <> 'sent') AS unsent`.execute(db);
    const row = r.rows[0];
    if (row && row.due === 0 && row.unsent === 0) return;
    if (Date.now() > until) throw new Error(`not settled after ${ms / 1000} s: ${JSON.stringify(row)}`);
    await sleep(200);
  }
}

test('deadlines fire once and emails go once across four processes, while processes are killed and restarted', async (t) => {
  let due = 0;
  // Wave 1: serve A and worker 1 are killed moments after the deadlines fall due; B and worker 2 carry on.
  due += await makeDue(instances.slice(0, 2));
  await sleep(Math.floor(Math.random() * 800));
  await Promise.all([kill(serveA), kill(worker1)]);
  await settled();
  [serveA, worker1] = await Promise.all([start('serve A again', 'serve', portA), start('worker 1 again', 'worker')]);

  // Wave 2: now serve B and worker 2 die; the restarted A and worker 1 carry on.
  due += await makeDue(instances.slice(2, 4));
  await sleep(Math.floor(Math.random() * 800));
  await Promise.all([kill(serveB), kill(worker2)]);
  await settled();
  [serveB, worker2] = await Promise.all([start('serve B again', 'serve', portB), start('worker 2 again', 'worker')]);

  // Wave 3: all four up.
  due += await makeDue(instances.slice(4));
  await settled();
  await sleep(3_000); // more sweeps and sends from all four: nothing fires or goes again

  assert.ok(due >= 12, `two rungs per instance made due (${due})`);
  const fired = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM deadlines WHERE fired_at IS NOT NULL AND subject_id IN (${stepsOf()})`.execute(db);
  assert.equal(fired.rows[0]?.n, due, 'every deadline made due fired');
  // Each rung leaves its mark once: one escalation per step (the second rung), one email per recipient and rung.
  const escalations = await sql<{ escalations: number }>`
    SELECT escalations FROM protocol_steps WHERE instance_id = ANY(${instances}::uuid[]) AND status = 'open'`.execute(
    db,
  );
  assert.deepEqual(
    escalations.rows.map((r) => r.escalations),
    instances.map(() => 1),
    'each step escalated exactly once',
  );
  const repeats = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM outbox GROUP BY to_addresses, subject, body HAVING count(*) > 1) d`.execute(db);
  assert.equal(repeats.rows[0]?.n, 0, 'no email was queued twice: no deadline fired twice');

  const outbox = await db.selectFrom('outbox').select(['id', 'status', 'last_error']).execute();
  assert.ok(outbox.length >= due, `an email for every rung fired (${outbox.length})`);
  assert.ok(
    outbox.every((o) => o.status === 'sent'),
    'every email was sent',
  );
  const copies = new Map<string, number>();
  for (const m of received) copies.set(m, (copies.get(m) ?? 0) + 1);
  for (const o of outbox) {
    const n = copies.get(messageIdFor(o.id)) ?? 0;
    assert.ok(n >= 1, `email ${o.id} arrived`);
    // A sender killed between the mail server's answer and its own commit sends again once its lease ends, and
    // says so on the row (docs/decisions.md): the only second copy there may be.
    if (n > 1) assert.match(o.last_error ?? '', /^Sent again after a sender stopped/, `${o.id} came ${n} times`);
  }
  assert.equal(copies.size, outbox.length, 'nothing arrived that was not queued');
  t.diagnostic(`${due} deadlines fired, ${outbox.length} emails, ${received.length - copies.size} second copies`);
  for (const p of [serveA, serveB, worker1, worker2])
    assert.doesNotMatch(p.out(), /Morgan|Process\d|2014-05-05/, `${p.name} logged no personal data`);
});

test('two migrate processes started together on an empty database: each migration runs once', async () => {
  const name = `mp_migrate_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`);
  await admin.end();
  after(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const inEmpty = (u: string) => u.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  // The one-off SQL an IT team runs (docs/database-roles.md): the job queue's schema, owned by the app role.
  const setup = new pg.Client({ connectionString: inEmpty(adminUrl) });
  await setup.connect();
  await setup.query(`CREATE SCHEMA pgboss AUTHORIZATION ${APP_ROLE}`);
  await setup.end();

  const migrate = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], {
      env: { ...baseEnv(0), DATABASE_URL: inEmpty(url), DATABASE_OWNER_URL: inEmpty(ownerUrl), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let text = '';
    child.stdout?.on('data', (d: Buffer) => (text += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (text += d.toString('utf8')));
    return once(child, 'exit').then(([code]) => ({ code, text }));
  };
  const results = await Promise.all([migrate(), migrate()]);
  for (const r of results) assert.equal(r.code, 0, r.text);
  const applied = results.filter((r) => /Applied: /.test(r.text));
  const upToDate = results.filter((r) => /The database is up to date/.test(r.text));
  assert.equal(applied.length, 1, results.map((r) => r.text).join('\n---\n'));
  assert.equal(upToDate.length, 1, 'the other waited for the lock and found nothing to do');

  const owner = createDb(inEmpty(ownerUrl), 1);
  try {
    const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(owner);
    const names = rows.rows.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names, (applied[0]?.text.match(/Applied: (.+)/)?.[1] ?? '').trim().split(', ').sort());
  } finally {
    await owner.destroy();
  }
});
