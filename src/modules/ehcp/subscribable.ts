// Cumbria step 9 as a subscription (issue 14 part 3): the weekly EHCP report's counts by email, given to every SEND
// manager weekly (`defaultFor`), sent by the subscriptions job. The counts are the report's own (buildWeeklyReport),
// for the whole council; the report itself, with case references, is behind sign-in at /reports/ehcp-weekly.
import type { Subscribable } from '../subscriptions/registry.ts';
import { buildWeeklyReport } from './report.ts';

export const ehcpWeeklySubscribable: Subscribable = {
  key: 'ehcp-weekly',
  title: 'EHCP weekly report',
  capability: 'ehcp:report',
  path: () => '/reports/ehcp-weekly',
  // The report has no filters: whatever else a form or the API sends is not kept.
  checkFilters: async () => ({ ok: true, filters: {} }),
  describeFilters: async () => 'None: the whole council',
  async counts({ authorityId, today, reports }) {
    const c = (await reports.read((db) => buildWeeklyReport(db, authorityId, today))).counts;
    return [
      { label: 'Open advice follow-ups', count: c.openFollowUps },
      { label: 'Advice follow-ups overdue', count: c.overdueFollowUps },
      { label: 'Advice outstanding', count: c.adviceOutstanding },
      { label: 'Advice past the 6-week date', count: c.adviceOverdue },
      { label: 'Assessments at risk of missing 20 weeks', count: c.atRisk },
      { label: 'Annual reviews overdue', count: c.reviewsOverdue },
      { label: 'Amendments waiting', count: c.amendmentsWaiting },
      { label: 'Amendments past 8 weeks', count: c.amendmentsPastEightWeeks },
    ];
  },
  defaultFor: { role: 'send_manager', frequency: 'weekly' },
};
