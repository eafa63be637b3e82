// Reports on a read replica (issue 18 part 4), on a real PostgreSQL 15 primary and a streaming replica made from it
// with pg_basebackup -R. The sharing register (a report: the data protection officer's list) answers from the
// replica: with replay paused, an entry written on the primary is missing from it while the replica is within the
// lag bound. Once the replica lags beyond the bound, and when it is stopped, the register answers from the primary,
// and each change of state is logged once, without personal data. An idle primary never counts as lag. The
// register's access-log rows are written on the primary whichever database answered.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { ConfigError, readConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createDb } from '../src/db/database.ts';
import { replicaLagSeconds, replicaReports } from '../src/db/reports.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { fixedClock, personInTeam, seedOrganisation, testConfig, userByRole } from './helpers.ts';
import { startPrimary } from './pg-server-kit.ts';

const MAX_LAG_SECONDS = 5;

const { primary } = await startPrimary();
// The roles and database as docs/database-roles.md has an IT team make them.
await primary.query(`CREATE ROLE handover_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD 'owner-secret'`);
await primary.query(`CREATE ROLE handover_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT
  PASSWORD 'app-secret'`);
await primary.query(`CREATE DATABASE handover OWNER handover_owner ENCODING 'UTF8'`);
await primary.query(
  `ALTER SCHEMA public OWNER TO handover_owner; REVOKE CREATE ON SCHEMA public FROM PUBLIC;
   CREATE SCHEMA pgboss AUTHORIZATION handover_app;`,
  'handover',
);
// Migrated by the owner, run as the app role, as on a council's server (docs/database-roles.md).
const config = testConfig({
  databaseUrl: primary.url('handover', 'handover_app'),
  databaseOwnerUrl: primary.url('handover', 'handover_owner'),
});
const opened = await openDatabase(config);
const db = opened.db;
const org = await seedOrganisation(db, 'rr');
const worker = userByRole(org, 'social_worker');
const manager = userByRole(org, 'service_manager');
const personId = await personInTeam(db, {
  authorityId: org.authorityId,
  team: org.teams['dct-north'] as string,
  worker: worker.id,
  caseNumber: 'RR-1',
  givenName: 'Rhiannon',
  familyName: 'Replica',
  dateOfBirth: '2011-04-02',
});

const replica = await primary.replica();
const replicaDb = createDb(replica.url('handover', 'handover_app'), 2);

const lines: { level: 'info' | 'warn'; obj: Record<string, unknown>; msg: string }[] = [];
const reports = replicaReports({
  primary: db,
  replicaUrl: replica.url('handover', 'handover_app'),
  maxLagSeconds: MAX_LAG_SECONDS,
  // Checked on every read here, so each step below sees the state it made.
  recheckMs: 0,
  log: {
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
  },
});
const app = await createApp({ db, config, now: fixedClock('2026-11-23T10:00:00Z').now, reports });

test.after(async () => {
  await app.close();
  await reports.close();
  await replicaDb.destroy();
  await opened.close();
});

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}
const workerApi = await token(worker.id);
const managerApi = await token(manager.id);

async function share(what: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${personId}/sharing`,
    headers: workerApi,
    payload: {
      decision: 'share',
      what,
      recipient_organisation: 'Northfield Academy',
      recipient_role: 'Designated safeguarding lead',
      recipient_name: null,
      decided_on: '2026-11-20',
      purpose: 'Safety plan for school',
      necessity: 'The school needs it to keep her safe',
      lawful_basis: 'public_task',
      special_category: false,
      art9_condition: null,
      schedule1_condition: null,
      consent: 'with_consent',
      views: null,
      person_told: true,
      not_told_reason: null,
      reasoning: 'Agreed with her and her mother',
    },
  });
  assert.equal(res.statusCode, 201, res.body);
}

/** The register as the data protection officer's API gives it: what each entry says was shared. */
async function register(): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/sharing', headers: managerApi });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().items as { what: string }[]).map((i) => i.what).sort();
}

const onReplica = async () =>
  Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM sharing_records`.execute(replicaDb)).rows[0]?.n ?? -1,
  );
