// The contextual safeguarding demo as `npx handover demo` makes it (issue 12 parts 3, 11 and 13): two places of
// concern and a peer group linked to young people of the exploitation cohort and to a person of concern, and two
// system blocks linked to cases, in the one register with the gap-vs-capacity entries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authUserById } from '../src/modules/auth/service.ts';
import { ensureDemo } from '../src/modules/demo/seed.ts';
import { ProtocolRegistry } from '../src/modules/protocols/registry.ts';
import { createServices } from '../src/services.ts';
import { fixedClock, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const clock = fixedClock('2026-11-23T10:00:00Z');
const config = testConfig();
await ensureDemo(db, { config, now: clock.now });
const authority = await db.selectFrom('authorities').where('code', '=', 'DEMO').select('id').executeTakeFirstOrThrow();
const { registry } = await ProtocolRegistry.load(config.protocolsDir);
const services = createServices(db, config, clock.now, registry);
const userByEmail = async (local: string) => {
  const u = await db
    .selectFrom('users')
    .where('email', '=', `${local}@demoshire.example`)
    .select('id')
    .executeTakeFirstOrThrow();
  const a = await authUserById(db, u.id);
  assert.ok(a);
  return a;
};

/** The case numbers linked to each place or group. */
async function linked(table: 'place_people' | 'peer_group_people', column: 'place_id' | 'peer_group_id', id: string) {
  const rows = await db
    .selectFrom(`${table} as l` as 'place_people as l')
    .innerJoin('people as p', 'p.id', 'l.person_id')
    .where(`l.${column}` as 'l.place_id', '=', id)
    .where('l.unlinked_at', 'is', null)
    .select('p.case_number')
    .orderBy('p.case_number')
    .execute();
  return rows.map((r) => r.case_number);
}

test('two places of concern and a peer group, linked to cohort young people and a person of concern', async () => {
  const places = await db
    .selectFrom('places')
    .where('authority_id', '=', authority.id)
    .select(['id', 'name', 'kind'])
    .orderBy('name')
    .execute();
  assert.deepEqual(
    places.map((p) => [p.name, p.kind]),
    [
      ['Riverside skate park', 'public_space'],
      ['Trowford bus station', 'transport'],
    ],
  );
  const groups = await db
    .selectFrom('peer_groups')
    .where('authority_id', '=', authority.id)
    .select(['id', 'name'])
    .execute();
  assert.deepEqual(
    groups.map((g) => g.name),
    ['The Mill Street group'],
  );
  const station = places[1]?.id as string;
  assert.deepEqual(await linked('place_people', 'place_id', station), ['HO120002', 'HO120003', 'HO120015', 'HO120025']);
  assert.deepEqual(await linked('place_people', 'place_id', places[0]?.id as string), [
    'HO120005',
    'HO120013',
    'HO120016',
  ]);
  assert.deepEqual(await linked('peer_group_people', 'peer_group_id', groups[0]?.id as string), [
    'HO120003',
    'HO120013',
    'HO120015',
    'HO120016',
  ]);
  // Every one of them is in the screened cohort.
  const linkedIds = await db.selectFrom('place_people').select('person_id').execute();
  const screened = await db
    .selectFrom('screenings')
    .where(
      'person_id',
      'in',
      linkedIds.map((l) => l.person_id),
    )
    .select('person_id')
    .distinct()
    .execute();
  assert.equal(screened.length, new Set(linkedIds.map((l) => l.person_id)).size);
  const concerns = await db
    .selectFrom('concern_links as c')
    .innerJoin('persons_of_concern as k', 'k.id', 'c.person_of_concern_id')
    .where('c.authority_id', '=', authority.id)
    .where('c.person_id', 'is', null)
    .select(['k.name', 'c.place_id', 'c.peer_group_id'])
    .execute();
  assert.equal(concerns.length, 2);
  assert.ok(concerns.every((c) => c.name === 'Known as “Kaz”'));
  assert.ok(concerns.some((c) => c.place_id === station));
  assert.ok(concerns.some((c) => c.peer_group_id === groups[0]?.id));
  // Each link is on the young person's timeline.
  const events = await db
    .selectFrom('events')
    .where('title', 'like', 'Linked to a place of concern:%')
    .select('title')
    .execute();
  assert.equal(events.length, 7);

  // As the exploitation lead sees it: the Exploitation Hub's young person (and any whose step they own) by name,
  // the others a count.
  const hub = await db
    .selectFrom('people')
    .where('case_number', '=', 'HO120025')
    .select('id')
    .executeTakeFirstOrThrow();
  const lead = await userByEmail('exploitation.lead');
  const shown = await services.contextual.show(lead, 'places', station);
  assert.ok(shown.known.some((p) => p.id === hub.id));
  assert.equal(shown.known.length + shown.others, 4);
  assert.equal(shown.concerns.length, 1);
  const police = await userByEmail('police.officer');
  const byPolice = await services.contextual.show(police, 'places', station);
  // (The police partner sits on the High Risk Exploitation Meeting: the young people on its agenda are theirs too.)
  assert.equal(byPolice.known.length + byPolice.others, 4);
});

test('two system blocks linked to cases, in the one register with the gap-vs-capacity entries', async () => {
  const lead = await userByEmail('exploitation.lead');
  const { blocks, gaps } = await services.cohort.register(lead, 'api');
  assert.deepEqual(blocks.map((b) => [b.kind, b.status, b.cases]).sort(), [
    ['adult_services_threshold', 'open', 2],
    ['housing_18_25', 'open', 2],
  ]);
  assert.ok(gaps.length > 0, 'the transitions demo’s gap-vs-capacity entries are in the same register');
  const cases = await db
    .selectFrom('system_block_cases as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .select('p.case_number')
    .orderBy('p.case_number')
    .execute();
  assert.deepEqual(
    cases.map((c) => c.case_number),
    ['HO120013', 'HO120025', 'HO120028', 'HO120030'],
  );
  // The cohort has the demo's screenings at several levels.
  const cohort = await services.cohort.cohort(lead, {}, 'api');
  assert.ok(cohort.total >= 30, `cohort total ${cohort.total}`);
  assert.ok(Object.keys(cohort.now).length >= 3);
});
