// What every part of the EHC plan module works with (issue 20): the module kit's context, the consultation flow,
// the EHCP service (the assessment whose draft and final the plan serves and issues) and the plan events. Also who
// may open a plan: its young person's record rules (a relationship or break-glass, src/modules/access), checked
// here because the plan's URLs name the plan, not the person.
import type { Executor, Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import type { ehcSettingConsultation } from '../../protocols/ehc-setting-consultation.ts';
import { findRelationship } from '../access/repository.ts';
import { logRead } from '../audit/repository.ts';
import type { EhcpService } from '../ehcp/service.ts';
import type { ModuleContext } from '../kit/context.ts';
import { recordChange } from '../kit/record.ts';
import type { Flow } from '../protocols/service.ts';
import type { PlanEvents } from './events.ts';
import * as repo from './repository.ts';

export interface PlanDeps extends ModuleContext {
  readonly consultation: Flow<typeof ehcSettingConsultation>;
  readonly ehcp: EhcpService;
  readonly events: PlanEvents;
}

export const NOT_FOUND = 'No EHC plan with that reference.';

/**
 * The plan, if `user` may open its young person's record: 404 when it is not in their council, 403 (with the
 * break-glass offer, as the record's own pages) when they do not work with the young person.
 */
export async function openPlan(d: PlanDeps, db: Executor, user: AuthUser, planId: string) {
  const plan = await repo.findPlan(db, user.authorityId, planId);
  if (!plan) throw new NotFound(NOT_FOUND);
  const access = await personAccess(d, db, user, plan.person_id);
  return { plan, access };
}

/** The user's access to one young person's record, or Forbidden (never NotFound: the plan exists in their council). */
export async function personAccess(d: PlanDeps, db: Executor, user: AuthUser, personId: string): Promise<PersonAccess> {
  const rel = await findRelationship(db, user, personId, d.now());
  if (!rel.exists) throw new NotFound(NOT_FOUND);
  if (!rel.related && !rel.breakGlassId)
    throw new Forbidden(
      'You do not work with this young person, so their record is closed to you.',
      user.caps.has('breakglass:use') ? personId : null,
    );
  return { personId, breakGlassId: rel.related ? null : rel.breakGlassId };
}

/** The plan opened for a change, locked; refuses a plan in another state than `states`. */
export async function lockPlan(d: PlanDeps, tx: Tx, user: AuthUser, planId: string) {
  const { plan } = await openPlan(d, tx, user, planId);
  return (await repo.lockPlan(tx, plan.id))!;
}

/** Logs a read of the young person's record in the caller's transaction (quality.md S6). */
export function logPlanRead(
  tx: Tx,
  user: AuthUser,
  access: PersonAccess,
  channel: 'page' | 'api' | 'print' | 'export',
  purpose: string,
) {
  return logRead(tx, user, access, channel, purpose);
}

/** A plan change: a line on the young person's timeline and its audit row (kit/record.ts). */
export function planChange(
  tx: Tx,
  actor: { id: string | null; authorityId: string },
  personId: string,
  [title, detail]: [string, string | null],
  audit: { action: string; entity: string; entityId: string; detail?: Record<string, unknown> },
) {
  return recordChange(tx, { actor, personId, kind: 'ehcp', title, detail, audit });
}
