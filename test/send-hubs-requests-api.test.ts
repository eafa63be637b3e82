// The requests API (issue 13 parts 2, 3 and 9): a setting's account submits with the APDR cycles as a JSON list
// (held without consent, then consent recorded), reads its settings' requests with status only, and never another
// setting's; bad input names each field; hub staff list their hubs and a hub's requests, read one in full with its
// clocks, and log a phone request; anyone else is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hubsSetup, TWO_CYCLES } from './send-hubs-setup.ts';

const s = await hubsSetup('requests-api');

const body = (given: string, extra: Record<string, unknown> = {}) => ({
  given_name: given,
  family_name: 'Apiton',
  date_of_birth: '2017-09-01',
  year_group: 'Year 4',
  contact_name: 'Sara SENCO',
  areas_of_need: ['cognition_learning'],
  current_plan: 'Precision teaching for reading, daily',
  asking_for: 'Advice from a specialist teacher',
  consent: 'given',
  consent_on: '2026-11-20',
  apdr_cycles: TWO_CYCLES,
  ...extra,
});

const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
  s.app.inject({ method, url, headers: { ...headers, accept: 'application/json' }, ...(payload ? { payload } : {}) });

test('a setting account submits with two cycles as a list, then reads its status only', async () => {
  const res = await inject('POST', '/api/v1/send/requests', s.api.senco, body('Hana'));
  assert.equal(res.statusCode, 201, res.body);
  const made = res.json() as { id: string; reference: string; status: string };
  assert.match(made.reference, /^SR-\d+$/);
  assert.equal(made.status, 'waiting');
  const row = await s.db.selectFrom('support_requests').where('id', '=', made.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(row.received_via, 'online');
  assert.equal(row.setting_id, s.org.settings.northgate, 'the one setting of the account is used');
  assert.deepEqual(row.apdr_cycles, TWO_CYCLES);

  const one = await inject('GET', `/api/v1/setting/requests/${made.id}`, s.api.senco);
  assert.equal(one.statusCode, 200);
  const status = one.json() as Record<string, unknown>;
  assert.equal(status.status, 'waiting');
  assert.equal(status.child_name, 'Hana Apiton');
  assert.equal((status.next_step as { due: string }).due, '2026-12-07');
  for (const hidden of ['apdr_cycles', 'asking_for', 'person_id', 'person', 'parent_views'])
    assert.ok(!(hidden in status), `the setting is not given ${hidden}`);
  const list = await inject('GET', '/api/v1/setting/requests', s.api.senco);
  assert.ok((list.json() as { items: { id: string }[] }).items.some((i) => i.id === made.id));

  assert.equal((await inject('GET', `/api/v1/setting/requests/${made.id}`, s.api.sencoRiverside)).statusCode, 404);
  const theirs = await inject('GET', '/api/v1/setting/requests', s.api.sencoRiverside);
  assert.ok(!(theirs.json() as { items: { id: string }[] }).items.some((i) => i.id === made.id));
  assert.equal((await inject('GET', `/api/v1/send/requests/${made.id}`, s.api.senco)).statusCode, 403);
});

test('bad input is named field by field and nothing is written', async () => {
  const before = await s.db
    .selectFrom('support_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const res = await inject(
    'POST',
    '/api/v1/send/requests',
    s.api.senco,
    body('Ivo', {
      date_of_birth: '2030-01-01',
      consent_on: null,
      apdr_cycles: [{ ...TWO_CYCLES[0], to: '2026-01-01', review: 'x' }],
    }),
  );
  assert.equal(res.statusCode, 400);
  const fields = (res.json() as { fields: Record<string, string> }).fields;
  assert.match(fields.date_of_birth ?? '', /today or in the past/);
  assert.match(fields.consent_on ?? '', /Enter the date the parent carer consented/);
  assert.match(fields['apdr_cycles.0.to'] ?? '', /on or after its start date/);
  const after = await s.db
    .selectFrom('support_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(after.n, before.n);
});

test('without consent it is held; consent through the API sends it to triage', async () => {
  const res = await inject(
    'POST',
    '/api/v1/send/requests',
    s.api.senco,
    body('Jay', { consent: 'not_yet', consent_on: null }),
  );
  assert.equal(res.statusCode, 201, res.body);
  const made = res.json() as { id: string; status: string };
  assert.equal(made.status, 'held');
  const st = (await inject('GET', `/api/v1/setting/requests/${made.id}`, s.api.senco)).json() as { missing: string };
  assert.equal(st.missing, 'Parent carer consent missing');
  const bad = await inject('POST', `/api/v1/setting/requests/${made.id}/consent`, s.api.senco, {
    consent_on: '2026-13-01',
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(
    (
      await inject('POST', `/api/v1/setting/requests/${made.id}/consent`, s.api.sencoRiverside, {
        consent_on: '2026-11-23',
      })
    ).statusCode,
    404,
  );
  const ok = await inject('POST', `/api/v1/setting/requests/${made.id}/consent`, s.api.senco, {
    consent_on: '2026-11-23',
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((ok.json() as { status: string }).status, 'waiting');
  const again = await inject('POST', `/api/v1/setting/requests/${made.id}/consent`, s.api.senco, {
    consent_on: '2026-11-23',
  });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /already recorded/);
});

test('hub staff: my hubs, a hub’s requests by status, one in full with clocks, and a phone request logged', async () => {
  const held = await s.newRequest({ given: 'Kai', consent: 'not_yet' });
  const hubs = (await inject('GET', '/api/v1/send/my-hubs', s.api.navigator)).json() as {
    items: { id: string; counts: Record<string, number> }[];
  };
  assert.deepEqual(
    hubs.items.map((h) => h.id),
    [s.hub1],
  );
  assert.ok((hubs.items[0]?.counts.held ?? 0) >= 1);
  const heldList = await inject('GET', `/api/v1/send/hubs/${s.hub1}/requests?status=held`, s.api.navigator);
  assert.equal(heldList.statusCode, 200);
  const items = (heldList.json() as { items: { id: string; status: string; missing: string | null }[] }).items;
  assert.ok(items.some((i) => i.id === held.id && i.missing === 'Parent carer consent missing'));
  assert.ok(items.every((i) => i.status === 'held'));
  assert.equal(
    (await inject('GET', `/api/v1/send/hubs/${s.hub1}/requests?status=nonsense`, s.api.navigator)).statusCode,
    400,
  );
  assert.equal((await inject('GET', `/api/v1/send/hubs/${s.hub2}/requests`, s.api.navigator)).statusCode, 404);

  const logged = await inject(
    'POST',
    '/api/v1/send/requests',
    s.api.navigator,
    body('Lia', { setting_id: s.org.settings.riverside, received_via: 'email', received_on: '2026-11-20' }),
  );
  assert.equal(logged.statusCode, 201, logged.body);
  const id = (logged.json() as { id: string }).id;
  const full = await inject('GET', `/api/v1/send/requests/${id}`, s.api.navigator);
  assert.equal(full.statusCode, 200, full.body);
  const r = full.json() as {
    received_via: string;
    setting: { id: string };
    person: { given_name: string };
    apdr_cycles: unknown[];
    step: string;
    clocks: Record<string, unknown>;
  };
  assert.equal(r.received_via, 'email');
  assert.equal(r.setting.id, s.org.settings.riverside);
  assert.equal(r.person.given_name, 'Lia');
  assert.equal(r.apdr_cycles.length, 2);
  assert.equal(r.step, 'triage');
  assert.equal(r.clocks.complete_on, '2026-11-20');
  assert.equal(r.clocks.first_response_due, '2026-12-04');
  assert.equal(r.clocks.first_response_target, 10);

  const noVia = await inject(
    'POST',
    '/api/v1/send/requests',
    s.api.navigator,
    body('Mo', { setting_id: s.org.settings.northgate }),
  );
  assert.equal(noVia.statusCode, 400);
  assert.match(noVia.body, /phone or email/);
  const social = await inject(
    'POST',
    '/api/v1/send/requests',
    s.api.admin,
    body('Ned', { setting_id: s.org.settings.northgate }),
  );
  assert.equal(social.statusCode, 403);
});
