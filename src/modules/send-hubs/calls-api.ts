// SEND hubs (issue 13 parts 7 and 9): the telephone advice log's JSON API under the pages' rules (the hub's staff,
// send-hub:work; another hub is not found): the log with its filters and counts, logging a call (person_id links a
// young person whose record the caller may open; left out or null, the call stays anonymous), one call (the linked
// young person named only to someone who may open the record, the read logged), and marking its follow-up done.
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, DateStr, DateTime, errors, errorsOf, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { callLog, followUpDone, logCall, showCall } from './calls.ts';
import { CALL_TOPICS, CALLER_TYPES, CallFilterInput, CallInput } from './schemas-calls.ts';

const work = { policy: { capability: 'send-hub:work' as const } };
const tags = ['SEND hubs'];
const HubParams = Type.Object({ hubId: Id });
const CallParams = Type.Object({ hubId: Id, callId: Id });
const Topic = Type.Union(CALL_TOPICS.map((t) => Type.Literal(t)));
const Caller = Type.Union(CALLER_TYPES.map((t) => Type.Literal(t)));
const Count = Type.Object(
  { key: Type.String(), label: Type.String(), count: Type.Integer() },
  { additionalProperties: false },
);

const CallSummary = Type.Object(
  {
    id: Id,
    called_on: DateStr,
    caller_type: Caller,
    topic: Topic,
    setting_id: Nullable(Id),
    setting_name: Nullable(Type.String()),
    signposted_to: Nullable(Type.String()),
    follow_up: Nullable(Type.String()),
    follow_up_owner_name: Nullable(Type.String()),
    follow_up_due: Nullable(DateStr),
    follow_up_done_on: Nullable(DateStr),
    linked_to_a_record: Type.Boolean({ description: 'The call is linked to a young person (never named in the log)' }),
  },
  { additionalProperties: false },
);
const Call = Type.Object(
  {
    id: Id,
    hub_id: Id,
    called_on: DateStr,
    caller_type: Caller,
    topic: Topic,
    setting_id: Nullable(Id),
    setting_name: Nullable(Type.String()),
    advice: Type.String(),
    signposted_to: Nullable(Type.String()),
    follow_up: Nullable(Type.String()),
    follow_up_owner_id: Nullable(Id),
    follow_up_owner_name: Nullable(Type.String()),
    follow_up_due: Nullable(DateStr),
    follow_up_done_on: Nullable(DateStr),
    linked_to_a_record: Type.Boolean(),
    person: Nullable(
      Type.Object(
        { id: Id, name: Type.String(), case_number: Type.String() },
        { additionalProperties: false, description: 'Only when you may open the young person’s record' },
      ),
    ),
    recorded_by_name: Type.String(),
    recorded_at: DateTime,
  },
  { additionalProperties: false },
);
const CallList = Type.Object(
  {
    total: Type.Integer({ description: 'Calls matching the filters (the list shows the newest 200)' }),
    by_topic: Type.Array(Count),
    by_caller_type: Type.Array(Count),
    items: Type.Array(CallSummary),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    month: Type.Optional(Type.String({ description: 'YYYY-MM' })),
    topic: Type.Optional(Type.String({ description: CALL_TOPICS.join(', ') })),
    caller_type: Type.Optional(Type.String({ description: CALLER_TYPES.join(', ') })),
  },
  { additionalProperties: false },
);

export function registerCallsApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;

  app.get<{ Params: Static<typeof HubParams>; Querystring: Static<typeof ListQuery> }>(
    '/api/v1/send/hubs/:hubId/calls',
    {
      config: work,
      schema: {
        tags,
        summary: 'The hub’s telephone advice log, newest first, with counts by topic and by who called (no names)',
        params: HubParams,
        querystring: ListQuery,
        response: { 200: CallList, ...errors },
      },
    },
    async (request) => {
      const filter = CallFilterInput.parse(request.query as Body, { today: ctx.today() });
      const r = await callLog(ctx, requireUser(request), request.params.hubId, filter);
      return {
        total: r.total,
        by_topic: r.byTopic,
        by_caller_type: r.byCaller,
        items: r.calls.map(({ linked, ...c }) => ({ ...c, linked_to_a_record: linked })),
      };
    },
  );

  app.post<{ Params: Static<typeof HubParams> }>(
    '/api/v1/send/hubs/:hubId/calls',
    {
      config: work,
      schema: {
        tags,
        summary:
          'Log an advice call; person_id links a young person whose record you may open (leave out or null to keep it anonymous); follow_up, its owner (hub staff) and due date go together',
        params: HubParams,
        body: CallInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const input = CallInput.parse(request.body as Body, { today: ctx.today() });
      const id = await logCall(ctx, requireUser(request), request.params.hubId, input);
      return reply.code(201).send({ id });
    },
  );

  app.get<{ Params: Static<typeof CallParams> }>(
    '/api/v1/send/hubs/:hubId/calls/:callId',
    {
      config: work,
      schema: {
        tags,
        summary: 'One advice call (a linked young person named only if you may open their record; that read is logged)',
        params: CallParams,
        response: { 200: Call, ...errors },
      },
    },
    async (request) => {
      const {
        call: c,
        linked,
        person,
      } = await showCall(ctx, requireUser(request), request.params.hubId, request.params.callId, 'api');
      return {
        id: c.id,
        hub_id: c.hub_id,
        called_on: c.called_on,
        caller_type: c.caller_type,
        topic: c.topic,
        setting_id: c.setting_id,
        setting_name: c.setting_name,
        advice: c.advice,
        signposted_to: c.signposted_to,
        follow_up: c.follow_up,
        follow_up_owner_id: c.follow_up_owner_id,
        follow_up_owner_name: c.follow_up_owner_name,
        follow_up_due: c.follow_up_due,
        follow_up_done_on: c.follow_up_done_on,
        linked_to_a_record: linked,
        person: person ? { id: person.id, name: person.name, case_number: person.caseNumber } : null,
        recorded_by_name: c.recorded_by_name,
        recorded_at: c.created_at.toISOString(),
      };
    },
  );

  app.post<{ Params: Static<typeof CallParams> }>(
    '/api/v1/send/hubs/:hubId/calls/:callId/follow-up-done',
    {
      config: work,
      schema: {
        tags,
        summary: 'Mark the call’s follow-up done (any of the hub’s staff); it leaves its owner’s My work',
        params: CallParams,
        response: { 204: Type.Null(), ...errorsOf(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await followUpDone(ctx, requireUser(request), request.params.hubId, request.params.callId);
      return reply.code(204).send();
    },
  );
}
