// SEND hubs (issue 13 parts 2, 3 and 9): the requests API. Hub staff list the hubs they work in and a hub's
// requests, read one request in full (the read logged) and log a request received by phone or email; a setting's
// account submits online, lists its settings' requests and reads one (status only: settingRequest policy), and
// records consent. The APDR cycles travel as a JSON list. Same services, access rules and logging as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import { Forbidden } from '../../http/errors.ts';
import { type Body, ValidationError } from '../../http/forms.ts';
import { requireSettingAccess, requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { settingIdsOf } from './access.ts';
import type { HubCtx } from './flow.ts';
import { submitRequest } from './intake.ts';
import { requestStatus } from './repository-requests.ts';
import * as setting from './requests.ts';
import * as hub from './requests-hub.ts';
import {
  ApdrCycleSchema,
  AREAS_OF_NEED,
  ConsentInput,
  RequestApiBody,
  RequestInput,
  readCycles,
} from './schemas-requests.ts';

const tags = ['SEND hubs'];
const work = { policy: { capability: 'send-hub:work' as const } };
const submit = { policy: { capability: 'support-request:submit' as const } };
const own = { policy: { capability: 'support-request:submit' as const, settingRequest: 'requestId' } };
/** Setting accounts and hub staff both submit; the service decides which after reading the body. */
const anyone = { policy: { capability: null } };

const Status = Type.Union(
  hub.STATUSES.map((s) => Type.Literal(s)),
  {
    description: 'held (consent missing), waiting (for triage), more_info, starting, in_support, with_locality, closed',
  },
);
const HubSummary = Type.Object({
  id: Id,
  name: Type.String(),
  locality_name: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'Requests by status' }),
});
const HubRequestItem = Type.Object({
  id: Id,
  reference: Type.String(),
  person_id: Id,
  given_name: Type.String(),
  family_name: Type.String(),
  setting_id: Id,
  setting_name: Type.String(),
  received_on: DateStr,
  received_via: Type.String(),
  status: Status,
  missing: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  result: Nullable(Type.String()),
  closed_on: Nullable(DateStr),
  areas_of_need: Type.Array(Type.String()),
  step: Nullable(Type.String({ description: 'The open step of send-support-request' })),
  due: Nullable(DateStr),
  overdue_by: Type.Integer({ description: 'Working days past the open step’s due date (0: not overdue)' }),
});
const Clocks = Type.Object({
  received_on: DateStr,
  complete_on: Nullable(DateStr),
  first_response_target: Type.Integer({ description: 'Working days (the hub’s target)' }),
  first_response_due: Nullable(DateStr),
  first_response_on: Nullable(DateStr),
  first_response_days: Nullable(Type.Integer()),
  support_start_target: Type.Integer(),
  support_start_due: Nullable(DateStr),
  support_started_on: Nullable(DateStr),
  support_start_days: Nullable(Type.Integer()),
  days_since_received: Type.Integer(),
  due: Nullable(DateStr),
  overdue_by: Type.Integer(),
});
const HubRequest = Type.Object({
  id: Id,
  reference: Type.String(),
  hub_id: Id,
  setting: Type.Object({ id: Id, name: Type.String() }),
  person: Type.Object({
    id: Id,
    given_name: Type.String(),
    family_name: Type.String(),
    date_of_birth: Nullable(DateStr),
    upn: Nullable(Type.String()),
    case_number: Type.String(),
  }),
  child_name: Nullable(Type.String({ description: 'As the setting gave it' })),
  received_on: DateStr,
  received_via: Type.String(),
  submitted_by: Type.String(),
  contact_name: Nullable(Type.String()),
  year_group: Nullable(Type.String()),
  areas_of_need: Type.Array(Type.String(), { description: Object.keys(AREAS_OF_NEED).join(', ') }),
  apdr_cycles: Type.Array(ApdrCycleSchema),
  sen_support_since: Nullable(DateStr),
  current_plan: Nullable(Type.String()),
  plan_review_date: Nullable(DateStr),
  asking_for: Type.String(),
  parent_views: Nullable(Type.String()),
  consent: Type.String(),
  consent_on: Nullable(DateStr),
  status: Status,
  outcome: Nullable(Type.String()),
  result: Nullable(Type.String()),
  closed_on: Nullable(DateStr),
  navigator: Nullable(Type.String()),
  step: Nullable(Type.String()),
  step_title: Nullable(Type.String()),
  owner: Nullable(Type.String()),
  escalations: Type.Integer(),
  clocks: Clocks,
  version: Type.Integer(),
});
const SettingRequest = Type.Object({
  id: Id,
  reference: Type.String(),
  child_name: Nullable(Type.String()),
  received_on: DateStr,
  status: Status,
  status_words: Type.String(),
  missing: Nullable(Type.String({ description: 'What the hub is waiting for, e.g. parent carer consent' })),
});
const SettingRequestStatus = Type.Object({
  ...SettingRequest.properties,
  setting_name: Type.String(),
  outcome: Nullable(Type.String()),
  outcome_words: Nullable(Type.String()),
  closed_on: Nullable(DateStr),
  next_step: Nullable(Type.Object({ label: Type.String(), due: DateStr })),
});
const Submitted = Type.Object({ id: Id, reference: Type.String(), status: Status });
const HubParams = Type.Object({ hubId: Id });
const ReqParams = Type.Object({ requestId: Id });

