// The subscriptions module's calendar job: every morning at 07:00 London time, the weekly emails (Mondays) and the
// monthly ones (the 1st), and any of this period's missed while the worker was down. A retry is safe: each
// subscription's period is claimed once (subscription_runs).
import { registerScheduledJob, retireScheduledJob } from '../../jobs/scheduled.ts';
import { sendDueSubscriptions } from './send.ts';

export const SUBSCRIPTIONS_JOB = 'subscriptions-send';

/** The EHCP module's own Monday job, which the 'ehcp-weekly' subscription replaced (its schedule is removed). */
const RETIRED = ['ehcp-weekly-report'];

export function registerSubscriptionJobs(): () => void {
  const forget = RETIRED.map((name) => retireScheduledJob(name));
  const off = registerScheduledJob({
    name: SUBSCRIPTIONS_JOB,
    cron: '0 7 * * *',
    tz: 'Europe/London',
    retryLimit: 2,
    run: (deps) => sendDueSubscriptions(deps),
    logAs: 'Subscription emails queued',
  });
  return () => {
    off();
    for (const f of forget) f();
  };
}
