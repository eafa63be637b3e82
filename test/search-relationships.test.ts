// Issue 16 part 5: the search of people is driven from the viewer's related people (relatedPeople) rather than
// checking every person of the council. For viewers with each kind of relationship (team member, allocated worker,
// line manager, an outside agency's panel member, someone with none, an advice giver), the search returns exactly
// the people the record check (findRelationship, the same rules one person at a time) opens, in name order, for a
// common surname, a full name, a name matching nobody and no name at all; and never anyone else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRelationship, type Viewer } from '../src/modules/access/repository.ts';
import { findPeople } from '../src/modules/people/search.ts';
import { seedOrganisation, testDatabase } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'srl');
const A = org.authorityId;
const team = (key: string) => org.teams[key] as string;
const [north, south, ypt, cic] = ['dct-north', 'dct-south', 'ypt', 'cic'].map(team) as [string, string, string, string];

async function user(name: string, roles: string[], teams: string[], lineManager: string | null = null) {
  const { id } = await db
    .insertInto('users')
    .values({
      authority_id: A,
      email: `${name}.srl@example.test`,
      display_name: `Viewer ${name}`,
      roles,
      line_manager_id: lineManager,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (teams.length)
    await db
      .insertInto('team_members')
      .values(teams.map((t) => ({ team_id: t, user_id: id })))
      .execute();
  return { id, authorityId: A, teamIds: teams, roles } satisfies Viewer;
}

const manager = await user('manager', ['team_manager'], []);
const member = await user('member', ['social_worker'], [north]);
const allocated = await user('allocated', ['social_worker'], [ypt], manager.id);
const agency = await user('agency', ['panel_member'], []);
const nobody = await user('nobody', ['social_worker'], [cic]);
const adviser = await user('adviser', ['advice_giver'], [north]);
const other = await user('other', ['social_worker'], [south]);

let serial = 0;
/** A young person with one involvement (open unless `ended`) in `team`, allocated to `worker`. */
async function person(given: string, family: string, teamId: string, worker: string | null, ended = false) {
  serial++;
  const { id } = await db
    .insertInto('people')
    .values({
      authority_id: A,
      case_number: `SRL-${serial}`,
      given_name: given,
      family_name: family,
      date_of_birth: '2012-03-04',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: A,
      person_id: id,
      team_id: teamId,
      worker_id: worker,
      reason: 'Child in need',
      start_date: '2026-01-05',
      end_date: ended ? '2026-03-01' : null,
    })
    .execute();
  return id;
}

/** The council's panel of `kind` (one each), with the agency's member on it. */
async function panel(kind: 'forum' | 'governance', pseudonymised: boolean) {
  const found = await db
    .selectFrom('panels')
    .where('authority_id', '=', A)
    .where('kind', '=', kind)
    .select(['id', 'pseudonymised'])
    .executeTakeFirst();
  const row =
    found ??
    (await db
      .insertInto('panels')
      .values({ authority_id: A, kind, name: `Panel ${kind}`, pseudonymised })
      .returning(['id', 'pseudonymised'])
      .executeTakeFirstOrThrow());
  assert.equal(row.pseudonymised, pseudonymised, `the ${kind} panel is ${pseudonymised ? '' : 'not '}pseudonymised`);
  await db
    .insertInto('panel_members')
    .values({ panel_id: row.id, user_id: agency.id, area: 'health' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return row.id;
}

async function panelItem(personId: string, panelId: string, status: 'open' | 'closed' = 'open') {
  await db
    .insertInto('panel_items')
    .values({
      authority_id: A,
      panel_id: panelId,
      person_id: personId,
      source: 'referral_form',
      question: 'Who supports this young person?',
      status,
    })
    .execute();
}

// "Marlow" is the common surname: in the member's team (allocated to someone else, and not allocated), in another
// team allocated to the line-managed worker, on panels, ended, and in teams none of the viewers is in.
const ids = {
  northAlice: await person('Alice', 'Marlow', north, other.id),
  northBen: await person('Ben', 'Marlow', north, null),
  northCara: await person('Cara', 'Hale', north, null),
  southDan: await person('Dan', 'Marlow', south, allocated.id),
  southEve: await person('Eve', 'Marlow', south, other.id),
  southFay: await person('Fay', 'Marlow', south, null),
  panelGus: await person('Gus', 'Marlow', south, null),
  pseudoHal: await person('Hal', 'Marlow', south, null),
  closedIvy: await person('Ivy', 'Marlow', south, null),
  endedJo: await person('Jo', 'Marlow', north, member.id, true),
  yptKit: await person('Kit', 'Marlowe', ypt, null),
};
const forum = await panel('forum', false);
await panelItem(ids.panelGus, forum);
await panelItem(ids.pseudoHal, await panel('governance', true));
await panelItem(ids.closedIvy, forum, 'closed');

const everyone = Object.values(ids);
const byId = new Map(
  (await db.selectFrom('people').where('id', 'in', everyone).select(['id', 'given_name', 'family_name']).execute()).map(
    (p) => [p.id, p],
  ),
);
const today = '2026-11-23';

/** The people of `name` the record check opens for `v`, one at a time, in the search's order (family, given, id). */
async function allowed(v: Viewer, name: string) {
  const words = name.toLowerCase().split(/\s+/).filter(Boolean);
  const out = [];
  for (const id of everyone) {
    const p = byId.get(id);
    if (!p) continue;
    const hit = words.every((w) => [p.given_name, p.family_name].some((n) => n.toLowerCase().startsWith(w)));
    if (hit && (await findRelationship(db, v, id, new Date())).related) out.push(p);
  }
  out.sort((a, b) => a.family_name.localeCompare(b.family_name) || a.given_name.localeCompare(b.given_name));
  return out.map((p) => p.id);
}

async function search(v: Viewer, name: string) {
  const { rows, total } = await findPeople(db, v, { name }, { today, sort: 'name', page: 1, pageSize: 50 });
  assert.equal(total, rows.length, 'the count agrees with the rows');
  return rows.map((r) => r.id);
}

const viewers = { member, allocated, manager, agency, nobody, adviser, other };
// What each viewer may see of the Marlows (and the Marlowe), by the rules written out by hand.
const expected: Record<keyof typeof viewers, string[]> = {
  member: [ids.northAlice, ids.northBen],
  allocated: [ids.southDan, ids.yptKit],
  manager: [ids.southDan],
  agency: [ids.panelGus],
  nobody: [],
  adviser: [],
  other: [ids.northAlice, ids.southDan, ids.southEve, ids.southFay, ids.panelGus, ids.pseudoHal, ids.closedIvy],
};

test('a common surname: each viewer gets exactly the people their relationships open, in name order', async () => {
  for (const [label, v] of Object.entries(viewers) as [keyof typeof viewers, Viewer][]) {
    const found = await search(v, 'marlow');
    assert.deepEqual(found, await allowed(v, 'marlow'), `${label}: the same people as the record check`);
    assert.deepEqual(new Set(found), new Set(expected[label]), `${label}: the people the rules allow`);
  }
  // Nobody outside the rules, ever: the people no viewer here is related to are never returned.
  const seen = new Set((await Promise.all(Object.values(viewers).map((v) => search(v, 'marlow')))).flat());
  assert.ok(!seen.has(ids.endedJo), 'an ended involvement opens nothing');
  assert.equal((await search(nobody, 'marlow')).length, 0);
  assert.equal((await search(adviser, 'marlow')).length, 0, 'an advice giver reaches no record, even in a team');
});

test('a full name, a prefix, a name matching nobody and no name at all agree with the record check', async () => {
  for (const [label, v] of Object.entries(viewers)) {
    for (const name of ['dan marlow', 'Ben Mar', 'Qzxv', 'Marlowe', 'hale', 'M_rlow', 'marl%', 'a']) {
      assert.deepEqual(await search(v, name), await allowed(v, name), `${label} searching "${name}"`);
    }
  }
  assert.deepEqual(await search(member, 'Qzxv'), []);
  assert.deepEqual(await search(member, 'hale'), [ids.northCara]);
  // Browsing (no name): every related person of the council, nobody else.
  const { rows } = await findPeople(db, manager, {}, { today, sort: 'name', page: 1, pageSize: 50 });
  const mine = rows.map((r) => r.id).filter((id) => everyone.includes(id));
  assert.deepEqual(mine, [ids.southDan]);
});
