// Subject access (issue 15 item 12, quality.md R9): the ICO clock, the review of other people's data before release,
// the audit of every step, and the export's completeness proven against an independent query: every table with a
// person_id column or a foreign key to people, found in the catalogue (not from the module's own list), and every
// such row for the young person must be in the export. A table added later and left out of the export fails here.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { sha256 as tokenHash } from '../src/modules/auth/service.ts';
import { ensureDemo } from '../src/modules/demo/seed.ts';
import { addCalendarMonths, icoClock, icoDueDate } from '../src/modules/subject-access/clock.ts';
import { REDACTED } from '../src/modules/subject-access/export.ts';
import { fixedClock, seedOrganisation, testApp, testConfig, testDatabase } from './helpers.ts';

const { db, asOwner } = await testDatabase({ demo: true });
const clock = fixedClock('2026-11-23T10:00:00Z');
await ensureDemo(db, { config: testConfig(), now: clock.now });
const app = await testApp(db, { now: clock.now });
const owner = asOwner();

async function tokenFor(d: Db, email: string) {
  const user = await d.selectFrom('users').where('email', '=', email).select('id').executeTakeFirstOrThrow();
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await d
    .insertInto('api_tokens')
    .values({ user_id: user.id, token_hash: tokenHash(token), label: 'sar' })
    .execute();
  return { authorization: `Bearer ${token}`, accept: 'application/json' };
}
const manager = await tokenFor(db, 'service.manager@demoshire.example');
const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers = manager) =>
  app.inject({ method, url: `/api/v1/subject-access${url}`, headers, ...(payload ? { payload } : {}) });

/** The independent query: every base table with a person_id column, or a foreign key column to people. */
async function personTables(): Promise<{ table: string; column: string }[]> {
  const res = await sql<{ table: string; column: string }>`
    SELECT c.table_name AS table, c.column_name AS column
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.column_name = 'person_id'
    UNION
    SELECT cl.relname, a.attname
      FROM pg_constraint k
      JOIN pg_class cl ON cl.oid = k.conrelid
      JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema()
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)
     WHERE k.contype = 'f' AND k.confrelid = 'people'::regclass
    ORDER BY 1, 2`.execute(owner);
  return res.rows;
}

/** Each row of `table` about the person, keyed by its primary key (or the whole row, for a table without one). */
async function rowsAbout(table: string, columns: string[], personId: string): Promise<Map<string, number>> {
  const pk = await sql<{ col: string }>`
    SELECT a.attname AS col FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = ${table}::regclass AND i.indisprimary ORDER BY a.attname`.execute(owner);
  const where = sql.join(
    columns.map((c) => sql`${sql.ref(c)} = ${personId}`),
    sql` OR `,
  );
  const res = await sql<{ row: Record<string, unknown> }>`
    SELECT to_jsonb(t) AS row FROM ${sql.table(table)} t WHERE ${where}`.execute(owner);
  const keys = new Map<string, number>();
  for (const { row } of res.rows) {
    const k = keyOf(
      row,
      pk.rows.map((r) => r.col),
    );
    keys.set(k, (keys.get(k) ?? 0) + 1);
  }
  return keys;
}
const keyOf = (row: Record<string, unknown>, pk: string[]) =>
  JSON.stringify(pk.length ? pk.map((c) => row[c]) : Object.entries(row).sort(([a], [b]) => a.localeCompare(b)));

test('the ICO clock: one calendar month, the last day of a shorter month, the next working day, extensions', () => {
  assert.equal(addCalendarMonths('2026-01-31', 1), '2026-02-28');
  assert.equal(addCalendarMonths('2028-01-31', 1), '2028-02-29');
  assert.equal(addCalendarMonths('2026-11-30', 3), '2027-02-28');
  assert.equal(icoDueDate('2026-11-23', 0), '2026-12-23');
  // 25 December and the 28th (Boxing Day's substitute) are bank holidays, the 26th and 27th a weekend.
  assert.equal(icoDueDate('2026-11-25', 0), '2026-12-29');
  // Extended by one month: 23 January 2027 is a Saturday. By two: 23 February.
  assert.equal(icoDueDate('2026-11-23', 1), '2027-01-25');
  assert.equal(icoDueDate('2026-11-23', 2), '2027-02-23');
  const c = icoClock(
    { received_on: '2026-11-02', extension_months: 0, extension_reason: null },
    new Date('2026-11-23T10:00:00Z'),
  );
  assert.deepEqual([c.due_on, c.days_left, c.words, c.overdue], ['2026-12-02', 9, '9 days left', false]);
  const late = icoClock(
    { received_on: '2026-10-01', extension_months: 0, extension_reason: null },
    new Date('2026-11-23T10:00:00Z'),
  );
  assert.deepEqual([late.due_on, late.words, late.overdue], ['2026-11-02', '21 days overdue', true]);
});

