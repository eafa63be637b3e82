// The Creative Solutions Board (issue 12 part 5): a worker refers a case with what was tried; bad input names each
// field and writes nothing; the board (the exploitation lead, no relationship needed) considers it and chooses a
// solution with an owner and review date; the owner is chased when the review is overdue; the review records the
// result and learning; the pseudonymised register (page, CSV, API) shows them with no name, date of birth or case
// number; the protocol drives it all.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { Browser, userByRole } from './helpers.ts';
import { notesSetup } from './notes-setup.ts';

const { db, app, org, clock, worker, person, workerApi, strangerApi } = await notesSetup('sol');
// The deadline handler, as `handover serve` registers it: without it the sweep fires nothing.
after(registerProtocolTimers(app.services.protocols));
const lead = userByRole(org, 'exploitation_lead');

const referral = (over: Record<string, unknown> = {}) => ({
  problem: 'Goes missing at weekends; found in another town with older males',
  tried_1_what: 'Return home interviews',
  tried_1_when: 'Since September 2026',
  tried_1_result: 'Attends but says nothing',
  why_stuck: 'Will not engage with the youth offending team',
  ...over,
});

async function signedIn(email: string) {
  const b = new Browser(app);
  await b.login(email);
  return b;
}

test('bad referral names each field and the fix; nothing is written', async () => {
  const id = await person();
  const bad = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/solutions`,
    headers: workerApi,
    payload: referral({ problem: '', tried_1_what: null, tried_1_when: 'May', tried_1_result: null }),
  });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.deepEqual(bad.json().fields, {
    problem: 'Enter the problem: what is happening for the young person and why it worries you',
    tried_1_what: 'Enter at least one thing that has been tried, for example a referral to a youth worker',
  });
  const stranger = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/solutions`,
    headers: strangerApi,
    payload: referral(),
  });
  assert.equal(stranger.statusCode, 403);
  const rows = await db.selectFrom('solution_cases').where('person_id', '=', id).selectAll().execute();
  assert.equal(rows.length, 0);
});

