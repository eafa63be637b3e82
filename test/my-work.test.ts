// My work (issue 11 defect 2): one list of everything assigned to me and my teams, overdue first, each row saying
// what, for whom (the name only where I may open the record, else the reference), due when, and where to act;
// filtered, sorted and paged; the same list as JSON. Tried on the demo council, as its people would.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { DEMO_AUTHORITY_CODE, ensureDemo } from '../src/modules/demo/seed.ts';
import { Browser, fixedClock, testApp, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const TODAY = '2026-11-23';
const clock = fixedClock(`${TODAY}T10:00:00Z`);
await ensureDemo(db, { config: testConfig(), now: clock.now });
const app = await testApp(db, { now: clock.now });
const authority = await db
  .selectFrom('authorities')
  .where('code', '=', DEMO_AUTHORITY_CODE)
  .select('id')
  .executeTakeFirstOrThrow();
const userId = async (email: string) =>
  (await db.selectFrom('users').where('email', '=', email).select('id').executeTakeFirstOrThrow()).id;

async function signedIn(email: string) {
  const b = new Browser(app);
  await b.login(email);
  return b;
}

/** The rows of My work as the page shows them: what, for whom, due (the datetime) and the link. */
function rows(html: string) {
  return [...html.matchAll(/<li class="app-work__item">([\s\S]*?)<\/li>/g)].map((m) => {
    const li = m[1] as string;
    return {
      kind: /<p class="govuk-body-s[^"]*">([^<·]+)/.exec(li)?.[1]?.trim() ?? '',
      link: /href="([^"]+)"/.exec(li)?.[1] ?? '',
      what: /<a class="govuk-link app-work__text" href="[^"]+">([^<]+)<\/a>/.exec(li)?.[1] ?? '',
      who: (/For: ([\s\S]*?)<\/p>/.exec(li)?.[1] ?? '').replace(/<[^>]+>/g, '').trim(),
      due: /<time datetime="([^"]+)">/.exec(li)?.[1] ?? null,
      overdue: /Overdue/.test(li),
    };
  });
}

async function apiAs(email: string, query: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: await userId(email), token_hash: sha256(token), label: 'my-work test' })
    .execute();
  return app.inject({ method: 'GET', url: `/api/v1/my-work${query}`, headers: { authorization: `Bearer ${token}` } });
}

