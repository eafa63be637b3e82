// Issue 9 finding 8: the app connects as handover_app (owns nothing of Handover's, only SELECT/INSERT on the audit
// and access logs); migrations run as handover_owner; an older database owned by the superuser is upgraded.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { ConfigError, readConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createDb } from '../src/db/database.ts';
import { APP_ROLE, adoptDatabase, grantAppRole, OWNER_ROLE } from '../src/db/roles.ts';
import { testConfig, testDatabase } from './helpers.ts';

const { db, url, ownerUrl, adminUrl, asOwner, asSuperuser } = await testDatabase();

test('handover_app logs in without superuser, createdb, createrole or bypassrls, and owns nothing', async () => {
  const roles = await sql<Record<string, unknown>>`
    SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolcanlogin, rolreplication
    FROM pg_roles WHERE rolname IN (${APP_ROLE}, ${OWNER_ROLE}) ORDER BY rolname`.execute(db);
  for (const r of roles.rows) {
    assert.deepEqual(
      { ...r, rolname: undefined },
      {
        rolname: undefined,
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolbypassrls: false,
        rolcanlogin: true,
        rolreplication: false,
      },
      String(r.rolname),
    );
  }
  assert.equal(roles.rows.length, 2);
  const owned = await sql<{ owner: string; n: number }>`
    SELECT pg_get_userbyid(c.relowner) AS owner, count(*)::int AS n FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace GROUP BY 1`.execute(db);
  assert.deepEqual(
    owned.rows,
    [{ owner: OWNER_ROLE, n: owned.rows[0]?.n }],
    'every Handover table is the owner role’s',
  );
  const jobs = await sql<{ owner: string }>`
    SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'pgboss'`.execute(db);
  assert.deepEqual(jobs.rows, [{ owner: APP_ROLE }], 'pg-boss’s schema (job bookkeeping only) is the app role’s');
});

test('a table a later migration adds is covered by default privileges: the app role may read and write it', async () => {
  await sql`CREATE TABLE later_table (id int PRIMARY KEY, v text)`.execute(asOwner());
  await sql`INSERT INTO later_table VALUES (1, 'a')`.execute(db);
  await sql`UPDATE later_table SET v = 'b'`.execute(db);
  await sql`DELETE FROM later_table`.execute(db);
  await assert.rejects(sql`DROP TABLE later_table`.execute(db), /must be owner of table later_table/);
  await assert.rejects(sql`CREATE TABLE mine (id int)`.execute(db), /permission denied for schema public/);
});

test('openDatabase: app and owner URLs run migrations as the owner; the app must not be the owner or a superuser', async () => {
  const good = await openDatabase(testConfig({ databaseUrl: url, databaseOwnerUrl: ownerUrl }), { poolSize: 2 });
  try {
    assert.deepEqual(good.migrated, []);
    assert.deepEqual(good.warnings, []);
  } finally {
    await good.close();
  }
  await assert.rejects(
    openDatabase(testConfig({ databaseUrl: adminUrl, databaseOwnerUrl: ownerUrl }), { poolSize: 2 }),
    /DATABASE_URL must be the app role, not the owner: postgres is a superuser/,
  );
  await assert.rejects(
    openDatabase(testConfig({ databaseUrl: ownerUrl, databaseOwnerUrl: ownerUrl }), { poolSize: 2 }),
    /DATABASE_URL must be the app role, not the owner: both it and DATABASE_OWNER_URL sign in as handover_owner/,
  );
  // One role, as before DATABASE_OWNER_URL: still starts, and says so once.
  const single = await openDatabase(testConfig({ databaseUrl: ownerUrl, databaseOwnerUrl: null }), { poolSize: 2 });
  try {
    assert.equal(single.warnings.length, 1);
    assert.match(single.warnings[0] as string, /can change the audit log .*DATABASE_OWNER_URL/);
  } finally {
    await single.close();
  }
});

test('DATABASE_OWNER_URL is checked like DATABASE_URL and needs it', () => {
  assert.throws(
    () => readConfig({ DATABASE_OWNER_URL: 'postgres://o@h/d' }),
    (e: Error) => e instanceof ConfigError && /DATABASE_OWNER_URL .* needs DATABASE_URL/.test(e.message),
  );
  assert.throws(
    () => readConfig({ DATABASE_URL: 'postgres://a@h/d', DATABASE_OWNER_URL: 'mysql://o@h/d' }),
    /DATABASE_OWNER_URL must start with postgres:\/\//,
  );
});

