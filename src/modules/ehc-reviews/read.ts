// What the review pages and the API show: a plan's reviews, one review with where its protocol is and the advice
// asked for it, the panel for the plan page, and the council's reviews due and overdue. Reads of a young person's
// review write one access-log row each, in the read's own transaction.
import type { Executor } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import { PHASE_TRANSFERS } from '../../domain/phase-transfer.ts';
import type { AuthUser } from '../../http/types.ts';
import { ehcAnnualReview } from '../../protocols/ehc-annual-review.ts';
import { planInScope, viewerOf } from '../ehc-plans/repository.ts';
import { type ReviewDeps, readPlan, reviewFor } from './context.ts';
import { needsPfa } from './flow.ts';
import * as repo from './repository.ts';
import { DECISION_LABELS } from './schemas.ts';

/** Each step's deadline source, from the built-in protocol (a council's own version words its own). */
const SOURCES: Record<string, string> = Object.fromEntries(
  ehcAnnualReview.steps.map((s) => [s.id, s.deadline?.source ?? '']),
);

type Review = Awaited<ReturnType<typeof repo.reviewsOfPlan>>[number];

async function withStates(d: ReviewDeps, db: Executor, reviews: Review[]) {
  const ids = reviews.map((r) => r.protocol_instance_id).filter((x): x is string => Boolean(x));
  const states = ids.length ? await d.flow.states(db, ids) : new Map();
  const today = d.today();
  return reviews.map((r) => {
    const s = r.protocol_instance_id ? states.get(r.protocol_instance_id) : undefined;
    return {
      ...r,
      step: s?.step ?? null,
      stepTitle: s?.stepTitle ?? null,
      stepDue: s?.due ?? null,
      stepDueRule: s?.dueRule ?? null,
      stepSource: s?.step ? (SOURCES[s.step] ?? null) : null,
      ownerLabel: s?.ownerLabel ?? null,
      escalations: s?.escalations ?? 0,
      meetingBy: (s?.anchors.meeting_by as string | undefined) ?? r.due_date,
      overdue: r.status === 'open' && Boolean(s?.due && s.due < today),
      decisionLabel: r.decision ? DECISION_LABELS[r.decision] : null,
      transferLabel: r.transfer_phase ? PHASE_TRANSFERS[r.transfer_phase].label : null,
    };
  });
}

/** A plan's reviews, newest first. */
export async function planReviews(d: ReviewDeps, user: AuthUser, planId: string, channel: 'page' | 'api') {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await readPlan(tx, d, user, planId, channel);
    return { plan, reviews: await withStates(d, tx, await repo.reviewsOfPlan(tx, planId)) };
  });
}

/** One review: its record, its protocol state, the advice asked for it and who may be asked. */
export async function reviewPage(
  d: ReviewDeps,
  user: AuthUser,
  planId: string,
  reviewId: string,
  channel: 'page' | 'api',
) {
  return d.db.transaction().execute(async (tx) => {
    const { plan } = await readPlan(tx, d, user, planId, channel);
    const [review] = await withStates(d, tx, [await reviewFor(tx, planId, reviewId)]);
    const advice = await repo.adviceOfReview(tx, reviewId);
    const pfaRequired = needsPfa(plan.date_of_birth, review!.meeting_held_date ?? d.today());
    return { plan, review: review!, advice, pfaRequired, today: d.today() };
  });
}

export async function giverOptions(d: ReviewDeps, user: AuthUser) {
  return repo.adviceGiverOptions(d.db, user.authorityId);
}

/**
 * The panel on the plan page (H1's page calls it and logs its own read): the open review and the latest decided
 * one, with links. Takes the database and the plan id only.
 */
export async function reviewPanel(d: ReviewDeps, db: Executor, planId: string) {
  const all = await withStates(d, db, await repo.reviewsOfPlan(db, planId));
  return {
    planId,
    open: all.find((r) => r.status === 'open') ?? null,
    lastDecided: all.find((r) => r.status === 'decided') ?? null,
    count: all.length,
  };
}

/**
 * The open reviews due within `weeks` weeks or overdue (the protocol's open step past its due date), soonest first,
 * with case numbers only: the SEND managers' list and the API's. Scoped as the caseload is (a SEND manager sees the
 * council's, a coordinator their own, their teams' and their reports' plans: ehc-plans' planInScope).
 */
export async function dueReviews(d: ReviewDeps, user: AuthUser, o: { overdueOnly: boolean; weeks?: number }) {
  const today = d.today();
  const horizon = addDays(today, 7 * (o.weeks ?? 12));
  const rows = await d.db
    .selectFrom('ehc_reviews as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('ehc_plans as e', 'e.id', 'r.plan_id')
    .innerJoin('protocol_steps as s', (j) =>
      j.onRef('s.instance_id', '=', 'r.protocol_instance_id').on('s.status', '=', 'open'),
    )
    .where('r.authority_id', '=', user.authorityId)
    .where('r.status', '=', 'open')
    .where((eb) => planInScope(eb, viewerOf(user)))
    .$if(o.overdueOnly, (q) => q.where('s.due_date', '<', today))
    .$if(!o.overdueOnly, (q) =>
      q.where((eb) => eb.or([eb('s.due_date', '<=', horizon), eb('r.due_date', '<=', horizon)])),
    )
    .orderBy('s.due_date')
    .limit(1000)
    .select([
      'r.id',
      'r.plan_id',
      'r.person_id',
      'r.due_date',
      'r.transfer_deadline',
      'r.meeting_date',
      'p.case_number',
      's.step_key',
      's.due_date as step_due',
      's.owner_label',
    ])
    .execute();
  return rows.map((r) => ({ ...r, overdue: Boolean(r.step_due && r.step_due < today) }));
}