export function registerRequestsApi(app: FastifyInstance) {
  const ctx = app.services.sendHubs.ctx;
  hubApi(app, ctx);
  settingApi(app, ctx);
}

function hubApi(app: FastifyInstance, ctx: HubCtx) {
  app.get(
    '/api/v1/send/my-hubs',
    {
      config: work,
      schema: {
        tags,
        summary: 'The SEND hubs I work in, with requests counted by status',
        response: { 200: Type.Object({ items: Type.Array(HubSummary) }), ...errors },
      },
    },
    async (req) => ({ items: await hub.myHubs(ctx, requireUser(req)) }),
  );
  app.get(
    '/api/v1/send/hubs/:hubId/requests',
    {
      config: work,
      schema: {
        tags,
        summary: 'A hub’s requests (open, and closed in the last 30 days), optionally of one status',
        params: HubParams,
        querystring: Type.Object({ status: Type.Optional(Status) }),
        response: { 200: Type.Object({ items: Type.Array(HubRequestItem) }), ...errors },
      },
    },
    async (req) => {
      const { hubId } = req.params as { hubId: string };
      const { status } = (req.query ?? {}) as { status?: (typeof hub.STATUSES)[number] };
      const data = await hub.hubHome(ctx, requireUser(req), hubId, { status: status ?? null, channel: 'api' });
      return { items: data.requests };
    },
  );
  app.get(
    '/api/v1/send/requests/:requestId',
    {
      config: work,
      schema: {
        tags,
        summary: 'A request in full, for staff of its hub (the read is logged)',
        params: ReqParams,
        response: { 200: HubRequest, ...errors },
      },
    },
    async (req) =>
      fullRequest(
        await hub.hubRequestPage(ctx, requireUser(req), null, (req.params as { requestId: string }).requestId, 'api'),
      ),
  );
  app.post(
    '/api/v1/send/requests',
    {
      config: anyone,
      schema: {
        tags,
        summary:
          'Submit a request for SEND support: a setting’s account for one of its settings (online), or hub staff for a setting their hub serves (received_via phone or email). Without consent it is held.',
        body: RequestApiBody,
        response: { 201: Submitted, ...errors },
      },
    },
    async (req, reply) => {
      const r = await submitByApi(ctx, requireUser(req), req.body as Body);
      return reply.code(201).send(r);
    },
  );
}

