// The timeline past its newest 100 events (issue 16 part 4): GET /api/v1/people/:personId/timeline pages by keyset on
// (at, id), newest first, so every event is reached once, even when events share a time or arrive mid-walk; bad
// `before`/`limit` name the field; each page's read is logged. The record page reaches the same events by its pages.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'tl');
const clock = fixedClock('2026-12-05T10:05:00Z');
const app = await testApp(db, { now: clock.now });
const manager = userByRole(org, 'team_manager');
const team = org.teams['dct-north'] as string;

const b = new Browser(app);
await b.login(manager.email);
const made = await b.post('/people', {
  given_name: 'Tamsin',
  family_name: 'Oakridge',
  'date_of_birth-day': '3',
  'date_of_birth-month': '4',
  'date_of_birth-year': '2013',
  team_id: team,
  reason: 'Child in need assessment',
  allocate_to_me: 'yes',
  create_anyway: 'yes',
});
assert.equal(made.statusCode, 303, made.body.slice(0, 300));
const personId = String(made.headers.location).split('?')[0]!.split('/').pop()!;

// The record's own events, then 130 more: Event 1 the oldest; Events 41–80 all at one instant (only id orders them).
await db
  .updateTable('events')
  .set({ at: new Date('2026-12-01T09:00:00Z') })
  .where('person_id', '=', personId)
  .execute();
const before = await db.selectFrom('events').where('person_id', '=', personId).select('id').execute();
for (let i = 1; i <= 130; i++) {
  const at = i > 40 && i <= 80 ? Date.parse('2026-12-02T12:00:00Z') : Date.parse('2026-12-02T10:00:00Z') + i * 60_000;
  await db
    .insertInto('events')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      kind: 'record',
      title: `Event ${i}`,
      actor_id: manager.id,
      at: new Date(i > 80 ? at + 3 * 3_600_000 : at),
    })
    .execute();
}
const total = before.length + 130;

const token = `hov_${randomBytes(16).toString('hex')}`;
await db
  .insertInto('api_tokens')
  .values({ user_id: manager.id, token_hash: sha256(token), label: 'timeline test' })
  .execute();
const api = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
const logged = async () =>
  Number(
    (
      await db
        .selectFrom('access_log')
        .where('person_id', '=', personId)
        .where('channel', '=', 'api')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the API walks the whole timeline newest first, every event once, past the newest 100', async () => {
  const record = await api(`/api/v1/people/${personId}`);
  assert.equal(record.statusCode, 200, record.body);
  assert.equal(record.json().timeline.length, 100, 'the record answers the newest 100');
  const nextBefore = record.json().timeline_next_before;
  assert.equal(typeof nextBefore, 'number', 'and says where the older ones start');

  const logsBefore = await logged();
  const seen: { id: number; at: string; title: string }[] = [];
  let url: string | null = `/api/v1/people/${personId}/timeline`;
  let pages = 0;
  while (url) {
    const res = await api(url);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    seen.push(...body.items);
    url = body.next;
    pages++;
    // An event written mid-walk is newer than every page still to come: it is not repeated, nothing is skipped.
    if (pages === 1) {
      await db
        .insertInto('events')
        .values({
          authority_id: org.authorityId,
          person_id: personId,
          kind: 'record',
          title: 'Mid-walk',
          at: clock.now(),
        })
        .execute();
    }
  }
  assert.equal(pages, Math.ceil(total / 50));
  assert.equal(seen.length, total, 'every event');
  assert.equal(new Set(seen.map((e) => e.id)).size, total, 'nothing twice');
  assert.ok(!seen.some((e) => e.title === 'Mid-walk'));
  for (let i = 1; i < seen.length; i++) {
    const [a, z] = [seen[i - 1]!, seen[i]!];
    assert.ok(a.at > z.at || (a.at === z.at && a.id > z.id), `newest first at ${i}`);
  }
  assert.equal(seen[100]!.title, 'Event 30', 'the 101st event is reached');
  assert.equal(seen.at(-1)!.title, 'Record created');
  assert.equal((await logged()) - logsBefore, pages, 'each page’s read is logged');

  // The record's cursor (read before the walk) starts the page after its 100: its 101st first.
  const older = await api(`/api/v1/people/${personId}/timeline?before=${nextBefore}&limit=5`);
  assert.equal(older.statusCode, 200, older.body);
  assert.deepEqual(
    older.json().items.map((e: { title: string }) => e.title),
    ['Event 30', 'Event 29', 'Event 28', 'Event 27', 'Event 26'],
  );
  assert.match(older.json().next, /limit=5$/);
});

test('a bad before or limit answers 400 naming the field; nothing is logged', async () => {
  const other = await db.selectFrom('events').where('person_id', '<>', personId).select('id').executeTakeFirst();
  const logsBefore = await logged();
  for (const [query, field] of [
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?before=-1', 'before'],
    ['?before=abc', 'before'],
    ['?before=999999999', 'before'],
    ...(other ? [[`?before=${other.id}`, 'before']] : []),
  ] as const) {
    const res = await api(`/api/v1/people/${personId}/timeline${query}`);
    assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
    assert.match(res.body, new RegExp(field), query);
  }
  assert.equal(await logged(), logsBefore);
});

test('the record page reaches the same 101st event through its pages', async () => {
  const page5 = await b.get(`/people/${personId}?page=5`);
  assert.equal(page5.statusCode, 200);
  const titles = [...page5.body.matchAll(/class="moj-timeline__title">([^<]*)</g)].map((m) => m[1]);
  // 131 events + 'Mid-walk' (the newest): the 101st of today's list is Event 31 (Mid-walk shifted it by one).
  assert.equal(titles[0], 'Event 31');
  assert.match(page5.body, new RegExp(`Page 5 of ${Math.ceil((total + 1) / 25)}`));
});
