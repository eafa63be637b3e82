// An outside probe of issue 12's routes (transitional safeguarding): signed in as each role without a relationship,
// as a member of another council, and acting on ids that belong to someone else. Every assertion states the SAFE
// behaviour, so a hole makes a test fail: no record read without a relationship (pages and API), no other
// council's rows, child ids checked against the :personId in the URL, names on places and groups only as far as
// relationships allow, aggregate views with no identifiers, formula-safe CSV, escaped free text, CSRF on every new
// form, stale versions refused, the exploitation meetings kept to their members, and access-log rows on reads.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'probe');
const elsewhere = await seedOrganisation(db, 'probeb');
const clock = fixedClock('2026-11-23T10:00:00Z'); // Monday 23 November 2026
const app = await testApp(db, { now: clock.now });

const worker = userByRole(org, 'social_worker');
const manager = userByRole(org, 'team_manager'); // dct-north, screening:confirm
const lead = userByRole(org, 'exploitation_lead');
const police = userByRole(org, 'panel_member');
const advice = userByRole(org, 'advice_giver');
const forumChair = userByRole(org, 'forum_chair');
const dpo = userByRole(org, 'service_manager'); // subject-access:manage: the sharing register
const { id: commissionerId } = await db
  .insertInto('users')
  .values({
    authority_id: org.authorityId,
    email: 'commissioner@probe.test.example',
    display_name: 'Cora Commissioner',
    roles: ['commissioner'],
    password_hash: null,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const otherLead = userByRole(elsewhere, 'exploitation_lead');
const otherDpo = userByRole(elsewhere, 'service_manager');

async function tokenFor(userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'probe' })
    .execute();
  return { authorization: `Bearer ${token}` };
}
const as = {
  worker: await tokenFor(worker.id),
  manager: await tokenFor(manager.id),
  lead: await tokenFor(lead.id),
  police: await tokenFor(police.id),
  advice: await tokenFor(advice.id),
  forumChair: await tokenFor(forumChair.id),
  commissioner: await tokenFor(commissionerId),
  dpo: await tokenFor(dpo.id),
  otherLead: await tokenFor(otherLead.id),
  otherDpo: await tokenFor(otherDpo.id),
};
type Who = keyof typeof as;

async function call(method: 'GET' | 'POST' | 'PUT', url: string, who: Who, payload?: object) {
  return app.inject({ method, url, headers: as[who], ...(payload === undefined ? {} : { payload }) });
}
async function signedIn(email: string) {
  const b = new Browser(app);
  await b.login(email);
  return b;
}

// Canary young people: distinctive names, case numbers and dates of birth that must never reach a viewer who does
// not work with them, nor any aggregate view.
const north = org.teams['dct-north'] as string;
const south = org.teams['dct-south'] as string;
const mine = await personInTeam(db, {
  authorityId: org.authorityId,
  team: north,
  worker: worker.id,
  caseNumber: 'PRBMINE01',
  givenName: 'Quillon',
  familyName: 'Minecanary',
  dateOfBirth: '2010-03-07',
});
const sibling = await personInTeam(db, {
  authorityId: org.authorityId,
  team: north,
  worker: worker.id,
  caseNumber: 'PRBSIBL02',
  givenName: 'Ysolde',
  familyName: 'Siblingcanary',
  dateOfBirth: '2010-06-11',
});
// In another team, allocated to nobody: no one in this file works with them.
const stranger = await personInTeam(db, {
  authorityId: org.authorityId,
  team: south,
  worker: null,
  caseNumber: 'PRBSTRG03',
  givenName: 'Zebedee',
  familyName: 'Strangercanary',
  dateOfBirth: '2009-12-24',
});
const CANARIES = [
  'Quillon',
  'Minecanary',
  'PRBMINE01',
  '2010-03-07',
  'Ysolde',
  'Siblingcanary',
  'PRBSIBL02',
  '2010-06-11',
  'Zebedee',
  'Strangercanary',
  'PRBSTRG03',
  '2009-12-24',
  mine,
  sibling,
  stranger,
];
const STRANGER = ['Zebedee', 'Strangercanary', 'PRBSTRG03', '2009-12-24'];
function noneOf(body: string, words: readonly string[], where: string) {
  for (const w of words) assert.ok(!body.includes(w), `${where} leaks ${w}`);
}

