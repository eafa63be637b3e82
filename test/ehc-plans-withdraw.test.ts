// EHC plans (issue 20): withdrawing a draft plan — the council's decision not to issue, recorded on the assessment
// in the same transaction (its protocol ends not_issued and that end's hook writes the withdrawal); the plan frozen
// and no longer blocking a later plan; API and page, bad input naming its field, nothing half-written. Also:
// drafting from /people/:personId/ehc-plans checks the assessment is that young person's, and a draft left behind
// by a move to another council is withdrawn by the transfer's listener, after which the assessment's own decision
// not to issue is allowed. Double submits of the plan's forms make one record, and they carry the plan version.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planChangesSetup } from './ehc-plan-changes-setup.ts';
import { Browser, personInTeam } from './helpers.ts';

const { db, org, app, coordinator, team, asCoordinator } = await planChangesSetup('withdraw');

let n = 0;
async function person() {
  n += 1;
  return personInTeam(db, {
    authorityId: org.authorityId,
    team,
    worker: coordinator.id,
    caseNumber: `WD-${n}`,
    givenName: 'Wren',
    familyName: `Drawer${n}`,
    dateOfBirth: '2015-05-05',
  });
}

/** An assessment the council decided to carry out (request 1 September 2026). */
async function assessment(personId: string) {
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
  return id;
}

async function draft(personId: string) {
  const assessmentId = await assessment(personId);
  const r = await asCoordinator('POST', '/api/v1/ehc-plans', { assessment_id: assessmentId, person_id: personId });
  assert.equal(r.statusCode, 201, r.body);
  return { assessmentId, planId: r.json().id as string, versionId: r.json().version_id as string };
}

const planRow = (id: string) => db.selectFrom('ehc_plans').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
const assessmentRow = (id: string) =>
  db.selectFrom('ehcp_assessments').where('id', '=', id).selectAll().executeTakeFirstOrThrow();

test('API: the draft withdrawn records the decision not to issue; the plan is frozen and a later plan allowed', async () => {
  const pid = await person();
  const { assessmentId, planId, versionId } = await draft(pid);
  const url = `/api/v1/ehc-plans/${planId}/withdraw`;
  const before = await planRow(planId);

  const noVersion = await asCoordinator('POST', url, {
    withdrawn_date: '2026-11-20',
    reason: 'Needs met at SEN support',
  });
  assert.equal(noVersion.statusCode, 400);
  assert.match(noVersion.body, /version/);
  const noReason = await asCoordinator('POST', url, { withdrawn_date: '2026-11-20', version: before.version });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /reason/);
  const future = await asCoordinator('POST', url, {
    withdrawn_date: '2026-12-20',
    reason: 'x',
    version: before.version,
  });
  assert.equal(future.statusCode, 400);
  assert.match(future.body, /withdrawn_date/);
  const stale = await asCoordinator('POST', url, {
    withdrawn_date: '2026-11-20',
    reason: 'x',
    version: before.version + 5,
  });
  assert.equal(stale.statusCode, 409);
  const untouched = await planRow(planId);
  assert.deepEqual([untouched.status, untouched.version], ['draft', before.version], 'nothing half-written');
  assert.equal((await assessmentRow(assessmentId)).not_issue_date, null);

  const ok = await asCoordinator('POST', url, {
    withdrawn_date: '2026-11-20',
    reason: 'The advice shows the needs can be met from the school’s own resources.',
    version: before.version,
  });
  assert.equal(ok.statusCode, 204, ok.body);
  const plan = await planRow(planId);
  assert.equal(plan.status, 'withdrawn');
  assert.equal(plan.withdrawn_date, '2026-11-20');
  assert.match(String(plan.withdrawn_reason), /school’s own resources/);
  const a = await assessmentRow(assessmentId);
  assert.equal(a.not_issue_date, '2026-11-20', 'the decision not to issue is on the assessment');
  const inst = await db
    .selectFrom('protocol_instances')
    .where('id', '=', a.protocol_instance_id as string)
    .select(['status', 'result'])
    .executeTakeFirstOrThrow();
  assert.deepEqual(inst, { status: 'ended', result: 'not_issued' }, 'the assessment protocol ended not_issued');
  const v = await db.selectFrom('ehc_plan_versions').where('id', '=', versionId).selectAll().executeTakeFirstOrThrow();
  assert.equal(v.state, 'withdrawn', 'the version being edited is frozen');
  const edit = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/versions/${versionId}/sections/a`, {
    text: 'More',
    version: v.version,
  });
  assert.equal(edit.statusCode, 409, 'a withdrawn plan cannot be edited');
  const shown = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}`)).json();
  assert.equal(shown.status, 'withdrawn');
  assert.equal(shown.withdrawn_date, '2026-11-20');
  const again = await asCoordinator('POST', url, { withdrawn_date: '2026-11-20', reason: 'x', version: plan.version });
  assert.equal(again.statusCode, 400, 'a withdrawn plan is not withdrawn twice');

  // No longer live: a later assessment's plan can be drafted for the young person.
  const later = await draft(pid);
  assert.equal((await planRow(later.planId)).status, 'draft');
});

