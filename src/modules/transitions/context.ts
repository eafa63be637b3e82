// What every part of the transitions module shares: its dependencies, and the owner check and the timeline-and-audit
// record that plans, referrals and panels all use. The parts are plans.ts, referrals.ts, escalation.ts (the Devon
// protocol glue), panels.ts, meetings.ts, register.ts and summaries.ts; service.ts is the class the app calls.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import type { devonTransitions } from '../../protocols/devon-transitions-16-17.ts';
import type { planActionChase } from '../../protocols/plan-action-chase.ts';
import type { referralChase } from '../../protocols/referral-chase.ts';
import { insertAudit } from '../audit/repository.ts';
import { insertEvent } from '../people/repository.ts';
import type { Flow, ProtocolService } from '../protocols/service.ts';

/** The built-in protocols this module drives (src/protocols), each a council may replace with its own version. */
export interface Flows {
  readonly devon: Flow<typeof devonTransitions>;
  readonly referral: Flow<typeof referralChase>;
  readonly action: Flow<typeof planActionChase>;
}

export interface Ctx {
  readonly db: Db;
  readonly config: Config;
  readonly now: () => Date;
  readonly protocols: ProtocolService;
  readonly flows: Flows;
  /** Today in London. */
  today(): string;
}

export const OPEN_ACTION = ['not_started', 'in_progress'] as const;

/** Checks an owner (a member of staff, or a service) belongs to the user's council; returns its label. */
export async function checkOwner(
  tx: Tx,
  authorityId: string,
  ownerUserId: string | null,
  ownerServiceId: string | null,
  fields = { user: 'owner_user_id', service: 'owner_service_id' },
): Promise<string | null> {
  let label: string | null = null;
  if (ownerServiceId) {
    const s = await tx
      .selectFrom('services')
      .where('id', '=', ownerServiceId)
      .where('authority_id', '=', authorityId)
      .select('name')
      .executeTakeFirst();
    if (!s) throw new ValidationError({ [fields.service]: 'Choose a service from the list' });
    label = `${s.name} (nobody named yet)`;
  }
  if (ownerUserId) {
    const u = await tx
      .selectFrom('users')
      .where('id', '=', ownerUserId)
      .where('authority_id', '=', authorityId)
      .where('active', '=', true)
      .select('display_name')
      .executeTakeFirst();
    if (!u) throw new ValidationError({ [fields.user]: 'Choose an active member of staff in your council' });
    label = u.display_name;
  }
  return label;
}

/** Timeline entry and audit row for a change, in the same transaction. */
export async function record(
  tx: Tx,
  user: AuthUser,
  personId: string,
  action: string,
  entity: string,
  entityId: string,
  title: string,
  detail: string | null,
  audit: Record<string, unknown>,
) {
  await insertEvent(tx, {
    authority_id: user.authorityId,
    person_id: personId,
    kind: 'plan',
    title,
    detail,
    actor_id: user.id,
  });
  await insertAudit(tx, {
    authorityId: user.authorityId,
    actorId: user.id,
    action,
    entity,
    entityId,
    personId,
    detail: audit,
  });
}
