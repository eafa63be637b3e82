// The two database roles (quality.md S7, issue 9 finding 8): an owner that runs migrations and owns every table,
// and the app role the running app connects as, which owns no Handover table and may only SELECT and INSERT
// audit_log and access_log. The SQL an IT team runs once on its own server is in docs/database-roles.md.
import { sql } from 'kysely';
import type pg from 'pg';
import type { Executor } from './database.ts';

/** The roles the embedded PostgreSQL creates (a server's IT team may choose other names). */
export const OWNER_ROLE = 'handover_owner';
export const APP_ROLE = 'handover_app';
/** pg-boss's schema. Owned by the app role: pg-boss creates queue partitions and reindexes at run time. */
export const JOBS_SCHEMA = 'pgboss';
/** Tables the app may only read and append to. */
export const APPEND_ONLY_TABLES = ['audit_log', 'access_log'] as const;

export class DatabaseRoleError extends Error {}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * As a superuser: creates the owner and app roles, or brings an existing one's attributes and password back to
 * what they must be (the passwords live in the data directory and are the source of truth).
 */
export async function ensureRoles(admin: pg.Client, passwords: { owner: string; app: string }): Promise<void> {
  const roles = [
    [OWNER_ROLE, passwords.owner, 'INHERIT'],
    [APP_ROLE, passwords.app, 'NOINHERIT'],
  ] as const;
  for (const [role, password, inherit] of roles) {
    const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = found.rowCount === 0 ? 'CREATE' : 'ALTER';
    await admin.query(
      `${verb} ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ${inherit} PASSWORD ${literal(password)}`,
    );
  }
}

/** A plpgsql loop giving every object in `schema` not owned by `role` (and not part of an extension) to it. */
function reassignSchemaSql(schema: string, role: string): string {
  return `DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.oid::regclass AS name, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
      WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
    FROM pg_class c
    WHERE c.relnamespace = ${literal(schema)}::regnamespace AND c.relkind IN ('r','p','v','m','f','S')
      AND c.relowner <> ${literal(role)}::regrole
      -- Extension members stay; a sequence belonging to a column moves with its table. Partitions are moved.
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a','i'))))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', r.kind, r.name, ${literal(role)});
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure AS name FROM pg_proc p
    WHERE p.pronamespace = ${literal(schema)}::regnamespace AND p.proowner <> ${literal(role)}::regrole
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.name, ${literal(role)});
  END LOOP;
  FOR r IN
    SELECT t.oid::regtype AS name FROM pg_type t
    WHERE t.typnamespace = ${literal(schema)}::regnamespace AND t.typtype IN ('e','d','r')
      AND t.typowner <> ${literal(role)}::regrole
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO %I', r.name, ${literal(role)});
  END LOOP;
END $$`;
}

/**
 * As a superuser, connected to the app's database: the owner role owns the database and every Handover object
 * (a data directory from before the two roles had everything owned by the superuser), and the app role owns
 * pg-boss's schema. Idempotent; cheap when nothing needs moving.
 */
export async function adoptDatabase(admin: pg.Client, database: string): Promise<void> {
  await admin.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(OWNER_ROLE)}`);
  await admin.query(reassignSchemaSql('public', OWNER_ROLE));
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${ident(JOBS_SCHEMA)} AUTHORIZATION ${ident(APP_ROLE)}`);
  await admin.query(`ALTER SCHEMA ${ident(JOBS_SCHEMA)} OWNER TO ${ident(APP_ROLE)}`);
  await admin.query(reassignSchemaSql(JOBS_SCHEMA, APP_ROLE));
}

/**
 * As the owner, after every migration run (idempotent): the app role may read and write ordinary tables, only
 * read and append to the audit and access logs, only read the chain head, and not touch the migration tables.
 * Default privileges cover tables later migrations add; this step then re-applies the revocations.
 */
export async function grantAppRole(owner: Executor, appRole: string): Promise<void> {
  const app = sql.id(appRole);
  await sql`GRANT USAGE ON SCHEMA public TO ${app}`.execute(owner);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`.execute(owner);
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`.execute(owner);
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`.execute(
    owner,
  );
  await sql`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`.execute(owner);
  const version = await sql<{ v: number }>`SELECT current_setting('server_version_num')::int AS v`.execute(owner);
  const maintain = (version.rows[0]?.v ?? 0) >= 170000;
  // PostgreSQL 17+: MAINTAIN lets the app ANALYZE after a bulk load (the county demo); it changes no rows.
  if (maintain) {
    await sql`GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO ${app}`.execute(owner);
  }
  for (const table of APPEND_ONLY_TABLES) {
    await sql`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${sql.table(table)} FROM ${app}`.execute(owner);
    if (maintain) await sql`REVOKE MAINTAIN ON ${sql.table(table)} FROM ${app}`.execute(owner);
  }
  // The app writes an audit entry's own columns only: seq and the hashes come from the chain trigger, or from the
  // owner's audit_append_bulk (migration 2026_12_06_0300), so the app cannot slip in a row of its own chaining.
  await sql`REVOKE INSERT ON audit_log FROM ${app}`.execute(owner);
  await sql`GRANT INSERT (authority_id, actor_id, action, entity, entity_id, person_id, detail) ON audit_log TO ${app}`.execute(
    owner,
  );
  await sql`REVOKE ALL ON audit_chain_head FROM ${app}`.execute(owner);
  await sql`GRANT SELECT ON audit_chain_head TO ${app}`.execute(owner);
  await sql`REVOKE ALL ON kysely_migration, kysely_migration_lock FROM ${app}`.execute(owner);
}

/**
 * pg-boss runs as the app role and is told not to create its schema (that needs CREATE on the database, which
 * the app role has not got), so the schema is made here, at migrate time, if it is missing.
 */
export async function ensureJobsSchema(migrator: Executor, appRole: string | null): Promise<void> {
  const found = await sql`SELECT 1 FROM pg_namespace WHERE nspname = ${JOBS_SCHEMA}`.execute(migrator);
  if (found.rows.length > 0) return;
  try {
    if (appRole === null) await sql`CREATE SCHEMA ${sql.id(JOBS_SCHEMA)}`.execute(migrator);
    else await sql`CREATE SCHEMA ${sql.id(JOBS_SCHEMA)} AUTHORIZATION ${sql.id(appRole)}`.execute(migrator);
  } catch (e) {
    throw new DatabaseRoleError(
      `Could not create the job queue schema ${JOBS_SCHEMA} (${(e as Error).message}). Run the SQL in docs/database-roles.md once as a database administrator.`,
    );
  }
}

/** What is wrong with the role this connection runs as, for an app role: [] when it is properly restricted. */
export async function appRoleProblems(app: Executor): Promise<string[]> {
  const r = await sql<{ role: string; superuser: boolean; bypassrls: boolean; owns: boolean; update: boolean }>`
    SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
      pg_has_role(current_user, c.relowner, 'USAGE') AS owns,
      has_table_privilege('audit_log', 'UPDATE') OR has_table_privilege('audit_log', 'DELETE')
        OR has_table_privilege('audit_log', 'TRUNCATE') AS update
    FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_log'::regclass`.execute(app);
  const row = r.rows[0];
  if (!row) return ['the audit_log table is missing'];
  const problems: string[] = [];
  if (row.superuser) problems.push(`${row.role} is a superuser`);
  if (row.bypassrls) problems.push(`${row.role} can bypass row-level security`);
  if (row.owns) problems.push(`${row.role} owns (or is a member of the owner of) audit_log`);
  else if (row.update) problems.push(`${row.role} may update, delete or truncate audit_log`);
  return problems;
}
