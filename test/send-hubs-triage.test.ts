// Multi-agency triage, the Navigator, the locality team and needs in context (issue 13 parts 4, 5, 6): meetings with
// agendas by rule, every outcome (each needing what it needs, nothing written on error), the setting told by
// reference and link only, the EHC needs assessment started in the same transaction with the hub's evidence, the
// Navigator's support plan actions chased by plan-action-chase, support started and reviewed, and the pages
// (checked by the W3C checker). The locality team, needs in context and scope: send-hubs-triage-navigator.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, addWorkingDays } from '../src/domain/calendar.ts';
import { nextTriageDay } from '../src/modules/send-hubs/triage.ts';
import { htmlErrors } from './browser/harness.ts';
import { TODAY, triageSetup } from './send-hubs-triage-setup.ts';

const { s, call, outcome, row, openStep, services } = await triageSetup('triage');

test('the next triage day is the hub’s weekday on or after a date', () => {
  assert.equal(nextTriageDay('2026-11-23', 3), '2026-11-25');
  assert.equal(nextTriageDay('2026-11-25', 3), '2026-11-25');
  assert.equal(nextTriageDay('2026-11-26', 3), '2026-12-02');
});

test('a meeting’s agenda is built by rule; marking it held schedules the next one a week later', async () => {
  const older = await s.newRequest({ receivedOn: '2026-11-20', given: 'Agenda1' });
  const newer = await s.newRequest({ receivedOn: TODAY, given: 'Agenda2' });
  const held = await s.newRequest({ consent: 'not_yet', given: 'Agenda3' });
  const refused = await call('POST', `/api/v1/send/hubs/${s.hub1}/triage-meetings`, s.api.navigator, {
    meeting_date: '2026-11-25',
  });
  assert.equal(refused.status, 403, 'a Navigator does not schedule meetings');
  const bad = await call('POST', `/api/v1/send/hubs/${s.hub1}/triage-meetings`, s.api.hubManager, {
    meeting_date: '2026-02-30',
  });
  assert.equal(bad.status, 400);
  const made = await call('POST', `/api/v1/send/hubs/${s.hub1}/triage-meetings`, s.api.hubManager, {
    meeting_date: '2026-11-25',
    attendees: 'EP, SALT, CAMHS link',
  });
  assert.equal(made.status, 201);
  const id = made.body.id as string;
  const again = await call('POST', `/api/v1/send/hubs/${s.hub1}/triage-meetings`, s.api.hubManager, {
    meeting_date: '2026-11-25',
  });
  assert.equal(again.status, 400);
  assert.match(JSON.stringify(again.body), /meeting_date/);
  const m = await call('GET', `/api/v1/send/hubs/${s.hub1}/triage-meetings/${id}`, s.api.navigator);
  assert.equal(m.status, 200);
  const refs = (m.body.agenda as { request_id: string }[]).map((a) => a.request_id);
  assert.ok(refs.indexOf(older.id) >= 0 && refs.indexOf(older.id) < refs.indexOf(newer.id), 'oldest first');
  assert.ok(!refs.includes(held.id), 'a request held for consent is not on the agenda');
  const logged = await s.db
    .selectFrom('access_log')
    .where('person_id', '=', older.personId)
    .where('purpose', '=', 'send-hub-triage-agenda')
    .select('id')
    .execute();
  assert.ok(logged.length >= 1, 'the agenda read of a named young person is logged');
  const done = await call('POST', `/api/v1/send/hubs/${s.hub1}/triage-meetings/${id}/held`, s.api.hubManager, {});
  assert.equal(done.status, 200);
  const next = await s.db
    .selectFrom('triage_meetings')
    .where('id', '=', done.body.next_meeting_id as string)
    .select(['meeting_date', 'held'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(next, { meeting_date: '2026-12-02', held: false });
  const list = await call('GET', `/api/v1/send/hubs/${s.hub1}/triage-meetings`, s.api.navigator);
  assert.equal((list.body.items as { id: string }[])[0]?.id, done.body.next_meeting_id, 'next meeting first');
});

test('advice needs the advice and the signposting; the setting is told by reference and link only', async () => {
  const r = await s.newRequest({ given: 'Advicia', family: 'Unique' });
  const bad = await outcome(r.id, { outcome: 'advice', advice_given: 'Use a visual timetable' });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /signposted_to/);
  assert.equal((await row(r.id)).status, 'waiting', 'nothing written on error');
  const ok = await outcome(r.id, {
    outcome: 'advice',
    advice_given: 'Use a visual timetable',
    signposted_to: 'Local Offer',
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'closed');
  const after = await row(r.id);
  assert.deepEqual([after.outcome, after.result, after.first_response_on], ['advice', 'advice', TODAY]);
  const told = await s.db
    .selectFrom('notifications')
    .where('user_id', 'in', [s.users.senco.id, s.users.head.id])
    .where('reference', '=', after.reference)
    .where('message', 'like', 'Triage outcome%')
    .select(['message', 'link'])
    .execute();
  assert.equal(told.length, 2, 'both of the setting’s accounts are told');
  for (const t of told) {
    assert.equal(t.link, `/setting/requests/${r.id}`);
    assert.doesNotMatch(t.message, /Advicia|Unique/);
  }
  const mail = await s.db
    .selectFrom('outbox')
    .where('reference', '=', after.reference)
    .select(['to_addresses', 'subject', 'body'])
    .execute();
  assert.ok(
    mail.some((m) => m.to_addresses.some((a) => a.startsWith('send.northgate'))),
    'the team inbox is told',
  );
  for (const m of mail) assert.doesNotMatch(`${m.subject} ${m.body}`, /Advicia|Unique|visual timetable/);
  const again = await outcome(r.id, { outcome: 'advice', advice_given: 'x', signposted_to: 'y' });
  assert.equal(again.status, 409, 'a request already triaged cannot be triaged again');
});

test('a decline needs a reason and a suggested alternative', async () => {
  const r = await s.newRequest({ given: 'Declan' });
  const bad = await outcome(r.id, { outcome: 'declined', decline_reason: 'Needs are met by the setting' });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /decline_alternative/);
  const ok = await outcome(r.id, {
    outcome: 'declined',
    decline_reason: 'Needs are met by the setting',
    decline_alternative: 'The setting’s SENCO network and the Local Offer training',
  });
  assert.equal(ok.status, 200);
  const after = await row(r.id);
  assert.deepEqual(
    [after.status, after.result, after.decline_alternative],
    ['closed', 'declined', 'The setting’s SENCO network and the Local Offer training'],
  );
});

test('First SEND Support: the Navigator owns the support step, due on the hub’s support-start target', async () => {
  const r = await s.newRequest({ given: 'Firsty' });
  const foreign = await outcome(r.id, {
    outcome: 'first_support',
    hub_service_ids: ['00000000-0000-4000-8000-000000000000'],
    navigator_id: s.users.navigator.id,
  });
  assert.equal(foreign.status, 400);
  assert.match(JSON.stringify(foreign.body), /hub_service_ids/);
  const notNav = await outcome(r.id, {
    outcome: 'first_support',
    hub_service_ids: [services[0]!.id],
    navigator_id: s.users.senco.id,
  });
  assert.equal(notNav.status, 400);
  assert.match(JSON.stringify(notNav.body), /navigator_id/);
  const ok = await outcome(r.id, {
    outcome: 'first_support',
    hub_service_ids: [services[0]!.id, services[1]!.id],
    navigator_id: s.users.navigator.id,
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'starting');
  const step = await openStep(r.instanceId);
  assert.equal(step?.step_key, 'support');
  assert.equal(step?.owner_user_id, s.users.navigator.id);
  assert.equal(step?.due_date, addWorkingDays(TODAY, 10));
  const after = await row(r.id);
  assert.equal(after.navigator_user_id, s.users.navigator.id);
  assert.equal(after.hub_service_ids.length, 2);

  // The support plan: an owned action, chased by plan-action-chase.
  const action = await call('POST', `/api/v1/send/requests/${r.id}/actions`, s.api.navigator, {
    description: 'Specialist teacher observes in class and advises',
    owner_user_id: s.users.navigator.id,
    due_date: '2026-12-04',
  });
  assert.equal(action.status, 201);
  const a = await s.db
    .selectFrom('plan_actions')
    .where('id', '=', action.body.id as string)
    .select(['person_id', 'chase_instance_id', 'owner_user_id', 'due_date'])
    .executeTakeFirstOrThrow();
  assert.equal(a.person_id, r.personId);
  assert.ok(a.chase_instance_id, 'the action is chased');
  const chase = await s.db
    .selectFrom('protocol_instances')
    .where('id', '=', a.chase_instance_id as string)
    .select(['protocol_id', 'status'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(chase, { protocol_id: 'plan-action-chase', status: 'open' });
  const pastDue = await call('POST', `/api/v1/send/requests/${r.id}/actions`, s.api.navigator, {
    description: 'x',
    owner_user_id: s.users.navigator.id,
    due_date: '2026-11-01',
  });
  assert.equal(pastDue.status, 400);
  assert.match(JSON.stringify(pastDue.body), /due_date/);

  // The contact log.
  const contact = await call('POST', `/api/v1/send/requests/${r.id}/contacts`, s.api.navigator, {
    with_whom: 'parent_carer',
    method: 'phone',
    summary: 'Agreed the plan with mum',
  });
  assert.equal(contact.status, 201);
  const contacts = await call('GET', `/api/v1/send/requests/${r.id}/contacts`, s.api.navigator);
  assert.equal((contacts.body.items as { contact_on: string }[])[0]?.contact_on, TODAY);

  // Support started: the review is due 6 weeks later.
  const started = await call('POST', `/api/v1/send/requests/${r.id}/support-started`, s.api.navigator, {
    started_on: TODAY,
  });
  assert.equal(started.status, 200);
  assert.deepEqual(
    [started.body.status, started.body.step, started.body.due],
    ['in_support', 'review', addDays(TODAY, 42)],
  );
  const cont = await call('POST', `/api/v1/send/requests/${r.id}/review`, s.api.navigator, {
    decision: 'continue',
    notes: 'Good progress with routines',
    next_review: '2027-02-01',
  });
  assert.equal(cont.status, 200);
  assert.deepEqual([cont.body.status, cont.body.due], ['in_support', '2027-02-01']);
  const closed = await call('POST', `/api/v1/send/requests/${r.id}/review`, s.api.navigator, {
    decision: 'closed',
    notes: 'Needs met by the setting with the strategies',
  });
  assert.equal(closed.status, 200);
  assert.deepEqual([closed.body.status, closed.body.result], ['closed', 'closed']);
});

test('an EHC needs assessment starts in the same transaction, with the coordinator and the hub’s evidence', async () => {
  const r = await s.newRequest({ given: 'Ehcy' });
  const before = await s.db.selectFrom('ehcp_assessments').where('person_id', '=', r.personId).select('id').execute();
  const bad = await outcome(r.id, { outcome: 'ehc_assessment', coordinator_id: s.users.navigator.id });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /coordinator_id/);
  const ok = await outcome(r.id, { outcome: 'ehc_assessment', coordinator_id: s.users.coordinator.id });
  assert.equal(ok.status, 200);
  assert.deepEqual([ok.body.status, ok.body.result], ['closed', 'ehc_assessment']);
  const a = await s.db
    .selectFrom('ehcp_assessments')
    .where('id', '=', ok.body.ehcp_assessment_id as string)
    .select(['person_id', 'coordinator_id', 'requested_by', 'request_date', 'protocol_instance_id'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [a.person_id, a.coordinator_id, a.requested_by, a.request_date],
    [r.personId, s.users.coordinator.id, 'school', TODAY],
  );
  const inst = await s.db
    .selectFrom('protocol_instances')
    .where('id', '=', a.protocol_instance_id as string)
    .select(['protocol_id', 'status'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(inst, { protocol_id: 'ehc-needs-assessment', status: 'open' });
  assert.equal(before.length, 0);
  const note = await s.db
    .selectFrom('case_note_versions')
    .where('person_id', '=', r.personId)
    .select(['what_happened', 'significant'])
    .executeTakeFirstOrThrow();
  assert.match(note.what_happened, /graduated response/);
  assert.match(note.what_happened, /Cycle 2/);
});

test('an EHC start that fails leaves nothing behind', async () => {
  const r = await s.newRequest({ given: 'Atomic' });
  // The hub manager is not a coordinator: refused before anything is written.
  const bad = await outcome(r.id, { outcome: 'ehc_assessment', coordinator_id: s.users.hubManager.id });
  assert.equal(bad.status, 400);
  const rows = await s.db.selectFrom('ehcp_assessments').where('person_id', '=', r.personId).select('id').execute();
  assert.equal(rows.length, 0);
  assert.equal((await row(r.id)).status, 'waiting');
});

test('more information: the request waits for it, then goes back to triage with a new first-response date', async () => {
  const r = await s.newRequest({ given: 'Infoy' });
  const ok = await outcome(r.id, { outcome: 'more_info', info_needed: 'The latest speech and language report' });
  assert.equal(ok.body.status, 'more_info');
  const bad = await call('POST', `/api/v1/send/requests/${r.id}/more-info`, s.api.navigator, {});
  assert.equal(bad.status, 400);
  const back = await call('POST', `/api/v1/send/requests/${r.id}/more-info`, s.api.navigator, {
    info_received: 'SALT report dated October',
  });
  assert.equal(back.status, 200);
  assert.deepEqual([back.body.status, back.body.step, back.body.due], ['waiting', 'triage', addWorkingDays(TODAY, 10)]);
  assert.equal((await row(r.id)).first_response_on, TODAY, 'the first response is kept from the first outcome');
});

test('the pages: meetings, the outcome form with an error summary, the Navigator and locality pages', async () => {
  const b = await s.browser(s.users.hubManager.email);
  const list = await b.get(`/hubs/${s.hub1}/triage`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Schedule a meeting/);
  const r = await s.newRequest({ given: 'Pagey' });
  const form = await b.get(`/hubs/${s.hub1}/requests/${r.id}/outcome`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Needs in context/);
  const empty = await b.post(`/hubs/${s.hub1}/requests/${r.id}/outcome`, { outcome: 'declined' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /govuk-error-summary/);
  assert.match(empty.body, /Enter a suggested alternative/);
  const done = await b.post(`/hubs/${s.hub1}/requests/${r.id}/outcome`, {
    outcome: 'first_support',
    hub_service_ids: [services[0]!.id],
    navigator_id: s.users.navigator.id,
  });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, `/hubs/${s.hub1}/triage?saved=outcome`);
  const banner = await b.get(done.headers.location as string);
  assert.match(banner.body, /Triage outcome recorded: the setting has been told/);
  const nav = await b.get(`/hubs/${s.hub1}/requests/${r.id}/navigator`);
  assert.equal(nav.statusCode, 200);
  assert.match(nav.body, /Record support started/);
  const started = await b.post(`/hubs/${s.hub1}/requests/${r.id}/navigator/started`, {
    'started_on-day': '23',
    'started_on-month': '11',
    'started_on-year': '2026',
  });
  assert.equal(started.statusCode, 303);
  assert.match(started.headers.location as string, /saved=started/);
  const shown = await b.get(started.headers.location as string);
  assert.match(shown.body, /Support started: the review is due/);
  const loc = await s.browser(s.users.localityManager.email);
  const other = await s.newRequest({ given: 'Localy' });
  await outcome(other.id, { outcome: 'further_support', further_reason: 'Statutory' });
  const page = await loc.get(`/hubs/${s.hub1}/requests/${other.id}/locality`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Save answer/);
  const ctxPage = await b.get(`/hubs/${s.hub1}/requests/${other.id}/context`);
  assert.equal(ctxPage.statusCode, 200);
  assert.match(ctxPage.body, /needs a relationship/);
  const meetingId = (
    await s.db.selectFrom('triage_meetings').where('hub_id', '=', s.hub1).select('id').executeTakeFirstOrThrow()
  ).id;
  const infoReq = await s.newRequest({ given: 'Infopage' });
  await outcome(infoReq.id, { outcome: 'more_info', info_needed: 'Attendance record' });
  const info = await b.get(`/hubs/${s.hub1}/requests/${infoReq.id}/more-info`);
  assert.match(info.body, /Attendance record/);
  const pages = [
    { where: 'meetings', html: list.body },
    { where: 'meeting', html: (await b.get(`/hubs/${s.hub1}/triage/${meetingId}`)).body },
    { where: 'outcome form', html: form.body },
    { where: 'outcome errors', html: empty.body },
    { where: 'navigator', html: shown.body },
    { where: 'locality', html: page.body },
    { where: 'context', html: ctxPage.body },
    { where: 'more info', html: info.body },
  ];
  assert.deepEqual(await htmlErrors(pages), [], 'the W3C checker finds no errors');
});
