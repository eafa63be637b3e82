// JSON API for plans and actions, referrals and escalations (/api/v1); the panels' API is in api-panels.ts. Same
// services and access rules as the pages; the bodies are the inputs declared in schemas.ts. Deciding a protocol step
// uses the protocol API (/api/v1/people/:personId/protocols/…).
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { apiRoutes } from '../../http/api-routes.ts';
import { DateStr, errors, Id, Nullable, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { Input, ReadContext } from '../../http/schema-input.ts';
import type { AuthUser, Policy } from '../../http/types.ts';
import {
  ActionInput,
  ActionUpdateInput,
  EscalationInput,
  GoalInput,
  PlanInput,
  ReferralInput,
  ResponseInput,
  ReviewInput,
} from './schemas.ts';

const Action = Type.Object({
  id: Id,
  description: Type.String(),
  goal_id: Nullable(Id),
  owner_user_id: Nullable(Id),
  owner_service_id: Nullable(Id),
  owner: Nullable(Type.String({ description: 'the named owner, or the service with nobody named yet' })),
  due_date: Nullable(DateStr),
  status: Type.String(),
  evidence: Nullable(Type.String()),
  issue_type: Nullable(Type.String({ description: 'gap or capacity' })),
  unowned: Type.Boolean(),
  overdue: Type.Boolean(),
  stalled: Type.Boolean({ description: 'open and not updated for the plan’s stall_days' }),
  protocol_instance_id: Nullable(Id),
  version: Type.Integer(),
});
const Referral = Type.Object({
  id: Id,
  action_id: Nullable(Id),
  to_user_id: Nullable(Id),
  to_service_id: Nullable(Id),
  to: Type.String(),
  reason: Type.String(),
  basis: Type.String({ description: 'consent or lawful_basis' }),
  basis_detail: Type.String(),
  status: Type.String({
    description: 'sent, accepted, declined, successful or withdrawn: where its referral-chase instance is',
  }),
  responses: Type.Array(Type.String(), {
    description: 'the responses it can take now (the outcomes of its chase’s open step)',
  }),
  protocol_instance_id: Id,
  decline_reason: Nullable(Type.String()),
  response_due: Nullable(DateStr),
  due_rule: Type.String({ description: 'the rule the response date came from' }),
  overdue: Type.Boolean(),
  escalations: Type.Integer({ description: 'times the chase went past the referrer (to their line manager and on)' }),
  version: Type.Integer(),
});
const Plan = Type.Object({
  plan: Nullable(
    Type.Object({
      id: Id,
      what_matters: Nullable(Type.String()),
      hopes: Nullable(Type.String()),
      needs: Nullable(Type.String()),
      stall_days: Type.Integer(),
      version: Type.Integer(),
    }),
  ),
  eighteenth_birthday: DateStr,
  days_to_18: Type.Integer(),
  provision_warning: Type.Boolean({ description: 'provision not in place within 6 months of 18' }),
  outcomes: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), met: Type.Boolean() })),
  goals: Type.Array(Type.Object({ id: Id, goal: Type.String(), outcome: Nullable(Type.String()) })),
  actions: Type.Array(Action),
  reviews: Type.Array(
    Type.Object({
      id: Id,
      review_date: DateStr,
      attendees: Type.String(),
      notes: Type.String(),
      issues_persist: Type.Boolean(),
    }),
  ),
  counts: Type.Object({ unowned: Type.Integer(), overdue: Type.Integer(), stalled: Type.Integer() }),
});

type Params = Record<string, string>;

/**
 * A write that answers 204: the body is read with its declared input (which is also the route's schema, so the API
 * validates and documents it) and handed to the service typed.
 */
