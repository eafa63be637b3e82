// Owner pickers that scale (issue 11 capability 13): a team of 1,500 staff is never one list; the choice is searched
// on the server within the team or service; the IT administrator (or any role that holds no cases) is never offered
// and is refused if sent anyway. Checked on the allocation page, the engine's reassign form and the search API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Browser } from './helpers.ts';
import { reallocationSetup } from './reallocation-setup.ts';

const { db, org, app, team, manager, sam, admin, person, stepFor, actionFor, tokenFor } =
  await reallocationSetup('opk');
const { service_id: csc } = await db
  .selectFrom('users')
  .where('id', '=', sam.id)
  .select('service_id')
  .executeTakeFirstOrThrow();

// A team of 1,500 caseworkers in the same service, with the IT administrator and the manager in it too.
const { id: big } = await db
  .insertInto('teams')
  .values({ authority_id: org.authorityId, service_id: csc as string, name: 'Countywide Team' })
  .returning('id')
  .executeTakeFirstOrThrow();
const staff = await db
  .insertInto('users')
  .values(
    Array.from({ length: 1500 }, (_, i) => ({
      authority_id: org.authorityId,
      email: `worker${i}.opk@example.test`,
      display_name: `Casey Worker${String(i).padStart(4, '0')}`,
      job_title: i % 2 ? 'Social Worker' : 'Family Support Worker',
      roles: ['social_worker'],
      service_id: csc,
    })),
  )
  .returning('id')
  .execute();
await db
  .insertInto('team_members')
  .values([...staff, admin, manager].map((u) => ({ team_id: big, user_id: u.id })))
  .execute();
const radios = (html: string, name: string) =>
  (html.match(new RegExp(`name="${name}" type="radio"`, 'g')) ?? []).length;

test('allocation page: a team of 1,500 is searched, a page of matches at a time, and the IT admin is never offered', async () => {
  const p = await person();
  const { id: inv } = await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: big,
      reason: 'Child in need',
      start_date: '2026-11-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const marcus = new Browser(app);
  await marcus.login(manager.email);
  const url = `/people/${p.id}/involvements/${inv}/allocate`;
  const first = await marcus.get(url);
  assert.equal(first.statusCode, 200);
  assert.equal(radios(first.body, 'worker_id'), 0, 'nobody listed before a search');
  assert.match(first.body, /There are 1501 people to choose from/);
  assert.match(first.body, /<input[^>]*name="q"[^>]*form="worker-search"|<input[^>]*form="worker-search"[^>]*name="q"/);
  assert.match(first.body, new RegExp(`<form id="worker-search" method="get" action="${url}"`));

  const some = await marcus.get(`${url}?q=worker01`);
  assert.equal(radios(some.body, 'worker_id'), 20, 'twenty matches at most');
  assert.match(some.body, /More people match: search for a fuller name/);
  const one = await marcus.get(`${url}?q=${encodeURIComponent('Casey Worker0042')}`);
  assert.equal(radios(one.body, 'worker_id'), 1);
  assert.match(one.body, /Casey Worker0042/);
  for (const q of ['IT-Admin', 'Nadia', 'Systems Administrator']) {
    const none = await marcus.get(`${url}?q=${encodeURIComponent(q)}`);
    assert.equal(radios(none.body, 'worker_id'), 0, q);
    assert.doesNotMatch(none.body, new RegExp(admin.id));
  }
  // Sent anyway, the IT administrator is refused with the field named; a caseworker found by search is allocated.
  const version = String(
    (await db.selectFrom('involvements').where('id', '=', inv).select('version').executeTakeFirstOrThrow()).version,
  );
  const refused = await marcus.post(url, { worker_id: admin.id, version });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /href="#worker_id">Choose a worker who is a member of Countywide Team/);
  const ok = await marcus.post(url, { worker_id: staff[42]?.id as string, version });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 400));
});

