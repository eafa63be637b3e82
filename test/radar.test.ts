// The transitions radar (issue 14 part 1): young people seeded at each list's edges (17y 5m and 17y 7m for the
// 6-month window, the first day of Year 9, a review due yesterday and one due today, a phase-transfer cohort, the
// academic year of the 25th birthday, an exploitation plan without a post-18 owner), so each list's membership is
// known; a row the viewer's relationships do not open is a count, never a name; bad filters name the field; the CSV
// writes one access-log row per person it names, in the export's transaction, and an audit row naming who exported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exploitationTransition } from '../src/protocols/exploitation-transition.ts';
import { tokenFor } from './contextual-setup.ts';
import { fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'rad');
const clock = fixedClock('2026-12-07T10:00:00Z');
const app = await testApp(db, { now: clock.now });
const sm = userByRole(org, 'service_manager');
const sendManager = userByRole(org, 'send_manager');
const worker = userByRole(org, 'social_worker');
const asSm = await tokenFor(db, sm.id);
const asSend = await tokenFor(db, sendManager.id);

const csc = await db
  .selectFrom('services')
  .where('authority_id', '=', org.authorityId)
  .where('kind', '=', 'childrens')
  .select('id')
  .executeTakeFirstOrThrow();
const newTeam = async (name: string, hub: string | null) =>
  (
    await db
      .insertInto('teams')
      .values({
        authority_id: org.authorityId,
        service_id: csc.id,
        name,
        locality_id: org.localityIds[1] ?? null,
        hub_id: hub,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
// Team One: the service manager is a member, so its young people are named to them. Team Two: no relationship.
const one = await newTeam('Radar Team One', org.hubIds[2] ?? null);
const two = await newTeam('Radar Team Two', null);
await db.insertInto('team_members').values({ team_id: one, user_id: sm.id }).execute();

let n = 0;
const person = async (dob: string, team = one) =>
  personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: worker.id,
    caseNumber: `RAD${String(++n).padStart(4, '0')}`,
    givenName: 'Radar',
    familyName: `Person${n}`,
    dateOfBirth: dob,
  });
const personPlan = (personId: string, pathway: boolean, provision: boolean) =>
  db
    .insertInto('plans')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      pathway_agreed: pathway,
      provision_in_place: provision,
    })
    .execute();
