// Finding people (issue 11 capability 11): each filter (team, allocated worker, status, age band), sort, pagination
// and recently viewed, through the pages and the API; results show the team and the allocated worker; nobody the
// viewer does not work with is ever listed; names never go into a URL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'fnd');
// Monday 23 November 2026.
const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now });
const worker = userByRole(org, 'social_worker');
const manager = userByRole(org, 'team_manager');
const north = org.teams['dct-north'] as string;
const send = org.teams['send-statutory'] as string;

let serial = 0;
async function person(
  family: string,
  dob: string,
  o: { team?: string; worker?: string | null; status?: string; endedStatus?: boolean } = {},
) {
  serial++;
  const { id } = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: `F-${serial}`,
      given_name: 'Fenna',
      family_name: family,
      date_of_birth: dob,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: id,
      team_id: o.team ?? north,
      worker_id: o.worker === undefined ? worker.id : o.worker,
      reason: 'Child in need',
      start_date: '2026-01-05',
    })
    .execute();
  if (o.status)
    await db
      .insertInto('person_statuses')
      .values({
        authority_id: org.authorityId,
        person_id: id,
        status: o.status,
        start_date: '2026-01-05',
        end_date: o.endedStatus ? '2026-02-01' : null,
      })
      .execute();
  return id;
}

// Aged 3, 16 (unallocated, disabled), 12 (the manager's, on a CP plan), 16 (a CP plan that ended), and one with another team only.
const toddler = await person('Alder', '2023-05-01', { status: 'child_in_need' });
const teen = await person('Birch', '2010-01-10', { worker: null, status: 'disabled' });
const middle = await person('Cedar', '2014-11-23', { worker: manager.id, status: 'child_protection_plan' });
const ended = await person('Damson', '2009-11-24', { status: 'child_protection_plan', endedStatus: true });
const stranger = await person('Elder', '2012-06-06', { team: send, worker: null });

const names = (html: string) => [...html.matchAll(/>Fenna (\w+)<\/a>/g)].map((m) => m[1]);

async function signedIn() {
  const b = new Browser(app);
  await b.login(worker.email);
  return b;
}

