// Issue 20's Done through the JSON API: an EHC plan's first year as the coordinator (and an advice giver, each with
// their own token) would run it from an assessment whose advice has come in — the plan drafted from the advice, a
// section edited, the draft served, the parent's representations, the final issued; its annual review (advice asked
// of the advice giver, circulated, meeting, report, decision amend); the amendment (proposals, representations, the
// amended final inside 8 weeks and before 15 February); the phase-transfer cohort for that 15 February with the
// child listed; and a different plan ceased with an SEN2 reason. Every status code and body is asserted, each clock
// names its regulation, bad input names its field, and the OpenAPI document lists the paths with their schemas.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { registerAllTimers } from '../src/modules/timers/handlers.ts';
import { finalPlan, tokenFor } from './ehc-plan-changes-setup.ts';
import { fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'year');
// Monday 23 November 2026, 10:00.
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await testApp(db, { now: clock.now });
after(registerAllTimers(app.services));
const coordinator = userByRole(org, 'ehcp_coordinator');
const giver = userByRole(org, 'advice_giver');
const team = org.teams['send-statutory'] as string;
const tokens = { coordinator: await tokenFor(db, coordinator.id), giver: await tokenFor(db, giver.id) };

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read field by field in the assertions
type Json = Record<string, any>;
type Who = keyof typeof tokens;
async function call(who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tokens[who]}` },
    ...(method === 'GET' ? {} : { payload: payload ?? {} }),
  });
  return { status: res.statusCode, body: res.body ? (res.json() as Json) : null, raw: res.body };
}
const coord = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
  call('coordinator', method, url, payload);

/** Moves the clock to 10:00 on `day` and runs the timers due, as the worker would. */
async function dayIs(day: string) {
  clock.set(`${day}T10:00:00Z`);
  await sweepDue(db, clock.now());
}

/** A 400 naming `field` with a message matching `message`. */
function badField(r: { status: number; body: Json | null; raw: string }, field: string, message: RegExp) {
  assert.equal(r.status, 400, r.raw);
  assert.ok(r.body?.fields?.[field], `the answer names ${field}: ${r.raw}`);
  assert.match(r.body.fields[field], message);
}

// Born 1 October 2015: Year 6 in 2026/27, moving to secondary school in September 2027 (reg 18: 15 February 2027).
const personId = await personInTeam(db, {
  authorityId: org.authorityId,
  team,
  worker: coordinator.id,
  caseNumber: 'YR-0001',
  givenName: 'Sam',
  familyName: 'Yearlong',
  dateOfBirth: '2015-10-01',
});

const ids: Record<string, string> = {};

test('the assessment: decided, advice asked of the advice giver, who gives it through their own token', async () => {
  const base = `/api/v1/people/${personId}/ehcp-assessments`;
  const made = await coord('POST', base, { request_date: '2026-09-07', requested_by: 'parent' });
  assert.equal(made.status, 201, made.raw);
  ids.assessment = made.body?.id;
  const one = `${base}/${ids.assessment}`;
  const decided = await coord('POST', `${one}/decision`, { decision: 'assess', decision_date: '2026-09-28' });
  assert.equal(decided.status, 204, decided.raw);
  const asked = await coord('POST', `${one}/advice-requests`, {
    kind: 'educational_psychology',
    giver_user_id: giver.id,
    question: 'Educational psychology advice on Sam’s needs',
    requested_date: '2026-09-28',
  });
  assert.equal(asked.status, 201, asked.raw);
  const mine = await call('giver', 'GET', '/api/v1/advice-requests');
  assert.equal(mine.status, 200, mine.raw);
  assert.ok(mine.body?.items.some((r: { id: string }) => r.id === asked.body?.id));
  const given = await call('giver', 'POST', `/api/v1/advice-requests/${asked.body?.id}/advice`, {
    advice: 'Sam has a specific learning difficulty affecting reading and spelling.',
    summary_needs: 'Reading and spelling well below age-related expectations.',
    summary_outcomes: 'Reads texts for Year 7 with support by the end of Key Stage 3.',
    summary_provision: 'Daily structured literacy teaching in a small group.',
  });
  assert.equal(given.status, 201, given.raw);
  assert.equal(given.body?.kind, 'advice');
  const a = await coord('GET', one);
  assert.equal(a.status, 200);
  assert.equal(a.body?.advice_requests[0].status, 'received');
});

test('the plan: drafted from the advice, a section edited, the draft served, representations, the final issued', async () => {
  badField(await coord('POST', '/api/v1/ehc-plans', {}), 'assessment_id', /assessment_id/);
  const drafted = await coord('POST', '/api/v1/ehc-plans', { assessment_id: ids.assessment });
  assert.equal(drafted.status, 201, drafted.raw);
  ids.plan = drafted.body?.id;
  ids.draft = drafted.body?.version_id;
  const again = await coord('POST', '/api/v1/ehc-plans', { assessment_id: ids.assessment });
  badField(again, 'assessment_id', /already has a plan/);
  const planUrl = `/api/v1/ehc-plans/${ids.plan}`;
  let plan = await coord('GET', planUrl);
  assert.equal(plan.status, 200, plan.raw);
  assert.equal(plan.body?.status, 'draft');
  assert.equal(plan.body?.case_number, 'YR-0001');
  assert.equal(plan.body?.assessment_id, ids.assessment);
  let draft = plan.body?.versions.find((v: { id: string }) => v.id === ids.draft);
  assert.equal(draft.kind, 'draft');
  assert.equal(draft.state, 'editing');
  const k = draft.sections.find((x: { key: string }) => x.key === 'k');
  assert.match(k.text, /Educational psychology/, 'section K lists the advice held');
  const f = draft.sections.find((x: { key: string }) => x.key === 'f');
  assert.match(f.text, /specific learning difficulty/, 'section F drafted from the educational psychology advice');
  const b = draft.sections.find((x: { key: string }) => x.key === 'b');
  assert.match(b.text, /specific learning difficulty/, 'so is section B');

  const sectionUrl = `${planUrl}/versions/${ids.draft}/sections/f`;
  const text = 'Daily structured literacy teaching in a group of no more than four, 30 minutes.';
  const stale = await coord('POST', sectionUrl, { text, version: draft.version + 1 });
  assert.equal(stale.status, 409, stale.raw);
  const edited = await coord('POST', sectionUrl, { text, version: draft.version });
  assert.equal(edited.status, 204, edited.raw);
  draft = (await coord('GET', `${planUrl}/versions/${ids.draft}`)).body;
  assert.equal(draft.sections.find((x: { key: string }) => x.key === 'f').text, text);

  const serveUrl = `${planUrl}/versions/${ids.draft}/serve`;
  badField(
    await coord('POST', serveUrl, { served_date: '2026-11-24', version: draft.version }),
    'served_date',
    /today or in the past/,
  );
  const served = await coord('POST', serveUrl, { served_date: '2026-11-23', version: draft.version });
  assert.equal(served.status, 204, served.raw);
  plan = await coord('GET', planUrl);
  assert.equal(plan.body?.versions.find((v: { id: string }) => v.id === ids.draft).state, 'issued');
  assert.ok(plan.body?.waiting, 'what is waiting, with its clock');
  assert.match(String(plan.body?.waiting.rule), /reg 13/);

  await dayIs('2026-11-30');
  const repUrl = `${planUrl}/representations`;
  badField(
    await coord('POST', repUrl, { made_by: 'parent', received_date: '2026-11-27', summary: '' }),
    'summary',
    /summary/,
  );
  const rep = await coord('POST', repUrl, {
    made_by: 'parent',
    received_date: '2026-11-27',
    summary: 'Agree with the provision; ask for more detail on speech and language support.',
    version: plan.body?.version,
  });
  assert.equal(rep.status, 201, rep.raw);
  const final = await coord('POST', `${planUrl}/final`, { version: (await coord('GET', planUrl)).body?.version });
  assert.equal(final.status, 201, final.raw);
  ids.final = final.body?.id;
  const fv = (await coord('GET', `${planUrl}/versions/${ids.final}`)).body as Json;
  assert.equal(fv.kind, 'final');
  const issueUrl = `${planUrl}/versions/${ids.final}/issue`;
  badField(
    await coord('POST', issueUrl, { final_date: '2026-11-20', version: fv.version }),
    'final_date',
    /before the draft was served/,
  );
  const issued = await coord('POST', issueUrl, { final_date: '2026-11-30', version: fv.version });
  assert.equal(issued.status, 204, issued.raw);
  plan = await coord('GET', planUrl);
  assert.equal(plan.body?.status, 'final');
  assert.equal(plan.body?.first_issued_date, '2026-11-30');
  assert.equal(plan.body?.last_issued_date, '2026-11-30');
  assert.equal(plan.body?.review_due_date, '2027-11-29', 'the review clock started with the final');
  assert.equal(plan.body?.representations.length, 1);
  const pdf = await app.inject({
    method: 'GET',
    url: `${planUrl}/versions/${ids.final}/pdf`,
    headers: { authorization: `Bearer ${tokens.coordinator}` },
  });
  assert.equal(pdf.statusCode, 200);
  assert.match(String(pdf.headers['content-type']), /application\/pdf/);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const listed = await coord('GET', '/api/v1/ehc-plans');
  assert.equal(listed.status, 200, listed.raw);
  assert.ok(listed.body?.plans.some((p: { id: string }) => p.id === ids.plan));
});

test('the annual review: arranged with 2 weeks’ notice, advice from the giver, circulated, meeting, report, amend', async () => {
  const base = `/api/v1/ehc-plans/${ids.plan}/reviews`;
  const list = await coord('GET', base);
  assert.equal(list.status, 200, list.raw);
  assert.equal(list.body?.items.length, 1, 'the final plan started its review clock');
  let r = list.body?.items[0];
  ids.review = r.id;
  assert.equal(r.status, 'open');
  assert.equal(r.step, 'arrange_meeting');
  assert.equal(r.transfer_phase, 'secondary');
  assert.equal(r.transfer_deadline, '2027-02-15');
  assert.equal(r.due_date, '2027-11-29', '12 months beginning with the day the final was issued (s.44(1))');
  // In the transfer year the meeting is due 12 weeks before 15 February (23 November), but a first review never
  // before 4 weeks after the plan was made: the plan issued on 30 November is not overdue on its first day.
  assert.equal(r.meeting_by, '2026-12-28');
  assert.equal(r.overdue, false);
  assert.ok(r.step_due_rule);
  const one = `${base}/${ids.review}`;

  // Bad input names the field; a meeting with less than 2 weeks' notice is refused.
  badField(await coord('POST', `${one}/arrange`, { version: r.version }), 'meeting_date', /^meeting_date is required/);
  const soon = await coord('POST', `${one}/arrange`, { meeting_date: '2026-12-07', version: r.version });
  assert.equal(soon.status, 400, soon.raw);
  assert.ok(soon.body?.fields.meeting_date);
  const stale = await coord('POST', `${one}/arrange`, { meeting_date: '2027-01-11', version: r.version + 1 });
  assert.equal(stale.status, 409, stale.raw);
  const arranged = await coord('POST', `${one}/arrange`, { meeting_date: '2027-01-11', version: r.version });
  assert.equal(arranged.status, 200, arranged.raw);
  r = arranged.body?.review;
  assert.equal(r.meeting_date, '2027-01-11');
  assert.equal(r.step, 'circulate_advice');
  assert.equal(r.step_due, '2026-12-28', 'advice circulated 2 weeks before the meeting (reg 20(4))');
  // The rule's words do not name reg 20(4) yet ("the notice by recorded for this case"): journey-gaps.md #2.
  assert.ok(r.step_due_rule);

  badField(
    await coord('POST', `${one}/advice-requests`, { question: 'x' }),
    'giver_user_id',
    /^giver_user_id is required/,
  );
  const asked = await coord('POST', `${one}/advice-requests`, {
    giver_user_id: giver.id,
    question: 'Progress towards the reading outcomes in section E',
  });
  assert.equal(asked.status, 201, asked.raw);
  // The advice giver sees the request addressed to them, and nothing of it for another's token.
  const mine = await call('giver', 'GET', '/api/v1/ehc-reviews/advice-requests');
  assert.equal(mine.status, 200, mine.raw);
  const req = mine.body?.items.find((x: { id: string }) => x.id === asked.body?.id);
  assert.ok(req, 'listed for the advice giver');
  assert.equal(req.status, 'requested');
  const got = await call('giver', 'GET', `/api/v1/ehc-reviews/advice-requests/${asked.body?.id}`);
  assert.equal(got.status, 200, got.raw);
  assert.equal(got.body?.question, 'Progress towards the reading outcomes in section E');
  assert.equal(got.body?.meeting_date, '2027-01-11');
  assert.equal(got.raw.includes('Yearlong'), false, 'no name of the child in the giver’s answer');
  const answerUrl = `/api/v1/ehc-reviews/advice-requests/${asked.body?.id}/answer`;
  const empty = await call('giver', 'POST', answerUrl, { answer: '', version: got.body?.version });
  badField(empty, 'answer', /answer|Enter your advice/);
  const answered = await call('giver', 'POST', answerUrl, {
    answer: 'Reading age up 14 months; keep the small-group teaching.',
    version: got.body?.version,
  });
  assert.equal(answered.status, 204, answered.raw);

  await dayIs('2026-12-21');
  r = (await coord('GET', one)).body?.review;
  badField(
    await coord('POST', `${one}/circulate`, { circulated_date: '2026-12-22', version: r.version }),
    'circulated_date',
    /today or in the past/,
  );
  const circulated = await coord('POST', `${one}/circulate`, { circulated_date: '2026-12-21', version: r.version });
  assert.equal(circulated.status, 200, circulated.raw);
  r = circulated.body?.review;
  assert.equal(r.step, 'hold_meeting');
  assert.equal(r.step_due, '2026-12-28', 'the first review’s meeting_by, not the meeting arranged');
  assert.ok(r.step_due_rule);

  await dayIs('2027-01-11');
  badField(
    await coord('POST', `${one}/meeting`, { held_date: '2027-01-11', child_views: 'x', version: r.version }),
    'attendees',
    /^attendees is required/,
  );
  const held = await coord('POST', `${one}/meeting`, {
    held_date: '2027-01-11',
    attendees: 'Parent, SENCO, educational psychologist',
    child_views: 'I like the reading group and want to go to Demoton Academy.',
    parent_views: 'Pleased with progress; want Demoton Academy named.',
    version: r.version,
  });
  assert.equal(held.status, 200, held.raw);
  r = held.body?.review;
  assert.equal(r.step, 'send_report');
  assert.equal(r.step_due, '2027-01-25', '2 weeks after the meeting');
  assert.match(r.step_due_rule, /reg 20\(7\)/);
  const reported = await coord('POST', `${one}/report`, {
    report: 'Good progress in reading; recommend naming Demoton Academy for September 2027.',
    sent_date: '2027-01-11',
    version: r.version,
  });
  assert.equal(reported.status, 200, reported.raw);
  r = reported.body?.review;
  assert.equal(r.step, 'decide');
  // Decided by 15 February less the amendment's 8 weeks (reg 18), not 4 weeks after the meeting (reg 20(10)); the
  // rule's words do not say so yet ("the phase decision due recorded for this case"): journey-gaps.md #2.
  assert.equal(r.step_due, '2026-12-21');
  assert.equal(r.overdue, true);
  badField(
    await coord('POST', `${one}/decision`, {
      decision: 'rewrite',
      reasons: 'x',
      decision_date: '2027-01-11',
      version: r.version,
    }),
    'decision',
    /^decision /,
  );
  const decided = await coord('POST', `${one}/decision`, {
    decision: 'amend',
    reasons: 'Name the secondary school in section I for September 2027.',
    decision_date: '2027-01-11',
    version: r.version,
  });
  assert.equal(decided.status, 200, decided.raw);
  r = decided.body?.review;
  assert.equal(r.status, 'decided');
  assert.equal(r.decision, 'amend');
  assert.equal(r.decision_date, '2027-01-11');
});

test('the amendment the review decided: proposals sent, representations, the amended plan issued inside 8 weeks', async () => {
  const base = `/api/v1/ehc-plans/${ids.plan}/amendments`;
  const list = await coord('GET', base);
  assert.equal(list.status, 200, list.raw);
  assert.equal(list.body?.items.length, 1, 'the decision started the amendment');
  const one = `${base}/${list.body?.items[0].id}`;
  let got = await coord('GET', one);
  assert.equal(got.status, 200, got.raw);
  let a = got.body?.amendment;
  assert.equal(a.started_how, 'review');
  assert.equal(a.protocol.step, 'prepare_proposals');
  assert.ok(a.proposed_version_id);
  // The proposals are written on the plan's own section pages (any version being edited).
  const proposed = (await coord('GET', `/api/v1/ehc-plans/${ids.plan}/versions/${a.proposed_version_id}`)).body;
  assert.equal(proposed?.kind, 'proposed_amendment');
  const placed = await coord('POST', `/api/v1/ehc-plans/${ids.plan}/versions/${a.proposed_version_id}/placement`, {
    setting_name: 'Demoton Academy',
    setting_urn: '123456',
    version: proposed?.version,
  });
  assert.equal(placed.status, 204, placed.raw);

  badField(await coord('POST', `${one}/send`, { version: a.version }), 'sent_date', /sent_date/);
  const sent = await coord('POST', `${one}/send`, { sent_date: '2027-01-11', version: a.version });
  assert.equal(sent.status, 200, sent.raw);
  a = sent.body?.amendment;
  assert.equal(a.protocol.step, 'representations');
  assert.equal(a.protocol.due, '2027-01-25', '15 days beginning with 11 January');
  assert.match(a.protocol.due_rule, /reg 22/);
  assert.equal(a.phase_transfer_due, '2027-02-15', 'reg 18: by 15 February of the year of transfer');

  await dayIs('2027-01-18');
  badField(
    await coord('POST', `${one}/representations`, {
      received_date: '2027-01-18',
      from_whom: 'neighbour',
      summary: 'x',
      version: a.version,
    }),
    'from_whom',
    /^from_whom /,
  );
  const rep = await coord('POST', `${one}/representations`, {
    received_date: '2027-01-18',
    from_whom: 'parent',
    summary: 'Agree; please name Demoton Academy.',
    setting_requested: 'Demoton Academy',
    meeting_requested: false,
    version: a.version,
  });
  assert.equal(rep.status, 200, rep.raw);
  a = rep.body?.amendment;
  const issued = await coord('POST', `${one}/issue`, { issued_date: '2027-01-18', version: a.version });
  assert.equal(issued.status, 200, issued.raw);
  a = issued.body?.amendment;
  assert.equal(a.outcome, 'amended');
  assert.equal(a.decided_date, '2027-01-18', 'one week after the proposals, inside 8 weeks and before 15 February');
  assert.equal(a.protocol.step, null);
  got = await coord('GET', one);
  assert.equal(got.body?.representations.length, 1);
  assert.equal(got.body?.representations[0].setting_requested, 'Demoton Academy');
  const plan = await db
    .selectFrom('ehc_plans')
    .where('id', '=', ids.plan as string)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(plan.last_issued_date, '2027-01-18');
  assert.equal(plan.first_issued_date, '2026-11-30');
});

test('the phase-transfer cohort for 15 February 2027 lists the child, reviewed and amended in time', async () => {
  badField(await coord('GET', '/api/v1/phase-transfers?phase=secondary&year=27'), 'year', /a year like 2027/);
  badField(await coord('GET', '/api/v1/phase-transfers?phase=college'), 'phase', /^phase /);
  const c = await coord('GET', '/api/v1/phase-transfers?phase=secondary&year=2027');
  assert.equal(c.status, 200, c.raw);
  assert.equal(c.body?.deadline, '2027-02-15');
  assert.match(c.body?.source, /reg 18\(1\)\(b\)/);
  const row = c.body?.rows.find((x: { planId: string }) => x.planId === ids.plan);
  assert.ok(row, 'the child is in the cohort');
  assert.equal(row.caseNumber, 'YR-0001');
  assert.equal(row.decision, 'amend');
  assert.equal(row.reviewHeld, '2027-01-11');
  assert.equal(row.complete, true);
  assert.equal(row.onTrack, true);
  assert.equal(c.raw.includes('Yearlong'), false, 'case numbers, not names');
});

test('a different plan ceased with an SEN2 reason: consultation, notice with the appeal window, ceased', async () => {
  const other = await personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber: 'YR-0002',
    givenName: 'Alex',
    familyName: 'Leaving',
    dateOfBirth: '2006-03-03',
  });
  const planId = await finalPlan(db, { authorityId: org.authorityId, personId: other, coordinatorId: coordinator.id });
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  badField(await coord('POST', base, {}), 'reason', /^reason is required/);
  badField(await coord('POST', base, { reason: '9' }), 'reason_detail', /Other/);
  const made = await coord('POST', base, { reason: '4', reason_detail: 'Full-time job at the garden centre' });
  assert.equal(made.status, 201, made.raw);
  const one = `${base}/${made.body?.id}`;
  let c = (await coord('GET', one)).body?.cessation;
  assert.equal(c.reason, 4);
  assert.equal(c.reason_label, 'Moved on to paid employment, excluding apprenticeships');
  assert.equal(c.protocol.step, 'consult');
  const decided = await coord('POST', `${one}/decision`, {
    decision: 'cease',
    parent_consulted_date: '2027-01-12',
    views: 'Alex agrees: working full time.',
    notice_date: '2027-01-18',
    version: c.version,
  });
  assert.equal(decided.status, 200, decided.raw);
  c = decided.body?.cessation;
  assert.equal(c.notice_date, '2027-01-18');
  assert.equal(c.appeal_by, '2027-03-18', 'two months from the notice');
  assert.equal(c.protocol.step, 'appeal_window');
  assert.match(c.protocol.due_rule, /appeal/);
  const early = await coord('POST', `${one}/cease`, { ceased_date: '2027-01-18', version: c.version });
  assert.equal(early.status, 409, early.raw);
  await dayIs('2027-03-19');
  // API tokens last 90 days from the day they are made, by the database's own clock: the coordinator's token is
  // renewed for the spring (its expiry moved on, as a new token made in March would have).
  await db
    .updateTable('api_tokens')
    .set({ expires_at: new Date('2027-06-01T00:00:00Z') })
    .where('user_id', '=', coordinator.id)
    .execute();
  const now = await coord('GET', one);
  assert.equal(now.status, 200, now.raw);
  c = now.body?.cessation;
  assert.equal(c.protocol.step, 'cease_plan', 'the appeal window closed with no appeal');
  const ceased = await coord('POST', `${one}/cease`, { ceased_date: '2027-03-19', version: c.version });
  assert.equal(ceased.status, 200, ceased.raw);
  c = ceased.body?.cessation;
  assert.equal(c.outcome, 'ceased');
  assert.equal(c.ceased_date, '2027-03-19');
  const plan = await db.selectFrom('ehc_plans').where('id', '=', planId).selectAll().executeTakeFirstOrThrow();
  assert.equal(plan.status, 'ceased');
  assert.equal(plan.cease_reason, 4);
  assert.equal(plan.ceased_date, '2027-03-19');
});

test('the OpenAPI document lists the new paths with their schemas', async () => {
  const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json() as { paths: Record<string, Json> };
  const body = (path: string) => doc.paths[path]?.post?.requestBody?.content?.['application/json']?.schema;
  for (const [path, fields] of [
    ['/api/v1/ehc-plans', ['assessment_id']],
    ['/api/v1/ehc-plans/{planId}/versions/{versionId}/sections/{section}', ['text', 'version']],
    ['/api/v1/ehc-plans/{planId}/versions/{versionId}/placement', ['setting_name', 'setting_urn', 'sen_setting']],
    ['/api/v1/ehc-plans/{planId}/versions/{versionId}/serve', ['served_date', 'version']],
    ['/api/v1/ehc-plans/{planId}/representations', ['made_by', 'received_date', 'summary']],
    ['/api/v1/ehc-plans/{planId}/versions/{versionId}/issue', ['final_date', 'version']],
    ['/api/v1/ehc-plans/{planId}/reviews/{reviewId}/arrange', ['meeting_date', 'version']],
    ['/api/v1/ehc-plans/{planId}/reviews/{reviewId}/advice-requests', ['giver_user_id', 'question']],
    ['/api/v1/ehc-plans/{planId}/reviews/{reviewId}/circulate', ['circulated_date']],
    ['/api/v1/ehc-plans/{planId}/reviews/{reviewId}/meeting', ['held_date', 'attendees', 'child_views', 'pfa']],
    ['/api/v1/ehc-plans/{planId}/reviews/{reviewId}/report', ['report', 'sent_date']],
    ['/api/v1/ehc-plans/{planId}/reviews/{reviewId}/decision', ['decision', 'reasons', 'decision_date']],
    ['/api/v1/ehc-reviews/advice-requests/{requestId}/answer', ['answer']],
    ['/api/v1/ehc-plans/{planId}/amendments', ['reason']],
    ['/api/v1/ehc-plans/{planId}/amendments/{amendmentId}/send', ['sent_date']],
    ['/api/v1/ehc-plans/{planId}/amendments/{amendmentId}/representations', ['from_whom', 'summary']],
    ['/api/v1/ehc-plans/{planId}/amendments/{amendmentId}/issue', ['issued_date']],
    ['/api/v1/ehc-plans/{planId}/cessations', ['reason', 'reason_detail']],
    ['/api/v1/ehc-plans/{planId}/cessations/{cessationId}/decision', ['decision', 'notice_date']],
    ['/api/v1/ehc-plans/{planId}/cessations/{cessationId}/cease', ['ceased_date']],
  ] as const) {
    const schema = body(path);
    assert.ok(schema, `${path} is documented with a JSON body`);
    for (const f of fields) assert.ok(schema.properties?.[f], `${path} documents ${f}`);
  }
  for (const path of [
    '/api/v1/ehc-plans',
    '/api/v1/ehc-plans/{planId}',
    '/api/v1/ehc-plans/{planId}/versions/{versionId}',
    '/api/v1/ehc-plans/{planId}/reviews',
    '/api/v1/ehc-plans/{planId}/reviews/{reviewId}',
    '/api/v1/ehc-reviews',
    '/api/v1/ehc-reviews/advice-requests',
    '/api/v1/phase-transfers',
    '/api/v1/ehc-plans/{planId}/amendments/{amendmentId}',
    '/api/v1/ehc-plans/{planId}/cessations/{cessationId}',
  ])
    assert.ok(doc.paths[path]?.get?.responses?.['200'], `${path} documents its answer`);
});
