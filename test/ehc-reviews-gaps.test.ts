// The review module's gaps closed in issue 20's afternoon session: the reviews due and the phase-transfer cohort
// scoped as the plan caseload is; a plan first issued in its phase-transfer year not overdue on day one; a double
// click asking one advice giver once; the advice answer requiring its version; the coordinator told when advice
// arrives, with no personal data in the notification.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { registerAllTimers } from '../src/modules/timers/handlers.ts';
import { Browser, fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'rvg');
// Tuesday 1 December 2026, 10:00.
const clock = fixedClock('2026-12-01T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerAllTimers(app.services));
const { ehcReviews } = app.services;

const coordinator = userByRole(org, 'ehcp_coordinator');
const manager = userByRole(org, 'send_manager');
const giver = userByRole(org, 'advice_giver');
const team = org.teams['send-statutory'] as string;

// A coordinator in another team (the north disabled children's team), with no plans of their own.
const elsewhere = await db
  .insertInto('users')
  .values({
    authority_id: org.authorityId,
    email: `far.coordinator@${coordinator.email.split('@')[1]}`,
    display_name: 'Farah Elsewhere',
    job_title: 'EHCP Coordinator',
    password_hash: (
      await db.selectFrom('users').where('id', '=', coordinator.id).select('password_hash').executeTakeFirstOrThrow()
    ).password_hash,
    roles: ['ehcp_coordinator'],
  })
  .returning(['id', 'email'])
  .executeTakeFirstOrThrow();
await db
  .insertInto('team_members')
  .values({ team_id: org.teams['dct-north'] as string, user_id: elsewhere.id })
  .execute();

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}

/** A young person with a final plan coordinated by the coordinator, issued as the plan module does. */
async function planFor(caseNumber: string, dob: string, issued: string) {
  const personId = await personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber,
    givenName: 'Quinn',
    familyName: `Gap${caseNumber.slice(-3)}`,
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
  const review = await db
    .selectFrom('ehc_reviews')
    .where('plan_id', '=', plan.id)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  return { planId: plan.id, personId, review };
}

// Year 6 in 2026/27 (secondary transfer, 15 February 2027). One plan issued a year ago: its review works to the
// transfer and is overdue (meeting due 23 November 2026). One first issued today, inside the transfer year.
const older = await planFor('HO780001', '2015-10-01', '2025-12-20');
const fresh = await planFor('HO780002', '2015-11-05', '2026-12-01');

test('a plan first issued inside its transfer year: its meeting is due 4 weeks on, not before it existed; on track', async () => {
  assert.equal(older.review.transfer_deadline, '2027-02-15', 'an older plan works to the transfer');
  assert.equal(fresh.review.transfer_deadline, '2027-02-15', 'so does the new one: reg 18 still asks for the review');
  assert.equal(fresh.review.due_date, '2027-11-30');
  const step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', fresh.review.protocol_instance_id as string)
    .where('status', '=', 'open')
    .select('due_date')
    .executeTakeFirstOrThrow();
  assert.equal(step.due_date, '2026-12-15', 'invitations 2 weeks before a meeting due 4 weeks after the issue');
  const res = await app.inject({
    method: 'GET',
    url: '/api/v1/phase-transfers?year=2027&phase=secondary',
    headers: await token(coordinator.id),
  });
  assert.equal(res.statusCode, 200, res.body);
  const rows = res.json().rows as { planId: string; onTrack: boolean; complete: boolean; why: string }[];
  const f = rows.find((r) => r.planId === fresh.planId);
  assert.equal(f?.onTrack, true, f?.why);
  assert.match(f?.why ?? '', /Review under way/);
  assert.equal(rows.find((r) => r.planId === older.planId)?.onTrack, false, 'the older plan’s review is overdue');
});