test('the list shows the people the worker works with, with team and allocated worker, and nobody else', async () => {
  const b = await signedIn();
  const res = await b.get('/people');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(names(res.body), ['Alder', 'Birch', 'Cedar', 'Damson']);
  assert.doesNotMatch(res.body, /Elder/);
  assert.match(res.body, /4 people found/);
  assert.match(res.body, /Disabled Children&#39;s Team North: Sam Social-Worker/);
  assert.match(res.body, /Disabled Children&#39;s Team North: nobody allocated/);
  assert.match(res.body, /Disabled Children&#39;s Team North: Marcus Team-Manager/);
});

test('each filter: team, allocated worker (and nobody allocated), status (open only), age band', async () => {
  const b = await signedIn();
  const cases: [string, string[]][] = [
    [`team_id=${north}`, ['Alder', 'Birch', 'Cedar', 'Damson']],
    [`team_id=${send}`, []],
    [`worker=${worker.id}`, ['Alder', 'Damson']],
    [`worker=${manager.id}`, ['Cedar']],
    ['worker=unallocated', ['Birch']],
    ['status=child_protection_plan', ['Cedar']],
    ['status=disabled', ['Birch']],
    ['status=child_in_need', ['Alder']],
    ['age=0-4', ['Alder']],
    ['age=11-15', ['Cedar']],
    // Birch is 16; Damson turns 17 tomorrow, so is 16 today too.
    ['age=16-17', ['Birch', 'Damson']],
    ['age=18-25', []],
    [`age=16-17&worker=${worker.id}`, ['Damson']],
  ];
  for (const [query, expected] of cases) {
    const res = await b.get(`/people?${query}`);
    assert.equal(res.statusCode, 200, query);
    assert.deepEqual(names(res.body), expected, query);
  }
  const none = await b.get(`/people?team_id=${send}`);
  assert.match(none.body, /0 people found/);
  assert.match(none.body, /Nobody you work with matches/);
});

test('sorting, and a filter that is not one of the choices names the field and the fix', async () => {
  const b = await signedIn();
  assert.deepEqual(names((await b.get('/people?sort=youngest')).body), ['Alder', 'Cedar', 'Birch', 'Damson']);
  assert.deepEqual(names((await b.get('/people?sort=oldest')).body), ['Damson', 'Birch', 'Cedar', 'Alder']);
  const bad = await b.get('/people?age=99&sort=size');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /govuk-error-summary/);
  assert.match(bad.body, /Choose an age band/);
  assert.match(bad.body, /Choose how to sort/);
});

test('pagination: 25 a page with GOV.UK pagination that keeps the filters', async () => {
  for (let i = 0; i < 27; i++) await person(`Page${String(i).padStart(2, '0')}`, '2015-03-03', { worker: null });
  const b = await signedIn();
  const first = await b.get('/people?worker=unallocated');
  assert.match(first.body, /28 people found/);
  assert.match(first.body, /Showing 1 to 25 of 28/);
  assert.match(first.body, /class="govuk-pagination"/);
  assert.match(first.body, /href="\/people\?worker=unallocated&amp;page=2"/);
  const second = await b.get('/people?worker=unallocated&page=2');
  assert.match(second.body, /Showing 26 to 28 of 28/);
  assert.equal(names(second.body).length, 3);
});

test('the search form: filters alone go to the list address; names are searched by POST and never put in a URL', async () => {
  const b = await signedIn();
  const filters = await b.post('/people/search', { status: 'child_protection_plan', sort: 'name' });
  assert.equal(filters.statusCode, 303);
  assert.equal(filters.headers.location, '/people?status=child_protection_plan');
  const byName = await b.post('/people/search', { name: 'fenna bir', age: '16-17' });
  assert.equal(byName.statusCode, 200);
  assert.deepEqual(names(byName.body), ['Birch']);
  const hidden = await b.post('/people/search', { name: 'elder' });
  assert.match(hidden.body, /0 people found/);
  const empty = await b.post('/people/search', {});
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter a name, date of birth, NHS number, UPN or case number to search/);
});

test('recently viewed: the records the worker opened, newest first, only while they may still open them', async () => {
  const b = await signedIn();
  assert.equal((await b.get(`/people/${teen}`)).statusCode, 200);
  assert.equal((await b.get(`/people/${toddler}`)).statusCode, 200);
  const list = await b.get('/people');
  const recent = /<ul class="govuk-list" id="recently-viewed">([\s\S]*?)<\/ul>/.exec(list.body)?.[1] ?? '';
  assert.deepEqual(names(recent), ['Alder', 'Birch']);
  // Another worker's list is their own.
  const other = new Browser(app);
  await other.login(manager.email);
  assert.doesNotMatch((await other.get('/people')).body, /id="recently-viewed"/);
  // Once the team no longer works with Birch, Birch leaves the worker's recently viewed too.
  await db.updateTable('involvements').set({ end_date: '2026-11-23' }).where('person_id', '=', teen).execute();
  const after = await b.get('/people');
  const recentAfter = /id="recently-viewed">([\s\S]*?)<\/ul>/.exec(after.body)?.[1] ?? '';
  assert.deepEqual(names(recentAfter), ['Alder']);
  void middle;
  void ended;
  void stranger;
});

test('the API: the same filters, sort and pages, with team and worker on each person', async () => {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: worker.id, token_hash: sha256(token), label: 'test' })
    .execute();
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const res = await get(`/api/v1/people?worker=${manager.id}`);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as { items: { family_name: string; teams: unknown[] }[]; total: number; pages: number };
  assert.deepEqual(
    body.items.map((p) => p.family_name),
    ['Cedar'],
  );
  assert.deepEqual(body.items[0]?.teams, [{ team: "Disabled Children's Team North", worker: 'Marcus Team-Manager' }]);
  assert.equal(body.total, 1);
  const young = (await get('/api/v1/people?age=0-4&sort=youngest')).json() as { items: { family_name: string }[] };
  assert.deepEqual(
    young.items.map((p) => p.family_name),
    ['Alder'],
  );
  const bad = await get('/api/v1/people?status=sleeping');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose a status from the list/);
  const search = await app.inject({
    method: 'POST',
    url: '/api/v1/people/search',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: 'Fenna', status: 'child_in_need' },
  });
  assert.equal(search.statusCode, 200, search.body);
  assert.deepEqual(
    (search.json() as { items: { family_name: string }[] }).items.map((p) => p.family_name),
    ['Alder'],
  );
});
