// SEND hubs in use through the API (issue 13 part 1, /api/v1/send, org:admin): a hub read and replaced with its
// services (version-checked: 409 when stale; bad input named by field, nothing written), a locality's manager and
// team, settings added, read and changed, and accounts given to a setting (invited, or an existing one) and taken
// off; non-admins refused (403); another council's hub not found (404); the routes in the OpenAPI document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedOrganisation } from './helpers.ts';
import { hubsSetup } from './send-hubs-setup.ts';

const s = await hubsSetup('setup-api');
type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Json, payload?: Json) {
  const res = await s.app.inject({ method, url, headers: headers as Record<string, string>, payload });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Json) : {} };
}
const admin = s.api.admin;
const noServicesOf = ({ services: _s, ...rest }: Json) => rest;

test('the hubs list and one hub, with its services, for the administrator only', async () => {
  const list = await call('GET', '/api/v1/send/hubs', admin);
  assert.equal(list.status, 200);
  const items = list.body.items as Json[];
  const hub = items.find((h) => h.id === s.hub1);
  assert.equal(hub?.manager_user_id, s.users.hubManager.id);
  assert.equal(hub?.first_response_working_days, 10);
  assert.equal(hub?.settings_count, 2);
  const one = await call('GET', `/api/v1/send/hubs/${s.hub1}`, admin);
  assert.equal(one.status, 200);
  assert.ok((one.body.services as Json[]).some((x) => x.kind === 'educational_psychology'));
  assert.equal((await call('GET', '/api/v1/send/hubs', s.api.hubManager)).status, 403);
  assert.equal((await call('GET', `/api/v1/send/hubs/${s.hub1}`, s.api.senco)).status, 403);
});

test('PUT a hub: targets, day and services replaced in one go; stale 409; bad input named, nothing written', async () => {
  const before = (await call('GET', `/api/v1/send/hubs/${s.hub2}`, admin)).body;
  const body = {
    manager_user_id: s.users.hubManager.id,
    team_id: before.team_id,
    first_response_working_days: 5,
    support_start_working_days: 12,
    triage_weekday: 4,
    version: before.version,
    services: [
      { name: 'Educational psychology', kind: 'educational_psychology' },
      { name: 'Sensory support', kind: 'sensory', active: false },
    ],
  };
  const put = await call('PUT', `/api/v1/send/hubs/${s.hub2}`, admin, body);
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.first_response_working_days, 5);
  assert.equal(put.body.triage_weekday, 4);
  assert.equal(put.body.version, (before.version as number) + 1);
  const services = put.body.services as Json[];
  assert.deepEqual(
    services.map((x) => [x.name, x.active]),
    [
      ['Educational psychology', true],
      ['Sensory support', false],
    ],
  );

  // Leaving a service out deactivates it; leaving `services` out keeps them.
  const fewer = await call('PUT', `/api/v1/send/hubs/${s.hub2}`, admin, {
    ...body,
    version: put.body.version,
    services: [{ name: 'Sensory support', kind: 'sensory' }],
  });
  assert.equal(fewer.status, 200);
  assert.deepEqual(
    (fewer.body.services as Json[]).map((x) => [x.name, x.active]),
    [
      ['Sensory support', true],
      ['Educational psychology', false],
    ],
  );
  const noServices = noServicesOf(body);
  const kept = await call('PUT', `/api/v1/send/hubs/${s.hub2}`, admin, { ...noServices, version: fewer.body.version });
  assert.equal(kept.status, 200);
  assert.equal((kept.body.services as Json[]).length, 2);

  const stale = await call('PUT', `/api/v1/send/hubs/${s.hub2}`, admin, { ...body, version: before.version });
  assert.equal(stale.status, 409);
  assert.match(String(stale.body.message ?? JSON.stringify(stale.body)), /Someone else changed this hub/);

  const now = (await call('GET', `/api/v1/send/hubs/${s.hub2}`, admin)).body;
  const bad = await call('PUT', `/api/v1/send/hubs/${s.hub2}`, admin, {
    ...body,
    version: now.version,
    manager_user_id: s.users.navigator.id,
    services: [
      { name: '', kind: 'sensory' },
      { name: 'Twice', kind: 'other' },
      { name: 'twice', kind: 'other' },
    ],
  });
  assert.equal(bad.status, 400);
  const text = JSON.stringify(bad.body);
  assert.match(text, /a user with the hub manager or locality manager role/);
  assert.match(text, /services\[0\]\.name/);
  assert.match(text, /services\[2\]\.name repeats twice: name each service once/);
  const tooLong = await call('PUT', `/api/v1/send/hubs/${s.hub2}`, admin, {
    ...noServicesOf(body),
    version: now.version,
    first_response_working_days: 61,
  });
  assert.equal(tooLong.status, 400);
  assert.match(JSON.stringify(tooLong.body), /first_response_working_days must be 60 or less/);
  assert.deepEqual((await call('GET', `/api/v1/send/hubs/${s.hub2}`, admin)).body, now, 'nothing written');

  const noVersion = await call('PUT', `/api/v1/send/hubs/${s.hub2}`, admin, { ...noServices, version: undefined });
  assert.equal(noVersion.status, 400);
  assert.match(JSON.stringify(noVersion.body), /version is required/);
});

