// Shared set-up of the retention tests: a demo council, its richest young person's record made closed long ago (the
// one due), another closed recently (not due), a third closed long ago and put under a legal hold; and the
// independent queries the tests check a purge with: every table with a person id, and every table's text.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';

/** Where the tests' documents are stored as files: made on first use, removed when the test file ends. */
let dir: string | null = null;
export function documentsDir(): string {
  if (!dir) {
    const made = mkdtempSync(path.join(os.tmpdir(), 'handover-retention-'));
    after(() => rmSync(made, { recursive: true, force: true }));
    dir = made;
  }
  return dir;
}

/** Every (table, column) of the app's schema that holds a person's id: by name, and by foreign key to people. */
export async function personColumns(db: Db): Promise<{ table: string; column: string }[]> {
  const r = await sql<{ table: string; column: string }>`
    SELECT table_name AS table, column_name AS column FROM information_schema.columns
    WHERE table_schema = 'public' AND (column_name = 'person_id' OR column_name LIKE '%\_person\_id')
    UNION
    SELECT cl.relname, a.attname FROM pg_constraint c
    JOIN pg_class cl ON cl.oid = c.conrelid
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
    WHERE c.contype = 'f' AND c.confrelid = 'public.people'::regclass
    ORDER BY 1, 2`.execute(db);
  return r.rows;
}

/** Rows that name the person (or any of the people) by id, per table.column (empty tables left out). */
export async function rowsNaming(db: Db, personIds: string | string[]): Promise<Record<string, number>> {
  const ids = typeof personIds === 'string' ? [personIds] : personIds;
  const out: Record<string, number> = {};
  for (const { table, column } of await personColumns(db)) {
    const r = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ANY(${ids}::uuid[])`.execute(db);
    if (r.rows[0]?.n) out[`${table}.${column}`] = r.rows[0].n;
  }
  return out;
}

/** The ids of every row that names the person (or any of the people; in every table with an id column), and theirs. */
export async function idsOfRowsNaming(db: Db, personIds: string | string[]): Promise<string[]> {
  const people = typeof personIds === 'string' ? [personIds] : personIds;
  const ids = [...people];
  for (const { table, column } of await personColumns(db)) {
    if (table === 'audit_log' || table === 'access_log') continue;
    const hasId = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = ${table} AND column_name = 'id' AND data_type = 'uuid'`.execute(
      db,
    );
    if (!hasId.rows[0]?.n) continue;
    const r = await sql<{ id: string }>`
      SELECT id::text AS id FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ANY(${people}::uuid[])`.execute(db);
    ids.push(...r.rows.map((x) => x.id));
  }
  return ids;
}

/** Tables whose rows, as text, contain any of `needles` (case-insensitive), with the count; `skip` left out. */
export async function tablesMentioning(
  db: Db,
  needles: string[],
  skip: string[] = [],
): Promise<Record<string, number>> {
  const tables = await sql<{ t: string }>`
    SELECT table_name AS t FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db);
  const out: Record<string, number> = {};
  const lowered = needles.map((n) => n.toLowerCase());
  for (const { t } of tables.rows) {
    if (skip.includes(t)) continue;
    const r = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.table(t)} x
      WHERE EXISTS (SELECT 1 FROM unnest(${lowered}::text[]) k WHERE strpos(lower(x::text), k) > 0)`.execute(db);
    if (r.rows[0]?.n) out[t] = r.rows[0].n;
  }
  return out;
}

/** The young person of the council with rows in the most tables (the fullest record to purge). */
export async function richestPerson(db: Db, authorityId: string, except: string[] = []): Promise<string> {
  const score = new Map<string, number>();
  for (const { table, column } of await personColumns(db)) {
    if (table === 'audit_log' || table === 'access_log' || table === 'people') continue;
    const r = await sql<{ p: string }>`
      SELECT DISTINCT x.${sql.ref(column)}::text AS p FROM ${sql.table(table)} x
      JOIN people pp ON pp.id = x.${sql.ref(column)} WHERE pp.authority_id = ${authorityId}`.execute(db);
    for (const { p } of r.rows) score.set(p, (score.get(p) ?? 0) + 1);
  }
  const best = [...score]
    .filter(([p]) => !except.includes(p))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (!best) throw new Error('no young people in the demo council');
  return best[0];
}

