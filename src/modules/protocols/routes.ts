import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeProtocolText, renderDiagram } from '../../domain/protocol/diagram.ts';
import { NotFound } from '../../http/errors.ts';
import { type Body, errorList, ValidationError } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerProtocolApi } from './api.ts';

type InstanceParams = { personId: string; instanceId: string };
type StepParams = InstanceParams & { stepId: string };

export function registerProtocolRoutes(app: FastifyInstance) {
  const { protocols, people } = app.services;
  const hide = { hide: true };
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };

  app.get('/protocols', { config: { policy: { capability: null } }, schema: hide }, async (_request, reply) =>
    reply.view('protocols/views/list.njk', { protocols: protocols.registry.list() }),
  );

  app.get<{ Params: { protocolKey: string } }>(
    '/protocols/:protocolKey',
    { config: { policy: { capability: null } }, schema: hide },
    async (request, reply) => {
      const def = protocols.registry.get(request.params.protocolKey);
      if (!def) throw new NotFound('No protocol with that name.');
      return reply.view('protocols/views/protocol.njk', {
        def,
        svg: renderDiagram(def),
        outline: describeProtocolText(def),
      });
    },
  );

  app.get<{ Params: { protocolKey: string } }>(
    '/protocols/:protocolKey/diagram.svg',
    { config: { policy: { capability: null } }, schema: hide },
    async (request, reply) => {
      const def = protocols.registry.get(request.params.protocolKey);
      if (!def) throw new NotFound('No protocol with that name.');
      return reply.type('image/svg+xml').send(renderDiagram(def));
    },
  );

  app.get('/protocols/team', { config: { policy: { capability: null } }, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    return reply.view('protocols/views/team.njk', { steps: await protocols.teamSteps(user) });
  });

  // Each page below shows the person, so each is one logged read of their record.
  const startForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors?: Record<string, string>,
  ) => {
    const user = requireUser(request);
    const record = await people.record(user, requirePersonAccess(request), 'page');
    return reply.view('protocols/views/start.njk', {
      person: record.person,
      involvements: record.involvements.filter((i) => !i.end_date),
      startable: await protocols.startable(user),
      chosen: protocols.registry.get(String(values.protocol_id ?? '')) ?? null,
      values,
      errors: errors ?? {},
      errorList: errors ? errorList(errors) : undefined,
    });
  };

  app.get<{ Params: { personId: string }; Querystring: { protocol?: string } }>(
    '/people/:personId/protocols/new',
    { config: read, schema: hide },
    async (request, reply) => startForm(request, reply, { protocol_id: request.query.protocol ?? '' }),
  );

  app.post<{ Params: { personId: string } }>(
    '/people/:personId/protocols',
    { config: read, schema: hide },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        const id = await protocols.start(requireUser(request), request.params.personId, body);
        return reply.redirect(`/people/${request.params.personId}/protocols/${id}`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        return startForm(request, reply, body, e.fields);
      }
    },
  );

  const instancePage = async (
    request: FastifyRequest<{ Params: InstanceParams }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const user = requireUser(request);
    const data = await protocols.instance(user, request.params.personId, request.params.instanceId);
    const person = await people.record(user, requirePersonAccess(request), 'page');
    return reply.view('protocols/views/instance.njk', {
      ...data,
      person: person.person,
      staff:
        data.canReassign || (data.currentDef?.fields ?? []).some((f) => f.type === 'user')
          ? await protocols.staff(user)
          : [],
      values: {},
      errors: {},
      ...extra,
    });
  };

  app.get<{ Params: InstanceParams }>(
    '/people/:personId/protocols/:instanceId',
    { config: read, schema: hide },
    async (request, reply) => instancePage(request, reply),
  );

  app.post<{ Params: StepParams }>(
    '/people/:personId/protocols/:instanceId/steps/:stepId/decide',
    { config: read, schema: hide },
    async (request, reply) => {
      const { personId, instanceId, stepId } = request.params;
      const body = (request.body ?? {}) as Body;
      try {
        await protocols.decide(requireUser(request), personId, instanceId, stepId, body);
        return reply.redirect(`/people/${personId}/protocols/${instanceId}`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        return instancePage(request, reply, { values: body, errors: e.fields, errorList: errorList(e.fields) });
      }
    },
  );

  app.post<{ Params: StepParams }>(
    '/people/:personId/protocols/:instanceId/steps/:stepId/reassign',
    { config: read, schema: hide },
    async (request, reply) => {
      const { personId, instanceId, stepId } = request.params;
      const body = (request.body ?? {}) as Body;
      try {
        await protocols.reassign(requireUser(request), personId, instanceId, stepId, body);
        return reply.redirect(`/people/${personId}/protocols/${instanceId}`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        return instancePage(request, reply, { errors: e.fields, errorList: errorList(e.fields) });
      }
    },
  );

  registerProtocolApi(app);
}