test('a locality: read with its hubs, its manager and team set', async () => {
  const hub = await s.db.selectFrom('hubs').where('id', '=', s.hub1).select('locality_id').executeTakeFirstOrThrow();
  const got = await call('GET', `/api/v1/send/localities/${hub.locality_id}`, admin);
  assert.equal(got.status, 200);
  assert.equal((got.body.hubs as Json[]).length, 2);
  const put = await call('PUT', `/api/v1/send/localities/${hub.locality_id}`, admin, {
    manager_user_id: s.users.localityManager.id,
    team_id: got.body.team_id,
    version: got.body.version,
  });
  assert.equal(put.status, 200);
  assert.equal(put.body.version, (got.body.version as number) + 1);
  assert.equal((await call('GET', `/api/v1/send/localities/${hub.locality_id}`, s.api.localityManager)).status, 403);
});

test('settings: added, listed by hub, read, changed (stale refused); accounts invited, linked and removed', async () => {
  const bad = await call('POST', '/api/v1/send/settings', admin, {
    name: 'Hillside College',
    kind: 'further_education',
    urn: '12-456',
    hub_id: s.hub2,
    inbox_email: 'nope',
  });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /Enter the URN as 6 digits/);
  assert.match(JSON.stringify(bad.body), /inbox_email/);

  const add = await call('POST', '/api/v1/send/settings', admin, {
    name: 'Hillside College',
    kind: 'further_education',
    urn: '130456',
    hub_id: s.hub2,
    inbox_email: 'additional.needs@hillside.example',
  });
  assert.equal(add.status, 201, JSON.stringify(add.body));
  const id = add.body.id as string;
  const list = await call('GET', `/api/v1/send/settings?hub_id=${s.hub2}`, admin);
  assert.deepEqual(
    (list.body.items as Json[]).map((x) => x.name),
    ['Hillside College'],
  );
  const one = await call('GET', `/api/v1/send/settings/${id}`, admin);
  assert.equal(one.body.active, true);
  assert.deepEqual(one.body.accounts, []);
  const change = {
    name: 'Hillside College of FE',
    kind: 'further_education',
    urn: null,
    hub_id: s.hub1,
    inbox_email: 'additional.needs@hillside.example',
    active: true,
    version: one.body.version,
  };
  const put = await call('PUT', `/api/v1/send/settings/${id}`, admin, change);
  assert.equal(put.status, 200);
  assert.equal(put.body.hub_id, s.hub1);
  assert.equal((await call('PUT', `/api/v1/send/settings/${id}`, admin, change)).status, 409);

  const invite = await call('POST', `/api/v1/send/settings/${id}/accounts`, admin, {
    display_name: 'Lee Learning-Support',
    email: 'lee@hillside.example',
    position: 'other',
  });
  assert.equal(invite.status, 201, JSON.stringify(invite.body));
  const link = await call('POST', `/api/v1/send/settings/${id}/accounts`, admin, {
    user_id: s.users.sencoRiverside.id,
    position: 'senco',
  });
  assert.equal(link.status, 201);
  const accounts = (await call('GET', `/api/v1/send/settings/${id}`, admin)).body.accounts as Json[];
  assert.deepEqual(accounts.map((a) => [a.email, a.position, a.invited]).sort(), [
    ['lee@hillside.example', 'other', true],
    [s.users.sencoRiverside.email, 'senco', false],
  ]);
  const removed = await call('DELETE', `/api/v1/send/settings/${id}/accounts/${invite.body.id}`, admin);
  assert.equal(removed.status, 204);
  assert.equal((await call('DELETE', `/api/v1/send/settings/${id}/accounts/${invite.body.id}`, admin)).status, 404);
  const noPosition = await call('POST', `/api/v1/send/settings/${id}/accounts`, admin, { user_id: s.users.senco.id });
  assert.equal(noPosition.status, 400);
  assert.match(JSON.stringify(noPosition.body), /position/);
});

test('another council’s hub, locality and setting are not found; the routes are in the OpenAPI document', async () => {
  const other = await seedOrganisation(s.db, 'setup-api-other');
  assert.equal((await call('GET', `/api/v1/send/hubs/${other.hubIds[0]}`, admin)).status, 404);
  assert.equal((await call('GET', `/api/v1/send/settings/${other.settings.northgate}`, admin)).status, 404);
  const put = await call('PUT', `/api/v1/send/hubs/${other.hubIds[0]}`, admin, { version: 1 });
  assert.equal(put.status, 404);
  const doc = await s.app.inject({ method: 'GET', url: '/api/docs/json' });
  const paths = Object.keys((JSON.parse(doc.body) as { paths: Json }).paths);
  for (const p of ['/api/v1/send/hubs/{hubId}', '/api/v1/send/settings', '/api/v1/send/settings/{settingId}/accounts'])
    assert.ok(paths.includes(p), p);
});
