// Person-led plans, referrals and the Devon 16-17 transitions protocol end to end: an action with no owner, a
// referral chased and declined, the service lead, a capacity contingency, the forum, the Governance Group
// (without personal details) and back to an updated plan. Pages and API, real database, fixed clock.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { registerProtocolTimers } from '../src/modules/protocols/timers.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'plans');
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerProtocolTimers(app.services.protocols));

const sam = userByRole(org, 'social_worker');
const helen = userByRole(org, 'service_manager');
const chair = userByRole(org, 'forum_chair');
const csc = await db
  .selectFrom('services')
  .where('authority_id', '=', org.authorityId)
  .where('name', '=', "Children's Social Care")
  .select('id')
  .executeTakeFirstOrThrow();
const asc = await db
  .selectFrom('services')
  .where('authority_id', '=', org.authorityId)
  .where('name', '=', 'Adult Social Care')
  .select('id')
  .executeTakeFirstOrThrow();
const newUser = async (role: string, local: string, name: string, serviceId: string | null) =>
  db
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email: `${local}@plans.test.example`,
      display_name: name,
      roles: [role],
      service_id: serviceId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
const lead = await newUser('service_lead', 'lead', 'Lena Service-Lead', csc.id);
const commissioner = await newUser('commissioner', 'commissioner', 'Cora Commissioner', null);
// Adult services' worker: whom a referral for a Care Act assessment goes to (a role that may own plan actions).
const adultWorker = await newUser('social_worker', 'adult.worker', 'Ade Adult-Worker', asc.id);

