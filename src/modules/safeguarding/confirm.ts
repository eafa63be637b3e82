// Confirming or changing a screening's level: a line manager on the screening page, or a High Risk Exploitation
// Meeting (the meetings module calls this inside its own transaction, with the meeting's id). The proposed and the
// confirmed levels are both kept; the instance's confirm_level step moves on in the same transaction.
import type { Tx } from '../../db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import type { SafeguardingCtx } from './context.ts';
import { instrumentFor, levelLabel } from './instruments.ts';
import * as repo from './repository.ts';

export interface ConfirmLevel {
  /** One of the instrument's level codes. */
  level: string;
  /** Why; required when the level differs from the one proposed. */
  reason?: string | null;
  /** The High Risk Exploitation Meeting that decided it, when a meeting did. */
  meetingId?: string | null;
  /** The version of the screening the decider read (pages and the API send it): a stale one is refused. */
  version?: number | null;
}

/**
 * Confirms (or changes) the level of a screening in the caller's transaction. The caller has checked the route's
 * policy (the relationship); this checks the capability (screening:confirm) unless a meeting decided it, the level,
 * the reason, and that it is not confirmed already. Returns the person's id, for the caller's redirect.
 */
export async function confirmScreeningLevel(
  tx: Tx,
  ctx: SafeguardingCtx,
  user: AuthUser,
  screeningId: string,
  input: ConfirmLevel,
): Promise<{ personId: string; screeningId: string; level: string }> {
  if (!input.meetingId && !user.caps.has('screening:confirm'))
    throw new Forbidden('Only a manager or the exploitation lead can confirm a screening level.');
  const s = await repo.lockScreening(tx, user.authorityId, screeningId);
  if (!s) throw new NotFound('No screening with that reference.');
  if (input.version != null && input.version !== s.version)
    throw new Conflict('Someone else has changed this screening. Reload the page to see their change.');
  if (s.confirmed_level) throw new Conflict('The level of this screening has already been confirmed.');
  const instrument = await instrumentFor(ctx, s.instrument_id, s.instrument_version);
  const rank = instrument.levels.findIndex((l) => l.code === input.level);
  const reason = input.reason?.trim() || null;
  const errors: Record<string, string> = {};
  if (rank < 0) errors.level = 'Choose the level';
  else if (input.level !== s.proposed_level && !reason)
    errors.reason = 'Enter why the level differs from the one proposed';
  if (reason && reason.length > 2000) errors.reason = 'Reason must be 2000 characters or fewer';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await repo.setConfirmed(tx, s.id, {
    confirmed_level: input.level,
    confirmed_rank: rank,
    confirmed_reason: reason,
    confirmed_by: user.id,
    confirmed_at: ctx.now(),
    confirmed_meeting_id: input.meetingId ?? null,
  });
  if (s.protocol_instance_id)
    await ctx.screening.advance(tx, s.protocol_instance_id, 'confirmed', user.id, {
      at: ['confirm_level'],
      ifOpen: true,
    });
  const changed = input.level !== s.proposed_level;
  await recordChange(tx, {
    actor: { id: user.id, authorityId: user.authorityId },
    personId: s.person_id,
    kind: 'safeguarding',
    title: `Exploitation screening level ${changed ? 'changed to' : 'confirmed as'} ${levelLabel(instrument, input.level)}${input.meetingId ? ' by a meeting' : ''}`,
    detail: reason,
    audit: {
      action: 'screening.confirm',
      entity: 'screening',
      entityId: s.id,
      detail: { level: input.level, proposed: s.proposed_level, meetingId: input.meetingId ?? null },
    },
  });
  return { personId: s.person_id, screeningId: s.id, level: input.level };
}