const registerReads = async () =>
  Number(
    (
      await db
        .selectFrom('audit_log')
        .where('entity', '=', 'sharing_register')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test('the register answers from the replica, and from the primary when the replica lags beyond the bound', async () => {
  await share('Attendance for the autumn term');
  await until('the replica to replay the first entry', async () => (await onReplica()) === 1);

  // Replay paused, a second entry on the primary: the replica is now behind, but within the bound.
  await replica.query('SELECT pg_wal_replay_pause()');
  await share('The last two case notes');
  const readsBefore = await registerReads();
  assert.deepEqual(await register(), ['Attendance for the autumn term'], 'the register came from the replica');
  assert.equal(reports.state(), 'replica');
  assert.equal(await registerReads(), readsBefore + 1, "the register's read is logged on the primary");
  assert.equal(lines.length, 0, 'nothing to say while the replica is usable');

  // Past the bound: the primary answers, and the warning is logged once however many reads follow.
  await until('the lag to pass the bound', async () => (await replicaLagSeconds(replicaDb)) > MAX_LAG_SECONDS);
  const both = ['Attendance for the autumn term', 'The last two case notes'];
  assert.deepEqual(await register(), both, 'the register came from the primary');
  assert.deepEqual(await register(), both);
  assert.equal(reports.state(), 'lagging');
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.equal(lines[0]?.level, 'warn');
  assert.match(lines[0]?.msg ?? '', /Reports read from the primary: the read replica lags beyond/);
  assert.deepEqual(Object.keys(lines[0]?.obj ?? {}).sort(), ['lagSeconds', 'maxLagSeconds']);
  assert.ok(Number(lines[0]?.obj.lagSeconds) > MAX_LAG_SECONDS);

  // Replay resumed: back on the replica, said once.
  await replica.query('SELECT pg_wal_replay_resume()');
  await until('the replica to catch up', async () => (await onReplica()) === 2);
  assert.deepEqual(await register(), both);
  assert.equal(reports.state(), 'replica');
  assert.equal(lines.length, 2);
  assert.match(lines[1]?.msg ?? '', /read replica again/);
});

test('an idle primary is no lag: replay caught up with what was received', async () => {
  // Nothing written for longer than the bound: the last replayed commit is old, yet the replica is current.
  await sleep((MAX_LAG_SECONDS + 1) * 1000);
  const lsn = await replica.query(
    `SELECT pg_last_wal_receive_lsn()::text r, pg_last_wal_replay_lsn()::text p, pg_is_wal_replay_paused() paused,
      (SELECT json_agg(json_build_object('b', backend_type, 'w', wait_event, 's', state)) FROM pg_stat_activity) act`,
  );
  assert.ok((await replicaLagSeconds(replicaDb)) <= MAX_LAG_SECONDS, JSON.stringify(lsn));
  assert.equal((await register()).length, 2);
  assert.equal(reports.state(), 'replica');
  assert.equal(lines.length, 2, 'no warning for an idle primary');
});

test('a stopped replica: the register answers from the primary, and the warning is logged once', async () => {
  replica.stop();
  await share('School nurse referral');
  const three = ['Attendance for the autumn term', 'School nurse referral', 'The last two case notes'];
  assert.deepEqual(await register(), three);
  assert.deepEqual(await register(), three);
  assert.equal(reports.state(), 'down');
  const warnings = lines.filter((l) => l.level === 'warn');
  assert.equal(warnings.length, 2, JSON.stringify(lines));
  assert.match(warnings[1]?.msg ?? '', /Reports read from the primary: the read replica does not answer/);
  const logged = JSON.stringify(lines);
  assert.doesNotMatch(logged, /Rhiannon|Replica\b|RR-1|Northfield|secret/, 'no personal data or passwords');
});

test('DATABASE_REPLICA_URL and DATABASE_REPLICA_MAX_LAG_SECONDS: defaults and mistakes named', () => {
  const base = { DATABASE_URL: 'postgres://a@db/handover', MAIL_TRANSPORT: 'off', LOG_LEVEL: 'silent' };
  const plain = readConfig(base);
  assert.equal(plain.databaseReplicaUrl, null);
  assert.equal(plain.databaseReplicaMaxLagSeconds, 30);
  const withReplica = readConfig({
    ...base,
    DATABASE_REPLICA_URL: 'postgres://a@replica/handover',
    DATABASE_REPLICA_MAX_LAG_SECONDS: '120',
  });
  assert.equal(withReplica.databaseReplicaUrl, 'postgres://a@replica/handover');
  assert.equal(withReplica.databaseReplicaMaxLagSeconds, 120);
  assert.throws(
    () => readConfig({ MAIL_TRANSPORT: 'off', DATABASE_REPLICA_URL: 'postgres://a@replica/handover' }),
    (e: unknown) => e instanceof ConfigError && /DATABASE_REPLICA_URL .* needs DATABASE_URL/.test(e.message),
  );
  assert.throws(
    () => readConfig({ ...base, DATABASE_REPLICA_URL: 'mysql://replica/handover' }),
    /DATABASE_REPLICA_URL must start with postgres:\/\//,
  );
  assert.throws(
    () => readConfig({ ...base, DATABASE_REPLICA_MAX_LAG_SECONDS: 'soon' }),
    /DATABASE_REPLICA_MAX_LAG_SECONDS must be a whole number/,
  );
});