test('log, extend, review and release: bad input names the field; release waits for every decision; each step audited', async () => {
  const person = await db
    .selectFrom('people as p')
    .where(sql<boolean>`exists (select 1 from case_notes n where n.person_id = p.id)`)
    .where(sql<boolean>`exists (select 1 from documents d where d.person_id = p.id)`)
    .select(['p.id', 'p.case_number'])
    .executeTakeFirstOrThrow();
  const bad = await api('POST', '', {
    case_number: 'NOPE-1',
    requester_name: 'Alex Parent',
    requester_relationship: 'parent',
    received_date: '2026-11-30',
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().fields, { received_date: 'Date received must be today or in the past' });
  const unknown = await api('POST', '', {
    case_number: 'NOPE-1',
    requester_name: 'Alex Parent',
    requester_relationship: 'parent',
    received_date: '2026-11-20',
  });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json().fields.case_number, /No young person in this council has that case number/);
  assert.equal(
    Number((await db.selectFrom('subject_access_requests').select(sql`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
    0,
  );

  const created = await api('POST', '', {
    case_number: person.case_number,
    requester_name: 'Alex Parent',
    requester_relationship: 'parent',
    received_date: '2026-11-20',
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const shown = await api('GET', `/${id}`);
  assert.equal(shown.statusCode, 200);
  const body = shown.json();
  assert.equal(body.clock.due_on, '2026-12-21');
  assert.equal(body.clock.words, '28 days left');
  assert.ok(body.review.length >= 2 && body.undecided === body.review.length);

  const extended = await api('POST', `/${id}/extension`, { months: 3, reason: '', version: body.version });
  assert.equal(extended.statusCode, 400);
  assert.deepEqual(Object.keys(extended.json().fields), ['months'], extended.body);
  const noReason = await api('POST', `/${id}/extension`, { months: 1, reason: ' ', version: body.version });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.json().fields.reason, /Enter why the request is complex/);
  const ok = await api('POST', `/${id}/extension`, { months: 1, reason: 'Many records', version: body.version });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await api('GET', `/${id}`)).json().clock.due_on, '2027-01-20');
  const stale = await api('POST', `/${id}/extension`, { months: 2, reason: 'More', version: body.version });
  assert.equal(stale.statusCode, 409);

  const early = await api('POST', `/${id}/release`);
  assert.equal(early.statusCode, 400);
  assert.match(early.json().fields.review, /not yet decided/);

  const items = body.review as { item_table: string; item_id: string }[];
  const unreasoned = await api('PUT', `/${id}/review`, {
    decisions: [{ item_table: items[0]!.item_table, item_id: items[0]!.item_id, decision: 'withhold' }],
  });
  assert.equal(unreasoned.statusCode, 400);
  assert.match(unreasoned.json().fields['decisions[0].reason'], /required to withhold/);
  const note = items.find((i) => i.item_table === 'case_notes')!;
  const doc = items.find((i) => i.item_table === 'documents')!;
  const decisions = items.map((i) => ({
    item_table: i.item_table,
    item_id: i.item_id,
    decision: i === note ? 'redact' : i === doc ? 'withhold' : 'include',
    reason: i === note ? 'Names another child' : i === doc ? 'A report from a third party' : null,
  }));
  const twice = await api('PUT', `/${id}/review`, { decisions: [decisions[0], decisions[0]] });
  assert.equal(twice.statusCode, 200, twice.body);
  const reviewed = await api('PUT', `/${id}/review`, { decisions });
  assert.equal(reviewed.statusCode, 200, reviewed.body);
  // Two releases at once: one export, the other refused as a conflict (never a 500).
  const both = await Promise.all([api('POST', `/${id}/release`), api('POST', `/${id}/release`)]);
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409], both.map((r) => r.body).join(' '));
  assert.equal((await api('POST', `/${id}/release`)).statusCode, 409);

  const download = await app.inject({ method: 'GET', url: `/api/v1/subject-access/${id}/export`, headers: manager });
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'application/zip');
  assert.doesNotMatch(String(download.headers['content-disposition']), new RegExp(person.case_number));
  const files = unzipSync(new Uint8Array(download.rawPayload));
  const html = strFromU8(files['index.html']!);
  assert.match(html, /Information held about/);
  assert.match(html, /redacted \(1 item\) or withheld \(1 item\)/);
  const json = JSON.parse(strFromU8(files['export.json']!));
  const versions = (json.sections.case_note_versions as Record<string, unknown>[]).filter(
    (v) => v.note_id === note.item_id,
  );
  assert.ok(versions.length >= 1 && versions.every((v) => v.what_happened === REDACTED));
  const original = await db
    .selectFrom('case_note_versions')
    .where('note_id', '=', note.item_id)
    .select('what_happened')
    .executeTakeFirstOrThrow();
  assert.ok(
    !html.includes(original.what_happened) && !strFromU8(files['export.json']!).includes(original.what_happened),
  );
  const withheld = (json.sections.documents as Record<string, unknown>[]).find((d) => d.id === doc.item_id)!;
  assert.equal(withheld.withheld, true);
  assert.equal(withheld.title, undefined);
  assert.ok(!Object.keys(files).some((f) => f.startsWith(`documents/${doc.item_id.slice(0, 8)}`)));
  for (const d of json.sections.documents as Record<string, unknown>[]) {
    if (d.withheld) continue;
    const bytes = files[String(d.file)];
    assert.ok(bytes, `document file ${d.file} in the zip`);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), d.sha256);
  }

  const audit = await db
    .selectFrom('audit_log')
    .where('entity_id', '=', id)
    .orderBy('seq')
    .select(['action', 'person_id', 'detail'])
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    [
      'subject_access.logged',
      'subject_access.extended',
      'subject_access.reviewed',
      'subject_access.reviewed',
      'subject_access.released',
      'subject_access.downloaded',
    ],
  );
  assert.ok(audit.every((a) => a.person_id === person.id));
  assert.ok(!JSON.stringify(audit).includes('Alex Parent'), 'no requester name in the audit');
  const access = await db
    .selectFrom('access_log')
    .where('person_id', '=', person.id)
    .where('channel', '=', 'export')
    .select('purpose')
    .execute();
  assert.deepEqual(
    access.map((a) => a.purpose),
    ['subject-access'],
  );
  assert.equal((await verifyAuditChain(db)).ok, true);

  // Another council's service manager cannot find it; a social worker's role cannot reach the pages at all.
  const other = await seedOrganisation(db, 'sar');
  const elsewhere = await tokenFor(db, other.users.find((u) => u.role === 'service_manager')!.email);
  assert.equal((await api('GET', `/${id}`, undefined, elsewhere)).statusCode, 404);
  const worker = await tokenFor(db, 'social.worker@demoshire.example');
  assert.equal((await api('GET', '', undefined, worker)).statusCode, 403);
});

test('completeness: every row about the young person in every table that holds one is in the export', async () => {
  const tables = await personTables();
  const byTable = new Map<string, string[]>();
  for (const t of tables) byTable.set(t.table, [...(byTable.get(t.table) ?? []), t.column]);
  // The young people whose records fill the most of those tables, until adding another fills no more (at most 4).
  const covered = new Set<string>();
  const chosen: { id: string; case_number: string }[] = [];
  const people = await db.selectFrom('people').select(['id', 'case_number']).execute();
  const filled = new Map<string, Set<string>>();
  for (const [table, cols] of byTable) {
    const where = sql.join(
      cols.map((c) => sql`${sql.ref(c)} IS NOT NULL`),
      sql` OR `,
    );
    const res = await sql<{ pid: string }>`
      SELECT DISTINCT unnest(ARRAY[${sql.join(cols.map((c) => sql`${sql.ref(c)}::text`))}]) AS pid
        FROM ${sql.table(table)} WHERE ${where}`.execute(owner);
    for (const r of res.rows) if (r.pid) filled.set(r.pid, (filled.get(r.pid) ?? new Set()).add(table));
  }
  while (chosen.length < 4) {
    const best = people
      .map((p) => ({ p, gain: [...(filled.get(p.id) ?? [])].filter((t) => !covered.has(t)).length }))
      .sort((a, b) => b.gain - a.gain)[0];
    if (!best || best.gain === 0) break;
    chosen.push(best.p);
    for (const t of filled.get(best.p.id) ?? []) covered.add(t);
  }
  // A break-glass row for one of them too, so that table is proven, not skipped.
  const first = chosen[0]!;
  const sm = await db
    .selectFrom('users')
    .where('email', '=', 'service.manager@demoshire.example')
    .select(['id', 'authority_id'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('break_glass')
    .values({
      authority_id: sm.authority_id,
      user_id: sm.id,
      person_id: first.id,
      reason: 'Completeness test',
      created_at: clock.now(),
      expires_at: new Date(clock.now().getTime() + 3_600_000),
    })
    .execute();

  const proven = new Set<string>();
  let rowsChecked = 0;
  for (const person of chosen) {
    const created = await api('POST', '', {
      case_number: person.case_number,
      requester_name: 'Young Person',
      requester_relationship: 'self',
      received_date: '2026-11-23',
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    const review = (await api('GET', `/${id}`)).json().review as { item_table: string; item_id: string }[];
    if (review.length) {
      const decisions = review.map((i) => ({ item_table: i.item_table, item_id: i.item_id, decision: 'include' }));
      assert.equal((await api('PUT', `/${id}/review`, { decisions })).statusCode, 200);
    }
    // The independent query, read just before the release: what the export must hold.
    const expected = new Map<string, Map<string, number>>();
    for (const [table, cols] of byTable) expected.set(table, await rowsAbout(table, cols, person.id));
    const released = await api('POST', `/${id}/release`);
    assert.equal(released.statusCode, 200, released.body);
    const zip = await app.inject({ method: 'GET', url: `/api/v1/subject-access/${id}/export`, headers: manager });
    const json = JSON.parse(strFromU8(unzipSync(new Uint8Array(zip.rawPayload))['export.json']!));
    const sections = json.sections as Record<string, Record<string, unknown>[] | undefined>;
    // Every table that can hold rows about a person has its section, even when it holds none for this one.
    const missing = [...byTable.keys()].filter((t) => !Array.isArray(sections[t]));
    assert.deepEqual(missing, [], 'tables holding rows about people that the export leaves out');
    for (const [table, keys] of expected) {
      if (keys.size === 0) continue;
      const section = sections[table];
      assert.ok(section, `the export has no section for ${table}, which holds ${keys.size} row(s) about the person`);
      const pk = await sql<{ col: string }>`
        SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = ${table}::regclass AND i.indisprimary ORDER BY a.attname`.execute(owner);
      const got = new Map<string, number>();
      for (const row of section) {
        const k = keyOf(
          row,
          pk.rows.map((r) => r.col),
        );
        got.set(k, (got.get(k) ?? 0) + 1);
      }
      for (const [k, n] of keys) {
        assert.ok((got.get(k) ?? 0) >= n, `${table}: the row ${k} about the person is not in the export`);
        rowsChecked += n;
      }
      proven.add(table);
    }
    // Only theirs: no row in the export is about another young person.
    for (const [table, rows] of Object.entries(sections))
      for (const row of rows ?? [])
        if (
          'person_id' in row &&
          row.person_id !== person.id &&
          !(table === 'transfers' && row.to_person_id === person.id)
        )
          assert.fail(`${table} row about someone else in the export`);
  }
  console.log(
    `R9 completeness: ${byTable.size} tables hold rows about a person; ${proven.size} of them held rows for the ${chosen.length} young people exported, ${rowsChecked} rows checked, all in the export`,
  );
  assert.ok(proven.size >= 15, `only ${proven.size} tables proven`);
});
