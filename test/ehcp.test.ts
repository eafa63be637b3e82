// EHC needs assessments end to end through the pages and the API: clocks with their regulations, advice givers
// from outside who see only their request, Cumbria's Option 2 follow-up email, the draft accuracy check, delay
// notices to parents, the weekly report (page, CSV, API, email) and invitations.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { FOLLOW_UP_SUBJECT } from '../src/modules/ehcp/labels.ts';
import { sendDueSubscriptions } from '../src/modules/subscriptions/send.ts';
import { registerAllTimers } from '../src/modules/timers/handlers.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ehcp');
// Monday 23 November 2026, 10:00.
const clock = fixedClock('2026-11-23T10:00:00Z');
// nhs.example is an allowed mail domain here (EMAIL_ALLOWED_DOMAINS), so therapy.lead@nhs.example may be copied in.
const app = await testApp(db, { now: clock.now, config: { emailAllowedDomains: ['nhs.example'] } });
after(registerAllTimers(app.services));

const coordinator = userByRole(org, 'ehcp_coordinator');
const sendManager = userByRole(org, 'send_manager');
const fiona = userByRole(org, 'advice_giver');
const raj = org.users.find((u) => u.name.startsWith('Raj'))!;

async function youngPerson(caseNumber: string, given: string, family: string, dob: string) {
  const p = await db
    .insertInto('people')
    .values({
      authority_id: org.authorityId,
      case_number: caseNumber,
      given_name: given,
      family_name: family,
      date_of_birth: dob,
      school: 'Demoton Primary',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('involvements')
    .values({
      authority_id: org.authorityId,
      person_id: p.id,
      team_id: org.teams['send-statutory'] as string,
      worker_id: coordinator.id,
      reason: 'EHC needs assessment',
      start_date: '2026-09-01',
    })
    .execute();
  await db
    .insertInto('contacts')
    .values([
      {
        authority_id: org.authorityId,
        person_id: p.id,
        name: 'Kim Parent',
        relationship: 'Mother',
        email: 'kim.parent@example.org',
        parental_responsibility: true,
      },
      {
        authority_id: org.authorityId,
        person_id: p.id,
        name: 'Lee Parent',
        relationship: 'Father',
        address: '1 High Street',
        parental_responsibility: true,
      },
      {
        authority_id: org.authorityId,
        person_id: p.id,
        name: 'Pat Neighbour',
        relationship: 'Neighbour',
        email: 'pat@example.org',
        parental_responsibility: false,
      },
    ])
    .execute();
  return p.id;
}
const zara = await youngPerson('HO880001', 'Zara', 'Quarrie', '2018-03-03');

async function token(userId: string) {
  const t = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(t), label: 'test' })
    .execute();
  return { authorization: `Bearer ${t}` };
}
const dateParts = (field: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${field}-day`]: d as string, [`${field}-month`]: m as string, [`${field}-year`]: y as string };
};
const outbox = () => db.selectFrom('outbox').selectAll().orderBy('created_at').execute();
const noChild = (s: string) => assert.doesNotMatch(s, /Zara|Quarrie|2018-03-03/, 'no child-identifying data');

let assessmentUrl = '';
let requestId = '';

test('a coordinator records a request; every clock shows its statutory date and regulation', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  assert.match((await jo.get(`/people/${zara}`)).body, /EHC needs assessments: clocks, advice and stages/);
  assert.equal((await jo.get(`/people/${zara}/ehcp/new`)).statusCode, 200);
  // Errors name the field; nothing is written.
  const bad = await jo.post(`/people/${zara}/ehcp`, { ...dateParts('request_date', '2026-02-30') });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /The date of the request must be a real date/);
  assert.match(bad.body, /Choose who asked for the assessment/);
  assert.match(bad.body, /href="#request_date-day"/);
  assert.equal((await db.selectFrom('ehcp_assessments').selectAll().execute()).length, 0);

  const made = await jo.post(`/people/${zara}/ehcp`, {
    ...dateParts('request_date', '2026-09-07'),
    requested_by: 'parent',
  });
  assert.equal(made.statusCode, 303, made.body.slice(0, 300));
  assessmentUrl = String(made.headers.location).split('?')[0] as string;
  const page = await jo.get(String(made.headers.location));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /govuk-notification-banner--success[\s\S]*Request for an EHC needs assessment recorded/);
  for (const line of [
    '6 weeks from the request on 7 September 2026 \\(SEND Regulations 2014 reg 5\\(1\\)\\)',
    '16 weeks from the request on 7 September 2026 \\(SEND Regulations 2014 reg 10\\(1\\)\\)',
    '20 weeks from the request on 7 September 2026 \\(SEND Regulations 2014 reg 13\\(2\\)\\)',
    '19 October 2026', // reg 5
    '25 January 2027', // reg 13(2)
  ])
    assert.match(page.body, new RegExp(line));
  assert.match(page.body, /govuk-task-list/);
  // Overdue: the 6-week decision date has passed.
  assert.match(page.body, /Overdue/);
  const logged = await db
    .selectFrom('access_log')
    .where('person_id', '=', zara)
    .where('purpose', '=', 'ehcp-assessment')
    .selectAll()
    .execute();
  assert.equal(logged.length, 1, 'the read is logged once');

  const decided = await jo.post(`${assessmentUrl}/decision`, {
    decision: 'assess',
    ...dateParts('decision_date', '2026-10-12'),
  });
  assert.equal(decided.statusCode, 303, decided.body.slice(0, 300));
});

test('advice is requested from an NHS advice giver, who sees only that request and submits advice', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const form = await jo.get(`${assessmentUrl}/advice/new`);
  assert.match(form.body, /Fiona Advice-Giver/);
  const sent = await jo.post(`${assessmentUrl}/advice/new`, {
    kind: 'health',
    giver_user_id: fiona.id,
    question: 'Please describe the health needs relevant to education.',
    ...dateParts('requested_date', '2026-10-12'),
  });
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 400));
  const req = await db.selectFrom('ehcp_advice_requests').selectAll().executeTakeFirstOrThrow();
  requestId = req.id;
  assert.equal(req.due_date, '2026-11-23');
  assert.match(req.due_rule, /6 weeks from the request for advice on 2026-10-12 \(SEND Regulations 2014 reg 8\(1\)\)/);
  const mail = (await outbox()).at(-1)!;
  assert.deepEqual(mail.to_addresses, [fiona.email]);
  noChild(`${mail.subject}\n${mail.body}`);
  assert.match(mail.body, new RegExp(`/advice/${requestId}`));

  const f = new Browser(app);
  await f.login(fiona.email);
  // No general access to the record, and the record is not findable.
  assert.equal((await f.get(`/people/${zara}`)).statusCode, 403);
  assert.equal((await f.get(`${assessmentUrl}`)).statusCode, 403);
  const list = await f.get('/advice');
  assert.match(list.body, /HO880001\/advice-/);
  noChild(list.body);
  const before = (
    await db
      .selectFrom('access_log')
      .where('person_id', '=', zara)
      .where('user_id', '=', fiona.id)
      .selectAll()
      .execute()
  ).length;
  const page = await f.get(`/advice/${requestId}`);
  assert.equal(page.statusCode, 200);
  for (const s of [
    'Zara Quarrie',
    '3 March 2018',
    'Demoton Primary',
    'Please describe the health needs',
    '23 November 2026',
  ])
    assert.match(page.body, new RegExp(s));
  assert.doesNotMatch(page.body, /Kim Parent|1 High Street/, 'nothing else from the record');
  const rows = await db
    .selectFrom('access_log')
    .where('person_id', '=', zara)
    .where('user_id', '=', fiona.id)
    .selectAll()
    .execute();
  assert.equal(rows.length, before + 1);
  assert.equal(rows.at(-1)!.purpose, 'advice-request');
  // Someone it is not addressed to is refused without learning it exists.
  const sam = new Browser(app);
  await sam.login(userByRole(org, 'social_worker').email);
  const refused = await sam.get(`/advice/${requestId}`);
  assert.equal(refused.statusCode, 404);

  const empty = await f.post(`/advice/${requestId}/advice`, {});
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter your advice/);
  const given = await f.post(`/advice/${requestId}/advice`, {
    advice: 'Needs daily physiotherapy.',
    summary_needs: 'Mobility',
  });
  assert.equal(given.statusCode, 303);
  const after1 = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', requestId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(after1.status, 'received');
  assert.equal(after1.received_date, '2026-11-23');
  const note = await db
    .selectFrom('notifications')
    .where('user_id', '=', coordinator.id)
    .orderBy('created_at', 'desc')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.match(note.message, /Advice has arrived/);
});

test('Option 2: unclear advice → line manager → logged follow-up emailed to the giver and their manager; updated advice closes it', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const advicePage = await jo.get(`${assessmentUrl}/advice/${requestId}`);
  assert.match(advicePage.body, /Needs daily physiotherapy/);
  const queried = await jo.post(`${assessmentUrl}/advice/${requestId}/query`, {
    query_note: 'No detail on frequency or who provides it',
  });
  assert.equal(queried.statusCode, 303, queried.body.slice(0, 300));
  const instanceUrl = String(queried.headers.location);
  const instanceId = instanceUrl.split('/').pop()!;
  const inst = await db
    .selectFrom('protocol_instances')
    .where('id', '=', instanceId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(inst.protocol_version, 2);
  let step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(step.step_key, 'discuss_with_line_manager');
  assert.equal(step.owner_user_id, sendManager.id, 'the coordinator’s line manager');

  const priya = new Browser(app);
  await priya.login(sendManager.email);
  await priya.get(instanceUrl);
  const opt2 = await priya.post(`${instanceUrl}/steps/${step.id}/decide`, {
    version: String(step.version),
    outcome: 'option_2',
    notes: 'Needs extended input',
  });
  assert.equal(opt2.statusCode, 303, opt2.body.slice(0, 300));
  step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(step.step_key, 'log_follow_up');

  const mailBefore = (await outbox()).length;
  await jo.get(instanceUrl);
  const logged = await jo.post(`${instanceUrl}/steps/${step.id}/decide`, {
    version: String(step.version),
    outcome: 'sent',
    advice_giver: fiona.id,
    what_is_needed: 'A frequency for physiotherapy and who will provide it',
    extra_recipients: 'therapy.lead@nhs.example',
    ...dateParts('email_date', '2026-11-23'),
  });
  assert.equal(logged.statusCode, 303, logged.body.slice(0, 400));
  const mails = (await outbox()).slice(mailBefore);
  const urgent = mails.filter((m) => m.subject === FOLLOW_UP_SUBJECT);
  assert.equal(urgent.length, 1);
  const m = urgent[0]!;
  assert.equal(m.subject, 'URGENT STATUTORY ADVICE CLARIFICATION REQUIRED');
  assert.deepEqual(m.to_addresses, [fiona.email]);
  assert.deepEqual(m.cc_addresses.sort(), [raj.email, 'therapy.lead@nhs.example'].sort());
  assert.match(m.body, /A frequency for physiotherapy/);
  assert.match(m.body, /Response required by: 2026-11-30/);
  assert.match(m.body, /HO880001\/advice-/);
  assert.match(m.body, new RegExp(`/advice/${requestId}`));
  noChild(`${m.subject}\n${m.body}`);

  step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(step.step_key, 'await_updated_advice');
  assert.equal(step.owner_user_id, coordinator.id, 'version 2: the coordinator tracks it; the giver never owns a step');
  assert.equal(step.due_date, '2026-11-30');
  const req = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', requestId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(req.follow_up_due, '2026-11-30');

  // The giver still has no record access, and sees what is needed on the request page.
  const f = new Browser(app);
  await f.login(fiona.email);
  assert.equal((await f.get(`/people/${zara}`)).statusCode, 403);
  const rp = await f.get(`/advice/${requestId}`);
  assert.match(rp.body, /URGENT STATUTORY ADVICE CLARIFICATION REQUIRED/);
  // Her manager can open the request too (copied in, responsible if she is away).
  const r2 = new Browser(app);
  await r2.login(raj.email);
  assert.equal((await r2.get(`/advice/${requestId}`)).statusCode, 200);
  assert.equal((await r2.get(`/people/${zara}`)).statusCode, 403);

  // The weekly report lists the open follow-up; after the due date it is overdue in working days.
  clock.set('2026-12-03T10:00:00Z');
  const priyaApi = await token(sendManager.id);
  const rep = await app.inject({ method: 'GET', url: '/api/v1/reports/ehcp-weekly', headers: priyaApi });
  assert.equal(rep.statusCode, 200, rep.body);
  const fu = rep.json().followUps;
  assert.equal(fu.length, 1);
  assert.equal(fu[0].overdue, true);
  assert.equal(fu[0].workingDaysOverdue, 3, '1, 2 and 3 December');
  assert.equal(fu[0].provider, 'Demoshire Community Health NHS Trust');
  noChild(rep.body);

  // Updated advice closes the follow-up by itself (signing in again: ten days have passed).
  await f.login(fiona.email);
  const upd = await f.post(`/advice/${requestId}/advice`, {
    advice: 'Physiotherapy twice weekly, provided by the NHS trust.',
  });
  assert.equal(upd.statusCode, 303);
  const done = await db
    .selectFrom('protocol_instances')
    .where('id', '=', instanceId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(done.status, 'ended');
  assert.equal(done.result, 'follow_up_closed');
  const closed = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', requestId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(closed.follow_up_closed_on, '2026-12-03');
  const subs = await db
    .selectFrom('ehcp_advice_submissions')
    .where('request_id', '=', requestId)
    .select('kind')
    .orderBy('submitted_at')
    .execute();
  assert.deepEqual(
    subs.map((s) => s.kind),
    ['advice', 'updated_advice'],
  );
  const rep2 = await app.inject({ method: 'GET', url: '/api/v1/ehcp/follow-ups', headers: priyaApi });
  assert.deepEqual(rep2.json().items, []);

  await jo.login(coordinator.email);
  const record = await jo.get(`/people/${zara}`);
  for (const line of [
    'Advice follow-up emailed: URGENT STATUTORY ADVICE CLARIFICATION REQUIRED',
    'Updated advice received from Fiona Advice-Giver',
    'follow up closed',
  ])
    assert.match(record.body, new RegExp(line));
});

test('the advice giver is away: their line manager becomes responsible', async () => {
  clock.set('2026-12-03T11:00:00Z');
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const q = await jo.post(`${assessmentUrl}/advice/${requestId}/query`, {
    query_note: 'Still unclear about equipment',
  });
  const instanceUrl = String(q.headers.location);
  const instanceId = instanceUrl.split('/').pop()!;
  const priya = new Browser(app);
  await priya.login(sendManager.email);
  let step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  await priya.get(instanceUrl);
  await priya.post(`${instanceUrl}/steps/${step.id}/decide`, {
    version: String(step.version),
    outcome: 'option_2',
    notes: 'again',
  });
  step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  await jo.get(instanceUrl);
  // Choosing someone the request was not sent to is refused, naming the field.
  const wrong = await jo.post(`${instanceUrl}/steps/${step.id}/decide`, {
    version: String(step.version),
    outcome: 'sent',
    advice_giver: raj.id,
    what_is_needed: 'x',
    ...dateParts('email_date', '2026-12-03'),
  });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /Choose Fiona Advice-Giver, who was asked for this advice/);
  await jo.post(`${instanceUrl}/steps/${step.id}/decide`, {
    version: String(step.version),
    outcome: 'sent',
    advice_giver: fiona.id,
    what_is_needed: 'Equipment list',
    ...dateParts('email_date', '2026-12-03'),
  });
  step = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(step.due_date, '2026-12-10');
  await jo.get(instanceUrl);
  const away = await jo.post(`${instanceUrl}/steps/${step.id}/decide`, {
    version: String(step.version),
    outcome: 'giver_away',
  });
  assert.equal(away.statusCode, 303, away.body.slice(0, 300));
  const req = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', requestId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(req.responsible_user_id, raj.id);
  const r = new Browser(app);
  await r.login(raj.email);
  assert.match((await r.get('/notifications')).body, /you are now responsible/);
  assert.equal((await r.post(`/advice/${requestId}/advice`, { advice: 'Equipment: standing frame.' })).statusCode, 303);
  const inst = await db
    .selectFrom('protocol_instances')
    .where('id', '=', instanceId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(inst.result, 'follow_up_closed');
});

test('exceptions are evidence: statutory dates stay, the projection moves; parents get a delay notice', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const ex = await jo.post(`${assessmentUrl}/exceptions/new`, {
    type: 'personal_circumstances',
    ...dateParts('start_date', '2026-12-01'),
    ...dateParts('end_date', '2026-12-28'),
    reason: 'Family bereavement; letter on file',
  });
  assert.equal(ex.statusCode, 303, ex.body.slice(0, 300));
  const api = await token(coordinator.id);
  const id = assessmentUrl.split('/').pop()!;
  const res = await app.inject({ method: 'GET', url: `/api/v1/people/${zara}/ehcp-assessments/${id}`, headers: api });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  const final = body.clocks.find((c: { key: string }) => c.key === 'final_plan');
  assert.equal(final.statutory, '2027-01-25', 'never moved');
  assert.equal(final.projected, '2027-02-22', '28 days of exception');
  assert.equal(body.delayed, true);
  assert.equal(body.exceptions[0].reportable, true);
  const page = await jo.get(assessmentUrl);
  assert.match(page.body, /Tell the parents about the delay/);

  const notice = await jo.post(`${assessmentUrl}/delay-notice`, {
    reason: 'Exceptional personal circumstances (family bereavement)',
  });
  assert.equal(notice.statusCode, 303, notice.body.slice(0, 300));
  const rows = await db.selectFrom('ehcp_delay_notices').selectAll().orderBy('contact_name').execute();
  assert.deepEqual(
    rows.map((r) => [r.contact_name, r.channel, r.new_date]),
    [
      ['Kim Parent', 'email', '2027-02-22'],
      ['Lee Parent', 'letter', '2027-02-22'],
    ],
  );
  const mail = await db
    .selectFrom('outbox')
    .where('id', '=', rows[0]!.outbox_id!)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.deepEqual(mail.to_addresses, ['kim.parent@example.org']);
  assert.match(mail.body, /The 20-week date was 2027-01-25/);
  assert.match(mail.body, /by 2027-02-22/);
  noChild(mail.body);
  const record = await jo.get(`/people/${zara}`);
  assert.match(record.body, /Exception recorded for statutory reporting/);
  assert.match(record.body, /Delay notice sent to Kim Parent, Lee Parent/);
});

test('the draft is served; advice givers are asked to check it, copying their manager; feedback comes on the request page', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const before = (await outbox()).length;
  const served = await jo.post(`${assessmentUrl}/draft`, {
    ...dateParts('served_date', '2026-12-03'),
    draft_text: 'Needs: mobility. Provision: physiotherapy twice weekly.',
  });
  assert.equal(served.statusCode, 303, served.body.slice(0, 300));
  const mails = (await outbox()).slice(before);
  assert.equal(mails.length, 1);
  assert.deepEqual(mails[0]!.to_addresses, [raj.email], 'the person now responsible for the request');
  noChild(mails[0]!.body);
  const req = await db
    .selectFrom('ehcp_advice_requests')
    .where('id', '=', requestId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(req.draft_check_due, '2026-12-10', '5 working days');
  const f = new Browser(app);
  await f.login(fiona.email);
  const page = await f.get(`/advice/${requestId}`);
  assert.match(page.body, /Check the draft plan/);
  assert.match(page.body, /physiotherapy twice weekly/);
  assert.equal((await f.post(`/advice/${requestId}/draft-feedback`, { feedback: 'Accurate.' })).statusCode, 303);
  const assessmentPage = await jo.get(assessmentUrl);
  assert.match(
    assessmentPage.body,
    /15 days beginning with the day of service of the draft plan on 3 December 2026 \(SEND Regulations 2014 reg 13\(1\)\)/,
  );
  // The final plan cannot come before the representations period has run.
  const early = await jo.post(`${assessmentUrl}/final`, { ...dateParts('final_date', '2026-12-03') });
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /cannot be issued before 18 December 2026|cannot be issued before 2026-12-18/);
});

test('the weekly report: page, CSV, JSON; emailed once a week to SEND managers with counts and no names', async () => {
  clock.set('2026-12-07T07:00:00Z');
  // A second assessment with overdue advice from the NHS trust.
  const yusuf = await youngPerson('HO880002', 'Yusuf', 'Ramsbottom', '2012-05-05');
  const api = await token(coordinator.id);
  const made = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${yusuf}/ehcp-assessments`,
    headers: api,
    payload: { request_date: '2026-08-03', requested_by: 'school' },
  });
  assert.equal(made.statusCode, 201, made.body);
  const aid = made.json().id;
  assert.equal(
    (
      await app.inject({
        method: 'POST',
        url: `/api/v1/people/${yusuf}/ehcp-assessments/${aid}/decision`,
        headers: api,
        payload: { decision: 'assess', decision_date: '2026-09-01' },
      })
    ).statusCode,
    204,
  );
  const ar = await app.inject({
    method: 'POST',
    url: `/api/v1/people/${yusuf}/ehcp-assessments/${aid}/advice-requests`,
    headers: api,
    payload: { kind: 'health', giver_user_id: fiona.id, question: 'Health advice', requested_date: '2026-09-01' },
  });
  assert.equal(ar.statusCode, 201, ar.body);
  // Year 9 from September 2025 for a child born May 2012: preparing-for-adulthood advice is required before the draft.
  const noPfa = new Browser(app);
  await noPfa.login(coordinator.email);
  const draft = await noPfa.post(`/people/${yusuf}/ehcp/${aid}/draft`, {
    ...dateParts('served_date', '2026-12-07'),
    draft_text: 'x',
  });
  assert.equal(draft.statusCode, 400);
  assert.match(draft.body, /preparing for adulthood/);

  const priya = new Browser(app);
  await priya.login(sendManager.email);
  const page = await priya.get('/reports/ehcp-weekly');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Demoshire Community Health NHS Trust/);
  assert.match(page.body, /Community Paediatrics/);
  assert.match(page.body, /HO880002/);
  noChild(page.body);
  assert.doesNotMatch(page.body, /Yusuf|Ramsbottom/);
  const csv = await priya.get('/reports/ehcp-weekly.csv');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  assert.match(csv.body, /"advice_outstanding_by_provider","","Demoshire Community Health NHS Trust"/);
  assert.match(csv.body, /"at_risk_of_missing_20_weeks","HO880002"/);
  const apiCsv = await app.inject({
    method: 'GET',
    url: '/api/v1/reports/ehcp-weekly.csv',
    headers: await token(sendManager.id),
  });
  assert.equal(apiCsv.body, csv.body);
  // Coordinators run assessments but the report is for SEND managers.
  assert.equal((await noPfa.get('/reports/ehcp-weekly')).statusCode, 403);

  const before = (await outbox()).length;
  // Cumbria step 9 is every SEND manager's ehcp-weekly subscription, sent by the subscriptions job (issue 14 part 3).
  const job = { db, baseUrl: 'https://handover.example', now: clock.now() };
  assert.equal(await sendDueSubscriptions(job), 1);
  assert.equal(await sendDueSubscriptions(job), 0, 'once a week');
  const mails = (await outbox()).slice(before);
  assert.equal(mails.length, 1);
  assert.deepEqual(mails[0]!.to_addresses, [sendManager.email]);
  assert.match(mails[0]!.subject, /^EHCP weekly report: week beginning 2026-12-07$/);
  assert.match(mails[0]!.body, /Advice outstanding: 1\n- Advice past the 6-week date: 1\n/);
  assert.match(mails[0]!.body, /https:\/\/handover.example\/reports\/ehcp-weekly/);
  assert.doesNotMatch(mails[0]!.body, /Yusuf|Ramsbottom|Zara|Quarrie|HO88000/);

  // The overdue-advice timer reminds the giver and her manager, once.
  const swept = await sweepDue(db, clock.now());
  assert.ok(swept.fired >= 1);
  const notes = await db
    .selectFrom('notifications')
    .where('message', 'like', 'Overdue: advice%')
    .select('user_id')
    .execute();
  assert.deepEqual(notes.map((n) => n.user_id).sort(), [fiona.id, raj.id].sort());
  assert.deepEqual(await sweepDue(db, clock.now()), { fired: 0, failed: 0 });
});

