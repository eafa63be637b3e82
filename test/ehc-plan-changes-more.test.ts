// EHC plan changes beyond the API journeys: the daily 25th-birthday job (raised once however many workers run it),
// the pages (forms, error summaries, success banners, the printable notice, the panel), and a plan moving with the
// child to another council on this installation (reg 15), with the transfers module's own cross-council transfer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finalPlan, planChangesSetup, tokenFor } from './ehc-plan-changes-setup.ts';
import { Browser, personInTeam, seedOrganisation, userByRole } from './helpers.ts';

const s = await planChangesSetup('pm');
const { db, app, clock } = s;
const svc = app.services.ehcPlanChanges;

test('the 25th birthday: the cessation is raised from 1 August of the final academic year, exactly once', async () => {
  const due = await s.withPlan('2002-03-10'); // 25 in March 2027: the plan ends 31 July 2027
  const notYet = await s.withPlan('2002-08-01'); // 25 in August 2027: the next academic year
  // Two workers at once, then again the next day: one cessation.
  const [a, b] = await Promise.all([svc.raiseAge25Cessations(), svc.raiseAge25Cessations()]);
  assert.equal(a + b, 1);
  assert.equal(await svc.raiseAge25Cessations(), 0);
  const rows = await db
    .selectFrom('ehc_plan_cessations')
    .where('plan_id', 'in', [due.planId, notYet.planId])
    .selectAll()
    .execute();
  assert.equal(rows.length, 1);
  const c = rows[0]!;
  assert.equal(c.plan_id, due.planId);
  assert.deepEqual([c.reason, c.started_how, c.cease_on], [1, 'age_25', '2027-07-31']);
  const state = await svc.d.flows.cessation.state(db, c.protocol_instance_id as string);
  assert.equal(state.step, 'consult');
  assert.equal(state.ownerUserId, s.coordinator.id, 'the plan’s coordinator owns it');
  // Once that one has ended (kept, say), no second 25th-birthday cessation is raised for the plan.
  await db.updateTable('ehc_plan_cessations').set({ outcome: 'maintained' }).where('id', '=', c.id).execute();
  assert.equal(await svc.raiseAge25Cessations(), 0);
});

test('pages: propose amendments, bad input shows the error summary, send, and the panel; cease and print the notice', async () => {
  const { planId } = await s.withPlan();
  const b = new Browser(app);
  await b.login(s.coordinator.email);
  const form = await b.get(`/ehc-plans/${planId}/amendments/new`);
  assert.equal(form.statusCode, 200);
  const empty = await b.post(`/ehc-plans/${planId}/amendments`, { reason: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /There is a problem/);
  assert.match(empty.body, /Enter why the plan is being amended/);
  const made = await b.post(`/ehc-plans/${planId}/amendments`, { reason: 'New targets' });
  assert.equal(made.statusCode, 303);
  const at = made.headers.location as string;
  assert.match(at, /saved=started/);
  const page = await b.get(at);
  assert.match(page.body, /Amendment started/);
  assert.match(page.body, /Record the proposals as sent/);
  const base = at.split('?')[0] as string;
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] as string;
  const future = await b.post(`${base}/send`, {
    'sent_date-day': '1',
    'sent_date-month': '12',
    'sent_date-year': '2026',
    version,
  });
  assert.equal(future.statusCode, 400);
  assert.match(future.body, /Date the proposals were sent must be today or in the past/);
  const stale = await b.post(`${base}/send`, {
    'sent_date-day': '23',
    'sent_date-month': '11',
    'sent_date-year': '2026',
    version: String(Number(version) + 5),
  });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /Someone else changed this amendment/);
  const sent = await b.post(`${base}/send`, {
    'sent_date-day': '23',
    'sent_date-month': '11',
    'sent_date-year': '2026',
    version,
  });
  assert.equal(sent.statusCode, 303);
  const after = await b.get(sent.headers.location as string);
  assert.match(after.body, /Proposals recorded as sent/);
  assert.match(after.body, /reg 22\(2\)\(c\)/);
  assert.match(after.body, /7 December 2026/);
  const changes = await b.get(`/ehc-plans/${planId}/changes`);
  assert.equal(changes.statusCode, 200);
  assert.match(changes.body, /Waiting for representations on the proposals/);

  // Cease with an SEN2 reason, decide, and print the notice with the right of appeal.
  const c = await b.post(`/ehc-plans/${planId}/cessation`, { reason: '6' });
  assert.equal(c.statusCode, 303);
  const cAt = (c.headers.location as string).split('?')[0] as string;
  const cPage = await b.get(cAt);
  assert.match(cPage.body, /no longer wishes to engage/);
  const cv = /name="version" value="(\d+)"/.exec(cPage.body)?.[1] as string;
  const noViews = await b.post(`${cAt}/decision`, { decision: 'cease', version: cv });
  assert.equal(noViews.statusCode, 400);
  assert.match(noViews.body, /Enter the date the parent or young person was consulted/);
  const decided = await b.post(`${cAt}/decision`, {
    decision: 'cease',
    'parent_consulted_date-day': '16',
    'parent_consulted_date-month': '11',
    'parent_consulted_date-year': '2026',
    views: 'Does not want to continue in education.',
    'notice_date-day': '23',
    'notice_date-month': '11',
    'notice_date-year': '2026',
    version: cv,
  });
  assert.equal(decided.statusCode, 303, decided.body);
  const notice = await b.get(`${cAt}/notice`);
  assert.equal(notice.statusCode, 200);
  assert.match(notice.body, /right to appeal/);
  assert.match(notice.body, /First-tier Tribunal \(Special Educational Needs and Disability\)/);
  assert.match(notice.body, /23 January 2027/);
  const printed = await db
    .selectFrom('access_log')
    .where(
      'person_id',
      '=',
      (await db.selectFrom('ehc_plans').where('id', '=', planId).select('person_id').executeTakeFirstOrThrow())
        .person_id,
    )
    .where('channel', '=', 'print')
    .select('purpose')
    .execute();
  assert.ok(printed.length >= 1, 'printing the notice is logged');
  // An advice giver (no ehcp:manage) is refused the page.
  const other = new Browser(app);
  await other.login(s.adviceGiver.email);
  assert.equal((await other.get(`/ehc-plans/${planId}/changes`)).statusCode, 403);
});