test('allocation page: a short team is a list of radios, without the IT admin', async () => {
  const p = await person();
  const marcus = new Browser(app);
  await marcus.login(manager.email);
  const page = await marcus.get(`/people/${p.id}/involvements/${p.involvementId}/allocate`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /name="q"/);
  assert.match(page.body, /Sam Social-Worker \(allocated now\)/);
  assert.match(page.body, /Riley Second-Worker/);
  assert.doesNotMatch(page.body, new RegExp(admin.id));
});

test('reassign form: the step’s service is searched (never the whole council), and the IT admin is refused', async () => {
  const p = await person();
  const stepId = await stepFor(p.id);
  const { instance_id: instanceId, version } = await db
    .selectFrom('protocol_steps')
    .where('id', '=', stepId)
    .select(['instance_id', 'version'])
    .executeTakeFirstOrThrow();
  const marcus = new Browser(app);
  await marcus.login(manager.email);
  const url = `/people/${p.id}/protocols/${instanceId}`;
  const page = await marcus.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Pass this step to someone else/);
  assert.match(page.body, /people to choose from/);
  assert.equal(radios(page.body, 'owner_user_id'), 0);
  const found = await marcus.get(`${url}?q=Worker0007`);
  assert.equal(radios(found.body, 'owner_user_id'), 1);
  assert.doesNotMatch((await marcus.get(`${url}?q=Nadia`)).body, new RegExp(admin.id));

  const post = `${url}/steps/${stepId}/reassign`;
  const refused = await marcus.post(post, { owner_user_id: admin.id, version: String(version) });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /href="#owner_user_id">Choose the new owner from the people offered/);
  const ok = await marcus.post(post, { owner_user_id: staff[7]?.id as string, version: String(version) });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 400));
});

test('search API: one team or service of your council, 20 at most, never the IT admin', async () => {
  const auth = await tokenFor(manager.id);
  const get = (qs: string) => app.inject({ method: 'GET', url: `/api/v1/staff/search?${qs}`, headers: auth });
  const all = await get(`team_id=${big}`);
  assert.equal(all.statusCode, 200, all.body);
  assert.equal(all.json().items.length, 20);
  const one = await get(`team_id=${big}&q=${encodeURIComponent('worker0042')}`);
  assert.deepEqual(
    one.json().items.map((i: { name: string }) => i.name),
    ['Casey Worker0042'],
  );
  assert.equal((await get(`team_id=${big}&q=Nadia`)).json().items.length, 0);
  assert.equal((await get(`team_id=${team}&q=Nadia`)).json().items.length, 0);
  assert.equal((await get(`service_id=${csc}&q=Worker1499`)).json().items.length, 1);
  const neither = await get('q=Casey');
  assert.equal(neither.statusCode, 400);
  assert.match(neither.body, /Give either team_id or service_id/);
  assert.equal((await get('team_id=00000000-0000-4000-8000-000000000000')).statusCode, 400);
  const adminApi = await tokenFor(admin.id);
  const refused = await app.inject({ method: 'GET', url: `/api/v1/staff/search?team_id=${big}`, headers: adminApi });
  assert.equal(refused.statusCode, 403);
});

test('plan action owner: chosen within one service, searched when long, never the IT admin', async () => {
  const p = await person();
  await actionFor(p.id);
  const b = new Browser(app);
  await b.login(sam.email);
  const url = `/people/${p.id}/plan/actions/new`;
  const options = (html: string) => (html.match(/<option value="[0-9a-f-]{36}"/g) ?? []).length;
  const ownerSelect = (html: string) =>
    html.slice(html.indexOf('id="owner_user_id"'), html.indexOf('id="owner_service_id"'));
  const first = await b.get(url);
  assert.equal(first.statusCode, 200);
  assert.match(first.body, /There are \d{4} people in this service: search to list them/);
  assert.equal(options(ownerSelect(first.body)), 0, 'nobody listed before a search');
  const found = await b.get(`${url}?service=${csc}&q=${encodeURIComponent('Worker0042')}`);
  assert.match(ownerSelect(found.body), /Casey Worker0042/);
  assert.equal(options(ownerSelect(found.body)), 1);
  const none = await b.get(`${url}?service=${csc}&q=Nadia`);
  assert.doesNotMatch(none.body, new RegExp(admin.id));
});
