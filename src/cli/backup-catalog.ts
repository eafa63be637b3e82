// What a backup holds, read from PostgreSQL's catalog rather than listed by hand: every ordinary table of the app's
// schema (not kysely's migration tables, not extensions' own), its stored columns, the foreign keys between them
// (for a restore order that inserts each row after the rows it points to) and the sequences.
import type pg from 'pg';
import { UserError } from './user-error.ts';

export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export interface CatalogTable {
  name: string;
  columns: string[];
}

/** Both sides of the COPY read and write text in these settings, so the bytes (and checksums) are the same. */
export async function fixSessionFormats(client: pg.Client): Promise<void> {
  await client.query(
    "SET datestyle = 'ISO, YMD'; SET timezone = 'UTC'; SET intervalstyle = 'postgres'; SET extra_float_digits = 3; SET client_encoding = 'UTF8'; SET bytea_output = 'hex'",
  );
}

/** The app's tables in an order where every foreign key points to a table earlier in it (self-references aside). */
export async function appTables(client: pg.Client): Promise<CatalogTable[]> {
  const tables = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name,
       array(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
             ORDER BY a.attnum) AS columns
     FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relname <> ALL($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                       AND d.deptype = 'e')
     ORDER BY c.relname`,
    [MIGRATION_TABLES],
  );
  const keys = await client.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent
     FROM pg_constraint k JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
     WHERE k.contype = 'f' AND ch.relnamespace = current_schema()::regnamespace AND k.conrelid <> k.confrelid`,
  );
  const parents = new Map<string, Set<string>>(tables.rows.map((t) => [t.name, new Set<string>()]));
  for (const k of keys.rows) parents.get(k.child)?.add(k.parent);
  const byName = new Map(tables.rows.map((t) => [t.name, t]));
  const ordered: CatalogTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.rows.length) {
    const ready = tables.rows.filter(
      (t) => !placed.has(t.name) && [...(parents.get(t.name) ?? [])].every((p) => placed.has(p) || !byName.has(p)),
    );
    if (ready.length === 0) {
      const left = tables.rows.filter((t) => !placed.has(t.name)).map((t) => t.name);
      throw new Error(`The foreign keys between ${left.join(', ')} form a cycle: no restore order exists.`);
    }
    for (const t of ready) {
      ordered.push({ name: t.name, columns: t.columns });
      placed.add(t.name);
    }
  }
  return ordered;
}

export async function appSequences(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                       AND d.deptype = 'e')
     ORDER BY c.relname`,
  );
  return r.rows.map((s) => s.name);
}

/** The migrations this database has run, in name order. */
export async function migrationLevel(client: pg.Client): Promise<string[]> {
  const found = await client.query<{ t: string | null }>("SELECT to_regclass('kysely_migration')::text AS t");
  if (!found.rows[0]?.t) {
    throw new UserError(
      'The database has no Handover tables yet (it was never migrated): nothing to back up. Run "npx handover migrate" or start Handover first.',
    );
  }
  const r = await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
  return r.rows.map((m) => m.name);
}

export function quoted(client: pg.Client, name: string): string {
  return client.escapeIdentifier(name);
}

export function columnList(client: pg.Client, columns: string[]): string {
  return columns.map((c) => client.escapeIdentifier(c)).join(', ');
}