/**
 * Makes a record closed on `closedOn` (every involvement and status ended then, every protocol ended) and gives it
 * canary details (name, NHS number) found nowhere else, so a scan of every table can look for them. As the owner:
 * this is the test arranging the past, not the app.
 */
export async function closeRecord(owner: Db, personId: string, closedOn: string, born = '1990-01-01') {
  const canary = `Zq${randomBytes(5).toString('hex')}`;
  // A record that never had an involvement (a SEND hub request's child, say) counts as closed from when it was made.
  await sql`UPDATE people SET given_name = ${canary}, date_of_birth = ${born},
    created_at = least(created_at, ${closedOn}::date),
    nhs_number = ${String(9_000_000_000 + Math.floor(Math.random() * 99_999_999))} WHERE id = ${personId}`.execute(
    owner,
  );
  await sql`UPDATE person_statuses SET start_date = least(start_date, ${closedOn}::date), end_date = ${closedOn}
    WHERE person_id = ${personId}`.execute(owner);
  await sql`UPDATE involvements SET start_date = least(start_date, ${closedOn}::date), end_date = ${closedOn}
    WHERE person_id = ${personId}`.execute(owner);
  await sql`UPDATE protocol_instances SET status = 'ended', ended_at = ${closedOn}::date
    WHERE person_id = ${personId} AND status = 'open'`.execute(owner);
  await sql`UPDATE protocol_steps SET status = 'cancelled' WHERE person_id = ${personId} AND status = 'open'`.execute(
    owner,
  );
  const nhs = await sql<{ nhs_number: string }>`SELECT nhs_number FROM people WHERE id = ${personId}`.execute(owner);
  return { canary, nhs: nhs.rows[0]?.nhs_number as string };
}

/**
 * Things that point at the record without a foreign key: a stored file, a notification, an alert, an email, a timer;
 * and another council's transfer pointing at this copy. Returns the stored file's path.
 */
export async function pointersAt(
  db: Db,
  authorityId: string,
  personId: string,
  uploaderId: string,
  otherPerson: string,
) {
  const bytes = Buffer.from('%PDF-1.4 retention test\n');
  const { createHash } = await import('node:crypto');
  const doc = await db
    .insertInto('documents')
    .values({
      authority_id: authorityId,
      person_id: personId,
      target_kind: 'person',
      target_id: null,
      title: 'Stored as a file',
      media_type: 'application/pdf',
      extension: 'pdf',
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      storage: 'directory',
      scan_result: 'not_scanned',
      uploaded_by: uploaderId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const file = path.join(documentsDir(), doc.id);
  writeFileSync(file, bytes);
  await db
    .insertInto('notifications')
    .values({ authority_id: authorityId, user_id: uploaderId, message: 'Retention test', link: `/people/${personId}` })
    .execute();
  await db
    .insertInto('alerts')
    .values({
      authority_id: authorityId,
      role: 'service_manager',
      kind: 'test',
      message: 'x',
      link: `/people/${personId}/notes`,
    })
    .execute();
  await db
    .insertInto('outbox')
    .values({
      authority_id: authorityId,
      reference: 'REF',
      to_addresses: ['someone@example.test'],
      subject: 'Handover: retention test',
      body: `Sign in to see it: http://localhost/people/${personId}`,
      status: 'sent',
    })
    .execute();
  const step = await db.selectFrom('protocol_steps').where('person_id', '=', personId).select('id').executeTakeFirst();
  if (step)
    await db
      .insertInto('deadlines')
      .values({
        authority_id: authorityId,
        subject_type: 'protocol_step',
        subject_id: step.id,
        rung: 99,
        due_at: new Date('2011-01-01T00:00:00Z'),
        action: JSON.stringify({ kind: 'remind' }),
        cancelled_at: new Date('2011-01-01T00:00:00Z'),
      })
      .execute();
  // Another record (e.g. the sending council's) whose transfer names this copy as the receiving one.
  const transfer = await db
    .selectFrom('transfers')
    .where('person_id', '=', otherPerson)
    .select('id')
    .executeTakeFirst();
  if (transfer)
    await db.updateTable('transfers').set({ to_person_id: personId }).where('id', '=', transfer.id).execute();
  return { file, documentId: doc.id };
}
