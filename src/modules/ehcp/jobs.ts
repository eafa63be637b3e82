// The EHCP module's calendar job: Cumbria step 9, SEND managers get the EHCP report weekly, Monday 07:00 London time.
// Sending twice in a week is prevented by ehcp_weekly_report_runs (report.ts), so a retry is safe.
import { registerScheduledJob } from '../../jobs/scheduled.ts';
import { sendWeeklyReportEmails } from './report.ts';

export const EHCP_WEEKLY_REPORT = 'ehcp-weekly-report';

export function registerEhcpJobs(): () => void {
  return registerScheduledJob({
    name: EHCP_WEEKLY_REPORT,
    cron: '0 7 * * 1',
    tz: 'Europe/London',
    retryLimit: 2,
    run: ({ db, reports, baseUrl, now }) => sendWeeklyReportEmails(db, baseUrl, now, reports),
    logAs: 'EHCP weekly report emails queued',
  });
}
