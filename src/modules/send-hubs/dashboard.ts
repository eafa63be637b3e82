// The hub dashboard (issue 13 part 8), for hub and locality managers (send-hub:manage) over the hubs they work in
// (requireHub: another hub is not found): requests waiting now by status, days to first response and to support
// starting (median, 90th percentile, % within the hub's target, still waiting), outcomes by type, requests by area
// of need and by setting, declines with the reason and the alternative offered, and what is overdue now. The period
// (received in the last N months, 12 by default) bounds the requests counted; "now" figures cover every open request.
// Counts only: no young person is named, so no read of a record is logged. The arithmetic is dashboard-figures.ts.
// The figures are read through ctx.reports (the read replica when there is one); who may see which hub is decided on
// the primary.
import type { AuthUser } from '../../http/types.ts';
import { hubIdsOf, requireHub } from './access.ts';
import { type DashboardFigures, dashboardFigures, monthsBefore } from './dashboard-figures.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-dashboard.ts';
import type { DashboardPeriodInput } from './schemas-calls.ts';

export interface Period {
  months: number;
  from: string;
  to: string;
}

function figuresFor(ctx: HubCtx, hubIds: string[], period: Period): Promise<DashboardFigures> {
  return ctx.reports.read(async (db) => {
    const [rows, open, byStatus, overdue] = await Promise.all([
      repo.periodRequests(db, hubIds, period.from),
      repo.stillWaiting(db, hubIds),
      repo.openByStatus(db, hubIds),
      repo.overdueBySteps(db, hubIds, period.to),
    ]);
    return dashboardFigures(rows, open, byStatus, overdue, period.to);
  });
}

function periodOf(ctx: HubCtx, input: DashboardPeriodInput): Period {
  const months = Number(input.months);
  const today = ctx.today();
  return { months, from: monthsBefore(today, months), to: today };
}

/** One hub's dashboard, with its targets. */
export async function hubDashboard(ctx: HubCtx, user: AuthUser, hubId: string, input: DashboardPeriodInput) {
  const hub = await requireHub(ctx.db, user, hubId);
  const period = periodOf(ctx, input);
  return { hub, period, figures: await figuresFor(ctx, [hub.id], period) };
}

/** Every hub the viewer works in: the figures of them all together, and each hub's headline figures. */
export async function localityDashboard(ctx: HubCtx, user: AuthUser, input: DashboardPeriodInput) {
  const hubIds = await hubIdsOf(ctx.db, user);
  const period = periodOf(ctx, input);
  const names = await repo.hubNames(ctx.db, hubIds);
  const [figures, ...each] = await Promise.all([
    figuresFor(ctx, hubIds, period),
    ...names.map((h) => figuresFor(ctx, [h.id], period)),
  ]);
  const hubs = names.map((h, i) => ({ ...h, figures: each[i] as DashboardFigures }));
  return { period, figures: figures as DashboardFigures, hubs };
}
