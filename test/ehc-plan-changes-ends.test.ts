// What happens to the changes still open on a plan when the plan ends here: ceased, or moved with the child to
// another council (review finding 1). The open amendment (and, on a transfer, an open cessation) ends through its
// protocol in the same transaction, the text being edited is withdrawn, and nothing on the plan can be edited after.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { planChangesSetup, tokenFor } from './ehc-plan-changes-setup.ts';
import { seedOrganisation, userByRole } from './helpers.ts';

const s = await planChangesSetup('pe');
const { db, asCoordinator, clock } = s;

async function openAmendment(planId: string) {
  const am = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/amendments`, { reason: 'Needs changed' });
  assert.equal(am.statusCode, 201, am.body);
  const id = am.json().id as string;
  const row = await db.selectFrom('ehc_plan_amendments').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  return row;
}

async function ends(amendmentId: string) {
  const a = await db
    .selectFrom('ehc_plan_amendments as a')
    .innerJoin('protocol_instances as i', 'i.id', 'a.protocol_instance_id')
    .leftJoin('ehc_plan_versions as v', 'v.id', 'a.proposed_version_id')
    .where('a.id', '=', amendmentId)
    .select(['a.outcome', 'i.status as instance', 'i.result', 'v.state as proposals', 'v.id as versionId', 'v.version'])
    .executeTakeFirstOrThrow();
  return a;
}

test('ceasing a plan with an amendment open ends the amendment, withdraws its proposals and stops edits', async () => {
  const { planId } = await s.withPlan('2007-01-01');
  const a = await openAmendment(planId);
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  const started = await asCoordinator('POST', base, { reason: '3' });
  assert.equal(started.statusCode, 201, started.body);
  const one = `${base}/${started.json().id}`;
  const cessation = async () =>
    db.selectFrom('ehc_plan_cessations').where('id', '=', started.json().id).selectAll().executeTakeFirstOrThrow();
  const dec = await asCoordinator('POST', `${one}/decision`, {
    decision: 'cease',
    parent_consulted_date: '2026-09-01',
    views: 'They agree',
    notice_date: '2026-09-10',
    version: (await cessation()).version,
  });
  assert.equal(dec.statusCode, 200, dec.body);
  clock.set('2026-11-11T10:00:00Z');
  await sweepDue(db, clock.now());
  const done = await asCoordinator('POST', `${one}/cease`, {
    ceased_date: '2026-11-11',
    version: (await cessation()).version,
  });
  clock.set('2026-11-23T10:00:00Z');
  assert.equal(done.statusCode, 200, done.body);
  const plan = await db.selectFrom('ehc_plans').where('id', '=', planId).select('status').executeTakeFirstOrThrow();
  assert.equal(plan.status, 'ceased');
  const after = await ends(a.id);
  assert.equal(after.outcome, 'withdrawn');
  assert.notEqual(after.instance, 'open', 'the amendment protocol is no longer open');
  assert.equal(after.result, 'withdrawn');
  assert.equal(after.proposals, 'withdrawn');
  // Nothing can be edited on the ceased plan.
  const edit = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/versions/${after.versionId}/sections/a`, {
    text: 'Edited after the plan ceased',
    version: after.version,
  });
  assert.equal(edit.statusCode, 409, edit.body);
  const open = await db
    .selectFrom('protocol_steps as st')
    .innerJoin('protocol_instances as i', 'i.id', 'st.instance_id')
    .innerJoin('ehc_plan_amendments as a', 'a.protocol_instance_id', 'i.id')
    .where('a.id', '=', a.id)
    .where('st.status', '=', 'open')
    .select('st.id')
    .execute();
  assert.equal(open.length, 0, 'no step of the amendment is left to run its overdue ladder');
});

