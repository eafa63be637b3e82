// Pages for person-led plans, referrals, the forum referral form and the panels (Devon 16-17 transitions).
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../../http/errors.ts';
import { type Body, dateInput, errorList, ValidationError } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerTransitionsApi } from './api.ts';
import { registerAudienceRoutes } from './audience-routes.ts';
import { ACTION_STATUSES, PANEL_AREAS, REFERRAL_STATUSES } from './validation.ts';

type P = { personId: string };
type A = P & { actionId: string };
type R = P & { referralId: string };

/** Dates come back to the GOV.UK date input as parts. */
function dateParts(body: Body, ...fields: string[]) {
  const out: Record<string, unknown> = { ...body };
  for (const f of fields) out[f] = dateInput(body, f).parts;
  return out;
}
const isoParts = (iso: string | null) => {
  const [year, month, day] = (iso ?? '').split('-');
  return iso ? { day, month, year } : {};
};

export function registerTransitionsRoutes(app: FastifyInstance) {
  const { transitions, people } = app.services;
  const hide = { hide: true };
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
  const panelRead = { policy: { capability: 'panel:read' as const } };
  const panelManage = { policy: { capability: 'panel:manage' as const } };
  const labels = { actionStatuses: ACTION_STATUSES, referralStatuses: REFERRAL_STATUSES, panelAreas: PANEL_AREAS };

  /**
   * A form's POST route: `run` makes the change and returns where to redirect (PRG); on a validation error the form
   * is rendered again from `page` with the errors (400). `errorHref` rewrites the error summary's links, for a page
   * with one form per item.
   */
  function post<Params>(
    url: string,
    config: FastifyContextConfig,
    template: string,
    page: (request: FastifyRequest<{ Params: Params }>, body: Body) => Promise<Record<string, unknown>>,
    run: (request: FastifyRequest<{ Params: Params }>, body: Body) => Promise<string>,
    errorHref?: (request: FastifyRequest<{ Params: Params }>, href: string) => string,
  ) {
    app.post<{ Params: Params }>(url, { config, schema: hide }, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        return reply.redirect(await run(request, body), 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        reply.code(400);
        const list = errorList(e.fields);
        return reply.view(template, {
          ...labels,
          ...(await page(request, body)),
          errors: e.fields,
          errorList: errorHref ? list.map((x) => ({ ...x, href: errorHref(request, x.href) })) : list,
        });
      }
    });
  }

  /** The person's header for a plan form: reading it is a logged read of the record (S6). */
  const personFor = async (request: FastifyRequest) => {
    const r = await people.record(requireUser(request), requirePersonAccess(request), 'page');
    return r.person;
  };

  app.get<{ Params: P }>('/people/:personId/plan', { config: read, schema: hide }, async (request, reply) => {
    const data = await transitions.plan(requireUser(request), requirePersonAccess(request), 'page');
    const saved = (request.query as { saved?: string }).saved === 'panel-summary';
    return reply.view('transitions/views/plan.njk', { ...labels, d: data, savedPanelSummary: saved });
  });

  // ---- the plan itself ------------------------------------------------------------------------------
  const planForm = async (request: FastifyRequest<{ Params: P }>, values: Record<string, unknown>) => {
    const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'page');
    return { person: d.person, plan: d.plan, outcomes: d.outcomes, values };
  };
  app.get<{ Params: P }>('/people/:personId/plan/edit', { config: edit, schema: hide }, async (request, reply) => {
    const data = await planForm(request, {});
    const values: Record<string, unknown> = { ...(data.plan ?? { stall_days: 28 }) };
    return reply.view('transitions/views/plan-edit.njk', { ...data, values });
  });
  post<P>('/people/:personId/plan', edit, 'transitions/views/plan-edit.njk', planForm, async (request, body) => {
    const id = request.params.personId;
    await transitions.savePlan(requireUser(request), id, body);
    return `/people/${id}/plan`;
  });

  // ---- goals ----------------------------------------------------------------------------------------
  app.get<{ Params: P }>('/people/:personId/plan/goals/new', { config: edit, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/goal.njk', { person: await personFor(request), values: {} }),
  );
  post<P>(
    '/people/:personId/plan/goals',
    edit,
    'transitions/views/goal.njk',
    async (request, body) => ({ person: await personFor(request), values: body }),
    async (request, body) => {
      const id = request.params.personId;
      await transitions.addGoal(requireUser(request), id, body);
      return `/people/${id}/plan#goals`;
    },
  );

  // ---- actions --------------------------------------------------------------------------------------
  const actionForm = async (
    request: FastifyRequest<{ Params: P }>,
    values: Record<string, unknown>,
    actionId?: string,
  ) => {
    const user = requireUser(request);
    const d = await transitions.plan(user, requirePersonAccess(request), 'page');
    const action = actionId ? d.actions.find((a) => a.id === actionId) : undefined;
    if (actionId && !action) throw new NotFound('No action with that reference on this plan.');
    return { person: d.person, goals: d.goals, action, options: await transitions.options(user), values };
  };
  app.get<{ Params: P }>('/people/:personId/plan/actions/new', { config: edit, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/action.njk', {
      ...labels,
      ...(await actionForm(request, { status: 'not_started' })),
    }),
  );
  post<P>(
    '/people/:personId/plan/actions',
    edit,
    'transitions/views/action.njk',
    (request, body) => actionForm(request, dateParts(body, 'due_date')),
    async (request, body) => {
      const id = request.params.personId;
      await transitions.addAction(requireUser(request), id, body);
      return `/people/${id}/plan#actions`;
    },
  );
  app.get<{ Params: A }>(
    '/people/:personId/plan/actions/:actionId',
    { config: edit, schema: hide },
    async (request, reply) => {
      const data = await actionForm(request, {}, request.params.actionId);
      const a = data.action!;
      return reply.view('transitions/views/action.njk', {
        ...labels,
        ...data,
        values: { ...a, due_date: isoParts(a.due_date) },
      });
    },
  );
  post<A>(
    '/people/:personId/plan/actions/:actionId',
    edit,
    'transitions/views/action.njk',
    (request, body) => actionForm(request, dateParts(body, 'due_date'), request.params.actionId),
    async (request, body) => {
      const { personId, actionId } = request.params;
      await transitions.updateAction(requireUser(request), personId, actionId, body);
      return `/people/${personId}/plan#actions`;
    },
  );

  // Starting the protocol from an action with no owner: the engine checks who may start it (service managers).
  const escalateForm = async (request: FastifyRequest<{ Params: A }>, values: Record<string, unknown>) => {
    const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'page');
    const action = d.actions.find((a) => a.id === request.params.actionId);
    if (!action) throw new NotFound('No action with that reference on this plan.');
    return { person: d.person, action, values };
  };
  app.get<{ Params: A }>(
    '/people/:personId/plan/actions/:actionId/escalate',
    { config: read, schema: hide },
    async (request, reply) => reply.view('transitions/views/escalate.njk', await escalateForm(request, {})),
  );
  post<A>(
    '/people/:personId/plan/actions/:actionId/escalate',
    read,
    'transitions/views/escalate.njk',
    escalateForm,
    async (request, body) => {
      const { personId, actionId } = request.params;
      const instanceId = await transitions.escalateAction(requireUser(request), personId, actionId, body);
      return `/people/${personId}/protocols/${instanceId}`;
    },
  );

  // ---- reviews --------------------------------------------------------------------------------------
  app.get<{ Params: P }>('/people/:personId/plan/reviews/new', { config: edit, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/review.njk', { person: await personFor(request), values: {} }),
  );
  post<P>(
    '/people/:personId/plan/reviews',
    edit,
    'transitions/views/review.njk',
    async (request, body) => ({ person: await personFor(request), values: dateParts(body, 'review_date') }),
    async (request, body) => {
      const id = request.params.personId;
      await transitions.addReview(requireUser(request), id, body);
      return `/people/${id}/plan#reviews`;
    },
  );

  // ---- referrals ------------------------------------------------------------------------------------
  const referralForm = async (request: FastifyRequest<{ Params: P }>, values: Record<string, unknown>) => {
    const user = requireUser(request);
    const d = await transitions.plan(user, requirePersonAccess(request), 'page');
    return {
      person: d.person,
      actions: d.actions.filter((a) => a.open),
      options: await transitions.options(user),
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
  post<P>(
    '/people/:personId/referrals',
    edit,
    'transitions/views/referral-new.njk',
    (request, body) => referralForm(request, dateParts(body, 'response_due')),
    async (request, body) => {
      const id = request.params.personId;
      await transitions.refer(requireUser(request), id, body);
      return `/people/${id}/plan#referrals`;
    },
  );
  const respondForm = async (request: FastifyRequest<{ Params: R }>, values: Record<string, unknown>) => {
    const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'page');
    const referral = d.referrals.find((r) => r.id === request.params.referralId);
    if (!referral) throw new NotFound('No referral with that reference on this record.');
    return { ...labels, person: d.person, referral, values };
  };
  app.get<{ Params: R }>(
    '/people/:personId/referrals/:referralId',
    { config: read, schema: hide },
    async (request, reply) => reply.view('transitions/views/referral.njk', await respondForm(request, {})),
  );
  post<R>(
    '/people/:personId/referrals/:referralId/response',
    read,
    'transitions/views/referral.njk',
    respondForm,
    async (request, body) => {
      const { personId, referralId } = request.params;
      await transitions.respond(requireUser(request), personId, referralId, body);
      return `/people/${personId}/plan#referrals`;
    },
  );

  // ---- the forum referral form ----------------------------------------------------------------------
  const forumForm = async (request: FastifyRequest<{ Params: P }>, values: Record<string, unknown>) => {
    const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'page');
    return { person: d.person, values };
  };
  app.get<{ Params: P }>('/people/:personId/forum-referral', { config: edit, schema: hide }, async (request, reply) => {
    const d = await transitions.plan(requireUser(request), requirePersonAccess(request), 'page');
    const blocked = d.actions.filter((a) => a.unowned || a.overdue).map((a) => a.description);
    return reply.view('transitions/views/forum-referral.njk', {
      person: d.person,
      values: { needs: d.plan?.needs ?? '', blocked_by: blocked.join('; ') },
    });
  });
  post<P>(
    '/people/:personId/forum-referral',
    edit,
    'transitions/views/forum-referral.njk',
    forumForm,
    async (request, body) => {
      const id = request.params.personId;
      await transitions.referToForum(requireUser(request), id, body);
      return `/people/${id}/plan#panels`;
    },
  );

  // ---- panels ---------------------------------------------------------------------------------------
  app.get('/panels', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/panels.njk', { panels: await transitions.panels(requireUser(request)) }),
  );

  app.post('/panels', { config: panelManage, schema: hide }, async (request, reply) => {
    await transitions.setUpPanels(requireUser(request));
    return reply.redirect('/panels', 303);
  });

  app.get('/panels/register', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/register.njk', { rows: await transitions.register(requireUser(request)) }),
  );
  app.get('/panels/register.csv', { config: panelRead, schema: hide }, async (request, reply) => {
    const rows = await transitions.register(requireUser(request));
    const cell = (v: string | number) => {
      const s = String(v);
      // Quote everything; neutralise spreadsheet formulas.
      return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
    };
    const lines = [
      ['service', 'commissioning_area', 'issue_type', 'actions', 'open', 'overdue', 'young_people'].join(','),
      ...rows.map((r) =>
        [r.service, r.area, r.issue_type ?? '', r.total, r.open, r.overdue, r.people].map(cell).join(','),
      ),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="gap-vs-capacity.csv"')
      .send(`${lines.join('\r\n')}\r\n`);
  });

  type N = { panelId: string };
  const panelData = async (request: FastifyRequest<{ Params: N }>, values: Record<string, unknown> = {}) => ({
    ...(await transitions.panel(requireUser(request), request.params.panelId)),
    values,
  });
  app.get<{ Params: N }>('/panels/:panelId', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/panel.njk', { ...labels, ...(await panelData(request)) }),
  );
  post<N>('/panels/:panelId/members', panelManage, 'transitions/views/panel.njk', panelData, async (request, body) => {
    await transitions.addMember(requireUser(request), request.params.panelId, body);
    return `/panels/${request.params.panelId}#members`;
  });
  post<N>(
    '/panels/:panelId/meetings',
    panelManage,
    'transitions/views/panel.njk',
    (request, body) => panelData(request, dateParts(body, 'meeting_date')),
    async (request, body) =>
      `/panels/meetings/${await transitions.createMeeting(requireUser(request), request.params.panelId, body)}`,
  );

  type M = { meetingId: string };
  const meetingData = async (request: FastifyRequest<{ Params: M }>, extra: Record<string, unknown> = {}) => ({
    ...(await transitions.meeting(requireUser(request), request.params.meetingId)),
    values: {},
    ...extra,
  });
  app.get<{ Params: M }>('/panels/meetings/:meetingId', { config: panelRead, schema: hide }, async (request, reply) =>
    reply.view('transitions/views/meeting.njk', { ...labels, ...(await meetingData(request)) }),
  );
  // Each agenda item has its own decision form: the error summary links to the fields of the item's form.
  post<M & { itemId: string }>(
    '/panels/meetings/:meetingId/items/:itemId/decision',
    panelManage,
    'transitions/views/meeting.njk',
    (request, body) => meetingData(request, { itemId: request.params.itemId, values: dateParts(body, 'due_date') }),
    async (request, body) => {
      const { meetingId, itemId } = request.params;
      await transitions.recordDecision(requireUser(request), meetingId, itemId, body);
      return `/panels/meetings/${meetingId}#item-${itemId}`;
    },
    (request, href) =>
      href.replace(/^#([a-z_]+?)(-day)?$/, (_m, f: string, d?: string) => `#${f}-${request.params.itemId}${d ?? ''}`),
  );
  post<M>(
    '/panels/meetings/:meetingId/minutes',
    panelManage,
    'transitions/views/meeting.njk',
    (request, body) => meetingData(request, { minutesValue: body.minutes }),
    async (request, body) => {
      await transitions.saveMinutes(requireUser(request), request.params.meetingId, body);
      return `/panels/meetings/${request.params.meetingId}#minutes`;
    },
  );

  registerTransitionsApi(app);
  registerAudienceRoutes(app);
}
