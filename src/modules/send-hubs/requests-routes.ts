// SEND hubs (issue 13 parts 2 and 3): the request pages. The setting's side (/setting…: its requests, the form, a
// confirmation with the reference, the status page and consent) under the settingRequest policy; the hub's side
// (/hubs…: the hubs I work in, a hub's requests by status, logging a phone or email request, the request's page
// and consent) scoped by requireHub. Forms post and redirect with ?saved=<key>, or show again with an error summary.
// The API is requests-api.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formValues, postForm, type Shown } from '../../http/form-post.ts';
import { type Body, dateInput, errorList, list, text } from '../../http/forms.ts';
import { requireSettingAccess, requireUser } from '../../http/request.ts';
import type { HubCtx } from './flow.ts';
import * as setting from './requests.ts';
import { registerRequestsApi } from './requests-api.ts';
import * as hub from './requests-hub.ts';
import {
  AREAS_OF_NEED,
  CONSENT,
  cycleCount,
  cycleField,
  DEFAULT_CYCLES,
  MAX_CYCLES,
  RECEIVED_VIA,
  REQUEST_DATE_FIELDS,
} from './schemas-requests.ts';

const hide = { hide: true };
const submit = { policy: { capability: 'support-request:submit' as const } };
const own = { policy: { capability: 'support-request:submit' as const, settingRequest: 'requestId' } };
const work = { policy: { capability: 'send-hub:work' as const } };
const choicesOf = (settings: { id: string; name: string }[]) => ({
  settings,
  settingChoices: Object.fromEntries(settings.map((s) => [s.id, s.name])),
});
const lists = { areas: AREAS_OF_NEED, consents: CONSENT, vias: RECEIVED_VIA, maxCycles: MAX_CYCLES };
const SAVED: Record<string, string> = {
  consent: 'Consent recorded: the request goes to the hub’s triage',
  logged: 'Request logged',
};
const saved = (req: FastifyRequest) => SAVED[String((req.query as Record<string, unknown>)?.saved ?? '')];
type Hub = { hubId: string };
type HubReq = Hub & { requestId: string };
type Req = { requestId: string };

/** The form again: what was typed, dates as their three boxes, the cycles shown; error links to the day boxes. */
function again(body: Body, shown?: Shown, cycles = cycleCount(body)) {
  const values: Body = { ...formValues(body), areas_of_need: list(body, 'areas_of_need') };
  const dates = ['date_of_birth', 'plan_review_date', ...REQUEST_DATE_FIELDS];
  for (let n = 1; n <= cycles; n++) dates.push(cycleField(n, 'from'), cycleField(n, 'to'));
  for (const d of dates) values[d] = dateInput(body, d).parts;
  const list_ = shown
    ? errorList(shown.errors).map((e) => ({
        ...e,
        href: (REQUEST_DATE_FIELDS as readonly string[]).includes(e.href.slice(1)) ? `${e.href}-day` : e.href,
      }))
    : undefined;
  return { values, errors: shown?.errors ?? {}, errorList: list_, cycleCount: cycles };
}

export function registerRequestsRoutes(app: FastifyInstance): void {
  const ctx = app.services.sendHubs.ctx;
  registerRequestsApi(app);
  settingPages(app, ctx);
  hubPages(app, ctx);
}

function settingPages(app: FastifyInstance, ctx: HubCtx) {
  app.get('/setting', { config: submit, schema: hide }, async (req, reply) =>
    reply.view('send-hubs/views/setting-home.njk', { ...(await setting.settingHome(ctx, requireUser(req))) }),
  );
  const form = async (req: FastifyRequest, reply: FastifyReply, extra: object) =>
    reply.view('send-hubs/views/requests-form.njk', {
      ...lists,
      mode: 'setting',
      action: '/setting/requests',
      back: '/setting',
      ...choicesOf(await setting.mySettings(ctx, requireUser(req))),
      ...extra,
    });
  app.get('/setting/requests/new', { config: submit, schema: hide }, (req, reply) =>
    form(req, reply, { values: {}, errors: {}, cycleCount: DEFAULT_CYCLES }),
  );
  app.post('/setting/requests', { config: submit, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    if (text(body, 'add_cycle'))
      return form(req, reply, again(body, undefined, Math.min(cycleCount(body) + 1, MAX_CYCLES)));
    return postForm(
      reply,
      body,
      async () => {
        const r = await setting.submitAsSetting(ctx, requireUser(req), body);
        return `/setting/requests/${r.id}/confirmation`;
      },
      (shown) => form(req, reply, again(body, shown)),
    );
  });
  app.get<{ Params: Req }>(
    '/setting/requests/:requestId/confirmation',
    { config: own, schema: hide },
    async (req, reply) =>
      reply.view('send-hubs/views/setting-confirmation.njk', {
        r: await setting.settingStatus(ctx, requireSettingAccess(req)),
      }),
  );
  app.get<{ Params: Req }>('/setting/requests/:requestId', { config: own, schema: hide }, async (req, reply) =>
    reply.view('send-hubs/views/setting-request.njk', {
      r: await setting.settingStatus(ctx, requireSettingAccess(req)),
      savedText: saved(req),
    }),
  );
  const consentForm = async (req: FastifyRequest, reply: FastifyReply, extra: object) =>
    reply.view('send-hubs/views/setting-consent.njk', {
      r: await setting.settingStatus(ctx, requireSettingAccess(req)),
      values: {},
      errors: {},
      ...extra,
    });
  app.get<{ Params: Req }>('/setting/requests/:requestId/consent', { config: own, schema: hide }, (req, reply) =>
    consentForm(req, reply, {}),
  );
  app.post<{ Params: Req }>(
    '/setting/requests/:requestId/consent',
    { config: own, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      return postForm(
        reply,
        body,
        async () => {
          await setting.consentBySetting(ctx, requireUser(req), requireSettingAccess(req), body);
          return `/setting/requests/${req.params.requestId}?saved=consent`;
        },
        (shown) => consentForm(req, reply, consentAgain(body, shown)),
      );
    },
  );
}

