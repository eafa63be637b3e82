// Issue 11 defect 8 on the engine's own page: recording a decision and passing a step to someone else both end on
// the GOV.UK success banner (redirect with ?saved=<key>); an unknown key shows none and nothing from the address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'pban');
const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now });
const coordinator = userByRole(org, 'ehcp_coordinator');
const sendManager = userByRole(org, 'send_manager');
const BANNER = /govuk-notification-banner--success/;

const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'PB-1',
    given_name: 'Ada',
    family_name: 'Bannerly',
    date_of_birth: '2015-03-03',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('involvements')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    team_id: org.teams['send-statutory'] as string,
    worker_id: coordinator.id,
    reason: 'EHC needs assessment',
    start_date: '2026-10-01',
  })
  .execute();

const openStep = (instanceId: string) =>
  db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select(['id', 'version', 'step_key'])
    .executeTakeFirstOrThrow();

test('a decision and a reassignment each end on the success banner; an unknown key shows none', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const started = await jo.post(`/people/${person.id}/protocols`, {
    protocol_id: 'cumbria-advice-query',
    protocol_version: '1',
    routes_tried: 'Phoned the setting twice',
  });
  assert.equal(started.statusCode, 303, started.body.slice(0, 400));
  const url = String(started.headers.location).split('?')[0] as string;
  const instanceId = url.split('/').pop() as string;
  const before = await jo.get(url);
  assert.doesNotMatch(before.body, BANNER, 'no banner before anything is saved');

  // The coordinator's line manager passes the first step to herself, then records its decision.
  let step = await openStep(instanceId);
  const priya = new Browser(app);
  await priya.login(sendManager.email);
  const moved = await priya.post(`${url}/steps/${step.id}/reassign`, {
    owner_user_id: sendManager.id,
    version: String(step.version),
  });
  assert.equal(moved.statusCode, 303, moved.body.slice(0, 600));
  assert.equal(moved.headers.location, `${url}?saved=reassigned`);
  const page = await priya.get(String(moved.headers.location));
  assert.match(page.body, BANNER);
  assert.match(page.body, /Step passed to its new owner/);

  step = await openStep(instanceId);
  const decided = await priya.post(`${url}/steps/${step.id}/decide`, {
    outcome: 'unclear',
    version: String(step.version),
  });
  assert.equal(decided.statusCode, 303, decided.body.slice(0, 400));
  assert.equal(decided.headers.location, `${url}?saved=decided`);
  const after = await priya.get(String(decided.headers.location));
  assert.match(after.body, BANNER);
  assert.match(after.body, /Decision recorded/);

  // Bad input: no redirect, no banner.
  step = await openStep(instanceId);
  const bad = await priya.post(`${url}/steps/${step.id}/decide`, { version: String(step.version) });
  assert.equal(bad.statusCode, 400);
  assert.doesNotMatch(bad.body, BANNER);

  const forged = await jo.get(`${url}?saved=%3Cb%3EYou%20won%3C%2Fb%3E`);
  assert.equal(forged.statusCode, 200);
  assert.doesNotMatch(forged.body, BANNER);
  assert.doesNotMatch(forged.body, /You won/);
});
