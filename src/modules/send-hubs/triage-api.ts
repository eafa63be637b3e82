// SEND hubs API (issue 13 parts 4 and 9): triage meetings with their agendas, triage outcomes and information
// received, under /api/v1/send. Same service, scope (the hubs the caller works in) and logging as the pages.
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import type { HubCtx } from './flow.ts';
import { hubIdOfRequest, requestState } from './repository-triage.ts';
import { InfoReceivedInput, MeetingHeldInput, MeetingInput, OutcomeInput } from './schemas-triage.ts';
import * as triage from './triage.ts';
import type { TriageDeps } from './triage-ehc.ts';

export const tags = ['SEND hubs'];
const work = { policy: { capability: 'send-hub:work' as const } };
const manage = { policy: { capability: 'send-hub:manage' as const } };
export const RequestParams = Type.Object({ requestId: Id });
const HubParams = Type.Object({ hubId: Id });
const MeetingParams = Type.Object({ hubId: Id, meetingId: Id });

/** Where a request is after a change: no names, the reference and the route's state. */
export const RequestState = Type.Object({
  id: Id,
  reference: Type.String(),
  status: Type.String({ description: 'held, waiting, more_info, starting, in_support, with_locality or closed' }),
  outcome: Nullable(Type.String({ description: 'The latest triage outcome' })),
  result: Nullable(Type.String({ description: 'How the request ended, once closed' })),
  step: Nullable(Type.String({ description: 'The open step of its send-support-request instance' })),
  due: Nullable(DateStr),
  navigator_user_id: Nullable(Id),
  first_response_on: Nullable(DateStr),
  support_started_on: Nullable(DateStr),
  ehcp_assessment_id: Nullable(Id),
  locality_team_id: Nullable(Id),
  triage_meeting_id: Nullable(Id),
  closed_on: Nullable(DateStr),
  version: Type.Integer(),
});

const Meeting = Type.Object({
  id: Id,
  meeting_date: DateStr,
  chair: Nullable(Type.String()),
  attendees: Nullable(Type.String()),
  held: Type.Boolean(),
});
const AgendaItem = Type.Object({
  request_id: Id,
  reference: Type.String(),
  person_id: Id,
  received_on: DateStr,
  due: Nullable(DateStr),
  overdue: Type.Boolean(),
  setting: Type.String(),
  areas_of_need: Type.Array(Type.String()),
});
const MeetingWithAgenda = Type.Object({
  ...Meeting.properties,
  agenda: Type.Array(AgendaItem),
  decided: Type.Array(Type.Object({ request_id: Id, reference: Type.String(), outcome: Nullable(Type.String()) })),
});

/** What the hub's triage and Navigator need from other modules (the EHCP and plan modules' functions). */
export function triageDeps(app: FastifyInstance): TriageDeps {
  const { ehcp, transitions } = app.services;
  return {
    startEhc: (tx, actor, personId, x, coordinatorId) => ehcp.createIn(tx, actor, personId, x, coordinatorId),
    insertAction: (tx, user, personId, input, source) => transitions.insertAction(tx, user, personId, input, source),
  };
}

/** Declares a POST on a request: the body read by `input`, the change made on the request's hub, its new state. */
export function requestAction<I>(
  app: FastifyInstance,
  path: string,
  summary: string,
  input: { schema: TSchema; parse(body: Body, c: { today: string }): I },
  act: (user: AuthUser, hubId: string, requestId: string, x: I) => Promise<unknown>,
) {
  const { ctx } = app.services.sendHubs;
  app.post(
    `/api/v1/send/requests/:requestId/${path}`,
    {
      config: work,
      schema: { tags, summary, params: RequestParams, body: input.schema, response: { 200: RequestState, ...errors } },
    },
    async (request) => {
      const user = requireUser(request);
      const { requestId } = request.params as { requestId: string };
      const x = input.parse(request.body as Body, { today: ctx.today() });
      await act(user, await hubIdOfRequest(ctx.db, user.authorityId, requestId), requestId, x);
      return requestState(ctx.db, requestId);
    },
  );
}

