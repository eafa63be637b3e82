// EHC plans (issue 20 part 1): drafted from the assessment's advice, edited with versions (stale → 409), the draft
// served on the assessment's protocol, representations, a consultation of the requested setting, the final issued
// (refused before the 15 days of reg 13(1) unless representations were made), the printable page and the PDF, the
// caseload, and access: a user with no relationship is refused, another council's plan is not found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planChangesSetup, tokenFor } from './ehc-plan-changes-setup.ts';
import { Browser, personInTeam } from './helpers.ts';

const { db, org, app, coordinator, sendManager, team, api, asCoordinator } = await planChangesSetup('plans');
const personId = await personInTeam(db, {
  authorityId: org.authorityId,
  team,
  worker: coordinator.id,
  caseNumber: 'EP-1',
  givenName: 'Ada',
  familyName: 'Planwright',
  dateOfBirth: '2016-02-10',
});

/** An assessment the council decided to carry out, with health and educational psychology advice received. */
async function assessmentWithAdvice() {
  const created = await asCoordinator('POST', `/api/v1/people/${personId}/ehcp-assessments`, {
    request_date: '2026-09-01',
    requested_by: 'parent',
  });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const decided = await asCoordinator('POST', `/api/v1/people/${personId}/ehcp-assessments/${id}/decision`, {
    decision: 'assess',
    decision_date: '2026-10-01',
  });
  assert.ok(decided.statusCode < 300, decided.body);
  for (const [kind, body] of [
    ['health', 'Needs daily physiotherapy.'],
    ['educational_psychology', 'Working memory difficulties; needs small-group teaching.'],
  ] as const) {
    const r = await db
      .insertInto('ehcp_advice_requests')
      .values({
        authority_id: org.authorityId,
        assessment_id: id,
        person_id: personId,
        kind,
        giver_user_id: coordinator.id,
        responsible_user_id: coordinator.id,
        question: 'Please advise',
        requested_date: '2026-10-02',
        due_date: '2026-11-13',
        due_rule: 'test',
        status: 'received',
        received_date: '2026-10-20',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('ehcp_advice_submissions')
      .values({
        authority_id: org.authorityId,
        request_id: r.id,
        person_id: personId,
        kind: 'advice',
        body,
        submitted_by: coordinator.id,
      })
      .execute();
  }
  return id;
}

let planId = '';
let draftId = '';

test('the coordinator drafts the plan from the advice: sections by advice kind, section K lists the advice', async () => {
  const assessmentId = await assessmentWithAdvice();
  const bad = await asCoordinator('POST', '/api/v1/ehc-plans', { assessment_id: 'nope' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /assessment/i);
  const r = await asCoordinator('POST', '/api/v1/ehc-plans', { assessment_id: assessmentId });
  assert.equal(r.statusCode, 201, r.body);
  planId = r.json().id;
  draftId = r.json().version_id;
  const again = await asCoordinator('POST', '/api/v1/ehc-plans', { assessment_id: assessmentId });
  assert.equal(again.statusCode, 400);
  const v = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}/versions/${draftId}`)).json();
  const text = (k: string) => v.sections.find((s: { key: string }) => s.key === k).text as string;
  assert.match(text('c'), /physiotherapy/);
  assert.match(text('g'), /physiotherapy/);
  assert.match(text('b'), /Working memory/);
  assert.match(text('f'), /Working memory/);
  assert.equal(text('d'), '');
  assert.match(text('k'), /Health advice from .*received 2026-10-20/);
  assert.match(text('k'), /Educational psychology advice/);
  assert.equal(v.kind, 'draft');
  assert.equal(v.state, 'editing');
});

test('edits carry the version: bad input names the field, a stale version is refused (409), K is not typed', async () => {
  const url = `/api/v1/ehc-plans/${planId}/versions/${draftId}`;
  const v1 = (await asCoordinator('GET', url)).json().version as number;
  const noVersion = await asCoordinator('POST', `${url}/sections/a`, { text: 'Ada loves music.' });
  assert.equal(noVersion.statusCode, 400);
  assert.match(noVersion.body, /version/);
  const ok = await asCoordinator('POST', `${url}/sections/a`, { text: 'Ada loves music.', version: v1 });
  assert.equal(ok.statusCode, 204, ok.body);
  const stale = await asCoordinator('POST', `${url}/sections/a`, { text: 'Overwrite', version: v1 });
  assert.equal(stale.statusCode, 409);
  const k = await asCoordinator('POST', `${url}/sections/k`, { text: 'typed', version: v1 + 1 });
  assert.equal(k.statusCode, 400);
  assert.equal((await asCoordinator('POST', `${url}/sections/zz`, { text: 'x', version: v1 + 1 })).statusCode, 404);
  const badUrn = await asCoordinator('POST', `${url}/placement`, {
    setting_name: 'Hill School',
    setting_urn: '12',
    version: v1 + 1,
  });
  assert.equal(badUrn.statusCode, 400);
  assert.match(badUrn.body, /URN .* 6 to 8 digits/);
  const both = await asCoordinator('POST', `${url}/placement`, {
    setting_name: 'Hill School',
    sen_setting: 'EHE',
    version: v1 + 1,
  });
  assert.equal(both.statusCode, 400);
  const placed = await asCoordinator('POST', `${url}/placement`, {
    setting_name: 'Hill School',
    setting_urn: '123 456',
    version: v1 + 1,
  });
  assert.equal(placed.statusCode, 204, placed.body);
  const same = await asCoordinator('POST', `${url}/needs`, {
    primary_need: 'SLCN',
    secondary_need: 'SLCN',
    version: v1 + 2,
  });
  assert.equal(same.statusCode, 400);
  const needs = await asCoordinator('POST', `${url}/needs`, {
    primary_need: 'SLCN',
    secondary_need: 'ASD',
    version: v1 + 2,
  });
  assert.equal(needs.statusCode, 204, needs.body);
  const v = (await asCoordinator('GET', url)).json();
  assert.equal(v.setting_urn, '123456');
  assert.deepEqual(v.sen_needs, ['SLCN', 'ASD']);
  assert.equal(v.sections.find((s: { key: string }) => s.key === 'a').text, 'Ada loves music.');
});

test('serving the draft freezes it and moves the assessment on; the final is refused before 15 days without representations', async () => {
  const url = `/api/v1/ehc-plans/${planId}/versions/${draftId}`;
  const version = (await asCoordinator('GET', url)).json().version;
  const future = await asCoordinator('POST', `${url}/serve`, { served_date: '2026-12-30', version });
  assert.equal(future.statusCode, 400);
  const served = await asCoordinator('POST', `${url}/serve`, { served_date: '2026-11-10', version });
  assert.equal(served.statusCode, 204, served.body);
  const frozen = await asCoordinator('POST', `${url}/sections/a`, { text: 'late', version: version + 1 });
  assert.equal(frozen.statusCode, 409);
  const plan = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json();
  assert.equal(plan.status, 'draft');
  assert.equal(plan.waiting.key, 'representations');
  assert.equal(plan.waiting.due, '2026-11-24');
  const a = await db
    .selectFrom('ehcp_assessments')
    .where('person_id', '=', personId)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(a.draft_served_date, '2026-11-10');

  const noVersion = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/final`, {});
  assert.equal(noVersion.statusCode, 400, 'the plan version read is required');
  const planVersion = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json().version;
  const fin = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/final`, { version: planVersion });
  assert.equal(fin.statusCode, 201, fin.body);
  const twice = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/final`, { version: planVersion });
  assert.equal(twice.json().id, fin.json().id, 'a double click answers with the version started');
  const finalId = fin.json().id as string;
  const fv = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}/versions/${finalId}`)).json();
  assert.equal(fv.kind, 'final');
  assert.equal(fv.setting_name, 'Hill School');
  const early = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/versions/${finalId}/issue`, {
    final_date: '2026-11-23',
    version: fv.version,
  });
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /cannot be issued before 2026-11-25.*reg 13\(1\)/);
  assert.equal((await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json().status, 'draft');
});

