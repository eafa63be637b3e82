// SEND hubs (issue 13 parts 8 and 9): one hub's dashboard figures as JSON, for hub and locality managers
// (send-hub:manage; another hub is not found). Counts and working days only; no young person is named.
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { hubDashboard } from './dashboard.ts';
import { DASHBOARD_PERIODS, DashboardPeriodInput } from './schemas-calls.ts';

const manage = { policy: { capability: 'send-hub:manage' as const } };
const tags = ['SEND hubs'];
const HubParams = Type.Object({ hubId: Id });
const Query = Type.Object(
  {
    months: Type.Optional(
      Type.String({
        description: `Requests received in the last N months: ${DASHBOARD_PERIODS.join(', ')} (default 12)`,
      }),
    ),
  },
  { additionalProperties: false },
);
const Count = Type.Object(
  { key: Type.String(), label: Type.String(), count: Type.Integer() },
  { additionalProperties: false },
);
const Clock = Type.Object(
  {
    count: Type.Integer({ description: 'Requests whose clock stopped' }),
    median: Nullable(Type.Number({ description: 'Working days' })),
    p90: Nullable(Type.Number({ description: 'Working days, 90th percentile' })),
    within_target: Type.Integer(),
    percent_within_target: Nullable(Type.Integer()),
    waiting: Type.Integer({ description: 'Open requests whose clock is still running (not in the median)' }),
    longest_wait: Nullable(Type.Integer({ description: 'Working days' })),
  },
  { additionalProperties: false },
);
const Dashboard = Type.Object(
  {
    hub: Type.Object(
      {
        id: Id,
        name: Type.String(),
        first_response_target_working_days: Type.Integer(),
        support_start_target_working_days: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    period: Type.Object({ months: Type.Integer(), from: DateStr, to: DateStr }, { additionalProperties: false }),
    received: Type.Integer(),
    waiting_now: Type.Array(Count),
    first_response: Clock,
    support_start: Clock,
    outcomes: Type.Array(Count),
    not_yet_triaged: Type.Integer(),
    by_area_of_need: Type.Array(Count),
    by_setting: Type.Array(Count),
    declines: Type.Array(
      Type.Object(
        { reference: Type.String(), on: Nullable(DateStr), reason: Type.String(), alternative: Type.String() },
        { additionalProperties: false },
      ),
    ),
    overdue_now: Type.Array(Count),
  },
  { additionalProperties: false },
);

const clock = (c: {
  count: number;
  median: number | null;
  p90: number | null;
  within: number;
  percentWithin: number | null;
  waiting: number;
  longestWait: number | null;
}) => ({
  count: c.count,
  median: c.median,
  p90: c.p90,
  within_target: c.within,
  percent_within_target: c.percentWithin,
  waiting: c.waiting,
  longest_wait: c.longestWait,
});

export function registerDashboardApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  app.get<{ Params: Static<typeof HubParams>; Querystring: Static<typeof Query> }>(
    '/api/v1/send/hubs/:hubId/dashboard',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'A hub’s dashboard: waiting now, working days to first response and to support starting, outcomes, areas of need, settings, declines, overdue now',
        params: HubParams,
        querystring: Query,
        response: { 200: Dashboard, ...errors },
      },
    },
    async (request) => {
      const input = DashboardPeriodInput.parse(request.query as Body, { today: ctx.today() });
      const { hub, period, figures: f } = await hubDashboard(ctx, requireUser(request), request.params.hubId, input);
      return {
        hub: {
          id: hub.id,
          name: hub.name,
          first_response_target_working_days: hub.first_response_working_days,
          support_start_target_working_days: hub.support_start_working_days,
        },
        period,
        received: f.received,
        waiting_now: f.waitingNow,
        first_response: clock(f.firstResponse),
        support_start: clock(f.supportStart),
        outcomes: f.outcomes,
        not_yet_triaged: f.notYetTriaged,
        by_area_of_need: f.byArea,
        by_setting: f.bySetting,
        declines: f.declines,
        overdue_now: f.overdueBySteps,
      };
    },
  );
}
