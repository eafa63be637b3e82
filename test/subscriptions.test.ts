// Scheduled reports (issue 14 part 3): a service manager subscribes to the radar from its page (the filters carried),
// sees the success banner and the subscription in words; an unknown list, a list not theirs, bad filters and a
// duplicate are refused with the field named; the job sends each subscription once per period (weekly on Mondays,
// monthly on the 1st, a missed day caught up once), re-checks the user at send time (skipped and why, no email), and
// the email holds counts and ids only — the canary young person's name, case number and date of birth never appear.
// The API lists, adds and deletes one's own only. The SEND managers' weekly EHCP report is a default subscription.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { registerSubscribable } from '../src/modules/subscriptions/registry.ts';
import { emailBody, sendDueSubscriptions } from '../src/modules/subscriptions/send.ts';
import { tokenFor } from './contextual-setup.ts';
import { Browser, fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'sub');
// Monday 7 December 2026, 06:00 London.
const clock = fixedClock('2026-12-07T06:00:00Z');
const app = await testApp(db, { now: clock.now });
const sm = userByRole(org, 'service_manager');
const worker = userByRole(org, 'social_worker');
const team = org.teams['north-16-plus'] ?? (Object.values(org.teams)[0] as string);
const BASE = 'https://handover.example';
const job = () => sendDueSubscriptions({ db, baseUrl: BASE, now: clock.now() });
const mailsTo = (email: string) =>
  db.selectFrom('outbox').where(sql<boolean>`${email} = ANY(to_addresses)`).selectAll().orderBy('created_at').execute();

/** What the job recorded for the period starting `day` (sent, or skipped and why). */
const outcomesOn = async (day: string) =>
  (await db.selectFrom('subscription_runs').where('period_start', '=', day).select('outcome').execute()).map(
    (r) => r.outcome,
  );

// The canary: on the radar's turning-18 list (18 on 15 March 2027, within 6 months), with distinctive details.
const CANARY = { givenName: 'Zebedee', familyName: 'Quillfeather', caseNumber: 'HO771199', dateOfBirth: '2009-03-15' };
await personInTeam(db, { authorityId: org.authorityId, team, worker: worker.id, ...CANARY });

test('a SEND manager has the weekly EHCP report by default; unsubscribing stays', async () => {
  const sendManager = userByRole(org, 'send_manager');
  const b = new Browser(app);
  await b.login(sendManager.email);
  const mine = await b.get('/subscriptions');
  assert.match(mine.body, /EHCP weekly report/);
  assert.match(mine.body, /None: the whole council/);
  const id = /href="\/subscriptions\/([0-9a-f-]{36})\/unsubscribe"/.exec(mine.body)?.[1] as string;
  const confirm = await b.get(`/subscriptions/${id}/unsubscribe`);
  assert.match(confirm.body, /Unsubscribe from the EHCP weekly report\?/);
  const done = await b.post(`/subscriptions/${id}/unsubscribe`, {});
  assert.equal(done.statusCode, 303);
  const after = await b.get(done.headers.location as string);
  assert.match(after.body, /You are unsubscribed/);
  assert.match(after.body, /You have no subscriptions/);
  // (Monday 06:00: the job gives no default again, and the radar subscriptions below are not made yet.)
  assert.equal(await job(), 0);
  assert.match((await b.get('/subscriptions')).body, /You have no subscriptions/);
  assert.equal((await b.get('/subscriptions/not-an-id/unsubscribe')).statusCode, 404);
});

test('a service manager subscribes to the radar from its page, with its filters, and sees the banner', async () => {
  const b = new Browser(app);
  await b.login(sm.email);
  const radar = await b.get(`/radar?months=6&team=${team}`);
  assert.equal(radar.statusCode, 200);
  const link = /href="(\/subscriptions\/new\?list=radar[^"]*)"/.exec(radar.body)?.[1]?.replace(/&amp;/g, '&');
  assert.equal(link, `/subscriptions/new?list=radar&months=6&team=${team}`);
  const form = await b.get(link);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Subscribe to the Transitions radar by email/);
  assert.match(form.body, /Turning 18 within 6 months; Team: /);

  const none = await b.post('/subscriptions', { list: 'radar', months: '6', team });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Choose how often: weekly \(on Mondays\) or monthly \(on the 1st\)/);

  const made = await b.post('/subscriptions', { list: 'radar', months: '6', team, frequency: 'weekly' });
  assert.equal(made.statusCode, 303);
  assert.equal(made.headers.location, '/subscriptions?saved=subscribed');
  const mine = await b.get('/subscriptions?saved=subscribed');
  assert.match(mine.body, /govuk-notification-banner--success/);
  assert.match(mine.body, /You are subscribed/);
  assert.match(mine.body, /Transitions radar/);
  assert.match(mine.body, /Weekly, on Mondays/);

  const again = await b.post('/subscriptions', { list: 'radar', months: '6', team, frequency: 'weekly' });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /You already get the Transitions radar .* weekly/);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'subscription')
    .where('actor_id', '=', sm.id)
    .select('action')
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['create'],
  );
});

