// The Navigator, the locality team, needs in context and the hub's scope (issue 13 parts 4, 5, 6): changing the
// Navigator passes the step on; the locality team allocates a worker on the record or returns the referral with a
// reason; needs in context gives the record's context only to a viewer with a relationship, logged; a member of
// another hub's team reaches none of hub 1's triage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWorkingDays } from '../src/domain/calendar.ts';
import { tokenFor } from './contextual-setup.ts';
import { TODAY, triageSetup } from './send-hubs-triage-setup.ts';

const { s, call, outcome, row, openStep, services, hub1, hub2 } = await triageSetup('triage-navigator');

test('changing the Navigator passes the support step to them', async () => {
  const r = await s.newRequest({ given: 'Changey' });
  await outcome(r.id, {
    outcome: 'first_support',
    hub_service_ids: [services[0]!.id],
    navigator_id: s.users.navigator.id,
  });
  const res = await call('POST', `/api/v1/send/requests/${r.id}/navigator`, s.api.hubManager, {
    navigator_id: s.users.hubManager.id,
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.navigator_user_id, s.users.hubManager.id);
  assert.equal((await openStep(r.instanceId))?.owner_user_id, s.users.hubManager.id);
});

test('Further SEND Support: the locality team accepts and allocates a worker on the record', async () => {
  const r = await s.newRequest({ given: 'Furthy' });
  const bad = await outcome(r.id, { outcome: 'further_support' });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /further_reason/);
  const ok = await outcome(r.id, { outcome: 'further_support', further_reason: 'Needs a statutory service' });
  assert.equal(ok.body.status, 'with_locality');
  const step = await openStep(r.instanceId);
  assert.equal(step?.owner_team_id, hub1.locality_team_id);
  const notLocality = await call('POST', `/api/v1/send/requests/${r.id}/locality`, s.api.navigator, {
    decision: 'accept',
    worker_id: s.users.localityManager.id,
  });
  assert.equal(notLocality.status, 403, 'only the locality team answers');
  const noWorker = await call('POST', `/api/v1/send/requests/${r.id}/locality`, s.api.localityManager, {
    decision: 'accept',
  });
  assert.equal(noWorker.status, 400);
  assert.match(JSON.stringify(noWorker.body), /worker_id/);
  const accepted = await call('POST', `/api/v1/send/requests/${r.id}/locality`, s.api.localityManager, {
    decision: 'accept',
    worker_id: s.users.localityManager.id,
  });
  assert.equal(accepted.status, 200);
  assert.deepEqual([accepted.body.status, accepted.body.result], ['closed', 'further_support']);
  const inv = await s.db
    .selectFrom('involvements')
    .where('person_id', '=', r.personId)
    .where('team_id', '=', hub1.locality_team_id as string)
    .where('end_date', 'is', null)
    .select('worker_id')
    .executeTakeFirstOrThrow();
  assert.equal(inv.worker_id, s.users.localityManager.id, 'allocated: nobody is left unallocated');
});

test('the locality team may return a referral to triage with a reason and a new first-response date', async () => {
  const r = await s.newRequest({ given: 'Returny' });
  await outcome(r.id, { outcome: 'further_support', further_reason: 'Complex needs' });
  const noReason = await call('POST', `/api/v1/send/requests/${r.id}/locality`, s.api.localityManager, {
    decision: 'return',
  });
  assert.equal(noReason.status, 400);
  assert.match(JSON.stringify(noReason.body), /reason/);
  const back = await call('POST', `/api/v1/send/requests/${r.id}/locality`, s.api.localityManager, {
    decision: 'return',
    reason: 'First SEND Support from the hub should be tried first',
  });
  assert.deepEqual([back.body.status, back.body.step, back.body.due], ['waiting', 'triage', addWorkingDays(TODAY, 10)]);
});

test('needs in context: previous requests always; the record’s context only with a relationship; logged', async () => {
  const first = await s.newRequest({ given: 'Contexta', family: 'Known', dob: '2016-06-06' });
  await outcome(first.id, { outcome: 'advice', advice_given: 'x', signposted_to: 'y' });
  const r = await s.newRequest({ given: 'Contexta', family: 'Known', dob: '2016-06-06' });
  assert.equal(r.personId, first.personId);
  await s.db
    .insertInto('person_statuses')
    .values({
      authority_id: s.org.authorityId,
      person_id: r.personId,
      status: 'disabled',
      start_date: '2026-01-01',
    })
    .execute();
  const without = await call('GET', `/api/v1/send/requests/${r.id}/context`, s.api.navigator);
  assert.equal(without.status, 200);
  assert.equal(without.body.opens_record, false, 'the team-owned triage step gives no relationship');
  assert.equal((without.body.previous_requests as { id: string }[])[0]?.id, first.id);
  assert.deepEqual(without.body.statuses, []);
  await outcome(r.id, {
    outcome: 'first_support',
    hub_service_ids: [services[0]!.id],
    navigator_id: s.users.navigator.id,
  });
  const withRel = await call('GET', `/api/v1/send/requests/${r.id}/context`, s.api.navigator);
  assert.equal(withRel.body.opens_record, true, 'the Navigator owns the support step by name');
  assert.equal((withRel.body.statuses as { status: string }[])[0]?.status, 'disabled');
  const logged = await s.db
    .selectFrom('access_log')
    .where('person_id', '=', r.personId)
    .where('purpose', '=', 'send-hub-needs-in-context')
    .select('id')
    .execute();
  assert.equal(logged.length, 2);
});

test('a member of another hub’s team reaches none of hub 1’s triage', async () => {
  const u = await s.db
    .insertInto('users')
    .values({
      authority_id: s.org.authorityId,
      email: 'hub2.navigator@triage.test',
      display_name: 'Hub Two Navigator',
      roles: ['hub_practitioner'],
      created_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await s.db
    .insertInto('team_members')
    .values({ team_id: hub2.team_id as string, user_id: u.id })
    .execute();
  const other = await tokenFor(s.db, u.id);
  const r = await s.newRequest({ given: 'Scoped' });
  for (const [method, url] of [
    ['GET', `/api/v1/send/requests/${r.id}/context`],
    ['GET', `/api/v1/send/hubs/${s.hub1}/triage-meetings`],
    ['GET', `/hubs/${s.hub1}/requests/${r.id}/outcome`],
  ] as const) {
    const res = await s.app.inject({ method, url, headers: other });
    assert.equal(res.statusCode, 404, `${method} ${url}`);
  }
  const res = await outcome(r.id, { outcome: 'advice', advice_given: 'x', signposted_to: 'y' }, other);
  assert.equal(res.status, 404);
  assert.equal((await row(r.id)).status, 'waiting');
  const own = await call('GET', `/api/v1/send/hubs/${s.hub2}/triage-meetings`, other);
  assert.equal(own.status, 200, 'their own hub they reach');
});
