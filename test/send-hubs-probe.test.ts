// What a read-only attacker's review of the SEND hubs found (issue 13), each fixed and tested here: the Navigator's page
// showed every action on the young person's plan to anyone in the hub (now only the hub's own support plan actions);
// anyone in the hub could name themselves Navigator, which opens the record (now the hub's managers or the Navigator
// now only). The UPN finding is tested with the intake (test/send-hubs-intake.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenFor } from './contextual-setup.ts';
import { triageSetup } from './send-hubs-triage-setup.ts';

const { s, call, outcome, services, hub1 } = await triageSetup('send-probe');

/** A second hub practitioner in hub 1's team, with an API token. */
async function colleague() {
  const u = await s.db
    .insertInto('users')
    .values({
      authority_id: s.org.authorityId,
      email: 'second.navigator@send-probe.test.example',
      display_name: 'Second Navigator',
      roles: ['hub_practitioner'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await s.db
    .insertInto('team_members')
    .values({ team_id: hub1.team_id as string, user_id: u.id })
    .execute();
  return { id: u.id, api: await tokenFor(s.db, u.id) };
}

test('only the hub’s managers or the Navigator now can change the Navigator', async () => {
  const r = await s.newRequest({ given: 'Probey' });
  await outcome(r.id, {
    outcome: 'first_support',
    hub_service_ids: [services[0]!.id],
    navigator_id: s.users.navigator.id,
  });
  const other = await colleague();
  const self = await call('POST', `/api/v1/send/requests/${r.id}/navigator`, other.api, { navigator_id: other.id });
  assert.equal(self.status, 403, 'a colleague cannot name themselves Navigator');
  const row = await s.db
    .selectFrom('support_requests')
    .where('id', '=', r.id)
    .select('navigator_user_id')
    .executeTakeFirstOrThrow();
  assert.equal(row.navigator_user_id, s.users.navigator.id);
  const handOn = await call('POST', `/api/v1/send/requests/${r.id}/navigator`, s.api.navigator, {
    navigator_id: other.id,
  });
  assert.equal(handOn.status, 200, 'the Navigator may pass it on');
});

test('the Navigator’s page lists the hub’s support plan actions, never the rest of the young person’s plan', async () => {
  const r = await s.newRequest({ given: 'Planny' });
  await outcome(r.id, {
    outcome: 'first_support',
    hub_service_ids: [services[0]!.id],
    navigator_id: s.users.navigator.id,
  });
  const now = new Date();
  const plan = await s.db
    .insertInto('plans')
    .values({ authority_id: s.org.authorityId, person_id: r.personId, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await s.db
    .insertInto('plan_actions')
    .values({
      authority_id: s.org.authorityId,
      plan_id: plan.id,
      person_id: r.personId,
      description: 'Housing panel referral for the family',
      source: 'plan',
      created_at: now,
      updated_at: now,
    })
    .execute();
  const added = await call('POST', `/api/v1/send/requests/${r.id}/actions`, s.api.navigator, {
    description: 'Speech and language therapist to visit the class',
    owner_user_id: s.users.navigator.id,
    due_date: '2026-12-11',
  });
  assert.ok(added.status < 300, JSON.stringify(added.body));
  const b = await s.browser(s.users.hubManager.email);
  const page = await b.get(`/hubs/${s.hub1}/requests/${r.id}/navigator`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Speech and language therapist to visit the class/);
  assert.doesNotMatch(page.body, /Housing panel referral/);
});
