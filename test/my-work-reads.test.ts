// My work's reads (issue 16 part 7), rewritten for county scale: the cases (allocated to me, and my teams' with no
// worker) in one statement built once, and the names checked one person at a time. Pinned here against the plain
// formulations they replaced, for every member of staff of the demo council: the same rows for the same data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Db } from '../src/db/database.ts';
import { relationshipConditions, type Viewer } from '../src/modules/access/repository.ts';
import { DEMO_AUTHORITY_CODE } from '../src/modules/demo/seed.ts';
import { casesOf, visibleNames } from '../src/modules/home/repository.ts';
import { testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const authority = await db
  .selectFrom('authorities')
  .where('code', '=', DEMO_AUTHORITY_CODE)
  .select('id')
  .executeTakeFirstOrThrow();

/** Every active member of staff of the demo council as a viewer, with their teams. */
async function viewers(): Promise<Viewer[]> {
  const users = await db
    .selectFrom('users as u')
    .where('u.authority_id', '=', authority.id)
    .where('u.active', '=', true)
    .select((eb) => [
      'u.id',
      'u.roles',
      eb.fn
        .coalesce(
          eb
            .selectFrom('team_members as m')
            .whereRef('m.user_id', '=', 'u.id')
            .select((e) => e.fn.agg<string[]>('array_agg', ['m.team_id']).as('t')),
          eb.val<string[]>([]),
        )
        .as('teamIds'),
    ])
    .orderBy('u.email')
    .execute();
  return users.map((u) => ({ id: u.id, authorityId: authority.id, roles: u.roles, teamIds: u.teamIds ?? [] }));
}

/** The plain formulation: open involvements of the council, with the person and team. */
function openCases(d: Db) {
  return d
    .selectFrom('involvements as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .where('i.authority_id', '=', authority.id)
    .where('i.end_date', 'is', null)
    .select(['i.id', 'p.id as person_id', 'p.case_number', 't.name as team_name', 'i.start_date']);
}

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

test('the cases in one statement are the ones allocated to each viewer and their teams’ with no worker', async () => {
  let allocatedSeen = 0;
  let unallocatedSeen = 0;
  for (const v of await viewers()) {
    const rows = await casesOf(db, v, 500);
    const allocated = await openCases(db).where('i.worker_id', '=', v.id).execute();
    const unallocated =
      v.teamIds.length === 0
        ? []
        : await openCases(db).where('i.worker_id', 'is', null).where('i.team_id', 'in', v.teamIds).execute();
    const strip = (kind: string) => rows.filter((r) => r.kind === kind).map(({ kind: _, ...r }) => r);
    assert.deepEqual(byId(strip('allocated')), byId(allocated), `allocated to ${v.id}`);
    assert.deepEqual(byId(strip('unallocated')), byId(unallocated), `unallocated in the teams of ${v.id}`);
    allocatedSeen += allocated.length;
    unallocatedSeen += unallocated.length;
  }
  // The demo has both, or the comparison proves nothing.
  assert.ok(allocatedSeen > 0 && unallocatedSeen > 0, `${allocatedSeen} allocated, ${unallocatedSeen} unallocated`);
  // Each list at most `limit`, oldest first.
  const busiest = (await viewers()).find((v) => v.teamIds.length > 0) as Viewer;
  const two = await casesOf(db, busiest, 2);
  for (const kind of ['allocated', 'unallocated']) {
    const dates = two.filter((r) => r.kind === kind).map((r) => r.start_date);
    assert.ok(dates.length <= 2);
    assert.deepEqual(dates, [...dates].sort());
  }
});

test('names: exactly the people each viewer may open (the relationship rules), checked one person at a time', async () => {
  const people = await db.selectFrom('people').select('id').orderBy('id').execute();
  // Another council's person is never named, even when asked for.
  const elsewhere = await db
    .selectFrom('people')
    .where('authority_id', '!=', authority.id)
    .select('id')
    .executeTakeFirst();
  const ids = people.map((p) => p.id);
  let named = 0;
  for (const v of await viewers()) {
    const names = await visibleNames(db, v, ids);
    const expected = await db
      .selectFrom('people as p')
      .where('p.authority_id', '=', v.authorityId)
      .where((eb) => eb.or(relationshipConditions(eb, v)))
      .select(['p.id', 'p.given_name', 'p.family_name'])
      .execute();
    assert.deepEqual(
      [...names].sort(([a], [b]) => a.localeCompare(b)),
      byId(expected).map((p) => [p.id, `${p.given_name} ${p.family_name}`]),
      `names for ${v.id}`,
    );
    if (elsewhere) assert.equal(names.has(elsewhere.id), false);
    named += names.size;
  }
  assert.ok(named > 0, 'somebody in the demo may open a record');
  assert.equal((await visibleNames(db, (await viewers())[0] as Viewer, [])).size, 0);
});
