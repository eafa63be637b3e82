// What every part of the transitions module shares: its dependencies, and the owner check and the timeline-and-audit
// record that plans, referrals and panels all use. The parts are plans.ts, referrals.ts, escalation.ts (the Devon
// protocol glue), panels.ts, meetings.ts, register.ts and summaries.ts; service.ts is the class the app calls.
import type { Tx } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import type { devonTransitions } from '../../protocols/devon-transitions-16-17.ts';
import type { planActionChase } from '../../protocols/plan-action-chase.ts';
import type { referralChase } from '../../protocols/referral-chase.ts';
import type { ModuleContext } from '../kit/context.ts';
import { type Change, recordChange } from '../kit/record.ts';
import { PLAN_OWNER_ROLES, staffInScope } from '../kit/staff.ts';
import type { Flow } from '../protocols/service.ts';
import { activeUser } from '../protocols/step-repository.ts';

/** The built-in protocols this module drives (src/protocols), each a council may replace with its own version. */
export interface Flows {
  readonly devon: Flow<typeof devonTransitions>;
  readonly referral: Flow<typeof referralChase>;
  readonly action: Flow<typeof planActionChase>;
}

/** The module kit's context, with the flows of the protocols this module drives. */
export interface Ctx extends ModuleContext {
  readonly flows: Flows;
}

export const OPEN_ACTION = ['not_started', 'in_progress'] as const;
/** Whether an action with this status is still to do (not done, not cancelled). */
export const isOpenAction = (status: string) => (OPEN_ACTION as readonly string[]).includes(status);

/** Checks a service belongs to the council; returns its name. */
export async function checkService(tx: Tx, authorityId: string, serviceId: string, field: string): Promise<string> {
  const s = await tx
    .selectFrom('services')
    .where('id', '=', serviceId)
    .where('authority_id', '=', authorityId)
    .select('name')
    .executeTakeFirst();
  if (!s) throw new ValidationError({ [field]: 'Choose a service from the list' });
  return s.name;
}

/** Checks a member of staff is active in the council; returns their name. */
export async function checkStaff(tx: Tx, authorityId: string, userId: string, field: string): Promise<string> {
  const u = await activeUser(tx, authorityId, userId);
  if (!u) throw new ValidationError({ [field]: 'Choose an active member of staff in your council' });
  return u.display_name;
}

/**
 * Checks an owner (a member of staff, or a service) belongs to the user's council, and that a person named is one
 * who may own a plan action or receive a referral (PLAN_OWNER_ROLES: never the IT administrator, a panel member or
 * a commissioner — the pages offer only those, the API is held to the same); returns its label.
 */
export async function checkOwner(
  tx: Tx,
  authorityId: string,
  owner: { userId: string | null; serviceId: string | null },
  fields = { user: 'owner_user_id', service: 'owner_service_id' },
  /** `existing`: the owner is already on a row (a referral's recipient becoming the action's owner), not chosen now. */
  opts: { existing?: boolean } = {},
): Promise<string | null> {
  const service = owner.serviceId ? await checkService(tx, authorityId, owner.serviceId, fields.service) : null;
  if (owner.userId) {
    const name = await checkStaff(tx, authorityId, owner.userId, fields.user);
    if (!opts.existing && !(await staffInScope(tx, authorityId, { council: true }, owner.userId, PLAN_OWNER_ROLES)))
      throw new ValidationError({
        [fields.user]: `${name} cannot own plan actions or receive referrals: choose a caseworker or a practitioner who gives advice`,
      });
    return name;
  }
  return service === null ? null : `${service} (nobody named yet)`;
}

/**
 * A change on a young person's plan, referrals or panels: one timeline line (under "plan", or `kind`) and one audit
 * row, in the caller's transaction (kit/recordChange).
 */
export function record(
  tx: Tx,
  user: AuthUser,
  personId: string,
  title: string,
  audit: Change['audit'],
  more: { detail?: string | null; kind?: string } = {},
): Promise<void> {
  return recordChange(tx, { actor: user, personId, kind: more.kind ?? 'plan', title, detail: more.detail, audit });
}
