// JSON API for bulk reallocation (a worker's caseload, the move) and the owner pickers' server-side search (/api/v1).
// Same service and rules as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { ReallocationInput } from './schemas.ts';

const tags = ['caseload'];
const manage = { policy: { capability: 'involvement:manage' as const } };
const WorkerParams = Type.Object({ teamId: Id, workerId: Id });
const Person = { person_id: Id, case_number: Type.String(), name: Type.String() };
const StaffItem = Type.Object({ id: Id, name: Type.String(), job_title: Nullable(Type.String()) });
const name = (p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`;

export function registerCaseloadApi(app: FastifyInstance) {
  const { caseload } = app.services;
  app.get(
    '/api/v1/teams/:teamId/workers/:workerId/caseload',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A worker’s caseload in a team you manage: cases they hold, protocol steps and plan actions they own',
        params: WorkerParams,
        response: {
          200: Type.Object({
            cases: Type.Array(Type.Object({ id: Id, ...Person })),
            steps: Type.Array(Type.Object({ id: Id, ...Person, title: Type.String(), due_date: Nullable(DateStr) })),
            actions: Type.Array(
              Type.Object({ id: Id, ...Person, description: Type.String(), due_date: Nullable(DateStr) }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { teamId, workerId } = request.params as { teamId: string; workerId: string };
      const c = await caseload.caseload(requireUser(request), teamId, workerId);
      const who = (p: { person_id: string; case_number: string; given_name: string; family_name: string }) => ({
        person_id: p.person_id,
        case_number: p.case_number,
        name: name(p),
      });
      return {
        cases: c.cases.map((x) => ({ id: x.id, ...who(x) })),
        steps: c.steps.map((x) => ({ id: x.id, ...who(x), title: x.title, due_date: x.due_date })),
        actions: c.actions.map((x) => ({ id: x.id, ...who(x), description: x.description, due_date: x.due_date })),
      };
    },
  );

  app.post(
    '/api/v1/teams/:teamId/workers/:workerId/reallocations',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Move chosen cases, steps and actions of a worker to another caseworker of the team, all in one transaction (nothing moves if any is no longer theirs)',
        params: WorkerParams,
        body: ReallocationInput.schema,
        response: {
          200: Type.Object({
            cases: Type.Integer(),
            steps: Type.Integer(),
            actions: Type.Integer(),
            to: Type.Object({ id: Id, name: Type.String() }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { teamId, workerId } = request.params as { teamId: string; workerId: string };
      const input = ReallocationInput.parse(request.body as Body, { today: '' });
      return caseload.reallocate(requireUser(request), teamId, workerId, input);
    },
  );

  app.get(
    '/api/v1/staff/search',
    {
      config: { policy: { capability: 'person:edit' as const } },
      schema: {
        tags,
        summary:
          'Owner picker search: active caseworkers of one team or one service whose name or job title holds every word of q (20 at most)',
        querystring: Type.Object(
          {
            team_id: Type.Optional(Id),
            service_id: Type.Optional(Id),
            q: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(StaffItem) }), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const q = request.query as { team_id?: string; service_id?: string; q?: string };
      if (!q.team_id === !q.service_id)
        throw new ValidationError({ team_id: 'Give either team_id or service_id: the team or service to search in' });
      const scope = q.team_id ? { teamId: q.team_id } : { serviceId: q.service_id as string };
      const found = await caseload.searchStaff(user, scope, q.q ?? '');
      return { items: found.map((s) => ({ id: s.id, name: s.display_name, job_title: s.job_title })) };
    },
  );
}
