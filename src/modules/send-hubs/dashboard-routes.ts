// SEND hubs (issue 13 part 8): the dashboard's pages for hub and locality managers (send-hub:manage): one hub's
// (/hubs/:hubId/dashboard, another hub not found), its CSV, and every hub the viewer works in together
// (/hubs/dashboard). Each chart is followed by a table of the same numbers. The JSON API is dashboard-api.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorList } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { csvCell } from '../kit/csv.ts';
import { barChart } from './charts.ts';
import { hubDashboard, localityDashboard } from './dashboard.ts';
import { registerDashboardApi } from './dashboard-api.ts';
import type { DashboardFigures } from './dashboard-figures.ts';
import { DASHBOARD_PERIODS, DashboardPeriodInput } from './schemas-calls.ts';

type HubParams = { hubId: string };
const hide = { hide: true };
const manage = { policy: { capability: 'send-hub:manage' as const } };

/** The period asked for (12 months when left out); a bad one is named and the default used. */
function period(req: FastifyRequest, today: string) {
  const months = (req.query as Record<string, unknown> | undefined)?.months ?? '';
  const read = DashboardPeriodInput.read({ months }, { today });
  const bad = Object.keys(read.errors).length > 0;
  return {
    input: bad ? { months: '12' as const } : (read.input as DashboardPeriodInput),
    errors: read.errors,
    errorList: bad ? errorList(read.errors) : null,
  };
}

/** The charts of the figures (each drawn with a table after it). */
function chartsOf(f: DashboardFigures) {
  return {
    waitingNow: barChart(f.waitingNow),
    outcomes: barChart(f.outcomes),
    byArea: barChart(f.byArea),
    bySetting: barChart(f.bySetting),
    overdue: barChart(f.overdueBySteps),
  };
}

const periodItems = (months: string) =>
  DASHBOARD_PERIODS.map((m) => ({
    value: m,
    text: m === '1' ? 'Last month' : `Last ${m} months`,
    selected: m === months,
  }));

export function registerDashboardRoutes(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;

  app.get('/hubs/dashboard', { config: manage, schema: hide }, async (req, reply) => {
    const p = period(req, ctx.today());
    if (p.errorList) reply.code(400);
    const data = await localityDashboard(ctx, requireUser(req), p.input);
    return reply.view('send-hubs/views/dashboard-locality.njk', {
      ...data,
      charts: chartsOf(data.figures),
      periods: periodItems(p.input.months),
      errors: p.errors,
      errorList: p.errorList,
    });
  });

  app.get<{ Params: HubParams }>('/hubs/:hubId/dashboard', { config: manage, schema: hide }, async (req, reply) => {
    const p = period(req, ctx.today());
    if (p.errorList) reply.code(400);
    const data = await hubDashboard(ctx, requireUser(req), req.params.hubId, p.input);
    return reply.view('send-hubs/views/dashboard-hub.njk', {
      ...data,
      charts: chartsOf(data.figures),
      periods: periodItems(p.input.months),
      csvHref: `/hubs/${data.hub.id}/dashboard.csv?months=${p.input.months}`,
      errors: p.errors,
      errorList: p.errorList,
    });
  });

  app.get<{ Params: HubParams }>('/hubs/:hubId/dashboard.csv', { config: manage, schema: hide }, async (req, reply) => {
    const p = period(req, ctx.today());
    const data = await hubDashboard(ctx, requireUser(req), req.params.hubId, p.input);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="hub-dashboard.csv"')
      .send(dashboardCsv(data.hub.name, data.period, data.figures));
  });

  registerDashboardApi(app);
}

/** The dashboard as CSV: one row per figure (section, measure, value), then each decline with its reason and the
 *  alternative offered; every cell quoted and formula-safe. */
export function dashboardCsv(hubName: string, p: { from: string; to: string }, f: DashboardFigures): string {
  const rows: unknown[][] = [['Section', 'Measure', 'Value', 'Alternative offered']];
  rows.push(['Hub', 'Name', hubName], ['Period', 'Received from', p.from], ['Period', 'Received to', p.to]);
  rows.push(['Requests', 'Received in the period', f.received]);
  for (const w of f.waitingNow) rows.push(['Waiting now', w.label, w.count]);
  for (const [section, c] of [
    ['First response (working days)', f.firstResponse],
    ['Support starting (working days)', f.supportStart],
  ] as const) {
    rows.push(
      [section, 'Requests counted', c.count],
      [section, 'Median', c.median ?? ''],
      [section, '90th percentile', c.p90 ?? ''],
      [section, 'Within target', c.within],
      [section, 'Per cent within target', c.percentWithin ?? ''],
      [section, 'Still waiting', c.waiting],
      [section, 'Longest wait', c.longestWait ?? ''],
    );
  }
  for (const o of f.outcomes) rows.push(['Outcome', o.label, o.count]);
  rows.push(['Outcome', 'Not yet triaged', f.notYetTriaged]);
  for (const a of f.byArea) rows.push(['Area of need', a.label, a.count]);
  for (const s of f.bySetting) rows.push(['Setting', s.label, s.count]);
  for (const o of f.overdueBySteps) rows.push(['Overdue now', o.label, o.count]);
  rows.push(['Declines', 'Declined in the period', f.declines.length]);
  // Each decline: its reference, the reason (as Value) and the alternative offered.
  for (const d of f.declines) rows.push([`Decline ${d.reference}`, 'Reason', d.reason, d.alternative]);
  const cells = (r: unknown[]) => [...r, ...Array(4 - r.length).fill('')].map(csvCell).join(',');
  return `${rows.map(cells).join('\r\n')}\r\n`;
}
