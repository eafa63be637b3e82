// Annual reviews of EHC plans end to end through the service's events, the pages and the API: the clock a final
// plan starts, each stage with its regulation, advice asked of an advice giver who answers on their own page, the
// preparing-for-adulthood rule from Year 9, the decision starting the next cycle, a ceased plan closing its review,
// bad input named by field, stale versions, and who may see what.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { registerAllTimers } from '../src/modules/timers/handlers.ts';
import { Browser, fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'rev');
const other = await seedOrganisation(db, 'revx');
// Monday 23 November 2026, 10:00.
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerAllTimers(app.services));
const { ehcReviews } = app.services;

const coordinator = userByRole(org, 'ehcp_coordinator');
const socialWorker = userByRole(org, 'social_worker');
const giver = userByRole(org, 'advice_giver');
const team = org.teams['send-statutory'] as string;

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}

/** A young person with a final plan, allocated to the coordinator; the plan's final issued as H1's module would. */
async function planFor(caseNumber: string, dob: string, issued: string) {
  const personId = await personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber,
    givenName: 'Robin',
    familyName: `Test${caseNumber.slice(-3)}`,
    dateOfBirth: dob,
  });
  const plan = await db
    .insertInto('ehc_plans')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      coordinator_id: coordinator.id,
      status: 'final',
      first_issued_date: issued,
      last_issued_date: issued,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.transaction().execute((tx) =>
    ehcReviews.events.emit(tx, 'finalIssued', {
      planId: plan.id,
      personId,
      authorityId: org.authorityId,
      actorId: coordinator.id,
      at: clock.now(),
      date: issued,
    }),
  );
  return { planId: plan.id, personId };
}

const dateParts = (field: string, iso: string) => ({
  [`${field}-day`]: String(Number(iso.slice(8, 10))),
  [`${field}-month`]: String(Number(iso.slice(5, 7))),
  [`${field}-year`]: iso.slice(0, 4),
});