test('the advice giver’s My work lists the advice requests addressed to them, the overdue ones first, by reference', async () => {
  const b = await signedIn('advice.giver@demoshire.example');
  // Every page of it (the demo gives the advice giver more than one page).
  const page = await b.get('/');
  assert.equal(page.statusCode, 200);
  const list = rows(page.body);
  let bodies = page.body;
  for (let n = 2, last = page.body; /rel="next"/.test(last) && n < 50; n++) {
    last = (await b.get(`/?page=${n}`)).body;
    bodies += last;
    list.push(...rows(last));
  }
  const requests = await db
    .selectFrom('ehcp_advice_requests as r')
    .innerJoin('users as u', 'u.id', 'r.giver_user_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .where('u.email', '=', 'advice.giver@demoshire.example')
    .where('r.status', '=', 'requested')
    .select(['r.id', 'r.due_date', 'p.given_name', 'p.family_name', 'p.case_number'])
    .execute();
  const overdue = requests.filter((r) => r.due_date < TODAY);
  assert.ok(overdue.length >= 2, 'the demo has 2 overdue advice requests');
  for (const r of requests) {
    const row = list.find((x) => x.link === `/advice/${r.id}`);
    assert.ok(row, `advice request due ${r.due_date} is on My work`);
    assert.equal(row.due, r.due_date);
    assert.match(row.what, /Give your health advice/);
    // An advice giver never opens the record: the reference, never the name.
    assert.match(row.who, new RegExp(`^${r.case_number}/advice-`));
    assert.doesNotMatch(bodies, new RegExp(r.family_name));
  }
  // Overdue first, each marked; the date readable, the datetime ISO.
  const firstOverdue = list.slice(0, overdue.length);
  assert.ok(
    firstOverdue.every((x) => x.overdue),
    'overdue rows come first',
  );
  assert.match(bodies, /<time datetime="2026-11-15">15 November 2026<\/time>/);
  assert.doesNotMatch(page.body, /Nothing is waiting on you/);
});

test('a worker’s My work holds their plan actions (once each), their cases and their protocol steps, with names', async () => {
  const b = await signedIn('social.worker@demoshire.example');
  const me = await userId('social.worker@demoshire.example');
  const actions = await db
    .selectFrom('plan_actions')
    .where('owner_user_id', '=', me)
    .where('status', 'in', ['not_started', 'in_progress'])
    .select(['id', 'person_id', 'chase_instance_id'])
    .execute();
  assert.ok(actions.length > 0);
  const all = [];
  for (let page = 1; ; page++) {
    const res = await b.get(`/?kind=plan_action&page=${page}`);
    assert.equal(res.statusCode, 200);
    all.push(...rows(res.body));
    if (!/rel="next"/.test(res.body)) break;
  }
  assert.equal(all.length, actions.length, 'every open plan action I own, once');
  for (const a of actions) assert.ok(all.some((r) => r.link === `/people/${a.person_id}/plan/actions/${a.id}`));
  assert.ok(all.every((r) => r.kind === 'Plan action'));
  // The chase step of an action is the action itself: not listed a second time among the steps.
  const chased = new Set(actions.map((a) => a.chase_instance_id).filter(Boolean));
  const steps = rows((await b.get('/?kind=step')).body);
  assert.ok(steps.every((s) => !chased.has(/protocols\/([0-9a-f-]+)/.exec(s.link)?.[1] ?? '')));
  // A name only where the worker may open the record (else the case number): checked against the record page.
  const named = all.filter((r) => r.who.endsWith(')'));
  const unnamed = all.filter((r) => !r.who.endsWith(')'));
  assert.ok(named.length > 0);
  for (const r of [...named.slice(0, 3), ...unnamed.slice(0, 3)]) {
    const personId = /\/people\/([0-9a-f-]+)/.exec(r.link)?.[1];
    const record = await b.get(`/people/${personId}`);
    assert.equal(record.statusCode, r.who.endsWith(')') ? 200 : 403, JSON.stringify(r));
  }

  const allocated = rows((await b.get('/?kind=allocated')).body);
  assert.ok(allocated.length > 0);
  assert.ok(allocated.every((r) => r.due === null && r.what.startsWith('Allocated to you')));
});

test('filters: overdue only, mine vs my team’s; sorting by kind; 25 a page with GOV.UK pagination', async () => {
  const b = await signedIn('team.manager@demoshire.example');
  const everything = await b.get('/');
  assert.equal(everything.statusCode, 200);
  const sw = await signedIn('social.worker@demoshire.example');
  const overdue = rows((await sw.get('/?overdue=yes')).body);
  assert.ok(overdue.length > 0 && overdue.every((r) => r.overdue && r.due !== null && r.due < TODAY));
  const team = rows((await b.get('/?scope=team')).body);
  assert.ok(team.length > 0, 'the team’s unallocated cases at least');
  assert.match((await b.get('/?scope=team')).body, /for your team/);
  assert.doesNotMatch((await b.get('/?scope=mine')).body, /for your team/);
  const byKind = rows((await b.get('/?sort=kind')).body).map((r) => r.kind);
  assert.deepEqual(
    byKind,
    [...byKind].sort((x, y) => x.localeCompare(y)),
  );

  const first = await sw.get('/');
  assert.equal(rows(first.body).length, 25);
  assert.match(first.body, /class="govuk-pagination"/);
  assert.match(first.body, /href="\/\?page=2"/);
  const second = await sw.get('/?page=2');
  assert.match(second.body, /<title>My work \(page 2 of \d+\)/);
  assert.notDeepEqual(rows(second.body)[0], rows(first.body)[0]);
});

test('bad filters get a message naming the field; nothing else breaks', async () => {
  const b = await signedIn('social.worker@demoshire.example');
  const res = await b.get('/?kind=nonsense&scope=everyone&page=x');
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /There is a problem/);
  assert.match(res.body, /Kind of work must be one from the list/);
  assert.match(res.body, /Choose whose work to show/);
  assert.match(res.body, /Page must be a whole number from 1/);
  assert.ok(rows(res.body).length > 0, 'the list is still shown, unfiltered');
});

test('the forum chair’s My work lists the meetings they chair; the receiving team’s worker sees incoming transfers', async () => {
  const chair = await signedIn('forum.chair@demoshire.example');
  const meetings = rows((await chair.get('/?kind=meeting')).body);
  assert.ok(meetings.length >= 2, JSON.stringify(meetings));
  assert.ok(meetings.every((m) => /^Chair the .+ meeting$/.test(m.what) && m.link.startsWith('/panels/meetings/')));

  const ypt = await signedIn('ypt.worker@demoshire.example');
  const incoming = rows((await ypt.get('/?kind=transfer')).body);
  const live = await db
    .selectFrom('transfers as x')
    .innerJoin('teams as t', 't.id', 'x.to_team_id')
    .where('x.authority_id', '=', authority.id)
    .where('t.name', '=', "Young People's Team")
    .where('x.status', 'in', ['sent', 'accepted'])
    .select(['x.id', 'x.person_id'])
    .execute();
  assert.ok(live.length >= 2);
  for (const x of live) assert.ok(incoming.some((r) => r.link === `/people/${x.person_id}/transfers/${x.id}`));
  // The receiving team's worker opens the list of their team's transfers (403 before issue 11).
  const transfers = await ypt.get('/transfers');
  assert.equal(transfers.statusCode, 200);
  assert.match(transfers.body, /Coming into your teams/);
});

