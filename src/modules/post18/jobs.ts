// The transition plan's calendar job: every morning at 06:15 London time, a joint transition plan starts for each
// young person at the council's start age (default 17) and under 18 whose latest exploitation screening is open
// and at medium or above. Safe to run twice: a plan is started once per young person (unique, and re-checked).
import { registerScheduledJob } from '../../jobs/scheduled.ts';
import type { Post18Service } from './service.ts';

export const TRANSITION_PLAN_STARTS = 'transition-plan-starts';

export function registerPost18Jobs(post18: Post18Service): () => void {
  return registerScheduledJob({
    name: TRANSITION_PLAN_STARTS,
    cron: '15 6 * * *',
    tz: 'Europe/London',
    retryLimit: 2,
    run: () => post18.startDue(),
    logAs: 'Joint transition plans started',
  });
}
