// Taking in a request for SEND support (issue 13 part 3): matched to an existing record without duplicates, held
// without consent and sent to triage by itself when consent is recorded, with the hub's first-response clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type NewRequest, recordConsent, submitRequest } from '../src/modules/send-hubs/intake.ts';
import { hubsSetup, TWO_CYCLES } from './send-hubs-setup.ts';

const s = await hubsSetup('intake');
const BASE: Omit<NewRequest, 'setting_id' | 'child'> = {
  received_on: '2026-11-23',
  received_via: 'online',
  contact_name: null,
  year_group: 'Year 5',
  areas_of_need: ['cognition_learning'],
  apdr_cycles: TWO_CYCLES,
  sen_support_since: null,
  plan_review_date: null,
  current_plan: null,
  asking_for: 'Advice on reading',
  parent_views: null,
  consent: 'given',
  consent_on: '2026-11-23',
};

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

test('a UPN links to its record only with the same birth date; another child’s UPN is not copied to a new record', async () => {
  const a = await s.newRequest({ given: 'Isla', family: 'Penhallow', dob: '2016-04-04' });
  await s.db.updateTable('people').set({ upn: 'A123456789012' }).where('id', '=', a.personId).execute();
  const ctx = s.ctx;
  const submit = (given: string, dob: string) =>
    s.db.transaction().execute((tx) =>
      submitRequest(
        ctx,
        tx,
        { id: s.users.senco.id, authorityId: s.org.authorityId },
        {
          ...BASE,
          setting_id: s.org.settings.northgate,
          child: { given_name: given, family_name: 'Other', date_of_birth: dob, upn: 'A123456789012', gender: null },
        },
      ),
    );
  const same = await submit('Isla', '2016-04-04');
  assert.equal(same.personId, a.personId, 'the same UPN and birth date is the same child');
  const other = await submit('Jack', '2015-01-01');
  assert.notEqual(other.personId, a.personId, 'a UPN with another birth date does not put the request on that record');
  const created = await s.db
    .selectFrom('people')
    .where('id', '=', other.personId)
    .select('upn')
    .executeTakeFirstOrThrow();
  assert.equal(created.upn, null);
});
