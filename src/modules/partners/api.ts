// Partner organisations' JSON API (/api/v1): the lead's organisation and members, the team inbox, taking a request,
// and the council administrator's leads of an outside organisation. Same service and rules as the pages.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../http/api-routes.ts';
import { errors, Id, Nullable } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requireAdviceAccess, requireUser } from '../../http/request.ts';
import { LeadInput, MemberInviteInput } from './schemas.ts';

const tags = ['Partner organisations'];
const signedIn = { policy: { capability: null } };
const admin = { policy: { capability: 'org:admin' as const } };
const Organisation = Type.Object({ id: Id, name: Type.String(), is_lead: Type.Boolean() });
const Member = Type.Object({
  id: Id,
  display_name: Type.String(),
  email: Type.String(),
  job_title: Nullable(Type.String()),
  is_lead: Type.Boolean(),
  manageable: Type.Boolean({ description: 'Whether the lead may deactivate them or make them a lead' }),
});
const InboxItem = Type.Object({
  id: Id,
  reference: Type.String({ description: 'The case number and the request: never the young person’s name' }),
  kind: Type.String(),
  status: Type.String({ description: 'requested (waiting for advice) or received' }),
  due_date: Type.String({ description: 'YYYY-MM-DD' }),
  overdue: Type.Boolean(),
  taken_by: Nullable(Id),
  taken_by_name: Nullable(Type.String()),
});
const Done = Type.Object({ id: Id, done: Type.String() });
const UserParams = Type.Object({ userId: Id });
const ServiceParams = Type.Object({ serviceId: Id });

export function registerPartnersApi(app: FastifyInstance) {
  const { partners } = app.services;
  const api = apiRoutes(app, tags);

  app.get(
    '/api/v1/organisation',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The organisation you lead, with its members (leads only: 403 otherwise)',
        response: { 200: Type.Object({ organisation: Organisation, members: Type.Array(Member) }), ...errors },
      },
    },
    async (req) => {
      const data = await partners.members(requireUser(req));
      return { organisation: { ...data.organisation, is_lead: true }, members: data.members };
    },
  );

  api.add(
    '/api/v1/organisation/members',
    'Invite a member to the organisation you lead: an advice giver’s account, emailed a link to set a password',
    signedIn,
    MemberInviteInput,
    async (user, body: Body) => {
      await partners.members(user);
      return partners.inviteMember(user, MemberInviteInput.parse(body, { today: partners.today() }));
    },
  );

  const memberAction = (path: string, summary: string, run: typeof partners.makeLead, done: string) =>
    app.post<{ Params: { userId: string } }>(
      path,
      { config: signedIn, schema: { tags, summary, params: UserParams, response: { 200: Done, ...errors } } },
      async (req) => {
        await run(requireUser(req), req.params.userId);
        return { id: req.params.userId, done };
      },
    );
  memberAction(
    '/api/v1/organisation/members/:userId/deactivate',
    'Deactivate a member of your organisation: sessions and tokens end at once; requests they took go back to the inbox',
    (u, id) => partners.deactivateMember(u, id),
    'deactivated',
  );
  memberAction(
    '/api/v1/organisation/members/:userId/lead',
    'Make a member of your organisation a lead too',
    (u, id) => partners.makeLead(u, id),
    'lead',
  );

  inboxApi(app);
  adminApi(app);
}

/** The team inbox: list, take, put back. */
function inboxApi(app: FastifyInstance) {
  const { partners } = app.services;
  app.get(
    '/api/v1/organisation/inbox',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Your organisation’s team inbox of advice requests (empty, with a null organisation, for non-members)',
        response: {
          200: Type.Object({
            organisation: Nullable(Organisation),
            items: Type.Array(InboxItem),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const data = await partners.inbox(requireUser(req));
      if (!data) return { organisation: null, items: [] };
      const { isLead, ...org } = data.organisation;
      return { organisation: { ...org, is_lead: isLead }, items: data.items };
    },
  );

  const inboxAction = (path: string, summary: string, done: string, run: typeof partners.take) =>
    app.post<{ Params: { requestId: string } }>(
      path,
      {
        config: { policy: { capability: null, adviceRequest: 'requestId' } },
        schema: { tags, summary, params: Type.Object({ requestId: Id }), response: { 200: Done, ...errors } },
      },
      async (req) => {
        await run(requireUser(req), requireAdviceAccess(req));
        return { id: req.params.requestId, done };
      },
    );
  inboxAction(
    '/api/v1/organisation/inbox/:requestId/take',
    'Take a request from your organisation’s inbox: you become its advice giver and responsible person',
    'taken',
    (u, a) => partners.take(u, a),
  );
  inboxAction(
    '/api/v1/organisation/inbox/:requestId/return',
    'Put a taken request back in the inbox (whoever took it, or a lead): the lead holds it until someone takes it',
    'returned',
    (u, a) => partners.giveBack(u, a),
  );
}

function adminApi(app: FastifyInstance) {
  const { partners } = app.services;
  const Lead = Type.Object({ id: Id, display_name: Type.String(), job_title: Nullable(Type.String()) });
  app.get<{ Params: { serviceId: string } }>(
    '/api/v1/services/:serviceId/leads',
    {
      config: admin,
      schema: {
        tags,
        summary: 'The leads of an outside organisation',
        params: ServiceParams,
        response: { 200: Type.Object({ items: Type.Array(Lead) }), ...errors },
      },
    },
    async (req) => {
      const data = await partners.leadsPage(requireUser(req), req.params.serviceId);
      return { items: data.leads.map(({ id, display_name, job_title }) => ({ id, display_name, job_title })) };
    },
  );
  app.post<{ Params: { serviceId: string } }>(
    '/api/v1/services/:serviceId/leads',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Make one of an outside organisation’s active accounts a lead',
        params: ServiceParams,
        body: LeadInput.schema,
        response: { 200: Done, ...errors },
      },
    },
    async (req) => {
      const input = LeadInput.parse(req.body as Body, { today: partners.today() });
      await partners.addLead(requireUser(req), req.params.serviceId, input);
      return { id: input.user_id, done: 'lead' };
    },
  );
  app.delete<{ Params: { serviceId: string; userId: string } }>(
    '/api/v1/services/:serviceId/leads/:userId',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Take a lead off an outside organisation (refused for the only lead while its inbox holds requests)',
        params: Type.Object({ serviceId: Id, userId: Id }),
        response: { 200: Done, ...errors },
      },
    },
    async (req) => {
      await partners.removeLead(requireUser(req), req.params.serviceId, req.params.userId);
      return { id: req.params.userId, done: 'removed' };
    },
  );
}