const ehcPlan = async (personId: string, o: { lastIssued?: string; reviewDue?: string; lastReview?: string } = {}) =>
  (
    await db
      .insertInto('ehc_plans')
      .values({
        authority_id: org.authorityId,
        person_id: personId,
        status: 'final',
        first_issued_date: o.lastIssued ?? '2024-01-10',
        last_issued_date: o.lastIssued ?? '2024-01-10',
        review_due_date: o.reviewDue ?? null,
        last_review_date: o.lastReview ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const review = (
  planId: string,
  personId: string,
  o: { held: string; pfa?: string | null; decision?: 'maintain' | 'amend' | 'cease'; decided?: string },
) =>
  db
    .insertInto('ehc_reviews')
    .values({
      authority_id: org.authorityId,
      plan_id: planId,
      person_id: personId,
      due_date: o.held,
      due_basis: 'annual',
      status: o.decision ? 'decided' : 'open',
      meeting_held_date: o.held,
      pfa: o.pfa ?? null,
      decision: o.decision ?? null,
      decision_date: o.decided ?? null,
    } as never)
    .execute();

// Today is 7 December 2026. The headline: turning 18 within 3 / 6 / 12 months.
const p17y5m = await person('2009-07-07'); // 18 on 7 July 2027: 7 months, no plan
const p17y7m = await person('2009-05-07'); // 18 on 7 May 2027: 5 months, pathway agreed but no provision
await personPlan(p17y7m, true, false);
const pTomorrow = await person('2008-12-08'); // 18 tomorrow, pathway not agreed
await personPlan(pTomorrow, false, true);
const pAgreed = await person('2009-01-20'); // 18 in January, pathway agreed and provision in place: not listed
await personPlan(pAgreed, true, true);
const pToday = await person('2008-12-07'); // 18 today: no longer approaching 18
const p16 = await person('2010-12-08'); // 18 in two years
const pUnrelated = await person('2009-06-01', two); // 18 in 6 months, in a team the manager has no relationship to
// Preparing for adulthood: Year 9 starts with those born by 31 August 2013.
const pY9 = await person('2013-08-31');
await review(await ehcPlan(pY9), pY9, { held: '2026-10-01', pfa: '  ' });
const pY8 = await person('2013-09-01');
await review(await ehcPlan(pY8), pY8, { held: '2026-10-01', pfa: null });
const pY10None = await person('2011-01-01'); // Year 11: Year 9 began 1 September 2024, no review since
await ehcPlan(pY10None);
const pY10Pfa = await person('2011-02-01');
await review(await ehcPlan(pY10Pfa), pY10Pfa, { held: '2025-06-01', pfa: 'Work experience; travel training' });
// Reviews (s.44): reviewed 12 months and a day ago, so due yesterday; and one due today.
const pOverdue = await person('2005-03-01');
await ehcPlan(pOverdue, { lastReview: '2025-12-06', reviewDue: '2026-12-06' });
const pDueToday = await person('2005-04-01');
await ehcPlan(pDueToday, { lastReview: '2025-12-07', reviewDue: '2026-12-07' });
// Phase transfer (reg 18): Year 6 in 2026/27, deadline 15 February 2027.
const pY6 = await person('2015-10-01');
await ehcPlan(pY6, { lastIssued: '2025-12-20' });
const pY6Kept = await person('2015-11-01');
await review(await ehcPlan(pY6Kept, { lastIssued: '2025-12-20' }), pY6Kept, {
  held: '2026-11-01',
  pfa: null,
  decision: 'maintain',
  decided: '2026-11-20',
});
// The 25th birthday: plans end on 31 July 2027 (born May 2002) and 31 July 2028 (born September 2002).
const p25 = await person('2002-05-01');
await ehcPlan(p25);
const p25Later = await person('2002-09-01');
await ehcPlan(p25Later);
// The exploitation cohort: an open joint plan without a post-18 owner, and one with an owner.
const transitionPlan = async (personId: string, owner: string | null) => {
  const inst = await db
    .insertInto('protocol_instances')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      protocol_id: exploitationTransition.id,
      protocol_version: exploitationTransition.version,
      started_by: sm.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('transition_plans')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      protocol_instance_id: inst.id,
      started_by: sm.id,
      started_how: 'scheduled',
      post18_owner_id: owner,
      post18_setting: owner ? 'exploitation_hub' : null,
    })
    .execute();
};
const pNoOwner = await person('2008-06-01'); // 18 already: the owner was due at 17½
await transitionPlan(pNoOwner, null);
const pOwner = await person('2008-07-01');
await transitionPlan(pOwner, sm.id);

interface List {
  key: string;
  rule: string;
  source: string;
  total: number;
  others: number;
  rows: { personId: string; name: string; on: string | null; detail: string }[];
}
const radar = async (query = '', headers = asSm) => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/radar?team=${one}${query}`, headers });
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json() as { lists: List[]; windows: Record<string, number>; notHeld: { title: string }[] };
  const list = (k: string) => body.lists.find((l) => l.key === k) as List;
  return { ...body, list, ids: (k: string) => list(k).rows.map((x) => x.personId) };
};
const same = (a: string[], b: string[]) => assert.deepEqual([...a].sort(), [...b].sort());

test('the headline: turning 18 within 3, 6 and 12 months without an agreed pathway or provision in place', async () => {
  const twelve = await radar();
  same(twelve.ids('turning18'), [p17y5m, p17y7m, pTomorrow]);
  assert.deepEqual(twelve.windows, { '3': 1, '6': 2, '12': 3 });
  const row = (id: string) => twelve.list('turning18').rows.find((x) => x.personId === id);
  assert.equal(row(p17y5m)?.detail, 'No person-led plan');
  assert.equal(row(p17y5m)?.on, '2027-07-07');
  assert.equal(row(p17y7m)?.detail, 'Provision not in place');
  assert.equal(row(pTomorrow)?.detail, 'Pathway not agreed');
  same((await radar('&months=6')).ids('turning18'), [p17y7m, pTomorrow]);
  same((await radar('&months=3')).ids('turning18'), [pTomorrow]);
  for (const out of [pAgreed, pToday, p16]) assert.ok(!twelve.ids('turning18').includes(out));
  assert.match(twelve.list('turning18').source, /Devon County Council/);
});

test('the EHC plan lists: preparing for adulthood from Year 9, reviews overdue, phase transfer, the 25th birthday', async () => {
  const r = await radar();
  same(r.ids('pfa'), [pY9, pY10None, pOverdue, pDueToday, p25, p25Later]);
  assert.ok(!r.ids('pfa').includes(pY8) && !r.ids('pfa').includes(pY10Pfa));
  assert.match(r.list('pfa').source, /reg 6\(1\)/);
  same(r.ids('review_overdue'), [pOverdue]);
  assert.equal(r.list('review_overdue').rows[0]?.on, '2026-12-06');
  assert.match(r.list('review_overdue').source, /s\.44/);
  // Year 6 (secondary, 15 February) and the two born in early 2011, in Year 11 (post-16, 31 March).
  same(r.ids('phase_transfer'), [pY6, pY10None, pY10Pfa]);
  assert.equal(r.list('phase_transfer').rows.find((x) => x.personId === pY6)?.on, '2027-02-15');
  assert.equal(r.list('phase_transfer').rows.find((x) => x.personId === pY10None)?.on, '2027-03-31');
  assert.ok(!r.ids('phase_transfer').includes(pY6Kept), 'reviewed and maintained in the window');
  assert.match(r.list('phase_transfer').source, /reg 18/);
  same(r.ids('age25'), [p25]);
  assert.equal(r.list('age25').rows[0]?.on, '2027-07-31');
  same(r.ids('post18_owner'), [pNoOwner]);
  assert.ok(!r.ids('post18_owner').includes(pOwner));
  assert.deepEqual(
    r.notHeld.map((x) => x.title),
    [
      'Care leavers aged 18 to 25 without a personal adviser',
      'Likely to need care and support after 18 without a Care Act transition assessment started',
    ],
  );
});

test('scoping: a row the viewer has no relationship to is a count, never a name', async () => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/radar?team=${two}`, headers: asSm });
  assert.equal(r.statusCode, 200, r.body);
  const headline = (r.json() as { lists: List[] }).lists.find((l) => l.key === 'turning18') as List;
  assert.deepEqual([headline.total, headline.rows.length, headline.others], [1, 0, 1]);
  assert.ok(!r.body.includes(pUnrelated) && !r.body.includes('RAD0007'), 'neither the id nor the case number');
  // The SEND manager has no relationship to Team One's young people either: the same lists, as counts.
  const send = await radar('', asSend);
  assert.equal(send.list('turning18').total, 3);
  assert.deepEqual(
    send.lists.map((l) => l.rows.length),
    send.lists.map(() => 0),
  );
  // The page says so too, with no name.
  const page = await app.inject({ method: 'GET', url: `/radar?team=${two}`, headers: asSm });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /1 young person on this list is not shown by name/);
  assert.doesNotMatch(page.body, /Person7/);
});

