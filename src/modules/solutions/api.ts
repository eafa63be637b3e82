// JSON API for the Creative Solutions Board (/api/v1): a record's board cases and a referral (the person's
// relationship policy), the board's consider and review decisions (solutions:manage), and the pseudonymised
// register of solutions tried (safeguarding:read).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors, Id, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { bodyWithVersion } from '../../http/versions.ts';
import { ConsiderInput, ReferInput, RegisterFilter, ReviewInput } from './schemas.ts';

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const board = {
  policy: { capability: 'solutions:manage' as const, person: 'personId', relationship: 'not-needed' as const },
};
const tags = ['creative solutions board'];
const Item = Type.Object({}, { additionalProperties: true, description: 'As recorded' });
const CaseParams = Type.Object({ personId: Id, caseId: Id });

export function registerSolutionsApi(app: FastifyInstance) {
  const { solutions } = app.services;
  app.get(
    '/api/v1/people/:personId/solutions',
    {
      config: read,
      schema: {
        tags,
        summary: 'The young person’s Creative Solutions Board cases with the solutions tested (the read is logged)',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Item) }), ...errors },
      },
    },
    async (request) => {
      const r = await solutions.forPerson(requireUser(request), requirePersonAccess(request), 'api');
      return {
        items: r.cases.map((c) => ({
          ...c,
          referred_at: c.referred_at.toISOString(),
          tests: c.tests.map((t) => ({ ...t, created_at: t.created_at.toISOString() })),
        })),
      };
    },
  );
  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/solutions',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Refer a complex case to the Creative Solutions Board (starts the creative-solutions-case protocol)',
        params: PersonParams,
        body: ReferInput.schema,
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) => {
      const input = ReferInput.parse(request.body as Body, solutions.today());
      const id = await solutions.refer(requireUser(request), request.params.personId, input);
      return reply.code(201).send({ id });
    },
  );
  for (const [name, Input, summary] of [
    [
      'consider',
      ConsiderInput,
      'The board considers the case: a solution to test with owner and review date, or declined',
    ],
    [
      'review',
      ReviewInput,
      'The board reviews the solution under test: result and learning, then test another or close',
    ],
  ] as const) {
    app.post<{ Params: { personId: string; caseId: string } }>(
      `/api/v1/people/:personId/solutions/:caseId/${name}`,
      {
        config: board,
        schema: { tags, summary, params: CaseParams, body: Input.schema, response: { 204: Type.Null(), ...errors } },
      },
      async (request, reply) => {
        const { personId, caseId } = request.params;
        const user = requireUser(request);
        const body = bodyWithVersion(request);
        if (name === 'consider')
          await solutions.consider(user, personId, caseId, ConsiderInput.parse(body, solutions.today()));
        else await solutions.review(user, personId, caseId, ReviewInput.parse(body, solutions.today()));
        return reply.code(204).send();
      },
    );
  }
  app.get(
    '/api/v1/solutions/register',
    {
      config: { policy: { capability: 'safeguarding:read' as const } },
      schema: {
        tags,
        summary:
          'The pseudonymised register of solutions tried across cases: category, solution, result, learning, dates',
        querystring: RegisterFilter.schema,
        response: { 200: Type.Object({ items: Type.Array(Item) }), ...errors },
      },
    },
    async (request) => {
      const filter = RegisterFilter.parse(request.query as Body, solutions.today());
      return { items: await solutions.register(requireUser(request), filter, 'api') };
    },
  );
}
