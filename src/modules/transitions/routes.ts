// Pages for person-led plans, referrals and the forum referral form (Devon 16-17 transitions). The panels' pages
// are in panel-routes.ts, the summaries for a pseudonymised panel in audience-routes.ts, the JSON API in api*.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../../http/errors.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import type { AuthUser } from '../../http/types.ts';
import { registerTransitionsApi } from './api.ts';
import { registerPanelsApi } from './api-panels.ts';
import { registerAudienceRoutes } from './audience-routes.ts';
import { dateParts, formPoster, savedText } from './form-post.ts';
import { registerPanelRoutes } from './panel-routes.ts';
import {
  ActionInput,
  ActionUpdateInput,
  EscalationInput,
  ForumReferralInput,
  GoalInput,
  LABELS,
  PlanInput,
  ReferralInput,
  ResponseInput,
  ReviewInput,
} from './schemas.ts';

type P = { personId: string };
type A = P & { actionId: string };
type R = P & { referralId: string };

const hide = { hide: true };
const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };

/** What every page of the module uses: the service, the form poster, and the plan read for a page (logged, S6). */
function pages(app: FastifyInstance) {
  const { transitions } = app.services;
  const planOf = (request: FastifyRequest) =>
    transitions.plan(requireUser(request), requirePersonAccess(request), 'page');
  return {
    transitions,
    post: formPoster(app, LABELS, () => transitions.today()),
    planOf,
    /** Makes a change on the person's record, then goes back to the plan at `anchor`. */
    thenPlan:
      <V>(anchor: string, change: (user: AuthUser, personId: string, input: V) => Promise<unknown>) =>
      async (request: FastifyRequest<{ Params: P }>, input: V) => {
        await change(requireUser(request), request.params.personId, input);
        return `/people/${request.params.personId}/plan${anchor}`;
      },
    /** A form about one of the plan's actions or referrals, named in the address (else 404), as `name`. */
    itemForm:
      (list: 'actions' | 'referrals', param: string, name: string, missing: string) =>
      async (request: FastifyRequest, values: Record<string, unknown>) => {
        const d = await planOf(request);
        const id = (request.params as Record<string, string>)[param];
        const item = (d[list] as { id: string }[]).find((x) => x.id === id);
        if (!item) throw new NotFound(missing);
        return { person: d.person, [name]: item, values };
      },
  };
}

const isoParts = (iso: string | null) => {
  const [year, month, day] = (iso ?? '').split('-');
  return iso ? { day, month, year } : {};
};

export function registerTransitionsRoutes(app: FastifyInstance) {
  const { people } = app.services;
  const { transitions, post, planOf, thenPlan } = pages(app);

  /** A form about the person only (a goal, a review), shown again with what was typed. */
  const personForm =
    (...dates: string[]) =>
    async (request: FastifyRequest, body: Record<string, unknown>) => ({
      // The person's header: reading it is a logged read of the record (S6).
      person: (await people.record(requireUser(request), requirePersonAccess(request), 'page')).person,
      values: dateParts(body, ...dates),
    });

  app.get<{ Params: P }>('/people/:personId/plan', { config: read, schema: hide }, async (request, reply) => {
    return reply.view('transitions/views/plan.njk', {
      ...LABELS,
      d: await planOf(request),
      savedText: savedText(request.query),
    });
  });

  // ---- the plan itself ------------------------------------------------------------------------------
  const planForm = async (request: FastifyRequest<{ Params: P }>, values: Record<string, unknown>) => {
    const d = await planOf(request);
    return { person: d.person, plan: d.plan, outcomes: d.outcomes, values };
  };
  app.get<{ Params: P }>('/people/:personId/plan/edit', { config: edit, schema: hide }, async (request, reply) => {
    const data = await planForm(request, {});
    return reply.view('transitions/views/plan-edit.njk', { ...data, values: { ...(data.plan ?? { stall_days: 28 }) } });
  });
  post<P, PlanInput>({
    url: '/people/:personId/plan',
    config: edit,
    template: 'transitions/views/plan-edit.njk',
    page: planForm,
    input: PlanInput,
    saved: 'plan',
    run: thenPlan('', (user, id, input) => transitions.savePlan(user, id, input)),
  });

  // ---- goals and reviews ----------------------------------------------------------------------------
  post<P, GoalInput>({
    get: '/people/:personId/plan/goals/new',
    url: '/people/:personId/plan/goals',
    config: edit,
    template: 'transitions/views/goal.njk',
    page: personForm(),
    input: GoalInput,
    saved: 'goal',
    run: thenPlan('#goals', (user, id, input) => transitions.addGoal(user, id, input)),
  });
  post<P, ReviewInput>({
    get: '/people/:personId/plan/reviews/new',
    url: '/people/:personId/plan/reviews',
    config: edit,
    template: 'transitions/views/review.njk',
    page: personForm('review_date'),
    input: ReviewInput,
    saved: 'review',
    run: thenPlan('#reviews', (user, id, input) => transitions.addReview(user, id, input)),
  });

  registerActionPages(app);
  registerReferralPages(app);
  registerPanelRoutes(app);
  registerTransitionsApi(app);
  registerPanelsApi(app);
  registerAudienceRoutes(app);
}

