// EHC needs assessment pages: the coordinator's (on the young person's record), the advice giver's (one request
// each, /advice/:requestId, never the record), the weekly report, and the invitation to set a password.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { type Body, dateInput, errorList, ValidationError } from '../../http/forms.ts';
import { requireAdviceAccess, requirePersonAccess, requireUser } from '../../http/request.ts';
import { registerEhcpApi } from './api.ts';
import { registerInviteRoutes } from './invite-routes.ts';
import { ADVICE_KINDS, EXCEPTION_TYPES, REQUESTERS } from './labels.ts';
import { weeklyReportCsv } from './report.ts';

type P = { personId: string };
type A = P & { assessmentId: string };
type R = A & { requestId: string };
type G = { requestId: string };

interface Field {
  type: 'date' | 'radios' | 'textarea' | 'select' | 'input' | 'hidden';
  name: string;
  label: string;
  hint?: string;
  items?: { value: string; text: string }[];
}

/** Re-shapes a posted body for the form template: date fields back into their day/month/year parts. */
function formValues(body: Body, fields: Field[]) {
  const values: Record<string, unknown> = { ...body };
  for (const f of fields) if (f.type === 'date') values[f.name] = dateInput(body, f.name).parts;
  return values;
}

export function registerEhcpRoutes(app: FastifyInstance, config: Config) {
  const { ehcp } = app.services;
  const hide = { hide: true };
  const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
  const manage = { policy: { capability: 'ehcp:manage' as const, person: 'personId' } };
  const giver = { policy: { capability: null, adviceRequest: 'requestId' } };
  const report = { policy: { capability: 'ehcp:report' as const } };

  /** A GET that shows a form and a POST that runs it: errors re-render with the summary; success redirects (PRG). */
  function formRoute(
    suffix: string,
    form: (
      request: FastifyRequest<{ Params: A }>,
    ) => Promise<{ title: string; intro?: string; fields: Field[]; submit: string }>,
    run: (request: FastifyRequest<{ Params: A }>, body: Body) => Promise<string>,
  ) {
    const url = `/people/:personId/ehcp/:assessmentId/${suffix}`;
    const show = async (
      request: FastifyRequest<{ Params: A }>,
      reply: FastifyReply,
      values: Record<string, unknown>,
      errors?: Record<string, string>,
    ) => {
      const f = await form(request);
      const data = await ehcp.assessment(
        requireUser(request),
        requirePersonAccess(request),
        request.params.assessmentId,
      );
      if (errors) reply.code(400);
      return reply.view('ehcp/views/form.njk', {
        ...f,
        d: data,
        action: request.url.split('?')[0],
        values,
        errors: errors ?? {},
        errorList: errors ? errorList(errors) : null,
      });
    };
    app.get<{ Params: A }>(url, { config: manage, schema: hide }, async (request, reply) => show(request, reply, {}));
    app.post<{ Params: A }>(url, { config: manage, schema: hide }, async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        return reply.redirect(await run(request, body), 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return show(request, reply, formValues(body, (await form(request)).fields), e.fields);
      }
    });
  }

  const items = (o: Record<string, string>) => Object.entries(o).map(([value, t]) => ({ value, text: t }));
  const back = (request: FastifyRequest<{ Params: A }>) =>
    `/people/${request.params.personId}/ehcp/${request.params.assessmentId}`;

  app.get('/ehcp', { config: { policy: { capability: 'ehcp:manage' } }, schema: hide }, async (request, reply) => {
    const user = requireUser(request);
    return reply.view('ehcp/views/index.njk', {
      assessments: await ehcp.mine(user),
      canReport: user.caps.has('ehcp:report'),
    });
  });

  app.get<{ Params: P }>('/people/:personId/ehcp', { config: read, schema: hide }, async (request, reply) => {
    const { person, assessments } = await ehcp.personAssessments(requireUser(request), requirePersonAccess(request));
    return reply.view('ehcp/views/person.njk', { person, assessments });
  });

  // ---- starting an assessment
  const newFields: Field[] = [
    {
      type: 'date',
      name: 'request_date',
      label: 'Date of the request',
      hint: 'The clocks run from this date. For example, 21 12 2026',
    },
    { type: 'radios', name: 'requested_by', label: 'Who asked for the assessment?', items: items(REQUESTERS) },
    {
      type: 'input',
      name: 'requester_detail',
      label: 'Who asked (if someone else)',
      hint: 'For example, the health visitor',
    },
  ];
  app.get<{ Params: P }>('/people/:personId/ehcp/new', { config: manage, schema: hide }, async (request, reply) =>
    reply.view('ehcp/views/form.njk', {
      title: 'Record a request for an EHC needs assessment',
      fields: newFields,
      submit: 'Record the request',
      action: `/people/${request.params.personId}/ehcp`,
      backHref: `/people/${request.params.personId}`,
      values: {},
      errors: {},
    }),
  );
  app.post<{ Params: P }>('/people/:personId/ehcp', { config: manage, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      const id = await ehcp.create(requireUser(request), request.params.personId, body);
      return reply.redirect(`/people/${request.params.personId}/ehcp/${id}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      reply.code(400);
      return reply.view('ehcp/views/form.njk', {
        title: 'Record a request for an EHC needs assessment',
        fields: newFields,
        submit: 'Record the request',
        action: `/people/${request.params.personId}/ehcp`,
        backHref: `/people/${request.params.personId}`,
        values: formValues(body, newFields),
        errors: e.fields,
        errorList: errorList(e.fields),
      });
    }
  });

  app.get<{ Params: A }>(
    '/people/:personId/ehcp/:assessmentId',
    { config: read, schema: hide },
    async (request, reply) => {
      const d = await ehcp.assessment(requireUser(request), requirePersonAccess(request), request.params.assessmentId);
      return reply.view('ehcp/views/assessment.njk', { d });
    },
  );

  formRoute(
    'decision',
    async () => ({
      title: 'Decide whether to carry out the assessment',
      intro: 'The decision is due 6 weeks from the request (SEND Regulations 2014 reg 5(1)).',
      fields: [
        {
          type: 'radios',
          name: 'decision',
          label: 'Decision',
          items: [
            { value: 'assess', text: 'Carry out the EHC needs assessment' },
            { value: 'not_assess', text: 'Do not carry out an assessment' },
          ],
        },
        { type: 'date', name: 'decision_date', label: 'Date of the decision' },
      ],
      submit: 'Record the decision',
    }),
    async (request, body) => {
      await ehcp.decideToAssess(requireUser(request), request.params.personId, request.params.assessmentId, body);
      return back(request);
    },
  );

  formRoute(
    'advice/new',
    async (request) => {
      const user = requireUser(request);
      const [givers, services] = await Promise.all([ehcp.adviceGiverOptions(user), ehcp.externalServices(user)]);
      return {
        title: 'Request advice',
        intro:
          'Advice is due 6 weeks from the request for advice (SEND Regulations 2014 reg 8(1)). The advice giver sees only this request: the child’s name, date of birth, school and your question.',
        fields: [
          { type: 'radios', name: 'kind', label: 'Kind of advice', items: items(ADVICE_KINDS) },
          {
            type: 'select',
            name: 'giver_user_id',
            label: 'Who to ask',
            items: [
              { value: '', text: 'Choose a person' },
              ...givers.map((g) => ({
                value: g.id,
                text: `${g.display_name}${g.job_title ? `, ${g.job_title}` : ''}${g.service_name ? ` (${g.service_name})` : ''}`,
              })),
              { value: 'invite', text: 'Someone without an account: invite them by email' },
            ],
          },
          { type: 'input', name: 'invite_email', label: 'Their email address (only if inviting)' },
          { type: 'input', name: 'invite_name', label: 'Their full name (only if inviting)' },
          {
            type: 'select',
            name: 'invite_service_id',
            label: 'Their organisation (only if inviting)',
            items: [
              { value: '', text: 'Choose an organisation' },
              ...services.map((s) => ({ value: s.id, text: s.name })),
            ],
          },
          {
            type: 'textarea',
            name: 'question',
            label: 'What advice do you need?',
            hint: 'This is shown to the advice giver.',
          },
          {
            type: 'date',
            name: 'requested_date',
            label: 'Date of the request for advice (optional)',
            hint: 'Leave blank for today',
          },
        ],
        submit: 'Send the request',
      };
    },
    async (request, body) => {
      await ehcp.requestAdvice(requireUser(request), request.params.personId, request.params.assessmentId, body);
      return `${back(request)}#advice`;
    },
  );

  formRoute(
    'exceptions/new',
    async () => ({
      title: 'Record an exception to the time limits',
      intro:
        'An exception is evidence for why the 16 or 20 week date may be missed (SEND Regulations 2014 reg 10(4), reg 13(3)). It is flagged for statutory reporting. It does not move the statutory dates: Handover shows them unchanged, and a projected date beside them.',
      fields: [
        { type: 'radios', name: 'type', label: 'Which exception applies?', items: items(EXCEPTION_TYPES) },
        { type: 'date', name: 'start_date', label: 'Date it began' },
        { type: 'date', name: 'end_date', label: 'Date it ended, or is expected to end' },
        {
          type: 'textarea',
          name: 'reason',
          label: 'Evidence and reason',
          hint: 'For example, the school’s closure dates and the letter confirming them',
        },
      ],
      submit: 'Record the exception',
    }),
    async (request, body) => {
      await ehcp.recordException(requireUser(request), request.params.personId, request.params.assessmentId, body);
      return `${back(request)}#exceptions`;
    },
  );

  formRoute(
    'draft',
    async () => ({
      title: 'Serve the draft plan',
      intro:
        'The family has at least 15 days, beginning with the day the draft is served, to make representations (SEND Regulations 2014 reg 13(1)). Each advice giver is asked to check the draft reflects the needs they described, with feedback due in 5 working days.',
      fields: [
        { type: 'date', name: 'served_date', label: 'Date the draft was served' },
        {
          type: 'textarea',
          name: 'draft_text',
          label: 'Needs and provision in the draft plan',
          hint: 'Advice givers see this to check it reflects their advice',
        },
      ],
      submit: 'Serve the draft',
    }),
    async (request, body) => {
      await ehcp.serveDraft(requireUser(request), request.params.personId, request.params.assessmentId, body);
      return back(request);
    },
  );

  formRoute(
    'final',
    async () => ({
      title: 'Record the final plan',
      intro: 'The final plan is due 20 weeks from the request (SEND Regulations 2014 reg 13(2)).',
      fields: [{ type: 'date', name: 'final_date', label: 'Date the final plan was issued' }],
      submit: 'Record the final plan',
    }),
    async (request, body) => {
      await ehcp.issueFinal(requireUser(request), request.params.personId, request.params.assessmentId, body);
      return back(request);
    },
  );

  formRoute(
    'not-issuing',
    async () => ({
      title: 'Record a decision not to issue a plan',
      intro: 'The decision is due 16 weeks from the request (SEND Regulations 2014 reg 10(1)).',
      fields: [{ type: 'date', name: 'not_issue_date', label: 'Date of the decision' }],
      submit: 'Record the decision',
    }),
    async (request, body) => {
      await ehcp.decideNotToIssue(requireUser(request), request.params.personId, request.params.assessmentId, body);
      return back(request);
    },
  );

  formRoute(
    'delay-notice',
    async () => ({
      title: 'Tell the parents about the delay',
      intro:
        'Each contact with parental responsibility gets a notice of the delay and the new timescale: by email where we have an address, otherwise as a letter to print and post. Each one is recorded.',
      fields: [
        {
          type: 'textarea',
          name: 'reason',
          label: 'Why the plan is delayed',
          hint: 'This goes into the notice. Do not write the child’s name.',
        },
      ],
      submit: 'Send the delay notice',
    }),
    async (request, body) => {
      await ehcp.sendDelayNotice(requireUser(request), request.params.personId, request.params.assessmentId, body);
      return `${back(request)}#delay`;
    },
  );

  // ---- advice received, as the coordinator sees it; querying it starts the Cumbria protocol
  const adviceView = async (
    request: FastifyRequest<{ Params: R }>,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: Record<string, string>,
  ) => {
    const d = await ehcp.adviceForCoordinator(
      requireUser(request),
      requirePersonAccess(request),
      request.params.assessmentId,
      request.params.requestId,
    );
    if (errors) reply.code(400);
    return reply.view('ehcp/views/advice.njk', {
      d,
      values,
      errors: errors ?? {},
      errorList: errors ? errorList(errors) : null,
    });
  };
  app.get<{ Params: R }>(
    '/people/:personId/ehcp/:assessmentId/advice/:requestId',
    { config: read, schema: hide },
    async (request, reply) => adviceView(request, reply),
  );
  app.post<{ Params: R }>(
    '/people/:personId/ehcp/:assessmentId/advice/:requestId/query',
    { config: manage, schema: hide },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        const instanceId = await ehcp.markUnclear(
          requireUser(request),
          request.params.personId,
          request.params.assessmentId,
          request.params.requestId,
          body,
        );
        return reply.redirect(`/people/${request.params.personId}/protocols/${instanceId}`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return adviceView(request, reply, body, e.fields);
      }
    },
  );

  // ---- the advice giver's pages: only requests addressed to them
  app.get('/advice', { config: { policy: { capability: null } }, schema: hide }, async (request, reply) =>
    reply.view('ehcp/views/giver-list.njk', { requests: await ehcp.myRequests(requireUser(request)) }),
  );
  const giverView = async (
    request: FastifyRequest<{ Params: G }>,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: Record<string, string>,
  ) => {
    const d = await ehcp.requestForGiver(requireUser(request), requireAdviceAccess(request));
    if (errors) reply.code(400);
    return reply.view('ehcp/views/giver-request.njk', {
      d,
      values,
      errors: errors ?? {},
      errorList: errors ? errorList(errors) : null,
      sent: (request.query as Record<string, string>)?.sent,
    });
  };
  app.get<{ Params: G }>('/advice/:requestId', { config: giver, schema: hide }, async (request, reply) =>
    giverView(request, reply),
  );
  app.post<{ Params: G }>('/advice/:requestId/advice', { config: giver, schema: hide }, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    try {
      await ehcp.submitAdvice(requireUser(request), requireAdviceAccess(request), body);
      return reply.redirect(`/advice/${request.params.requestId}?sent=advice`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return giverView(request, reply, body, e.fields);
    }
  });
  app.post<{ Params: G }>(
    '/advice/:requestId/draft-feedback',
    { config: giver, schema: hide },
    async (request, reply) => {
      const body = (request.body ?? {}) as Body;
      try {
        await ehcp.submitDraftFeedback(requireUser(request), requireAdviceAccess(request), body);
        return reply.redirect(`/advice/${request.params.requestId}?sent=feedback`, 303);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return giverView(request, reply, body, e.fields);
      }
    },
  );

  // ---- the weekly report
  app.get('/reports/ehcp-weekly', { config: report, schema: hide }, async (request, reply) =>
    reply.view('ehcp/views/report.njk', { r: await ehcp.weeklyReport(requireUser(request)) }),
  );
  app.get('/reports/ehcp-weekly.csv', { config: report, schema: hide }, async (request, reply) => {
    const r = await ehcp.weeklyReport(requireUser(request));
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="ehcp-weekly-${r.generatedOn}.csv"`)
      .send(weeklyReportCsv(r));
  });

  registerInviteRoutes(app, config);
  registerEhcpApi(app);
}
