// The transitional safeguarding cohort and the system blocks register (issue 12 part 11): screenings at known dates
// (the app's clock moved for each), so the counts by level now, with each filter, and at each month's end (the SVG
// chart and the table beside it, the CSV, the API) are known; bad filters name the field. System blocks: added
// (error summary, nothing written, banner), linked to cases from the record, resolved, and listed in one register
// with the gap-vs-capacity entries of plan actions (page, CSV, API).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextualSetup, HIGH, LOW, MEDIUM, summaryLinks } from './contextual-setup.ts';

const { db, app, org, clock, lead, sam, api, browser, youngPerson, screen, count } = await contextualSetup('coh');

const at = (day: string) => clock.set(`${day}T10:00:00Z`);
const status = (personId: string, s: string) =>
  db
    .insertInto('person_statuses')
    .values({ authority_id: org.authorityId, person_id: personId, status: s, start_date: '2025-01-01' } as never)
    .execute();

// P1, 14: SEND (SEN support), screened medium on 10 June, never confirmed.
const p1 = await youngPerson({ team: 'dct-north', worker: sam.id, given: 'Priya', family: 'One', dob: '2012-03-01' });
await status(p1, 'sen_support');
at('2026-06-10');
await screen(p1, api.sam, {
  answers: (await import('./contextual-setup.ts')).answers(MEDIUM),
  send_or_learning_disability: true,
});
// P2, 16: in care, with emotional wellbeing support; low on 5 August, re-screened high on 20 October.
const p2 = await youngPerson({ team: 'dct-north', worker: sam.id, given: 'Paul', family: 'Two', dob: '2010-01-15' });
await status(p2, 'child_in_care');
await status(p2, 'emotional_wellbeing');
const { answers } = await import('./contextual-setup.ts');
at('2026-08-05');
await screen(p2, api.sam, { answers: answers(LOW) });
at('2026-10-20');
await screen(p2, api.sam, { answers: answers(HIGH), reason: 'review' });
// P3, 20: a care leaver; screened high today, the lead confirms medium with a reason.
at('2026-11-23');
const p3 = await youngPerson({
  team: 'exploitation-hub',
  worker: lead.id,
  given: 'Pearl',
  family: 'Three',
  dob: '2006-05-05',
});
await status(p3, 'care_leaver');
const s3 = await screen(p3, api.lead, { answers: answers(HIGH) });
const confirmed = await app.inject({
  method: 'POST',
  url: `/api/v1/people/${p3}/screenings/${s3}/confirm`,
  headers: api.lead,
  payload: { level: 'medium', reason: 'Protective factors: stable tenancy and engaged with the hub' },
});
assert.equal(confirmed.statusCode, 200, confirmed.body);

const leadPage = await browser(lead.email);
const samPage = await browser(sam.email);