test('representations and a consultation of the requested setting, then the final plan issued', async () => {
  const noSummary = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/representations`, {
    made_by: 'parent',
    received_date: '2026-11-20',
  });
  assert.equal(noSummary.statusCode, 400);
  assert.match(noSummary.body, /summary/i);
  const beforeServed = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/representations`, {
    made_by: 'parent',
    received_date: '2026-11-01',
    summary: 'x',
  });
  assert.equal(beforeServed.statusCode, 400);
  const planVersion = async () => (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json().version as number;
  const repBody = {
    made_by: 'parent',
    received_date: '2026-11-20',
    summary: 'We ask for more speech therapy and for Brook School.',
    requested_setting_name: 'Brook School',
    requested_setting_urn: '654321',
  };
  const noVersion = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/representations`, repBody);
  assert.equal(noVersion.statusCode, 400, 'the plan version read is required');
  assert.match(noVersion.body, /version/);
  const v0 = await planVersion();
  const rep = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/representations`, { ...repBody, version: v0 });
  assert.equal(rep.statusCode, 201, rep.body);
  // A double click: the same form sent again (same version) answers with the first record, nothing new written.
  const again = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/representations`, { ...repBody, version: v0 });
  assert.equal(again.statusCode, 201, again.body);
  assert.equal(again.json().id, rep.json().id);
  const stale = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/representations`, {
    ...repBody,
    summary: 'Something else',
    version: v0,
  });
  assert.equal(stale.statusCode, 409, 'a different record on a stale plan version is refused');
  const consultBody = {
    setting_name: 'Brook School',
    setting_urn: '654321',
    sent_date: '2026-11-20',
    representation_id: rep.json().id,
  };
  const v1 = await planVersion();
  const c = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/consultations`, { ...consultBody, version: v1 });
  assert.equal(c.statusCode, 201, c.body);
  const c2 = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/consultations`, { ...consultBody, version: v1 });
  assert.equal(c2.statusCode, 201, c2.body);
  assert.equal(c2.json().id, c.json().id, 'a double click finds the first consultation');
  const c3 = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/consultations`, {
    ...consultBody,
    setting_name: 'brook school ',
    sent_date: '2026-11-21',
    version: await planVersion(),
  });
  assert.equal(c3.statusCode, 400);
  assert.match(c3.body, /setting_name.*has not answered yet/);
  const counts = await Promise.all(
    (['ehc_plan_representations', 'ehc_setting_consultations'] as const).map((t) =>
      db.selectFrom(t).where('plan_id', '=', planId).select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ),
  );
  assert.deepEqual(
    counts.map((x) => Number(x.n)),
    [1, 1],
  );
  const instances = await db
    .selectFrom('protocol_instances')
    .where('protocol_id', '=', 'ehc-setting-consultation')
    .where('person_id', '=', personId)
    .select('id')
    .execute();
  assert.equal(instances.length, 1, 'one consultation protocol, not two');
  let plan = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json();
  const cons = plan.consultations[0];
  assert.equal(cons.due_date, '2026-12-05');
  const noReason = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/consultations/${cons.id}/response`, {
    response: 'does_not_agree',
    responded_date: '2026-11-23',
    version: cons.version,
  });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /reason/);
  const answered = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/consultations/${cons.id}/response`, {
    response: 'agrees',
    responded_date: '2026-11-23',
    version: cons.version,
  });
  assert.equal(answered.statusCode, 204, answered.body);
  const inst = await db
    .selectFrom('protocol_instances')
    .where('protocol_id', '=', 'ehc-setting-consultation')
    .where('person_id', '=', personId)
    .select(['status', 'result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(inst, { status: 'ended', result: 'agrees' });

  plan = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json();
  const fv = plan.versions.find((v: { state: string }) => v.state === 'editing');
  const issued = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/versions/${fv.id}/issue`, {
    final_date: '2026-11-23',
    version: fv.version,
  });
  assert.equal(issued.statusCode, 204, issued.body);
  plan = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json();
  assert.equal(plan.status, 'final');
  assert.equal(plan.first_issued_date, '2026-11-23');
  assert.equal(plan.last_issued_date, '2026-11-23');
  const a = await db
    .selectFrom('ehcp_assessments as a')
    .innerJoin('protocol_instances as i', 'i.id', 'a.protocol_instance_id')
    .where('a.person_id', '=', personId)
    .select(['a.final_issued_date', 'i.result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(a, { final_issued_date: '2026-11-23', result: 'final_issued' });
  // The old "final plan" form on the assessment is refused now the plan lives here (one path).
});