export function changeRoute<V>(
  app: FastifyInstance,
  method: 'PUT' | 'POST',
  url: string,
  route: { tags: string[]; summary: string; config: { policy: Policy }; params: TSchema },
  body: Pick<Input<never, V>, 'schema' | 'parse'>,
  today: () => string,
  change: (user: AuthUser, params: Params, value: V) => Promise<unknown>,
) {
  app.route({
    method,
    url,
    config: route.config,
    schema: {
      tags: route.tags,
      summary: route.summary,
      params: route.params,
      body: body.schema,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (request, reply) => {
      const value = body.parse(request.body as Body, { today: today() });
      await change(requireUser(request), request.params as Params, value);
      return reply.code(204).send();
    },
  });
}

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const ActionParams = Type.Object({ personId: Id, actionId: Id });

/** What every route here uses: the service, how a body is read (London's today), the route builders. */
function kit(app: FastifyInstance) {
  const { transitions } = app.services;
  const today = () => transitions.today();
  const ctx = (): ReadContext => ({ today: today() });
  return { transitions, today, ctx, plans: apiRoutes(app, ['plans']), referrals: apiRoutes(app, ['referrals']) };
}

export function registerTransitionsApi(app: FastifyInstance) {
  registerPlanApi(app);
  registerActionApi(app);
  registerReferralApi(app);
}

/** The plan, its goals and reviews. */
function registerPlanApi(app: FastifyInstance) {
  const { transitions, today, ctx, plans } = kit(app);

  app.get<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/plan',
    {
      config: read,
      schema: {
        tags: ['plans'],
        summary:
          'The person-led plan: the young person’s words, goals, actions (unowned, overdue, stalled), reviews, outcomes and the 18th birthday countdown',
        params: PersonParams,
        response: { 200: Plan, ...errors },
      },
    },
    async (request) => {
      const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'api');
      return {
        plan: d.plan,
        eighteenth_birthday: d.eighteenth,
        days_to_18: d.daysTo18,
        provision_warning: d.provisionWarning,
        outcomes: d.outcomes,
        goals: d.goals,
        actions: d.actions.map((a) => ({ ...a, owner: a.ownerLabel })),
        reviews: d.reviews,
        counts: d.counts,
      };
    },
  );
  changeRoute(
    app,
    'PUT',
    '/api/v1/people/:personId/plan',
    {
      tags: ['plans'],
      summary: 'Create or update the plan (send the version you read to update; 409 if it changed)',
      config: edit,
      params: PersonParams,
    },
    PlanInput,
    today,
    (user, p, input) => transitions.savePlan(user, p.personId as string, input),
  );
  plans.add(
    '/api/v1/people/:personId/plan/goals',
    'Add a goal',
    edit,
    GoalInput,
    (user, body, p) => transitions.addGoal(user, p.personId as string, GoalInput.parse(body, ctx())),
    PersonParams,
  );
  plans.add(
    '/api/v1/people/:personId/plan/reviews',
    'Record a review of the plan with the young person, family and teams',
    edit,
    ReviewInput,
    (user, body, p) => transitions.addReview(user, p.personId as string, ReviewInput.parse(body, ctx())),
    PersonParams,
  );
}

/** Actions on the plan, and starting the Devon protocol from one with no owner. */
function registerActionApi(app: FastifyInstance) {
  const { transitions, today, ctx, plans } = kit(app);
  plans.add(
    '/api/v1/people/:personId/plan/actions',
    'Add an action: an owner (a named person, or a service with nobody named yet), a due date, a status',
    edit,
    ActionInput,
    (user, body, p) => transitions.addAction(user, p.personId as string, ActionInput.parse(body, ctx())),
    PersonParams,
  );
  changeRoute(
    app,
    'PUT',
    '/api/v1/people/:personId/plan/actions/:actionId',
    {
      tags: ['plans'],
      summary: 'Update an action (send the version you read; 409 if it changed)',
      config: edit,
      params: ActionParams,
    },
    ActionUpdateInput,
    today,
    (user, p, input) => transitions.updateAction(user, p.personId as string, p.actionId as string, input),
  );
  plans.add(
    '/api/v1/people/:personId/plan/actions/:actionId/escalation',
    'Start the Devon 16-17 transitions protocol for an action with no owner (service managers and leads, once the usual routes are exhausted). Returns the protocol instance; decide its steps with the protocol API.',
    read,
    EscalationInput,
    (user, body, p) =>
      transitions.escalateAction(user, p.personId as string, p.actionId as string, EscalationInput.parse(body, ctx())),
    ActionParams,
  );
}

/** Referrals and their responses. */
function registerReferralApi(app: FastifyInstance) {
  const { transitions, today, ctx, referrals } = kit(app);

  app.get<{ Params: { personId: string } }>(
    '/api/v1/people/:personId/referrals',
    {
      config: read,
      schema: {
        tags: ['referrals'],
        summary: 'Referrals for a young person, with their response dates and the rule each came from',
        params: PersonParams,
        response: { 200: Type.Object({ items: Type.Array(Referral) }), ...errors },
      },
    },
    async (request) => {
      const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'api');
      return {
        items: d.referrals.map((r) => ({ ...r, to: r.to_user_name ?? `${r.to_service_name} (nobody named yet)` })),
      };
    },
  );
  referrals.add(
    '/api/v1/people/:personId/referrals',
    'Refer to a service or a person: reason, consent or lawful basis; the response is due when the referral-chase protocol says (10 working days built in; a council may change it) unless response_due is given, then chased and escalated',
    edit,
    ReferralInput,
    (user, body, p) => transitions.refer(user, p.personId as string, ReferralInput.parse(body, ctx())),
    PersonParams,
  );
  changeRoute(
    app,
    'POST',
    '/api/v1/people/:personId/referrals/:referralId/response',
    {
      tags: ['referrals'],
      summary:
        'Record the response: accepted, declined (with a reason), successful (the linked action gets the owner) or withdrawn',
      config: read,
      params: Type.Object({ personId: Id, referralId: Id }),
    },
    ResponseInput,
    today,
    (user, p, input) => transitions.respond(user, p.personId as string, p.referralId as string, input),
  );
}
