// The module's calendar job: every morning at 05:30 London time, the cessation of each plan whose young person is in
// the academic year of their 25th birthday is raised ahead of its end (age25.ts). Safe to run twice, and on many
// workers at once: one 25th-birthday cessation per plan (the plan row locked and checked, and a unique index).
import { registerScheduledJob } from '../../jobs/scheduled.ts';
import type { EhcPlanChangesService } from './service.ts';

export const AGE_25_CESSATIONS = 'ehc-plan-age-25-cessations';

export function registerPlanChangeJobs(changes: EhcPlanChangesService): () => void {
  return registerScheduledJob({
    name: AGE_25_CESSATIONS,
    cron: '30 5 * * *',
    tz: 'Europe/London',
    retryLimit: 2,
    run: () => changes.raiseAge25Cessations(),
    logAs: 'EHC plan cessations raised for the end of the academic year of the 25th birthday',
  });
}