test('a database from before the two roles (everything the superuser’s) is upgraded on start', async () => {
  const name = `old_${randomBytes(5).toString('hex')}`;
  const superuser = asSuperuser();
  await sql`CREATE DATABASE ${sql.id(name)} TEMPLATE handover_template`.execute(superuser);
  const oldUrl = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  const admin = new pg.Client({ connectionString: oldUrl });
  await admin.connect();
  after(async () => {
    await admin.end().catch(() => {});
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(asSuperuser());
  });
  // As an older version left it: the database, its tables, functions and pg-boss's schema all the superuser's.
  await admin.query(`ALTER DATABASE ${name} OWNER TO postgres`);
  await admin.query(`DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT oid::regclass AS t FROM pg_class WHERE relnamespace IN ('public'::regnamespace, 'pgboss'::regnamespace)
      AND relkind IN ('r','p','v') LOOP EXECUTE format('ALTER TABLE %s OWNER TO postgres', r.t); END LOOP;
    FOR r IN SELECT oid::regprocedure AS f FROM pg_proc WHERE pronamespace = 'public'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = pg_proc.oid AND d.deptype = 'e')
      LOOP EXECUTE format('ALTER ROUTINE %s OWNER TO postgres', r.f); END LOOP;
    END $$`);
  await admin.query('ALTER SCHEMA pgboss OWNER TO postgres');
  // pg-boss keeps jobs in a partitioned table, a partition per queue, each with its own row type.
  await admin.query(`CREATE TABLE pgboss.old_job (name text NOT NULL, id bigserial) PARTITION BY LIST (name);
    CREATE TABLE pgboss.old_job_a PARTITION OF pgboss.old_job FOR VALUES IN ('a');
    CREATE TYPE pgboss.old_state AS ENUM ('created', 'done')`);
  await admin.query('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM handover_app');
  const notOwner = `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relowner <> '${OWNER_ROLE}'::regrole`;
  assert.ok((await admin.query(notOwner)).rows[0].n > 0, 'the set-up left tables the superuser’s');

  await adoptDatabase(admin, name);
  const owner = createDb(ownerUrl.replace(/\/[^/]+$/, `/${name}`), 1);
  try {
    await grantAppRole(owner, APP_ROLE);
  } finally {
    await owner.destroy();
  }
  assert.equal((await admin.query(notOwner)).rows[0].n, 0);
  const fns = await admin.query(
    `SELECT count(*)::int AS n FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proowner <> '${OWNER_ROLE}'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = pg_proc.oid AND d.deptype = 'e')`,
  );
  assert.equal(fns.rows[0].n, 0, 'functions (the chain trigger’s too) are the owner role’s');
  const dbOwner = await admin.query('SELECT pg_get_userbyid(datdba) AS o FROM pg_database WHERE datname = $1', [name]);
  assert.equal(dbOwner.rows[0].o, OWNER_ROLE);
  const jobs = await admin.query(
    `SELECT pg_get_userbyid(nspowner) AS o, (SELECT count(*)::int FROM pg_class WHERE relnamespace = 'pgboss'::regnamespace AND relowner <> '${APP_ROLE}'::regrole) AS n FROM pg_namespace WHERE nspname = 'pgboss'`,
  );
  assert.deepEqual(jobs.rows[0], { o: APP_ROLE, n: 0 });
  const types = await admin.query(
    `SELECT count(*)::int AS n FROM pg_type WHERE typnamespace = 'pgboss'::regnamespace AND typowner <> '${APP_ROLE}'::regrole`,
  );
  assert.equal(types.rows[0].n, 0, 'row types and enums in pgboss are the app role’s too');

  // The upgraded database behaves like a new one for the app role.
  const app = createDb(url.replace(/\/[^/]+$/, `/${name}`), 1);
  try {
    await sql`INSERT INTO audit_log (action, entity) VALUES ('upgraded', 'test')`.execute(app);
    await assert.rejects(sql`DELETE FROM audit_log`.execute(app), /permission denied for table audit_log/);
  } finally {
    await app.destroy();
  }
});
