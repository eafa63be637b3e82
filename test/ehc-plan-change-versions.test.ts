// Every plan-changes action that edits an amendment, a cessation or a plan transferred in requires the version the
// caller read (quality.md R3, src/http/versions.ts): none is a 400 naming `version`, a stale one a 409 with the
// message every versioned record uses, and in either case nothing is written (the row keeps its version and step).
// The page form that meets a stale version shows itself again with the error summary saying to reload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planChangesSetup, tokenFor } from './ehc-plan-changes-setup.ts';
import { Browser } from './helpers.ts';

const s = await planChangesSetup('pv');
const { db, app, asCoordinator } = s;

const AMENDMENT_ACTIONS: [string, Record<string, unknown>][] = [
  ['send', { sent_date: '2026-11-23' }],
  ['representations', { received_date: '2026-11-23', from_whom: 'parent', summary: 'Agree', meeting_requested: false }],
  ['issue', { issued_date: '2026-11-23' }],
  ['not-amended', { decided_date: '2026-11-23', decision_reason: 'No change needed' }],
];
const CESSATION_ACTIONS: [string, Record<string, unknown>][] = [
  ['decision', { decision: 'maintain', parent_consulted_date: '2026-11-20', views: 'Keep it' }],
  ['appeal', { appeal_lodged_date: '2026-11-23' }],
  ['appeal-outcome', { appeal_outcome: 'dismissed' }],
  ['cease', { ceased_date: '2026-11-23' }],
];

async function row(table: 'ehc_plan_amendments' | 'ehc_plan_cessations', id: string) {
  return db.selectFrom(table).where('id', '=', id).select(['version', 'outcome']).executeTakeFirstOrThrow();
}

test('an amendment: every action without a version is a 400 naming version, a stale one a 409; nothing written', async () => {
  const { planId } = await s.withPlan();
  const base = `/api/v1/ehc-plans/${planId}/amendments`;
  const { id } = (await asCoordinator('POST', base, { reason: 'Needs changed' })).json();
  const before = await row('ehc_plan_amendments', id);
  for (const [action, body] of AMENDMENT_ACTIONS) {
    const none = await asCoordinator('POST', `${base}/${id}/${action}`, body);
    assert.equal(none.statusCode, 400, `${action}: ${none.body}`);
    assert.match(none.json().fields.version, /^version is required: send the version you read/, action);
    const stale = await asCoordinator('POST', `${base}/${id}/${action}`, { ...body, version: before.version + 1 });
    assert.equal(stale.statusCode, 409, `${action}: ${stale.body}`);
    assert.match(stale.json().message, /Someone else changed this amendment since you read it/, action);
  }
  assert.deepEqual(await row('ehc_plan_amendments', id), before, 'nothing written');
  const state = (await asCoordinator('GET', `${base}/${id}`)).json().amendment.protocol.step;
  assert.equal(state, 'prepare_proposals');
  // The version read is accepted, also as If-Match.
  const sent = await app.inject({
    method: 'POST',
    url: `${base}/${id}/send`,
    headers: { authorization: `Bearer ${await tokenFor(db, s.coordinator.id)}`, 'if-match': `"${before.version}"` },
    payload: { sent_date: '2026-11-23' },
  });
  assert.equal(sent.statusCode, 200, sent.body);
  assert.equal(sent.json().amendment.version, before.version + 1);
});

test('a cessation: every action without a version is a 400 naming version, a stale one a 409; nothing written', async () => {
  const { planId } = await s.withPlan();
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  const { id } = (await asCoordinator('POST', base, { reason: '4' })).json();
  const before = await row('ehc_plan_cessations', id);
  for (const [action, body] of CESSATION_ACTIONS) {
    const none = await asCoordinator('POST', `${base}/${id}/${action}`, body);
    assert.equal(none.statusCode, 400, `${action}: ${none.body}`);
    assert.match(none.json().fields.version, /^version is required/, action);
    const stale = await asCoordinator('POST', `${base}/${id}/${action}`, { ...body, version: before.version + 3 });
    assert.equal(stale.statusCode, 409, `${action}: ${stale.body}`);
    assert.match(stale.json().message, /Someone else changed this cessation since you read it/, action);
  }
  assert.deepEqual(await row('ehc_plan_cessations', id), before, 'nothing written');
});

test('the cessation page: a stale form is shown again (409) with the error summary saying to reload', async () => {
  const { planId } = await s.withPlan();
  const { id } = (await asCoordinator('POST', `/api/v1/ehc-plans/${planId}/cessations`, { reason: '4' })).json();
  const b = new Browser(app);
  await b.login(s.coordinator.email);
  const url = `/ehc-plans/${planId}/cessation/${id}`;
  const page = await b.get(url);
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] as string;
  assert.ok(version, 'the decision form carries the version');
  const stale = await b.post(`${url}/decision`, {
    decision: 'maintain',
    'parent_consulted_date-day': '20',
    'parent_consulted_date-month': '11',
    'parent_consulted_date-year': '2026',
    views: 'Keep it',
    version: String(Number(version) + 1),
  });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /There is a problem/);
  assert.match(stale.body, /Someone else changed this cessation while you were editing it\. Reload the page/);
  assert.match(stale.body, /Keep it/, 'what was typed is kept');
  assert.equal((await row('ehc_plan_cessations', id)).version, Number(version), 'nothing written');
});