async function screening(personId: string, level: 'low' | 'medium' | 'high') {
  const rank = ['low', 'medium', 'high'].indexOf(level);
  const row = await db
    .insertInto('screenings')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      instrument_id: 'child-exploitation',
      instrument_version: 1,
      screened_on: '2026-11-20',
      age_at_screening: 16,
      send_or_learning_disability: false,
      answers: JSON.stringify({}),
      suggested_level: level,
      proposed_level: level,
      proposed_rank: rank,
      proposed_by: worker.id,
      confirmed_level: null,
      confirmed_rank: null,
      confirmed_by: null,
      review_due: '2027-02-20',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
// Mine and the sibling are high (on the meeting's agenda); the stranger is medium (on no agenda).
const mineScreening = await screening(mine, 'high');
const siblingScreening = await screening(sibling, 'high');
const strangerScreening = await screening(stranger, 'medium');

// The High Risk Exploitation Meeting: the police officer is a member, the lead chairs.
const leadBrowser = await signedIn(lead.email);
for (const [user_id, area, chair] of [
  [police.id, 'police', ''],
  [lead.id, 'adult', 'yes'],
] as const) {
  const r = await leadBrowser.post('/exploitation-meetings/hrem/members', {
    user_id,
    area,
    ...(chair ? { chair } : {}),
  });
  assert.equal(r.statusCode, 303, r.body);
}
const meetingRes = await call('POST', '/api/v1/exploitation-meetings/hrem/meetings', 'lead', {
  meeting_date: '2026-11-23',
});
assert.equal(meetingRes.statusCode, 201, meetingRes.body);
const meetingId: string = meetingRes.json().id;
const agenda = await db
  .selectFrom('panel_items')
  .where('meeting_id', '=', meetingId)
  .select(['id', 'person_id', 'panel_id'])
  .execute();
const itemOf = (personId: string) => agenda.find((i) => i.person_id === personId)?.id as string;
assert.ok(itemOf(mine) && itemOf(sibling), 'the high screenings are on the agenda');
assert.ok(!itemOf(stranger), 'the medium screening is not');
const hremPanelId = agenda[0]?.panel_id as string;

// A decision on the sibling's case with an action owned by the police officer.
const decision = await call(
  'POST',
  `/api/v1/exploitation-meetings/meetings/${meetingId}/items/${itemOf(sibling)}/decisions`,
  'lead',
  {
    level: 'high',
    decision: 'Disruption plan with police.',
    action_description: 'Disruption visit',
    owner_user_id: police.id,
    due_date: '2026-11-30',
    share: false,
  },
);
assert.equal(decision.statusCode, 201, decision.body);
const siblingAction = (
  await db.selectFrom('exploitation_actions').where('person_id', '=', sibling).select('id').executeTakeFirstOrThrow()
).id;

// A place and a peer group with the young person the worker works with and the stranger linked.
const place = await call('POST', '/api/v1/places', 'lead', {
  name: 'Riverside car park',
  area: 'Trowbridge',
  kind: 'public_space',
  description: 'Cars parked late at night',
});
assert.equal(place.statusCode, 201, place.body);
const placeId: string = place.json().id;
const group = await call('POST', '/api/v1/peer-groups', 'lead', { name: 'The Station lot', area: 'Trowbridge' });
assert.equal(group.statusCode, 201, group.body);
const groupId: string = group.json().id;
for (const [target, target_id] of [
  ['place', placeId],
  ['peer_group', groupId],
]) {
  const r = await call('POST', `/api/v1/people/${mine}/contextual-links`, 'worker', {
    target,
    target_id,
    note: 'Seen there on Friday nights',
  });
  assert.equal(r.statusCode, 201, r.body);
}
await db
  .insertInto('place_people')
  .values({ authority_id: org.authorityId, place_id: placeId, person_id: stranger, note: 'x', linked_by: lead.id })
  .execute();
await db
  .insertInto('peer_group_people')
  .values({ authority_id: org.authorityId, peer_group_id: groupId, person_id: stranger, note: 'x', linked_by: lead.id })
  .execute();

// The sibling's board case, sharing entry and mentoring referral (the worker works with the sibling too).
const boardRes = await call('POST', `/api/v1/people/${sibling}/solutions`, 'worker', {
  problem: 'Goes missing at weekends',
  tried_1_what: 'Return home interviews',
  tried_1_when: 'Since September 2026',
  tried_1_result: 'Says nothing',
  why_stuck: 'Will not engage',
});
assert.equal(boardRes.statusCode, 201, boardRes.body);
const siblingCase: string = boardRes.json().id;

const entry = (over: Record<string, unknown> = {}) => ({
  decision: 'share',
  what: '@SUM(A1:A9)',
  recipient_organisation: '=HYPERLINK("http://evil.example")',
  recipient_role: 'Designated safeguarding lead',
  recipient_name: '+441632960000',
  decided_on: '2026-11-20',
  purpose: '-2+3 purpose',
  necessity: 'The school needs it to keep her safe',
  lawful_basis: 'public_task',
  special_category: false,
  art9_condition: null,
  schedule1_condition: null,
  consent: 'with_consent',
  views: null,
  person_told: true,
  not_told_reason: null,
  reasoning: 'Needed for the safety plan',
  ...over,
});
const shareRes = await call('POST', `/api/v1/people/${sibling}/sharing`, 'worker', entry());
assert.equal(shareRes.statusCode, 201, shareRes.body);
const siblingEntry: string = shareRes.json().id;

const mentorRef = await call('POST', `/api/v1/people/${sibling}/mentoring`, 'worker', {
  reason: 'Needs a trusted adult',
  hopes: 'Football on Saturdays',
  goals: ['Go to college', 'Stay safe at weekends'],
});
assert.equal(mentorRef.statusCode, 201, mentorRef.body);
const siblingReferral: string = mentorRef.json().id;

const accessRows = (personId: string, userId: string) =>
  db
    .selectFrom('access_log')
    .where('person_id', '=', personId)
    .where('user_id', '=', userId)
    .select(['purpose', 'channel'])
    .execute();

const strangerUrls = [
  `/people/${stranger}/screenings`,
  `/people/${stranger}/screenings/${strangerScreening}`,
  `/people/${stranger}/risk`,
  `/people/${stranger}/mentoring`,
  `/people/${stranger}/solutions`,
  `/people/${stranger}/transition-plan`,
  `/people/${stranger}/sharing`,
  `/people/${stranger}/contextual`,
  `/people/${stranger}/exploitation-meetings`,
  `/api/v1/people/${stranger}/screenings`,
  `/api/v1/people/${stranger}/screenings/${strangerScreening}`,
  `/api/v1/people/${stranger}/risk`,
  `/api/v1/people/${stranger}/mentoring`,
  `/api/v1/people/${stranger}/solutions`,
  `/api/v1/people/${stranger}/transition-plan`,
  `/api/v1/people/${stranger}/sharing`,
  `/api/v1/people/${stranger}/contextual-links`,
  `/api/v1/people/${stranger}/exploitation-meetings`,
];

test('without a relationship, no role reads a young person’s screening, risk view, mentoring, board, plan, sharing or links', async () => {
  for (const who of ['worker', 'police', 'commissioner', 'advice', 'forumChair'] as const) {
    for (const url of strangerUrls) {
      const res = await call('GET', url, who);
      assert.ok([403, 404].includes(res.statusCode), `${who} GET ${url}: ${res.statusCode}`);
      noneOf(res.body, STRANGER, `${who} GET ${url}`);
    }
  }
  assert.deepEqual(
    (await db.selectFrom('access_log').where('person_id', '=', stranger).select('user_id').execute()).length,
    0,
    'no read of the stranger was logged, because none happened',
  );
});

test('another council’s accounts reach none of this council’s rows, by person, meeting, place, case or list', async () => {
  for (const url of strangerUrls.map((u) => u.replaceAll(stranger, sibling))) {
    for (const who of ['otherLead', 'otherDpo'] as const) {
      const res = await call('GET', url, who);
      assert.equal(res.statusCode, 404, `${who} GET ${url}`);
      noneOf(res.body, CANARIES, `${who} GET ${url}`);
    }
  }
  const byId = [
    `/places/${placeId}`,
    `/peer-groups/${groupId}`,
    `/api/v1/places/${placeId}`,
    `/api/v1/peer-groups/${groupId}`,
    `/exploitation-meetings/meetings/${meetingId}`,
    `/api/v1/exploitation-meetings/meetings/${meetingId}`,
    `/people/${sibling}/board/${siblingCase}`,
    `/mentoring/people/${sibling}/referrals/${siblingReferral}`,
    `/people/${sibling}/exploitation-actions/${siblingAction}`,
    `/panels/meetings/${meetingId}`,
    `/panels/${hremPanelId}`,
  ];
  for (const url of byId) {
    const res = await call('GET', url, 'otherLead');
    assert.equal(res.statusCode, 404, `otherLead GET ${url}: ${res.statusCode}`);
    noneOf(res.body, CANARIES, `otherLead GET ${url}`);
  }
  const lists = [
    '/places',
    '/peer-groups',
    '/api/v1/places',
    '/api/v1/peer-groups',
    '/api/v1/persons-of-concern',
    '/exploitation-meetings',
    '/api/v1/exploitation-meetings',
    '/cohort',
    '/api/v1/cohort',
    '/system-blocks',
    '/api/v1/system-blocks',
    '/solutions',
    '/solutions/register',
    '/api/v1/solutions/register',
    '/mentoring',
  ];
  for (const url of lists) {
    const res = await call('GET', url, 'otherLead');
    assert.equal(res.statusCode, 200, `otherLead GET ${url}`);
    noneOf(res.body, [...CANARIES, placeId, groupId, meetingId, 'Riverside car park'], `otherLead GET ${url}`);
  }
  for (const url of ['/api/v1/sharing', '/sharing', '/sharing/register.csv']) {
    const res = await call('GET', url, 'otherDpo');
    assert.equal(res.statusCode, 200, `otherDpo GET ${url}`);
    noneOf(res.body, [...CANARIES, siblingEntry, 'evil.example'], `otherDpo GET ${url}`);
  }
  // Acting across councils: resolving another council's system block, linking a case to it, acting on its meeting.
  const block = await call('POST', '/api/v1/system-blocks', 'lead', {
    kind: 'housing_18_25',
    description: 'No supported housing',
  });
  assert.equal(block.statusCode, 201, block.body);
  const otherB = await signedIn(otherLead.email);
  const resolve = await otherB.post(`/system-blocks/${block.json().id}/resolve`, { what_changed: 'x', version: '1' });
  assert.equal(resolve.statusCode, 404, `resolve another council's block: ${resolve.statusCode}`);
  const agendaRefresh = await call('POST', `/api/v1/exploitation-meetings/meetings/${meetingId}/agenda`, 'otherLead');
  assert.equal(agendaRefresh.statusCode, 404);
});

test('ids of another young person under :personId are not found (screenings, actions, board, mentoring, sharing)', async () => {
  const notFound = async (who: Who, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await call(method, url, who, payload);
    assert.equal(res.statusCode, 404, `${who} ${method} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    noneOf(res.body, ['Ysolde', 'Siblingcanary', 'PRBSIBL02'], `${who} ${method} ${url}`);
  };
  await notFound('worker', 'GET', `/people/${mine}/screenings/${siblingScreening}`);
  await notFound('worker', 'GET', `/api/v1/people/${mine}/screenings/${siblingScreening}`);
  await notFound('manager', 'GET', `/people/${mine}/screenings/${siblingScreening}/confirm`);
  await notFound('manager', 'POST', `/api/v1/people/${mine}/screenings/${siblingScreening}/confirm`, {
    level: 'low',
    reason: 'probe',
  });
  await notFound('police', 'GET', `/people/${mine}/exploitation-actions/${siblingAction}`);
  await notFound('police', 'POST', `/api/v1/people/${mine}/exploitation-actions/${siblingAction}/outcome`, {
    outcome: 'done',
  });
  await notFound('lead', 'GET', `/people/${mine}/board/${siblingCase}`);
  await notFound('lead', 'POST', `/api/v1/people/${mine}/solutions/${siblingCase}/consider`, {
    decision: 'decline',
    version: 1,
    meeting_date: '2026-11-20',
    category: 'missing',
    board_problem: 'probe',
    decline_reason: 'probe',
  });
  await notFound('lead', 'GET', `/mentoring/people/${mine}/referrals/${siblingReferral}`);
  await notFound('lead', 'POST', `/api/v1/mentoring/people/${mine}/referrals/${siblingReferral}/decline`, {
    reason: 'probe',
    version: 1,
  });
  await notFound('worker', 'GET', `/people/${mine}/sharing/${siblingEntry}/correct`);
  await notFound('worker', 'GET', `/people/${mine}/sharing/new?source=screening&sourceId=${siblingScreening}`);
  const foreign = await call(
    'POST',
    `/api/v1/people/${mine}/sharing`,
    'worker',
    entry({ corrects_id: siblingEntry, correction_reason: 'probe' }),
  );
  assert.equal(foreign.statusCode, 400);
  // Nothing changed on the sibling's records.
  const s = await db.selectFrom('screenings').where('id', '=', siblingScreening).selectAll().executeTakeFirstOrThrow();
  assert.equal(s.confirmed_level, 'high', 'confirmed by the meeting only');
  const a = await db
    .selectFrom('exploitation_actions')
    .where('id', '=', siblingAction)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(a.status, 'open');
  const r = await db
    .selectFrom('mentoring_referrals')
    .where('id', '=', siblingReferral)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(r.status, 'waiting');
  assert.equal((await db.selectFrom('sharing_records').where('person_id', '=', mine).select('id').execute()).length, 0);
});

test('the mentoring sessions form (open to any role by policy) opens only to the mentor, the scheme or the young person’s workers', async () => {
  const url = `/mentoring/people/${sibling}/referrals/${siblingReferral}/sessions/new`;
  // (The police officer works with the sibling: the sibling's case is on the HREM agenda they sit on, so they may.)
  for (const who of ['advice', 'commissioner', 'forumChair'] as const) {
    const res = await call('GET', url, who);
    assert.equal(res.statusCode, 403, `${who} GET ${url}: ${res.statusCode}`);
    noneOf(res.body, ['Ysolde', 'Siblingcanary', 'PRBSIBL02'], `${who} GET ${url}`);
  }
  const post = await call(
    'POST',
    `/api/v1/mentoring/people/${sibling}/referrals/${siblingReferral}/sessions`,
    'advice',
    {
      session_date: '2026-11-20',
      attended: true,
      notes: 'probe',
    },
  );
  assert.ok([403, 409].includes(post.statusCode), `advice giver records a session: ${post.statusCode}`);
  assert.equal(
    (await db.selectFrom('mentoring_sessions').where('referral_id', '=', siblingReferral).select('id').execute())
      .length,
    0,
  );
});

test('a place or peer group names only the young people the viewer works with; the rest are a count', async () => {
  const w = await signedIn(worker.email);
  for (const url of [`/places/${placeId}`, `/peer-groups/${groupId}`]) {
    const page = await w.get(url);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /Quillon Minecanary/);
    noneOf(page.body, [...STRANGER, stranger], `worker ${url}`);
    assert.match(page.body, /1 other young person you do not work with/);
  }
  for (const who of ['police', 'commissioner', 'worker'] as const) {
    for (const url of [`/api/v1/places/${placeId}`, `/api/v1/peer-groups/${groupId}`]) {
      const res = await call('GET', url, who);
      assert.equal(res.statusCode, 200, `${who} ${url}`);
      noneOf(res.body, [...STRANGER, stranger], `${who} ${url}`);
      assert.equal(res.json().others >= 1, true);
    }
  }
  // The commissioner works with nobody: no names at all.
  const c = await call('GET', `/api/v1/places/${placeId}`, 'commissioner');
  noneOf(c.body, CANARIES, 'commissioner place');
  assert.equal(c.json().others, 2);
  // The worker's read of the place is logged against the young person it named, and only them.
  const logged = await accessRows(mine, worker.id);
  assert.ok(logged.some((r) => r.purpose === 'contextual:places'));
  assert.equal((await accessRows(stranger, worker.id)).length, 0);
  // Lists of places, groups and persons of concern carry no young person.
  for (const url of [
    '/places',
    '/peer-groups',
    '/persons-of-concern',
    '/api/v1/places',
    '/api/v1/persons-of-concern',
  ]) {
    const res = await call('GET', url, 'police');
    assert.equal(res.statusCode, 200, url);
    noneOf(res.body, CANARIES, `police ${url}`);
  }
});

test('the cohort, the system blocks register and the board’s register contain no name, date of birth or identifier', async () => {
  const block = await call('POST', '/api/v1/system-blocks', 'lead', {
    kind: 'adult_services_threshold',
    description: '=HYPERLINK("http://evil.example","click")',
  });
  assert.equal(block.statusCode, 201, block.body);
  const w = await signedIn(worker.email);
  await w.get(`/people/${mine}/contextual`);
  const linked = await w.post(`/people/${mine}/system-blocks`, { block_id: block.json().id, note: 'Refused twice' });
  assert.ok([303, 200].includes(linked.statusCode), `link a block: ${linked.statusCode}`);
  // The board tests a solution for the sibling, so the register has a row.
  const c = await db.selectFrom('solution_cases').where('id', '=', siblingCase).selectAll().executeTakeFirstOrThrow();
  const consider = await call('POST', `/api/v1/people/${sibling}/solutions/${siblingCase}/consider`, 'lead', {
    decision: 'test',
    version: c.version,
    meeting_date: '2026-11-20',
    category: 'missing',
    board_problem: 'Pulled away by a peer group',
    solution: '+SUM(1,2) a detached youth worker at weekends',
    owner_user_id: worker.id,
    review_date: '2026-12-04',
  });
  assert.equal(consider.statusCode, 204, consider.body);
  for (const [who, url] of [
    ['lead', '/cohort'],
    ['lead', '/cohort.csv'],
    ['lead', '/api/v1/cohort'],
    ['lead', '/cohort?age_band=16-17&level=high'],
    ['lead', '/system-blocks'],
    ['lead', '/system-blocks.csv'],
    ['lead', '/api/v1/system-blocks'],
    ['lead', '/solutions/register'],
    ['lead', '/solutions/register.csv'],
    ['lead', '/api/v1/solutions/register'],
    ['commissioner', '/solutions/register'],
    ['police', '/solutions/register.csv'],
    ['manager', '/cohort.csv'],
  ] as const) {
    const res = await call('GET', url, who);
    assert.equal(res.statusCode, 200, `${who} ${url}: ${res.statusCode}`);
    noneOf(res.body, [...CANARIES, siblingCase], `${who} ${url}`);
  }
  // Formula-safe CSV: the cells that start with = + - @ are neutralised.
  const blocks = (await call('GET', '/system-blocks.csv', 'lead')).body;
  assert.ok(!/(^|,)"?=HYPERLINK/m.test(blocks), blocks);
  assert.match(blocks, /'=HYPERLINK/);
  const register = (await call('GET', '/solutions/register.csv', 'lead')).body;
  assert.ok(!/(^|,)"?\+SUM/m.test(register), register);
  assert.match(register, /'\+SUM/);
  const sharing = (await call('GET', '/sharing/register.csv', 'dpo')).body;
  for (const f of ['=HYPERLINK', '@SUM', '+4416', '-2+3'])
    assert.ok(!new RegExp(`(^|,)"?\\${f[0]}${f.slice(1).replace(/[()+]/g, '\\$&')}`, 'm').test(sharing), f);
  assert.match(sharing, /"'@SUM\(A1:A9\)"/);
});

test('free text is escaped on the pages (place names, partner entries, updates, system blocks)', async () => {
  const xss = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const p = await call('POST', '/api/v1/places', 'lead', { name: xss, area: xss, kind: 'address' });
  assert.equal(p.statusCode, 201, p.body);
  const entryRes = await call('POST', `/api/v1/people/${mine}/risk/entries`, 'police', {
    occurred_on: '2026-11-21',
    what: xss,
    source: 'intelligence',
  });
  assert.equal(entryRes.statusCode, 201, entryRes.body);
  const upd = await call(
    'POST',
    `/api/v1/exploitation-meetings/meetings/${meetingId}/items/${itemOf(mine)}/updates`,
    'police',
    { agency: 'police', body: xss },
  );
  assert.equal(upd.statusCode, 201, upd.body);
  await call('POST', '/api/v1/system-blocks', 'lead', { kind: 'no_provider', description: xss });
  const l = leadBrowser;
  const w = await signedIn(worker.email);
  for (const [b, url] of [
    [l, '/places'],
    [l, `/places/${p.json().id}`],
    [w, `/people/${mine}/risk`],
    [l, `/exploitation-meetings/meetings/${meetingId}`],
    [l, '/system-blocks'],
  ] as const) {
    const page = await b.get(url);
    assert.equal(page.statusCode, 200, url);
    assert.ok(!page.body.includes('<script>alert(1)'), `${url} reflects the script`);
    assert.ok(!page.body.includes('<img src=x'), `${url} reflects the img`);
  }
});

test('every new form refuses a write without the CSRF token, and writes nothing', async () => {
  const w = await signedIn(worker.email);
  await w.get(`/people/${mine}/risk/entries/new`);
  const before = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const cases: [Browser, string, Record<string, string>][] = [
    [
      w,
      `/people/${mine}/risk/entries`,
      { 'occurred_on-day': '1', 'occurred_on-month': '11', 'occurred_on-year': '2026', what: 'x', source: 'evidence' },
    ],
    [w, `/people/${mine}/contextual`, { target: 'place', target_id: placeId, note: 'x' }],
    [w, `/people/${mine}/screenings`, {}],
    [w, `/people/${mine}/sharing`, {}],
    [w, `/people/${mine}/mentoring`, { reason: 'x', hopes: 'x', goals: 'x' }],
    [w, `/people/${mine}/solutions`, { problem: 'x', why_stuck: 'x' }],
    [leadBrowser, '/places', { name: 'x', area: 'x', kind: 'address' }],
    [leadBrowser, '/system-blocks', { kind: 'no_provider', description: 'x' }],
    [
      leadBrowser,
      '/exploitation-meetings/hrem/meetings',
      { 'meeting_date-day': '1', 'meeting_date-month': '12', 'meeting_date-year': '2026' },
    ],
    [leadBrowser, '/mentoring/mentors', { kind: 'volunteer', name: 'x', capacity: '1' }],
  ];
  for (const [b, url, form] of cases) {
    const res = await b.post(url, form, { csrf: null });
    assert.equal(res.statusCode, 403, `${url} without CSRF: ${res.statusCode}`);
  }
  const after = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(after.n), Number(before.n), 'nothing was written');
});

test('a partner adds risk entries only for young people within their relationship', async () => {
  const body = { occurred_on: '2026-11-21', what: 'Seen at the station with older males', source: 'evidence' };
  const out = await call('POST', `/api/v1/people/${stranger}/risk/entries`, 'police', body);
  assert.equal(out.statusCode, 403);
  const adv = await call('POST', `/api/v1/people/${mine}/risk/entries`, 'advice', body);
  assert.equal(adv.statusCode, 403);
  const foreign = await call('POST', `/api/v1/people/${mine}/risk/entries`, 'otherLead', body);
  assert.equal(foreign.statusCode, 404);
  const none = await db.selectFrom('risk_partner_entries').where('person_id', '=', stranger).select('id').execute();
  assert.equal(none.length, 0);
});

test('an exploitation meeting is for its members: the 16-17 forum chair neither reads it, decides on it nor joins it', async () => {
  // The forum chair holds panel:manage for the 16-17 forum, but is no member of the HREM. Every way in is tried and
  // each one that opens is listed, so the failure names them all.
  const holes: string[] = [];
  for (const url of [
    `/exploitation-meetings/meetings/${meetingId}`,
    `/api/v1/exploitation-meetings/meetings/${meetingId}`,
    `/panels/meetings/${meetingId}`,
    `/panels/${hremPanelId}`,
  ]) {
    const res = await call('GET', url, 'forumChair');
    if (![403, 404].includes(res.statusCode)) holes.push(`GET ${url}: ${res.statusCode}`);
    if (CANARIES.some((c) => res.body.includes(c))) holes.push(`GET ${url} names a young person`);
  }
  const decide = await call(
    'POST',
    `/api/v1/exploitation-meetings/meetings/${meetingId}/items/${itemOf(mine)}/decisions`,
    'forumChair',
    { level: 'high', decision: 'probe', share: false },
  );
  if (![403, 404].includes(decide.statusCode)) holes.push(`POST decision: ${decide.statusCode}`);
  const s = await db.selectFrom('screenings').where('id', '=', mineScreening).selectAll().executeTakeFirstOrThrow();
  if (s.confirmed_level !== null)
    holes.push(`screening level confirmed as ${s.confirmed_level} without screening:confirm`);
  // Nor can they make themselves a member through the 16-17 forum's panel pages.
  const fc = await signedIn(forumChair.email);
  await fc.get('/panels');
  const join = await fc.post(`/panels/${hremPanelId}/members`, { user_id: forumChair.id, area: 'adult' });
  const joined = await db
    .selectFrom('panel_members')
    .where('panel_id', '=', hremPanelId)
    .where('user_id', '=', forumChair.id)
    .select('user_id')
    .execute();
  if (joined.length) holes.push(`joined the HREM through /panels/:panelId/members (${join.statusCode})`);
  assert.deepEqual(holes, []);
});

test('the police member of the HREM sees the HREM, not the Exploitation Hub', async () => {
  const hub = await call('POST', '/api/v1/exploitation-meetings/exploitation_hub/meetings', 'lead', {
    meeting_date: '2026-11-24',
  });
  assert.equal(hub.statusCode, 201, hub.body);
  for (const url of [`/api/v1/exploitation-meetings/meetings/${hub.json().id}`, `/panels/meetings/${hub.json().id}`]) {
    const res = await call('GET', url, 'police');
    // The meetings module refuses a non-member (403); the 16-17 forum's pages do not know the meeting at all (404).
    assert.ok([403, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
    assert.doesNotMatch(res.body, /Agenda/);
  }
});

test('reading a meeting’s agenda with names and agency updates logs a read of each young person on it', async () => {
  const page = await leadBrowser.get(`/exploitation-meetings/meetings/${meetingId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Minecanary/);
  for (const p of [mine, sibling]) {
    const rows = await accessRows(p, lead.id);
    assert.ok(rows.length >= 1, `no access-log row for ${p === mine ? 'mine' : 'sibling'} on the meeting page`);
  }
});

test('a stale correction is refused: a second correction of an already-corrected sharing entry', async () => {
  const first = await call(
    'POST',
    `/api/v1/people/${sibling}/sharing`,
    'worker',
    entry({ corrects_id: siblingEntry, correction_reason: 'Wrong organisation' }),
  );
  assert.equal(first.statusCode, 201, first.body);
  // A second correction made from the same (now replaced) entry would fork the history into two "current" entries.
  const stale = await call(
    'POST',
    `/api/v1/people/${sibling}/sharing`,
    'worker',
    entry({ corrects_id: siblingEntry, correction_reason: 'Also wrong' }),
  );
  const corrections = await db
    .selectFrom('sharing_records')
    .where('corrects_id', '=', siblingEntry)
    .select('id')
    .execute();
  assert.deepEqual(
    { status: [400, 409].includes(stale.statusCode), corrections: corrections.length },
    { status: true, corrections: 1 },
    `a second correction of a corrected entry: ${stale.statusCode}`,
  );
});

test('a stale version is refused: a place edit and a mentoring decline', async () => {
  const edit = await leadBrowser.post(`/places/${placeId}`, {
    name: 'Riverside car park (north)',
    area: 'Trowbridge',
    kind: 'public_space',
    version: '1',
  });
  assert.equal(edit.statusCode, 303, edit.body.slice(0, 300));
  const again = await leadBrowser.post(`/places/${placeId}`, {
    name: 'Overwritten',
    area: 'Trowbridge',
    kind: 'public_space',
    version: '1',
  });
  assert.equal(again.statusCode, 409);
  const row = await db.selectFrom('places').where('id', '=', placeId).select('name').executeTakeFirstOrThrow();
  assert.equal(row.name, 'Riverside car park (north)');

  const r = await db
    .selectFrom('mentoring_referrals')
    .where('id', '=', siblingReferral)
    .select('version')
    .executeTakeFirstOrThrow();
  const decline = await call(
    'POST',
    `/api/v1/mentoring/people/${sibling}/referrals/${siblingReferral}/decline`,
    'lead',
    { reason: 'probe', version: r.version + 5 },
  );
  assert.equal(decline.statusCode, 409);
  const still = await db
    .selectFrom('mentoring_referrals')
    .where('id', '=', siblingReferral)
    .select('status')
    .executeTakeFirstOrThrow();
  assert.equal(still.status, 'waiting');
});

test('a read of the single view of risk or a board case writes exactly one access-log row', async () => {
  const before = (await accessRows(mine, worker.id)).length;
  const risk = await call('GET', `/api/v1/people/${mine}/risk`, 'worker');
  assert.equal(risk.statusCode, 200);
  const after = await accessRows(mine, worker.id);
  assert.equal(after.length, before + 1);
  assert.equal(after.filter((r) => r.purpose === 'risk-view' && r.channel === 'api').length, 1);
  const b0 = (await accessRows(sibling, lead.id)).length;
  const board = await call('GET', `/people/${sibling}/board/${siblingCase}`, 'lead');
  assert.equal(board.statusCode, 200);
  assert.equal((await accessRows(sibling, lead.id)).length, b0 + 1);
});