/** Actions on the plan, and starting the Devon protocol from one with no owner. */
function registerActionPages(app: FastifyInstance) {
  const { transitions, post, planOf, itemForm, thenPlan } = pages(app);

  /** The plan's action named in the address (if any), with what an action form needs. */
  const actionForm = async (request: FastifyRequest<{ Params: P }>, values: Record<string, unknown>) => {
    const user = requireUser(request);
    const d = await planOf(request);
    const actionId = (request.params as Partial<A>).actionId;
    const action = actionId ? d.actions.find((a) => a.id === actionId) : undefined;
    if (actionId && !action) throw new NotFound('No action with that reference on this plan.');
    const q = request.query as Record<string, string | undefined>;
    const current = (values.owner_user_id as string | undefined) ?? action?.owner_user_id ?? null;
    const options = await transitions.options(user, { service: q.service, q: q.q, current });
    return { person: d.person, goals: d.goals, action, options, values };
  };

  app.get<{ Params: P }>('/people/:personId/plan/actions/new', { config: edit, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/action.njk', {
      ...LABELS,
      ...(await actionForm(request, { status: 'not_started' })),
    }),
  );
  post<P, ActionInput>({
    url: '/people/:personId/plan/actions',
    config: edit,
    template: 'transitions/views/action.njk',
    page: (request, body) => actionForm(request, dateParts(body, 'due_date')),
    input: ActionInput,
    saved: 'action-added',
    run: thenPlan('#actions', (user, id, input) => transitions.addAction(user, id, input)),
  });
  app.get<{ Params: A }>(
    '/people/:personId/plan/actions/:actionId',
    { config: edit, schema: hide },
    async (request, reply) => {
      const data = await actionForm(request, {});
      const a = data.action!;
      return reply.view('transitions/views/action.njk', {
        ...LABELS,
        ...data,
        values: { ...a, due_date: isoParts(a.due_date) },
      });
    },
  );
  post<A, ActionUpdateInput>({
    url: '/people/:personId/plan/actions/:actionId',
    config: edit,
    template: 'transitions/views/action.njk',
    page: (request, body) => actionForm(request, dateParts(body, 'due_date')),
    input: ActionUpdateInput,
    saved: 'action-updated',
    run: async (request, input) => {
      const { personId, actionId } = request.params;
      await transitions.updateAction(requireUser(request), personId, actionId, input);
      return `/people/${personId}/plan#actions`;
    },
  });

  // Starting the protocol from an action with no owner: the engine checks who may start it (service managers).
  post<A, EscalationInput>({
    get: '/people/:personId/plan/actions/:actionId/escalate',
    url: '/people/:personId/plan/actions/:actionId/escalate',
    config: read,
    template: 'transitions/views/escalate.njk',
    page: itemForm('actions', 'actionId', 'action', 'No action with that reference on this plan.'),
    input: EscalationInput,
    run: async (request, input) => {
      const { personId, actionId } = request.params;
      const instanceId = await transitions.escalateAction(requireUser(request), personId, actionId, input);
      return `/people/${personId}/protocols/${instanceId}`;
    },
  });
}

/** Referrals (sending one, recording the response) and the forum referral form. */
function registerReferralPages(app: FastifyInstance) {
  const { transitions, post, planOf, itemForm, thenPlan } = pages(app);
  const { documents } = app.services;
  const referralItem = itemForm(
    'referrals',
    'referralId',
    'referral',
    'No referral with that reference on this record.',
  );

  const referralForm = async (request: FastifyRequest<{ Params: P }>, values: Record<string, unknown>) => {
    const d = await planOf(request);
    return {
      person: d.person,
      actions: d.actions.filter((a) => a.open),
      options: await transitions.options(requireUser(request), {
        service: (request.query as Record<string, string | undefined>).service,
        q: (request.query as Record<string, string | undefined>).q,
        current: (values.to_user_id as string | undefined) ?? null,
      }),
      responseTime: transitions.referralResponseTime(),
      values,
    };
  };
  app.get<{ Params: P; Querystring: { action?: string } }>(
    '/people/:personId/referrals/new',
    { config: edit, schema: hide },
    async (request, reply) =>
      reply.view(
        'transitions/views/referral-new.njk',
        await referralForm(request, { action_id: request.query.action ?? '' }),
      ),
  );
  post<P, ReferralInput>({
    url: '/people/:personId/referrals',
    config: edit,
    template: 'transitions/views/referral-new.njk',
    page: (request, body) => referralForm(request, dateParts(body, 'response_due')),
    input: ReferralInput,
    saved: 'referral',
    run: thenPlan('#referrals', (user, id, input) => transitions.refer(user, id, input)),
  });
  post<R, ResponseInput>({
    get: '/people/:personId/referrals/:referralId',
    url: '/people/:personId/referrals/:referralId/response',
    config: read,
    template: 'transitions/views/referral.njk',
    page: async (request, body) => {
      const user = requireUser(request);
      const form = await referralItem(request, body);
      const target = await documents.referralTarget(user, requirePersonAccess(request), request.params.referralId);
      return { ...form, docPanel: await documents.panel(user, target), savedText: savedText(request.query) };
    },
    input: ResponseInput,
    saved: 'response',
    run: async (request, input) => {
      const { personId, referralId } = request.params;
      await transitions.respond(requireUser(request), personId, referralId, input);
      return `/people/${personId}/plan#referrals`;
    },
  });

  // The forum referral form starts from the plan's needs and what is blocked (unowned or overdue actions).
  app.get<{ Params: P }>('/people/:personId/forum-referral', { config: edit, schema: hide }, async (request, reply) => {
    const d = await planOf(request);
    const blocked = d.actions.filter((a) => a.unowned || a.overdue).map((a) => a.description);
    return reply.view('transitions/views/forum-referral.njk', {
      person: d.person,
      values: { needs: d.plan?.needs ?? '', blocked_by: blocked.join('; ') },
    });
  });
  post<P, ForumReferralInput>({
    url: '/people/:personId/forum-referral',
    config: edit,
    template: 'transitions/views/forum-referral.njk',
    page: async (request, values) => ({ person: (await planOf(request)).person, values }),
    input: ForumReferralInput,
    saved: 'forum-referral',
    run: thenPlan('#panels', (user, id, input) => transitions.referToForum(user, id, input)),
  });
}
