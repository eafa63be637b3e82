// The mentoring referral's workflow on the protocol engine (mentoring-referral). The definition holds the steps,
// owners, deadlines (the match, the 3-monthly review) and ladders; this file keeps the referral's `status` column a
// projection of where its instance is, written only by the engine's hooks inside its transaction.
import type { Tx } from '../../db/database.ts';
import { mentoringReferral } from '../../protocols/mentoring-referral.ts';
import type { ModuleContext } from '../kit/context.ts';
import type { Flow } from '../protocols/service.ts';
import { setStatus } from './repository.ts';

export interface MentoringCtx extends ModuleContext {
  readonly flow: Flow<typeof mentoringReferral>;
}

const referralId = (data: Record<string, unknown>) => (typeof data.referral_id === 'string' ? data.referral_id : null);

async function project(tx: Tx, data: Record<string, unknown>, status: 'waiting' | 'active' | 'ended' | 'declined') {
  const id = referralId(data);
  if (id) await setStatus(tx, id, status);
}

/** Takes the mentoring-referral protocol as the module's workflow (called once, when the service is built). */
export function driveMentoring(base: ModuleContext): MentoringCtx {
  const flow = base.protocols.drive(mentoringReferral, {
    where: 'the mentoring scheme runs it, so act on the mentoring page of this record.',
    hooks: {
      entered: (e) => project(e.tx, e.data, e.step === 'match' ? 'waiting' : 'active'),
      ended: (e) => project(e.tx, e.data, e.result === 'declined' ? 'declined' : 'ended'),
    },
  });
  return { ...base, flow };
}