async function openReview(planId: string) {
  return db
    .selectFrom('ehc_reviews')
    .where('plan_id', '=', planId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
}

async function openStep(instanceId: string) {
  return db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select(['step_key', 'due_date', 'due_rule'])
    .executeTakeFirst();
}

// Born 1 May 2012: Year 9 in 2025/26, Year 10 in 2026/27, so preparing for adulthood is required.
const robin = await planFor('HO770001', '2012-05-01', '2026-01-10');

test('a final plan issued starts the review clock: due within 12 months starting with the issue (CFA 2014 s.44)', async () => {
  const plan = await db.selectFrom('ehc_plans').where('id', '=', robin.planId).selectAll().executeTakeFirstOrThrow();
  assert.equal(plan.review_due_date, '2027-01-09');
  const r = await openReview(robin.planId);
  assert.equal(r.due_basis, 'first');
  assert.equal(r.transfer_phase, null);
  const step = await openStep(r.protocol_instance_id!);
  assert.equal(step?.step_key, 'arrange_meeting');
  // Invitations for a meeting on the due date must go 2 weeks before it.
  assert.equal(step?.due_date, '2026-12-26');
  const again = await db
    .transaction()
    .execute((tx) =>
      ehcReviews.startCycle(
        tx,
        { planId: robin.planId, authorityId: org.authorityId, actorId: null },
        { date: '2027-01-09', basis: 'first' },
      ),
    );
  assert.equal(again, null, 'one open review per plan');
});

test('the coordinator runs the review through the pages; the advice giver answers on their own page', async () => {
  const b = new Browser(app);
  await b.login(coordinator.email);
  const r = await openReview(robin.planId);
  const here = `/ehc-plans/${robin.planId}/reviews/${r.id}`;
  let page = await b.get(here);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Arrange the review meeting/);
  assert.match(page.body, /SEND Regulations 2014 reg 20\(2\) and \(3\)/, 'the due date cites its regulation');

  // Less than 2 weeks' notice is refused, naming the field; nothing is written.
  let res = await b.post(`${here}/arrange`, { version: String(r.version), ...dateParts('meeting_date', '2026-11-30') });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Date of the review meeting must be at least 2 weeks after today/);
  assert.match(res.body, /href="#meeting_date/);
  assert.equal((await openReview(robin.planId)).meeting_date, null);

  res = await b.post(`${here}/arrange`, { version: String(r.version), ...dateParts('meeting_date', '2026-12-14') });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `${here}?saved=arranged`);
  page = await b.get(res.headers.location as string);
  assert.match(page.body, /Review meeting arranged/);
  let row = await openReview(robin.planId);
  assert.equal((await openStep(row.protocol_instance_id!))?.due_date, '2026-11-30', 'advice circulated 2 weeks before');

  // A stale version is refused (409) with the page again.
  res = await b.post(`${here}/circulate`, {
    version: String(r.version),
    ...dateParts('circulated_date', '2026-11-23'),
  });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /Someone else changed this review/);

  // Advice asked of the advice giver; they see it and answer.
  res = await b.post(`${here}/advice`, { giver_user_id: '', question: '' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Choose the advice giver to ask/);
  res = await b.post(`${here}/advice`, { giver_user_id: giver.id, question: 'Progress on communication outcomes' });
  assert.equal(res.statusCode, 303);
  const request = await db
    .selectFrom('ehc_review_advice_requests')
    .where('review_id', '=', r.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(request.due_date, '2026-11-30');

  const g = new Browser(app);
  await g.login(giver.email);
  const list = await g.get('/ehc-plans/review-advice');
  assert.match(list.body, new RegExp(`/ehc-plans/review-advice/${request.id}`));
  const gp = await g.get(`/ehc-plans/review-advice/${request.id}`);
  assert.equal(gp.statusCode, 200);
  assert.match(gp.body, /Progress on communication outcomes/);
  assert.equal((await g.get(here)).statusCode, 403, 'the giver never opens the review itself');
  const empty = await g.post(`/ehc-plans/review-advice/${request.id}`, {
    version: String(request.version),
    answer: '',
  });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter your advice and information for the review meeting/);
  const sent = await g.post(`/ehc-plans/review-advice/${request.id}`, {
    version: String(request.version),
    answer: 'Good progress; keep weekly therapy.',
  });
  assert.equal(sent.statusCode, 303);
  const work = await g.get('/');
  assert.doesNotMatch(work.body, new RegExp(`review-advice/${request.id}`), 'answered: off My work');
  // Someone else's request is not found.
  const sw = new Browser(app);
  await sw.login(socialWorker.email);
  assert.equal((await sw.get(`/ehc-plans/review-advice/${request.id}`)).statusCode, 404);

  page = await b.get(here);
  assert.match(page.body, /Good progress; keep weekly therapy\./, 'the coordinator sees the answer');

  row = await openReview(robin.planId);
  res = await b.post(`${here}/circulate`, {
    version: String(row.version),
    ...dateParts('circulated_date', '2026-11-23'),
  });
  assert.equal(res.statusCode, 303);

  // The meeting is held on 14 December.
  clock.set('2026-12-14T15:00:00Z');
  await b.login(coordinator.email);
  row = await openReview(robin.planId);
  res = await b.post(`${here}/meeting`, {
    version: String(row.version),
    ...dateParts('held_date', '2026-12-14'),
    attendees: 'Parent, SENCO, therapist',
    child_views: 'Likes the new timetable',
    parent_views: '',
    pfa: '',
  });
  assert.equal(res.statusCode, 303);
  row = await openReview(robin.planId);
  let step = await openStep(row.protocol_instance_id!);
  assert.equal(step?.step_key, 'send_report');
  assert.equal(step?.due_date, '2026-12-28', 'report within 2 weeks of the meeting');

  // Year 10: the report is refused without preparing for adulthood, naming the field.
  res = await b.post(`${here}/report`, {
    version: String(row.version),
    report: 'Report text',
    ...dateParts('sent_date', '2026-12-14'),
    pfa: '',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Enter preparing for adulthood: from Year 9/);
  assert.match(res.body, /href="#pfa/);
  res = await b.post(`${here}/report`, {
    version: String(row.version),
    report: 'Report text',
    ...dateParts('sent_date', '2026-12-14'),
    pfa: 'Work experience at the library',
  });
  assert.equal(res.statusCode, 303);
  row = await openReview(robin.planId);
  step = await openStep(row.protocol_instance_id!);
  assert.equal(step?.step_key, 'decide');
  assert.equal(step?.due_date, '2027-01-11', 'decision within 4 weeks of the meeting');
  assert.match(step?.due_rule ?? '', /4 weeks/);

  res = await b.post(`${here}/decision`, {
    version: String(row.version),
    decision: 'amend',
    reasons: '',
    ...dateParts('decision_date', '2026-12-14'),
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Enter the reasons for the decision/);
  res = await b.post(`${here}/decision`, {
    version: String(row.version),
    decision: 'amend',
    reasons: 'Section F needs the new therapy',
    ...dateParts('decision_date', '2026-12-14'),
  });
  assert.equal(res.statusCode, 303);
  const decided = await db.selectFrom('ehc_reviews').where('id', '=', r.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(decided.status, 'decided');
  assert.equal(decided.decision, 'amend');
  const plan = await db.selectFrom('ehc_plans').where('id', '=', robin.planId).selectAll().executeTakeFirstOrThrow();
  assert.equal(plan.last_review_date, '2026-12-14');
  assert.equal(plan.review_due_date, '2027-12-13', 'the next cycle: 12 months starting with the meeting');
  const next = await openReview(robin.planId);
  assert.equal(next.due_basis, 'annual');
  const timeline = await db.selectFrom('events').where('person_id', '=', robin.personId).select('title').execute();
  assert.ok(timeline.some((t) => t.title === 'EHC plan review decision: amend the plan'));
  const log = await db
    .selectFrom('access_log')
    .where('person_id', '=', robin.personId)
    .where('purpose', '=', 'ehc-review')
    .select('id')
    .execute();
  assert.ok(log.length > 0, 'reads are logged');
  clock.set('2026-11-23T10:00:00Z');
});

test('the API: reviews, a stage with bad input named, the due list, the giver list; access', async () => {
  const sky = await planFor('HO770002', '2016-01-05', '2026-02-01');
  const auth = await token(coordinator.id);
  let res = await app.inject({ method: 'GET', url: `/api/v1/ehc-plans/${sky.planId}/reviews`, headers: auth });
  assert.equal(res.statusCode, 200);
  const [rv] = res.json().items;
  assert.equal(rv.step, 'arrange_meeting');
  // Year 6 in 2026/27: a phase transfer to secondary, amended plan by 15 February 2027; the meeting is due by
  // 12 weeks before it (4 weeks to decide and 8 to amend), earlier than the 12 months.
  assert.equal(rv.transfer_phase, 'secondary');
  assert.equal(rv.transfer_deadline, '2027-02-15');
  assert.equal(rv.meeting_by, '2026-11-23');
  res = await app.inject({
    method: 'POST',
    url: `/api/v1/ehc-plans/${sky.planId}/reviews/${rv.id}/arrange`,
    headers: auth,
    payload: { meeting_date: '2026-13-40', version: rv.version },
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /meeting_date/);
  res = await app.inject({
    method: 'POST',
    url: `/api/v1/ehc-plans/${sky.planId}/reviews/${rv.id}/arrange`,
    headers: auth,
    payload: { meeting_date: '2026-12-08' },
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /version is required/);
  res = await app.inject({
    method: 'POST',
    url: `/api/v1/ehc-plans/${sky.planId}/reviews/${rv.id}/arrange`,
    headers: { ...auth, 'if-match': String(rv.version) },
    payload: { meeting_date: '2026-12-08' },
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().review.step, 'circulate_advice');
  res = await app.inject({
    method: 'POST',
    url: `/api/v1/ehc-plans/${sky.planId}/reviews/${rv.id}/decision`,
    headers: auth,
    payload: { decision: 'maintain', reasons: 'x', decision_date: '2026-11-23', version: rv.version + 1 },
  });
  assert.equal(res.statusCode, 409, 'a stage out of turn is refused');

  res = await app.inject({ method: 'GET', url: '/api/v1/ehc-reviews?state=overdue', headers: auth });
  assert.equal(res.statusCode, 200);
  res = await app.inject({ method: 'GET', url: '/api/v1/ehc-reviews?state=soon', headers: auth });
  assert.equal(res.statusCode, 400);
  res = await app.inject({ method: 'GET', url: '/api/v1/ehc-reviews', headers: auth });
  assert.equal(res.statusCode, 200, res.body);
  assert.ok(res.json().items.some((i: { plan_id: string }) => i.plan_id === sky.planId));

  const sw = await token(socialWorker.id);
  res = await app.inject({ method: 'GET', url: `/api/v1/ehc-plans/${sky.planId}/reviews`, headers: sw });
  assert.equal(res.statusCode, 403, 'no ehcp:manage');
  const stranger = await token(userByRole(other, 'ehcp_coordinator').id);
  res = await app.inject({ method: 'GET', url: `/api/v1/ehc-plans/${sky.planId}/reviews`, headers: stranger });
  assert.equal(res.statusCode, 404, 'another council');
  res = await app.inject({ method: 'GET', url: '/api/v1/ehc-reviews/advice-requests', headers: await token(giver.id) });
  assert.equal(res.statusCode, 200);
  assert.ok(res.json().items.length >= 1);

  res = await app.inject({ method: 'GET', url: '/api/v1/phase-transfers?year=2027&phase=secondary', headers: auth });
  assert.equal(res.statusCode, 200);
  const c = res.json();
  assert.equal(c.deadline, '2027-02-15');
  assert.ok(c.rows.some((x: { planId: string }) => x.planId === sky.planId));
  res = await app.inject({ method: 'GET', url: '/api/v1/phase-transfers?year=27&phase=primary', headers: auth });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Year of transfer must be a year like 2027|phase/);

  const b = new Browser(app);
  await b.login(coordinator.email);
  const page = await b.get('/ehc-plans/phase-transfers?year=2027&phase=secondary');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /HO770002/);
  assert.match(page.body, /15 February 2027/);
});

test('a plan that ceases closes its open review and clears the due date', async () => {
  const kit = await planFor('HO770003', '2014-03-03', '2026-03-01');
  const r = await openReview(kit.planId);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('ehc_plans')
      .set({ status: 'ceased', ceased_date: '2026-11-23', cease_reason: 4 })
      .where('id', '=', kit.planId)
      .execute();
    await ehcReviews.events.emit(tx, 'ceased', {
      planId: kit.planId,
      personId: kit.personId,
      authorityId: org.authorityId,
      actorId: coordinator.id,
      at: clock.now(),
      date: '2026-11-23',
      reason: 4,
    });
  });
  const closed = await db.selectFrom('ehc_reviews').where('id', '=', r.id).select('status').executeTakeFirstOrThrow();
  assert.equal(closed.status, 'closed');
  const inst = await db
    .selectFrom('protocol_instances')
    .where('id', '=', r.protocol_instance_id!)
    .select(['status', 'result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(inst, { status: 'ended', result: 'closed' });
  const plan = await db
    .selectFrom('ehc_plans')
    .where('id', '=', kit.planId)
    .select('review_due_date')
    .executeTakeFirstOrThrow();
  assert.equal(plan.review_due_date, null);
});

test('a plan transferred in is reviewed by the later of 12 months from the last review and 3 months from the transfer (reg 15(5))', async () => {
  const personId = await personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber: 'HO770004',
    givenName: 'Ash',
    familyName: 'Test004',
    dateOfBirth: '2013-06-06',
  });
  const from = await db
    .insertInto('ehc_plans')
    .values({
      authority_id: other.authorityId,
      person_id: personId,
      status: 'transferred_out',
      first_issued_date: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch(() => null);
  const plan = await db
    .insertInto('ehc_plans')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      coordinator_id: coordinator.id,
      status: 'final',
      first_issued_date: '2025-01-01',
      transfer_date: '2026-11-23',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.transaction().execute((tx) =>
    ehcReviews.events.emit(tx, 'transferredIn', {
      planId: plan.id,
      personId,
      authorityId: org.authorityId,
      actorId: coordinator.id,
      at: clock.now(),
      date: '2026-11-23',
      fromPlanId: from?.id ?? plan.id,
      lastReviewDate: '2026-01-15',
    }),
  );
  const r = await openReview(plan.id);
  assert.equal(r.due_basis, 'transfer_in');
  // 12 months from 15 January 2026 ends 14 January 2027; 3 months from 23 November 2026 ends 22 February 2027.
  assert.equal(r.due_date, '2027-02-22');
});

test('review advice goes only to an advice giver, and a withdrawn request no longer opens the young person’s details', async () => {
  const ash = await planFor('HO770009', '2013-06-06', '2026-04-01');
  const r = await openReview(ash.planId);
  const auth = await token(coordinator.id);
  const url = `/api/v1/ehc-plans/${ash.planId}/reviews/${r.id}/advice-requests`;
  const manager = userByRole(org, 'service_manager');
  let res = await app.inject({
    method: 'POST',
    url,
    headers: auth,
    payload: { giver_user_id: manager.id, question: 'How is school going?' },
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.match(res.body, /giver_user_id/);
  assert.match(res.body, /advice giver/);
  const none = await db.selectFrom('ehc_review_advice_requests').where('review_id', '=', r.id).select('id').execute();
  assert.equal(none.length, 0, 'nothing written');
  res = await app.inject({
    method: 'POST',
    url,
    headers: auth,
    payload: { giver_user_id: giver.id, question: 'How is school going?' },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  const asGiver = await token(giver.id);
  res = await app.inject({ method: 'GET', url: `/api/v1/ehc-reviews/advice-requests/${id}`, headers: asGiver });
  assert.equal(res.statusCode, 200, res.body);
  await db.updateTable('ehc_review_advice_requests').set({ status: 'cancelled' }).where('id', '=', id).execute();
  res = await app.inject({ method: 'GET', url: `/api/v1/ehc-reviews/advice-requests/${id}`, headers: asGiver });
  assert.equal(res.statusCode, 404, res.body);
  assert.match(res.body, /withdrawn/);
  assert.doesNotMatch(res.body, /Robin|2013-06-06/);
  const b = new Browser(app);
  await b.login(giver.email);
  const page = await b.get(`/ehc-plans/review-advice/${id}`);
  assert.equal(page.statusCode, 404);
  assert.doesNotMatch(page.body, /Robin|TestO09|6 June 2013/);
});

test('the success banner shows only the page’s own saved keys: ?saved=constructor shows none', async () => {
  const lee = await planFor('HO770010', '2015-02-02', '2026-05-01');
  const r = await openReview(lee.planId);
  const b = new Browser(app);
  await b.login(coordinator.email);
  const here = `/ehc-plans/${lee.planId}/reviews/${r.id}`;
  const saved = await b.get(`${here}?saved=arranged`);
  assert.equal(saved.statusCode, 200);
  assert.match(saved.body, /Review meeting arranged and invitations recorded/);
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const page = await b.get(`${here}?saved=${key}`);
    assert.equal(page.statusCode, 200, key);
    assert.doesNotMatch(page.body, /native code|function |\[object Object\]/, key);
    assert.doesNotMatch(page.body, /govuk-notification-banner--success/, key);
  }
});

test('the plan page shows the review panel and the amendments panel, with links to the review and the amendment', async () => {
  const mo = await planFor('HO770011', '2014-09-09', '2026-06-01');
  await db
    .insertInto('ehc_plan_versions')
    .values({
      authority_id: org.authorityId,
      plan_id: mo.planId,
      person_id: mo.personId,
      number: 1,
      kind: 'final',
      state: 'issued',
      sections: JSON.stringify({ a: 'Likes music.' }),
      issued_date: '2026-06-01',
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  const r = await openReview(mo.planId);
  const auth = await token(coordinator.id);
  const am = await app.inject({
    method: 'POST',
    url: `/api/v1/ehc-plans/${mo.planId}/amendments`,
    headers: auth,
    payload: { reason: 'Needs changed' },
  });
  assert.equal(am.statusCode, 201, am.body);
  const b = new Browser(app);
  await b.login(coordinator.email);
  const page = await b.get(`/ehc-plans/${mo.planId}`);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  assert.match(page.body, /id="reviews-panel-heading"/);
  assert.match(page.body, new RegExp(`href="/ehc-plans/${mo.planId}/reviews/${r.id}"`), 'links to the open review');
  assert.match(page.body, new RegExp(`href="/ehc-plans/${mo.planId}/reviews"`), 'links to all reviews');
  assert.match(page.body, /id="plan-changes-heading"/);
  assert.match(
    page.body,
    new RegExp(`href="/ehc-plans/${mo.planId}/amendments/${am.json().id}"`),
    'links to the open amendment',
  );
  assert.match(page.body, new RegExp(`href="/ehc-plans/${mo.planId}/changes"`), 'links to all amendments');
});