test('a version left being edited on a plan no longer maintained here cannot be changed', async () => {
  const { planId } = await s.withPlan();
  const a = await openAmendment(planId);
  // As a plan ceased before this fix left it: ceased, with the amendment's proposals still being edited.
  await db
    .updateTable('ehc_plans')
    .set({ status: 'ceased', ceased_date: '2026-11-20', cease_reason: 3 })
    .where('id', '=', planId)
    .execute();
  const v = await db
    .selectFrom('ehc_plan_versions')
    .where('id', '=', a.proposed_version_id as string)
    .select(['id', 'state', 'version'])
    .executeTakeFirstOrThrow();
  assert.equal(v.state, 'editing');
  const edit = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/versions/${v.id}/sections/a`, {
    text: 'Edited after the plan ceased',
    version: v.version,
  });
  assert.equal(edit.statusCode, 409, edit.body);
  assert.match(edit.json().message ?? edit.body, /no longer maintained/);
});

test('moving a plan to another council ends its open amendment and its open cessation', async () => {
  const org = s.org;
  const org2 = await seedOrganisation(db, 'pe2');
  const tm = userByRole(org, 'team_manager');
  const sw = userByRole(org, 'social_worker');
  const tm2 = userByRole(org2, 'team_manager');
  const sw2 = userByRole(org2, 'social_worker');
  const { personId, planId } = await s.withPlan('2012-03-01');
  const a = await openAmendment(planId);
  const started = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/cessations`, { reason: '2' });
  assert.equal(started.statusCode, 201, started.body);
  // The child's social-care involvement moves to the other council (the plan goes with it).
  const inv = await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      team_id: org.teams['dct-north'] as string,
      worker_id: sw.id,
      reason: 'Family support',
      start_date: '2026-01-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [sending, writer, receiving] = await Promise.all([
    tokenFor(db, tm.id),
    tokenFor(db, sw.id),
    tokenFor(db, tm2.id),
  ]);
  const made = await s.api(sending, 'POST', `/api/v1/people/${personId}/transfers`, {
    involvement_id: inv.id,
    to_team_id: org2.teams['dct-north'],
    reason: 'The family moved',
  });
  assert.equal(made.statusCode, 201, made.body);
  const base = `/api/v1/people/${personId}/transfers/${made.json().id}`;
  const steps: [string, Record<string, unknown>][] = [
    [
      'summary',
      { summary_updated_information: 'Moved', summary_important_dates: 'None', summary_urgent_actions: 'None' },
    ],
    ['sign-off', {}],
    ['quality-assurance', { qa_notes: 'Checked', qa_confirm: 'yes' }],
    ['notices', {}],
    ['meeting', { meeting_held: 'no', meeting_not_possible_reason: 'Family already moved' }],
  ];
  for (const [step, body] of steps) {
    const res = await s.api(step === 'summary' ? writer : sending, 'POST', `${base}/${step}`, body);
    assert.equal(res.statusCode, 200, `${step}: ${res.body}`);
  }
  assert.equal((await s.api(sending, 'POST', `${base}/send`)).statusCode, 200);
  const incoming = `/api/v1/transfers/incoming/${made.json().id}`;
  assert.equal((await s.api(receiving, 'POST', `${incoming}/accept`, {})).statusCode, 200);
  const allocated = await s.api(receiving, 'POST', `${incoming}/allocation`, { worker_id: sw2.id });
  assert.equal(allocated.statusCode, 200, allocated.body);

  const old = await db.selectFrom('ehc_plans').where('id', '=', planId).select('status').executeTakeFirstOrThrow();
  assert.equal(old.status, 'transferred_out');
  const after = await ends(a.id);
  assert.deepEqual([after.outcome, after.result, after.proposals], ['withdrawn', 'withdrawn', 'withdrawn']);
  assert.notEqual(after.instance, 'open');
  const c = await db
    .selectFrom('ehc_plan_cessations as c')
    .innerJoin('protocol_instances as i', 'i.id', 'c.protocol_instance_id')
    .where('c.id', '=', started.json().id)
    .select(['c.outcome', 'i.status', 'i.result'])
    .executeTakeFirstOrThrow();
  assert.equal(c.outcome, 'maintained', 'the cessation did not cease the plan: it left the council');
  assert.notEqual(c.status, 'open');
  assert.equal(c.result, 'closed');
  const editing = await db
    .selectFrom('ehc_plan_versions')
    .where('plan_id', '=', planId)
    .where('state', '=', 'editing')
    .select('id')
    .execute();
  assert.equal(editing.length, 0);
});
