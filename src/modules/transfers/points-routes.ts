// Transfer points: the Set up pages (/admin/transfer-points) and the JSON API (/api/v1/transfer-points). Pages:
// GOV.UK error summary and inline errors, nothing written on error, POST-redirect-GET. Reading the points is open
// to any signed-in member of staff; changing them needs org:admin.
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { DIRECTIONS, directionItems, MAX_AGE, MIN_AGE, pointCaseTypeItems } from './points.ts';
import { CASE_TYPES } from './rules.ts';

type PointParams = { pointId: string };
const V = 'transfers/views';

const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const oneOf = (values: string[], description: string) =>
  Type.Unsafe<string>({ type: 'string', enum: values, description });
const Point = Type.Object({
  id: Id,
  from_team_id: Id,
  from_team_name: Type.String(),
  to_team_id: Id,
  to_team_name: Type.String(),
  direction: Type.String(),
  at_age: Nullable(Type.Integer()),
  case_type: Nullable(Type.String()),
  note: Nullable(Type.String()),
  description: Type.String({ description: 'The point in words, e.g. "At 16" or "Step up: when child in care starts"' }),
});
const PointInput = Type.Object(
  {
    from_team_id: Id,
    to_team_id: Type.String({ format: 'uuid', description: 'A different team of your council' }),
    direction: oneOf(
      Object.keys(DIRECTIONS),
      'age: at an age; step_up: when a case type starts; step_down: when a case type ends',
    ),
    at_age: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: MIN_AGE,
          maximum: MAX_AGE,
          description: 'Needed for direction age; for a step, the youngest age it applies to',
        }),
      ),
    ),
    case_type: Type.Optional(
      Nullable(oneOf(CASE_TYPES, 'Needed for a step up or down; for an age point, only cases of this type')),
    ),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  fields: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['transfers'];

/** What the user typed, to fill the form again. */
function formValues(body: Body) {
  const { _csrf, ...rest } = body;
  return rest;
}

export function registerTransferPointRoutes(app: FastifyInstance) {
  const points = app.services.transfers.points;
  const org = { policy: { capability: 'org:admin' as const } };
  const anyStaff = { policy: { capability: null } };
  const hide = { hide: true };

  const form = async (request: FastifyRequest, extra: Record<string, unknown>) => ({
    teams: await points.teamOptions(requireUser(request)),
    directions: directionItems,
    caseTypes: pointCaseTypeItems,
    minAge: MIN_AGE,
    maxAge: MAX_AGE,
    ...extra,
  });

  /** Runs a write; on a ValidationError shows the form again (400) with the errors; otherwise 303s to the list. */
  const save = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown>,
    run: (body: Body) => Promise<unknown>,
  ) => {
    const body = (request.body ?? {}) as Body;
    try {
      await run(body);
      return reply.redirect('/admin/transfer-points', 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      reply.code(400);
      return reply.view(
        `${V}/point-form.njk`,
        await form(request, { ...extra, values: formValues(body), errors: e.fields, errorList: errorList(e.fields) }),
      );
    }
  };

  app.get('/admin/transfer-points', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/points.njk`, { points: await points.list(requireUser(request)) }),
  );

  app.get('/admin/transfer-points/new', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/point-form.njk`, await form(request, { values: { direction: 'age' } })),
  );

  app.post('/admin/transfer-points', { config: org, schema: hide }, (request, reply) =>
    save(request, reply, {}, (body) => points.create(requireUser(request), body)),
  );

  app.get<{ Params: PointParams }>(
    '/admin/transfer-points/:pointId/edit',
    { config: org, schema: hide },
    async (request, reply) => {
      const point = await points.get(requireUser(request), request.params.pointId);
      return reply.view(
        `${V}/point-form.njk`,
        await form(request, {
          point,
          values: { ...point, at_age: point.at_age === null ? '' : String(point.at_age) },
        }),
      );
    },
  );

  app.post<{ Params: PointParams }>(
    '/admin/transfer-points/:pointId/edit',
    { config: org, schema: hide },
    async (request, reply) => {
      const point = await points.get(requireUser(request), request.params.pointId);
      return save(request, reply, { point }, (body) => points.update(requireUser(request), point.id, body));
    },
  );

  app.get<{ Params: PointParams }>(
    '/admin/transfer-points/:pointId/delete',
    { config: org, schema: hide },
    async (request, reply) =>
      reply.view(`${V}/point-delete.njk`, { point: await points.get(requireUser(request), request.params.pointId) }),
  );

  app.post<{ Params: PointParams }>(
    '/admin/transfer-points/:pointId/delete',
    { config: org, schema: hide },
    async (request, reply) => {
      await points.remove(requireUser(request), request.params.pointId);
      return reply.redirect('/admin/transfer-points', 303);
    },
  );

  // ---- JSON API

  app.get(
    '/api/v1/transfer-points',
    {
      config: anyStaff,
      schema: {
        tags,
        summary: "Your council's transfer points: which team a case moves to at an age, a step up or a step down",
        response: { 200: Type.Object({ items: Type.Array(Point) }), ...errors },
      },
    },
    async (request) => ({ items: await points.list(requireUser(request)) }),
  );

  app.post(
    '/api/v1/transfer-points',
    {
      config: org,
      schema: {
        tags,
        summary:
          'Add a transfer point between two different teams of your council; one point per team and trigger (age, or case type starting or ending)',
        body: PointInput,
        response: { 201: Point, ...errors },
      },
    },
    async (request, reply) => {
      const id = await points.create(requireUser(request), request.body as Body);
      return reply.code(201).send(await points.get(requireUser(request), id));
    },
  );

  app.put(
    '/api/v1/transfer-points/:pointId',
    {
      config: org,
      schema: {
        tags,
        summary: 'Replace a transfer point',
        params: Type.Object({ pointId: Id }),
        body: PointInput,
        response: { 200: Point, ...errors },
      },
    },
    async (request) => {
      const { pointId } = request.params as PointParams;
      await points.update(requireUser(request), pointId, request.body as Body);
      return points.get(requireUser(request), pointId);
    },
  );

  app.delete(
    '/api/v1/transfer-points/:pointId',
    {
      config: org,
      schema: {
        tags,
        summary: 'Delete a transfer point (open transfers already requested are not changed)',
        params: Type.Object({ pointId: Id }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await points.remove(requireUser(request), (request.params as PointParams).pointId);
      return reply.code(204).send();
    },
  );
}