/** Asks for advice from someone without an account; returns the set-password token from the email, and the page shown. */
async function inviteSomeone(jo: Browser, email: string, name: string) {
  const nhs = await db
    .selectFrom('services')
    .where('authority_id', '=', org.authorityId)
    .where('external', '=', true)
    .select('id')
    .executeTakeFirstOrThrow();
  const sent = await jo.post(
    `${assessmentUrl.replace(/\/ehcp\/.*/, '')}/ehcp/${assessmentUrl.split('/').pop()}/advice/new`,
    {
      kind: 'educational_psychology',
      giver_user_id: 'invite',
      invite_email: email,
      invite_name: name,
      invite_service_id: nhs.id,
      question: 'Cognition and learning',
    },
  );
  assert.equal(sent.statusCode, 303, sent.body.slice(0, 400));
  const confirmation = await jo.get(String(sent.headers.location));
  const invite = (await outbox()).find((m) => m.to_addresses[0] === email && /invited/.test(m.subject))!;
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(invite.body)![1]!;
  return { token, body: invite.body, confirmation: confirmation.body };
}

test('an advice giver without an account is invited by email, sets a password once, and signs in', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const {
    token: link,
    body,
    confirmation,
  } = await inviteSomeone(jo, 'new.psychologist@ep.example', 'Nia Psychologist');
  noChild(body);
  assert.ok(!confirmation.includes(link), 'the page after inviting does not show the link');
  const stored = await db.selectFrom('user_invites').selectAll().executeTakeFirstOrThrow();
  assert.notEqual(stored.token_hash, link, 'only the hash is stored');
  assert.equal(stored.token_hash, sha256(link));
  assert.equal(stored.expires_at.getTime() - clock.now().getTime(), 72 * 3_600_000, 'the link lasts 72 hours');
  assert.match(body, /expires in 72 hours/);

  const nia = new Browser(app);
  const form = await nia.get(`/invite/${link}`);
  assert.equal(form.statusCode, 200);
  assert.ok(!form.body.includes(link), 'the form does not show its own token');
  assert.doesNotMatch(form.body, /new\.psychologist@ep\.example/, 'nor who it was sent to');
  const good = {
    email: 'new.psychologist@ep.example',
    password: 'correct horse battery staple',
    confirm: 'correct horse battery staple',
  };
  // CSRF: without the double-submit token the form is refused.
  assert.equal((await nia.post(`/invite/${link}`, good, { csrf: 'wrong' })).statusCode, 403);
  const short = await nia.post(`/invite/${link}`, { ...good, password: 'short', confirm: 'short' });
  assert.equal(short.statusCode, 400);
  assert.ok(!short.body.includes(link));
  const ok = await nia.post(`/invite/${link}`, { ...good, email: ' New.Psychologist@EP.example ' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/invite/done');
  const done = await nia.get('/invite/done');
  assert.match(done.body, /govuk-notification-banner--success[\s\S]*Your password is set/);
  // Used: refused, both to look at and to set again.
  assert.equal((await new Browser(app).get(`/invite/${link}`)).statusCode, 404, 'one use only');
  const again = new Browser(app);
  await again.get('/login');
  const reuse = await again.post(`/invite/${link}`, {
    ...good,
    password: 'another long passphrase here',
    confirm: 'another long passphrase here',
  });
  assert.equal(reuse.statusCode, 404);
  await nia.login('new.psychologist@ep.example', 'correct horse battery staple');
  const mine = await nia.get('/advice');
  assert.match(mine.body, /Educational psychology/);
});

test('a set-password link is bound to the invited address, and stops working after 72 hours (issue 9)', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const { token } = await inviteSomeone(jo, 'bound.therapist@ep.example', 'Bo Therapist');
  const form = { password: 'a long enough passphrase', confirm: 'a long enough passphrase' };

  // Another account's address (a signed-up advice giver): refused, the link is not used up, nobody's password changes.
  const fionaBefore = await db
    .selectFrom('users')
    .where('id', '=', fiona.id)
    .select('password_hash')
    .executeTakeFirstOrThrow();
  const attacker = new Browser(app);
  await attacker.get(`/invite/${token}`);
  const wrong = await attacker.post(`/invite/${token}`, { ...form, email: fiona.email });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /href="#email">Enter the email address this invitation was sent to/);
  assert.ok(!wrong.body.includes(token));
  const fionaAfter = await db
    .selectFrom('users')
    .where('id', '=', fiona.id)
    .select('password_hash')
    .executeTakeFirstOrThrow();
  assert.equal(fionaAfter.password_hash, fionaBefore.password_hash, 'the token cannot set another account’s password');
  const invited = await db
    .selectFrom('users')
    .where('email', '=', 'bound.therapist@ep.example')
    .select('password_hash')
    .executeTakeFirstOrThrow();
  assert.equal(invited.password_hash, null);
  assert.equal(
    (await attacker.post(`/invite/${token}`, { ...form, email: 'someone.else@ep.example' })).statusCode,
    400,
  );
  assert.equal((await attacker.post(`/invite/${token}`, { ...form, email: '' })).statusCode, 400);

  // Expired: a second after 72 hours the link does nothing.
  clock.advance(72 * 3_600_000 + 1000);
  try {
    const late = new Browser(app);
    assert.equal((await late.get(`/invite/${token}`)).statusCode, 404);
    await late.get('/login');
    assert.equal(
      (await late.post(`/invite/${token}`, { ...form, email: 'bound.therapist@ep.example' })).statusCode,
      404,
    );
  } finally {
    clock.advance(-(72 * 3_600_000 + 1000));
  }
  const still = await db
    .selectFrom('users')
    .where('email', '=', 'bound.therapist@ep.example')
    .select('password_hash')
    .executeTakeFirstOrThrow();
  assert.equal(still.password_hash, null, 'an expired link set nothing');
  // Tokens that were never issued.
  assert.equal((await new Browser(app).get(`/invite/${'x'.repeat(43)}`)).statusCode, 404);
  assert.equal((await new Browser(app).get('/invite/short')).statusCode, 404);
});