test('refer, consider, test, chase, review with result and learning; the register shows it without names', async () => {
  const id = await person();
  const who = await db.selectFrom('people').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  // The worker refers through the page form.
  const w = await signedIn(worker.email);
  const form = await w.get(`/people/${id}/solutions/new`);
  assert.equal(form.statusCode, 200);
  const empty = await w.post(`/people/${id}/solutions`, { problem: '', why_stuck: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /There is a problem/);
  assert.match(empty.body, /Enter why the case is stuck/);
  const sent = await w.post(`/people/${id}/solutions`, referral() as Record<string, string>);
  assert.equal(sent.statusCode, 303, sent.body);
  const list = await w.get(sent.headers.location as string);
  assert.match(list.body, /Case referred to the Creative Solutions Board/);
  assert.match(list.body, /Return home interviews/);
  const c = await db.selectFrom('solution_cases').where('person_id', '=', id).selectAll().executeTakeFirstOrThrow();
  assert.equal(c.status, 'referred');
  const step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', c.protocol_instance_id as string)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(step.step_key, 'consider');
  assert.equal(step.owner_user_id, lead.id);

  // The board (no relationship with the young person) sees it on its list and considers it.
  const b = await signedIn(lead.email);
  const board = await b.get('/solutions');
  assert.equal(board.statusCode, 200);
  assert.match(board.body, new RegExp(who.case_number));
  assert.doesNotMatch(board.body, new RegExp(who.family_name));
  const page = await b.get(`/people/${id}/board/${c.id}/consider`);
  assert.equal(page.statusCode, 200, page.body);
  const noOwner = await b.post(`/people/${id}/board/${c.id}/consider`, {
    version: String(c.version),
    decision: 'test',
    'meeting_date-day': '20',
    'meeting_date-month': '11',
    'meeting_date-year': '2026',
    category: 'missing',
    board_problem: 'Pulled away by a peer group; no trusted adult',
    solution: 'A detached youth worker meets the young person where they spend weekends',
  });
  assert.equal(noOwner.statusCode, 400);
  assert.match(noOwner.body, /Choose who owns testing the solution/);
  assert.match(noOwner.body, /Enter the review date/);
  const chosen = await b.post(`/people/${id}/board/${c.id}/consider`, {
    version: String(c.version),
    decision: 'test',
    'meeting_date-day': '20',
    'meeting_date-month': '11',
    'meeting_date-year': '2026',
    category: 'missing',
    board_problem: 'Pulled away by a peer group; no trusted adult',
    solution: 'A detached youth worker meets the young person where they spend weekends',
    owner_user_id: worker.id,
    'review_date-day': '4',
    'review_date-month': '12',
    'review_date-year': '2026',
  });
  assert.equal(chosen.statusCode, 303, chosen.body);
  const shown = await b.get(chosen.headers.location as string);
  assert.match(shown.body, /Board decision recorded/);
  assert.match(shown.body, /Test the solution the board chose/);
  const testing = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', c.protocol_instance_id as string)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(testing.step_key, 'test_solution');
  assert.equal(testing.owner_user_id, worker.id);
  assert.equal(testing.due_date, '2026-12-04');
  assert.equal(
    (await db.selectFrom('solution_cases').where('id', '=', c.id).select('status').executeTakeFirstOrThrow()).status,
    'testing',
  );

  // Overdue: the owner is reminded by the sweep.
  clock.set('2026-12-07T09:00:00Z');
  await sweepDue(db, clock.now());
  const told = await db.selectFrom('notifications').where('user_id', '=', worker.id).selectAll().execute();
  assert.ok(
    told.some((n) => /^Overdue: Test the solution/.test(n.message)),
    JSON.stringify(told.map((n) => n.message)),
  );
  clock.set('2026-11-23T10:00:00Z');

  // The review: a stale version is refused; then the result and learning, and the case closes.
  const v = (await db.selectFrom('solution_cases').where('id', '=', c.id).select('version').executeTakeFirstOrThrow())
    .version;
  const review = {
    result: 'partly',
    learning: 'Weekend contact worked better than office appointments',
    next: 'closed',
    closing_note: 'Missing episodes have stopped',
  };
  const stale = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/solutions/${c.id}/review`,
    headers: await leadApi(),
    payload: { ...review, version: v - 1 },
  });
  assert.equal(stale.statusCode, 409, stale.body);
  const done = await b.post(`/people/${id}/board/${c.id}/review`, { ...review, version: String(v) });
  assert.equal(done.statusCode, 303, done.body);
  const closed = await db.selectFrom('solution_cases').where('id', '=', c.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(closed.status, 'closed');
  const inst = await db
    .selectFrom('protocol_instances')
    .where('id', '=', c.protocol_instance_id as string)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(inst.status, 'ended');
  const casePage = await b.get(`/people/${id}/board/${c.id}`);
  assert.equal(casePage.statusCode, 200);
  for (const shown of [
    'Why it is stuck',
    'The problem as the board sees it',
    'Closing note',
    'Missing episodes have stopped',
  ])
    assert.ok(casePage.body.includes(shown), `the board case page shows ${shown}`);

  // The register: page, CSV and API show the solution, result and learning, and no name, DOB or case number.
  const reg = await b.get('/solutions/register?result=partly');
  assert.equal(reg.statusCode, 200);
  assert.match(reg.body, /A detached youth worker/);
  assert.match(reg.body, /Weekend contact worked better/);
  const csv = await b.get('/solutions/register.csv');
  assert.match(csv.body, /Partly worked/);
  const api = await app.inject({
    method: 'GET',
    url: '/api/v1/solutions/register?category=missing',
    headers: await leadApi(),
  });
  assert.equal(api.statusCode, 200, api.body);
  assert.equal(api.json().items.length >= 1, true);
  const other = await b.get('/solutions/register?result=worked');
  assert.doesNotMatch(other.body, /A detached youth worker/);
  for (const body of [reg.body, csv.body, api.body]) {
    for (const canary of [who.given_name, who.family_name, who.case_number, who.date_of_birth, id])
      assert.ok(!body.includes(canary), `the register must not hold ${canary}`);
  }

  // The record's timeline and the audit hold each step.
  const events = await db.selectFrom('events').where('person_id', '=', id).select('title').execute();
  assert.ok(events.some((e) => e.title === 'Referred to the Creative Solutions Board'));
  assert.ok(events.some((e) => /reviewed a solution: partly; case closed/.test(e.title)));
});

let leadToken: Record<string, string> | null = null;
async function leadApi() {
  if (leadToken) return leadToken;
  const { randomBytes } = await import('node:crypto');
  const { sha256 } = await import('../src/modules/auth/service.ts');
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: lead.id, token_hash: sha256(token), label: 'test' })
    .execute();
  leadToken = { authorization: `Bearer ${token}` };
  return leadToken;
}

test('the board reaches only cases referred to it; test another solution goes round again', async () => {
  const id = await person();
  const headers = await leadApi();
  const none = await app.inject({ method: 'GET', url: `/people/${id}/board/${id}`, headers });
  assert.equal(none.statusCode, 404);
  const r = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${id}/solutions`,
    headers: workerApi,
    payload: referral(),
  });
  assert.equal(r.statusCode, 201, r.body);
  const caseId = r.json().id as string;
  const base = `/api/v1/people/${id}/solutions/${caseId}`;
  const consider = await app.inject({
    method: 'POST',
    url: `${base}/consider`,
    headers,
    payload: {
      version: 1,
      decision: 'test',
      meeting_date: '2026-11-23',
      category: 'housing',
      board_problem: 'No safe place at weekends',
      solution: 'Supported lodgings trial',
      owner_user_id: worker.id,
      review_date: '2027-01-10',
    },
  });
  assert.equal(consider.statusCode, 204, consider.body);
  const again = await app.inject({
    method: 'POST',
    url: `${base}/review`,
    headers,
    payload: {
      version: 2,
      result: 'did_not_work',
      learning: 'Lodgings too far from school',
      next: 'test_another',
      solution: 'Host family nearer school',
      owner_user_id: worker.id,
      review_date: '2027-02-10',
    },
  });
  assert.equal(again.statusCode, 204, again.body);
  const tests = await db
    .selectFrom('solution_tests')
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .selectAll()
    .execute();
  assert.deepEqual(
    tests.map((t) => [t.result, t.review_date]),
    [
      ['did_not_work', '2027-01-10'],
      [null, '2027-02-10'],
    ],
  );
  const open = await db
    .selectFrom('protocol_steps')
    .where('person_id', '=', id)
    .where('status', '=', 'open')
    .selectAll()
    .execute();
  assert.deepEqual(
    open.map((s) => [s.step_key, s.due_date]),
    [['test_solution', '2027-02-10']],
  );
  const mine = await app.inject({ method: 'GET', url: `/api/v1/people/${id}/solutions`, headers: workerApi });
  assert.equal(mine.json().items[0].tests.length, 2);
});