/** Reads the body first (bad input is named whoever sends it), then who may submit for which settings. */
async function submitByApi(ctx: HubCtx, user: AuthUser, body: Body) {
  const today = ctx.today();
  const shape = { ...RequestInput.read(body, { today }).errors, ...readCycles(body, today).errors };
  if (Object.keys(shape).length) throw new ValidationError(shape);
  const by: setting.Submitter | null = user.caps.has('support-request:submit')
    ? { kind: 'setting', settingIds: await settingIdsOf(ctx.db, user) }
    : user.caps.has('send-hub:work')
      ? { kind: 'hub', settingIds: await hub.hubSettingIds(ctx, user) }
      : null;
  if (!by) throw new Forbidden('Only a setting’s account or SEND hub staff can submit a request for SEND support.');
  const input = setting.readRequest(body, today, by);
  return ctx.db.transaction().execute(async (tx) => {
    const r = await submitRequest(ctx, tx, { id: user.id, authorityId: user.authorityId }, input);
    const row = await requestStatus(tx, r.id);
    return { id: r.id, reference: r.reference, status: row?.status ?? 'held' };
  });
}

function fullRequest(p: hub.HubRequestPage) {
  const r = p.request;
  return {
    id: r.id,
    reference: r.reference,
    hub_id: r.hub_id,
    setting: { id: r.setting_id, name: r.setting_name },
    person: {
      id: r.person_id,
      given_name: r.given_name,
      family_name: r.family_name,
      date_of_birth: r.date_of_birth,
      upn: r.upn,
      case_number: r.case_number,
    },
    child_name: r.child_name,
    received_on: r.received_on,
    received_via: r.received_via,
    submitted_by: r.submitted_by_name,
    contact_name: r.contact_name,
    year_group: r.year_group,
    areas_of_need: r.areas_of_need,
    apdr_cycles: r.apdr_cycles,
    sen_support_since: r.sen_support_since,
    current_plan: r.current_plan,
    plan_review_date: r.plan_review_date,
    asking_for: r.asking_for,
    parent_views: r.parent_views,
    consent: r.consent,
    consent_on: r.consent_on,
    status: r.status,
    outcome: r.outcome,
    result: r.result,
    closed_on: r.closed_on,
    navigator: r.navigator_name,
    step: p.state?.step ?? null,
    step_title: p.state?.stepTitle ?? null,
    owner: p.state?.ownerLabel ?? null,
    escalations: p.state?.escalations ?? 0,
    clocks: p.clocks,
    version: r.version,
  };
}

function settingApi(app: FastifyInstance, ctx: HubCtx) {
  app.get(
    '/api/v1/setting/requests',
    {
      config: submit,
      schema: {
        tags,
        summary: 'My settings’ requests for SEND support and their status',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ ...SettingRequest.properties, setting_id: Id, setting_name: Type.String() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const data = await setting.settingHome(ctx, requireUser(req));
      return {
        items: data.settings.flatMap((s) => s.requests.map((r) => ({ ...r, setting_id: s.id, setting_name: s.name }))),
      };
    },
  );
  app.get(
    '/api/v1/setting/requests/:requestId',
    {
      config: own,
      schema: {
        tags,
        summary: 'One of my settings’ requests: status only',
        params: ReqParams,
        response: { 200: SettingRequestStatus, ...errors },
      },
    },
    async (req) => setting.settingStatus(ctx, requireSettingAccess(req)),
  );
  app.post(
    '/api/v1/setting/requests/:requestId/consent',
    {
      config: own,
      schema: {
        tags,
        summary: 'Record the parent carer’s consent on a held request: it goes to the hub’s triage',
        params: ReqParams,
        body: ConsentInput.schema,
        response: { 200: SettingRequestStatus, ...errors },
      },
    },
    async (req) => {
      const access = requireSettingAccess(req);
      await setting.consentBySetting(ctx, requireUser(req), access, req.body as Body);
      return setting.settingStatus(ctx, access);
    },
  );
}
