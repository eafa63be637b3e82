// The demo council's annual reviews (issue 20), on the plans the plan module's demo made: every final plan gets its
// review clock (from its issue or last review); some reviews were held and decided a couple of months ago, some
// decided to amend (the plan-changes module takes it from there), some have a meeting set with advice asked of the
// demo advice giver, and those whose dates have passed are left overdue for the engine's ladder to escalate. In the
// phase-transfer cohort of the coming reg 18 date, half are reviewed and decided (on track) and half are not.
// Everything goes through the service, on the demo's clock moved to the day it happened.
import type { Db } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import { reviewDueAfter } from '../../domain/ehc-review.ts';
import { cohortBirthDates } from '../../domain/phase-transfer.ts';
import type { AuthUser } from '../../http/types.ts';
import { authUserById } from '../auth/service.ts';
import type { DemoDayClock, DemoOrganisation } from '../kit/demo.ts';
import { currentCohortYear } from './cohort.ts';
import type { EhcReviewsService } from './service.ts';

type Plan = {
  id: string;
  person_id: string;
  coordinator_id: string | null;
  first_issued_date: string | null;
  last_review_date: string | null;
  date_of_birth: string;
};

async function openReview(db: Db, planId: string) {
  return db
    .selectFrom('ehc_reviews')
    .where('plan_id', '=', planId)
    .where('status', '=', 'open')
    .select(['id', 'version'])
    .executeTakeFirst();
}

/** Holds and decides the open review: arranged on `start`, meeting 3 weeks later, report a week after, decided. */
async function heldAndDecided(
  db: Db,
  reviews: EhcReviewsService,
  clock: DemoDayClock,
  user: AuthUser,
  plan: Plan,
  start: string,
  decision: 'maintain' | 'amend',
  giverId: string | null,
) {
  const at = async () => {
    const r = await openReview(db, plan.id);
    if (!r) throw new Error('no open review');
    return { at: { planId: plan.id, reviewId: r.id }, version: r.version };
  };
  const meeting = addDays(start, 21);
  clock.on(start);
  let x = await at();
  await reviews.arrange(user, x.at, { meeting_date: meeting, version: x.version });
  if (giverId)
    await reviews.requestAdvice(user, x.at, {
      giver_user_id: giverId,
      question: 'Progress towards the outcomes in section E since the last review',
    });
  clock.on(addDays(meeting, -14));
  x = await at();
  await reviews.circulate(user, x.at, { circulated_date: addDays(meeting, -14), version: x.version });
  clock.on(meeting);
  x = await at();
  await reviews.meeting(user, x.at, {
    held_date: meeting,
    attendees: 'Parent, SENCO, class teacher, speech and language therapist',
    child_views: 'Enjoys small-group work; finds lunchtimes noisy.',
    parent_views: 'Pleased with progress in reading; worried about the move to the next setting.',
    pfa: 'Travel training and a work-experience taster are planned.',
    version: x.version,
  });
  clock.on(addDays(meeting, 7));
  x = await at();
  await reviews.report(user, x.at, {
    report: 'Good progress towards the communication outcomes; provision in section F to continue.',
    sent_date: addDays(meeting, 7),
    pfa: null,
    version: x.version,
  });
  clock.on(addDays(meeting, 14));
  x = await at();
  await reviews.decide(user, x.at, {
    decision,
    reasons:
      decision === 'amend'
        ? 'Section I must name the next setting; section F updated.'
        : 'The plan still meets the needs.',
    decision_date: addDays(meeting, 14),
    version: x.version,
  });
}

export async function seedEhcReviewsDemo(
  db: Db,
  reviews: EhcReviewsService,
  clock: DemoDayClock,
  org: DemoOrganisation,
  today: string,
): Promise<void> {
  const plans: Plan[] = await db
    .selectFrom('ehc_plans as pl')
    .innerJoin('people as p', 'p.id', 'pl.person_id')
    .where('pl.authority_id', '=', org.authorityId)
    .where('pl.status', '=', 'final')
    .orderBy('p.case_number')
    .select([
      'pl.id',
      'pl.person_id',
      'pl.coordinator_id',
      'pl.first_issued_date',
      'pl.last_review_date',
      'p.date_of_birth',
    ])
    .execute();
  const giverId = org.users.find((u) => u.role === 'advice_giver')?.id ?? null;
  const year = currentCohortYear('secondary', today);
  const cohort = cohortBirthDates('secondary', year);
  let inCohort = 0;
  for (const [i, plan] of plans.entries()) {
    const made = plan.last_review_date ?? plan.first_issued_date;
    if (!made || !plan.coordinator_id) continue;
    const user = await authUserById(db, plan.coordinator_id);
    if (!user) continue;
    // The clock starts on the day the plan was made or last reviewed (or stays as the plan module left it).
    if (!(await openReview(db, plan.id))) {
      clock.on(made);
      await db
        .transaction()
        .execute((tx) =>
          reviews.startCycle(
            tx,
            { planId: plan.id, authorityId: org.authorityId, actorId: user.id },
            { date: reviewDueAfter(made), basis: 'first' },
          ),
        );
    }
    const transferring = plan.date_of_birth >= cohort.from && plan.date_of_birth <= cohort.to;
    const start = addDays(today, -70);
    try {
      if (transferring) {
        // Half the cohort reviewed in the autumn and decided in time to amend by the reg 18 date.
        // Decided today, so the amendment the plan-changes module starts has its weeks ahead of it.
        const recent = addDays(today, -35);
        if (inCohort++ % 2 === 0 && made < recent)
          await heldAndDecided(db, reviews, clock, user, plan, recent, 'amend', giverId);
      } else if (i % 10 < 3 && made < start) {
        await heldAndDecided(db, reviews, clock, user, plan, start, 'maintain', i % 10 === 0 ? giverId : null);
      } else if (i % 10 === 3 && made < start) {
        await heldAndDecided(db, reviews, clock, user, plan, start, 'amend', null);
      } else if (i % 10 < 6) {
        // A meeting set three weeks ahead, advice asked of the demo advice giver.
        clock.reset();
        const r = await openReview(db, plan.id);
        if (r) {
          const at = { planId: plan.id, reviewId: r.id };
          await reviews.arrange(user, at, { meeting_date: addDays(today, 21), version: r.version });
          if (giverId)
            await reviews.requestAdvice(user, at, {
              giver_user_id: giverId,
              question: 'Your advice and information for the annual review meeting',
            });
        }
      }
      // The rest keep their clocks: those past their dates are overdue and the engine's ladder escalates them.
    } catch (e) {
      // A plan the demo coordinator does not work on, or a review at another stage: left as it is.
      console.warn(`Demo review of plan ${plan.id} left as it was: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clock.reset();
    }
  }
}
