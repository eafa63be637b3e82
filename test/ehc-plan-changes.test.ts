// EHC plan amendments (reg 22) and cessations (s.45, regs 29–31) through the API: each step moves the protocol and
// the projections in one transaction; the 15 days, the 8 weeks and the phase-transfer date; representations; the
// amended plan as a new final version; ceasing with an SEN2 reason, the appeal window, an appeal, the plan ceased;
// the review's decision starting either; bad input, stale versions and who may see a plan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { planChangesSetup, tokenFor } from './ehc-plan-changes-setup.ts';

const s = await planChangesSetup('pc');
const { db, app, asCoordinator, clock } = s;
/** The version of the amendment or cessation at `url`, as its GET returns it. */
async function versionOf(url: string): Promise<number> {
  const j = (await asCoordinator('GET', url)).json();
  return (j.amendment ?? j.cessation).version;
}
const events: { name: string; planId: string; date: string }[] = [];
const planEvents = app.services.ehcPlanChanges.d.events;
for (const name of ['amended', 'ceased'] as const)
  planEvents.on(name, async (_tx, e) => {
    events.push({ name, planId: e.planId, date: e.date });
  });

test('an amendment: proposals sent, 15 days, representations, the amended plan issued inside 8 weeks', async () => {
  const { planId, personId } = await s.withPlan();
  const base = `/api/v1/ehc-plans/${planId}/amendments`;
  const bad = await asCoordinator('POST', base, { reason: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().fields.reason, /why the plan is being amended/);
  const made = await asCoordinator('POST', base, { reason: 'Needs changed at the annual review' });
  assert.equal(made.statusCode, 201, made.body);
  const { id, proposed_version_id } = made.json();
  const proposed = await db
    .selectFrom('ehc_plan_versions')
    .where('id', '=', proposed_version_id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(proposed.kind, 'proposed_amendment');
  assert.equal(proposed.state, 'editing');
  assert.equal(proposed.sections.b, 'Speech and language needs.', 'copied from the plan as issued');
  assert.equal((await asCoordinator('POST', base, { reason: 'Again' })).statusCode, 409, 'one amendment at a time');

  const one = `${base}/${id}`;
  let a = (await asCoordinator('GET', one)).json().amendment;
  assert.equal(a.protocol.step, 'prepare_proposals');
  // Bad input: no date, a date in the future; a stale version.
  const noDate = await asCoordinator('POST', `${one}/send`, { version: a.version });
  assert.equal(noDate.statusCode, 400);
  assert.ok(noDate.json().fields.sent_date, 'names the field');
  const future = await asCoordinator('POST', `${one}/send`, { sent_date: '2026-11-30', version: a.version });
  assert.match(future.json().fields.sent_date, /today or in the past/);
  assert.equal(
    (await asCoordinator('POST', `${one}/send`, { sent_date: '2026-11-23', version: a.version + 1 })).statusCode,
    409,
  );

  const sent = await asCoordinator('POST', `${one}/send`, { sent_date: '2026-11-23', version: a.version });
  assert.equal(sent.statusCode, 200, sent.body);
  a = sent.json().amendment;
  assert.equal(a.protocol.step, 'representations');
  assert.equal(a.protocol.due, '2026-12-07', '15 days beginning with Monday 23 November');
  assert.match(a.protocol.due_rule, /reg 22\(2\)\(c\)/);
  assert.equal(a.proposals_sent_date, '2026-11-23');
  assert.equal(a.phase_transfer_due, null, 'not in a phase-transfer year');
  const frozen = await db
    .selectFrom('ehc_plan_versions')
    .where('id', '=', proposed_version_id)
    .select(['state', 'issued_date'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(frozen, { state: 'issued', issued_date: '2026-11-23' });

  // The amended plan cannot be issued while the family still has time and has said nothing.
  const early = await asCoordinator('POST', `${one}/issue`, { issued_date: '2026-11-23', version: a.version });
  assert.equal(early.statusCode, 409);
  assert.match(early.json().message, /until 2026-12-07/);

  const badRep = await asCoordinator('POST', `${one}/representations`, {
    from_whom: 'aunt',
    summary: '',
    received_date: '2026-11-20',
    version: a.version,
  });
  assert.equal(badRep.statusCode, 400);
  assert.ok(badRep.json().fields.from_whom);
  const rep = await asCoordinator('POST', `${one}/representations`, {
    received_date: '2026-11-23',
    from_whom: 'parent',
    summary: 'Agree with the new speech and language targets; ask for Demoton Academy.',
    setting_requested: 'Demoton Academy',
    meeting_requested: true,
    version: a.version,
  });
  assert.equal(rep.statusCode, 200, rep.body);
  a = rep.json().amendment;
  const issued = await asCoordinator('POST', `${one}/issue`, { issued_date: '2026-11-23', version: a.version });
  assert.equal(issued.statusCode, 200, issued.body);
  a = issued.json().amendment;
  assert.equal(a.outcome, 'amended');
  assert.equal(a.decided_date, '2026-11-23');
  assert.equal(a.protocol.step, null);
  assert.equal(a.protocol.result, 'amended');
  const final = await db
    .selectFrom('ehc_plan_versions')
    .where('id', '=', a.final_version_id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(final.kind, 'final');
  assert.equal(final.state, 'issued');
  assert.equal(final.number, 3);
  const plan = await db.selectFrom('ehc_plans').where('id', '=', planId).selectAll().executeTakeFirstOrThrow();
  assert.equal(plan.last_issued_date, '2026-11-23');
  assert.equal(plan.first_issued_date, '2025-06-02', 'the first issue date is kept');
  assert.ok(events.some((e) => e.name === 'amended' && e.planId === planId && e.date === '2026-11-23'));
  const reps = (await asCoordinator('GET', one)).json().representations;
  assert.equal(reps.length, 1);
  assert.equal(reps[0].setting_requested, 'Demoton Academy');
  const logged = await db
    .selectFrom('access_log')
    .where('person_id', '=', personId)
    .where('purpose', '=', 'ehc-plan-amendment')
    .select('channel')
    .execute();
  assert.ok(logged.length >= 3, 'each read of the amendment is logged');
  // A new amendment may now start.
  assert.equal((await asCoordinator('POST', base, { reason: 'Next year' })).statusCode, 201);
});

test('a child in their phase-transfer year: the amended plan is due by 15 February when that is earlier than 8 weeks', async () => {
  clock.set('2027-01-04T10:00:00Z');
  try {
    // Born October 2015: Year 6 in 2026/27, moves to secondary school in September 2027 (reg 18(1)(b): 15 February).
    const { planId } = await s.withPlan('2015-10-01');
    const base = `/api/v1/ehc-plans/${planId}/amendments`;
    const { id } = (await asCoordinator('POST', base, { reason: 'Name the secondary school' })).json();
    const sent = await asCoordinator('POST', `${base}/${id}/send`, { sent_date: '2027-01-04', version: 1 });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().amendment.phase_transfer_due, '2027-02-15');
    // The 15 days run out (Sunday 17 January); the sweep moves the amendment on to its last step, due 15 February
    // rather than 1 March (8 weeks), with both rules cited.
    clock.set('2027-01-19T10:00:00Z');
    await sweepDue(db, clock.now());
    const a = (await asCoordinator('GET', `${base}/${id}`)).json().amendment;
    assert.equal(a.protocol.step, 'finalise');
    assert.equal(a.protocol.due, '2027-02-15');
    assert.match(a.protocol.due_rule, /phase transfer due/);
    const page = await s.app.inject({ method: 'GET', url: `${base}/${id}` });
    assert.equal(page.statusCode, 401, 'the API needs a token');
  } finally {
    clock.set('2026-11-23T10:00:00Z');
  }
});

test('a decision not to amend, and an amendment withdrawn before the proposals were sent', async () => {
  const { planId } = await s.withPlan();
  const base = `/api/v1/ehc-plans/${planId}/amendments`;
  const first = (await asCoordinator('POST', base, { reason: 'Maybe' })).json().id;
  const w = await s.app.inject({
    method: 'GET',
    url: `${base}/${first}`,
    headers: { authorization: `Bearer ${await tokenFor(db, s.coordinator.id)}` },
  });
  assert.equal(w.statusCode, 200);
  const withdrawn = await app.services.ehcPlanChanges.withdrawAmendment(
    await userOf(s.coordinator.id),
    planId,
    first,
    w.json().amendment.version,
  );
  assert.equal(withdrawn, undefined);
  const edited = await db
    .selectFrom('ehc_plan_versions')
    .where('plan_id', '=', planId)
    .where('state', '=', 'editing')
    .select('id')
    .execute();
  assert.equal(edited.length, 0, 'the proposals being edited were withdrawn');
  const second = (await asCoordinator('POST', base, { reason: 'Change of provision' })).json().id;
  await asCoordinator('POST', `${base}/${second}/send`, {
    sent_date: '2026-11-02',
    version: await versionOf(`${base}/${second}`),
  });
  clock.set('2026-11-23T10:00:00Z');
  const noReason = await asCoordinator('POST', `${base}/${second}/not-amended`, { decided_date: '2026-11-23' });
  assert.equal(noReason.statusCode, 400);
  assert.ok(noReason.json().fields.decision_reason);
  const done = await asCoordinator('POST', `${base}/${second}/not-amended`, {
    version: await versionOf(`${base}/${second}`),
    decided_date: '2026-11-23',
    decision_reason: 'The provision already meets the needs described.',
  });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json().amendment.outcome, 'not_amended');
  const plan = await db
    .selectFrom('ehc_plans')
    .where('id', '=', planId)
    .select('last_issued_date')
    .executeTakeFirstOrThrow();
  assert.equal(plan.last_issued_date, '2025-06-02', 'not amended: the issue date stays');
});

async function userOf(id: string) {
  const u = await db.selectFrom('users').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  const { capabilitiesOf } = await import('../src/domain/roles.ts');
  const teams = await db.selectFrom('team_members').where('user_id', '=', id).select('team_id').execute();
  return {
    id: u.id,
    authorityId: u.authority_id,
    email: u.email,
    displayName: u.display_name,
    roles: u.roles,
    caps: capabilitiesOf(u.roles as never),
    teamIds: teams.map((t) => t.team_id),
  } as never;
}

test('ceasing a plan: SEN2 reason, consultation, the notice and its appeal window, an appeal, then ceased', async () => {
  const { planId } = await s.withPlan('2008-02-02');
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  const noReason = await asCoordinator('POST', base, {});
  assert.equal(noReason.statusCode, 400);
  assert.ok(noReason.json().fields.reason);
  const other = await asCoordinator('POST', base, { reason: '9' });
  assert.match(other.json().fields.reason_detail, /Other/);
  const made = await asCoordinator('POST', base, {
    reason: '4',
    reason_detail: 'Started an apprenticeship? no: paid work',
  });
  assert.equal(made.statusCode, 201, made.body);
  const one = `${base}/${made.json().id}`;
  let c = (await asCoordinator('GET', one)).json().cessation;
  assert.equal(c.protocol.step, 'consult');
  assert.equal(c.reason, 4);
  const missingNotice = await asCoordinator('POST', `${one}/decision`, {
    decision: 'cease',
    parent_consulted_date: '2026-11-16',
    views: 'Agrees',
    version: c.version,
  });
  assert.equal(missingNotice.statusCode, 400);
  assert.ok(missingNotice.json().fields.notice_date);
  const decided = await asCoordinator('POST', `${one}/decision`, {
    decision: 'cease',
    parent_consulted_date: '2026-11-16',
    setting_consulted_date: '2026-11-17',
    views: 'The young person has a full-time job and agrees.',
    notice_date: '2026-11-23',
    version: c.version,
  });
  assert.equal(decided.statusCode, 200, decided.body);
  c = decided.json().cessation;
  assert.equal(c.protocol.step, 'appeal_window');
  assert.equal(c.appeal_by, '2027-01-23', '2 months from the notice');
  assert.equal(c.protocol.due, '2027-01-23');
  assert.match(c.protocol.due_rule, /appeal by/);
  const plan = await db.selectFrom('ehc_plans').where('id', '=', planId).select(['status']).executeTakeFirstOrThrow();
  assert.equal(plan.status, 'final', 'the plan is kept while an appeal may be brought');
  // Ceasing now is refused: the appeal period has not run.
  assert.equal(
    (await asCoordinator('POST', `${one}/cease`, { ceased_date: '2026-11-23', version: c.version })).statusCode,
    409,
  );
  const appeal = await asCoordinator('POST', `${one}/appeal`, { appeal_lodged_date: '2026-11-23', version: c.version });
  assert.equal(appeal.statusCode, 200, appeal.body);
  c = appeal.json().cessation;
  assert.equal(c.protocol.step, 'appeal_pending');
  assert.equal(c.appeal_lodged_date, '2026-11-23');
  c = (await asCoordinator('POST', `${one}/appeal-outcome`, { appeal_outcome: 'dismissed', version: c.version })).json()
    .cessation;
  assert.equal(c.protocol.step, 'cease_plan');
  const tooEarly = await asCoordinator('POST', `${one}/cease`, { ceased_date: '2026-11-01', version: c.version });
  assert.equal(tooEarly.statusCode, 400);
  const ceased = await asCoordinator('POST', `${one}/cease`, { ceased_date: '2026-11-23', version: c.version });
  assert.equal(ceased.statusCode, 200, ceased.body);
  c = ceased.json().cessation;
  assert.equal(c.outcome, 'ceased');
  const after = await db.selectFrom('ehc_plans').where('id', '=', planId).selectAll().executeTakeFirstOrThrow();
  assert.equal(after.status, 'ceased');
  assert.equal(after.ceased_date, '2026-11-23');
  assert.equal(after.cease_reason, 4);
  assert.ok(events.some((e) => e.name === 'ceased' && e.planId === planId));
  assert.equal(
    (await asCoordinator('POST', '/api/v1/ehc-plans/' + planId + '/amendments', { reason: 'x' })).statusCode,
    409,
    'a ceased plan is not amended',
  );
});

test('with no appeal the window closes by itself and the coordinator ceases the plan; or the council keeps the plan', async () => {
  const { planId } = await s.withPlan('2007-01-01');
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  const one = `${base}/${(await asCoordinator('POST', base, { reason: '3' })).json().id}`;
  await asCoordinator('POST', `${one}/decision`, {
    version: await versionOf(one),
    decision: 'cease',
    parent_consulted_date: '2026-09-01',
    views: 'Off to university',
    notice_date: '2026-09-10',
  });
  clock.set('2026-11-11T10:00:00Z');
  try {
    await sweepDue(db, clock.now());
    const c = (await asCoordinator('GET', one)).json().cessation;
    assert.equal(c.protocol.step, 'cease_plan', 'the appeal period ran out on 10 November');
    const done = await asCoordinator('POST', `${one}/cease`, { ceased_date: '2026-11-11', version: c.version });
    assert.equal(done.json().cessation.outcome, 'ceased');
  } finally {
    clock.set('2026-11-23T10:00:00Z');
  }
  const kept = await s.withPlan('2007-01-01');
  const b2 = `/api/v1/ehc-plans/${kept.planId}/cessations`;
  const two = `${b2}/${(await asCoordinator('POST', b2, { reason: '2' })).json().id}`;
  const r = await asCoordinator('POST', `${two}/decision`, {
    version: await versionOf(two),
    decision: 'maintain',
    parent_consulted_date: '2026-11-20',
    views: 'Needs still there',
  });
  assert.equal(r.json().cessation.outcome, 'maintained');
  const p = await db.selectFrom('ehc_plans').where('id', '=', kept.planId).select('status').executeTakeFirstOrThrow();
  assert.equal(p.status, 'final');
});

test('the review decides: amend starts the amendment, cease starts the cessation, in the review’s transaction', async () => {
  const amend = await s.withPlan();
  const cease = await s.withPlan();
  await db.transaction().execute(async (tx) => {
    for (const [p, decision] of [
      [amend, 'amend'],
      [cease, 'cease'],
    ] as const)
      await planEvents.emit(tx, 'reviewDecided', {
        planId: p.planId,
        personId: p.personId,
        authorityId: s.org.authorityId,
        actorId: s.coordinator.id,
        at: clock.now(),
        date: '2026-11-23',
        reviewId: crypto.randomUUID(),
        meetingDate: '2026-11-16',
        decision,
      });
  });
  const a = await db
    .selectFrom('ehc_plan_amendments')
    .where('plan_id', '=', amend.planId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(a.started_how, 'review');
  assert.ok(a.review_id);
  const c = await db
    .selectFrom('ehc_plan_cessations')
    .where('plan_id', '=', cease.planId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(c.started_how, 'review');
  // The SEN2 reason is chosen with the decision.
  const one = `/api/v1/ehc-plans/${cease.planId}/cessations/${c.id}`;
  const r = await asCoordinator('POST', `${one}/decision`, {
    version: c.version,
    reason: '2',
    decision: 'maintain',
    parent_consulted_date: '2026-11-20',
    views: 'x',
  });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().cessation.reason, 2);
});

test('who may see a plan’s changes: the coordinator’s relationship, not a stranger, not an advice giver', async () => {
  const other = await s.withPlan('2014-01-01', { worker: null, team: s.org.teams['dct-north'] as string });
  const url = `/api/v1/ehc-plans/${other.planId}/amendments`;
  assert.equal((await asCoordinator('GET', url)).statusCode, 403, 'no relationship with this young person');
  const giver = await tokenFor(db, s.adviceGiver.id);
  assert.equal((await s.api(giver, 'GET', url)).statusCode, 403);
  assert.equal((await asCoordinator('GET', `/api/v1/ehc-plans/${crypto.randomUUID()}/amendments`)).statusCode, 404);
  const none = await db.selectFrom('ehc_plan_amendments').where('plan_id', '=', other.planId).select('id').execute();
  assert.equal(none.length, 0);
});

test('the weekly EHCP report: amendments waiting and past 8 weeks, by case reference, from the engine', async () => {
  const { buildWeeklyReport, weeklyReportCsv } = await import('../src/modules/ehcp/report.ts');
  const late = await s.withPlan();
  const base = `/api/v1/ehc-plans/${late.planId}/amendments`;
  const id = (await asCoordinator('POST', base, { reason: 'Late one' })).json().id;
  await asCoordinator('POST', `${base}/${id}/send`, {
    sent_date: '2026-09-01',
    version: await versionOf(`${base}/${id}`),
  });
  const r = await buildWeeklyReport(db, s.org.authorityId, '2026-11-23');
  const caseNumber = (
    await db.selectFrom('people').where('id', '=', late.personId).select('case_number').executeTakeFirstOrThrow()
  ).case_number;
  const line = r.plans.amendmentsWaiting.find((a) => a.caseNumber === caseNumber);
  assert.ok(line, 'listed by case reference');
  assert.equal(line.pastEightWeeks, true, '8 weeks from 1 September ran out on 27 October');
  assert.ok(r.counts.amendmentsPastEightWeeks >= 1);
  assert.ok(r.counts.amendmentsWaiting >= r.counts.amendmentsPastEightWeeks);
  const csv = weeklyReportCsv(r);
  assert.match(csv, new RegExp(`"amendment_past_8_weeks","${caseNumber}",`));
  assert.doesNotMatch(csv, /Changes\d/, 'no names');
});
