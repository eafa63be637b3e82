// The day a plan is to end (`cease_on`): ceasing because the young person reached 25 (SEN2 reason 1), it is 31 July at
// the end of the academic year in which they turn 25 (CFA 2014 s.46, SEND Regulations 2014 reg 46(1)(a)) and nothing
// else; for any other reason it may be set, but never before the decision (today while the decision is to come, the
// notice's date once decided). A wrong one is a field error on cease_on naming the allowed date, nothing written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sweepDue } from '../src/jobs/deadlines.ts';
import { ceaseOnProblem } from '../src/modules/ehc-plan-changes/dates.ts';
import { planChangesSetup } from './ehc-plan-changes-setup.ts';

type Row = { reason: number; dob: string | null; ceaseOn: string; notBefore: string; ok: boolean; says?: RegExp };
const ROWS: Row[] = [
  // Reason 1: exactly the end of the academic year of the 25th birthday.
  { reason: 1, dob: '2001-09-10', ceaseOn: '2027-07-31', notBefore: '2026-11-23', ok: true },
  { reason: 1, dob: '2001-09-10', ceaseOn: '2026-09-10', notBefore: '2026-01-01', ok: false, says: /31 July 2027/ },
  { reason: 1, dob: '2001-09-10', ceaseOn: '2026-07-31', notBefore: '2026-01-01', ok: false, says: /31 July 2027/ },
  { reason: 1, dob: '2002-07-31', ceaseOn: '2027-07-31', notBefore: '2026-11-23', ok: true },
  { reason: 1, dob: '2002-08-01', ceaseOn: '2027-07-31', notBefore: '2026-11-23', ok: false, says: /31 July 2028/ },
  { reason: 1, dob: '2004-02-29', ceaseOn: '2029-07-31', notBefore: '2026-11-23', ok: true },
  // Other reasons: on or after the decision.
  { reason: 4, dob: '2001-09-10', ceaseOn: '2026-11-23', notBefore: '2026-11-23', ok: true },
  { reason: 4, dob: '2001-09-10', ceaseOn: '2026-11-22', notBefore: '2026-11-23', ok: false, says: /23 November 2026/ },
  { reason: 3, dob: null, ceaseOn: '2027-09-01', notBefore: '2026-11-23', ok: true },
  { reason: 2, dob: '2012-01-01', ceaseOn: '2025-12-31', notBefore: '2026-01-05', ok: false, says: /5 January 2026/ },
];

for (const r of ROWS)
  test(`cease_on ${r.ceaseOn}, reason ${r.reason}, born ${r.dob ?? 'unknown'}: ${r.ok ? 'allowed' : 'refused'}`, () => {
    const problem = ceaseOnProblem({
      reason: r.reason,
      dateOfBirth: r.dob,
      ceaseOn: r.ceaseOn,
      notBefore: r.notBefore,
      notBeforeWhat: 'the decision',
    });
    if (r.ok) assert.equal(problem, null);
    else {
      assert.match(problem ?? '', /^Date the plan ends must be/);
      assert.match(problem ?? '', r.says as RegExp);
    }
  });

const s = await planChangesSetup('pco');
const { db, asCoordinator } = s;
const count = async (planId: string) =>
  (await db.selectFrom('ehc_plan_cessations').where('plan_id', '=', planId).select('id').execute()).length;

test('the API: reason 1 fills in 31 July of the 25th year; a wrong cease_on is a 400 on cease_on, nothing written', async () => {
  const { planId } = await s.withPlan('2001-09-10');
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  const wrong = await asCoordinator('POST', base, { reason: '1', cease_on: '2027-03-31' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.json().fields.cease_on, /^Date the plan ends must be 31 July 2027/);
  const past = await asCoordinator('POST', base, { reason: '4', cease_on: '2026-11-01' });
  assert.equal(past.statusCode, 400);
  assert.match(past.json().fields.cease_on, /on or after 23 November 2026, today/);
  assert.equal(await count(planId), 0, 'nothing written');
  const made = await asCoordinator('POST', base, { reason: '1' });
  assert.equal(made.statusCode, 201, made.body);
  const c = (await asCoordinator('GET', `${base}/${made.json().id}`)).json().cessation;
  assert.equal(c.cease_on, '2027-07-31');
});

test('the decision: cease_on before the notice is refused; the plan cannot cease before cease_on', async () => {
  const { planId } = await s.withPlan('2012-03-03');
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  const one = `${base}/${(await asCoordinator('POST', base, { reason: '4' })).json().id}`;
  const c0 = (await asCoordinator('GET', one)).json().cessation;
  assert.equal(c0.cease_on, null, 'no set day unless one is given');
  const decision = {
    decision: 'cease',
    parent_consulted_date: '2026-09-01',
    views: 'Working full time',
    notice_date: '2026-09-10',
    version: c0.version,
  };
  const early = await asCoordinator('POST', `${one}/decision`, { ...decision, cease_on: '2026-09-09' });
  assert.equal(early.statusCode, 400);
  assert.match(early.json().fields.cease_on, /on or after 10 September 2026, the date the notice/);
  const stillConsult = (await asCoordinator('GET', one)).json().cessation;
  assert.equal(stillConsult.protocol.step, 'consult', 'nothing written');
  assert.equal(stillConsult.version, c0.version);
  const ok = await asCoordinator('POST', `${one}/decision`, { ...decision, cease_on: '2026-12-18' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().cessation.cease_on, '2026-12-18');
  // The appeal period ran out on 10 November: the plan may cease, but not before the day set.
  await sweepDue(db, s.clock.now());
  const c = (await asCoordinator('GET', one)).json().cessation;
  assert.equal(c.protocol.step, 'cease_plan');
  const before = await asCoordinator('POST', `${one}/cease`, { ceased_date: '2026-11-23', version: c.version });
  assert.equal(before.statusCode, 400);
  assert.match(before.json().fields.ceased_date, /on or after 2026-12-18/);
  const ceased = await asCoordinator('POST', `${one}/cease`, { ceased_date: '2026-12-18', version: c.version });
  assert.equal(ceased.json().cessation.outcome, 'ceased', ceased.body);
});
