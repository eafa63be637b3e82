// The retention module's calendar job: every night at 02:30 London time, the retention run purges what is due in the
// councils whose administrator turned automatic purge on (elsewhere it only counts, in its audit row). A retry is
// safe: it lists again and purges only what is still there and still due.
import { registerScheduledJob } from '../../jobs/scheduled.ts';
import type { RetentionService } from './service.ts';

export const RETENTION_RUN = 'retention-run';

export function registerRetentionJobs(retention: RetentionService): () => void {
  return registerScheduledJob({
    name: RETENTION_RUN,
    cron: '30 2 * * *',
    tz: 'Europe/London',
    retryLimit: 2,
    run: async () => {
      const report = await retention.run({ purge: true, trigger: 'schedule' });
      return report.authorities.reduce((n, a) => n + a.purged.length + a.notificationsPurged, 0);
    },
    logAs: 'Retention run: records purged',
  });
}