export function registerTriageApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const deps = triageDeps(app);
  requestAction(
    app,
    'outcome',
    'Record the triage outcome of a request waiting for triage (advice, first_support, further_support, ehc_assessment, more_info or declined); the setting is told',
    OutcomeInput,
    (user, hubId, requestId, x) => triage.recordOutcome(ctx, deps, user, hubId, requestId, x),
  );
  requestAction(
    app,
    'more-info',
    'Record the information triage asked for as received: the request goes back to triage with a new first-response date',
    InfoReceivedInput,
    (user, hubId, requestId, x) => triage.infoReceived(ctx, user, hubId, requestId, x),
  );
  meetingsApi(app, ctx);
}

function meetingsApi(app: FastifyInstance, ctx: HubCtx) {
  app.get(
    '/api/v1/send/hubs/:hubId/triage-meetings',
    {
      config: work,
      schema: {
        tags,
        summary: "The hub's triage meetings: those to come (next first), then those held (latest first)",
        params: HubParams,
        response: { 200: Type.Object({ items: Type.Array(Meeting) }), ...errors },
      },
    },
    async (request) => {
      const data = await triage.meetings(ctx, requireUser(request), (request.params as { hubId: string }).hubId);
      return { items: [...data.upcoming, ...data.held].map(meeting) };
    },
  );
  app.post(
    '/api/v1/send/hubs/:hubId/triage-meetings',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Schedule a triage meeting of the hub (one a day)',
        params: HubParams,
        body: MeetingInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const input = MeetingInput.parse(request.body as Body, { today: ctx.today() });
      const { hubId } = request.params as { hubId: string };
      return reply.code(201).send({ id: await triage.scheduleMeeting(ctx, requireUser(request), hubId, input) });
    },
  );
  app.get(
    '/api/v1/send/hubs/:hubId/triage-meetings/:meetingId',
    {
      config: work,
      schema: {
        tags,
        summary:
          "A triage meeting with its agenda by rule (the hub's requests waiting for triage received by its date, oldest first) and the requests decided at it; each young person's read is logged",
        params: MeetingParams,
        response: { 200: MeetingWithAgenda, ...errors },
      },
    },
    async (request) => {
      const { hubId, meetingId } = request.params as { hubId: string; meetingId: string };
      const data = await triage.meeting(ctx, requireUser(request), hubId, meetingId, 'api');
      return {
        ...meeting(data.meeting),
        agenda: data.agenda.map((a) => ({
          request_id: a.id,
          reference: a.reference,
          person_id: a.person_id,
          received_on: a.received_on,
          due: a.due,
          overdue: a.overdue,
          setting: a.setting,
          areas_of_need: a.areas_of_need,
        })),
        decided: data.decided.map((d) => ({ request_id: d.id, reference: d.reference, outcome: d.outcome })),
      };
    },
  );
  app.post(
    '/api/v1/send/hubs/:hubId/triage-meetings/:meetingId/held',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Mark a triage meeting held; unless next is false, the next one is scheduled a week later on the triage day',
        params: MeetingParams,
        body: MeetingHeldInput.schema,
        response: { 200: Type.Object({ next_meeting_id: Nullable(Id) }), ...errors },
      },
    },
    async (request) => {
      const { hubId, meetingId } = request.params as { hubId: string; meetingId: string };
      const input = MeetingHeldInput.parse(request.body as Body, { today: ctx.today() });
      const { nextId } = await triage.markHeld(ctx, requireUser(request), hubId, meetingId, input);
      return { next_meeting_id: nextId };
    },
  );
}

const meeting = (m: {
  id: string;
  meeting_date: string;
  chair: string | null;
  attendees: string | null;
  held: boolean;
}) => ({ id: m.id, meeting_date: m.meeting_date, chair: m.chair, attendees: m.attendees, held: m.held });
