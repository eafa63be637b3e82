// The record page's one statement (issue 16 part 2): the session, the relationship, the access-log row, the record
// and its protocol instances in one round trip (src/modules/people/record-read.ts), the row committed before the
// page is sent, and the access decisions unchanged (an idle session, no relationship, another council's person).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { createApp } from '../src/app.ts';
import { recordPageSql } from '../src/modules/people/record-read.ts';
import { Browser, fixedClock, seedOrganisation, testConfig, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'one');
const other = await seedOrganisation(db, 'two');
const clock = fixedClock('2026-12-05T10:05:00Z');
const config = testConfig();
const manager = userByRole(org, 'team_manager');

/** Every statement the app sends through its database, in order (the app's only way to the database). */
const sent: string[] = [];
let counting = false;
const counter: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    if (counting) sent.push(args.queryId.queryId);
    return args.result;
  },
};
// The texts, by query id: transformQuery does not see executeQuery's compiled statements, so count by result.
const counted = db.withPlugin(counter);

/** Access-log rows as another connection sees them: committed rows only. */
const committedRows = async () =>
  Number(
    (
      await db
        .selectFrom('access_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const atSend: number[] = [];
const app = await createApp({
  db: counted,
  config,
  now: clock.now,
  extraRoutes: (a) =>
    a.addHook('onSend', async (request, _reply, payload) => {
      // Just before the page goes to the socket: the row must already be visible to another connection.
      if (request.routeOptions.url === '/people/:personId') atSend.push(await committedRows());
      return payload;
    }),
});
test.after(() => app.close());

const b = new Browser(app);
await b.login(manager.email);
const created = await b.post('/people', {
  given_name: 'Wren',
  family_name: 'Ashcombe',
  'date_of_birth-day': '3',
  'date_of_birth-month': '4',
  'date_of_birth-year': '2013',
  team_id: org.teams['dct-north'] as string,
  reason: 'Child in need assessment',
  allocate_to_me: 'yes',
  create_anyway: 'yes',
});
assert.equal(created.statusCode, 303, created.body.slice(0, 300));
const personId = String(created.headers.location).split('?')[0]?.split('/').pop() as string;

async function view(browser: Browser, id: string) {
  sent.length = 0;
  counting = true;
  try {
    return await browser.get(`/people/${id}`);
  } finally {
    counting = false;
  }
}

test('a record page is one statement for the session, the access check, the row, the record and its protocols', async () => {
  const before = await committedRows();
  atSend.length = 0;
  const res = await view(b, personId);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Ashcombe/);
  // The one statement, then the documents panel's list: nothing else (no session, relationship or record query).
  assert.equal(sent.length, 2, `statements sent: ${sent.length}`);
  const text = recordPageSql(db);
  for (const part of ['FROM sessions s', 'INSERT INTO access_log', 'protocol_instances', 'break_glass', 'involvements'])
    assert.ok(text.includes(part), `the statement includes ${part}`);
  // Committed before it was sent: another connection saw the row in onSend.
  assert.deepEqual(atSend, [before + 1]);
  const row = await db
    .selectFrom('access_log')
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .select(['purpose', 'channel', 'user_id'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { purpose: 'record', channel: 'page', user_id: manager.id });
  // The header has the signed-in user and the page's forms their session's CSRF token.
  assert.match(res.body, /name="_csrf" value="[^"]+"/);
});

test('without a session cookie the hooks decide as before: sign in first', async () => {
  const res = await app.inject({ method: 'GET', url: `/people/${personId}`, headers: { accept: 'text/html' } });
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, '/login');
});

test('a timeline page the database could not take is page 1, before and after sign-in (never a 500)', async () => {
  for (const page of ['Infinity', '1e19', '-3', 'x', '9007199254740993']) {
    const anyone = await app.inject({
      method: 'GET',
      url: `/people/${personId}?page=${page}`,
      headers: { accept: 'text/html', cookie: 'handover-session=not-a-session' },
    });
    assert.equal(anyone.statusCode, 302, `page=${page} without a live session`);
    const res = await b.get(`/people/${personId}?page=${page}`);
    assert.equal(res.statusCode, 200, `page=${page} signed in`);
  }
});

test('another council’s person is not found, and nothing is logged', async () => {
  const o = new Browser(app);
  await o.login(userByRole(other, 'team_manager').email);
  const before = await committedRows();
  const res = await view(o, personId);
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /No record with that reference/);
  assert.equal(await committedRows(), before);
});

test('without a relationship the record is closed (403), and nothing is logged', async () => {
  await db.updateTable('involvements').set({ end_date: '2026-12-05' }).where('person_id', '=', personId).execute();
  const before = await committedRows();
  const res = await view(b, personId);
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /You do not work with this young person/);
  assert.equal(await committedRows(), before);
  await db.updateTable('involvements').set({ end_date: null }).where('person_id', '=', personId).execute();
});

test('a session idle past its limit signs out (redirect), is deleted, and nothing is logged', async () => {
  const before = await committedRows();
  clock.advance(config.sessionIdleMinutes * 60_000 + 1000);
  const res = await view(b, personId);
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, '/login');
  assert.equal(await committedRows(), before);
  const sessions = await db.selectFrom('sessions').where('user_id', '=', manager.id).select('id_hash').execute();
  assert.equal(sessions.length, 0);
});