test('GET /api/v1/my-work: the same list as JSON, with the same filters; a bad filter names the field', async () => {
  const res = await apiAs('advice.giver@demoshire.example', '?kind=advice_request&overdue=yes');
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.ok(body.items.length >= 2);
  for (const i of body.items) {
    assert.equal(i.kind, 'advice_request');
    assert.equal(i.overdue, true);
    assert.equal(i.name, null, 'an advice giver is never given the name');
    assert.match(i.reference, /\/advice-/);
    assert.match(i.link, /^\/advice\//);
    assert.ok(i.due < TODAY);
  }
  assert.ok(body.kinds.some((k: { kind: string }) => k.kind === 'plan_action'));
  const bad = await apiAs('advice.giver@demoshire.example', '?kind=nonsense');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Kind of work/);
});

test('the receiving team’s worker is told when an incoming transfer is allocated to them', async () => {
  const x = await db
    .selectFrom('transfers as x')
    .where('x.authority_id', '=', authority.id)
    .where('x.status', '=', 'accepted')
    .select(['x.id', 'x.person_id', 'x.version'])
    .executeTakeFirstOrThrow();
  const worker = await userId('ypt.worker@demoshire.example');
  const before = await db.selectFrom('notifications').where('user_id', '=', worker).select('id').execute();
  const manager = await signedIn('service.manager@demoshire.example');
  await manager.get(`/people/${x.person_id}/transfers/${x.id}`);
  const res = await manager.post(`/people/${x.person_id}/transfers/${x.id}/allocate`, {
    worker_id: worker,
    version: String(x.version),
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 800));
  const after = await db
    .selectFrom('notifications')
    .where('user_id', '=', worker)
    .select(['message', 'link'])
    .orderBy('created_at', 'desc')
    .execute();
  assert.equal(after.length, before.length + 1);
  assert.match(after[0]?.message ?? '', /allocated to you/);
  assert.equal(after[0]?.link, `/people/${x.person_id}`);
  const person = await db.selectFrom('people').where('id', '=', x.person_id).selectAll().executeTakeFirstOrThrow();
  assert.doesNotMatch(after[0]?.message ?? '', new RegExp(person.family_name));
});

test('the IT administrator holds no casework: My work says so and points to the administration pages', async () => {
  const admin = await signedIn('it.admin@demoshire.example');
  const page = await admin.get('/');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Your role holds no casework/);
  assert.match(page.body, /href="\/admin"/);
  assert.doesNotMatch(page.body, /Kind of work/);
  const worker = await signedIn('social.worker@demoshire.example');
  const theirs = await worker.get('/');
  assert.doesNotMatch(theirs.body, /Your role holds no casework/);
  assert.match(theirs.body, /Kind of work/);
});

test('pages (issue 16): every item once across the pages in one order, "Showing 26 to 50 of N", filters kept; a page past the last names the field', async () => {
  const sw = await signedIn('social.worker@demoshire.example');
  const first = await apiAs('social.worker@demoshire.example', '');
  assert.equal(first.statusCode, 200, first.body);
  const { total, pages, page_size } = first.json();
  assert.equal(page_size, 25);
  assert.ok(pages >= 2, 'the worker has more than one page');
  const keys: string[] = [];
  for (let page = 1; page <= pages; page++) {
    const res = await apiAs('social.worker@demoshire.example', page === 1 ? '' : `?page=${page}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.from, (page - 1) * 25 + 1);
    assert.equal(body.to, Math.min(page * 25, total));
    keys.push(...body.items.map((i: { key: string }) => i.key));
  }
  assert.equal(keys.length, total, 'every item');
  assert.equal(new Set(keys).size, total, 'nothing twice');
  const again = await apiAs('social.worker@demoshire.example', '');
  assert.deepEqual(
    again.json().items.map((i: { key: string }) => i.key),
    keys.slice(0, 25),
    'the same order on every read',
  );

  const second = await sw.get('/?page=2');
  assert.equal(second.statusCode, 200);
  assert.match(second.body, new RegExp(`Showing 26 to ${Math.min(50, total)} of ${total} items`));
  assert.match((await sw.get('/')).body, new RegExp(`Showing 1 to 25 of ${total} items`));
  // The filters go with the page links.
  const overdueFirst = await sw.get('/?overdue=yes&sort=kind');
  if (/rel="next"/.test(overdueFirst.body))
    assert.match(overdueFirst.body, /href="\/\?overdue=yes&amp;sort=kind&amp;page=2"/);

  const past = await sw.get(`/?page=${pages + 1}`);
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /There is a problem/);
  assert.match(past.body, new RegExp(`Page must be a whole number from 1 to ${pages}: there are ${pages} pages`));
  assert.match(past.body, /href="#page"/);
  assert.match(past.body, /id="page"/, 'the error summary’s link has somewhere to go');
  assert.ok(rows(past.body).length > 0, 'the last page is shown');
  const pastApi = await apiAs('social.worker@demoshire.example', `?page=${pages + 1}`);
  assert.equal(pastApi.statusCode, 400);
  assert.match(pastApi.body, /Page must be a whole number from 1 to/);
});