test('an unknown list, a list not the user’s and bad filters are refused, naming the field', async () => {
  const b = new Browser(app);
  await b.login(sm.email);
  assert.equal((await b.get('/subscriptions/new?list=nonsense')).statusCode, 404);
  const badTeam = await b.get('/subscriptions/new?list=radar&team=00000000-0000-4000-8000-000000000000');
  assert.equal(badTeam.statusCode, 400);
  assert.match(badTeam.body, /Choose a team from the list: that team is not one of this council’s/);
  const badMonths = await b.get('/subscriptions/new?list=radar&months=7');
  assert.equal(badMonths.statusCode, 400);
  assert.match(badMonths.body, /Choose turning 18 within 3, 6 or 12 months/);
  const sw = new Browser(app);
  await sw.login(worker.email);
  assert.equal((await sw.get('/subscriptions/new?list=radar')).statusCode, 403);
  assert.equal((await sw.post('/subscriptions', { list: 'radar', frequency: 'weekly' })).statusCode, 403);
  const unknown = await b.post('/subscriptions', { list: 'nonsense', frequency: 'weekly' });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /Choose a list or dashboard that Handover offers/);
});

test('the job sends each once per period, with counts and ids only: the canary is never in the email', async () => {
  assert.equal(await job(), 1, 'the radar subscription made on Monday before the run');
  assert.equal(await job(), 0, 'once a week');
  const [mail, ...more] = await mailsTo(sm.email);
  assert.equal(more.length, 0);
  assert.ok(mail);
  assert.equal(mail.subject, 'Transitions radar: week beginning 2026-12-07');
  assert.match(mail.body, /Filters: Turning 18 within 6 months; Team: /);
  assert.match(mail.body, /- Turning 18 within 3 months without an agreed adult pathway: 0\n/);
  assert.match(mail.body, /- Turning 18 within 6 months without an agreed adult pathway: 1\n/);
  assert.match(mail.body, new RegExp(`Sign in to see the list: ${BASE}/radar\\?months=6&team=${team}\\n`));
  assert.match(mail.body, new RegExp(`unsubscribe at ${BASE}/subscriptions`));
  for (const secret of [...Object.values(CANARY), '15 March 2009', '2027-03-15', 'Zebedee', 'Quillfeather'])
    assert.ok(!mail.body.includes(secret) && !mail.subject.includes(secret), `the email holds ${secret}`);
  // Tuesday and Sunday: nothing more this week; next Monday, the next one.
  clock.set('2026-12-08T07:00:00Z');
  assert.equal(await job(), 0);
  clock.set('2026-12-14T07:00:00Z');
  assert.equal(await job(), 1);
});

test('a missed Monday is caught up once; monthly goes on the 1st; the user is checked again at send time', async () => {
  clock.set('2026-12-20T10:00:00Z');
  const b = new Browser(app);
  await b.login(sm.email);
  assert.equal((await b.post('/subscriptions', { list: 'radar', months: '12', frequency: 'monthly' })).statusCode, 303);
  // The worker was down on Monday 4 January: Tuesday's run sends the week's email (and January's) once.
  clock.set('2027-01-05T07:00:00Z');
  assert.equal(await job(), 2);
  clock.set('2027-01-06T07:00:00Z');
  assert.equal(await job(), 0);
  const months = await mailsTo(sm.email);
  assert.equal(
    months.at(-1)?.subject.endsWith('January 2027') || months.at(-2)?.subject.endsWith('January 2027'),
    true,
  );

  // The role taken away: Monday's run skips, says why, and sends nothing.
  await db
    .updateTable('users')
    .set({ roles: ['social_worker'] })
    .where('id', '=', sm.id)
    .execute();
  clock.set('2027-01-11T07:00:00Z');
  const before = (await mailsTo(sm.email)).length;
  assert.equal(await job(), 0);
  assert.equal((await mailsTo(sm.email)).length, before);
  assert.deepEqual(await outcomesOn('2027-01-11'), ['skipped-capability']);
  await db
    .updateTable('users')
    .set({ roles: ['service_manager'], active: false })
    .where('id', '=', sm.id)
    .execute();
  clock.set('2027-01-18T07:00:00Z');
  assert.equal(await job(), 0);
  assert.deepEqual(await outcomesOn('2027-01-18'), ['skipped-inactive']);
  await db.updateTable('users').set({ active: true }).where('id', '=', sm.id).execute();
});

