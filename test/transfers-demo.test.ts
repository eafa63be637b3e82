// The transfers demo (src/modules/transfers/demo.ts) as ensureDemo builds it (the run's demo copy): transfer points for
// the demo teams, transfers at every stage driven through the service, cases outside remit, a child waiting for
// a worker, and no child on a child protection plan or in care left without an allocated worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { DEMO_AUTHORITY_CODE } from '../src/modules/demo/seed.ts';
import { Browser, fixedClock, testApp, testDatabase } from './helpers.ts';

test('the demo has transfer points, transfers at every stage the team manager sees, and nobody protected left unallocated', async () => {
  const { db } = await testDatabase({ demo: true });
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const authority = await db
    .selectFrom('authorities')
    .where('code', '=', DEMO_AUTHORITY_CODE)
    .select('id')
    .executeTakeFirstOrThrow();

  const points = await db
    .selectFrom('transfer_points as p')
    .innerJoin('teams as f', 'f.id', 'p.from_team_id')
    .innerJoin('teams as t', 't.id', 'p.to_team_id')
    .where('p.authority_id', '=', authority.id)
    .select(['f.name as from', 't.name as to', 'p.at_age'])
    .orderBy('f.name')
    .execute();
  assert.deepEqual(
    points.map((p) => `${p.from} → ${p.to} at ${p.at_age}`),
    [
      'Children in Care Team → Leaving Care Team at 18',
      "Disabled Children's Team North → Young People's Team at 16",
      "Disabled Children's Team South → Young People's Team at 16",
      "Young People's Team → Adult Transitions Team at 18",
    ],
  );

  const transfers = await db
    .selectFrom('transfers')
    .where('authority_id', '=', authority.id)
    .select(['status', 'protocol_instance_id', 'summary_signed_off_at', 'qa_at', 'returns'])
    .execute();
  const statuses = transfers.map((x) => x.status).sort();
  assert.deepEqual(statuses, ['accepted', 'completed', 'requested', 'requested', 'returned', 'sent']);
  assert.ok(
    transfers.every((x) => x.protocol_instance_id),
    'each runs on the protocol engine, through the service',
  );
  assert.ok(
    transfers.some((x) => x.status === 'requested' && x.summary_signed_off_at && !x.qa_at),
    'one has its checklist half done',
  );
  const remedial = await db
    .selectFrom('case_tasks')
    .where('authority_id', '=', authority.id)
    .where('kind', '=', 'remedial')
    .select('id')
    .execute();
  assert.equal(remedial.length, 2, 'the returned transfer lists its missing work');

  // Nobody on a child protection plan or in care in the transfers demo (case numbers HO1003xx) is without an
  // allocated worker, including the two whose transfers were accepted or completed. (The generated caseload
  // built in one transaction is taken as it is, by design of the never-unallocated rule: its protected children
  // show on the unallocated list.)
  const protectedUnallocated = await sql<{ case_number: string }>`
    SELECT case_number FROM people p
    WHERE p.authority_id = ${authority.id} AND p.case_number LIKE 'HO1003%'
      AND NOT person_is_allocated_if_protected(p.id)`.execute(db);
  assert.deepEqual(protectedUnallocated.rows, []);
  const protectedCases = await sql<{ n: number }>`
    SELECT count(DISTINCT p.id)::int AS n FROM people p JOIN person_statuses s ON s.person_id = p.id
    WHERE p.authority_id = ${authority.id} AND p.case_number LIKE 'HO1003%' AND s.end_date IS NULL
      AND s.status IN ('child_protection_plan', 'child_in_care')`.execute(db);
  assert.equal(protectedCases.rows[0]?.n, 2);

  // The team manager of Disabled Children's Team North sees them on /transfers.
  const app = await testApp(db, { now: clock.now });
  const b = new Browser(app);
  await b.login('team.manager@demoshire.example');
  const page = await b.get('/transfers');
  assert.equal(page.statusCode, 200);
  for (const name of ['Aisha Rahman', 'Ben Carter', 'Chloe Dunn', 'Dev Patel', 'Ella Hughes', 'Finn Walsh'])
    assert.ok(page.body.includes(name), `${name} is listed`);
  assert.match(page.body, /Maya Okafor/, 'a 15-year-old turning 16 within 90 days');
  assert.match(page.body, /Leo Brennan/, 'a case outside the remit');
  assert.match(page.body, /Isla Marsh/, 'a child in need waiting for a worker');
});
