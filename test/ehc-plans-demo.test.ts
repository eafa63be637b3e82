// The demo's EHC plans (issue 20 part 8), as `npm start` makes them on a fresh database: 200 plans made through the
// services at every point of their life — drafts being written, drafts served and waiting for representations,
// finals whose reviews are due, arranged, held or overdue, the Year 6 and Year 11 cohorts of the coming reg 18 dates
// with some on track and some not, amendments waiting (one past its 8 weeks), a notice of a decision to cease in its
// appeal window, plans ceased — and the SEND manager's caseload /ehc-plans showing them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays } from '../src/domain/calendar.ts';
import { authUserById } from '../src/modules/auth/service.ts';
import { DEMO_PASSWORD, ensureDemo } from '../src/modules/demo/seed.ts';
import { DEMO_PLAN_COUNTS } from '../src/modules/ehc-plans/demo.ts';
import { currentCohortYear } from '../src/modules/ehc-reviews/cohort.ts';
import { Browser, fixedClock, testApp, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const TODAY = '2026-11-23';
const clock = fixedClock(`${TODAY}T10:00:00Z`);
const started = Date.now();
const demo = await ensureDemo(db, { config: testConfig(), now: clock.now });
const seconds = (Date.now() - started) / 1000;
const authority = await db.selectFrom('authorities').where('code', '=', 'DEMO').select('id').executeTakeFirstOrThrow();
const a = authority.id;
const app = await testApp(db, { now: clock.now });
const sendManager = demo.users.find((u) => u.role === 'send_manager');
const total = Object.values(DEMO_PLAN_COUNTS).reduce((x, y) => x + y, 0);

/** The demo's plan people: case numbers HO110001 onwards. */
const demoPlans = () =>
  db
    .selectFrom('ehc_plans as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .where('e.authority_id', '=', a)
    .where('p.case_number', '>=', 'HO110001')
    .where('p.case_number', '<=', `HO${110000 + total}`)
    .select(['e.id', 'e.status', 'e.assessment_id', 'e.review_due_date', 'e.first_issued_date'])
    .execute();

test('200 plans, each made through the assessment: drafts being written, drafts served, finals, ceased', async () => {
  console.log(`ensureDemo took ${seconds.toFixed(1)} s`);
  assert.equal(total, 200);
  const plans = await demoPlans();
  assert.equal(plans.length, 200, 'one plan for each demo young person');
  assert.ok(
    plans.every((p) => p.assessment_id),
    'every plan came from its needs assessment',
  );
  const by = (s: string) => plans.filter((p) => p.status === s).length;
  assert.equal(by('draft'), DEMO_PLAN_COUNTS.drafting + DEMO_PLAN_COUNTS.served);
  assert.ok(by('ceased') >= 4, `ceased: ${by('ceased')}`);
  assert.ok(by('final') >= 180, `final: ${by('final')}`);
  // The drafts: being written (a version being edited, none served) and served (the draft version issued).
  const versions = await db
    .selectFrom('ehc_plan_versions')
    .where(
      'plan_id',
      'in',
      plans.filter((p) => p.status === 'draft').map((p) => p.id),
    )
    .select(['plan_id', 'kind', 'state'])
    .execute();
  const served = new Set(versions.filter((v) => v.kind === 'draft' && v.state === 'issued').map((v) => v.plan_id));
  assert.equal(served.size, DEMO_PLAN_COUNTS.served, 'drafts served and waiting for representations');
  // Every served draft waits on the assessment's protocol at the representations step, its clock running.
  const waiting = await db
    .selectFrom('ehc_plans as e')
    .innerJoin('ehcp_assessments as s', 's.id', 'e.assessment_id')
    .innerJoin('protocol_instances as i', 'i.id', 's.protocol_instance_id')
    .innerJoin('protocol_steps as st', 'st.id', 'i.current_step_id')
    .where('e.id', 'in', [...served])
    .select(['st.step_key', 'st.due_date'])
    .execute();
  assert.equal(waiting.length, DEMO_PLAN_COUNTS.served);
  for (const w of waiting) assert.ok(w.due_date, `the ${w.step_key} step has its clock`);
  const reps = await db.selectFrom('ehc_plan_representations').where('authority_id', '=', a).select('id').execute();
  assert.ok(reps.length >= 2, 'representations made on some drafts');
  // Finals: the dates are lived-in, issued over the last two years; each final has its review clock.
  const finals = plans.filter((p) => p.status === 'final');
  assert.ok(finals.some((p) => (p.first_issued_date ?? '') < addDays(TODAY, -365)));
  assert.ok(finals.some((p) => (p.first_issued_date ?? '') > addDays(TODAY, -90)));
  assert.ok(
    finals.every((p) => p.review_due_date),
    'every final plan has its review due date',
  );
});

test('reviews at every point: decided, meeting set with advice asked, held with the report to write, overdue', async () => {
  const reviews = await db
    .selectFrom('ehc_reviews as r')
    .leftJoin('protocol_instances as i', 'i.id', 'r.protocol_instance_id')
    .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('r.authority_id', '=', a)
    .select(['r.status', 'r.decision', 'r.meeting_date', 'r.meeting_held_date', 'r.due_date', 's.step_key'])
    .execute();
  const decided = reviews.filter((r) => r.status === 'decided');
  assert.ok(decided.length >= 30, `decided: ${decided.length}`);
  assert.ok(decided.some((r) => r.decision === 'maintain'));
  assert.ok(decided.some((r) => r.decision === 'amend'));
  const open = reviews.filter((r) => r.status === 'open');
  assert.ok(
    open.some((r) => r.meeting_date && r.meeting_date > TODAY && r.step_key === 'circulate_advice'),
    'a meeting set',
  );
  assert.ok(
    open.some((r) => r.meeting_held_date && r.step_key === 'send_report'),
    JSON.stringify([...new Set(open.map((r) => r.step_key))]),
  );
  const overdue = open.filter((r) => r.due_date < TODAY && !r.meeting_date);
  assert.ok(overdue.length >= 5, `reviews overdue, never arranged: ${overdue.length}`);
  const advice = await db.selectFrom('ehc_review_advice_requests').where('authority_id', '=', a).select('id').execute();
  assert.ok(advice.length >= 5, 'review advice asked of the demo advice giver');
});

test('the phase-transfer cohorts for the coming 15 February and 31 March: some on track, some not', async () => {
  const manager = await authUserById(db, sendManager?.id as string);
  assert.ok(manager);
  for (const phase of ['secondary', 'post16'] as const) {
    const c = await app.services.ehcReviews.cohort(manager, phase, currentCohortYear(phase, TODAY));
    const key = phase === 'secondary' ? 'secondaryCohort' : 'post16Cohort';
    assert.ok(c.counts.total >= DEMO_PLAN_COUNTS[key], `${phase}: ${c.counts.total} in the cohort`);
    assert.ok(c.counts.onTrack >= 1, `${phase}: on track ${JSON.stringify(c.rows.map((r) => r.why))}`);
    assert.ok(c.counts.notOnTrack >= 1, `${phase}: not on track ${JSON.stringify(c.rows.map((r) => r.why))}`);
  }
});

test('plan changes: amendments waiting (one past its 8 weeks), a decision to cease in its appeal window', async () => {
  const open = await db
    .selectFrom('ehc_plan_amendments as m')
    .innerJoin('protocol_instances as i', 'i.id', 'm.protocol_instance_id')
    .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('m.authority_id', '=', a)
    .where('m.outcome', 'is', null)
    .select(['m.proposals_sent_date', 's.due_date', 'i.status'])
    .execute();
  assert.ok(open.length >= 3, `amendments waiting: ${open.length}`);
  assert.ok(
    open.some((m) => m.proposals_sent_date && m.proposals_sent_date < addDays(TODAY, -56)),
    'one past its 8 weeks',
  );
  const notices = await db
    .selectFrom('ehc_plan_cessations')
    .where('authority_id', '=', a)
    .where('outcome', 'is', null)
    .where('notice_date', '>=', addDays(TODAY, -60))
    .select('id')
    .execute();
  assert.ok(notices.length >= 1, 'a decision to cease whose appeal window is open');
});

test('the SEND manager’s caseload /ehc-plans lists the plans, with each filter', async () => {
  const browser = new Browser(app);
  await browser.login(sendManager?.email as string, DEMO_PASSWORD);
  const count = async (url: string) => {
    const res = await browser.get(url);
    assert.equal(res.statusCode, 200, url);
    const m = /(\d+) plans?( matching the filter)?\./.exec(res.body);
    assert.ok(m, `${url} says how many plans`);
    return Number(m[1]);
  };
  assert.ok((await count('/ehc-plans')) >= 196, 'the whole council’s plans');
  assert.ok((await count('/ehc-plans?filter=reviews_overdue')) >= 5);
  assert.ok((await count('/ehc-plans?filter=amendments_waiting')) >= 3);
  assert.equal(await count('/ehc-plans?filter=drafts'), DEMO_PLAN_COUNTS.drafting + DEMO_PLAN_COUNTS.served);
});
