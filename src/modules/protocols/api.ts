// JSON API for protocols: list, read a definition, start an instance, read it, decide its step.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors, errorsOf, Id } from '../../http/api-schema.ts';
import { NotFound } from '../../http/errors.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { ReassignInput } from './schemas.ts';

const tags = ['protocols'];
const Step = Type.Object({
  id: Id,
  step: Type.String(),
  title: Type.String(),
  status: Type.String(),
  owner: Type.String(),
  owner_user_id: Type.Union([Id, Type.Null()]),
  due_date: Type.Union([Type.String(), Type.Null()]),
  due_rule: Type.Union([Type.String({ description: 'the rule and inputs the due date came from' }), Type.Null()]),
  overdue: Type.Boolean(),
  escalations: Type.Integer(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  decided_by: Type.Union([Type.String(), Type.Null()]),
  decided_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  version: Type.Integer(),
});

export function registerProtocolApi(app: FastifyInstance) {
  const { protocols } = app.services;
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };

  app.get(
    '/api/v1/protocols',
    {
      config: { policy: { capability: null } },
      schema: {
        tags,
        summary: 'The protocols loaded (newest version of each)',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ id: Type.String(), version: Type.Integer(), title: Type.String(), origin: Type.String() }),
            ),
          }),
          ...errorsOf(401),
        },
      },
    },
    async () => ({
      items: protocols.registry
        .list()
        .map(({ definition: d, origin }) => ({ id: d.id, version: d.version, title: d.title, origin })),
    }),
  );

  app.get<{ Params: { protocolKey: string } }>(
    '/api/v1/protocols/:protocolKey',
    {
      config: { policy: { capability: null } },
      schema: {
        tags,
        summary: 'A protocol definition, in the format councils write',
        params: Type.Object({ protocolKey: Type.String() }),
        response: errorsOf(401, 404),
      },
    },
    async (request) => {
      const def = protocols.registry.get(request.params.protocolKey);
      if (!def) throw new NotFound('No protocol with that name.');
      return def;
    },
  );

  app.post<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/protocols',
    {
      config: read,
      schema: {
        tags,
        summary: 'Start a protocol for a young person',
        params: Type.Object({ personId: Id }),
        body: Type.Object(
          { protocol_id: Type.String(), involvement_id: Type.Optional(Id), routes_tried: Type.Optional(Type.String()) },
          {
            additionalProperties: Type.String({
              description: 'anchor_<name>: a YYYY-MM-DD date for each anchor the protocol declares',
            }),
          },
        ),
        response: { 201: Type.Object({ id: Id }), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ id: await protocols.start(requireUser(request), request.params.personId, request.body as Body) }),
  );

  app.get<{ Params: { personId: string; instanceId: string } }>(
    '/api/v1/people/:personId/protocols/:instanceId',
    {
      config: read,
      schema: {
        tags,
        summary: 'A running protocol: its current step (owner, due date and the rule it came from) and its history',
        params: Type.Object({ personId: Id, instanceId: Id }),
        response: {
          200: Type.Object({
            id: Id,
            protocol_id: Type.String(),
            protocol_version: Type.Integer(),
            status: Type.String(),
            result: Type.Union([Type.String(), Type.Null()]),
            current: Type.Union([Step, Type.Null()]),
            history: Type.Array(Step),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const data = await protocols.instance(requireUser(request), request.params.personId, request.params.instanceId);
      const step = (s: (typeof data.history)[number]) => ({
        id: s.id,
        step: s.step_key,
        title: s.title,
        status: s.status,
        owner: s.owner_label,
        owner_user_id: s.owner_user_id,
        due_date: s.due_date,
        due_rule: s.due_rule,
        overdue: s.overdue,
        escalations: s.escalations,
        outcome: s.outcome,
        decided_by: s.decided_by_name,
        decided_at: s.decided_at ? s.decided_at.toISOString() : null,
        version: s.version,
      });
      return {
        id: data.instance.id,
        protocol_id: data.instance.protocol_id,
        protocol_version: data.instance.protocol_version,
        status: data.instance.status,
        result: data.instance.result,
        current: data.current ? step(data.current) : null,
        history: data.history.map(step),
      };
    },
  );

  app.post<{ Params: { personId: string; instanceId: string; stepId: string } }>(
    '/api/v1/people/:personId/protocols/:instanceId/steps/:stepId/decision',
    {
      config: read,
      schema: {
        tags,
        summary:
          "Record the decision on the current step: an outcome, the step's fields, and the version you read (409 if someone else decided first)",
        params: Type.Object({ personId: Id, instanceId: Id, stepId: Id }),
        body: Type.Object({ outcome: Type.String(), version: Type.Integer() }, { additionalProperties: true }),
        response: { 200: Type.Object({ ended: Type.Boolean() }), ...errors },
      },
    },
    async (request) =>
      protocols.decide(
        requireUser(request),
        request.params.personId,
        request.params.instanceId,
        request.params.stepId,
        request.body as Body,
      ),
  );

  app.post<{ Params: { personId: string; instanceId: string; stepId: string } }>(
    '/api/v1/people/:personId/protocols/:instanceId/steps/:stepId/reassignment',
    {
      config: read,
      schema: {
        tags,
        summary: "Pass the current step to someone else (the owner's manager only)",
        params: Type.Object({ personId: Id, instanceId: Id, stepId: Id }),
        body: ReassignInput.schema,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await protocols.reassign(
        requireUser(request),
        request.params.personId,
        request.params.instanceId,
        request.params.stepId,
        ReassignInput.parse(request.body as Body, { today: protocols.today() }),
      );
      return reply.code(204).send();
    },
  );
}
