// The reviews demo on plans like the plan module's demo makes: every final plan gets its review clock; some reviews
// held and decided, some with a meeting set and advice asked of the demo advice giver, some overdue; half the
// coming phase-transfer cohort reviewed in time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays } from '../src/domain/calendar.ts';
import { cohortBirthDates } from '../src/domain/phase-transfer.ts';
import { authUserById } from '../src/modules/auth/service.ts';
import { currentCohortYear } from '../src/modules/ehc-reviews/cohort.ts';
import { seedEhcReviewsDemo } from '../src/modules/ehc-reviews/demo.ts';
import { personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'revd');
const real = Date.parse('2026-11-23T10:00:00Z');
let at: number | null = null;
const clock = {
  now: () => new Date(at ?? real),
  on: (day: string) => {
    at = Date.parse(`${day}T09:00:00Z`);
  },
  reset: () => {
    at = null;
  },
};
const app = await testApp(db, { now: clock.now });
const coordinator = userByRole(org, 'ehcp_coordinator');
const today = '2026-11-23';

test('the reviews demo gives plans at every point of the cycle', async () => {
  const cohort = cohortBirthDates('secondary', currentCohortYear('secondary', today));
  for (let i = 0; i < 14; i++) {
    const dob = i < 4 ? addDays(cohort.from, 30 * i) : `201${i % 8}-0${(i % 8) + 1}-1${i % 9}`;
    const personId = await personInTeam(db, {
      authorityId: org.authorityId,
      team: org.teams['send-statutory'] as string,
      worker: coordinator.id,
      caseNumber: `HO66${String(i).padStart(4, '0')}`,
      givenName: 'Demo',
      familyName: `Plan${i}`,
      dateOfBirth: dob,
    });
    await db
      .insertInto('ehc_plans')
      .values({
        authority_id: org.authorityId,
        person_id: personId,
        coordinator_id: coordinator.id,
        status: 'final',
        first_issued_date: addDays(today, -(120 + 35 * i)),
      })
      .execute();
  }
  await seedEhcReviewsDemo(db, app.services.ehcReviews, clock, org, today);
  const reviews = await db
    .selectFrom('ehc_reviews')
    .where('authority_id', '=', org.authorityId)
    .select(['status', 'decision', 'meeting_date', 'due_date'])
    .execute();
  assert.ok(reviews.filter((r) => r.status === 'decided').length >= 3, 'some held and decided');
  assert.ok(
    reviews.some((r) => r.decision === 'amend'),
    'some decided to amend',
  );
  assert.ok(
    reviews.some((r) => r.status === 'open' && r.meeting_date && r.meeting_date > today),
    'some with a meeting set',
  );
  assert.ok(
    reviews.some((r) => r.status === 'open' && r.due_date < today),
    'some overdue',
  );
  const plans = await db
    .selectFrom('ehc_plans')
    .where('authority_id', '=', org.authorityId)
    .select('review_due_date')
    .execute();
  assert.ok(
    plans.every((p) => p.review_due_date),
    'every plan has its review due date',
  );
  const advice = await db
    .selectFrom('ehc_review_advice_requests')
    .where('giver_user_id', '=', userByRole(org, 'advice_giver').id)
    .select('id')
    .execute();
  assert.ok(advice.length >= 1, 'advice asked of the demo advice giver');
  const viewer = await authUserById(db, coordinator.id);
  assert.ok(viewer);
  const c = await app.services.ehcReviews.cohort(viewer, 'secondary', currentCohortYear('secondary', today));
  assert.ok(c.counts.total >= 4, 'the four in the cohort');
  assert.ok(c.counts.onTrack >= 1 && c.counts.notOnTrack >= 1, JSON.stringify(c.rows.map((r) => r.why)));
});
