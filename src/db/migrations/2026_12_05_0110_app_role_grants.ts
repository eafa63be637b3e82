// Issue 9 finding 8: the app connects as a role that owns no audit table and may only SELECT and INSERT on it.
// The chain trigger advances audit_chain_head; it now runs as its owner (SECURITY DEFINER), so the app role needs
// only SELECT on the head and cannot move it. The grants themselves are applied after every migration run by
// src/db/roles.ts grantAppRole (idempotent, and they must follow tables later migrations add): docs/decisions.md.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db);
  const where = schema.rows[0]?.s ?? 'public';
  // A fixed search_path, temporary schema last, so the definer's function cannot be steered by the caller's.
  await sql`ALTER FUNCTION audit_log_chain() SECURITY DEFINER SET search_path = ${sql.id(where)}, pg_temp`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER FUNCTION audit_log_chain() SECURITY INVOKER RESET search_path`.execute(db);
}