test('filters: by hub and locality (the team’s), and bad input named field by field', async () => {
  const byHub = await app.inject({ method: 'GET', url: `/api/v1/radar?hub=${org.hubIds[2]}`, headers: asSm });
  const hubHeadline = (byHub.json() as { lists: List[] }).lists[0] as List;
  same(
    hubHeadline.rows.map((x) => x.personId),
    [p17y5m, p17y7m, pTomorrow],
  );
  const inLocality = async (i: number) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/radar?locality=${org.localityIds[i]}`, headers: asSm });
    return (res.json() as { lists: List[] }).lists[0] as List;
  };
  const here = await inLocality(1);
  for (const id of [p17y5m, p17y7m, pTomorrow]) assert.ok(here.rows.some((x) => x.personId === id));
  assert.ok(here.others >= 1, 'Team Two’s young person is counted in the locality');
  const elsewhere = await inLocality(0);
  assert.ok(!elsewhere.rows.some((x) => [p17y5m, p17y7m, pTomorrow].includes(x.personId)));
  const bad = await app.inject({ method: 'GET', url: '/api/v1/radar?months=9&service=north', headers: asSm });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(Object.keys((bad.json() as { fields: object }).fields).sort(), ['months', 'service']);
  const badPage = await app.inject({ method: 'GET', url: '/radar?months=9&service=north', headers: asSm });
  assert.equal(badPage.statusCode, 400);
  assert.match(badPage.body, /Choose turning 18 within 3, 6 or 12 months/);
  assert.match(badPage.body, /Choose a service from the list/);
  const unknown = await app.inject({
    method: 'GET',
    url: '/radar?hub=00000000-0000-4000-8000-000000000000',
    headers: asSm,
  });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /govuk-error-summary/);
  assert.match(unknown.body, /Choose a SEND hub from the list: that hub is not one of this council’s/);
  const noList = await app.inject({ method: 'GET', url: '/radar.csv?list=everyone', headers: asSm });
  assert.equal(noList.statusCode, 400);
  assert.match(noList.body, /Choose the list to export/);
});

test('the CSV: one access-log row per person named, in the export, and an audit row naming who exported', async () => {
  const r = await app.inject({ method: 'GET', url: `/radar.csv?list=turning18&team=${one}&months=6`, headers: asSm });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(r.headers['content-type'] as string, /text\/csv/);
  const lines = r.body.trim().split('\r\n');
  assert.equal(lines[0], '"case_number","name","18th_birthday","reason"');
  assert.equal(lines.length, 3);
  const rows = await db
    .selectFrom('access_log')
    .where('user_id', '=', sm.id)
    .where('channel', '=', 'export')
    .select(['person_id', 'purpose'])
    .execute();
  same(
    rows.map((x) => x.person_id),
    [p17y7m, pTomorrow],
  );
  assert.ok(rows.every((x) => x.purpose === 'radar export: turning18'));
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'radar')
    .where('action', '=', 'export')
    .select(['actor_id', 'detail'])
    .execute();
  assert.equal(audit.length, 1);
  const [exported] = audit;
  assert.ok(exported);
  assert.equal(exported.actor_id, sm.id);
  assert.equal((exported.detail as { named: number }).named, 2);
});