test('the due reviews and the cohort are scoped as the caseload: another team’s coordinator sees none, a SEND manager all', async () => {
  const mine = await token(coordinator.id);
  const far = await token(elsewhere.id);
  const boss = await token(manager.id);
  const ids = async (url: string, h: Record<string, string>, key: 'plan_id' | 'planId') => {
    const res = await app.inject({ method: 'GET', url, headers: h });
    assert.equal(res.statusCode, 200, res.body);
    const list = (res.json().items ?? res.json().rows) as Record<string, string>[];
    return list.map((x) => x[key]);
  };
  for (const h of [mine, boss]) {
    assert.ok((await ids('/api/v1/ehc-reviews', h, 'plan_id')).includes(older.planId));
    assert.ok((await ids('/api/v1/phase-transfers?year=2027&phase=secondary', h, 'planId')).includes(older.planId));
  }
  assert.deepEqual(await ids('/api/v1/ehc-reviews', far, 'plan_id'), []);
  assert.deepEqual(await ids('/api/v1/phase-transfers?year=2027&phase=secondary', far, 'planId'), []);

  const b = new Browser(app);
  await b.login(elsewhere.email);
  const page = await b.get('/ehc-plans/phase-transfers?year=2027&phase=secondary');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /HO780001/);
  const m = new Browser(app);
  await m.login(manager.email);
  assert.match((await m.get('/ehc-plans/phase-transfers?year=2027&phase=secondary')).body, /HO780001/);
});

test('a double click asks an advice giver once: page and API answer with the request already made', async () => {
  const b = new Browser(app);
  await b.login(coordinator.email);
  const here = `/ehc-plans/${older.planId}/reviews/${older.review.id}`;
  await b.get(here);
  const form = { giver_user_id: giver.id, question: 'Progress on the outcomes in section E' };
  const first = await b.post(`${here}/advice`, form);
  assert.equal(first.headers.location, `${here}?saved=advice`);
  const second = await b.post(`${here}/advice`, form);
  assert.equal(second.statusCode, 303);
  assert.equal(second.headers.location, `${here}?saved=advice_again`);
  assert.match((await b.get(second.headers.location as string)).body, /had already been asked for advice/);
  const url = `/api/v1/ehc-plans/${older.planId}/reviews/${older.review.id}/advice-requests`;
  const again = await app.inject({ method: 'POST', url, headers: await token(coordinator.id), payload: form });
  assert.equal(again.statusCode, 200, again.body);
  const rows = await db
    .selectFrom('ehc_review_advice_requests')
    .where('review_id', '=', older.review.id)
    .select('id')
    .execute();
  assert.equal(rows.length, 1, 'one request, not three');
  assert.equal(again.json().id, rows[0]?.id);
  const told = await db.selectFrom('notifications').where('user_id', '=', giver.id).select('id').execute();
  assert.equal(told.length, 1, 'the giver is told once');
});

test('the answer needs its version; the coordinator is told, by link and reference only', async () => {
  const request = await db
    .selectFrom('ehc_review_advice_requests')
    .where('review_id', '=', older.review.id)
    .select(['id', 'version'])
    .executeTakeFirstOrThrow();
  const asGiver = await token(giver.id);
  const url = `/api/v1/ehc-reviews/advice-requests/${request.id}/answer`;
  let res = await app.inject({ method: 'POST', url, headers: asGiver, payload: { answer: 'Good progress' } });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /version is required/);
  res = await app.inject({
    method: 'POST',
    url,
    headers: asGiver,
    payload: { answer: 'Good progress', version: request.version + 1 },
  });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /Someone else changed this request for review advice/);
  const before = await db.selectFrom('notifications').where('user_id', '=', coordinator.id).select('id').execute();
  res = await app.inject({
    method: 'POST',
    url,
    headers: { ...asGiver, 'if-match': String(request.version) },
    payload: { answer: 'Good progress' },
  });
  assert.equal(res.statusCode, 204, res.body);
  const after_ = await db
    .selectFrom('notifications')
    .where('user_id', '=', coordinator.id)
    .select(['message', 'link', 'reference'])
    .execute();
  assert.equal(after_.length, before.length + 1, 'the coordinator is told');
  const n = after_.find((x) => x.link === `/ehc-plans/${older.planId}/reviews/${older.review.id}`);
  assert.ok(n, 'a link to the review');
  assert.match(n.reference ?? '', /^HO780001\/RA-/);
  assert.doesNotMatch(`${n.message} ${n.reference}`, /Quinn|Gap001|2015-10-01/, 'no personal data');
  const outbox = await db.selectFrom('outbox').selectAll().execute();
  assert.ok(outbox.length >= 1, 'an email queued');
  for (const e of outbox) assert.doesNotMatch(JSON.stringify(e), /Quinn|Gap001/, 'no name in any email');
});
