// Migration 2026_12_05_0170_ehcp_flow on a database with EHC needs assessments and advice requests in flight (made
// as the old module left them, with its own deadline rows): each gets its protocol instance at the step its dates
// put it at, with the statutory due date and the step's ladder; the old rows go; the module then carries on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import * as migration from '../src/db/migrations/2026_12_05_0170_ehcp_flow.ts';
import { addDays, londonToday } from '../src/domain/calendar.ts';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import { registerAllTimers } from '../src/modules/timers/handlers.ts';
import { fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db, asOwner } = await testDatabase();
const owner = asOwner();
const org = await seedOrganisation(db, 'ehcpmig');
const coordinator = userByRole(org, 'ehcp_coordinator');
const fiona = userByRole(org, 'advice_giver');
// The migration runs on the real date; everything here is dated from it.
const today = londonToday(new Date());
const ago = (n: number) => addDays(today, -n);

async function person(caseNumber: string) {
  return (
    await db
      .insertInto('people')
      .values({
        authority_id: org.authorityId,
        case_number: caseNumber,
        given_name: 'Mig',
        family_name: 'Ration',
        date_of_birth: '2016-03-03',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

async function assessment(personId: string, requestDaysAgo: number, extra: Record<string, unknown> = {}) {
  const a = await db
    .insertInto('ehcp_assessments')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      request_date: ago(requestDaysAgo),
      requested_by: 'parent',
      coordinator_id: coordinator.id,
      created_at: new Date(),
      updated_at: new Date(),
      ...extra,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return a.id;
}

test('in-flight assessments and advice requests are carried onto the engine; the module carries on', async () => {
  const p1 = await person('HO990001');
  const p2 = await person('HO990002');
  const p3 = await person('HO990003');
  const deciding = await assessment(p1, 50);
  const gathering = await assessment(p2, 60, { decision_to_assess: 'assess', decision_date: ago(50) });
  const finished = await assessment(p3, 150, {
    decision_to_assess: 'assess',
    decision_date: ago(140),
    draft_served_date: ago(30),
    final_issued_date: ago(5),
  });
  // Advice asked for 50 days ago (due 8 days ago, its old row fired), and 10 days ago (due in 32 days).
  const advice = async (daysAgo: number) =>
    (
      await db
        .insertInto('ehcp_advice_requests')
        .values({
          authority_id: org.authorityId,
          assessment_id: gathering,
          person_id: p2,
          kind: 'health',
          giver_user_id: fiona.id,
          responsible_user_id: fiona.id,
          question: 'Health advice',
          requested_date: ago(daysAgo),
          due_date: addDays(ago(daysAgo), 42),
          due_rule: `6 weeks from the request for advice on ${ago(daysAgo)} (SEND Regulations 2014 reg 8(1))`,
          created_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const late = await advice(50);
  const due = await advice(10);
  await sql`INSERT INTO deadlines (authority_id, subject_type, subject_id, rung, due_at, action) VALUES
    (${org.authorityId}, 'ehcp_assessment', ${deciding}, 0, now() + interval '30 days', '{"kind":"decision_due"}'),
    (${org.authorityId}, 'ehcp_advice_request', ${due}, 0, now() + interval '30 days', '{"kind":"advice_overdue"}')`.execute(
    db,
  );

  // Back to the schema before the migration (its status column worked out from the dates, as the old module kept
  // it), then the migration itself (as the owner role runs migrations).
  await migration.down(owner as unknown as Kysely<unknown>);
  await migration.up(owner as unknown as Kysely<unknown>);

  const where = async (table: 'ehcp_assessments' | 'ehcp_advice_requests', id: string) =>
    sql<{ status: string; result: string | null; step_key: string | null; due_date: string | null; owner: string }>`
      SELECT i.status, i.result, s.step_key, s.due_date::text AS due_date, s.owner_user_id AS owner
      FROM ${sql.table(table)} x JOIN protocol_instances i ON i.id = x.protocol_instance_id
      LEFT JOIN protocol_steps s ON s.id = i.current_step_id WHERE x.id = ${id}`
      .execute(db)
      .then((r) => r.rows[0]);
  assert.deepEqual(await where('ehcp_assessments', deciding), {
    status: 'open',
    result: null,
    step_key: 'decide_whether_to_assess',
    due_date: ago(8),
    owner: coordinator.id,
  });
  assert.equal((await where('ehcp_assessments', gathering))?.step_key, 'gather_advice');
  assert.equal((await where('ehcp_assessments', gathering))?.due_date, addDays(ago(60), 112), '16 weeks (reg 10(1))');
  assert.deepEqual(
    { ...(await where('ehcp_assessments', finished)) },
    { status: 'ended', result: 'final_issued', step_key: null, due_date: null, owner: null },
  );
  assert.equal((await where('ehcp_advice_requests', late))?.step_key, 'advice_overdue');
  assert.equal((await where('ehcp_advice_requests', due))?.step_key, 'advice_due');
  assert.equal((await where('ehcp_advice_requests', due))?.due_date, addDays(ago(10), 42));
  const old = await db
    .selectFrom('deadlines')
    .where('subject_type', 'in', ['ehcp_assessment', 'ehcp_advice_request'])
    .select('id')
    .execute();
  assert.deepEqual(old, [], 'the old deadline rows are gone');

  // The decision was due 8 days ago: the old row had its turn, so the new first rung is marked fired and the sweep
  // sends nothing again. Then the module carries on: the decision moves the migrated instance on.
  const clock = fixedClock(`${today}T10:00:00Z`);
  const app = await testApp(db, { now: clock.now });
  const off = registerAllTimers(app.services);
  try {
    const fired = await db
      .selectFrom('deadlines')
      .where('subject_type', '=', 'protocol_step')
      .where('fired_at', 'is not', null)
      .select('id')
      .execute();
    assert.equal(fired.length, 1, 'the decision rung that had passed');
    assert.deepEqual(await sweepDue(db, clock.now()), { fired: 0, failed: 0 }, 'no reminder sent twice');
    const jo = await authUser(db, coordinator.id);
    await app.services.ehcp.decideToAssess(jo, p1, deciding, {
      decision: 'assess',
      decision_date: today,
      version: null,
    });
    assert.equal((await where('ehcp_assessments', deciding))?.step_key, 'gather_advice');
  } finally {
    off();
  }
});