test('a served draft is not withdrawn: the field says why, nothing changes', async () => {
  const pid = await person();
  const { planId, versionId } = await draft(pid);
  const v = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}/versions/${versionId}`)).json();
  const served = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/versions/${versionId}/serve`, {
    served_date: '2026-11-16',
    version: v.version,
  });
  assert.equal(served.statusCode, 204, served.body);
  const plan = await planRow(planId);
  const r = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/withdraw`, {
    withdrawn_date: '2026-11-20',
    reason: 'Changed our minds',
    version: plan.version,
  });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /withdrawn_date.*served on 2026-11-16/);
  assert.equal((await planRow(planId)).status, 'draft');
});

test('page: the plan page links to the form; an empty reason is shown again; then the banner and the reason', async () => {
  const pid = await person();
  const { planId, assessmentId } = await draft(pid);
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const page = await jo.get(`/ehc-plans/${planId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`href="/ehc-plans/${planId}/withdraw">Withdraw this draft plan`));
  const form = await jo.get(`/ehc-plans/${planId}/withdraw`);
  assert.equal(form.statusCode, 200);
  const version = /name="version" value="(\d+)"/.exec(form.body)?.[1];
  assert.ok(version, 'the form carries the plan version');
  const date = { 'withdrawn_date-day': '20', 'withdrawn_date-month': '11', 'withdrawn_date-year': '2026' };
  const empty = await jo.post(`/ehc-plans/${planId}/withdraw`, { ...date, reason: '', version });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /govuk-error-summary/);
  assert.match(empty.body, /Enter the reason for withdrawing the draft plan/);
  assert.equal((await planRow(planId)).status, 'draft');
  const done = await jo.post(`/ehc-plans/${planId}/withdraw`, {
    ...date,
    reason: 'Needs can be met at SEN support.',
    version,
  });
  assert.equal(done.statusCode, 303, done.body.slice(0, 300));
  assert.equal(done.headers.location, `/ehc-plans/${planId}?saved=withdrawn`);
  const after = await jo.get(`/ehc-plans/${planId}?saved=withdrawn`);
  assert.match(after.body, /Draft plan withdrawn/);
  assert.match(after.body, /Needs can be met at SEN support\./);
  assert.doesNotMatch(after.body, /Withdraw this draft plan/);
  assert.equal((await assessmentRow(assessmentId)).not_issue_date, '2026-11-20');
});

