// Connects referrals and plan actions to the deadline sweep: each rung of their chase ladders is a deadline row.
import { registerDeadlineHandler } from '../../jobs/deadlines.ts';
import { ACTION_SUBJECT, REFERRAL_SUBJECT, type TransitionsService } from './service.ts';

/** Call once per process before jobs start (serve, worker). Returns an unregister function. */
export function registerTransitionsTimers(transitions: TransitionsService): () => void {
  const offReferral = registerDeadlineHandler(REFERRAL_SUBJECT, (tx, row) =>
    transitions.fireReferralRung(tx, row.subject_id, String(row.action.step ?? 'remind')),
  );
  const offAction = registerDeadlineHandler(ACTION_SUBJECT, (tx, row) =>
    transitions.fireActionRung(tx, row.subject_id, row.rung),
  );
  return () => {
    offReferral();
    offAction();
  };
}