test('a plan moves with the child to another council (reg 15): new plan there, the old transferred out with SEN2 reason 5', async () => {
  const org = s.org;
  const org2 = await seedOrganisation(db, 'pm2');
  const tm = userByRole(org, 'team_manager');
  const sw = userByRole(org, 'social_worker');
  const tm2 = userByRole(org2, 'team_manager');
  const sw2 = userByRole(org2, 'social_worker');
  const personId = await personInTeam(db, {
    authorityId: org.authorityId,
    team: org.teams['dct-north'] as string,
    worker: sw.id,
    caseNumber: 'PM-MOVE',
    givenName: 'Mo',
    familyName: 'Mover',
    dateOfBirth: '2012-03-01',
  });
  const inv = await db
    .selectFrom('involvements')
    .where('person_id', '=', personId)
    .select('id')
    .executeTakeFirstOrThrow();
  const oldPlan = await finalPlan(db, {
    authorityId: org.authorityId,
    personId,
    coordinatorId: s.coordinator.id,
    issued: '2024-05-01',
  });
  await db.updateTable('ehc_plans').set({ last_review_date: '2025-04-20' }).where('id', '=', oldPlan).execute();
  const heard: string[] = [];
  svc.d.events.on('transferredOut', async (_tx, e) => void heard.push(`out:${e.planId}`));
  svc.d.events.on('transferredIn', async (_tx, e) => void heard.push(`in:${e.fromPlanId}:${e.lastReviewDate}`));
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
  const x = made.json().id as string;
  const base = `/api/v1/people/${personId}/transfers/${x}`;
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
  const incoming = `/api/v1/transfers/incoming/${x}`;
  const accepted = await s.api(receiving, 'POST', `${incoming}/accept`, {});
  assert.equal(accepted.statusCode, 200, accepted.body);
  const allocated = await s.api(receiving, 'POST', `${incoming}/allocation`, { worker_id: sw2.id });
  assert.equal(allocated.statusCode, 200, allocated.body);
  const copyId = allocated.json().person_id as string;

  const old = await db.selectFrom('ehc_plans').where('id', '=', oldPlan).selectAll().executeTakeFirstOrThrow();
  assert.deepEqual([old.status, old.cease_reason, old.transfer_date], ['transferred_out', 5, '2026-11-23']);
  const moved = await db.selectFrom('ehc_plans').where('person_id', '=', copyId).selectAll().executeTakeFirstOrThrow();
  assert.equal(moved.authority_id, org2.authorityId);
  assert.equal(moved.status, 'final');
  assert.equal(moved.transferred_from_plan_id, oldPlan);
  assert.equal(moved.transferred_from_authority_id, org.authorityId);
  assert.equal(moved.transfer_date, '2026-11-23');
  assert.equal(moved.first_issued_date, '2024-05-01', 'treated as made when the old council made it (reg 15(3)(a))');
  const v1 = await db.selectFrom('ehc_plan_versions').where('plan_id', '=', moved.id).selectAll().execute();
  assert.equal(v1.length, 1);
  assert.deepEqual([v1[0]!.number, v1[0]!.kind, v1[0]!.state], [1, 'final', 'issued']);
  assert.equal(v1[0]!.sections.b, 'Speech and language needs.');
  assert.deepEqual(heard, [`out:${oldPlan}`, `in:${oldPlan}:2025-04-20`]);
  // The receiving council's 6 weeks (reg 15(4)), owned by its SEND managers.
  const t = await db
    .selectFrom('ehc_plan_transfers_in')
    .where('plan_id', '=', moved.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  const state = await svc.d.flows.transferIn.state(db, t.protocol_instance_id as string);
  assert.equal(state.step, 'tell_family');
  assert.equal(state.due, '2027-01-04');
  assert.match(state.dueRule ?? '', /reg 15\(4\)/);
  const sm2 = userByRole(org2, 'send_manager');
  // The receiving SEND manager records what the family was told, through the API (they work with the child?).
  await db
    .insertInto('involvements')
    .values({
      authority_id: org2.authorityId,
      person_id: copyId,
      team_id: org2.teams['send-statutory'] as string,
      worker_id: sm2.id,
      reason: 'EHC plan',
      start_date: '2026-11-23',
    })
    .execute();
  const smToken = await tokenFor(db, sm2.id);
  const bad = await s.api(smToken, 'POST', `/api/v1/ehc-plans/${moved.id}/transfer/told`, { told_date: '2026-11-23' });
  assert.equal(bad.statusCode, 400);
  const toldBody = { told_date: '2026-11-23', reassess: false, review_proposed_date: '2027-02-20' };
  const noVersion = await s.api(smToken, 'POST', `/api/v1/ehc-plans/${moved.id}/transfer/told`, toldBody);
  assert.equal(noVersion.statusCode, 400);
  assert.match(noVersion.json().fields.version, /^version is required/);
  const read = (await s.api(smToken, 'GET', `/api/v1/ehc-plans/${moved.id}/transfer`)).json();
  const stale = await s.api(smToken, 'POST', `/api/v1/ehc-plans/${moved.id}/transfer/told`, {
    ...toldBody,
    version: read.version + 1,
  });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.json().message, /Someone else changed this plan transfer/);
  const told = await s.api(smToken, 'POST', `/api/v1/ehc-plans/${moved.id}/transfer/told`, {
    ...toldBody,
    version: read.version,
  });
  assert.equal(told.statusCode, 200, told.body);
  assert.equal(told.json().told_date, '2026-11-23');
  assert.equal(told.json().protocol.result, 'told');
  // The other council cannot see the old plan.
  assert.equal((await s.api(smToken, 'GET', `/api/v1/ehc-plans/${oldPlan}/amendments`)).statusCode, 404);
  void clock;
});