function consentAgain(body: Body, shown: Shown) {
  return {
    ...shown,
    values: { ...shown.values, consent_on: dateInput(body, 'consent_on').parts },
    errorList: shown.errorList.map((e) => (e.href === '#consent_on' ? { ...e, href: '#consent_on-day' } : e)),
  };
}

function hubPages(app: FastifyInstance, ctx: HubCtx) {
  app.get('/hubs', { config: work, schema: hide }, async (req, reply) =>
    reply.view('send-hubs/views/hub-list.njk', { hubs: await hub.myHubs(ctx, requireUser(req)) }),
  );
  app.get<{ Params: Hub }>('/hubs/:hubId', { config: work, schema: hide }, async (req, reply) =>
    reply.view('send-hubs/views/hub-home.njk', {
      ...(await hub.hubHome(ctx, requireUser(req), req.params.hubId, { channel: 'page' })),
      savedText: saved(req),
    }),
  );
  const form = async (req: FastifyRequest<{ Params: Hub }>, reply: FastifyReply, extra: object) => {
    const { hub: h, settings } = await hub.hubSettings(ctx, requireUser(req), req.params.hubId);
    return reply.view('send-hubs/views/requests-form.njk', {
      ...lists,
      mode: 'hub',
      hub: h,
      action: `/hubs/${h.id}/requests`,
      back: `/hubs/${h.id}`,
      ...choicesOf(settings),
      ...extra,
    });
  };
  app.get<{ Params: Hub }>('/hubs/:hubId/requests/new', { config: work, schema: hide }, (req, reply) =>
    form(req, reply, { values: {}, errors: {}, cycleCount: DEFAULT_CYCLES }),
  );
  app.post<{ Params: Hub }>('/hubs/:hubId/requests', { config: work, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    if (text(body, 'add_cycle'))
      return form(req, reply, again(body, undefined, Math.min(cycleCount(body) + 1, MAX_CYCLES)));
    return postForm(
      reply,
      body,
      async () => {
        const r = await hub.logForHub(ctx, requireUser(req), req.params.hubId, body);
        return `/hubs/${req.params.hubId}/requests/${r.id}?saved=logged`;
      },
      (shown) => form(req, reply, again(body, shown)),
    );
  });
  const page = async (req: FastifyRequest<{ Params: HubReq }>, reply: FastifyReply, extra: object) =>
    reply.view('send-hubs/views/hub-request.njk', {
      ...(await hub.hubRequestPage(ctx, requireUser(req), req.params.hubId, req.params.requestId, 'page')),
      areas: AREAS_OF_NEED,
      consents: CONSENT,
      values: {},
      errors: {},
      savedText: saved(req),
      ...extra,
    });
  app.get<{ Params: HubReq }>('/hubs/:hubId/requests/:requestId', { config: work, schema: hide }, (req, reply) =>
    page(req, reply, {}),
  );
  app.post<{ Params: HubReq }>(
    '/hubs/:hubId/requests/:requestId/consent',
    { config: work, schema: hide },
    async (req, reply) => {
      const body = (req.body ?? {}) as Body;
      const { hubId, requestId } = req.params;
      return postForm(
        reply,
        body,
        async () => {
          await hub.consentByHub(ctx, requireUser(req), hubId, requestId, body);
          return `/hubs/${hubId}/requests/${requestId}?saved=consent`;
        },
        (shown) => page(req, reply, consentAgain(body, shown)),
      );
    },
  );
}
