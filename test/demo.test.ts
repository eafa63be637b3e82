// The small demo, as `npm start` makes it on a fresh database: Devon 16-17 transitions cases waiting at every
// step (some overdue), EHC needs assessments at every stage with the Option 2 email in the outbox, only
// plausible fictional people, and an audit chain that verifies. A second run changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageOn } from '../src/domain/age.ts';
import { checkNhsNumber } from '../src/domain/identifiers.ts';
import { verifyAuditChain } from '../src/modules/audit/service.ts';
import { ensureDemo } from '../src/modules/demo/seed.ts';
import { FOLLOW_UP_SUBJECT } from '../src/modules/ehcp/labels.ts';
import { DEVON_TRANSITIONS_ID, devonTransitions } from '../src/protocols/devon-transitions-16-17.ts';
import { fixedClock, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase();
const TODAY = '2026-11-23';
const clock = fixedClock(`${TODAY}T10:00:00Z`);
const config = testConfig();
const first = await ensureDemo(db, { config, now: clock.now });
const authority = await db.selectFrom('authorities').where('code', '=', 'DEMO').select('id').executeTakeFirstOrThrow();

test('the demo is created once; a second run only lists the sign-ins', async () => {
  assert.equal(first.created, true);
  assert.ok(first.users.some((u) => u.email === 'advice.giver@demoshire.example'));
  assert.ok(first.users.some((u) => u.role === 'service_lead'));
  const audit = Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const again = await ensureDemo(db, { config, now: clock.now });
  assert.equal(again.created, false);
  assert.deepEqual(again.users.map((u) => u.email).sort(), first.users.map((u) => u.email).sort());
  const after = Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  assert.equal(after, audit);
});

test('a Devon 16-17 case waits at every step of the protocol, some overdue; others have ended', async () => {
  const open = await db
    .selectFrom('protocol_instances as i')
    .innerJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .where('i.authority_id', '=', authority.id)
    .where('i.protocol_id', '=', DEVON_TRANSITIONS_ID)
    .where('i.status', '=', 'open')
    .select(['s.step_key', 's.due_date', 's.owner_label', 'p.date_of_birth', 'i.person_id'])
    .execute();
  const atStep = new Set(open.map((o) => o.step_key));
  for (const step of devonTransitions.steps) assert.ok(atStep.has(step.id), `a case waits at ${step.id}`);
  assert.ok(open.filter((o) => o.due_date && o.due_date < TODAY).length >= 5, 'some steps are overdue');
  for (const o of open) {
    const age = ageOn(o.date_of_birth, TODAY);
    assert.ok(age === 16 || age === 17, `Devon cases are 16-17 year olds (${age})`);
    assert.doesNotMatch(o.owner_label, /nobody/i, `every step has an owner (${o.step_key}: ${o.owner_label})`);
  }
  // Every case has a person-led plan with actions behind it.
  const plans = await db
    .selectFrom('plan_actions')
    .where(
      'person_id',
      'in',
      open.map((o) => o.person_id),
    )
    .select('person_id')
    .distinct()
    .execute();
  assert.equal(plans.length, new Set(open.map((o) => o.person_id)).size);
  const ended = await db
    .selectFrom('protocol_instances')
    .where('authority_id', '=', authority.id)
    .where('protocol_id', '=', DEVON_TRANSITIONS_ID)
    .where('status', '=', 'ended')
    .select('result')
    .execute();
  assert.deepEqual([...new Set(ended.map((e) => e.result))].sort(), ['plan_proceeds', 'resolved']);
  // Overdue ladders are scheduled (the jobs fire them on start).
  const due = await db
    .selectFrom('deadlines')
    .where('authority_id', '=', authority.id)
    .where('subject_type', '=', 'protocol_step')
    .where('due_at', '<', clock.now())
    .select('id')
    .execute();
  assert.ok(due.length > 0);
  // Forum, Governance Group and SEND board agendas have the cases at their stage.
  const panelItems = await db
    .selectFrom('panel_items')
    .where('authority_id', '=', authority.id)
    .where('source', '=', 'protocol')
    .where('protocol_step_id', 'is not', null)
    .select('id')
    .execute();
  assert.ok(panelItems.length >= 4);
});

test('EHC needs assessments at every stage; the advice giver has requests; the Option 2 email is queued', async () => {
  const rows = await db
    .selectFrom('ehcp_assessments as a')
    .innerJoin('protocol_instances as i', 'i.id', 'a.protocol_instance_id')
    .where('a.authority_id', '=', authority.id)
    .selectAll('a')
    .select(['i.status', 'i.result'])
    .execute();
  assert.ok(
    rows.some((a) => a.decision_to_assess === null),
    'newly requested',
  );
  assert.ok(
    rows.some((a) => a.draft_served_date && !a.final_issued_date),
    'draft served',
  );
  assert.ok(
    rows.some((a) => a.final_issued_date && a.status === 'ended' && a.result === 'final_issued'),
    'finalised',
  );
  const fiona = await db
    .selectFrom('users')
    .where('email', '=', 'advice.giver@demoshire.example')
    .select('id')
    .executeTakeFirstOrThrow();
  const requests = await db
    .selectFrom('ehcp_advice_requests')
    .where('authority_id', '=', authority.id)
    .selectAll()
    .execute();
  assert.ok(requests.filter((r) => r.giver_user_id === fiona.id).length >= 4);
  assert.ok(
    requests.some((r) => r.status === 'requested' && r.due_date < TODAY),
    'a piece of advice is overdue',
  );
  assert.ok(
    requests.some((r) => r.follow_up_due && !r.follow_up_closed_on),
    'an open Option 2 follow-up',
  );
  const urgent = await db.selectFrom('outbox').where('subject', '=', FOLLOW_UP_SUBJECT).selectAll().execute();
  assert.equal(urgent.length, 1);
  assert.equal(urgent[0]?.subject, 'URGENT STATUTORY ADVICE CLARIFICATION REQUIRED');
  assert.equal(
    (await db.selectFrom('ehcp_exceptions').where('authority_id', '=', authority.id).select('id').execute()).length,
    1,
  );
  assert.ok(
    (await db.selectFrom('ehcp_delay_notices').where('authority_id', '=', authority.id).select('id').execute())
      .length >= 1,
  );
});

test('everyone in the demo is 0-25 with a valid NHS number, and the audit chain verifies', async () => {
  const people = await db
    .selectFrom('people')
    .where('authority_id', '=', authority.id)
    .select(['date_of_birth', 'nhs_number'])
    .execute();
  assert.ok(people.length >= 90);
  for (const p of people) {
    const age = ageOn(p.date_of_birth, TODAY);
    assert.ok(age >= 0 && age <= 25, `age ${age}`);
    assert.ok(p.nhs_number && checkNhsNumber(p.nhs_number).ok, `NHS number ${p.nhs_number}`);
  }
  const verdict = await verifyAuditChain(db);
  assert.equal(verdict.ok, true, JSON.stringify(verdict));
});

test('no child on a protection plan or in care in the demo is left without an allocated worker', async () => {
  const unallocated = await db
    .selectFrom('people as p')
    .where('p.authority_id', '=', authority.id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_statuses as s')
          .whereRef('s.person_id', '=', 'p.id')
          .where('s.status', 'in', ['child_protection_plan', 'child_in_care'])
          .where('s.end_date', 'is', null)
          .select('s.id'),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('involvements as i')
            .whereRef('i.person_id', '=', 'p.id')
            .where('i.end_date', 'is', null)
            .where('i.worker_id', 'is not', null)
            .select('i.id'),
        ),
      ),
    )
    .select('p.case_number')
    .execute();
  assert.deepEqual(unallocated, []);
});