test('a subscription that cannot be sent is recorded as skipped-error and does not hold up the others', async () => {
  const off = registerSubscribable({
    key: 'test-broken',
    title: 'A list that fails',
    capability: 'radar:read',
    path: () => '/radar',
    checkFilters: async () => ({ ok: true, filters: {} }),
    describeFilters: async () => 'None',
    counts: async () => {
      throw new Error('Choose a team from the list: that team is not one of this council’s');
    },
  });
  try {
    // Ordered before and after the good ones by id (Monday 1 February starts a week and a month): every other one is
    // still sent.
    for (const [id, frequency] of [
      ['00000000-0000-4000-8000-000000000001', 'weekly'],
      ['ffffffff-ffff-4fff-8fff-ffffffffffff', 'monthly'],
    ] as const)
      await db
        .insertInto('subscriptions')
        .values({ id, authority_id: org.authorityId, user_id: worker.id, list_key: 'test-broken', frequency })
        .execute();
    await db
      .updateTable('users')
      .set({ roles: ['service_manager'] })
      .where('id', '=', worker.id)
      .execute();
    await db
      .insertInto('subscriptions')
      .values({ authority_id: org.authorityId, user_id: worker.id, list_key: 'radar', frequency: 'weekly' })
      .execute();
    clock.set('2027-02-01T07:00:00Z');
    const sent = await job();
    assert.ok(sent >= 1, 'the good subscriptions were sent');
    const outcomes = await outcomesOn('2027-02-01');
    assert.equal(outcomes.filter((o) => o === 'skipped-error').length, 2);
    assert.equal(outcomes.filter((o) => o === 'sent').length, sent);
    assert.equal(await job(), 0, 'each is claimed once for the period, the failed ones too');
  } finally {
    off();
    await db.deleteFrom('subscriptions').where('user_id', '=', worker.id).execute();
    await db
      .updateTable('users')
      .set({ roles: ['social_worker'] })
      .where('id', '=', worker.id)
      .execute();
  }
});

test('the API lists, adds and deletes one’s own; another user’s is not found', async () => {
  clock.set('2027-01-19T10:00:00Z');
  const asSm = await tokenFor(db, sm.id);
  const asWorker = await tokenFor(db, worker.id);
  const list = await app.inject({ method: 'GET', url: '/api/v1/subscriptions', headers: asSm });
  assert.equal(list.statusCode, 200);
  const items = list.json().items as { id: string; list: string; frequency: string; link: string }[];
  assert.equal(items.length, 2);
  assert.equal(items[0]?.link, `/radar?months=6&team=${team}`);
  const made = await app.inject({
    method: 'POST',
    url: '/api/v1/subscriptions',
    headers: asSm,
    payload: { list: 'radar', frequency: 'monthly', filters: { months: '3' } },
  });
  assert.equal(made.statusCode, 201, made.body);
  const bad = await app.inject({
    method: 'POST',
    url: '/api/v1/subscriptions',
    headers: asSm,
    payload: { list: 'radar', frequency: 'daily' },
  });
  assert.equal(bad.statusCode, 400);
  const dup = await app.inject({
    method: 'POST',
    url: '/api/v1/subscriptions',
    headers: asSm,
    payload: { list: 'radar', frequency: 'monthly', filters: { months: '3' } },
  });
  assert.equal(dup.statusCode, 400);
  assert.match(dup.json().fields.frequency, /You already get the Transitions radar/);
  const id = made.json().id as string;
  const theirs = await app.inject({ method: 'DELETE', url: `/api/v1/subscriptions/${id}`, headers: asWorker });
  assert.equal(theirs.statusCode, 404);
  const gone = await app.inject({ method: 'DELETE', url: `/api/v1/subscriptions/${id}`, headers: asSm });
  assert.equal(gone.statusCode, 204);
  assert.equal(
    (await app.inject({ method: 'DELETE', url: `/api/v1/subscriptions/${id}`, headers: asSm })).statusCode,
    404,
  );
});

test('an email whose list gave no figures says so instead of listing nothing', () => {
  const body = emailBody({
    name: 'Helen',
    title: 'Dashboard',
    period: 'week beginning 2026-12-07',
    filters: 'Team: North',
    counts: [],
    link: `${BASE}/dashboards/council`,
    manage: `${BASE}/subscriptions`,
  });
  assert.match(body, /\nNo figures: the list gave none for you this time/);
  assert.doesNotMatch(body, /\n- /);
});
