// SEND hubs (issue 13 part 1): the Set up pages for the council's IT administrator (org:admin): hubs in use
// (/admin/hubs), a locality's Further SEND Support (/admin/localities/:localityId/send), and settings with their
// organisation accounts (/admin/settings). Forms post and redirect with ?saved=<key>, or show the page again with an
// error summary (400), or, when someone else saved the hub, locality or setting first, with a reload message (409).
// The API is in setup-api.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import {
  HUB_SERVICE_KINDS,
  SetupHubInput,
  SetupHubServiceInput,
  SetupLocalityInput,
  TARGET_DEFAULT,
  WEEKDAYS,
} from './schemas-setup.ts';
import {
  addHubService,
  hubSetup,
  hubsByLocality,
  localitySetup,
  saveHub,
  saveLocality,
  setHubServiceActive,
} from './setup.ts';
import { registerSetupApi } from './setup-api.ts';
import { formPost, hide, org, savedText } from './setup-pages.ts';
import { registerSettingPages } from './setup-setting-routes.ts';

const V = 'send-hubs/views';
type HubP = { hubId: string };
type Ctx = FastifyInstance['services']['sendHubs']['ctx'];
type ServiceP = HubP & { serviceId: string };
type LocalityP = { localityId: string };

const weekdayItems = Object.entries(WEEKDAYS).map(([value, t]) => ({ value, text: t }));
const serviceKindItems = Object.entries(HUB_SERVICE_KINDS).map(([value, t]) => ({ value, text: t }));

export function registerSetupRoutes(app: FastifyInstance): void {
  hubPages(app);
  servicePages(app);
  localityPages(app);
  registerSettingPages(app);
  registerSetupApi(app);
}

/** A hub's page, with the hub form's or the service form's values and errors when given. */
async function hubPage(
  ctx: Ctx,
  req: FastifyRequest<{ Params: HubP }>,
  reply: FastifyReply,
  shown: { values?: Body; serviceValues?: Body; errors?: Shown['errors']; errorList?: Shown['errorList'] } = {},
) {
  const data = await hubSetup(ctx, requireUser(req), req.params.hubId);
  const h = data.hub;
  const values = shown.values ?? {
    manager_user_id: h.manager_user_id ?? '',
    team_id: h.team_id ?? '',
    first_response_working_days: String(h.first_response_working_days),
    support_start_working_days: String(h.support_start_working_days),
    triage_weekday: String(h.triage_weekday),
    version: String(h.version),
  };
  return reply.view(`${V}/setup-hub.njk`, {
    ...data,
    values,
    serviceValues: shown.serviceValues ?? {},
    errors: shown.errors ?? {},
    errorList: shown.errorList,
    weekdayItems,
    serviceKindItems,
    targetDefault: TARGET_DEFAULT,
    savedText: savedText(req),
  });
}

function hubPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;

  app.get('/admin/hubs', { config: org, schema: hide }, async (req, reply) =>
    reply.view(`${V}/setup-hubs.njk`, { ...(await hubsByLocality(ctx, requireUser(req))), savedText: savedText(req) }),
  );

  app.get<{ Params: HubP }>('/admin/hubs/:hubId', { config: org, schema: hide }, (req, reply) =>
    hubPage(ctx, req, reply),
  );

  app.post<{ Params: HubP }>('/admin/hubs/:hubId', { config: org, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const at = `/admin/hubs/${req.params.hubId}`;
    return formPost(
      reply,
      body,
      async () => {
        await saveHub(ctx, requireUser(req), req.params.hubId, SetupHubInput.read(body, { today: ctx.today() }));
        return `${at}?saved=hub`;
      },
      (shown) => hubPage(ctx, req, reply, shown),
      at,
    );
  });
}

/** A hub's services: one added, one deactivated or reactivated. */
function servicePages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  app.post<{ Params: HubP }>('/admin/hubs/:hubId/services', { config: org, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return postForm(
      reply,
      body,
      async () => {
        await addHubService(
          ctx,
          requireUser(req),
          req.params.hubId,
          SetupHubServiceInput.parse(body, { today: ctx.today() }),
        );
        return `/admin/hubs/${req.params.hubId}?saved=service`;
      },
      (shown) =>
        hubPage(ctx, req, reply, { serviceValues: shown.values, errors: shown.errors, errorList: shown.errorList }),
    );
  });

  for (const [path, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const)
    app.post<{ Params: ServiceP }>(
      `/admin/hubs/:hubId/services/:serviceId/${path}`,
      { config: org, schema: hide },
      async (req, reply) => {
        await setHubServiceActive(ctx, requireUser(req), req.params.hubId, req.params.serviceId, active);
        return reply.redirect(`/admin/hubs/${req.params.hubId}?saved=service-${active ? 'on' : 'off'}`, 303);
      },
    );
}

function localityPages(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;

  const page = async (req: FastifyRequest<{ Params: LocalityP }>, reply: FastifyReply, shown?: Shown) => {
    const data = await localitySetup(ctx, requireUser(req), req.params.localityId);
    const l = data.locality;
    return reply.view(`${V}/setup-locality.njk`, {
      ...data,
      values: shown?.values ?? {
        manager_user_id: l.manager_user_id ?? '',
        team_id: l.team_id ?? '',
        version: String(l.version),
      },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList,
      savedText: savedText(req),
    });
  };

  app.get<{ Params: LocalityP }>('/admin/localities/:localityId/send', { config: org, schema: hide }, (req, reply) =>
    page(req, reply),
  );

  app.post<{ Params: LocalityP }>(
    '/admin/localities/:localityId/send',
    { config: org, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const at = `/admin/localities/${req.params.localityId}/send`;
      return formPost(
        reply,
        body,
        async () => {
          await saveLocality(
            ctx,
            requireUser(req),
            req.params.localityId,
            SetupLocalityInput.read(body, { today: ctx.today() }),
          );
          return `${at}?saved=locality`;
        },
        (shown) => page(req, reply, shown),
        at,
      );
    },
  );
}
