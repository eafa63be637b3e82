// What every part of the ehc-reviews module works with: the module kit's context, the review protocol it drives
// and the plan events it hears and tells (src/modules/ehc-plans/events.ts); the plan and review reads that check who
// may see them, and the change recorded on the timeline with its audit row.
import type { Executor, Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import type { ehcAnnualReview } from '../../protocols/ehc-annual-review.ts';
import { findRelationship } from '../access/repository.ts';
import { logRead } from '../audit/repository.ts';
import type { PlanEvents } from '../ehc-plans/events.ts';
import type { ModuleContext } from '../kit/context.ts';
import { recordChange } from '../kit/record.ts';
import type { Flow } from '../protocols/service.ts';
import * as repo from './repository.ts';

export interface ReviewDeps extends ModuleContext {
  readonly flow: Flow<typeof ehcAnnualReview>;
  readonly events: PlanEvents;
}

export type PlanRow = NonNullable<Awaited<ReturnType<typeof repo.planById>>>;

/**
 * The plan, if the user may work on it: in their council (else 404) and a young person they work with (else 403,
 * as the record's own pages answer). Break-glass opens it too, and the read is logged as such.
 */
export async function planFor(db: Executor, d: ReviewDeps, user: AuthUser, planId: string) {
  const plan = await repo.planById(db, user.authorityId, planId);
  if (!plan) throw new NotFound('No EHC plan with that reference in your council.');
  const rel = await findRelationship(db, user, plan.person_id, d.now());
  if (!rel.related && !rel.breakGlassId)
    throw new Forbidden('You do not work with this young person, so their record is closed to you.');
  return { plan, access: { personId: plan.person_id, breakGlassId: rel.related ? null : rel.breakGlassId } };
}

/** The plan, checked as planFor, with the read logged against the young person in `tx` (quality.md S6). */
export async function readPlan(tx: Tx, d: ReviewDeps, user: AuthUser, planId: string, channel: 'page' | 'api') {
  const found = await planFor(tx, d, user, planId);
  await logRead(tx, user, found.access, channel, 'ehc-review');
  return found;
}

export async function reviewFor(db: Executor, planId: string, reviewId: string) {
  const r = await repo.reviewOf(db, planId, reviewId);
  if (!r) throw new NotFound('No review with that reference on this plan.');
  return r;
}

/** A review change: a line on the young person's timeline and its audit row (kit/record.ts). */
export function reviewChange(
  tx: Tx,
  actor: { id: string | null; authorityId: string },
  personId: string,
  title: string,
  detail: string | null,
  audit: { action: string; entityId: string; detail?: Record<string, unknown> },
) {
  return recordChange(tx, {
    actor,
    personId,
    kind: 'ehcp',
    title,
    detail,
    audit: { ...audit, entity: 'ehc_review' },
  });
}
