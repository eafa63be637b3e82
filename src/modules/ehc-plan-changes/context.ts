// What every part of the plan-changes module works with: the module kit's context, the module's three workflows on
// the engine (flows.ts), the plan events shared with the plan and review modules, and the plan a page or API call
// is about, opened only to someone who may see the young person's record (their read logged like any record read).
import type { Executor, Tx } from '../../db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import { findRelationship } from '../access/repository.ts';
import { logRead } from '../audit/repository.ts';
import type { PlanEvents } from '../ehc-plans/events.ts';
import type { ModuleContext } from '../kit/context.ts';
import { recordChange } from '../kit/record.ts';
import type { PlanChangeFlows } from './flows.ts';
import * as repo from './repository.ts';

export interface PlanChangeDeps extends ModuleContext {
  readonly flows: PlanChangeFlows;
  readonly events: PlanEvents;
}

export type Channel = 'page' | 'api' | 'print' | 'export';
export type Plan = NonNullable<Awaited<ReturnType<typeof repo.findPlan>>>;

/** The plan in the user's council, if they may open the young person's record (else refused, like the record). */
export async function openPlan(
  d: PlanChangeDeps,
  db: Executor,
  user: AuthUser,
  planId: string,
): Promise<{ plan: Plan; access: PersonAccess }> {
  const plan = await repo.findPlan(db, user.authorityId, planId);
  if (!plan) throw new NotFound('No EHC plan with that reference in your council.');
  const rel = await findRelationship(db, user, plan.person_id, d.now());
  if (!rel.related && !rel.breakGlassId)
    throw new Forbidden('You do not work with this young person, so their EHC plan is closed to you.');
  return { plan, access: { personId: plan.person_id, breakGlassId: rel.related ? null : rel.breakGlassId } };
}

/** Opens the plan and logs the read of the record in `tx` (quality.md S6). */
export async function readPlan(
  d: PlanChangeDeps,
  tx: Tx,
  user: AuthUser,
  planId: string,
  channel: Channel,
  purpose: string,
) {
  const opened = await openPlan(d, tx, user, planId);
  await logRead(tx, user, opened.access, channel, purpose);
  return opened;
}

/** The plan locked for a change; refused unless it is a final plan still maintained by this council. */
export async function lockFinalPlan(d: PlanChangeDeps, tx: Tx, user: AuthUser, planId: string): Promise<Plan> {
  await openPlan(d, tx, user, planId);
  const plan = (await repo.lockPlan(tx, planId)) as Plan;
  if (plan.status !== 'final')
    throw new Conflict(
      plan.status === 'draft'
        ? 'This plan has not been finalised yet: a draft is changed on the plan itself.'
        : 'This plan is no longer maintained by this council.',
    );
  return plan;
}

/** A line on the young person's timeline and its audit row. */
export function planChange(
  tx: Tx,
  actor: { id: string | null; authorityId: string },
  personId: string,
  title: string,
  audit: { action: string; entity: string; entityId: string; detail?: Record<string, unknown> },
) {
  return recordChange(tx, { actor, personId, kind: 'ehcp', title, audit });
}

/**
 * The version the caller read, required (a 400 naming `version` when none was sent) and refused when stale (409,
 * StaleVersion, the message every versioned record uses): quality.md R3, src/http/versions.ts.
 */
export function requireSameVersion(
  row: { version: number },
  version: number | null | undefined,
  what: 'amendment' | 'cessation' | 'plan transfer',
) {
  const readAgain = `the ${what} page, or the ${what}'s GET in the API`;
  checkVersion(what, row.version, requireVersion(version, readAgain), readAgain);
}