test('drafting checks the assessment is the young person’s: a field error on assessment_id, nothing written', async () => {
  const owner = await person();
  const other = await person();
  const assessmentId = await assessment(owner);
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  await jo.get(`/people/${other}/ehc-plans`);
  const page = await jo.post(`/people/${other}/ehc-plans`, { assessment_id: assessmentId });
  assert.equal(page.statusCode, 400, page.body.slice(0, 300));
  assert.match(page.body, /#assessment_id/);
  assert.match(page.body, /not this young person’s/);
  const api = await asCoordinator('POST', '/api/v1/ehc-plans', { assessment_id: assessmentId, person_id: other });
  assert.equal(api.statusCode, 400);
  assert.match(api.body, /assessment_id/);
  const plans = await db.selectFrom('ehc_plans').where('assessment_id', '=', assessmentId).select('id').execute();
  assert.equal(plans.length, 0, 'nothing written');
  const right = await jo.post(`/people/${owner}/ehc-plans`, { assessment_id: assessmentId });
  assert.equal(right.statusCode, 303, right.body.slice(0, 300));
});

test('a move to another council withdraws the draft left behind; the assessment’s decision not to issue then passes', async () => {
  const pid = await person();
  const { planId, assessmentId } = await draft(pid);
  // The transfer's listener, as the cross-council transfer runs it inside its completing transaction.
  await db.transaction().execute((tx) =>
    app.services.ehcPlans.draftMoved(tx, {
      transferId: '00000000-0000-4000-8000-000000000001',
      fromAuthorityId: org.authorityId,
      fromPersonId: pid,
      toAuthorityId: org.authorityId,
      toPersonId: pid,
      actorId: coordinator.id,
      date: '2026-11-21',
    }),
  );
  const plan = await planRow(planId);
  assert.equal(plan.status, 'withdrawn');
  assert.equal(plan.withdrawn_date, '2026-11-21');
  assert.match(String(plan.withdrawn_reason), /moved to another council/);
  assert.equal((await assessmentRow(assessmentId)).not_issue_date, null, 'the assessment stays open');
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const a = await assessmentRow(assessmentId);
  const r = await jo.post(`/people/${pid}/ehcp/${assessmentId}/not-issuing`, {
    'not_issue_date-day': '23',
    'not_issue_date-month': '11',
    'not_issue_date-year': '2026',
    version: String(a.version),
  });
  assert.equal(r.statusCode, 303, r.body.slice(0, 400));
  assert.equal((await assessmentRow(assessmentId)).not_issue_date, '2026-11-23');
});

test('page: a double click on representations, a consultation or "start the final" makes one record each', async () => {
  const pid = await person();
  const { planId, versionId } = await draft(pid);
  const v = (await asCoordinator('GET', `/api/v1/ehc-plans/${planId}/versions/${versionId}`)).json();
  const served = await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/versions/${versionId}/serve`, {
    served_date: '2026-11-16',
    version: v.version,
  });
  assert.equal(served.statusCode, 204, served.body);
  const jo = new Browser(app);
  await jo.login(coordinator.email);
  const versionIn = async (url: string) => {
    const form = await jo.get(url);
    assert.equal(form.statusCode, 200);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1];
    assert.ok(version, `${url} carries the plan version`);
    return version;
  };
  const rep = {
    made_by: 'parent',
    'received_date-day': '18',
    'received_date-month': '11',
    'received_date-year': '2026',
    summary: 'Please name Brook School.',
    requested_setting_name: 'Brook School',
    version: await versionIn(`/ehc-plans/${planId}/representations`),
  };
  for (const _ of [1, 2]) {
    const r = await jo.post(`/ehc-plans/${planId}/representations`, rep);
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    assert.equal(r.headers.location, `/ehc-plans/${planId}?saved=representations`);
  }
  const consult = {
    setting_name: 'Brook School',
    'sent_date-day': '18',
    'sent_date-month': '11',
    'sent_date-year': '2026',
    version: await versionIn(`/ehc-plans/${planId}/consultations`),
  };
  for (const _ of [1, 2]) {
    const r = await jo.post(`/ehc-plans/${planId}/consultations`, consult);
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  }
  const page = await jo.get(`/ehc-plans/${planId}`);
  const version = /action="\/ehc-plans\/[^"]+\/final"[^>]*>.*?name="version" value="(\d+)"/s.exec(page.body)?.[1];
  assert.ok(version, 'the start-the-final form carries the plan version');
  for (const _ of [1, 2]) {
    const r = await jo.post(`/ehc-plans/${planId}/final`, { version });
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  }
  const count = async (t: 'ehc_plan_representations' | 'ehc_setting_consultations') =>
    Number(
      (
        await db
          .selectFrom(t)
          .where('plan_id', '=', planId)
          .select(db.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.equal(await count('ehc_plan_representations'), 1);
  assert.equal(await count('ehc_setting_consultations'), 1);
  const finals = await db
    .selectFrom('ehc_plan_versions')
    .where('plan_id', '=', planId)
    .where('kind', '=', 'final')
    .select('id')
    .execute();
  assert.equal(finals.length, 1);
});
