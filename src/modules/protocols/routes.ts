import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeProtocolText, renderDiagram } from '../../domain/protocol/diagram.ts';
import { NotFound } from '../../http/errors.ts';
import { postForm } from '../../http/form-post.ts';
import { type Body, errorList } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { registerProtocolApi } from './api.ts';
import { ReassignInput } from './schemas.ts';

type InstanceParams = { personId: string; instanceId: string };
type StepParams = InstanceParams & { stepId: string };

/** What the success banner on a protocol's page says after a save; the redirect names the save with `?saved=`. */
const SAVED = {
  decided: 'Decision recorded',
  reassigned: 'Step passed to its new owner',
} as const;
type SavedKey = keyof typeof SAVED;

export function registerProtocolRoutes(app: FastifyInstance) {
  const { protocols, people } = app.services;
  const hide = { hide: true };
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };

  app.get('/protocols', { config: { policy: { capability: null } }, schema: hide }, async (_request, reply) =>
    reply.view('protocols/views/list.njk', { protocols: protocols.registry.list() }),
  );

  const definition = (key: string) => {
    const def = protocols.registry.get(key);
    if (!def) throw new NotFound('No protocol with that name.');
    return def;
  };

  app.get<{ Params: { protocolKey: string } }>(
    '/protocols/:protocolKey',
    { config: { policy: { capability: null } }, schema: hide },
    async (request, reply) => {
      const def = definition(request.params.protocolKey);
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
      const def = definition(request.params.protocolKey);
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
      return postForm(
        reply,
        body,
        async () =>
          `/people/${request.params.personId}/protocols/${await protocols.start(requireUser(request), request.params.personId, body)}`,
        ({ errors }) => startForm(request, reply, body, errors),
      );
    },
  );

  const instancePage = async (
    request: FastifyRequest<{ Params: InstanceParams }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const user = requireUser(request);
    const data = await protocols.instance(user, request.params.personId, request.params.instanceId);
    const query = String((request.query as Body | undefined)?.q ?? '');
    const person = await people.record(user, requirePersonAccess(request), 'page');
    const what = String((request.query as Body | undefined)?.saved ?? '');
    return reply.view('protocols/views/instance.njk', {
      ...data,
      person: person.person,
      savedText: Object.hasOwn(SAVED, what) ? SAVED[what as SavedKey] : null,
      staff: data.canReassign ? await protocols.staff(user, data.current, query) : null,
      people:
        data.canDecide && (data.currentDef?.fields ?? []).some((f) => f.type === 'user')
          ? await protocols.people(user, query)
          : null,
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

  // Deciding a step and passing it to someone else: both come back to the instance page (with what was typed for a
  // decision) on bad input.
  const stepActions: {
    path: string;
    saved: SavedKey;
    act: (u: AuthUser, p: string, i: string, st: string, b: Body) => Promise<unknown>;
    keepValues: boolean;
  }[] = [
    { path: 'decide', saved: 'decided', act: protocols.decide.bind(protocols), keepValues: true },
    {
      path: 'reassign',
      saved: 'reassigned',
      act: (u: AuthUser, p: string, i: string, st: string, b: Body) =>
        protocols.reassign(u, p, i, st, ReassignInput.parse(b, { today: protocols.today() })),
      keepValues: false,
    },
  ];
  for (const { path, saved, act, keepValues } of stepActions)
    app.post<{ Params: StepParams }>(
      `/people/:personId/protocols/:instanceId/steps/:stepId/${path}`,
      { config: read, schema: hide },
      async (request, reply) => {
        const { personId, instanceId, stepId } = request.params;
        const body = (request.body ?? {}) as Body;
        return postForm(
          reply,
          body,
          async () => {
            await act(requireUser(request), personId, instanceId, stepId, body);
            return `/people/${personId}/protocols/${instanceId}?saved=${saved}`;
          },
          ({ errors, errorList }) =>
            instancePage(request, reply, { ...(keepValues ? { values: body } : {}), errors, errorList }),
        );
      },
    );

  registerProtocolApi(app);
}