test('pages: the plan page, a section edit with a stale version, the printable page and the PDF; reads logged', async () => {
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  assert.match((await jo.get(`/people/${personId}`)).body, new RegExp(`/people/${personId}/ehc-plans`));
  const page = await jo.get(`/ehc-plans/${planId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Final/);
  assert.match(page.body, /Brook School/);
  const plan = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json();
  const draft = plan.versions.find((v: { kind: string }) => v.kind === 'draft');
  const print = await jo.get(`/ehc-plans/${planId}/versions/${draft.id}`);
  assert.equal(print.statusCode, 200);
  assert.match(print.body, /DRAFT/);
  assert.match(print.body, /Section K: Advice and information received/);
  const pdf = await jo.get(`/ehc-plans/${planId}/versions/${draft.id}/pdf`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.match(pdf.rawPayload.subarray(0, 8).toString(), /%PDF/);
  const logs = await db.selectFrom('access_log').where('person_id', '=', personId).select(['channel']).execute();
  assert.ok(logs.some((l) => l.channel === 'print'));
  assert.ok(logs.some((l) => l.channel === 'export'));
  const caseload = await jo.get('/ehc-plans');
  assert.equal(caseload.statusCode, 200);
  assert.match(caseload.body, /EP-1/);
});

test('access: no relationship is refused, another council’s plan is not found, an advice giver cannot manage', async () => {
  const other = org.users.find((u) => u.role === 'social_worker')!;
  const t = await tokenFor(db, other.id);
  const r = await api(t, 'GET', `/api/v1/ehc-plans/${planId}`);
  assert.ok([403, 404].includes(r.statusCode), String(r.statusCode));
  const missing = await asCoordinator('GET', '/api/v1/ehc-plans/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.statusCode, 404);
  const sm = await tokenFor(db, sendManager.id);
  const list = await api(sm, 'GET', '/api/v1/ehc-plans?filter=drafts');
  assert.equal(list.statusCode, 200);
  assert.equal(list.json().plans.length, 0);
});

test('a decision not to issue is refused while the assessment has a draft plan: the plan is kept and finished', async () => {
  const pid = await personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber: 'EP-NI',
    givenName: 'Noa',
    familyName: 'Issue',
    dateOfBirth: '2015-04-04',
  });
  const created = await asCoordinator('POST', `/api/v1/people/${pid}/ehcp-assessments`, {
    request_date: '2026-09-01',
    requested_by: 'parent',
  });
  assert.equal(created.statusCode, 201, created.body);
  const aid = created.json().id as string;
  const decided = await asCoordinator('POST', `/api/v1/people/${pid}/ehcp-assessments/${aid}/decision`, {
    decision: 'assess',
    decision_date: '2026-10-01',
  });
  assert.ok(decided.statusCode < 300, decided.body);
  const drafted = await asCoordinator('POST', '/api/v1/ehc-plans', { assessment_id: aid });
  assert.equal(drafted.statusCode, 201, drafted.body);
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const version = (
    await db.selectFrom('ehcp_assessments').where('id', '=', aid).select('version').executeTakeFirstOrThrow()
  ).version;
  const refused = await jo.post(`/people/${pid}/ehcp/${aid}/not-issuing`, {
    'not_issue_date-day': '20',
    'not_issue_date-month': '11',
    'not_issue_date-year': '2026',
    version: String(version),
  });
  assert.equal(refused.statusCode, 400, refused.body.slice(0, 300));
  assert.match(refused.body, /a decision not to issue is recorded by withdrawing the draft plan from the plan/);
  const a = await db
    .selectFrom('ehcp_assessments')
    .where('id', '=', aid)
    .select(['not_issue_date', 'version'])
    .executeTakeFirstOrThrow();
  assert.deepEqual([a.not_issue_date, a.version], [null, version], 'nothing half-written');
  const plan = await db
    .selectFrom('ehc_plans')
    .where('id', '=', drafted.json().id)
    .select('status')
    .executeTakeFirstOrThrow();
  assert.equal(plan.status, 'draft');
});