test('the demo: an amendment in its 15 days, one past 8 weeks, a notice pending, plans ceased with SEN2 reasons', async () => {
  const { DemoClock } = await import('../src/modules/demo/journeys.ts');
  const { seedPlanChangesDemo } = await import('../src/modules/ehc-plan-changes/demo.ts');
  const fresh = await seedOrganisation(db, 'pmd');
  const coord = userByRole(fresh, 'ehcp_coordinator');
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
    const personId = await personInTeam(db, {
      authorityId: fresh.authorityId,
      team: fresh.teams['send-statutory'] as string,
      worker: coord.id,
      caseNumber: `PMD-${i}`,
      givenName: 'Demo',
      familyName: `Plan${i}`,
      dateOfBirth: '2006-01-01', // old enough for every change the demo makes (18+ for the ceased ones)
    });
    ids.push(
      await finalPlan(db, { authorityId: fresh.authorityId, personId, coordinatorId: coord.id, issued: '2025-01-06' }),
    );
  }
  const demoClock = new DemoClock(clock.now);
  await seedPlanChangesDemo(db, svc, demoClock, fresh, '2026-11-23');
  const amendments = await db
    .selectFrom('ehc_plan_amendments')
    .where('authority_id', '=', fresh.authorityId)
    .selectAll()
    .execute();
  assert.deepEqual(amendments.map((a) => a.proposals_sent_date).sort(), ['2026-09-14', '2026-11-18']);
  const cessations = await db
    .selectFrom('ehc_plan_cessations')
    .where('authority_id', '=', fresh.authorityId)
    .selectAll()
    .execute();
  assert.equal(cessations.filter((c) => c.outcome === 'ceased').length, 4);
  assert.equal(cessations.filter((c) => c.outcome === null && c.notice_date === '2026-11-13').length, 1);
  const ceased = await db
    .selectFrom('ehc_plans')
    .where('authority_id', '=', fresh.authorityId)
    .where('status', '=', 'ceased')
    .select('cease_reason')
    .execute();
  assert.deepEqual(ceased.map((p) => p.cease_reason).sort(), [2, 3, 6, 7]);
});