// Canary identity: none of these may reach the Governance Group (quality.md S15).
const person = await db
  .insertInto('people')
  .values({
    authority_id: org.authorityId,
    case_number: 'HO555321',
    given_name: 'Zephyrine',
    family_name: 'Quockerwodger',
    preferred_name: 'Zeph',
    date_of_birth: '2009-03-27',
    nhs_number: '9434765919',
    upn: 'A999123456789',
    address: '17 Canarywharf Lane, Exmouth',
    postcode: 'EX8 1ZZ',
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('contacts')
  .values({
    authority_id: org.authorityId,
    person_id: person.id,
    name: 'Marjoribanks Quockerwodger',
    relationship: 'Mother',
    phone: '01632 960 555',
  })
  .execute();
await db
  .insertInto('involvements')
  .values([
    {
      authority_id: org.authorityId,
      person_id: person.id,
      team_id: org.teams.ypt as string,
      worker_id: sam.id,
      reason: 'Child in need, transition to adulthood',
      start_date: '2026-01-05',
    },
  ])
  .execute();
// Helen manages the Young People's Team; Sam works in it too for this case.
await db
  .insertInto('team_members')
  .values({ team_id: org.teams.ypt as string, user_id: sam.id })
  .execute();
const CANARIES = [
  'Zephyrine',
  'Quockerwodger',
  'Zeph',
  'Marjoribanks',
  'HO555321',
  '9434765919',
  '943 476 5919',
  'A999123456789',
  'Canarywharf',
  'EX8 1ZZ',
  '27 March 2009',
  '2009-03-27',
  '01632 960 555',
];

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}
const api = (headers: Record<string, string>) => ({
  get: (url: string) => app.inject({ method: 'GET', url, headers }),
  post: (url: string, payload: object) => app.inject({ method: 'POST', url, headers, payload }),
  put: (url: string, payload: object) => app.inject({ method: 'PUT', url, headers, payload }),
});
const P = `/people/${person.id}`;
let instanceId = '';
const current = async () =>
  db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
async function decide(as: ReturnType<typeof api>, outcome: string, fields: object = {}) {
  const s = await current();
  const res = await as.post(`/api/v1${P}/protocols/${instanceId}/steps/${s.id}/decision`, {
    outcome,
    version: s.version,
    ...fields,
  });
  assert.equal(res.statusCode, 200, `${s.step_key} → ${outcome}: ${res.body}`);
}

test('a worker writes a person-led plan; the plan shows unowned, overdue and stalled actions and the countdown to 18', async () => {
  const b = new Browser(app);
  await b.login(sam.email);
  const empty = await b.post(`${P}/plan`, { what_matters: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /href="#what_matters">Enter what matters to the young person/);
  assert.equal(
    (
      await b.post(`${P}/plan`, {
        what_matters: 'My friends and my music',
        hopes: 'A flat with friends',
        needs: 'Supported living from 18; help with money',
      })
    ).statusCode,
    303,
  );
  const owned = await b.post(`${P}/plan/actions`, {
    description: 'Money skills course',
    owner_user_id: sam.id,
    'due_date-day': '1',
    'due_date-month': '11',
    'due_date-year': '2026',
    status: 'in_progress',
  });
  assert.equal(owned.statusCode, 303, owned.body.slice(0, 500));
  // Every save ends on a GOV.UK success banner (issue 11 defect 8).
  assert.equal(owned.headers.location, `${P}/plan?saved=action-added`);
  assert.match(
    (await b.get(String(owned.headers.location))).body,
    /govuk-notification-banner--success[\s\S]*Action added to the plan/,
  );
  assert.equal(
    (await b.post(`${P}/plan/actions`, { description: 'Find supported accommodation from 18', status: 'not_started' }))
      .statusCode,
    303,
  );
  const page = await b.get(`${P}/plan`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /1 with no owner/);
  assert.match(page.body, /1 overdue/);
  assert.match(page.body, /18th birthday: <strong>27 March 2027<\/strong>\s*\(in 124 days\)/);
  assert.match(page.body, /Provision is not in place and they turn 18 within 6 months/);
  // A month without an update: stalled.
  await db
    .updateTable('plan_actions')
    .set({ updated_at: new Date('2026-10-20T10:00:00Z') })
    .execute();
  assert.match((await b.get(`${P}/plan`)).body, /2 stalled \(no update for 28 days\)/);
  // The record links to the plan; Sam (not a service manager) cannot start the protocol.
  assert.match((await b.get(P)).body, new RegExp(`href="${P}/plan"`));
  const action = await db
    .selectFrom('plan_actions')
    .where('description', 'like', 'Find%')
    .select('id')
    .executeTakeFirstOrThrow();
  const refused = await b.post(`${P}/plan/actions/${action.id}/escalate`, { routes_tried: 'Team manager discussion' });
  assert.equal(refused.statusCode, 403);
});

test('the protocol from an unowned action: referral chased and declined, service lead, capacity, forum, Governance Group, plan updated', async () => {
  const action = await db
    .selectFrom('plan_actions')
    .where('description', 'like', 'Find%')
    .select('id')
    .executeTakeFirstOrThrow();
  const h = new Browser(app);
  await h.login(helen.email);
  const started = await h.post(`${P}/plan/actions/${action.id}/escalate`, {
    routes_tried: 'Discussed at team and service meetings; adult services duty asked twice',
  });
  assert.equal(started.statusCode, 303, started.body.slice(0, 500));
  instanceId = String(started.headers.location).split('/').pop()!;
  assert.equal((await current()).step_key, 'check_involved_service', 'steps 1 and 2 are recorded at once');
  const helenApi = api(await token(helen.id));
  await decide(helenApi, 'not_involved');
  await decide(helenApi, 'clear');
  assert.equal((await current()).step_key, 'make_referral');

  // The referral moves the protocol on; its response is due in 10 working days and is chased.
  const bad = await h.post(`${P}/referrals`, { action_id: action.id, reason: '' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Choose the service or the person you are referring to/);
  const sent = await h.post(`${P}/referrals`, {
    action_id: action.id,
    to_service_id: asc.id,
    reason: 'Supported living assessment from 18',
    basis: 'consent',
    basis_detail: 'Young person agreed on 20 November',
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
  assert.equal((await current()).step_key, 'await_referral');
  const referral = await db.selectFrom('referrals').selectAll().executeTakeFirstOrThrow();
  // Its chase is a protocol instance (referral-chase): the status and the due date are read from there.
  const chase = await app.services.transitions.referralFlow.state(db, referral.protocol_instance_id);
  assert.deepEqual([chase.step, chase.due, chase.protocolVersion], ['await_response', '2026-12-07', 1]);
  const shown = await h.get(`${P}/referrals/${referral.id}`);
  assert.match(shown.body, /10 working days from the referral on 23 November 2026/);
  clock.set('2026-12-08T09:00:00Z');
  const swept = await sweepDue(db, clock.now());
  assert.ok(swept.fired >= 1 && swept.failed === 0, JSON.stringify(swept));
  const notes = await db.selectFrom('notifications').where('user_id', '=', helen.id).select('message').execute();
  assert.ok(notes.some((n) => /Overdue: Get a response to the referral/.test(n.message)));
  clock.set('2026-11-23T10:00:00Z');

  // Declined: the protocol goes to "who escalates".
  const declined = await h.post(`${P}/referrals/${referral.id}/response`, {
    status: 'declined',
    version: String(referral.version),
  });
  assert.equal(declined.statusCode, 400);
  assert.match(declined.body, /Enter why the referral was declined/);
  assert.equal(
    (
      await h.post(`${P}/referrals/${referral.id}/response`, {
        status: 'declined',
        decline_reason: 'Not eligible until 18',
        version: String(referral.version),
      })
    ).statusCode,
    303,
  );
  assert.equal((await current()).step_key, 'decide_who_escalates');
  await decide(helenApi, 'decided', { escalation_worker: helen.id });
  await decide(helenApi, 'escalated', { escalation_summary: 'No adult provision agreed' });
  let step = await current();
  assert.equal(step.step_key, 'identify_issue_type');
  assert.equal(step.owner_user_id, lead.id, 'the service lead of the case’s service');
  const lenaApi = api(await token(lead.id));
  await decide(lenaApi, 'capacity');
  const noPlan = await lenaApi.post(`/api/v1${P}/protocols/${instanceId}/steps/${(await current()).id}/decision`, {
    outcome: 'agreed',
    version: (await current()).version,
  });
  assert.equal(noPlan.statusCode, 400, 'agreement needs the date and the contingency plan');
  await decide(lenaApi, 'agreed', {
    resources_available: '2027-02-01',
    contingency_plan: 'Outreach support twice a week',
  });
  const updated = await db.selectFrom('plan_actions').where('id', '=', action.id).selectAll().executeTakeFirstOrThrow();
  assert.equal(updated.issue_type, 'capacity');
  assert.equal(updated.resources_date, '2027-02-01');
  assert.equal(updated.contingency, 'Outreach support twice a week');
  await decide(helenApi, 'updated');
  step = await current();
  assert.equal(step.step_key, 'review_plan');
  await decide(api(await token(sam.id)), 'issues_persist');
  assert.equal((await current()).step_key, 'forum_referral');

  // The forum referral form puts the case on the forum's agenda and moves the protocol on.
  const form = await h.post(`${P}/forum-referral`, { question: '', blocked_by: '', routes_tried: '', issue_type: '' });
  assert.equal(form.statusCode, 400);
  assert.match(form.body, /href="#question"/);
  assert.equal(
    (
      await h.post(`${P}/forum-referral`, {
        question: 'Who provides supported living from 18?',
        needs: 'Supported living',
        blocked_by: 'Adult services capacity',
        routes_tried: 'Service lead agreed a contingency',
        issue_type: 'capacity',
      })
    ).statusCode,
    303,
  );
  assert.equal((await current()).step_key, 'forum_review');

  // The chair sets up the forum: a commissioner joins, a meeting is planned and the case is on its agenda.
  const c = new Browser(app);
  await c.login(chair.email);
  const panels = await db
    .selectFrom('panels')
    .where('authority_id', '=', org.authorityId)
    .select(['id', 'kind'])
    .execute();
  const forum = panels.find((p) => p.kind === 'forum')!;
  const tgg = panels.find((p) => p.kind === 'governance')!;
  assert.equal(
    (await c.post(`/panels/${forum.id}/members`, { user_id: commissioner.id, area: 'commissioning' })).statusCode,
    303,
  );
  const cora = new Browser(app);
  await db
    .updateTable('users')
    .set({
      password_hash: (
        await db.selectFrom('users').where('id', '=', sam.id).select('password_hash').executeTakeFirstOrThrow()
      ).password_hash,
    })
    .where('id', '=', commissioner.id)
    .execute();
  await cora.login('commissioner@plans.test.example');
  assert.equal((await cora.get(P)).statusCode, 200, 'a forum member opens the record of a case on the forum’s agenda');
  const planned = await c.post(`/panels/${forum.id}/meetings`, {
    'meeting_date-day': '10',
    'meeting_date-month': '12',
    'meeting_date-year': '2026',
  });
  assert.equal(planned.statusCode, 303);
  const meetingUrl = String(planned.headers.location).split('?')[0] as string;
  const meeting = await c.get(meetingUrl);
  assert.match(meeting.body, /Zephyrine Quockerwodger/);
  assert.match(meeting.body, /Who provides supported living from 18\?/);
  const item = await db
    .selectFrom('panel_items')
    .where('panel_id', '=', forum.id)
    .select('id')
    .executeTakeFirstOrThrow();
  // Decisions are recorded once the meeting has been held (issue 11 defect 5): on the day of the meeting.
  const early = await c.post(`${meetingUrl}/items/${item.id}/decision`, { decision: 'Too soon' });
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /This meeting is on 10 December 2026: record its decisions on or after that day/);
  // The meeting is brought forward to today (no page for that yet: straight in the database), so it can be decided.
  await db.updateTable('panel_meetings').set({ meeting_date: '2026-11-23' }).where('panel_id', '=', forum.id).execute();
  const decided = await c.post(`${meetingUrl}/items/${item.id}/decision`, {
    decision: 'Commissioning to confirm the provider',
    action_description: 'Confirm supported living provider',
    owner_service_id: asc.id,
    'due_date-day': '15',
    'due_date-month': '1',
    'due_date-year': '2027',
  });
  assert.equal(decided.statusCode, 303, decided.body.slice(0, 300));
  assert.match((await h.get(`${P}/plan`)).body, /Confirm supported living provider/);

  const chairApi = api(await token(chair.id));
  await decide(chairApi, 'no_options');
  // Issue 9 finding 2: the case cannot go to the Governance Group until a summary is written and checked for it.
  const s0 = await current();
  const refused = await chairApi.post(`/api/v1${P}/protocols/${instanceId}/steps/${s0.id}/decision`, {
    outcome: 'unclear',
    version: s0.version,
  });
  assert.equal(refused.statusCode, 400, refused.body);
  assert.match(refused.json().fields.outcome, /Summary for the Transitions Governance Group/);
  assert.equal((await current()).step_key, 'clarify_responsibility', 'nothing sent');
  const samApi = api(await token(sam.id));
  const summaryUrl = `/api/v1${P}/plan/panel-summaries/governance`;
  const flagged = await samApi.put(summaryUrl, { summary: 'Zeph needs supported living; her NHS number 943.476.5919' });
  assert.equal(flagged.statusCode, 400, flagged.body);
  assert.match(flagged.json().fields['confirm-0'], /“Zeph” may be a name/);
  assert.match(flagged.json().fields['confirm-1'], /may be an NHS number/);
  assert.equal(
    (
      await samApi.put(summaryUrl, {
        summary: 'Needs supported living from 18; adult services and housing disagree about who commissions it.',
        needs_categories: ['accommodation'],
      })
    ).statusCode,
    204,
  );
  await decide(chairApi, 'unclear');
  assert.equal((await current()).step_key, 'governance_group');

  // The Governance Group sees structured facts and the summary written for it: no canary anywhere, page or API.
  const tggMeeting = await chairApi.post(`/api/v1/panels/${tgg.id}/meetings`, { meeting_date: '2026-12-14' });
  assert.equal(tggMeeting.statusCode, 201, tggMeeting.body);
  const tggPage = await c.get(`/panels/meetings/${tggMeeting.json().id}`);
  assert.equal(tggPage.statusCode, 200);
  // One element per id: the Minutes box is named by its label (issue 11 defect 8: the heading took its id).
  const ids = [...tggPage.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(
    ids.filter((id, k) => ids.indexOf(id) !== k),
    [],
  );
  assert.match(tggPage.body, /Young person A/);
  assert.match(tggPage.body, /17, turns 18 in about 4 months/);
  assert.match(tggPage.body, /Accommodation or supported living/);
  assert.match(tggPage.body, /adult services and housing disagree/);
  assert.doesNotMatch(tggPage.body, /Who provides supported living from 18\?/, 'the forum referral’s free text');
  const tggJson = await chairApi.get(`/api/v1/panel-meetings/${tggMeeting.json().id}`);
  for (const text of [tggPage.body, tggJson.body])
    for (const canary of CANARIES) assert.ok(!text.includes(canary), `${canary} reached the Governance Group`);
  assert.ok(!tggJson.body.includes(person.id), 'not even the record id');

  await decide(chairApi, 'responsible_found');
  await decide(chairApi, 'options_presented');
  step = await current();
  assert.equal(step.step_key, 'discuss_options');
  assert.equal(step.owner_user_id, helen.id, 'the escalation worker');
  await decide(helenApi, 'plan_updated', { options_discussed: 'Zeph chose the shared flat option' });
  await decide(api(await token(sam.id)), 'resolved');
  const instance = await db
    .selectFrom('protocol_instances')
    .where('id', '=', instanceId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(instance.status, 'ended');
  assert.equal(instance.result, 'resolved');

  // The register counts the capacity problem by service.
  const register = await c.get('/panels/register.csv');
  assert.equal(register.statusCode, 200);
  assert.match(
    register.body,
    /"Adult Social Care","Not recorded","capacity","1","1","0","1"|"No service named","Not recorded","capacity"/,
  );
});

test('a successful referral gives the action its owner; an unanswered one escalates to the referrer’s line manager', async () => {
  const samApi = api(await token(sam.id));
  const created = await samApi.post(`/api/v1${P}/plan/actions`, { description: 'Care Act transition assessment' });
  assert.equal(created.statusCode, 201, created.body);
  const actionId = created.json().id;
  const ref = await samApi.post(`/api/v1${P}/referrals`, {
    action_id: actionId,
    to_user_id: adultWorker.id,
    reason: 'Assessment',
    basis: 'lawful_basis',
    basis_detail: 'Care Act 2014 s58',
  });
  assert.equal(ref.statusCode, 201, ref.body);
  // Nobody answers: the referrer is reminded, then their line manager is told.
  clock.set('2026-12-11T09:00:00Z');
  await sweepDue(db, clock.now());
  const marcus = userByRole(org, 'team_manager');
  const toMarcus = await db.selectFrom('notifications').where('user_id', '=', marcus.id).select('message').execute();
  assert.ok(
    toMarcus.some((n) => /Overdue step on a case you oversee: Get a response to the referral/.test(n.message)),
    JSON.stringify(toMarcus),
  );
  clock.set('2026-11-23T10:00:00Z');
  const list = await samApi.get(`/api/v1${P}/referrals`);
  const r = list.json().items.find((x: { id: string }) => x.id === ref.json().id);
  assert.equal(r.escalations, 1);
  assert.equal(r.status, 'sent');
  assert.deepEqual(r.responses, ['accepted', 'declined', 'successful', 'withdrawn'], 'the open step’s outcomes');
  const ok = await samApi.post(`/api/v1${P}/referrals/${r.id}/response`, { status: 'successful', version: r.version });
  assert.equal(ok.statusCode, 204, ok.body);
  const plan = (await samApi.get(`/api/v1${P}/plan`)).json();
  const a = plan.actions.find((x: { id: string }) => x.id === actionId);
  assert.equal(a.owner_user_id, adultWorker.id);
  assert.equal(a.unowned, false);
  // A stale version is refused.
  const stale = await samApi.post(`/api/v1${P}/referrals/${r.id}/response`, {
    status: 'withdrawn',
    version: r.version,
  });
  assert.equal(stale.statusCode, 409);
  // Ended: no responses left; the action's chase now runs for its new owner.
  const after = (await samApi.get(`/api/v1${P}/referrals`)).json().items.find((x: { id: string }) => x.id === r.id);
  assert.deepEqual([after.status, after.responses], ['successful', []]);
  const refused = await samApi.post(`/api/v1${P}/referrals/${r.id}/response`, {
    status: 'withdrawn',
    version: after.version,
  });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /A referral that is successful cannot become withdrawn/);
  const owned = await db
    .selectFrom('plan_actions as a')
    .innerJoin('protocol_steps as s', 's.instance_id', 'a.chase_instance_id')
    .where('a.id', '=', actionId)
    .where('s.status', '=', 'open')
    .select(['s.step_key', 's.owner_user_id'])
    .executeTakeFirstOrThrow();
  assert.deepEqual([owned.step_key, owned.owner_user_id], ['complete_action', adultWorker.id]);
});

test('the API refuses the IT administrator, or any role that may not own plan actions, as owner or referral recipient', async () => {
  const samApi = api(await token(sam.id));
  const admin = userByRole(org, 'admin');
  const ownedBy = (owner: string) =>
    samApi.post(`/api/v1${P}/plan/actions`, { description: 'Travel training', owner_user_id: owner });
  for (const who of [admin.id, commissioner.id]) {
    const refused = await ownedBy(who);
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(
      refused.json().fields.owner_user_id,
      /cannot own plan actions or receive referrals: choose a caseworker/,
    );
  }
  const before = await db.selectFrom('plan_actions').where('person_id', '=', person.id).select('id').execute();
  const created = await ownedBy(sam.id);
  assert.equal(created.statusCode, 201, created.body);
  const actionId = created.json().id;
  const action = (await samApi.get(`/api/v1${P}/plan`)).json().actions.find((x: { id: string }) => x.id === actionId);
  const moved = await samApi.put(`/api/v1${P}/plan/actions/${actionId}`, {
    description: 'Travel training',
    owner_user_id: admin.id,
    version: action.version,
  });
  assert.equal(moved.statusCode, 400, moved.body);
  assert.ok(moved.json().fields.owner_user_id, moved.body);
  const referred = await samApi.post(`/api/v1${P}/referrals`, {
    action_id: actionId,
    to_user_id: admin.id,
    reason: 'Assessment',
    basis: 'lawful_basis',
    basis_detail: 'Care Act 2014 s58',
  });
  assert.equal(referred.statusCode, 400, referred.body);
  assert.match(referred.json().fields.to_user_id, /cannot own plan actions or receive referrals/);
  // Nothing half-written: only the allowed action was added, the action kept its owner, no referral exists.
  const after = await db.selectFrom('plan_actions').where('person_id', '=', person.id).select('id').execute();
  assert.equal(after.length, before.length + 1);
  const kept = await db
    .selectFrom('plan_actions')
    .where('id', '=', actionId)
    .select('owner_user_id')
    .executeTakeFirstOrThrow();
  assert.equal(kept.owner_user_id, sam.id);
  assert.equal((await db.selectFrom('referrals').where('action_id', '=', actionId).select('id').execute()).length, 0);
});

test('a referral made before the rule, to a commissioner, can still succeed and pass them the action', async () => {
  const samApi = api(await token(sam.id));
  const created = await samApi.post(`/api/v1${P}/plan/actions`, { description: 'Supported living options' });
  const actionId = created.json().id;
  const ref = await samApi.post(`/api/v1${P}/referrals`, {
    action_id: actionId,
    to_user_id: adultWorker.id,
    reason: 'Options',
    basis: 'consent',
    basis_detail: 'Agreed at the review',
  });
  assert.equal(ref.statusCode, 201, ref.body);
  // As a row written before the API held referrals to PLAN_OWNER_ROLES would be.
  await db.updateTable('referrals').set({ to_user_id: commissioner.id }).where('id', '=', ref.json().id).execute();
  const r = (await samApi.get(`/api/v1${P}/referrals`))
    .json()
    .items.find((x: { id: string }) => x.id === ref.json().id);
  const ok = await samApi.post(`/api/v1${P}/referrals/${r.id}/response`, { status: 'successful', version: r.version });
  assert.equal(ok.statusCode, 204, ok.body);
  const a = await db
    .selectFrom('plan_actions')
    .where('id', '=', actionId)
    .select('owner_user_id')
    .executeTakeFirstOrThrow();
  assert.equal(a.owner_user_id, commissioner.id);
});

test('an overdue plan action: owner reminded, then their line manager, then the service manager; a new date re-plans; done ends it', async () => {
  clock.set('2026-11-23T10:00:00Z');
  const samApi = api(await token(sam.id));
  const created = await samApi.post(`/api/v1${P}/plan/actions`, {
    description: 'Book the college taster day',
    owner_user_id: sam.id,
    due_date: '2026-11-27',
    status: 'in_progress',
  });
  assert.equal(created.statusCode, 201, created.body);
  const actionId = created.json().id;
  const chase = async () => {
    const a = await db
      .selectFrom('plan_actions')
      .where('id', '=', actionId)
      .select(['chase_instance_id', 'version'])
      .executeTakeFirstOrThrow();
    return { ...(await app.services.transitions.actionFlow.state(db, a.chase_instance_id as string)), v: a.version };
  };
  let c = await chase();
  assert.deepEqual([c.step, c.due, c.ownerUserId], ['complete_action', '2026-11-27', sam.id]);
  const told = async (userId: string) =>
    (await db.selectFrom('notifications').where('user_id', '=', userId).select('message').execute())
      .map((n) => n.message)
      .filter((m) => /Complete the plan action/.test(m));
  const marcus = userByRole(org, 'team_manager');
  const before = { sam: (await told(sam.id)).length, marcus: (await told(marcus.id)).length };

  // Overdue: Sam is reminded the day after.
  clock.set('2026-11-28T09:00:00Z');
  await sweepDue(db, clock.now());
  assert.equal((await told(sam.id)).length, before.sam + 1, 'reminded once');
  assert.match((await told(sam.id)).at(-1) as string, /^Overdue: Complete the plan action/);

  // A new date re-plans the ladder: nothing more fires on the old dates.
  const moved = await samApi.put(`/api/v1${P}/plan/actions/${actionId}`, {
    description: 'Book the college taster day',
    owner_user_id: sam.id,
    due_date: '2026-12-11',
    status: 'in_progress',
    version: c.v,
  });
  assert.equal(moved.statusCode, 204, moved.body);
  c = await chase();
  assert.equal(c.due, '2026-12-11');
  clock.set('2026-12-05T09:00:00Z');
  await sweepDue(db, clock.now());
  assert.equal((await told(marcus.id)).length, before.marcus, 'the old line manager rung was cancelled');

  // The new ladder: reminded, then 5 working days on the line manager, 10 working days on the service manager.
  clock.set('2026-12-12T09:00:00Z');
  await sweepDue(db, clock.now());
  clock.set('2026-12-19T09:00:00Z');
  await sweepDue(db, clock.now());
  assert.match((await told(marcus.id)).at(-1) ?? '', /^Overdue step on a case you oversee: Complete the plan action/);
  clock.set('2026-12-31T09:00:00Z'); // 10 working days after 11 December, over Christmas
  await sweepDue(db, clock.now());
  const lastRung = await db
    .selectFrom('deadlines as d')
    .innerJoin('protocol_steps as s', (j) => j.onRef('s.id', '=', 'd.subject_id'))
    .where('s.instance_id', '=', c.instanceId)
    .where('d.rung', '=', 102)
    .select(['d.fired_at', 'd.due_at'])
    .executeTakeFirstOrThrow();
  assert.ok(lastRung.fired_at, `the service manager rung fired (due ${lastRung.due_at.toISOString()})`);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'protocol_step')
    .where('action', '=', 'overdue')
    .where('person_id', '=', person.id)
    .select('detail')
    .execute();
  assert.ok(audit.some((a) => (a.detail as { rung?: number }).rung === 2));

  // Done: the chase ends, and nothing is left to fire.
  c = await chase();
  const done = await samApi.put(`/api/v1${P}/plan/actions/${actionId}`, {
    description: 'Book the college taster day',
    owner_user_id: sam.id,
    due_date: '2026-12-11',
    status: 'done',
    evidence: 'Taster day booked for 14 January',
    version: c.v,
  });
  assert.equal(done.statusCode, 204, done.body);
  c = await chase();
  assert.deepEqual([c.status, c.result], ['ended', 'done']);
  clock.set('2026-11-23T10:00:00Z');
});

test('the demo has plans, referrals and panels, and its Governance Group items carry no identifiers', async () => {
  const { db: demoDb } = await testDatabase({ demo: true });
  const { ensureDemo } = await import('../src/modules/demo/seed.ts');
  await ensureDemo(demoDb, { config: testConfig(), now: fixedClock().now });
  const count = async (t: 'plans' | 'referrals' | 'panel_items') =>
    Number(
      (
        await demoDb
          .selectFrom(t)
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.ok((await count('plans')) > 0);
  assert.ok((await count('referrals')) > 0);
  const summaries = await demoDb
    .selectFrom('panel_items as i')
    .innerJoin('people as p', 'p.id', 'i.person_id')
    .where('i.summary', 'is not', null)
    .select(['i.summary', 'p.given_name', 'p.family_name', 'p.case_number', 'p.nhs_number'])
    .execute();
  for (const s of summaries)
    for (const v of [s.given_name, s.family_name, s.case_number, s.nhs_number])
      if (v) assert.ok(!String(s.summary).includes(v), `${v} in a pseudonymised summary`);
});

test('two escalations of one unowned action at once start one protocol; the other is told it is already running', async () => {
  const plan = await db.selectFrom('plans').where('person_id', '=', person.id).select('id').executeTakeFirstOrThrow();
  const action = await db
    .insertInto('plan_actions')
    .values({
      authority_id: org.authorityId,
      plan_id: plan.id,
      person_id: person.id,
      description: 'Agree who funds the college transport',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const helenApi = api(await token(helen.id));
  const escalate = () =>
    helenApi.post(`/api/v1${P}/plan/actions/${action.id}/escalation`, {
      routes_tried: 'Raised at the team meeting and with adult services duty',
    });
  const answers = await Promise.all([escalate(), escalate()]);
  assert.deepEqual(
    answers.map((a) => (a.statusCode < 300 ? 'started' : a.statusCode)).sort(),
    [400, 'started'],
    answers.map((a) => a.body.slice(0, 200)).join('\n'),
  );
  assert.match(answers.find((a) => a.statusCode === 400)!.body, /already running/);
  const linked = await db
    .selectFrom('plan_actions')
    .where('id', '=', action.id)
    .select('protocol_instance_id')
    .executeTakeFirstOrThrow();
  const instances = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', linked.protocol_instance_id as string)
    .where('status', '=', 'open')
    .select('step_key')
    .execute();
  assert.deepEqual(
    instances.map((s) => s.step_key),
    ['check_involved_service'],
    'steps 1 and 2 recorded with the start',
  );
  const started = await db
    .selectFrom('audit_log')
    .where('action', '=', 'start')
    .where('entity', '=', 'protocol_instance')
    .select('entity_id')
    .execute();
  assert.equal(started.filter((r) => r.entity_id === linked.protocol_instance_id).length, 1);
  const orphans = await db
    .selectFrom('protocol_instances as i')
    .where('i.person_id', '=', person.id)
    .where('i.status', '=', 'open')
    .where('i.protocol_id', '=', 'devon-transitions-16-17')
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('plan_actions as a').whereRef('a.protocol_instance_id', '=', 'i.id').select('a.id')),
      ),
    )
    .select('i.id')
    .execute();
  assert.deepEqual(orphans, [], 'no protocol started without its action');
});
