// Notifications (issue 11 defect 3): each says what changed and where (a reference with the case number, never the
// young person's name), carries the time it happened on the app's clock, resolves itself when the step it points at
// moves on (in the same transaction), and can be marked read in bulk with a success banner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StepDef } from '../src/domain/protocol/definition.ts';
import { DEMO_AUTHORITY_CODE, ensureDemo } from '../src/modules/demo/seed.ts';
import { DEVON_TRANSITIONS_ID, devonTransitions } from '../src/protocols/devon-transitions-16-17.ts';
import { Browser, fixedClock, testApp, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const NOW = '2026-11-23T10:00:00Z';
const clock = fixedClock(NOW);
await ensureDemo(db, { config: testConfig(), now: clock.now });
const app = await testApp(db, { now: clock.now });
const authority = await db
  .selectFrom('authorities')
  .where('code', '=', DEMO_AUTHORITY_CODE)
  .select('id')
  .executeTakeFirstOrThrow();
const userId = async (email: string) =>
  (await db.selectFrom('users').where('email', '=', email).select('id').executeTakeFirstOrThrow()).id;
const unread = async (id: string) =>
  Number(
    (
      await db
        .selectFrom('notifications')
        .where('user_id', '=', id)
        .where('read_at', 'is', null)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function signedIn(email: string) {
  const b = new Browser(app);
  await b.login(email);
  return b;
}

test('each notification names the case by reference, never the young person, and has its own time on the app’s clock', async () => {
  const rows = await db
    .selectFrom('notifications as n')
    .where('n.authority_id', '=', authority.id)
    .select(['n.message', 'n.reference', 'n.created_at', 'n.link', 'n.subject_type'])
    .execute();
  assert.ok(rows.length > 20);
  const people = await db
    .selectFrom('people')
    .where('authority_id', '=', authority.id)
    .select(['given_name', 'family_name', 'case_number'])
    .execute();
  const cases = new Set(people.map((p) => p.case_number));
  for (const r of rows) {
    assert.ok(r.reference, `a reference on "${r.message}"`);
    // A setting's notice quotes its request's reference (SR-…): a school is never told the record's case number.
    const ref = String(r.reference);
    assert.ok(
      cases.has(ref.split('/')[0] as string) || (/^SR-\d+$/.test(ref) && r.link?.startsWith('/setting/requests/')),
      `${ref} starts with a case number, or is a setting's request reference`,
    );
    for (const p of people) assert.ok(!r.message.includes(p.family_name), `no name in "${r.message}"`);
    // The demo's protocol steps are backdated from its day: told on the app's clock, not the database's.
    if (r.subject_type === 'protocol_step')
      assert.ok(
        r.created_at.getTime() <= Date.parse(NOW),
        `${r.created_at.toISOString()} is not after ${NOW} (${r.link}: ${r.message})`,
      );
  }
  // Not one timestamp for all: the time each happened.
  assert.ok(new Set(rows.map((r) => r.created_at.toISOString())).size > rows.length / 4);

  const b = await signedIn('social.worker@demoshire.example');
  const page = await b.get('/notifications');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Case HO\d+/);
  assert.match(
    page.body,
    /<time datetime="2026-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z">\d+ \w+ 2026, \d+(:\d\d)?(am|pm)<\/time>/,
  );
});

test('a notification about a step resolves itself when the step moves on, in the same transaction', async () => {
  const worker = await userId('service.manager@demoshire.example');
  // An open Devon step of the worker's that a decision with no fields moves on.
  const decidable = (devonTransitions.steps as unknown as readonly StepDef[]).filter(
    (st) =>
      !(st.fields ?? []).some((f) => f.required) && !(st.outcomes[0]?.requires ?? []).length && st.outcomes[0]?.to,
  );
  const step = await db
    .selectFrom('protocol_steps as s')
    .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
    .where('i.protocol_id', '=', DEVON_TRANSITIONS_ID)
    .where('s.status', '=', 'open')
    .where(
      's.step_key',
      'in',
      decidable.map((st) => st.id),
    )
    .where('s.owner_user_id', '=', worker)
    .orderBy('s.entered_at')
    .select(['s.id', 's.instance_id', 's.person_id', 's.step_key'])
    .executeTakeFirstOrThrow();
  const about = () =>
    db
      .selectFrom('notifications')
      .where('subject_id', '=', step.id)
      .select(['id', 'user_id', 'read_at', 'resolved_at'])
      .execute();
  const before = await about();
  assert.ok(before.length > 0, 'the worker was told of the step');
  assert.ok(before.every((n) => n.resolved_at === null));
  const unreadBefore = await unread(worker);

  const b = await signedIn('service.manager@demoshire.example');
  await b.get(`/people/${step.person_id}/protocols/${step.instance_id}`);
  const outcome = decidable.find((st) => st.id === step.step_key)?.outcomes[0]?.id as string;
  const res = await b.post(`/people/${step.person_id}/protocols/${step.instance_id}/steps/${step.id}/decide`, {
    outcome,
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));

  const after = await about();
  assert.ok(
    after.every((n) => n.resolved_at !== null && n.read_at !== null),
    'resolved, and no longer unread',
  );
  // The next step's notices are new, unread and at the app's time; the worker's unread count lost the stale ones.
  const fresh = await db
    .selectFrom('notifications as n')
    .innerJoin('protocol_steps as s', 's.id', 'n.subject_id')
    .where('s.instance_id', '=', step.instance_id)
    .where('s.status', '=', 'open')
    .select(['n.user_id', 'n.resolved_at', 'n.read_at', 'n.created_at'])
    .execute();
  assert.ok(fresh.length > 0, 'the next step’s owner is told');
  for (const n of fresh) {
    assert.equal(n.resolved_at, null);
    assert.equal(n.read_at, null);
    assert.equal(n.created_at.toISOString(), new Date(NOW).toISOString());
  }
  const staleUnread = before.filter((n) => n.user_id === worker && !n.read_at).length;
  assert.ok(staleUnread > 0);
  assert.equal(await unread(worker), unreadBefore - staleUnread + fresh.filter((n) => n.user_id === worker).length);
  const page = await b.get('/notifications');
  assert.match(page.body, /No longer needed: the step has moved on/);
});

test('notifications are marked read in bulk: chosen ones, or all; a banner says so; nothing chosen is a clear error', async () => {
  const manager = await userId('service.manager@demoshire.example');
  const b = await signedIn('service.manager@demoshire.example');
  const page = await b.get('/notifications');
  assert.equal(page.statusCode, 200);
  const ids = [...page.body.matchAll(/name="ids" type="checkbox" value="([0-9a-f-]+)"/g)].map((m) => m[1] as string);
  assert.ok(ids.length >= 3, 'unread notifications have checkboxes');
  const before = await unread(manager);

  const none = await b.post('/notifications/read', { action: 'selected' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /There is a problem/);
  assert.match(none.body, /href="#ids"/);
  assert.match(none.body, /Select the notifications to mark as read/);
  assert.equal(await unread(manager), before);

  const two = await b.post('/notifications/read', { action: 'selected', ids: ids.slice(0, 2) });
  assert.equal(two.statusCode, 303);
  assert.equal(two.headers.location, '/notifications?saved=read-2');
  const banner = await b.get(String(two.headers.location));
  assert.match(banner.body, /govuk-notification-banner--success/);
  assert.match(banner.body, /2 notifications marked as read/);
  assert.equal(await unread(manager), before - 2);

  // Someone else's notification cannot be marked through this form.
  const other = await db
    .selectFrom('notifications')
    .where('user_id', '!=', manager)
    .where('read_at', 'is', null)
    .select('id')
    .executeTakeFirstOrThrow();
  const theirs = await b.post('/notifications/read', { action: 'selected', ids: [other.id] });
  assert.equal(theirs.statusCode, 303);
  assert.equal(theirs.headers.location, '/notifications?saved=read-0');
  assert.equal(
    (await db.selectFrom('notifications').where('id', '=', other.id).select('read_at').executeTakeFirstOrThrow())
      .read_at,
    null,
  );

  const all = await b.post('/notifications/read', { action: 'all' });
  assert.equal(all.statusCode, 303);
  assert.equal(await unread(manager), 0);
  assert.match((await b.get(String(all.headers.location))).body, /All notifications marked as read/);
  // Without a CSRF token nothing changes.
  const forged = await b.post('/notifications/read', { action: 'all' }, { csrf: null });
  assert.equal(forged.statusCode, 403);
});
