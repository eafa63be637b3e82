// SEND hubs API (issue 13 parts 5, 6 and 9): the Navigator (naming, support plan actions, contact log, support
// started, review), the locality team's answer and needs in context, under /api/v1/send/requests/:requestId. Same
// service, scope (the hubs the caller works in) and logging as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Created, DateStr, errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireUser } from '../../http/request.ts';
import { needsInContext } from './context.ts';
import * as nav from './navigator.ts';
import { hubIdOfRequest } from './repository-triage.ts';
import {
  ContactInput,
  LocalityInput,
  NavigatorInput,
  SupportActionInput,
  SupportReviewInput,
  SupportStartedInput,
} from './schemas-triage.ts';
import { RequestParams, requestAction, tags, triageDeps } from './triage-api.ts';
import { answerReferral } from './triage-locality.ts';

const work = { policy: { capability: 'send-hub:work' as const } };

const Contact = Type.Object({
  id: Id,
  contact_on: DateStr,
  with_whom: Type.String(),
  method: Type.String(),
  summary: Type.String(),
  recorded_by: Type.String(),
});
const Context = Type.Object({
  request_id: Id,
  reference: Type.String(),
  opens_record: Type.Boolean({
    description:
      'Whether the caller has a relationship that opens the record: without one only previous requests are given',
  }),
  previous_requests: Type.Array(
    Type.Object({
      id: Id,
      reference: Type.String(),
      received_on: DateStr,
      hub: Type.String(),
      setting: Type.String(),
      status: Type.String(),
      outcome: Nullable(Type.String()),
      result: Nullable(Type.String()),
    }),
  ),
  family: Type.Array(
    Type.Object({ name: Type.String(), relationship: Type.String(), parental_responsibility: Type.Boolean() }),
  ),
  agencies: Type.Array(
    Type.Object({ team: Type.String(), service: Type.String(), start_date: DateStr, worker: Nullable(Type.String()) }),
  ),
  statuses: Type.Array(
    Type.Object({ status: Type.String(), label: Type.String(), start_date: DateStr, end_date: Nullable(DateStr) }),
  ),
});

export function registerNavigatorApi(app: FastifyInstance) {
  const { ctx } = app.services.sendHubs;
  const deps = triageDeps(app);
  requestAction(
    app,
    'navigator',
    'Name or change the Navigator of a request in First SEND Support: the open support or review step passes to them',
    NavigatorInput,
    (user, hubId, requestId, x) => nav.changeNavigator(ctx, user, hubId, requestId, x),
  );
  requestAction(
    app,
    'support-started',
    'Record that First SEND Support started: the review is due 6 weeks later, or on review_date',
    SupportStartedInput,
    (user, hubId, requestId, x) => nav.supportStarted(ctx, user, hubId, requestId, x),
  );
  requestAction(
    app,
    'review',
    'Review First SEND Support: continue (next_review), further_support (further_reason), ehc_assessment (coordinator_id) or closed',
    SupportReviewInput,
    (user, hubId, requestId, x) => nav.review(ctx, deps, user, hubId, requestId, x),
  );
  requestAction(
    app,
    'locality',
    "The locality team's answer to a referral for Further SEND Support: accept (worker_id, allocated on the record) or return (reason) to the hub's triage",
    LocalityInput,
    (user, hubId, requestId, x) => answerReferral(ctx, user, hubId, requestId, x),
  );
  app.post(
    '/api/v1/send/requests/:requestId/actions',
    {
      config: work,
      schema: {
        tags,
        summary:
          "Add an owned action with a due date to the support plan (the young person's plan; chased like every plan action)",
        params: RequestParams,
        body: SupportActionInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { requestId } = request.params as { requestId: string };
      const x = SupportActionInput.parse(request.body as Body, { today: ctx.today() });
      const hubId = await hubIdOfRequest(ctx.db, user.authorityId, requestId);
      return reply.code(201).send({ id: await nav.addSupportAction(ctx, deps, user, hubId, requestId, x) });
    },
  );
  app.post(
    '/api/v1/send/requests/:requestId/contacts',
    {
      config: work,
      schema: {
        tags,
        summary: 'Record a contact with the family, the setting, the young person or another agency',
        params: RequestParams,
        body: ContactInput.schema,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { requestId } = request.params as { requestId: string };
      const x = ContactInput.parse(request.body as Body, { today: ctx.today() });
      const hubId = await hubIdOfRequest(ctx.db, user.authorityId, requestId);
      return reply.code(201).send({ id: await nav.addContact(ctx, user, hubId, requestId, x) });
    },
  );
  app.get(
    '/api/v1/send/requests/:requestId/contacts',
    {
      config: work,
      schema: {
        tags,
        summary: "The request's contact log, latest first (the read is logged)",
        params: RequestParams,
        response: { 200: Type.Object({ items: Type.Array(Contact) }), ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { requestId } = request.params as { requestId: string };
      const hubId = await hubIdOfRequest(ctx.db, user.authorityId, requestId);
      return { items: await nav.contacts(ctx, user, hubId, requestId, 'api') };
    },
  );
  app.get(
    '/api/v1/send/requests/:requestId/context',
    {
      config: work,
      schema: {
        tags,
        summary:
          "Needs in context within the caller's access: previous requests always; family, other agencies and statuses only with a relationship that opens the record (the read is logged)",
        params: RequestParams,
        response: { 200: Context, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { requestId } = request.params as { requestId: string };
      const hubId = await hubIdOfRequest(ctx.db, user.authorityId, requestId);
      const { request: r, context: c } = await needsInContext(ctx, user, hubId, requestId, 'api');
      return {
        request_id: r.id,
        reference: r.reference,
        opens_record: c.opens,
        previous_requests: c.previous,
        family: c.family,
        agencies: c.agencies,
        statuses: c.statuses,
      };
    },
  );
}
