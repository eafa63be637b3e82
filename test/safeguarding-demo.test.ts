// The issue-12 demo as `npx handover demo` makes it (issue 12 part 13): a Wiltshire-like cohort of about 40 young
// people aged 11-25 screened at every level and stage, a High Risk Exploitation Meeting held with its actions and the
// next one planned with its agenda, Creative Solutions Board cases (a solution tested with its result and learning on
// the register), mentors with their checks and matches, sessions and an ending, the 17½-year-old with no post-18
// owner escalated, and information-sharing records. A second run adds nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Db } from '../src/db/database.ts';
import { ageOn } from '../src/domain/age.ts';
import { addDays } from '../src/domain/calendar.ts';
import { authUserById } from '../src/modules/auth/service.ts';
import { ensureDemo } from '../src/modules/demo/seed.ts';
import { addMonths } from '../src/modules/post18/dates.ts';
import { ProtocolRegistry } from '../src/modules/protocols/registry.ts';
import { createServices } from '../src/services.ts';
import { fixedClock, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const TODAY = '2026-11-23';
const clock = fixedClock(`${TODAY}T10:00:00Z`);
const config = testConfig();
await ensureDemo(db, { config, now: clock.now });
const authority = await db.selectFrom('authorities').where('code', '=', 'DEMO').select('id').executeTakeFirstOrThrow();
const { registry } = await ProtocolRegistry.load(config.protocolsDir);
const services = createServices(db, config, clock.now, registry);
const user = async (local: string) => {
  const u = await db
    .selectFrom('users')
    .where('email', '=', `${local}@demoshire.example`)
    .select('id')
    .executeTakeFirstOrThrow();
  const a = await authUserById(db, u.id);
  assert.ok(a);
  return a;
};

const TABLES = [
  'people',
  'screenings',
  'risk_events',
  'panel_meetings',
  'panel_items',
  'exploitation_decisions',
  'exploitation_actions',
  'transition_plans',
  'solution_cases',
  'solution_tests',
  'mentors',
  'mentor_checks',
  'mentoring_referrals',
  'mentoring_goals',
  'mentoring_sessions',
  'sharing_records',
  'protocol_instances',
  'protocol_steps',
  'audit_log',
] as const;

async function counts(d: Db) {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await d
      .selectFrom(t)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

const cohort = () =>
  db
    .selectFrom('people as p')
    .where('p.authority_id', '=', authority.id)
    // HO120001-HO120040 (src/modules/safeguarding/demo.ts); later demos' records take the numbers after them.
    .where('p.case_number', '>=', 'HO120001')
    .where('p.case_number', '<=', 'HO120040')
    .select(['p.id', 'p.case_number', 'p.date_of_birth'])
    .execute();

test('about 40 young people aged 11-25 in every age band, screened at every level and stage', async () => {
  const people = await cohort();
  assert.equal(people.length, 40);
  const ages = people.map((p) => ageOn(p.date_of_birth, TODAY));
  for (const a of ages) assert.ok(a >= 11 && a <= 25, `age ${a}`);
  assert.ok(ages.some((a) => a <= 15));
  assert.ok(ages.some((a) => a === 16 || a === 17));
  assert.ok(ages.some((a) => a >= 18));
  const screenings = await db
    .selectFrom('screenings')
    .where(
      'person_id',
      'in',
      people.map((p) => p.id),
    )
    .select(['person_id', 'proposed_level', 'confirmed_level', 'review_due', 'significant_incidents'])
    .execute();
  assert.equal(new Set(screenings.map((s) => s.person_id)).size, 40, 'everyone screened');
  const confirmed = new Set(screenings.map((s) => s.confirmed_level).filter(Boolean));
  assert.deepEqual([...confirmed].sort(), ['high', 'low', 'medium'], 'confirmed at every level');
  assert.ok(
    screenings.some((s) => s.confirmed_level === null),
    'one awaiting confirmation',
  );
  assert.ok(
    screenings.some((s) => s.review_due < TODAY),
    'a review overdue',
  );
  assert.ok(
    screenings.some((s) => s.significant_incidents.length > 0),
    'a significant incident',
  );
  const missing = await db
    .selectFrom('risk_events')
    .where('authority_id', '=', authority.id)
    .where('kind', '=', 'missing_episode')
    .select('id')
    .execute();
  assert.ok(missing.length >= 1, 'a missing episode');
});

test('a High Risk Exploitation Meeting held with decisions and actions in each status; the next one has an agenda', async () => {
  const meetings = await db
    .selectFrom('panel_meetings as m')
    .innerJoin('panels as p', 'p.id', 'm.panel_id')
    .where('p.authority_id', '=', authority.id)
    .where('p.kind', '=', 'hrem')
    .select(['m.id', 'm.meeting_date', 'm.status'])
    .orderBy('m.meeting_date')
    .execute();
  assert.deepEqual(
    meetings.map((m) => [m.meeting_date, m.status]),
    [
      [addDays(TODAY, -14), 'held'],
      [addDays(TODAY, 14), 'planned'],
    ],
  );
  const [held, next] = meetings as [(typeof meetings)[number], (typeof meetings)[number]];
  const decisions = await db
    .selectFrom('exploitation_decisions')
    .where('meeting_id', '=', held.id)
    .select('id')
    .execute();
  assert.ok(decisions.length >= 4, `${decisions.length} decisions`);
  const actions = await db
    .selectFrom('exploitation_actions')
    .where('meeting_id', '=', held.id)
    .select('status')
    .execute();
  const statuses = new Set(actions.map((a) => a.status));
  for (const s of ['done', 'not_possible', 'not_done']) assert.ok(statuses.has(s as never), `an action ${s}`);
  assert.ok(statuses.size >= 4, `an open action too: ${[...statuses]}`);
  const agenda = await db.selectFrom('panel_items').where('meeting_id', '=', next.id).select('person_id').execute();
  assert.ok(agenda.length >= 1, 'the next meeting has its agenda by rule');
  const ids = new Set((await cohort()).map((p) => p.id));
  for (const a of agenda) assert.ok(a.person_id && ids.has(a.person_id), 'agenda items are the screened cohort');
});

test('the 17½-year-old at high with no post-18 owner has escalated to the exploitation lead', async () => {
  const lead = await user('exploitation.lead');
  const people = await cohort();
  const dob = (p: (typeof people)[number]) => String(p.date_of_birth).slice(0, 10);
  const seventeenAndHalf = people.filter(
    (p) => dob(p) <= addMonths(TODAY, -(17 * 12 + 6)) && dob(p) > addMonths(TODAY, -(17 * 12 + 7)),
  );
  assert.equal(seventeenAndHalf.length, 1);
  const who = seventeenAndHalf[0] as (typeof people)[number];
  const plan = await db
    .selectFrom('transition_plans')
    .where('person_id', '=', who.id)
    .selectAll()
    .executeTakeFirstOrThrow();
  assert.equal(plan.post18_owner_id, null);
  const state = await services.post18.flow.state(db, plan.protocol_instance_id);
  assert.equal(state.step, 'name_post18_owner');
  assert.equal(state.escalations, 2);
  assert.equal(state.ownerUserId, lead.id, state.ownerLabel ?? '');
});

test('Creative Solutions Board: a tested solution reviewed with its result and learning, on the register', async () => {
  const cases = await db
    .selectFrom('solution_cases')
    .where('authority_id', '=', authority.id)
    .select(['id', 'status', 'tried', 'board_problem', 'referred_at'])
    .execute();
  assert.deepEqual(cases.map((c) => c.status).sort(), ['closed', 'referred', 'testing']);
  // Referred on the service's clock (the demo's backdated day), not the database's.
  const referred = (status: string) =>
    cases
      .find((c) => c.status === status)
      ?.referred_at.toISOString()
      .slice(0, 10);
  assert.equal(referred('closed'), addDays(TODAY, -90));
  assert.equal(referred('testing'), addDays(TODAY, -70));
  for (const c of cases) assert.ok((c.tried as unknown[]).length >= 1, 'what was tried');
  const tests = await db
    .selectFrom('solution_tests')
    .where('authority_id', '=', authority.id)
    .select(['case_id', 'result', 'learning', 'owner_user_id', 'review_date'])
    .execute();
  const testing = cases.find((c) => c.status === 'testing');
  const ofTesting = tests.filter((t) => t.case_id === testing?.id);
  assert.equal(ofTesting.length, 2, 'a second solution under test after the first was reviewed');
  assert.ok(ofTesting.some((t) => t.result === 'partly' && t.learning));
  assert.ok(ofTesting.some((t) => t.result === null && t.review_date > TODAY));
  const lead = await user('exploitation.lead');
  const register = await services.solutions.register(lead, {}, 'page');
  assert.deepEqual(
    register
      .map((r) => r.result)
      .filter(Boolean)
      .sort(),
    ['partly', 'worked'],
  );
  // The board's step is open for the fresh referral, owned by the lead.
  const board = await services.solutions.board(lead);
  assert.ok(board.some((c) => c.state?.step === 'consider' && c.state.ownerUserId === lead.id));
});

test('mentors with their checks (one expiring within 30 days), matches, sessions, goals, a decline and an ending', async () => {
  const lead = await user('exploitation.lead');
  const overview = await services.mentoring.overview(lead);
  assert.deepEqual(overview.mentors.map((m) => m.kind).sort(), ['staff', 'volunteer', 'volunteer']);
  assert.equal(overview.expiring.length, 1, overview.expiring.join('; '));
  assert.match(overview.expiring[0] as string, /references/);
  assert.equal(overview.expired.length, 1, 'a volunteer whose DBS check has expired');
  assert.equal(overview.active.length, 2);
  assert.equal(overview.waiting.length, 1);
  const referrals = await db
    .selectFrom('mentoring_referrals')
    .where('authority_id', '=', authority.id)
    .select(['id', 'status', 'outcome', 'declined_reason', 'mentor_id'])
    .execute();
  assert.deepEqual(referrals.map((r) => r.status).sort(), ['active', 'active', 'declined', 'ended', 'waiting']);
  assert.equal(referrals.find((r) => r.status === 'ended')?.outcome, 'goals_met');
  assert.ok(referrals.find((r) => r.status === 'declined')?.declined_reason);
  const sessions = await db
    .selectFrom('mentoring_sessions')
    .where('authority_id', '=', authority.id)
    .select(['attended', 'not_attended_reason'])
    .execute();
  assert.ok(sessions.some((s) => s.attended));
  assert.ok(sessions.some((s) => !s.attended && s.not_attended_reason));
  const goals = await db
    .selectFrom('mentoring_goals')
    .where('authority_id', '=', authority.id)
    .select('progress')
    .execute();
  assert.ok(goals.some((g) => g.progress === 'met'));
  assert.ok(goals.some((g) => g.progress === 'not_started'));
  // Matches are with mentors whose checks were in date: never the volunteer with the expired DBS check.
  const expired = overview.expired[0];
  assert.ok(referrals.every((r) => r.mentor_id !== expired?.id));
});

test('information-sharing records: police with consent, a decision not to share, a special-category share', async () => {
  const rows = await db.selectFrom('sharing_records').where('authority_id', '=', authority.id).selectAll().execute();
  assert.equal(rows.length, 3);
  const police = rows.find((r) => r.recipient_organisation === 'Demoshire Police');
  assert.equal(police?.decision, 'share');
  assert.equal(police?.consent, 'with_consent');
  assert.equal(police?.source_kind, 'screening');
  assert.ok(rows.some((r) => r.decision === 'not_share'));
  const special = rows.find((r) => r.special_category);
  assert.equal(special?.art9_condition, 'substantial_public_interest');
  assert.equal(special?.schedule1_condition, 'para_18');
  assert.ok(special?.not_told_reason);
});

test('running the demo again adds nothing', async () => {
  const before = await counts(db);
  const again = await ensureDemo(db, { config, now: clock.now });
  assert.equal(again.created, false);
  assert.deepEqual(await counts(db), before);
});