test('the statutory route runs on the engine: due dates cite the regulation, exceptions never move them, the ladder fires', async () => {
  clock.set('2026-12-08T10:00:00Z');
  const ivy = await youngPerson('HO880009', 'Ivy', 'Statute', '2017-01-01');
  const api = await token(coordinator.id);
  const base = `/api/v1/people/${ivy}/ehcp-assessments`;
  const made = await app.inject({
    method: 'POST',
    url: base,
    headers: api,
    payload: { request_date: '2026-10-26', requested_by: 'parent' },
  });
  assert.equal(made.statusCode, 201, made.body);
  const aid = made.json().id as string;
  const step = () =>
    db
      .selectFrom('ehcp_assessments as a')
      .innerJoin('protocol_instances as i', 'i.id', 'a.protocol_instance_id')
      .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
      .where('a.id', '=', aid)
      .select(['i.id', 'i.status', 'i.result', 'i.data', 's.step_key', 's.due_date', 's.due_rule'])
      .executeTakeFirstOrThrow();
  let at = await step();
  assert.equal(at.step_key, 'decide_whether_to_assess');
  assert.equal(at.due_date, '2026-12-07');
  assert.equal(at.due_rule, '6 weeks from the request on 2026-10-26 (SEND Regulations 2014 reg 5(1))');
  // Every deadline row belongs to a protocol step.
  const subjects = await db.selectFrom('deadlines').select('subject_type').distinct().execute();
  assert.deepEqual(
    subjects.map((s) => s.subject_type),
    ['protocol_step'],
  );

  // The 6 weeks have passed: the sweep reminds the coordinator once.
  await sweepDue(db, clock.now());
  const reminders = await db
    .selectFrom('notifications')
    .where('user_id', '=', coordinator.id)
    .where('message', '=', 'Overdue: Decide whether to carry out the EHC needs assessment')
    .select('id')
    .execute();
  assert.equal(reminders.length, 1);

  // A reg 10(4) exception is evidence on the instance and the timeline; the statutory date stays.
  const exc = await app.inject({
    method: 'POST',
    url: `${base}/${aid}/exceptions`,
    headers: api,
    payload: {
      type: 'personal_circumstances',
      start_date: '2026-11-02',
      end_date: '2026-11-20',
      reason: 'Bereavement in the family; the parent asked for a pause.',
    },
  });
  assert.equal(exc.statusCode, 204, exc.body);
  at = await step();
  assert.equal(at.due_date, '2026-12-07', 'an exception never moves the statutory date');
  assert.deepEqual(
    (at.data as { exceptions: unknown[] }).exceptions.map((e) => (e as { type: string }).type),
    ['personal_circumstances'],
  );

  // The decision moves the route on; the list's stage and status are read from the engine.
  const decided = await app.inject({
    method: 'POST',
    url: `${base}/${aid}/decision`,
    headers: api,
    payload: { decision: 'assess', decision_date: '2026-12-08' },
  });
  assert.equal(decided.statusCode, 204, decided.body);
  at = await step();
  assert.equal(at.step_key, 'gather_advice');
  assert.equal(at.due_date, '2027-02-15');
  assert.match(at.due_rule ?? '', /16 weeks from the request on 2026-10-26 \(SEND Regulations 2014 reg 10\(1\)\)/);
  const list = (await app.inject({ method: 'GET', url: base, headers: api })).json().items;
  assert.deepEqual(
    list.map((a: { status: string; stage: string }) => [a.status, a.stage]),
    [['open', 'Gathering advice']],
  );
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  // The open instance shows on the protocol page, which says it is decided on the assessment's pages.
  const instancePage = await jo.get(`/people/${ivy}/protocols/${at.id}`);
  assert.equal(instancePage.statusCode, 200);
  assert.match(
    instancePage.body,
    /This protocol moves on by itself: record each decision on the EHC needs assessment page/,
  );
  assert.match(instancePage.body, /SEND Regulations 2014 reg 10\(1\)/);
  // A decision not to issue ends it.
  const notIssue = await jo.post(`/people/${ivy}/ehcp/${aid}/not-issuing`, {
    ...dateParts('not_issue_date', '2026-12-08'),
  });
  assert.equal(notIssue.statusCode, 303, notIssue.body.slice(0, 300));
  at = await step();
  assert.deepEqual([at.status, at.result], ['ended', 'not_issued']);
  const ended = (await app.inject({ method: 'GET', url: base, headers: api })).json().items;
  assert.deepEqual(
    ended.map((a: { status: string; stage: string }) => [a.status, a.stage]),
    [['closed', 'Decided not to issue a plan']],
  );
});
