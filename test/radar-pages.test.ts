// The radar a page at a time (issue 14 part 6): each list is counted whole, and its named rows are read 50 at a time
// from the viewer's caseload; the pages together are exactly the list's named rows, in the list's order (the same
// rows the whole CSV export gives); only the rows shown are access-logged; the page keeps the filters in its
// pagination links. And the 25th-birthday list's range of birth dates agrees with the end of the academic year of
// the 25th birthday for every birth date around the boundaries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endOfAcademicYearOf25th } from '../src/modules/ehc-plan-changes/dates.ts';
import { bornByForEndAt25 } from '../src/modules/radar/repository.ts';
import { tokenFor } from './contextual-setup.ts';
import { fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'rpg');
const clock = fixedClock('2026-12-07T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const sm = userByRole(org, 'service_manager');
const worker = userByRole(org, 'social_worker');
const asSm = await tokenFor(db, sm.id);
const csc = await db
  .selectFrom('services')
  .where('authority_id', '=', org.authorityId)
  .where('kind', '=', 'childrens')
  .select('id')
  .executeTakeFirstOrThrow();
const newTeam = async (name: string) =>
  (
    await db
      .insertInto('teams')
      .values({ authority_id: org.authorityId, service_id: csc.id, name })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const one = await newTeam('Paged Team One');
const two = await newTeam('Paged Team Two');
await db.insertInto('team_members').values({ team_id: one, user_id: sm.id }).execute();

// 120 young people turning 18 within the year in Team One (named to the service manager), 5 in Team Two (counted).
const mine: string[] = [];
for (let i = 0; i < 125; i++) {
  const id = await personInTeam(db, {
    authorityId: org.authorityId,
    team: i < 120 ? one : two,
    worker: i < 120 ? worker.id : null,
    caseNumber: `RPG${String(i).padStart(4, '0')}`,
    givenName: 'Paged',
    familyName: `Person${i}`,
    // Two a day from 8 December 2008, so some share a birthday and the order falls back to the id.
    dateOfBirth: new Date(Date.UTC(2008, 11, 8 + Math.floor(i / 2))).toISOString().slice(0, 10),
  });
  if (i < 120) mine.push(id);
}

interface List {
  key: string;
  total: number;
  named: number;
  others: number;
  page: number;
  pages: number;
  rows: { personId: string; on: string }[];
}
const headline = async (query = '') => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/radar?months=12${query}`, headers: asSm });
  assert.equal(r.statusCode, 200, r.body);
  return (r.json() as { lists: List[] }).lists.find((l) => l.key === 'turning18') as List;
};
const radarReads = () =>
  db.selectFrom('access_log').where('user_id', '=', sm.id).where('purpose', '=', 'radar').select('person_id').execute();

test('each list is counted whole and named a page of 50 at a time; the pages are the whole list, in order', async () => {
  const first = await headline();
  assert.deepEqual(
    [first.total, first.named, first.others, first.page, first.pages, first.rows.length],
    [125, 120, 5, 1, 3, 50],
  );
  const pages = [first, await headline('&list=turning18&page=2'), await headline('&list=turning18&page=3')];
  assert.deepEqual(
    pages.map((p) => [p.page, p.rows.length]),
    [
      [1, 50],
      [2, 50],
      [3, 20],
    ],
  );
  const paged = pages.flatMap((p) => p.rows.map((r) => r.personId));
  assert.equal(new Set(paged).size, 120, 'no row on two pages');
  assert.deepEqual(new Set(paged), new Set(mine));
  // In the list's order: by the 18th birthday (then the id).
  const dates = pages.flatMap((p) => p.rows.map((r) => r.on));
  assert.deepEqual(dates, [...dates].sort());
  // The CSV export is whole, and in the same order as the pages.
  const csv = await app.inject({ method: 'GET', url: '/radar.csv?list=turning18&months=12', headers: asSm });
  const cases = csv.body.trim().split('\r\n').slice(1, 121);
  const byId = new Map(
    (await db.selectFrom('people').where('id', 'in', paged).select(['id', 'case_number']).execute()).map((p) => [
      p.id,
      p.case_number,
    ]),
  );
  assert.deepEqual(
    cases.map((line) => line.split(',')[0]?.replaceAll('"', '')),
    paged.map((id) => byId.get(id)),
  );
  // Another list's paging leaves this one on its first page; past the last page there are no rows, and the counts
  // are still given.
  assert.equal((await headline('&list=pfa&page=2')).page, 1);
  const past = await headline('&list=turning18&page=9');
  assert.deepEqual([past.rows.length, past.named, past.total], [0, 120, 125]);
});

test('only the rows shown are access-logged', async () => {
  const before = (await radarReads()).length;
  const second = await headline('&list=turning18&page=2');
  const logged = (await radarReads()).slice(before).map((r) => r.person_id);
  assert.deepEqual(new Set(logged), new Set(second.rows.map((r) => r.personId)));
  assert.equal(logged.length, 50);
});

test('the page: its caption, pagination links keeping the filters, and a page past the end', async () => {
  const r = await app.inject({ method: 'GET', url: `/radar?months=12&team=${one}`, headers: asSm });
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /120 you work with: page 1 of 3/);
  assert.match(r.body, /<nav class="govuk-pagination"/);
  assert.match(
    r.body,
    new RegExp(`href="/radar\\?months=12&amp;team=${one}&amp;list=turning18&amp;page=2#list-turning18"`),
  );
  const past = await app.inject({ method: 'GET', url: '/radar?months=12&list=turning18&page=7', headers: asSm });
  assert.equal(past.statusCode, 200);
  assert.match(past.body, /There is no page 7: 120 you work with are on 3 pages/);
  const bad = await app.inject({ method: 'GET', url: '/radar?list=everyone&page=0', headers: asSm });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose the list to page through/);
  assert.match(bad.body, /Enter a page number, 1 or more/);
});

test('the 25th birthday as a range of birth dates agrees with the end of the academic year, day by day', () => {
  const day = (n: number) => new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  for (const horizon of ['2027-07-30', '2027-07-31', '2027-08-01', '2027-12-07', '2028-02-29', '2028-01-01']) {
    const cut = bornByForEndAt25(horizon);
    for (let n = 0; n < 1100; n++) {
      const dob = day(n);
      assert.equal(dob <= cut, endOfAcademicYearOf25th(dob) <= horizon, `${dob} against ${horizon}`);
    }
  }
});
