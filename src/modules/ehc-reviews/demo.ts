// The demo council's annual reviews (issue 20), on the plans the plan module's demo made (each final plan's review
// clock started when its final was issued, through finalIssued). Driven by each review's due date, as a coordinator's
// year would be: a review whose anniversary has passed was mostly held and decided in time (the next year's clock
// then runs from that meeting), a few decided to amend in the last weeks (the plan-changes module takes those on),
// and about one in five was never held and is overdue for the engine's ladder to escalate; a review due in the next
// six weeks has its meeting set, with advice asked of the demo advice giver, or was held last week with its report
// being written; one due later waits. In the phase-transfer cohorts of the coming reg 18 dates (Year 6 and Year 11),
// a third are reviewed and decided (on track), a third have a meeting set, and a third have nothing yet.
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

/** The open review's advice asked of the demo advice giver (the question the coordinator would write). */
async function askGiver(db: Db, reviews: EhcReviewsService, user: AuthUser, planId: string, giverId: string | null) {
  const r = await openReview(db, planId);
  if (!giverId || !r) return;
  await reviews.requestAdvice(
    user,
    { planId, reviewId: r.id },
    { giver_user_id: giverId, question: 'Your advice and information for the annual review meeting' },
  );
}

/** Sets the open review's meeting on `meeting`, arranged on `on` (at least 2 weeks before). */
async function arrangeOn(
  db: Db,
  reviews: EhcReviewsService,
  clock: DemoDayClock,
  user: AuthUser,
  planId: string,
  on: string,
  meeting: string,
) {
  const r = await openReview(db, planId);
  if (!r) return;
  clock.on(on);
  await reviews.arrange(user, { planId, reviewId: r.id }, { meeting_date: meeting, version: r.version });
}

/** A meeting held on `held` (arranged 4 weeks before, advice circulated 2 weeks before), its report not yet sent. */
async function heldOnly(
  db: Db,
  reviews: EhcReviewsService,
  clock: DemoDayClock,
  user: AuthUser,
  planId: string,
  held: string,
) {
  await arrangeOn(db, reviews, clock, user, planId, addDays(held, -28), held);
  let r = await openReview(db, planId);
  if (!r) return;
  clock.on(addDays(held, -14));
  await reviews.circulate(
    user,
    { planId, reviewId: r.id },
    { circulated_date: addDays(held, -14), version: r.version },
  );
  r = await openReview(db, planId);
  if (!r) return;
  clock.on(held);
  await reviews.meeting(
    user,
    { planId, reviewId: r.id },
    {
      held_date: held,
      attendees: 'Parent, SENCO, class teacher',
      child_views: 'Likes the new reading group; wants more time outside.',
      parent_views: 'Happy with the support this year.',
      pfa: 'Travel training to start next term.',
      version: r.version,
    },
  );
}

export async function seedEhcReviewsDemo(
  db: Db,
  reviews: EhcReviewsService,
  clock: DemoDayClock,
  org: DemoOrganisation,
  today: string,
): Promise<void> {
  const plans: (Plan & { review_due_date: string | null })[] = await db
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
      'pl.review_due_date',
      'p.date_of_birth',
    ])
    .execute();
  const giverId = org.users.find((u) => u.role === 'advice_giver')?.id ?? null;
  const cohorts = (['secondary', 'post16'] as const).map((phase) =>
    cohortBirthDates(phase, currentCohortYear(phase, today)),
  );
  const users = new Map<string, AuthUser>();
  let inCohort = 0;
  for (const [i, plan] of plans.entries()) {
    const made = plan.last_review_date ?? plan.first_issued_date;
    if (!made || !plan.coordinator_id) continue;
    const user = users.get(plan.coordinator_id) ?? (await authUserById(db, plan.coordinator_id));
    if (!user) continue;
    users.set(plan.coordinator_id, user);
    // A plan made without the plan module's demo (a test's final written to the tables) gets its clock here.
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
    const due = plan.review_due_date ?? reviewDueAfter(made);
    const transferring = cohorts.some((c) => plan.date_of_birth >= c.from && plan.date_of_birth <= c.to);
    try {
      if (transferring) {
        // Reviewed in the autumn and decided to amend, in time to amend by the reg 18 date; or the meeting set; or
        // nothing yet (not on track).
        const recent = addDays(today, -35);
        const k = inCohort++ % 3;
        if (k === 0 && made < recent) await heldAndDecided(db, reviews, clock, user, plan, recent, 'amend', giverId);
        else if (k === 1) {
          await arrangeOn(db, reviews, clock, user, plan.id, addDays(today, -7), addDays(today, 14));
          await askGiver(db, reviews, user, plan.id, giverId);
        }
      } else if (due < today) {
        // The anniversary has passed: held in time (decided 2 weeks before it), or never held (overdue).
        const start = addDays(due, -49);
        if (i % 5 !== 0 && start > made) {
          const recentEnough = addDays(due, -14) >= addDays(today, -42);
          const decision = recentEnough && i % 3 === 0 ? 'amend' : 'maintain';
          await heldAndDecided(db, reviews, clock, user, plan, start, decision, i % 4 === 0 ? giverId : null);
        }
      } else if (due < addDays(today, 42)) {
        // Due in the next six weeks: the meeting set (advice asked), or held last week with the report to write.
        if (i % 4 === 0 && addDays(today, -38) > made)
          await heldOnly(db, reviews, clock, user, plan.id, addDays(today, -8));
        else if (i % 4 !== 3) {
          const meeting = due < addDays(today, 15) ? addDays(today, 15) : addDays(due, -1);
          await arrangeOn(db, reviews, clock, user, plan.id, today, meeting);
          if (i % 2 === 0) await askGiver(db, reviews, user, plan.id, giverId);
        }
        // The rest not yet arranged: the "arrange the meeting" step is due or overdue.
      }
      // Due later: the clock runs.
    } catch (e) {
      // A plan the demo coordinator does not work on, or a review at another stage: left as it is.
      console.warn(`Demo review of plan ${plan.id} left as it was: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clock.reset();
    }
  }
}
