// JSON API of the managers' dashboards (issue 14 part 2): the dashboards the caller may open, and each one's
// headline, tables and trends, the same figures as the page and its CSVs. Counts only; a scope the caller may not see
// is not found.
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Capability } from '../../domain/roles.ts';
import { DateStr, errorsOf, Nullable } from '../../http/api-schema.ts';
import { requireUser } from '../../http/request.ts';
import { SCOPES, type ScopeKind } from './access.ts';
import { TABLE_KEYS } from './figures.ts';

const Kind = Type.Union(SCOPES.map((k) => Type.Literal(k)));
const Choice = Type.Object({
  kind: Kind,
  id: Nullable(Type.String()),
  name: Type.String(),
  path: Type.String({ description: 'The dashboard page' }),
});
const Dashboard = Type.Object({
  scope: Choice,
  today: DateStr,
  from: DateStr,
  headline: Type.Array(
    Type.Object({ label: Type.String(), count: Type.Integer(), mustBeZero: Type.Optional(Type.Boolean()) }),
  ),
  tables: Type.Array(
    Type.Object({
      key: Type.Union(TABLE_KEYS.map((k) => Type.Literal(k))),
      title: Type.String(),
      rule: Type.String({ description: 'What is counted, and how the scope applies' }),
      columns: Type.Array(Type.String()),
      rows: Type.Array(
        Type.Object({
          label: Type.String(),
          values: Type.Array(Type.Integer()),
          mustBeZero: Type.Optional(Type.Boolean({ description: 'A figure that must be 0' })),
        }),
      ),
    }),
  ),
  trends: Type.Array(
    Type.Object({
      key: Type.String(),
      title: Type.String(),
      rule: Type.String(),
      series: Type.Array(Type.String()),
      months: Type.Array(Type.Object({ month: Type.String(), counts: Type.Record(Type.String(), Type.Integer()) })),
    }),
  ),
  noHistory: Type.Array(Type.Object({ title: Type.String(), why: Type.String() }), {
    description: 'Figures whose history the record does not hold: no trend for them',
  }),
});

const schema = (summary: string, response: TSchema, params?: TSchema) => ({
  tags: ['dashboards'],
  summary,
  ...(params ? { params } : {}),
  response: { 200: response, ...errorsOf(401, 403, 404) },
});

export function registerDashboardsApi(app: FastifyInstance) {
  const { dashboards } = app.services;
  app.get(
    '/api/v1/dashboards',
    {
      config: { policy: { capability: null } },
      schema: schema('The dashboards the caller may open (team, service, hub, the whole council)', Type.Array(Choice)),
    },
    async (req) => dashboards.choices(requireUser(req)),
  );
  app.get(
    '/api/v1/dashboards/council',
    {
      config: { policy: { capability: 'radar:read' as const } },
      schema: schema('The whole council’s dashboard: counts only (service leads)', Dashboard),
    },
    async (req) => dashboards.dashboard(requireUser(req), 'council', null),
  );
  const scoped: [ScopeKind, Capability][] = [
    ['team', 'radar:read'],
    ['service', 'radar:read'],
    ['hub', 'send-hub:manage'],
  ];
  for (const [kind, capability] of scoped)
    app.get<{ Params: { id: string } }>(
      `/api/v1/dashboards/${kind}/:id`,
      {
        config: { policy: { capability } },
        schema: schema(`A ${kind}’s dashboard: counts only`, Dashboard, Type.Object({ id: Type.String() })),
      },
      async (req) => dashboards.dashboard(requireUser(req), kind, req.params.id),
    );
}
