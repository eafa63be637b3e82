// Managers' dashboards (issue 14 part 2): the chooser (/dashboards), each dashboard (/dashboards/council,
// /dashboards/team/:id, /dashboards/service/:id, /dashboards/hub/:id) and a CSV of each of its tables
// (…/<table>.csv). Team, service and council dashboards are for radar:read (the managing roles), hub dashboards for
// send-hub:manage; which of them a viewer may open is access.ts (any other is not found). The API is api.ts.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Capability } from '../../domain/roles.ts';
import { NotFound } from '../../http/errors.ts';
import { requireUser } from '../../http/request.ts';
import type { ScopeKind } from './access.ts';
import { registerDashboardsApi } from './api.ts';
import { csvOf } from './csv.ts';
import { isCsvKey } from './schemas.ts';
import type { Dashboard } from './service.ts';
import { chooserBody, dashboardBody } from './views/dashboard.ts';

const hide = { hide: true };
const policy = (capability: Capability | null) => ({ policy: { capability } });

/** The subscription form's address for a dashboard (subscribable.ts: `dashboard`, or `dashboard-hub` for a hub). */
export function subscribeHref(d: Pick<Dashboard, 'scope'>): string {
  const list = d.scope.kind === 'hub' ? 'dashboard-hub' : 'dashboard';
  const q = new URLSearchParams({ list, scope: d.scope.kind, ...(d.scope.id ? { id: d.scope.id } : {}) });
  return `/subscriptions/new?${q.toString()}`;
}

export function registerDashboardsRoutes(app: FastifyInstance) {
  const { dashboards } = app.services;

  app.get('/dashboards', { config: policy(null), schema: hide }, async (req, reply) => {
    const choices = await dashboards.choices(requireUser(req));
    return reply.view('dashboards/views/page.njk', { pageTitle: 'Dashboards', body: chooserBody(choices).html });
  });

  const page = async (reply: FastifyReply, d: Dashboard) =>
    reply.view('dashboards/views/page.njk', {
      pageTitle: `Dashboard: ${d.scope.name}`,
      body: dashboardBody(d, subscribeHref(d)).html,
    });
  const csv = (reply: FastifyReply, d: Dashboard, table: string) => {
    if (!isCsvKey(table)) throw new NotFound('No dashboard table with that name.');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="dashboard-${d.scope.kind}-${table}.csv"`)
      .send(csvOf(d, table));
  };

  app.get('/dashboards/council', { config: policy('radar:read'), schema: hide }, async (req, reply) =>
    page(reply, await dashboards.dashboard(requireUser(req), 'council', null)),
  );
  app.get<{ Params: { table: string } }>(
    '/dashboards/council/:table.csv',
    { config: policy('radar:read'), schema: hide },
    async (req, reply) => csv(reply, await dashboards.dashboard(requireUser(req), 'council', null), req.params.table),
  );
  const scoped: [ScopeKind, Capability][] = [
    ['team', 'radar:read'],
    ['service', 'radar:read'],
    ['hub', 'send-hub:manage'],
  ];
  for (const [kind, capability] of scoped) {
    app.get<{ Params: { id: string } }>(
      `/dashboards/${kind}/:id`,
      { config: policy(capability), schema: hide },
      async (req, reply) => page(reply, await dashboards.dashboard(requireUser(req), kind, req.params.id)),
    );
    app.get<{ Params: { id: string; table: string } }>(
      `/dashboards/${kind}/:id/:table.csv`,
      { config: policy(capability), schema: hide },
      async (req, reply) =>
        csv(reply, await dashboards.dashboard(requireUser(req), kind, req.params.id), req.params.table),
    );
  }
  registerDashboardsApi(app);
}