const cohortApi = async (query = '') => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/cohort${query}`, headers: api.lead });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as {
    levels: string[];
    now: Record<string, number>;
    total: number;
    history: { month: string; asOf: string; counts: Record<string, number> }[];
  };
};

test('counts by level now, and with each filter (API and page)', async () => {
  const all = await cohortApi();
  assert.deepEqual(all.levels, ['low', 'medium', 'high']);
  assert.deepEqual(all.now, { medium: 2, high: 1 });
  assert.equal(all.total, 3);
  const cases: [string, Record<string, number>][] = [
    ['age_band=11-15', { medium: 1 }],
    ['age_band=16-17', { high: 1 }],
    ['age_band=18-25', { medium: 1 }],
    ['level=high', { high: 1 }],
    ['level=medium', { medium: 2 }],
    ['level=low', {}],
    ['send=yes', { medium: 1 }],
    ['send=no', { medium: 1, high: 1 }],
    ['care=child_in_care', { high: 1 }],
    ['care=care_leaver', { medium: 1 }],
    ['care=child_protection_plan', {}],
    ['wellbeing=yes', { high: 1 }],
    ['wellbeing=no', { medium: 2 }],
    ['age_band=16-17&wellbeing=no', {}],
    ['age_band=18-25&care=care_leaver&level=medium', { medium: 1 }],
  ];
  for (const [q, expected] of cases) assert.deepEqual((await cohortApi(`?${q}`)).now, expected, q);

  const page = await leadPage.get('/cohort?age_band=16-17');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Open now: 1/);
  const nowTable = /<table class="govuk-table" id="counts-now">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
  const cells = [...nowTable.matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.deepEqual(cells, [0, 0, 1, 1], 'low, medium, high, total');
  assert.match(page.body, /<option value="16-17" selected>/);
  // Who may see it: cohort:read only.
  assert.equal((await samPage.get('/cohort')).statusCode, 403);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/cohort', headers: api.sam })).statusCode, 403);
});

test('counts at each month end: the table, the chart and the CSV agree with the screenings', async () => {
  const { history } = await cohortApi();
  assert.equal(history.length, 12);
  assert.deepEqual(history[0], { month: '2025-12', asOf: '2025-12-31', counts: {} });
  const byMonth = Object.fromEntries(history.map((h) => [h.month, h.counts]));
  assert.deepEqual(byMonth['2026-05'], {});
  assert.deepEqual(byMonth['2026-06'], { medium: 1 });
  assert.deepEqual(byMonth['2026-07'], { medium: 1 });
  assert.deepEqual(byMonth['2026-08'], { low: 1, medium: 1 });
  assert.deepEqual(byMonth['2026-09'], { low: 1, medium: 1 });
  assert.deepEqual(byMonth['2026-10'], { medium: 1, high: 1 });
  assert.deepEqual(byMonth['2026-11'], { medium: 2, high: 1 });
  assert.equal(history[11]?.asOf, '2026-11-23', 'this month is counted to today');

  const page = await leadPage.get('/cohort');
  const table = /<table class="govuk-table govuk-body-s" id="counts-history">[\s\S]*?<\/table>/.exec(page.body)?.[0];
  assert.ok(table, 'the table beside the chart');
  const row = (month: string) =>
    [
      ...(new RegExp(`<th scope="row"[^>]*>${month}</th>([\\s\\S]*?)</tr>`).exec(table)?.[1] ?? '').matchAll(
        /<td[^>]*>(\d+)<\/td>/g,
      ),
    ].map((m) => Number(m[1]));
  assert.deepEqual(row('2026-08'), [1, 1, 0]);
  assert.deepEqual(row('2026-10'), [0, 1, 1]);
  assert.deepEqual(row('2026-11'), [0, 2, 1]);
  // The chart: an image with a title and a description, one segment per level and month with a count.
  const svg = /<svg viewBox[\s\S]*?<\/svg>/.exec(page.body)?.[0] ?? '';
  assert.match(svg, /role="img" aria-labelledby="chart-title chart-desc"/);
  assert.match(svg, /tallest 3\./);
  const segments = [...svg.matchAll(/<rect [^>]*><title>([^<]+)<\/title><\/rect>/g)].map((m) => m[1]);
  assert.deepEqual(segments, [
    '2026-06: medium 1',
    '2026-07: medium 1',
    '2026-08: low 1',
    '2026-08: medium 1',
    '2026-09: low 1',
    '2026-09: medium 1',
    '2026-10: medium 1',
    '2026-10: high 1',
    '2026-11: medium 2',
    '2026-11: high 1',
  ]);

  const csv = await leadPage.get('/cohort.csv');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(lines[0], 'month,as_of,low,medium,high,total');
  assert.ok(lines.includes('2026-08,2026-08-31,1,1,0,2'));
  assert.ok(lines.includes('2026-11,2026-11-23,0,2,1,3'));
  assert.equal(lines.at(-1), 'open now,2026-11-23,0,2,1,3');
  const filtered = await leadPage.get('/cohort.csv?send=yes');
  assert.equal(filtered.body.trim().split('\r\n').at(-1), 'open now,2026-11-23,0,1,0,1');
});

test('bad filters: the error summary names the field and the fix (page 400, API 400)', async () => {
  const page = await leadPage.get('/cohort?level=extreme&age_band=30-40');
  assert.equal(page.statusCode, 400);
  assert.match(page.body, /<title>Error: Transitional safeguarding cohort/);
  const links = summaryLinks(page.body);
  assert.deepEqual(
    links.map((l) => l.href),
    ['#age_band'],
  );
  assert.match(links[0]?.text ?? '', /Choose the age band: 11 to 15, 16 to 17 or 18 to 25/);
  const level = await leadPage.get('/cohort?level=extreme');
  assert.equal(level.statusCode, 400);
  assert.match(summaryLinks(level.body)[0]?.text ?? '', /Choose a level from the list: low, medium, high/);
  const viaApi = await app.inject({ method: 'GET', url: '/api/v1/cohort?level=extreme', headers: api.lead });
  assert.equal(viaApi.statusCode, 400);
  assert.match(viaApi.json().fields.level, /Choose a level from the list/);
  assert.equal((await leadPage.get('/cohort.csv?care=orphanage')).statusCode, 400);
});

test('system blocks: added, linked to cases, resolved; one register with the gap-vs-capacity entries', async () => {
  // A capacity problem recorded on a plan action (the Devon gap-vs-capacity register).
  const plan = await db
    .insertInto('plans')
    .values({ authority_id: org.authorityId, person_id: p3, created_by: lead.id } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('plan_actions')
    .values({
      authority_id: org.authorityId,
      plan_id: plan.id,
      person_id: p3,
      description: 'Find supported accommodation from 18',
      issue_type: 'capacity',
      commissioning_area: 'Supported living',
      status: 'in_progress',
      due_date: '2026-12-20',
    } as never)
    .execute();

  // Add one through the page: empty first.
  const before = await count('system_blocks');
  assert.equal((await leadPage.get('/system-blocks/new')).statusCode, 200);
  const bad = await leadPage.post('/system-blocks', { description: '' });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    summaryLinks(bad.body).map((l) => l.href),
    ['#kind', '#description'],
  );
  assert.match(bad.body, /Enter what stood in the way. Do not name the young person/);
  assert.equal(await count('system_blocks'), before);
  const ok = await leadPage.post('/system-blocks', {
    kind: 'housing_18_25',
    description: 'No supported housing for care leavers at risk of exploitation',
  });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/system-blocks?saved=raised');
  const register = await leadPage.get('/system-blocks?saved=raised');
  assert.match(register.body, /govuk-notification-banner--success[\s\S]*System block added/);
  // And one through the API.
  const badApi = await app.inject({
    method: 'POST',
    url: '/api/v1/system-blocks',
    headers: api.lead,
    payload: { kind: 'nothing', description: 'x' },
  });
  assert.equal(badApi.statusCode, 400);
  assert.match(badApi.body, /kind/);
  const viaApi = await app.inject({
    method: 'POST',
    url: '/api/v1/system-blocks',
    headers: api.lead,
    payload: { kind: 'adult_services_threshold', description: 'Adult services threshold not met at 18' },
  });
  assert.equal(viaApi.statusCode, 201, viaApi.body);
  assert.equal(await count('system_blocks'), before + 2);
  const housing = (
    await db.selectFrom('system_blocks').where('kind', '=', 'housing_18_25').select('id').executeTakeFirstOrThrow()
  ).id;
  const threshold = viaApi.json().id as string;

  // Linked to cases from the young people's records: Sam on P1's, the lead on P3's.
  await samPage.get(`/people/${p1}/contextual`);
  const noBlock = await samPage.post(`/people/${p1}/system-blocks`, { block_id: '', note: '' });
  assert.equal(noBlock.statusCode, 400);
  assert.deepEqual(
    summaryLinks(noBlock.body).map((l) => l.href),
    ['#block_id'],
  );
  const linked = await samPage.post(`/people/${p1}/system-blocks`, { block_id: housing, note: 'Needs a move at 18' });
  assert.equal(linked.statusCode, 303);
  const section = await samPage.get(String(linked.headers.location));
  assert.match(section.body, /System block recorded on the case/);
  assert.match(section.body, /Housing for 18 to 25 year olds<\/a>: No supported housing/);
  await leadPage.get(`/people/${p3}/contextual`);
  assert.equal((await leadPage.post(`/people/${p3}/system-blocks`, { block_id: housing })).statusCode, 303);
  assert.equal((await leadPage.post(`/people/${p3}/system-blocks`, { block_id: threshold })).statusCode, 303);
  // Not on a case the user does not work with.
  assert.equal((await samPage.post(`/people/${p3}/system-blocks`, { block_id: threshold })).statusCode, 403);

  const regApi = async () =>
    (await app.inject({ method: 'GET', url: '/api/v1/system-blocks', headers: api.lead })).json() as {
      blocks: { id: string; status: string; cases: number; version: number }[];
      gaps: { issue_type: string; area: string; people: number; open: number }[];
    };
  let reg = await regApi();
  assert.equal(reg.blocks.find((b) => b.id === housing)?.cases, 2);
  assert.equal(reg.blocks.find((b) => b.id === threshold)?.cases, 1);
  assert.deepEqual(
    reg.gaps.map((g) => [g.issue_type, g.area, g.people, g.open]),
    [['capacity', 'Supported living', 1, 1]],
  );

  // Resolve: empty names the field (linked to the right box), a stale version is refused, then resolved.
  const reg1 = await leadPage.get('/system-blocks');
  assert.match(reg1.body, /Gap vs capacity \(plan actions\)[\s\S]*Capacity \(service full\)/);
  const empty = await leadPage.post(`/system-blocks/${housing}/resolve`, { version: '1', what_changed: '' });
  assert.equal(empty.statusCode, 400);
  const emptyLinks = summaryLinks(empty.body);
  assert.deepEqual(
    emptyLinks.map((l) => l.href),
    [`#what_changed-${housing}`],
  );
  assert.match(empty.body, new RegExp(`id="what_changed-${housing}"`), 'the summary links to the box on the page');
  const stale = await leadPage.post(`/system-blocks/${housing}/resolve`, { version: '9', what_changed: 'x' });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /Someone else changed this/);
  const resolved = await leadPage.post(`/system-blocks/${housing}/resolve`, {
    version: '1',
    what_changed: 'Housing agreed a protocol for supported lodgings from 17½',
  });
  assert.equal(resolved.statusCode, 303);
  const after = await leadPage.get(String(resolved.headers.location));
  assert.match(after.body, /System block resolved/);
  assert.match(after.body, /What changed: Housing agreed a protocol/);
  reg = await regApi();
  assert.equal(reg.blocks.find((b) => b.id === housing)?.status, 'resolved');
  assert.equal(
    (await leadPage.post(`/system-blocks/${housing}/resolve`, { version: '2', what_changed: 'y' })).statusCode,
    400,
  );
  // A resolved block is no longer offered on a record.
  const offered = await leadPage.get(`/people/${p3}/contextual`);
  assert.doesNotMatch(offered.body, new RegExp(`<option value="${housing}"`));
  assert.match(offered.body, new RegExp(`<option value="${threshold}"`));

  const csv = await leadPage.get('/system-blocks.csv');
  assert.equal(csv.statusCode, 200);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(lines[0], 'source,kind,description,service,area,status,cases,open,raised_on,what_changed');
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        'System blocks,Housing for 18 to 25 year olds,No supported housing for care leavers at risk of exploitation,,,resolved,2,,2026-11-23,',
      ),
    ),
    lines.join('\n'),
  );
  assert.ok(lines.some((l) => l.startsWith('System blocks,Adult services threshold not met,')));
  assert.ok(
    lines.some((l) =>
      /^Gap vs capacity \(plan actions\),Capacity \(service full\),,[^,]*,Supported living,open,1,1,,$/.test(l),
    ),
    lines.join('\n'),
  );
  // cohort:read only.
  assert.equal((await samPage.get('/system-blocks')).statusCode, 403);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/system-blocks', headers: api.sam })).statusCode, 403);
});
