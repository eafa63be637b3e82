// Taking in a request for SEND support (issue 13 part 3): matched to an existing record without duplicates, held
// without consent and sent to triage by itself when consent is recorded, with the hub's first-response clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordConsent } from '../src/modules/send-hubs/intake.ts';
import { hubsSetup } from './send-hubs-setup.ts';

const s = await hubsSetup('intake');

async function row(id: string) {
  return s.db.selectFrom('support_requests').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
}
async function openStep(instanceId: string) {
  return s.db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select(['step_key', 'due_date', 'owner_team_id', 'owner_user_id'])
    .executeTakeFirstOrThrow();
}

test('a request with consent waits for triage, owned by the hub team, due in 10 working days', async () => {
  const r = await s.newRequest({ given: 'Alfie', family: 'Stone', dob: '2018-05-01' });
  assert.match(r.reference, /^SR-\d+$/);
  assert.equal((await row(r.id)).status, 'waiting');
  const step = await openStep(r.instanceId);
  assert.equal(step.step_key, 'triage');
  assert.equal(step.due_date, '2026-12-07');
  const hub = await s.db.selectFrom('hubs').where('id', '=', s.hub1).select('team_id').executeTakeFirstOrThrow();
  assert.equal(step.owner_team_id, hub.team_id);
});

test('the same child again is matched to the same record; a different birth date is a new record', async () => {
  const a = await s.newRequest({ given: 'Maya', family: 'Brook', dob: '2017-02-02' });
  const b = await s.newRequest({ given: ' maya', family: 'BROOK ', dob: '2017-02-02', setting: 'riverside' });
  const c = await s.newRequest({ given: 'Maya', family: 'Brook', dob: '2017-02-03' });
  assert.equal(a.personId, b.personId);
  assert.equal(b.personCreated, false);
  assert.notEqual(c.personId, a.personId);
});

test('without consent it is held, then goes to triage by itself when consent is recorded', async () => {
  const r = await s.newRequest({ consent: 'not_yet', given: 'Noah', family: 'Field' });
  assert.equal((await row(r.id)).status, 'held');
  assert.equal((await openStep(r.instanceId)).step_key, 'consent');
  await s.db.transaction().execute((tx) =>
    recordConsent(s.ctx, tx, { id: s.users.navigator.id, authorityId: s.org.authorityId }, r.id, {
      given_on: '2026-11-23',
      parent_views: null,
    }),
  );
  const after = await row(r.id);
  assert.equal(after.status, 'waiting');
  assert.equal(after.consent, 'given');
  assert.equal((await openStep(r.instanceId)).step_key, 'triage');
});
