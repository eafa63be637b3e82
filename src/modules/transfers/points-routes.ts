// Transfer points: the Set up pages (/admin/transfer-points) and the JSON API (/api/v1/transfer-points). Pages:
// GOV.UK error summary and inline errors, nothing written on error, POST-redirect-GET. Reading the points is open
// to any signed-in member of staff; changing them needs org:admin.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { bodyWithVersion, IfMatchHeaders, staleForm } from '../../http/versions.ts';
import { directionItems, pointCaseTypeItems } from './points.ts';
import { MAX_AGE, MIN_AGE, PointInput, PointUpdateInput } from './schemas.ts';
import { formValues, submit } from './submit.ts';

type PointParams = { pointId: string };
const V = 'transfers/views';

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
  version: Type.Integer({ description: 'Send it back with a change (or as If-Match); a stale one is refused (409)' }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const changeErrors = { ...errors, 409: ErrorBody };
const tags = ['transfers'];

const org = { policy: { capability: 'org:admin' as const } };
const anyStaff = { policy: { capability: null } };
const hide = { hide: true };
/** The success banner on the list after a save (issue 11 defect 8). */
const POINT_SAVED: Record<string, string> = {
  added: 'Transfer point added',
  changed: 'Transfer point changed',
  deleted: 'Transfer point deleted',
};
const pointSaved = (key: unknown) =>
  typeof key === 'string' && Object.hasOwn(POINT_SAVED, key) ? (POINT_SAVED[key] as string) : null;

export function registerTransferPointRoutes(app: FastifyInstance) {
  registerPointPages(app);
  registerPointApi(app);
}

/** The Set up pages (/admin/transfer-points). */
function registerPointPages(app: FastifyInstance) {
  const points = app.services.transfers.points;
  const ctx = () => ({ today: app.services.transfers.today() });
  const form = async (request: FastifyRequest, extra: Record<string, unknown>) => ({
    teams: await points.teamOptions(requireUser(request)),
    directions: directionItems,
    caseTypes: pointCaseTypeItems,
    minAge: MIN_AGE,
    maxAge: MAX_AGE,
    ...extra,
  });

  /**
   * Saves the point; on a ValidationError shows the form again (400) with the errors; otherwise 303s to the list. A
   * change someone else saved first shows the form again (409) with an error summary saying to reload.
   */
  const save = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown>,
    run: (body: Body) => Promise<unknown>,
  ) => {
    const again = async (e: Record<string, unknown>) =>
      reply.view(
        `${V}/point-form.njk`,
        await form(request, { ...extra, values: formValues((request.body ?? {}) as Body), ...e }),
      );
    try {
      return await submit(
        request,
        reply,
        run,
        () => `/admin/transfer-points?saved=${extra.point ? 'changed' : 'added'}`,
        again,
      );
    } catch (e) {
      const point = extra.point as { id: string } | undefined;
      if (!point) throw e;
      return staleForm(reply, e, `/admin/transfer-points/${point.id}/edit`, again);
    }
  };

  app.get('/admin/transfer-points', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/points.njk`, {
      points: await points.list(requireUser(request)),
      savedText: pointSaved((request.query as { saved?: unknown }).saved),
    }),
  );

  app.get('/admin/transfer-points/new', { config: org, schema: hide }, async (request, reply) =>
    reply.view(`${V}/point-form.njk`, await form(request, { values: { direction: 'age' } })),
  );

  app.post('/admin/transfer-points', { config: org, schema: hide }, (request, reply) =>
    save(request, reply, {}, (body) => points.create(requireUser(request), PointInput.parse(body, ctx()))),
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
      return save(request, reply, { point }, (body) =>
        points.update(requireUser(request), point.id, PointUpdateInput.parse(body, ctx())),
      );
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
      return reply.redirect('/admin/transfer-points?saved=deleted', 303);
    },
  );
}

/** The JSON API (/api/v1/transfer-points). */
function registerPointApi(app: FastifyInstance) {
  const points = app.services.transfers.points;
  const ctx = () => ({ today: app.services.transfers.today() });

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
        body: PointInput.schema,
        response: { 201: Point, ...errors },
      },
    },
    async (request, reply) => {
      const id = await points.create(requireUser(request), PointInput.parse(request.body as Body, ctx()));
      return reply.code(201).send(await points.get(requireUser(request), id));
    },
  );

  app.get(
    '/api/v1/transfer-points/:pointId',
    {
      config: anyStaff,
      schema: {
        tags,
        summary: 'A transfer point, with its version',
        params: Type.Object({ pointId: Id }),
        response: { 200: Point, ...errors },
      },
    },
    async (request) => points.get(requireUser(request), (request.params as PointParams).pointId),
  );

  app.put(
    '/api/v1/transfer-points/:pointId',
    {
      config: org,
      schema: {
        tags,
        summary:
          'Replace a transfer point. Send the version you read (body or If-Match): 409 if someone else changed it since',
        params: Type.Object({ pointId: Id }),
        headers: IfMatchHeaders,
        body: PointUpdateInput.schema,
        response: { 200: Point, ...changeErrors },
      },
    },
    async (request) => {
      const { pointId } = request.params as PointParams;
      await points.update(requireUser(request), pointId, PointUpdateInput.parse(bodyWithVersion(request), ctx()));
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
